"""Machine-independence of the trained verdicts: ``topotheory verify --numerics-check``.

A verdict belongs to its design, not to the machine. CPU numerics change what a training
computes: torch's kernels round differently with another vector unit or thread count, and
the difference grows over training. ``--numerics-check`` runs the trained claims (or
``--claim ...``) once under each of three numeric setups (:data:`SETUPS`), each in its own
subprocess (``python -m proofs_check --json-out ...`` with the setup's environment):

* ``native``: the machine's own vector unit (the four variables below removed);
* ``avx2``: ``ATEN_CPU_CAPABILITY=avx2 MKL_CBWR=AVX2 ONEDNN_MAX_CPU_ISA=AVX2``;
* ``one_thread``: ``OMP_NUM_THREADS=1``.

It compares every row's status across the setups (:func:`compare_setups`), every number
against the ``native`` run within the claim's declared tolerance (``--expect``'s
comparison), and, for each decisive verdict decided by an interval, reports the margin of
the decisive limit to the threshold in units of the design's declared cross-machine
tolerance (:func:`decisive_margin`). It prints a table and exits 1 naming every
claim/variant whose status differs (numbers beyond tolerance are listed and also exit 1).

Examples
--------
>>> runs = {"native": [{"id": "a", "variant": "x", "status": "confirmed", "evidence": {}}],
...         "avx2": [{"id": "a", "variant": "x", "status": "refuted", "evidence": {}}]}
>>> compare_setups(runs)["status_differs"]
['a[x]']
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["NUMERIC_VARIABLES", "SETUPS", "compare_setups", "decisive_margin",
           "render_numerics", "run_numerics_check", "setup_environment"]

#: The environment variables a setup may set; ``native`` removes them all.
NUMERIC_VARIABLES: tuple[str, ...] = ("ATEN_CPU_CAPABILITY", "MKL_CBWR", "ONEDNN_MAX_CPU_ISA",
                                      "OMP_NUM_THREADS")
#: The three numeric setups, by name: the variables each one sets.
SETUPS: dict[str, dict[str, str]] = {
    "native": {},
    "avx2": {"ATEN_CPU_CAPABILITY": "avx2", "MKL_CBWR": "AVX2", "ONEDNN_MAX_CPU_ISA": "AVX2"},
    "one_thread": {"OMP_NUM_THREADS": "1"},
}


def setup_environment(setup: str, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a subprocess run under ``setup``.

    ``base`` (default ``os.environ``) without :data:`NUMERIC_VARIABLES`, plus the setup's
    own, with this checkout first on ``PYTHONPATH`` (the subprocess runs this code).

    Examples
    --------
    >>> env = setup_environment("avx2", {"OMP_NUM_THREADS": "4", "HOME": "/h"})
    >>> env["ATEN_CPU_CAPABILITY"], "OMP_NUM_THREADS" in env, env["HOME"]
    ('avx2', False, '/h')
    """
    if setup not in SETUPS:
        raise ValueError(f"setup={setup!r}; choose one of {tuple(SETUPS)}")
    env = {k: v for k, v in (os.environ if base is None else base).items()
           if k not in NUMERIC_VARIABLES}
    env.update(SETUPS[setup])
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([root] + [p for p in env.get("PYTHONPATH", "").split(
        os.pathsep) if p and p != root])
    return env


def _interval_of(row: Mapping[str, Any]) -> tuple[float, float, float] | None:
    """``(low, high, threshold)`` of a row decided by an interval (or by its smallest
    margin, ``evidence["smallest_margin"]``: an exact value), else None."""
    ev = row.get("evidence") or {}
    iv, threshold = ev.get("interval"), ev.get("threshold")
    smallest = ev.get("smallest_margin")
    if isinstance(smallest, dict) and smallest.get("value") is not None:
        value = float(smallest["value"]) + float(smallest.get("threshold", 0.0))
        return value, value, float(smallest.get("threshold", 0.0))
    if not isinstance(iv, dict) or threshold is None:
        return None
    low, high = iv.get("low"), iv.get("high")
    if low is None or high is None:
        return None
    return float(low), float(high), float(threshold)


