"""Verdict evidence rendered for people: a sentence, short paragraphs and small tables.

The evidence of a claim is whatever JSON its check reported, and its keys differ per
claim.  This module renders the *shapes* it finds, not the keys:

- scalars (and short lists of scalars) -> one key/value table (domain, cases, seed ...);
- ``rule``, ``note``, ``reason``, ``why`` and similar prose -> paragraphs;
- a dict of dicts -> one table, a row per outer key (e.g. Monte Carlo per shape);
- a list of uniform dicts -> one table, a row per item (e.g. exact values per shape);
- a matrix (list of equal-length numeric lists, or a flat numeric list with a sibling
  shape such as ``shape_m_n`` / ``h``) -> a small grid;
- an interval (a dict with ``ci_low`` and ``ci_high``) -> ``mean [low, high] (conf.)``.

Nothing is printed as JSON: the full evidence stays in ``data/verdicts.json``, linked
from every claim.

Examples
--------
>>> evidence_sentence({"status": "confirmed",
...                    "evidence": {"evaluations": 200, "exhaustive": False,
...                                 "domain": "dense layers up to 6x6"}})
'200 cases searched (not exhaustive) over dense layers up to 6x6; no counterexample.'
>>> inline_value({"mean": 0.5, "ci_low": 0.4, "ci_high": 0.6, "confidence": 0.99})
'0.5 [0.4, 0.6] (99% CI)'
>>> matrix_of("W", [1.0, 0.0, 0.0, 2.0], {"h": 2})
((1.0, 0.0), (0.0, 2.0))
"""

from __future__ import annotations

import math
from typing import Any

from topotheory.render.blocks import Block, Paragraph, Table, column_label
from topotheory.render.inline import format_cell

__all__ = ["evidence_blocks", "evidence_sentence", "inline_value", "matrix_of", "symbolic_summary"]

#: Keys whose string values are prose, rendered as paragraphs (in this order).
PROSE = ("reason", "note", "why", "rule", "threshold_rule", "final_rule")
#: Scalar keys shown first in the key/value table (then the others, in JSON order).
FIRST = ("domain", "exact_domain", "cases_checked", "cases_requested", "evaluations", "cases",
         "exhaustive", "search",
         "enumeration", "random_model", "family_alpha", "monte_carlo_tests_in_claim", "seed")
#: Data file holding every claim's full evidence (beside the report).
DATA_FILE = "data/verdicts.json"
_MAX_ROWS = 15
_MAX_LIST = 12
_SHAPE_KEYS = ("shape_m_n", "shape")


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_interval(value: Any) -> bool:
    return isinstance(value, dict) and "ci_low" in value and "ci_high" in value


def _scalar(value: Any) -> str:
    if isinstance(value, float) and not math.isnan(value) and value != 0 and (
        abs(value) < 1e-3 or abs(value) >= 1e6
    ):
        return format(value, ".3e")
    return format_cell(value)


def inline_value(value: Any) -> str:
    """A value as short readable text (never JSON).

    Scalars are formatted as in tables, lists of scalars are comma-separated (long ones
    cut with a count), intervals read ``mean [low, high] (conf. CI)`` and other dicts
    ``key: value; ...``.

    Examples
    --------
    >>> inline_value([1, 2, 3]), inline_value({"a": 1, "b": [2, 3]}), inline_value(None)
    ('1, 2, 3', 'a: 1; b: 2, 3', '—')
    """
    if _is_scalar(value):
        return _scalar(value)
    if _is_interval(value):
        mid = value.get("mean", value.get("estimate"))
        text = f"[{_scalar(value['ci_low'])}, {_scalar(value['ci_high'])}]"
        if mid is not None:
            text = f"{_scalar(mid)} {text}"
        conf = value.get("confidence")
        return text + (f" ({format(100 * conf, '.6g')}% CI)" if _is_number(conf) else "")
    if isinstance(value, (list, tuple)):
        items = [inline_value(v) for v in value[:_MAX_LIST]]
        more = f", … ({len(value)} values)" if len(value) > _MAX_LIST else ""
        return ", ".join(items) + more if items else "none"
    if isinstance(value, dict):
        return "; ".join(f"{column_label(str(k))}: {inline_value(v)}" for k, v in value.items())
    return str(value)


