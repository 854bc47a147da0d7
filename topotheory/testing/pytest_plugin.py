"""pytest plugin of topotheory (registered through the ``pytest11`` entry point).

Import-light: importing this module imports neither numpy nor torch; the
hypothesis profiles are registered when pytest configures itself.

Options
-------
``--topotheory-profile {dev,ci,deep}``
    The hypothesis profile to load (default: ``$HYPOTHESIS_PROFILE`` or ``dev``).
"""

from __future__ import annotations

from typing import Any


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("topotheory")
    group.addoption(
        "--topotheory-profile",
        action="store",
        default=None,
        choices=("dev", "ci", "deep"),
        help="hypothesis settings profile for topotheory property tests "
        "(default: $HYPOTHESIS_PROFILE or dev)",
    )


def pytest_configure(config: Any) -> None:
    from topotheory.testing.profiles import load_profile

    load_profile(config.getoption("--topotheory-profile"))


def pytest_report_header(config: Any) -> str:
    from hypothesis import settings

    return f"topotheory: hypothesis profile {settings._current_profile!r}"
