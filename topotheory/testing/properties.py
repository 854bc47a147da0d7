"""Property batteries run by :func:`~topotheory.testing.check.check_implementation`.

One :class:`Property` per claim: a hypothesis strategy of input cases (dicts holding
``weights`` and, where needed, ``k`` or ``kept``), a few fixed small examples that always
run (ties, zeros, disconnected layers: where convention bugs show), and a check that raises
``AssertionError`` with an explanation. :data:`DENSE_BATTERIES` maps each dense-layer kind
to the function returning its properties (see :mod:`~topotheory.testing.batteries`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st

from topotheory.testing._core import DISTINCT, TIED, Options, Property, call, show, signs
from topotheory.testing._format import as_flat_edges, as_kept_mask, as_points, describe_edges
from topotheory.testing.oracles import (
    _point_diff,
    assert_preserves_topology,
    assert_same_diagram,
    assert_same_forest,
    assert_same_neural_persistence,
    assert_same_topk_overlap,
    kept_count_message,
)
from topotheory.testing.strategies import weight_matrices
from topotheory.topology.forest import maximum_spanning_forest
from topotheory.topology.persistence import layer_magnitude_range

_MAX_SIDE = 6
_SCALES = (0.125, 3.0, 1024.0)


# -- inputs ---------------------------------------------------------------------------------

_TIED_EXAMPLES = (
    np.ones((2, 2)),
    np.ones((2, 3)),
    np.array([[1.0, 0.0], [0.0, 1.0]]),  # disconnected without its zero edges
    np.array([[2.0, -2.0, 0.0], [0.0, 0.0, 1.0]]),
    np.array([[1.0, -2.0], [0.5, 0.25]]),  # largest |w| is negative
    np.array([[1.0, 1.0, 0.5], [0.5, 1.0, 1.0]]),
    np.array([[2.0, 1.0]]),  # NP 0.5 with Rieck bound 0.5 * sqrt(2): (1, 0) would break it
)
# The top-4 weights close a cycle, so magnitude pruning to 4 weights drops forest edge 5.
_TOPK_NOT_FOREST = np.array([[3.0, 2.0, 0.1], [2.5, 1.5, 0.2]])


def _nonzero(w: np.ndarray) -> bool:
    return bool(np.any(w != 0))


def _layers(kinds: tuple[str, ...], allow_zeros: bool = True) -> st.SearchStrategy:
    return weight_matrices(
        max_rows=_MAX_SIDE, max_cols=_MAX_SIDE, kinds=kinds, allow_zeros=allow_zeros
    ).filter(_nonzero)


def _weights_cases(kinds: tuple[str, ...], allow_zeros: bool = True) -> st.SearchStrategy:
    return st.builds(lambda w: {"weights": w}, _layers(kinds, allow_zeros))


def _n_present(w: np.ndarray, zero_weights: str) -> int:
    return int(w.size if zero_weights == "present" else np.count_nonzero(w))


def _k_cases(kinds: tuple[str, ...], zero_weights: str) -> st.SearchStrategy:
    @st.composite
    def build(draw: Any) -> dict:
        w = draw(_layers(kinds))
        return {"weights": w, "k": draw(st.integers(0, _n_present(w, zero_weights)))}

    return build()


def _kept_cases(kinds: tuple[str, ...], opts: Options) -> st.SearchStrategy:
    @st.composite
    def build(draw: Any) -> dict:
        w = draw(_layers(kinds, allow_zeros=False))
        low = _forest_size(w, opts.zero_weights) if opts.preserves_topology else 0
        return {"weights": w, "kept": draw(st.integers(low, w.size))}

    return build()


def _forest_size(w: np.ndarray, zero_weights: str) -> int:
    return maximum_spanning_forest(w, zero_weights=zero_weights).size


def _check_forest(fn: Callable, case: dict, opts: Options) -> None:
    assert_same_forest(
        call(fn, case["weights"]),
        case["weights"],
        zero_weights=opts.zero_weights,
        tie_rule=opts.tie_rule,
        edge_format=opts.edge_format,
    )


def _forest_of(fn: Callable, w: np.ndarray, opts: Options) -> np.ndarray:
    return as_flat_edges(call(fn, w), w.shape, edge_format=opts.edge_format)


def _forest_invariant(
    transform: Callable[[np.ndarray, np.ndarray, Options], np.ndarray],
    what: str,
    must_keep: Callable[[np.ndarray, np.ndarray], np.ndarray],
) -> Callable[[Callable, dict, Options], None]:
    """A check: after ``transform(w, user_forest)``, the user's new forest has the same weights
    (on the changed layer) and keeps ``must_keep(before, w)``; with a tie rule: is unchanged.

    Whether either forest is a maximum one is the ``matches_oracle*`` properties' job."""

    def check(fn: Callable, case: dict, opts: Options) -> None:
        w = case["weights"]
        before = _forest_of(fn, w, opts)
        changed = transform(w, before, opts)
        after = _forest_of(fn, changed, opts)
        problem = None
        if opts.tie_rule is not None:
            if not np.array_equal(before, after):
                problem = "the edge set changed"
        else:
            mags = np.abs(changed).ravel()
            lost = np.setdiff1d(must_keep(before, w), after)
            if before.size != after.size or not np.allclose(
                np.sort(mags[before]), np.sort(mags[after])
            ):
                problem = "the multiset of forest weights changed"
            elif lost.size:
                problem = f"it lost {describe_edges(lost, w.shape, w)}"
        if problem is not None:
            raise AssertionError(
                f"{what} changed your forest (it must not): {problem}\n"
                f"  only before: {describe_edges(np.setdiff1d(before, after), w.shape, w)}\n"
                f"  only after: {describe_edges(np.setdiff1d(after, before), w.shape, w)}\n"
                f"  transformed weights: {show(changed)}"
            )

    return check


