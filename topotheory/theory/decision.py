"""The one three-way decision of every verdict: an interval against a bound.

Every claim the suite decides from a number reads ``value >= bound`` (an ``E[X] >= bound``
expectation, an ``effect >= 0`` empirical reading, an exact value against its bound). Given
a closed interval ``[low, high]`` that holds the value (a confidence interval; an exact
value is the interval ``[value, value]``):

* **confirmed** when the lower limit clears the bound: ``low >= bound`` (non-strict: the
  interval is closed, so its lower limit meeting the bound already puts the whole interval
  on the claim's side);
* **refuted** when the upper limit falls short: ``high < bound`` (strict: ``high == bound``
  is consistent with ``value = bound``, which satisfies the claim);
* **inconclusive** otherwise (the interval straddles the bound).

The two conditions exclude each other whenever ``low <= high``, and for an exact value
(``low == high``) the decision is the exact comparison ``value >= bound``: the decision of
an exact computation and of a Monte Carlo interval is one rule. This module imports no
numpy; any ordered numbers work (int, float, :class:`fractions.Fraction`).

Examples
--------
>>> three_way(0.44, 4.46, 0)
'confirmed'
>>> three_way(-2.4, 8.2, 0)
'inconclusive'
>>> three_way(-6.0, -1.0, 0)
'refuted'
>>> from fractions import Fraction
>>> three_way(Fraction(1, 6), Fraction(1, 6), Fraction(1, 6))  # an exact value on the bound
'confirmed'

A decision from two one-sided tests (each flags whether the value is significantly above,
or significantly below, what the claim is measured against) is the same rule on the
interval the flags leave open, :func:`three_way_flags`:

>>> three_way_flags(above=True, below=False), three_way_flags(above=False, below=False)
('confirmed', 'inconclusive')
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["DECISIONS", "DECISION_RULE", "three_way", "three_way_flags"]

#: The outcomes of :func:`three_way`.
DECISIONS: tuple[str, ...] = ("confirmed", "refuted", "inconclusive")

#: The rule in words (stated in the evidence of every verdict decided by it).
DECISION_RULE = ("confirmed when the lower limit is >= the bound, refuted when the upper "
                 "limit is < the bound, otherwise inconclusive")


def _number(value: Any, name: str) -> Any:
    if isinstance(value, bool) or value is None:
        raise TypeError(f"{name}={value!r} must be a number (int, float or Fraction)")
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name}={value!r} must be a number (int, float or Fraction)") from None
    if math.isnan(as_float):
        raise ValueError(f"{name} is NaN: no decision can be taken; compute the interval "
                         "from finite values")
    return value


def three_way(low: Any, high: Any, bound: Any) -> str:
    """Decide ``value >= bound`` from a closed interval ``[low, high]`` holding the value.

    Parameters
    ----------
    low, high : number
        Lower and upper limit (equal for an exact value); ``low <= high``.
    bound : number
        The bound the claim says the value reaches.

    Returns
    -------
    str
        ``"confirmed"`` if ``low >= bound``, ``"refuted"`` if ``high < bound``, else
        ``"inconclusive"``.

    Raises
    ------
    TypeError
        If a limit or the bound is not a number.
    ValueError
        If one is NaN, or ``low > high``.

    Examples
    --------
    >>> three_way(0.5, 0.6, 0.5), three_way(0.4, 0.5, 0.5), three_way(0.3, 0.49, 0.5)
    ('confirmed', 'inconclusive', 'refuted')
    >>> three_way(2, 1, 0)
    Traceback (most recent call last):
    ...
    ValueError: low=2 > high=1: pass the interval's lower limit first
    """
    low, high, bound = _number(low, "low"), _number(high, "high"), _number(bound, "bound")
    if low > high:
        raise ValueError(f"low={low!r} > high={high!r}: pass the interval's lower limit first")
    if low >= bound:
        return "confirmed"
    if high < bound:
        return "refuted"
    return "inconclusive"


def three_way_flags(*, above: bool, below: bool) -> str:
    """Decide from two one-sided test flags: :func:`three_way` on the interval they leave.

    ``above`` says a test found the value significantly above the reference (the claim's
    side), ``below`` that one found it significantly below. On the value's sign relative
    to the reference, ``above`` puts the lower limit above 0 and ``below`` the upper limit
    below 0, so the decision is ``three_way(+1 if above else -1, -1 if below else +1, 0)``:
    confirmed by evidence above only, refuted by evidence below only, inconclusive with
    neither. Both flags together (e.g. some layers above, others below) leave no interval:
    that evidence is mixed, and mixed evidence is inconclusive.

    Parameters
    ----------
    above, below : bool
        Whether a (multiplicity-adjusted) one-sided test rejected towards that side.

    Returns
    -------
    str
        ``"confirmed"``, ``"refuted"`` or ``"inconclusive"``.

    Raises
    ------
    TypeError
        If a flag is not a bool.

    Examples
    --------
    >>> [three_way_flags(above=a, below=b) for a, b in
    ...  [(True, False), (False, True), (False, False), (True, True)]]
    ['confirmed', 'refuted', 'inconclusive', 'inconclusive']
    """
    for name, flag in (("above", above), ("below", below)):
        if not isinstance(flag, bool):
            raise TypeError(f"{name}={flag!r} must be a bool (True when a one-sided test "
                            "rejected towards that side); pass bool(...) of the test's flags")
    if above and below:
        return "inconclusive"  # evidence on both sides: mixed
    return three_way(1 if above else -1, -1 if below else 1, 0)
