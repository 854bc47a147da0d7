"""Load claims: the paper's (``proofs_check.claims``), ``--claims-from`` modules and the
``topotheory.claims`` entry-point group of installed packages.

A user module registers claims and checks with the public API
(``topotheory.register_claim``, ``topotheory.claim_check``). Problems in it (a duplicate
id, an unknown kind, a check without a claim, an import that fails or calls
``sys.exit``) are collected as :class:`LoadProblem` rows naming the claim or module and
the line; the other claims still load.

User code runs behind :mod:`topotheory.user_code`: a ``.py`` file is imported under a
private name (a ``numpy.py`` of claims never shadows numpy), its output goes to stderr,
and a module (or, later, a user check) that replaces a registered claim, a check, or a
function of topotheory's -- the verdict comparison included -- is undone and refused with
an :class:`~topotheory.errors.InputError` (exit status 2).

Examples
--------
>>> problems = load_claims(["no_such_user_module_xyz"], entry_points=False)
>>> problems[0].where
'no_such_user_module_xyz'
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from topotheory.errors import InputError
from topotheory.theory.claim import CHECKS, CLAIMS, SOURCES, collecting_errors
from topotheory.user_code import (
    ProtectedState,
    calling_user_code,
    import_user_module,
    module_files,
)

__all__ = ["ENTRY_POINT_GROUP", "LoadProblem", "is_user_claim", "load_claims",
           "run_user_check"]

#: Entry-point group through which installed packages contribute claims.
ENTRY_POINT_GROUP = "topotheory.claims"

#: Claims registered by user code: claim id -> (label of its source, its files).
_USER_CLAIMS: dict[str, tuple[str, list[str]]] = {}


@dataclass(frozen=True)
class LoadProblem:
    """A claim (or a module of claims) that could not be registered."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _registries() -> dict[str, dict[str, Any]]:
    return {"CLAIMS": CLAIMS, "CHECKS": CHECKS, "SOURCES": SOURCES}


def _load_entry_point(ep: Any, label: str) -> list[str]:
    with calling_user_code(f"loading {label}", argument="entry point", value=ep.value,
                           fix="fix the package that provides it"):
        module = ep.load()
    return module_files(module) if hasattr(module, "__file__") else []


def load_claims(modules: Sequence[str] = (), *, entry_points: bool = True) -> list[LoadProblem]:
    """Import the paper's checks, then the user modules and entry points; return problems.

    Raises
    ------
    topotheory.errors.InputError
        A user module replaced a registered claim, a check, or one of topotheory's
        functions (restored before raising).
    """
    import proofs_check.claims  # noqa: F401  (registers the paper's checks, asserts them)

    sources: list[tuple[str, object]] = [(m, m) for m in modules]
    if entry_points:
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            sources.append((f"entry point {ep.name} ({ep.value})", ep))
    problems: list[LoadProblem] = []
    for label, source in sources:
        before = set(CLAIMS)
        protected = ProtectedState(registries=_registries())
        files: list[str] = []
        with collecting_errors() as errors:
            try:
                if isinstance(source, str):
                    files = module_files(import_user_module(source, argument="--claims-from"))
                else:
                    files = _load_entry_point(source, label)
            except InputError as error:  # a broken user module: reported, others still run
                problems.append(LoadProblem(label, error.problem))
        protected.verify(argument="--claims-from" if isinstance(source, str) else "entry point",
                         value=label)
        for error in errors:
            problems.append(LoadProblem(label, str(error)))
        for claim_id in set(CLAIMS) - before:
            SOURCES[claim_id] = label
            _USER_CLAIMS[claim_id] = (label, files)
    return problems


def is_user_claim(claim_id: str) -> bool:
    """Whether ``claim_id`` was registered by a ``--claims-from`` module or an entry point."""
    return claim_id in _USER_CLAIMS and _USER_CLAIMS[claim_id][0] == SOURCES.get(claim_id)


def run_user_check(claim_id: str, check: Callable[[Any], Any], ctx: Any) -> Any:
    """Run a user claim's check behind the boundary.

    Its output goes to stderr; ``sys.exit`` or an exception becomes an
    :class:`~topotheory.errors.InputError` naming the claim's module and the line; a check
    that replaced a registered claim or one of topotheory's functions is undone and refused.
    """
    label, files = _USER_CLAIMS[claim_id]
    protected = ProtectedState(registries=_registries())
    try:
        with calling_user_code(f"the check of {claim_id!r}", argument="--claims-from",
                               value=label, user_files=files, fix="fix the check"):
            verdict = check(ctx)
    finally:
        protected.verify(argument="--claims-from", value=label)
    return verdict

