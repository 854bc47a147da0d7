"""Fuzz the command line: every subcommand, bad argument values and bad input files.

Each example takes a cheap base command, replaces one option by a generated bad value
and runs ``topotheory.cli.main`` in-process from a temporary working folder. Asserted:

* exit status 2 -- bad input, never 3 (our bug) and never a traceback;
* stderr names the argument (its flag, its name, or the positional's metavar);
* no file outside the temporary folder changed, and nothing is left in it but the inputs.

Only values that are invalid by construction are generated, so nothing heavy runs: every
refusal happens before computation (that is part of what is tested).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from topotheory import cli

ROOT = Path(__file__).resolve().parents[2]

_FEW = max(10, settings.default.max_examples // 4)
_SETTINGS = settings(
    max_examples=_FEW,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)

# --------------------------------------------------------------------- bad values


def _not_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return True
    return False


_junk = st.text(alphabet="abxyz-.,:/ +eE", min_size=1, max_size=8).filter(
    lambda s: _not_float(s) and not s.startswith("-")
)
_negative_int = st.integers(max_value=-1).map(str)
_fractional = st.floats(allow_nan=False, allow_infinity=False).filter(
    lambda x: x != int(x) if math.isfinite(x) else True
).map(repr)


def _bad_int(minimum: int) -> st.SearchStrategy[str]:
    below = st.integers(max_value=minimum - 1).map(str)
    return st.one_of(below, _fractional, _junk)


_bad_probability = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not 0 < x < 1).map(repr),
    _junk,
)
_bad_positive_float = st.one_of(
    st.floats(max_value=0.0).map(repr),
    st.sampled_from(["nan", "-inf", "0", "-0.0", "1e-300", "0.001"]),
    _junk,
)
_bad_rho = st.one_of(
    st.sampled_from(["1/0", "0", "0/5", "-1", "2", "3/2", "nan", "inf", "1e309", ""]),
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not 0 < x <= 1).map(repr),
    _junk,
)
_bad_choice = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10).filter(
    lambda s: s not in {"iid", "gaussian", "uniform", "cauchy", "present", "absent", "quick",
                        "deep", "timp", "imp", "random", "fc", "conv", "local", "global",
                        "digits", "mnist", "error", "auto", "cpu"}
)


def _bad_out_folder(tmp: Path) -> st.SearchStrategy[str]:
    return st.sampled_from(["", str(tmp / "inputs" / "w.npy"), str(tmp / "inputs"),
                            str(tmp / "inputs" / "w.npy" / "sub"), "\x00bad"])


def _bad_out_file(tmp: Path) -> st.SearchStrategy[str]:
    return st.sampled_from(["", str(tmp), str(tmp / "inputs"), str(tmp / "inputs" / "w.npy" / "x")])


def _bad_weights_file(tmp: Path) -> st.SearchStrategy[str]:
    names = ["missing.npy", "", "inputs", "empty.npy", "text.npy", "z.npz", "obj.npy",
             "huge.npy", "nan.npy", "cplx.npy", "bool.npy", "td.npy", "str.npy", "one_d.npy",
             "zero_rows.npy", "truncated.npy"]
    return st.sampled_from(names).map(lambda n: str(tmp / "inputs" / n) if n else "")


# ----------------------------------------------------------------------- commands

# (base argv, {option: strategy factory(tmp) -> bad value strategy})
COMMANDS: dict[str, tuple[list[str], dict[str, object]]] = {
    "np": (["np", "{W}"], {
        "--p": lambda t: _bad_positive_float,
        "--zero-weights": lambda t: _bad_choice,
        "WEIGHTS": _bad_weights_file,
        "--json-out": _bad_out_file,
    }),
    "simulate overlap": (["simulate", "overlap", "--n", "3", "--m", "3", "--trials", "20"], {
        "--n": lambda t: _bad_int(1), "--m": lambda t: _bad_int(1),
        "--k": lambda t: st.one_of(_bad_int(1), st.integers(10, 10**6).map(str)),
        "--trials": lambda t: _bad_int(2), "--seed": lambda t: _bad_int(0),
        "--rho": lambda t: _bad_rho, "--confidence": lambda t: _bad_probability,
        "--model": lambda t: _bad_choice, "--json-out": _bad_out_file,
        "--param": lambda t: st.sampled_from(["df=3", "x", "=1", "df=abc"]),
    }),
    "simulate exact": (["simulate", "exact", "--n", "2", "--m", "2"], {
        "--n": lambda t: _bad_int(1), "--m": lambda t: _bad_int(1),
        "--k": lambda t: st.one_of(_bad_int(1), st.integers(5, 10**6).map(str)),
        "--max-edges": lambda t: st.one_of(_negative_int, _junk), "--json-out": _bad_out_file,
    }),
    "simulate null-model": (["simulate", "null-model"], {
        "--trials": lambda t: _bad_int(2), "--seed": lambda t: _bad_int(0),
    }),
    "verify": (["verify", "--claim", "tables-mnist-layers", "--quiet"], {
        "--seed": lambda t: _bad_int(0), "--profile": lambda t: _bad_choice,
        "--json-out": _bad_out_file,
        "--expect": lambda t: st.sampled_from(
            ["missing.json", "rows_no_id.json", "rows_no_status.json", "not_json.json",
             "list.json"]).map(lambda n: str(t / "inputs" / n)),
        "--claim": lambda t: _bad_choice.map(lambda s: "no-such-" + s),
    }),
    "prune": (["prune", "--epochs", "0", "--rounds", "1"], {
        "--rounds": lambda t: _bad_int(0), "--epochs": lambda t: _bad_int(0),
        "--seed": lambda t: _bad_int(0), "--rewind": lambda t: _bad_choice.filter(
            lambda s: s not in ("init", "none")),
        "--device": lambda t: st.sampled_from(["cuda", "cuda:7", "tpu", "gpu", ""]),
        "--out": _bad_out_folder, "--json-out": _bad_out_file,
        "--rate": lambda t: st.one_of(
            st.floats(allow_nan=True).filter(lambda x: not 0 <= x <= 1).map(repr),
            st.sampled_from(["1", "0.99"])),
        "--method": lambda t: _bad_choice, "--dataset": lambda t: _bad_choice,
    }),
    "timp-preserves": (["timp-preserves", "--epochs", "0", "--rounds", "1"], {
        "--rounds": lambda t: _bad_int(0), "--out": _bad_out_folder,
        "--device": lambda t: st.sampled_from(["cuda", "tpu"]),
    }),
    "np-grows": (["np-grows", "--epochs", "0"], {
        "--every": lambda t: _bad_int(1), "--seed": lambda t: _bad_int(0),
        "--out": _bad_out_folder,
    }),
    "imp-overlap-trained": (["imp-overlap-trained", "--epochs", "0"], {
        "--seeds": lambda t: _bad_int(0), "--out": _bad_out_folder,
    }),
    "accuracy-sparsity": (["accuracy-sparsity", "--epochs", "0"], {
        "--seeds": lambda t: _bad_int(0), "--rounds": lambda t: _bad_int(0),
        "--out": _bad_out_folder,
    }),
    "tccr": (["tccr", "--module", "tests.hardening._fuzz_models:small_conv"], {
        "--input-shape": lambda t: st.one_of(
            st.sampled_from(["3,2,2", "5,8,8", "3,8.5,8", "3,,8", "0,8,8", "3,100000,100000",
                             "3", "abc", "-3,8,8", ""]),
            _junk),
        "--module": lambda t: st.sampled_from(["nosuch:thing", "os.getcwd", "os:getcwd",
                                               "tests.hardening._fuzz_models:raises", ":"]),
    }),
    "report": (["report", "--no-figures", "--quiet", "--only", "appendix-c"], {
        "--out": _bad_out_folder, "--profile": lambda t: _bad_choice,
        "--only": lambda t: _bad_choice.map(lambda s: "no-such-" + s),
    }),
    "bench": (["bench", "--quick"], {"--json-out": _bad_out_file}),
}

_DEFAULTS = {"tccr": {"--input-shape": "3,8,8"}, "report": {"--out": "{OUT}"}}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Bad input files, written once."""
    from numpy.lib import format as npformat

    root = tmp_path_factory.mktemp("fuzz")
    d = root / "inputs"
    d.mkdir()
    np.save(d / "w.npy", np.arange(1.0, 7.0).reshape(2, 3))
    (d / "empty.npy").write_bytes(b"")
    (d / "text.npy").write_text("hello world\n")
    np.savez(d / "z.npz", a=np.ones((2, 2)))
    np.save(d / "obj.npy", np.array([[1, None]], dtype=object), allow_pickle=True)
    with open(d / "huge.npy", "wb") as handle:
        npformat.write_array_header_1_0(
            handle, {"descr": "<f8", "fortran_order": False, "shape": (10**6, 10**6)})
    with open(d / "truncated.npy", "wb") as handle:
        npformat.write_array_header_1_0(
            handle, {"descr": "<f8", "fortran_order": False, "shape": (100, 100)})
        handle.write(b"\0" * 80)
    np.save(d / "nan.npy", np.array([[1.0, np.nan]]))
    np.save(d / "cplx.npy", np.ones((2, 2), complex))
    np.save(d / "bool.npy", np.ones((2, 2), bool))
    np.save(d / "td.npy", np.ones((2, 2), "m8[s]"))
    np.save(d / "str.npy", np.array([["a", "b"]]))
    np.save(d / "one_d.npy", np.ones(3))
    np.save(d / "zero_rows.npy", np.ones((0, 3)))
    (d / "rows_no_id.json").write_text('{"claims": [{"status": "proved"}]}')
    (d / "rows_no_status.json").write_text('{"claims": [{"id": "tccr-dense"}]}')
    (d / "not_json.json").write_text("{claims")
    (d / "list.json").write_text("[1, 2]")
    return root


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts  # numba/bytecode caches may appear
    }


