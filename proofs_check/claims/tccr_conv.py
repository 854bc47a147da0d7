"""tccr-conv: prod(k) N_out / (N_in + N_out - 1) against the exact Toeplitz-graph MST.

Variants: ``connected_domain`` (the claim's stated domain: connected Toeplitz graphs) and
``all_geometries`` (every valid geometry; refuted by any disconnected one). Both verdicts
carry a deterministic domain probe over a grid of 1-D and 2-D geometries: where the graph
is connected, whether the formula matches exactly there, and the suite's closed-form
connectivity rule (:mod:`topotheory.theory.domain`) against the exact component count.
"""

from __future__ import annotations

import itertools

from proofs_check.context import CheckContext
from proofs_check.rules import forall_search, symbolic_evidence
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.tccr_conv import CLAIM
from topotheory.theory.conv_axis import disconnection_reason, padded_output_length


def geometries(max_size: int = 7):
    """Strategy of valid geometries ``(input, kernel, stride, padding, dilation)`` (1-D/2-D)."""
    from hypothesis import strategies as st

    axis = st.tuples(st.integers(1, max_size), st.integers(1, 4), st.integers(1, 3),
                     st.integers(0, 2), st.integers(1, 3)).filter(
        lambda a: a[0] + 2 * a[3] >= a[4] * (a[1] - 1) + 1)
    return st.lists(axis, min_size=1, max_size=2).map(
        lambda axes: tuple(tuple(a[i] for a in axes) for i in range(5)))


def exact(geometry, seed: int = 0):
    """(exact |E|/|MSF|, formula, n_components, counts) for one channel pair."""
    import numpy as np
    import sympy as sp

    from topotheory.theory.tccr import conv_geometry
    from topotheory.topology import conv_toeplitz_graph, maximum_spanning_forest

    size, kernel, stride, padding, dilation = geometry
    rng = np.random.default_rng([seed, *size, *kernel])
    weight = rng.standard_normal((1, 1, *kernel))
    graph = conv_toeplitz_graph(weight, (1, *size), stride=stride, padding=padding,
                                dilation=dilation)
    forest = maximum_spanning_forest(graph)
    g = conv_geometry(size, kernel, stride=stride, padding=padding, dilation=dilation)
    counts_ok = (graph.n_edges == g["n_edges"] and graph.n_inputs == g["n_in"]
                 and graph.n_outputs == g["n_out"])
    return sp.Rational(graph.n_edges, forest.size), g["kappa"], forest.n_components, counts_ok


def probe(grid_max: int) -> dict:
    """Deterministic grid over 1-D geometries and a 2-D sample: the domain found."""
    from topotheory.theory.domain import conv_connected_rule

    rows = []
    for i, k, s, p, d in itertools.product(range(1, grid_max + 1), range(1, 5), range(1, 4),
                                           range(0, 2), range(1, 3)):
        if i + 2 * p >= d * (k - 1) + 1:
            rows.append(((i,), (k,), (s,), (p,), (d,)))
    for (i1, k1, s1), (i2, k2, s2) in itertools.product(
        itertools.product(range(3, 8), (1, 2, 3), (1, 2)), repeat=2
    ):
        if (i1 + i2 + k1 + s2) % 3 == 0:  # a deterministic thinning of the 2-D grid
            rows.append(((i1, i2), (k1, k2), (s1, s2), (0, 1), (1, 1)))
    tried = connected = match_when_connected = counts_wrong = rule_wrong = 0
    mismatch_connected, disconnected_examples = [], []
    sufficient_gap_rule_ok = True
    seen_reasons: set[str] = set()
    for geom in rows:
        ratio, formula, comps, counts_ok = exact(geom)
        tried += 1
        counts_wrong += not counts_ok
        rule = conv_connected_rule(geom[0], geom[1], stride=geom[2], padding=geom[3],
                                   dilation=geom[4])
        rule_wrong += rule != (comps == 1)
        # Sufficient condition for disconnection: gaps between receptive fields.
        gap = any(s > d * (k - 1) + 1
                  and padded_output_length(i + 2 * p, k, stride=s, dilation=d) > 1
                  for i, k, s, p, d in zip(*geom, strict=True))
        if gap and comps == 1:
            sufficient_gap_rule_ok = False
        if comps == 1:
            connected += 1
            if ratio == formula:
                match_when_connected += 1
            else:
                mismatch_connected.append(_row(geom, ratio, formula, comps))
        else:
            reason = _reason(geom)
            if reason not in seen_reasons:
                seen_reasons.add(reason)
                disconnected_examples.append({"why": reason, **_row(geom, ratio, formula, comps)})
    return {
        "geometries_tried": tried,
        "connected": connected,
        "formula_exact_on_connected": f"{match_when_connected}/{connected}",
        "connected_mismatches": mismatch_connected[:5],
        "disconnected": tried - connected,
        "disconnected_examples": disconnected_examples,
        "edge_and_node_counts_wrong": counts_wrong,
        "closed_form_connectivity_rule_disagreements": rule_wrong,
        "stride_gt_dilated_kernel_implies_disconnected": sufficient_gap_rule_ok,
        "domain_found": (
            "formula = |E|/|MST| exactly iff the Toeplitz graph is connected, i.e. per axis: "
            "k=1 with padded length 1, or dilation 1 and (one window covering the axis, or "
            "stride <= k-1 and stride | (N-k)); every dilated (d>=2, k>=2) axis is disconnected "
            "(padded position 1 is never read, or positions split by residue mod d)"
        ),
    }


