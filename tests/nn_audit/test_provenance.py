"""Issue 24 items 4 and 7: provenance in every audit output (kept apart from the numbers),
progress bars only on a terminal, ``--input-shape`` parsed strictly."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import platform
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import numpy as np

from tests.nn_audit.sweep_models import MODULE, checkpoints
from topotheory.cli import main
from topotheory.provenance import file_fingerprint, run_record

ARGS = ("--module", MODULE, "--input-shape", "32", "--trials", "20")
ROOT = Path(__file__).resolve().parents[2]


def _audit(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["audit", *ARGS, *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_every_audit_output_carries_its_provenance(tmp_path, capsys) -> None:
    (path,) = checkpoints(tmp_path, 1)
    status, out, err = _audit(capsys, "--weights", str(path), "--json", "--quiet",
                              "--seed", "3", "--out", str(tmp_path / "report"))
    assert status == 0, err
    data = json.loads(out)
    prov = data["provenance"]
    assert prov["checkpoint"] == {"path": str(path), "bytes": path.stat().st_size,
                                  "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    assert (prov["model"], prov["seed"]) == (MODULE, 3)
    run = prov["run"]
    assert run["command"].startswith("topotheory audit --module " + MODULE)
    assert "--seed 3" in run["command"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", run["time_utc"])
    versions = run["versions"]
    assert versions["python"] == platform.python_version()
    assert versions["numpy"] == np.__version__ and "torch" in versions
    import topotheory

    assert versions["topotheory"] == topotheory.__version__
    # the report folder shows it too; the terminal names the checkpoint
    md = (tmp_path / "report" / "audit.md").read_text()
    assert prov["checkpoint"]["sha256"] in md and "Command: `topotheory audit" in md
    status, out, _ = _audit(capsys, "--weights", str(path), "--quiet", "--seed", "3")
    assert f"checkpoint {path} ({path.stat().st_size} bytes, sha256 " in out


def test_run_dependent_fields_are_apart_from_the_numbers(tmp_path, capsys) -> None:
    (path,) = checkpoints(tmp_path, 1)
    runs = []
    for extra in ((), ("--progress",)):  # a different command line, the same numbers
        status, out, _ = _audit(capsys, "--weights", str(path), "--json", "--quiet", *extra)
        assert status == 0
        runs.append(json.loads(out))
    assert runs[0]["provenance"]["run"]["command"] != runs[1]["provenance"]["run"]["command"]
    for data in runs:
        data["provenance"].pop("run")
        data.pop("timings_seconds")
    assert runs[0] == runs[1]


def test_a_sweep_records_each_checkpoint_and_its_run(tmp_path, capsys) -> None:
    paths = checkpoints(tmp_path, 2)
    status, out, err = _audit(capsys, "--weights", *map(str, paths), "--json", "--quiet")
    assert status == 0, err
    data = json.loads(out)
    assert [c["checkpoint"] for c in data["checkpoints"]] == [file_fingerprint(p)
                                                              for p in paths]
    assert list(data)[-1] == "run"  # run-dependent block last, apart from the numbers
    assert data["run"]["command"].startswith("topotheory audit")
    assert data["run"]["versions"]["python"] == platform.python_version()
    assert data["settings"]["model"] == MODULE and data["settings"]["seed"] == 0
    for checkpoint in data["checkpoints"]:
        assert "timings_seconds" not in checkpoint["audit"]


def test_an_open_lth_folder_lists_the_files_it_read(tmp_path) -> None:
    from tests.nn_audit.sweep_models import imp_run

    run = imp_run(tmp_path, levels=2)
    folder = run / "level_1" / "main"
    files = [str(folder / "model_ep2_it0.pth"), str(folder / "mask.pth")]
    record = file_fingerprint(folder, files=files)
    assert record["path"] == str(folder)
    assert [f["sha256"] for f in record["files"]] == [
        hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in files]


def test_run_record_of_an_api_call() -> None:
    assert run_record(None)["command"] == "python API call"


def test_input_shape_is_parsed_strictly(tmp_path, capsys) -> None:
    (path,) = checkpoints(tmp_path, 1)
    for shape in ("1,x,8", "1,,8", "3.5", "-3"):
        status = main(["audit", "--module", MODULE, "--weights", str(path), "--input-shape",
                       shape])
        err = capsys.readouterr().err
        assert status == 2, shape
        assert f"--input-shape={shape!r}" in err and "whole numbers" in err


def _stderr_through_a_terminal(argv: list[str], cwd: Path) -> str:
    """Run ``python -m topotheory argv`` with stderr on a pseudo-terminal; its output."""
    leader, follower = pty.openpty()
    # a real terminal has a size; a fresh pseudo-terminal is 0 x 0 (tqdm would draw nothing)
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get(
        "PYTHONPATH", "")]))
    proc = subprocess.Popen([sys.executable, "-m", "topotheory", *argv], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=300)
    os.close(leader)
    assert proc.returncode == 0, b"".join(chunks).decode(errors="replace")
    return b"".join(chunks).decode(errors="replace")


def test_progress_bars_only_on_a_terminal(tmp_path, capsys) -> None:
    paths = [str(p) for p in checkpoints(tmp_path, 2)]
    argv = ["audit", *ARGS, "--weights", *paths]
    shown = _stderr_through_a_terminal(argv, ROOT).replace("\r\n", "\n")  # tty line ends
    assert "\r" in shown and "audit sweep:" in shown and "checkpoint/s" in shown
    assert "[audit] 1/2" not in shown  # the bar replaces the plain lines
    status = main(argv)  # stderr captured: no terminal
    err = capsys.readouterr().err
    assert status == 0 and "\r" not in err and "[audit] 1/2 step_" in err
