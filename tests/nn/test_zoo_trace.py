"""The zoo models trace into the layer specs of the published SynFlow architectures."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from topotheory.nn.trace import ConvSpec, DenseSpec, RecurrentSpec, trace_model
from topotheory.nn.zoo import PAPER_PAIRINGS, build_model, input_shape, list_models


def _convs(model, dataset):
    return [s for s in trace_model(build_model(model, dataset, seed=0), input_shape(dataset)).layers
            if isinstance(s, ConvSpec)]


def _dense(model, dataset):
    return [(s.n_in, s.n_out) for s in
            trace_model(build_model(model, dataset, seed=0), input_shape(dataset)).layers
            if isinstance(s, DenseSpec)]


# (model, dataset) -> (conv output resolutions in call order, dense shapes, #1x1 shortcut convs)
EXPECTED = {
    ("fc", "mnist"): ([], [(784, 100)] + [(100, 100)] * 4 + [(100, 10)], 0),
    ("conv", "mnist"): ([28, 28], [(25088, 10)], 0),
    ("vgg11", "cifar10"): ([32, 16, 8, 8, 4, 4, 2, 2], [(512, 10)], 0),
    ("vgg11", "cifar100"): ([32, 16, 8, 8, 4, 4, 2, 2], [(512, 100)], 0),
    ("vgg11", "tiny-imagenet"): ([64, 32, 16, 16, 8, 8, 4, 4],
                                 [(2048, 1024), (1024, 1024), (1024, 200)], 0),
    ("resnet20", "cifar10"): ([32] * 7 + [16] * 7 + [8] * 7, [(64, 10)], 2),
    ("resnet20", "cifar100"): ([32] * 7 + [16] * 7 + [8] * 7, [(64, 100)], 2),
    ("resnet18", "tiny-imagenet"): ([64] * 5 + [32] * 5 + [16] * 5 + [8] * 5, [(512, 200)], 3),
}


@pytest.mark.parametrize("pairing", PAPER_PAIRINGS)
def test_zoo_layer_shapes(pairing):
    convs = _convs(*pairing)
    resolutions, dense, shortcuts = EXPECTED[pairing]
    assert [c.output_spatial[0] for c in convs] == resolutions
    assert _dense(*pairing) == dense
    assert sum(all(k == 1 for k in c.kernel) for c in convs) == shortcuts
    for c in convs:  # every 3x3 conv pads 1; every stride-2 conv halves the resolution
        if c.kernel == (3, 3):
            assert c.padding_pairs == ((1, 1), (1, 1))
        assert c.output_spatial[0] == -(-c.input_spatial[0] // c.stride[0])


def test_parameter_counts_match_published_models():
    # ResNet-20: 0.27M parameters; ResNet-18 (Tiny-ImageNet head): 11.27M.
    count = lambda m: sum(p.numel() for p in m.parameters())  # noqa: E731
    assert count(build_model("resnet20", "cifar10")) == 272474
    assert count(build_model("resnet18", "tiny-imagenet")) == 11271432
    assert count(build_model("fc", "mnist")) == 784 * 100 + 4 * 100 * 100 + 1000 + 5 * 100 + 10


def test_seed_is_reproducible_and_leaves_global_rng_alone():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    a, b = build_model("conv", "mnist", seed=5), build_model("conv", "mnist", seed=5)
    after = torch.rand(1)
    assert torch.equal(before, after)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    c = build_model("conv", "mnist", seed=6)
    assert not torch.equal(next(a.parameters()), next(c.parameters()))


def test_bad_names_raise():
    with pytest.raises(ValueError, match="name must be one of"):
        build_model("alexnet", "mnist")
    with pytest.raises(ValueError, match="dataset must be one of"):
        build_model("fc", "imagenet")
    with pytest.raises(ValueError, match="not defined for dataset"):
        build_model("vgg11", "mnist")
    assert set(list_models()) == {"fc", "conv", "vgg11", "resnet20", "resnet18"}


def test_conv_spec_geometry_matches_torch_for_same_padding_dilation_groups():
    conv1 = torch.nn.Conv1d(4, 6, 4, padding="same", dilation=3, groups=2)
    conv3 = torch.nn.Conv3d(6, 2, (1, 2, 3), stride=(1, 2, 1), padding=(0, 1, 2))
    specs = trace_model(conv1, (4, 7)).layers + trace_model(conv3, (6, 5, 7, 7)).layers
    assert specs[0].padding == "same" and specs[0].padding_pairs == ((4, 5),)
    assert specs[0].output_spatial == (7,) and specs[0].groups == 2
    assert specs[1].kernel == (1, 2, 3) and specs[1].stride == (1, 2, 1)
    assert specs[1].output_spatial == (5, 4, 9)
    np.testing.assert_array_equal(specs[1].weight, conv3.weight.detach().double().numpy())


def test_recurrent_gate_blocks():
    lstm = torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    specs = trace_model(lstm, (5, 3)).layers
    assert [(s.layer, s.reverse, s.input_size) for s in specs] == [
        (0, False, 3), (0, True, 3), (1, False, 8), (1, True, 8)]
    assert all(isinstance(s, RecurrentSpec) and s.gates == ("i", "f", "g", "o") for s in specs)
    blocks = specs[2].blocks()
    assert [b[0] for b in blocks][:4] == ["hh[i]", "hh[f]", "hh[g]", "hh[o]"]
    np.testing.assert_array_equal(blocks[1][2], lstm.weight_hh_l1.detach().double().numpy()[4:8])
    np.testing.assert_array_equal(blocks[7][2], lstm.weight_ih_l1.detach().double().numpy()[12:16])
    gru = trace_model(torch.nn.GRU(2, 3), (4, 2)).layers[0]
    assert gru.gates == ("r", "z", "n") and len(gru.blocks()) == 6


def test_unsupported_and_elementwise_are_listed_not_skipped():
    model = torch.nn.Sequential(
        torch.nn.Linear(4, 6), torch.nn.LayerNorm(6), torch.nn.Unflatten(1, (6, 1)),
        torch.nn.ConvTranspose1d(6, 2, 2), torch.nn.Conv1d(2, 2, 1, padding_mode="circular"),
    )
    result = trace_model(model, (4,))
    # a transposed conv is traced as its adjoint convolution (2 -> 6 channels)
    assert [type(s).__name__ for s in result.layers] == ["DenseSpec", "ConvSpec"]
    assert result.layers[1].transposed and result.layers[1].layer_type == "convtranspose1d"
    assert result.elementwise == (("1", "LayerNorm", 12),)
    names = {u[0]: u[1] for u in result.unsupported}
    assert set(names) == {"4"} and names["4"].startswith("Conv1d(padding_mode=")
