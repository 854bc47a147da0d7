"""Check profiles: how hard each check searches."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PROFILES", "Profile", "get_profile"]


@dataclass(frozen=True)
class Profile:
    """Search effort of one run.

    Attributes
    ----------
    name : str
    max_examples : int
        Hypothesis examples per ``forall`` search.
    max_side : int
        Largest layer side drawn by the dense strategies.
    exact_max_side : int
        Largest square side for exact expectations.
    mc_trials : int
        Monte Carlo trials per shape for ``expectation`` claims.
    grid_max : int
        Largest axis length in the conv domain probe grid.
    """

    name: str
    max_examples: int
    max_side: int
    exact_max_side: int
    mc_trials: int
    grid_max: int


PROFILES: dict[str, Profile] = {
    "quick": Profile("quick", max_examples=200, max_side=6, exact_max_side=5, mc_trials=2000, grid_max=9),
    "deep": Profile("deep", max_examples=2000, max_side=12, exact_max_side=8, mc_trials=50000, grid_max=16),
}


def get_profile(profile: str | Profile) -> Profile:
    """Resolve a profile name.

    Examples
    --------
    >>> get_profile("quick").max_examples
    200
    """
    if isinstance(profile, Profile):
        return profile
    if profile not in PROFILES:
        raise ValueError(f"profile={profile!r}: choose one of {sorted(PROFILES)}")
    return PROFILES[profile]
