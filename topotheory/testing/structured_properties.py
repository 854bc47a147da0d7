"""Property batteries for convolution and recurrent topology code (``check_implementation``).

Kinds: ``"conv_mst"`` (``fn(weight, input_shape, stride=, padding=, dilation=, groups=)`` ->
forest edges or used kernel parameters), ``"conv_tccr"`` (``fn(geometry)`` -> exact TCCR of
a :class:`~topotheory.topology.tccr.ConvGeometry`) and ``"recurrent_mst"``
(``fn(weight_hh, steps)`` -> forest edges or used parameters). Oracles are in
:mod:`topotheory.testing.structured`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from hypothesis import strategies as st

from topotheory.testing._core import DISTINCT, TIED, Options, Property, call
from topotheory.testing.strategies import conv_geometries, recurrent_weights
from topotheory.testing.structured import (
    _conv_graph,
    _group_crossing,
    _read_conv_edges,
    _read_params,
    _read_recurrent,
    _valid_forest_problem,
    assert_same_conv_forest,
    assert_same_conv_tccr,
    assert_same_recurrent_forest,
    conv_disconnection,
    conv_geometry_of,
)
from topotheory.topology.forest import maximum_spanning_forest
from topotheory.topology.recurrent import recurrent_unrolled_graph
from topotheory.topology.tccr import ConvGeometry, conv_full_tccr_formula, conv_tccr_formula

_GEO_KEYS = ("stride", "padding", "dilation", "groups")


def _conv(weight: list, input_shape: tuple, **geo: object) -> dict:
    case = {"weight": np.array(weight, dtype=np.float64), "input_shape": input_shape}
    case.update({"stride": 1, "padding": 0, "dilation": 1, "groups": 1})
    case.update(geo)
    return case


_CONV_EXAMPLES = (
    _conv([[[3.0, 2.0, 1.0]]], (1, 4), padding=1),  # padded nodes change the forest
    _conv([[[2.0, 1.0]], [[1.5, 0.5]]], (2, 3), groups=2),  # two groups
    _conv([[[2.0]]], (1, 4), stride=2),  # disconnected: stride > kernel
    _conv([[[[1.0, -1.0], [-1.0, 1.0]]]], (1, 3, 3), padding=1),  # all parameters tied
    _conv(np.arange(1.0, 5.0).reshape(1, 1, 2, 1, 2), (1, 2, 2, 3)),  # 3-D
    _conv([[[1.0, 0.0, 2.0]]], (1, 4)),  # a zero parameter
    _conv([[[2.0, 1.0], [0.5, 1.5]], [[1.0, 2.0], [3.0, 0.25]]], (2, 3)),  # channel pairs
    _conv([[[1.0, 2.0]]], (1, 5), dilation=2),  # dilation
)

_TCCR_EXAMPLES = (
    ConvGeometry((3, 3), (6, 6), padding=1),  # connected
    ConvGeometry((3,), (5,), padding=1, in_channels=2, out_channels=4, groups=2),
    ConvGeometry((1,), (4,), stride=2),  # stride > kernel
    ConvGeometry((2, 2), (5, 5), stride=3),  # 2-D, stride > kernel
    ConvGeometry((3,), (7,), dilation=2),  # parity classes
    ConvGeometry((3,), (6,), stride=2),  # last position never reached
    ConvGeometry((3,), (6,), stride=2, padding=1, in_channels=2, out_channels=2),
)

_RECURRENT_EXAMPLES = (
    (np.array([[2.0, 1.0], [0.5, 3.0]]), 2),
    (np.ones((2, 2)), 3),
    (np.eye(2) + 0.1, 2),
    (np.array([[1.0, 0.0], [0.0, 0.0]]), 2),  # zero weights
    (np.array([[3.0]]), 3),
    (np.array([[1.0, 2.0, 1.0], [2.0, 1.0, 0.0], [1.0, 1.0, 2.0]]), 2),
)


def _conv_cases(kinds: tuple[str, ...]) -> st.SearchStrategy:
    return conv_geometries(
        dims=(1, 2, 3), max_channels=2, max_size=4, kernel_kinds=kinds, max_groups=2
    )


def _call_conv(fn: Callable, case: dict, weight: np.ndarray | None = None) -> object:
    w = case["weight"] if weight is None else weight
    return call(fn, w, case["input_shape"], **{k: case[k] for k in _GEO_KEYS})


def _forest_opts(opts: Options, *extra: str) -> dict:
    """The structured oracles' keyword arguments from ``opts`` (plus the named ``extra``)."""
    names = ("zero_weights", "compare", "returns", "edge_format", *extra)
    return {name: getattr(opts, name) for name in names}


