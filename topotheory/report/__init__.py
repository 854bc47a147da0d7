"""``topotheory.report``: the bound-vs-simulation report (markdown, HTML, PNG, CSV/JSON).

``build_report(out, profile)`` runs every section, writes ``data/`` (byte-stable numbers),
``figures/`` (PNG via matplotlib's Agg canvas, imported lazily), ``report.md``, a
self-contained ``report.html`` and ``provenance.json``.  Sections whose source has not
landed render an explicit "not available yet" block.

Examples
--------
>>> from topotheory.report import get_profile
>>> get_profile("quick").name
'quick'
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "build_report": "topotheory.report.build",
    "build_sections": "topotheory.report.build",
    "write_data": "topotheory.report.build",
    "ReportResult": "topotheory.report.build",
    "get_profile": "topotheory.report.profiles",
    "PROFILES": "topotheory.report.profiles",
    "Profile": "topotheory.report.profiles",
    "SECTIONS": "topotheory.report.sections",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'topotheory.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
