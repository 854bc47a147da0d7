"""Random weight models, exact enumeration and Monte Carlo for the top-k / MST overlap.

Submodules (imported lazily; ``import topotheory.simulate`` loads neither numba nor scipy):

- :mod:`~topotheory.simulate.bounds` — Theorem 3.3 / Corollary 3.4 as exact fractions.
- :mod:`~topotheory.simulate.counting` — exact ``E[X]`` and law under exchangeable weights.
- :mod:`~topotheory.simulate.worst_case` — the adversarial minimum over weight orders.
- :mod:`~topotheory.simulate.overlap_limit` — the large-layer law of ``E[X]`` and
  :func:`predicted_overlap` (exact, law or Monte Carlo, whichever applies).
- :mod:`~topotheory.simulate.hypergeom` — Appendix C in log space and as rationals.
- :mod:`~topotheory.simulate.montecarlo` — fast iid sampler and matrix weight models.
- :mod:`~topotheory.simulate.stats` — intervals and the three-way decision on them.
- :mod:`~topotheory.simulate.mask_null` — a mask's kept MST vs random masks, per layer and
  per run.
- :mod:`~topotheory.simulate.results` — tables and claim checks for ``proofs_check``.

Examples
--------
>>> from topotheory.simulate import exact_expected_overlap, overlap_lower_bound
>>> exact_expected_overlap(3, 3) > overlap_lower_bound(3, 3)
True
"""

from __future__ import annotations

from topotheory._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    # bounds
    "BOUND_VARIANTS": "bounds",
    "overlap_bound_terms": "bounds",
    "overlap_lower_bound": "bounds",
    # counting
    "brute_force_overlap_distribution": "counting",
    "connected_bipartite_counts": "counting",
    "exact_expected_components": "counting",
    "exact_expected_overlap": "counting",
    "exact_overlap_distribution": "counting",
    # the large-layer law of E[X] under iid weights
    "OverlapPrediction": "overlap_limit",
    "overlap_limit": "overlap_limit",
    "overlap_limit_corrected": "overlap_limit",
    "predicted_overlap": "overlap_limit",
    # worst case
    "WorstCase": "worst_case",
    "brute_force_worst_case": "worst_case",
    "worst_case_overlap": "worst_case",
    "worst_case_weights": "worst_case",
    # Appendix C
    "MNIST_LAYER_SHAPES": "hypergeom",
    "AppendixC": "hypergeom",
    "LayerShape": "hypergeom",
    "appendix_c_probabilities": "hypergeom",
    "appendix_c_table": "hypergeom",
    "random_overlap_logpmf": "hypergeom",
    "random_overlap_logsf": "hypergeom",
    "random_overlap_pmf_exact": "hypergeom",
    "random_overlap_sf_exact": "hypergeom",
    # Monte Carlo
    "OverlapSimulation": "montecarlo",
    "conv2d_toeplitz_edges": "montecarlo",
    "iid_graph_overlap_counts": "montecarlo",
    "iid_overlap_counts": "montecarlo",
    "matrix_overlap_counts": "montecarlo",
    "simulate_overlap": "montecarlo",
    "simulate_random_overlap": "montecarlo",
    "WEIGHT_MODELS": "models",
    "draw_weights": "models",
    "model_names": "models",
    # statistics
    "CI_METHODS": "stats",
    "DEFAULT_ALPHA": "stats",
    "Estimate": "stats",
    "BoundDecision": "stats",
    "estimate_mean": "stats",
    "one_sided_limit": "stats",
    "verdict_at_least": "stats",
    # a pruning mask's kept MST vs random masks (per layer, per run)
    "CurvePoint": "mask_null",
    "RandomMaskNull": "mask_null",
    "RunCell": "mask_null",
    "RunPreservationVerdict": "mask_null",
    "holm_adjust": "mask_null",
    "mask_null_position": "mask_null",
    "random_mask_null": "mask_null",
    "run_preservation_verdict": "mask_null",
    # results
    "NULL_MODEL_CONCLUSION": "results",
    "NullModelRow": "results",
    "OverlapBoundRow": "results",
    "TightnessRow": "results",
    "null_model_conclusion": "results",
    "null_model_table": "results",
    "overlap_bound_table": "results",
    "tightness_table": "results",
}

__getattr__, __dir__, __all__ = lazy_exports(
    globals(), {name: "topotheory.simulate." + module for name, module in _EXPORTS.items()}
)
