"""pytest collects README.md and docs/*.md through Sybil: see tests/docs_runner.py.

A page whose shell blocks run commands (subprocesses; some train networks) is slow as a
whole: its blocks share one namespace and working folder, in order, so a command and the
blocks before and after it must run in the same step (CI runs the slow step, ``-m slow``).
Collection also marks the groups of tests that must share a pytest-xdist worker (the blocks
of one page, the tests of one expensive fixture): see tests/scheduling.py.
"""

import pytest

from tests.docs_runner import SYBIL, run_shell, runs_commands
from tests.scheduling import schedule

pytest_collect_file = SYBIL.pytest()


def _page(item) -> str:
    return item.nodeid.split("::", 1)[0]


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups and -m deselects
def pytest_collection_modifyitems(config, items):
    slow_pages = set()
    for item in items:
        region = getattr(getattr(item, "example", None), "region", None)
        if region is not None and region.evaluator is run_shell and runs_commands(region.parsed):
            slow_pages.add(_page(item))
    for item in items:
        if getattr(item, "example", None) is not None and _page(item) in slow_pages:
            item.add_marker(pytest.mark.slow)
    schedule(config, items)
