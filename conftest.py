"""pytest collects README.md and docs/*.md through Sybil: see tests/docs_runner.py.

A page whose shell blocks run commands (subprocesses; some train networks) is slow as a
whole: its blocks share one namespace and working folder, in order, so a command and the
blocks before and after it must run in the same step (CI runs the slow step, ``-m slow``).
Collection also marks the groups of tests that must share a pytest-xdist worker (the blocks
of one page, the tests of one expensive fixture): see tests/scheduling.py.
"""

import os
from pathlib import Path

import pytest

from tests.docs_runner import SYBIL, run_shell, runs_commands
from tests.scheduling import schedule

pytest_collect_file = SYBIL.pytest()


def pytest_configure(config):
    """On a pytest-xdist worker, hypothesis keeps its files (the constants it collects from
    the sources, the dev profile's example database) in ``.hypothesis/<worker id>/``: two
    workers writing one cache file at once could read it half-written (its writes are not
    atomic), and the derandomized examples would then differ. ``$HYPOTHESIS_STORAGE_DIRECTORY``
    still wins."""
    worker = getattr(config, "workerinput", {}).get("workerid")
    if worker and not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        from hypothesis import configuration

        configuration.set_hypothesis_home_dir(Path(config.rootpath) / ".hypothesis" / worker)


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
