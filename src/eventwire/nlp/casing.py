"""Truecasing: text written in capitals, in title case or all in lower case, given ordinary casing for parsing.

The English parser learnt from ordinarily cased text: on a headline in Title Case every word looks
like a name, in capitals nothing parses, and in lower case names are lost ("police lathi-charge
protesters in patna"). Some feeds write everything one way. So before parsing, each line written in
one of those styles is recased, word by word, to the form the word usually takes inside a sentence of
news (``Truecaser``), and the first word of each sentence is capitalised. Lines in ordinary casing are
left as they are.

The forms come from the WCEP news sentences (``../shared/train``), counted by ``build_truecaser``:
for each word, the casing it has most often when it is not the first word of its sentence
(``data/models/truecase-v1.tsv``, one word a line: its usual form, how often it was seen and the
share of that form). A word the table does not hold keeps a capital when the line had one (an
unknown word in a headline is most often a name) and stays lower case in a lower-case line.

Recasing never changes a text's length or any character other than its case, so every offset found
in the recased text is an offset into the article as written: the parser reads the recased text and
evidence quotes the original (``Pipeline`` swaps the text back).
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Mapping

from eventwire.errors import ResourceMissing

__all__ = ["Truecaser", "casing_style", "build_truecaser", "TRUECASER", "casing_accuracy"]

TRUECASER = "truecase-v1"
_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?][\"'’”)\]]*\s+$")
MIN_WORDS = 4  # a line of fewer words is not judged (a byline, a number, a name)
MIN_COUNT = 2  # a word seen once is not in the table
SMALL_WORDS = frozenset("a an and as at but by for from in into nor of on or over per the to up via vs with".split())


def casing_style(line: str) -> str | None:
    """"upper", "title" or "lower" when the line is written in that style, else None (ordinary casing)."""
    words = [w for w in _WORD.findall(line) if any(c.isalpha() for c in w)]
    if len(words) < MIN_WORDS:
        return None
    if not any(c.isupper() for c in line):
        return "lower"
    if not any(c.islower() for c in line):
        return "upper"
    content = [w for w in words if w.lower() not in SMALL_WORDS and len(w) > 2]
    # Title Case capitalises every content word, verbs included; an ordinary sentence full of names
    # still has a verb or a noun in lower case, so one such word keeps the line as written
    if len(content) >= MIN_WORDS - 1 and all(w[0].isupper() for w in content):
        return "upper" if sum(w.isupper() for w in content) >= 0.8 * len(content) else "title"
    return None


@dataclass(frozen=True)
class Truecaser:
    """Word -> its usual form in running news text (keys lower case)."""

    forms: Mapping[str, str]
    version: str = TRUECASER

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Truecaser":
        path = Path(path) if path else Path(str(resources.files("eventwire").joinpath("data", "models",
                                                                                         f"{TRUECASER}.tsv")))
        if not path.is_file():
            raise ResourceMissing(f"the truecasing table is missing: {path}", "rebuild it with `make train`")
        forms = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                form = line.split("\t", 1)[0]
                forms[form.lower()] = form
        return cls(forms)

    def recase(self, text: str) -> str:
        """``text`` with every line written in capitals, title case or lower case recased; the same length."""
        if not text:
            return text
        out, changed = [], False
        for line in text.splitlines(keepends=True):
            style = casing_style(line)
            if style is None:
                out.append(line)
            else:
                out.append(self.recase_line(line, style))
                changed = True
        return "".join(out) if changed else text

    def recase_line(self, line: str, style: str) -> str:
        chars = list(line)
        start_of_sentence = True  # the line's first word starts a sentence
        last = 0
        for match in _WORD.finditer(line):  # each gap between words is read once: linear in the line
            if last and _SENTENCE_END.search(line[last:match.start()]):
                start_of_sentence = True
            word = match.group()
            form = self._form(word, style)
            if start_of_sentence:
                form = form[:1].upper() + form[1:]
                start_of_sentence = False
            if len(form) == len(word):  # a case mapping that changes length is left alone
                chars[match.start():match.end()] = form
            last = match.end()
        return "".join(chars)

    def _form(self, word: str, style: str) -> str:
        known = self.forms.get(word.lower())
        if known is not None:
            return known
        if style == "lower":
            return word
        return word[:1].upper() + word[1:].lower()  # an unknown capitalised word: most often a name


def _sentence_initial(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence (looks back over whitespace only)."""
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in ".!?:;\"'“‘(["


