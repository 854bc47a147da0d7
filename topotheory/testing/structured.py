"""Oracles for convolution (Toeplitz) and recurrent (unrolled) topology code.

Each ``assert_*`` function compares a user's result with topotheory's exact graphs
(:func:`~topotheory.topology.conv.conv_toeplitz_graph`,
:func:`~topotheory.topology.recurrent.recurrent_unrolled_graph`,
:func:`~topotheory.topology.forest.maximum_spanning_forest`), returns ``None`` on agreement
and raises ``AssertionError`` with a diff and likely causes otherwise.

Conventions. Conv: input nodes ``c * P + position`` over the padded grid ``P`` (real grid
with ``include_padding=False``), output nodes ``N_in + c * O + position``; flat Toeplitz
index ``out_node * N_in + in_node``; kernel parameters are flat indices into
``weight.ravel()``. Recurrent (``T`` steps, ``h`` units): node ``t * h + j`` is unit ``j`` at
step ``t``; the edge ``j -> i`` of step ``t`` has flat index ``t h^2 + i h + j`` and parameter
``i h + j``. Tie rule everywhere: ``|w|`` descending, then flat index ascending.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from topotheory.testing._format import as_flat_edges
from topotheory.testing.conventions import cycle_edge as _cycle_edge
from topotheory.testing.oracles import _likely
from topotheory.topology.conv import ConvToeplitzGraph, conv_toeplitz_graph
from topotheory.topology.forest import maximum_spanning_forest
from topotheory.topology.recurrent import recurrent_unrolled_graph
from topotheory.topology.tccr import (
    ConvGeometry,
    conv_counts,
    conv_full_tccr_formula,
    conv_tccr_formula,
)

RETURNS = ("edges", "params")
SCOPES = ("pair", "layer")
READINGS = ("whole", "per_step")
_SHOW = 6


def _choice(name: str, value: Any, allowed: tuple) -> None:
    if value not in allowed:
        raise ValueError(f"{name}={value!r}: choose one of {allowed}")


def conv_geometry_of(geometry: Any) -> ConvGeometry:
    """A :class:`~topotheory.topology.tccr.ConvGeometry` from a ``conv_geometries`` dict.

    A ``ConvGeometry`` is returned unchanged.

    Examples
    --------
    >>> g = {"weight": np.ones((4, 1, 3)), "input_shape": (2, 8), "stride": (2,),
    ...      "padding": (1,), "dilation": (1,), "groups": 2}
    >>> c = conv_geometry_of(g)
    >>> c.kernel, c.in_channels, c.out_channels, c.output_spatial
    ((3,), 2, 4, (4,))
    """
    if isinstance(geometry, ConvGeometry):
        return geometry
    if not isinstance(geometry, dict) or not {"weight", "input_shape"} <= set(geometry):
        raise ValueError(
            "geometry must be a ConvGeometry or a dict with 'weight' and 'input_shape' "
            "(as drawn by conv_geometries)"
        )
    weight = np.asarray(geometry["weight"])
    shape = tuple(int(x) for x in geometry["input_shape"])
    return ConvGeometry(
        kernel=tuple(int(k) for k in weight.shape[2:]),
        input_spatial=shape[1:],
        stride=geometry.get("stride", 1),
        padding=geometry.get("padding", 0),
        dilation=geometry.get("dilation", 1),
        in_channels=shape[0],
        out_channels=int(weight.shape[0]),
        groups=int(geometry.get("groups", 1)),
    )


def _describe_geometry(g: ConvGeometry) -> str:
    return (
        f"kernel {g.kernel}, input {g.input_spatial}, stride {g.stride}, padding "
        f"{g.padding}, dilation {g.dilation}, channels {g.in_channels} -> {g.out_channels}, "
        f"groups {g.groups}"
    )


# -- why a conv graph is disconnected ---------------------------------------------------------


def conv_disconnection(geometry: Any, *, scope: str = "pair", include_padding: bool = True) -> str:
    """Why a convolution's Toeplitz graph is disconnected ("" when it is connected).

    The channel-pair graph is connected exactly when the 1-D graph of every spatial
    dimension is, so each disconnected dimension is named with its cause: a stride larger
    than the dilated kernel (positions between windows isolated), a dilation splitting the
    positions into classes no window joins, or trailing positions no window reaches. With
    ``scope="layer"`` the ``groups`` blocks are separate components too (Theorem 3.2's
    whole-layer count already allows for them).

    Parameters
    ----------
    geometry : ConvGeometry or dict
        The layer (a ``conv_geometries`` dict is converted).
    scope : {"pair", "layer"}
        One channel pair (Theorem 3.2) or the whole layer.
    include_padding : bool
        Whether padded input positions are nodes.

    Returns
    -------
    str

    Examples
    --------
    >>> conv_disconnection(ConvGeometry(kernel=(3,), input_spatial=(7,)))
    ''
    >>> print(conv_disconnection(ConvGeometry(kernel=(1,), input_spatial=(4,), stride=(2,))))
    the channel-pair Toeplitz graph has 4 connected components, not 1: stride 2 > dilated kernel extent 1 in spatial dim 0 (input positions between windows touch no output)
    """
    _choice("scope", scope, SCOPES)
    g = conv_geometry_of(geometry)
    pair = conv_counts(g, include_padding=include_padding)
    if pair.connected:
        return ""
    causes = []
    for d in range(len(g.kernel)):
        one = ConvGeometry(
            (g.kernel[d],), (g.input_spatial[d],), (g.stride[d],), (g.padding[d],), (g.dilation[d],)
        )
        counts = conv_counts(one, include_padding=include_padding)
        if counts.connected:
            continue
        k, s, dil = g.kernel[d], g.stride[d], g.dilation[d]
        extent = dil * (k - 1) + 1
        tail = g.padded_spatial[d] - ((one.output_spatial[0] - 1) * s + extent)
        if s > extent:
            causes.append(
                f"stride {s} > dilated kernel extent {extent} in spatial dim {d} (input "
                "positions between windows touch no output)"
            )
        elif dil > 1 and k > 1:
            causes.append(
                f"dilation {dil} with stride {s} in spatial dim {d} splits the positions into "
                "classes that no window joins"
            )
        elif tail > 0:
            causes.append(
                f"the last {tail} (padded) input positions of spatial dim {d} are reached by "
                f"no window (stride {s})"
            )
        else:
            causes.append(f"spatial dim {d} alone has {counts.n_components} components")
    what = "channel-pair" if scope == "pair" else "whole-layer"
    n_comp = pair.n_components
    if scope == "layer":
        n_comp = conv_counts(g, full_layer=True, include_padding=include_padding).n_components
    expected = 1 if scope == "pair" else g.groups
    return (
        f"the {what} Toeplitz graph has {n_comp} connected components, not {expected}: "
        + "; ".join(causes)
    )


# -- convolution forests -----------------------------------------------------------------------


def _conv_graph(weight: Any, input_shape: Any, geo: dict, include_padding: bool) -> Any:
    return conv_toeplitz_graph(weight, input_shape, include_padding=include_padding, **geo)


def _graph_edges(graph: ConvToeplitzGraph) -> tuple[np.ndarray, np.ndarray]:
    flat, _, _, param = graph.edges()
    return flat, param


def _lookup(flat_all: np.ndarray, flats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(is an edge, position in ``flat_all``) for each of ``flats``."""
    pos = np.searchsorted(flat_all, flats)
    pos_c = np.minimum(pos, max(flat_all.size - 1, 0))
    found = (pos < flat_all.size) & (flat_all[pos_c] == flats) if flat_all.size else pos < 0
    return found, pos_c


