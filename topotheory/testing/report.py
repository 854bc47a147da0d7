"""What ``check_implementation`` returns or raises: per-property results and failure kinds.

A failure has a kind: ``"mismatch"`` (the output disagrees with a property),
``"mutated_input"`` (the function wrote into the array it was given), ``"non_finite"`` (it
returned NaN or inf), ``"raised"`` (it raised an exception on a valid input),
``"flaky"`` (the shrunk input passed on a rerun) or ``"kit_error"`` (a bug of the kit).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FAILURE_KINDS = ("mismatch", "mutated_input", "non_finite", "raised", "flaky", "kit_error")


class KitFailure(AssertionError):
    """A property failure of a kind other than a plain mismatch (see :data:`FAILURE_KINDS`)."""

    kind = "mismatch"


class MutatedInput(KitFailure):
    """The implementation modified its input array in place."""

    kind = "mutated_input"


class NonFiniteOutput(KitFailure):
    """The implementation returned NaN or inf."""

    kind = "non_finite"


class ImplementationRaised(KitFailure):
    """The implementation raised an exception on a valid input."""

    kind = "raised"


def failure_kind(exc: BaseException) -> str:
    """The failure kind of an exception raised while checking a property.

    Examples
    --------
    >>> failure_kind(MutatedInput("x")), failure_kind(AssertionError()), failure_kind(KeyError())
    ('mutated_input', 'mismatch', 'kit_error')
    """
    if isinstance(exc, KitFailure):
        return exc.kind
    return "mismatch" if isinstance(exc, AssertionError) else "kit_error"


@dataclass(frozen=True)
class PropertyResult:
    """Outcome of one property.

    Attributes
    ----------
    name : str
        Property name (e.g. ``"matches_oracle"``).
    description : str
        What the property claims.
    passed : bool
        True when no example failed.
    message : str
        The failure explanation (empty when passed).
    counterexample : dict or None
        The smallest failing input found (``weights`` and ``k`` / ``kept``...).
    failure : str
        The failure kind (one of :data:`FAILURE_KINDS`; empty when passed).
    """

    name: str
    description: str
    passed: bool
    message: str = ""
    counterexample: dict | None = None
    failure: str = ""

    def __str__(self) -> str:
        head = f"{'PASS' if self.passed else 'FAIL'}  {self.name}: {self.description}"
        if self.passed:
            return head
        lines = [head + (f" [{self.failure}]" if self.failure != "mismatch" else "")]
        for key, value in (self.counterexample or {}).items():
            shown = value if hasattr(value, "kernel") else np.asarray(value)
            text = (
                np.array2string(shown, precision=6, separator=", ")
                if isinstance(shown, np.ndarray)
                else repr(shown)
            )
            lines.append(f"      counterexample {key} = " + text.replace("\n", "\n" + " " * 8))
        lines += ["      " + line for line in self.message.splitlines()]
        return "\n".join(lines)


@dataclass(frozen=True)
class ImplementationReport:
    """Per-property results of :func:`~topotheory.testing.check.check_implementation`.

    Attributes
    ----------
    kind : str
        The kind of implementation checked.
    function : str
        The checked function's name.
    results : tuple of PropertyResult
        One per property, in battery order.
    max_examples : int
        Random examples per property (fixed examples come on top).
    notes : tuple of str
        How outputs were read, where worth saying (a symmetric adjacency, a node map...).

    Examples
    --------
    >>> from topotheory.testing.check import check_implementation
    >>> from topotheory.testing.pruning import prune_keeping_forest
    >>> report = check_implementation("pruning", prune_keeping_forest, max_examples=5)
    >>> report.passed, report["exact_kept_count"].passed
    (True, True)
    """

    kind: str
    function: str
    results: tuple[PropertyResult, ...]
    max_examples: int
    notes: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """True when every property passed."""
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> tuple[PropertyResult, ...]:
        """The failed properties."""
        return tuple(r for r in self.results if not r.passed)

    def __getitem__(self, name: str) -> PropertyResult:
        for result in self.results:
            if result.name == name:
                return result
        raise KeyError(f"no property {name!r}; have {[r.name for r in self.results]}")

    def __str__(self) -> str:
        failed = len(self.failures)
        head = (
            f"check_implementation({self.kind!r}, {self.function}): "
            + (
                f"{failed} of {len(self.results)} properties FAILED"
                if failed
                else f"all {len(self.results)} properties passed"
            )
            + f" ({self.max_examples} random examples each)"
        )
        lines = [head] + ["  " + str(r).replace("\n", "\n  ") for r in self.results]
        return "\n".join(lines + [f"  note: {text}" for text in self.notes])

    def raise_if_failed(self) -> None:
        """Raise :class:`ImplementationCheckFailed` with the whole report when a property failed.

        pytest shows only the caller's frame (``__tracebackhide__``), then the report: per
        failed property its counterexample, the difference and the likely cause.
        """
        __tracebackhide__ = True
        if not self.passed:
            raise ImplementationCheckFailed(self)


class ImplementationCheckFailed(AssertionError):
    """Raised by ``check_implementation`` (unless ``collect=True``) when a property fails.

    The message is the whole report; ``.report`` is the :class:`ImplementationReport`.
    """

    def __init__(self, report: ImplementationReport) -> None:
        super().__init__(str(report))
        self.report = report
