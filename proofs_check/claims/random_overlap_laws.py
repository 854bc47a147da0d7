"""random-overlap-laws: proved symbolically by sympy (see topotheory.theory.proofs)."""

from __future__ import annotations

from proofs_check.claims._symbolic import symbolic_check
from proofs_check.profiles import Profile
from proofs_check.verdict import Verdict

ID = "random-overlap-laws"


def check(profile: str | Profile = "quick", seed: int = 0, variant: str | None = None) -> Verdict:
    return symbolic_check(ID)
