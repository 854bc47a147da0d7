"""Issue 24, "Done when" 1: seven kinds of model, each saved the ways people save them, are
audited without editing the file and with the same numbers as their plain state dict."""

from __future__ import annotations

import json

import pytest
import torch

from tests.nn_audit import checkpoint_models as cm
from topotheory.cli import main
from topotheory.nn.audit.checkpoint import load_checkpoint

MODULE = "tests.nn_audit.checkpoint_models"

#: what stderr must say for each way of saving (the loading is never silent)
SAID = {
    "dataparallel": ["removed the prefix 'module.'"],
    "lightning": ["read the state dict at 'state_dict'", "removed the prefix 'model.'",
                  "not loaded (never executed; read as placeholders): argparse.Namespace"],
    "compiled": ["removed the prefix '_orig_mod.'"],
    "nested": ["read the state dict at 'model_state_dict'"],
    "tar": ["read the state dict at 'state_dict'", "removed the prefix 'module.'"],
    "safetensors_model": [],
}


def _audit(capsys, name: str, weights, *extra: str) -> tuple[int, dict | None, str]:
    shape, dtype = cm.KINDS[name]
    status = main(["audit", "--module", f"{MODULE}:{name}", "--weights", str(weights),
                   "--input-shape", shape, "--input-dtype", dtype, "--json", "--quiet",
                   "--trials", "20", *extra])
    out, err = capsys.readouterr()
    return status, (json.loads(out) if out else None), err


def _numbers(data: dict) -> tuple:
    settings = {k: v for k, v in data["settings"].items() if k != "loading"}
    return data["layers"], data["summary"], data["coverage"], settings


@pytest.mark.parametrize("name", sorted(cm.KINDS))
def test_every_way_of_saving_gives_the_plain_numbers(name, tmp_path, capsys) -> None:
    model = cm.trained(name)
    status, plain, _ = _audit(capsys, name, cm.save_plain(model, tmp_path))
    assert status == 0
    init = cm.__dict__[name]()
    assert any(not torch.equal(a, b) for a, b in zip(init.state_dict().values(),
                                                    model.state_dict().values(), strict=True))
    for how, save in cm.SAVERS.items():
        file = save(model, tmp_path)
        status, data, err = _audit(capsys, name, file)
        assert status == 0, (how, err)
        assert _numbers(data) == _numbers(plain), how
        for text in SAID[how]:
            assert text in err, (how, text, err)
        assert data["settings"]["loading"]["notes"] == [
            line.removeprefix("audit: ") for line in err.splitlines()
            if not line.startswith("audit: WARNING")]
        # the loaded tensors are the saved ones (not the factory's initial values)
        fresh = cm.__dict__[name]()
        load_checkpoint(fresh, file)
        for key, value in model.state_dict().items():
            assert torch.equal(fresh.state_dict()[key], value), (how, key)


def test_tied_weights_saved_once_by_safetensors_are_loaded_into_both_names(tmp_path) -> None:
    model = cm.trained("lstm_lm")
    file = cm.save_safetensors_model(model, tmp_path)
    fresh = cm.lstm_lm()
    loaded = load_checkpoint(fresh, file)
    from safetensors import safe_open

    with safe_open(str(file), framework="pt") as handle:
        stored = list(handle.keys())
    assert len(stored) == len(model.state_dict()) - 1  # one of the two names was dropped
    assert loaded.aliases in ({"decoder.weight": "encoder.weight"},
                              {"encoder.weight": "decoder.weight"})
    assert loaded.report.tied == (("encoder.weight", "decoder.weight"),)
    assert fresh.decoder.weight is fresh.encoder.weight
    assert torch.equal(fresh.decoder.weight, model.encoder.weight)
