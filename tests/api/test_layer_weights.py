"""``tt.layer_weights(model, input_shape)``: every supported layer, named, as the core takes it."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import topotheory as tt
from topotheory.errors import InputError, InputTypeError
from topotheory.topology.conv import ConvToeplitzGraph

pytestmark = pytest.mark.torch


class Mixed(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 2, 3, padding=1, stride=2)
        self.norm = torch.nn.BatchNorm2d(2)
        self.rnn = torch.nn.GRU(8, 3, bidirectional=True)
        self.head = torch.nn.Linear(6, 5)

    def forward(self, x):
        y = self.norm(self.conv(x))  # (B, 2, 4, 4)
        seq = y.flatten(2).transpose(0, 2).transpose(1, 2).reshape(4, -1, 8)
        out, _ = self.rnn(seq)
        return self.head(out[-1])


def test_every_layer_kind_in_call_order():
    torch.manual_seed(0)
    model = Mixed()
    layers = list(tt.layer_weights(model, (1, 8, 8)))
    names = [name for name, _ in layers]
    assert names[0] == "conv" and names[-1] == "head"
    gru = [n for n in names if n.startswith("rnn")]
    assert gru[:3] == ["rnn_l0.hh[r]", "rnn_l0.hh[z]", "rnn_l0.hh[n]"]
    assert len(gru) == 2 * 6 and "rnn_l0_reverse.ih[n]" in gru  # 2 directions x 3 gates x hh/ih
    assert not any(n.startswith("norm") for n in names)  # elementwise: not a layer
    by_name = dict(layers)
    assert isinstance(by_name["conv"], ConvToeplitzGraph)
    assert by_name["conv"].stride == (2, 2) and by_name["conv"].output_spatial == (4, 4)
    assert np.array_equal(by_name["head"], model.head.weight.detach().double().numpy())
    assert np.array_equal(by_name["rnn_l0.hh[z]"], model.rnn.weight_hh_l0.detach().double().numpy()[3:6])
    for _, layer in layers:  # every yielded layer is accepted by the core
        assert tt.neural_persistence(layer) >= 0


def test_conv_modes():
    conv = torch.nn.Conv2d(2, 4, 3, groups=2)
    (_, kernel), = tt.layer_weights(conv, (2, 6, 6), conv="kernel2d")
    assert kernel.shape == (4, 9)
    assert list(tt.layer_weights(conv, (2, 6, 6), conv="skip")) == []


def test_attention_and_embedding():
    emb = torch.nn.Embedding(10, 4)
    (name, table), = tt.layer_weights(emb, example_inputs=torch.tensor([[1, 2]]))
    assert table.shape == (4, 10)
    att = torch.nn.MultiheadAttention(8, 2)
    x = torch.zeros(3, 1, 8)
    names = [n for n, _ in tt.layer_weights(att, example_inputs=(x, x, x))]
    assert names == ["<root>.q_proj", "<root>.k_proj", "<root>.v_proj", "<root>.out_proj"]


def test_bad_calls_say_what_to_pass():
    with pytest.raises(InputError, match=r"input_shape.*\(1, 28, 28\)"):
        tt.layer_weights(torch.nn.Linear(2, 2))
    with pytest.raises(InputTypeError, match="neural_persistence"):
        tt.layer_weights(np.ones((2, 2)), (2,))
    with pytest.raises(InputError, match="conv mode"):
        tt.layer_weights(torch.nn.Linear(2, 2), (2,), conv="toeplitz")
