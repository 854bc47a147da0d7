"""Run the claim checks, print the verdict table, write JSON, compare with expectations."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from proofs_check.profiles import PROFILES, Profile, get_profile
from proofs_check.verdict import Verdict

__all__ = ["add_arguments", "compare_expected", "main", "render_table", "run_checks", "run_from_args"]


class CheckCrashed(RuntimeError):
    """A check raised instead of returning a verdict."""


def _registry():
    from topotheory.theory.registry import CLAIMS

    return CLAIMS


def run_checks(
    claim_ids: Sequence[str] | None = None,
    *,
    profile: str | Profile = "quick",
    seed: int = 0,
    progress: bool = True,
    stream: TextIO | None = None,
    registry: dict | None = None,
) -> list[Verdict]:
    """Run the checks of ``claim_ids`` (default: all), every variant; return the verdicts.

    A check that raises is re-raised as :class:`CheckCrashed` only after the other checks
    ran; see :func:`run_from_args` for the command-line behaviour.

    Examples
    --------
    >>> [v.status for v in run_checks(["tables-mnist-layers"], progress=False)]
    ['confirmed']
    """
    claims = registry if registry is not None else _registry()
    ids = list(claim_ids) if claim_ids else list(claims)
    unknown = [i for i in ids if i not in claims]
    if unknown:
        raise ValueError(f"unknown claim id(s) {unknown}; known: {', '.join(claims)}")
    prof = get_profile(profile)
    err = stream or sys.stderr
    verdicts, crashes = [], []
    for claim_id in ids:
        claim = claims[claim_id]
        module = importlib.import_module(claim.check_module)
        for variant in claim.variant_names:
            label = claim_id + (f"[{variant}]" if variant else "")
            if progress:
                print(f"[proofs_check] {label} ...", file=err, end="", flush=True)
            start = time.perf_counter()
            try:
                verdict = module.check(prof, seed, variant=variant)
            except Exception as error:  # a crash is reported, not a verdict
                crashes.append((label, error, traceback.format_exc()))
                if progress:
                    print(f" CRASHED ({type(error).__name__}: {error})", file=err, flush=True)
                continue
            elapsed = time.perf_counter() - start
            verdict.evidence.setdefault("seconds_total", round(elapsed, 3))
            verdicts.append(verdict)
            if progress:
                print(f" {verdict.status} ({elapsed:.1f} s)", file=err, flush=True)
    if crashes:
        error = CheckCrashed("; ".join(f"{label}: {type(e).__name__}: {e}" for label, e, _ in crashes))
        error.verdicts = verdicts  # type: ignore[attr-defined]
        error.tracebacks = [tb for _, _, tb in crashes]  # type: ignore[attr-defined]
        raise error
    return verdicts


def render_table(verdicts: Sequence[Verdict]) -> str:
    """Plain-text verdict table.

    Examples
    --------
    >>> from proofs_check.verdict import Verdict
    >>> print(render_table([Verdict("x", "forall", "proved", "s", "p")]))  # doctest: +NORMALIZE_WHITESPACE
    claim  variant  kind    status  note
    x      -        forall  proved
    """
    rows = [("claim", "variant", "kind", "status", "note")]
    for v in verdicts:
        note = ""
        if v.status == "inconclusive":
            note = str(v.evidence.get("reason", ""))[:70]
        elif v.counterexample is not None:
            note = "counterexample: " + json.dumps(v.to_json()["counterexample"])[:60]
        elif "evaluations" in v.evidence:
            note = f"{v.evidence['evaluations']} cases"
        rows.append((v.id, v.variant or "-", v.kind, v.status, note))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join(
        "  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4] for r in rows
    ).rstrip()


def compare_expected(verdicts: Sequence[Verdict], expected: dict[str, Any]) -> list[str]:
    """Differences between the verdicts and a recorded ``{"claims": [...]}`` file.

    Rows are matched by ``(id, variant)``; a recorded row missing from the run (when its
    claim was run) or a different status is a difference.

    Examples
    --------
    >>> from proofs_check.verdict import Verdict
    >>> v = [Verdict("x", "forall", "confirmed", "s", "p")]
    >>> compare_expected(v, {"claims": [{"id": "x", "variant": None, "status": "refuted"}]})
    ["x: expected 'refuted', got 'confirmed'"]
    """
    if not isinstance(expected, dict) or not isinstance(expected.get("claims"), list):
        raise ValueError('the --expect file must hold {"claims": [{"id", "variant", "status"}, ...]}')
    got = {v.key: v for v in verdicts}
    ran = {v.id for v in verdicts}
    problems = []
    for row in expected["claims"]:
        key = row["id"] if row.get("variant") is None else f"{row['id']}[{row['variant']}]"
        if row["id"] not in ran:
            continue
        if key not in got:
            problems.append(f"{key}: recorded as {row['status']!r} but not produced by this run")
            continue
        if got[key].status != row["status"]:
            why = got[key].evidence.get("reason") or (
                "counterexample " + json.dumps(got[key].to_json()["counterexample"])[:120]
                if got[key].counterexample else "")
            problems.append(f"{key}: expected {row['status']!r}, got {got[key].status!r}"
                            + (f" ({why})" if why else ""))
    return problems


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer; give a seed >= 0") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; give a seed >= 0 (e.g. --seed 0)")
    return value


def _expect_file(text: str) -> dict[str, Any]:
    """Load and check a --expect file at parse time (before any check runs)."""
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"{text!r}: no such file; give a verdict JSON file "
                                         "written by --json-out")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise argparse.ArgumentTypeError(f"{text!r}: not readable JSON ({error})") from None
    claims = data.get("claims") if isinstance(data, dict) else None
    if not isinstance(claims, list):
        raise argparse.ArgumentTypeError(
            f'{text!r}: must hold {{"claims": [{{"id", "variant", "status"}}, ...]}}')
    for i, row in enumerate(claims):
        if not (isinstance(row, dict) and isinstance(row.get("id"), str)
                and isinstance(row.get("status"), str)
                and (row.get("variant") is None or isinstance(row.get("variant"), str))):
            raise argparse.ArgumentTypeError(
                f"{text!r}: claims[{i}] = {json.dumps(row)[:80]} needs string 'id' and 'status' "
                "(and an optional string 'variant'); regenerate it with --json-out")
    return data


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options shared by ``python -m proofs_check`` and ``topotheory verify``."""
    parser.add_argument("--claim", action="extend", nargs="+", metavar="ID", default=None,
                        help="check only these claims (--claim A B, or repeated); default: all")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="quick",
                        help="search effort (default quick: a few minutes on 2 cores)")
    parser.add_argument("--seed", type=_seed, default=0,
                        help="seed of every search, an integer >= 0 (default 0)")
    parser.add_argument("--json", nargs="?", const=True, default=False, metavar="PATH",
                        help='print {"claims": [...]} as JSON on stdout (the table goes to '
                        "stderr); the old form --json PATH still writes a file but is "
                        "deprecated: use --json-out PATH")
    parser.add_argument("--json-out", metavar="PATH", default=None,
                        help='write {"claims": [...]} to PATH (atomically)')
    parser.add_argument("--expect", metavar="VERDICTS.json", type=_expect_file,
                        help="regression mode: exit 1 if any verdict differs from this file")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def run_from_args(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run with parsed arguments; returns the exit status (0, 1 for --expect diffs, 3 crash)."""
    from topotheory.jsonout import dumps_strict
    from topotheory.safe_output import atomic_write_text, validate_output_file

    out = out or sys.stdout
    json_out = getattr(args, "json_out", None)
    if isinstance(args.json, str):
        print(f"warning: --json PATH is deprecated; use --json-out {args.json} (--json alone "
              "prints JSON on stdout)", file=sys.stderr)
        json_out, args.json = json_out or args.json, False
    if json_out is not None:
        validate_output_file(json_out, argument="--json-out")
    expected = args.expect
    if isinstance(expected, str):  # a path given programmatically
        expected = _expect_file(expected)
    status = 0
    crashed: list[str] = []
    try:
        verdicts = run_checks(args.claim, profile=args.profile, seed=args.seed,
                              progress=not args.quiet)
    except CheckCrashed as crash:
        verdicts = crash.verdicts  # type: ignore[attr-defined]
        for tb in crash.tracebacks:  # type: ignore[attr-defined]
            print(tb, file=sys.stderr)
        print(f"proofs_check: check crashed: {crash}", file=sys.stderr)
        crashed = str(crash).split("; ")
        status = 3
    print(render_table(verdicts), file=sys.stderr if args.json is True else out)
    document: dict[str, Any] = {"claims": [v.to_json() for v in verdicts]}
    if crashed:
        document["crashed"] = crashed
    if json_out is not None:
        atomic_write_text(json_out, dumps_strict(document))
    if args.json is True:
        out.write(dumps_strict(document))
    if expected is not None:
        problems = compare_expected(verdicts, expected)
        for line in problems:
            print(f"proofs_check: verdict changed: {line}", file=sys.stderr)
        if problems and status == 0:
            status = 1
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m proofs_check``."""
    parser = argparse.ArgumentParser(
        prog="python -m proofs_check",
        description="Check every registered claim of the paper and print the verdict table.",
    )
    add_arguments(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse: 2 for bad arguments, 0 for --help
        return exit_.code if isinstance(exit_.code, int) else 0
    from topotheory.hypothesis_storage import hypothesis_storage_outside_cwd

    try:
        with hypothesis_storage_outside_cwd():
            return run_from_args(args)
    except (ValueError, OSError) as error:
        print(f"proofs_check: error: {error}", file=sys.stderr)
        return 2
