"""How much of each layer's dense MST a pruning mask kept: the audit's per-layer result.

When the audited checkpoint carries masks (``torch.nn.utils.prune`` pairs, ``--mask``, an
open_lth level folder, ``--zeros-are-pruned``) and a dense reference (``weight_orig``, the
weights given with ``--mask``, open_lth's level 0, ``--reference FILE``), every audited
layer gets an :class:`MstKept`: the dense layer's maximum spanning forest, how much of it
the mask kept, connectivity and compression
(:func:`~topotheory.topology.mst_preservation.mst_preservation`), where the kept count
sits among random masks of the same kept count
(:func:`~topotheory.simulate.mask_null.random_mask_null`: exact hypergeometric tails),
and T-IMP's kept fraction at the same kept count. Dense layers count edges, convolutions
count kernel parameters (``unit``); see ``docs/pruned-runs.md``.

Its fields that tables show say how in their metadata (:func:`topotheory.render.columns.column`):
:data:`MST_KEPT_COLUMNS` is the one spec of the terminal table, the report's markdown/HTML
table and ``data/mst_kept.csv``. :meth:`MstKept.to_dict` is its JSON (the audit's
``layers[i].mst_kept``).

Examples
--------
>>> import numpy as np
>>> from topotheory import mst_preservation
>>> w = np.array([[0.9, 0.1, 0.4], [0.2, 0.8, 0.3]])
>>> kept = mst_kept_of("fc", mst_preservation(w, np.abs(w) >= 0.3), reference="weight_orig",
...                    mask_source="torch.nn.utils.prune")
>>> kept.kept_forest_units, kept.forest_units, round(kept.random_fraction, 3)
(4, 4, 0.667)
>>> MST_KEPT_COLUMNS.data_columns[:4]
('layer', 'unit', 'kept_units', 'n_units')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from topotheory.render.columns import ColumnSpec, column
from topotheory.result import Result
from topotheory.simulate.mask_null import RandomMaskNull, random_mask_null
from topotheory.topology.mst_preservation import MstPreservation

__all__ = ["MST_KEPT_COLUMNS", "MstKept", "mst_kept_of", "reference_digest"]


def reference_digest(weights: Any) -> str:
    """A short fingerprint of dense reference weights: the first 16 hex digits of the
    SHA-256 of their shape and float64 values (same weights, same digest).

    Examples
    --------
    >>> import numpy as np
    >>> reference_digest(np.ones((2, 3))) == reference_digest(np.ones((2, 3), dtype=np.float32))
    True
    >>> reference_digest(np.ones((2, 3))) == reference_digest(np.ones((3, 2)))
    False
    """
    import hashlib

    import numpy as np

    values = np.ascontiguousarray(weights, dtype=np.float64)
    digest = hashlib.sha256(repr(values.shape).encode())
    digest.update(values.tobytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True, repr=False)
class MstKept(Result):
    """The MST one layer's mask kept, against its dense reference and random masks.

    The symbols (``N``, ``K``, ``T``, ``X``) are those of
    :mod:`topotheory.topology.mst_preservation`; ``preservation`` and ``null`` hold every
    count (the table fields are read from them by :func:`mst_kept_of`).

    Attributes
    ----------
    layer : str
        The audited layer's name.
    unit : {"edge", "parameter"}
        What the counts count: edges (dense layers), kernel parameters (convolutions).
    kept_units, n_units : int
        ``K`` of ``N``: what the mask kept.
    sparsity : float
        ``1 - K / N``.
    forest_size : int
        ``|MSF|`` of the dense layer, in edges.
    forest_units : int
        ``T``: forest units (``= forest_size`` for dense layers; distinct parameters the
        forest uses for convolutions).
    kept_forest_units : int
        ``X``: forest units the mask kept.
    kept_fraction : float
        ``X / T``.
    random_fraction : float
        ``K / N``: a random mask's expected kept fraction.
    p_upper, p_lower : float
        Exact ``P(X' >= X)`` and ``P(X' <= X)`` over random masks of ``K`` units.
    log10_p_upper : float
        ``log10 p_upper``, finite where ``p_upper`` underflows.
    quantile : float
        Where ``X`` sits among random masks (``P(X' < X) + P(X' = X) / 2``; 0.5 typical).
    timp_kept_fraction : float
        T-IMP's kept fraction at the same kept count, ``min(1, K / T)``.
    components_intact, components : int
        Components of the dense graph (with an edge) that the pruned graph still connects,
        of how many.
    connected : bool
        The pruned graph has the dense graph's components.
    compression : float or None
        ``N / K`` (None when the mask keeps nothing).
    critical_ratio : float
        ``N / T``: the layer's TCCR for dense layers (parameter-level ratio for
        convolutions); past it no mask keeps the whole forest.
    reference : str
        Where the dense reference came from.
    mask_source : str
        Where the mask came from.
    reference_digest : str
        A fingerprint of the dense reference weights (:func:`reference_digest`): the
        levels of one run must share it, layer by layer.
    """

    layer: str = field(metadata=column(header="layer", width=22, align="<"))
    unit: str = field(metadata=column(header="unit", width=9, align="<"))
    kept_units: int = field(metadata=column(header="mask kept", width=9))
    n_units: int = field(metadata=column(header="of", width=8))
    sparsity: float = field(metadata=column(header="sparsity", width=8))
    forest_size: int = field(metadata=column(header="MSF", width=6))
    forest_units: int = field(metadata=column(header="T", width=6))
    kept_forest_units: int = field(metadata=column(header="MSF kept", width=8))
    kept_fraction: float = field(metadata=column(header="kept", width=6))
    random_fraction: float = field(metadata=column(header="random", width=6))
    p_upper: float = field(metadata=column())
    p_lower: float = field(metadata=column())
    log10_p_upper: float = field(metadata=column(header="log10 p", width=8, digits=1))
    quantile: float = field(metadata=column(header="quantile", width=8))
    timp_kept_fraction: float = field(metadata=column(header="T-IMP", width=6))
    components_intact: int = field(metadata=column(header="intact", width=6))
    components: int = field(metadata=column(header="of", width=4))
    connected: bool = field(metadata=column())
    compression: float | None = field(metadata=column(header="compr", width=7, digits=2))
    critical_ratio: float = field(metadata=column(header="critical", width=8, digits=2))
    reference: str = field(metadata=column())
    mask_source: str = field(metadata=column())
    reference_digest: str
    preservation: MstPreservation = field(repr=False)
    null: RandomMaskNull = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Strict-JSON-ready dict: the sources, the preservation counts
        (:meth:`MstPreservation.to_dict`) and the random-mask null
        (:meth:`RandomMaskNull.to_dict`).

        Examples
        --------
        >>> import json, numpy as np
        >>> from topotheory import mst_preservation
        >>> w = np.arange(1.0, 7.0).reshape(2, 3)
        >>> kept = mst_kept_of("fc", mst_preservation(w, w > 2), reference="r", mask_source="m")
        >>> list(json.loads(json.dumps(kept.to_dict(), allow_nan=False)))
        ['reference', 'mask_source', 'reference_digest', 'preservation', 'random_mask_null']
        """
        return {"reference": self.reference, "mask_source": self.mask_source,
                "reference_digest": self.reference_digest,
                "preservation": self.preservation.to_dict(),
                "random_mask_null": self.null.to_dict()}


