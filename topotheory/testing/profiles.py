"""Hypothesis settings profiles shared by topotheory's own tests and its users' tests.

Profiles
--------
``dev``
    Quick local iteration: 50 examples, randomised, no deadline (numba compiles on first call).
``ci``
    What CI runs: derandomized (the same examples on every run), no deadline,
    100 examples, no example database (a clean clone has none).
``deep``
    A long search: 2,000 examples, no deadline, randomised.

The profile is chosen by ``--topotheory-profile`` (pytest plugin) or the
``HYPOTHESIS_PROFILE`` environment variable, defaulting to ``dev``.

Examples
--------
>>> from topotheory.testing.profiles import register_profiles, PROFILE_NAMES
>>> register_profiles()
>>> PROFILE_NAMES
('dev', 'ci', 'deep')
"""

from __future__ import annotations

import os

PROFILE_NAMES: tuple[str, ...] = ("dev", "ci", "deep")
_registered = False


def register_profiles() -> None:
    """Register the ``dev``, ``ci`` and ``deep`` hypothesis profiles (idempotent).

    Examples
    --------
    >>> register_profiles()
    >>> from hypothesis import settings
    >>> settings.get_profile("ci").derandomize
    True
    """
    global _registered
    if _registered:
        return
    from hypothesis import HealthCheck, settings

    # differing_executors: shared test-contract classes (networkx style) run the same
    # stateless @given method from several subclasses, which is intended here.
    slow_ok = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.differing_executors]
    # No deadline: the first call of a numba kernel compiles it (seconds), which is not slowness.
    settings.register_profile("dev", max_examples=50, deadline=None, suppress_health_check=slow_ok)
    settings.register_profile(
        "ci",
        max_examples=100,
        derandomize=True,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=slow_ok,
    )
    settings.register_profile(
        "deep", max_examples=2000, deadline=None, suppress_health_check=slow_ok
    )
    _registered = True


def load_profile(name: str | None = None) -> str:
    """Register the profiles and load ``name`` (default: ``$HYPOTHESIS_PROFILE`` or ``dev``).

    Parameters
    ----------
    name : str, optional
        One of :data:`PROFILE_NAMES`.

    Returns
    -------
    str
        The name of the loaded profile.

    Raises
    ------
    ValueError
        If ``name`` is not a known profile.

    Examples
    --------
    >>> load_profile("ci")
    'ci'
    """
    register_profiles()
    from hypothesis import settings

    chosen = name or os.environ.get("HYPOTHESIS_PROFILE") or "dev"
    if chosen not in PROFILE_NAMES:
        raise ValueError(
            f"profile={chosen!r} is not a topotheory hypothesis profile; "
            f"choose one of {PROFILE_NAMES}"
        )
    settings.load_profile(chosen)
    return chosen
