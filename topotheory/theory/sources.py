"""Counts of verdicts per source (whose claim it is), never mixed.

A headline such as "13 refuted" reads as 13 errors of the paper; the suite counts each
source (:data:`topotheory.theory.claim.SOURCE_KINDS`: ``paper``, ``reading``, ``finding``,
``user``) separately, in that order, and each status in the order ``proved``,
``confirmed``, ``refuted``, ``inconclusive``.

Examples
--------
>>> rows = [{"source": "paper", "status": "confirmed"}, {"source": "reading",
...          "status": "refuted"}, {"source": "paper", "status": "refuted"}]
>>> summarize(rows)
{'paper': {'confirmed': 1, 'refuted': 1}, 'reading': {'refuted': 1}}
>>> summary_text(summarize(rows))
'paper: 1 confirmed, 1 refuted; reading: 1 refuted'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from topotheory.theory.claim import SOURCE_KINDS

__all__ = ["STATUS_ORDER", "summarize", "summary_text"]

#: The order statuses are counted in.
STATUS_ORDER: tuple[str, ...] = ("proved", "confirmed", "refuted", "inconclusive")


def _field(row: Any, name: str, default: str) -> str:
    value = row.get(name, default) if isinstance(row, dict) else getattr(row, name, default)
    return str(value)


def summarize(rows: Iterable[Any]) -> dict[str, dict[str, int]]:
    """``{source: {status: count}}`` of verdicts (objects or JSON rows with ``source`` and
    ``status``; a row without a source is the user's)."""
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        by = counts.setdefault(_field(row, "source", "user"), {})
        status = _field(row, "status", "inconclusive")
        by[status] = by.get(status, 0) + 1
    source_rank = {s: i for i, s in enumerate(SOURCE_KINDS)}
    status_rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    return {source: dict(sorted(counts[source].items(),
                                key=lambda kv: status_rank.get(kv[0], len(status_rank))))
            for source in sorted(counts, key=lambda s: source_rank.get(s, len(source_rank)))}


def summary_text(summary: dict[str, dict[str, int]]) -> str:
    """``"paper: 9 confirmed, 3 refuted; reading: ..."``: one clause per source."""
    return "; ".join(f"{source}: " + ", ".join(f"{n} {status}" for status, n in by.items())
                     for source, by in summary.items())
