"""One behaviour for every result type: a short repr, a JSON-safe dict, tables for notebooks.

Every public result dataclass of topotheory derives from :class:`Result` (and is declared
with ``@dataclass(frozen=True, repr=False)`` so the dataclass does not replace the repr):

``repr(result)``
    One line under 300 characters, whatever the layer size: scalars in full (floats to six
    significant digits), arrays as ``dtype[shape]`` with their first values and the last,
    long sequences and mappings by their length. A 300x200 layer's forest is one line, not
    16,000 characters.
``result.to_dict()``
    Plain JSON types through the project's one strict-JSON encoder
    (:func:`topotheory.jsonout.to_strict_jsonable`): arrays become lists, exact fractions
    ``"p/q"`` strings, a non-finite float ``None`` with its path and value listed under
    ``"non_finite"``. ``json.dumps(result.to_dict(), allow_nan=False)`` always works.
``result.to_frame()``
    For tabular results (a forest's edges, a diagram's points, a model's layers): a
    ``pandas.DataFrame``, one row per edge / point / layer. pandas is optional and imported
    only here; without it the error says how to install it.
``result._repr_html_()``
    What Jupyter shows: the scalar fields as a two-column table, then the first rows of the
    table of a tabular result.

Numbers: a field named ``x`` is a float (or an int count); when an exact rational matters
(a fraction of counts, an exact expectation) it is kept beside it as ``x_exact``, a
:class:`fractions.Fraction`. Functions whose whole job is an exact value
(``overlap_lower_bound``, ``exact_expected_overlap``) return a Fraction; ``float()`` of it
is the float.

Examples
--------
>>> from dataclasses import dataclass
>>> import numpy as np
>>> @dataclass(frozen=True, repr=False)
... class Demo(Result):
...     name: str
...     values: np.ndarray
>>> Demo("w", np.linspace(1.0, 0.0, 500))
Demo(name='w', values=float64[500] [1, 0.998, 0.996, …, 0])
>>> Demo("w", np.arange(3.0)).to_dict()
{'name': 'w', 'values': [0.0, 1.0, 2.0]}
"""

from __future__ import annotations

import dataclasses
import html
import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np

from topotheory.errors import shorten
from topotheory.jsonout import to_strict_jsonable

__all__ = ["REPR_LIMIT", "Result", "short_value"]

#: Every result's repr is shorter than this many characters.
REPR_LIMIT = 300
_HTML_ROWS = 12


def _float(value: float) -> str:
    """Six significant digits, still reading as a float (``1.0``, not ``1``)."""
    text = f"{value:.6g}"
    return text if any(c in text for c in ".enai") else text + ".0"


