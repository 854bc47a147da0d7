"""Kind ``"recurrent_mst"``: maximum spanning forests of unrolled recurrent layers.

``T`` steps, ``h`` units: node ``t * h + j`` is unit ``j`` at step ``t``; the edge ``j -> i``
of step ``t`` has flat index ``t h^2 + i h + j`` and parameter ``i h + j``. Two readings:
the forest of the whole unrolled graph (``reading="whole"``) or of one step's ``h x h``
layer (``reading="per_step"``, the one behind Theorem 3.2's ``h^2 / (2h - 1)``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from hypothesis import strategies as st

from topotheory.testing.battery import Property, call, differing, signs
from topotheory.testing.constraints import OneOf, validate
from topotheory.testing.conv import COMPARE, RETURNS, TOPOTHEORY_TIES
from topotheory.testing.hints import Hint, likely
from topotheory.testing.mst import ForestOptions, cycle_edge
from topotheory.testing.readers import (
    as_parameters,
    describe_list,
    describe_parameters,
)
from topotheory.testing.strategies import recurrent_weights
from topotheory.testing.values import DISTINCT_KINDS, TIED_KINDS
from topotheory.topology.forest import maximum_spanning_forest
from topotheory.topology.recurrent import recurrent_unrolled_graph

SIGNATURE = "fn(weight_hh, steps) -> forest edges of the unrolled graph or used parameters"
READING = OneOf(("whole", "per_step"))


@dataclass(frozen=True)
class RecurrentMstOptions(ForestOptions):
    """Options of kind ``"recurrent_mst"``: the forest options, what is returned, the reading."""

    returns: str = "edges"
    reading: str = "whole"

    CONSTRAINTS: ClassVar[dict[str, Any]] = {
        "tie_rule": TOPOTHEORY_TIES,
        "returns": RETURNS,
        "reading": READING,
    }


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
    __tracebackhide__ = True
    validate("reading", reading, READING)
    validate("returns", returns, RETURNS)
    validate("compare", compare, COMPARE)
    w = np.asarray(weight_hh, dtype=np.float64)
    refs = recurrent_references(w, steps, zero_weights=zero_weights)
    h = w.shape[0]
    other = "per_step" if reading == "whole" else "whole"
    key = reading if returns == "edges" else f"{reading}_params"
    user = (
        _read_recurrent(result, h, steps, edge_format)
        if returns == "edges"
        else as_parameters(result, w)
    )
    ref = refs[key]
    if np.array_equal(user, ref):
        return
    mags = np.abs(w.ravel())
    if returns == "edges" and compare == "weights" and user.size == ref.size:
        nodes = (steps + 1) * h
        t, rest = user // (h * h), user % (h * h)
        u, v = t * h + rest % h, (t + 1) * h + rest // h
        acyclic = cycle_edge(v * nodes + u, (nodes, nodes)) is None
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
            Hint(
                "your function implements the per-step reading (the forest of ONE step's h x h "
                "bipartite layer, as in Theorem 3.2's h^2/(2h - 1)) but reading='whole' was "
                "requested (the forest of the whole unrolled graph); pass reading='per_step' if "
                "that is what you mean"
                if reading == "whole"
                else "your function implements the whole-unrolled reading (the forest of the "
                "graph over all T steps) but reading='per_step' was requested (one step's h x h "
                "layer); pass reading='whole' if that is what you mean",
                f"your result is exactly the {other} reading's",
                1,
            )
        )
    elif returns == "edges" and reading == "whole" and np.array_equal(user, refs["repeated"]):
        hints.append(
            Hint(
                "your edges repeat the per-step forest in every step: T (2h - 1) edges that close "
                "cycles across steps; the whole unrolled graph's forest is one Kruskal run over "
                "all T h^2 edges (per-step reading: reading='per_step')",
                f"your {user.size} edges are the per-step forest copied into {steps} steps",
                1,
            )
        )
    describe = (
        (lambda f: describe_list(f, lambda e: _rec_edge(e, h, w)))
        if returns == "edges"
        else (lambda p: describe_parameters(w, p))
    )
    what = "edges" if returns == "edges" else "parameters"
    raise AssertionError(
        f"recurrent forest mismatch (h={h}, T={steps}, reading={reading!r}, returns="
        f"{returns!r}, zero_weights={zero_weights!r}):\n"
        f"  yours: {user.size} {what}; reference: {ref.size} {what} ({sizes})\n"
        f"  only in yours: {describe(np.setdiff1d(user, ref))}\n"
        f"  only in the reference: {describe(np.setdiff1d(ref, user))}" + likely(hints)
    )


#: Small recurrent weights (at most four parameters), smallest first; T >= 2 where the
#: readings differ.
_RECURRENT_EXAMPLES = (
    (np.array([[3.0]]), 3),
    (np.array([[2.0, 1.0], [0.5, 3.0]]), 2),
    (np.ones((2, 2)), 3),
    (np.eye(2) + 0.1, 2),
    (np.array([[1.0, 0.0], [0.0, 0.0]]), 2),  # zero weights
)


def _rec_case(pair: tuple) -> dict:
    return {"weight_hh": pair[0], "steps": pair[1]}


def _rec_cases(kinds: tuple[str, ...]) -> st.SearchStrategy:
    return recurrent_weights(max_hidden=4, max_steps=4, kinds=kinds).map(_rec_case)


def _check_recurrent(fn: Callable, case: dict, opts: RecurrentMstOptions) -> None:
    w, steps = case["weight_hh"], case["steps"]
    assert_same_recurrent_forest(
        call(fn, w, steps),
        w,
        steps,
        reading=opts.reading,
        returns=opts.returns,
        zero_weights=opts.zero_weights,
        compare=opts.compare,
        edge_format=opts.edge_format,
    )


def _rec_output(fn: Callable, w: np.ndarray, steps: int, opts: RecurrentMstOptions) -> np.ndarray:
    out = call(fn, w, steps)
    if opts.returns == "params":
        return as_parameters(out, w)
    return _read_recurrent(out, w.shape[0], steps, opts.edge_format)


def _check_recurrent_invariance(fn: Callable, case: dict, opts: RecurrentMstOptions) -> None:
    w, steps = case["weight_hh"], case["steps"]
    before = _rec_output(fn, w, steps, opts)
    after = _rec_output(fn, 3.0 * signs(w), steps, opts)
    if opts.compare == "weights" and opts.returns == "edges":
        return
    if not np.array_equal(before, after):
        raise AssertionError(
            "scaling W_hh by 3 and flipping signs changed your result (it must not: the "
            "forest depends on |w| order only)" + differing(before, after)
        )


def _check_recurrent_size(fn: Callable, case: dict, opts: RecurrentMstOptions) -> None:
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


def battery(opts: RecurrentMstOptions) -> tuple[Property, ...]:
    """The properties of kind ``"recurrent_mst"``."""
    distinct, tied = _rec_cases(DISTINCT_KINDS), _rec_cases(TIED_KINDS)
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
