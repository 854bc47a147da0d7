"""One column spec from dataclass field metadata: terminal lines and a data table agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter

import pytest

from topotheory.render.columns import Column, ColumnSpec, column, number_text
from topotheory.render.markdown import render_table_md


@dataclass(frozen=True)
class Interval:
    mean: float
    bounds: tuple[float, float]


@dataclass(frozen=True)
class Row:
    name: str = field(metadata=column("layer", header="layer", width=8, align="<"))
    hidden: int
    count: int = field(metadata=column(header="n", width=4))
    shape: str = field(metadata=column())  # data only: no terminal cell
    null: Interval | None = field(metadata=column(
        "null_mean", "null_low", "null_high",
        parts=(attrgetter("mean"), lambda v: v.bounds[0], lambda v: v.bounds[1]),
        header="null", width=6, digits=2))


ROWS = [Row("first", 0, 3, "2->3", Interval(0.5, (0.25, 0.75))),
        Row("a-much-longer-name", 1, 12, "4->5", None)]
SPEC = ColumnSpec.of(Row)


def test_the_spec_follows_field_order_and_metadata() -> None:
    assert [name for name, _ in SPEC.fields] == ["name", "count", "shape", "null"]
    assert SPEC.data_columns == ("layer", "count", "shape", "null_mean", "null_low", "null_high")
    assert SPEC.data_row(ROWS[0]) == ("first", 3, "2->3", 0.5, 0.25, 0.75)
    assert SPEC.data_row(ROWS[1])[-3:] == (None, None, None)  # a None record: every part None


def test_terminal_lines_cut_align_and_mark_undefined() -> None:
    header, rule, first, second = SPEC.text_lines(ROWS)
    assert header == "layer       n   null"
    assert rule == "-" * len(header)
    assert first == "first       3   0.50"
    assert second == "a-much-~   12      -"  # cut to the width, ends with ~


def test_the_data_table_is_what_markdown_shows() -> None:
    table = SPEC.table("rows", ROWS, caption="demo")
    assert table.columns == SPEC.data_columns and len(table.rows) == 2
    lines = render_table_md(table)
    assert lines[2] == "| layer | count | shape | null mean | null low | null high |"
    assert lines[4].startswith("| first | 3 | 2->3 | 0.5 | 0.25 | 0.75 |")


def test_bad_specs_are_refused_with_the_fix() -> None:
    with pytest.raises(ValueError, match="one part per column"):
        Column(data=("a", "b"), parts=(attrgetter("x"),))
    with pytest.raises(ValueError, match="both header= and width="):
        Column(header="x")
    with pytest.raises(ValueError, match="align="):
        Column(header="x", width=3, align="^")
    with pytest.raises(TypeError, match="must be a dataclass"):
        ColumnSpec.of(int)


def test_number_text() -> None:
    assert [number_text(v, 2) for v in (None, float("nan"), -float("inf"), 1.005, 4, "x")] == [
        "-", "-", "-", "1.00", "4", "x"]
