"""Fixtures shared by the pruning tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def digits():
    """The bundled digits upsampled to 28x28 (seed 0 split), loaded once per module."""
    from topotheory.nn.data import load_digits_mnist

    return load_digits_mnist(seed=0)
