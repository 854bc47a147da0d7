"""Issue 24 item 6: pruning says which weights it cannot prune, prunes tied weights once, and
``prune --module/--weights`` prunes a user's trained checkpoint like audit reads it."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from safetensors.torch import load_file, save_file
from torch import nn

from tests.user_modules import MLP, user_module
from topotheory.cli import main
from topotheory.nn import _topo
from topotheory.nn.masks import Mask, prunable_parameters
from topotheory.nn.prune import (
    UnprunableLayersError,
    kept_count,
    prune_rounds,
    prune_step,
    unprunable_parameters,
)


class Mixed(nn.Module):
    """Embedding, attention, GRU, a transposed conv, a class token and two Linears."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.embed = nn.Embedding(10, 8)
        self.attn = nn.MultiheadAttention(8, 2, batch_first=True)
        self.gru = nn.GRU(8, 4, batch_first=True)
        self.up = nn.ConvTranspose1d(4, 2, 2)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, 8))
        self.fc = nn.Linear(4, 6)
        self.out = nn.Linear(6, 3)


def test_unprunable_weights_are_listed_with_reasons_or_skipped_and_reported() -> None:
    model = Mixed()
    found = unprunable_parameters(model)
    assert set(found) == {"embed.weight", "attn.in_proj_weight", "gru.weight_ih_l0",
                          "gru.weight_hh_l0", "up.weight", "cls_token"}
    assert "attention projection" in found["attn.in_proj_weight"]
    assert "recurrent" in found["gru.weight_hh_l0"] and "embedding" in found["embed.weight"]
    assert "transposed" in found["up.weight"] and "free parameter" in found["cls_token"]
    # attn.out_proj is a Linear: it is pruned, not listed
    assert "attn.out_proj.weight" in prunable_parameters(model)
    with pytest.raises(UnprunableLayersError) as info:
        prune_step(model, None, 0.5, method="timp", on_conflict="keep_forest")
    text = str(info.value)
    assert text.startswith("6 weight tensor(s) of the model cannot be pruned")
    assert all(name in text for name in found) and "skip_unsupported=True" in text
    step = prune_step(model, None, 0.5, method="timp", on_conflict="keep_forest",
                      skip_unsupported=True)
    assert step.skipped == found
    assert set(step.mask) == {"attn.out_proj.weight", "fc.weight", "out.weight"}
    assert step.mask["fc.weight"].sum() == kept_count(24, 0.5)


