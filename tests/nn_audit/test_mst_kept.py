"""Issue 29 items 2 and 4 in the audit: the MST a pruned checkpoint's masks kept, per layer.

Oracles not written here: networkx's maximum spanning tree of the dense layer's bipartite
graph (distinct random weights: the forest is unique), scipy's hypergeometric tails, and
the layouts torch itself uses (an embedding's table, LSTM gate blocks, attention's packed
``in_proj_weight``).
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import torch
from safetensors.torch import save_file
from scipy.stats import hypergeom
from torch.nn.utils import prune

from topotheory.cli import main
from topotheory.nn.audit import audit_model
from topotheory.nn.audit.checkpoint import load_checkpoint
from topotheory.nn.audit.layer_masks import layer_masks
from topotheory.nn.audit.mst_kept import MST_KEPT_COLUMNS
from topotheory.nn.audit.pruned_checkpoints import PrunedParameter
from topotheory.nn.audit.report_folder import write_report
from topotheory.nn.audit.terminal import render_text
from topotheory.topology import conv_toeplitz_graph, mst_preservation

MODULE = "tests.nn_audit.test_mst_kept:wide_mlp"
ARGS = ("--input-shape", "48", "--json", "--quiet", "--trials", "20")
LAYERS = (1, 3)


def wide_mlp() -> torch.nn.Module:
    """Flatten, Linear(48, 32), ReLU, Linear(32, 10), seeded (the ``--module`` factory)."""
    torch.manual_seed(11)
    return torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(48, 32), torch.nn.ReLU(),
                               torch.nn.Linear(32, 10))


def _l1_pruned(amount: float = 0.8) -> torch.nn.Module:
    model = wide_mlp()
    with torch.no_grad():  # "trained": away from the factory's values
        for i in LAYERS:
            model[i].weight.add_(torch.randn(model[i].weight.shape,
                                             generator=torch.Generator().manual_seed(i)))
    for i in LAYERS:
        prune.l1_unstructured(model[i], name="weight", amount=amount)
    return model


def _audit(capsys, weights, *extra: str) -> tuple[int, dict | None, str]:
    status = main(["audit", "--module", MODULE, "--weights", str(weights), *ARGS, *extra])
    out, err = capsys.readouterr()
    return status, (json.loads(out) if out else None), err


def _nx_forest_kept(dense: np.ndarray, mask: np.ndarray) -> tuple[int, int]:
    """(|MSF|, MSF edges the mask kept) with networkx on the bipartite graph of |w|."""
    n_out, n_in = dense.shape
    graph = nx.Graph()
    graph.add_nodes_from(range(n_in + n_out))
    for o in range(n_out):
        for i in range(n_in):
            graph.add_edge(i, n_in + o, weight=abs(float(dense[o, i])), kept=bool(mask[o, i]))
    tree = nx.maximum_spanning_tree(graph)
    return tree.number_of_edges(), sum(d["kept"] for _, _, d in tree.edges(data=True))


def _counts(row: dict) -> dict:
    """The numbers of a layer's mst_kept JSON (the sources' wording aside)."""
    kept = row["mst_kept"]
    return {"preservation": kept["preservation"], "null": kept["random_mask_null"]}


def test_l1_unstructured_pairs_give_the_mst_kept_against_weight_orig(tmp_path, capsys) -> None:
    model = _l1_pruned()
    torch.save(model.state_dict(), tmp_path / "pruned.pt")
    status, data, err = _audit(capsys, tmp_path / "pruned.pt")
    assert status == 0, err
    for row, i in zip(data["layers"], LAYERS, strict=True):
        dense = model[i].weight_orig.detach().double().numpy()
        mask = model[i].weight_mask.detach().numpy().astype(bool)
        size, kept = _nx_forest_kept(dense, mask)
        p = row["mst_kept"]["preservation"]
        assert (p["forest_size"], p["forest_units"], p["kept_forest_units"]) == (size, size, kept)
        assert p["kept_units"] == int(mask.sum()) and p["n_units"] == mask.size
        assert p["kept_fraction"] == kept / size
        assert p["timp_kept_fraction"] == min(1.0, mask.sum() / size)
        assert p["critical_ratio"] == pytest.approx(row["tccr_layer"])  # dense: N/T = TCCR
        null = row["mst_kept"]["random_mask_null"]
        law = hypergeom(mask.size, size, int(mask.sum()))
        assert null["p_upper"] == pytest.approx(law.sf(kept - 1), rel=1e-9)
        assert null["p_lower"] == pytest.approx(law.cdf(kept), rel=1e-9)
        # magnitude pruning keeps the forest far beyond random masks: the upper tail
        assert null["p_upper"] < 1e-6 and null["quantile"] > 0.999
        assert row["mst_kept"]["reference"].startswith(f"{i}.weight_orig")
        assert "mst_kept" not in row["reasons"]
    # the effective weights are what the rest of the audit measured: weight_orig x mask
    assert data["layers"][0]["forest_size"] == 79 and "MST kept" not in err


def test_a_mask_file_and_a_reference_file_give_the_same_counts(tmp_path, capsys) -> None:
    model = _l1_pruned()
    torch.save(model.state_dict(), tmp_path / "pruned.pt")
    dense = {k.removesuffix("_orig"): v.detach().clone() for k, v in model.state_dict().items()
             if not k.endswith("_mask")}
    save_file({k: v.contiguous() for k, v in dense.items()}, tmp_path / "dense.safetensors")
    masks = {f"{i}.weight": model[i].weight_mask.bool() for i in LAYERS}
    save_file({k: v.contiguous() for k, v in masks.items()}, tmp_path / "mask.safetensors")
    plain = {k: v for k, v in dense.items()}
    for i in LAYERS:
        plain[f"{i}.weight"] = model[i].weight.detach().clone()
    save_file({k: v.contiguous() for k, v in plain.items()}, tmp_path / "plain.safetensors")

    _, pairs, _ = _audit(capsys, tmp_path / "pruned.pt")
    status, masked, err = _audit(capsys, tmp_path / "dense.safetensors", "--mask",
                                 str(tmp_path / "mask.safetensors"))
    assert status == 0, err
    assert [_counts(r) for r in masked["layers"]] == [_counts(r) for r in pairs["layers"]]
    assert masked["layers"][0]["mst_kept"]["reference"].startswith("the --weights tensors")

    # zeros as masks: no dense reference, so no count -- and the reason says what to pass
    status, zeros, err = _audit(capsys, tmp_path / "plain.safetensors", "--zeros-are-pruned")
    assert status == 0, err
    assert [r["mst_kept"] for r in zeros["layers"]] == [None, None]
    assert "--reference" in zeros["layers"][0]["reasons"]["mst_kept"]
    status, referenced, err = _audit(capsys, tmp_path / "plain.safetensors",
                                     "--zeros-are-pruned", "--reference",
                                     str(tmp_path / "dense.safetensors"))
    assert status == 0, err
    assert [_counts(r) for r in referenced["layers"]] == [_counts(r) for r in pairs["layers"]]
    assert referenced["settings"]["loading"]["reference"].endswith("dense.safetensors")
    assert "dense reference for the MST counts" in err
    # --reference overrides weight_orig; the pruned checkpoint as its own reference is
    # refused per layer (its zeros are exactly the pruned entries)
    status, own, err = _audit(capsys, tmp_path / "pruned.pt", "--reference",
                              str(tmp_path / "plain.safetensors"))
    assert status == 0, err
    assert own["layers"][0]["mst_kept"] is None
    assert "looks like the pruned weights" in own["layers"][0]["reasons"]["mst_kept"]


def test_reference_refusals_name_the_flag(tmp_path, capsys) -> None:
    model = wide_mlp()
    save_file({k: v.contiguous() for k, v in model.state_dict().items()},
              tmp_path / "dense.safetensors")
    status, _, err = _audit(capsys, tmp_path / "dense.safetensors", "--reference",
                            str(tmp_path / "dense.safetensors"))
    assert status == 2 and "--reference" in err and "needs masks" in err
    save_file({"1.weight": torch.ones(32, 47)}, tmp_path / "other.safetensors")
    status, _, err = _audit(capsys, tmp_path / "dense.safetensors", "--zeros-are-pruned",
                            "--reference", str(tmp_path / "other.safetensors"))
    assert status == 2 and "1.weight (32, 47) vs model (32, 48)" in err
    save_file({"encoder.w": torch.ones(2, 2)}, tmp_path / "unrelated.safetensors")
    status, _, err = _audit(capsys, tmp_path / "dense.safetensors", "--zeros-are-pruned",
                            "--reference", str(tmp_path / "unrelated.safetensors"))
    assert status == 2 and "holds none of the model's weights" in err


def _random_masks(seed: int, density: float) -> tuple[torch.nn.Module, dict]:
    model = wide_mlp()
    generator = torch.Generator().manual_seed(seed)
    pruned = {}
    for i in LAYERS:
        w = model[i].weight
        dense = w.detach().clone()
        order = torch.randperm(w.numel(), generator=generator)
        mask = torch.zeros(w.numel(), dtype=torch.bool)
        mask[order[: round(density * w.numel())]] = True
        mask = mask.reshape(w.shape)
        with torch.no_grad():
            w.mul_(mask)
        pruned[f"{i}.weight"] = PrunedParameter(f"{i}.weight", w.detach(), mask, dense,
                                                "random", "the factory's weights")
    return model, pruned


def test_random_masks_are_not_flagged_and_magnitude_masks_are() -> None:
    for seed, density in ((0, 0.5), (1, 0.2), (2, 0.1)):
        model, pruned = _random_masks(seed, density)
        result = audit_model(model, input_shape=(48,), trials=20, pruned=pruned)
        for row in result.layers:
            kept = row.mst_kept
            assert kept.p_upper > 1e-3 and kept.p_lower > 1e-3, (seed, row.name, kept)
            assert 1e-3 < kept.quantile < 1 - 1e-3
            # the random law's mean is K/N of T
            assert kept.null.mean == pytest.approx(kept.forest_units * kept.random_fraction)
    # the same sparsities by magnitude, through the Python API
    for density in (0.5, 0.2, 0.1):
        model = wide_mlp()
        for i in LAYERS:
            prune.l1_unstructured(model[i], name="weight", amount=1 - density)
        state = model.state_dict()
        fresh = wide_mlp()
        loaded = load_checkpoint(fresh, _saved(state))
        result = audit_model(fresh, input_shape=(48,), trials=20, pruned=loaded.pruned)
        assert all(row.mst_kept.p_upper < 1e-6 for row in result.layers), density


def _saved(state: dict) -> Path:
    import tempfile

    path = Path(tempfile.mkdtemp()) / "state.pt"
    torch.save(state, path)
    return path


def test_masks_follow_each_layer_kind_layout() -> None:
    """The mask of every layer kind lies exactly over the weights the audit measures."""

    class Mixed(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            torch.manual_seed(3)
            self.emb = torch.nn.Embedding(7, 6)
            self.attn = torch.nn.MultiheadAttention(6, 2, batch_first=True)
            self.lstm = torch.nn.LSTM(6, 4, batch_first=True)
            self.conv = torch.nn.Conv1d(4, 3, 3, padding=1)
            self.up = torch.nn.ConvTranspose1d(3, 2, 2, stride=2)

        def forward(self, tokens):
            x = self.emb(tokens)
            x, _ = self.attn(x, x, x)
            x, _ = self.lstm(x)
            return self.up(self.conv(x.transpose(1, 2)))

    model = Mixed()
    generator = torch.Generator().manual_seed(5)
    pruned = {}
    for name, param in model.named_parameters():
        if param.dim() >= 2:
            mask = torch.rand(param.shape, generator=generator) < 0.6
            dense = param.detach().clone()
            with torch.no_grad():
                param.mul_(mask)
            pruned[name] = PrunedParameter(name, param.detach(), mask, dense, "m", "d")
    before = {k: v.detach().clone() for k, v in model.state_dict().items()}
    tokens = torch.tensor([[1, 2, 3, 4, 5]])
    found = layer_masks(model, (tokens,), pruned)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())  # restored

    def m(name: str) -> np.ndarray:
        return pruned[name].mask.numpy()

    def d(name: str) -> np.ndarray:
        return pruned[name].dense.double().numpy()

    expected = {"emb": (m("emb.weight").T, d("emb.weight").T),
                "attn.out_proj": (m("attn.out_proj.weight"), d("attn.out_proj.weight")),
                "conv": (m("conv.weight"), d("conv.weight")),
                "up": (m("up.weight"), d("up.weight"))}
    for j, part in enumerate("qkv"):
        rows = slice(6 * j, 6 * (j + 1))
        expected[f"attn.{part}_proj"] = (m("attn.in_proj_weight")[rows],
                                         d("attn.in_proj_weight")[rows])
    for g, gate in enumerate(("i", "f", "g", "o")):
        rows = slice(4 * g, 4 * (g + 1))
        expected[f"lstm_l0.hh[{gate}]"] = (m("lstm.weight_hh_l0")[rows], d("lstm.weight_hh_l0")[rows])
        expected[f"lstm_l0.ih[{gate}]"] = (m("lstm.weight_ih_l0")[rows], d("lstm.weight_ih_l0")[rows])
    assert set(found) == set(expected)
    for name, (mask, dense) in expected.items():
        assert np.array_equal(found[name].mask, mask), name
        assert np.array_equal(found[name].reference, dense), name
    # the whole audit: conv layers count kernel parameters on the reference's Toeplitz graph
    result = audit_model(model, example_inputs=tokens, trials=20, pruned=pruned)
    rows = {row.name: row for row in result.layers}
    conv = rows["conv"].mst_kept
    graph = conv_toeplitz_graph(d("conv.weight"), (4, 5), padding=1)
    assert conv.unit == "parameter"
    assert conv.preservation == mst_preservation(graph, m("conv.weight"))
    assert rows["emb"].mst_kept.preservation == mst_preservation(d("emb.weight").T,
                                                                 m("emb.weight").T)
    assert rows["up"].mst_kept.unit == "parameter"


def test_partial_masks_and_bad_masks() -> None:
    model = wide_mlp()
    w = model[1].weight
    mask = w.detach().abs() > 0.05
    dense = w.detach().clone()
    with pytest.raises(ValueError, match="nonzero at .* pruned entries"):
        audit_model(model, input_shape=(48,), trials=20, pruned={
            "1.weight": PrunedParameter("1.weight", w.detach() * mask, mask, dense, "m", "d")})
    with pytest.raises(ValueError, match="is not a parameter of the model"):
        audit_model(model, input_shape=(48,), trials=20, pruned={
            "9.weight": PrunedParameter("9.weight", dense, mask, dense, "m", "d")})
    with torch.no_grad():
        w.mul_(mask)
    result = audit_model(model, input_shape=(48,), trials=20, pruned={
        "1.weight": PrunedParameter("1.weight", w.detach(), mask, dense, "m", "d")})
    first, second = result.layers
    assert first.mst_kept is not None and second.mst_kept is None
    assert second.reasons["mst_kept"].startswith("no mask for this layer's weight")
    # without masks: no count and no reason
    plain = audit_model(wide_mlp(), input_shape=(48,), trials=20)
    assert all(r.mst_kept is None and "mst_kept" not in r.reasons for r in plain.layers)
    assert "MST kept by the masks" not in render_text(plain)


def test_terminal_report_and_json_show_the_counts(tmp_path) -> None:
    model = _l1_pruned()
    fresh = wide_mlp()
    loaded = load_checkpoint(fresh, _saved(model.state_dict()))
    result = audit_model(fresh, input_shape=(48,), trials=20, pruned=loaded.pruned)
    text = render_text(result).splitlines()
    start = text.index(next(line for line in text if line.startswith("layer ") and "unit" in line))
    headers = [c.header for _, c in MST_KEPT_COLUMNS.fields if c.header]
    assert text[start].split() == " ".join(headers).split()
    cells = text[start + 2].split()
    kept = result.layers[0].mst_kept
    assert cells[:2] == ["1", "edge"] and int(cells[7]) == kept.kept_forest_units
    out = write_report(result, tmp_path / "report")
    assert (out / "figures" / "mst_kept.png").stat().st_size > 0
    csv = (out / "data" / "mst_kept.csv").read_text().splitlines()
    assert csv[0] == ",".join(MST_KEPT_COLUMNS.data_columns) and len(csv) == 3
    markdown = (out / "audit.md").read_text()
    assert "MST kept by the masks" in markdown and "| layer | unit | kept units |" in markdown
    data = json.loads((out / "audit.json").read_text())
    assert data["layers"][0]["mst_kept"]["preservation"] == kept.preservation.to_dict()
    assert data["layers"][0]["mst_kept"]["random_mask_null"] == kept.null.to_dict()
