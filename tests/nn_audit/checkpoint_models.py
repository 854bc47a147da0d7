"""Small models of the kinds people audit, and their checkpoints saved the ways people save them.

Each factory builds a seeded model (importable as ``tests.nn_audit.checkpoint_models:NAME``
for ``--module``); :func:`trained` changes its weights as training would (so that a
checkpoint that failed to load could not pass for the factory's values), and
:data:`SAVERS` write its state dict as DataParallel, Lightning, torch.compile, nested
dicts, ``.tar`` and safetensors ``save_model`` (tied weights stored once) write it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file, save_model
from torch import nn


class _Block(nn.Module):
    def __init__(self, c_in: int, c_out: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.downsample = (nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False),
                                         nn.BatchNorm2d(c_out)) if stride != 1 or c_in != c_out
                           else nn.Identity())

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.bn2(self.conv2(y)) + self.downsample(x))


class ResNetLike(nn.Module):
    """Stem conv, two residual blocks (one with a 1x1 shortcut), pooling, fc."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        self.layer1 = _Block(4, 4, 1)
        self.layer2 = _Block(4, 6, 2)
        self.fc = nn.Linear(6, 5)

    def forward(self, x):
        x = self.layer2(self.layer1(torch.relu(self.bn1(self.conv1(x)))))
        return self.fc(x.mean((2, 3)))


class ViTLike(nn.Module):
    """Patch embedding, class token, position embedding, one encoder layer, head."""

    def __init__(self) -> None:
        super().__init__()
        self.patch_embed = nn.Conv2d(3, 8, 4, stride=4)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, 8))
        self.pos_embed = nn.Parameter(torch.randn(1, 5, 8) * 0.02)
        self.blocks = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0,
                                                 batch_first=True)
        self.norm = nn.LayerNorm(8)
        self.head = nn.Linear(8, 3)

    def forward(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos_embed
        return self.head(self.norm(self.blocks(x))[:, 0])


class LSTMLanguageModel(nn.Module):
    """Embedding -> LSTM -> output projection tied to the embedding."""

    def __init__(self) -> None:
        super().__init__()
        self.encoder = nn.Embedding(20, 8)
        self.rnn = nn.LSTM(8, 8, batch_first=True)
        self.decoder = nn.Linear(8, 20)
        self.decoder.weight = self.encoder.weight

    def forward(self, tokens):
        return self.decoder(self.rnn(self.encoder(tokens))[0])


class GRUTagger(nn.Module):
    """Embedding -> bidirectional GRU -> tag scores."""

    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Embedding(15, 6)
        self.gru = nn.GRU(6, 5, batch_first=True, bidirectional=True)
        self.tag = nn.Linear(10, 4)

    def forward(self, tokens):
        return self.tag(self.gru(self.embed(tokens))[0])


class ConvAutoencoder(nn.Module):
    """Conv encoder, ConvTranspose2d decoder."""

    def __init__(self) -> None:
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(1, 4, 3, stride=2, padding=1), nn.ReLU(),
                                     nn.Conv2d(4, 6, 3, stride=2, padding=1), nn.ReLU())
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(6, 4, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose2d(4, 1, 3, stride=2, padding=1, output_padding=1))

    def forward(self, x):
        return self.decoder(self.encoder(x))


class CellModel(nn.Module):
    """An LSTMCell unrolled by hand over the sequence, then a head."""

    def __init__(self) -> None:
        super().__init__()
        self.cell = nn.LSTMCell(3, 5)
        self.head = nn.Linear(5, 2)

    def forward(self, x):  # (batch, steps, 3)
        h = c = torch.zeros(x.shape[0], 5)
        for t in range(x.shape[1]):
            h, c = self.cell(x[:, t], (h, c))
        return self.head(h)


def _seeded(cls: type[nn.Module], seed: int) -> Callable[[], nn.Module]:
    def build() -> nn.Module:
        torch.manual_seed(seed)
        return cls()

    build.__name__ = cls.__name__
    return build


resnet_like = _seeded(ResNetLike, 10)
vit_like = _seeded(ViTLike, 11)
lstm_lm = _seeded(LSTMLanguageModel, 12)
gru_tagger = _seeded(GRUTagger, 13)
conv_autoencoder = _seeded(ConvAutoencoder, 14)
cell_model = _seeded(CellModel, 15)


def mlp() -> nn.Module:
    """A small seeded MLP."""
    torch.manual_seed(16)
    return nn.Sequential(nn.Flatten(), nn.Linear(12, 6), nn.ReLU(), nn.Linear(6, 3))


