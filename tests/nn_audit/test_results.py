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
    "name", "kind", "module", "shape", "n_weights", "calls", "n_nodes", "n_edges",
    "forest_size", "n_components", "np_paper", "np_paper_normalized", "np_rieck",
    "np_rieck_normalized", "tccr_formula", "tccr_pair", "tccr_layer", "tccr_params",
    "overlap_k", "overlap_count", "overlap_fraction", "bound", "iid_null",
    "hypergeometric_null", "keep", "note", "tied_to", "mst_kept", "reasons",
]
NULL_KEYS = ["mean", "low", "high", "trials", "requested_trials", "confidence", "method",
             "source", "error_bound"]


@pytest.fixture(scope="module")
def result():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3, padding=1), torch.nn.Flatten(),
                                torch.nn.Linear(2 * 6 * 6, 4))
    return audit_model(model, input_shape=(1, 6, 6), trials=20)


def test_json_keys_are_kept(result) -> None:
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert list(data) == ["input", "settings", "coverage", "summary", "layers",
                          "timings_seconds"]
    assert [list(row) for row in data["layers"]] == [LAYER_KEYS, LAYER_KEYS]
    assert list(data["layers"][1]["iid_null"]) == NULL_KEYS
    assert list(data["layers"][0]["hypergeometric_null"]) == ["mean", "low", "high",
                                                              "confidence"]
    assert list(data["summary"]) == ["diagram_keeping_ratio", "weights_audited",
                                     "weights_kept", "edge_level", "paper_rule", "includes"]
    assert list(data["summary"]["edge_level"]) == ["all", "conv", "dense"]
    assert list(data["summary"]["paper_rule"]) == ["final", "conv", "dense", "layers_counted",
                                                   "left_out"]
    assert list(data["settings"]) == ["seed", "trials", "null_budget", "confidence",
                                      "w_network", "bound_variant", "conventions", "loading",
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
    assert "| layer | kind | shape | weights | NP paper |" in render_markdown(doc)
    assert "<th>iid mean</th><th>iid low</th><th>iid high</th>" in render_html(doc)


def test_results_are_frozen(result) -> None:
    for value in (result, result.layers[0], result.summary, result.summary.paper_rule,
                  result.settings, result.layers[0].hypergeometric_null,
                  result.layers[1].iid_null):
        field = dataclasses.fields(value)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, field, None)
