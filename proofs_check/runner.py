"""Run the claim checks, print the verdict table, write JSON, compare with expectations."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TextIO

from proofs_check.context import CheckContext
from proofs_check.loading import is_user_claim, load_claims, run_user_check
from proofs_check.profiles import PROFILES, Profile, get_profile
from proofs_check.verdict import Verdict
from topotheory._extras import missing_extra
from topotheory.errors import InputError
from topotheory.theory.claim import CHECKS, CLAIMS
from topotheory.user_code import TamperError

__all__ = ["CheckCrashed", "UserCheckFailed", "add_arguments", "check_claim", "compare_expected",
           "main", "render_table",
           "render_power", "run_checks", "run_from_args", "run_one", "run_power",
           "verdicts_json"]


class CheckCrashed(RuntimeError):
    """A check raised (or returned something that is not a verdict)."""


class UserCheckFailed(CheckCrashed):
    """A user claim's check raised or exited: bad input (exit status 2), not our bug."""


def _resolve(ids: Sequence[str] | None) -> list[str]:
    ids = list(ids) if ids else list(CLAIMS)
    unknown = [i for i in ids if i not in CLAIMS]
    if unknown:
        raise ValueError(f"unknown claim id(s) {unknown}; known: {', '.join(CLAIMS)}")
    return ids


def run_one(ctx: CheckContext) -> Verdict:
    """Run the check of ``ctx.claim`` for one variant.

    A missing optional extra (torch, scikit-learn, matplotlib) gives an ``inconclusive``
    verdict naming the extra to install; any other exception, or a return value that is
    not this claim's :class:`Verdict`, raises :class:`CheckCrashed` naming the claim.
    """
    check = CHECKS.get(ctx.claim.id)
    if check is None:
        raise CheckCrashed(f"claim {ctx.claim.id!r} has no check: decorate one with "
                           f"@claim_check({ctx.claim.id!r})")
    user = is_user_claim(ctx.claim.id)
    failed = UserCheckFailed if user else CheckCrashed
    start = time.perf_counter()
    try:
        verdict = run_user_check(ctx.claim.id, check, ctx) if user else check(ctx)
    except TamperError:
        raise
    except Exception as error:
        cause = error.__cause__ if user and isinstance(error, InputError) else error
        hint = missing_extra(cause) if isinstance(cause, Exception) else None
        if hint is None and user and isinstance(error, InputError):
            # a user's check failed: named with its file and line, exit status 2
            raise UserCheckFailed(f"{ctx.label}: {error.problem}") from None
        if hint is None:
            raise CheckCrashed(f"{ctx.label}: {type(error).__name__}: {error}") from error
        verdict = ctx.inconclusive(f"needs an optional extra: {hint}")
    if not isinstance(verdict, Verdict):
        raise failed(f"{ctx.label}: the check returned {type(verdict).__name__}, not a "
                           "Verdict (return ctx.verdict(...) or a proofs_check.rules rule)")
    if (verdict.id, verdict.variant) != (ctx.claim.id, ctx.variant_name):
        raise failed(f"{ctx.label}: the check returned the verdict of {verdict.key}")
    timings = {**verdict.timings, **ctx.timings, "total": round(time.perf_counter() - start, 3)}
    return replace(verdict, timings=timings)


def check_claim(claim_id: str, *, variant: str | None = None, profile: str | Profile = "quick",
                seed: int = 0) -> Verdict:
    """Run one registered claim's check for one variant (default: the primary reading).

    Examples
    --------
    >>> check_claim("tables-mnist-layers").status
    'confirmed'
    """
    load_claims(entry_points=False)
    claim = CLAIMS[_resolve([claim_id])[0]]
    name = variant if variant is not None else claim.variant_names[0]
    return run_one(CheckContext(claim=claim, variant_name=name, profile=get_profile(profile),
                                seed=seed))