def _cases() -> list[tuple[str, str]]:
    return [(name, option) for name, (_, options) in COMMANDS.items() for option in options]


@pytest.mark.parametrize(("command", "option"), _cases(), ids=lambda x: x.replace(" ", "-"))
def test_bad_value_exits_2_naming_the_argument(command, option, inputs, monkeypatch, capsys):
    base, options = COMMANDS[command]
    work = inputs / "work"
    work.mkdir(exist_ok=True)
    monkeypatch.chdir(work)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.syspath_prepend(str(ROOT))
    strategy = options[option](inputs)  # type: ignore[operator]
    repo_before = _snapshot(ROOT / "topotheory")

    @_SETTINGS
    @given(value=strategy)
    def run(value: str) -> None:
        before = _snapshot(inputs)
        argv = [a.replace("{W}", str(inputs / "inputs" / "w.npy")) for a in base]
        extra = dict(_DEFAULTS.get(command, {}))
        if option == "WEIGHTS":
            argv[argv.index(str(inputs / "inputs" / "w.npy"))] = value
        else:
            extra[option] = value
        for flag, val in extra.items():
            val = val.replace("{OUT}", str(inputs / "out-never-written"))
            if flag in argv:
                argv[argv.index(flag) + 1] = val
            elif val.startswith("-"):
                argv.append(f"{flag}={val}")
            else:
                argv += [flag, val]
        status = cli.main(argv)
        _, err = capsys.readouterr()
        assert status == 2, (argv, status, err)
        assert "Traceback" not in err and "internal error" not in err, (argv, err)
        name = option.lstrip("-").replace("-", "_")
        shown = err.lower().replace("-", "_")
        assert name.lower() in shown or option.lower() in err.lower(), (argv, err)
        assert _snapshot(inputs) == before, argv
        assert not (inputs / "out-never-written").exists()

    run()
    assert _snapshot(ROOT / "topotheory") == repo_before