#: factory name -> (--input-shape, --input-dtype)
KINDS: dict[str, tuple[str, str]] = {
    "resnet_like": ("3,8,8", "float32"),
    "vit_like": ("3,8,8", "float32"),
    "lstm_lm": ("6", "int64"),
    "gru_tagger": ("7", "int64"),
    "conv_autoencoder": ("1,8,8", "float32"),
    "mlp": ("12", "float32"),
    "cell_model": ("4,3", "float32"),
}


def trained(name: str) -> nn.Module:
    """The factory's model with every parameter and float buffer moved off its init."""
    model = globals()[name]()
    generator = torch.Generator().manual_seed(100)
    with torch.no_grad():
        for p in model.parameters():  # a tied parameter is visited once
            p.add_(0.3 * torch.randn(p.shape, generator=generator))
        for b in model.buffers():
            if b.is_floating_point():
                b.add_(0.1 * torch.rand(b.shape, generator=generator))
    return model


def _state(model: nn.Module) -> dict[str, torch.Tensor]:
    return dict(model.state_dict())


def _optimizer_state(model: nn.Module) -> dict:
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for p in model.parameters():
        p.grad = torch.zeros_like(p)
    optimizer.step()  # momentum buffers: an optimizer state with tensors keyed by ints
    for p in model.parameters():
        p.grad = None
    return optimizer.state_dict()


def save_plain(model: nn.Module, path: Path) -> Path:
    """``save_file(model.state_dict())`` with tied tensors cloned (what save_file needs)."""
    file = path / "plain.safetensors"
    save_file({k: v.clone().contiguous() for k, v in _state(model).items()}, file)
    return file


def save_dataparallel(model: nn.Module, path: Path) -> Path:
    """``torch.save(nn.DataParallel(model).state_dict())``: every key under ``module.``."""
    file = path / "dp.pt"
    torch.save(nn.DataParallel(model).state_dict(), file)
    return file


def save_lightning(model: nn.Module, path: Path) -> Path:
    """A Lightning-style ``.ckpt``: ``self.model`` keys, optimizer, callbacks, hparams."""
    file = path / "epoch=3-step=120.ckpt"
    torch.save({
        "epoch": 3, "global_step": 120, "pytorch-lightning_version": "2.1.0",
        "state_dict": {f"model.{k}": v for k, v in _state(model).items()},
        "loops": {"fit_loop": {"state_dict": {}, "epoch_progress": {"current": {"ready": 4}}}},
        "callbacks": {"ModelCheckpoint{'monitor': 'val_loss'}": {
            "best_model_score": torch.tensor(0.25), "best_model_path": "x.ckpt"}},
        "optimizer_states": [_optimizer_state(model)], "lr_schedulers": [],
        "hparams_name": "kwargs", "hyper_parameters": argparse.Namespace(lr=0.1, width=8),
    }, file)
    return file


def save_compiled(model: nn.Module, path: Path) -> Path:
    """The state dict of ``torch.compile(model)``: every key under ``_orig_mod.``."""
    file = path / "compiled.pth"
    torch.save({f"_orig_mod.{k}": v for k, v in _state(model).items()}, file)
    return file


def save_nested(model: nn.Module, path: Path) -> Path:
    """``{"model_state_dict": ..., "optimizer_state_dict": ..., numpy scalars}``."""
    file = path / "nested.pth"
    torch.save({"model_state_dict": _state(model), "optimizer_state_dict": _optimizer_state(model),
                "epoch": np.int64(7), "best_acc": np.float64(0.91),
                "history": np.array([0.5, 0.7, 0.91])}, file)
    return file


def save_tar(model: nn.Module, path: Path) -> Path:
    """The ImageNet example's ``checkpoint.pth.tar``: ``{"state_dict": ..., "arch": ...}``,
    written by DataParallel."""
    file = path / "checkpoint.pth.tar"
    torch.save({"epoch": 5, "arch": "custom", "best_acc1": torch.tensor(61.2),
                "state_dict": nn.DataParallel(model).state_dict(),
                "optimizer": _optimizer_state(model)}, file)
    return file


def save_safetensors_model(model: nn.Module, path: Path) -> Path:
    """``safetensors.torch.save_model``: tied weights stored once, named in the metadata."""
    file = path / "model.safetensors"
    save_model(model, str(file))
    return file


SAVERS: dict[str, Callable[[nn.Module, Path], Path]] = {
    "dataparallel": save_dataparallel,
    "lightning": save_lightning,
    "compiled": save_compiled,
    "nested": save_nested,
    "tar": save_tar,
    "safetensors_model": save_safetensors_model,
}