def _node_text(graph: ConvToeplitzGraph, node: int, side: str) -> str:
    grid = graph.node_spatial if side == "in" else graph.output_spatial
    size = math.prod(grid)
    channel, rest = divmod(int(node), size)
    pos = tuple(int(x) for x in np.unravel_index(rest, grid))
    text = f"{side} c{channel} @ {pos}"
    if side == "in" and graph.include_padding:
        real = all(
            a <= p < a + s
            for p, (a, _), s in zip(pos, graph.padding, graph.input_spatial, strict=True)
        )
        text += "" if real else " (padding)"
    return text


def describe_conv_edge(graph: ConvToeplitzGraph, flat: int) -> str:
    """``"in c0 @ (2,) -> out c1 @ (1,) [flat 13, param 4, |w|=2]"`` for a flat index.

    Examples
    --------
    >>> g = conv_toeplitz_graph(np.array([[[3.0, 2.0]]]), (1, 3), padding=1)
    >>> describe_conv_edge(g, 6)
    'in c0 @ (1,) -> out c0 @ (1,) [flat 6, param 0, |w|=3]'
    >>> describe_conv_edge(g, 0)
    'in c0 @ (0,) (padding) -> out c0 @ (0,) [flat 0, param 0, |w|=3]'
    """
    n_in = graph.n_inputs
    out, inn = divmod(int(flat), n_in)
    text = f"{_node_text(graph, inn, 'in')} -> {_node_text(graph, out, 'out')} [flat {flat}"
    flat_all, param = _graph_edges(graph)
    found, pos = _lookup(flat_all, np.array([flat], dtype=np.int64))
    if found[0]:
        p = int(param[pos[0]])
        return text + f", param {p}, |w|={abs(float(graph.weight.flat[p])):.6g}]"
    return text + ": not an entry of the Toeplitz matrix]"


