"""The cases of issue #23, each as the user would run it, in one table.

Each :class:`Case` builds its inputs in a fresh folder, runs ``python -m topotheory`` in a
subprocess (so a closed stdout, a FIFO that would hang, a user module that replaces
``numpy`` or kills the process stay inside that process) and reports the exit status, the
last stderr line, whether stdout is valid JSON (``--json`` cases) and which pre-existing
files changed. ``tests/hardening/test_issue23_cases.py`` asserts the contract on every case;
run this file to print the table for the issue note::

    PYTHONPATH=. python tests/hardening/issue23_cases.py [--only ID ...]
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import signal
import stat
import struct
import subprocess
import sys
import time
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# ------------------------------------------------------------------------- inputs

MODELS = '''\
"""Factories for the issue-23 cases (a user's module)."""
import torch
from torch import nn


def mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))


def conv():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(2 * 4 * 4, 3))


def raises():
    raise RuntimeError("the factory failed on purpose")


def exits():
    import sys
    sys.exit(0)


def chatty():
    print("hello from the user's factory")
    return mlp()


class _KeyErrorNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return {"a": self.fc(x)}["missing"]


def keyerror():
    return _KeyErrorNet()


def lazy():
    return nn.Sequential(nn.LazyLinear(3), nn.ReLU(), nn.Linear(3, 2))
'''

BROKEN_IMPORT = "import definitely_not_installed_xyz\n\ndef mlp():\n    return None\n"
NAME_ERROR = "x = undefined_name_at_import + 1\n\ndef mlp():\n    return None\n"


def _claim_module(body: str) -> str:
    return (
        "from topotheory import Claim, Provenance, claim_check, register_claim\n"
        "from topotheory.theory.claim import CHECKS, CLAIMS\n" + body
    )


FORGED_ID = _claim_module('''
claim = register_claim(Claim(id="tables-mnist-layers", statement="forged", kind="empirical",
                             domain="d", provenance=Provenance(section="s", confidence="derived")))
''')
FORGED_CHECK = _claim_module('''
def forged(ctx):
    return ctx.verdict("refuted")