def _reason(geom) -> str:
    """Which clause of the per-axis rule fails first (for readable examples)."""
    for i, k, s, p, d in zip(*geom, strict=True):
        why = disconnection_reason(i + 2 * p, k, stride=s, dilation=d)
        if why is not None:
            return why
    return "other"


def _row(geom, ratio, formula, comps) -> dict:
    size, kernel, stride, padding, dilation = geom
    return {"input": size, "kernel": kernel, "stride": stride, "padding": padding,
            "dilation": dilation, "components": comps, "exact": str(ratio),
            "formula": str(formula)}


def channel_note() -> dict:
    """The formula ignores channels: the full multi-channel graph has a different ratio."""
    import numpy as np
    import sympy as sp

    from topotheory.theory.tccr import tccr_conv
    from topotheory.topology import conv_toeplitz_graph, maximum_spanning_forest

    w = np.random.default_rng(0).standard_normal((3, 2, 3, 3))
    graph = conv_toeplitz_graph(w, (2, 6, 6), padding=1)
    forest = maximum_spanning_forest(graph)
    return {"geometry": "C_in=2, C_out=3, 6x6, 3x3, padding 1",
            "exact_full_graph": str(sp.Rational(graph.n_edges, forest.size)),
            "one_pair_formula": str(tccr_conv((6, 6), (3, 3), padding=1))}


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    variant, seed = ctx.variant_name, ctx.seed
    offset = ctx.twin_param("denominator_offset", 0)
    proved, symbolic = symbolic_evidence(ctx)

    def holds(geom) -> bool:
        ratio, formula, comps, counts_ok = exact(geom, seed)
        if not counts_ok:
            return False
        if variant == "connected_domain" and comps != 1:
            return True
        if offset:  # false twin: K N_out / (N_in + N_out - 1 + offset)
            g = conv_geometry(geom[0], geom[1], stride=geom[2], padding=geom[3],
                              dilation=geom[4])
            tree = g["n_in"] + g["n_out"] - 1
            formula = formula * tree / (tree + offset)
        return ratio == formula

    def describe(geom):
        ratio, formula, comps, _ = exact(geom, seed)
        return _row(geom, ratio, formula, comps)

    from topotheory.simulate.first_failure import conv_first_failures
    from topotheory.theory.tccr import conv_geometry

    with ctx.timed("domain_probe"):
        domain_probe = probe(ctx.profile.grid_max)
        classes = conv_first_failures().as_dict()
    return forall_search(
        ctx, geometries(), holds, describe=describe,
        domain="1-D and 2-D geometries, input <= 7, kernel <= 4, stride <= 3, padding <= 2, "
        "dilation <= 3" + ("; only connected Toeplitz graphs count"
                           if variant == "connected_domain" else ""),
        evidence={"domain_probe": domain_probe, "failure_classes": classes,
                  "channels": channel_note(), **symbolic},
    )
