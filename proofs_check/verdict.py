"""The :class:`Verdict` of one claim (one variant) and its JSON form."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

__all__ = ["STATUSES", "Verdict", "jsonable"]

#: Allowed verdict statuses.
STATUSES: tuple[str, ...] = ("proved", "confirmed", "refuted", "inconclusive")


def jsonable(value: Any) -> Any:
    """Convert evidence to plain JSON types (exact rationals become strings).

    Examples
    --------
    >>> jsonable({"x": Fraction(1, 3), "y": (1, 2.5)})
    {'x': '1/3', 'y': [1, 2.5]}
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Fraction):
        return str(value)
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return jsonable(value.tolist())
    if hasattr(value, "is_Rational") and value.is_Rational:  # sympy
        return str(value)
    return str(value)


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
        Cases tried, seeds, estimates, intervals, exact values, time taken, reasons.
    counterexample : dict or None
        The shrunk counterexample of a refuted claim.
    timings : dict
        Seconds taken by named phases: run-dependent, so kept out of ``evidence`` and out
        of :meth:`to_json` (the runner writes them to the JSON's separate ``timings``).
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

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status={self.status!r} must be one of {STATUSES}")

    @property
    def key(self) -> str:
        """``id`` or ``id[variant]``: the row key used by ``--expect``."""
        return self.id if self.variant is None else f"{self.id}[{self.variant}]"

    def to_json(self) -> dict[str, Any]:
        """The JSON object of one row of ``{"claims": [...]}``."""
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "statement": self.statement,
            "provenance": self.provenance,
            "variant": self.variant,
            "evidence": jsonable(self.evidence),
            "counterexample": jsonable(self.counterexample),
        }
