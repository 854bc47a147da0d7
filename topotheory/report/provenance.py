"""Provenance of a report run: package versions, git commit, profile, seeds, timings.

These values change from run to run or machine to machine, so they go to
``provenance.json`` and the report's provenance section, never into ``data/``.

Examples
--------
>>> info = package_versions()
>>> "numpy" in info and "python" in info
True
"""

from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path

__all__ = ["PACKAGES", "git_commit", "package_versions"]

#: Distributions whose versions are recorded (read from metadata; nothing is imported).
PACKAGES: tuple[str, ...] = (
    "numpy",
    "scipy",
    "sympy",
    "numba",
    "networkx",
    "matplotlib",
    "torch",
    "scikit-learn",
    "gudhi",
    "hypothesis",
    "tqdm",
)


def package_versions() -> dict[str, str]:
    """Installed versions of :data:`PACKAGES` (``"not installed"`` when absent)."""
    versions = {"python": platform.python_version(), "platform": platform.platform()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    import topotheory

    versions["topotheory"] = topotheory.__version__
    return versions


def git_commit(path: Path | None = None) -> dict[str, object]:
    """The git commit of the source tree and whether it has uncommitted changes.

    Examples
    --------
    >>> sorted(git_commit())
    ['commit', 'dirty']
    """
    root = path or Path(__file__).resolve().parents[2]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!reports"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {"commit": "unknown (not a git checkout)", "dirty": None}
    return {"commit": commit, "dirty": bool(status.strip())}
