"""The verdict file (``--json``, ``--json-out``): its schema, summary and provenance.

Layout::

    {"schema": "topotheory.verdicts/2",
     "claims": [<Verdict.to_json()>, ...],          # compared by --expect
     "summary": {"paper": {"confirmed": 9, ...}, ...},
     "provenance": {...},                            # run-dependent: never compared
     "timings": {...}}                               # only with --timings

``claims`` and ``summary`` are byte-identical for the same profile and seed on the same
software stack; ``provenance`` (commit, versions, numerics, wall time) and ``timings``
change from run to run and machine to machine and are kept apart.

Examples
--------
>>> from proofs_check.verdict import Verdict
>>> v = [Verdict("a", "forall", "confirmed", "s", "p", evidence={"n": 1}, source="paper"),
...      Verdict("b", "forall", "refuted", "s", "p", source="reading")]
>>> summary_text(summarize(v))
'paper: 1 confirmed; reading: 1 refuted'
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from proofs_check.verdict import STATUSES, Verdict
from topotheory.theory.sources import summarize, summary_text

__all__ = ["SCHEMA", "load_verdict_file", "run_provenance", "summarize", "summary_text",
           "verdicts_json"]

#: The ``schema`` key of every verdict file this version writes (and ``--expect`` reads).
SCHEMA = "topotheory.verdicts/2"


def run_provenance(*, profile: str, seed: int, claims: Sequence[str], started: float,
                   command: str) -> dict[str, Any]:
    """The provenance block of one run (run-dependent: ``--expect`` never compares it).

    ``started`` is the ``time.perf_counter()`` value at the start of the run.
    """
    from topotheory.provenance import git_commit, numerics, package_versions

    versions = package_versions()
    return {
        "project": {"name": "topotheory", "version": versions.pop("topotheory")},
        "git": git_commit(),
        "versions": versions,
        "numerics": numerics(),
        "profile": profile,
        "seed": seed,
        "claims_run": list(claims),
        "command": command,
        "wall_seconds": round(time.perf_counter() - started, 1),
    }


def verdicts_json(verdicts: Sequence[Verdict], *, provenance: dict[str, Any] | None = None,
                  timings: bool = False) -> dict[str, Any]:
    """The verdict file's document; ``timings=True`` adds wall-clock seconds per check."""
    document: dict[str, Any] = {"schema": SCHEMA, "claims": [v.to_json() for v in verdicts],
                                "summary": summarize(verdicts)}
    if provenance is not None:
        document["provenance"] = provenance
    if timings:
        document["timings"] = {v.key: v.timings for v in verdicts}
    return document


def _row_problem(row: Any) -> str | None:
    if not isinstance(row, dict):
        return "is not an object"
    if not isinstance(row.get("id"), str) or not isinstance(row.get("status"), str):
        return "needs string 'id' and 'status'"
    if row.get("variant") is not None and not isinstance(row.get("variant"), str):
        return "has a 'variant' that is not a string"
    if row["status"] not in STATUSES:
        return f"has status {row['status']!r}, not one of {STATUSES}"
    return None


def load_verdict_file(path: str | Path) -> dict[str, Any]:
    """Read and validate a verdict file for ``--expect``.

    Raises
    ------
    ValueError
        Naming the file and the fix: not found, not JSON, not a verdict file of this
        schema (a foreign file), no claims (an empty file), or a malformed row.
    """
    text = str(path)
    fix = "give a verdict file written by `topotheory verify --json-out PATH`"
    from topotheory.errors import InputError
    from topotheory.safe_input import read_text_file

    try:  # a regular file only: a FIFO or device is refused, never read (it would block)
        content = read_text_file(path, argument="--expect", what="verdict JSON file")
    except InputError as error:
        raise ValueError(f"--expect {text}: {error.problem}; {fix}") from None
    try:
        data = json.loads(content)
    except (ValueError, RecursionError) as error:  # RecursionError: nested beyond reason
        reason = str(error) if isinstance(error, ValueError) else "nested too deeply"
        raise ValueError(f"--expect {text}: not readable JSON ({reason}); {fix}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise ValueError(f"--expect {text}: not a verdict file of schema {SCHEMA!r} (found "
                         f"{found!r}); {fix}")
    claims = data.get("claims")
    if not isinstance(claims, list) or not claims:
        raise ValueError(f"--expect {text}: holds no claims, so it would compare nothing; "
                         f"{fix}")
    for i, row in enumerate(claims):
        problem = _row_problem(row)
        if problem:
            raise ValueError(f"--expect {text}: claims[{i}] = {json.dumps(row)[:80]} {problem}; "
                             f"{fix}")
    return data
