"""Run the claim checks (``python -m proofs_check --json-out PATH``) once per build.

The checks run in a subprocess through their documented command line, so the report
depends only on the verdict file's JSON interface (:mod:`proofs_check.verdict_file`:
``schema``, ``claims``, ``summary``, ``provenance``).  Volatile evidence (time taken) is
dropped so the data files stay byte-stable; the run's provenance is kept apart.

Examples
--------
>>> strip_volatile({"cases": 3, "time_s": 1.5, "inner": {"elapsed": 2, "seed": 0}})
{'cases': 3, 'inner': {'seed': 0}}
>>> strip_volatile({"law_shift_times_k": 0.0, "train_seconds": [1.2]})
{'law_shift_times_k': 0.0}
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

__all__ = ["load_verdict_document", "load_verdicts", "strip_volatile"]

#: Keys that record time taken: a time word at the end of the key (``train_seconds``,
#: ``time_s``, ``elapsed``), never inside it (``law_shift_times_k`` is a number of the claim).
_VOLATILE = re.compile(r"(^|_)(time|seconds|elapsed|duration|wall|timestamp|date)(_s)?$", re.I)


def strip_volatile(value: Any) -> Any:
    """Drop keys that record time taken (recursively)."""
    if isinstance(value, dict):
        return {k: strip_volatile(v) for k, v in value.items() if not _VOLATILE.search(str(k))}
    if isinstance(value, list):
        return [strip_volatile(v) for v in value]
    return value


def _run_checks(profile: str, show_progress: bool, claims_from: tuple[str, ...] = ()
                ) -> dict[str, Any]:
    root = Path(__file__).resolve().parents[3]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "verdicts.json"
        cmd = [sys.executable, "-m", "proofs_check", "--profile", profile, "--json-out", str(path)]
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


def load_verdict_document(ctx: Context) -> dict[str, Any]:
    """The whole verdict file of this build's claim run (memoised): ``schema``, ``claims``
    (volatile fields stripped), ``summary`` and the run's ``provenance``."""

    def compute() -> dict[str, Any]:
        document = _run_checks(ctx.profile.verify_profile, ctx.show_progress, ctx.claims_from)
        if not isinstance(document.get("claims"), list):
            raise RuntimeError("proofs_check --json-out wrote no 'claims' list")
        return {**document, "claims": [strip_volatile(c) for c in document["claims"]]}

    return ctx.memo("verdict-document", compute)


def load_verdicts(ctx: Context) -> list[dict[str, Any]]:
    """The claims list of the verdict JSON, with volatile fields stripped (memoised)."""
    return load_verdict_document(ctx)["claims"]
