"""Load claims: the paper's (``proofs_check.claims``), ``--claims-from`` modules and the
``topotheory.claims`` entry-point group of installed packages.

A user module registers claims and checks with the public API
(``topotheory.register_claim``, ``topotheory.claim_check``). Problems in it (a duplicate
id, an unknown kind, a check without a claim, an import that fails) are collected as
:class:`LoadProblem` rows naming the claim or module; the other claims still load.

Examples
--------
>>> problems = load_claims(["no_such_user_module_xyz"], entry_points=False)
>>> problems[0].where
'no_such_user_module_xyz'
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from topotheory.theory.claim import CHECKS, CLAIMS, SOURCES, collecting_errors

__all__ = ["ENTRY_POINT_GROUP", "LoadProblem", "load_claims", "unchecked_claims"]

#: Entry-point group through which installed packages contribute claims.
ENTRY_POINT_GROUP = "topotheory.claims"


@dataclass(frozen=True)
class LoadProblem:
    """A claim (or a module of claims) that could not be registered."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _import_user_module(name: str) -> None:
    """Import ``name`` (a dotted module, or a path to a ``.py`` file)."""
    path = Path(name)
    if name.endswith(".py"):
        if not path.is_file():
            raise FileNotFoundError(f"--claims-from {name}: no such file")
        loaded = sys.modules.get(path.stem)
        if loaded is not None and getattr(loaded, "__file__", None) == str(path.resolve()):
            return
        spec = importlib.util.spec_from_file_location(path.stem, path.resolve())
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        sys.modules[path.stem] = module
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        return
    if "" not in sys.path and str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))  # like `python -m`: modules of the working dir
    importlib.import_module(name)


def load_claims(modules: Sequence[str] = (), *, entry_points: bool = True) -> list[LoadProblem]:
    """Import the paper's checks, then the user modules and entry points; return problems."""
    import proofs_check.claims  # noqa: F401  (registers the paper's checks, asserts them)

    sources: list[tuple[str, object]] = [(m, m) for m in modules]
    if entry_points:
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            sources.append((f"entry point {ep.name} ({ep.value})", ep))
    problems: list[LoadProblem] = []
    for label, source in sources:
        before = set(CLAIMS)
        with collecting_errors() as errors:
            try:
                if isinstance(source, str):
                    _import_user_module(source)
                else:
                    source.load()  # type: ignore[attr-defined]
            except Exception as error:  # a broken user module: reported, others still run
                problems.append(LoadProblem(label, f"{type(error).__name__}: {error}"))
        for error in errors:
            problems.append(LoadProblem(label, str(error)))
        for claim_id in set(CLAIMS) - before:
            SOURCES[claim_id] = label
    return problems


def unchecked_claims() -> list[str]:
    """Registered claims that have no check."""
    return [i for i in CLAIMS if i not in CHECKS]