class TiedPair(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(1)
        self.enc = nn.Linear(5, 5, bias=False)
        self.dec = nn.Linear(5, 5, bias=False)
        self.dec.weight = self.enc.weight
        self.head = nn.Linear(5, 2)


@pytest.mark.parametrize("scope", ["local", "global"])
def test_tied_weights_are_pruned_once(scope) -> None:
    model = TiedPair()
    assert list(prunable_parameters(model)) == ["enc.weight", "head.weight"]
    step = prune_step(model, None, 0.5, method="imp", scope=scope)
    assert set(step.mask) == {"enc.weight", "head.weight"}
    total = 25 + 10
    expected = kept_count(total, 0.5) if scope == "global" else kept_count(25, 0.5) + kept_count(10, 0.5)
    assert step.mask.n_kept == expected  # not 25 counted twice
    # a hand-made mask naming both: pruned once, the alias gets the same mask
    both = Mask({"enc.weight": torch.ones(5, 5, dtype=torch.bool),
                 "dec.weight": torch.ones(5, 5, dtype=torch.bool),
                 "head.weight": torch.ones(2, 5, dtype=torch.bool)})
    step = prune_step(model, both, 0.5, method="timp", scope=scope, on_conflict="keep_forest")
    assert step.tied == {"dec.weight": "enc.weight"}
    assert torch.equal(step.mask["dec.weight"], step.mask["enc.weight"])
    if scope == "local":
        assert step.budget == {"enc.weight": kept_count(25, 0.5), "head.weight": kept_count(10, 0.5)}
    else:
        assert step.budget == {"<global>": kept_count(35, 0.5)}


def test_an_lm_output_tied_to_its_embedding_is_pruned_through_the_linear() -> None:
    lm = nn.ModuleDict({"emb": nn.Embedding(12, 4), "out": nn.Linear(4, 12)})
    lm["out"].weight = lm["emb"].weight
    assert unprunable_parameters(lm) == {}
    step = prune_step(lm, None, 0.5, method="timp", on_conflict="keep_forest")
    forest = _topo.forest_edges(lm["out"].weight.detach().double().numpy(), np.ones((12, 4), bool))
    kept = step.mask["out.weight"].numpy().ravel()
    assert kept[forest].all() and kept.sum() == kept_count(48, 0.5)


MODELS = MLP + '''

def convnet():
    torch.manual_seed(2)
    return torch.nn.Sequential(torch.nn.Conv2d(1, 3, 3, padding=1), torch.nn.ReLU(),
                               torch.nn.Flatten(), torch.nn.Linear(3 * 5 * 5, 2))


def tagger():
    torch.manual_seed(3)
    return torch.nn.ModuleDict({"emb": torch.nn.Embedding(9, 4), "gru": torch.nn.GRU(4, 3),
                                "out": torch.nn.Linear(3, 2)})
'''


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    return user_module(tmp_path, monkeypatch, "prune_cli_models", MODELS, importable=True)


def _trained(factory: str, path, prefix: str = "") -> dict[str, torch.Tensor]:
    import prune_cli_models

    model = getattr(prune_cli_models, factory)()
    generator = torch.Generator().manual_seed(5)
    state = {k: v + torch.randn(v.shape, generator=generator) for k, v in model.state_dict().items()}
    torch.save({"state_dict": {prefix + k: v for k, v in state.items()}, "epoch": 9}, path)
    return state


def test_prune_module_weights_prunes_the_trained_checkpoint(workdir, capsys) -> None:
    state = _trained("mlp", workdir / "w.ckpt", prefix="module.")
    status = main(["prune", "--module", "prune_cli_models:mlp", "--weights", "w.ckpt",
                   "--method", "timp", "--rounds", "2", "--rate", "0.5", "--on-conflict",
                   "keep_forest", "--out", "pruned", "--json", "--quiet"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "prune: read the state dict at 'state_dict'" in err and "'module.'" in err
    result = json.loads(out)
    assert result["retraining"] == "none" and [r["round"] for r in result["records"]] == [1, 2]
    weights = load_file(workdir / "pruned" / "pruned.safetensors")
    mask = Mask.load(workdir / "pruned" / "mask.safetensors")
    for name in ("1.weight", "3.weight"):
        w = state[name].double().numpy()
        keep = mask[name].numpy()
        # pruned weights are zero, kept ones are the checkpoint's
        assert np.array_equal(weights[name].numpy() != 0, keep)
        np.testing.assert_array_equal(weights[name].numpy()[keep], state[name].numpy()[keep])
        # T-IMP: the dense layer's maximum spanning forest survived both rounds
        assert keep.ravel()[_topo.forest_edges(w, np.ones(w.shape, bool))].all()
    assert result["records"][0]["layers"]["1.weight"]["kept"] == kept_count(72, 0.5)
    assert json.loads((workdir / "pruned" / "result.json").read_text())["records"] == result["records"]


def test_prune_module_weights_conv_needs_input_shape_and_unsupported_are_refused(
        workdir, capsys) -> None:
    _trained("convnet", workdir / "c.pt")
    status = main(["prune", "--module", "prune_cli_models:convnet", "--weights", "c.pt",
                   "--on-conflict", "keep_forest", "--rounds", "1"])
    err = capsys.readouterr().err
    assert status == 2 and "--input-shape" in err
    status = main(["prune", "--module", "prune_cli_models:convnet", "--weights", "c.pt",
                   "--on-conflict", "keep_forest", "--rounds", "1", "--input-shape", "1,5,5",
                   "--json", "--quiet"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert json.loads(out)["records"][0]["forest_size"]["0.weight"] > 0
    _trained("tagger", workdir / "t.pt")
    status = main(["prune", "--module", "prune_cli_models:tagger", "--weights", "t.pt",
                   "--rounds", "1", "--on-conflict", "keep_forest"])
    err = capsys.readouterr().err
    assert status == 2 and "--module" in err and "emb.weight" in err
    assert "gru.weight_hh_l0" in err and "--skip-unsupported" in err
    status = main(["prune", "--module", "prune_cli_models:tagger", "--weights", "t.pt",
                   "--rounds", "1", "--on-conflict", "keep_forest", "--skip-unsupported"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "not pruned: emb.weight: embedding table" in out
    status = main(["prune", "--weights", "t.pt"])
    err = capsys.readouterr().err
    assert status == 2 and "--weights" in err and "needs --module" in err


def test_save_file_rejects_nothing_we_write(workdir) -> None:
    """``pruned.safetensors`` of a tied model is written with cloned tensors."""
    lm = nn.ModuleDict({"emb": nn.Embedding(6, 3), "out": nn.Linear(3, 6)})
    lm["out"].weight = lm["emb"].weight
    mask, records = prune_rounds(lm, rounds=1, rate=0.5, on_conflict="keep_forest")
    assert list(mask) == ["out.weight"] and records[0]["kept"] == kept_count(18, 0.5)
    save_file({k: v.detach().clone().contiguous() for k, v in lm.state_dict().items()},
              workdir / "tied.safetensors")
    assert torch.equal(lm["emb"].weight, lm["out"].weight)