def build_truecaser(rows: Iterable[dict], out: Path, held_out: Callable[[str], bool],
                    progress: Callable[[str], None] | None = None) -> dict:
    """Count each word's forms inside sentences of the rows not held out; write the table and a report.

    Deterministic: the same rows give the same file (ties go to the form that sorts first). The
    held-out rows (``held_out(id)``) score it: each is lower-cased, upper-cased and title-cased, recased,
    and compared word by word with the original (``casing_accuracy``).
    """
    counts: dict[str, Counter] = defaultdict(Counter)
    digest = hashlib.sha256()
    test_rows = []
    n_train = 0
    for row in rows:
        text = row["text"]
        digest.update(f"{row['id']}\t{text}\n".encode())
        if held_out(row["id"]):
            test_rows.append(text)
            continue
        n_train += 1
        for match in _WORD.finditer(text):
            if not _sentence_initial(text, match.start()):
                counts[match.group().lower()][match.group()] += 1
    lines = []
    for key in sorted(counts):
        total = sum(counts[key].values())
        if total < MIN_COUNT:
            continue
        form, n = sorted(counts[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if len(form) != len(key):
            continue
        lines.append(f"{form}\t{total}\t{n / total:.2f}")
    out.mkdir(parents=True, exist_ok=True)
    table = out / f"{TRUECASER}.tsv"
    table.write_text(f"# {TRUECASER}: each word's usual form inside WCEP news sentences (eventwire.nlp.casing); "
                     "form, times seen, share of that form\n" + "\n".join(lines) + "\n", encoding="utf-8")
    caser = Truecaser.load(table)
    scores = {style: casing_accuracy(caser, test_rows, style) for style in ("lower", "upper", "title")}
    meta = {"name": TRUECASER, "data_sha256": digest.hexdigest(), "train_rows": n_train, "test_rows": len(test_rows),
            "words": len(lines), "table_sha256": hashlib.sha256(table.read_bytes()).hexdigest(), "scores": scores}
    report = [f"# Training report: {TRUECASER}", "",
              "Rebuilt by `eventwire train` (deterministic). Each word's most frequent form when it is not the "
              "first word of its sentence, counted over the WCEP sentences outside the typer's test split; "
              f"words seen at least {MIN_COUNT} times.", "",
              f"Data sha256 `{meta['data_sha256'][:16]}…`, table sha256 `{meta['table_sha256'][:16]}…`; "
              f"{n_train} sentences counted, {len(lines)} words kept, {len(test_rows)} held-out sentences scored.", "",
              "Held-out sentences re-written in one casing style, recased, and compared with the original word by "
              "word (words after the first of each sentence):", "",
              "| style | words | right casing | unchanged baseline |", "|---|---|---|---|"]
    for style, s in scores.items():
        report.append(f"| {style} | {s['words']} | {s['accuracy']} | {s['baseline']} |")
    (out / f"{TRUECASER}.report.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    (out / f"{TRUECASER}.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    if progress:
        progress(f"truecaser: {len(lines)} words from {n_train} sentences; held-out accuracy "
                 + ", ".join(f"{k} {v['accuracy']}" for k, v in scores.items()))
    return meta


def _title(text: str) -> str:
    return re.sub(r"[^\W\d_]+", lambda m: m.group()[:1].upper() + m.group()[1:], text)


def casing_accuracy(caser: Truecaser, texts: Iterable[str], style: str) -> dict:
    """Share of words (after each sentence's first) whose recased form is the original's, in one style."""
    transform = {"lower": str.lower, "upper": str.upper, "title": _title}[style]
    right = same = words = 0
    for text in texts:
        changed = transform(text)
        if len(changed) != len(text):
            continue
        recased = caser.recase_line(changed, style)
        for match in _WORD.finditer(text):
            if _sentence_initial(text, match.start()):
                continue
            words += 1
            right += recased[match.start():match.end()] == match.group()
            same += changed[match.start():match.end()] == match.group()
    return {"words": words, "accuracy": round(right / max(words, 1), 4), "baseline": round(same / max(words, 1), 4)}
