"""The per-call fixed cost: no file I/O and no copies on the hot path of the core.

What is checked is what costs time, not the time itself (speed is checked by
``topotheory bench --check``, as same-run ratios).
"""

import builtins

import numpy as np
import pytest

from topotheory import limits
from topotheory.limits import SizeLimitError
from topotheory.topology import maximum_spanning_forest, neural_persistence
from topotheory.topology._validation import as_weight_matrix


@pytest.fixture
def fresh_limit(monkeypatch):
    """Default limit (no override, no environment variable), restored afterwards."""
    monkeypatch.delenv("TOPOTHEORY_MAX_MEMORY", raising=False)
    limits.set_memory_limit(None)
    yield
    limits.set_memory_limit(None)


def test_machine_memory_is_read_once_per_process(fresh_limit, monkeypatch):
    reads = []
    real = limits.available_memory_bytes
    monkeypatch.setattr(limits, "available_memory_bytes", lambda: reads.append(1) or real())
    w = np.random.default_rng(0).standard_normal((6, 5))
    for _ in range(50):
        neural_persistence(w)
        maximum_spanning_forest(w)
    assert len(reads) == 1
    limits.set_memory_limit(None)  # the user's limit changed: read again, once
    for _ in range(10):
        maximum_spanning_forest(w)
    assert len(reads) == 2


def test_no_file_is_opened_per_call(fresh_limit, monkeypatch):
    w = np.random.default_rng(0).standard_normal((12, 9))
    maximum_spanning_forest(w)  # first call: reads the machine's memory once

    def refuse(*args, **kwargs):
        raise AssertionError(f"file opened on the hot path: {args[:1]}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr("io.open", refuse)
    for _ in range(5):
        maximum_spanning_forest(w)
        neural_persistence(w)
        neural_persistence(w.astype(np.float32), p=1)


def test_environment_limit_is_followed_when_it_changes(fresh_limit, monkeypatch):
    monkeypatch.setenv("TOPOTHEORY_MAX_MEMORY", "1M")
    assert limits.memory_limit_bytes() == 1 << 20
    monkeypatch.setenv("TOPOTHEORY_MAX_MEMORY", "2M")
    assert limits.memory_limit_bytes() == 2 << 20
    with pytest.raises(SizeLimitError, match="TOPOTHEORY_MAX_MEMORY"):
        maximum_spanning_forest(np.ones((300, 300)))  # 90,000 edges x 40 bytes > 2 MiB
    monkeypatch.delenv("TOPOTHEORY_MAX_MEMORY")
    assert limits.memory_limit_bytes() >= 64 << 20
    assert maximum_spanning_forest(np.ones((300, 300))).size == 599


def test_override_still_refuses_a_layer_before_allocating(fresh_limit):
    limits.set_memory_limit("100K")
    try:
        with pytest.raises(SizeLimitError, match="set_memory_limit"):
            neural_persistence(np.ones((60, 60)))  # 3,600 edges x 40 bytes > 100 KiB
        assert neural_persistence(np.ones((20, 20)) + np.eye(20)) > 0
    finally:
        limits.set_memory_limit(None)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_contiguous_native_weights_are_validated_without_a_copy(dtype):
    w = np.random.default_rng(0).standard_normal((7, 4)).astype(dtype)
    assert as_weight_matrix(w) is w
    assert as_weight_matrix(w, check_finite=False) is w


def test_other_layouts_are_still_converted():
    w = np.asfortranarray(np.random.default_rng(0).standard_normal((3, 4)))
    out = as_weight_matrix(w)
    assert out.flags.c_contiguous and np.array_equal(out, w)
    assert as_weight_matrix(np.arange(6).reshape(2, 3)).dtype == np.float64
    big_endian = np.ones((2, 2), dtype=">f8")
    assert as_weight_matrix(big_endian).dtype.isnative
    with pytest.raises(ValueError, match="non-finite"):
        as_weight_matrix(np.array([[1.0, np.nan]], dtype=">f8"))