@_SETTINGS
@given(content=st.binary(max_size=300))
@example(content=b"\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }")
@example(content=b"\x93NUMPY\x09\x00")
@example(content=b"PK\x03\x04")
def test_random_bytes_as_weights_file_exit_2(content, inputs, capsys):
    path = inputs / "inputs" / "fuzzed.npy"
    path.write_bytes(content)
    status = cli.main(["np", str(path)])
    _, err = capsys.readouterr()
    assert status == 2, err
    assert "WEIGHTS" in err and "allow_pickle" not in err and "Traceback" not in err


_header_dtypes = st.sampled_from(["<f8", ">f8", "<f2", "<c16", "|b1", "<m8[s]", "<U3", "|O",
                                  "<i8", "<f16", "|V8", "<M8[D]"])


@_SETTINGS
@given(
    descr=_header_dtypes,
    shape=st.lists(st.integers(0, 10**7), min_size=0, max_size=3).map(tuple),
    fortran=st.booleans(),
    payload=st.binary(max_size=200),
)
def test_fuzzed_npy_headers_never_crash_or_allocate(descr, shape, fortran, payload, inputs,
                                                     capsys):
    from numpy.lib import format as npformat

    path = inputs / "inputs" / "header.npy"
    with open(path, "wb") as handle:
        npformat.write_array_header_1_0(
            handle, {"descr": descr, "fortran_order": fortran, "shape": shape})
        handle.write(payload)
    status = cli.main(["np", str(path), "--max-memory", "64M"])
    _, err = capsys.readouterr()
    assert status in (0, 2), err  # a tiny valid float array may be accepted
    assert "Traceback" not in err and "internal error" not in err
    if status == 2:
        assert "WEIGHTS" in err and "allow_pickle" not in err


