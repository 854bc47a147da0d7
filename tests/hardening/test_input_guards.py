"""Guards that measure what will be allocated (issue #23, item 3).

Checkpoints are measured from their archive metadata, ``.npy`` headers with exact
integers, only regular files are opened (a FIFO never blocks), and the environment's
memory limit is parsed like the command-line flag. The zip bomb's peak RSS is measured in
a child process under ``--max-memory 100M``.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from topotheory import cli
from topotheory.errors import InputError
from topotheory.limits import (
    SizeLimitError,
    environment_limit,
    memory_limit_bytes,
    parse_size,
    set_memory_limit,
)
from topotheory.safe_input import (
    check_checkpoint_file,
    open_regular,
    read_npy,
    read_text_file,
    regular_file,
)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).parent))
import issue23_cases as cases  # noqa: E402

torch = pytest.importorskip("torch")


@pytest.fixture
def limit():
    def set_(size):
        set_memory_limit(size)

    yield set_
    set_memory_limit(None)


# ------------------------------------------------------------------ regular files


def test_fifo_and_device_are_refused_without_opening(tmp_path):
    os.mkfifo(tmp_path / "fifo")  # opening it for reading would block forever
    nodes = [tmp_path / "fifo"]
    if os.geteuid() == 0:
        os.mknod(tmp_path / "zero", 0o666 | 0o020000, os.makedev(1, 5))  # like /dev/zero
        nodes.append(tmp_path / "zero")
    for node in nodes:
        for call in (regular_file, open_regular, read_text_file, check_checkpoint_file,
                     read_npy):
            with pytest.raises(InputError, match=r"is a (FIFO \(named pipe\)|character "
                                                 r"device), not a regular file"):
                call(node, argument="--weights")


def test_missing_and_folder_are_named(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        regular_file(tmp_path / "nope", argument="--weights")
    with pytest.raises(InputError, match="is a folder"):
        regular_file(tmp_path, argument="--weights")


# --------------------------------------------------------------------- checkpoints


def _small_bomb(path: Path, mib: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("archive/data.pkl", b"\x80\x02}q\x00.")
        archive.writestr("archive/data/0", bytes(mib << 20))


def test_zip_entries_are_counted_uncompressed(tmp_path, limit):
    path = tmp_path / "bomb.pt"
    _small_bomb(path, 64)
    assert path.stat().st_size < 1 << 20
    limit("16M")
    with pytest.raises(SizeLimitError, match=r"--weights=.*the tensors stored in the "
                                             r"checkpoint would need 64\.0 MiB") as info:
        check_checkpoint_file(path)
    assert info.value.needed >= 64 << 20
    limit("1G")
    assert check_checkpoint_file(path) == path


def test_a_real_torch_checkpoint_passes_and_is_measured(tmp_path, limit):
    path = tmp_path / "w.pt"
    torch.save({"w": torch.zeros(1000, 1000)}, path)  # 4 MB of float32
    limit("3M")
    with pytest.raises(SizeLimitError, match=r"would need 3\.8 MiB"):
        check_checkpoint_file(path)
    limit("8M")
    check_checkpoint_file(path)


def _safetensors(path: Path, header: dict, data: bytes) -> None:
    text = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text)) + text + data)


@pytest.mark.parametrize(("header", "data", "expected"), [
    ({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 1 << 40]}}, bytes(16),
     "lies outside the file's data"),
    ({"w": {"dtype": "F32", "shape": [4], "data_offsets": [8, 4]}}, bytes(16),
     "lies outside the file's data"),
    ({"w": {"dtype": "C64", "shape": [2], "data_offsets": [0, 16]}}, bytes(16),
     "complex tensor under key 'w'"),
    ([1, 2], b"", "its header is not an object"),
])
def test_safetensors_headers_are_checked(tmp_path, header, data, expected):
    path = tmp_path / "w.safetensors"
    _safetensors(path, header, data)
    with pytest.raises(InputError, match=expected):
        check_checkpoint_file(path)


def test_a_safetensors_header_longer_than_the_file_is_refused(tmp_path):
    path = tmp_path / "w.safetensors"
    path.write_bytes(struct.pack("<Q", 1 << 60) + b"{}")
    with pytest.raises(InputError, match="not a readable safetensors file .its header claims"):
        check_checkpoint_file(path)


def test_a_damaged_zip_is_refused(tmp_path):
    path = tmp_path / "w.pt"
    path.write_bytes(b"PK\x03\x04" + os.urandom(200))
    with pytest.raises(InputError, match="damaged zip archive"):
        check_checkpoint_file(path)


@pytest.mark.parametrize("kind", ["complex", "meta", "sparse", "quantized"])
def test_unusual_tensors_are_refused_naming_their_key(tmp_path, kind):
    from topotheory.nn.audit.checkpoint import load_checkpoint
    from topotheory.nn.audit.loading import load_factory

    cases._save_state(tmp_path / "w.pt", kind)
    (tmp_path / "models.py").write_text(cases.MODELS)
    model = load_factory(f"{tmp_path / 'models.py'}:mlp")
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(InputError, match=f"--weights=.*w.pt': holds a {kind} tensor under "
                                         "key '0.weight'"):
        load_checkpoint(model, tmp_path / "w.pt")
    after = model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)  # nothing was loaded


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bomb")
    cases._models(folder)
    cases.zip_bomb(folder / "bomb.pt")
    return folder


#: Runs ``python -m topotheory ARGS`` and writes the process's peak RSS (``VmHWM``, kB) to
#: a file at exit. ``VmHWM`` belongs to the process's own memory map, so unlike
#: ``ru_maxrss`` it does not count the forking pytest process.
PEAK_RSS = """
import atexit, runpy, sys
out = sys.argv[1]
def _peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(out, "w").write(line.split()[1])
atexit.register(_peak)
sys.argv = ["topotheory", *sys.argv[2:]]
runpy.run_module("topotheory", run_name="__main__")
"""


def peak_rss(args: list[str], cwd: Path) -> tuple[int, str, int]:
    """(exit status, stderr, peak RSS in bytes) of ``topotheory ARGS`` run in ``cwd``."""
    done = subprocess.run([sys.executable, "-c", PEAK_RSS, str(cwd / "peak.txt"), *args],
                          cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=600, check=False)
    return done.returncode, done.stderr, int((cwd / "peak.txt").read_text()) * 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_zip_bomb_peak_rss_stays_under_max_memory(bomb):
    """The issue's 1 MB ``.pt`` that inflates to 1 GiB, under ``--max-memory 100M``: the
    process's peak RSS stays under 100 MiB (the guard reads the zip's central directory
    before torch is imported)."""
    assert (bomb / "bomb.pt").stat().st_size < 2 << 20
    status, err, peak = peak_rss(["--max-memory", "100M", "audit", "--module", "models:mlp",
                                  "--input-shape", "4", "--weights", "bomb.pt"], bomb)
    assert status == 2, err
    assert "--weights='bomb.pt'" in err and "would need 1.0 GiB" in err
    print(f"zip bomb under --max-memory 100M: peak RSS {peak / 2**20:.1f} MiB")
    assert peak < 100 << 20, f"peak RSS {peak / 2**20:.0f} MiB"


# ---------------------------------------------------------------------------- npy


@pytest.mark.parametrize("shape", [(0, 10**30), (2, 2**62), (10**19,), (3, 2**63)])
def test_impossible_npy_shapes_are_refused_before_allocating(tmp_path, shape):
    path = tmp_path / "w.npy"
    cases._npy_header(path, shape)
    with pytest.raises(InputError, match=r"WEIGHTS=.*(no array can have|more elements)"):
        read_npy(path)


def test_a_possible_empty_npy_shape_still_loads(tmp_path):
    np.save(tmp_path / "w.npy", np.ones((0, 5)))
    assert read_npy(tmp_path / "w.npy").shape == (0, 5)


# ------------------------------------------------------------------------ limits


@pytest.mark.parametrize("text", ["9" * 400, "9" * 400 + ".5G", "1e400", "99999999P"])
def test_enormous_sizes_are_refused_not_overflowed(text):
    with pytest.raises(InputError, match="more than 8 EiB|is not a size"):
        parse_size(text)


@pytest.mark.parametrize("value", ["garbage", "0", "-1", "0.1", "9" * 400, "1.5.2G"])
def test_a_bad_environment_limit_is_refused_naming_the_variable(value, monkeypatch, capsys):
    monkeypatch.setenv("TOPOTHEORY_MAX_MEMORY", value)
    with pytest.raises(InputError) as info:
        environment_limit()
    assert info.value.argument == "TOPOTHEORY_MAX_MEMORY"
    with pytest.raises(InputError):
        memory_limit_bytes()
    assert cli.main(["simulate", "exact", "--n", "2", "--m", "2"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "TOPOTHEORY_MAX_MEMORY=" in err and "Traceback" not in err


def test_a_good_environment_limit_is_used(monkeypatch):
    monkeypatch.setenv("TOPOTHEORY_MAX_MEMORY", "1.5G")
    assert environment_limit() == memory_limit_bytes() == 3 << 29
    monkeypatch.setenv("TOPOTHEORY_MAX_MEMORY", "  ")
    assert environment_limit() is None


def test_the_limit_message_says_where_the_limit_came_from(limit):
    limit("1M")
    with pytest.raises(SizeLimitError, match=r"1\.0 MiB \(set with --max-memory"):
        from topotheory.limits import check_allocation

        check_allocation(2 << 20, what="x", argument="a", value=1)
