"""One column spec for a record type, read from its dataclass fields' metadata.

A record's fields say how they are shown, next to their type: ``field(metadata=column(...))``
gives the field's data columns (CSV, markdown and HTML tables: one or more, e.g. a nested
interval's mean, low and high) and, optionally, its cell in a fixed-width terminal table
(header, width, alignment, digits). :class:`ColumnSpec` reads them once, in field order,
and renders the records to terminal lines (:meth:`ColumnSpec.text_lines`) and to a
:class:`~topotheory.render.blocks.Table` (:meth:`ColumnSpec.table`) that the markdown and
HTML writers show; fields without metadata are in neither (they stay in the JSON).

Examples
--------
>>> from dataclasses import dataclass, field
>>> @dataclass(frozen=True)
... class Row:
...     name: str = field(metadata=column("layer", header="layer", width=6, align="<"))
...     ratio: float = field(metadata=column(header="r", width=6, digits=2))
...     note: str = ""
>>> spec = ColumnSpec.of(Row)
>>> spec.data_columns
('layer', 'ratio')
>>> print("\\n".join(spec.text_lines([Row("fc1", 1 / 3), Row("a-long-name", float("nan"))])))
layer       r
-------------
fc1      0.33
a-lon~      -
>>> spec.table("rows", [Row("fc1", 0.5)]).rows
(('fc1', 0.5),)
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from topotheory.render.blocks import Table

__all__ = ["Column", "ColumnSpec", "column", "number_text"]

_KEY = "topotheory.column"


def number_text(value: Any, digits: int = 3) -> str:
    """A terminal cell: ``-`` for None/NaN/inf, fixed ``digits`` for floats, else ``str``.

    Examples
    --------
    >>> number_text(None), number_text(0.12345), number_text(7), number_text(float("inf"))
    ('-', '0.123', '7', '-')
    """
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}" if math.isfinite(value) else "-"
    return str(value)


@dataclass(frozen=True)
class Column:
    """How one field is shown.

    Attributes
    ----------
    data : tuple of str
        Names of the field's data columns (default: the field's name).
    parts : tuple of callables
        One per data column: field value -> column value (default: the value itself). A
        field value of None gives None in every part.
    header : str
        Terminal header; empty: not in the terminal table.
    width : int
        Terminal width (a longer cell is cut and ends with ``~``).
    align : str
        ``">"`` (numbers) or ``"<"`` (text).
    digits : int
        Decimals of a float cell in the terminal.
    cell : callable or None
        Field value -> terminal text, for a cell that is not one number (default:
        :func:`number_text` of the first part).
    """

    data: tuple[str, ...] = ()
    parts: tuple[Callable[[Any], Any], ...] = ()
    header: str = ""
    width: int = 0
    align: str = ">"
    digits: int = 3
    cell: Callable[[Any], str] | None = None

    def __post_init__(self) -> None:
        if self.parts and len(self.parts) != len(self.data):
            raise ValueError(f"column {self.data}: {len(self.parts)} parts for "
                             f"{len(self.data)} data columns; give one part per column")
        if bool(self.header) != (self.width > 0):
            raise ValueError(f"column {self.data or self.header!r}: a terminal column needs "
                             "both header= and width= > 0")
        if self.align not in ("<", ">"):
            raise ValueError(f"align={self.align!r}: use '<' (text) or '>' (numbers)")


def column(*data: str, **options: Any) -> dict[str, Column]:
    """Field metadata declaring how the field is shown: ``field(metadata=column(...))``.

    Parameters
    ----------
    *data : str
        Data column names (default: the field's name).
    **options
        The other :class:`Column` attributes (``parts``, ``header``, ``width``, ``align``,
        ``digits``, ``cell``).

    Examples
    --------
    >>> column("weights", header="weights", width=9)["topotheory.column"].data
    ('weights',)
    """
    return {_KEY: Column(data=data, **options)}


@dataclass(frozen=True)
class ColumnSpec:
    """The columns of a record type, in field order: ``(field name, Column)`` pairs."""

    fields: tuple[tuple[str, Column], ...]

    @classmethod
    def of(cls, record_type: type) -> ColumnSpec:
        """Read the spec from a dataclass's field metadata (see :func:`column`)."""
        if not dataclasses.is_dataclass(record_type):
            raise TypeError(f"record_type must be a dataclass, got {record_type!r}")
        found = []
        for f in dataclasses.fields(record_type):
            spec = f.metadata.get(_KEY)
            if spec is not None:
                found.append((f.name, spec if spec.data else
                              dataclasses.replace(spec, data=(f.name,))))
        return cls(tuple(found))

    @property
    def data_columns(self) -> tuple[str, ...]:
        """Every data column name, in order."""
        return tuple(name for _, c in self.fields for name in c.data)

    def data_row(self, record: Any) -> tuple[Any, ...]:
        """The record's data values, in :attr:`data_columns` order."""
        values: list[Any] = []
        for field_name, c in self.fields:
            value = getattr(record, field_name)
            if not c.parts:
                values.append(value)
            else:
                values += [None if value is None else part(value) for part in c.parts]
        return tuple(values)

    def table(self, name: str, records: Iterable[Any], **options: Any) -> Table:
        """The records as a :class:`~topotheory.render.blocks.Table` (CSV, markdown, HTML)."""
        return Table(name, self.data_columns, tuple(self.data_row(r) for r in records),
                     **options)

    def _terminal(self) -> list[tuple[str, Column]]:
        return [(name, c) for name, c in self.fields if c.header]

    def _cells(self, record: Any) -> list[str]:
        cells = []
        for field_name, c in self._terminal():
            value = getattr(record, field_name)
            if c.cell is not None:
                cells.append(c.cell(value))
            else:
                first = value if not c.parts or value is None else c.parts[0](value)
                cells.append(number_text(first, c.digits))
        return cells

    def _line(self, cells: Sequence[str]) -> str:
        out = []
        for text, (_, c) in zip(cells, self._terminal(), strict=True):
            text = text if len(text) <= c.width else text[: c.width - 1] + "~"
            out.append(f"{text:{c.align}{c.width}}")
        return " ".join(out)

    def text_lines(self, records: Iterable[Any]) -> list[str]:
        """A fixed-width terminal table: header, a rule, one line per record."""
        header = self._line([c.header for _, c in self._terminal()])
        return [header, "-" * len(header), *(self._line(self._cells(r)) for r in records)]
