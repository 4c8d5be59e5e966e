"""The package's layers: nothing imports the command line, and the store and exports do not load the coder."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "eventwire"
CLI = {"eventwire.cli", "eventwire.cli.common", "eventwire.cli.main", "eventwire.cli.store", "eventwire.cli.__main__",
       "eventwire.__main__"}


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imports(path: Path, top_level_only: bool) -> set[str]:
    """The eventwire modules a file imports (only those at module level, or also inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("eventwire")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("eventwire"):
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def test_nothing_imports_the_command_line():
    offenders = {name: sorted(imports(path, False) & CLI) for name, path in modules().items()
                 if name not in CLI and imports(path, False) & CLI}
    assert offenders == {}


def test_the_store_and_the_exports_do_not_load_the_coder():
    code = ("import sys, eventwire.export, eventwire.store, eventwire.store.query; "
            "print(sorted(m for m in sys.modules if m.startswith(('spacy', 'eventwire.pipeline', 'eventwire.extract', "
            "'eventwire.nlp', 'torch'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_only_training_imports_pytorch():
    """Coding runs the encoder in NumPy; PyTorch (requirements-train.txt) is for `eventwire train` alone."""
    users = set()
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "torch" for a in node.names):
                users.add(name)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "torch":
                users.add(name)
    assert users == {"eventwire.learn"}


def _graph() -> dict[str, set[str]]:
    """Which eventwire modules each module imports, anywhere in the file (a deferred import is still a use)."""
    names = modules()
    graph = {}
    for name, path in names.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level:
                    base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                    module = ".".join(base + ([module] if module else []))
                targets = [module] + [f"{module}.{a.name}" for a in node.names]
            for target in targets:
                while target and target not in names:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    found.add(target)
        graph[name] = found
    return graph


def test_imports_run_one_way():
    """No two modules import each other, directly or round a longer loop."""
    graph = _graph()
    state: dict[str, int] = {}
    loops = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                loops.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert loops == []


# The coder's packages in the order the data goes through them: a package imports only from those before it.
CODER_LAYERS = [("eventwire.nlp", "eventwire.resolve"), ("eventwire.extract",), ("eventwire.assemble",),
                 ("eventwire.pipeline",)]


def _layer(name: str) -> int | None:
    for rank, packages in enumerate(CODER_LAYERS):
        if any(name == p or name.startswith(p + ".") for p in packages):
            return rank
    return None


def test_the_coder_layers_import_downwards():
    """nlp and resolve (lookups) < extract (what a sentence says) < assemble (events) < pipeline."""
    upward = sorted((name, target) for name, targets in _graph().items() for target in targets
                    if _layer(name) is not None and _layer(target) is not None and _layer(target) > _layer(name))
    assert upward == []


def test_lookups_do_not_read_sentences():
    """resolve holds lookups only: nothing in it imports extract, and nlp imports neither."""
    graph = _graph()
    assert sorted((n, t) for n, ts in graph.items() for t in ts
                  if n.startswith(("eventwire.resolve", "eventwire.nlp")) and t.startswith("eventwire.extract")) == []
    assert sorted((n, t) for n, ts in graph.items() for t in ts
                  if n.startswith("eventwire.nlp") and t.startswith("eventwire.resolve")) == []
