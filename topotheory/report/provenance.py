"""Provenance of a report run: package versions, git commit, profile, seeds, timings.

These values change from run to run or machine to machine, so they go to
``provenance.json`` and the report's provenance section, never into ``data/``. The
helpers are the project's one provenance module, :mod:`topotheory.provenance` (shared with
the verdict JSON).

Examples
--------
>>> info = package_versions()
>>> "numpy" in info and "python" in info
True
"""

from __future__ import annotations

from topotheory.provenance import PACKAGES, git_commit, numerics, package_versions

__all__ = ["PACKAGES", "git_commit", "numerics", "package_versions"]
