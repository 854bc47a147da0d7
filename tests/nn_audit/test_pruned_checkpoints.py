"""Issue 29 item 1: pruned checkpoints read as pruning research saves them.

``torch.nn.utils.prune`` pairs, a separate ``--mask`` file, an open_lth run folder (built
here in open_lth's layout: ``replicate_1/level_<k>/main/{model_ep<E>_it<I>.pth, mask.pth,
sparsity_report.json}``) and ``--zeros-are-pruned`` give the audit of the pruned weights.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import save_file
from torch.nn.utils import prune

from topotheory.cli import main
from topotheory.nn.audit.checkpoint import load_checkpoint
from topotheory.nn.audit.pruned_checkpoints import (
    fold_pruning_pairs,
    open_lth_levels,
    read_mask_file,
    read_open_lth_level,
)

MODULE = "tests.nn_audit.checkpoint_models:mlp"
ARGS = ("--input-shape", "12", "--json", "--quiet", "--trials", "20")


def _pruned_mlp() -> torch.nn.Module:
    from tests.nn_audit.checkpoint_models import trained

    model = trained("mlp")
    for index in (1, 3):
        prune.l1_unstructured(model[index], name="weight", amount=0.5)
    return model


def _audit(capsys, weights, *extra: str) -> tuple[int, dict | None, str]:
    status = main(["audit", "--module", MODULE, "--weights", str(weights), *ARGS, *extra])
    out, err = capsys.readouterr()
    return status, (json.loads(out) if out else None), err


def _numbers(data: dict) -> tuple:
    """Every number of the audit of the pruned weights (the masks' MST counts, which only a
    checkpoint with masks has, are tested in test_mst_kept.py)."""
    settings = {k: v for k, v in data["settings"].items() if k != "loading"}
    layers = [{**{k: v for k, v in row.items() if k != "mst_kept"},
               "reasons": {k: v for k, v in row["reasons"].items() if k != "mst_kept"}}
              for row in data["layers"]]
    return layers, data["summary"], data["coverage"], settings


def _plain_pruned(model: torch.nn.Module, path: Path) -> Path:
    """The plain state dict of the pruned weights (what prune.remove leaves)."""
    state = {k: v for k, v in model.state_dict().items() if not k.endswith(("_orig", "_mask"))}
    for index in (1, 3):
        state[f"{index}.weight"] = model[index].weight.detach().clone()
    file = path / "pruned_plain.safetensors"
    save_file({k: v.contiguous() for k, v in state.items()}, file)
    return file


def test_torch_prune_pairs_give_the_pruned_weights_audit(tmp_path, capsys) -> None:
    model = _pruned_mlp()
    assert {"1.weight_orig", "1.weight_mask"} <= set(model.state_dict())
    torch.save(model.state_dict(), tmp_path / "pruned.pt")
    status, plain, _ = _audit(capsys, _plain_pruned(model, tmp_path))
    assert status == 0
    status, data, err = _audit(capsys, tmp_path / "pruned.pt")
    assert status == 0, err
    assert _numbers(data) == _numbers(plain)
    masks = data["settings"]["loading"]["masks"]
    assert set(masks) == {"1.weight", "3.weight"}
    assert masks["1.weight"]["kept"] == 36 and masks["1.weight"]["total"] == 72
    assert masks["3.weight"]["kept"] == 9 and masks["3.weight"]["sparsity"] == 0.5
    assert masks["1.weight"]["dense_reference"].startswith("1.weight_orig")
    assert "masks from torch.nn.utils.prune pairs" in err and "sparsity 0.5000" in err
    # the reading side: effective weights, the masks as masks, weight_orig as dense reference
    loaded = load_checkpoint(torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 6),
                                                 torch.nn.ReLU(), torch.nn.Linear(6, 3)),
                             tmp_path / "pruned.pt")
    p = loaded.pruned["1.weight"]
    assert torch.equal(p.mask, model[1].weight_mask.bool())
    assert torch.equal(p.dense, model[1].weight_orig.detach())
    assert torch.equal(p.effective, model[1].weight.detach())


def test_a_separate_mask_file_gives_the_same_audit(tmp_path, capsys) -> None:
    model = _pruned_mlp()
    status, plain, _ = _audit(capsys, _plain_pruned(model, tmp_path))
    dense = {k.removesuffix("_orig"): v.detach().clone() for k, v in model.state_dict().items()
             if not k.endswith("_mask")}
    save_file({k: v.contiguous() for k, v in dense.items()}, tmp_path / "dense.safetensors")
    masks = {f"{i}.weight": model[i].weight_mask.bool() for i in (1, 3)}
    save_file({k: v.contiguous() for k, v in masks.items()}, tmp_path / "mask.safetensors")
    torch.save({k: v.int() for k, v in masks.items()}, tmp_path / "mask.pth")
    torch.save({str(i): {"weight": model[i].weight_mask} for i in (1, 3)}, tmp_path / "nni.pth")
    for mask_file in ("mask.safetensors", "mask.pth", "nni.pth"):
        status, data, err = _audit(capsys, tmp_path / "dense.safetensors", "--mask",
                                   str(tmp_path / mask_file))
        assert status == 0, err
        assert _numbers(data) == _numbers(plain), mask_file
        assert data["settings"]["loading"]["masks"]["1.weight"]["kept"] == 36
    assert torch.equal(read_mask_file(tmp_path / "nni.pth")["3.weight"], masks["3.weight"])


def test_mask_refusals_name_the_flag(tmp_path, capsys) -> None:
    model = _pruned_mlp()
    torch.save(model.state_dict(), tmp_path / "pruned.pt")
    save_file({"1.weight": torch.ones(6, 12)}, tmp_path / "m.safetensors")
    status, _, err = _audit(capsys, tmp_path / "pruned.pt", "--mask", str(tmp_path / "m.safetensors"))
    assert status == 2 and "--mask" in err and "already holds masks" in err
    _plain_pruned(model, tmp_path)
    save_file({"1.weight": torch.full((6, 12), 0.5)}, tmp_path / "half.safetensors")
    status, _, err = _audit(capsys, tmp_path / "pruned_plain.safetensors", "--mask",
                            str(tmp_path / "half.safetensors"))
    assert status == 2 and "not binary: it holds 0.5" in err
    save_file({"9.weight": torch.ones(2, 2), "1.weight": torch.ones(12, 6)},
              tmp_path / "wrong.safetensors")
    status, _, err = _audit(capsys, tmp_path / "pruned_plain.safetensors", "--mask",
                            str(tmp_path / "wrong.safetensors"))
    assert status == 2 and "9.weight" in err and "1.weight (12, 6) vs weights (6, 12)" in err
    state = {"1.weight_orig": torch.ones(6, 12), "1.weight_mask": torch.ones(6, 11)}
    with pytest.raises(ValueError, match="1.weight_mask has shape"):
        fold_pruning_pairs(state)


def test_zeros_are_read_as_a_mask_only_on_request(tmp_path, capsys) -> None:
    model = _pruned_mlp()
    plain = _plain_pruned(model, tmp_path)
    status, without, err = _audit(capsys, plain)
    assert status == 0 and without["settings"]["loading"]["masks"] == {}
    assert "1.weight has 50.0% exact zeros" in err and "--zeros-are-pruned" in err
    status, data, err = _audit(capsys, plain, "--zeros-are-pruned")
    assert status == 0 and _numbers(data) == _numbers(without)
    masks = data["settings"]["loading"]["masks"]
    assert masks["1.weight"]["kept"] == 36 and masks["1.weight"]["dense_reference"].startswith("none")
    assert "exact zeros" in err and "has 50.0% exact zeros" not in err


def _lth_run(root: Path, levels: int = 4) -> tuple[Path, list[dict]]:
    """A lottery run in open_lth's layout: level 0 dense, each next level prunes 20% of the
    remaining weights globally (open_lth's sparse_global) and rewinds to the level-0 init."""
    from tests.nn_audit.checkpoint_models import mlp

    run = root / "lottery_0123abcd" / "replicate_1"
    init = mlp().state_dict()
    prunable = ["1.weight", "3.weight"]
    mask = {k: torch.ones_like(init[k], dtype=torch.int32) for k in prunable}
    generator = torch.Generator().manual_seed(7)
    finals = []
    for level in range(levels):
        main_dir = run / f"level_{level}" / "main"
        main_dir.mkdir(parents=True)
        if level > 0:  # prune 20% of the remaining weights of the previous level, globally
            previous = finals[-1]
            remaining = int(sum(int(m.sum()) for m in mask.values()))
            n_prune = int(np.ceil(0.2 * remaining))
            scores = torch.cat([previous[k].abs()[mask[k].bool()] for k in prunable])
            threshold = torch.sort(scores).values[n_prune]
            mask = {k: (mask[k].bool() & (previous[k].abs() >= threshold)).int() for k in prunable}
        start = {k: (v * mask[k] if k in mask else v.clone()) for k, v in init.items()}
        torch.save(start, main_dir / "model_ep0_it0.pth")
        final = {k: v + 0.2 * torch.randn(v.shape, generator=generator) for k, v in start.items()}
        # after the last optimizer step the pruned entries are not exactly zero again
        finals.append({k: v for k, v in final.items()})
        torch.save(final, main_dir / "model_ep2_it0.pth")
        torch.save({k: v.cpu().int() for k, v in mask.items()}, main_dir / "mask.pth")
        total = sum(m.numel() for m in mask.values())
        (main_dir / "sparsity_report.json").write_text(json.dumps(
            {"total": float(total), "unpruned": float(sum(int(m.sum()) for m in mask.values()))}))
    return run, finals


def test_an_open_lth_run_is_read_level_by_level(tmp_path, capsys) -> None:
    run, finals = _lth_run(tmp_path)
    assert [level for level, _ in open_lth_levels(run)] == [0, 1, 2, 3]
    level3 = read_open_lth_level(run / "level_3")
    assert level3.level == 3 and level3.model_file.endswith("model_ep2_it0.pth")
    assert level3.dense_file.endswith("level_0/main/model_ep2_it0.pth")
    kept = sum(p.kept for p in level3.pruned.values())
    assert kept == 90 - int(np.ceil(0.2 * 90)) - int(np.ceil(0.2 * 72)) - int(np.ceil(0.2 * 57))
    for name, p in level3.pruned.items():
        assert torch.equal(p.effective, finals[3][name] * p.mask)
        assert torch.equal(p.dense, finals[0][name])
    # the audit of the level folder = the audit of the plain state dict of weight x mask
    save_file({k: v.contiguous() for k, v in level3.state.items()}, tmp_path / "l3.safetensors")
    status, plain, _ = _audit(capsys, tmp_path / "l3.safetensors")
    status, data, err = _audit(capsys, run / "level_3" / "main")
    assert status == 0, err
    assert _numbers(data) == _numbers(plain)
    loading = data["settings"]["loading"]
    assert loading["format"] == "open_lth" and loading["files"][2].endswith(
        "level_0/main/model_ep2_it0.pth")
    assert sum(m["kept"] for m in loading["masks"].values()) == kept
    assert "read the open_lth level folder" in err
    status, _, err = _audit(capsys, run / "level_3" / "main", "--mask", "x.pth")
    assert status == 2 and "brings its own mask.pth" in err
    status, _, err = _audit(capsys, run)
    assert status == 2 and "not an open_lth level folder" in err
