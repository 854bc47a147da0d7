"""The docs-timings script (benchmarks/docs_timings.py) follows the docs it measures.

Measuring is on demand, never in CI; this checks, without measuring, that every registered
timing still finds its sentence on its page, and runs the script once on its cheapest
timing so the script itself cannot rot.
"""

from __future__ import annotations

import json
import re

import pytest

from benchmarks import docs_timings
from benchmarks.docs_timings import TIMINGS, Timing, stated


@pytest.mark.parametrize("timing", TIMINGS, ids=lambda t: t.id)
def test_every_timing_finds_its_sentence(timing) -> None:
    assert re.fullmatch(r"[\d.]+(?:[–-][\d.]+)?", stated(timing))
    assert bool(timing.python) != bool(timing.command)


def test_ids_are_unique_and_a_lost_sentence_is_named() -> None:
    assert len({t.id for t in TIMINGS}) == len(TIMINGS)
    gone = Timing("gone", "docs/simulate.md", r"no such sentence (\d+) s", "nothing",
                  python="pass")
    with pytest.raises(LookupError, match="docs/simulate.md no longer states it"):
        stated(gone)


def test_the_script_measures_and_writes_its_page(tmp_path, capsys) -> None:
    out = tmp_path / "timings.md"
    assert docs_timings.main(["--only", "exact-overlap-10x10", "--write", str(out)]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["id"] == "exact-overlap-10x10" and row["stated"] == "0.002"
    assert row["wall"] > 0 and row["cpu"] > 0
    text = out.read_text(encoding="utf-8")
    assert "`python -m benchmarks.docs_timings --only exact-overlap-10x10 --write" in text
    assert "| `exact-overlap-10x10` | [docs/simulate.md](simulate.md) | 0.002 s |" in text
