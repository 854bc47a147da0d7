"""Writes that only touch what topotheory owns (issue #23, item 1).

Single files: regular files or absent, never a device, a FIFO, a folder or a link; unique
temporary names; permissions kept. Folders: a manifest with hashes decides what is ours;
``--force`` never replaces a file that is not ours as written; links inside are refused;
staging folders of killed runs are removed by the next run.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from topotheory.errors import InputError
from topotheory.safe_output import (
    MANIFEST_NAME,
    STAGING_MARKER,
    atomic_output_dir,
    atomic_write_text,
    read_manifest,
    validate_output_dir,
    validate_output_file,
)

ROOT = Path(__file__).resolve().parents[2]


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def _special_files(tmp_path: Path) -> list[Path]:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    nodes = [fifo]
    if os.geteuid() == 0:  # a device node of our own, never the machine's /dev/null
        device = tmp_path / "null"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        nodes.append(device)
    return nodes


# ------------------------------------------------------------------------- files


def test_special_files_are_refused_and_stay_special(tmp_path):
    nodes = _special_files(tmp_path)
    for node in nodes:
        kind = stat.S_IFMT(os.lstat(node).st_mode)
        with pytest.raises(InputError, match=r"--json-out=.*is a (FIFO|character device)"):
            validate_output_file(node, argument="--json-out")
        with pytest.raises(InputError, match="not a regular file"):
            atomic_write_text(node, "{}", argument="--json-out")
        assert stat.S_IFMT(os.lstat(node).st_mode) == kind  # device nodes stay device nodes
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(n.name for n in nodes)


@pytest.mark.parametrize("name", ["newdir/", "newdir" + os.sep, "a/b/"])
def test_a_path_ending_in_a_separator_is_refused(tmp_path, name, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="ends with a path separator") as info:
        validate_output_file(name, argument="--json-out")
    assert info.value.argument == "--json-out"
    with pytest.raises(InputError, match="ends with a path separator"):
        atomic_write_text(name, "{}")
    assert list(tmp_path.iterdir()) == []


def test_a_symbolic_link_is_refused_and_its_target_untouched(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("mine")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with pytest.raises(InputError, match=r"is a symbolic link.*real\.json"):
        validate_output_file(link, argument="--json-out")
    with pytest.raises(InputError, match="symbolic link"):
        atomic_write_text(link, "{}")
    assert real.read_text() == "mine" and link.is_symlink()


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(InputError, match="is a folder, not a regular file"):
        validate_output_file(tmp_path, argument="--json-out")


@pytest.mark.parametrize("name", ["-", "/dev/stdout"])
def test_dash_and_dev_stdout_mean_standard_output(name, capsys):
    assert validate_output_file(name, argument="--json-out") is None
    assert atomic_write_text(name, '{"a": 1}\n') is None
    assert capsys.readouterr().out == '{"a": 1}\n'


def test_temp_names_are_unique_and_a_users_tmp_file_is_untouched(tmp_path):
    target = tmp_path / "claims.md"
    target.write_text("old")
    mine = tmp_path / "claims.md.tmp"
    mine.write_text("a file of mine")
    atomic_write_text(target, "new")
    assert target.read_text() == "new" and mine.read_text() == "a file of mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.md", "claims.md.tmp"]


def test_permission_bits_and_owner_of_a_replaced_file_are_kept(tmp_path):
    target = tmp_path / "claims.md"
    target.write_text("old")
    os.chmod(target, 0o640)
    if os.geteuid() == 0:
        os.chown(target, 4321, 4321)
    atomic_write_text(target, "new")
    info = os.stat(target)
    assert stat.S_IMODE(info.st_mode) == 0o640
    if os.geteuid() == 0:
        assert (info.st_uid, info.st_gid) == (4321, 4321)


def test_concurrent_writers_never_collide(tmp_path):
    target = tmp_path / "out.json"
    texts = [f'{{"writer": {i}}}\n' * 1000 for i in range(8)]
    threads = [threading.Thread(target=atomic_write_text, args=(target, t)) for t in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert target.read_text() in texts  # one whole document, never a mix
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


# ----------------------------------------------------------------------- folders


def _report(out: Path, **files: str) -> None:
    with atomic_output_dir(out) as stage:
        for name, text in files.items():
            path = stage / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)


def test_force_replaces_only_unchanged_files_of_ours_and_says_what_it_left(tmp_path):
    out = tmp_path / "R"
    _report(out, **{"report.md": "r1", "data__a.csv": "a1", "data__b.csv": "b1"})
    (out / "data" / "a.csv").write_text("edited")  # ours, changed since
    (out / "notes.md").write_text("mine")  # not ours at all
    left: list[tuple[str, str]] = []
    with atomic_output_dir(out, force=True, on_left=left.extend) as stage:
        (stage / "data").mkdir()
        for name in ("report.md", "data/a.csv", "data/b.csv", "notes.md"):
            (stage / name).write_text("r2")
    tree = _tree(out)
    assert tree["report.md"] == b"r2" and tree["data/b.csv"] == b"r2"  # ours: replaced
    assert tree["data/a.csv"] == b"edited" and tree["notes.md"] == b"mine"  # kept
    assert left == [("data/a.csv", "changed since topotheory wrote it"),
                    ("notes.md", "not written by topotheory")]
    assert sorted(read_manifest(out)) == ["data/b.csv", "report.md"]


def test_edited_output_is_refused_before_work_without_force(tmp_path):
    out = tmp_path / "R"
    _report(out, **{"report.md": "r1"})
    (out / "report.md").write_text("edited")
    with pytest.raises(InputError, match=r"--out=.*report\.md \(changed since.*--force"):
        validate_output_dir(out)
    # a partial rebuild checks at the end, only where it writes
    assert validate_output_dir(out, update=True) == out
    with atomic_output_dir(out, update=True) as stage:
        (stage / "other.md").write_text("x")
    assert (out / "report.md").read_text() == "edited"
    assert sorted(read_manifest(out)) == ["other.md"]  # the edited file is the user's now
    with pytest.raises(InputError, match=r"report\.md \(not written by topotheory"):
        with atomic_output_dir(out, update=True) as stage:
            (stage / "report.md").write_text("r2")
    assert (out / "report.md").read_text() == "edited"


def test_symlinks_inside_the_folder_are_refused_not_followed(tmp_path):
    out = tmp_path / "R"
    _report(out, **{"data__a.csv": "a1"})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("outside")
    os.rename(out / "data", outside / "data")
    (out / "data").symlink_to(outside / "data")
    before = _tree(outside)
    with pytest.raises(InputError, match=r"symbolic links inside \(data\)"):
        validate_output_dir(out, force=True)
    with pytest.raises(InputError, match="symbolic links"):
        with atomic_output_dir(out, force=True) as stage:
            (stage / "data").mkdir()
            (stage / "data" / "a.csv").write_text("a2")
    assert _tree(outside) == before


def test_a_link_made_while_building_is_not_followed(tmp_path):
    out = tmp_path / "R"
    _report(out, **{"data__a.csv": "a1"})
    outside = tmp_path / "outside"
    outside.mkdir()
    with pytest.raises(InputError, match="symbolic link"):
        with atomic_output_dir(out, force=True) as stage:
            (stage / "data").mkdir()
            (stage / "data" / "a.csv").write_text("a2")
            os.rename(out / "data", tmp_path / "moved")
            (out / "data").symlink_to(outside)
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("content", ["[1, 2, 3]", '"text"', "42", "null",
                                     '{"written_by": "topotheory", "files": [1]}', "{broken"])
def test_a_manifest_that_is_not_ours_is_refused_even_with_force(tmp_path, content):
    out = tmp_path / "R"
    out.mkdir()
    (out / MANIFEST_NAME).write_text(content)
    for force in (False, True):
        with pytest.raises(InputError, match=f"{MANIFEST_NAME}.*move"):
            validate_output_dir(out, force=force)
    assert (out / MANIFEST_NAME).read_text() == content


def test_a_fifo_named_like_the_manifest_is_refused_without_blocking(tmp_path):
    out = tmp_path / "R"
    out.mkdir()
    os.mkfifo(out / MANIFEST_NAME)
    with pytest.raises(InputError, match="is a FIFO"):
        validate_output_dir(out, force=True)


def test_a_special_file_where_an_output_goes_is_left(tmp_path):
    out = tmp_path / "R"
    _report(out, **{"a.csv": "a1"})
    os.mkfifo(out / "b.csv")
    left: list[tuple[str, str]] = []
    with atomic_output_dir(out, force=True, on_left=left.extend) as stage:
        (stage / "b.csv").write_text("b")
    assert stat.S_ISFIFO(os.lstat(out / "b.csv").st_mode)
    assert left == [("b.csv", "is a FIFO (named pipe)")]


# ---------------------------------------------------------------------- staging

KILLED = """
import os, signal, sys
from topotheory.safe_output import atomic_output_dir
with atomic_output_dir(sys.argv[1]) as stage:
    (stage / "half.csv").write_text("half written")
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _run_killed(out: Path) -> None:
    done = subprocess.run([sys.executable, "-c", KILLED, str(out)], check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == -signal.SIGKILL


def _stages(folder: Path) -> list[Path]:
    return sorted(folder.glob(".topotheory-staging-*"))


def test_a_staging_folder_of_a_killed_run_is_removed_by_the_next_run(tmp_path):
    out = tmp_path / "R"
    _run_killed(out)  # a new folder: its staging folder sits next to it
    (stage,) = _stages(tmp_path)
    assert json.loads((stage / STAGING_MARKER).read_text())["written_by"] == "topotheory"
    _report(out, **{"a.csv": "a"})
    assert _stages(tmp_path) == [] and sorted(read_manifest(out)) == ["a.csv"]
    _run_killed(out)  # an existing folder: its staging folder sits inside
    assert len(_stages(out)) == 1
    assert validate_output_dir(out) == out  # ours: not counted as a foreign file
    _report(out, **{"b.csv": "b"})
    assert _stages(out) == [] and sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME,
                                                                              "b.csv"]