def matrix_of(key: str, value: Any, siblings: dict[str, Any]) -> tuple[tuple[Any, ...], ...] | None:
    """``value`` as a matrix (tuple of rows) if it has a matrix's shape, else None.

    A list of equal-length numeric lists is a matrix; a flat numeric list is one when a
    sibling gives its shape (``shape_m_n``/``shape`` = ``[rows, cols]``, or ``h`` with
    ``h * h`` entries) or when it is a perfect square of at least 4 entries.

    Examples
    --------
    >>> matrix_of("w", [[1, 2], [3, 4]], {}), matrix_of("w", [1, 2, 3], {})
    (((1, 2), (3, 4)), None)
    >>> matrix_of("weights", [5.0], {"shape_m_n": [1, 1]})
    ((5.0,),)
    """
    if not isinstance(value, list) or not value:
        return None
    if all(isinstance(r, list) and r and all(_is_number(x) for x in r) for r in value):
        if len({len(r) for r in value}) == 1:
            return tuple(tuple(r) for r in value)
        return None
    if not all(_is_number(x) for x in value):
        return None
    shape = None
    for name in _SHAPE_KEYS:
        s = siblings.get(name)
        if isinstance(s, list) and len(s) == 2 and all(isinstance(x, int) for x in s):
            shape = (s[0], s[1])
    h = siblings.get("h")
    if shape is None and isinstance(h, int) and h * h == len(value):
        shape = (h, h)
    side = math.isqrt(len(value))
    if shape is None and len(value) >= 4 and side * side == len(value):
        shape = (side, side)
    if shape is None or shape[0] * shape[1] != len(value):
        return None
    rows, cols = shape
    return tuple(tuple(value[r * cols : (r + 1) * cols]) for r in range(rows))


def _matrix_table(name: str, key: str, matrix: tuple[tuple[Any, ...], ...]) -> Table:
    cols = len(matrix[0])
    columns = ("row",) + tuple(f"c{j}" for j in range(cols))
    rows = tuple((i,) + tuple(r) for i, r in enumerate(matrix))
    headers = {"row": ""} | {f"c{j}": str(j) for j in range(cols)}
    return Table(f"{name}-{key}", columns, rows, data_file=False, headers=headers,
                 caption=f"`{key}` ({len(matrix)}×{cols} matrix)")


def _record_table(name: str, caption: str, records: list[tuple[str | None, dict[str, Any]]],
                  first: str | None) -> list[Block]:
    columns: list[str] = [first] if first else []
    for _, rec in records:
        columns += [k for k in rec if k not in columns]
    rows = tuple(
        ((label,) if first else ()) + tuple(inline_value(rec.get(c)) for c in columns[bool(first):])
        for label, rec in records
    )
    table = Table(name, tuple(columns), rows, caption=caption, data_file=False,
                  max_rows=_MAX_ROWS)
    blocks: list[Block] = [table]
    if len(rows) > _MAX_ROWS:
        blocks.append(Paragraph(f"*{len(rows) - _MAX_ROWS} more rows in [{DATA_FILE}]"
                                f"({DATA_FILE}).*"))
    return blocks


def _kv_table(name: str, caption: str, items: dict[str, Any]) -> Table:
    ordered = [k for k in FIRST if k in items] + [k for k in items if k not in FIRST]
    rows = tuple((column_label(k), inline_value(items[k])) for k in ordered)
    return Table(name, ("item", "value"), rows, caption=caption, data_file=False,
                 max_rows=len(rows))


def _short(value: Any) -> bool:
    """Whether a value fits in one key/value cell."""
    if _is_scalar(value) or _is_interval(value):
        return True
    if isinstance(value, list):
        return len(value) <= _MAX_LIST and all(_is_scalar(v) for v in value)
    if isinstance(value, dict):
        return len(value) <= 4 and all(_is_scalar(v) for v in value.values())
    return False


def _mapping_blocks(name: str, data: dict[str, Any], caption: str) -> list[Block]:
    """Blocks for one dict: prose paragraphs, a key/value table, then nested tables."""
    blocks: list[Block] = []
    prose = {k: data[k] for k in PROSE if isinstance(data.get(k), str)}
    simple: dict[str, Any] = {}
    nested: list[tuple[str, Any]] = []
    for key, value in data.items():
        if key in prose:
            continue
        if matrix_of(key, value, data) is not None and not _is_scalar(value):
            nested.append((key, value))
        elif _short(value):
            simple[key] = value
        else:
            nested.append((key, value))
    if simple:
        blocks.append(_kv_table(f"{name}-kv", caption, simple))
    for key, text in prose.items():
        label = "Decision rule" if key == "rule" else column_label(key).capitalize()
        blocks.append(Paragraph(f"*{label}:* {text}"))
    for key, value in nested:
        blocks += _nested_blocks(f"{name}-{key}", key, value, data)
    return blocks


