"""How the suite is spread over pytest-xdist workers (``-n auto``, ``--dist loadgroup``).

Results never depend on this module: it decides only which tests share a worker and in
which order the work reaches the workers.

Groups (``xdist_group`` marks, added at collection, so no test file carries them):

* the blocks of one README/docs page run in one namespace, in order (Sybil): one group per
  page;
* tests that use a module- or class-scoped fixture of this repository (``tests/`` or a
  conftest) share that module's group, and tests that use a session-scoped one share that
  fixture's group, so each expensive fixture is computed once, not once per worker;
* :data:`SHARED_WORK`: files whose tests share work through a module-level memo of the
  library (e.g. the trained claims memoise their trainings per process);
* groups that touch one another (a test in two of them) are merged.

Order: on a worker (``--no-loadscope-reorder`` keeps the collection order of the groups),
the groups named by :data:`HEAVY_FIRST` are moved to the front, longest first, so the
longest pieces of work start at once instead of ending the run on one worker while the
other idles. The order inside a group is never changed. A plain (non-xdist) run keeps
pytest's order.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: Group name -> test files whose tests share a module-level memo of the library.
SHARED_WORK: dict[str, tuple[str, ...]] = {
    # the trained claims (np-grows, imp-overlap-trained, timp-preserves) memoise their
    # trainings per process: the power run reuses the reference run's trainings.
    "trained-claims": (
        "tests/proofs_check/test_reference_verdicts.py",
        "tests/proofs_check/test_twins_power.py",
    ),
}

#: Session fixtures whose tests are slow (marked so at collection, whoever writes a new one),
#: and why.
SLOW_FIXTURES: dict[str, str] = {
    "quick_sections": "builds the quick report's sections: trains its networks (~2 min of "
    "CPU); tests/report/quick_sections.py",
}

#: Node-id prefixes of the longest groups or tests (measured with ``--durations``),
#: longest first: they are sent to the workers first.
HEAVY_FIRST: tuple[str, ...] = (
    "shared:trained-claims",  # slow step: the quick claim run + the power run, ~3 min of CPU
    "fixture:quick_sections",  # slow step: the report's sections + figure checks, ~2.5 min
    "page:docs/pruning.md",  # slow step: four training commands, ~50 s
    "page:docs/claims.md",  # slow step: five claim runs, ~45 s
)


def _nodeid_path(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _own_fixture_keys(item: Any) -> list[str]:
    """Keys of the non-function-scoped fixtures of this repository that ``item`` uses."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    keys = []
    for name in info.names_closure:
        for fixturedef in info.name2fixturedefs.get(name, ()):
            scope = getattr(fixturedef, "scope", "function")
            if scope == "function":
                continue
            try:
                source = Path(inspect.getfile(fixturedef.func)).resolve()
            except (TypeError, OSError):
                continue
            if not (source.is_relative_to(ROOT / "tests") or source == ROOT / "conftest.py"):
                continue
            if scope == "session" or scope == "package":
                keys.append(f"fixture:{name}")
            else:  # module, class
                keys.append(f"module:{_nodeid_path(item.nodeid)}")
    return keys


def _page_key(item: Any) -> str | None:
    """A Sybil item (one block of a page): the page."""
    if getattr(item, "example", None) is None:
        return None
    return f"page:{_nodeid_path(item.nodeid)}"


class _Groups:
    """Union-find over group keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            keep, drop = sorted((ra, rb))
            self.parent[drop] = keep


def group_keys(items: list[Any]) -> dict[str, str]:
    """Node id -> group name, for the items that belong to a group."""
    shared = {path: name for name, paths in SHARED_WORK.items() for path in paths}
    keys_of: dict[str, list[str]] = {}
    groups = _Groups()
    for item in items:
        keys = _own_fixture_keys(item)
        page = _page_key(item)
        if page is not None:
            keys.append(page)
        path = _nodeid_path(item.nodeid)
        if path in shared:
            keys.append(f"shared:{shared[path]}")
        if keys:
            keys_of[item.nodeid] = keys
            for key in keys[1:]:
                groups.union(keys[0], key)
    return {nodeid: groups.find(keys[0]) for nodeid, keys in keys_of.items()}


def check_tables() -> list[str]:
    """Paths named by :data:`SHARED_WORK` that do not exist (a renamed test file)."""
    return [p for paths in SHARED_WORK.values() for p in paths if not (ROOT / p).is_file()]


def schedule(config: Any, items: list[Any]) -> None:
    """Mark the groups and the tests of :data:`SLOW_FIXTURES` (always) and, on an xdist
    worker, move heavy groups to the front."""
    import pytest

    groups = group_keys(items)
    for item in items:
        if any(f in SLOW_FIXTURES for f in getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
        name = groups.get(item.nodeid)
        if name is not None:
            item.add_marker(pytest.mark.xdist_group(name))
    if not hasattr(config, "workerinput"):
        return

    def scope(item: Any) -> str:
        return groups.get(item.nodeid, item.nodeid)

    def rank(item: Any) -> int:
        for i, prefix in enumerate(HEAVY_FIRST):
            if item.nodeid.startswith(prefix) or scope(item) == prefix:
                return i
        return len(HEAVY_FIRST)

    # the rank of a group is the best rank of its items; order inside a group is kept
    best: dict[str, int] = {}
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        s = scope(item)
        best[s] = min(best.get(s, len(HEAVY_FIRST)), rank(item))
        first.setdefault(s, index)
    items.sort(key=lambda item: (best[scope(item)], first[scope(item)]))
