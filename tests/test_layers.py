"""The house flows one way: which package may import which, read from the source with ``ast``.

Every ``import`` and ``from ... import`` in ``topotheory/`` and ``proofs_check/`` counts,
including those inside functions (lazy imports are arrows too; only the string-registered
entry points ``topotheory/__init__.py``, ``__main__.py`` and ``cli.py`` name everything).

The layers, lowest first (:data:`LAYERS`): a package imports only packages of LOWER layers,
never one of its own layer or above. ``render`` (document model and writers) sits low, so
the audit (``nn``) and the report both use it and it uses neither; ``report`` shows what
``nn`` and ``proofs_check`` compute, so it may import them, and nothing imports ``report``.

Checked with the standard library's :mod:`ast` (no dependency); the checker itself is tested
on a small tree with a back arrow and a cycle, so it can fail.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Lowest first. ``root`` is topotheory's top-level helper modules (errors, progress,
#: jsonout, safe_output, ...) and the package itself.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("root",),
    ("theory", "render"),
    ("topology",),
    ("simulate", "testing"),
    ("nn",),
    ("proofs_check",),
    ("report",),
)
#: Entry points that register every subcommand and export by dotted string.
ENTRY_POINTS = {"topotheory", "topotheory.__main__", "topotheory.cli"}
#: Third-party packages a package must not import (the house rules of DESIGN.md).
FORBIDDEN = {
    "theory": ("numpy", "torch"),
    "topology": ("torch",),
    "simulate": ("torch",),
    "render": ("torch",),
}


@dataclass(frozen=True)
class Arrow:
    """One import: the importing module, the imported dotted name, where."""

    source: str
    target: str
    where: str


def _module_name(path: Path, base: Path) -> str:
    parts = path.relative_to(base).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(base: Path, packages: tuple[str, ...] = ("topotheory", "proofs_check")) -> list[Arrow]:
    """Every import statement under ``base/<package>`` as an :class:`Arrow`."""
    arrows = []
    for package in packages:
        for path in sorted((base / package).rglob("*.py")):
            module = _module_name(path, base)
            here = module if path.name == "__init__.py" else module.rpartition(".")[0]
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    targets = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom):
                    if node.level:
                        stem = here.split(".")[: len(here.split(".")) - node.level + 1]
                        target = ".".join(stem + ([node.module] if node.module else []))
                    else:
                        target = node.module or ""
                    targets = [target] + [f"{target}.{a.name}" for a in node.names]
                else:
                    continue
                where = f"{path.relative_to(base)}:{node.lineno}"
                arrows += [Arrow(module, t, where) for t in targets]
    return arrows


def unit(name: str, base: Path) -> str:
    """The layer unit of a dotted name: a subpackage of topotheory, ``root``,
    ``proofs_check``, or the top-level name of a third-party package."""
    parts = name.split(".")
    if parts[0] != "topotheory":
        return parts[0]
    if len(parts) > 1 and (base / "topotheory" / parts[1]).is_dir():
        return parts[1]
    return "root"


def package_graph(arrows: list[Arrow], base: Path) -> dict[str, dict[str, list[str]]]:
    """``{importer unit: {imported unit: [where, ...]}}`` between our own units."""
    ours = {u for layer in LAYERS for u in layer}
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for arrow in arrows:
        if arrow.source in ENTRY_POINTS:
            continue
        src, dst = unit(arrow.source, base), unit(arrow.target, base)
        if src != dst and dst in ours and arrow.where not in graph[src][dst]:
            graph[src][dst].append(arrow.where)
    return graph


def back_arrows(graph: dict[str, dict[str, list[str]]]) -> list[str]:
    """Imports of a unit of the same or a higher layer (each with its first place)."""
    rank = {u: i for i, layer in enumerate(LAYERS) for u in layer}
    found = []
    for src, targets in sorted(graph.items()):
        for dst, where in sorted(targets.items()):
            if src not in rank:
                found.append(f"{src} is in no layer of LAYERS (imports {dst} at {where[0]})")
            elif rank[dst] >= rank[src]:
                found.append(f"{src} -> {dst} runs back up ({len(where)}x, first at {where[0]})")
    return found


def cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The import cycles between units (strongly connected components of size > 1)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


@pytest.fixture(scope="module")
def arrows() -> list[Arrow]:
    return imports(ROOT)


@pytest.fixture(scope="module")
def graph(arrows) -> dict[str, dict[str, list[str]]]:
    return package_graph(arrows, ROOT)


def test_no_arrow_runs_back_up(graph) -> None:
    assert back_arrows(graph) == []


def test_nn_and_report_meet_only_in_render(graph) -> None:
    assert "report" not in graph["nn"], graph["nn"]["report"]
    assert set(graph["render"]) <= {"root"}, dict(graph["render"])
    assert "render" in graph["nn"] and "render" in graph["report"]  # both use it
    assert not [u for u, targets in graph.items() if "report" in targets]


def test_no_import_cycles_between_packages(graph) -> None:
    assert cycles(graph) == []


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_third_party_house_rules(arrows, package) -> None:
    bad = [f"{a.where}: {a.target}" for a in arrows
           if a.source not in ENTRY_POINTS and unit(a.source, ROOT) == package
           and unit(a.target, ROOT) in FORBIDDEN[package]]
    assert bad == [], f"{package} must not import {FORBIDDEN[package]}"


def test_the_checker_finds_a_back_arrow_a_cycle_and_a_lazy_import(tmp_path) -> None:
    files = {
        "topotheory/__init__.py": "",
        "topotheory/errors.py": "",
        "topotheory/render/__init__.py": "from topotheory.errors import X\n",
        "topotheory/render/page.py": "def f():\n    from ..nn import model\n",  # lazy, relative
        "topotheory/nn/__init__.py": "from topotheory.render import page\n",
        "topotheory/theory/__init__.py": "import numpy as np\n",
        "proofs_check/__init__.py": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    found = imports(tmp_path)
    g = package_graph(found, tmp_path)
    assert back_arrows(g) == ["render -> nn runs back up (1x, first at "
                              "topotheory/render/page.py:2)"]
    assert cycles(g) == [["nn", "render"]]
    assert any(a.target == "numpy" and unit(a.source, tmp_path) == "theory" for a in found)
