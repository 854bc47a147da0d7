"""Regression mode (``--expect VERDICTS.json``): compare a run with a recorded verdict file.

What is compared, per claim and variant (rows keyed ``id`` or ``id[variant]``):

* the set of rows: a recorded row missing from the run, a row the run adds, and a renamed
  one (a missing and an added row with the same statement) are each a difference naming
  the id;
* the status, kind and source, exactly;
* every number of the evidence and the counterexample: integers, booleans and exact
  rationals (``"p/q"`` strings) exactly, floats (and decimal strings) within the claim's
  declared :class:`~topotheory.theory.claim.Tolerance` (trained claims: their cross-machine
  tolerance, integers included; paths the claim declares ``uncompared`` are skipped). Text
  is not compared.

The file's ``provenance`` and ``timings`` are run-dependent and never compared; only its
profile and seed must be the run's (:func:`check_same_design`).

Examples
--------
>>> from proofs_check.verdict import Verdict
>>> v = [Verdict("x", "forall", "confirmed", "s", "p", evidence={"n": 3})]
>>> compare_expected(v, {"claims": [{"id": "x", "variant": None, "status": "refuted",
...                                  "evidence": {"n": 3}}]})
["x: expected 'refuted', got 'confirmed'"]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any

from proofs_check.verdict import Verdict
from topotheory.theory.claim import CLAIMS, DEFAULT_TOLERANCE, Tolerance

__all__ = ["check_same_design", "compare_expected", "compare_numbers"]

_RATIONAL = re.compile(r"^-?\d+(/\d+)?$")
_DECIMAL = re.compile(r"^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$")
#: Differences listed per claim before "... and N more".
MAX_PER_CLAIM = 5


def _key(row: dict[str, Any]) -> str:
    return row["id"] if row.get("variant") is None else f"{row['id']}[{row['variant']}]"


def _number(value: Any) -> tuple[str, Any] | None:
    """``("exact", Fraction)``, ``("int", int)``, ``("float", float)`` or None (text)."""
    if isinstance(value, bool):
        return "exact", value
    if isinstance(value, int):
        return "int", value
    if isinstance(value, float):
        return "float", value
    if isinstance(value, str):
        if _RATIONAL.match(value):
            return "exact", Fraction(value)
        if _DECIMAL.match(value):
            return "float", float(value)
    return None


def _has_number(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_number(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_number(v) for v in value)
    return _number(value) is not None


def compare_numbers(recorded: Any, got: Any, tolerance: Tolerance, path: str = ""
                    ) -> Iterator[str]:
    """Differences between the numbers of two JSON trees (text leaves are ignored).

    Examples
    --------
    >>> t = Tolerance(rel=0.01, abs=0.0, reason="example")
    >>> list(compare_numbers({"a": [1.0, "1/3"], "b": "text"}, {"a": [1.005, "1/3"],
    ...                       "b": "other"}, t))
    []
    >>> list(compare_numbers({"a": 1.0, "k": 3}, {"a": 1.1, "k": 4}, t))
    ['a: recorded 1.0, got 1.1 (beyond rel 0.01, abs 0 (example))', 'k: recorded 3, got 4']
    """
    where = path or "/"
    if path and not tolerance.compares(path):
        return  # a descriptive number the claim declares unstable across machines
    if isinstance(recorded, dict) and isinstance(got, dict):
        for k in list(recorded) + [k for k in got if k not in recorded]:
            sub = f"{path}/{k}" if path else str(k)
            if k not in got:
                if _has_number(recorded[k]):
                    yield f"{sub}: recorded, missing from this run"
            elif k not in recorded:
                if _has_number(got[k]):
                    yield f"{sub}: new in this run, not recorded"
            else:
                yield from compare_numbers(recorded[k], got[k], tolerance, sub)
        return
    if isinstance(recorded, list) and isinstance(got, list):
        if len(recorded) != len(got) and (_has_number(recorded) or _has_number(got)):
            yield f"{where}: recorded {len(recorded)} entries, got {len(got)}"
            return
        for i, (a, b) in enumerate(zip(recorded, got, strict=False)):
            yield from compare_numbers(a, b, tolerance, f"{path}/{i}" if path else str(i))
        return
    a, b = _number(recorded), _number(got)
    if a is None and b is None:
        return  # text (or null on both sides)
    if a is None or b is None:
        if recorded is None and got is None:
            return
        yield f"{where}: recorded {json.dumps(recorded)[:40]}, got {json.dumps(got)[:40]}"
        return
    (ka, va), (kb, vb) = a, b
    if "exact" in (ka, kb) or (ka == kb == "int" and tolerance.integers_exact):
        if va != vb:
            yield f"{where}: recorded {recorded!r}, got {got!r}"
        return
    if not tolerance.allows(float(vb), float(va)):
        yield (f"{where}: recorded {recorded!r}, got {got!r} (beyond "
               f"{tolerance.as_text()})")


def _rename_key(row: dict[str, Any]) -> str:
    """The statement without the variant's name: equal for a renamed claim or variant."""
    return re.sub(r"\[variant [^:\]]+:", "[variant:", str(row.get("statement", "")))


