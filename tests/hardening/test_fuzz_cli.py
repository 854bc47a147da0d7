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