def _keep_user_forest(w: np.ndarray, forest: np.ndarray, opts: Options) -> np.ndarray:
    """``w`` with every edge outside the USER's forest set to 0."""
    keep = np.zeros(w.size, dtype=bool)
    keep[forest] = True
    return np.where(keep.reshape(w.shape), w, 0.0)


def _nonzero_edges(forest: np.ndarray, w: np.ndarray) -> np.ndarray:
    return forest[w.ravel()[forest] != 0]


def _no_edges(forest: np.ndarray, w: np.ndarray) -> np.ndarray:
    return forest[:0]


# -- diagrams and NP ------------------------------------------------------------------------


def _conv(opts: Options) -> dict:
    return dict(
        zero_weights=opts.zero_weights,
        essential=opts.essential,
        drop_zero_length=opts.drop_zero_length,
    )


def _check_diagram(fn: Callable, case: dict, opts: Options) -> None:
    assert_same_diagram(
        call(fn, case["weights"]), case["weights"], rtol=opts.rtol, atol=opts.atol, **_conv(opts)
    )


def _check_unit_square(fn: Callable, case: dict, opts: Options) -> None:
    points = as_points(call(fn, case["weights"]))
    tol = 1e-9
    bad = (np.abs(points[:, 0] - 1.0) > tol) | (points[:, 1] < -tol) | (points[:, 1] > 1.0 + tol)
    if bad.any():
        raise AssertionError(
            f"point {tuple(points[bad][0].tolist())} lies outside {{1}} x [0, 1]: under per-layer "
            "normalisation every point is (1, w') with w' = |w| / max|w| in [0, 1] (deaths > 1 "
            "mean a maximum smaller than max|w|, e.g. max(w) without abs(); births != 1 mean "
            "another filtration convention)"
        )


def _output_invariant(
    transform: Callable[[np.ndarray, Options], Any],
    what: str,
    read: Callable[[Any, np.ndarray], Any],
    difference: Callable[[Any, Any, Options], str | None],
) -> Callable[[Callable, dict, Options], None]:
    """A check: ``fn`` gives the same output (``difference`` is None) on transformed weights."""

    def check(fn: Callable, case: dict, opts: Options) -> None:
        w = case["weights"]
        before = read(call(fn, w), w)
        for changed in _variants(transform(w, opts)):
            diff = difference(before, read(call(fn, changed), changed), opts)
            if diff is not None:
                raise AssertionError(
                    f"{what} changed your {diff} (it must not)\n"
                    f"  transformed weights: {show(changed)}"
                )

    return check