def test_cwd_is_left_empty(inputs):
    work = inputs / "work"
    assert not work.exists() or sorted(os.listdir(work)) == []


# =============================================================================
# Argument vectors and corrupted files for every subcommand (issue #23, item 5)
# =============================================================================
#
# Whole argument vectors are generated: a cheap base command per subcommand, then some of
# its options (valid cheap values, bad values, special files, output targets), a junk
# token, global options. Every run must exit 0 or 2 (1 where a command documents it),
# print no traceback, keep stdout one valid JSON document under --json, and change no
# file outside its output target. Corrupted inputs (truncated, bit-flipped, wrong magic,
# huge headers, random bytes) go through the command that reads them. Cases tried and
# exit codes are counted per test and printed at the end of the module (and written to
# $TOPOTHEORY_FUZZ_STATS when set), for the issue note.

import collections  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
import issue23_cases as _cases  # noqa: E402

#: Per test: Counter of exit statuses, plus the number of examples tried.
FUZZ_STATS: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
_VECTOR_SETTINGS = settings(
    max_examples=max(4, settings.default.max_examples // 10),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
    deadline=None,
)


@pytest.fixture(scope="module", autouse=True)
def _report_fuzz_stats():
    yield
    if not FUZZ_STATS:
        return
    lines = [f"{name}: {sum(c.values())} cases, exits {dict(sorted(c.items()))}"
             for name, c in sorted(FUZZ_STATS.items())]
    print("\nfuzz cases tried and exit codes:\n  " + "\n  ".join(lines))
    path = os.environ.get("TOPOTHEORY_FUZZ_STATS")
    if path:
        old = json.loads(Path(path).read_text()) if Path(path).is_file() else {}
        old.update({k: dict(v) for k, v in FUZZ_STATS.items()})
        Path(path).write_text(json.dumps(old, indent=1, sort_keys=True))


CLAIMS_OK = '''\
from topotheory import Claim, Provenance, claim_check, register_claim

register_claim(Claim(id="user-fuzz-claim", statement="1 + 1 == 2", kind="forall", domain="d",
                     provenance=Provenance(section="fuzz", confidence="derived")))


@claim_check("user-fuzz-claim")
def check(ctx):
    return ctx.verdict("confirmed" if 1 + 1 == 2 else "refuted")
'''


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    """Good inputs of every kind, special files and an earlier report, built once."""
    root = tmp_path_factory.mktemp("world")
    d = root / "inputs"
    d.mkdir()
    np.save(d / "w.npy", np.arange(1.0, 13.0).reshape(3, 4))
    _cases._models(d)
    (d / "claims_ok.py").write_text(CLAIMS_OK)
    (d / "chatty.py").write_text(_cases.PRINTS_CLAIMS)
    (d / "quit.py").write_text(_cases.EXITS_CLAIMS)
    (d / "numpy.py").write_text(_cases.SHADOW_NUMPY)
    (d / "forge.py").write_text(_cases.FORGED_COMPARATOR)
    (d / "broken.py").write_text(_cases.NAME_ERROR)
    os.mkfifo(d / "fifo")
    (d / "folder").mkdir()
    (d / "link.json").symlink_to(d / "w.npy")
    _cases.mnist_folder(d)  # inputs/D: a tiny MNIST IDX folder (20 train / 10 test)
    status = cli.main(["verify", "--claim", "tables-mnist-layers", "--quiet", "--json-out",
                       str(d / "verdicts.json")])
    assert status == 0
    assert cli.main(["report", "--only", "appendix-c", "--no-figures", "--quiet", "--out",
                     str(root / "report-template")]) == 0
    try:
        import torch  # noqa: F401
        from safetensors.torch import save_file

        _cases._save_state(d / "mlp.pt", "plain")
        exec(_cases.MODELS, namespace := {})  # noqa: S102 - our own source text
        save_file({k: v.contiguous() for k, v in namespace["mlp"]().state_dict().items()},
                  str(d / "mlp.safetensors"))
        _cases._save_state(d / "complex.pt", "complex")
    except ImportError:
        pass
    return root


def _fingerprint(root: Path, skip: set[Path]) -> dict[str, str]:
    found = {}
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts or any(path == s or s in path.parents for s in skip):
            continue
        found[str(path.relative_to(root))] = _cases._fingerprint_one(path)
    return found


def _targets(argv: list[str], work: Path) -> set[Path]:
    """The output targets named in ``argv`` (what a run may change)."""
    found = set()
    for flag in ("--json-out", "--out", "--claims-doc"):
        for i, token in enumerate(argv[:-1]):
            if token == flag:
                found.add(Path(os.path.abspath(os.path.join(work, argv[i + 1]))))
        for token in argv:
            if token.startswith(flag + "="):
                found.add(Path(os.path.abspath(os.path.join(work, token.split("=", 1)[1]))))
    if argv and "verify" in argv:  # the deprecated `verify --json PATH` writes PATH
        for i, token in enumerate(argv[:-1]):
            if token == "--json" and not argv[i + 1].startswith("-"):
                found.add(Path(os.path.abspath(os.path.join(work, argv[i + 1]))))
    return found


def _json_on_stdout(argv: list[str]) -> bool:
    """Whether ``argv`` asks for a JSON document on stdout."""
    for i, token in enumerate(argv):
        if token == "--json" and ("verify" not in argv or i + 1 == len(argv)
                                  or argv[i + 1].startswith("-")):
            return True
        if token in ("--json-out=-", "--json-out=/dev/stdout") or (
                token == "--json-out" and i + 1 < len(argv)
                and argv[i + 1] in ("-", "/dev/stdout")):
            return True
    return False


def _check_run(name: str, argv: list[str], world: Path, capfd, *, allowed=(0, 2)) -> int:
    work = world / "work"
    work.mkdir(exist_ok=True)
    targets = _targets(argv, work)
    before = _fingerprint(world, targets)
    capfd.readouterr()
    old = os.getcwd()
    os.chdir(work)
    try:
        status = cli.main(argv)
    finally:
        os.chdir(old)
        for module in ("models", "broken"):
            sys.modules.pop(module, None)
    out, err = capfd.readouterr()
    FUZZ_STATS[name][status] += 1
    assert status in allowed, (argv, status, err[-2000:])
    assert "Traceback" not in err and "internal error" not in err, (argv, err[-2000:])
    if _json_on_stdout(argv):
        if status == 0:
            json.loads(out)
        else:
            assert out.strip() == "" or json.loads(out) is not None, (argv, out[:500])
    after = _fingerprint(world, targets)
    created_parents = {str(p.relative_to(world)) for t in targets for p in t.parents
                       if world in p.parents}  # missing parents of a target are created
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k)
                     and not (k not in before and k in created_parents))
    assert changed == [], (argv, changed)
    return status


