"""Argument checks shared by the simulate modules (pure python, no numpy)."""

from __future__ import annotations

import numbers

from topotheory.errors import InputError, InputTypeError


def check_int(value: object, name: str, *, minimum: int = 0) -> int:
    """Return ``value`` as an ``int`` or raise a self-describing error.

    Examples
    --------
    >>> check_int(3, "n", minimum=1)
    3
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputTypeError(
            f"{name} must be an integer, got {type(value).__name__}", argument=name, value=value,
            fix="give a whole number",
        )
    value = int(value)
    if value < minimum:
        raise InputError(
            f"{name} must be >= {minimum}, got {value}", argument=name, value=value,
            fix=f"give a value >= {minimum}",
        )
    return value


def check_shape(n: object, m: object, k: object = None) -> tuple[int, int, int]:
    """Validate a complete bipartite shape ``K_{n,m}`` and a top-k size.

    ``k`` defaults to the spanning-tree size ``n + m - 1``; it must lie in ``1..n*m``.

    Examples
    --------
    >>> check_shape(3, 4)
    (3, 4, 6)
    """
    n = check_int(n, "n", minimum=1)
    m = check_int(m, "m", minimum=1)
    if k is None:
        k = n + m - 1
    k = check_int(k, "k", minimum=1)
    if k > n * m:
        raise InputError(
            f"exceeds the number of edges n*m={n * m}", argument="k", value=k,
            fix="give k <= n*m (default n+m-1)",
        )
    return n, m, k
