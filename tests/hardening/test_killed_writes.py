"""Temporary files of killed single-file writes (issue #23): recognised and removed by the
next write into that folder -- only ours (exact name with this host's tag, a regular file
of this user, a writer that no longer runs), never a user's file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import issue23_cases as cases  # noqa: E402

from topotheory import safe_output  # noqa: E402
from topotheory.safe_output import atomic_write_text  # noqa: E402


def _tmp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".topotheory-tmp-"))


def test_killed_write_leaves_a_temp_file_the_next_write_removes(tmp_path):
    cases.killed_single_write(tmp_path, "out.json")
    left = _tmp_files(tmp_path)
    assert len(left) == 1, left
    assert not (tmp_path / "out.json").exists()  # the killed write never reached its target
    atomic_write_text(tmp_path / "other.json", "{}\n")
    assert _tmp_files(tmp_path) == []
    assert (tmp_path / "other.json").read_text() == "{}\n"


def _ours(pid: int, started: str = "x", host: str | None = None) -> str:
    return (f".topotheory-tmp-{host or safe_output._host_tag()}-{pid}-{started}-"
            "abcd_123")


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid  # reaped: no process has it (unless reused at once; then it is kept)


def test_only_our_stale_temp_files_are_removed(tmp_path):
    dead = _dead_pid()
    me = os.getpid()
    my_start = safe_output._process_start(me)
    names = {
        "dead": _ours(dead),
        "pid-reused": _ours(me, started="1"),  # our pid, but a process started earlier
        "running": _ours(me, started=my_start or "x"),
        "other-host": _ours(dead, host="00000000" if safe_output._host_tag() != "00000000"
                            else "11111111"),
        "user-file": ".topotheory-tmp-my-notes.txt",
        "legacy": ".topotheory-tmp-k3j_x9qz",  # an unmarked name (before the pid was in it)
    }
    for name in names.values():
        (tmp_path / name).write_text("keep me?\n")
    link = _ours(dead).replace("abcd_123", "link0000")
    (tmp_path / link).symlink_to(tmp_path / names["user-file"])
    folder = _ours(dead).replace("abcd_123", "fold0000")
    (tmp_path / folder).mkdir()

    atomic_write_text(tmp_path / "result.json", "{}\n")

    left = set(_tmp_files(tmp_path))
    assert names["dead"] not in left
    assert names["pid-reused"] not in left
    kept = {names[k] for k in ("running", "other-host", "user-file", "legacy")} | {link, folder}
    assert kept <= left, kept - left
    assert (tmp_path / names["user-file"]).read_text() == "keep me?\n"
    assert os.path.islink(tmp_path / link) and (tmp_path / folder).is_dir()


def test_temp_name_names_the_writer():
    prefix = safe_output._tmp_prefix()
    assert prefix.startswith(f".topotheory-tmp-{safe_output._host_tag()}-{os.getpid()}-")
    assert safe_output._TMP_NAME.fullmatch(prefix + "abcdefgh")


@pytest.mark.skipif(os.geteuid() != 0, reason="needs a file of another user (root chowns)")
def test_another_users_temp_file_is_kept(tmp_path):
    name = _ours(_dead_pid())
    (tmp_path / name).write_text("x")
    os.chown(tmp_path / name, 12345, 12345)
    atomic_write_text(tmp_path / "b.txt", "y")
    assert (tmp_path / name).exists()


def test_child_killed_by_sigkill_mid_write_is_the_real_thing(tmp_path):
    """The helper really kills a writer inside atomic_write_bytes (between its write and
    its rename): the target is absent and the temp file holds the partial data."""
    cases.killed_single_write(tmp_path, "t.json")
    (left,) = _tmp_files(tmp_path)
    assert safe_output._TMP_NAME.fullmatch(left)
    assert (tmp_path / left).read_text() == cases.KILLED_WRITE_TEXT
    assert safe_output._is_stale_tmp(tmp_path, left)

