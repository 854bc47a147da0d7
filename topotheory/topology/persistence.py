"""Neural persistence (Rieck et al. 2019) of layers and networks.

``NP_p(G) = (sum over diagram points of (birth - death)^p)^(1/p)``, ``p = 2`` by default.
Normalised NP divides by Rieck's Theorem 1 bound ``(max w' - min w') (|V| - 1)^(1/p)``
(``normalize="rieck_bound"``) or by Rieck's code's ``sqrt(n + m - 1)``
(``normalize="rieck_code"``). Total NP of a network is the sum over layers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from topotheory.errors import InputError
from topotheory.result import Result
from topotheory.topology._validation import (
    as_mask,
    as_real_array,
    as_weight_matrix,
    check_zero_weights,
)
from topotheory.topology.conv import ConvToeplitzGraph
from topotheory.topology.diagram import _check_p, diagram_from_forest, resolve_conventions
from topotheory.topology.forest import (
    SpanningForest,
    dense_prim_norm_parts,
    maximum_spanning_forest,
    prefer_prim,
)
from topotheory.topology.graphs import EdgeListGraph

NORMALIZE = (None, "rieck_bound", "rieck_code")


def layer_magnitude_range(
    graph: Any, *, mask: Any = None, zero_weights: str = "present"
) -> tuple[float, float]:
    """``(max |w|, min |w|)`` over the present edges of a layer.

    Examples
    --------
    >>> layer_magnitude_range(np.array([[3.0, -1.0], [0.0, 2.0]]))
    (3.0, 0.0)
    >>> layer_magnitude_range(np.array([[3.0, -1.0], [0.0, 2.0]]), zero_weights="absent")
    (3.0, 1.0)
    """
    if isinstance(graph, ConvToeplitzGraph):
        mags = np.abs(graph.weight.ravel()).astype(np.float64)
    elif isinstance(graph, EdgeListGraph):
        mags = np.abs(graph.weights)
    elif hasattr(graph, "tocoo"):
        mags = np.abs(graph.tocoo().data.astype(np.float64))
    else:
        w = as_weight_matrix(graph)
        m = as_mask(mask, w.shape)
        mags = np.abs(w if m is None else w[m]).ravel().astype(np.float64)
    if zero_weights == "absent":
        mags = mags[mags != 0]
    if mags.size == 0:
        raise ValueError("the layer has no present edge")
    return float(mags.max()), float(mags.min())


def np_normalizer(
    graph: Any,
    n_nodes: int,
    p: float,
    normalize: str | None,
    *,
    w_max: float | None = None,
    mask: Any = None,
    zero_weights: str = "present",
) -> float:
    """What NP is divided by under ``normalize``.

    ``None``: 1; ``"rieck_code"``: ``sqrt(|V| - 1)`` (``inf`` for ``|V| <= 1``, so NP is 0);
    ``"rieck_bound"``: Rieck's Theorem 1 bound ``(max w' - min w') (|V| - 1)^(1/p)`` with
    ``w' = |w| / w_max`` (default ``w_max``: the layer's largest present ``|w|``).

    Examples
    --------
    >>> W = np.array([[3.0, 1.0], [2.0, 0.5]])
    >>> bool(np_normalizer(W, 4, 2.0, "rieck_code") == np.sqrt(3))
    True
    >>> round(np_normalizer(W, 4, 2.0, "rieck_bound"), 6)  # (1 - 1/6) * sqrt(3)
    1.443376
    """
    if normalize == "rieck_code":
        return float(np.sqrt(n_nodes - 1)) if n_nodes > 1 else float("inf")
    if normalize == "rieck_bound":
        top, bottom = layer_magnitude_range(graph, mask=mask, zero_weights=zero_weights)
        spread = (top - bottom) / (top if w_max is None else w_max)
        return spread * _root(n_nodes - 1, p) if not np.isinf(p) else spread
    return 1.0


def _n_nodes(graph: Any, forest: SpanningForest) -> int:
    return forest.n_nodes


def neural_persistence(
    graph: Any,
    *,
    p: float = 2.0,
    normalization: str = "per_layer",
    w_max: float | None = None,
    normalize: str | None = None,
    mask: Any = None,
    zero_weights: str = "present",
    essential: str | None = None,
    drop_zero_length: bool | None = None,
) -> float:
    """Neural persistence ``NP_p`` of one layer.

    Parameters
    ----------
    graph : array_like, torch.Tensor, scipy.sparse matrix, ConvToeplitzGraph or EdgeListGraph
        The layer; dense weights in torch layout ``(m_out, n_in)``. A torch tensor (e.g.
        ``layer.weight``) is read detached, on the CPU; float16/bfloat16 as float32.
    p : float
        Order of the norm (``p = 2`` default).
    normalization : {"per_layer", "per_network", "rieck"}
        See :func:`~topotheory.topology.diagram.persistence_diagram`.
    w_max : float, optional
        Network-wide maximum (required unless ``per_layer``).
    normalize : {None, "rieck_bound", "rieck_code"}
        Divide by Rieck's Theorem 1 bound or by ``sqrt(|V| - 1)`` as Rieck's code does.
    mask, zero_weights, essential, drop_zero_length
        As for :func:`~topotheory.topology.diagram.persistence_diagram`.

    Returns
    -------
    float

    Examples
    --------
    >>> W = np.array([[1.0, 0.5], [0.25, 1.0]])
    >>> round(neural_persistence(W), 6)  # points (1,1), (1,1), (1,0.5)
    0.5
    >>> round(neural_persistence(W, normalize="rieck_bound"), 6)  # 0.5 / (0.75 * sqrt(3))
    0.3849
    """
    _check_p(p)
    if normalize not in NORMALIZE:
        raise ValueError(f"normalize={normalize!r}: choose one of {NORMALIZE}")
    essential, drop = resolve_conventions(normalization, w_max, essential, drop_zero_length)
    if (
        type(graph) is np.ndarray
        and (p == 2.0 or p == 1.0)
        and normalization == "per_layer"
        and normalize != "rieck_bound"
        and essential == "drop"
        and not drop
    ):
        value = _small_dense_layer_np(graph, p, mask, zero_weights)
        if value is not None:
            if normalize == "rieck_code":
                return value / np_normalizer(graph, graph.shape[0] + graph.shape[1], p, normalize)
            return value
    forest = maximum_spanning_forest(graph, mask=mask, zero_weights=zero_weights)
    diagram = diagram_from_forest(
        forest,
        normalization=normalization,
        w_max=w_max,
        essential=essential,
        drop_zero_length=drop_zero_length,
    )
    if diagram.deaths.size and diagram.deaths.max() > 1.0:
        # w' = |w| / w_max above 1 gives negative persistences (birth 1 < death).
        raise InputError(
            f"is smaller than this layer's largest |w| ({float(forest.weights[0])!r}), which "
            "would give negative persistences",
            argument="w_max", value=w_max,
            fix="pass the largest |w| over all layers of the network (at least this layer's)",
        )
    value = diagram.p_norm(p)
    bound = np_normalizer(
        graph,
        _n_nodes(graph, forest),
        p,
        normalize,
        w_max=diagram.w_max,
        mask=mask,
        zero_weights=zero_weights,
    )
    if bound == 0:  # only Rieck's bound can be 0
        if value == 0:
            return 0.0
        raise ValueError(
            "Rieck's bound is 0 (all |w| equal) but NP is not: normalised NP is undefined "
            "under this normalisation"
        )
    return value / bound


def _small_dense_layer_np(graph: np.ndarray, p: float, mask: Any, zero_weights: str) -> float | None:
    """NP of a dense layer small enough for Prim, under the paper's conventions (per-layer
    ``w_max``, essential classes dropped, ``p`` 1 or 2), in one kernel call: the same
    forest, the same diagram values and the same operations in the same order as
    :func:`diagram_from_forest` and :meth:`PersistenceDiagram.p_norm`, so the same float.
    ``None`` sends the call to the general path (large layers; an all-zero layer, whose
    error that path raises).
    """
    check_zero_weights(zero_weights)
    w = as_weight_matrix(graph, check_finite=False)  # the kernel's pass checks finiteness
    if not prefer_prim(*w.shape):
        return None
    points, w_max, top, total = dense_prim_norm_parts(
        w, as_mask(mask, w.shape), zero_weights == "absent", float(p)
    )
    if points == 0 or w_max == 0.0:
        return None
    return 0.0 if top == 0.0 else float(top * total ** (1.0 / p))


def _root(count: int, p: float) -> float:
    """``count ** (1/p)``, refusing ``p`` so small that it overflows float64."""
    try:
        return float(count) ** (1.0 / p)
    except OverflowError:
        raise InputError(
            f"(|V| - 1)^(1/p) = {count}^(1/{p}) is beyond the float64 range",
            argument="p", value=p, fix="use a larger p (p=1 or p=2, the paper's default)",
        ) from None


@dataclass(frozen=True, repr=False)
class NetworkPersistence(Result):
    """Neural persistence of every layer of a network and their totals.

    Attributes
    ----------
    total : float
        Sum of the per-layer NP.
    per_layer : tuple of float
        NP of each layer.
    normalized_per_layer : tuple of float
        NP of each layer divided by ``sqrt(|V_l| - 1)`` (Rieck's code) or the Theorem 1
        bound, per ``normalize``.
    mean_normalized : float
        Mean of ``normalized_per_layer`` (Rieck's code's network-level normalised value).
    w_max : float or None
        The network-wide maximum used (``None`` for per-layer normalisation).
    """

    total: float
    per_layer: tuple[float, ...]
    normalized_per_layer: tuple[float, ...]
    mean_normalized: float
    w_max: float | None

    def _columns(self) -> dict[str, list]:
        """One row per layer (in network order)."""
        return {"layer": list(range(len(self.per_layer))), "np": list(self.per_layer),
                "normalized": list(self.normalized_per_layer)}


def network_neural_persistence(
    layers: Sequence[Any],
    *,
    p: float = 2.0,
    normalization: str = "per_layer",
    biases: Sequence[Any] | None = None,
    normalize: str = "rieck_code",
    zero_weights: str = "present",
) -> NetworkPersistence:
    """Neural persistence of every layer of a network, and the total.

    Parameters
    ----------
    layers : sequence
        Dense weights ``(m_out, n_in)`` or graph objects, in network order.
    p : float
        Order of the norm.
    normalization : {"per_layer", "per_network", "rieck"}
        ``per_layer`` (paper), ``per_network`` (one maximum over all layers) or ``rieck``
        (Rieck's code: per-network maximum, essential class kept as ``(1, 0)``, zero-length
        points dropped).
    biases : sequence of array_like, optional
        One bias vector per dense layer, appended as an extra input node (Rieck's option);
        the biases then also enter the network-wide maximum.
    normalize : {"rieck_code", "rieck_bound"}
        How ``normalized_per_layer`` is formed.
    zero_weights : {"present", "absent"}
        See :func:`~topotheory.topology.forest.maximum_spanning_forest`.

    Returns
    -------
    NetworkPersistence

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> layers = [rng.normal(size=(5, 8)), rng.normal(size=(3, 5))]
    >>> res = network_neural_persistence(layers, normalization="rieck")
    >>> len(res.per_layer), res.total == sum(res.per_layer)
    (2, True)
    """
    if normalize not in ("rieck_code", "rieck_bound"):
        raise ValueError(f"normalize={normalize!r}: choose 'rieck_code' or 'rieck_bound'")
    items = list(layers)
    if not items:
        raise ValueError("layers is empty; pass at least one layer")
    items = [
        layer
        if isinstance(layer, (ConvToeplitzGraph, EdgeListGraph)) or hasattr(layer, "tocoo")
        else as_weight_matrix(layer, f"layers[{index}]")
        for index, layer in enumerate(items)
    ]
    if biases is not None:
        biases = list(biases)
        if len(biases) != len(items):
            raise ValueError(f"biases has {len(biases)} entries for {len(items)} layers")
        merged = []
        for index, (layer, bias) in enumerate(zip(items, biases, strict=True)):
            w = as_weight_matrix(layer, f"layers[{index}]")
            b = as_real_array(bias, f"biases[{index}]").ravel()
            if b.size != w.shape[0]:
                raise ValueError(f"biases[{index}] has {b.size} entries for {w.shape[0]} outputs")
            merged.append(np.column_stack([w, b]))
        items = merged
    w_max = None
    if normalization != "per_layer":
        w_max = max(layer_magnitude_range(layer, zero_weights=zero_weights)[0] for layer in items)
    values = []
    normalized = []
    for layer in items:
        values.append(
            neural_persistence(
                layer, p=p, normalization=normalization, w_max=w_max, zero_weights=zero_weights
            )
        )
        normalized.append(
            neural_persistence(
                layer,
                p=p,
                normalization=normalization,
                w_max=w_max,
                zero_weights=zero_weights,
                normalize=normalize,
            )
        )
    return NetworkPersistence(
        total=float(sum(values)),
        per_layer=tuple(values),
        normalized_per_layer=tuple(normalized),
        mean_normalized=float(np.mean(normalized)),
        w_max=w_max,
    )
