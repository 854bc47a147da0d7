"""dense-vs-conv (Sec. 4.1): dense far more compressible than conv; ResNet less than VGG.

Checked on Table 1's printed values (the paper's own evidence), one verdict per reading:

``dense_over_conv``
    the Dense row above the Conv row for every architecture and data set (the paper's
    unambiguous half);
``resnet_below_vgg_conv_row`` / ``resnet_below_vgg_final_row``
    "ResNets slightly less compressible than VGG" read on the Conv row or on the Final row
    of every data set (the paper does not say which row it reads).

Each is an exhaustive comparison over the printed rows, in Table 1's order (data set, then
architecture): the first failing row refutes. Recomputed values: the ``tables`` claim
(``topotheory.nn.paper_tables.paper_audit``).
"""

from __future__ import annotations

from typing import Any

from proofs_check.context import CheckContext
from proofs_check.rules import forall_exhaustive
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.dense_vs_conv import CLAIM

#: Table 1 as printed: dataset -> architecture -> (Conv, Dense, Final).
TABLE1 = {
    "CIFAR10": {"VGG11": (4.2295, 9.8273, 4.3914), "ResNet-20": (4.1508, 8.7671, 4.1679)},
    "CIFAR100": {"VGG11": (4.2295, 83.7971, 6.9239), "ResNet-20": (4.1508, 39.2638, 4.4389)},
    "Tiny-ImageNet": {"VGG11": (4.2672, 528.3911, 183.3624),
                      "ResNet-18": (4.3142, 144.0225, 6.13182)},
}
#: Column of each row reading in a (Conv, Dense, Final) triple.
ROW = {"resnet_below_vgg_conv_row": ("Conv", 0), "resnet_below_vgg_final_row": ("Final", 2)}


def _dense_rows(swap: bool) -> list[dict[str, Any]]:
    rows = []
    for dataset, archs in TABLE1.items():
        for arch, (conv, dense, _) in archs.items():
            if swap:  # false twin: conv more compressible than dense
                conv, dense = dense, conv
            rows.append({"dataset": dataset, "arch": arch, "dense": dense, "conv": conv})
    return rows


def _resnet_rows(column: int, reverse: bool) -> list[dict[str, Any]]:
    rows = []
    for dataset, archs in TABLE1.items():
        resnet = next(k for k in archs if k.startswith("ResNet"))
        row = {"dataset": dataset, "resnet": resnet, "resnet_value": archs[resnet][column],
               "vgg_value": archs["VGG11"][column]}
        if reverse:  # false twin: ResNet above VGG
            row["resnet_value"], row["vgg_value"] = row["vgg_value"], row["resnet_value"]
        rows.append(row)
    return rows


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    evidence = {"source": "Table 1 as printed", "recomputed": "see the tables claim"}
    if ctx.variant_name == "dense_over_conv":
        rows = _dense_rows(ctx.twin_param("swap", False))
        return forall_exhaustive(
            ctx, rows, lambda r: r["dense"] > r["conv"], describe=dict,
            domain="Table 1: every data set and architecture, Dense row vs Conv row",
            bounds={"rows": len(rows)},
            evidence={**evidence, "dense_over_conv": {f"{r['dataset']}/{r['arch']}":
                                                      round(r["dense"] / r["conv"], 3)
                                                      for r in rows}})
    label, column = ROW[ctx.variant_name]
    rows = _resnet_rows(column, ctx.twin_param("reverse", False))
    return forall_exhaustive(
        ctx, rows, lambda r: r["resnet_value"] < r["vgg_value"], describe=dict,
        domain=f"Table 1: every data set, ResNet vs VGG11 on the {label} row",
        bounds={"data_sets": len(rows)},
        evidence={**evidence, "row": label, "resnet_vs_vgg": rows})
