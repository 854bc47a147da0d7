"""The registry of property batteries: one entry per kind of implementation.

Examples
--------
>>> [p.name for p in battery("mst", Options())][:2]
['matches_oracle', 'matches_oracle_on_ties']
>>> [p.name for p in battery("conv_tccr", Options())]
['matches_exact', 'matches_formula_when_connected', 'exact_on_disconnected']
"""

from __future__ import annotations

from collections.abc import Callable

from topotheory.testing._core import Options, Property
from topotheory.testing.properties import DENSE_BATTERIES
from topotheory.testing.structured_properties import STRUCTURED_BATTERIES

BATTERIES: dict[str, Callable[[Options], tuple[Property, ...]]] = {
    **DENSE_BATTERIES,
    **STRUCTURED_BATTERIES,
}
KINDS: tuple[str, ...] = tuple(BATTERIES)
STRUCTURED: tuple[str, ...] = tuple(STRUCTURED_BATTERIES)


def battery(kind: str, opts: Options) -> tuple[Property, ...]:
    """The properties checked for ``kind`` under the conventions ``opts``.

    Raises
    ------
    ValueError
        On an unknown kind.
    """
    if kind not in BATTERIES:
        raise ValueError(f"kind={kind!r}: choose one of {KINDS}")
    return BATTERIES[kind](opts)
