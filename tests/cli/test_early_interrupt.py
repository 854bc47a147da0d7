"""Ctrl-C during start-up: every entry exits 130 without a traceback, and never loses it.

A real SIGINT is delivered at a deterministic point of the child's start-up: while a named
module is being imported (a finder put first on ``sys.meta_path`` by the test's child
program raises the signal when that module is looked for). ``gmpy2`` is the module that
mpmath (imported by sympy) tries inside a bare ``except:``: a Ctrl-C landing there was
swallowed and the run went on.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from topotheory import cli

ROOT = Path(__file__).resolve().parents[2]

_CHILD = '''
import signal, sys
TRIGGER, ENTRY, ARGV = sys.argv[1], sys.argv[2], sys.argv[3:]

class SigintWhenImported:
    def find_spec(self, name, path=None, target=None):
        if name == TRIGGER:
            sys.meta_path.remove(self)
            signal.raise_signal(signal.SIGINT)
        return None

sys.meta_path.insert(0, SigintWhenImported())
if ENTRY == "console-script":  # what pip writes for topotheory = "topotheory.__main__:main"
    sys.argv = ["topotheory", *ARGV]
    from topotheory.__main__ import main
    sys.exit(main())
import runpy
sys.argv = [ENTRY, *ARGV]
runpy.run_module(ENTRY, run_name="__main__", alter_sys=True)
'''

_VERIFY = ["verify", "--claim", "tccr-dense", "--quiet"]


@pytest.mark.parametrize(("trigger", "entry", "argv"), [
    ("topotheory._entry", "topotheory", ["--version"]),  # before the deferral is in place
    ("topotheory.cli", "topotheory", _VERIFY),  # the entry's imports
    ("proofs_check.commands", "topotheory", _VERIFY),  # the command's imports, in cli.main
    ("proofs_check.runner", "topotheory", _VERIFY),  # verify's handler imports the checks
    ("gmpy2", "topotheory", _VERIFY),  # inside mpmath's bare except
    ("topotheory._entry", "console-script", _VERIFY),
    ("gmpy2", "console-script", _VERIFY),
    ("proofs_check.runner", "proofs_check", ["--claim", "tccr-dense", "--quiet"]),
    ("gmpy2", "proofs_check", ["--claim", "tccr-dense", "--quiet"]),
])
def test_a_sigint_during_start_up_is_exit_130(trigger, entry, argv, tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, trigger, entry, *argv], cwd=tmp_path,
        capture_output=True, text=True, check=False, env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert done.returncode == 130, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stderr.rstrip().endswith("interrupted (nothing half-written is left behind)")
    assert sorted(os.listdir(tmp_path)) == []


def test_an_interrupt_while_importing_a_command_module_is_exit_130(tmp_path, monkeypatch,
                                                                    capsys):
    (tmp_path / "interrupted_command.py").write_text("raise KeyboardInterrupt\n",
                                                      encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(cli.COMMAND_OWNERS, "interrupted", "interrupted_command")
    assert cli.main(["interrupted"]) == 130
    err = capsys.readouterr().err
    assert "Traceback" not in err and "topotheory: interrupted" in err


def test_a_swallowed_sigint_while_importing_a_command_is_not_lost(tmp_path, monkeypatch,
                                                                  capsys):
    (tmp_path / "swallowing_command.py").write_text(
        "import signal\n"
        "try:\n"
        "    signal.raise_signal(signal.SIGINT)\n"
        "    sum(range(1000))  # the handler runs here, in the try\n"
        "except:  # noqa: E722 - what mpmath does around 'import gmpy2'\n"
        "    pass\n"
        "def register(subparsers):\n"
        "    subparsers.add_parser('swallowing').set_defaults(func=lambda args: 0)\n",
        encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(cli.COMMAND_OWNERS, "swallowing", "swallowing_command")
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # Python's own
    try:
        assert cli.main(["swallowing"]) == 130
    finally:
        signal.signal(signal.SIGINT, previous)
    assert "interrupted" in capsys.readouterr().err
