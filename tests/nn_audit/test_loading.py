"""Loading: safetensors, weights-only pickles, state-dict mismatches, factories, inputs."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import torch
from safetensors.torch import save_file

from tests.nn_audit.models import mlp, small_transformer
from topotheory.nn.audit.loading import (
    apply_state_dict,
    example_from_shape,
    load_example_inputs,
    load_factory,
    load_state_dict,
)


def test_safetensors_and_weights_only_pickle_round_trip(tmp_path) -> None:
    model = mlp()
    save_file(model.state_dict(), tmp_path / "w.safetensors")
    torch.save(model.state_dict(), tmp_path / "w.pt")
    torch.save({"state_dict": model.state_dict(), "epoch": 3}, tmp_path / "wrapped.pth")
    for name in ("w.safetensors", "w.pt", "wrapped.pth"):
        state = load_state_dict(tmp_path / name)
        fresh = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 6), torch.nn.ReLU(),
                                    torch.nn.Linear(6, 3))
        apply_state_dict(fresh, state)
        for key, value in model.state_dict().items():
            assert torch.equal(fresh.state_dict()[key], value), (name, key)


class _Payload:
    """Unpickling this runs ``open(path, 'w')``: it must never happen."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_pickled_code_is_refused_and_never_executed(tmp_path) -> None:
    marker = tmp_path / "executed.txt"
    with open(tmp_path / "evil.pt", "wb") as handle:
        pickle.dump({"weight": _Payload(str(marker))}, handle)
    with pytest.raises(ValueError, match="never executes pickled code") as info:
        load_state_dict(tmp_path / "evil.pt")
    assert "--weights" in str(info.value)
    assert not marker.exists()
    torch.save(mlp(), tmp_path / "full.pt")  # a whole pickled module, not weights
    with pytest.raises(ValueError, match="not weights-only.*Sequential"):
        load_state_dict(tmp_path / "full.pt")


def test_mismatching_state_dict_lists_every_problem_in_one_error() -> None:
    model = mlp()
    state = dict(model.state_dict())
    state.pop("1.bias")
    state["3.weight"] = torch.zeros(4, 6)
    state["extra.weight"] = torch.zeros(1)
    with pytest.raises(ValueError) as info:
        apply_state_dict(model, state)
    text = str(info.value)
    assert "missing keys: 1.bias" in text
    assert "unexpected keys: extra.weight" in text
    assert "3.weight (4, 6) vs model (3, 6)" in text


