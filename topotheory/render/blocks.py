"""The document model: sections made of text blocks, tables and figure specs.

A section builder returns a :class:`Section`.  Its tables are the data behind every
figure and are written beside the figures as CSV; ``data`` (any JSON-able dict) is written
as JSON.  Figures are *specs*: a function that draws from data already computed, so the
data-only path never imports matplotlib.  A section that needs a missing optional extra
(torch, matplotlib) shows an explicit block naming the extra to install — never made-up
numbers.

Examples
--------
>>> t = Table("demo", ("x", "y"), ((1, 2.5),))
>>> t.column("y")
[2.5]
>>> Section("demo", "Demo", blocks=(Paragraph("hello"),)).status
'ok'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "column_label",
    "Bullets",
    "Code",
    "FigureSpec",
    "Heading",
    "Missing",
    "Paragraph",
    "Section",
    "Table",
    "Block",
]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of inline markdown (``code``, **bold**, [links](#anchor))."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A bullet list of inline-markdown items."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Heading:
    """A sub-heading with an HTML anchor (e.g. one per claim, ``claim-<id>``)."""

    text: str
    anchor: str


@dataclass(frozen=True)
class Code:
    """A preformatted block (shown verbatim)."""

    text: str


@dataclass(frozen=True)
class Missing:
    """An explicit "not available yet" block: what is missing and why."""

    what: str
    reason: str


_WORDS = {
    "np": "NP",
    "mc": "MC",
    "ci": "CI",
    "iid": "iid",
    "tccr": "TCCR",
    "imp": "IMP",
    "timp": "T-IMP",
    "msf": "MSF",
    "mst": "MST",
    "topk": "top-k",
    "thm": "Thm",
    "log10": "log10",
}
_PHRASES = (
    (re.compile(r"(^|_)nm_i_1($|_)"), r"\1nm-i+1\2"),
    (re.compile(r"(^|_)thm_(\d+)[._](\d+)($|_)"), r"\1thm \2.\3\4"),
    (re.compile(r"(\d+)pct($|_)"), r"\1%\2"),
)


def column_label(name: str) -> str:
    """How a data column's name is shown as a table header (the CSV keeps the name).

    Underscores become spaces and known abbreviations are spelled out, so that variant
    names and units survive (``bound_nm_i_1`` -> ``bound nm-i+1``, ``5pct`` -> ``5%``).

    Examples
    --------
    >>> column_label("bound_nm_i_1"), column_label("log10_p_at_least_5pct")
    ('bound nm-i+1', 'log10 p at least 5%')
    >>> column_label("bound_thm_3.3"), column_label("mc_ci_low"), column_label("np_p2")
    ('bound Thm 3.3', 'MC CI low', 'NP p2')
    """
    text = name
    for pattern, repl in _PHRASES:
        text = pattern.sub(repl, text)
    return " ".join(_WORDS.get(w, w) for w in text.replace("_", " ").split(" "))


@dataclass(frozen=True)
class Table:
    """Rows of data, written to ``data/<name>.csv`` and (unless ``show=False``) shown.

    Parameters
    ----------
    name : str
        File stem; unique within the report.
    columns : tuple of str
        Column names.
    rows : tuple of tuples
        Values: ``str``, ``int``, ``float``, ``bool`` or ``None``.
    caption : str
        Shown above the table.
    highlight : str or None
        Name of a boolean column; rows where it is true are highlighted.
    show : bool
        Whether the table is rendered in the report (it is always written as data).
    max_rows : int
        At most this many rows are rendered (all are written).
    formats : dict
        Column -> format spec used when rendering (e.g. ``".4f"``); data keep full precision.
    links : dict
        Column -> anchor prefix: a cell ``v`` of that column links to ``#<prefix><v>``.
    data_file : bool
        Whether the table is data (written to ``data/``); ``False`` for display-only tables.
    data_link : str or None
        For a display-only view of a wider data table: the name of the CSV to link to.
    view : tuple of str or None
        The columns rendered in the report (default: all); the data file keeps all.
    headers : dict
        Column -> header shown in the report (default: :func:`column_label`).
    """

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    caption: str = ""
    highlight: str | None = None
    show: bool = True
    max_rows: int = 60
    formats: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    data_file: bool = True
    data_link: str | None = None
    view: tuple[str, ...] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def header(self, column: str) -> str:
        """The header shown for ``column`` (the data file keeps the column name)."""
        return self.headers.get(column) or column_label(column)

    @property
    def csv_link(self) -> str | None:
        """The CSV file (under ``data/``) the rendered table links to, if any."""
        return (
            f"{self.name}.csv"
            if self.data_file
            else (f"{self.data_link}.csv" if self.data_link else None)
        )

    def __post_init__(self) -> None:
        width = len(self.columns)
        for i, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(
                    f"table {self.name!r}: row {i} has {len(row)} values for {width} columns"
                )
        unknown = [c for c in self.view or () if c not in self.columns]
        if unknown:
            raise ValueError(f"table {self.name!r}: view columns {unknown} are not columns")
        if self.highlight is not None and self.highlight not in self.columns:
            raise ValueError(f"table {self.name!r}: highlight column {self.highlight!r} missing")

    def shown(self) -> tuple[tuple[str, ...], list[tuple[Any, ...]], list[bool]]:
        """Rendered columns, rendered rows (at most ``max_rows``) and their highlight flags."""
        columns = self.view or self.columns
        index = [self.columns.index(c) for c in columns]
        hl = self.columns.index(self.highlight) if self.highlight else None
        rows = self.rows[: self.max_rows]
        return (
            columns,
            [tuple(r[i] for i in index) for r in rows],
            [bool(hl is not None and r[hl]) for r in rows],
        )

    def column(self, name: str) -> list[Any]:
        """The values of one column, in row order."""
        j = self.columns.index(name)
        return [row[j] for row in self.rows]

    def records(self) -> Iterator[dict[str, Any]]:
        """Rows as dicts."""
        for row in self.rows:
            yield dict(zip(self.columns, row, strict=True))

    @classmethod
    def from_records(
        cls, name: str, records: Iterable[dict[str, Any]], columns: Sequence[str], **kw: Any
    ) -> Table:
        """Build a table from dicts, taking ``columns`` in order (missing keys -> None)."""
        rows = tuple(tuple(r.get(c) for c in columns) for r in records)
        return cls(name, tuple(columns), rows, **kw)


@dataclass(frozen=True)
class FigureSpec:
    """A figure drawn from computed data: ``draw(fig)`` fills a matplotlib Figure.

    ``size`` is (width, height) in inches; rendered at 100 dpi to ``figures/<name>.png``.
    """

    name: str
    caption: str
    draw: Callable[[Any], None]
    size: tuple[float, float] = (7.0, 4.0)


Block = Paragraph | Bullets | Heading | Code | Missing | Table | FigureSpec


@dataclass(frozen=True)
class Section:
    """One section of the report.

    ``blocks`` are rendered in order; every :class:`Table` block is also written as data,
    and ``extra_tables`` are written as data without being shown.  ``data`` is written to
    ``data/<id>.json`` when not empty.  ``sources`` names the functions the numbers come
    from; ``missing`` lists what could not be computed yet (with the reason).
    """

    id: str
    title: str
    blocks: tuple[Block, ...] = ()
    extra_tables: tuple[Table, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    seeds: tuple[int, ...] = ()

    @property
    def missing(self) -> tuple[Missing, ...]:
        """The "not available yet" blocks of this section."""
        return tuple(b for b in self.blocks if isinstance(b, Missing))

    @property
    def status(self) -> str:
        """``ok``, ``partial`` (some blocks missing) or ``unavailable`` (nothing computed)."""
        missing = self.missing
        if not missing:
            return "ok"
        computed = [b for b in self.blocks if isinstance(b, (Table, FigureSpec))]
        return "partial" if computed else "unavailable"

    @property
    def tables(self) -> tuple[Table, ...]:
        """Every table of the section (shown ones first)."""
        return tuple(b for b in self.blocks if isinstance(b, Table)) + self.extra_tables

    @property
    def figures(self) -> tuple[FigureSpec, ...]:
        """Every figure spec of the section."""
        return tuple(b for b in self.blocks if isinstance(b, FigureSpec))