def _check_conv_forest(fn: Callable, case: dict, opts: Options) -> None:
    assert_same_conv_forest(
        _call_conv(fn, case),
        case["weight"],
        case["input_shape"],
        **{k: case[k] for k in _GEO_KEYS},
        **_forest_opts(opts, "include_padding"),
    )


def _check_conv_valid(fn: Callable, case: dict, opts: Options) -> None:
    geo = {k: case[k] for k in _GEO_KEYS}
    graph = _conv_graph(case["weight"], case["input_shape"], geo, opts.include_padding)
    user = _read_conv_edges(_call_conv(fn, case), graph, opts.edge_format)
    size = maximum_spanning_forest(graph, zero_weights=opts.zero_weights).size
    problem = _valid_forest_problem(user, graph, size, opts.zero_weights)
    if problem is None:
        return
    hints = [h for h in (_group_crossing(graph, user),) if h]
    other = _conv_graph(case["weight"], case["input_shape"], geo, not opts.include_padding)
    other_size = maximum_spanning_forest(other, zero_weights=opts.zero_weights).size
    other_problem = _valid_forest_problem(user, other, other_size, opts.zero_weights)
    if other_problem is None:
        hints.append(
            f"your edges form a spanning forest of the graph with include_padding="
            f"{not opts.include_padding}; the convention here is include_padding="
            f"{opts.include_padding} (padded input positions as nodes: the paper's count)"
        )
    raise AssertionError(
        f"not a spanning forest of this conv layer's Toeplitz graph (include_padding="
        f"{opts.include_padding}: {graph.n_inputs} input nodes, {graph.n_outputs} output "
        f"nodes): {problem}" + "".join(f"\n  likely cause: {h}" for h in hints)
    )


def _conv_output_set(fn: Callable, case: dict, weight: np.ndarray, opts: Options) -> np.ndarray:
    out = _call_conv(fn, case, weight)
    if opts.returns == "params":
        return _read_params(out, weight)
    geo = {k: case[k] for k in _GEO_KEYS}
    graph = _conv_graph(weight, case["input_shape"], geo, opts.include_padding)
    return _read_conv_edges(out, graph, opts.edge_format)