def _diagram_difference(before: np.ndarray, after: np.ndarray, opts: Options) -> str | None:
    only_after, only_before = _point_diff(after, before, max(opts.rtol, 1e-9), opts.atol)
    if only_after.size or only_before.size:
        return (
            f"diagram:\n  points only before: {only_before.tolist()}\n"
            f"  points only after: {only_after.tolist()}"
        )
    return None


def _check_diagram_invariant(
    transform: Callable[[np.ndarray, Options], Any], what: str
) -> Callable[[Callable, dict, Options], None]:
    return _output_invariant(transform, what, lambda out, w: as_points(out), _diagram_difference)


def _check_np(fn: Callable, case: dict, opts: Options) -> None:
    assert_same_neural_persistence(
        call(fn, case["weights"]),
        case["weights"],
        p=opts.p,
        normalize=opts.normalize,
        rtol=opts.rtol,
        atol=opts.atol,
        **_conv(opts),
    )


def _np_bound(w: np.ndarray, opts: Options) -> float:
    top, bottom = layer_magnitude_range(w, zero_weights=opts.zero_weights)
    n_vertices = sum(w.shape)
    spread = (top - bottom) / top
    bound = spread * (n_vertices - 1) ** (1.0 / opts.p) if not np.isinf(opts.p) else spread
    if opts.normalize == "rieck_bound":
        return 1.0
    if opts.normalize == "rieck_code":
        return bound / np.sqrt(n_vertices - 1) if n_vertices > 1 else 0.0
    return bound


def _check_rieck_bound(fn: Callable, case: dict, opts: Options) -> None:
    w = case["weights"]
    value = _finite(call(fn, w), w)
    bound = _np_bound(w, opts)
    if not -1e-12 <= value <= bound * (1 + 1e-9) + 1e-12:
        raise AssertionError(
            f"NP = {value!r} violates Rieck's Theorem 1, 0 <= NP <= (max w' - min w')"
            f"(|V| - 1)^(1/p) = {bound!r} (p={opts.p:g}, normalize={opts.normalize!r}, "
            f"|V| = {sum(w.shape)}); an essential class counted as a point, a missing "
            "normalisation or a wrong maximum breaks it"
        )


def _np_difference(before: float, after: float, opts: Options) -> str | None:
    if np.isclose(before, after, rtol=max(opts.rtol, 1e-9), atol=opts.atol):
        return None
    return f"NP from {before!r} to {after!r}"


def _check_np_invariant(
    transform: Callable[[np.ndarray, Options], Any], what: str
) -> Callable[[Callable, dict, Options], None]:
    return _output_invariant(transform, what, _finite, _np_difference)


def _finite(value: Any, w: np.ndarray) -> float:
    value = float(value)
    if not np.isfinite(value):
        raise AssertionError(
            f"your NP is {value!r} on the weights {show(w)}; NP is finite on every layer with "
            "a non-zero weight (a division by a zero or negative maximum?)"
        )
    return value


def _variants(changed: Any) -> list[np.ndarray]:
    return list(changed) if isinstance(changed, list) else [changed]


def _sign_flips(w: np.ndarray, opts: Options) -> list[np.ndarray]:
    """A random sign pattern and the full negation (which moves the signed maximum)."""
    return [signs(w), -w]


def _scaled(w: np.ndarray, opts: Options) -> np.ndarray:
    return w * _SCALES[w.size % len(_SCALES)]


def _permuted(w: np.ndarray, opts: Options) -> np.ndarray:
    rng = np.random.default_rng(w.size)
    return w[rng.permutation(w.shape[0])][:, rng.permutation(w.shape[1])]


# -- top-k overlap --------------------------------------------------------------------------


def _count(fn: Callable, w: np.ndarray, k: int) -> int:
    out = call(fn, w, k)
    count = getattr(out, "count", out)
    if isinstance(count, (bool, np.bool_)) or not isinstance(count, (int, np.integer)):
        raise AssertionError(f"the overlap count must be an int, got {type(count).__name__}")
    return int(count)


