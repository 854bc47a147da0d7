"""topotheory's hypothesis settings profiles: ``dev``, ``ci`` and ``deep``.

Profiles
--------
``dev``
    Quick local iteration: 50 examples, randomised, no deadline (numba compiles on first call).
``ci``
    What CI runs: derandomized (the same examples on every run), no deadline,
    100 examples, no example database (a clean clone has none).
``deep``
    A long search: 2,000 examples, no deadline, randomised.

Nothing here runs on import and nothing is registered behind anyone's back:
:func:`profile_settings` builds a profile's settings object without registering it (what
``check_implementation(profile=...)`` uses), the pytest plugin registers and loads one only
when ``--topotheory-profile`` asks for it (under the name ``topotheory-<name>``, so a
project's own ``ci`` profile is never replaced), and a project that wants these profiles under
their plain names for its own tests calls :func:`register_profiles` or :func:`load_profile`
from its ``conftest.py`` (topotheory's own test suite does).

Examples
--------
>>> profile_settings("ci").derandomize
True
>>> PROFILE_NAMES
('dev', 'ci', 'deep')
"""

from __future__ import annotations

import os
from typing import Any

PROFILE_NAMES: tuple[str, ...] = ("dev", "ci", "deep")


def _profile_options(name: str) -> dict[str, Any]:
    from hypothesis import HealthCheck

    # differing_executors: shared test-contract classes (networkx style) run the same
    # stateless @given method from several subclasses, which is intended here.
    slow_ok = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.differing_executors]
    # No deadline: the first call of a numba kernel compiles it (seconds), which is not slowness.
    common: dict[str, Any] = dict(deadline=None, suppress_health_check=slow_ok)
    return {
        "dev": dict(common, max_examples=50),
        "ci": dict(common, max_examples=100, derandomize=True, database=None, print_blob=True),
        "deep": dict(common, max_examples=2000),
    }[name]


def _check_name(name: str) -> None:
    if name not in PROFILE_NAMES:
        raise ValueError(
            f"profile={name!r} is not a topotheory hypothesis profile; choose one of {PROFILE_NAMES}"
        )


def profile_settings(name: str) -> Any:
    """The settings of topotheory's profile ``name``, without registering anything.

    Parameters
    ----------
    name : {"dev", "ci", "deep"}

    Returns
    -------
    hypothesis.settings

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`PROFILE_NAMES`.

    Examples
    --------
    >>> profile_settings("deep").max_examples
    2000
    """
    from hypothesis import settings

    _check_name(name)
    return settings(settings.get_profile("default"), **_profile_options(name))


def register_profiles(*, prefix: str = "") -> None:
    """Register the three profiles as ``prefix + name`` (idempotent).

    Parameters
    ----------
    prefix : str
        ``""`` registers ``dev``/``ci``/``deep`` (for a project that adopts them for its own
        tests); the pytest plugin uses ``"topotheory-"``.

    Examples
    --------
    >>> register_profiles(prefix="topotheory-")
    >>> from hypothesis import settings
    >>> settings.get_profile("topotheory-ci").derandomize
    True
    """
    from hypothesis import settings

    for name in PROFILE_NAMES:
        settings.register_profile(prefix + name, profile_settings(name))


def load_profile(name: str | None = None, *, prefix: str = "") -> str:
    """Register the profiles and load ``name`` (default: ``$HYPOTHESIS_PROFILE`` or ``dev``).

    For a project's own ``conftest.py`` (topotheory's test suite calls it there).

    Parameters
    ----------
    name : str, optional
        One of :data:`PROFILE_NAMES`.
    prefix : str
        As for :func:`register_profiles`.

    Returns
    -------
    str
        The name of the loaded profile (without the prefix).

    Raises
    ------
    ValueError
        If ``name`` is not a known profile.

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
    _check_name(chosen)
    register_profiles(prefix=prefix)
    settings.load_profile(prefix + chosen)
    return chosen
