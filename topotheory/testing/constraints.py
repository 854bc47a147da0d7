"""Declared constraints of the kit's options (scikit-learn's ``StrOptions``/``Interval`` style).

Each options dataclass of a kind declares one constraint per field; :class:`KindOptions`
validates every field on construction and :meth:`KindOptions.from_given` rejects an option
the kind does not use, naming the kinds that do.

Examples
--------
>>> validate("p", 0, Interval(0, None, low_open=True))
Traceback (most recent call last):
...
ValueError: p=0: must be a number in (0, inf]
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, ClassVar

import numpy as np

from topotheory.testing.describe import plain


@dataclass(frozen=True)
class OneOf:
    """One of the listed values (``None`` may be one of them)."""

    values: tuple

    def allows(self, value: Any) -> bool:
        return any(
            value is v or (v is not None and value == v and type(value) is type(v))
            for v in self.values
        )

    def __str__(self) -> str:
        return f"choose one of {self.values}"


@dataclass(frozen=True)
class Interval:
    """A real (or, with ``integer=True``, whole) number between ``low`` and ``high``."""

    low: float | None
    high: float | None
    low_open: bool = False
    integer: bool = False

    def allows(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            return False
        if self.integer and not isinstance(value, (int, np.integer)):
            return False
        if math.isnan(value):
            return False
        low = -math.inf if self.low is None else self.low
        high = math.inf if self.high is None else self.high
        return (low < value if self.low_open else low <= value) and value <= high

    def __str__(self) -> str:
        what = "an int" if self.integer else "a number"
        low = "-inf" if self.low is None else f"{self.low:g}"
        high = "inf" if self.high is None else f"{self.high:g}"
        return f"must be {what} in {'(' if self.low_open else '['}{low}, {high}]"


@dataclass(frozen=True)
class Optional:
    """``None`` or a value ``inner`` allows."""

    inner: Any

    def allows(self, value: Any) -> bool:
        return value is None or self.inner.allows(value)

    def __str__(self) -> str:
        return f"None or {self.inner}"


@dataclass(frozen=True)
class Boolean:
    """True or False."""

    def allows(self, value: Any) -> bool:
        return isinstance(value, (bool, np.bool_))

    def __str__(self) -> str:
        return "must be True or False"


@dataclass(frozen=True)
class Anything:
    """Any value (checked where it is used), described by ``what``."""

    what: str = "any value"

    def allows(self, value: Any) -> bool:
        return True

    def __str__(self) -> str:
        return self.what


def validate(name: str, value: Any, constraint: Any) -> Any:
    """``value`` when ``constraint`` allows it, else ``ValueError`` naming both.

    Examples
    --------
    >>> validate("scope", "pair", OneOf(("pair", "layer")))
    'pair'
    """
    if not constraint.allows(value):
        raise ValueError(f"{name}={plain(value)}: {constraint}")
    return value


TOLERANCE = Optional(Interval(0, None))


@dataclass(frozen=True)
class KindOptions:
    """Base of every kind's options: fields with declared constraints, checked when built.

    Subclasses are frozen dataclasses with a ``CONSTRAINTS`` dict holding one constraint per
    new field (a subclass's entry overrides its base's).
    """

    CONSTRAINTS: ClassVar[dict[str, Any]] = {}

    def __post_init__(self) -> None:
        constraints: dict[str, Any] = {}
        for cls in reversed(type(self).__mro__):
            constraints.update(cls.__dict__.get("CONSTRAINTS", {}))
        for field in fields(self):
            validate(field.name, getattr(self, field.name), constraints[field.name])

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The option names of this kind."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_given(
        cls, kind: str, given: dict[str, Any], users: Callable[[str], list[str]]
    ) -> KindOptions:
        """Build from the options a caller gave; an option this kind does not use is an error.

        ``users(name)`` lists the kinds that do use ``name`` (for the message).
        """
        unknown = [name for name in given if name not in cls.names()]
        if unknown:
            name = unknown[0]
            who = users(name)
            where = f"it applies to {who}" if who else "no kind has it"
            raise ValueError(
                f"{name}={plain(given[name])}: kind={kind!r} does not use the option {name!r} "
                f"({where}); the options of {kind!r} are {cls.names()}"
            )
        return cls(**given)


@dataclass(frozen=True)
class TolerantOptions(KindOptions):
    """Options of the kinds with float outputs: ``rtol``/``atol`` (None: from the dtype)."""

    rtol: float | None = None
    atol: float | None = None

    CONSTRAINTS: ClassVar[dict[str, Any]] = {"rtol": TOLERANCE, "atol": TOLERANCE}