def test_a_staging_folder_of_a_running_process_is_kept(tmp_path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = tmp_path / ".topotheory-staging-live0001"
        live.mkdir()
        marker = {"written_by": "topotheory", "pid": sleeper.pid,
                  "host": socket.gethostname(), "started": None}
        (live / STAGING_MARKER).write_text(json.dumps(marker))
        _report(tmp_path / "R", **{"a.csv": "a"})
        assert live.is_dir()
    finally:
        sleeper.kill()
        sleeper.wait()
    _report(tmp_path / "R2", **{"a.csv": "a"})  # dead now: removed
    assert not live.exists()


def test_folders_that_only_look_like_staging_are_kept(tmp_path):
    unmarked = tmp_path / ".topotheory-staging-mine"
    unmarked.mkdir()
    (unmarked / "data.csv").write_text("mine")
    forged = tmp_path / ".topotheory-staging-forged"
    forged.mkdir()
    (forged / STAGING_MARKER).write_text('{"written_by": "someone", "pid": 1}')
    empty = tmp_path / ".topotheory-staging-empty"  # killed before writing its marker
    empty.mkdir()
    _report(tmp_path / "R", **{"a.csv": "a"})
    assert (unmarked / "data.csv").read_text() == "mine" and forged.is_dir()
    assert not empty.exists()
