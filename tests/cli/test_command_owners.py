"""A run imports only its own command's module; the map says which module that is."""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
from pathlib import Path

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
