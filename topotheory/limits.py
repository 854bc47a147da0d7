"""One memory limit for every size read from the user, checked before allocating.

The limit is half of the memory available to this process (``MemAvailable`` of
``/proc/meminfo``, capped by a cgroup limit when there is one), unless overridden with
:func:`set_memory_limit`, the environment variable ``TOPOTHEORY_MAX_MEMORY`` (e.g.
``64G``), or the command line's ``--max-memory``. :func:`check_allocation` raises
:class:`SizeLimitError` (an :class:`~topotheory.errors.InputError`) whose message names
the override.

Cost on the hot path: the machine's memory is read once per process (the first check)
and again only after :func:`set_memory_limit` is called; the environment variable is
looked up on every check but parsed only when its text changes. A check is a dictionary
lookup and an integer comparison, no file I/O (the topology core runs one per call).

Examples
--------
>>> parse_size("1.5G")
1610612736
>>> check_allocation(8 * 10, what="a 10-element float64 array", argument="weights",
...                  value=(10,))
>>> try:
...     check_allocation(1 << 62, what="a test array", argument="shape", value=(1,))
... except SizeLimitError as error:
...     print("TOPOTHEORY_MAX_MEMORY" in str(error))
True
"""

from __future__ import annotations

import os
import re
from typing import Any

from topotheory.errors import InputError

__all__ = [
    "SizeLimitError",
    "available_memory_bytes",
    "check_allocation",
    "environment_limit",
    "format_size",
    "memory_limit_bytes",
    "parse_size",
    "set_memory_limit",
]

_FALLBACK_AVAILABLE = 4 << 30
_override: int | None = None
#: Half the machine's available memory, read once (``None``: not read yet).
_machine_limit: int | None = None
#: The last ``TOPOTHEORY_MAX_MEMORY`` text seen and its value: bytes, the InputError of a
#: malformed value, or ``None`` when unset.
_env_cache: tuple[str, int | InputError | None] = ("", None)
_UNITS = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40, "P": 1 << 50}


class SizeLimitError(InputError):
    """An input whose size would need more memory than the limit allows.

    Attributes ``needed`` and ``limit`` are in bytes.
    """

    def __init__(
        self, problem: str, *, argument: str, value: Any, fix: str = "", needed: int = 0,
        limit: int = 0,
    ) -> None:
        self.needed = needed
        self.limit = limit
        super().__init__(problem, argument=argument, value=value, fix=fix)

    def with_argument(self, argument: str, *, fix: str | None = None) -> SizeLimitError:
        return SizeLimitError(
            self.problem, argument=argument, value=self.value,
            fix=self.fix if fix is None else fix, needed=self.needed, limit=self.limit,
        )


#: Largest size accepted (8 EiB): more than any machine has, and still a C ``int64``.
_MAX_SIZE = 1 << 63


def parse_size(text: str | int, *, argument: str = "max_memory") -> int:
    """Bytes from ``"512M"``, ``"64G"``, ``"1.5T"`` or an integer.

    Exact decimal arithmetic: a 400-digit number is refused as too large, never turned
    into a float overflow.

    Parameters
    ----------
    text : str or int
        The size as given.
    argument : str
        The argument named in the error (``max_memory``, ``--max-memory``,
        ``TOPOTHEORY_MAX_MEMORY``).

    Raises
    ------
    topotheory.errors.InputError
        Not a size, zero or negative, or more than 8 EiB.

    Examples
    --------
    >>> parse_size("64G") == 64 * 2**30, parse_size(1000), parse_size("1.5K")
    (True, 1000, 1536)
    >>> parse_size("9" * 400)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: max_memory='999...: is more than 8 EiB...
    """
    from fractions import Fraction

    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    else:
        match = re.fullmatch(r"\s*([0-9]{1,400}(?:\.[0-9]{0,400})?)\s*([kKmMgGtTpP]?)(?:i?[bB])?\s*",
                             str(text))
        if not match:
            raise InputError(
                "is not a size", argument=argument, value=text,
                fix="give bytes or a number with a unit, e.g. 512M, 8G, 1.5T",
            )
        value = int(Fraction(match.group(1)) * _UNITS[match.group(2).upper()])
    if value <= 0:
        raise InputError("must be positive", argument=argument, value=text,
                         fix="give a size such as 8G")
    if value > _MAX_SIZE:
        raise InputError("is more than 8 EiB, more than any machine has", argument=argument,
                         value=text, fix="give a size such as 8G")
    return value


