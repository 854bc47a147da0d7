"""tables-mnist-layers: Appendix E rows from the Thm 3.2 formulas and App. D shapes.

Pure theory (no training): each per-layer row and both "Final Compression" rows, with the
rule total edges / total MST edges (one channel pair per conv layer), compared to the
printed 5 decimals.
"""

from __future__ import annotations

import sympy as sp

from proofs_check.context import CheckContext
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.tables_mnist_layers import CLAIM
from topotheory.theory.tccr import conv_geometry, tccr_dense

FCN = ((784, 100), (100, 100), (100, 100), (100, 100), (100, 100), (100, 10))
FCN_PRINTED = ("88.78822", "50.25126", "50.25126", "50.25126", "50.25126", "9.17431")
CNN_PRINTED = ("4.19251", "4.19251", "9.99641")
FINAL_PRINTED = {"FCN": "66.77852", "CNN": "9.31005"}


def _matches(value: sp.Expr, printed: str) -> bool:
    decimals = len(printed.split(".")[1])
    return abs(float(value) - float(printed)) <= 0.5 * 10 ** (-decimals) + 1e-12


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    rows, bad = [], []
    shift = ctx.twin_param("input_offset", 0)
    fcn_edges = fcn_tree = 0
    for (n, m), printed in zip(FCN, FCN_PRINTED, strict=True):
        value = tccr_dense(n + shift, m)
        fcn_edges, fcn_tree = fcn_edges + n * m, fcn_tree + n + m - 1
        rows.append(("FCN", f"dense {n}x{m}", printed, value))
    conv = conv_geometry((28, 28), (3, 3), padding=1)
    conv_tree = conv["n_in"] + conv["n_out"] - 1
    cnn = [("CNN", "conv 28x28 k3 p1", CNN_PRINTED[0], conv["kappa"]),
           ("CNN", "conv 28x28 k3 p1", CNN_PRINTED[1], conv["kappa"]),
           ("CNN", "dense 25088x10", CNN_PRINTED[2], tccr_dense(25088, 10))]
    rows += cnn
    rows.append(("FCN", "Final Compression", FINAL_PRINTED["FCN"], sp.Rational(fcn_edges, fcn_tree)))
    cnn_final = sp.Rational(2 * conv["n_edges"] + 250880, 2 * conv_tree + 25088 + 10 - 1)
    rows.append(("CNN", "Final Compression", FINAL_PRINTED["CNN"], cnn_final))
    table = []
    for model, label, printed, value in rows:
        ok = _matches(value, printed)
        table.append({"model": model, "row": label, "printed": printed,
                      "computed": str(value), "computed_float": float(value), "match": ok})
        if not ok:
            bad.append(table[-1])
    evidence = {"rows": table, "final_rule": "sum of edges / sum of MST edges over layers "
                "(one channel pair per conv layer)"}
    if bad:
        return ctx.verdict("refuted", evidence=evidence, counterexample={"unmatched": bad})
    return ctx.verdict("confirmed", evidence=evidence)
