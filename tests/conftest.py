"""Shared pytest configuration.

The hypothesis profile is loaded here from ``$HYPOTHESIS_PROFILE`` (default ``dev``) so the
suite works without the installed pytest plugin; when the plugin is installed its
``--topotheory-profile`` option takes precedence.
"""

from topotheory.testing.profiles import load_profile

load_profile()
