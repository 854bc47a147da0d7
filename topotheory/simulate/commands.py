"""``topotheory simulate ...``: the command-line face of :mod:`topotheory.simulate`.

Subcommands
-----------
``overlap``    Monte Carlo top-k / MST overlap for one shape and model, with the
               Theorem 3.3 bounds, the exact value (small shapes) and the worst case.
``exact``      Exact ``E[X]`` (and the law with ``--distribution``) under iid weights.
``appendix-c`` The four Appendix C probabilities for the MNIST layer shapes.
``null-model`` iid expectation vs the hypergeometric null for the MNIST layer shapes.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="topotheory")
>>> register(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["simulate", "overlap", "--n", "4", "--m", "5", "--trials", "100"])
>>> args.model, args.seed
('iid', 0)
"""

from __future__ import annotations

import argparse
from fractions import Fraction
from typing import Any

from topotheory.cli_args import parse_whole_number
from topotheory.jsonout import add_json_arguments, emit_json

_EXACT_MAX_EDGES = 400


def _param(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"--param expects NAME=VALUE, got {text!r}")
    try:
        return name.replace("-", "_"), float(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"--param {name}: {value!r} is not a number") from error


def _rho(text: str) -> Fraction:
    """``--rho``: a fraction in (0, 1] such as ``0.5`` or ``1/3``."""
    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number in (0, 1]; give e.g. 0.5 or 1/3"
        ) from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} must lie in (0, 1]; give e.g. 0.5 or 1/3")
    return value


_LIBRARY_CAPS = -1  # --max-edges not given: the library's default caps


def _max_edges(text: str) -> int | None:
    value = parse_whole_number(text, minimum=0, not_whole="{text!r} is not an integer",
                               too_small="{value} is negative; give N >= 1, or 0 for no cap")
    return None if value == 0 else value


def register(subparsers: Any) -> None:
    """Add the ``simulate`` command and its subcommands to ``subparsers``."""
    from topotheory.simulate.models import model_names

    parser = subparsers.add_parser(
        "simulate", help="random-weight overlap: exact, Monte Carlo, Appendix C, null model"
    )
    sub = parser.add_subparsers(
        dest="simulate_command", metavar="SUBCOMMAND",
        help="run 'topotheory simulate SUBCOMMAND --help' for its options",
    )
    sub.required = True

    overlap = sub.add_parser("overlap", help="Monte Carlo top-k/MST overlap with intervals")
    overlap.add_argument("--n", type=int, required=True, help="input nodes")
    overlap.add_argument("--m", type=int, required=True, help="output nodes")
    overlap.add_argument("--k", type=int, default=None, help="top-k size (default n+m-1)")
    overlap.add_argument("--trials", type=int, default=100_000, help="Monte Carlo draws")
    overlap.add_argument("--seed", type=int, default=0, help="random seed, an integer >= 0")
    overlap.add_argument("--model", choices=model_names(), default="iid",
                         help="random weight model")
    overlap.add_argument(
        "--param", type=_param, action="append", default=[], metavar="NAME=VALUE",
        help="model parameter, e.g. df=3, sigma=1, rank=1, noise=0.1 (repeatable)",
    )
    overlap.add_argument("--rho", type=_rho, default=Fraction(1),
                         help="edge density in (0, 1] (Corollary 3.4), e.g. 0.5 or 1/3")
    overlap.add_argument("--confidence", type=float, default=0.999,
                         help="confidence level of the interval, in (0, 1)")
    overlap.add_argument(
        "--ci-method", choices=("bernstein", "hoeffding", "student-t"), default="bernstein",
        help="interval method",
    )
    add_json_arguments(overlap, what="the report")
    overlap.set_defaults(func=_run_overlap)

    exact = sub.add_parser("exact", help="exact E[X] under iid weights (counting)")
    exact.add_argument("--n", type=int, required=True, help="input nodes")
    exact.add_argument("--m", type=int, required=True, help="output nodes")
    exact.add_argument("--k", type=int, default=None, help="top-k size (default n+m-1)")
    exact.add_argument("--distribution", action="store_true", help="also the exact law")
    exact.add_argument("--max-edges", type=_max_edges, default=_LIBRARY_CAPS, metavar="N",
                       help="refuse n*m above N before computing (default 2000 for E[X], 400 "
                       "with --distribution; 0 = no cap)")
    add_json_arguments(exact, what="the result")
    exact.set_defaults(func=_run_exact)

    appendix = sub.add_parser("appendix-c", help="Appendix C probabilities, MNIST shapes")
    add_json_arguments(appendix, what="the table")
    appendix.set_defaults(func=_run_appendix_c)

    null = sub.add_parser("null-model", help="iid expectation vs hypergeometric null")
    null.add_argument("--trials", type=int, default=2_000, help="Monte Carlo draws per layer")
    null.add_argument("--seed", type=int, default=0, help="random seed, an integer >= 0")
    add_json_arguments(null, what="the table")
    null.set_defaults(func=_run_null_model)


