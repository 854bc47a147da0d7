"""Run the claim checks (``python -m proofs_check --json``) once per build.

The checks run in a subprocess through their documented command line, so the report
depends only on the JSON interface ``{"claims": [{"id", "kind", "status", "statement",
"provenance", "variant", "evidence", "counterexample"}]}``.  Volatile evidence (time
taken) is dropped so the data files stay byte-stable.

Examples
--------
>>> strip_volatile({"cases": 3, "time_s": 1.5, "inner": {"elapsed": 2, "seed": 0}})
{'cases': 3, 'inner': {'seed': 0}}
>>> one_line({"status": "confirmed", "evidence": {"cases_requested": 200, "seed": 0}})
'search of 200 cases'
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from topotheory.report.context import Context

__all__ = ["load_verdicts", "one_line", "strip_volatile"]

_VOLATILE = re.compile(r"(^|_)(time|times|seconds|elapsed|duration|wall|timestamp|date)(_|$)", re.I)


def strip_volatile(value: Any) -> Any:
    """Drop keys that record time taken (recursively)."""
    if isinstance(value, dict):
        return {k: strip_volatile(v) for k, v in value.items() if not _VOLATILE.search(str(k))}
    if isinstance(value, list):
        return [strip_volatile(v) for v in value]
    return value


def one_line(claim: dict[str, Any], limit: int = 160) -> str:
    """A one-line summary of a verdict: reason, counterexample, cases tried, or scalars."""
    evidence = claim.get("evidence")
    ev = evidence if isinstance(evidence, dict) else {}
    if claim.get("status") == "inconclusive" and isinstance(ev.get("reason"), str):
        text = ev["reason"]
    elif claim.get("counterexample") is not None:
        text = "counterexample: " + json.dumps(claim["counterexample"], sort_keys=True)
    elif "cases_checked" in ev or "cases_requested" in ev:
        text = (f"{ev['cases_checked']} cases, exhaustive" if "cases_checked" in ev
                else f"search of {ev['cases_requested']} cases") + (
            f"; domain: {ev['domain']}" if "domain" in ev else ""
        )
    elif isinstance(ev.get("note"), str):
        text = ev["note"]
    elif ev:
        text = "; ".join(
            f"{k}={json.dumps(v) if not isinstance(v, str) else v}"
            for k, v in ev.items()
            if not isinstance(v, (dict, list))
        )
    else:
        text = "" if evidence is None else str(evidence)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _run_checks(profile: str, show_progress: bool, claims_from: tuple[str, ...] = ()
                ) -> dict[str, Any]:
    root = Path(__file__).resolve().parents[3]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "verdicts.json"
        cmd = [sys.executable, "-m", "proofs_check", "--profile", profile, "--json", str(path)]
        for module in claims_from:
            cmd += ["--claims-from", module]
        done = subprocess.run(
            cmd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=None if show_progress else subprocess.DEVNULL,
            text=True,
        )
        if done.returncode != 0 or not path.exists():
            raise RuntimeError(
                f"{' '.join(cmd[1:])} failed with exit status {done.returncode}:\n{done.stdout}"
            )
        return json.loads(path.read_text(encoding="utf-8"))


def load_verdicts(ctx: Context) -> list[dict[str, Any]]:
    """The claims list of the verdict JSON, with volatile fields stripped (memoised)."""

    def compute() -> list[dict[str, Any]]:
        claims = _run_checks(ctx.profile.verify_profile, ctx.show_progress,
                             ctx.claims_from).get("claims")
        if not isinstance(claims, list):
            raise RuntimeError("proofs_check --json wrote no 'claims' list")
        return [strip_volatile(c) for c in claims]

    return ctx.memo("verdicts", compute)
