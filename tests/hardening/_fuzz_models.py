"""Tiny torch model factories for ``topotheory tccr --module`` in the fuzz suite."""

from __future__ import annotations


def small_conv():
    from torch import nn

    return nn.Sequential(nn.Conv2d(3, 2, 3), nn.Flatten(), nn.Linear(2 * 6 * 6, 4))


def raises():
    raise RuntimeError("factory failed on purpose")