def decisive_margin(row: Mapping[str, Any]) -> float | None:
    """Signed distance of the decisive limit from the threshold, in units of the design's
    declared cross-machine tolerance (None without an interval or a declared tolerance).

    Confirmed: ``(low - threshold) / tolerance``; refuted: ``(threshold - high) /
    tolerance``; inconclusive: minus the distance to the nearer decision (how far the run is
    from deciding). A margin above 1 means no numerics change within the tolerance can flip
    the verdict.

    Examples
    --------
    >>> row = {"status": "confirmed", "evidence": {"interval": {"low": 3.0, "high": 9.0},
    ...        "threshold": 0.0, "design": {"tolerance": 1.5}}}
    >>> decisive_margin(row)
    2.0
    """
    found = _interval_of(row)
    tolerance = ((row.get("evidence") or {}).get("design") or {}).get("tolerance")
    if found is None or not tolerance:
        return None
    low, high, threshold = found
    if row.get("status") == "confirmed":
        return (low - threshold) / tolerance
    if row.get("status") == "refuted":
        return (threshold - high) / tolerance
    return -min(threshold - low, high - threshold) / tolerance


def _key(row: Mapping[str, Any]) -> str:
    return row["id"] if row.get("variant") is None else f"{row['id']}[{row['variant']}]"


def compare_setups(runs: Mapping[str, Sequence[Mapping[str, Any]]], *,
                   reference: str = "native") -> dict[str, Any]:
    """Compare the verdict rows of each setup (``{setup: [row, ...]}``).

    Returns ``{"rows": [...], "status_differs": [key, ...], "numbers_differ": {key:
    [difference, ...]}, "missing": {setup: [key, ...]}}``: one entry per claim/variant with
    its status and decisive margin per setup; numbers are compared with the ``reference``
    setup's within the claim's declared tolerance.

    Examples
    --------
    >>> row = {"id": "a", "variant": None, "status": "confirmed", "evidence": {"x": 1.0}}
    >>> out = compare_setups({"native": [row], "avx2": [dict(row, evidence={"x": 1.0})]})
    >>> out["status_differs"], out["numbers_differ"]
    ([], {})
    """
    from proofs_check.expect import compare_numbers
    from topotheory.theory.claim import CLAIMS, DEFAULT_TOLERANCE

    by_setup = {s: {_key(r): r for r in rows} for s, rows in runs.items()}
    keys: list[str] = []
    for rows in by_setup.values():
        keys += [k for k in rows if k not in keys]
    ref = reference if reference in by_setup else next(iter(by_setup))
    table, differs, numbers = [], [], {}
    missing = {s: [k for k in keys if k not in rows] for s, rows in by_setup.items()}
    for k in keys:
        present = {s: rows[k] for s, rows in by_setup.items() if k in rows}
        statuses = {s: r["status"] for s, r in present.items()}
        if len(set(statuses.values())) > 1 or len(present) < len(by_setup):
            differs.append(k)
        first = next(iter(present.values()))
        claim = CLAIMS.get(first["id"])
        tolerance = claim.tolerance if claim is not None else DEFAULT_TOLERANCE
        if ref in present:
            diffs = [f"{s}: {d}" for s, r in present.items() if s != ref
                     for part in ("evidence", "counterexample")
                     for d in compare_numbers(present[ref].get(part), r.get(part), tolerance,
                                              part)]
            if diffs:
                numbers[k] = diffs
        table.append({"key": k, "status": statuses,
                      "margin": {s: decisive_margin(r) for s, r in present.items()}})
    return {"rows": table, "status_differs": differs, "numbers_differ": numbers,
            "missing": {s: v for s, v in missing.items() if v}}


