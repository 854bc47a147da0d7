"""CLI conventions (issue 16, item 4): help and defaults for every option, --version,
python -m topotheory, --json on stdout and --json-out for files, strict JSON."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from topotheory import cli

ROOT = Path(__file__).resolve().parents[2]


def _all_actions():
    parser = cli.build_parser()
    for sub in cli._walk(parser):
        for action in sub._actions:
            if isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
                continue
            yield sub, action


def test_every_option_has_help():
    missing = [(s.prog, a.option_strings or a.dest) for s, a in _all_actions()
               if not a.help or a.help == argparse.SUPPRESS]
    assert missing == []


def test_defaults_are_shown_in_help():
    for sub, action in _all_actions():
        default = action.default
        if not action.option_strings or default in (None, False, argparse.SUPPRESS, []):
            continue
        if isinstance(action, argparse._SubParsersAction):
            continue
        text = sub.format_help()
        flag = max(action.option_strings, key=len)
        match = re.search(r"\n  (?:-\w+, )?" + re.escape(flag) + r"\b(.*?)(?=\n  -|\Z)", text,
                          re.DOTALL)
        assert match and "default" in match.group(1).lower(), (sub.prog, flag)


def _json_argv(tmp_path):
    w = tmp_path / "w.npy"
    np.save(w, np.array([[0.0, 0.0], [0.0, 0.0]]) + np.eye(2))
    return ["np", str(w), "--p", "inf"]


def test_json_goes_to_stdout_and_is_strict(tmp_path, capsys):
    w = tmp_path / "w.npy"
    np.save(w, np.zeros((2, 2)))  # all-zero: w_max undefined -> refused, not NaN
    assert cli.main(["np", str(w), "--json"]) == 2
    capsys.readouterr()
    np.save(w, np.array([[1.0, 0.5]]))
    assert cli.main(["np", str(w), "--json", "--p", "inf"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out, parse_constant=lambda c: pytest.fail(f"non-strict JSON: {c}"))
    assert data["p"] is None and data["non_finite"]["p"] == "inf"


def test_json_out_writes_the_same_json_to_a_file(tmp_path, capsys):
    w = tmp_path / "w.npy"
    np.save(w, np.array([[1.0, 0.5], [0.25, 2.0]]))
    target = tmp_path / "out" / "summary.json"
    assert cli.main(["np", str(w), "--json", "--json-out", str(target)]) == 0
    assert json.loads(target.read_text()) == json.loads(capsys.readouterr().out)
    assert cli.main(["np", str(w), "--json-out", str(tmp_path)]) == 2
    assert "--json-out" in capsys.readouterr().err


def test_verify_old_json_path_still_writes_with_a_deprecation_message(tmp_path, capsys,
                                                                       monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "v.json"
    argv = ["verify", "--claim", "tables-mnist-layers", "--quiet", "--json", str(path)]
    assert cli.main(argv) == 0
    out, err = capsys.readouterr()
    assert "deprecated" in err and "--json-out" in err
    assert json.loads(path.read_text())["claims"][0]["id"] == "tables-mnist-layers"
    assert cli.main(["verify", "--claim", "tables-mnist-layers", "--quiet", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["claims"][0]["status"] == json.loads(path.read_text())["claims"][0][
        "status"]
    assert "tables-mnist-layers" in err  # the table went to stderr
    assert sorted(os.listdir(tmp_path)) == ["v.json"]  # no .hypothesis/ in the cwd


@pytest.mark.parametrize(
    ("argv", "flag"),
    [
        (["verify", "--seed", "-1"], "--seed"),
        (["verify", "--json-out", "."], "--json-out"),
    ],
)
def test_verify_arguments_checked_before_running(argv, flag, capsys):
    assert cli.main(argv) == 2
    assert flag in capsys.readouterr().err


def test_verify_expect_rows_checked_at_parse_time(tmp_path, capsys):
    bad = tmp_path / "e.json"
    from proofs_check.verdict_file import SCHEMA

    bad.write_text(json.dumps({"schema": SCHEMA, "claims": [{"id": "tccr-dense"}]}))
    assert cli.main(["verify", "--expect", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "--expect" in err and "status" in err and "[proofs_check]" not in err


def test_help_of_python_dash_m(tmp_path):
    done = subprocess.run([sys.executable, "-m", "topotheory", "--help"], capture_output=True,
                          text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          check=False)
    assert done.returncode == 0 and "--version" in done.stdout and "Exit status" in done.stdout
