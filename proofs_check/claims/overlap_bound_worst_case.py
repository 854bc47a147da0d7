"""overlap-bound-worst-case: does Thm 3.3 hold for every weight matrix, not just on average?

The minimum of ``X`` over all strict weight orders of ``K_{n,m}`` is computed exactly by
:func:`topotheory.simulate.worst_case.worst_case_overlap` (the top-k edges packed into one
complete block ``K_{a,b}``, proved optimal); every shape ``n <= m <= max_side`` is enumerated
(:func:`proofs_check.rules.forall_exhaustive` over shapes ordered by ``n m``, then ``n``, then
``m``), so the counterexample is the failing shape with the fewest edges, with a weight
matrix that realises it (:func:`topotheory.simulate.worst_case.worst_case_weights`),
re-measured through the topology core.

Exact rationals in the counterexample stay exact but readable: a short fraction is
printed as is; a long one (the ``nm_minus_i_plus_1`` bound is a ratio of 150-digit integers) as its
leading and trailing digits with the digit counts, next to the call that recomputes it
exactly, and the exact comparison ``worst < bound`` is done on the full rationals
(``below_bound_exact``, ``bound_minus_worst``).
"""

from __future__ import annotations

from fractions import Fraction

from proofs_check.context import CheckContext
from proofs_check.rules import forall_exhaustive
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check

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


def shapes(max_side: int) -> list[tuple[int, int]]:
    """Every ``1 <= n <= m <= max_side``, ordered by ``n m``, then ``n``, then ``m``."""
    return sorted(((n, m) for n in range(1, max_side + 1) for m in range(n, max_side + 1)),
                  key=lambda s: (s[0] * s[1], s[0], s[1]))


@claim_check("overlap-bound-worst-case")
def check(ctx: CheckContext) -> Verdict:
    import numpy as np

    from topotheory.simulate.bounds import overlap_lower_bound
    from topotheory.simulate.worst_case import worst_case_overlap, worst_case_weights
    from topotheory.topology import topk_mst_overlap

    variant = ctx.variant_name
    max_side = 100 if ctx.profile.name == "deep" else 70

    def holds(shape: tuple[int, int]) -> bool:
        n, m = shape
        return worst_case_overlap(n, m).fraction >= overlap_lower_bound(n, m, variant=variant)

    def describe(shape: tuple[int, int]) -> dict:
        n, m = shape
        worst = worst_case_overlap(n, m)
        bound = Fraction(overlap_lower_bound(n, m, variant=variant))
        call = f"topotheory.simulate.bounds.overlap_lower_bound({n}, {m}, variant={variant!r})"
        weights = np.asarray(worst_case_weights(n, m))
        measured = topk_mst_overlap(weights)
        if measured.fraction >= bound:  # pragma: no cover - an internal inconsistency
            raise RuntimeError(f"worst-case matrix re-measured at {measured.fraction} >= bound")
        return {
            "n": n, "m": m, "k": worst.k, "worst_count": worst.count,
            "worst_fraction": str(worst.fraction), "bound": float(bound),
            "bound_exact": readable_fraction(bound, call), "block": worst.block,
            "weights": f"worst_case_weights({n}, {m})",
            "below_bound_exact": worst.fraction < bound,
            "bound_minus_worst": float(bound - worst.fraction),
            "core_recount": {"count": measured.count, "k": measured.k,
                             "fraction": measured.fraction},
        }

    return forall_exhaustive(
        ctx, shapes(max_side), holds, describe=describe,
        domain=f"every shape 1 <= n <= m <= {max_side}, exact adversarial minimum over weight "
        "orders (block packing, proved optimal); shapes in the order n*m, then n, then m",
        bounds={"n": [1, max_side], "m": ["n", max_side]},
    )