def _describe_conv_edges(graph: ConvToeplitzGraph, flats: Any) -> str:
    flats = [int(f) for f in flats]
    parts = [describe_conv_edge(graph, f) for f in flats[:_SHOW]]
    if len(flats) > _SHOW:
        parts.append(f"... ({len(flats) - _SHOW} more)")
    return ", ".join(parts) if parts else "none"


def _read_conv_edges(result: Any, graph: ConvToeplitzGraph, edge_format: str) -> np.ndarray:
    try:
        return as_flat_edges(result, (graph.n_outputs, graph.n_inputs), edge_format=edge_format)
    except AssertionError as exc:
        raise AssertionError(
            f"{exc}\n  (this conv layer's Toeplitz matrix is (N_out, N_in) = ({graph.n_outputs}, "
            f"{graph.n_inputs}) with include_padding={graph.include_padding}; flat index = "
            "out_node * N_in + in_node, pairs are (out_node, in_node) entries or, with "
            "edge_format='nodes', node ids with outputs offset by N_in)"
        ) from None


def _read_params(result: Any, weight: np.ndarray) -> np.ndarray:
    out = np.asarray(sorted(result) if isinstance(result, (set, frozenset)) else result)
    if out.dtype == np.bool_:
        if out.size != weight.size:
            raise AssertionError(
                f"a parameter mask must have the kernel's shape {weight.shape}, got {out.shape}"
            )
        return np.flatnonzero(out.ravel())
    if out.size == 0:
        return np.empty(0, dtype=np.int64)
    if not np.issubdtype(out.dtype, np.integer) or out.ndim != 1:
        raise AssertionError(
            f"used parameters must be a bool mask of shape {weight.shape} or 1-D int flat "
            f"indices into weight.ravel(), got dtype {out.dtype} and shape {out.shape}"
        )
    if ((out < 0) | (out >= weight.size)).any():
        raise AssertionError(f"parameter index outside [0, {weight.size}) in {out.tolist()}")
    return np.unique(out.astype(np.int64))


def _param_text(weight: np.ndarray, params: Any) -> str:
    params = [int(p) for p in params]
    parts = [
        f"{tuple(int(x) for x in np.unravel_index(p, weight.shape))} |w|="
        f"{abs(float(weight.flat[p])):.6g}"
        for p in params[:_SHOW]
    ]
    if len(params) > _SHOW:
        parts.append(f"... ({len(params) - _SHOW} more)")
    return ", ".join(parts) if parts else "none"


