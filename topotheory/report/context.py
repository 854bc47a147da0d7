"""What a section builder receives: the profile, progress bars, a memo.

Examples
--------
>>> from topotheory.report.profiles import get_profile
>>> ctx = Context(get_profile("quick"), show_progress=False)
>>> ctx.memo("x", lambda: 41 + 1), ctx.memo("x", lambda: 0)
(42, 42)
>>> def needs_torch_extra():
...     raise ModuleNotFoundError("No module named 'torch'", name="torch")
>>> ctx.attempt("trained layer", needs_torch_extra).reason
'torch is not installed: pip install "topotheory[torch]"'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from topotheory._extras import missing_extra
from topotheory.render.blocks import Missing
from topotheory.report.profiles import Profile

__all__ = ["Context"]

T = TypeVar("T")


@dataclass
class Context:
    """Shared state of one report build."""

    profile: Profile
    #: ``False``: nothing on stderr (``--quiet``), whatever ``bars`` says.
    show_progress: bool = True
    #: User claim modules passed to ``python -m proofs_check --claims-from``.
    claims_from: tuple[str, ...] = ()
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
        """Run ``compute``; a missing optional extra becomes a :class:`Missing` block.

        Any other error (a broken import included) propagates.
        """
        try:
            return compute()
        except ModuleNotFoundError as error:
            hint = missing_extra(error)
            if hint is None:
                raise
            return Missing(what, hint)
