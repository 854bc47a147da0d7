"""With --json, stdout carries one JSON document; ``--json-out -`` and ``/dev/stdout``
mean standard output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from topotheory import cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def weights(tmp_path):
    path = tmp_path / "w.npy"
    np.save(path, np.arange(1.0, 7.0).reshape(2, 3))
    return path


@pytest.mark.parametrize("extra", [["--json-out", "-"], ["--json-out", "/dev/stdout"],
                                   ["--json", "--json-out", "-"], ["--json"]])
def test_one_document_on_stdout(weights, extra, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["np", str(weights), *extra]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["tccr"] > 0  # exactly one document, no text table around it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.npy"]  # no file named '-'


def test_verify_json_out_dash(capsys):
    assert cli.main(["verify", "--claim", "tables-mnist-layers", "--quiet", "--json-out",
                     "-"]) == 0
    out = capsys.readouterr().out
    assert [row["id"] for row in json.loads(out)["claims"]] == ["tables-mnist-layers"]


def test_print_at_fd_level_inside_json_mode_goes_to_stderr(tmp_path):
    """A claims module writing to file descriptor 1 directly (as C code would)."""
    (tmp_path / "noisy.py").write_text("import os\nos.write(1, b'raw bytes on fd 1\\n')\n")
    done = subprocess.run(
        [sys.executable, "-m", "topotheory", "verify", "--claim", "tables-mnist-layers",
         "--quiet", "--json", "--claims-from", "noisy.py"], cwd=tmp_path, capture_output=True,
        text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["claims"][0]["status"] == "confirmed"
    assert "raw bytes on fd 1" in done.stderr
