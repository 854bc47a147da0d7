"""The report's sections, in reading order; each module defines ``build(ctx) -> Section``.

Examples
--------
>>> [e.id for e in SECTIONS][:2]
['verdicts', 'overlap-shape']
>>> callable(load_builder(SECTIONS[0]))
True
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from topotheory.render.blocks import Section

__all__ = ["SECTIONS", "SectionEntry", "load_builder"]


@dataclass(frozen=True)
class SectionEntry:
    """A section id, its title and the module (under this package) that builds it."""

    id: str
    title: str
    module: str


SECTIONS: tuple[SectionEntry, ...] = (
    SectionEntry("verdicts", "Verdicts", "verdicts"),
    SectionEntry(
        "overlap-shape", "Theorem 3.3: top-k/MST overlap over layer shape", "overlap_shape"
    ),
    SectionEntry("overlap-sparsity", "Corollary 3.4: overlap over sparsity", "overlap_sparsity"),
    SectionEntry(
        "null-models", "Null models: iid weights vs the hypergeometric null", "null_models"
    ),
    SectionEntry("appendix-c", "Appendix C: random-overlap probabilities", "appendix_c"),
    SectionEntry("tables-audit", "The paper's tables vs recomputation", "tables_audit"),
    SectionEntry("conv-ratios", "Conv TCCR: corrected and parameter-level ratios", "conv_ratios"),
    SectionEntry("diagram", "Persistence diagram of a layer (Figure 2 analogue)", "diagram"),
    SectionEntry(
        "np-training", "Neural persistence over training (Figure 1 analogue)", "np_training"
    ),
    SectionEntry(
        "trained-overlap",
        "Overlap of trained layers across IMP rounds (Figure 3 analogue)",
        "trained_overlap",
    ),
    SectionEntry(
        "fig3-trained",
        "Figure 3 on real MNIST: trained overlap vs the bound and both nulls",
        "fig3_trained",
    ),
    SectionEntry(
        "accuracy-sparsity", "Accuracy vs sparsity: IMP, T-IMP, random", "accuracy_sparsity"
    ),
    SectionEntry("claims", "Claim details", "claims"),
)


def load_builder(entry: SectionEntry) -> Callable[..., Section]:
    """Import the builder function of ``entry``."""
    module = importlib.import_module(f"topotheory.report.sections.{entry.module}")
    return module.build
