"""Hypothesis strategies, oracles and a pytest plugin for testing topology code.

The strategies live in :mod:`topotheory.testing.strategies`; the settings
profiles in :mod:`topotheory.testing.profiles`.
"""

from topotheory.testing.profiles import PROFILE_NAMES, load_profile, register_profiles

__all__ = ["PROFILE_NAMES", "load_profile", "register_profiles"]