def _group_crossing(graph: ConvToeplitzGraph, flats: np.ndarray) -> str | None:
    if graph.groups == 1 or flats.size == 0:
        return None
    n_in = graph.n_inputs
    c_in = (flats % n_in) // math.prod(graph.node_spatial)
    c_out = (flats // n_in) // math.prod(graph.output_spatial)
    g_in = c_in // (graph.in_channels // graph.groups)
    g_out = c_out // (graph.out_channels // graph.groups)
    bad = np.flatnonzero(g_in != g_out)
    if not bad.size:
        return None
    i = int(bad[0])
    return (
        f"your edge {describe_conv_edge(graph, int(flats[i]))} joins input channel "
        f"{int(c_in[i])} (group {int(g_in[i])}) to output channel {int(c_out[i])} (group "
        f"{int(g_out[i])}): your graph probably ignores groups={graph.groups} (output channel "
        f"o sees only the {graph.in_channels // graph.groups} input channels of its group, "
        "o // (C_out / groups))"
    )


def _conv_forest_hints(
    user: np.ndarray, graph: ConvToeplitzGraph, weight: np.ndarray, args: tuple, opts: dict
) -> list[str]:
    hints = []
    pairs = (graph.in_channels // graph.groups) * graph.out_channels
    if pairs > 1:
        shape = (1, *graph.input_spatial)
        geo = {**args[2], "groups": 1}
        pair = _conv_graph(weight[:1, :1], shape, geo, graph.include_padding)
        pair_ref = np.sort(
            maximum_spanning_forest(pair, zero_weights=opts["zero_weights"]).edge_index
        )
        if np.array_equal(user, pair_ref):
            return [
                "your edges are the forest of ONE channel pair's graph (input channel 0, output "
                "channel 0: Theorem 3.2's reading, numbered with that pair's "
                f"N_in = {pair.n_inputs}); the forest asked for spans the whole layer "
                f"({graph.in_channels} -> {graph.out_channels} channels, groups={graph.groups})"
            ]
    crossing = _group_crossing(graph, user)
    if crossing:
        hints.append(crossing)
    other = _conv_graph(*args, not graph.include_padding)
    other_ref = np.sort(
        maximum_spanning_forest(other, zero_weights=opts["zero_weights"]).edge_index
    )
    if np.array_equal(user, other_ref):
        if graph.include_padding:
            hints.append(
                "your forest is the one of the graph WITHOUT padded input positions "
                "(include_padding=False: only real inputs are nodes and entries that multiply "
                "padding are no edges); the convention here is include_padding=True (the "
                "paper's N_in = prod(i + 2p) counts padded positions)"
            )
        else:
            hints.append(
                "your forest is the one of the graph WITH padded input positions as nodes "
                "(include_padding=True); the convention here is include_padding=False"
            )
    flip = "absent" if opts["zero_weights"] == "present" else "present"
    alt = np.sort(maximum_spanning_forest(graph, zero_weights=flip).edge_index)
    if not hints and np.array_equal(user, alt):
        hints.append(
            f"your implementation treats zero weights as {flip} (zero_weights={flip!r}); the "
            f"convention here is zero_weights={opts['zero_weights']!r}"
        )
    if not hints and pairs > 1 and user.size:
        c_in = (user % graph.n_inputs) // math.prod(graph.node_spatial)
        c_out = (user // graph.n_inputs) // math.prod(graph.output_spatial)
        if np.unique(c_in).size == 1 and np.unique(c_out).size == 1:
            hints.append(
                "all your edges join one input channel to one output channel: you probably "
                "built ONE channel pair's graph (Theorem 3.2's reading); the forest asked for "
                f"spans the whole layer ({graph.in_channels} -> {graph.out_channels} channels, "
                f"groups={graph.groups})"
            )
    return hints


def _valid_forest_problem(
    user: np.ndarray, graph: ConvToeplitzGraph, ref_size: int, zero_weights: str
) -> str | None:
    flat_all, param = _graph_edges(graph)
    found, pos = _lookup(flat_all, user)
    if not found.all():
        f = int(user[~found][0])
        return f"your edge {describe_conv_edge(graph, f)} is not an edge of this layer's graph"
    if zero_weights == "absent":
        zero = graph.weight.ravel()[param[pos]] == 0
        if zero.any():
            return (
                f"your edge {describe_conv_edge(graph, int(user[zero][0]))} has weight 0, "
                "an absent edge under zero_weights='absent'"
            )
    order = np.argsort(-np.abs(graph.weight.ravel()[param[pos]]), kind="stable")
    cycle = _cycle_edge(user[order], (graph.n_outputs, graph.n_inputs))
    if cycle is not None:
        return f"your edge {describe_conv_edge(graph, cycle)} closes a cycle with heavier edges"
    if user.size != ref_size:
        return (
            f"you returned {user.size} edges; this graph has {graph.n_nodes} nodes and "
            f"{graph.n_nodes - ref_size} connected components, so every spanning forest has "
            f"{ref_size} edges"
        )
    return None


def assert_same_conv_forest(
    result: Any,
    weight: Any,
    input_shape: Any,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
    include_padding: bool = True,
    zero_weights: str = "present",
    compare: str = "edges",
    returns: str = "edges",
    edge_format: str = "auto",
) -> None:
    """Assert a user's maximum spanning forest of a convolution's Toeplitz graph is right.

    Parameters
    ----------
    result : SpanningForest, array_like or set
        With ``returns="edges"``: the forest's edges as flat Toeplitz indices
        ``out_node * N_in + in_node`` (1-D), ``(out_node, in_node)`` entries ``(k, 2)``,
        node pairs (``edge_format="nodes"``: inputs ``0..N_in-1``, outputs from ``N_in``) or a
        SpanningForest. With ``returns="params"``: the kernel parameters the forest uses, a
        bool mask of the kernel's shape or flat indices into ``weight.ravel()``.
    weight, input_shape, stride, padding, dilation, groups
        The layer, as for :func:`~topotheory.topology.conv.conv_toeplitz_graph`.
    include_padding : bool
        Whether padded input positions are nodes (default True, the paper's count).
    zero_weights : {"present", "absent"}
        Whether a zero kernel weight gives edges of weight 0.
    compare : {"edges", "weights"}
        Exact edges under the tie rule, or any maximum spanning forest (``returns="edges"``).
    returns : {"edges", "params"}
        What ``result`` holds.
    edge_format : {"auto", "flat", "entries", "nodes"}
        How edges are encoded (``"auto"``: 1-D flat, ``(k, 2)`` entries).

    Raises
    ------
    AssertionError
        When the forest differs; the message lists the differing edges (channel, position,
        padding, parameter, ``|w|``) and likely causes (padding nodes, groups, tie rule,
        one channel pair, zero weights).
    ValueError
        On a bad option or an impossible geometry.

    Examples
    --------
    >>> import topotheory as tt
    >>> w = np.array([[[3.0, 2.0, 1.0]]])
    >>> forest = tt.maximum_spanning_forest(tt.conv_toeplitz_graph(w, (1, 4), padding=1))
    >>> assert_same_conv_forest(forest.edge_index, w, (1, 4), padding=1)
    >>> assert_same_conv_forest({0, 1, 2}, w, (1, 4), padding=1, returns="params")
    """
    _choice("returns", returns, RETURNS)
    _choice("compare", compare, ("edges", "weights"))
    w = np.asarray(weight)
    geo = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    args = (w, input_shape, geo)
    graph = _conv_graph(*args, include_padding)
    forest = maximum_spanning_forest(graph, zero_weights=zero_weights)
    opts = {"zero_weights": zero_weights}
    head = (
        f"conv forest mismatch (weight {w.shape}, input_shape {tuple(input_shape)}, "
        f"stride {graph.stride}, padding {graph.padding}, dilation {graph.dilation}, groups "
        f"{graph.groups}; include_padding={graph.include_padding}: N_in = {graph.n_inputs} "
        f"input nodes, N_out = {graph.n_outputs} output nodes; zero_weights={zero_weights!r})"
    )
    if returns == "params":
        user = _read_params(result, w)
        ref = forest.used_parameters()
        if np.array_equal(user, ref):
            return
        hints = []
        other = maximum_spanning_forest(
            _conv_graph(*args, not include_padding), zero_weights=zero_weights
        ).used_parameters()
        if np.array_equal(user, other):
            hints.append(
                f"these are the parameters used with include_padding={not include_padding}; "
                f"the convention here is include_padding={include_padding} (padded input "
                "positions are nodes in the paper's count)"
            )
        if user.size == w.size and ref.size < w.size:
            hints.append("you returned every kernel parameter; the forest uses fewer")
        raise AssertionError(
            head.replace("forest mismatch", "used-parameter mismatch")
            + f":\n  yours: {user.size} parameters; reference: {ref.size} of {w.size}"
            + f"\n  only in yours: {_param_text(w, np.setdiff1d(user, ref))}"
            + f"\n  only in the reference: {_param_text(w, np.setdiff1d(ref, user))}"
            + _likely(hints)
        )
    user = _read_conv_edges(result, graph, edge_format)
    ref = np.sort(forest.edge_index)
    problem = _valid_forest_problem(user, graph, ref.size, zero_weights)
    if compare == "edges" and np.array_equal(user, ref):
        return
    hints = _conv_forest_hints(user, graph, w, args, opts)
    if compare == "weights" or problem is None:
        if problem is None:
            mags = np.abs(w.ravel())
            flat_all, param = _graph_edges(graph)
            _, pos_u = _lookup(flat_all, user)
            _, pos_r = _lookup(flat_all, ref)
            same = np.allclose(np.sort(mags[param[pos_u]]), np.sort(mags[param[pos_r]]))
            if same and compare == "weights":
                return
            if same:
                hints.append(
                    "yours is a maximum spanning forest under another tie rule: topotheory "
                    "breaks ties by |w| descending, then flat Toeplitz index out_node * N_in + "
                    "in_node ascending (the edges of tied kernel parameters interleave; they "
                    "are not taken parameter by parameter); pass compare='weights' to accept "
                    "any maximum spanning forest (in check_implementation: tie_rule=None, "
                    "the default)"
                )
            else:
                problem = "your forest is a spanning forest but not a maximum one"
    raise AssertionError(
        head
        + f":\n  yours: {user.size} edges; reference: {ref.size} edges"
        + (f"\n  {problem}" if problem else "")
        + f"\n  only in yours: {_describe_conv_edges(graph, np.setdiff1d(user, ref))}"
        + f"\n  only in the reference: {_describe_conv_edges(graph, np.setdiff1d(ref, user))}"
        + _likely(hints)
    )


# -- convolution TCCR --------------------------------------------------------------------------


def exact_conv_tccr(geometry: Any, *, scope: str = "pair", include_padding: bool = True) -> float:
    """``|E| / |MSF|`` of the exact Toeplitz graph (one channel pair or the whole layer).

    Built with :func:`~topotheory.topology.conv.conv_toeplitz_graph` and
    :func:`~topotheory.topology.forest.maximum_spanning_forest`.

    Examples
    --------
    >>> exact_conv_tccr(ConvGeometry(kernel=(1,), input_spatial=(4,), stride=(2,)))
    1.0
    """
    _choice("scope", scope, SCOPES)
    g = conv_geometry_of(geometry)
    if scope == "pair":
        weight, shape, groups = np.ones((1, 1, *g.kernel)), (1, *g.input_spatial), 1
    else:
        weight = np.ones((g.out_channels, g.in_channels // g.groups, *g.kernel))
        shape, groups = (g.in_channels, *g.input_spatial), g.groups
    graph = conv_toeplitz_graph(
        weight,
        shape,
        stride=g.stride,
        padding=g.padding,
        dilation=g.dilation,
        groups=groups,
        include_padding=include_padding,
    )
    size = maximum_spanning_forest(graph).size
    return graph.n_edges / size if size else math.inf


def _formula(g: ConvGeometry, scope: str) -> float:
    return conv_tccr_formula(g) if scope == "pair" else conv_full_tccr_formula(g)


def assert_same_conv_tccr(
    value: Any,
    geometry: Any,
    *,
    scope: str = "pair",
    include_padding: bool = True,
    rtol: float = 1e-9,
    atol: float = 1e-12,
) -> None:
    """Assert a user's conv TCCR equals ``|E| / |MSF|`` of the exact Toeplitz graph.

    On a connected graph this is Theorem 3.2's ``prod(k) N_out / (N_in + N_out - 1)``; on a
    disconnected one (e.g. stride larger than the dilated kernel) ``|MSF| = |V| - C`` is
    smaller and the formula is wrong; the message names the disconnection.

    Parameters
    ----------
    value : float
        The user's TCCR.
    geometry : ConvGeometry or dict
        The layer (a ``conv_geometries`` dict is converted).
    scope : {"pair", "layer"}
        One input/output channel pair (Theorem 3.2, default) or the whole layer.
    include_padding : bool
        Whether padded input positions are nodes (default True, the paper's count).
    rtol, atol : float
        Tolerances.

    Raises
    ------
    AssertionError
        On a mismatch, with the exact counts and likely causes.

    Examples
    --------
    >>> g = ConvGeometry(kernel=(3, 3), input_spatial=(8, 8), padding=1)
    >>> assert_same_conv_tccr(conv_tccr_formula(g), g)   # connected: the formula holds
    >>> strided = ConvGeometry(kernel=(1,), input_spatial=(4,), stride=(2,))
    >>> assert_same_conv_tccr(conv_tccr_formula(strided), strided)
    Traceback (most recent call last):
    ...
    AssertionError: conv TCCR mismatch ...
    """
    _choice("scope", scope, SCOPES)
    g = conv_geometry_of(geometry)
    try:
        got = float(value)
    except (TypeError, ValueError):
        raise AssertionError(f"the TCCR must be a float, got {type(value).__name__}") from None
    exact = exact_conv_tccr(g, scope=scope, include_padding=include_padding)
    if math.isclose(got, exact, rel_tol=rtol, abs_tol=atol):
        return
    close = lambda x: math.isclose(got, x, rel_tol=max(rtol, 1e-9), abs_tol=atol)  # noqa: E731
    other_scope = "layer" if scope == "pair" else "pair"
    why = conv_disconnection(g, scope=scope, include_padding=include_padding)
    formula = _formula(g, scope)
    hints = []
    if why and (close(formula) or close(_formula(g, other_scope))):
        hints.append(
            "you applied Theorem 3.2's formula prod(k) N_out / (N_in + N_out - 1), which "
            "assumes a connected graph (|MSF| = |V| - 1); this geometry is disconnected: " + why
        )
    if close(exact_conv_tccr(g, scope=scope, include_padding=not include_padding)):
        hints.append(
            f"you counted with include_padding={not include_padding}; the convention here is "
            f"include_padding={include_padding} (padded input positions are nodes and their "
            "Toeplitz entries edges in the paper's count)"
        )
    elif close(exact_conv_tccr(g, scope=other_scope, include_padding=include_padding)) or (
        close(_formula(g, other_scope)) and not close(formula)
    ):
        hints.append(
            (
                "you counted the whole layer (every channel pair, groups); the convention here "
                "is scope='pair' (one input/output channel pair, as in Theorem 3.2)"
            )
            if scope == "pair"
            else (
                "you counted one channel pair; the convention here is scope='layer' (every "
                f"channel pair: {g.in_channels} -> {g.out_channels} channels, groups={g.groups})"
            )
        )
    raise AssertionError(
        f"conv TCCR mismatch ({_describe_geometry(g)}; scope={scope!r}, "
        f"include_padding={include_padding}):\n"
        f"  yours: {got!r}; exact |E|/|MSF|: {exact!r}\n"
        f"  Theorem 3.2 formula: {formula!r} ("
        + (why if why else "the graph is connected, so formula and exact value agree")
        + ")"
        + _likely(hints)
    )


# -- recurrent forests -------------------------------------------------------------------------


def _read_recurrent(result: Any, h: int, steps: int, edge_format: str) -> np.ndarray:
    """Flat unrolled indices ``t h^2 + i h + j`` of a user's recurrent forest."""
    if hasattr(result, "edge_index") and hasattr(result, "n_nodes"):
        arr, edge_format = np.asarray(result.edge_index), "flat"
    elif hasattr(result, "edges") and callable(result.edges):
        arr, edge_format = np.asarray(list(result.edges()), dtype=np.int64).reshape(-1, 2), "nodes"
    else:
        arr = np.asarray(sorted(result) if isinstance(result, (set, frozenset)) else result)
    if arr.size == 0:
        return np.empty(0, dtype=np.int64)
    if not np.issubdtype(arr.dtype, np.integer):
        raise AssertionError(f"the returned edges have dtype {arr.dtype}; expected integers")
    arr = arr.astype(np.int64)
    if edge_format == "auto":
        edge_format = {1: "flat", 2: "nodes"}.get(arr.shape[-1] if arr.ndim == 2 else 1, "entries")
        if arr.ndim == 1:
            edge_format = "flat"
    if edge_format == "flat":
        if arr.ndim != 1:
            raise AssertionError(f"flat edge indices must be 1-D, got shape {arr.shape}")
        flat = arr
    elif edge_format == "nodes":
        if arr.ndim != 2 or arr.shape[1] != 2:
            raise AssertionError(f"node pairs must have shape (k, 2), got {arr.shape}")
        a, b = arr.min(axis=1), arr.max(axis=1)
        t = a // h
        bad = (a < 0) | (b >= (steps + 1) * h) | (b // h != t + 1)
        if bad.any():
            raise AssertionError(
                f"node pair {tuple(arr[bad][0].tolist())} is not an edge of the unrolled graph "
                f"(node t*h + j is unit j at step t; edges join step t to step t + 1)"
            )
        flat = t * h * h + (b - (t + 1) * h) * h + (a - t * h)
    else:
        if arr.ndim != 2 or arr.shape[1] not in (2, 3):
            raise AssertionError(
                f"entries must be (t, i_out, j_in) triples or (i_out, j_in) pairs, got {arr.shape}"
            )
        if arr.shape[1] == 2:
            arr = np.column_stack([np.zeros(len(arr), dtype=np.int64), arr])
        if ((arr[:, 1:] < 0) | (arr[:, 1:] >= h)).any() or (
            (arr[:, 0] < 0) | (arr[:, 0] >= steps)
        ).any():
            raise AssertionError(f"entry outside {steps} steps of an ({h}, {h}) layer")
        flat = arr[:, 0] * h * h + arr[:, 1] * h + arr[:, 2]
    if ((flat < 0) | (flat >= steps * h * h)).any():
        raise AssertionError(
            f"flat index {int(flat[(flat < 0) | (flat >= steps * h * h)][0])} is outside "
            f"[0, T h^2) = [0, {steps * h * h}) (T={steps}, h={h})"
        )
    unique = np.unique(flat)
    if unique.size != flat.size:
        raise AssertionError("an edge appears more than once in your forest")
    return unique


def _rec_edge(flat: int, h: int, w: np.ndarray) -> str:
    t, rest = divmod(int(flat), h * h)
    i, j = divmod(rest, h)
    return f"(step {t}: unit {j} -> unit {i}) [flat {flat}, param {rest}, |w|={abs(w[i, j]):.6g}]"


def _rec_edges(flats: Any, h: int, w: np.ndarray) -> str:
    flats = [int(f) for f in flats]
    parts = [_rec_edge(f, h, w) for f in flats[:_SHOW]]
    if len(flats) > _SHOW:
        parts.append(f"... ({len(flats) - _SHOW} more)")
    return ", ".join(parts) if parts else "none"


def recurrent_references(
    weight_hh: Any, steps: int, *, zero_weights: str = "present"
) -> dict[str, np.ndarray]:
    """Both readings of a recurrent layer's maximum spanning forest, as sorted flat indices.

    ``"whole"``: the forest of the graph unrolled over ``steps`` (flat ``t h^2 + i h + j``);
    ``"per_step"``: the forest of one step's ``h x h`` bipartite layer (flat ``i h + j``);
    ``"repeated"``: the per-step forest copied into every step (not a forest for ``T >= 2``,
    ``h >= 2``); ``"*_params"``: the parameters ``i h + j`` each reading uses.

    Examples
    --------
    >>> refs = recurrent_references(np.array([[2.0, 1.0], [0.5, 3.0]]), 2)
    >>> refs["per_step"].tolist(), refs["whole"].size
    ([0, 1, 3], 5)
    """
    w = np.asarray(weight_hh, dtype=np.float64)
    h = w.shape[0]
    whole = maximum_spanning_forest(recurrent_unrolled_graph(w, steps), zero_weights=zero_weights)
    per_step = np.sort(maximum_spanning_forest(w, zero_weights=zero_weights).edge_index)
    repeated = (np.arange(steps)[:, None] * h * h + per_step[None, :]).ravel()
    return {
        "whole": np.sort(whole.edge_index),
        "per_step": per_step,
        "repeated": np.sort(repeated),
        "whole_params": whole.used_parameters(),
        "per_step_params": per_step,
    }


def assert_same_recurrent_forest(
    result: Any,
    weight_hh: Any,
    steps: int,
    *,
    reading: str = "whole",
    returns: str = "edges",
    zero_weights: str = "present",
    compare: str = "edges",
    edge_format: str = "auto",
) -> None:
    """Assert a user's maximum spanning forest of a recurrent layer is right, in one reading.

    Parameters
    ----------
    result : SpanningForest, array_like or set
        With ``returns="edges"``: flat indices ``t h^2 + i h + j`` (1-D; per-step reading:
        ``i h + j``), node pairs ``(t h + j, (t + 1) h + i)`` ``(k, 2)`` or entries
        ``(t, i_out, j_in)`` ``(k, 3)`` / ``(i_out, j_in)`` with ``edge_format="entries"``.
        With ``returns="params"``: the shared parameters used, a bool ``(h, h)`` mask or flat
        indices ``i h + j``.
    weight_hh : array_like
        The square hidden-to-hidden weight ``(h, h)`` (one gate block).
    steps : int
        Number of unrolled steps ``T``.
    reading : {"whole", "per_step"}
        ``"whole"``: the forest of the graph unrolled over ``T`` steps (``(T + 1) h - C``
        edges); ``"per_step"``: of one step's ``h x h`` layer (``2h - C`` edges, ``steps``
        ignored), the reading behind Theorem 3.2's ``h^2 / (2h - 1)``.
    returns : {"edges", "params"}
        What ``result`` holds.
    zero_weights, compare, edge_format
        As for :func:`~topotheory.testing.oracles.assert_same_forest`.

    Raises
    ------
    AssertionError
        On a mismatch; the message says which reading your result matches when it matches
        the other one.

    Examples
    --------
    >>> import topotheory as tt
    >>> w = np.array([[2.0, 1.0], [0.5, 3.0]])
    >>> whole = tt.maximum_spanning_forest(tt.recurrent_unrolled_graph(w, 3))
    >>> assert_same_recurrent_forest(whole, w, 3)
    >>> assert_same_recurrent_forest(tt.maximum_spanning_forest(w), w, 3, reading="per_step")
    """
    _choice("reading", reading, READINGS)
    _choice("returns", returns, RETURNS)
    _choice("compare", compare, ("edges", "weights"))
    w = np.asarray(weight_hh, dtype=np.float64)
    refs = recurrent_references(w, steps, zero_weights=zero_weights)
    h = w.shape[0]
    other = "per_step" if reading == "whole" else "whole"
    key = reading if returns == "edges" else f"{reading}_params"
    user = (
        _read_recurrent(result, h, steps, edge_format)
        if returns == "edges"
        else _read_params(result, w)
    )
    ref = refs[key]
    if np.array_equal(user, ref):
        return
    mags = np.abs(w.ravel())
    if returns == "edges" and compare == "weights" and user.size == ref.size:
        nodes = (steps + 1) * h
        t, rest = user // (h * h), user % (h * h)
        u, v = t * h + rest % h, (t + 1) * h + rest // h
        acyclic = _cycle_edge(v * nodes + u, (nodes, nodes)) is None
        if acyclic and np.allclose(np.sort(mags[rest]), np.sort(mags[ref % (h * h)])):
            return
    sizes = (
        f"the whole graph unrolled over T={steps} steps has {(steps + 1) * h} nodes and a "
        f"{refs['whole'].size}-edge forest; one step's {h} x {h} layer has a "
        f"{refs['per_step'].size}-edge forest"
    )
    hints = []
    if np.array_equal(user, refs[other if returns == "edges" else f"{other}_params"]):
        hints.append(
            "your function implements the per-step reading (the forest of ONE step's h x h "
            "bipartite layer, as in Theorem 3.2's h^2/(2h - 1)) but reading='whole' was "
            "requested (the forest of the whole unrolled graph); pass reading='per_step' if "
            "that is what you mean"
            if reading == "whole"
            else "your function implements the whole-unrolled reading (the forest of the "
            "graph over all T steps) but reading='per_step' was requested (one step's h x h "
            "layer); pass reading='whole' if that is what you mean"
        )
    elif returns == "edges" and reading == "whole" and np.array_equal(user, refs["repeated"]):
        hints.append(
            "your edges repeat the per-step forest in every step: T (2h - 1) edges that close "
            "cycles across steps; the whole unrolled graph's forest is one Kruskal run over "
            "all T h^2 edges (per-step reading: reading='per_step')"
        )
    describe = (
        (lambda f: _rec_edges(f, h, w)) if returns == "edges" else (lambda p: _param_text(w, p))
    )
    what = "edges" if returns == "edges" else "parameters"
    raise AssertionError(
        f"recurrent forest mismatch (h={h}, T={steps}, reading={reading!r}, returns="
        f"{returns!r}, zero_weights={zero_weights!r}):\n"
        f"  yours: {user.size} {what}; reference: {ref.size} {what} ({sizes})\n"
        f"  only in yours: {describe(np.setdiff1d(user, ref))}\n"
        f"  only in the reference: {describe(np.setdiff1d(ref, user))}" + _likely(hints)
    )
