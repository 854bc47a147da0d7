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

from topotheory._lazy import lazy_exports

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

__getattr__, __dir__, __all__ = lazy_exports(globals(), _EXPORTS)
