"""tccr-recurrent: h^2 / (2h - 1), under three readings of 'the recurrent graph'.

* ``per_step`` — one unrolled step (``recurrent_unrolled_graph(W, 1)``), an ``h x h``
  complete bipartite layer: the paper's argument ("the same weights are shared across all
  unrolled instances").
* ``unrolled_whole`` — the whole ``T``-step unrolled graph has ``(T + 1) h`` nodes and
  ``T h^2`` edges, so ``|E|/|MST| = T h^2 / ((T + 1) h - 1)``: the formula holds only at
  ``T = 1`` (symbolically proved), so this reading is refuted.
* ``unrolled_params`` — ``h^2`` parameters over the number of distinct shared parameters
  the whole graph's MST uses ("parameters to be stored").
"""

from __future__ import annotations

from proofs_check.context import CheckContext
from proofs_check.rules import forall_search, symbolic_evidence
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.tccr_recurrent import CLAIM


def _strategy(max_side: int):
    from hypothesis import strategies as st

    @st.composite
    def build(draw):
        h = draw(st.integers(1, max(2, max_side - 1)))
        steps = draw(st.integers(1, 4))
        values = draw(st.lists(st.one_of(st.integers(-3, 3).map(float),
                                         st.floats(-8, 8, allow_nan=False, width=32)),
                               min_size=h * h, max_size=h * h))
        if all(v == 0 for v in values):
            values[0] = 1.0
        return h, steps, tuple(values)

    return build()


def exact_ratio(example, variant: str):
    import numpy as np
    import sympy as sp

    from topotheory.topology import maximum_spanning_forest, recurrent_unrolled_graph

    h, steps, values = example
    w = np.asarray(values, dtype=np.float64).reshape(h, h)
    if variant == "per_step":
        graph = recurrent_unrolled_graph(w, 1)
        return sp.Rational(graph.n_edges, maximum_spanning_forest(graph).size)
    graph = recurrent_unrolled_graph(w, steps)
    forest = maximum_spanning_forest(graph)
    if variant == "unrolled_whole":
        return sp.Rational(graph.n_edges, forest.size)
    return sp.Rational(h * h, len(set(forest.param_index.tolist())))


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    from proofs_check.search import find_counterexample
    from topotheory.theory.tccr import tccr_recurrent, tccr_recurrent_unrolled

    variant, side = ctx.variant_name, ctx.profile.max_side
    offset = ctx.twin_param("denominator_offset", 0)

    def formula(h):  # the claim; a false twin shifts its denominator 2h - 1
        return tccr_recurrent(h) * (2 * h - 1) / (2 * h - 1 + offset)
    proved, symbolic = symbolic_evidence(ctx)
    extra = dict(symbolic)
    if variant == "unrolled_whole":
        # The alternative closed form must match the exact whole-graph ratio everywhere.
        with ctx.timed("whole_graph_formula_search"):
            alt = find_counterexample(
                _strategy(side),
                lambda ex: exact_ratio(ex, variant) == tccr_recurrent_unrolled(ex[0], ex[1]),
                max_examples=ctx.profile.max_examples, seed=ctx.seed)
        extra["whole_graph_formula_T_h2_over_(T+1)h-1"] = (
            "matches every case tried" if not alt.found else f"mismatch at {alt.counterexample}")
    if variant == "unrolled_params":
        extra["note"] = ("counts distinct shared parameters (param_index) used by the MST of "
                         "the whole T-step graph")

    def describe(ex):
        h, steps, values = ex
        return {"h": h, "steps": steps, "W_hh": values, "exact": str(exact_ratio(ex, variant)),
                "formula_h2_over_2h-1": str(tccr_recurrent(h))}

    return forall_search(
        ctx, _strategy(side), lambda ex: exact_ratio(ex, variant) == formula(ex[0]),
        describe=describe, domain="W_hh up to (max_side-1)^2, T in 1..4, ties and zeros",
        evidence=extra,
    )
