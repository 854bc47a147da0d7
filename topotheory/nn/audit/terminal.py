"""The audit as terminal text: the per-layer table, notes, coverage and model summary.

The table's columns are :data:`topotheory.nn.audit.results.LAYER_COLUMNS` (the same spec
as the ``--out`` report's table); the JSON is :meth:`AuditResult.to_dict` written by
:func:`topotheory.jsonout.dumps_strict`.

Examples
--------
>>> import torch
>>> from topotheory.nn.audit import audit_model
>>> result = audit_model(torch.nn.Linear(4, 3), input_shape=(4,), trials=20)
>>> "coverage: 15 of 15 parameters" in render_text(result)
True
"""

from __future__ import annotations

from dataclasses import asdict, replace

from topotheory.nn.audit.mst_kept import MST_KEPT_COLUMNS
from topotheory.nn.audit.results import LAYER_COLUMNS, AuditResult
from topotheory.render.columns import number_text

__all__ = ["render_text"]

_SOURCE_TEXT = {
    "exact": "exact = exact counting (n m <= 400)",
    "law+correction": "law = large-layer law + finite-size correction, +- its measured error "
                      "bound 0.025/min(n, m) (min(n, m) >= 6)",
    "monte-carlo": "[low,high] = Monte Carlo mean's interval",
}


def _notes(result: AuditResult) -> list[str]:
    rows = result.layers
    lines = ["NP: paper per-layer convention; NP/R: Rieck's network convention / sqrt(|V|-1). "
             "TCCR thm: Theorem 3.2 (one channel pair); pair, layer: exact |E|/|MSF|; "
             "param: kernel parameters / parameters the forest uses. X = |top-k & MSF|/k, "
             "k = |MSF|. keep: parameters T-IMP must keep to preserve the diagram."]
    sources = sorted({row.iid_null.source for row in rows if row.iid_null is not None})
    if sources:
        lines.append("iid null source: " + ", ".join(_SOURCE_TEXT[s] for s in sources) + ".")
    if any(row.kind.endswith(("-hh", "-ih")) for row in rows):
        lines.append("rnn/lstm/gru-hh: one gate's hidden-to-hidden block, shared by all time "
                     "steps; -ih: its input-to-hidden block.")
    lines += [f"tied {row.name}: the same weight tensor as {row.tied_to}; measured again, "
              "counted once in the model summary." for row in rows if row.tied_to]
    lines += [f"note {row.name}: {row.note}" for row in rows
              if row.note and row.kind.startswith("conv")]
    lines += [f"iid null {row.name}: {row.reasons['iid_null']}" for row in rows
              if "iid_null" in row.reasons]
    return lines


def _coverage(result: AuditResult) -> list[str]:
    cov = result.coverage
    lines = [f"coverage: {cov.covered_params} of {cov.total_params} parameters "
             f"({100 * cov.fraction:.2f}%) in {len(cov.covered_modules)} modules"]
    lines += [f"  NOT covered: {item.module} ({item.type}, {item.n_params} parameters): "
              f"{item.reason}" for item in cov.not_covered]
    return lines


def _summary(result: AuditResult) -> list[str]:
    s = result.summary
    edge, paper = s.edge_level, s.paper_rule
    lines = [
        f"largest compression keeping every audited diagram: "
        f"{number_text(s.diagram_keeping_ratio, 2)}x ({s.weights_audited} weights, "
        f"keep {s.weights_kept})",
        f"edge level sum|E|/sum|MSF|: all {number_text(edge.all)}, conv "
        f"{number_text(edge.conv)}, dense {number_text(edge.dense)}",
        f"paper's aggregation rule (Final Compression): {number_text(paper.final, 5)} "
        f"(conv {number_text(paper.conv, 5)}, dense {number_text(paper.dense, 5)}, "
        f"{paper.layers_counted} layers)",
    ]
    lines += [f"  paper rule leaves out {item.layer}: {item.reason}" for item in paper.left_out]
    lines += [f"  {key}: {text}" for key, text in asdict(s.includes).items()]
    return lines


def mst_kept_lines(result: AuditResult) -> list[str]:
    """The MST-kept table (layers with a mask and a dense reference) and why other layers
    have none; empty when the audit had no masks."""
    kept = [row.mst_kept for row in result.layers if row.mst_kept is not None]
    why = [f"  no MST count for {row.name}: {row.reasons['mst_kept']}" for row in result.layers
           if "mst_kept" in row.reasons]
    if not kept and not why:
        return []
    lines = ["MST kept by the masks (against the dense reference; unit: edge = dense layer, "
             "parameter = kernel parameter of a convolution)", ""]
    if kept:
        lines += MST_KEPT_COLUMNS.text_lines(kept)
        references = dict.fromkeys(k.reference for k in kept)
        lines += ["", "T = forest units of the dense layer's MSF, kept = X/T, random = K/N (a "
                  "random mask's expected kept fraction), log10 p = log10 P(random mask of the "
                  "same kept count keeps >= X) (exact hypergeometric), quantile = where X sits "
                  "among random masks, T-IMP = min(1, K/T), intact = components of the dense "
                  "graph the pruned graph still connects, compr = N/K vs critical = N/T (the "
                  "TCCR for dense layers).",
                  "dense reference: " + "; ".join(references)]
    return lines + why


def render_text(result: AuditResult) -> str:
    """The audit as a fixed-width terminal table with notes, coverage and model summary."""
    lines = [f"topotheory audit -- input {result.input}", ""]
    lines += LAYER_COLUMNS.text_lines(
        replace(row, name=f"{row.name} (tied)") if row.tied_to else row for row in result.layers)
    lines += ["", *_notes(result)]
    masks = mst_kept_lines(result)
    if masks:
        lines += ["", *masks]
    lines += ["", *_coverage(result), "", *_summary(result)]
    return "\n".join(lines) + "\n"
