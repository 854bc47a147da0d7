"""Claims and their checks: the types and the one registration API.

A claim is registered once (:func:`register_claim`, keyword-only :class:`Claim`) and its
check is registered where the check function is defined (:func:`claim_check`, in the
spirit of hypothesis's ``defines_strategy``). The paper's claims
(:mod:`topotheory.theory.registry`) and a user's own claims go through the same two calls;
``proofs_check`` asserts at import time that every claim has exactly one check and every
check a claim.

This module imports no numpy (the check's context, with its ``numpy.random.Generator``,
is built by ``proofs_check`` when the check runs).

Examples
--------
>>> from topotheory.theory.claim import Claim, Provenance, claim_check, register_claim
>>> claim = Claim(id="doc-example", statement="1 + 1 = 2", kind="forall", domain="integers",
...               provenance=Provenance(section="arithmetic", confidence="derived"))
>>> _ = register_claim(claim, source="doctest")
>>> @claim_check("doc-example")
... def check_doc_example(ctx):
...     return ctx.verdict("confirmed" if 1 + 1 == 2 else "refuted")
>>> CHECKS["doc-example"] is check_doc_example
True
>>> unregister_claim("doc-example")
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CHECKS",
    "CLAIMS",
    "KINDS",
    "Claim",
    "ClaimRegistrationError",
    "FalseTwin",
    "Provenance",
    "Variant",
    "claim_check",
    "claim_ids",
    "collecting_errors",
    "get_claim",
    "register_claim",
    "unregister_claim",
]

#: Allowed claim kinds (each has one decision rule in ``proofs_check.rules``).
KINDS: tuple[str, ...] = ("forall", "expectation", "empirical")
#: Allowed reconstruction confidences.
CONFIDENCES: tuple[str, ...] = ("high", "medium", "low", "derived")


class ClaimRegistrationError(ValueError):
    """A claim or check that cannot be registered; the message names the claim id."""

    def __init__(self, claim_id: str, message: str) -> None:
        super().__init__(f"claim {claim_id!r}: {message}")
        self.claim_id = claim_id


@dataclass(frozen=True, kw_only=True)
class Provenance:
    """Where a claim comes from.

    Attributes
    ----------
    section : str
        Paper section (or "implied by ..." for claims the suite derives).
    confidence : str
        Reconstruction confidence: one of :data:`CONFIDENCES`.
    note : str
        Free text (which reading, what was lost).

    Examples
    --------
    >>> Provenance(section="Thm 3.2", confidence="high").as_text()
    'Thm 3.2 (high)'
    """

    section: str
    confidence: str
    note: str = ""

    def __post_init__(self) -> None:
        if self.confidence not in CONFIDENCES:
            raise ValueError(f"Provenance confidence={self.confidence!r} must be one of "
                             f"{CONFIDENCES}")

    def as_text(self) -> str:
        """One-line rendering, e.g. ``'Thm 3.2 (high)'``."""
        return f"{self.section} ({self.confidence})" + (f": {self.note}" if self.note else "")


@dataclass(frozen=True, kw_only=True)
class Variant:
    """A named reading of an ambiguous claim.

    Attributes
    ----------
    name : str
        The one spelling of the reading (code, JSON, CSV columns and report use it).
    description : str
        What the reading says.
    expression : sympy expression or None
        Its formula, where it has one.
    proofs : tuple of str
        Symbolic proofs (:data:`topotheory.theory.proofs.PROOFS`) of this reading only.
    """

    name: str
    description: str
    expression: Any = None
    proofs: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class FalseTwin:
    """A deliberately false version of a claim that its check must refute (``--power``).

    Attributes
    ----------
    name : str
        Short name of the twin (e.g. ``bound_times_2``).
    description : str
        How it differs from the claim.
    params : dict
        Passed to the check as ``ctx.twin.params``; the check reads them to falsify itself.
    variant : str or None
        The variant the twin applies to (None: the claim's primary reading).
    """

    name: str
    description: str
    params: dict[str, Any] = field(default_factory=dict)
    variant: str | None = None


@dataclass(frozen=True, kw_only=True)
class Claim:
    """One registered claim.

    Attributes
    ----------
    id : str
        Stable identifier, lower-case with hyphens.
    statement : str
        The claim in words.
    kind : str
        One of :data:`KINDS`; decides which decision rule gives its verdict.
    domain : str
        Hypotheses under which the claim is made.
    provenance : Provenance
        Paper section and reconstruction confidence.
    expression : sympy expression or None
        The formula or predicate, where the claim has one.
    variants : tuple of Variant
        Named readings; empty when unambiguous. The first is the primary reading.
    proofs : tuple of str
        Symbolic proofs the claim relies on (for every variant).
    report_section : str or None
        Id of the report section that shows the claim's numbers.
    twins : tuple of FalseTwin
        False versions its check must catch (``python -m proofs_check --power``).

    Examples
    --------
    >>> Claim(id="x", statement="s", kind="maybe", domain="d",
    ...       provenance=Provenance(section="s", confidence="high"))
    Traceback (most recent call last):
    ...
    topotheory.theory.claim.ClaimRegistrationError: claim 'x': kind='maybe' must be one of ('forall', 'expectation', 'empirical')
    """

    id: str
    statement: str
    kind: str
    domain: str
    provenance: Provenance
    expression: Any = None
    variants: tuple[Variant, ...] = ()
    proofs: tuple[str, ...] = ()
    report_section: str | None = None
    twins: tuple[FalseTwin, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id or self.id != self.id.strip():
            raise ClaimRegistrationError(str(self.id), "id must be a non-empty string")
        if self.kind not in KINDS:
            raise ClaimRegistrationError(self.id, f"kind={self.kind!r} must be one of {KINDS}")
        if not isinstance(self.provenance, Provenance):
            raise ClaimRegistrationError(self.id, "provenance must be a Provenance(section=, "
                                         "confidence=)")
        names = [v.name for v in self.variants]
        if len(names) != len(set(names)):
            raise ClaimRegistrationError(self.id, f"variant names repeat: {names}")
        for twin in self.twins:
            if twin.variant is not None and twin.variant not in names:
                raise ClaimRegistrationError(self.id, f"twin {twin.name!r} names variant "
                                             f"{twin.variant!r}; variants: {names}")

    @property
    def variant_names(self) -> tuple[str | None, ...]:
        """Variant names to check; ``(None,)`` when the claim has no variants."""
        return tuple(v.name for v in self.variants) or (None,)

    def variant(self, name: str | None) -> Variant | None:
        """The :class:`Variant` called ``name`` (None for a claim without variants)."""
        if name is None and not self.variants:
            return None
        for v in self.variants:
            if v.name == name:
                return v
        raise ValueError(f"claim {self.id!r}: variant={name!r}; choose one of "
                         f"{[v.name for v in self.variants]}")


#: The registry, by claim id (registration order).
CLAIMS: dict[str, Claim] = {}
#: The check of each claim, by claim id.
CHECKS: dict[str, Callable[..., Any]] = {}
#: Where each claim was registered (``paper`` or the user's module name).
SOURCES: dict[str, str] = {}
_collected: list[ClaimRegistrationError] | None = None


@contextlib.contextmanager
def collecting_errors() -> Iterator[list[ClaimRegistrationError]]:
    """Record registration errors instead of raising them (used when loading user claims).

    A rejected claim or check is skipped; everything else registers normally.

    Examples
    --------
    >>> import topotheory.theory.registry
    >>> with collecting_errors() as errors:
    ...     _ = register_claim(CLAIMS["np-mst"])
    >>> [str(e) for e in errors]
    ["claim 'np-mst': already registered (by paper)"]
    """
    global _collected
    previous, _collected = _collected, []
    try:
        yield _collected
    finally:
        _collected = previous


def _reject(error: ClaimRegistrationError) -> None:
    if _collected is None:
        raise error
    _collected.append(error)


def register_claim(claim: Claim, *, source: str = "user") -> Claim:
    """Add ``claim`` to the registry; a second claim with the same id is an error.

    Examples
    --------
    >>> c = register_claim(Claim(id="doc-reg", statement="s", kind="forall", domain="d",
    ...                          provenance=Provenance(section="s", confidence="derived")))
    >>> register_claim(c)
    Traceback (most recent call last):
    ...
    topotheory.theory.claim.ClaimRegistrationError: claim 'doc-reg': already registered (by user)
    >>> unregister_claim("doc-reg")
    """
    if not isinstance(claim, Claim):
        raise TypeError(f"register_claim(claim={claim!r}): pass a topotheory.Claim(...)")
    if claim.id in CLAIMS:
        _reject(ClaimRegistrationError(claim.id, f"already registered (by {SOURCES[claim.id]})"))
        return CLAIMS[claim.id]
    CLAIMS[claim.id] = claim
    SOURCES[claim.id] = source
    return claim


def unregister_claim(claim_id: str) -> None:
    """Remove a claim and its check (for tests and interactive use)."""
    CLAIMS.pop(claim_id, None)
    CHECKS.pop(claim_id, None)
    SOURCES.pop(claim_id, None)


def claim_check(claim: str | Claim) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: register the decorated function as the check of ``claim``.

    The function receives one argument, the resolved check context
    (``proofs_check.context.CheckContext``: ``ctx.claim``, ``ctx.variant``,
    ``ctx.profile``, ``ctx.seed``, ``ctx.rng``, ``ctx.timed(...)``) and returns
    ``ctx.verdict(...)`` or the result of a decision rule of ``proofs_check.rules``.
    Passing a :class:`Claim` registers the claim too.

    Examples
    --------
    >>> @claim_check("no-such-claim-id")
    ... def check(ctx): ...
    Traceback (most recent call last):
    ...
    topotheory.theory.claim.ClaimRegistrationError: claim 'no-such-claim-id': a check is registered for an unregistered claim; register_claim(Claim(id='no-such-claim-id', ...)) first
    """
    if isinstance(claim, Claim):
        claim_id = claim.id
        if CLAIMS.get(claim_id) is not claim:
            register_claim(claim)
    else:
        claim_id = claim

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        if claim_id not in CLAIMS:
            _reject(ClaimRegistrationError(
                claim_id, "a check is registered for an unregistered claim; "
                f"register_claim(Claim(id={claim_id!r}, ...)) first"))
        elif claim_id in CHECKS and CHECKS[claim_id] is not function:
            other = CHECKS[claim_id]
            _reject(ClaimRegistrationError(
                claim_id, f"has a check already ({other.__module__}.{other.__qualname__})"))
        else:
            CHECKS[claim_id] = function
        return function

    return decorate


def claim_ids() -> tuple[str, ...]:
    """All registered claim ids, in registry order.

    Examples
    --------
    >>> import topotheory.theory.registry
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
    >>> import topotheory.theory.registry
    >>> get_claim("mst-size").provenance.section
    'App. A'
    """
    try:
        return CLAIMS[claim_id]
    except KeyError:
        raise ValueError(
            f"unknown claim id {claim_id!r}; known ids: {', '.join(CLAIMS)}"
        ) from None