def _check_overlap(fn: Callable, case: dict, opts: Options) -> None:
    w, k = case["weights"], case["k"]
    assert_same_topk_overlap(_count(fn, w, k), w, k, zero_weights=opts.zero_weights)


def _check_overlap_bounds(fn: Callable, case: dict, opts: Options) -> None:
    w, k = case["weights"], case["k"]
    count = _count(fn, w, k)
    size = _forest_size(w, opts.zero_weights)
    if not 0 <= count <= min(k, size):
        raise AssertionError(
            f"count {count} outside [0, min(k, forest size)] = [0, {min(k, size)}] (k={k})"
        )


def _check_overlap_monotone(fn: Callable, case: dict, opts: Options) -> None:
    w, k = case["weights"], case["k"]
    if k >= _n_present(w, opts.zero_weights):
        k -= 1
    if k < 0:
        return
    low, high = _count(fn, w, k), _count(fn, w, k + 1)
    if not low <= high <= low + 1:
        raise AssertionError(
            f"count(k={k}) = {low} but count(k={k + 1}) = {high}: adding the next edge in "
            "tie-rule order can raise |top-k ∩ MSF| by at most one and never lower it (Kruskal "
            "keeps an edge exactly when it joins two components)"
        )


def _check_overlap_scale(fn: Callable, case: dict, opts: Options) -> None:
    w, k = case["weights"], case["k"]
    before = _count(fn, w, k)
    changed = signs(_scaled(w, opts))
    after = _count(fn, changed, k)
    if before != after:
        raise AssertionError(
            f"scaling by a positive constant and flipping signs changed your count from {before} "
            f"to {after} (k={k}); the overlap depends on |w| order only\n"
            f"  transformed weights: {show(changed)}"
        )


# -- pruning --------------------------------------------------------------------------------


def _check_kept_count(fn: Callable, case: dict, opts: Options) -> None:
    w, kept = case["weights"], case["kept"]
    mask = as_kept_mask(call(fn, w, kept), w)
    count = int(mask.sum())
    if count != kept:
        raise AssertionError(kept_count_message(count, kept, w, "your pruning"))


def _check_valid_output(fn: Callable, case: dict, opts: Options) -> None:
    w, kept = case["weights"], case["kept"]
    given = w.copy()
    first = call(fn, given, kept, copy=False)
    if not np.array_equal(given, w):
        raise AssertionError("your pruning modified the weights passed to it in place")
    mask = as_kept_mask(first, w)
    again = as_kept_mask(call(fn, w, kept), w)
    if not np.array_equal(mask, again):
        raise AssertionError("your pruning is not deterministic: two calls kept different weights")


def _check_preserves(fn: Callable, case: dict, opts: Options) -> None:
    assert_preserves_topology(
        lambda weights, kept: call(fn, weights, kept),
        case["weights"],
        kept=case["kept"],
        zero_weights=opts.zero_weights,
        rtol=max(opts.rtol, 1e-9),
        atol=opts.atol,
    )


# -- batteries ------------------------------------------------------------------------------


def _examples(extra: Callable[[np.ndarray], dict | None] | None = None) -> tuple[dict, ...]:
    out = []
    for w in _TIED_EXAMPLES:
        case = {"weights": w} if extra is None else extra(w)
        if case is not None:
            out.append(case)
    return tuple(out)


def _remove_non_forest(w: np.ndarray, opts: Options) -> np.ndarray:
    """``w`` with every edge outside the reference forest set to 0 (the diagram is the same
    for every maximum forest, so any one will do)."""
    keep = np.zeros(w.size, dtype=bool)
    keep[maximum_spanning_forest(w, zero_weights=opts.zero_weights).edge_index] = True
    return np.where(keep.reshape(w.shape), w, 0.0)


def _scale_and_sign(w: np.ndarray, *args: Any) -> np.ndarray:
    return signs(_scaled(w, args[-1]))


_NON_FOREST = "zeroing every weight outside the maximum spanning forest"