def render_numerics(result: Mapping[str, Any], setups: Sequence[str]) -> str:
    """Plain-text table: per claim/variant the status and the margin in tolerance units per
    setup, then the differences.

    Examples
    --------
    >>> res = compare_setups({"native": [{"id": "a", "variant": None, "status": "confirmed",
    ...                                  "evidence": {}}]})
    >>> print(render_numerics(res, ["native"]))  # doctest: +NORMALIZE_WHITESPACE
    claim/variant  native     same
    a              confirmed  yes
    <BLANKLINE>
    every status is the same under native
    """
    head = ["claim/variant", *setups, "same"]
    lines = [head]
    for r in result["rows"]:
        cells = [r["key"]]
        for s in setups:
            status = r["status"].get(s, "(missing)")
            margin = r["margin"].get(s)
            cells.append(status + (f" ({margin:+.2f} tol)" if margin is not None else ""))
        cells.append("NO" if r["key"] in result["status_differs"] else "yes")
        lines.append(cells)
    widths = [max(len(row[i]) for row in lines) for i in range(len(head))]
    text = "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
                     for row in lines)
    notes = []
    if result["status_differs"]:
        notes.append("status differs under the setups for: "
                     + ", ".join(result["status_differs"]))
    else:
        notes.append("every status is the same under " + ", ".join(setups))
    for k, diffs in result["numbers_differ"].items():
        notes.append(f"{k}: {len(diffs)} number(s) beyond the declared tolerance, e.g. "
                     f"{diffs[0]}")
    for s, keys in result.get("missing", {}).items():
        notes.append(f"{s}: no verdict for {', '.join(keys)}")
    return text + "\n\n" + "\n".join(notes)


def trained_claim_ids() -> list[str]:
    """Claims whose design counts training seeds (the ones CPU numerics can move)."""
    import topotheory.theory.registry  # noqa: F401 - registers the paper's claims
    from topotheory.theory.claim import CLAIMS

    return [c.id for c in CLAIMS.values()
            if any((c.design_of(v) is not None and c.design_of(v).unit == "seeds")
                   for v in c.variant_names)]


def run_numerics_check(claim_ids: Sequence[str] | None = None, *, profile: str = "quick",
                       seed: int = 0, setups: Sequence[str] = tuple(SETUPS),
                       dataset: str = "mnist", data_dir: str | None = None,
                       stream: Any = None) -> dict[str, Any]:
    """Run ``claim_ids`` (default: the trained claims) under each setup in a subprocess and
    compare them (:func:`compare_setups`); ``result["seconds"]`` holds each run's wall time.

    Raises
    ------
    RuntimeError
        If a subprocess fails (its stderr's last lines in the message).
    """
    ids = list(claim_ids) if claim_ids else trained_claim_ids()
    err = stream if stream is not None else sys.stderr
    runs: dict[str, list[dict[str, Any]]] = {}
    seconds: dict[str, float] = {}
    numerics: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="topotheory-numerics-") as tmp:
        for setup in setups:
            out = Path(tmp) / f"{setup}.json"
            argv = [sys.executable, "-m", "proofs_check", "--claim", *ids, "--profile", profile,
                    "--seed", str(seed), "--dataset", dataset, "--json-out", str(out),
                    "--quiet"]
            if data_dir is not None:
                argv += ["--data-dir", str(data_dir)]
            print(f"[numerics-check] {setup}: {' '.join(f'{k}={v}' for k, v in SETUPS[setup].items()) or '(native numerics)'} ...",
                  file=err, end="", flush=True)
            start = time.perf_counter()
            proc = subprocess.run(argv, env=setup_environment(setup), capture_output=True,
                                  text=True, check=False)
            seconds[setup] = round(time.perf_counter() - start, 1)
            print(f" {seconds[setup]:.0f} s", file=err, flush=True)
            if proc.returncode != 0 or not out.exists():
                tail = "\n".join(proc.stderr.strip().splitlines()[-8:])
                raise RuntimeError(f"--numerics-check: the {setup} run exited "
                                   f"{proc.returncode}:\n{tail}")
            document = json.loads(out.read_text(encoding="utf-8"))
            runs[setup] = document["claims"]
            numerics[setup] = (document.get("provenance") or {}).get("numerics")
    result = compare_setups(runs)
    result.update({"setups": list(setups), "claims": ids, "seconds": seconds,
                   "numerics": numerics, "profile": profile, "seed": seed})
    return result
