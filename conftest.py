"""pytest collects README.md and docs/*.md through Sybil: see tests/docs_runner.py."""

from tests.docs_runner import SYBIL, run_shell

pytest_collect_file = SYBIL.pytest()


def pytest_collection_modifyitems(items):
    """Commands of the pages are slow (subprocesses, some train networks): marked so."""
    import pytest

    for item in items:
        region = getattr(getattr(item, "example", None), "region", None)
        if region is not None and region.evaluator is run_shell:
            item.add_marker(pytest.mark.slow)
