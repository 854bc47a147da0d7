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
                torch.nn.Conv1d(4, 2, 1, padding_mode="circular"))
            self.bilinear = torch.nn.Bilinear(2, 2, 3)
            self.unused = torch.nn.Linear(3, 3)

        def forward(self, x):
            y = self.body(x).flatten(1)
            return self.bilinear(y, y)

    model = WithUnused()
    _, coverage = _layers(model, torch.zeros(1, 4))
    found = {n.module: n for n in coverage.not_covered}
    assert "padding mode" in found["body.2"].reason
    assert found["bilinear"].n_params == 2 * 2 * 3 + 3
    assert "hyperedge" in found["bilinear"].reason and "x1_i * x2_j" in found["bilinear"].reason
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


def test_tied_layers_are_marked_and_counted_once_in_the_summary() -> None:
    from topotheory.nn.audit import audit_model

    class TiedLM(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            torch.manual_seed(3)
            self.embed = torch.nn.Embedding(12, 5)
            self.mix = torch.nn.Linear(5, 5)
            self.out = torch.nn.Linear(5, 12, bias=False)
            self.out.weight = self.embed.weight

        def forward(self, tokens):
            return self.out(self.mix(self.embed(tokens)))

    result = audit_model(TiedLM(), example_inputs=torch.tensor([[1, 2, 3]]), trials=20)
    rows = {row.name: row for row in result.layers}
    assert rows["out"].tied_to == "embed" and rows["embed"].tied_to == "" == rows["mix"].tied_to
    # the tied layer is the same bipartite graph (transposed): same forest, same keep
    assert rows["out"].keep == rows["embed"].keep == 12 + 5 - 1
    summary = result.summary
    assert summary.weights_audited == 12 * 5 + 5 * 5
    assert summary.weights_kept == rows["embed"].keep + rows["mix"].keep
    assert "tied weights counted once: out" in summary.includes.diagram_keeping_ratio
    from topotheory.nn.audit.terminal import render_text

    text = render_text(result)
    assert "out (tied)" in text and "tied out: the same weight tensor as embed" in text


class _Decoder(torch.nn.Module):
    """A conv autoencoder: Conv2d encoder, ConvTranspose2d decoder."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(4)
        self.enc = torch.nn.Conv2d(1, 4, 3, stride=2, padding=1)
        self.dec = torch.nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1)
        self.dec3 = torch.nn.ConvTranspose3d(2, 1, (1, 2, 2), stride=(1, 2, 2), groups=1)
        self.dec1 = torch.nn.ConvTranspose1d(3, 2, 3, stride=1, dilation=2, groups=1)

    def forward(self, x):
        y = self.dec(self.enc(x))  # (b, 2, 8, 8)
        z = self.dec3(y.unsqueeze(2))  # (b, 1, 1, 16, 16)
        return self.dec1(z.flatten(1)[:, :12].reshape(-1, 3, 4))


def test_transposed_convs_are_covered_as_their_adjoint_convolutions() -> None:
    from topotheory.topology import conv_toeplitz_graph

    model = _Decoder()
    layers, coverage = _layers(model, torch.zeros(1, 1, 8, 8))
    assert coverage.fraction == 1.0 and coverage.not_covered == ()
    kinds = {layer.name: layer.kind for layer in layers}
    assert kinds == {"enc": "conv2d", "dec": "convtranspose2d", "dec3": "convtranspose3d",
                     "dec1": "convtranspose1d"}
    spec = next(layer.conv for layer in layers if layer.name == "dec")
    assert (spec.in_channels, spec.out_channels) == (2, 4)
    assert (spec.input_spatial, spec.output_spatial) == ((8, 8), (4, 4))
    # the adjoint's Toeplitz matrix is the transposed conv's linear map, transposed
    graph = conv_toeplitz_graph(spec.weight, (2, 8, 8), stride=2, padding=1)
    _, u, v, param = graph.edges()
    dense = np.zeros((graph.n_outputs, graph.n_inputs))
    np.add.at(dense, (v - graph.n_inputs, u), spec.weight.ravel()[param])
    basis = torch.eye(4 * 4 * 4, dtype=torch.float64).reshape(-1, 4, 4, 4)
    w = model.dec.weight.detach().double()
    images = torch.nn.functional.conv_transpose2d(basis, w, stride=2, padding=1, output_padding=1)
    linear_map = images.reshape(64, -1).numpy()  # (inputs of dec, outputs of dec)
    real = np.zeros((2, 10, 10), dtype=bool)  # the adjoint's padded grid: cropped outputs
    real[:, 1:9, 1:9] = True
    assert graph.n_inputs == real.size
    np.testing.assert_allclose(dense[:, real.ravel()], linear_map)
    assert np.count_nonzero(dense[:, ~real.ravel()]) > 0  # edges into cropped positions


def test_output_padding_beyond_the_stride_is_listed_with_the_reason() -> None:
    model = torch.nn.Sequential(torch.nn.ConvTranspose1d(2, 2, 3, stride=1, dilation=2,
                                                         output_padding=1))
    _, coverage = _layers(model, torch.zeros(1, 2, 5))
    [item] = coverage.not_covered
    assert "output_padding (1,)" in item.reason and "adjoint" in item.reason


def test_cells_are_covered_with_their_gate_blocks() -> None:
    class Cells(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            torch.manual_seed(5)
            self.lstm_cell = torch.nn.LSTMCell(3, 4)
            self.gru_cell = torch.nn.GRUCell(4, 4)
            self.rnn_cell = torch.nn.RNNCell(4, 2, nonlinearity="relu")
            self.head = torch.nn.Linear(2, 1)

        def forward(self, x):  # (b, steps, 3)
            h = c = torch.zeros(x.shape[0], 4)
            g = torch.zeros(x.shape[0], 4)
            for t in range(x.shape[1]):
                h, c = self.lstm_cell(x[:, t], (h, c))
                g = self.gru_cell(h, g)
            return self.head(self.rnn_cell(g))

    model = Cells()
    layers, coverage = _layers(model, torch.zeros(2, 3, 3))
    assert coverage.fraction == 1.0 and coverage.not_covered == ()
    by_kind: dict[str, list] = {}
    for layer in layers:
        by_kind.setdefault(layer.kind, []).append(layer)
    assert [len(by_kind[k]) for k in ("lstm-hh", "lstm-ih", "gru-hh", "gru-ih", "rnn-hh",
                                      "rnn-ih")] == [4, 4, 3, 3, 1, 1]
    assert {layer.module for layer in by_kind["lstm-hh"]} == {"lstm_cell"}
    assert by_kind["lstm-hh"][0].calls == 3 and by_kind["rnn-hh"][0].calls == 1
    w = model.lstm_cell.weight_hh.detach().double().numpy()
    np.testing.assert_array_equal(by_kind["lstm-hh"][1].dense, w[4:8])  # gate f
    assert sum(layer.n_weights for layer in layers) == sum(
        p.numel() for n, p in model.named_parameters() if "bias" not in n)


def test_free_parameters_are_named_by_their_full_path() -> None:
    class Block(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.gamma = torch.nn.Parameter(torch.ones(4))
            self.fc = torch.nn.Linear(4, 4)

        def forward(self, x):
            return self.fc(x) * self.gamma

    class TinyViT(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.cls_token = torch.nn.Parameter(torch.zeros(1, 1, 4))
            self.pos_embed = torch.nn.Parameter(torch.zeros(1, 3, 4))
            self.blocks = torch.nn.Sequential(Block())
            self.act = torch.nn.PReLU()

        def forward(self, x):  # (b, 2, 4)
            x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos_embed
            return self.act(self.blocks(x))

    _, coverage = _layers(TinyViT(), torch.zeros(1, 2, 4))
    found = {n.module: n for n in coverage.not_covered}
    assert set(found) == {"cls_token", "pos_embed", "blocks.0.gamma", "act"}
    assert found["cls_token"].type == "parameter of TinyViT"
    assert found["blocks.0.gamma"].type == "parameter of Block" and found["pos_embed"].n_params == 12
    assert "class token" in found["cls_token"].reason
    assert "per feature" in found["act"].reason
    assert "<root>" not in found
    assert coverage.covered_params == 20