def run_checks(
    claim_ids: Sequence[str] | None = None,
    *,
    profile: str | Profile = "quick",
    seed: int = 0,
    progress: bool = True,
    stream: TextIO | None = None,
    claims_from: Sequence[str] = (),
    entry_points: bool = True,
) -> list[Verdict]:
    """Run the checks of ``claim_ids`` (default: all registered), every variant.

    ``claims_from`` names user modules that register more claims (see
    ``docs/extending.md``); installed packages contribute through the ``topotheory.claims``
    entry-point group. A check that crashes, or a user claim that cannot be registered, is
    raised as :class:`CheckCrashed` only after the other checks ran (``error.verdicts`` holds
    them); see :func:`run_from_args` for the command-line behaviour.

    Examples
    --------
    >>> [v.status for v in run_checks(["tables-mnist-layers"], progress=False)]
    ['confirmed']
    """
    problems = load_claims(claims_from, entry_points=entry_points)
    ids = _resolve(claim_ids)
    prof = get_profile(profile)
    err = stream or sys.stderr
    verdicts: list[Verdict] = []
    crashes: list[tuple[str, str, str]] = [
        (p.where, str(p), "") for p in problems]
    failures: list[str] = []
    for claim_id in ids:
        claim = CLAIMS[claim_id]
        for variant in claim.variant_names:
            ctx = CheckContext(claim=claim, variant_name=variant, profile=prof, seed=seed)
            if progress:
                print(f"[proofs_check] {ctx.label} ...", file=err, end="", flush=True)
            try:
                verdict = run_one(ctx)
            except UserCheckFailed as error:  # the user's check: bad input, no traceback
                crashes.append((ctx.label, str(error), ""))
                failures.append(str(error))
                if progress:
                    print(" FAILED", file=err, flush=True)
                continue
            except CheckCrashed as error:  # a crash is reported, not a verdict
                crashes.append((ctx.label, str(error), traceback.format_exc()))
                if progress:
                    print(f" CRASHED ({error})", file=err, flush=True)
                continue
            verdicts.append(verdict)
            if progress:
                print(f" {verdict.status} ({verdict.timings['total']:.1f} s)", file=err,
                      flush=True)
    if crashes:
        error = CheckCrashed("; ".join(message for _, message, _ in crashes))
        error.verdicts = verdicts  # type: ignore[attr-defined]
        error.tracebacks = [tb for _, _, tb in crashes if tb]  # type: ignore[attr-defined]
        error.problems = problems  # type: ignore[attr-defined]
        error.user_failures = failures  # type: ignore[attr-defined]
        raise error
    return verdicts