def _mst_battery(opts: Options) -> tuple[Property, ...]:
    distinct, tied, examples = _weights_cases(DISTINCT), _weights_cases(TIED), _examples()
    exact = opts.tie_rule is not None
    return (
        Property(
            "matches_oracle",
            "a maximum spanning forest on tie-free layers (there it is unique)",
            distinct,
            _check_forest,
        ),
        Property(
            "matches_oracle_on_ties",
            (
                f"the forest of tie rule {opts.tie_rule!r} on tied / zero / dead-unit layers"
                if exact
                else "a maximum spanning forest on tied / zero / dead-unit layers (spanning, "
                "acyclic, maximum total |w|, any tie rule; zero_weights convention)"
            ),
            tied,
            _check_forest,
            examples,
        ),
        Property(
            "invariant_under_non_forest_removal",
            "zeroing every edge outside your forest keeps its non-zero edges",
            st.one_of(distinct, tied),
            _forest_invariant(_keep_user_forest, _NON_FOREST, _nonzero_edges),
            examples,
        ),
        Property(
            "scale_and_sign_invariance",
            "scaling by c > 0 and flipping signs gives a maximum forest of the same |w| order",
            st.one_of(distinct, tied),
            _forest_invariant(_scale_and_sign, "scaling and flipping signs", _no_edges),
            examples,
        ),
    )


def _diagram_battery(opts: Options) -> tuple[Property, ...]:
    distinct, tied, examples = _weights_cases(DISTINCT), _weights_cases(TIED), _examples()
    return (
        Property(
            "matches_oracle",
            "same diagram as topotheory on tie-free layers",
            distinct,
            _check_diagram,
        ),
        Property(
            "matches_oracle_on_ties",
            "same diagram on tied / zero / dead-unit layers",
            tied,
            _check_diagram,
            examples,
        ),
        Property(
            "points_in_unit_square",
            "every point is (1, w') with 0 <= w' <= 1 (per-layer normalisation)",
            st.one_of(distinct, tied),
            _check_unit_square,
            examples,
        ),
        Property(
            "invariant_under_non_forest_removal",
            "removing non-forest edges leaves the diagram unchanged",
            st.one_of(distinct, tied),
            _check_diagram_invariant(_remove_non_forest, _NON_FOREST),
            examples,
        ),
        Property(
            "scale_invariance",
            "scaling by c > 0 leaves the diagram unchanged",
            st.one_of(distinct, tied),
            _check_diagram_invariant(_scaled, "scaling by a positive constant"),
        ),
        Property(
            "sign_invariance",
            "flipping signs leaves the diagram unchanged",
            st.one_of(distinct, tied),
            _check_diagram_invariant(_sign_flips, "flipping signs"),
            examples,
        ),
        Property(
            "transpose_invariance",
            "the transposed layer has the same diagram",
            st.one_of(distinct, tied),
            _check_diagram_invariant(lambda w, o: w.T.copy(), "transposing"),
        ),
    )


def _neural_persistence_battery(opts: Options) -> tuple[Property, ...]:
    distinct, tied, examples = _weights_cases(DISTINCT), _weights_cases(TIED), _examples()
    bounded = opts.essential == "drop"
    props = [
        Property("matches_oracle", "same NP as topotheory on tie-free layers", distinct, _check_np),
        Property(
            "matches_oracle_on_ties",
            "same NP on tied / zero / dead-unit layers",
            tied,
            _check_np,
            examples,
        ),
    ]
    if bounded:
        cases = st.one_of(distinct, tied)
        if opts.normalize == "rieck_bound":
            cases = cases.filter(lambda c: _spread(c["weights"], opts) > 0)
        props.append(
            Property(
                "rieck_bound",
                "0 <= NP <= (max w' - min w')(|V| - 1)^(1/p) (Rieck, "
                "Theorem 1; per-layer normalisation)",
                cases,
                _check_rieck_bound,
                tuple(e for e in examples if _spread(e["weights"], opts) > 0),
            )
        )
    if opts.normalize != "rieck_bound":  # the bound's min |w| changes with the edges
        props.append(
            Property(
                "invariant_under_non_forest_removal",
                "removing non-forest edges leaves NP unchanged",
                st.one_of(distinct, tied),
                _check_np_invariant(_remove_non_forest, _NON_FOREST),
                examples,
            )
        )
    props += [
        Property(
            "scale_invariance",
            "scaling by c > 0 leaves NP unchanged",
            st.one_of(distinct, tied),
            _check_np_invariant(_scaled, "scaling by a positive constant"),
        ),
        Property(
            "sign_invariance",
            "flipping signs leaves NP unchanged",
            st.one_of(distinct, tied),
            _check_np_invariant(_sign_flips, "flipping signs"),
            examples,
        ),
        Property(
            "permutation_invariance",
            "permuting inputs and outputs leaves NP unchanged",
            st.one_of(distinct, tied),
            _check_np_invariant(_permuted, "permuting rows and columns"),
        ),
    ]
    if opts.normalize == "rieck_bound":
        props = [p if p.name == "rieck_bound" else _restrict(p, opts) for p in props]
    return tuple(props)


