"""``njit`` that never fails because its cache cannot be written.

numba's ``cache=True`` looks for a writable cache folder (next to the source, then the
user's cache folder under ``$HOME``, or ``$NUMBA_CACHE_DIR``) when a function is
decorated, and raises ``RuntimeError("cannot cache function ...: no locator available")``
when there is none -- as in a system-wide or container install with a read-only package
folder and home directory. :func:`njit` then retries with a private folder under the
temporary directory, and compiles without a cache if that fails too.

Examples
--------
>>> @njit(cache=True)
... def twice(x):
...     return 2 * x
>>> twice(3)
6
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from typing import Any

import numba

__all__ = ["fallback_cache_dir", "njit"]


def fallback_cache_dir() -> str | None:
    """A private (mode 0700, owned by this user) cache folder under the temporary
    directory, or ``None`` when none can be made.

    Examples
    --------
    >>> path = fallback_cache_dir()
    >>> path is None or os.path.isdir(path)
    True
    """
    uid = os.getuid() if hasattr(os, "getuid") else 0
    path = os.path.join(tempfile.gettempdir(), f"topotheory-numba-cache-{uid}")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.lstat(path)
        if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != uid):
            return None
        probe = tempfile.TemporaryFile(dir=path)
        probe.close()
    except OSError:
        return None
    return path


def _no_locator(error: RuntimeError) -> bool:
    return "no locator available" in str(error)


def njit(*args: Any, **options: Any) -> Any:
    """``numba.njit`` with a cache fallback; same arguments.

    Examples
    --------
    >>> njit(lambda x: x + 1)(1)
    2
    """
    if args and callable(args[0]):
        return njit(**options)(args[0])
    if not options.get("cache"):
        return numba.njit(*args, **options)

    def decorate(func: Callable[..., Any]) -> Any:
        try:
            return numba.njit(*args, **options)(func)
        except RuntimeError as error:
            if not _no_locator(error):
                raise
        if not numba.config.CACHE_DIR:
            folder = fallback_cache_dir()
            if folder is not None:
                numba.config.CACHE_DIR = folder
                try:
                    return numba.njit(*args, **options)(func)
                except RuntimeError as error:
                    if not _no_locator(error):
                        raise
        return numba.njit(*args, **{**options, "cache": False})(func)

    return decorate
