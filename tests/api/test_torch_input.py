"""Torch in, numpy out: the core takes tensors and ``__array__`` objects; modules are named."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse
import torch

import topotheory as tt
from topotheory.errors import InputError, InputTypeError
from topotheory.topology._arraylike import as_numpy
from topotheory.topology._validation import as_real_array, as_weight_matrix

pytestmark = pytest.mark.torch

CORE = {
    "neural_persistence": lambda w: tt.neural_persistence(w),
    "maximum_spanning_forest": lambda w: tt.maximum_spanning_forest(w).edge_index.tolist(),
    "persistence_diagram": lambda w: tt.persistence_diagram(w).deaths.tolist(),
    "topk_mst_overlap": lambda w: tt.topk_mst_overlap(w).to_dict(),
    "network_neural_persistence": lambda w: tt.network_neural_persistence([w, w.T]).total,
    "mst_preservation": lambda w: tt.mst_preservation(w, np.ones(tuple(w.shape), bool)).to_dict(),
}


@pytest.fixture(scope="module")
def linear() -> torch.nn.Linear:
    torch.manual_seed(0)
    return torch.nn.Linear(200, 300)


def test_the_issue_case_works(linear):
    value = tt.neural_persistence(linear.weight)  # requires_grad=True: detached inside
    assert value == tt.neural_persistence(linear.weight.detach().numpy())
    assert linear.weight.requires_grad and linear.weight.grad is None


@pytest.mark.parametrize("name", sorted(CORE))
def test_every_core_entry_gives_the_numpy_answer(name, linear):
    call = CORE[name]
    assert call(linear.weight) == call(linear.weight.detach().numpy().astype(np.float64))


def test_float64_and_integer_tensors_and_masks(linear):
    w64 = linear.weight.detach().double()
    assert tt.neural_persistence(w64) == tt.neural_persistence(w64.numpy())
    ints = torch.arange(12).reshape(3, 4) - 5
    assert tt.maximum_spanning_forest(ints).edge_index.tolist() == \
        tt.maximum_spanning_forest(ints.numpy()).edge_index.tolist()
    mask = linear.weight.detach() > 0  # a bool tensor as mask=
    assert tt.maximum_spanning_forest(linear.weight, mask=mask).size == \
        tt.maximum_spanning_forest(linear.weight.detach().numpy(), mask=mask.numpy()).size


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_half_precision_is_read_as_float32_exactly(dtype, linear):
    half = linear.weight.detach().to(dtype)
    array = as_numpy(half)
    assert array.dtype == np.float32
    assert np.array_equal(array, half.float().numpy())  # every half value is a float32
    assert tt.neural_persistence(half) == tt.neural_persistence(half.float().numpy())


def test_no_copy_for_numpy_and_cpu_float_tensors():
    w = np.ones((3, 4))
    assert as_numpy(w) is w and as_weight_matrix(w) is w
    t = torch.ones(3, 4)
    assert np.shares_memory(as_numpy(t), t.numpy())


@pytest.mark.filterwarnings("ignore:.*quantize:UserWarning")
def test_quantized_and_conj_tensors():
    q = torch.quantize_per_tensor(torch.tensor([[0.5, -1.0], [2.0, 0.25]]), 0.25, 0, torch.qint8)
    assert as_numpy(q).tolist() == [[0.5, -1.0], [2.0, 0.25]]
    neg = torch.tensor([[1.0, -2.0]])._neg_view()
    assert as_numpy(neg).tolist() == [[-1.0, 2.0]]


def test_anything_with_array_is_read():
    class Weights:
        def __init__(self, values):
            self.values = np.asarray(values)

        def __array__(self, dtype=None, copy=None):
            return self.values

    w = np.random.default_rng(1).normal(size=(5, 4))
    assert tt.neural_persistence(Weights(w)) == tt.neural_persistence(w)
    assert tt.topk_mst_overlap(Weights(w)) == tt.topk_mst_overlap(w)


def test_a_module_names_weight_and_audit_model(linear):
    with pytest.raises(InputTypeError) as info:
        tt.neural_persistence(linear)
    message = str(info.value)
    assert "torch.nn.Linear" in message and "pass its .weight" in message
    assert "tt.neural_persistence(layer.weight)" in message and "tt.audit_model(model" in message
    assert "tt.layer_weights(model" in message
    with pytest.raises(TypeError, match=r"torch\.nn\.Sequential.*one of its weight tensors"):
        tt.maximum_spanning_forest(torch.nn.Sequential(linear))


def test_unreadable_tensors_are_refused_with_the_fix():
    sparse = torch.eye(3).to_sparse()
    with pytest.raises(InputTypeError, match=r"sparse torch tensor.*\.to_dense\(\)"):
        tt.neural_persistence(sparse)
    with pytest.raises(InputError, match="meta device"):
        tt.neural_persistence(torch.empty(3, 3, device="meta"))
    with pytest.raises(InputTypeError, match="complex"):
        as_real_array(torch.ones(2, 2, dtype=torch.complex64))


def test_conv_and_recurrent_graphs_take_tensors():
    conv = torch.nn.Conv2d(2, 3, 3)
    graph = tt.conv_toeplitz_graph(conv.weight, (2, 8, 8))
    assert np.array_equal(graph.weight, conv.weight.detach().numpy())
    rnn = torch.nn.LSTM(3, 4)
    blocks = tt.gate_blocks(rnn.weight_hh_l0, "lstm")
    assert np.array_equal(blocks["i"], rnn.weight_hh_l0.detach().numpy()[:4])
    assert tt.maximum_spanning_forest(tt.recurrent_unrolled_graph(blocks["f"], 2)).size > 0


def test_sparse_scipy_input_still_means_absent_edges():
    w = scipy.sparse.random(6, 5, density=0.5, random_state=0, format="csr")
    assert tt.maximum_spanning_forest(w).n_nodes == 11


def test_importing_the_core_never_imports_torch():
    code = ("import sys, numpy as np, topotheory as tt; tt.neural_persistence(np.ones((2, 2))); "
            "tt.predicted_overlap(3, 4); print('torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
