"""What a section builder receives: the profile, progress bars, a memo, optional imports.

Examples
--------
>>> from topotheory.report.profiles import get_profile
>>> ctx = Context(get_profile("quick"), show_progress=False)
>>> ctx.memo("x", lambda: 41 + 1), ctx.memo("x", lambda: 0)
(42, 42)
>>> try:
...     require("topotheory.no_such_module", issue="issue 0")
... except Unavailable as error:
...     print(error)
`topotheory.no_such_module` is not on this branch yet (issue 0)
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from topotheory.report.model import Missing, Unavailable
from topotheory.report.profiles import Profile

__all__ = ["Context", "require"]

T = TypeVar("T")


def _root_of(top: str) -> Path | None:
    spec = importlib.util.find_spec(top)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).resolve().parent


def require(module: str, *attrs: str, issue: str = "") -> ModuleType:
    """Import ``module`` (and check ``attrs``) or raise :class:`Unavailable` saying why.

    The module must belong to the same source tree as its top-level package (a module that
    is only found in some other checkout, e.g. through another editable install, counts
    as not available).  Only a missing *source* module (or a missing optional dependency
    such as torch) becomes :class:`Unavailable`; any other import error propagates.
    """
    where = f" ({issue})" if issue else ""
    not_here = Unavailable(f"`{module}` is not on this branch yet{where}")
    root = _root_of(module.split(".")[0])
    try:
        spec = importlib.util.find_spec(module)
    except ModuleNotFoundError:
        spec = None
    origin = None if spec is None else spec.origin
    if origin is None or root is None or root not in Path(origin).resolve().parents:
        raise not_here
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if missing.split(".")[0] in {"torch", "sklearn", "safetensors", "matplotlib"}:
            raise Unavailable(f"`{module}` needs `{missing}`, which is not installed") from None
        raise
    absent = [a for a in attrs if not hasattr(mod, a)]
    if absent:
        names = ", ".join(f"`{module}.{a}`" for a in absent)
        raise Unavailable(f"{names} not on this branch yet{where}")
    return mod


@dataclass
class Context:
    """Shared state of one report build."""

    profile: Profile
    #: ``False``: nothing on stderr (``--quiet``), whatever ``bars`` says.
    show_progress: bool = True
    #: Progress bars: ``None`` only when stderr is a terminal, ``True`` always, ``False`` never.
    bars: bool | None = None
    _memo: dict[str, Any] = field(default_factory=dict)

    @property
    def bars_enabled(self) -> bool:
        """Whether progress bars are drawn (see :func:`topotheory.progress.progress_enabled`)."""
        from topotheory.progress import progress_enabled

        return self.show_progress and progress_enabled(self.bars)

    def progress(
        self, iterable: Iterable[T], *, desc: str, total: int | None = None
    ) -> Iterable[T]:
        """Wrap ``iterable`` in a tqdm bar on stderr (a no-op when progress is off)."""
        if not self.bars_enabled:
            return iterable
        from topotheory.progress import progress_iter

        return progress_iter(iterable, desc=desc, total=total, progress=True)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """Compute once per build; later sections reuse the value (e.g. trained weights)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @staticmethod
    def attempt(what: str, compute: Callable[[], T]) -> T | Missing:
        """Run ``compute``; an :class:`Unavailable` becomes a :class:`Missing` block."""
        try:
            return compute()
        except Unavailable as error:
            return Missing(what, str(error))
