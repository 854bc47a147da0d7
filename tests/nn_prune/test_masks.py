"""Mask validation, safe save/load, torch.nn.utils.prune interop, re-application, rewinding."""

from __future__ import annotations

import zipfile

import pytest
import torch
from torch import nn

from topotheory.nn.data import Dataset
from topotheory.nn.masks import Mask, prunable_parameters
from topotheory.nn.rewind import capture_state, load_state, rewind_, save_state
from topotheory.nn.train import TrainConfig, train


@pytest.mark.parametrize(
    "bad",
    [
        torch.tensor([0.0, 0.5]),
        torch.tensor([2, 0]),
        torch.tensor([-1.0]),
        torch.tensor([float("nan")]),
    ],
)
def test_mask_rejects_non_binary(bad) -> None:
    with pytest.raises(ValueError, match="not binary"):
        Mask({"w": bad})


def test_mask_rejects_non_tensor() -> None:
    with pytest.raises(TypeError, match="torch.Tensor"):
        Mask({"w": [1, 0]})


def test_mask_reports_sparsity() -> None:
    m = Mask({"a": torch.tensor([1.0, 0.0, 1.0, 1.0]), "b": torch.zeros(2, 3, dtype=torch.int64)})
    assert (m.n_kept, m.n_total) == (3, 10)
    assert m.sparsity == pytest.approx(0.7)
    assert m.compression_ratio == pytest.approx(10 / 3)
    assert m.report()["b"] == {"kept": 0, "total": 6, "sparsity": 1.0}
    assert m["a"].dtype == torch.bool


def test_mask_save_load_round_trip_is_not_pickle(tmp_path) -> None:
    g = torch.Generator().manual_seed(0)
    m = Mask(
        {
            "0.weight": torch.rand(5, 7, generator=g) > 0.5,
            "2.weight": torch.rand(3, 5, generator=g) > 0.2,
        }
    )
    path = m.save(tmp_path / "sub" / "mask.safetensors")
    assert not zipfile.is_zipfile(path)  # torch.save's pickle container is a zip file
    back = Mask.load(path)
    assert back == m and back is not m
    with pytest.raises(FileNotFoundError):
        Mask.load(tmp_path / "missing.safetensors")


def test_state_save_load_round_trip(tmp_path) -> None:
    net = nn.Linear(3, 2)
    state = capture_state(net)
    back = load_state(save_state(state, tmp_path / "s.safetensors"))
    assert back.keys() == state.keys() and all(torch.equal(back[k], state[k]) for k in state)


def test_torch_prune_interop() -> None:
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    m = Mask({"0.weight": torch.rand(3, 4) > 0.5, "2.weight": torch.rand(2, 3) > 0.5})
    m.apply_torch_prune(net)
    assert torch.equal(net[0].weight == 0, ~m["0.weight"] | (net[0].weight_orig == 0))
    assert Mask.from_torch_prune(net) == m
    # one optimizer step on weight_orig: the effective weight stays masked
    opt = torch.optim.SGD(net.parameters(), lr=1.0)
    net(torch.randn(8, 4)).sum().backward()
    opt.step()
    assert (net[0].weight[~m["0.weight"]] == 0).all()


def _toy_data() -> Dataset:
    g = torch.Generator().manual_seed(0)
    x = torch.randn(64, 1, 2, 2, generator=g)
    y = (x.flatten(1).sum(1) > 0).long()
    return Dataset("toy", x, y, x, y, n_classes=2)


def test_mask_reapplied_after_every_optimizer_step() -> None:
    torch.manual_seed(0)
    net = nn.Sequential(nn.Flatten(), nn.Linear(4, 2))
    m = Mask({"1.weight": torch.tensor([[True, False, True, False], [False, True, True, True]])})
    seen: list[bool] = []

    def check(step: int, model: nn.Module) -> None:
        seen.append(bool((model[1].weight[~m["1.weight"]] == 0).all()))

    train(
        net,
        _toy_data(),
        TrainConfig(epochs=2, batch_size=8, device="cpu"),
        seed=0,
        mask=m,
        on_step=check,
    )
    assert len(seen) == 16 and all(seen)
    # control: Adam's momentum moves masked weights if the mask is applied only once
    net2 = nn.Sequential(nn.Flatten(), nn.Linear(4, 2))
    m.apply_(net2)
    opt = torch.optim.Adam(net2.parameters(), lr=0.1)
    for _ in range(2):
        opt.zero_grad()
        nn.functional.cross_entropy(net2(_toy_data().x_train), _toy_data().y_train).backward()
        opt.step()
    assert (net2[1].weight[~m["1.weight"]] != 0).any()


def test_rewind_state_is_not_aliased() -> None:
    torch.manual_seed(0)
    net = nn.Sequential(nn.Flatten(), nn.Linear(4, 2))
    init = capture_state(net)
    frozen = {k: v.clone() for k, v in init.items()}
    train(net, _toy_data(), TrainConfig(epochs=1, batch_size=8, device="cpu"), seed=0)
    assert not torch.equal(net[1].weight.detach(), frozen["1.weight"])  # training moved it
    assert all(torch.equal(init[k], frozen[k]) for k in init)  # the captured copy did not move
    m = Mask({"1.weight": torch.tensor([[True, False, True, False]] * 2)})
    rewind_(net, init, m)
    assert torch.equal(net[1].weight.detach(), frozen["1.weight"] * m["1.weight"])
    with torch.no_grad():
        net[1].weight.add_(1.0)  # mutating the rewound model leaves the state untouched
    assert torch.equal(init["1.weight"], frozen["1.weight"])


def test_prunable_parameters_skip_bias_and_norm() -> None:
    net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(8, 2))
    assert list(prunable_parameters(net)) == ["0.weight", "3.weight"]


def test_apply_rejects_wrong_names_and_shapes() -> None:
    with pytest.raises(ValueError, match="names no parameter"):
        Mask({"nope": torch.ones(2, dtype=torch.bool)}).apply_(nn.Linear(2, 1))
    with pytest.raises(ValueError, match="shape"):
        Mask({"weight": torch.ones(2, 2, dtype=torch.bool)}).apply_(nn.Linear(2, 1))