#: The columns of the MST-kept table (terminal, markdown, HTML, CSV).
MST_KEPT_COLUMNS = ColumnSpec.of(MstKept)


def mst_kept_of(
    layer: str, preservation: MstPreservation, *, reference: str, mask_source: str,
    digest: str = "",
) -> MstKept:
    """The :class:`MstKept` of one layer from its :class:`MstPreservation` (the random-mask
    null is computed here); ``digest`` is the reference's :func:`reference_digest`.

    Examples
    --------
    >>> import numpy as np
    >>> from topotheory import mst_preservation
    >>> w = np.arange(1.0, 13.0).reshape(3, 4)
    >>> kept = mst_kept_of("fc", mst_preservation(w, w > 6), reference="r", mask_source="m")
    >>> kept.kept_forest_units, kept.forest_units, round(kept.p_upper, 3)
    (5, 6, 0.04)
    """
    p = preservation
    null = random_mask_null(p)
    return MstKept(
        layer=layer, unit=p.unit, kept_units=p.kept_units, n_units=p.n_units,
        sparsity=p.sparsity, forest_size=p.forest_size, forest_units=p.forest_units,
        kept_forest_units=p.kept_forest_units, kept_fraction=p.kept_fraction,
        random_fraction=p.density, p_upper=null.p_upper, p_lower=null.p_lower,
        log10_p_upper=null.log10_p_upper, quantile=null.quantile,
        timp_kept_fraction=p.timp_kept_fraction, components_intact=p.components_intact,
        components=p.nontrivial_components, connected=p.connected,
        compression=p.compression if p.kept_units else None,
        critical_ratio=p.critical_ratio, reference=reference, mask_source=mask_source,
        reference_digest=digest, preservation=p, null=null,
    )