def _nested_blocks(name: str, key: str, value: Any, siblings: dict[str, Any]) -> list[Block]:
    matrix = matrix_of(key, value, siblings)
    if matrix is not None:
        return [_matrix_table(name, key, matrix)]
    caption = column_label(key).capitalize()
    if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
        return _record_table(name, caption, [(str(k), v) for k, v in value.items()], "key")
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return _record_table(name, caption, [(None, v) for v in value], None)
    if isinstance(value, dict):
        return _mapping_blocks(name, value, caption)
    return [Paragraph(f"*{caption}:* {inline_value(value)}")]


def evidence_blocks(claim: dict[str, Any], *, name: str) -> list[Block]:
    """Paragraphs and display-only tables for one verdict's evidence and counterexample.

    Parameters
    ----------
    claim : dict
        One record of the verdict JSON (``status``, ``evidence``, ``counterexample``).
    name : str
        Unique prefix for the tables' names.

    Examples
    --------
    >>> blocks = evidence_blocks({"status": "refuted", "evidence": {"evaluations": 3},
    ...                           "counterexample": {"h": 2, "W": [1, 0, 0, 1]}}, name="x")
    >>> [type(b).__name__ for b in blocks]
    ['Paragraph', 'Table', 'Table', 'Table']
    >>> blocks[-1].rows
    ((0, 1, 0), (1, 0, 1))
    """
    blocks: list[Block] = [Paragraph(evidence_sentence(claim))]
    evidence = claim.get("evidence")
    if isinstance(evidence, dict) and evidence:
        blocks += _mapping_blocks(f"{name}-evidence", evidence, "Evidence")
    elif evidence is not None:
        blocks.append(Paragraph(f"*Evidence:* {inline_value(evidence)}"))
    ce = claim.get("counterexample")
    if ce is not None:
        caption = "Counterexample (the failing case the check reported)"
        if isinstance(ce, dict):
            blocks += _mapping_blocks(f"{name}-ce", ce, caption)
        else:
            blocks += _nested_blocks(f"{name}-ce", "counterexample", ce, {})
    return blocks


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _shape_of(ce: Any) -> str:
    """A counterexample described by its arrays' shapes and its shortest-named scalars."""
    if not isinstance(ce, dict):
        return inline_value(ce) if _short(ce) else f"{len(ce)} items"
    shapes, scalars = [], []
    for key, value in ce.items():
        matrix = matrix_of(key, value, ce)
        if matrix is not None:
            shapes.append(f"{key} a {len(matrix)}×{len(matrix[0])} matrix")
        elif _is_scalar(value) and key not in PROSE and len(_scalar(value)) <= 24:
            scalars.append((len(key), f"{key} = {_scalar(value)}"))
        elif isinstance(value, list) and all(_is_scalar(v) for v in value) and len(value) <= 4:
            scalars.append((len(key), f"{key} = ({inline_value(value)})"))
        elif isinstance(value, list) and value:
            first = value[0]
            label = next((first[k] for k in ("what", "label", "why") if isinstance(first, dict)
                          and isinstance(first.get(k), str)), None)
            shapes.append(f"{len(value)} {column_label(key)}"
                          + (f" (first: {label})" if label else ""))
    parts = shapes + [text for _, text in sorted(scalars, key=lambda p: p[0])]
    return ", ".join(parts[:5]) + (", …" if len(parts) > 5 else "")


def _domain(text: str) -> str:
    first = text.split(";")[0]
    return _cut(first, 100)


def symbolic_summary(symbolic: Any) -> str:
    """What a verdict's ``symbolic`` evidence proved, in words ("" when there is none).

    Two shapes: proof records (``{name: {"statement", "status", "steps"}}``, one per
    registered proof) are counted; a derivation's own steps with a ``proved`` flag (e.g.
    ``overlap-law-square``) say whether the derivation completed.

    Examples
    --------
    >>> symbolic_summary({"a": {"status": "proved"}, "b": {"status": "proved"}})
    'all 2 symbolic statements proved (sympy)'
    >>> symbolic_summary({"a": {"status": "proved"}, "b": {"status": "failed"}})
    '1 of 2 symbolic statements proved (sympy)'
    >>> symbolic_summary({"limit_minus_closed_form": "0", "proved": True})
    'the symbolic derivation completed (sympy)'
    """
    if not isinstance(symbolic, dict) or not symbolic:
        return ""
    records = [s for s in symbolic.values() if isinstance(s, dict) and "status" in s]
    if records:
        proved = sum(1 for s in records if s.get("status") == "proved")
        if len(records) == 1:
            every = "the symbolic statement " + ("proved" if proved else "not proved")
        else:
            every = ("all " if proved == len(records) else f"{proved} of ") + (
                f"{len(records)} symbolic statements proved")
        return every + " (sympy)"
    if isinstance(symbolic.get("proved"), bool):
        return "the symbolic derivation " + (
            "completed" if symbolic["proved"] else "did not complete") + " (sympy)"
    return ""


