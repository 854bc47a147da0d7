"""The one registry of search profiles: hypothesis settings and search effort per name.

Profiles
--------
``dev``
    Quick local iteration: 50 examples, randomised, no deadline (numba compiles on first call).
``ci``
    What CI runs: derandomized (the same examples on every run), no deadline,
    100 examples, no example database (a clean clone has none).
``quick``
    The claim checks' default (``python -m proofs_check``): 200 examples per ``forall``
    search, layers up to 6 per side, 2,000 Monte Carlo trials.
``deep``
    A long search: 2,000 examples, no deadline, randomised; for the claim checks also
    layers up to 12 per side and 50,000 Monte Carlo trials.

:data:`HYPOTHESIS_PROFILES` (``dev``, ``ci``, ``deep``) are the names the testing kit and its
pytest plugin load; :data:`CHECK_PROFILES` (``quick``, ``deep``) the ones ``proofs_check``
runs. Nothing here runs on import and nothing is registered behind anyone's back:
:func:`profile_settings` builds a profile's settings without registering it, the pytest
plugin registers and loads one only when ``--topotheory-profile`` asks for it (under the name
``topotheory-<name>``, so a project's own ``ci`` profile is never replaced), and a project
that wants these profiles under their plain names calls :func:`register_profiles` or
:func:`load_profile` from its ``conftest.py`` (topotheory's own test suite does).

Examples
--------
>>> profile_settings("ci").derandomize
True
>>> PROFILE_NAMES
('dev', 'ci', 'deep')
>>> get_profile("quick").max_side
6
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CHECK_PROFILES",
    "HYPOTHESIS_PROFILES",
    "PROFILES",
    "PROFILE_NAMES",
    "Profile",
    "get_profile",
    "load_profile",
    "profile_settings",
    "register_profiles",
]


@dataclass(frozen=True)
class Profile:
    """Search effort of one run.

    Attributes
    ----------
    name : str
    max_examples : int
        Hypothesis examples per search (per property, per ``forall`` claim).
    derandomize : bool
        The same examples on every run (no example database either).
    max_side : int
        Largest layer side drawn by the claim checks' dense strategies.
    exact_max_side : int
        Largest square side for exact expectations.
    mc_trials : int
        Monte Carlo trials per shape for ``expectation`` claims.
    grid_max : int
        Largest axis length in the conv domain probe grid.
    """

    name: str
    max_examples: int
    derandomize: bool = False
    max_side: int = 6
    exact_max_side: int = 5
    mc_trials: int = 2000
    grid_max: int = 9


PROFILES: dict[str, Profile] = {
    "dev": Profile("dev", max_examples=50),
    "ci": Profile("ci", max_examples=100, derandomize=True),
    "quick": Profile("quick", max_examples=200),
    "deep": Profile(
        "deep", max_examples=2000, max_side=12, exact_max_side=8, mc_trials=50000, grid_max=16
    ),
}
HYPOTHESIS_PROFILES: tuple[str, ...] = ("dev", "ci", "deep")
CHECK_PROFILES: tuple[str, ...] = ("quick", "deep")
PROFILE_NAMES = HYPOTHESIS_PROFILES


def get_profile(profile: str | Profile, *, among: tuple[str, ...] = tuple(PROFILES)) -> Profile:
    """Resolve a profile name (a :class:`Profile` is returned unchanged).

    Examples
    --------
    >>> get_profile("deep").mc_trials
    50000
    """
    if isinstance(profile, Profile):
        return profile
    if profile not in among:
        raise ValueError(f"profile={profile!r}: choose one of {among}")
    return PROFILES[profile]


def profile_settings(name: str) -> Any:
    """The hypothesis settings of profile ``name``, without registering anything.

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`HYPOTHESIS_PROFILES`.

    Examples
    --------
    >>> profile_settings("deep").max_examples
    2000
    """
    from hypothesis import HealthCheck, settings

    profile = get_profile(name, among=HYPOTHESIS_PROFILES)
    # differing_executors: shared test-contract classes (networkx style) run the same
    # stateless @given method from several subclasses, which is intended here.
    # No deadline: the first call of a numba kernel compiles it (seconds), which is not slowness.
    options: dict[str, Any] = dict(
        deadline=None,
        max_examples=profile.max_examples,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.differing_executors,
        ],
    )
    if profile.derandomize:
        options.update(derandomize=True, database=None, print_blob=True)
    return settings(settings.get_profile("default"), **options)


def register_profiles(*, prefix: str = "") -> None:
    """Register the hypothesis profiles as ``prefix + name`` (idempotent).

    Examples
    --------
    >>> register_profiles(prefix="topotheory-")
    >>> from hypothesis import settings
    >>> settings.get_profile("topotheory-ci").derandomize
    True
    """
    from hypothesis import settings

    for name in HYPOTHESIS_PROFILES:
        settings.register_profile(prefix + name, profile_settings(name))


def load_profile(name: str | None = None, *, prefix: str = "") -> str:
    """Register the profiles and load ``name`` (default: ``$HYPOTHESIS_PROFILE`` or ``dev``).

    For a project's own ``conftest.py`` (topotheory's test suite calls it there); an unknown
    ``name`` is a ``ValueError`` as for :func:`profile_settings`.

    Examples
    --------
    >>> from hypothesis import settings
    >>> previous = settings.get_current_profile_name()
    >>> load_profile("ci", prefix="doc-")
    'ci'
    >>> settings.load_profile(previous)
    """
    from hypothesis import settings

    chosen = name or os.environ.get("HYPOTHESIS_PROFILE") or "dev"
    get_profile(chosen, among=HYPOTHESIS_PROFILES)
    register_profiles(prefix=prefix)
    settings.load_profile(prefix + chosen)
    return chosen
