"""What a check receives: the resolved claim, variant, profile, seed, Generator and timers.

Examples
--------
>>> from proofs_check.context import CheckContext
>>> from proofs_check.profiles import get_profile
>>> from topotheory.theory.registry import get_claim
>>> ctx = CheckContext(claim=get_claim("overlap-bound"), variant_name="nm",
...                    profile=get_profile("quick"), seed=0)
>>> ctx.variant.description, ctx.proofs[0]
('D_i = n m', 'closed_form_nm')
>>> v = ctx.verdict("confirmed", evidence={"cases": 3})
>>> v.key, v.kind, v.evidence["cases"], v.evidence["design"]["sample_size"]
('overlap-bound[nm]', 'expectation', 3, {'quick': 2000, 'deep': 50000})
"""

from __future__ import annotations

import contextlib
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from proofs_check.profiles import Profile
from proofs_check.verdict import Verdict
from topotheory.theory.claim import Claim, FalseTwin, Variant

__all__ = ["CheckContext"]


@dataclass
class CheckContext:
    """One run of one check (one claim, one variant, one profile, one seed).

    Attributes
    ----------
    claim : Claim
        The registered claim.
    variant_name : str or None
        The reading being checked (None for a claim without variants).
    profile : Profile
        The search effort (``quick`` or ``deep``).
    seed : int
        Seed of every random choice of the check.
    twin : FalseTwin or None
        Set by ``--power``: the check must falsify itself as ``twin.params`` say.
    timings : dict
        Seconds taken by named phases (:meth:`timed`) and run-dependent effort counters
        (:meth:`effort`); kept apart from the evidence so the evidence is byte-identical
        from run to run and from one hypothesis version to the next.
    dataset : str
        Data of the trained claims: ``"mnist"`` (the vendored real digits, default) or
        ``"digits"`` (scikit-learn's); ``--dataset``.
    data_dir : str or None
        MNIST IDX files to use instead of the vendored ones (``--data-dir``).
    """

    claim: Claim
    variant_name: str | None
    profile: Profile
    seed: int
    twin: FalseTwin | None = None
    timings: dict[str, float] = field(default_factory=dict)
    dataset: str = "mnist"
    data_dir: str | None = None

    def __post_init__(self) -> None:
        self.claim.variant(self.variant_name)  # validates the name

    @property
    def variant(self) -> Variant | None:
        """The :class:`~topotheory.theory.claim.Variant` checked (None without variants)."""
        return self.claim.variant(self.variant_name)

    @property
    def design(self):  # -> Design | None
        """The pre-registered :class:`~topotheory.theory.design.Design` of this reading."""
        return self.claim.design_of(self.variant_name)

    @property
    def label(self) -> str:
        """``id`` or ``id[variant]``."""
        return self.claim.id + (f"[{self.variant_name}]" if self.variant_name else "")

    @property
    def proofs(self) -> tuple[str, ...]:
        """Symbolic proofs of this reading: the variant's, then the claim's."""
        own = self.variant.proofs if self.variant is not None else ()
        return own + tuple(p for p in self.claim.proofs if p not in own)

    @cached_property
    def rng(self):  # -> numpy.random.Generator
        """A Generator seeded by ``(seed, claim id, variant)``: same inputs, same draws."""
        import numpy as np

        return np.random.default_rng([self.seed, zlib.crc32(self.label.encode())])

    @contextlib.contextmanager
    def timed(self, name: str) -> Iterator[None]:
        """Record the seconds the block takes under ``timings[name]`` (not in evidence)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round(self.timings.get(name, 0.0)
                                       + time.perf_counter() - start, 3)

    def load_data(self) -> Any:
        """The trained claims' :class:`~topotheory.nn.data.Dataset` (needs torch)."""
        from topotheory.nn.data import load_dataset

        return load_dataset(self.dataset, seed=0, data_dir=self.data_dir)

    def twin_param(self, name: str, default: Any) -> Any:
        """The false twin's parameter ``name`` under ``--power``, else ``default``.

        The one way a check reads its twin: without a twin, or with a twin that does not
        set ``name``, the check runs the claim as stated.

        Examples
        --------
        >>> from proofs_check.profiles import get_profile
        >>> from topotheory.theory.registry import get_claim
        >>> claim = get_claim("mst-size")
        >>> ctx = CheckContext(claim=claim, variant_name=None, profile=get_profile("quick"),
        ...                    seed=0)
        >>> ctx.twin_param("edges_offset", 0)
        0
        >>> ctx.twin = claim.twins[0]
        >>> ctx.twin_param("edges_offset", 0)
        1
        """
        return self.twin.params.get(name, default) if self.twin is not None else default

    def effort(self, name: str, count: int) -> None:
        """Record a run-dependent effort counter (e.g. hypothesis evaluations) beside the
        timings: it changes with the hypothesis version, so it stays out of the evidence."""
        self.timings[name] = self.timings.get(name, 0) + int(count)

    def verdict(self, status: str, *, evidence: dict[str, Any] | None = None,
                counterexample: dict[str, Any] | None = None,
                decided_by: str = "check") -> Verdict:
        """A :class:`Verdict` carrying the registry's id, kind, source, statement and
        provenance. ``decided_by`` names the rule (:data:`proofs_check.verdict.DECIDERS`;
        the rules of :mod:`proofs_check.rules` set it, ``check`` is a comparison written in
        the check itself); the runner checks it against the claim's kind. The reading's
        pre-registered design, if it has one, goes into the evidence (``design``)."""
        statement = self.claim.statement
        evidence = dict(evidence or {})
        if self.design is not None and "design" not in evidence:
            evidence["design"] = self.design.as_dict()  # declared before the data: shown
        if self.variant is not None:
            statement += f" [variant {self.variant.name}: {self.variant.description}]"
        return Verdict(
            id=self.claim.id,
            kind=self.claim.kind,
            status=status,
            statement=statement,
            provenance=self.claim.provenance.as_text(),
            variant=self.variant_name,
            evidence=evidence,
            counterexample=counterexample,
            timings=dict(self.timings),
            source=self.claim.source_of(self.variant_name),
            decided_by=decided_by,
        )

    def inconclusive(self, reason: str, **evidence: Any) -> Verdict:
        """An ``inconclusive`` verdict with its reason."""
        return self.verdict("inconclusive", evidence={"reason": reason, **evidence})