def environment_limit() -> int | None:
    """The limit set by ``TOPOTHEORY_MAX_MEMORY``, parsed like ``--max-memory``
    (``None`` when unset or empty).

    Raises
    ------
    topotheory.errors.InputError
        The variable is set to something that is not a positive size (``garbage``, ``0``,
        ``-1``): named ``TOPOTHEORY_MAX_MEMORY``, never silently ignored.

    Examples
    --------
    >>> import os
    >>> os.environ["TOPOTHEORY_MAX_MEMORY"] = "0"
    >>> environment_limit()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: TOPOTHEORY_MAX_MEMORY='0': must be positive...
    >>> del os.environ["TOPOTHEORY_MAX_MEMORY"]; environment_limit() is None
    True
    """
    return _env_limit(os.environ.get("TOPOTHEORY_MAX_MEMORY", ""))


def format_size(n: int | float) -> str:
    """Human-readable bytes (binary units).

    Examples
    --------
    >>> format_size(3 * 2**30), format_size(512)
    ('3.0 GiB', '512 B')
    """
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if value < 1024 or unit == "PiB":
            return f"{int(value)} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def _cgroup_limit() -> int | None:
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = open(path, encoding="ascii").read().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 1 << 60:
            return int(text)
    return None


def available_memory_bytes() -> int:
    """Memory available to this process now, in bytes (best effort).

    Examples
    --------
    >>> available_memory_bytes() > 0
    True
    """
    available = None
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    available = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError, IndexError):
        available = None
    if available is None:
        try:
            available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):
            available = _FALLBACK_AVAILABLE
    cgroup = _cgroup_limit()
    return min(available, cgroup) if cgroup else available


def set_memory_limit(limit: int | str | None) -> None:
    """Override the limit for this process (``None`` restores the default).

    Either way the machine's available memory is read again at the next check.

    Examples
    --------
    >>> set_memory_limit("2G"); memory_limit_bytes() == 2 * 2**30
    True
    >>> set_memory_limit(None)
    """
    global _override, _machine_limit
    _override = None if limit is None else parse_size(limit)
    _machine_limit = None


def _env_limit(text: str) -> int | None:
    """The parsed ``TOPOTHEORY_MAX_MEMORY`` (``None`` when unset), cached by its text; a
    value that is not a positive size raises every time it is read, never ignored."""
    global _env_cache
    if text != _env_cache[0]:
        value: int | InputError | None = None
        if text.strip():
            try:
                value = parse_size(text, argument="TOPOTHEORY_MAX_MEMORY")
            except InputError as error:
                value = InputError(
                    error.problem, argument="TOPOTHEORY_MAX_MEMORY", value=text,
                    fix=f"set it to a size such as 8G, or unset it ({error.fix})",
                )
        _env_cache = (text, value)
    value = _env_cache[1]
    if isinstance(value, InputError):
        raise InputError(value.problem, argument=value.argument, value=value.value,
                         fix=value.fix)
    return value


def memory_limit_bytes() -> int:
    """The current limit: the override, else ``TOPOTHEORY_MAX_MEMORY``, else half of
    :func:`available_memory_bytes` as read at the first call (or the first after
    :func:`set_memory_limit`).

    A malformed ``TOPOTHEORY_MAX_MEMORY`` raises (:func:`environment_limit`).

    Examples
    --------
    >>> memory_limit_bytes() > 0
    True
    """
    global _machine_limit
    if _override is not None:
        return _override
    env = _env_limit(os.environ.get("TOPOTHEORY_MAX_MEMORY", ""))
    if env is not None:
        return env
    if _machine_limit is None:
        _machine_limit = max(available_memory_bytes() // 2, 64 << 20)
    return _machine_limit


def check_allocation(
    nbytes: int | float, *, what: str, argument: str, value: Any, fix: str = ""
) -> None:
    """Raise :class:`SizeLimitError` if allocating ``nbytes`` exceeds the limit.

    Parameters
    ----------
    nbytes : int
        Bytes the caller is about to allocate (an estimate is fine).
    what : str
        What would be allocated, e.g. ``"the 50000x50000 float64 array"``.
    argument, value
        The input that determines the size (shown in the message).
    fix : str
        How to make the input smaller; the override is always added.
    """
    limit = memory_limit_bytes()
    if nbytes <= limit:
        return
    need = int(nbytes)
    override = (
        f"or raise the limit (now {format_size(limit)}) with --max-memory "
        f"{_suggest(need)} on the command line, TOPOTHEORY_MAX_MEMORY={_suggest(need)} in "
        f"the environment, or topotheory.limits.set_memory_limit('{_suggest(need)}')"
    )
    if _override is not None:
        origin = "set with --max-memory or set_memory_limit"
    elif os.environ.get("TOPOTHEORY_MAX_MEMORY", "").strip():
        origin = "set with TOPOTHEORY_MAX_MEMORY"
    else:
        origin = "half the available memory"
    raise SizeLimitError(
        f"{what} would need {format_size(need)}, more than the memory limit "
        f"{format_size(limit)} ({origin})",
        argument=argument,
        value=value,
        fix=f"{fix}; {override}" if fix else override,
        needed=need,
        limit=limit,
    )


def _suggest(need: int) -> str:
    gib = -(-need // (1 << 30))
    return f"{gib}G"