CHECKS["tables-mnist-layers"] = forged
''')
FORGED_COMPARATOR = _claim_module('''
import proofs_check.claims.tables_mnist_layers as target
target._matches = lambda value, printed: False   # every printed row now "differs"
''')
FORGED_CODE = _claim_module('''
import proofs_check.claims.tables_mnist_layers as target
target._matches.__code__ = (lambda value, printed: False).__code__
''')
EXITS_CLAIMS = "import sys\nsys.exit(0)\n"
PRINTS_CLAIMS = 'print("hello from the user\'s claims module")\n'
SHADOW_NUMPY = 'print("this file is not numpy")\n'


def _write_npy(path: Path, array) -> None:
    import numpy as np

    np.save(path, array)


def _npy_header(path: Path, shape: tuple, descr: str = "<f8") -> None:
    header = {"descr": descr, "fortran_order": False, "shape": shape}
    text = repr(header).encode("latin1")
    pad = 64 - (10 + len(text) + 1) % 64
    text = text + b" " * pad + b"\n"
    with open(path, "wb") as handle:
        handle.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text)


def _save_state(path: Path, kind: str, factory: str = "mlp") -> None:
    """A checkpoint for a factory of :data:`MODELS` with one unusual tensor (or none)."""
    import torch

    exec(MODELS, namespace := {})  # noqa: S102 - our own source text
    state = {k: v.clone() for k, v in namespace[factory]().state_dict().items()}
    if kind == "complex":
        state["0.weight"] = state["0.weight"].to(torch.complex64) * (1 + 1j)
    elif kind == "meta":
        state["0.weight"] = torch.empty(3, 4, device="meta")
    elif kind == "sparse":
        state["0.weight"] = state["0.weight"].to_sparse()
    elif kind == "quantized":
        with warnings.catch_warnings():  # torch deprecates creating quantized tensors
            warnings.simplefilter("ignore")
            state["0.weight"] = torch.quantize_per_tensor(state["0.weight"], 0.1, 0,
                                                          torch.qint8)
    torch.save(state, path)


def zip_bomb(path: Path, *, gib: int = 1) -> None:
    """A 1 MB ``.pt`` whose one storage inflates to ``gib`` GiB (deflate-compressed zeros;
    torch's reader inflates it)."""
    import torch

    n0 = 1000003  # a distinctive element count, rewritten in the pickle below
    buffer = io.BytesIO()
    torch.save({"weight": torch.zeros(n0)}, buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    numel = (gib << 30) // 4
    with zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith("data.pkl"):
                old, new = struct.pack("<i", n0), struct.pack("<i", numel)
                out.writestr(info, data.replace(b"J" + old, b"J" + new))
            elif info.filename.endswith("data/0"):
                entry = zipfile.ZipInfo(info.filename)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with out.open(entry, "w", force_zip64=True) as handle:
                    chunk = bytes(1 << 20)
                    for _ in range(numel * 4 >> 20):
                        handle.write(chunk)
            else:
                out.writestr(info, data)


def _earlier_report(d: Path) -> None:
    _run(["report", "--only", "appendix-c", "--no-figures", "--quiet", "--out", str(d / "R")],
         cwd=d)


# ------------------------------------------------------------------ MNIST IDX folders

IDX_NAMES = {"x_train": "train-images-idx3-ubyte", "y_train": "train-labels-idx1-ubyte",
             "x_test": "t10k-images-idx3-ubyte", "y_test": "t10k-labels-idx1-ubyte"}


def idx_bytes(dims: tuple[int, ...], data: bytes = b"") -> bytes:
    """An unsigned-byte IDX file: magic, big-endian sizes, then ``data``."""
    return struct.pack(">HBB", 0, 8, len(dims)) + struct.pack(f">{len(dims)}I", *dims) + data


def mnist_folder(d: Path, *, n_train: int = 20, n_test: int = 10, gz: bool = False) -> Path:
    """A tiny synthetic MNIST folder ``d/D`` (deterministic pixels, labels 0..9)."""
    import gzip

    folder = d / "D"
    folder.mkdir(parents=True, exist_ok=True)
    pixels = bytes((7 * i) % 256 for i in range(max(n_train, n_test) * 784))
    contents = {
        "x_train": idx_bytes((n_train, 28, 28), pixels[: n_train * 784]),
        "y_train": idx_bytes((n_train,), bytes(i % 10 for i in range(n_train))),
        "x_test": idx_bytes((n_test, 28, 28), pixels[: n_test * 784]),
        "y_test": idx_bytes((n_test,), bytes(i % 10 for i in range(n_test))),
    }
    for key, data in contents.items():
        if gz:
            (folder / (IDX_NAMES[key] + ".gz")).write_bytes(gzip.compress(data, mtime=0))
        else:
            (folder / IDX_NAMES[key]).write_bytes(data)
    return folder


def sparse_mnist_folder(d: Path, n_train: int, n_test: int) -> Path:
    """``d/D`` with headers of ``n_train`` / ``n_test`` images and files of exactly the
    declared size, written as sparse files (no disk space, instant)."""
    folder = d / "D"
    folder.mkdir(parents=True, exist_ok=True)
    for key, dims in (("x_train", (n_train, 28, 28)), ("y_train", (n_train,)),
                      ("x_test", (n_test, 28, 28)), ("y_test", (n_test,))):
        head = idx_bytes(dims)
        with open(folder / IDX_NAMES[key], "wb") as handle:
            handle.write(head)
            handle.truncate(len(head) + math.prod(dims))
    return folder


def _mnist_with(key: str, change: Callable[[Path], None], *, gz: bool = False,
                **sizes: int) -> Callable[[Path], None]:
    """A tiny MNIST folder whose file ``key`` is then changed by ``change(path)``."""

    def setup(d: Path) -> None:
        folder = mnist_folder(d, gz=gz, **sizes)
        change(folder / (IDX_NAMES[key] + (".gz" if gz else "")))

    return setup


def _cut(n: int) -> Callable[[Path], None]:
    """Keep the first ``n`` bytes (``n < 0``: drop the last ``-n``)."""
    return lambda path: path.write_bytes(path.read_bytes()[:n])


def _flip_bit(position: int, bit: int) -> Callable[[Path], None]:
    def change(path: Path) -> None:
        data = bytearray(path.read_bytes())
        data[position] ^= 1 << bit
        path.write_bytes(bytes(data))

    return change


def _append(extra: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(path.read_bytes() + extra)


def _set_header(magic: bytes | None = None, dims: tuple[int, ...] | None = None
                ) -> Callable[[Path], None]:
    """Replace the magic or the sizes of an IDX file (plain or gzip), keeping its data."""

    def change(path: Path) -> None:
        import gzip

        raw = path.read_bytes()
        data = gzip.decompress(raw) if path.suffix == ".gz" else raw
        if dims is not None:  # new sizes, same data
            new = idx_bytes(dims, data[4 + 4 * data[3]:])
        else:
            new = (magic or data[:4]) + data[4:]
        path.write_bytes(gzip.compress(new, mtime=0) if path.suffix == ".gz" else new)

    return change


def _replace_by(kind: str) -> Callable[[Path], None]:
    def change(path: Path) -> None:
        path.unlink()
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "folder":
            path.mkdir()
        else:
            path.symlink_to(path.parent / "no-such-file")

    return change


KILLED_WRITE_TEXT = '{"partial": true}\n'
_KILLED_WRITER = """
import os, sys, time
from topotheory.safe_output import atomic_write_text

def stall(fd):  # the data is in the temporary file; hold the process before its rename
    print("writing", flush=True)
    time.sleep(120)

os.fsync = stall
atomic_write_text(sys.argv[1], sys.argv[2])
"""


def killed_single_write(d: Path, target: str) -> None:
    """A topotheory single-file write into ``d/target`` killed with SIGKILL after its data
    is in the temporary file and before the rename: the temporary file remains."""
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(d / target),
                             KILLED_WRITE_TEXT], cwd=d, env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if proc.stdout:
            proc.stdout.close()
    if line.strip() != "writing":
        raise RuntimeError("the writer ended before it could be killed")


def _killed_write(d: Path) -> None:
    _w(d)
    killed_single_write(d, "out.json")
    (d / ".topotheory-tmp-my-notes.txt").write_text("a user's file with a name like ours\n")


def _no_tmp_left(d: Path) -> str | None:
    left = [p.name for p in d.iterdir() if p.name.startswith(".topotheory-tmp-")]
    if left != [".topotheory-tmp-my-notes.txt"]:
        return f"temporary files: {left}"
    return None


def _no_output(d: Path) -> str | None:
    left = sorted(p.name for p in d.iterdir() if p.name not in ("D", "__pycache__"))
    return f"new files: {left}" if left else None


def _at(key: str) -> str:
    """How a message names the file ``key`` of the case folder (and the argument)."""
    return f"--data-dir='D': IDX file 'D/{IDX_NAMES[key]}"


# ------------------------------------------------------------------------- cases


@dataclass
class Case:
    """One case of the issue as a user would type it."""

    id: str
    group: str
    text: str
    argv: list[str]
    setup: Callable[[Path], None] = lambda d: None
    env: dict[str, str] = field(default_factory=dict)
    expect: int = 2
    mentions: str = ""
    stdout_closed: bool = False
    stderr_closed: bool = False
    json: bool = False
    timeout: float = 120.0
    check: Callable[[Path], str | None] | None = None
    torch: bool = False
    #: Needs its own process (closed streams, ``python -m`` path semantics, a FIFO or a
    #: bomb that would hang or exhaust the test process if the guard regressed).
    isolated: bool = False
    #: Pre-existing files the run may change (our own earlier outputs); every other
    #: pre-existing file must stay byte-identical.
    may_change: Callable[[str], bool] = lambda name: False


def _json_out_device(d: Path) -> None:
    os.mknod(d / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))


def _device_still_device(d: Path) -> str | None:
    return None if stat.S_ISCHR(os.lstat(d / "null").st_mode) else "the device node was replaced"


def _fifo(d: Path, name: str) -> None:
    os.mkfifo(d / name)


def _user_files_report(d: Path) -> None:
    (d / "R").mkdir()
    (d / "R" / "report.md").write_text("my own notes, not a report\n")


def _symlinked_data(d: Path) -> None:
    _earlier_report(d)
    (d / "outside").mkdir()
    (d / "outside" / "keep.txt").write_text("outside --out\n")
    os.rename(d / "R" / "data", d / "outside" / "data")
    os.symlink(d / "outside" / "data", d / "R" / "data")


def _edited_report(d: Path) -> None:
    _earlier_report(d)
    with open(d / "R" / "report.md", "a") as handle:
        handle.write("\nmy edit\n")


def _killed_staging(d: Path) -> None:
    """A report run killed with SIGKILL while it renders its figures into the staging
    folder: the staging folder remains."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "topotheory", "report", "--only", "appendix-c", "--quiet",
         "--out", str(d / "R")], cwd=d, env=_env(), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if any((p / "data").is_dir() for p in d.glob(".topotheory-staging-*")):
            break  # the run is writing into its staging folder
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if not any(p.name.startswith(".topotheory-staging-") for p in d.iterdir()):
        raise RuntimeError("the report run finished before it could be killed")


def _no_staging_left(d: Path) -> str | None:
    left = [p.name for p in d.rglob(".topotheory-staging-*")]
    return f"staging folders left: {left}" if left else None


def _claims_doc(d: Path) -> None:
    from topotheory.report.claims_doc import BEGIN, END

    (d / "claims.md").write_text(f"# Claims\n\n{BEGIN}\n{END}\n\nmy findings\n")
    os.chmod(d / "claims.md", 0o640)
    (d / "claims.md.tmp").write_text("a file of mine that happens to have this name\n")


def _claims_doc_kept(d: Path) -> str | None:
    mode = stat.S_IMODE(os.stat(d / "claims.md").st_mode)
    problems = []
    if mode != 0o640:
        problems.append(f"mode changed to {oct(mode)}")
    if not (d / "claims.md.tmp").is_file():
        problems.append("claims.md.tmp removed")
    if "tables-mnist-layers" not in (d / "claims.md").read_text():
        problems.append("the table was not written")
    return "; ".join(problems) or None


def _models(d: Path) -> None:
    (d / "models.py").write_text(MODELS)


def _with_state(kind: str, factory: str = "mlp") -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        _models(d)
        _save_state(d / "w.pt", kind, factory)

    return setup


def _zip_bomb(d: Path) -> None:
    _models(d)
    zip_bomb(d / "bomb.pt")


def _w(d: Path) -> None:
    _write_npy(d / "w.npy", [[1.0, 2.0], [3.0, 4.0]])


def _module(name: str, text: str) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        (d / name).write_text(text)

    return setup


def _manifest_list(d: Path) -> None:
    (d / "R").mkdir()
    (d / "R" / ".topotheory-manifest.json").write_text("[1, 2, 3]\n")


def _big_shape(d: Path) -> None:
    _npy_header(d / "w.npy", (0, 10**30))


def _both(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        for s in setups:
            s(d)

    return setup


def _our_report_files(name: str) -> bool:
    """The earlier report's own unchanged files (``report.md`` is the user's)."""
    return name.startswith("R/") and name != "R/report.md"


def _killed_stage_files(name: str) -> bool:
    return name.startswith(".topotheory-staging-")


AUDIT = ["audit", "--quiet", "--module", "models:mlp", "--input-shape", "4", "--quiet"]
VERIFY = ["verify", "--claim", "tables-mnist-layers", "--quiet"]
REPORT = ["report", "--only", "appendix-c", "--no-figures", "--quiet", "--out", "R"]
PRUNE_D = ["prune", "--data-dir", "D", "--epochs", "0", "--rounds", "0", "--quiet"]
VERIFY_D = ["verify", "--claim", "np-grows", "--data-dir", "D", "--quiet"]

CASES: list[Case] = [
    # ---------------------------------------------------------------- data loss
    Case("json-out-device", "data loss", "--json-out /dev/null (as root) replaces the device "
         "node with a regular file", ["np", "w.npy", "--json-out", "null"],
         _both(_w, _json_out_device), mentions="--json-out", check=_device_still_device,
         isolated=True),
    Case("json-out-fifo", "data loss", "--json-out naming a FIFO", ["np", "w.npy",
         "--json-out", "pipe"], _both(_w, lambda d: _fifo(d, "pipe")), mentions="--json-out",
         timeout=20, isolated=True),
    Case("force-user-file", "data loss", "--force overwrites files the user wrote",
         [*REPORT, "--force"], _user_files_report, expect=0, may_change=_our_report_files),
    Case("symlink-in-out", "data loss", "an earlier report folder whose subfolder is a "
         "symlink: the rebuild writes through the link", REPORT, _symlinked_data,
         mentions="--out"),
    Case("edited-output", "data loss", "rebuilding a report silently overwrites outputs the "
         "user edited since", REPORT, _edited_report, mentions="--out"),
    Case("edited-output-force", "data loss", "... and with --force (replaces only unchanged "
         "files of ours, says what it left)", [*REPORT, "--force"], _edited_report, expect=0,
         may_change=_our_report_files),
    Case("claims-doc-tmp", "data loss", "--claims-doc writes a fixed FILE.tmp and changes the "
         "target's permission bits",
         ["report", "--only", "verdicts", "--no-figures", "--quiet", "--out", "R",
          "--claims-doc", "claims.md"], _claims_doc, expect=0, check=_claims_doc_kept,
         timeout=900),
    Case("killed-staging", "data loss", "a SIGKILL during report leaves the staging folder; "
         "the next run does not clean it", REPORT, _killed_staging, expect=0,
         check=_no_staging_left, may_change=_killed_stage_files),
    Case("killed-single-write", "data loss", "a SIGKILL during a single-file write leaves "
         "its .topotheory-tmp-* file; the next write into that folder removes it (a user's "
         "file named like one stays)", ["np", "w.npy", "--json-out", "out.json"],
         _killed_write, expect=0, check=_no_tmp_left,
         may_change=lambda name: name.startswith(".topotheory-tmp-") and "notes" not in name),
    # ---------------------------------------------------------- silently wrong
    Case("claim-paper-id", "silently wrong", "a --claims-from module registers a claim with a "
         "paper claim's id", [*VERIFY, "--claims-from", "forge.py"],
         _module("forge.py", FORGED_ID), mentions="tables-mnist-layers"),
    Case("claim-replaced-check", "silently wrong", "... or replaces the paper claim's check in "
         "the registry", [*VERIFY, "--claims-from", "forge.py"],
         _module("forge.py", FORGED_CHECK), mentions="--claims-from"),
    Case("comparator-replaced", "silently wrong", "... or replaces a function the verdict "
         "comparison uses", [*VERIFY, "--claims-from", "forge.py"],
         _module("forge.py", FORGED_COMPARATOR), mentions="--claims-from"),
    Case("comparator-code", "silently wrong", "... or swaps that function's code object",
         [*VERIFY, "--claims-from", "forge.py"], _module("forge.py", FORGED_CODE),
         mentions="--claims-from"),
    Case("claims-sys-exit", "silently wrong", "sys.exit(0) in user code -> exit 0 and no "
         "output", [*VERIFY, "--claims-from", "quit.py"], _module("quit.py", EXITS_CLAIMS),
         mentions="quit.py"),
    Case("factory-sys-exit", "silently wrong", "sys.exit(0) in a model factory",
         ["tccr", "--module", "models:exits", "--input-shape", "4"], _models,
         mentions="--module", torch=True),
    Case("claims-print-json", "silently wrong", "user code printing to stdout puts text into "
         "--json output", [*VERIFY, "--claims-from", "chatty.py", "--json"],
         _module("chatty.py", PRINTS_CLAIMS), expect=0, json=True),
    Case("factory-print-json", "silently wrong", "a chatty factory and tccr --json",
         ["tccr", "--module", "models:chatty", "--input-shape", "4", "--json"], _models,
         expect=0, json=True, torch=True),
    Case("stderr-closed-json", "silently wrong", "stderr closed puts text into --json output",
         [*VERIFY, "--json"], expect=0, json=True, stderr_closed=True, isolated=True),
    Case("env-garbage", "silently wrong", "TOPOTHEORY_MAX_MEMORY=garbage is silently ignored",
         ["np", "w.npy"], _w, env={"TOPOTHEORY_MAX_MEMORY": "garbage"},
         mentions="TOPOTHEORY_MAX_MEMORY"),
    Case("env-zero", "silently wrong", "TOPOTHEORY_MAX_MEMORY=0", ["np", "w.npy"], _w,
         env={"TOPOTHEORY_MAX_MEMORY": "0"}, mentions="TOPOTHEORY_MAX_MEMORY"),
    Case("env-negative", "silently wrong", "TOPOTHEORY_MAX_MEMORY=-1", ["np", "w.npy"], _w,
         env={"TOPOTHEORY_MAX_MEMORY": "-1"}, mentions="TOPOTHEORY_MAX_MEMORY"),
    Case("json-out-slash", "silently wrong", "--json-out newdir/ creates a file named like a "
         "folder", ["np", "w.npy", "--json-out", "newdir/"], _w, mentions="--json-out"),
    Case("complex-checkpoint", "silently wrong", "a complex64 checkpoint loses its imaginary "
         "part without a word", [*AUDIT, "--weights", "w.pt"], _with_state("complex"),
         mentions="0.weight", torch=True),
    # -------------------------------------------------------------------- guards
    Case("zip-bomb", "guards", "a zip-compressed .pt of 1 MB expands to 1 GiB under "
         "--max-memory 100M", ["--max-memory", "100M", *AUDIT, "--weights", "bomb.pt"],
         _zip_bomb, mentions="--weights", torch=True, isolated=True),
    Case("fifo-weights-np", "guards", "a FIFO given as weights hangs forever (np)",
         ["np", "fifo.npy"], lambda d: _fifo(d, "fifo.npy"), mentions="WEIGHTS", timeout=20,
         isolated=True),
    Case("fifo-weights-audit", "guards", "a FIFO given as weights hangs forever (audit)",
         [*AUDIT, "--weights", "fifo.pt"], _both(_models, lambda d: _fifo(d, "fifo.pt")),
         mentions="--weights", timeout=30, torch=True, isolated=True),
    Case("fifo-expect", "guards", "a FIFO given as --expect", [*VERIFY, "--expect", "fifo"],
         lambda d: _fifo(d, "fifo"), mentions="--expect", timeout=20, isolated=True),
    # ---------------------------------------------------------------- tracebacks
    Case("npy-huge-shape", "tracebacks", "npy shape (0, 10**30)", ["np", "w.npy"], _big_shape,
         mentions="WEIGHTS"),
    Case("memory-400-digits", "tracebacks", "a 400-digit memory size",
         ["--max-memory", "9" * 400, "np", "w.npy"], _w, mentions="--max-memory"),
    Case("meta-checkpoint", "tracebacks", "meta tensors in a checkpoint",
         [*AUDIT, "--weights", "w.pt"], _with_state("meta"), mentions="0.weight", torch=True),
    Case("sparse-checkpoint", "tracebacks", "sparse tensors in a checkpoint",
         [*AUDIT, "--weights", "w.pt"], _with_state("sparse"), mentions="0.weight", torch=True),
    Case("quantized-checkpoint", "tracebacks", "quantized tensors in a checkpoint",
         [*AUDIT, "--weights", "w.pt"], _with_state("quantized"), mentions="0.weight",
         torch=True),
    Case("manifest-not-object", "tracebacks", "a manifest that is valid JSON but not an "
         "object", REPORT, _manifest_list, mentions="--out"),
    Case("import-error-tccr", "tracebacks", "import errors in the user's module (tccr)",
         ["tccr", "--module", "broken:mlp", "--input-shape", "4"],
         _module("broken.py", BROKEN_IMPORT), mentions="--module", torch=True),
    Case("name-error-tccr", "tracebacks", "a NameError while importing the user's module "
         "(tccr)", ["tccr", "--module", "broken:mlp", "--input-shape", "4"],
         _module("broken.py", NAME_ERROR), mentions="--module", torch=True),
    Case("import-error-audit", "tracebacks", "import errors in the user's module (audit)",
         ["audit", "--quiet", "--module", "broken:mlp", "--input-shape", "4", "--weights", "w.pt"],
         _both(_with_state("plain"), _module("broken.py", NAME_ERROR)), mentions="--module",
         torch=True),
    Case("factory-raises", "tracebacks", "a model factory that raises (audit)",
         ["audit", "--quiet", "--module", "models:raises", "--input-shape", "4", "--weights", "w.pt"],
         _with_state("plain"), mentions="--module", torch=True),
    Case("forward-keyerror-tccr", "tracebacks", "a forward that raises KeyError (tccr)",
         ["tccr", "--module", "models:keyerror", "--input-shape", "4"], _models,
         mentions="--module", torch=True),
    Case("forward-keyerror-audit", "tracebacks", "a forward that raises KeyError (audit)",
         ["audit", "--quiet", "--module", "models:keyerror", "--input-shape", "4", "--weights", "w.pt"],
         _with_state("plain", "keyerror"), mentions="--module", torch=True),
    Case("lazy-linear-tccr", "tracebacks", "LazyLinear (tccr)",
         ["tccr", "--module", "models:lazy", "--input-shape", "4"], _models,
         mentions="--module", torch=True),
    Case("lazy-linear-audit", "tracebacks", "LazyLinear (audit)",
         ["audit", "--quiet", "--module", "models:lazy", "--input-shape", "4", "--weights", "w.pt"],
         _with_state("plain"), mentions="--module", torch=True),
    Case("stdout-closed", "tracebacks", "stdout closed", ["np", "w.npy"], _w,
         stdout_closed=True, mentions="stdout", isolated=True),
    Case("claims-numpy-py", "tracebacks", "a claims file named numpy.py shadowing numpy",
         [*VERIFY, "--claims-from", "numpy.py"], _module("numpy.py", SHADOW_NUMPY), expect=0,
         isolated=True),
    # ------------------------------------------------------------ MNIST IDX input
    # (--data-dir: prune and verify; each refusal comes before any training)
    Case("mnist-test-0", "mnist", "an MNIST test set of 0 images (reported test accuracy "
         "0.0)", PRUNE_D, _mnist_with("x_test", lambda p: None, n_test=0),
         mentions=_at("x_test"), check=_no_output),
    Case("mnist-test-0-verify", "mnist", "... through verify --claim np-grows", VERIFY_D,
         _mnist_with("x_test", lambda p: None, n_test=0), mentions=_at("x_test"),
         check=_no_output),
    Case("mnist-train-0", "mnist", "MNIST IDX with 0 training images", PRUNE_D,
         _mnist_with("x_train", lambda p: None, n_train=0), mentions=_at("x_train"),
         check=_no_output),
    Case("mnist-train-0-verify", "mnist", "... through verify --claim np-grows", VERIFY_D,
         _mnist_with("x_train", lambda p: None, n_train=0), mentions=_at("x_train")),
    Case("idx-short", "mnist", "an IDX file shorter than its header says", PRUNE_D,
         _mnist_with("x_train", _cut(-1)), mentions=_at("x_train"), check=_no_output),
    Case("idx-long", "mnist", "an IDX file longer than its header says", PRUNE_D,
         _mnist_with("x_train", _append(b"\0")), mentions=_at("x_train"), check=_no_output),
    Case("idx-short-verify", "mnist", "... (short) through verify --claim np-grows", VERIFY_D,
         _mnist_with("y_test", _cut(-1)), mentions=_at("y_test")),
    Case("idx-gz-truncated", "mnist", "a truncated gzip IDX file", PRUNE_D,
         _mnist_with("x_train", _cut(-30), gz=True), mentions=_at("x_train"),
         check=_no_output),
    Case("idx-gz-bit-flip", "mnist", "one bit flipped in a gzip IDX file's deflate stream "
         "(zlib.error: exit 3, found by the fuzz suite)", PRUNE_D,
         _mnist_with("x_test", _flip_bit(24, 3), gz=True), mentions=_at("x_test"),
         check=_no_output),
    Case("idx-header-only", "mnist", "an IDX file cut inside its header", PRUNE_D,
         _mnist_with("y_train", _cut(6)), mentions=_at("y_train"), check=_no_output),
    Case("idx-wrong-magic", "mnist", "an IDX file with the wrong magic (float data)", PRUNE_D,
         _mnist_with("x_test", _set_header(magic=b"\x00\x00\x0d\x03")),
         mentions=_at("x_test"), check=_no_output),
    Case("idx-huge-dims", "mnist", "a header with huge dims (2**32-1 cubed)", PRUNE_D,
         _mnist_with("x_train", _set_header(dims=(2**32 - 1,) * 3)), mentions=_at("x_train"),
         check=_no_output),
    Case("idx-huge-dims-gz", "mnist", "a gzip IDX file whose header claims 2**32-1 images",
         PRUNE_D, _mnist_with("x_train", _set_header(dims=(2**32 - 1, 28, 28)), gz=True),
         mentions=_at("x_train"), check=_no_output),
    Case("idx-labels-disagree", "mnist", "9 test labels for 10 test images", PRUNE_D,
         _mnist_with("y_test", lambda p: p.write_bytes(idx_bytes((9,), bytes(9)))),
         mentions="--data-dir='D': MNIST test files", check=_no_output),
    Case("idx-fifo", "mnist", "a FIFO where an IDX file is expected", PRUNE_D,
         _mnist_with("x_test", _replace_by("fifo")), mentions=_at("x_test"), timeout=30,
         isolated=True, check=_no_output),
    Case("idx-fifo-verify", "mnist", "... through verify --claim np-grows", VERIFY_D,
         _mnist_with("y_train", _replace_by("fifo")), mentions=_at("y_train"), timeout=30,
         isolated=True),
    Case("idx-folder", "mnist", "a folder where an IDX file is expected", PRUNE_D,
         _mnist_with("x_test", _replace_by("folder")), mentions=_at("x_test"),
         check=_no_output),
    Case("idx-broken-link", "mnist", "a broken symbolic link where an IDX file is expected",
         PRUNE_D, _mnist_with("x_test", _replace_by("link")), mentions=_at("x_test"),
         check=_no_output),
    Case("idx-memory", "mnist", "94 MB of IDX images under --max-memory 120M (passed, peak "
         "RSS 1.52 GB)", ["--max-memory", "120M", *PRUNE_D],
         lambda d: sparse_mnist_folder(d, 100_000, 20_000), mentions="memory limit 120.0 MiB",
         isolated=True, check=_no_output),
]

BY_ID = {case.id: case for case in CASES}


# ------------------------------------------------------------------------- running


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TOPOTHEORY_MAX_MEMORY"}
    env["PYTHONPATH"] = os.environ.get("ISSUE23_PYTHONPATH", str(ROOT))
    env.setdefault("OMP_NUM_THREADS", "1")
    env.update(extra or {})
    return env


def _run(argv: list[str], *, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "topotheory", *argv], cwd=cwd, env=_env(),
                          capture_output=True, text=True, check=False, timeout=600)


def _fingerprint_one(path: Path) -> str:
    """Content hash and mode of a file, the target of a link, the kind of a special file."""
    info = os.lstat(path)
    if stat.S_ISREG(info.st_mode):
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16] + oct(info.st_mode)
    if stat.S_ISLNK(info.st_mode):
        return "link->" + os.readlink(path)
    if stat.S_ISDIR(info.st_mode):
        return "folder"
    return f"special {stat.S_IFMT(info.st_mode):o}"


def _fingerprint(root: Path) -> dict[str, str]:
    found = {}
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts or path.is_dir() and not path.is_symlink():
            continue
        found[path.relative_to(root).as_posix()] = _fingerprint_one(path)
    return found


@dataclass
class Result:
    """What one case did."""

    case: Case
    status: int | str
    stderr: str
    stdout: str
    changed: list[str]
    problem: str | None
    seconds: float

    @property
    def last_line(self) -> str:
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        return lines[-1] if lines else ""

    @property
    def json_ok(self) -> bool | None:
        if not self.case.json:
            return None
        try:
            json.loads(self.stdout)
        except ValueError:
            return False
        return True


def run_case(case: Case, folder: Path) -> Result:
    """Build the case's inputs in ``folder``, run it, and report."""
    folder.mkdir(parents=True, exist_ok=True)
    case.setup(folder)
    before = _fingerprint(folder)
    stdout = subprocess.DEVNULL if case.stdout_closed else subprocess.PIPE
    preexec = None
    if case.stdout_closed or case.stderr_closed:
        fds = ([1] if case.stdout_closed else []) + ([2] if case.stderr_closed else [])

        def preexec() -> None:
            for fd in fds:
                os.close(fd)

    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "topotheory", *case.argv], cwd=folder, env=_env(case.env),
        stdout=stdout, stderr=subprocess.PIPE, text=True, preexec_fn=preexec)
    try:
        out, err = proc.communicate(timeout=case.timeout)
        status: int | str = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        status = f"hung (killed after {case.timeout:.0f} s)"
    seconds = time.monotonic() - started
    after = _fingerprint(folder)
    changed = sorted(k for k in before if after.get(k) != before[k])
    problem = case.check(folder) if case.check else None
    return Result(case, status, err or "", out or "", changed, problem, seconds)


def main(argv: list[str] | None = None) -> None:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args(argv)
    for case in CASES:
        if args.only and case.id not in args.only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            r = run_case(case, Path(tmp))
        json_part = "" if r.json_ok is None else f" json={'valid' if r.json_ok else 'INVALID'}"
        print(f"{case.id:24} exit={r.status}{json_part} changed={r.changed or '-'} "
              f"problem={r.problem or '-'} {r.seconds:.1f}s\n    {r.last_line[:300]}",
              flush=True)


if __name__ == "__main__":
    main()