def _number(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else str(value)


def _array(value: np.ndarray, *, values: bool) -> str:
    shape = "x".join(str(s) for s in value.shape) if value.ndim else ""
    head = f"{value.dtype}[{shape}]"
    if not values or value.dtype.kind not in "fiub" or value.size == 0:
        return head
    flat = value.ravel()
    text = (lambda x: str(int(x))) if value.dtype.kind in "iub" else (lambda x: _number(float(x)))
    if flat.size <= 4:
        shown = [text(x) for x in flat]
    else:
        shown = [text(x) for x in flat[:3]] + ["…", text(flat[-1])]
    return f"{head} [{', '.join(shown)}]"


def short_value(value: Any, *, values: bool = True) -> str:
    """A short text for one field of a result (see the module docstring).

    Examples
    --------
    >>> short_value(np.zeros((300, 200))), short_value(list(range(10))), short_value(1 / 3)
    ('float64[300x200] [0, 0, 0, …, 0]', '[10 int]', '0.333333')
    >>> short_value(Fraction(1519, 8901)), short_value({"a": 1, "b": 2.5})
    ('1519/8901', '{a: 1, b: 2.5}')
    """
    if value is None or isinstance(value, (bool, np.bool_)):
        return repr(bool(value)) if value is not None else "None"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return _float(float(value))
    if isinstance(value, Fraction):
        text = str(value)
        return text if len(text) <= 24 else f"{float(value):.6g}"
    if isinstance(value, str):
        return shorten(repr(value), 50)
    if isinstance(value, np.ndarray):
        return _array(value, values=values)
    if isinstance(value, Result):
        text = repr(value)
        return text if len(text) <= 90 else f"{type(value).__name__}(…)"
    if isinstance(value, (list, tuple)):
        open_, close = ("[", "]") if isinstance(value, list) else ("(", ")")
        if len(value) <= 4:
            items = [short_value(v, values=values) for v in value]
            text = open_ + ", ".join(items) + ("," if len(value) == 1 and close == ")" else "")
            if len(text) <= 60:
                return text + close
        kinds = sorted({type(v).__name__ for v in value})
        return f"{open_}{len(value)} {'/'.join(kinds[:2])}{close}"
    if isinstance(value, Mapping):
        if len(value) <= 4:
            text = "{" + ", ".join(f"{k}: {short_value(v, values=values)}"
                                   for k, v in value.items()) + "}"
            if len(text) <= 60:
                return text
        return f"{{{len(value)} keys}}"
    text = repr(value)
    return text if len(text) <= 48 else f"<{type(value).__name__}>"


class Result:
    """Mixin of the result dataclasses: short repr, ``to_dict``, ``to_frame``, HTML.

    Class attributes a result may set:

    ``_repr_extra``
        Names of properties shown in the repr after the fields (e.g. ``size``).
    ``_dict_extra``
        Names of properties added to :meth:`to_dict` (e.g. a float beside a Fraction).

    A tabular result also overrides :meth:`_columns` (column name -> values, one per row).
    """

    __slots__ = ()
    _repr_extra: ClassVar[tuple[str, ...]] = ()
    _dict_extra: ClassVar[tuple[str, ...]] = ()

    # ------------------------------------------------------------------ repr
    def _repr_items(self) -> list[tuple[str, Any]]:
        items = [(f.name, getattr(self, f.name)) for f in dataclasses.fields(self)  # type: ignore[arg-type]
                 if f.repr]
        return items + [(name, getattr(self, name)) for name in self._repr_extra]

    def __repr__(self) -> str:
        items = self._repr_items()
        name = type(self).__name__
        for values in (True, False):
            parts = [f"{key}={short_value(value, values=values)}" for key, value in items]
            text = f"{name}({', '.join(parts)})"
            if len(text) < REPR_LIMIT:
                return text
        while parts and len(text) >= REPR_LIMIT:  # keep the first fields, say what is cut
            parts.pop()
            text = f"{name}({', '.join(parts)}, …)"
        return text

    # ------------------------------------------------------------------ dict / JSON
    def _dict(self) -> dict[str, Any]:
        """Raw values (before the strict-JSON conversion); override to change the keys.

        A result with its own ``as_dict`` (the older name, kept for its callers) gives the
        same keys through :meth:`to_dict`.
        """
        as_dict = getattr(self, "as_dict", None)
        if as_dict is not None:
            return as_dict()
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]
        for name in self._dict_extra:
            out[name] = getattr(self, name)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types (strict: no NaN/Infinity; see :mod:`topotheory.result`).

        Non-finite floats become ``None`` and are listed under ``"non_finite"``
        (``path -> "nan" | "inf" | "-inf"``).
        """
        found: dict[str, str] = {}
        data = to_strict_jsonable(_plain(self._dict()), found=found)
        if found:
            data["non_finite"] = found
        return data

    # ------------------------------------------------------------------ tables
    def _columns(self) -> dict[str, Any] | None:
        """Column name -> one value per row, for tabular results; ``None`` otherwise."""
        return None

    def to_frame(self) -> Any:
        """The result's table as a ``pandas.DataFrame`` (one row per edge, point or layer).

        Raises
        ------
        TypeError
            If the result is not tabular (use :meth:`to_dict`).
        ImportError
            If pandas is not installed.
        """
        columns = self._columns()
        if columns is None:
            raise TypeError(f"{type(self).__name__} is not tabular; use .to_dict() instead")
        try:
            import pandas as pd
        except ImportError:
            raise ImportError(
                f"{type(self).__name__}.to_frame() needs pandas, which is not installed: "
                "pip install pandas (or use .to_dict(), which needs nothing)"
            ) from None
        return pd.DataFrame({k: _column(v) for k, v in columns.items()})

    def _repr_html_(self) -> str:
        """Jupyter's view: scalar fields as a table, then the first rows of a tabular result."""
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{html.escape(short_value(v))}</td></tr>"
            for k, v in self._repr_items()
        )
        out = [f"<b>{html.escape(type(self).__name__)}</b>",
               f"<table>{rows}</table>"]
        columns = self._columns()
        if columns:
            out.append(_html_table(columns))
        return "\n".join(out)


def _plain(value: Any) -> Any:
    """Nested results through their own ``to_dict`` (so their keys are theirs)."""
    if isinstance(value, Result):
        return value.to_dict()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _column(values: Any) -> Any:
    if isinstance(values, np.ndarray):
        return values
    return [repr(v) if isinstance(v, (tuple, dict, Result)) else v for v in values]


def _cell(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    return html.escape(short_value(value))


def _html_table(columns: Mapping[str, Any]) -> str:
    names = list(columns)
    n_rows = len(next(iter(columns.values()))) if names else 0
    shown = min(n_rows, _HTML_ROWS)
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(columns[n][i])}</td>" for n in names) + "</tr>"
        for i in range(shown)
    )
    more = (f"<tr><td colspan='{len(names)}'>… {n_rows - shown} more rows "
            "(.to_frame() has them all)</td></tr>") if n_rows > shown else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}{more}</tbody></table>"
