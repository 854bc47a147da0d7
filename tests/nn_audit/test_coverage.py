"""Coverage: every listed layer kind is measured (100% of parameters); the rest is listed."""

from __future__ import annotations

import numpy as np
import torch

from tests.nn_audit.models import every_kind, small_transformer
from topotheory.nn.audit.layers import audit_layers
from topotheory.nn.trace import trace_model


def _layers(model, inputs):
    return audit_layers(model, trace_model(model, example_inputs=inputs))


def test_every_listed_kind_is_covered_in_full() -> None:
    model = every_kind()
    layers, coverage = _layers(model, torch.randint(0, 11, (2, 7)))
    assert coverage.fraction == 1.0 and coverage.not_covered == ()
    assert coverage.total_params == sum(p.numel() for p in model.parameters())
    kinds = {layer.kind for layer in layers}
    assert kinds == {"embedding", "attention-q", "attention-k", "attention-v", "attention-out",
                     "lstm-hh", "lstm-ih", "gru-hh", "gru-ih", "conv1d", "conv2d", "conv3d",
                     "linear"}
    # 2 layers x 2 directions x 4 gates x (hh, ih) LSTM blocks, 3 x 2 GRU blocks
    assert sum(layer.kind.startswith("lstm") for layer in layers) == 32
    assert sum(layer.kind.startswith("gru") for layer in layers) == 6
    # every weight entry of every covered module is in exactly one audited layer
    weights = sum(p.numel() for n, p in model.named_parameters() if "bias" not in n)
    assert sum(layer.n_weights for layer in layers) == weights


def test_embedding_and_attention_weights_are_the_module_weights() -> None:
    model = every_kind()
    layers = {layer.name: layer for layer in _layers(model, torch.randint(0, 11, (1, 7)))[0]}
    np.testing.assert_array_equal(layers["embed"].dense, model.embed.weight.detach().double().T)
    w = model.attn.in_proj_weight.detach().double().numpy()
    np.testing.assert_array_equal(layers["attn.k_proj"].dense, w[8:16])
    np.testing.assert_array_equal(layers["cross.v_proj"].dense,
                                  model.cross.v_proj_weight.detach().double().numpy())
    assert layers["cross.k_proj"].shape == "5->8"
    np.testing.assert_array_equal(layers["attn.out_proj"].dense,
                                  model.attn.out_proj.weight.detach().double().numpy())


def test_transformer_with_two_inputs_covers_all_but_layer_norms() -> None:
    model = small_transformer()
    layers, coverage = _layers(model, (torch.zeros(5, 1, 8), torch.zeros(3, 1, 8)))
    norms = sum(p.numel() for m in model.modules() if isinstance(m, torch.nn.LayerNorm)
                for p in m.parameters(recurse=False))
    assert coverage.covered_params == coverage.total_params - norms
    assert {n.type for n in coverage.not_covered} == {"LayerNorm"}
    assert all("per feature" in n.reason for n in coverage.not_covered)
    # encoder self-attention, decoder self- and cross-attention: 3 x 4 projections
    assert sum(layer.kind.startswith("attention") for layer in layers) == 12


def test_unlisted_modules_are_listed_with_count_and_reason() -> None:
    class WithUnused(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = torch.nn.Sequential(
                torch.nn.Linear(4, 4), torch.nn.Unflatten(1, (4, 1)),
                torch.nn.ConvTranspose1d(4, 2, 2), torch.nn.Conv1d(2, 2, 1, padding_mode="circular"))
            self.unused = torch.nn.Linear(3, 3)

        def forward(self, x):
            return self.body(x)

    model = WithUnused()
    _, coverage = _layers(model, torch.zeros(1, 4))
    found = {n.module: n for n in coverage.not_covered}
    assert found["body.2"].n_params == 4 * 2 * 2 + 2 and "transposed" in found["body.2"].reason
    assert "padding mode" in found["body.3"].reason
    assert found["unused"].n_params == 12 and "not called" in found["unused"].reason
    assert coverage.covered_params == 20
    assert coverage.fraction == 20 / sum(p.numel() for p in model.parameters())


def test_a_module_called_twice_is_audited_once() -> None:
    shared = torch.nn.Linear(4, 4)

    class Twice(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.shared = shared

        def forward(self, x):
            return self.shared(self.shared(x))

    layers, coverage = _layers(Twice(), torch.zeros(1, 4))
    assert [(layer.name, layer.calls) for layer in layers] == [("shared", 2)]
    assert coverage.fraction == 1.0


def test_tied_weights_are_counted_once() -> None:
    class Tied(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = torch.nn.Embedding(10, 4)
            self.out = torch.nn.Linear(4, 10, bias=False)
            self.out.weight = self.embed.weight

        def forward(self, tokens):
            return self.out(self.embed(tokens))

    layers, coverage = _layers(Tied(), torch.tensor([[1, 2, 3]]))
    assert coverage.total_params == coverage.covered_params == 40
    assert [layer.kind for layer in layers] == ["embedding", "linear"]
