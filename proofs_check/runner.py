"""Run the claim checks, print the verdict table, write JSON, compare with expectations."""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from proofs_check.arguments import add_arguments
from proofs_check.context import CheckContext
from proofs_check.expect import check_same_design, compare_expected
from proofs_check.loading import is_user_claim, load_claims, run_user_check
from proofs_check.profiles import Profile, get_profile
from proofs_check.rules import kind_mismatch
from proofs_check.verdict import Verdict
from proofs_check.verdict_file import (
    load_verdict_file,
    run_provenance,
    summarize,
    summary_text,
    verdicts_json,
)
from topotheory._extras import missing_extra
from topotheory.errors import InputError
from topotheory.nn.data_args import check_data_arguments
from topotheory.theory.claim import CHECKS, CLAIMS
from topotheory.user_code import TamperError

__all__ = ["CheckCrashed", "UserCheckFailed", "add_arguments", "check_claim",
           "compare_expected", "main", "render_power", "render_table", "run_checks",
           "run_from_args", "run_one", "run_power", "verdicts_json"]


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
    not this claim's :class:`Verdict`, raises :class:`CheckCrashed` naming the claim. A
    verdict that its rule cannot give for the claim's declared kind, a ``proved`` without a
    symbolic proof, or a ``confirmed`` without evidence becomes ``inconclusive`` with the
    reason (:func:`proofs_check.rules.kind_mismatch`): never a vacuous verdict.
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
    mismatch = kind_mismatch(verdict)
    if mismatch is not None:
        verdict = replace(verdict, status="inconclusive", counterexample=None, evidence={
            **verdict.evidence, "reason": mismatch, "status_of_the_check": verdict.status})
    timings = {**verdict.timings, **ctx.timings, "total": round(time.perf_counter() - start, 3)}
    return replace(verdict, timings=timings)


def check_claim(claim_id: str, *, variant: str | None = None, profile: str | Profile = "quick",
                seed: int = 0, dataset: str = "mnist", data_dir: str | None = None) -> Verdict:
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
                                seed=seed, dataset=dataset, data_dir=data_dir))


def run_checks(
    claim_ids: Sequence[str] | None = None,
    *,
    profile: str | Profile = "quick",
    seed: int = 0,
    progress: bool = True,
    stream: TextIO | None = None,
    claims_from: Sequence[str] = (),
    entry_points: bool = True,
    dataset: str = "mnist",
    data_dir: str | None = None,
) -> list[Verdict]:
    """Run the checks of ``claim_ids`` (default: all registered), every variant.

    ``dataset`` / ``data_dir`` choose the data of the trained claims (the vendored real
    MNIST by default; ``"digits"`` for scikit-learn's digits).

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
            ctx = CheckContext(claim=claim, variant_name=variant, profile=prof, seed=seed,
                               dataset=dataset, data_dir=data_dir)
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
    dataset: str = "mnist",
    data_dir: str | None = None,
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
                               twin=twin, dataset=dataset, data_dir=data_dir)
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


def render_table(verdicts: Sequence[Verdict]) -> str:
    """Plain-text verdict table, grouped by source (paper, reading, finding, user), with
    the counts of each source on the last line.

    Examples
    --------
    >>> from proofs_check.verdict import Verdict
    >>> print(render_table([Verdict("x", "forall", "proved", "s", "p", source="finding")]))  # doctest: +NORMALIZE_WHITESPACE
    source   claim  variant  kind    status  note
    finding  x      -        forall  proved
    <BLANKLINE>
    finding: 1 proved
    """
    from topotheory.theory.claim import SOURCE_KINDS

    order = {s: i for i, s in enumerate(SOURCE_KINDS)}
    rows = [("source", "claim", "variant", "kind", "status", "note")]
    for v in sorted(verdicts, key=lambda v: order.get(v.source, len(order))):
        note = ""
        if v.status == "inconclusive":
            note = str(v.evidence.get("reason", ""))[:70]
        elif v.counterexample is not None:
            note = "counterexample: " + json.dumps(v.to_json()["counterexample"])[:60]
        elif "cases_checked" in v.evidence:
            note = f"{v.evidence['cases_checked']} cases, exhaustive"
        elif "cases_requested" in v.evidence:
            note = f"search of {v.evidence['cases_requested']} cases"
        rows.append((v.source, v.id, v.variant or "-", v.kind, v.status, note))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    table = "\n".join(
        ("  ".join(r[i].ljust(widths[i]) for i in range(5)) + "  " + r[5]).rstrip() for r in rows)
    return table + "\n\n" + summary_text(summarize(verdicts))


def _data_options(args: argparse.Namespace) -> dict[str, Any]:
    """``dataset`` / ``data_dir`` from the parsed options, checked before any check runs."""
    dataset, data_dir = check_data_arguments(args)
    return {"dataset": dataset, "data_dir": data_dir}


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
    if isinstance(expected, (str, Path)):  # a path given programmatically
        expected = load_verdict_file(expected)
    if expected is not None:
        check_same_design(expected, profile=args.profile, seed=args.seed,
                          dataset=getattr(args, "dataset", "mnist"))
    started = time.perf_counter()
    if getattr(args, "numerics_check", False):
        return _numerics_check(args, out, document_out, json_out)
    if getattr(args, "power", False):
        rows = run_power(args.claim, profile=args.profile, seed=args.seed,
                         claims_from=getattr(args, "claims_from", None) or (),
                         **_data_options(args))
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
                              claims_from=getattr(args, "claims_from", None) or (),
                              **_data_options(args))
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
    ids = list(args.claim) if args.claim else list(CLAIMS)
    provenance = run_provenance(profile=args.profile, seed=args.seed, claims=ids,
                                started=started, command=_command_line(),
                                dataset=getattr(args, "dataset", "mnist"),
                                data_dir=getattr(args, "data_dir", None))
    document: dict[str, Any] = verdicts_json(verdicts, provenance=provenance,
                                             timings=getattr(args, "timings", False))
    if crashed:
        document["crashed"] = crashed
    if json_out is not None:
        atomic_write_text(json_out, argument="--json-out", text=dumps_strict(document))
    if args.json is True:
        document_out.write(dumps_strict(document))
    if expected is not None:
        problems = compare_expected(verdicts, expected, claim_ids=args.claim or None)
        for line in problems:
            print(f"proofs_check: --expect: {line}", file=sys.stderr)
        if problems and status == 0:
            status = 1
    return status


def _numerics_check(args: argparse.Namespace, out: TextIO, document_out: TextIO,
                    json_out: str | None) -> int:
    """``--numerics-check``: the same run under three numeric setups, compared."""
    from proofs_check.numerics import render_numerics, run_numerics_check
    from topotheory.jsonout import dumps_strict
    from topotheory.safe_output import atomic_write_text

    if args.claim:
        _resolve(args.claim)
    result = run_numerics_check(args.claim, profile=args.profile, seed=args.seed,
                                stream=io.StringIO() if args.quiet else None,
                                **_data_options(args))
    print(render_numerics(result, result["setups"]),
          file=sys.stderr if args.json is True else out)
    if json_out is not None:
        atomic_write_text(json_out, argument="--json-out",
                          text=dumps_strict({"numerics_check": result}))
    if args.json is True:
        document_out.write(dumps_strict({"numerics_check": result}))
    return 1 if result["status_differs"] or result["numbers_differ"] else 0


def _command_line() -> str:
    """The command that is running, as typed (for the provenance block)."""
    prog = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    if prog in ("__main__.py", "-m", "-c"):
        prog = "python -m proofs_check"
    return " ".join([prog, *sys.argv[1:]])


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
