"""pytest plugin of topotheory (registered through the ``pytest11`` entry point).

It does nothing unless asked: without ``--topotheory-profile`` it registers and loads no
hypothesis profile, prints no header and leaves every hypothesis setting (and
``$HYPOTHESIS_PROFILE``, whatever its value) to the project. The fixtures exist in every
run but only act when a test requests them. Import-light: importing this module imports
neither numpy nor torch.

Options
-------
``--topotheory-profile {dev,ci,deep}``
    Register topotheory's profile as ``topotheory-<name>``, load it for the session and use
    it for ``topotheory_check``.

Precedence: hypothesis's own ``--hypothesis-profile`` always governs the session (your own
``@given`` tests); when both options are given the plugin loads nothing, warns, and uses
topotheory's profile for ``topotheory_check`` only. The plugin never changes a hypothesis
setting it was not asked to.

Fixtures
--------
``topotheory_oracle``
    A :class:`~topotheory.testing.oracles.Oracle`: the reference functions
    (``forest``, ``diagram``, ``neural_persistence``, ``topk_overlap``, ...) and the
    ``assert_same_*`` / ``assert_preserves_topology`` oracles.
``topotheory_check``
    :func:`~topotheory.testing.check.check_implementation` (under the chosen profile, if
    any): ``topotheory_check(kind, fn, ...)`` fails the test when a property fails
    (``collect=True`` returns the report instead).
``topotheory_strategies``
    The :mod:`~topotheory.testing.strategies` module (``weight_matrices``, ``layer_stacks``,
    ``masks``, ``conv_geometries``, ``recurrent_weights``).
"""

from __future__ import annotations

from typing import Any

import pytest

_OPTION = "--topotheory-profile"


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("topotheory")
    group.addoption(
        _OPTION,
        action="store",
        default=None,
        choices=("dev", "ci", "deep"),
        help="load topotheory's hypothesis profile (registered as topotheory-<name>) for this "
        "session and for topotheory_check; without it the plugin changes no setting; "
        "--hypothesis-profile, when also given, governs the session",
    )


def pytest_configure(config: Any) -> None:
    name = config.getoption(_OPTION)
    config._topotheory_profile = name
    if name is None:
        return
    theirs = config.getoption("hypothesis_profile", default=None)
    if theirs is not None:
        config.issue_config_time_warning(
            pytest.PytestConfigWarning(
                f"both --topotheory-profile={name} and --hypothesis-profile={theirs} given: "
                f"hypothesis's profile {theirs!r} governs the session (your @given tests); "
                f"topotheory's {name!r} is used for topotheory_check only"
            ),
            stacklevel=2,
        )
        return
    from topotheory.testing.profiles import load_profile

    load_profile(name, prefix="topotheory-")


def pytest_report_header(config: Any) -> str | None:
    name = getattr(config, "_topotheory_profile", None)
    if name is None:
        return None
    if config.getoption("hypothesis_profile", default=None) is not None:
        return f"topotheory: profile {name!r} for topotheory_check (--hypothesis-profile wins)"
    return f"topotheory: hypothesis profile {name!r}"


@pytest.fixture
def topotheory_oracle() -> Any:
    """topotheory's reference functions and ``assert_*`` oracles."""
    from topotheory.testing.oracles import Oracle

    return Oracle()


@pytest.fixture
def topotheory_check(request: Any) -> Any:
    """``check_implementation``, under the profile chosen with ``--topotheory-profile``."""
    import functools

    from topotheory.testing.check import check_implementation

    profile = getattr(request.config, "_topotheory_profile", None)
    return functools.partial(check_implementation, profile=profile)


@pytest.fixture
def topotheory_strategies() -> Any:
    """The hypothesis strategies module of topotheory."""
    from topotheory.testing import strategies

    return strategies