# ----------------------------------------------------------------- value pools


def _files(*names: str) -> st.SearchStrategy[str]:
    return st.sampled_from(names).map(lambda n: n.replace("I/", "../inputs/"))


_OUT_FILE = st.sampled_from(["out.json", "-", "/dev/stdout", "newdir/", "newdir/out.json",
                             "../inputs/folder", "../inputs/fifo", "../inputs/link.json", "",
                             "../inputs/w.npy/x"])
_OUT_DIR = st.sampled_from(["R", "R-new/sub", "../inputs/folder", "../inputs/fifo",
                            "../inputs/w.npy", "", "R-copy"])
_JUNK = st.text(alphabet="abcxyz-=/.:,0123456789 ", min_size=1, max_size=12)
_INT = st.sampled_from(["0", "1", "2", "3", "-1", "1.5", "x", "", "10**3", "1e3"])
_GLOBAL = st.sampled_from([[], ["--max-memory", "64M"], ["--max-memory", "garbage"],
                           ["--max-memory", "0"], ["--max-memory", "9" * 50]])

# (base argv, {option: values or None for a flag}, extra allowed exit statuses, needs torch)
VECTORS: dict[str, tuple[list[str], dict[str, st.SearchStrategy[str] | None], tuple, bool]] = {
    "np": (["np", "../inputs/w.npy"], {
        "--p": st.sampled_from(["1", "2", "0.5", "inf", "0", "-1", "nan", "x"]),
        "--zero-weights": st.sampled_from(["present", "absent", "bogus"]),
        "--json": None, "--json-out": _OUT_FILE,
        "WEIGHTS": _files("I/w.npy", "I/fifo", "I/folder", "I/missing.npy", "I/models.py"),
    }, (), False),
    "bench": (["bench", "--json-out", "../inputs/folder"], {
        "--json-out": st.sampled_from(["../inputs/folder", "../inputs/fifo", "newdir/", ""]),
    }, (), False),
    "simulate exact": (["simulate", "exact", "--n", "2", "--m", "2"], {
        "--n": _INT, "--m": _INT, "--k": _INT, "--json": None, "--json-out": _OUT_FILE,
    }, (), False),
    "simulate overlap": (["simulate", "overlap", "--n", "3", "--m", "3", "--trials", "20"], {
        "--n": _INT, "--m": _INT, "--trials": st.sampled_from(["2", "20", "0", "x", "-5"]),
        "--seed": _INT, "--confidence": st.sampled_from(["0.9", "0", "1", "2", "nan"]),
        "--json": None, "--json-out": _OUT_FILE,
    }, (), False),
    "verify": (["verify", "--claim", "tables-mnist-layers", "--quiet"], {
        "--seed": _INT, "--json": None, "--json-out": _OUT_FILE, "--timings": None,
        "--expect": _files("I/verdicts.json", "I/fifo", "I/folder", "I/w.npy", "I/missing"),
        "--claims-from": _files("I/claims_ok.py", "I/chatty.py", "I/quit.py", "I/numpy.py",
                                "I/forge.py", "I/broken.py", "I/fifo", "I/missing.py",
                                "no_such_module_xyz", "json"),
        "--claim": st.sampled_from(["tables-mnist-layers", "user-fuzz-claim", "no-such-id"]),
    }, (1,), False),
    "report": (["report", "--only", "appendix-c", "--no-figures", "--quiet", "--out", "R"], {
        "--out": _OUT_DIR, "--force": None,
        "--only": st.sampled_from(["appendix-c", "no-such-section"]),
        "--claims-doc": _files("I/fifo", "I/folder", "I/missing.md", "I/w.npy"),
        "--format": st.sampled_from(["png", "svg", "png,svg", "gif"]),
    }, (), False),
    "tccr": (["tccr", "--module", "models:mlp", "--input-shape", "4"], {
        "--module": st.sampled_from(["models:mlp", "models:raises", "models:exits",
                                     "models:chatty", "models:keyerror", "models:lazy",
                                     "broken:mlp", "nosuch:x", "models:nothing", "models",
                                     "numpy:ones"]),
        "--input-shape": st.sampled_from(["4", "3", "0", "4,4", "x", "", "10**9"]),
        "--json": None, "--json-out": _OUT_FILE,
    }, (), True),
    "audit": (["audit", "--module", "models:mlp", "--input-shape", "4", "--quiet", "--trials",
               "5", "--weights", "../inputs/mlp.pt"], {
        "--weights": _files("I/mlp.pt", "I/mlp.safetensors", "I/complex.pt", "I/fifo",
                            "I/folder", "I/w.npy", "I/missing.pt"),
        "--module": st.sampled_from(["models:mlp", "models:raises", "models:keyerror",
                                     "models:chatty", "broken:mlp", "models:lazy"]),
        "--json": None, "--out": _OUT_DIR, "--force": None,
        "--input-shape": st.sampled_from(["4", "5", "0", "x"]),
    }, (), True),
    # Training commands: the base is refused (an unknown --device, a negative seed), so no
    # example trains; the drawn options check that each refusal comes before any work.
    "prune": (["prune", "--epochs", "0", "--rounds", "1", "--quiet", "--device", "tpu"], {
        "--rate": st.sampled_from(["0.2", "0", "1", "-1", "x"]),
        "--seed": _INT, "--json": None, "--json-out": _OUT_FILE, "--out": _OUT_DIR,
        "--method": st.sampled_from(["imp", "random", "bogus"]),
        "--module": st.sampled_from(["models:mlp", "models:raises", "broken:mlp"]),
    }, (), True),
    "timp-preserves": (["timp-preserves", "--epochs", "0", "--rounds", "1", "--quiet",
                        "--device", "tpu"], {
        "--rounds": st.sampled_from(["-1", "x", "1"]), "--out": _OUT_DIR,
        "--json-out": _OUT_FILE,
    }, (), True),
    "imp-overlap-trained": (["imp-overlap-trained", "--epochs", "0", "--seeds", "-1"], {
        "--out": _OUT_DIR, "--json-out": _OUT_FILE,
    }, (), True),
    "np-grows": (["np-grows", "--epochs", "0", "--seed", "-1"], {
        "--out": _OUT_DIR, "--every": _INT,
    }, (), True),
    "accuracy-sparsity": (["accuracy-sparsity", "--epochs", "0", "--seeds", "-1"], {
        "--out": _OUT_DIR, "--rounds": _INT,
    }, (), True),
}


