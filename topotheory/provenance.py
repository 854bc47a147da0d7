"""Provenance of a run: project version, git commit, package versions, numerics, threads.

These facts change from machine to machine and run to run, so they are written apart from
the compared numbers (the verdict JSON's ``provenance`` block, the report's
``provenance.json``) and ``--expect`` never compares them. Nothing here imports torch: its
version is read from the installed metadata, and its CPU capability and thread count only
when the run already imported it (:func:`numerics`).

Examples
--------
>>> info = package_versions()
>>> "numpy" in info and "python" in info
True
>>> sorted(git_commit())
['commit', 'dirty']
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["NUMERICS_ENV", "PACKAGES", "git_commit", "numerics", "package_versions"]

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

#: Environment variables that change CPU numerics or thread counts (recorded when set).
NUMERICS_ENV: tuple[str, ...] = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "NUMBA_NUM_THREADS",
    "ATEN_CPU_CAPABILITY",
    "MKL_CBWR",
    "ONEDNN_MAX_CPU_ISA",
)


def package_versions() -> dict[str, str]:
    """Python, platform, topotheory and :data:`PACKAGES` versions (``"not installed"``)."""
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

    ``reports/`` is left out of the dirty check: a report regenerated from a clean tree
    writes there. Without git (or outside a checkout) the commit is ``"unknown ..."`` and
    ``dirty`` is None.
    """
    root = path or Path(__file__).resolve().parents[1]
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
        return {"commit": "unknown (not a git checkout, or git is not installed)",
                "dirty": None}
    return {"commit": commit, "dirty": bool(status.strip())}


def numerics() -> dict[str, Any]:
    """CPU count, the numerics environment variables that are set, and torch's CPU
    capability and thread count when torch was imported by this run.

    Examples
    --------
    >>> sorted(numerics())[:2]
    ['cpu_count', 'environment']
    """
    info: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "environment": {k: os.environ[k] for k in NUMERICS_ENV if k in os.environ},
    }
    torch = sys.modules.get("torch")
    if torch is None:
        info["torch"] = "not imported by this run"
    else:
        info["torch"] = {"cpu_capability": torch.backends.cpu.get_cpu_capability(),
                         "threads": torch.get_num_threads(),
                         "interop_threads": torch.get_num_interop_threads()}
    return info
