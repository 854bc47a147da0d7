"""Byte-stable writers for a document's data files (CSV and JSON).

Floats are written with Python's shortest round-trip ``repr``, keys sorted, newlines
``\\n``: the same numbers always give the same bytes.

Examples
--------
>>> csv_cell(0.1), csv_cell(True), csv_cell(None), csv_cell(3)
('0.1', 'true', '', '3')
>>> to_jsonable({"b": (1, 2.5), "a": None})
{'b': [1, 2.5], 'a': None}
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

from topotheory.jsonout import dumps_strict, to_strict_jsonable
from topotheory.render.blocks import Table

__all__ = ["csv_cell", "dumps_json", "table_to_csv", "to_jsonable", "write_text"]


def csv_cell(value: Any) -> str:
    """Format one CSV value deterministically."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else repr(value)
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return csv_cell(value.item())  # numpy scalar
    return str(value)


def table_to_csv(table: Table) -> str:
    """The table as CSV text (header row first)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([csv_cell(v) for v in row])
    return buf.getvalue()


def to_jsonable(obj: Any) -> Any:
    """``obj`` as strict JSON types (the project's one encoder,
    :func:`topotheory.jsonout.to_strict_jsonable`: a non-finite float becomes ``None``)."""
    return to_strict_jsonable(obj)


def dumps_json(obj: Any) -> str:
    """Deterministic strict JSON text (sorted keys, indent 1, trailing newline; non-finite
    values as ``null``, listed under ``"non_finite"``: :func:`topotheory.jsonout.dumps_strict`)."""
    return dumps_strict(obj, indent=1, sort_keys=True)


def write_text(path: Path, text: str) -> Path:
    """Write UTF-8 text with ``\\n`` newlines, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path
