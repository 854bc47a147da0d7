"""Check profiles: how hard each claim check searches (views of the one profile registry).

The profiles live in :mod:`topotheory.testing.profiles` with the testing kit's; the claim
checks run ``quick`` and ``deep``.

Examples
--------
>>> get_profile("quick").max_examples
200
"""

from __future__ import annotations

from topotheory.testing.profiles import CHECK_PROFILES, Profile
from topotheory.testing.profiles import PROFILES as _REGISTRY
from topotheory.testing.profiles import get_profile as _get_profile

__all__ = ["PROFILES", "Profile", "get_profile"]

PROFILES: dict[str, Profile] = {name: _REGISTRY[name] for name in CHECK_PROFILES}


def get_profile(profile: str | Profile) -> Profile:
    """Resolve a check profile name (``quick`` or ``deep``).

    Examples
    --------
    >>> get_profile("deep").max_side
    12
    """
    return _get_profile(profile, among=CHECK_PROFILES)
