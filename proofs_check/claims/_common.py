"""Shared pieces of the claim checks: verdict builders, strategies, optional imports."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from typing import Any

from proofs_check.profiles import Profile
from proofs_check.search import SearchOutcome, find_counterexample
from proofs_check.verdict import Verdict
from topotheory.theory.registry import get_claim

__all__ = [
    "dense_layers",
    "forall_verdict",
    "make_verdict",
    "needs",
    "optional",
    "search",
    "symbolic_evidence",
]


def make_verdict(
    claim_id: str,
    status: str,
    *,
    variant: str | None = None,
    evidence: dict[str, Any] | None = None,
    counterexample: dict[str, Any] | None = None,
) -> Verdict:
    """A :class:`Verdict` with the registry's kind, statement and provenance."""
    claim = get_claim(claim_id)
    statement = claim.statement
    if variant is not None:
        described = {v.name: v.description for v in claim.variants}
        statement += f" [variant {variant}: {described.get(variant, '?')}]"
    return Verdict(
        id=claim.id,
        kind=claim.kind,
        status=status,
        statement=statement,
        provenance=claim.provenance.as_text(),
        variant=variant,
        evidence=dict(evidence or {}),
        counterexample=counterexample,
    )


def needs(claim_id: str, reason: str, *, variant: str | None = None, **evidence: Any) -> Verdict:
    """An ``inconclusive`` verdict saying what machinery is missing."""
    return make_verdict(claim_id, "inconclusive", variant=variant,
                        evidence={"reason": reason, **evidence})


def optional(module: str, name: str) -> Any:
    """``module.name`` if importable, else None (machinery of another issue not merged).

    Examples
    --------
    >>> optional("topotheory.theory.tccr", "tccr_dense") is not None
    True
    >>> optional("topotheory.nonexistent", "f") is None
    True
    """
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def search(strategy: Any, holds: Callable[[Any], bool], profile: Profile, seed: int,
           *, max_examples: int | None = None) -> SearchOutcome:
    """Run :func:`proofs_check.search.find_counterexample` with the profile's effort."""
    return find_counterexample(strategy, holds, max_examples=max_examples or profile.max_examples,
                               seed=seed)


def forall_verdict(
    claim_id: str,
    outcome: SearchOutcome,
    *,
    seed: int,
    variant: str | None = None,
    describe: Callable[[Any], dict[str, Any]] = lambda x: {"input": x},
    evidence: dict[str, Any] | None = None,
) -> Verdict:
    """``confirmed`` when the search found nothing, else ``refuted`` with the shrunk input."""
    info = {
        "search": "hypothesis.find (shrinking), no example database",
        "evaluations": outcome.evaluations,
        "seed": seed,
        "seconds": round(outcome.seconds, 3),
        **(evidence or {}),
    }
    if outcome.found:
        return make_verdict(claim_id, "refuted", variant=variant, evidence=info,
                            counterexample=describe(outcome.counterexample))
    return make_verdict(claim_id, "confirmed", variant=variant, evidence=info)


def symbolic_evidence(names: tuple[str, ...]) -> tuple[bool, dict[str, Any]]:
    """Run symbolic proofs; return (all proved, evidence dict)."""
    from topotheory.theory.proofs import run_proof

    start = time.perf_counter()
    results = [run_proof(n) for n in names]
    evidence = {
        r.name: {"statement": r.statement, "status": r.status, "steps": dict(r.steps)}
        for r in results
    }
    return all(r.status == "proved" for r in results), {
        "symbolic": evidence, "symbolic_seconds": round(time.perf_counter() - start, 3)
    }


def dense_layers(max_side: int, *, min_side: int = 1, allow_zero: bool = True) -> Any:
    """Strategy of dense layers as ``((m, n), values)`` with many ties.

    Values mix small integers (ties, zeros) and floats; not all zero. The plain-tuple form
    keeps shrunk counterexamples readable and JSON-friendly.
    """
    from hypothesis import strategies as st

    ints = st.integers(-3 if allow_zero else 1, 3).map(float)
    if not allow_zero:
        ints = ints.filter(lambda v: v != 0)
    floats = st.floats(-8, 8, allow_nan=False, allow_infinity=False, width=32).filter(
        lambda v: allow_zero or v != 0
    )
    values = st.one_of(ints, floats)

    @st.composite
    def build(draw: Any) -> tuple[tuple[int, int], tuple[float, ...]]:
        n = draw(st.integers(min_side, max_side))
        m = draw(st.integers(min_side, max_side))
        flat = list(draw(st.lists(values, min_size=n * m, max_size=n * m)))
        if all(v == 0 for v in flat):
            flat[0] = 1.0
        return (m, n), tuple(flat)

    return build()


def as_array(layer: tuple[tuple[int, int], tuple[float, ...]]) -> Any:
    """``((m, n), values)`` -> float64 array of shape ``(m, n)``."""
    import numpy as np

    shape, values = layer
    return np.asarray(values, dtype=np.float64).reshape(shape)


def core_missing(claim_id: str, variant: str | None = None) -> Verdict | None:
    """Inconclusive verdict if the topology core is not importable, else None."""
    if optional("topotheory.topology", "maximum_spanning_forest") is None:
        return needs(claim_id, "needs the topology core (topotheory.topology) on this branch",
                     variant=variant)
    return None
