"""Kind ``"conv_mst"``: maximum spanning forests of convolution Toeplitz graphs.

Conventions: input nodes ``c * P + position`` over the padded grid ``P`` (the real grid with
``include_padding=False``), output nodes ``N_in + c * O + position``; flat Toeplitz index
``out_node * N_in + in_node``; kernel parameters are flat indices into ``weight.ravel()``.
Tie rule: ``|w|`` descending, then flat index ascending.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from hypothesis import strategies as st

from topotheory.testing.alternatives import ALTERNATIVES
from topotheory.testing.battery import Property, call, differing, signs
from topotheory.testing.constraints import Boolean, OneOf, validate
from topotheory.testing.conv_geometries import conv_geometries
from topotheory.testing.hints import PREFIX, Hint, likely
from topotheory.testing.mst import ForestOptions, cycle_edge
from topotheory.testing.readers import (
    as_flat_edges,
    as_parameters,
    describe_list,
    describe_parameters,
)
from topotheory.topology.conv import ConvToeplitzGraph, conv_toeplitz_graph
from topotheory.topology.forest import maximum_spanning_forest

SIGNATURE = (
    "fn(weight, input_shape, stride=, padding=, dilation=, groups=) -> forest edges "
    "(flat Toeplitz indices, pairs, SpanningForest) or used kernel parameters"
)
RETURNS = OneOf(("edges", "params"))
#: The structured kinds know one tie rule: any maximum forest (None) or topotheory's.
TOPOTHEORY_TIES = OneOf((None, "topotheory"))
COMPARE = OneOf(("edges", "weights"))
GEOMETRY = ("stride", "padding", "dilation", "groups")


@dataclass(frozen=True)
class ConvMstOptions(ForestOptions):
    """Options of kind ``"conv_mst"``: the forest options, padded nodes, what is returned."""

    include_padding: bool = True
    returns: str = "edges"

    CONSTRAINTS: ClassVar[dict[str, Any]] = {
        "tie_rule": TOPOTHEORY_TIES,
        "include_padding": Boolean(),
        "returns": RETURNS,
    }


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
    return describe_list(flats, lambda f: describe_conv_edge(graph, f))


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
    user: np.ndarray, graph: ConvToeplitzGraph, weight: np.ndarray, args: tuple, zero_weights: str
) -> list[Hint]:
    """One channel pair's forest, groups ignored, padding nodes flipped, zero weights flipped."""
    pairs = (graph.in_channels // graph.groups) * graph.out_channels
    layer = (
        f"spans the whole layer ({graph.in_channels} -> {graph.out_channels} channels, "
        f"groups={graph.groups})"
    )
    if pairs > 1:
        geo = {**args[2], "groups": 1}
        pair = _conv_graph(weight[:1, :1], (1, *graph.input_spatial), geo, graph.include_padding)
        if np.array_equal(
            user, np.sort(maximum_spanning_forest(pair, zero_weights=zero_weights).edge_index)
        ):
            return [
                Hint(
                    "your edges are the forest of ONE channel pair's graph (input channel 0, "
                    "output channel 0: Theorem 3.2's reading, numbered with that pair's "
                    f"N_in = {pair.n_inputs}); the forest asked for {layer}",
                    "they equal that pair's maximum spanning forest",
                    1,
                )
            ]
    hints = []
    crossing = _group_crossing(graph, user)
    if crossing:
        hints.append(Hint(crossing, "that edge is no entry of the grouped Toeplitz matrix", 1))
    other = _conv_graph(*args, not graph.include_padding)
    if np.array_equal(
        user, np.sort(maximum_spanning_forest(other, zero_weights=zero_weights).edge_index)
    ):
        hints.append(
            Hint(
                "your forest is the one of the graph WITHOUT padded input positions "
                "(include_padding=False: only real inputs are nodes and entries that multiply "
                "padding are no edges); the convention here is include_padding=True (the "
                "paper's N_in = prod(i + 2p) counts padded positions)"
                if graph.include_padding
                else "your forest is the one of the graph WITH padded input positions as nodes "
                "(include_padding=True); the convention here is include_padding=False",
                f"your {user.size} edges are exactly that graph's forest",
                1,
            )
        )
    conv = {"zero_weights": zero_weights, "mask": None}
    flip = ALTERNATIVES["zero_weights"].changes(conv)["zero_weights"]
    if not hints and np.array_equal(
        user, np.sort(maximum_spanning_forest(graph, zero_weights=flip).edge_index)
    ):
        hints.append(
            Hint(
                PREFIX + ALTERNATIVES["zero_weights"].hint(conv, weight),
                f"your {user.size} edges are the forest under it",
                2,
            )
        )
    if not hints and pairs > 1 and user.size:
        c_in = (user % graph.n_inputs) // math.prod(graph.node_spatial)
        c_out = (user // graph.n_inputs) // math.prod(graph.output_spatial)
        if np.unique(c_in).size == 1 and np.unique(c_out).size == 1:
            hints.append(
                Hint(
                    "all your edges join one input channel to one output channel: you "
                    "probably built ONE channel pair's graph (Theorem 3.2's reading); "
                    f"the forest asked for {layer}",
                    f"input channel {int(c_in[0])}, output channel {int(c_out[0])}",
                    3,
                )
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
    cycle = cycle_edge(user[order], (graph.n_outputs, graph.n_inputs))
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
    __tracebackhide__ = True
    validate("returns", returns, RETURNS)
    validate("compare", compare, COMPARE)
    w = np.asarray(weight)
    geo = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    args = (w, input_shape, geo)
    graph = _conv_graph(*args, include_padding)
    forest = maximum_spanning_forest(graph, zero_weights=zero_weights)
    head = (
        f"conv forest mismatch (weight {w.shape}, input_shape {tuple(input_shape)}, "
        f"stride {graph.stride}, padding {graph.padding}, dilation {graph.dilation}, groups "
        f"{graph.groups}; include_padding={graph.include_padding}: N_in = {graph.n_inputs} "
        f"input nodes, N_out = {graph.n_outputs} output nodes; zero_weights={zero_weights!r})"
    )
    if returns == "params":
        user = as_parameters(result, w)
        ref = forest.used_parameters()
        if np.array_equal(user, ref):
            return
        hints = []
        other = maximum_spanning_forest(
            _conv_graph(*args, not include_padding), zero_weights=zero_weights
        ).used_parameters()
        if np.array_equal(user, other):
            hints.append(
                Hint(
                    f"these are the parameters used with include_padding={not include_padding}; "
                    f"the convention here is include_padding={include_padding} (padded input "
                    "positions are nodes in the paper's count)",
                    "the forest of that graph uses exactly your parameters",
                    1,
                )
            )
        if user.size == w.size and ref.size < w.size:
            hints.append(
                Hint(
                    "you returned every kernel parameter; the forest uses fewer",
                    f"{user.size} parameters, the forest uses {ref.size}",
                    2,
                )
            )
        raise AssertionError(
            head.replace("forest mismatch", "used-parameter mismatch")
            + f":\n  yours: {user.size} parameters; reference: {ref.size} of {w.size}"
            + f"\n  only in yours: {describe_parameters(w, np.setdiff1d(user, ref))}"
            + f"\n  only in the reference: {describe_parameters(w, np.setdiff1d(ref, user))}"
            + likely(hints)
        )
    user = _read_conv_edges(result, graph, edge_format)
    ref = np.sort(forest.edge_index)
    problem = _valid_forest_problem(user, graph, ref.size, zero_weights)
    if compare == "edges" and np.array_equal(user, ref):
        return
    hints = _conv_forest_hints(user, graph, w, args, zero_weights)
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
                    Hint(
                        "yours is a maximum spanning forest under another tie rule: topotheory "
                        "breaks ties by |w| descending, then flat Toeplitz index out_node * N_in + "
                        "in_node ascending (the edges of tied kernel parameters interleave; they "
                        "are not taken parameter by parameter); pass compare='weights' to accept "
                        "any maximum spanning forest (in check_implementation: tie_rule=None, "
                        "the default)",
                        "spanning, acyclic, the same sorted |w| as the reference",
                        1,
                    )
                )
            else:
                problem = "your forest is a spanning forest but not a maximum one"
    raise AssertionError(
        head
        + f":\n  yours: {user.size} edges; reference: {ref.size} edges"
        + (f"\n  {problem}" if problem else "")
        + f"\n  only in yours: {_describe_conv_edges(graph, np.setdiff1d(user, ref))}"
        + f"\n  only in the reference: {_describe_conv_edges(graph, np.setdiff1d(ref, user))}"
        + likely(hints)
    )


def _conv(weight: list, input_shape: tuple, **geo: object) -> dict:
    case = {"weight": np.array(weight, dtype=np.float64), "input_shape": input_shape}
    case.update({"stride": 1, "padding": 0, "dilation": 1, "groups": 1})
    case.update(geo)
    return case


#: Small layers (at most six Toeplitz edges each) where conv conventions show.
_CONV_EXAMPLES = (
    _conv([[[2.0, 1.0]]], (1, 2), padding=1),  # padded nodes change the forest
    _conv([[[2.0]], [[1.5]]], (2, 2), groups=2),  # two groups
    _conv([[[2.0]]], (1, 4), stride=2),  # disconnected: stride > kernel
    _conv([[[1.0, -1.0, 1.0]]], (1, 2), padding=1),  # all tied: ties decide between cycles
    _conv(np.arange(1.0, 3.0).reshape(1, 1, 1, 1, 2), (1, 1, 1, 3)),  # 3-D
    _conv([[[1.0, 0.0, 2.0]]], (1, 4)),  # a zero parameter
    _conv([[[2.0]], [[0.5]]], (1, 2)),  # two channel pairs
    _conv([[[1.0, 2.0]]], (1, 5), dilation=2),  # dilation
)


def _conv_cases(kinds: tuple[str, ...]) -> st.SearchStrategy:
    return conv_geometries(
        dims=(1, 2, 3), max_channels=2, max_size=4, kernel_kinds=kinds, max_groups=2
    )


def _call_conv(fn: Callable, case: dict, weight: np.ndarray | None = None) -> object:
    w = case["weight"] if weight is None else weight
    return call(fn, w, case["input_shape"], **{k: case[k] for k in GEOMETRY})


def _forest_opts(opts: ConvMstOptions, *extra: str) -> dict:
    """The structured oracles' keyword arguments from ``opts`` (plus the named ``extra``)."""
    names = ("zero_weights", "compare", "returns", "edge_format", *extra)
    return {name: getattr(opts, name) for name in names}


def _check_conv_forest(fn: Callable, case: dict, opts: ConvMstOptions) -> None:
    assert_same_conv_forest(
        _call_conv(fn, case),
        case["weight"],
        case["input_shape"],
        **{k: case[k] for k in GEOMETRY},
        **_forest_opts(opts, "include_padding"),
    )


def _check_conv_valid(fn: Callable, case: dict, opts: ConvMstOptions) -> None:
    geo = {k: case[k] for k in GEOMETRY}
    graph = _conv_graph(case["weight"], case["input_shape"], geo, opts.include_padding)
    user = _read_conv_edges(_call_conv(fn, case), graph, opts.edge_format)
    size = maximum_spanning_forest(graph, zero_weights=opts.zero_weights).size
    problem = _valid_forest_problem(user, graph, size, opts.zero_weights)
    if problem is None:
        return
    crossing = _group_crossing(graph, user)
    hints = (
        [Hint(crossing, "that edge is no entry of the grouped Toeplitz matrix", 1)]
        if crossing
        else []
    )
    other = _conv_graph(case["weight"], case["input_shape"], geo, not opts.include_padding)
    other_size = maximum_spanning_forest(other, zero_weights=opts.zero_weights).size
    if _valid_forest_problem(user, other, other_size, opts.zero_weights) is None:
        hints.append(
            Hint(
                f"your edges form a spanning forest of the graph with include_padding="
                f"{not opts.include_padding}; the convention here is include_padding="
                f"{opts.include_padding} (padded input positions as nodes: the paper's count)",
                "in that graph they are spanning and acyclic",
                1,
            )
        )
    raise AssertionError(
        f"not a spanning forest of this conv layer's Toeplitz graph (include_padding="
        f"{opts.include_padding}: {graph.n_inputs} input nodes, {graph.n_outputs} output "
        f"nodes): {problem}" + likely(hints)
    )


def _conv_output_set(
    fn: Callable, case: dict, weight: np.ndarray, opts: ConvMstOptions
) -> np.ndarray:
    out = _call_conv(fn, case, weight)
    if opts.returns == "params":
        return as_parameters(out, weight)
    geo = {k: case[k] for k in GEOMETRY}
    graph = _conv_graph(weight, case["input_shape"], geo, opts.include_padding)
    return _read_conv_edges(out, graph, opts.edge_format)


def _check_conv_invariance(fn: Callable, case: dict, opts: ConvMstOptions) -> None:
    w = case["weight"]
    before = _conv_output_set(fn, case, w, opts)
    changed = 3.0 * signs(w)
    after = _conv_output_set(fn, case, changed, opts)
    if opts.compare == "weights" and opts.returns == "edges":
        return  # any maximum forest may be returned; the oracle properties cover it
    if not np.array_equal(before, after):
        raise AssertionError(
            f"scaling the kernel by 3 and flipping signs changed your {opts.returns} (it must "
            f"not: the forest depends on |w| order only)" + differing(before, after)
        )


def battery(opts: ConvMstOptions) -> tuple[Property, ...]:
    """The properties of kind ``"conv_mst"``."""
    distinct, tied = _conv_cases(("gaussian",)), _conv_cases(("ties", "zeros", "constant"))
    props = [
        Property(
            "matches_oracle",
            "same forest as topotheory's Toeplitz graph on tie-free kernels",
            distinct,
            _check_conv_forest,
        ),
        Property(
            "matches_oracle_on_ties",
            "same forest on tied / zero / constant kernels (tie rule, padding, groups)",
            tied,
            _check_conv_forest,
            _CONV_EXAMPLES,
        ),
    ]
    if opts.returns == "edges":
        props.append(
            Property(
                "spanning_forest",
                "Toeplitz edges only, no cycle, |V| - C edges (any tie rule)",
                st.one_of(distinct, tied),
                _check_conv_valid,
                _CONV_EXAMPLES,
            )
        )
    props.append(
        Property(
            "scale_and_sign_invariance",
            "scaling the kernel by c > 0 and flipping signs leaves the result unchanged",
            st.one_of(distinct, tied),
            _check_conv_invariance,
        )
    )
    return tuple(props)
