"""Kind ``"conv_mst"``: maximum spanning forests of convolution Toeplitz graphs.

Conventions: input nodes ``c * P + position`` over the padded grid ``P`` (the real grid with
``include_padding=False``), output nodes ``N_in + c * O + position``; flat Toeplitz index
``out_node * N_in + in_node``; kernel parameters are flat indices into ``weight.ravel()``.
Tie rule: ``|w|`` descending, then flat index ascending.

This module holds the kind's options, oracle (:func:`assert_same_conv_forest`) and battery;
reading and describing Toeplitz edges is :mod:`topotheory.testing.conv_edges`, the hints
that name a wrong convention :mod:`topotheory.testing.conv_hints`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from hypothesis import strategies as st

from topotheory.testing.battery import Property, call, differing, signs
from topotheory.testing.constraints import Boolean, validate
from topotheory.testing.conv_edges import (
    conv_graph,
    describe_conv_edges,
    read_conv_edges,
    same_weights,
)
from topotheory.testing.conv_edges import describe_conv_edge as describe_conv_edge
from topotheory.testing.conv_geometries import conv_geometries
from topotheory.testing.conv_hints import (
    OTHER_TIE_RULE,
    conv_forest_hints,
    parameter_hints,
    spanning_hints,
    valid_forest_problem,
)
from topotheory.testing.describe import describe_parameters
from topotheory.testing.hints import likely
from topotheory.testing.mst import COMPARE, RETURNS, TOPOTHEORY_TIES, ForestOptions
from topotheory.testing.output_readers import as_parameters
from topotheory.topology.forest import maximum_spanning_forest

SIGNATURE = (
    "fn(weight, input_shape, stride=, padding=, dilation=, groups=) -> forest edges "
    "(flat Toeplitz indices, pairs, SpanningForest) or used kernel parameters"
)
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
    graph = conv_graph(*args, include_padding)
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
        hints = parameter_hints(user, ref, args, include_padding, zero_weights)
        raise AssertionError(
            head.replace("forest mismatch", "used-parameter mismatch")
            + f":\n  yours: {user.size} parameters; reference: {ref.size} of {w.size}"
            + f"\n  only in yours: {describe_parameters(w, np.setdiff1d(user, ref))}"
            + f"\n  only in the reference: {describe_parameters(w, np.setdiff1d(ref, user))}"
            + likely(hints)
        )
    user = read_conv_edges(result, graph, edge_format)
    ref = np.sort(forest.edge_index)
    problem = valid_forest_problem(user, graph, ref.size, zero_weights)
    if compare == "edges" and np.array_equal(user, ref):
        return
    hints = conv_forest_hints(user, graph, w, args, zero_weights)
    if problem is None:
        if same_weights(user, ref, graph):
            if compare == "weights":
                return
            hints.append(OTHER_TIE_RULE)
        else:
            problem = "your forest is a spanning forest but not a maximum one"
    raise AssertionError(
        head
        + f":\n  yours: {user.size} edges; reference: {ref.size} edges"
        + (f"\n  {problem}" if problem else "")
        + f"\n  only in yours: {describe_conv_edges(graph, np.setdiff1d(user, ref))}"
        + f"\n  only in the reference: {describe_conv_edges(graph, np.setdiff1d(ref, user))}"
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


def _geometry(case: dict) -> dict:
    return {k: case[k] for k in GEOMETRY}


def _conv_cases(kinds: tuple[str, ...]) -> st.SearchStrategy:
    return conv_geometries(
        dims=(1, 2, 3), max_channels=2, max_size=4, kernel_kinds=kinds, max_groups=2
    )


def _call_conv(fn: Callable, case: dict, weight: np.ndarray | None = None) -> object:
    w = case["weight"] if weight is None else weight
    return call(fn, w, case["input_shape"], **_geometry(case))


def _forest_opts(opts: ConvMstOptions, *extra: str) -> dict:
    """The structured oracles' keyword arguments from ``opts`` (plus the named ``extra``)."""
    names = ("zero_weights", "compare", "returns", "edge_format", *extra)
    return {name: getattr(opts, name) for name in names}


def _check_conv_forest(fn: Callable, case: dict, opts: ConvMstOptions) -> None:
    assert_same_conv_forest(
        _call_conv(fn, case),
        case["weight"],
        case["input_shape"],
        **_geometry(case),
        **_forest_opts(opts, "include_padding"),
    )


def _check_conv_valid(fn: Callable, case: dict, opts: ConvMstOptions) -> None:
    geo = _geometry(case)
    graph = conv_graph(case["weight"], case["input_shape"], geo, opts.include_padding)
    user = read_conv_edges(_call_conv(fn, case), graph, opts.edge_format)
    size = maximum_spanning_forest(graph, zero_weights=opts.zero_weights).size
    problem = valid_forest_problem(user, graph, size, opts.zero_weights)
    if problem is None:
        return
    hints = spanning_hints(
        user, graph, (case["weight"], case["input_shape"], geo), opts.zero_weights
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
    geo = _geometry(case)
    graph = conv_graph(weight, case["input_shape"], geo, opts.include_padding)
    return read_conv_edges(out, graph, opts.edge_format)


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
