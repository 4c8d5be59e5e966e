"""Checks an article must pass before it is coded; each failure is a reason, not an exception."""
from __future__ import annotations

from eventwire.models import Article
from eventwire.settings import Settings

__all__ = ["check_article", "detect_language"]


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid), or None when it cannot tell."""
    try:
        import py3langid
    except ImportError:  # optional: without it every article is taken as declared
        return None
    sample = text[:3000]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    lang, _ = py3langid.classify(sample)
    return lang


def check_article(article: Article, settings: Settings) -> str | None:
    """None when the article can be coded, else the reason it is skipped."""
    body = article.text[article.body_start:]
    if len(article.text.strip()) < settings.min_chars:
        return f"too short to code: {len(article.text.strip())} characters (minimum {settings.min_chars})"
    if len(article.text) > settings.max_chars:
        return f"too long: {len(article.text)} characters (limit {settings.max_chars}; raise --max-chars)"
    letters = sum(ch.isalpha() for ch in body[:5000])
    if letters < 0.3 * min(len(body), 5000):
        return "does not look like prose: too few letters"
    language = article.language or detect_language(article.text)
    if language and language not in settings.language_set:
        return f"not English: detected {language!r}"
    return None
