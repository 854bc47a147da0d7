"""The safe output writer: validation before work, staging, manifest, atomic files."""

from __future__ import annotations

import json
import os

import pytest

from topotheory.errors import InputError
from topotheory.safe_output import (
    MANIFEST_NAME,
    atomic_output_dir,
    atomic_write_bytes,
    atomic_write_text,
    read_manifest,
    validate_output_dir,
)


def _tree(root):
    return {
        p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_empty_path_refused():
    with pytest.raises(InputError, match="--out=''.*empty") as info:
        validate_output_dir("")
    assert info.value.argument == "--out"


def test_file_refused_and_below_file_refused(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("x")
    with pytest.raises(InputError, match="is a regular file, not a folder"):
        validate_output_dir(f)
    with pytest.raises(InputError, match="which is not a folder"):
        validate_output_dir(f / "sub")


def test_foreign_nonempty_folder_refused_unless_force(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "mine.csv").write_text("x")
    with pytest.raises(InputError, match="--force"):
        validate_output_dir(tmp_path, argument="--out")
    assert validate_output_dir(tmp_path, force=True) == tmp_path
    with atomic_output_dir(tmp_path, force=True) as stage:
        (stage / "data").mkdir()
        (stage / "data" / "t.csv").write_text("1")
    assert (tmp_path / "data" / "mine.csv").read_text() == "x"
    assert read_manifest(tmp_path) is not None and "data/t.csv" in read_manifest(tmp_path)
    # The folder now has our manifest: a rerun needs no --force and keeps mine.csv.
    assert validate_output_dir(tmp_path) == tmp_path
    with atomic_output_dir(tmp_path) as stage:
        (stage / "data").mkdir()
        (stage / "data" / "u.csv").write_text("2")
    assert (tmp_path / "data" / "mine.csv").read_text() == "x"
    assert sorted(read_manifest(tmp_path)) == ["data/u.csv"]


def test_unwritable_location_refused(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere; covered by the non-root CLI test")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(InputError, match="no permission"):
        validate_output_dir(locked / "out")


def test_rebuild_removes_only_own_unchanged_files(tmp_path):
    out = tmp_path / "out"
    with atomic_output_dir(out) as stage:
        (stage / "a.csv").write_text("a")
        (stage / "b.csv").write_text("b")
        (stage / "figs").mkdir()
        (stage / "figs" / "f.png").write_bytes(b"png")
    (out / "b.csv").write_text("edited by the user")
    # Without --force an edited output is refused before any work ...
    with pytest.raises(InputError, match=r"changed since topotheory wrote them: b\.csv"):
        validate_output_dir(out)
    # ... with it, the edit is kept (and reported), everything else is rebuilt.
    left = []
    with atomic_output_dir(out, force=True, on_left=left.extend) as stage:
        (stage / "c.csv").write_text("c")
    tree = _tree(out)
    assert "a.csv" not in tree and "figs/f.png" not in tree  # ours, unchanged: removed
    assert tree["b.csv"] == b"edited by the user"  # ours but edited: kept
    assert tree["c.csv"] == b"c"
    assert not (out / "figs").exists()
    assert sorted(read_manifest(out)) == ["c.csv"]  # b.csv is the user's now
    assert left == [("b.csv", "changed since topotheory wrote it")]


def test_update_keeps_earlier_files(tmp_path):
    out = tmp_path / "out"
    with atomic_output_dir(out) as stage:
        (stage / "a.csv").write_text("a")
    with atomic_output_dir(out, update=True) as stage:
        (stage / "b.csv").write_text("b")
    assert _tree(out)["a.csv"] == b"a"
    assert sorted(read_manifest(out)) == ["a.csv", "b.csv"]


@pytest.mark.parametrize("exc", [KeyboardInterrupt, RuntimeError])
def test_failure_leaves_target_untouched(tmp_path, exc):
    out = tmp_path / "out"
    with atomic_output_dir(out) as stage:
        (stage / "a.csv").write_text("a")
    before = _tree(out)
    with pytest.raises(exc):
        with atomic_output_dir(out) as stage:
            (stage / "a.csv").write_text("changed")
            (stage / "b.csv").write_text("new")
            raise exc
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, "a.csv"]


def test_failure_on_new_target_creates_nothing(tmp_path):
    with pytest.raises(ValueError):
        with atomic_output_dir(tmp_path / "new") as stage:
            (stage / "x").write_text("x")
            raise ValueError("boom")
    assert list(tmp_path.iterdir()) == []


def test_foreign_file_with_output_name_never_overwritten(tmp_path, capsys):
    out = tmp_path / "out"
    with atomic_output_dir(out) as stage:
        (stage / "a.csv").write_text("a")
    (out / "report.md").write_text("mine")  # foreign, same name as an output
    with pytest.raises(InputError, match=r"report\.md \(not written by topotheory\).*--force"):
        with atomic_output_dir(out) as stage:
            (stage / "report.md").write_text("ours")
    assert (out / "report.md").read_text() == "mine"
    with atomic_output_dir(out, force=True) as stage:
        (stage / "report.md").write_text("ours")
        (stage / "other.md").write_text("ours too")
    assert (out / "report.md").read_text() == "mine"  # --force never replaces it ...
    assert (out / "other.md").read_text() == "ours too"  # ... and writes the rest
    err = capsys.readouterr().err
    assert "left 1 file(s)" in err and "report.md (not written by topotheory)" in err
    assert sorted(read_manifest(out)) == ["other.md"]


def test_manifest_is_json_with_hashes(tmp_path):
    out = tmp_path / "o"
    with atomic_output_dir(out) as stage:
        (stage / "x.txt").write_text("hello")
    data = json.loads((out / MANIFEST_NAME).read_text())
    assert data["written_by"] == "topotheory"
    assert data["files"]["x.txt"] == (
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    )


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path):
    p = tmp_path / "sub" / "f.txt"
    atomic_write_text(p, "one\n")
    atomic_write_bytes(p, b"two")
    assert p.read_bytes() == b"two"
    assert [q.name for q in p.parent.iterdir()] == ["f.txt"]


def test_atomic_write_failure_keeps_old_content(tmp_path):
    p = tmp_path / "f.txt"
    p.write_text("old")

    class Boom:
        def __len__(self):
            raise KeyboardInterrupt

    with pytest.raises((KeyboardInterrupt, TypeError)):
        atomic_write_bytes(p, Boom())  # type: ignore[arg-type]
    assert p.read_text() == "old" and [q.name for q in tmp_path.iterdir()] == ["f.txt"]
