"""Oracles: compare a user's forest, diagram, NP, top-k overlap or pruning with topotheory.

Every ``assert_*`` function returns ``None`` when the user's result agrees with the reference
and raises ``AssertionError`` otherwise, with a diff-like explanation: which edges or points
differ, and which convention probably explains it (see
:mod:`topotheory.testing.conventions`). Bad *arguments* raise ``ValueError``.

Conventions (see README "Conventions"): torch ``Linear`` layout ``(m_out, n_in)``; flat edge
index ``i_out * n_in + j_in``; tie rule ``|w|`` descending then flat index ascending;
``zero_weights="present"`` by default; per-layer normalisation ``w' = |w| / max|w|``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from topotheory.testing._format import (
    _graph_object_edges,
    as_flat_edges,
    as_kept_mask,
    as_points,
    describe_edges,
    describe_points,
)
from topotheory.testing.conventions import (
    TIE_RULES,
    diagram_hints,
    forest_hints,
    hints_enabled,
    max_forest_problem,
    np_hints,
    tie_rule_forest,
)
from topotheory.testing.presets import resolve_conventions as resolve_preset
from topotheory.topology._validation import as_mask, as_weight_matrix, check_zero_weights
from topotheory.topology.diagram import persistence_diagram, resolve_conventions
from topotheory.topology.forest import maximum_spanning_forest
from topotheory.topology.ordering import edge_order, topk_indices
from topotheory.topology.overlap import topk_mst_overlap
from topotheory.topology.persistence import neural_persistence

TIE_RULE = TIE_RULES["topotheory"]


def _check_tolerances(rtol: float, atol: float) -> None:
    for name, value in (("rtol", rtol), ("atol", atol)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
            raise ValueError(f"{name}={value!r} must be a non-negative number")


def _likely(hints: list[str]) -> str:
    if not hints:
        return ""
    return "\n  likely cause: " + "\n  likely cause: ".join(hints)


def assert_same_forest(
    user_edges_or_forest: Any,
    weights: Any,
    *,
    mask: Any = None,
    zero_weights: str = "present",
    tie_rule: str | None = None,
    edge_format: str = "auto",
) -> None:
    """Assert that a user's forest is a maximum spanning forest of the layer.

    With ties the maximum spanning forest is not unique; by default (``tie_rule=None``) any
    one passes: present edges only, no cycle, ``|V| - C`` edges (the same components) and
    the same sorted ``|w|`` as topotheory's (maximum total weight). Declare a tie rule to
    demand its exact edge set.

    Parameters
    ----------
    user_edges_or_forest : SpanningForest, array_like, graph or sparse matrix
        The user's forest: flat edge indices (1-D), ``(i_out, j_in)`` pairs ``(k, 2)``, node
        pairs (``edge_format="nodes"``), ``(u, v, data)`` triples, a ``SpanningForest``, a
        networkx / igraph / rustworkx graph or a scipy sparse matrix (see
        :func:`~topotheory.testing._format.as_flat_edges`).
    weights : array_like
        The layer ``(m_out, n_in)``.
    mask : array_like of bool, optional
        True where the edge is present.
    zero_weights : {"present", "absent"}
        Whether a zero weight is an edge of weight 0 (default) or no edge.
    tie_rule : {None, "topotheory", "column_major", "descending_index"}
        ``None``: any maximum spanning forest; otherwise the exact forest under that rule
        (``"topotheory"``: ``|w|`` descending then flat index ascending; ``"column_major"``:
        then ``j_in * m_out + i_out`` ascending, as networkx's Kruskal and scipy).
    edge_format : {"auto", "flat", "entries", "nodes"}
        How to read ``user_edges_or_forest``.

    Raises
    ------
    AssertionError
        With the differing edges and the likely convention behind the difference.
    ValueError
        On bad arguments.

    Examples
    --------
    >>> W = np.array([[3.0, 1.0], [2.0, 0.5]])
    >>> assert_same_forest([0, 2, 1], W)
    >>> assert_same_forest([0, 1, 2], np.ones((2, 2)))            # any maximum forest
    >>> assert_same_forest([0, 1, 2], np.ones((2, 2)), tie_rule="column_major")
    >>> try:
    ...     assert_same_forest([0, 2, 3], W)
    ... except AssertionError as err:
    ...     print(str(err).splitlines()[2])
      only in yours: (i_out=1, j_in=1) [flat 3, |w|=0.5]
    """
    __tracebackhide__ = True
    w = as_weight_matrix(weights)
    mask_arr = as_mask(mask, w.shape)
    check_zero_weights(zero_weights)
    if tie_rule is not None and tie_rule not in TIE_RULES:
        raise ValueError(
            f"tie_rule={tie_rule!r}: choose None (any maximum spanning forest) or one of "
            f"{tuple(TIE_RULES)}"
        )
    reference = maximum_spanning_forest(w, mask=mask_arr, zero_weights=zero_weights)
    user = as_flat_edges(user_edges_or_forest, w.shape, edge_format=edge_format)
    present = np.ones(w.shape, dtype=bool) if mask_arr is None else np.asarray(mask_arr, bool)
    if zero_weights == "absent":
        present = present & (w != 0)
    problem = max_forest_problem(user, np.abs(w), present)
    if tie_rule is None:
        ref = np.sort(reference.edge_index)
        if problem is None:
            return
    else:
        ref = tie_rule_forest(w, tie_rule, mask=mask_arr, zero_weights=zero_weights)
        if np.array_equal(user, ref):
            return
    rule = "any maximum forest" if tie_rule is None else f"{tie_rule!r}: {TIE_RULES[tie_rule]}"
    lines = [
        f"forest mismatch on a {w.shape} layer (tie_rule={rule}; zero_weights={zero_weights!r}):",
        f"  yours: {user.size} edges; reference: {ref.size} edges "
        f"({reference.n_nodes} nodes - {reference.n_components} component(s))",
        "  only in yours: " + describe_edges(np.setdiff1d(user, ref), w.shape, w),
        "  only in the reference: " + describe_edges(np.setdiff1d(ref, user), w.shape, w),
    ]
    if problem is not None:
        lines.append(f"  yours is not a maximum spanning forest: {problem}")
    hints = forest_hints(user, w, mask=mask_arr, zero_weights=zero_weights, tie_rule=tie_rule)
    hints += _node_pair_hint(user_edges_or_forest, w, present, edge_format)
    if problem is None:  # a valid maximum forest, another tie rule than the declared one
        hints.append(
            "your forest is a maximum spanning forest (same |w| multiset) under another tie "
            f"rule than {tie_rule!r}; pass tie_rule=None to accept any maximum spanning forest"
        )
    raise AssertionError("\n".join(lines) + _likely(hints))


def _node_pair_hint(output: Any, w: np.ndarray, present: np.ndarray, edge_format: str) -> list[str]:
    """Suggest ``edge_format="nodes"`` when ``(k, 2)`` pairs read as nodes form a valid forest."""
    if edge_format != "auto" or _graph_object_edges(output, w.shape) is not None:
        return []
    try:
        if np.asarray(output, dtype=object).ndim != 2:
            return []
    except (ValueError, TypeError):
        return []
    try:
        as_nodes = as_flat_edges(output, w.shape, edge_format="nodes")
    except (AssertionError, ValueError, TypeError):
        return []
    if max_forest_problem(as_nodes, np.abs(w), present) is None:
        return [
            "your edges look like node pairs (inputs 0..n_in-1, outputs n_in..n_in+m_out-1): "
            "pass edge_format='nodes'"
        ]
    return []


def _point_diff(
    user: np.ndarray, ref: np.ndarray, rtol: float, atol: float
) -> tuple[np.ndarray, np.ndarray]:
    """Multiset difference of two point sets with tolerance (sorted two-pointer walk)."""
    user = user[np.lexsort((user[:, 1], user[:, 0]))]
    ref = ref[np.lexsort((ref[:, 1], ref[:, 0]))]
    only_user, only_ref = [], []
    i = j = 0
    while i < len(user) and j < len(ref):
        if np.allclose(user[i], ref[j], rtol=rtol, atol=atol):
            i, j = i + 1, j + 1
        elif tuple(user[i]) < tuple(ref[j]):
            only_user.append(user[i])
            i += 1
        else:
            only_ref.append(ref[j])
            j += 1
    only_user += list(user[i:])
    only_ref += list(ref[j:])
    return np.array(only_user).reshape(-1, 2), np.array(only_ref).reshape(-1, 2)


def _diagram_conventions(
    weights: Any,
    rtol: float,
    atol: float,
    mask: Any,
    zero_weights: str | None,
    normalization: str,
    w_max: float | None,
    essential: str | None,
    drop_zero_length: bool | None,
    conventions: str | None,
    **more: Any,
) -> tuple[np.ndarray, dict, dict]:
    """Validate the oracle arguments; return the layer, the diagram conventions and ``more``.

    A preset fills the options left at None; without one, ``normalization`` decides the
    essential class and zero-length defaults (``"rieck"``: Rieck's code).
    """
    _check_tolerances(rtol, atol)
    w = as_weight_matrix(weights)
    mask_arr = as_mask(mask, w.shape)
    if conventions is not None:
        preset = resolve_preset(
            conventions,
            zero_weights=zero_weights,
            essential=essential,
            drop_zero_length=drop_zero_length,
            **more,
        )
        zero_weights, essential = preset["zero_weights"], preset["essential"]
        drop_zero_length = preset["drop_zero_length"]
        more = {key: preset[key] for key in more}
    zero_weights = "present" if zero_weights is None else zero_weights
    check_zero_weights(zero_weights)
    essential, drop = resolve_conventions(normalization, w_max, essential, drop_zero_length)
    conv = dict(
        mask=mask_arr,
        zero_weights=zero_weights,
        normalization=normalization,
        w_max=w_max,
        essential=essential,
        drop_zero_length=drop,
    )
    return w, conv, more


def assert_same_diagram(
    user_diagram: Any,
    weights: Any,
    *,
    rtol: float = 1e-9,
    atol: float = 1e-12,
    mask: Any = None,
    zero_weights: str | None = None,
    normalization: str = "per_layer",
    w_max: float | None = None,
    essential: str | None = None,
    drop_zero_length: bool | None = None,
    conventions: str | None = None,
) -> None:
    """Assert that a user's zeroth-order persistence diagram is topotheory's.

    Points are compared as a multiset (any order) within ``rtol``/``atol``.

    Parameters
    ----------
    user_diagram : array_like or PersistenceDiagram
        ``(q, 2)`` rows ``(birth, death)`` (births 1, deaths ``w'``), or a diagram object.
    weights : array_like
        The layer ``(m_out, n_in)``.
    rtol, atol : float
        Tolerances of the point comparison.
    mask, zero_weights
        Which edges are present (see :func:`~topotheory.topology.forest.maximum_spanning_forest`).
    normalization, w_max, essential, drop_zero_length
        The conventions the user's diagram follows (see
        :func:`~topotheory.topology.diagram.persistence_diagram`; defaults: the paper's
        per-layer normalisation, essential class dropped, zero-length points kept).
    conventions : {"paper", "rieck", "rieck_normalized", "rieck_bound"}, optional
        A preset (:mod:`~topotheory.testing.presets`) filling every option left at None.

    Raises
    ------
    AssertionError
        Listing the points only in one diagram and the likely convention mismatch.
    ValueError
        On bad arguments.

    Examples
    --------
    >>> W = np.array([[2.0, 1.0]])
    >>> assert_same_diagram([(1.0, 0.5), (1.0, 1.0)], W)
    >>> try:
    ...     assert_same_diagram([(1.0, 1.0), (1.0, 0.5)], W, essential="as_zero")
    ... except AssertionError as err:
    ...     print(str(err).splitlines()[3])
      only in the reference: (1, 0)
    """
    __tracebackhide__ = True
    w, conv, _ = _diagram_conventions(
        weights,
        rtol,
        atol,
        mask,
        zero_weights,
        normalization,
        w_max,
        essential,
        drop_zero_length,
        conventions,
    )
    zero_weights, essential, drop = (
        conv["zero_weights"],
        conv["essential"],
        conv["drop_zero_length"],
    )
    reference = persistence_diagram(w, **conv)
    ref = reference.as_array()
    user = as_points(user_diagram)
    only_user, only_ref = _point_diff(user, ref, rtol, atol)
    if only_user.size == 0 and only_ref.size == 0:
        return
    lines = [
        f"diagram mismatch on a {w.shape} layer (normalization={normalization!r}, "
        f"w_max={reference.w_max:.6g}, essential={essential!r}, drop_zero_length={drop}, "
        f"zero_weights={zero_weights!r}; rtol={rtol:g}, atol={atol:g}):",
        f"  yours: {len(user)} points; reference: {len(ref)} points "
        f"({reference.n_essential} essential class(es), "
        f"{'kept as (1, 0)' if essential == 'as_zero' else 'dropped'})",
        "  only in yours: " + describe_points(only_user),
        "  only in the reference: " + describe_points(only_ref),
    ]
    raise AssertionError(
        "\n".join(lines) + _likely(diagram_hints(user, w, conv, rtol=rtol, atol=atol))
    )


def assert_same_neural_persistence(
    user_value: Any,
    weights: Any,
    *,
    p: float | None = None,
    normalize: str | None = None,
    rtol: float = 1e-9,
    atol: float = 1e-12,
    mask: Any = None,
    zero_weights: str | None = None,
    normalization: str = "per_layer",
    w_max: float | None = None,
    essential: str | None = None,
    drop_zero_length: bool | None = None,
    conventions: str | None = None,
) -> None:
    """Assert that a user's neural persistence value is topotheory's.

    Parameters
    ----------
    user_value : float
        The user's ``NP_p`` of the layer.
    weights : array_like
        The layer ``(m_out, n_in)``.
    p, normalize
        Order of the norm (default 2) and the optional normalisation (``None``,
        ``"rieck_bound"``, ``"rieck_code"``), as in
        :func:`~topotheory.topology.persistence.neural_persistence`.
    rtol, atol : float
        Tolerances.
    mask, zero_weights, normalization, w_max, essential, drop_zero_length, conventions
        As for :func:`assert_same_diagram` (a preset also sets ``p`` and ``normalize`` when
        they are None).

    Raises
    ------
    AssertionError
        With both values, the reference diagram and the likely convention mismatch.

    Examples
    --------
    >>> W = np.array([[1.0, 0.5], [0.25, 1.0]])
    >>> assert_same_neural_persistence(0.5, W)
    >>> try:
    ...     assert_same_neural_persistence(0.5, W, essential="as_zero")
    ... except AssertionError as err:
    ...     print("essential" in str(err))
    True
    """
    __tracebackhide__ = True
    w, conv, more = _diagram_conventions(
        weights,
        rtol,
        atol,
        mask,
        zero_weights,
        normalization,
        w_max,
        essential,
        drop_zero_length,
        conventions,
        p=p,
        normalize=normalize,
    )
    p = 2.0 if more["p"] is None else more["p"]
    normalize = more["normalize"]
    zero_weights, essential = conv["zero_weights"], conv["essential"]
    reference = neural_persistence(w, p=p, normalize=normalize, **conv)
    try:
        value = float(user_value)
    except (TypeError, ValueError):
        raise AssertionError(
            f"neural persistence must be a real number, got {type(user_value).__name__}"
        ) from None
    if np.isclose(value, reference, rtol=rtol, atol=atol):
        return
    diagram = persistence_diagram(w, **conv)
    lines = [
        f"neural persistence mismatch on a {w.shape} layer (p={p:g}, normalize={normalize!r}, "
        f"normalization={normalization!r}, essential={essential!r}, "
        f"zero_weights={zero_weights!r}; rtol={rtol:g}, atol={atol:g}):",
        f"  yours: {value!r}; reference: {reference!r} (difference {value - reference:.3g})",
        f"  reference diagram ({len(diagram)} points, w_max={diagram.w_max:.6g}): "
        + describe_points(diagram.as_array()),
    ]
    hints = np_hints(value, w, conv, p=p, normalize=normalize, rtol=rtol, atol=atol)
    if not np.isfinite(value):
        hints.append(
            "your value is not finite: NP is finite on every layer with a non-zero weight "
            "(a division by a zero or negative maximum?)"
        )
    raise AssertionError("\n".join(lines) + _likely(hints))


def _overlap_with(topk: np.ndarray, forest: np.ndarray) -> int:
    return int(np.intersect1d(topk, forest).size)


def assert_same_topk_overlap(
    user_count: Any,
    weights: Any,
    k: int | None = None,
    *,
    mask: Any = None,
    zero_weights: str = "present",
) -> None:
    """Assert that a user's ``|top-k ∩ MSF|`` is topotheory's.

    Parameters
    ----------
    user_count : int or object with ``.count``
        The user's overlap count.
    weights : array_like
        The layer ``(m_out, n_in)``.
    k : int, optional
        Number of top edges (default: the forest size).
    mask, zero_weights
        Which edges are present.

    Raises
    ------
    AssertionError
        With both counts and, on tied layers, the tie-rule explanation.

    Examples
    --------
    >>> assert_same_topk_overlap(3, np.ones((2, 2)))
    >>> try:
    ...     assert_same_topk_overlap(2, np.ones((2, 2)))
    ... except AssertionError as err:
    ...     print("ties" in str(err))
    True
    """
    __tracebackhide__ = True
    w = as_weight_matrix(weights)
    mask_arr = as_mask(mask, w.shape)
    reference = topk_mst_overlap(w, k, mask=mask_arr, zero_weights=zero_weights)
    count = getattr(user_count, "count", user_count)
    if isinstance(count, (bool, np.bool_)) or not isinstance(count, (int, np.integer)):
        raise AssertionError(
            f"the overlap count must be an int, got {type(count).__name__} {count!r}"
        )
    if int(count) == reference.count:
        return
    k = reference.k
    lines = [
        f"top-k/MST overlap mismatch on a {w.shape} layer (k={k}, zero_weights={zero_weights!r}, "
        f"tie rule for both top-k and the forest: {TIE_RULE}):",
        f"  yours: {int(count)}; reference: {reference.count} of k={k} "
        f"(forest size {reference.mst_size})",
    ]
    hints = []
    if mask_arr is None and hints_enabled():
        mags = np.abs(w)
        flipped = w[::-1, ::-1]
        size = w.size
        asc_forest = maximum_spanning_forest(w, zero_weights=zero_weights).edge_index
        desc_forest = (
            size - 1 - maximum_spanning_forest(flipped, zero_weights=zero_weights).edge_index
        )
        eligible = None if zero_weights == "present" else (w != 0)
        asc_top = topk_indices(w, k, eligible=eligible)
        desc_top = (
            size
            - 1
            - topk_indices(flipped, k, eligible=None if eligible is None else eligible[::-1, ::-1])
        )
        mixed = {
            _overlap_with(desc_top, asc_forest),
            _overlap_with(asc_top, desc_forest),
        }
        tied = np.unique(mags).size < mags.size
        if int(count) in mixed:
            hints.append(
                "your implementation probably breaks ties differently in top-k and in the MST "
                "(one by ascending, the other by descending flat index); use one tie rule, "
                f"{TIE_RULE}, for both"
            )
        elif tied:
            hints.append(
                "the layer has ties in |w|: if your count agrees on tie-free layers, your top-k "
                f"and your MST break ties differently; use one tie rule, {TIE_RULE}, for both"
            )
    if mask_arr is None and hints_enabled():
        hints += _classic_overlap_hints(int(count), w, k, zero_weights)
    other = "absent" if zero_weights == "present" else "present"
    try:
        if topk_mst_overlap(w, k, mask=mask_arr, zero_weights=other).count == int(count):
            hints.append(
                f"your implementation probably treats zero weights as {other} "
                f"(zero_weights={other!r}); the convention here is zero_weights={zero_weights!r}"
            )
    except ValueError:
        pass
    raise AssertionError("\n".join(lines) + _likely(hints))


def _classic_overlap_hints(count: int, w: np.ndarray, k: int, zero_weights: str) -> list[str]:
    """Counts of the classic bugs: signed order (no abs()), a minimum spanning forest."""
    eligible = None if zero_weights == "present" else (w != 0)
    present = np.ones(w.shape, bool) if eligible is None else eligible
    mags = np.abs(w)
    shifted = np.where(present, w - w.min() + 1.0, 0.0)
    inverted = np.where(present, mags.max() + 1.0 - mags, 0.0)
    top = topk_indices(w, k, eligible=eligible)
    signed = _overlap_with(
        topk_indices(shifted, k, eligible=eligible),
        maximum_spanning_forest(shifted, mask=present, zero_weights="present").edge_index,
    )
    minimum = _overlap_with(
        top, maximum_spanning_forest(inverted, mask=present, zero_weights="present").edge_index
    )
    hints = []
    if (w < 0).any() and count == signed:
        hints.append(
            "your implementation probably orders edges by the signed weight w instead of |w| "
            "(a missing abs())"
        )
    if count == minimum:
        hints.append(
            "your implementation probably intersects the top-k with a MINIMUM spanning forest; "
            "the forest must be maximum (largest |w| first)"
        )
    return hints


def prune_keeping_forest(weights: Any, kept: int, *, zero_weights: str = "present") -> np.ndarray:
    """Reference topology-preserving pruning: the forest plus the largest other weights.

    Keeps every maximum-spanning-forest edge, then the remaining edges in tie-rule order
    until exactly ``kept`` weights are kept.

    Parameters
    ----------
    weights : array_like
        The layer ``(m_out, n_in)``.
    kept : int
        Number of weights to keep, at least the forest size.
    zero_weights : {"present", "absent"}
        Convention for zero weights.

    Returns
    -------
    numpy.ndarray
        Boolean mask, True = kept.

    Examples
    --------
    >>> prune_keeping_forest(np.array([[3.0, 1.0], [2.0, 0.5]]), 3).astype(int).tolist()
    [[1, 1], [1, 0]]
    """
    w = as_weight_matrix(weights)
    forest = maximum_spanning_forest(w, zero_weights=zero_weights)
    _check_kept(kept, forest.size, w.size)
    mask = np.zeros(w.size, dtype=bool)
    mask[forest.edge_index] = True
    rest = edge_order(w)
    rest = rest[~mask[rest]][: kept - forest.size]
    mask[rest] = True
    return mask.reshape(w.shape)


def _check_kept(kept: Any, forest_size: int, n_edges: int) -> None:
    if isinstance(kept, bool) or not isinstance(kept, (int, np.integer)):
        raise ValueError(f"kept must be an int, got {type(kept).__name__}")
    if not forest_size <= kept <= n_edges:
        raise ValueError(
            f"kept={kept} must lie in [{forest_size}, {n_edges}]: below the forest size "
            f"{forest_size} no pruning can keep the layer's topology"
        )


def kept_count_message(count: int, kept: int, weights: np.ndarray, who: str) -> str:
    """Explain a wrong kept count (off-by-one, or a threshold that keeps ties).

    Examples
    --------
    >>> kept_count_message(4, 3, np.array([[1.0, 2.0], [3.0, 4.0]]), "prune_fn")
    'prune_fn kept 4 of 4 weights, asked for kept=3 (off by +1) -- an off-by-one in the kept count?'
    """
    hints = []
    if abs(count - kept) == 1:
        hints.append("an off-by-one in the kept count?")
    magnitudes = np.sort(np.abs(weights).ravel())[::-1]
    if 0 < kept <= magnitudes.size:
        tied = int((magnitudes >= magnitudes[kept - 1]).sum())
        if count == tied and count > kept:
            hints.append(
                "a threshold |w| >= t keeps every weight tied with the kept-th largest? Break "
                f"ties by the tie rule ({TIE_RULE}), e.g. with topotheory.topk_indices"
            )
    text = (
        f"{who} kept {count} of {weights.size} weights, asked for kept={kept} "
        f"(off by {count - kept:+d})"
    )
    return text + "".join(f" -- {h}" for h in hints)


def assert_preserves_topology(
    prune_fn: Callable[[np.ndarray, int], Any],
    weights: Any,
    *,
    kept: int,
    zero_weights: str = "present",
    rtol: float = 1e-9,
    atol: float = 1e-12,
) -> None:
    """Assert that a pruning method keeps exactly ``kept`` weights and the layer's topology.

    ``prune_fn(weights, kept)`` must return a boolean mask (True = kept) or the pruned
    weights (kept entries unchanged, the others 0). The pruned layer's persistence diagram
    (pruned weights as zero_weights says) must equal the original's.

    Parameters
    ----------
    prune_fn : callable
        ``prune_fn(weights, kept) -> mask or pruned weights``.
    weights : array_like
        The layer ``(m_out, n_in)``.
    kept : int
        How many weights to keep (at least the forest size).
    zero_weights : {"present", "absent"}
        Convention for zero (pruned) weights.
    rtol, atol : float
        Tolerances of the diagram comparison.

    Raises
    ------
    AssertionError
        On a wrong kept count, a modified input, or a changed diagram (naming the removed
        forest edges).

    Examples
    --------
    >>> W = np.array([[3.0, 1.0], [2.0, 0.5]])
    >>> assert_preserves_topology(prune_keeping_forest, W, kept=3)
    >>> def magnitude(w, kept):  # keeps the top-k weights only
    ...     mask = np.zeros(w.size, bool); mask[np.argsort(-abs(w), axis=None)[:kept]] = True
    ...     return mask.reshape(w.shape)
    >>> try:
    ...     assert_preserves_topology(magnitude, [[3, 2, 0.1], [2.5, 1.5, 0.2]], kept=4)
    ... except AssertionError as err:
    ...     print(str(err).splitlines()[1])
      removed 1 of the 4 forest edges: (i_out=1, j_in=2) [flat 5, |w|=0.2]
    """
    __tracebackhide__ = True
    _check_tolerances(rtol, atol)
    w = as_weight_matrix(weights)
    check_zero_weights(zero_weights)
    forest = maximum_spanning_forest(w, zero_weights=zero_weights)
    _check_kept(kept, forest.size, w.size)
    given = w.copy()
    output = prune_fn(given, kept)
    if not np.array_equal(given, w):
        raise AssertionError("prune_fn modified the weights passed to it in place")
    mask = as_kept_mask(output, w)
    count = int(mask.sum())
    if count != kept:
        raise AssertionError(kept_count_message(count, kept, w, "prune_fn"))
    pruned = np.where(mask, w, 0.0)
    before = persistence_diagram(w, zero_weights=zero_weights)
    after = persistence_diagram(pruned, zero_weights=zero_weights)
    only_after, only_before = _point_diff(after.as_array(), before.as_array(), rtol, atol)
    if only_after.size == 0 and only_before.size == 0:
        return
    removed = forest.edge_index[~mask.ravel()[forest.edge_index]]
    np_before = neural_persistence(w, zero_weights=zero_weights)
    np_after = neural_persistence(pruned, zero_weights=zero_weights)
    lines = [
        f"pruning to kept={kept} changed the topology of a {w.shape} layer "
        f"(zero_weights={zero_weights!r}):",
        f"  removed {removed.size} of the {forest.size} forest edges: "
        + describe_edges(np.sort(removed), w.shape, w),
        "  points lost: " + describe_points(only_before),
        "  points gained: " + describe_points(only_after),
        f"  NP before {np_before:.6g}, after {np_after:.6g}",
        "  a topology-preserving pruning keeps every maximum-spanning-forest edge "
        "(topotheory.maximum_spanning_forest(weights).edge_index)",
    ]
    raise AssertionError("\n".join(lines) + _likely(_pruning_hints(mask, w, kept)))


def _pruning_hints(mask: np.ndarray, w: np.ndarray, kept: int) -> list[str]:
    """Name plain magnitude pruning and its signed variant (a missing abs())."""
    if not hints_enabled():
        return []
    top = np.zeros(w.size, dtype=bool)
    top[topk_indices(w, kept)] = True
    if np.array_equal(mask.ravel(), top):
        return [
            "your pruning keeps the top-k by |w| only (plain magnitude pruning): it must "
            "keep every forest edge first, then the largest other weights"
        ]
    signed = np.zeros(w.size, dtype=bool)
    signed[np.argsort(-w, axis=None, kind="stable")[:kept]] = True
    if (w < 0).any() and np.array_equal(mask.ravel(), signed):
        return ["your pruning ranks by the signed weight w instead of |w| (a missing abs())"]
    return []


class Oracle:
    """The reference functions in one place (the ``topotheory_oracle`` pytest fixture).

    Attributes are topotheory's own implementations (``forest``, ``diagram``,
    ``neural_persistence``, ``topk_overlap``, ``topk_indices``, ``prune_keeping_forest``)
    and the ``assert_*`` oracles of this module.

    Examples
    --------
    >>> oracle = Oracle()
    >>> oracle.forest(np.array([[3.0, 1.0], [2.0, 0.5]])).edge_index.tolist()
    [0, 2, 1]
    >>> oracle.forest_edges(np.array([[3.0, 1.0], [2.0, 0.5]]))
    [0, 1, 2]
    """

    forest = staticmethod(maximum_spanning_forest)
    diagram = staticmethod(persistence_diagram)
    neural_persistence = staticmethod(neural_persistence)
    topk_overlap = staticmethod(topk_mst_overlap)
    topk_indices = staticmethod(topk_indices)
    edge_order = staticmethod(edge_order)
    prune_keeping_forest = staticmethod(prune_keeping_forest)
    assert_same_forest = staticmethod(assert_same_forest)
    assert_same_diagram = staticmethod(assert_same_diagram)
    assert_same_neural_persistence = staticmethod(assert_same_neural_persistence)
    assert_same_topk_overlap = staticmethod(assert_same_topk_overlap)
    assert_preserves_topology = staticmethod(assert_preserves_topology)
    tie_rule = TIE_RULE

    @staticmethod
    def forest_edges(weights: Any, **kwargs: Any) -> list[int]:
        """Sorted flat edge indices of the reference maximum spanning forest."""
        return sorted(maximum_spanning_forest(weights, **kwargs).edge_index.tolist())

    def __repr__(self) -> str:
        return "<topotheory reference oracle>"
