"""The counterexample search of the ``forall`` checks (the testing kit's one runner)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from topotheory.testing.runner import find_failure

__all__ = ["SearchOutcome", "find_counterexample"]


@dataclass(frozen=True)
class SearchOutcome:
    """Result of one search: ``counterexample`` is the shrunk one, or None."""

    evaluations: int
    counterexample: Any

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

    Uses :func:`topotheory.testing.runner.find_failure` (hypothesis ``find``, no example
    database, seeded ``random``), so the same seed gives the same search. Exceptions raised
    by ``holds`` propagate (a crash is not a refutation).

    Examples
    --------
    >>> from hypothesis import strategies as st
    >>> outcome = find_counterexample(st.integers(0, 100), lambda x: x < 10, max_examples=200,
    ...                               seed=0)
    >>> outcome.counterexample
    10
    """
    from hypothesis import HealthCheck, settings

    config = settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    search = find_failure(
        strategy, lambda case: not holds(case), settings=config, random=random.Random(seed)
    )
    return SearchOutcome(search.evaluations, search.counterexample if search.found else None)
