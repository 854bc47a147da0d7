"""The audit's result types: one column spec for every table, JSON keys kept, frozen."""

from __future__ import annotations

import dataclasses
import json

import pytest
import torch

from topotheory.nn.audit import audit_model
from topotheory.nn.audit.report_folder import build_document
from topotheory.nn.audit.results import LAYER_COLUMNS
from topotheory.nn.audit.terminal import render_text
from topotheory.render.datafiles import table_to_csv
from topotheory.render.htmlpage import render_html
from topotheory.render.markdown import render_markdown

#: The JSON keys of ``topotheory audit --json`` (docs/audit.md); renaming one is a decision.
LAYER_KEYS = [
    "name", "kind", "module", "shape", "n_weights", "sparsity", "calls", "n_nodes", "n_edges",
    "forest_size", "n_components", "np_paper", "np_paper_normalized", "np_rieck",
    "np_rieck_normalized", "tccr_formula", "tccr_pair", "tccr_layer", "tccr_params",
    "overlap_k", "overlap_count", "overlap_fraction", "bound", "iid_null", "iid_position",
    "hypergeometric_null", "hypergeometric_position", "keep", "note", "tied_to", "mst_kept",
    "reasons",
]
NULL_KEYS = ["mean", "mean_low", "mean_high", "trials", "requested_trials", "confidence",
             "method", "source", "error_bound", "sd", "band_low", "band_high", "band", "law",
             "draws"]
POSITION_KEYS = ["quantile", "p_upper", "p_lower", "p_value", "log10_p_value", "law", "draws",
                 "min_p", "p_holm", "verdict"]


@pytest.fixture(scope="module")
def result():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3, padding=1), torch.nn.Flatten(),
                                torch.nn.Linear(2 * 6 * 6, 4))
    return audit_model(model, input_shape=(1, 6, 6), trials=20)


def test_json_keys_are_kept(result) -> None:
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert list(data) == ["input", "settings", "coverage", "summary", "null_verdicts", "layers",
                          "provenance", "timings_seconds"]
    assert [list(row) for row in data["layers"]] == [LAYER_KEYS, LAYER_KEYS]
    assert list(data["layers"][1]["iid_null"]) == NULL_KEYS
    assert list(data["layers"][1]["iid_position"]) == POSITION_KEYS
    assert list(data["layers"][1]["hypergeometric_position"]) == POSITION_KEYS
    assert list(data["layers"][0]["hypergeometric_null"]) == ["mean", "low", "high",
                                                              "confidence", "sd"]
    assert [v["null"] for v in data["null_verdicts"]] == ["iid", "hypergeometric"]
    assert list(data["null_verdicts"][0]) == ["null", "alpha", "correction", "tested", "above",
                                              "below", "untested"]
    assert list(data["summary"]) == ["diagram_keeping_ratio", "weights_audited",
                                     "weights_kept", "edge_level", "paper_rule", "includes"]
    assert list(data["summary"]["edge_level"]) == ["all", "conv", "dense"]
    assert list(data["summary"]["paper_rule"]) == ["final", "conv", "dense", "layers_counted",
                                                   "left_out"]
    assert list(data["settings"]) == ["seed", "trials", "null_budget", "confidence",
                                      "w_network", "bound_variant", "alpha", "band",
                                      "dense_draws", "conventions", "loading",
                                      "coverage_check"]


def test_one_column_spec_drives_terminal_csv_markdown_and_html(result) -> None:
    headers = [c.header for _, c in LAYER_COLUMNS.fields if c.header]
    text = render_text(result).splitlines()
    table_start = text.index(next(line for line in text if line.startswith("layer ")))
    assert text[table_start].split() == " ".join(headers).split()
    assert text[table_start + 2].split()[0] == result.layers[0].name
    doc = build_document(result)
    (table,) = [t for s in doc.sections for t in s.tables if t.name == "layers"]
    assert table.columns == LAYER_COLUMNS.data_columns
    assert table_to_csv(table).splitlines()[0] == ",".join(LAYER_COLUMNS.data_columns)
    assert table.rows == tuple(LAYER_COLUMNS.data_row(r) for r in result.layers)
    assert "| layer | kind | shape | weights | sparsity | NP paper |" in render_markdown(doc)
    assert "<th>iid mean</th><th>iid sd</th><th>iid band low</th>" in render_html(doc)


def test_results_are_frozen(result) -> None:
    for value in (result, result.layers[0], result.summary, result.summary.paper_rule,
                  result.settings, result.layers[0].hypergeometric_null,
                  result.layers[1].iid_null):
        field = dataclasses.fields(value)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, field, None)


def test_an_empty_paper_rule_group_is_none_not_a_non_finite_number() -> None:
    # no convolution: the paper rule's conv part counts no layer (a domain None, as in the
    # edge level), not a NaN turned into null by the JSON encoder (no "non_finite" entry)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 6), torch.nn.ReLU(),
                                torch.nn.Linear(6, 3))
    result = audit_model(model, input_shape=(12,), trials=20)
    paper, edge = result.summary.paper_rule, result.summary.edge_level
    assert paper.conv is None and edge.conv is None
    assert paper.layers_counted == 2
    assert paper.dense == paper.final == (12 * 6 + 6 * 3) / (17 + 8)
    data = result.to_dict()
    assert "non_finite" not in data
    assert data["summary"]["paper_rule"]["conv"] is None
    json.dumps(data, allow_nan=False)
    assert "(conv -, dense 3.60000, 2 layers)" in render_text(result)
    assert "(conv -, dense 3.6; 2 layers;" in render_markdown(build_document(result))
