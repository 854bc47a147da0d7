"""Terminal table and strict JSON of an :class:`~topotheory.nn.audit.model_audit.AuditResult`.

Examples
--------
>>> import json, torch
>>> from topotheory.nn.audit import audit_model
>>> result = audit_model(torch.nn.Linear(4, 3), input_shape=(4,), trials=20)
>>> "coverage: 15 of 15 parameters" in render_text(result)
True
>>> json.loads(render_json(result))["layers"][0]["keep"]
6
"""

from __future__ import annotations

import math
from typing import Any

_COLUMNS = (
    ("layer", 28, "<"), ("kind", 13, "<"), ("weights", 9, ">"), ("NP", 7, ">"),
    ("NP/R", 7, ">"), ("TCCR thm", 8, ">"), ("pair", 7, ">"), ("layer", 8, ">"),
    ("param", 7, ">"), ("X", 6, ">"), ("bound", 6, ">"), ("iid null", 19, ">"),
    ("hypergeom", 9, ">"), ("keep", 8, ">"),
)


_SOURCE_TEXT = {
    "exact": "exact = exact counting (n m <= 400)",
    "law+correction": "law = large-layer law + finite-size correction, +- its measured error "
                      "bound 0.025/min(n, m) (min(n, m) >= 6)",
    "monte-carlo": "[low,high] = Monte Carlo mean's interval",
}


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


def _null_cell(iid: dict | None) -> str:
    if iid is None:
        return "-"
    if iid.get("source") == "exact":
        return f"{iid['mean']:.3f} exact"
    if iid.get("source") == "law+correction":
        return f"{iid['mean']:.3f} law+-{iid['error_bound']:.0e}"
    return f"{iid['mean']:.3f} [{iid['low']:.2f},{iid['high']:.2f}]"


def _cells(row: Any) -> list[str]:
    null = _null_cell(row.iid_null)
    return [
        row.name, row.kind, str(row.n_weights), _num(row.np_paper), _num(row.np_rieck_normalized),
        _num(row.tccr_formula), _num(row.tccr_pair), _num(row.tccr_layer),
        _num(row.tccr_params, 2), _num(row.overlap_fraction), _num(row.bound),
        null, _num(row.hypergeometric_null["mean"], 4), str(row.keep),
    ]


def _line(cells: list[str]) -> str:
    out = []
    for text, (_, width, align) in zip(cells, _COLUMNS, strict=True):
        text = text if len(text) <= width else text[: width - 1] + "~"
        out.append(f"{text:{align}{width}}")
    return " ".join(out)


def render_text(result: Any) -> str:
    """The audit as a fixed-width terminal table with notes, coverage and model summary."""
    lines = [f"topotheory audit -- input {result.input}", ""]
    lines.append(_line([c[0] for c in _COLUMNS]))
    lines.append("-" * len(lines[-1]))
    lines += [_line(_cells(row)) for row in result.layers]
    lines.append("")
    lines.append("NP: paper per-layer convention; NP/R: Rieck's network convention / sqrt(|V|-1). "
                 "TCCR thm: Theorem 3.2 (one channel pair); pair, layer: exact |E|/|MSF|; "
                 "param: kernel parameters / parameters the forest uses. X = |top-k & MSF|/k, "
                 "k = |MSF|. keep: parameters T-IMP must keep to preserve the diagram.")
    sources = sorted({row.iid_null.get("source", "monte-carlo") for row in result.layers
                      if row.iid_null is not None})
    if sources:
        lines.append("iid null source: " + ", ".join(_SOURCE_TEXT[s] for s in sources) + ".")
    if any(row.kind.endswith(("-hh", "-ih")) for row in result.layers):
        lines.append("rnn/lstm/gru-hh: one gate's hidden-to-hidden block, shared by all time "
                     "steps; -ih: its input-to-hidden block.")
    notes = [(row.name, row.note) for row in result.layers if row.note and row.kind.startswith("conv")]
    for name, note in notes:
        lines.append(f"note {name}: {note}")
    skipped = [(row.name, row.reasons["iid_null"]) for row in result.layers
               if "iid_null" in row.reasons]
    for name, why in skipped:
        lines.append(f"iid null {name}: {why}")
    cov = result.coverage
    lines.append("")
    lines.append(f"coverage: {cov.covered_params} of {cov.total_params} parameters "
                 f"({100 * cov.fraction:.2f}%) in {len(cov.covered_modules)} modules")
    for item in cov.not_covered:
        lines.append(f"  NOT covered: {item.module} ({item.type}, {item.n_params} parameters): "
                     f"{item.reason}")
    s = result.summary
    lines.append("")
    lines.append(f"largest compression keeping every audited diagram: "
                 f"{_num(s['diagram_keeping_ratio'], 2)}x ({s['weights_audited']} weights, "
                 f"keep {s['weights_kept']})")
    edge = s["edge_level"]
    lines.append(f"edge level sum|E|/sum|MSF|: all {_num(edge['all'], 3)}, conv "
                 f"{_num(edge['conv'], 3)}, dense {_num(edge['dense'], 3)}")
    paper = s["paper_rule"]
    lines.append(f"paper's aggregation rule (Final Compression): {_num(paper['final'], 5)} "
                 f"(conv {_num(paper['conv'], 5)}, dense {_num(paper['dense'], 5)}, "
                 f"{paper['layers_counted']} layers)")
    for item in paper["left_out"]:
        lines.append(f"  paper rule leaves out {item['layer']}: {item['reason']}")
    for key, text in s["includes"].items():
        lines.append(f"  {key}: {text}")
    return "\n".join(lines) + "\n"


def render_json(result: Any) -> str:
    """Strict JSON through the project's one encoder (:func:`topotheory.jsonout.dumps_strict`):
    undefined values are ``null`` with a reason."""
    from topotheory.jsonout import dumps_strict

    return dumps_strict(result.to_dict(), indent=1)