def _overlap_report(args: argparse.Namespace) -> dict[str, Any]:
    from topotheory.simulate._validation import check_shape
    from topotheory.simulate.bounds import BOUND_VARIANTS, overlap_lower_bound
    from topotheory.simulate.counting import exact_expected_overlap
    from topotheory.simulate.montecarlo import simulate_overlap
    from topotheory.simulate.stats import verdict_at_least
    from topotheory.simulate.worst_case import worst_case_overlap

    rho = Fraction(args.rho)
    check_shape(args.n, args.m, args.k)
    sim = simulate_overlap(
        args.n, args.m, trials=args.trials, seed=args.seed, model=args.model, k=args.k,
        rho=rho, confidence=args.confidence, ci_method=args.ci_method, **dict(args.param),
    )
    report: dict[str, Any] = sim.as_dict()
    alpha = 1.0 - args.confidence
    report["bounds"] = {}
    for variant in BOUND_VARIANTS:
        bound = overlap_lower_bound(args.n, args.m, sim.k, variant=variant, rho=rho)
        verdict = verdict_at_least(sim.fractions, bound, alpha=alpha, method=args.ci_method)
        report["bounds"][variant] = {
            "bound": float(bound), "bound_exact": str(bound), "verdict": verdict.status,
        }
    if args.model == "iid" and rho == 1 and args.n * args.m <= _EXACT_MAX_EDGES:
        exact = exact_expected_overlap(args.n, args.m, sim.k)
        report["exact"] = {"value": float(exact), "fraction": str(exact)}
    if args.model == "iid":
        from topotheory.simulate.overlap_limit import limit_summary

        report["large_layer_limit"] = limit_summary(args.n, args.m, sim.k)
    worst = worst_case_overlap(args.n, args.m, sim.k)
    report["worst_case"] = {"count": worst.count, "fraction": float(worst.fraction),
                            "block": list(worst.block)}
    return report


def _run_overlap(args: argparse.Namespace) -> int:
    report = _overlap_report(args)
    if emit_json(args, report, sort_keys=True):
        return 0
    est = report["estimate"]
    print(f"top-k/MST overlap  n={report['n']} m={report['m']} k={report['k']} "
          f"model={report['model']} rho={report['rho']} seed={report['seed']}")
    print(f"  trials {report['trials']} (draws {report['attempts']})")
    print(f"  mean   {est['mean']:.6f}   {est['confidence']:.4g} {est['method']} interval "
          f"[{est['ci_low']:.6f}, {est['ci_high']:.6f}]   std {est['std']:.4f}")
    if "exact" in report:
        print(f"  exact  {report['exact']['value']:.6f}   ({report['exact']['fraction']})")
    if report.get("large_layer_limit"):
        lim = report["large_layer_limit"]
        print(f"  limit  {lim['law']:.6f}   (large-layer law, error <= {lim['error_bound']:.2g}; "
              f"corrected {lim['corrected']:.6f})")
    for variant, row in report["bounds"].items():
        print(f"  bound  {row['bound']:.6f}   variant {variant:<7} -> {row['verdict']}")
    wc = report["worst_case"]
    print(f"  worst  {wc['fraction']:.6f}   (min over weight orders: {wc['count']} edges, "
          f"block {wc['block'][0]}x{wc['block'][1]})")
    return 0


def _run_exact(args: argparse.Namespace) -> int:
    from topotheory.simulate.counting import (
        EXACT_DISTRIBUTION_MAX_EDGES,
        EXACT_MAX_EDGES,
        _check_exact_size,
        exact_expected_overlap,
        exact_overlap_distribution,
    )

    if args.max_edges == _LIBRARY_CAPS:
        cap: int | None = EXACT_DISTRIBUTION_MAX_EDGES if args.distribution else EXACT_MAX_EDGES
    else:
        cap = args.max_edges
    if args.distribution:  # both sizes are checked before any table is built
        _check_exact_size(args.n, args.m, cap, "the exact law")
    value = exact_expected_overlap(args.n, args.m, args.k, max_edges=cap)
    report: dict[str, Any] = {"n": args.n, "m": args.m, "k": args.k or args.n + args.m - 1,
                              "expected_overlap": str(value), "float": float(value)}
    if args.distribution:
        law = exact_overlap_distribution(args.n, args.m, args.k, max_edges=cap)
        report["distribution"] = {str(c): str(p) for c, p in law.items()}
    if not emit_json(args, report):
        print(f"E[X] = {float(value):.12f} = {value}")
        for c, p in report.get("distribution", {}).items():
            print(f"  P(count = {c}) = {float(Fraction(p)):.6g}")
    return 0


def _run_appendix_c(args: argparse.Namespace) -> int:
    from topotheory.simulate.hypergeom import appendix_c_table

    rows = appendix_c_table()
    if emit_json(args, [row.__dict__ for row in rows]):
        return 0
    print("log10 probabilities, two random k-subsets of the layer's edges (k = n+m-1)")
    for row in rows:
        probs = "  ".join(f"{key} {value:9.3f}" for key, value in row.log10_probability.items())
        print(f"{row.name:<11} n={row.n:<6} m={row.m:<4} E={row.n_edges:<7} k={row.k:<6} {probs}")
    return 0


def _run_null_model(args: argparse.Namespace) -> int:
    from topotheory.simulate.results import null_model_conclusion, null_model_table

    rows = null_model_table(trials=args.trials, seed=args.seed)
    out = [{**{key: value for key, value in row.__dict__.items() if key != "iid"},
            "iid": row.iid.as_dict()} for row in rows]
    if emit_json(args, {"rows": out, "conclusion": null_model_conclusion(rows)}):
        return 0
    print("layer        k      iid E[X]  [interval]            null k/E   ratio  log10 P_null(X>=iid)")
    for row in rows:
        print(f"{row.name:<11} {row.k:<6} {row.iid.mean:.4f} [{row.iid.ci_low:.4f}, "
              f"{row.iid.ci_high:.4f}]  {row.hypergeometric_mean:.4f}   {row.ratio:6.1f}  "
              f"{row.log10_null_tail_at_iid_mean:10.1f}")
    print(null_model_conclusion(rows))
    return 0
