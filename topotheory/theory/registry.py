"""The claim registry: every claim of the paper, encoded once.

Each :class:`Claim` carries its statement as text and as a sympy expression (or
``None`` where the claim is about computed objects, not a formula), its kind, the
domain it is claimed on, its provenance (paper section and reconstruction confidence)
and named variants where the reconstruction is ambiguous. ``proofs_check`` holds one
check module per claim: ``proofs_check.claims.<id with - replaced by _>``.

Examples
--------
>>> from topotheory.theory.registry import get_claim
>>> get_claim("tccr-dense").kind
'forall'
>>> [v.name for v in get_claim("overlap-bound").variants]
['nm', 'nm_minus_i_plus_1']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from topotheory.theory import hypergeom, overlap, tccr

__all__ = ["CLAIMS", "KINDS", "Claim", "Provenance", "Variant", "claim_ids", "get_claim"]

#: Allowed claim kinds.
KINDS: tuple[str, ...] = ("forall", "expectation", "empirical")


@dataclass(frozen=True)
class Provenance:
    """Where a claim comes from.

    Attributes
    ----------
    section : str
        Paper section (or "implied by ..." for claims the suite derives).
    confidence : str
        Reconstruction confidence: ``high``, ``medium``, ``low`` or ``derived``.
    note : str
        Free text (which reading, what was lost).
    """

    section: str
    confidence: str
    note: str = ""

    def as_text(self) -> str:
        """One-line rendering, e.g. ``'Thm 3.2 (high)'``."""
        return f"{self.section} ({self.confidence})" + (f": {self.note}" if self.note else "")


@dataclass(frozen=True)
class Variant:
    """A named reading of an ambiguous claim."""

    name: str
    description: str
    expression: sp.Basic | None = None


@dataclass(frozen=True)
class Claim:
    """One registered claim.

    Attributes
    ----------
    id : str
        Stable identifier (CLAIMS.md ids, lower-case with hyphens).
    statement : str
        The claim in words.
    expression : sympy.Basic or None
        The formula or predicate, where the claim has one.
    kind : str
        One of :data:`KINDS`.
    domain : str
        Hypotheses under which the claim is made.
    provenance : Provenance
        Paper section and reconstruction confidence.
    variants : tuple of Variant
        Named readings; empty when unambiguous. The first is the primary reading.
    proofs : tuple of str
        Names of symbolic proofs (:data:`topotheory.theory.proofs.PROOFS`) it relies on.
    """

    id: str
    statement: str
    expression: sp.Basic | None
    kind: str
    domain: str
    provenance: Provenance
    variants: tuple[Variant, ...] = ()
    proofs: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Claim {self.id!r}: kind={self.kind!r} must be one of {KINDS}")

    @property
    def variant_names(self) -> tuple[str | None, ...]:
        """Variant names to check; ``(None,)`` when the claim has no variants."""
        return tuple(v.name for v in self.variants) or (None,)

    @property
    def check_module(self) -> str:
        """Dotted name of the ``proofs_check`` module that checks this claim."""
        return "proofs_check.claims." + self.id.replace("-", "_")


_n, _m, _h, _T = sp.symbols("n m h T", integer=True, positive=True)
_X = sp.Symbol("X")
_k_edges = _n + _m - 1
_s = sp.Min(_n, _m)


def _bound(variant: str, sparse: bool = False) -> sp.Basic:
    closed = overlap.bound_closed_form(variant, sparse=sparse).subs(
        {overlap.n_sym: _n, overlap.m_sym: _m, overlap.s_sym: _s}
    )
    return sp.Ge(sp.Symbol("E[X]"), closed / _k_edges)


_THM32 = Provenance("Thm 3.2 / App. A (Thm A.1)", "high")
_DERIVED = "derived"

_CLAIM_LIST: tuple[Claim, ...] = (
    Claim(
        "np-mst",
        "The zeroth-order persistence diagram's finite points are exactly (1, w'_e) for the "
        "edges e of the maximum spanning tree (forest).",
        None,
        "forall",
        "any dense layer weight matrix (finite entries, not all zero); ties broken by the "
        "suite's tie rule",
        Provenance("Sec. 3.1", "high", "filtration ends with the MST (Doraiswamy et al.)"),
    ),
    Claim(
        "np-prune-invariant",
        "Removing any set of non-MST edges leaves the diagram and NP unchanged.",
        None,
        "forall",
        "dense layers; removed edges marked absent by a mask",
        Provenance("Sec. 3.1", "high"),
    ),
    Claim(
        "tccr-maximal",
        "No edge subset smaller than a spanning tree keeps the diagram, so any "
        "diagram-preserving compression ratio satisfies kappa <= kappa_T.",
        sp.Le(sp.Symbol("kappa"), sp.Symbol("kappa_T")),
        "forall",
        "dense layers, complete bipartite graph",
        Provenance("Thm 3.2 / App. A", "high"),
    ),
    Claim(
        "mst-size",
        "The MST of a complete bipartite graph K_{n,m} has n + m - 1 edges.",
        sp.Eq(sp.Symbol("|MST|"), _k_edges),
        "forall",
        "n, m >= 1; zero weights kept as weight-0 edges",
        Provenance("App. A", "high"),
    ),
    Claim(
        "tccr-dense",
        "kappa_T of a dense n x m layer is n m / (n + m - 1).",
        sp.Eq(sp.Symbol("kappa_T"), tccr.tccr_dense(_n, _m)),
        "forall",
        "complete bipartite layer (connected)",
        _THM32,
        proofs=("dense_le_min", "dense_limit", "dense_ge_one"),
    ),
    Claim(
        "tccr-recurrent",
        "kappa_T of a recurrent layer with h hidden units is h^2 / (2h - 1).",
        sp.Eq(sp.Symbol("kappa_T"), tccr.tccr_recurrent(_h)),
        "forall",
        "hidden-to-hidden weights W_hh (h x h), unrolled over T steps with shared weights",
        _THM32,
        (
            Variant("per_step", "|E|/|MST| of one unrolled step (an h x h complete bipartite "
                    "layer): the paper's argument", tccr.tccr_recurrent(_h)),
            Variant("unrolled_whole", "|E|/|MST| of the whole T-step unrolled graph "
                    "((T+1)h nodes, T h^2 edges)", tccr.tccr_recurrent_unrolled(_h, _T)),
            Variant("unrolled_params", "h^2 / (distinct shared parameters used by the MST of "
                    "the whole unrolled graph): 'parameters to be stored'", None),
        ),
        proofs=("recurrent_is_dense", "recurrent_unrolled"),
    ),
    Claim(
        "tccr-conv",
        "kappa_T of a convolution (one channel pair, Toeplitz graph) is "
        "prod(k_j) N_out / (N_in + N_out - 1), N_in = prod(i_j + 2p_j), N_out = prod(o_j).",
        sp.Eq(sp.Symbol("kappa_T"), sp.Symbol("K") * sp.Symbol("N_out")
              / (sp.Symbol("N_in") + sp.Symbol("N_out") - 1)),
        "forall",
        "geometries whose Toeplitz graph (padding positions included) is connected",
        _THM32,
        (
            Variant("connected_domain", "only geometries whose Toeplitz graph is connected"),
            Variant("all_geometries", "every valid geometry (stride, padding, dilation)"),
        ),
        proofs=("conv_le_kernel",),
    ),
    Claim(
        "tccr-conv-domain",
        "The conv Toeplitz graph is connected iff every axis is: k=1 needs padded length 1; "
        "k>=2 needs dilation 1 and either one window covering the axis exactly or "
        "stride <= k-1 with (N - k) divisible by stride.",
        None,
        "forall",
        "1-D and 2-D geometries, one channel pair, padding positions included",
        Provenance("implied by Thm 3.2 (conv)", _DERIVED, "the suite's characterisation of "
                   "where the conv formula can hold"),
    ),
    Claim(
        "np-bound",
        "Rieck Thm 1: 0 <= NP_p <= (max w' - min w') (|V| - 1)^(1/p).",
        None,
        "forall",
        "dense layers, p >= 1; the normalisation is the variant",
        Provenance("Sec. 2 (Rieck et al. 2019, Thm 1)", "high"),
        (
            Variant("per_layer", "w' = |w| / max of the layer, finite points only (the paper)"),
            Variant("per_network", "w' = |w| / max over the network (>= the layer's max), "
                    "finite points only"),
            Variant("rieck_code", "Rieck's code: network max, essential class kept as (1, 0), "
                    "zero-length points dropped"),
        ),
    ),
    Claim(
        "overlap-bound",
        "Thm 3.3: with k = n + m - 1 and X = |top-k ∩ MST| / k, "
        "E[X] >= (1/k) sum_{i=1}^{min(n,m)} (n-i+1)(m-i+1) / D_i; X = 1 if min(n,m) = 1.",
        _bound("nm"),
        "expectation",
        "complete bipartite n x m layer, exchangeable weights (uniformly random order)",
        Provenance("Thm 3.3 / App. A (Thm A.2)", "medium",
                   "structure medium confidence, typography low"),
        (
            Variant("nm", "D_i = n m", _bound("nm")),
            Variant("nm_minus_i_plus_1", "D_i = n m - i + 1", _bound("nm_minus_i_plus_1")),
        ),
        proofs=("closed_form_nm", "closed_form_nm_minus_i_plus_1", "bound_le_one",
                "bound_square_limit"),
    ),
    Claim(
        "overlap-bound-worst-case",
        "The for-every-weight-matrix reading of Thm 3.3: X >= the bound for every strict weight "
        "order of K_{n,m}, not only on average.",
        _bound("nm"),
        "forall",
        "every weight matrix of a complete bipartite n x m layer (n <= m <= 100 scanned)",
        Provenance("Thm 3.3 / App. A (Thm A.2)", _DERIVED,
                   "the paper states an expectation; this reading asks whether the proof's "
                   "per-step argument gives a worst-case guarantee"),
        (
            Variant("nm", "D_i = n m", _bound("nm")),
            Variant("nm_minus_i_plus_1", "D_i = n m - i + 1", _bound("nm_minus_i_plus_1")),
        ),
    ),
    Claim(
        "overlap-bound-sparse",
        "Cor 3.4: for a graph keeping a fraction rho of the weights (still connected), the "
        "Thm 3.3 bound with rho n m in place of n m.",
        _bound("rho_nm", sparse=True),
        "expectation",
        "random connected subgraph with rho n m edges of K_{n,m}, exchangeable weights",
        Provenance("Cor 3.4 / App. A (Cor A.3)", "medium"),
        (
            Variant("rho_nm", "D_i = rho n m", _bound("rho_nm", True)),
            Variant("rho_nm_minus_i_plus_1", "D_i = rho n m - i + 1",
                    _bound("rho_nm_minus_i_plus_1", True)),
        ),
        proofs=("closed_form_rho_nm", "closed_form_rho_nm_minus_i_plus_1"),
    ),
    Claim(
        "random-overlap",
        "App. C: two independent uniform k-subsets of the nm edges overlap in exactly x edges "
        "with probability C(k,x) C(nm-k,k-x) / C(nm,k); 'at least x' is the upper tail.",
        sp.Eq(sp.Symbol("P(x)"), hypergeom.hypergeom_pmf_expr()),
        "expectation",
        "independent uniformly random k-subsets, k = n + m - 1",
        Provenance("App. C", "high", "the four quoted probabilities were lost"),
        proofs=("hypergeom_normalized", "hypergeom_mean"),
    ),
    Claim(
        "timp-preserves",
        "A T-IMP pruning step leaves every layer's diagram and NP unchanged while the kept "
        "count is at least the MST size.",
        None,
        "forall",
        "dense layers; kept count >= n + m - 1",
        Provenance("Sec. 3.4", "high"),
    ),
    Claim(
        "imp-overlap-trained",
        "On trained fully connected MNIST-like layers the top-k/MST overlap is well above the "
        "Thm 3.3 bound.",
        None,
        "empirical",
        "MNIST FCN of App. D, trained",
        Provenance("Sec. 4.2, Fig. 3", "medium"),
    ),
    Claim(
        "np-grows",
        "NP of a simple fully connected net rises with training.",
        None,
        "empirical",
        "simple FCN trained on the bundled data",
        Provenance("Sec. 2, Fig. 1", "medium"),
    ),
    Claim(
        "tables",
        "Table 1 and Appendices E and F: every printed number is reproduced.",
        None,
        "empirical",
        "the paper's architectures and aggregation rules",
        Provenance("Table 1, App. E, App. F", "high"),
    ),
    Claim(
        "tables-mnist-layers",
        "Every per-layer row of Appendix E equals the Thm 3.2 formula for the App. D "
        "shapes (28x28 inputs, 3x3 kernels, padding 1) to the printed digits.",
        None,
        "empirical",
        "App. D layer shapes",
        Provenance("App. D, App. E", "high"),
    ),
    Claim(
        "tccr-properties",
        "Consequences of Thm 3.2's formulas: 1 <= kappa_dense <= min(n, m); kappa_dense tends to "
        "the fixed side as the other grows; kappa_recurrent is kappa_dense at n = m = h; "
        "kappa_conv <= prod(k) (at most the kernel size).",
        sp.And(sp.Le(1, tccr.tccr_dense(_n, _m)), sp.Le(tccr.tccr_dense(_n, _m), sp.Min(_n, _m))),
        "forall",
        "integers n, m, h >= 1; N_in, N_out >= 1",
        Provenance("Thm 3.2", _DERIVED, "symbolic consequences the paper's tables rely on"),
        proofs=("dense_le_min", "dense_limit", "dense_ge_one", "recurrent_is_dense",
                "conv_le_kernel"),
    ),
    Claim(
        "overlap-bound-properties",
        "Consequences of Thm 3.3's bound (D_i = n m): it equals its closed form, never exceeds 1, "
        "and tends to 1/6 for square layers.",
        _bound("nm"),
        "forall",
        "integers n, m >= 1",
        Provenance("Thm 3.3", _DERIVED, "how loose the bound is for large layers"),
        proofs=("closed_form_nm", "bound_le_one", "bound_square_limit"),
    ),
    Claim(
        "random-overlap-laws",
        "App. C's law is a probability distribution (sums to 1) with mean k^2 / (n m).",
        sp.Eq(sp.Symbol("P(x)"), hypergeom.hypergeom_pmf_expr()),
        "forall",
        "k-subsets of N = n m edges, N >= 2k",
        Provenance("App. C", _DERIVED, "sanity of the quoted formula"),
        proofs=("hypergeom_normalized", "hypergeom_mean"),
    ),
    Claim(
        "dense-vs-conv",
        "Dense layers are far more compressible than conv layers; ResNets slightly less than VGG.",
        None,
        "empirical",
        "Table 1 architectures",
        Provenance("Sec. 4.1", "medium"),
    ),
)

#: The registry, by claim id.
CLAIMS: dict[str, Claim] = {c.id: c for c in _CLAIM_LIST}


def claim_ids() -> tuple[str, ...]:
    """All registered claim ids, in registry order.

    Examples
    --------
    >>> "np-mst" in claim_ids()
    True
    """
    return tuple(CLAIMS)


def get_claim(claim_id: str) -> Claim:
    """Look a claim up by id.

    Raises
    ------
    ValueError
        Naming the known ids, if ``claim_id`` is unknown.

    Examples
    --------
    >>> get_claim("mst-size").provenance.section
    'App. A'
    """
    try:
        return CLAIMS[claim_id]
    except KeyError:
        raise ValueError(
            f"unknown claim id {claim_id!r}; known ids: {', '.join(CLAIMS)}"
        ) from None
