"""Models built in the tests: one of every layer kind the audit covers, and a few others."""

from __future__ import annotations

import torch
from torch import nn


class EveryKind(nn.Module):
    """Token ids -> Embedding -> attention -> LSTM/GRU -> convs 1d/2d/3d -> Linear."""

    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Embedding(11, 8)
        self.attn = nn.MultiheadAttention(8, 2, batch_first=True)
        self.cross = nn.MultiheadAttention(8, 2, kdim=5, vdim=3, batch_first=True)
        self.lstm = nn.LSTM(8, 6, num_layers=2, batch_first=True, bidirectional=True)
        self.gru = nn.GRU(12, 4, batch_first=True)
        self.conv1 = nn.Conv1d(4, 6, 3, stride=2, padding=1, dilation=2)
        self.depthwise = nn.Conv1d(6, 6, 3, padding="same", groups=6)
        self.conv2 = nn.Conv2d(1, 4, 3, padding=1)
        self.pointwise = nn.Conv2d(4, 4, 1)
        self.grouped = nn.Conv2d(4, 4, 3, stride=2, groups=2)
        self.conv3 = nn.Conv3d(1, 2, (2, 3, 3), stride=(1, 2, 1), padding=(0, 1, 1))
        self.head = nn.Linear(18 + 16 + 16, 5)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        x = self.embed(tokens)  # (b, 7, 8)
        x, _ = self.attn(x, x, x)
        memory_k = torch.ones(x.shape[0], 3, 5)
        memory_v = torch.ones(x.shape[0], 3, 3)
        x = x + self.cross(x, memory_k, memory_v)[0]
        x, _ = self.lstm(x)
        x, _ = self.gru(x)  # (b, 7, 4)
        a = self.depthwise(self.conv1(x.transpose(1, 2)))  # (b, 6, 3)
        flat = x.flatten(1)  # (b, 28)
        img = torch.nn.functional.pad(flat, (0, 8)).reshape(-1, 1, 6, 6)
        b = self.grouped(self.pointwise(self.conv2(img)))  # (b, 4, 2, 2)
        c = self.conv3(flat[:, :24].reshape(-1, 1, 2, 3, 4))  # (b, 2, 1, 2, 4)
        return self.head(torch.cat([a.flatten(1), b.flatten(1), c.flatten(1)], 1))


def every_kind() -> nn.Module:
    """Seeded :class:`EveryKind`."""
    torch.manual_seed(0)
    return EveryKind()


def mlp() -> nn.Module:
    """A small seeded MLP."""
    torch.manual_seed(1)
    return nn.Sequential(nn.Flatten(), nn.Linear(12, 6), nn.ReLU(), nn.Linear(6, 3))


def small_transformer() -> nn.Module:
    """``nn.Transformer``: two inputs (src, tgt)."""
    torch.manual_seed(2)
    return nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                          dim_feedforward=16, dropout=0.0)
