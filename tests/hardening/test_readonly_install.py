"""The CLI runs from a read-only install with an unwritable home (numba cache fallback).

A private mount namespace (``unshare -m``) makes a copy of the package and a home folder
read-only, as in a system-wide or container install; ``NUMBA_CACHE_DIR`` is unset. The test
is skipped where mount namespaces are not permitted.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _can_unshare() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c",
         "mount -t tmpfs none /mnt 2>/dev/null || mount --bind / /mnt"],
        capture_output=True, check=False,
    )
    return probe.returncode == 0


pytestmark = [
    pytest.mark.skipif(not _can_unshare(), reason="mount namespaces not permitted"),
    # every numba kernel the command uses is compiled from cold (no cache may be written):
    # ~15 s of CPU per test; CI's -m slow step
    pytest.mark.slow,
]


def _run_readonly(tmp_path: Path, argv: list[str], *, tmpdir_writable: bool) -> subprocess.CompletedProcess:
    pkg = tmp_path / "pkg"
    ignore = shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc")
    shutil.copytree(ROOT / "topotheory", pkg / "topotheory", ignore=ignore)
    shutil.copytree(ROOT / "proofs_check", pkg / "proofs_check", ignore=ignore)
    home = tmp_path / "home"
    home.mkdir()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    readonly = [pkg, home] + ([] if tmpdir_writable else [tmp])
    mounts = " && ".join(
        f"mount --bind {shlex.quote(str(p))} {shlex.quote(str(p))} && "
        f"mount -o remount,bind,ro {shlex.quote(str(p))}"
        for p in readonly
    )
    command = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "topotheory", *argv])
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_")}
    env.update(HOME=str(home), TMPDIR=str(tmp), PYTHONPATH=str(pkg),
               PYTHONDONTWRITEBYTECODE="1", XDG_CACHE_HOME=str(home / ".cache"))
    return subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", f"{mounts} && {command}"],
        capture_output=True, text=True, env=env, cwd=work, timeout=600, check=False,
    )


@pytest.mark.parametrize("tmpdir_writable", [True, False], ids=["tmp-cache", "no-cache"])
def test_cli_runs_without_writable_package_or_home(tmp_path, tmpdir_writable):
    weights = tmp_path / "w.npy"
    np.save(weights, np.arange(1.0, 13.0).reshape(3, 4))
    done = _run_readonly(tmp_path, ["np", str(weights), "--json"], tmpdir_writable=tmpdir_writable)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and '"mst_edges": 6' in done.stdout
    assert list((tmp_path / "work").iterdir()) == []
