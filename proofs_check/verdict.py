"""The :class:`Verdict` of one claim (one variant) and its JSON form.

This is the project's one verdict type: the decision rules of :mod:`proofs_check.rules`
return it, the runner writes it (``--json``), ``--expect`` compares it and the report
renders it. Its JSON goes through the project's one strict-JSON encoder
(:func:`topotheory.jsonout.to_strict_jsonable`: a non-finite float becomes ``null`` and
the row's ``non_finite`` map names its path and value).

Examples
--------
>>> v = Verdict("x", "forall", "confirmed", "s", "p", evidence={"bound": float("inf")})
>>> row = v.to_json()
>>> row["evidence"], row["non_finite"]
({'bound': None}, {'evidence/bound': 'inf'})
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from topotheory.jsonout import to_strict_jsonable
from topotheory.theory.decision import DECISIONS

__all__ = ["DECIDERS", "STATUSES", "Verdict"]

#: Allowed verdict statuses: ``proved`` (symbolically) and the three decisions.
STATUSES: tuple[str, ...] = ("proved", *DECISIONS)

#: What decided a verdict (``Verdict.decided_by``): a rule of :mod:`proofs_check.rules`, or
#: ``check`` for a comparison the check wrote itself (``ctx.verdict(...)``).
DECIDERS: tuple[str, ...] = ("forall_search", "forall_exhaustive", "symbolic", "expectation",
                             "interval", "empirical", "check")


@dataclass(frozen=True)
class Verdict:
    """Outcome of checking one claim (one variant).

    Attributes
    ----------
    id, kind, statement, provenance : str
        Copied from the registry.
    status : str
        One of :data:`STATUSES`.
    variant : str or None
        The reading checked (None when the claim has no variants).
    evidence : dict
        Cases tried, seeds, estimates, intervals, exact values, reasons.
    counterexample : dict or None
        The shrunk (or first failing) counterexample of a refuted claim.
    timings : dict
        Seconds taken by named phases and run-dependent effort counters: kept out of
        ``evidence`` and out of :meth:`to_json` (the runner writes them apart).
    source : str
        Whose claim the reading is (``paper``, ``reading``, ``finding``, ``user``).
    decided_by : str
        The rule that decided it (:data:`DECIDERS`), checked against the claim's kind.
    """

    id: str
    kind: str
    status: str
    statement: str
    provenance: str
    variant: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    counterexample: dict[str, Any] | None = None
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    source: str = "user"
    decided_by: str = "check"

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status={self.status!r} must be one of {STATUSES}")
        if self.decided_by not in DECIDERS:
            raise ValueError(f"decided_by={self.decided_by!r} must be one of {DECIDERS}")

    @property
    def key(self) -> str:
        """``id`` or ``id[variant]``: the row key used by ``--expect``."""
        return self.id if self.variant is None else f"{self.id}[{self.variant}]"

    def to_json(self) -> dict[str, Any]:
        """The JSON object of one row of ``{"claims": [...]}`` (strict JSON types)."""
        found: dict[str, str] = {}
        row: dict[str, Any] = {
            "id": self.id,
            "variant": self.variant,
            "kind": self.kind,
            "source": self.source,
            "status": self.status,
            "decided_by": self.decided_by,
            "statement": self.statement,
            "provenance": self.provenance,
            "evidence": to_strict_jsonable(self.evidence, path="evidence", found=found),
            "counterexample": to_strict_jsonable(self.counterexample, path="counterexample",
                                                 found=found),
        }
        if found:
            row["non_finite"] = found
        return row
