"""Report profiles: how much each section computes.

``quick`` is the committed reference (a few minutes on a 2-core machine); ``deep`` uses
more trials, more shapes and more seeds.  Every random step derives its seed from
``seed`` so that the same profile gives byte-identical data.

Examples
--------
>>> get_profile("quick").name
'quick'
>>> get_profile("deep").mc_trials > get_profile("quick").mc_trials
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["PROFILES", "Profile", "get_profile"]


@dataclass(frozen=True)
class Profile:
    """Parameters of one report profile (see the module docstring)."""

    name: str
    seed: int
    #: Monte Carlo trials per shape for the overlap expectation.
    mc_trials: int
    #: Square shapes n = m for the bound-vs-shape plot.
    square_sizes: tuple[int, ...]
    #: Input sizes n of the n x 100 series (the MNIST net's layers are 784/100/10 x 100).
    rect_sizes: tuple[int, ...]
    #: Largest n*m for which the exact expectation is computed.
    exact_max_edges: int
    #: (n, m) for the bound-vs-sparsity plot, the densities used and the trials per density.
    sparse_shape: tuple[int, int]
    densities: tuple[str, ...]
    sparse_trials: int
    #: Monte Carlo trials per layer for the iid-vs-hypergeometric null comparison.
    null_trials: int
    #: Seeds for random-initialisation measurements (conv ratios, diagrams).
    init_seeds: tuple[int, ...]
    #: Seeds, IMP rounds and pruning rate for the trained-network experiments.
    train_seeds: tuple[int, ...]
    prune_rounds: int
    prune_rate: float
    #: IMP rounds for the trained-overlap and T-IMP preservation runs (kept >= forest).
    overlap_rounds: int
    #: Profile handed to the claim checks (``proofs_check``).
    verify_profile: str
    #: Zoo (model, dataset) pairings for the conv ratios; ``None`` = the paper's eight.
    zoo_pairings: tuple[tuple[str, str], ...] | None = None

    def as_dict(self) -> dict[str, Any]:
        """The profile as a JSON-able dict (tuples become lists)."""
        from topotheory.render.datafiles import to_jsonable

        return to_jsonable(asdict(self))


PROFILES: dict[str, Profile] = {
    "quick": Profile(
        name="quick",
        seed=0,
        mc_trials=20_000,
        square_sizes=(2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 32, 64, 100, 200),
        rect_sizes=(1, 2, 3, 4, 5, 10, 20, 50, 100, 200, 400, 784),
        exact_max_edges=400,
        sparse_shape=(100, 100),
        densities=("0.05", "0.1", "0.125", "0.2", "0.25", "0.5", "0.75", "1"),
        sparse_trials=2_000,
        null_trials=2_000,
        init_seeds=(0,),
        train_seeds=(0, 1),
        prune_rounds=6,
        prune_rate=0.5,
        overlap_rounds=3,
        verify_profile="quick",
    ),
    "deep": Profile(
        name="deep",
        seed=0,
        mc_trials=200_000,
        square_sizes=(2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 20, 24, 30, 32, 48, 64, 100, 200, 500, 1000),
        rect_sizes=(1, 2, 3, 4, 5, 8, 10, 20, 50, 100, 200, 400, 784, 1000),
        exact_max_edges=900,
        sparse_shape=(100, 100),
        densities=(
            "0.05",
            "0.075",
            "0.1",
            "0.125",
            "0.15",
            "0.2",
            "0.25",
            "0.3",
            "0.4",
            "0.5",
            "0.6",
            "0.75",
            "0.9",
            "1",
        ),
        sparse_trials=20_000,
        null_trials=20_000,
        init_seeds=(0, 1, 2, 3, 4),
        train_seeds=(0, 1, 2, 3, 4),
        prune_rounds=8,
        prune_rate=0.5,
        overlap_rounds=3,
        verify_profile="deep",
    ),
}


def get_profile(name: str) -> Profile:
    """Return the named profile; raises ``ValueError`` naming the choices otherwise.

    Examples
    --------
    >>> get_profile("quick").seed
    0
    """
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"profile={name!r}; choose one of {sorted(PROFILES)}") from None
