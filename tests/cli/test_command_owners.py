"""A run imports only its own command's module; the map says which module that is."""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from topotheory.cli import COMMAND_MODULES, COMMAND_OWNERS, build_parser, command_of

ROOT = Path(__file__).resolve().parents[2]


def test_every_registered_command_has_its_owner_and_no_other():
    found = {}
    for module_name in COMMAND_MODULES:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(module_name).register(sub)
        found.update(dict.fromkeys(sub.choices, module_name))
    assert found == COMMAND_OWNERS


def test_a_known_command_builds_a_parser_with_only_that_command():
    parser = build_parser("audit")
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert sorted(action.choices) == ["audit"]
    assert len(_choices(build_parser(None))) == len(COMMAND_OWNERS)
    assert len(_choices(build_parser("no-such-command"))) == len(COMMAND_OWNERS)


def _choices(parser):
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return action.choices


def test_the_command_is_found_after_global_options():
    assert command_of(["--debug", "--max-memory", "1G", "np", "w.npy"]) == "np"
    assert command_of(["--max-memory=1G", "report", "--out", "r"]) == "report"
    assert command_of(["--version"]) is None


def test_audit_startup_imports_no_numerics(tmp_path):
    code = ("import sys\nfrom topotheory.cli import main\n"
            "status = main(['audit', '--module', 'm:f', '--input-shape', '3', '--weights', "
            "'missing.pt'])\n"
            "print(status, sorted(m for m in ('numpy', 'numba', 'sympy', 'scipy', 'torch') "
            "if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert done.stdout.strip() == "2 []", done.stderr


_HEAVY = ("numpy", "numba", "sympy", "scipy", "torch")


def _imported_by(args, tmp_path):
    """The heavy modules ``python -X importtime ARGS`` imports (its stderr names every one)."""
    done = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=tmp_path,
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    names = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
             if line.startswith("import time:")}
    return done.returncode, sorted(names & set(_HEAVY))


def test_version_imports_no_numerics_and_no_command(tmp_path):
    """``--version`` needs no subcommand: neither sympy, numba, torch nor numpy is loaded."""
    assert _imported_by(["-m", "topotheory", "--version"], tmp_path) == (0, [])


def test_a_command_and_its_help_load_only_what_it_needs(tmp_path):
    """``np --help`` loads no numerics; ``np`` on a dense layer loads numpy, numba and scipy
    (the kernels) but not the claims' sympy; ``import topotheory.theory`` loads nothing."""
    assert _imported_by(["-m", "topotheory", "np", "--help"], tmp_path) == (0, [])
    assert _imported_by(["-c", "import topotheory.theory"], tmp_path) == (0, [])
    (tmp_path / "w.npy").write_bytes(_npy_2x3())
    status, heavy = _imported_by(["-m", "topotheory", "np", "w.npy"], tmp_path)
    assert status == 0 and "sympy" not in heavy and "torch" not in heavy


def _npy_2x3():
    import io

    import numpy as np

    buffer = io.BytesIO()
    np.save(buffer, np.arange(1.0, 7.0).reshape(2, 3))
    return buffer.getvalue()


@pytest.mark.parametrize("argv", [["--help"], ["verify", "--help"]])
def test_help_loads_neither_the_claims_sympy_nor_torch(argv, tmp_path):
    """Declaring ``verify``'s options needs no claim registry: the checks load only to run."""
    status, heavy = _imported_by(["-m", "topotheory", *argv], tmp_path)
    assert status == 0 and "sympy" not in heavy and "torch" not in heavy