@st.composite
def _vector(draw, command: str) -> list[str]:
    base, options, _, _ = VECTORS[command]
    argv = list(base)
    names = draw(st.lists(st.sampled_from(sorted(options)), max_size=3, unique=True))
    for name in names:
        values = options[name]
        if values is None:
            argv.append(name)
            continue
        value = draw(values)
        if name == "WEIGHTS":
            argv[1] = value
        elif name in argv:
            argv[argv.index(name) + 1] = value
        else:
            argv += [f"{name}={value}"] if value.startswith("-") and value != "-" else [
                name, value]
    if draw(st.booleans()) and draw(st.booleans()):
        argv.insert(draw(st.integers(1, len(argv))), draw(_JUNK))
    return draw(_GLOBAL) + argv


def _copy_template(world: Path) -> None:
    """Fresh output folders for each example: an earlier report at work/R."""
    work = world / "work"
    for name in ("R", "R-new", "R-copy", "newdir", "out.json"):
        path = work / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    work.mkdir(exist_ok=True)
    for name in ("models.py", "broken.py"):  # the user's modules, in the working folder
        if not (work / name).exists():
            shutil.copy(world / "inputs" / name, work / name)
    shutil.copytree(world / "report-template", work / "R")
    if (work / "D").exists():
        shutil.rmtree(work / "D")
    shutil.copytree(world / "inputs" / "D", work / "D")
    shutil.copytree(world / "report-template", work / "R-copy")
    (work / "R-copy" / "report.md").write_text("edited by the user\n")