def test_bad_files_and_suffixes(tmp_path) -> None:
    with pytest.raises(ValueError, match="is not a file"):
        load_state_dict(tmp_path / "nope.safetensors")
    (tmp_path / "w.npz").write_bytes(b"x")
    with pytest.raises(ValueError, match="unknown checkpoint suffix"):
        load_state_dict(tmp_path / "w.npz")
    (tmp_path / "bad.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ValueError, match="not a readable safetensors"):
        load_state_dict(tmp_path / "bad.safetensors")
    torch.save([1, 2], tmp_path / "list.pt")
    with pytest.raises(ValueError, match="not a state dict"):
        load_state_dict(tmp_path / "list.pt")


def test_factory_is_found_in_the_current_directory(tmp_path, monkeypatch) -> None:
    (tmp_path / "user_model_abc.py").write_text(
        "import torch\n\ndef build():\n    return torch.nn.Linear(3, 2)\n\nNOT_A_MODEL = dict\n")
    monkeypatch.chdir(tmp_path)
    assert isinstance(load_factory("user_model_abc:build"), torch.nn.Linear)
    with pytest.raises(TypeError, match="not a torch.nn.Module"):
        load_factory("user_model_abc:NOT_A_MODEL")
    with pytest.raises(ValueError, match="no callable 'missing'"):
        load_factory("user_model_abc:missing")
    with pytest.raises(ValueError, match="cannot import 'no_such_module_xyz'"):
        load_factory("no_such_module_xyz:build")
    with pytest.raises(ValueError, match="pkg.module:factory"):
        load_factory("just_a_name")


def test_example_inputs_by_name_and_position(tmp_path) -> None:
    model = small_transformer()
    save_file({"src": torch.zeros(4, 1, 8), "tgt": torch.ones(3, 1, 8)}, tmp_path / "kw.safetensors")
    inputs = load_example_inputs(tmp_path / "kw.safetensors", model)
    assert set(inputs) == {"src", "tgt"} and inputs["tgt"].shape == (3, 1, 8)
    save_file({"1": torch.ones(3, 1, 8), "0": torch.zeros(4, 1, 8)}, tmp_path / "pos.safetensors")
    pos = load_example_inputs(tmp_path / "pos.safetensors", model)
    assert [t.shape for t in pos] == [(4, 1, 8), (3, 1, 8)]
    save_file({"source": torch.zeros(1)}, tmp_path / "bad.safetensors")
    with pytest.raises(ValueError, match="not arguments of the model's forward"):
        load_example_inputs(tmp_path / "bad.safetensors", model)


def test_example_from_shape_validates() -> None:
    assert example_from_shape("3,5", "int64").dtype == torch.int64
    with pytest.raises(ValueError, match="--input-dtype 'complex'"):
        example_from_shape("3", "complex")
    with pytest.raises(ValueError, match="positive ints"):
        example_from_shape("3,0")
    with pytest.raises(ValueError, match="comma-separated ints"):
        example_from_shape("a,b")


# --- forgiving, explicit loading (issue 24 item 2) -------------------------------------------
from topotheory.nn.audit.checkpoint import load_checkpoint  # noqa: E402
from topotheory.nn.audit.loading import read_checkpoint  # noqa: E402


def _shifted(model: torch.nn.Module, by: float) -> dict[str, torch.Tensor]:
    return {k: v + by for k, v in model.state_dict().items()}


def test_several_state_dicts_are_listed_and_key_selects_one(tmp_path) -> None:
    model = mlp()
    torch.save({"model": _shifted(model, 1.0), "model_ema": _shifted(model, 2.0),
                "epoch": 4}, tmp_path / "ck.pt")
    with pytest.raises(ValueError) as info:
        load_checkpoint(mlp(), tmp_path / "ck.pt")
    text = str(info.value)
    assert "holds 2 state dicts: 'model' (4 tensors, 4 match the model); 'model_ema' " in text
    assert "--key" in text
    fresh = mlp()
    loaded = load_checkpoint(fresh, tmp_path / "ck.pt", key="model_ema")
    assert loaded.key == "model_ema" and loaded.candidates == ("model", "model_ema")
    assert torch.equal(fresh[1].weight, model[1].weight + 2.0)
    with pytest.raises(ValueError, match="no state dict at --key 'ema'.*'model' \\(4 tensors\\)"):
        load_checkpoint(mlp(), tmp_path / "ck.pt", key="ema")
    # nested deeper, selected by a path of keys
    torch.save({"runs": [{"weights": _shifted(model, 3.0)}]}, tmp_path / "deep.pt")
    fresh = mlp()
    assert load_checkpoint(fresh, tmp_path / "deep.pt").key == "runs/0/weights"
    assert torch.equal(fresh[3].bias, model[3].bias + 3.0)


def test_the_only_state_dict_that_fits_the_model_is_taken_and_named(tmp_path) -> None:
    model = mlp()
    torch.save({"net": _shifted(model, 1.0), "discriminator": {"w": torch.ones(3)}},
               tmp_path / "gan.pt")
    loaded = load_checkpoint(mlp(), tmp_path / "gan.pt")
    assert loaded.key == "net"
    assert loaded.notes()[0] == "read the state dict at 'net' (4 tensors; the file holds 2 state dicts)"


def test_non_strict_audits_the_matching_part_and_lists_the_rest(tmp_path) -> None:
    from topotheory.nn.audit import audit_model

    model = mlp()
    state = {f"module.{k}": v for k, v in model.state_dict().items() if not k.startswith("3.")}
    state["module.aux.weight"] = torch.ones(2)
    state["module.1.bias"] = torch.zeros(5)  # wrong shape
    torch.save(state, tmp_path / "part.pt")
    with pytest.raises(ValueError, match="missing keys: 3.weight, 3.bias; unexpected keys: "
                       "aux.weight; shape mismatches: 1.bias .5,. vs model .6,.*--non-strict"):
        load_checkpoint(mlp(), tmp_path / "part.pt")
    fresh = mlp()
    loaded = load_checkpoint(fresh, tmp_path / "part.pt", strict=False)
    report = loaded.report
    assert report.loaded == ("1.weight",) and report.missing == ("3.weight", "3.bias")
    assert report.unexpected == ("aux.weight",)
    assert report.mismatched == ("1.bias (5,) vs model (6,)",)
    assert set(report.not_loaded) == {"3.weight", "3.bias", "1.bias"}
    assert torch.equal(fresh[1].weight, model[1].weight)
    note = loaded.notes()[-1]
    assert note.startswith("--non-strict: loaded 1 of 4 model keys; missing (not audited): "
                           "3.weight, 3.bias; shape mismatches (not audited): 1.bias")
    result = audit_model(fresh, input_shape=(12,), trials=20, not_loaded=report.not_loaded)
    assert result.layers == ()
    assert {n.module for n in result.coverage.not_covered} == {"1", "3"}
    assert all("not in the checkpoint" in n.reason for n in result.coverage.not_covered)
    torch.save({k: v for k, v in model.state_dict().items() if k != "3.weight"},
               tmp_path / "one_missing.pt")
    fresh = mlp()
    loaded = load_checkpoint(fresh, tmp_path / "one_missing.pt", strict=False)
    result = audit_model(fresh, input_shape=(12,), trials=20, not_loaded=loaded.report.not_loaded)
    assert [row.name for row in result.layers] == ["1"]
    assert result.coverage.covered_params == 12 * 6 + 6


def test_a_model_whose_own_keys_start_with_model_keeps_them(tmp_path) -> None:
    class Wrapper(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = torch.nn.Linear(3, 2)

    source = Wrapper()
    torch.save(source.state_dict(), tmp_path / "w.pt")
    fresh = Wrapper()
    loaded = load_checkpoint(fresh, tmp_path / "w.pt")
    assert loaded.stripped == () and torch.equal(fresh.model.weight, source.model.weight)
    # and a DataParallel copy of it loses only module.
    torch.save(torch.nn.DataParallel(source).state_dict(), tmp_path / "dp.pt")
    assert load_checkpoint(Wrapper(), tmp_path / "dp.pt").stripped == (("module.", 2),)


def test_numpy_values_and_unknown_suffixes(tmp_path) -> None:
    model = mlp()
    torch.save({"weights": {k: v.numpy() for k, v in model.state_dict().items()},
                "step": np.int64(3), "lr": np.float32(0.1)}, tmp_path / "np.pt")
    fresh = mlp()
    loaded = load_checkpoint(fresh, tmp_path / "np.pt")
    assert loaded.key == "weights" and torch.equal(fresh[3].weight, model[3].weight)
    assert read_checkpoint(tmp_path / "np.pt").content["step"] == 3
    torch.save(model.state_dict(), tmp_path / "weights.model")  # a torch zip, odd suffix
    assert sorted(load_state_dict(tmp_path / "weights.model")) == sorted(model.state_dict())
    save_file(model.state_dict(), tmp_path / "weights.st")
    assert read_checkpoint(tmp_path / "weights.st").format == "safetensors"


def test_opaque_objects_inside_the_state_dict_or_blocked_modules_are_refused(tmp_path) -> None:
    import argparse
    import os

    model = mlp()
    state = dict(model.state_dict())
    state["config"] = argparse.Namespace(width=6)
    torch.save(state, tmp_path / "with_object.pt")
    with pytest.raises(ValueError, match="never executes pickled code") as info:
        load_checkpoint(mlp(), tmp_path / "with_object.pt")
    assert "config (argparse.Namespace)" in str(info.value)

    marker = tmp_path / "ran.txt"

    class System:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    torch.save({"state_dict": model.state_dict(), "hook": System()}, tmp_path / "evil.pt")
    with pytest.raises(ValueError, match="never executes pickled code"):
        load_checkpoint(mlp(), tmp_path / "evil.pt")
    assert not marker.exists()


def test_tied_parameters_given_different_values_are_refused() -> None:
    class Tied(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.a = torch.nn.Linear(2, 2, bias=False)
            self.b = torch.nn.Linear(2, 2, bias=False)
            self.b.weight = self.a.weight

    with pytest.raises(ValueError, match="different values to the tied parameters a.weight, b.weight"):
        apply_state_dict(Tied(), {"a.weight": torch.ones(2, 2), "b.weight": torch.zeros(2, 2)})
    model = Tied()
    apply_state_dict(model, {"b.weight": torch.full((2, 2), 3.0)})  # one name is enough
    assert float(model.a.weight.detach().sum()) == 12.0