def _signed_scaled(w: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(w.size)
    return np.where(rng.random(w.shape) < 0.5, -3.0, 3.0) * w


def _check_conv_invariance(fn: Callable, case: dict, opts: Options) -> None:
    w = case["weight"]
    before = _conv_output_set(fn, case, w, opts)
    changed = _signed_scaled(w)
    after = _conv_output_set(fn, case, changed, opts)
    if opts.compare == "weights" and opts.returns == "edges":
        return  # any maximum forest may be returned; the oracle properties cover it
    if not np.array_equal(before, after):
        raise AssertionError(
            f"scaling the kernel by 3 and flipping signs changed your {opts.returns} (it must "
            f"not: the forest depends on |w| order only)\n"
            f"  only before: {np.setdiff1d(before, after).tolist()[:6]}\n"
            f"  only after: {np.setdiff1d(after, before).tolist()[:6]}"
        )


def _tccr_cases(connected: bool | None) -> st.SearchStrategy:
    return conv_geometries(
        dims=(1, 2, 3), max_channels=2, max_size=6, kernel_kinds=("constant",), connected=connected
    ).map(lambda g: {"geometry": conv_geometry_of(g)})


def _check_tccr(fn: Callable, case: dict, opts: Options) -> None:
    assert_same_conv_tccr(
        call(fn, case["geometry"]),
        case["geometry"],
        scope=opts.scope,
        include_padding=opts.include_padding,
        rtol=opts.rtol,
        atol=opts.atol,
    )


def _check_tccr_formula(fn: Callable, case: dict, opts: Options) -> None:
    g = case["geometry"]
    value = float(call(fn, g))
    formula = conv_tccr_formula(g) if opts.scope == "pair" else conv_full_tccr_formula(g)
    if not np.isclose(value, formula, rtol=max(opts.rtol, 1e-9), atol=opts.atol):
        raise AssertionError(
            f"on this connected geometry (kernel {g.kernel}, input {g.input_spatial}, stride "
            f"{g.stride}, padding {g.padding}, dilation {g.dilation}; scope={opts.scope!r}) "
            f"Theorem 3.2 gives {formula!r}, yours is {value!r}"
        )


def _rec_case(pair: tuple) -> dict:
    return {"weight_hh": pair[0], "steps": pair[1]}


def _rec_cases(kinds: tuple[str, ...]) -> st.SearchStrategy:
    return recurrent_weights(max_hidden=4, max_steps=4, kinds=kinds).map(_rec_case)


def _check_recurrent(fn: Callable, case: dict, opts: Options) -> None:
    w, steps = case["weight_hh"], case["steps"]
    assert_same_recurrent_forest(call(fn, w, steps), w, steps, **_forest_opts(opts, "reading"))


def _rec_output(fn: Callable, w: np.ndarray, steps: int, opts: Options) -> np.ndarray:
    out = call(fn, w, steps)
    if opts.returns == "params":
        return _read_params(out, w)
    return _read_recurrent(out, w.shape[0], steps, opts.edge_format)


def _check_recurrent_invariance(fn: Callable, case: dict, opts: Options) -> None:
    w, steps = case["weight_hh"], case["steps"]
    before = _rec_output(fn, w, steps, opts)
    after = _rec_output(fn, _signed_scaled(w), steps, opts)
    if opts.compare == "weights" and opts.returns == "edges":
        return
    if not np.array_equal(before, after):
        raise AssertionError(
            "scaling W_hh by 3 and flipping signs changed your result (it must not: the "
            f"forest depends on |w| order only)\n  only before: "
            f"{np.setdiff1d(before, after).tolist()[:6]}\n  only after: "
            f"{np.setdiff1d(after, before).tolist()[:6]}"
        )


def _check_recurrent_size(fn: Callable, case: dict, opts: Options) -> None:
    w, steps = case["weight_hh"], case["steps"]
    h = w.shape[0]
    user = _rec_output(fn, w, steps, opts)
    whole = maximum_spanning_forest(
        recurrent_unrolled_graph(w, steps), zero_weights=opts.zero_weights
    ).size
    per_step = maximum_spanning_forest(w, zero_weights=opts.zero_weights).size
    want = whole if opts.reading == "whole" else per_step
    if user.size == want:
        return
    if opts.reading == "whole" and user.size == per_step:
        said = "the per-step reading (one step's h x h layer)"
    elif opts.reading == "per_step" and user.size == whole:
        said = "the whole-unrolled reading (all T steps)"
    else:
        said = "neither reading"
    raise AssertionError(
        f"your forest has {user.size} edges (h={h}, T={steps}): the whole unrolled graph's "
        f"forest has {whole} ((T + 1) h - C), one step's layer {per_step} (2h - C); that "
        f"matches {said}, but reading={opts.reading!r} was requested"
    )


def _conv_mst_battery(opts: Options) -> tuple[Property, ...]:
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


def _conv_tccr_battery(opts: Options) -> tuple[Property, ...]:
    examples = tuple({"geometry": g} for g in _TCCR_EXAMPLES)
    disconnected = tuple(e for e in examples if conv_disconnection(e["geometry"], scope=opts.scope))
    props = [
        Property(
            "matches_exact",
            "equals |E| / |MSF| of the exact Toeplitz graph",
            _tccr_cases(None),
            _check_tccr,
            examples,
        )
    ]
    if opts.include_padding:
        props.append(
            Property(
                "matches_formula_when_connected",
                "equals Theorem 3.2's formula on connected geometries",
                _tccr_cases(True),
                _check_tccr_formula,
                tuple(e for e in examples if e not in disconnected),
            )
        )
    props.append(
        Property(
            "exact_on_disconnected",
            "equals |E| / |MSF| (not the formula) on disconnected geometries",
            _tccr_cases(False),
            _check_tccr,
            disconnected,
        )
    )
    return tuple(props)


def _recurrent_mst_battery(opts: Options) -> tuple[Property, ...]:
    distinct, tied = _rec_cases(DISTINCT), _rec_cases(TIED)
    examples = tuple(_rec_case(e) for e in _RECURRENT_EXAMPLES)
    props = [
        Property(
            "matches_oracle",
            f"same forest as topotheory ({opts.reading} reading) on tie-free W_hh",
            distinct,
            _check_recurrent,
        ),
        Property(
            "matches_oracle_on_ties",
            "same forest on tied / zero / dead-unit W_hh",
            tied,
            _check_recurrent,
            examples,
        ),
    ]
    if opts.returns == "edges":
        props.append(
            Property(
                "forest_size_of_reading",
                f"as many edges as the {opts.reading} reading's forest",
                st.one_of(distinct, tied),
                _check_recurrent_size,
                examples,
            )
        )
    props.append(
        Property(
            "scale_and_sign_invariance",
            "scaling W_hh by c > 0 and flipping signs leaves the result unchanged",
            st.one_of(distinct, tied),
            _check_recurrent_invariance,
        )
    )
    return tuple(props)


#: The battery of each conv / recurrent kind.
STRUCTURED_BATTERIES: dict[str, Callable[[Options], tuple[Property, ...]]] = {
    "conv_mst": _conv_mst_battery,
    "conv_tccr": _conv_tccr_battery,
    "recurrent_mst": _recurrent_mst_battery,
}