def compare_expected(verdicts: Sequence[Verdict], expected: dict[str, Any], *,
                     claim_ids: Sequence[str] | None = None) -> list[str]:
    """Every difference between the run's verdicts and a recorded verdict file.

    ``claim_ids`` restricts the comparison to the claims that were asked for (``--claim``);
    by default every recorded row must be produced. See the module docstring.
    """
    if not isinstance(expected, dict) or not isinstance(expected.get("claims"), list):
        raise ValueError('the --expect file must hold {"claims": [{"id", "variant", '
                         '"status"}, ...]}')
    wanted = None if claim_ids is None else set(claim_ids)
    recorded = {_key(r): r for r in expected["claims"] if wanted is None or r["id"] in wanted}
    got = {v.key: v for v in verdicts}
    missing = [k for k in recorded if k not in got]
    extra = [k for k in got if k not in recorded]
    problems: list[str] = []
    renamed_from: dict[str, str] = {}
    by_statement = {_rename_key(recorded[k]): k for k in missing}
    for k in extra:
        old = by_statement.get(_rename_key(got[k].to_json()))
        if old is not None and old not in renamed_from.values():
            renamed_from[k] = old
    for new, old in renamed_from.items():
        problems.append(f"{old}: renamed to {new} (recorded as {old})")
    for k in missing:
        if k not in renamed_from.values():
            problems.append(f"{k}: recorded as {recorded[k]['status']!r} but missing from "
                            "this run")
    for k in extra:
        if k not in renamed_from:
            problems.append(f"{k}: produced by this run ({got[k].status}) but not recorded")
    for k, row in recorded.items():
        if k not in got:
            continue
        v = got[k]
        if v.status != row["status"]:
            why = v.evidence.get("reason") or (
                "counterexample " + json.dumps(v.to_json()["counterexample"])[:120]
                if v.counterexample else "")
            problems.append(f"{k}: expected {row['status']!r}, got {v.status!r}"
                            + (f" ({why})" if why else ""))
        for field in ("kind", "source"):
            if field in row and row[field] != getattr(v, field):
                problems.append(f"{k}: {field} recorded as {row[field]!r}, now {getattr(v, field)!r}")
        claim = CLAIMS.get(v.id)
        tolerance = claim.tolerance if claim is not None else DEFAULT_TOLERANCE
        now = v.to_json()
        diffs = [d for part in ("evidence", "counterexample") if part in row
                 for d in compare_numbers(row[part], now[part], tolerance, part)]
        for d in diffs[:MAX_PER_CLAIM]:
            problems.append(f"{k}: number changed: {d}")
        if len(diffs) > MAX_PER_CLAIM:
            problems.append(f"{k}: ... and {len(diffs) - MAX_PER_CLAIM} more numbers changed")
    return problems


def check_same_design(expected: dict[str, Any], *, profile: str, seed: int,
                      dataset: str = "mnist") -> None:
    """Refuse a recorded file of another profile, seed or data set (its numbers are another
    design's; a file without a recorded data set is not checked for it).

    Raises
    ------
    ValueError
        Naming the recorded and the requested profile or seed.
    """
    prov = expected.get("provenance")
    if not isinstance(prov, dict):
        return
    for name, now in (("profile", profile), ("seed", seed), ("dataset", dataset)):
        if name in prov and prov[name] != now:
            raise ValueError(f"--expect: the file was recorded with --{name} {prov[name]}, this "
                             f"run uses --{name} {now}; rerun with --{name} {prov[name]} or "
                             "record a file for this one")
