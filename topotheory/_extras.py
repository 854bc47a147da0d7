"""Optional extras: which missing module means which ``pip install "topotheory[...]"``.

A missing optional dependency is not a bug: the claim runner turns it into a visible
``inconclusive`` row and the report into a "not available" block, both naming the extra.
Any other import error is a bug and propagates.

Examples
--------
>>> missing_extra(ModuleNotFoundError("No module named 'sklearn'", name="sklearn"))
'scikit-learn is not installed: pip install "topotheory[torch]"'
>>> missing_extra(ModuleNotFoundError("No module named 'topotheory.x'", name="topotheory.x")) is None
True
"""

from __future__ import annotations

__all__ = ["OPTIONAL_EXTRAS", "missing_extra"]

#: Top-level module -> (distribution name, topotheory extra that installs it).
OPTIONAL_EXTRAS: dict[str, tuple[str, str]] = {
    "torch": ("torch", "torch"),
    "sklearn": ("scikit-learn", "torch"),
    "safetensors": ("safetensors", "torch"),
    "matplotlib": ("matplotlib", "report"),
    "dask": ("dask[distributed]", "dask"),
    "distributed": ("dask[distributed]", "dask"),
}


def missing_extra(error: BaseException) -> str | None:
    """The install hint if ``error`` (or its cause) is a missing optional extra, else None."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ModuleNotFoundError) and current.name:
            top = current.name.split(".")[0]
            if top in OPTIONAL_EXTRAS:
                dist, extra = OPTIONAL_EXTRAS[top]
                return f'{dist} is not installed: pip install "topotheory[{extra}]"'
        current = current.__cause__ or current.__context__
    return None