@pytest.mark.parametrize("command", sorted(VECTORS), ids=lambda c: c.replace(" ", "-"))
def test_argument_vectors_exit_0_or_2(command, world, capfd):
    _, _, extra, needs_torch = VECTORS[command]
    if needs_torch:
        pytest.importorskip("torch")

    @_VECTOR_SETTINGS
    @given(argv=_vector(command))
    def run(argv: list[str]) -> None:
        _copy_template(world)
        _check_run(f"vectors {command}", argv, world, capfd, allowed=(0, 2, *extra))

    run()


# --------------------------------------------------------------- corrupted files


def _flip(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for position, bit in flips:
        if out:
            out[position % len(out)] ^= 1 << bit
    return bytes(out)


def _corrupted(data: bytes, huge: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.integers(0, len(data)).map(lambda n: data[:n]),  # truncated
        st.lists(st.tuples(st.integers(0, 1 << 30), st.integers(0, 7)), min_size=1,
                 max_size=8).map(lambda f: _flip(data, f)),  # bit-flipped
        st.binary(min_size=1, max_size=8).map(lambda m: m + data[len(m):]),  # wrong magic
        st.binary(max_size=400),  # anything
        huge,  # a header that claims far too much
    )


def _npy_huge() -> st.SearchStrategy[bytes]:
    def header(shape: tuple) -> bytes:
        text = repr({"descr": "<f8", "fortran_order": False, "shape": shape}).encode()
        text += b" " * (63 - (10 + len(text)) % 64) + b"\n"
        return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text

    return st.lists(st.integers(0, 10**40), min_size=1, max_size=4).map(tuple).map(header)


def _safetensors_huge() -> st.SearchStrategy[bytes]:
    def build(length: int, end: int) -> bytes:
        body = json.dumps({"0.weight": {"dtype": "F32", "shape": [3, 4],
                                        "data_offsets": [0, end]}}).encode()
        return struct.pack("<Q", length if length else len(body)) + body + bytes(48)

    return st.builds(build, st.sampled_from([0, 1 << 40, 2**64 - 1]),
                     st.sampled_from([48, 1 << 40, 2**63]))


def _zip_huge() -> st.SearchStrategy[bytes]:
    import io
    import zipfile as zf

    def bomb(mib: int) -> bytes:
        buffer = io.BytesIO()
        with zf.ZipFile(buffer, "w", zf.ZIP_DEFLATED) as archive:
            archive.writestr("archive/data.pkl", b"\x80\x02}q\x00.")
            archive.writestr("archive/data/0", bytes(mib << 20))
        return buffer.getvalue()

    return st.sampled_from([80, 160]).map(bomb)


def _json_huge() -> st.SearchStrategy[bytes]:
    return st.sampled_from([b"[" * 20_000 + b"]" * 20_000,  # nested beyond the recursion limit
                            b'{"claims": ' + b"[" * 20_000 + b"]" * 20_000 + b"}",
                            b'{"claims": [{"id": "x", "status": "' + b"a" * 10**6 + b'"}]}',
                            b'{"written_by": "topotheory", "files": {"a": 1e999999}}'])


def _idx_huge(*, gz: bool = False) -> Callable[[], st.SearchStrategy[bytes]]:
    """IDX headers whose sizes claim far more (or nothing, or another rank) than the file
    holds, with a little data after them; gzip-compressed for ``gz``."""
    import gzip

    def strategy() -> st.SearchStrategy[bytes]:
        dims = st.lists(st.sampled_from([0, 1, 9, 10, 28, 2**16, 2**31, 2**32 - 1]),
                        min_size=1, max_size=4)
        raw = st.builds(lambda d, n: _cases.idx_bytes(tuple(d), bytes(n)), dims,
                        st.sampled_from([0, 10, 784]))
        return raw.map(lambda b: gzip.compress(b, mtime=0)) if gz else raw

    return strategy


#: The IDX kinds corrupt one file of the MNIST folder work/D; the valid folder trains
#: 0 epochs on 20 images (``--rounds 0``), so exit 0 is cheap.
_PRUNE_IDX = ["--max-memory", "64M", "prune", "--data-dir", "D", "--epochs", "0", "--rounds",
              "0", "--quiet", "--json"]

FILE_KINDS = {
    # kind: (file name, argv with {F}, huge headers, extra exit statuses, needs torch)
    "npy": ("w.npy", ["--max-memory", "64M", "np", "{F}", "--json"], _npy_huge, (), False),
    "pt": ("w.pt", ["--max-memory", "64M", "audit", "--module", "models:mlp", "--input-shape",
                    "4", "--trials", "5", "--quiet", "--json", "--weights", "{F}"],
           _zip_huge, (), True),
    "safetensors": ("w.safetensors", ["audit", "--module", "models:mlp", "--input-shape", "4",
                                      "--trials", "5", "--quiet", "--json", "--weights",
                                      "{F}"], _safetensors_huge, (), True),
    "verdicts": ("v.json", ["verify", "--claim", "tables-mnist-layers", "--quiet", "--json",
                            "--expect", "{F}"], _json_huge, (1,), False),
    "manifest": ("R/.topotheory-manifest.json", ["report", "--only", "appendix-c",
                                                 "--no-figures", "--quiet", "--out", "R"],
                 _json_huge, (), False),
    "claims": ("claims_fuzz.py", ["verify", "--claim", "tables-mnist-layers", "--quiet",
                                  "--json", "--claims-from", "{F}"],
               lambda: st.just(b"x = '" + b"a" * 10**6 + b"'\n"), (), False),
    "idx": ("D/train-labels-idx1-ubyte", _PRUNE_IDX, _idx_huge(), (), True),
    "idx-images": ("D/t10k-images-idx3-ubyte", _PRUNE_IDX, _idx_huge(), (), True),
    "idx-gz": ("D/t10k-images-idx3-ubyte.gz", _PRUNE_IDX, _idx_huge(gz=True), (), True),
}


def _original(kind: str, world: Path) -> bytes:
    inputs = world / "inputs"
    return {
        "npy": lambda: (inputs / "w.npy").read_bytes(),
        "pt": lambda: (inputs / "mlp.pt").read_bytes(),
        "safetensors": lambda: (inputs / "mlp.safetensors").read_bytes(),
        "verdicts": lambda: (inputs / "verdicts.json").read_bytes(),
        "manifest": lambda: (world / "report-template" / ".topotheory-manifest.json"
                             ).read_bytes(),
        "claims": lambda: CLAIMS_OK.encode(),
        "idx": lambda: (inputs / "D" / "train-labels-idx1-ubyte").read_bytes(),
        "idx-images": lambda: (inputs / "D" / "t10k-images-idx3-ubyte").read_bytes(),
        "idx-gz": lambda: gzip.compress((inputs / "D" / "t10k-images-idx3-ubyte").read_bytes(),
                                        mtime=0),
    }[kind]()


@pytest.mark.parametrize("kind", sorted(FILE_KINDS))
def test_corrupted_files_exit_0_or_2(kind, world, capfd):
    name, argv, huge, extra, needs_torch = FILE_KINDS[kind]
    if needs_torch:
        pytest.importorskip("torch")
    data = _original(kind, world)
    counter = [0]

    @_VECTOR_SETTINGS
    @given(content=_corrupted(data, huge()))
    def run(content: bytes) -> None:
        _copy_template(world)
        counter[0] += 1
        # a new file name per example: an imported claims module is cached by its path
        stem = f"{counter[0]}-" if kind == "claims" else ""
        path = world / "work" / (Path(name).parent / f"{stem}{Path(name).name}")
        if kind == "idx-gz":  # the plain file would be read first
            (path.parent / path.stem).unlink()
        path.write_bytes(content)
        _check_run(f"corrupted {kind}", [a.replace("{F}", str(path)) for a in argv], world,
                   capfd, allowed=(0, 2, *extra))

    run()
