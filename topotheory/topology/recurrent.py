"""The unrolled (stratified) graph of a recurrent layer with shared hidden-to-hidden weights.

Over ``T`` steps the hidden state ``h_t`` (``h`` nodes) feeds ``h_{t+1}`` through the same
``W_hh`` (torch layout ``(h_out, h_in)``). Nodes of step ``t`` are ``t*h .. t*h+h-1``
(``t = 0..T``); the edge from hidden unit ``j`` at step ``t`` to unit ``i`` at step ``t+1`` has
flat index ``t*h*h + i*h + j`` and parameter ``i*h + j``.

Gated cells. torch stores LSTM ``weight_hh`` as four ``(h, h)`` blocks stacked row-wise in the
order input, forget, cell, output gate (``i, f, g, o``) and GRU as three (``r, z, n``). Each
block is a shared hidden-to-hidden bipartite layer of its own; :func:`gate_blocks` splits them.
Input-to-hidden weights (``weight_ih``) are ordinary dense layers ``(gates*h, input)`` applied
at every step: analyse them with the dense functions.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from topotheory.topology._validation import as_weight_matrix, check_edge_budget
from topotheory.topology.graphs import EdgeListGraph

#: Gate names of torch's stacked recurrent weights, in storage order.
GATES: dict[str, tuple[str, ...]] = {
    "rnn": ("h",),
    "lstm": ("i", "f", "g", "o"),
    "gru": ("r", "z", "n"),
}


def gate_blocks(weight_hh: Any, cell: str) -> dict[str, np.ndarray]:
    """Split torch's stacked hidden-to-hidden weight into its ``(h, h)`` gate blocks.

    Parameters
    ----------
    weight_hh : array_like
        Shape ``(gates * h, h)``.
    cell : {"rnn", "lstm", "gru"}
        The recurrent cell type.

    Examples
    --------
    >>> blocks = gate_blocks(np.zeros((8, 2)), "lstm")
    >>> list(blocks), blocks["f"].shape
    (['i', 'f', 'g', 'o'], (2, 2))
    """
    if cell not in GATES:
        raise ValueError(f"cell={cell!r}: choose one of {tuple(GATES)}")
    w = as_weight_matrix(weight_hh, "weight_hh")
    names = GATES[cell]
    h = w.shape[1]
    if w.shape[0] != len(names) * h:
        raise ValueError(
            f"weight_hh of a {cell} cell with hidden size {h} must have shape "
            f"({len(names) * h}, {h}), got {w.shape}"
        )
    return {name: w[k * h : (k + 1) * h] for k, name in enumerate(names)}


def recurrent_unrolled_graph(weight_hh: Any, steps: int) -> EdgeListGraph:
    """The stratified graph of ``steps`` unrolled applications of ``W_hh``.

    Parameters
    ----------
    weight_hh : array_like
        Square hidden-to-hidden weight ``(h, h)`` (one gate block for gated cells).
    steps : int
        Number of unrolled steps ``T >= 1``; the graph has ``(T + 1) h`` nodes and
        ``T h^2`` edges.

    Returns
    -------
    EdgeListGraph
        With ``param_index`` naming the shared weight of every edge.

    Examples
    --------
    >>> g = recurrent_unrolled_graph(np.arange(4.0).reshape(2, 2), 3)
    >>> g.n_nodes, g.n_edges, g.param_index[:4].tolist()
    (8, 12, [0, 1, 2, 3])
    """
    w = as_weight_matrix(weight_hh, "weight_hh")
    h = w.shape[0]
    if w.shape != (h, h):
        raise ValueError(
            f"weight_hh must be square (h, h), got {w.shape}; split gates with gate_blocks"
        )
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    check_edge_budget(int(steps) * h * h, "this unrolled recurrent graph")
    t = np.repeat(np.arange(steps, dtype=np.int64), h * h)
    param = np.tile(np.arange(h * h, dtype=np.int64), steps)
    i_out = param // h
    j_in = param % h
    return EdgeListGraph.from_arrays(
        (steps + 1) * h,
        t * h + j_in,
        (t + 1) * h + i_out,
        np.tile(w.ravel().astype(np.float64), steps),
        edge_index=t * h * h + param,
        param_index=param,
        description=f"recurrent h={h} unrolled over {steps} steps",
    )