def _topk_overlap_battery(opts: Options) -> tuple[Property, ...]:
    distinct_k = _k_cases(DISTINCT, opts.zero_weights)
    tied_k = _k_cases(TIED, opts.zero_weights)
    k_examples = _examples(
        lambda w: {"weights": w, "k": min(sum(w.shape) - 1, _n_present(w, opts.zero_weights))}
    )
    return (
        Property(
            "matches_oracle",
            "same |top-k ∩ MSF| as topotheory on tie-free layers",
            distinct_k,
            _check_overlap,
        ),
        Property(
            "tie_rule_consistency",
            "same count on tied layers: top-k and the MST use one tie rule",
            tied_k,
            _check_overlap,
            k_examples,
        ),
        Property(
            "count_bounds",
            "0 <= count <= min(k, forest size)",
            st.one_of(distinct_k, tied_k),
            _check_overlap_bounds,
            k_examples,
        ),
        Property(
            "monotone_in_k",
            "count(k) <= count(k + 1) <= count(k) + 1",
            st.one_of(distinct_k, tied_k),
            _check_overlap_monotone,
            k_examples,
        ),
        Property(
            "scale_and_sign_invariance",
            "scaling by c > 0 and flipping signs leaves the count unchanged",
            st.one_of(distinct_k, tied_k),
            _check_overlap_scale,
        ),
    )


def _pruning_battery(opts: Options) -> tuple[Property, ...]:
    cases = st.one_of(_kept_cases(DISTINCT, opts), _kept_cases(TIED, opts))
    kept_examples = tuple(
        {"weights": w, "kept": kept}
        for w in (*_TIED_EXAMPLES, _TOPK_NOT_FOREST)
        if (w != 0).all()
        for kept in sorted({_forest_size(w, opts.zero_weights), w.size})
    )
    props = [
        Property(
            "exact_kept_count",
            "exactly `kept` weights are kept (ties included)",
            cases,
            _check_kept_count,
            kept_examples,
        ),
        Property(
            "valid_output",
            "a mask or pruned weights of the layer's shape, kept "
            "weights unchanged, input not modified, deterministic",
            cases,
            _check_valid_output,
        ),
    ]
    if opts.preserves_topology:
        props.append(
            Property(
                "preserves_topology",
                "for kept >= forest size the pruned layer has "
                "the original diagram (every forest edge kept)",
                cases,
                _check_preserves,
                kept_examples,
            )
        )
    return tuple(props)


#: The battery of each dense-layer kind (the structured kinds are in structured_properties).
DENSE_BATTERIES: dict[str, Callable[[Options], tuple[Property, ...]]] = {
    "mst": _mst_battery,
    "diagram": _diagram_battery,
    "neural_persistence": _neural_persistence_battery,
    "topk_overlap": _topk_overlap_battery,
    "pruning": _pruning_battery,
}


def _spread(w: np.ndarray, opts: Options) -> float:
    try:
        top, bottom = layer_magnitude_range(w, zero_weights=opts.zero_weights)
    except ValueError:
        return 0.0
    return top - bottom


def _restrict(prop: Property, opts: Options) -> Property:
    """Keep only layers where ``normalize="rieck_bound"`` is defined (max|w| > min|w|)."""
    return Property(
        prop.name,
        prop.description,
        prop.strategy.filter(lambda c: _spread(c["weights"], opts) > 0),
        prop.check,
        tuple(e for e in prop.examples if _spread(e["weights"], opts) > 0),
    )
