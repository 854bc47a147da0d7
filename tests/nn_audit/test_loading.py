"""Loading: safetensors, weights-only pickles, state-dict mismatches, factories, inputs."""

from __future__ import annotations

import pickle

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
