"""pytest collects README.md and docs/*.md through Sybil: see tests/docs_runner.py.

Collection also marks the groups of tests that must share a pytest-xdist worker (the blocks
of one page, the tests of one expensive fixture): see tests/scheduling.py.
"""

import pytest

from tests.docs_runner import SYBIL, run_shell
from tests.scheduling import schedule

pytest_collect_file = SYBIL.pytest()


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups from the marks
def pytest_collection_modifyitems(config, items):
    """Commands of the pages are slow (subprocesses, some train networks): marked so."""
    for item in items:
        region = getattr(getattr(item, "example", None), "region", None)
        if region is not None and region.evaluator is run_shell:
            item.add_marker(pytest.mark.slow)
    schedule(config, items)
