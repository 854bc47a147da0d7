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
>>> _ = register_claim(claim, registered_by="doctest")
>>> @claim_check("doc-example")
... def check_doc_example(ctx):
...     return ctx.verdict("confirmed" if 1 + 1 == 2 else "refuted")
>>> CHECKS["doc-example"] is check_doc_example
True
>>> unregister_claim("doc-example")
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from topotheory.theory.design import Design

__all__ = [
    "CHECKS",
    "CLAIMS",
    "DEFAULT_TOLERANCE",
    "KINDS",
    "REGISTERED_BY",
    "REGISTRY",
    "Registered",
    "SOURCE_KINDS",
    "Claim",
    "ClaimRegistrationError",
    "Deferred",
    "FalseTwin",
    "Provenance",
    "Tolerance",
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
#: Whose claim it is: ``paper`` (stated by the paper: its section or equation is the
#: provenance), ``reading`` (one named reading of an ambiguous statement of the paper),
#: ``finding`` (the project's own: derived, measured or corrected), ``user`` (registered
#: from outside the paper's registry: ``--claims-from``, entry points).
SOURCE_KINDS: tuple[str, ...] = ("paper", "reading", "finding", "user")


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
class Tolerance:
    """How far a reported float may move between machines before ``--expect`` fails.

    Booleans and exact rationals (written ``"p/q"``) are always compared exactly, and so
    are integers unless ``integers_exact`` is False (trained claims: counts downstream of
    the training move with it); a float (or a decimal string) ``got`` matches ``recorded``
    when ``|got - recorded| <= max(abs, rel * max(|got|, |recorded|))``.

    Attributes
    ----------
    rel, abs : float
        Relative and absolute tolerance, ``>= 0``.
    reason : str
        Why the numbers can move that much (stated in ``docs/claims.md``).
    integers_exact : bool
        Compare integers exactly (default) or with the tolerance.
    uncompared : tuple of str
        Paths of reported numbers that are descriptive and not stable across machines
        (``fnmatch`` patterns such as ``"evidence/layers/*/iid/tail_probabilities"``): never
        compared; the reason says why.

    Examples
    --------
    >>> t = Tolerance(rel=1e-9, abs=1e-12, reason="round-off")
    >>> t.allows(0.1 + 0.2, 0.3), t.allows(1.0, 1.001)
    (True, False)
    """

    rel: float
    abs: float
    reason: str
    integers_exact: bool = True
    uncompared: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("rel", "abs"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                    value >= 0 and value != float("inf")):
                raise ValueError(f"Tolerance {name}={value!r} must be a finite number >= 0")
        if not self.reason:
            raise ValueError("Tolerance reason='' : say why the numbers can move that much")

    def compares(self, path: str) -> bool:
        """Whether the number (or subtree) at ``path`` is compared (not in ``uncompared``).

        Examples
        --------
        >>> t = Tolerance(rel=0, abs=0, reason="r", uncompared=("evidence/*/p",))
        >>> t.compares("evidence/a/p/0"), t.compares("evidence/a/q")
        (False, True)
        """
        from fnmatch import fnmatchcase

        return not any(fnmatchcase(path, pattern) or fnmatchcase(path, pattern + "/*")
                       for pattern in self.uncompared)

    def allows(self, got: float, recorded: float) -> bool:
        """Whether ``got`` is within the tolerance of ``recorded``."""
        return abs(got - recorded) <= max(self.abs, self.rel * max(abs(got), abs(recorded)))

    def as_text(self) -> str:
        """One-line rendering, e.g. ``'rel 1e-09, abs 1e-12 (round-off)'``."""
        ints = "" if self.integers_exact else ", integers too"
        skip = (f"; not compared: {', '.join(self.uncompared)}" if self.uncompared else "")
        return f"rel {self.rel:g}, abs {self.abs:g}{ints}{skip} ({self.reason})"


#: Tolerance of a claim computed without training: floating-point round-off only.
DEFAULT_TOLERANCE = Tolerance(rel=1e-9, abs=1e-12, reason="floating-point round-off: the "
                              "same computation summed in another order (BLAS, SIMD width)")


class Deferred:
    """A claim's or variant's ``expression`` computed on first read, not at import.

    ``Claim(expression=Deferred(function, *args, **kwargs))`` stores the call; the first
    read of ``claim.expression`` (directly, or through ``repr``, ``==``, ``hash``,
    :func:`dataclasses.replace`) computes ``function(*args, **kwargs)`` once and keeps the
    result, so a claim whose closed form takes sympy a while to derive costs nothing until
    it is used, and reads exactly as if the value had been given.

    Examples
    --------
    >>> import sympy as sp
    >>> v = Variant(name="sum", description="1 + 2 + ... + n",
    ...             expression=Deferred(sp.summation, sp.Symbol("i"), (sp.Symbol("i"), 1, 3)))
    >>> v.expression
    6
    >>> v == Variant(name="sum", description="1 + 2 + ... + n", expression=sp.Integer(6))
    True
    """

    __slots__ = ("args", "function", "kwargs")

    def __init__(self, function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
        self.function, self.args, self.kwargs = function, args, kwargs

    def __repr__(self) -> str:
        return f"Deferred({getattr(self.function, '__qualname__', self.function)}, ...)"


class _ExpressionField:
    """The ``expression`` field of :class:`Claim` and :class:`Variant` (a data descriptor
    the dataclasses keep): a :class:`Deferred` given to the constructor is computed on the
    first read and replaced by its value."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._key = f"_{name}_value"

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return None  # the dataclass's default
        value = obj.__dict__.get(self._key)
        if isinstance(value, Deferred):
            value = value.function(*value.args, **value.kwargs)
            obj.__dict__[self._key] = value
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        # Only the dataclass's __init__ gets here (object.__setattr__); ``claim.expression
        # = ...`` still raises FrozenInstanceError.
        obj.__dict__[self._key] = value


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
        Its formula, where it has one (may be given as :class:`Deferred`: computed on first
        read).
    proofs : tuple of str
        Symbolic proofs (:data:`topotheory.theory.proofs.PROOFS`) of this reading only.
    source : str or None
        Whose reading it is (:data:`SOURCE_KINDS`), when it differs from the claim's: a
        paper claim's variant that the paper does not state is a ``reading``.
    design : Design or None
        The pre-registered design of this reading's verdict
        (:class:`topotheory.theory.design.Design`), when it differs from the claim's.
    """

    name: str
    description: str
    expression: Any = _ExpressionField()
    proofs: tuple[str, ...] = ()
    source: str | None = None
    design: Design | None = None


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
        Read by the check with ``ctx.twin_param(name, default)`` to falsify itself.
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
        The formula or predicate, where the claim has one (may be given as
        :class:`Deferred`: computed on first read).
    variants : tuple of Variant
        Named readings; empty when unambiguous. The first is the primary reading.
    proofs : tuple of str
        Symbolic proofs the claim relies on (for every variant).
    report_section : str or None
        Id of the report section that shows the claim's numbers.
    twins : tuple of FalseTwin
        False versions its check must catch (``python -m proofs_check --power``).
    source : str
        Whose claim it is: one of :data:`SOURCE_KINDS` (default ``user``); a ``paper``
        claim names its section or equation in ``provenance.section``.
    tolerance : Tolerance
        How far its reported floats may move between machines (``--expect``); default
        :data:`DEFAULT_TOLERANCE` (round-off only). Trained claims declare their
        cross-machine tolerance.
    design : Design or None
        The pre-registered design of a statistical or trained claim
        (:class:`topotheory.theory.design.Design`: seeds or trials, rule, minimum effect,
        power); a variant's own design takes precedence (:meth:`design_of`).

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
    expression: Any = _ExpressionField()
    variants: tuple[Variant, ...] = ()
    proofs: tuple[str, ...] = ()
    report_section: str | None = None
    twins: tuple[FalseTwin, ...] = ()
    source: str = "user"
    tolerance: Tolerance = DEFAULT_TOLERANCE
    design: Design | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id or self.id != self.id.strip():
            raise ClaimRegistrationError(str(self.id), "id must be a non-empty string")
        if self.kind not in KINDS:
            raise ClaimRegistrationError(self.id, f"kind={self.kind!r} must be one of {KINDS}")
        if not isinstance(self.provenance, Provenance):
            raise ClaimRegistrationError(self.id, "provenance must be a Provenance(section=, "
                                         "confidence=)")
        if self.source not in SOURCE_KINDS:
            raise ClaimRegistrationError(self.id, f"source={self.source!r} must be one of "
                                         f"{SOURCE_KINDS}")
        if self.source == "paper" and not self.provenance.section.strip():
            raise ClaimRegistrationError(self.id, "a paper claim names its section or "
                                         "equation: Provenance(section='Thm 3.2', ...)")
        if not isinstance(self.tolerance, Tolerance):
            raise ClaimRegistrationError(self.id, "tolerance must be a Tolerance(rel=, abs=, "
                                         "reason=)")
        names = [v.name for v in self.variants]
        if len(names) != len(set(names)):
            raise ClaimRegistrationError(self.id, f"variant names repeat: {names}")
        for v in self.variants:
            if v.source is not None and v.source not in SOURCE_KINDS:
                raise ClaimRegistrationError(self.id, f"variant {v.name!r}: source="
                                             f"{v.source!r} must be one of {SOURCE_KINDS}")
        for d in [self.design, *(v.design for v in self.variants)]:
            if d is not None and not isinstance(d, Design):
                raise ClaimRegistrationError(self.id, "design must be a topotheory.theory."
                                             "design.Design(...)")
        for twin in self.twins:
            if twin.variant is not None and twin.variant not in names:
                raise ClaimRegistrationError(self.id, f"twin {twin.name!r} names variant "
                                             f"{twin.variant!r}; variants: {names}")

    @property
    def variant_names(self) -> tuple[str | None, ...]:
        """Variant names to check; ``(None,)`` when the claim has no variants."""
        return tuple(v.name for v in self.variants) or (None,)

    def source_of(self, variant: str | None) -> str:
        """Whose claim the reading ``variant`` is: the variant's source, else the claim's.

        Examples
        --------
        >>> import topotheory.theory.registry
        >>> c = get_claim("tccr-recurrent")
        >>> c.source_of("per_step"), c.source_of("unrolled_whole")
        ('paper', 'reading')
        """
        own = self.variant(variant)
        return own.source if own is not None and own.source is not None else self.source

    def design_of(self, variant: str | None) -> Design | None:
        """The design deciding the reading ``variant``: the variant's, else the claim's.

        Examples
        --------
        >>> from topotheory.theory.design import Design
        >>> d = Design(unit="seeds", sample_size={"quick": 4}, statistic="x", rule="r",
        ...            threshold=0.0, alpha=0.025)
        >>> c = Claim(id="x", statement="s", kind="empirical", domain="d", design=d,
        ...           provenance=Provenance(section="s", confidence="high"),
        ...           variants=(Variant(name="a", description="a"),))
        >>> c.design_of("a").count("quick")
        4
        """
        own = self.variant(variant)
        return own.design if own is not None and own.design is not None else self.design

    def variant(self, name: str | None) -> Variant | None:
        """The :class:`Variant` called ``name`` (None for a claim without variants)."""
        if name is None and not self.variants:
            return None
        for v in self.variants:
            if v.name == name:
                return v
        raise ValueError(f"claim {self.id!r}: variant={name!r}; choose one of "
                         f"{[v.name for v in self.variants]}")


@dataclass(kw_only=True)
class Registered:
    """One entry of :data:`REGISTRY`: a claim, its check and where it was registered.

    Attributes
    ----------
    claim : Claim or None
        The registered claim.
    check : callable or None
        Its check (:func:`claim_check`); None until the check is registered.
    registered_by : str or None
        ``paper`` or the user's module. Not to be confused with :attr:`Claim.source`
        (whose claim it is).
    """

    claim: Claim | None = None
    check: Callable[..., Any] | None = None
    registered_by: str | None = None


#: The one registry: claim id -> :class:`Registered` (registration order).
REGISTRY: dict[str, Registered] = {}


class _RegistryField(MutableMapping[str, Any]):
    """A read-write view of one field of every :data:`REGISTRY` entry (no second store).

    Examples
    --------
    >>> view = _RegistryField("check")
    >>> "no-such-claim" in view
    False
    """

    def __init__(self, field_name: str) -> None:
        self._field = field_name

    def __getitem__(self, key: str) -> Any:
        value = getattr(REGISTRY.get(key), self._field, None)
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        setattr(REGISTRY.setdefault(key, Registered()), self._field, value)

    def __delitem__(self, key: str) -> None:
        self[key]  # noqa: B018 - KeyError when absent
        entry = REGISTRY[key]
        setattr(entry, self._field, None)
        if entry.claim is None and entry.check is None and entry.registered_by is None:
            del REGISTRY[key]

    def __iter__(self) -> Iterator[str]:
        return iter([k for k, e in REGISTRY.items() if getattr(e, self._field) is not None])

    def __len__(self) -> int:
        return sum(getattr(e, self._field) is not None for e in REGISTRY.values())

    def __repr__(self) -> str:
        return f"<REGISTRY view of .{self._field}: {list(self)}>"


#: Views of :data:`REGISTRY`: the claim, the check and where each was registered, by id.
CLAIMS: MutableMapping[str, Claim] = _RegistryField("claim")
CHECKS: MutableMapping[str, Callable[..., Any]] = _RegistryField("check")
SOURCES: MutableMapping[str, str] = _RegistryField("registered_by")
REGISTERED_BY = SOURCES
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


def register_claim(claim: Claim, *, registered_by: str = "user") -> Claim:
    """Add ``claim`` to the registry; a second claim with the same id is an error.

    ``registered_by`` names where it was registered (``paper`` for the paper's registry,
    else the user's module). A claim registered outside the paper's registry is the user's:
    its :attr:`Claim.source` must be ``user``.

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
    if registered_by != "paper" and (claim.source != "user" or any(
            v.source not in (None, "user") for v in claim.variants)):
        _reject(ClaimRegistrationError(claim.id, f"source={claim.source!r}: a claim "
                                       "registered outside the paper's registry has "
                                       "source='user' (the default); drop the source= "
                                       "argument"))
        return claim
    entry = REGISTRY.setdefault(claim.id, Registered())
    entry.claim, entry.registered_by = claim, registered_by
    return claim


def unregister_claim(claim_id: str) -> None:
    """Remove a claim and its check (for tests and interactive use)."""
    REGISTRY.pop(claim_id, None)


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
            REGISTRY[claim_id].check = function
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


# Whoever uses the registration API or its views gets the paper's claims registered first
# (``topotheory.theory`` itself loads lazily); at the end, as the registry imports this module.
import topotheory.theory.registry  # noqa: E402, F401
