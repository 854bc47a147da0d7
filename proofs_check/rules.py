"""The decision rule of each claim kind, written once and stated in every verdict's evidence.

``forall``
    :func:`forall_search` (hypothesis search with shrinking: says what was searched and how
    many cases) and :func:`forall_exhaustive` (a finite domain enumerated completely:
    ``exhaustive: true`` with the domain bounds, a stronger statement than a search).
``expectation``
    :func:`expectation_verdict`: exact values where enumeration reaches; a Monte Carlo test
    confirms only when its lower confidence limit is >= the bound and refutes only when its
    upper limit is < the bound, otherwise the verdict is ``inconclusive``. The family-wise
    false-verdict rate of a claim is at most :data:`FAMILY_ALPHA`, split (Bonferroni) over
    every Monte Carlo test of every variant of the claim (:func:`per_test_confidence`).
``empirical``
    Decided against a control with an effect size and an interval over seeds:
    :func:`interval_verdict` confirms only when the interval's lower limit clears the
    threshold, refutes only when its upper limit falls short, else ``inconclusive``;
    :func:`empirical_verdict` records the rule text beside the numbers.

Every interval-against-bound comparison (Monte Carlo, exact values, intervals over seeds)
is the one rule :func:`topotheory.theory.decision.three_way`: confirmed when ``low >=
bound``, refuted when ``high < bound``. Each rule records itself in ``Verdict.decided_by``;
:func:`kind_mismatch` says when that rule cannot decide the claim's declared kind
(:data:`KIND_DECIDERS`), and the runner then reports ``inconclusive`` with the reason.

No vacuous verdicts: a search that evaluated no case, an enumeration of an empty domain,
an expectation with neither exact values nor Monte Carlo tests, and a symbolic check with no
proof registered are ``inconclusive`` with the reason, never confirmed (or proved).

A ``forall`` search states the searched domain and the *requested* number of cases in the
evidence; the number hypothesis actually evaluated depends on its version, so it goes to
the run-dependent ``timings`` (``search_evaluations``), never into the evidence.

Examples
--------
>>> per_test_confidence(n_tests=4)
0.99975
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from proofs_check.context import CheckContext
from proofs_check.search import find_counterexample
from proofs_check.verdict import Verdict
from topotheory.theory.decision import three_way
from topotheory.theory.design import MC_FAMILY_ALPHA

__all__ = [
    "FAMILY_ALPHA",
    "KIND_DECIDERS",
    "MonteCarloTest",
    "empirical_verdict",
    "expectation_verdict",
    "forall_exhaustive",
    "forall_first_failure",
    "forall_search",
    "interval_verdict",
    "kind_mismatch",
    "per_test_confidence",
    "symbolic_evidence",
]

#: The rules (``Verdict.decided_by``) that can decide each claim kind. A ``forall`` claim
#: is never decided by a statistical interval, an ``expectation`` never by a random search
#: (an exhaustive enumeration of exact values does decide it), an ``empirical`` claim only
#: against its control (an interval over seeds, or a comparison stating its rule); a
#: comparison the check writes itself (``check``) decides any kind.
KIND_DECIDERS: dict[str, tuple[str, ...]] = {
    "forall": ("forall_search", "forall_exhaustive", "symbolic", "check"),
    "expectation": ("expectation", "forall_exhaustive", "symbolic", "check"),
    "empirical": ("interval", "empirical", "check"),
}


def kind_mismatch(verdict: Verdict) -> str | None:
    """Why ``verdict`` cannot stand for its claim's declared kind, or None.

    A ``proved`` status needs a symbolic proof (``decided_by == "symbolic"``); a
    ``confirmed`` or ``proved`` verdict needs evidence.

    Examples
    --------
    >>> v = Verdict("x", "forall", "confirmed", "s", "p", evidence={"n": 1},
    ...             decided_by="interval")
    >>> kind_mismatch(v)
    "claim 'x' declares kind 'forall', but its check decided it with the 'interval' rule, which decides only ['empirical'] claims; declare the kind that matches its check, or decide it with one of ['forall_search', 'forall_exhaustive', 'symbolic', 'check']"
    """
    allowed = KIND_DECIDERS.get(verdict.kind, ())
    if verdict.decided_by not in allowed:
        kinds = [k for k, rules in KIND_DECIDERS.items() if verdict.decided_by in rules]
        return (f"claim {verdict.id!r} declares kind {verdict.kind!r}, but its check decided "
                f"it with the {verdict.decided_by!r} rule, which decides only {kinds} claims; "
                "declare the kind that matches its check, or decide it with one of "
                f"{list(allowed)}")
    if verdict.status == "proved" and verdict.decided_by != "symbolic":
        return (f"claim {verdict.id!r}: 'proved' needs a symbolic proof, but the "
                f"{verdict.decided_by!r} rule decided it")
    if verdict.status in ("confirmed", "proved") and not verdict.evidence:
        return f"claim {verdict.id!r}: {verdict.status} without any evidence recorded"
    return None

#: Largest family-wise probability of a wrong Monte Carlo verdict, per claim (its one home
#: is the designs' :data:`topotheory.theory.design.MC_FAMILY_ALPHA`).
FAMILY_ALPHA = MC_FAMILY_ALPHA

FORALL_SEARCH_RULE = ("forall (search): refuted by the first counterexample found, shrunk by "
                      "hypothesis (shrunk, not proved minimal); confirmed when none was found "
                      "among the cases tried (a search, not a proof)")
FORALL_EXHAUSTIVE_RULE = ("forall (exhaustive): every case of the finite domain evaluated; "
                          "refuted by the first failing case in enumeration order (minimal in "
                          "that order: every earlier case holds), confirmed when none fails")
EXPECTATION_RULE = ("expectation: exact values where enumeration reaches (refuted if one is "
                    "below the bound); Monte Carlo confirms only when every lower confidence "
                    "limit is >= its bound, refutes when an upper limit is < its bound, else "
                    "inconclusive; family-wise false-verdict rate <= {alpha:g} per claim, "
                    "split equally (Bonferroni) over its {tests} Monte Carlo test(s)")


def forall_search(
    ctx: CheckContext,
    strategy: Any,
    holds: Callable[[Any], bool],
    *,
    domain: str,
    describe: Callable[[Any], dict[str, Any]] = lambda x: {"input": x},
    max_examples: int | None = None,
    evidence: dict[str, Any] | None = None,
) -> Verdict:
    """Search ``strategy`` for an input where ``holds`` is False (hypothesis, seeded).

    Examples
    --------
    >>> from hypothesis import strategies as st
    >>> from proofs_check.profiles import get_profile
    >>> from topotheory.theory.registry import get_claim
    >>> ctx = CheckContext(claim=get_claim("mst-size"), variant_name=None,
    ...                    profile=get_profile("quick"), seed=0)
    >>> v = forall_search(ctx, st.integers(0, 100), lambda x: x < 10, domain="0..100")
    >>> v.status, v.counterexample, v.evidence["exhaustive"], v.evidence["cases_requested"]
    ('refuted', {'input': 10}, False, 200)
    """
    from hypothesis.errors import Unsatisfiable

    decide = {"decided_by": "forall_search"}
    try:
        with ctx.timed("search"):
            outcome = find_counterexample(strategy, holds, seed=ctx.seed,
                                          max_examples=max_examples or ctx.profile.max_examples)
    except Unsatisfiable as error:  # an empty strategy, or every draw filtered out
        return ctx.verdict("inconclusive", evidence={
            "rule": FORALL_SEARCH_RULE, "domain": domain, "exhaustive": False,
            "reason": "the search could not generate a single case (empty or fully filtered "
            f"strategy: {str(error).splitlines()[0][:120]}): nothing was checked"}, **decide)
    ctx.effort("search_evaluations", outcome.evaluations)
    info = {
        "rule": FORALL_SEARCH_RULE,
        "search": "hypothesis.find (shrinking), no example database",
        "domain": domain,
        "exhaustive": False,
        "cases_requested": max_examples or ctx.profile.max_examples,
        "seed": ctx.seed,
        **(evidence or {}),
    }
    if outcome.found:
        return ctx.verdict("refuted", evidence=info,
                           counterexample=describe(outcome.counterexample), **decide)
    if outcome.evaluations == 0:
        return ctx.verdict("inconclusive", evidence={
            **info, "reason": "the search evaluated no case (every drawn input was rejected "
            "or the strategy is empty): nothing was checked"}, **decide)
    return ctx.verdict("confirmed", evidence=info, **decide)


def forall_exhaustive(
    ctx: CheckContext,
    cases: Iterable[Any],
    holds: Callable[[Any], bool],
    *,
    domain: str,
    bounds: dict[str, Any],
    describe: Callable[[Any], dict[str, Any]] = lambda x: {"input": x},
    evidence: dict[str, Any] | None = None,
) -> Verdict:
    """Evaluate every case of a finite domain, in order; the first failure refutes.

    Examples
    --------
    >>> from proofs_check.profiles import get_profile
    >>> from topotheory.theory.registry import get_claim
    >>> ctx = CheckContext(claim=get_claim("mst-size"), variant_name=None,
    ...                    profile=get_profile("quick"), seed=0)
    >>> v = forall_exhaustive(ctx, range(1, 6), lambda n: n * (n + 1) % 2 == 0,
    ...                       domain="1 <= n <= 5", bounds={"n": [1, 5]})
    >>> v.status, v.evidence["exhaustive"], v.evidence["cases_checked"]
    ('confirmed', True, 5)
    """
    count, failure = 0, None
    with ctx.timed("enumeration"):
        for case in cases:
            count += 1
            if not holds(case):
                failure = case
                break
    info = {"rule": FORALL_EXHAUSTIVE_RULE, "domain": domain, "exhaustive": True,
            "domain_bounds": bounds, "cases_checked": count, **(evidence or {})}
    if failure is not None:
        return ctx.verdict("refuted", evidence=info, counterexample=describe(failure),
                           decided_by="forall_exhaustive")
    if count == 0:
        return ctx.verdict("inconclusive", evidence={
            **info, "reason": f"the domain {domain} is empty: no case was evaluated"},
            decided_by="forall_exhaustive")
    return ctx.verdict("confirmed", evidence=info, decided_by="forall_exhaustive")


def forall_first_failure(ctx: CheckContext, first: Any, *,
                         evidence: dict[str, Any] | None = None) -> Verdict:
    """Verdict of an exhaustive enumeration in a stated order
    (:class:`topotheory.simulate.first_failure.FirstFailure`): refuted by its first failing
    case, which is minimal in the stated order (every earlier case was checked and holds).

    Examples
    --------
    >>> from proofs_check.profiles import get_profile
    >>> from topotheory.simulate.first_failure import sparse_bound_first_failure
    >>> from topotheory.theory.registry import get_claim
    >>> ctx = CheckContext(claim=get_claim("overlap-bound-sparse"), variant_name="rho_nm",
    ...                    profile=get_profile("quick"), seed=0)
    >>> v = forall_first_failure(ctx, sparse_bound_first_failure("rho_nm"))
    >>> v.status, v.counterexample["n"], v.counterexample["m"], v.evidence["exhaustive"]
    ('refuted', 9, 10, True)
    """
    info = {"rule": FORALL_EXHAUSTIVE_RULE, "exhaustive": True, "enumeration": first.as_dict(),
            "cases_checked": first.cases_checked, **(evidence or {})}
    if first.failing is not None:
        return ctx.verdict("refuted", evidence=info, counterexample={
            **first.failing, "minimal": f"first failing case in the order: {first.order}; "
            f"all {first.cases_checked - 1} earlier cases hold"}, decided_by="forall_exhaustive")
    if first.cases_checked == 0:
        return ctx.verdict("inconclusive", evidence={
            **info, "reason": "the enumeration checked no case: its domain is empty"},
            decided_by="forall_exhaustive")
    return ctx.verdict("confirmed", evidence=info, decided_by="forall_exhaustive")


INTERVAL_RULE = ("{what}: confirmed when the lower limit of the {confidence:.0%} interval over "
                 "seeds is >= {threshold:g}, refuted when its upper limit is < {threshold:g}, "
                 "otherwise inconclusive")


def interval_verdict(ctx: CheckContext, interval: Any, *, threshold: float, what: str,
                     evidence: dict[str, Any] | None = None) -> Verdict:
    """Decide an empirical reading from an interval over seeds (``SeedInterval``-like:
    ``mean``, ``low``, ``high``, ``confidence``, ``as_dict()``) against ``threshold``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from proofs_check.profiles import get_profile
    >>> from topotheory.theory.registry import get_claim
    >>> ctx = CheckContext(claim=get_claim("np-grows"), variant_name="beyond_controls_adam",
    ...                    profile=get_profile("quick"), seed=0)
    >>> iv = SimpleNamespace(mean=2.9, low=-2.4, high=8.2, confidence=0.95,
    ...                      as_dict=lambda: {})
    >>> interval_verdict(ctx, iv, threshold=0.0, what="effect").status
    'inconclusive'
    """
    rule = INTERVAL_RULE.format(what=what, confidence=interval.confidence, threshold=threshold)
    info = {"rule": "empirical: " + rule, "interval": interval.as_dict(),
            "threshold": threshold, **(evidence or {})}
    decide = {"decided_by": "interval"}
    if interval.low is None:
        return ctx.verdict("inconclusive", evidence={**info, "reason": "one seed: no interval"},
                           **decide)
    status = three_way(interval.low, interval.high, threshold)
    if status == "confirmed":
        return ctx.verdict("confirmed", evidence=info, **decide)
    if status == "refuted":
        return ctx.verdict("refuted", evidence=info, counterexample={
            what: interval.mean, "interval": [interval.low, interval.high],
            "threshold": threshold}, **decide)
    info["reason"] = (f"{what} {interval.mean:.3g}, interval [{interval.low:.3g}, "
                      f"{interval.high:.3g}] contains {threshold:g}: neither confirmed nor "
                      "refuted with these seeds")
    return ctx.verdict("inconclusive", evidence=info, **decide)


def per_test_confidence(*, n_tests: int, family_alpha: float = FAMILY_ALPHA) -> float:
    """Two-sided confidence of each of ``n_tests`` intervals (Bonferroni split).

    Examples
    --------
    >>> per_test_confidence(n_tests=1)
    0.999
    """
    if n_tests < 1:
        raise ValueError(f"n_tests={n_tests} must be >= 1")
    return 1 - family_alpha / n_tests


def mc_tests_of_claim(ctx: CheckContext, per_variant: int) -> int:
    """Monte Carlo tests of the whole claim: ``per_variant`` times its number of readings."""
    return per_variant * len(ctx.claim.variant_names)


@dataclass(frozen=True)
class MonteCarloTest:
    """One Monte Carlo estimate compared with its bound.

    Attributes
    ----------
    label : str
        What was simulated (e.g. ``"784x100"``).
    mean, ci_low, ci_high : float
        Estimate and two-sided interval at ``confidence``.
    confidence : float
    bound : float
    details : dict
        Trials, seed, model, interval method.
    """

    label: str
    mean: float
    ci_low: float
    ci_high: float
    confidence: float
    bound: float
    details: dict[str, Any]

    @property
    def outcome(self) -> str:
        """``three_way(ci_low, ci_high, bound)``: ``confirmed`` (lower >= bound), ``refuted``
        (upper < bound) or ``inconclusive``."""
        return three_way(self.ci_low, self.ci_high, self.bound)

    def as_dict(self) -> dict[str, Any]:
        return {"mean": self.mean, "ci_low": self.ci_low, "ci_high": self.ci_high,
                "confidence": self.confidence, "bound": self.bound, **self.details,
                "outcome": self.outcome}

    @classmethod
    def from_simulation(cls, label: str, sim: Any, bound: float) -> MonteCarloTest:
        """From a :class:`topotheory.simulate.montecarlo.OverlapSimulation`."""
        est = sim.estimate
        return cls(label=label, mean=est.mean, ci_low=est.ci_low, ci_high=est.ci_high,
                   confidence=est.confidence, bound=bound,
                   details={"ci_method": est.method, "trials": est.trials, "seed": sim.seed,
                            "model": sim.model, "rho": str(sim.rho)})


def expectation_verdict(
    ctx: CheckContext,
    *,
    exact: Sequence[dict[str, Any]] = (),
    monte_carlo: Sequence[MonteCarloTest] = (),
    n_tests: int | None = None,
    evidence: dict[str, Any] | None = None,
) -> Verdict:
    """Decide an expectation claim from exact values and Monte Carlo tests.

    ``exact`` rows carry ``"E[X]"`` and ``"bound"`` (exact rationals, compared exactly);
    ``n_tests`` is the claim's total number of Monte Carlo tests (all variants) that the
    family-wise rate is split over (default: ``len(monte_carlo)`` times the variants).

    Examples
    --------
    >>> from proofs_check.profiles import get_profile
    >>> from topotheory.theory.registry import get_claim
    >>> ctx = CheckContext(claim=get_claim("random-overlap"), variant_name=None,
    ...                    profile=get_profile("quick"), seed=0)
    >>> t = MonteCarloTest(label="x", mean=0.5, ci_low=0.4, ci_high=0.6, confidence=0.999,
    ...                    bound=0.45, details={})
    >>> expectation_verdict(ctx, monte_carlo=[t]).status
    'inconclusive'
    """
    from fractions import Fraction

    n_tests = n_tests if n_tests is not None else mc_tests_of_claim(ctx, len(monte_carlo))
    info: dict[str, Any] = {
        "rule": EXPECTATION_RULE.format(alpha=FAMILY_ALPHA, tests=n_tests),
        "family_alpha": FAMILY_ALPHA,
        "monte_carlo_tests_in_claim": n_tests,
        **(evidence or {}),
    }
    decide = {"decided_by": "expectation"}
    if not exact and not monte_carlo:
        return ctx.verdict("inconclusive", evidence={
            **info, "reason": "no exact value and no Monte Carlo test was computed: nothing "
            "was checked"}, **decide)
    if exact:
        info["exact"] = [dict(r) for r in exact]
    violations = [r for r in exact if three_way(
        Fraction(str(r["E[X]"])), Fraction(str(r["E[X]"])), Fraction(str(r["bound"])))
        == "refuted"]
    if monte_carlo:
        info["monte_carlo"] = {t.label: t.as_dict() for t in monte_carlo}
    if violations:
        first = dict(violations[0])
        first.update({"E[X]_float": float(Fraction(str(first["E[X]"]))),
                      "bound_float": float(Fraction(str(first["bound"]))),
                      "all_violations": violations})
        return ctx.verdict("refuted", evidence=info, counterexample=first, **decide)
    refuting = [t for t in monte_carlo if t.outcome == "refuted"]
    if refuting:
        t = refuting[0]
        return ctx.verdict("refuted", evidence=info,
                           counterexample={"simulated": t.label, **t.as_dict()}, **decide)
    undecided = [t.label for t in monte_carlo if t.outcome == "inconclusive"]
    if undecided:
        info["reason"] = (f"Monte Carlo interval contains the bound for {', '.join(undecided)}: "
                          "neither confirmed nor refuted at this effort")
        return ctx.verdict("inconclusive", evidence=info, **decide)
    return ctx.verdict("confirmed", evidence=info, **decide)


def empirical_verdict(ctx: CheckContext, status: str, *, rule: str,
                      evidence: dict[str, Any] | None = None,
                      counterexample: dict[str, Any] | None = None) -> Verdict:
    """An empirical verdict with the comparison it was decided by stated in its evidence."""
    return ctx.verdict(status, evidence={"rule": "empirical: " + rule, **(evidence or {})},
                       counterexample=counterexample, decided_by="empirical")


def symbolic_evidence(ctx: CheckContext, names: Sequence[str] | None = None
                      ) -> tuple[bool, dict[str, Any]]:
    """Run the reading's symbolic proofs (default :attr:`CheckContext.proofs`).

    Returns (all proved, evidence dict). With no proof to run, nothing is proved: the
    first value is False (a vacuous "all of none proved" never counts).
    """
    from topotheory.theory.proofs import run_proof

    with ctx.timed("symbolic"):
        results = [run_proof(n) for n in (ctx.proofs if names is None else names)]
    evidence = {
        r.name: {"statement": r.statement, "status": r.status, "steps": dict(r.steps)}
        for r in results
    }
    return bool(results) and all(r.status == "proved" for r in results), {"symbolic": evidence}