def run_power(
    claim_ids: Sequence[str] | None = None,
    *,
    profile: str | Profile = "quick",
    seed: int = 0,
    claims_from: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Run every registered false twin through its claim's own check.

    A twin is *caught* when the check refutes it. Claims without a twin get a row saying
    so (``caught`` None): a check that cannot fail confirms nothing.

    Examples
    --------
    >>> rows = run_power(["mst-size"])
    >>> rows[0]["twin"], rows[0]["caught"]
    ('n_plus_m_edges', True)
    """
    problems = load_claims(claims_from)
    if problems:
        raise ValueError("; ".join(str(p) for p in problems))
    prof = get_profile(profile)
    rows: list[dict[str, Any]] = []
    for claim_id in _resolve(claim_ids):
        claim = CLAIMS[claim_id]
        if not claim.twins:
            rows.append({"claim": claim_id, "variant": None, "twin": None, "caught": None,
                         "status": None, "description": "no false twin registered"})
            continue
        for twin in claim.twins:
            variant = twin.variant if twin.variant is not None else claim.variant_names[0]
            ctx = CheckContext(claim=claim, variant_name=variant, profile=prof, seed=seed,
                               twin=twin)
            verdict = run_one(ctx)
            rows.append({"claim": claim_id, "variant": variant, "twin": twin.name,
                         "caught": verdict.status == "refuted", "status": verdict.status,
                         "description": twin.description})
    return rows


def render_power(rows: Sequence[dict[str, Any]]) -> str:
    """Plain-text table of :func:`run_power` rows."""
    table = [("claim", "variant", "twin", "caught", "twin verdict")]
    for r in rows:
        caught = "-" if r["caught"] is None else ("yes" if r["caught"] else "NO")
        table.append((r["claim"], r["variant"] or "-", r["twin"] or "(none)", caught,
                      r["status"] or r["description"]))
    widths = [max(len(str(row[i])) for row in table) for i in range(4)]
    return "\n".join("  ".join(str(row[i]).ljust(widths[i]) for i in range(4)) + "  "
                     + str(row[4]) for row in table).rstrip()


def verdicts_json(verdicts: Sequence[Verdict], *, timings: bool = False) -> dict[str, Any]:
    """``{"claims": [...]}``, byte-stable per seed; ``timings=True`` adds the run-dependent
    ``{"timings": {...}}`` (wall-clock seconds per check) apart from the claims."""
    document: dict[str, Any] = {"claims": [v.to_json() for v in verdicts]}
    if timings:
        document["timings"] = {v.key: v.timings for v in verdicts}
    return document


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
        elif "cases_checked" in v.evidence:
            note = f"{v.evidence['cases_checked']} cases, exhaustive"
        elif "cases_requested" in v.evidence:
            note = f"search of {v.evidence['cases_requested']} cases"
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
    from topotheory.errors import InputError
    from topotheory.safe_input import read_text_file

    try:  # a regular file only: a FIFO is refused, never read (it would block)
        content = read_text_file(text, argument="--expect", what="verdict JSON file")
    except InputError as error:
        raise argparse.ArgumentTypeError(
            f"{text!r}: {error.problem}; give a verdict JSON file written by --json-out"
        ) from None
    try:
        data = json.loads(content)
    except (ValueError, RecursionError) as error:  # RecursionError: nested beyond reason
        reason = str(error) if isinstance(error, ValueError) else "nested too deeply"
        raise argparse.ArgumentTypeError(f"{text!r}: not readable JSON ({reason})") from None
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
    parser.add_argument("--timings", action="store_true",
                        help="add the run-dependent wall-clock seconds per check to the JSON "
                        "(under 'timings'; without it the JSON is byte-identical per seed)")
    parser.add_argument("--claims-from", action="append", metavar="MODULE", default=[],
                        help="import MODULE (dotted name, or path to a .py file) first: its "
                        "claims run next to the paper's (repeatable; see docs/extending.md)")
    parser.add_argument("--power", action="store_true",
                        help="run each claim's registered false twins through the same check "
                        "and report whether each was caught (refuted)")


def run_from_args(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run with parsed arguments; returns the exit status.

    0: every check ran (refuted claims are results); 1: ``--expect`` found a changed
    verdict (or ``--power`` found an uncaught twin); 2: a ``--claims-from`` claim could not
    be registered (the others ran); 3: a check crashed or returned something that is not a
    verdict (the others ran).
    """
    from topotheory.jsonout import dumps_strict, json_stream
    from topotheory.safe_output import atomic_write_text, is_stdout, validate_output_file

    document_out = out if out is not None else json_stream()
    out = out or sys.stdout
    json_out = getattr(args, "json_out", None)
    if isinstance(args.json, str):
        print(f"warning: --json PATH is deprecated; use --json-out {args.json} (--json alone "
              "prints JSON on stdout)", file=sys.stderr)
        json_out, args.json = json_out or args.json, False
    if json_out is not None and is_stdout(json_out):
        json_out, args.json = None, True
    if json_out is not None:
        validate_output_file(json_out, argument="--json-out")
    expected = args.expect
    if isinstance(expected, str):  # a path given programmatically
        expected = _expect_file(expected)
    if getattr(args, "power", False):
        rows = run_power(args.claim, profile=args.profile, seed=args.seed,
                         claims_from=getattr(args, "claims_from", None) or ())
        print(render_power(rows), file=sys.stderr if args.json is True else out)
        if json_out is not None:
            atomic_write_text(json_out, argument="--json-out", text=dumps_strict({"power": rows}))
        if args.json is True:
            document_out.write(dumps_strict({"power": rows}))
        return 0 if all(r["caught"] is not False for r in rows) else 1
    status = 0
    crashed: list[str] = []
    try:
        verdicts = run_checks(args.claim, profile=args.profile, seed=args.seed,
                              progress=not args.quiet,
                              claims_from=getattr(args, "claims_from", None) or ())
    except CheckCrashed as crash:
        verdicts = crash.verdicts  # type: ignore[attr-defined]
        for tb in crash.tracebacks:  # type: ignore[attr-defined]
            print(tb, file=sys.stderr)
        for problem in crash.problems:  # type: ignore[attr-defined]
            print(f"proofs_check: claim not registered: {problem}", file=sys.stderr)
        for failure in getattr(crash, "user_failures", ()):
            print(f"proofs_check: user check failed: {failure}", file=sys.stderr)
        if crash.tracebacks:  # type: ignore[attr-defined]
            print(f"proofs_check: check crashed: {crash}", file=sys.stderr)
            crashed = str(crash).split("; ")
        status = 3 if crash.tracebacks else 2  # type: ignore[attr-defined]
    print(render_table(verdicts), file=sys.stderr if args.json is True else out)
    document: dict[str, Any] = verdicts_json(verdicts, timings=getattr(args, "timings", False))
    if crashed:
        document["crashed"] = crashed
    if json_out is not None:
        atomic_write_text(json_out, argument="--json-out", text=dumps_strict(document))
    if args.json is True:
        document_out.write(dumps_strict(document))
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
    from topotheory.jsonout import json_only_stdout

    if sys.stderr is None:  # 2>&-: messages go nowhere, never onto stdout
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the run
    if sys.stdout is None:
        print("proofs_check: error: stdout (standard output) is closed; run with it open",
              file=sys.stderr)
        return 2
    try:
        with hypothesis_storage_outside_cwd(), json_only_stdout(args.json is True):
            return run_from_args(args)
    except (ValueError, OSError) as error:
        print(f"proofs_check: error: {error}", file=sys.stderr)
        return 2
