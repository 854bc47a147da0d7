"""pytest plugin of topotheory (registered through the ``pytest11`` entry point).

Import-light: importing this module imports neither numpy nor torch; everything heavy is
imported inside the hooks and fixtures, on first use.

Options
-------
``--topotheory-profile {dev,ci,deep}``
    The hypothesis profile to load (default: ``$HYPOTHESIS_PROFILE`` or ``dev``); it also
    sets how many examples ``topotheory_check`` runs per property.

Fixtures
--------
``topotheory_oracle``
    A :class:`~topotheory.testing.oracles.Oracle`: the reference functions
    (``forest``, ``diagram``, ``neural_persistence``, ``topk_overlap``, ...) and the
    ``assert_same_*`` / ``assert_preserves_topology`` oracles.
``topotheory_check``
    :func:`~topotheory.testing.check.check_implementation` under the chosen profile; call
    ``topotheory_check(kind, fn, ...)`` and then ``.raise_if_failed()`` on the report.
``topotheory_strategies``
    The :mod:`~topotheory.testing.strategies` module (``weight_matrices``, ``layer_stacks``,
    ``masks``, ``conv_geometries``).
"""

from __future__ import annotations

from typing import Any

import pytest


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

    config._topotheory_profile = load_profile(config.getoption("--topotheory-profile"))


def pytest_report_header(config: Any) -> str:
    return f"topotheory: hypothesis profile {getattr(config, '_topotheory_profile', None)!r}"


@pytest.fixture
def topotheory_oracle() -> Any:
    """topotheory's reference functions and ``assert_*`` oracles."""
    from topotheory.testing.oracles import Oracle

    return Oracle()


@pytest.fixture
def topotheory_check(request: Any) -> Any:
    """``check_implementation`` bound to the profile chosen with ``--topotheory-profile``."""
    import functools

    from topotheory.testing.check import check_implementation

    profile = getattr(request.config, "_topotheory_profile", None)
    return functools.partial(check_implementation, profile=profile)


@pytest.fixture
def topotheory_strategies() -> Any:
    """The hypothesis strategies module of topotheory."""
    from topotheory.testing import strategies

    return strategies
