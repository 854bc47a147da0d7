"""Hypothesis-driven counterexample search used by the ``forall`` checks."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["SearchOutcome", "find_counterexample"]


@dataclass(frozen=True)
class SearchOutcome:
    """Result of one search: ``counterexample`` is the shrunk one, or None."""

    evaluations: int
    counterexample: Any
    seconds: float

    @property
    def found(self) -> bool:
        return self.counterexample is not None


def find_counterexample(
    strategy: Any,
    holds: Callable[[Any], bool],
    *,
    max_examples: int,
    seed: int,
) -> SearchOutcome:
    """Search ``strategy`` for an input where ``holds`` is False; shrink it.

    Uses :func:`hypothesis.find` (no example database, seeded ``random``), so the same
    seed gives the same search. Exceptions raised by ``holds`` propagate (a crash is not
    a refutation).

    Examples
    --------
    >>> from hypothesis import strategies as st
    >>> find_counterexample(st.integers(0, 100), lambda x: x < 10, max_examples=200, seed=0).counterexample
    10
    """
    from hypothesis import HealthCheck, find, settings
    from hypothesis.errors import NoSuchExample

    count = 0

    def is_counterexample(example: Any) -> bool:
        nonlocal count
        count += 1
        return not holds(example)

    start = time.perf_counter()
    config = settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    try:
        found = find(strategy, is_counterexample, settings=config, random=random.Random(seed))
    except NoSuchExample:
        return SearchOutcome(count, None, time.perf_counter() - start)
    return SearchOutcome(count, found, time.perf_counter() - start)
