"""overlap-bound-worst-case: does Thm 3.3 hold for every weight matrix, not just on average?

The exhaustive enumeration lives in one place,
:func:`topotheory.simulate.first_failure.worst_case_first_failure`: every shape ``n <= m``
in the order ``n m``, then ``n``, with the exact adversarial minimum of ``X`` over all
strict weight orders (:func:`topotheory.simulate.worst_case.worst_case_overlap`, proved
optimal) compared exactly with the bound. Its first failing shape (61x69 for ``nm``,
62x67 for ``nm_minus_i_plus_1``) is minimal in that order; the check re-measures it
through the topology core on a weight matrix that realises it
(:func:`topotheory.simulate.worst_case.worst_case_weights`).
"""

from __future__ import annotations

from fractions import Fraction

from proofs_check.context import CheckContext
from proofs_check.rules import forall_first_failure
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.overlap_bound_worst_case import CLAIM

#: Fractions whose ``str`` is longer than this are abbreviated (digits kept at each end).
MAX_EXACT_CHARS = 40
_EDGE_DIGITS = 10


def _abbreviate(digits: str) -> str:
    if len(digits) <= 2 * _EDGE_DIGITS + 3:
        return digits
    return f"{digits[:_EDGE_DIGITS]}...{digits[-_EDGE_DIGITS:]}"


def readable_fraction(value: Fraction, recompute: str) -> str:
    """A short exact fraction as is; a long one abbreviated, with digit counts and the
    expression that recomputes it exactly.

    Examples
    --------
    >>> readable_fraction(Fraction(1519, 8901), "f()")
    '1519/8901'
    >>> readable_fraction(Fraction(10**50 + 1, 3 * 10**50 + 7), "f()")
    '1000000000...0000000001/3000000000...0000000007 (51/51 digits; exactly f())'
    """
    text = str(value)
    if len(text) <= MAX_EXACT_CHARS:
        return text
    num, den = str(value.numerator), str(value.denominator)
    return (f"{_abbreviate(num)}/{_abbreviate(den)} ({len(num)}/{len(den)} digits; "
            f"exactly {recompute})")


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    import numpy as np

    from topotheory.simulate.first_failure import worst_case_first_failure
    from topotheory.simulate.worst_case import worst_case_weights
    from topotheory.topology import topk_mst_overlap

    max_edges = 10000 if ctx.profile.name == "deep" else 5000
    scale = ctx.twin_param("bound_scale", 1)
    with ctx.timed("enumeration"):
        first = worst_case_first_failure(ctx.variant_name, max_edges=max_edges,
                                         bound_scale=scale)
    evidence = {"domain": first.domain, "domain_bounds": {"n*m": [1, max_edges], "n": "<= m"}}
    if first.failing is not None:
        n, m = first.failing["n"], first.failing["m"]
        measured = topk_mst_overlap(np.asarray(worst_case_weights(n, m)))
        evidence["core_recount"] = {"count": measured.count, "k": measured.k}
        if measured.count != first.failing["worst_count"]:  # pragma: no cover
            raise RuntimeError(f"worst case of {n}x{m} re-measured at {measured.count}")
        return _readable(forall_first_failure(ctx, first, evidence=evidence), scale, ctx)
    return forall_first_failure(ctx, first, evidence=evidence)


def _readable(verdict: Verdict, scale, ctx: CheckContext) -> Verdict:
    """The counterexample's exact bound made readable (a long one abbreviated)."""
    from dataclasses import replace

    ce = dict(verdict.counterexample)
    call = (f"topotheory.simulate.bounds.overlap_lower_bound({ce['n']}, {ce['m']}, "
            f"variant={ctx.variant_name!r})" + (f" * {scale}" if scale != 1 else ""))
    exact = Fraction(ce.pop("bound"))
    ce["bound_exact"] = readable_fraction(exact, call)
    ce["below_bound_exact"] = Fraction(ce["worst_fraction"]) < exact
    ce["core_recount"] = verdict.evidence["core_recount"]
    return replace(verdict, counterexample=ce)
