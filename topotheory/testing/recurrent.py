"""Kind ``"recurrent_mst"``: maximum spanning forests of unrolled recurrent layers.

``T`` steps, ``h`` units: node ``t * h + j`` is unit ``j`` at step ``t``; the edge ``j -> i``
of step ``t`` has flat index ``t h^2 + i h + j`` and parameter ``i h + j``. Two readings:
the forest of the whole unrolled graph (``reading="whole"``) or of one step's ``h x h``
layer (``reading="per_step"``, the one behind Theorem 3.2's ``h^2 / (2h - 1)``).

This module holds the kind's options, oracle (:func:`assert_same_recurrent_forest`) and
battery; the numbering, both readings' references and the hint naming the reading a result
matches are :mod:`topotheory.testing.recurrent_readings`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from hypothesis import strategies as st

from topotheory.testing.battery import Property, call, differing, signs
from topotheory.testing.constraints import OneOf, validate
from topotheory.testing.describe import describe_list, describe_parameters
from topotheory.testing.hints import likely
from topotheory.testing.mst import COMPARE, RETURNS, TOPOTHEORY_TIES, ForestOptions
from topotheory.testing.output_readers import as_parameters
from topotheory.testing.recurrent_readings import (
    describe_recurrent_edge,
    is_maximum_forest,
    read_recurrent_edges,
    reading_hints,
)
from topotheory.testing.recurrent_readings import recurrent_references as recurrent_references
from topotheory.testing.strategies import recurrent_weights
from topotheory.testing.values import DISTINCT_KINDS, TIED_KINDS

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
    key = reading if returns == "edges" else f"{reading}_params"
    user = (
        read_recurrent_edges(result, h, steps, edge_format)
        if returns == "edges"
        else as_parameters(result, w)
    )
    ref = refs[key]
    if np.array_equal(user, ref):
        return
    if returns == "edges" and compare == "weights" and is_maximum_forest(user, ref, w, steps):
        return
    sizes = (
        f"the whole graph unrolled over T={steps} steps has {(steps + 1) * h} nodes and a "
        f"{refs['whole'].size}-edge forest; one step's {h} x {h} layer has a "
        f"{refs['per_step'].size}-edge forest"
    )
    hints = reading_hints(user, refs, reading, returns, steps)
    describe = (
        (lambda f: describe_list(f, lambda e: describe_recurrent_edge(e, h, w)))
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
    return read_recurrent_edges(out, w.shape[0], steps, opts.edge_format)


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
    refs = recurrent_references(w, steps, zero_weights=opts.zero_weights)
    whole, per_step = refs["whole"].size, refs["per_step"].size
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