def evidence_sentence(claim: dict[str, Any], *, limit: int = 240) -> str:
    """One readable sentence summing up a verdict's evidence (for the verdict table).

    Says what was searched (cases, exhaustive or not, domain), what was computed exactly
    or by Monte Carlo (with the family-wise rate), and the counterexample's shape.

    Examples
    --------
    >>> evidence_sentence({"status": "refuted", "evidence": {"evaluations": 44},
    ...                    "counterexample": {"h": 2, "W_hh": [1.0, 0.0, 0.0, 0.0]}})
    '44 cases searched; counterexample with W_hh a 2×2 matrix, h = 2.'
    >>> evidence_sentence({"status": "inconclusive", "evidence": {"reason": "install torch"}})
    'Install torch.'
    """
    raw = claim.get("evidence")
    ev = raw if isinstance(raw, dict) else {}
    if claim.get("status") == "inconclusive" and isinstance(ev.get("reason"), str):
        text = _cut(ev["reason"].rstrip("."), limit)
        return text[0].upper() + text[1:] + ("" if text.endswith("…") else ".")
    parts: list[str] = []
    cases = next((ev[k] for k in ("cases_checked", "cases_requested", "evaluations", "cases")
                  if k in ev), None)
    if _is_number(cases):
        how = ""
        if ev.get("exhaustive") is True:
            how = " (exhaustive)"
        elif ev.get("exhaustive") is False:
            how = " (not exhaustive)"
        verb = "enumerated" if ev.get("exhaustive") is True else "searched"
        domain = ev.get("domain") or ev.get("exact_domain") or ev.get("enumeration")
        # cases_requested is the search budget: a refuting search stops at its first failure
        count = (f"up to {cases} cases" if "cases_requested" in ev and "cases_checked" not in ev
                 else f"{cases} cases")
        parts.append(f"{count} {verb}{how}"
                     + (f" over {_domain(domain)}" if isinstance(domain, str) else ""))
    if isinstance(ev.get("exact"), list):
        where = ev.get("exact_domain")
        parts.append(f"exact values at {len(ev['exact'])} shapes"
                     + (f" ({where})" if isinstance(where, str) else ""))
    mc = ev.get("monte_carlo")
    if isinstance(mc, dict) and mc:
        outcomes = [v.get("outcome") for v in mc.values() if isinstance(v, dict)]
        agree = {o for o in outcomes if o}
        text = f"Monte Carlo at {len(mc)} shapes"
        if len(agree) == 1:
            text += f", all {agree.pop()}"
        if _is_number(ev.get("family_alpha")):
            text += f" (family-wise false-verdict rate ≤ {ev['family_alpha']:g})"
        parts.append(text)
    note = ev.get("note")
    if isinstance(note, str) and cases is None:
        parts.append(note)
    for key, value in ev.items():
        if isinstance(note, str) and cases is None:
            break
        if key != "exact" and isinstance(value, list) and value and all(
            isinstance(v, dict) for v in value
        ):
            matches = [v.get("match") for v in value]
            text = f"{len(value)} {column_label(key)}"
            if all(isinstance(m, bool) for m in matches):
                text += f" compared, {sum(matches)} match"
            parts.append(text)
            break
    symbolic = symbolic_summary(ev.get("symbolic"))
    if symbolic:
        parts.append(symbolic)
    ce = claim.get("counterexample")
    if ce is not None:
        parts.append(f"counterexample with {_shape_of(ce)}")
    elif cases is not None and claim.get("status") in ("confirmed", "proved"):
        parts.append("no counterexample")
    if not parts:
        scalars = [(k, v) for k, v in ev.items() if _is_scalar(v) and k not in PROSE]
        parts.append(", ".join(f"{column_label(k)} {_scalar(v)}" for k, v in scalars[:4]))
    text = "; ".join(p for p in parts if p)
    if not text:
        return ""
    text = _cut(text, limit)
    head = text.split(" ", 1)[0]
    if head.isalpha() and head.islower():
        text = text[0].upper() + text[1:]
    return text if text.endswith("…") else text.rstrip(".") + "."
