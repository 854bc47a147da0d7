"""Progress output: bars on stderr only on a terminal unless asked; --quiet silences all.

The "terminal" is a real pseudo-terminal (``os.openpty``), not a stand-in object.
"""

from __future__ import annotations

import io
import json
import os
import sys

import pytest

from topotheory.cli import main
from topotheory.progress import progress_bar, progress_enabled, progress_iter


@pytest.fixture
def terminal():
    """A pseudo-terminal's writing end (set as sys.stderr inside the test body, since
    pytest's own capture replaces sys.stderr after fixtures run)."""
    master, slave = os.openpty()
    stream = os.fdopen(slave, "w", buffering=1)
    yield stream
    stream.close()
    os.close(master)


def test_enabled_follows_the_terminal_unless_asked(terminal, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stderr", terminal)
    assert progress_enabled(None) is True
    assert progress_enabled(False) is False
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert progress_enabled(None) is False
    assert progress_enabled(True) is True


def test_progress_must_be_bool_or_none() -> None:
    with pytest.raises(TypeError, match="progress='yes'"):
        progress_enabled("yes")  # type: ignore[arg-type]


def test_bars_go_to_stderr_never_stdout(capsys) -> None:
    assert list(progress_iter(range(3), desc="counting", progress=True)) == [0, 1, 2]
    with progress_bar(total=2, desc="rounds", progress=True) as bar:
        bar.update(2)
    out, err = capsys.readouterr()
    assert out == ""
    assert "counting" in err and "rounds" in err


def test_no_bar_when_not_a_terminal(capsys) -> None:
    list(progress_iter(range(3), desc="counting"))
    assert capsys.readouterr().err == ""


def _prune(extra: list[str]) -> list[str]:
    return ["prune", "--method", "imp", "--rounds", "1", "--epochs", "1", "--device", "cpu", *extra]


def test_prune_quiet_silences_epoch_lines_and_bars(capsys) -> None:
    assert main(_prune(["--progress"])) == 0
    loud = capsys.readouterr()
    assert "epoch 1:" in loud.err and "round 1:" in loud.err and "rounds" in loud.err
    assert main(_prune(["--progress", "--quiet"])) == 0
    quiet = capsys.readouterr()
    assert quiet.err == ""
    assert "round" in quiet.out  # the result table still goes to stdout


def test_imp_overlap_trained_timings_and_progress(capsys) -> None:
    args = ["imp-overlap-trained", "--seeds", "0", "--rounds", "1", "--epochs", "1"]
    assert main([*args, "--json", "--timings", "--progress"]) == 0
    out, err = capsys.readouterr()
    timed = json.loads(out)
    assert "IMP trainings" in err
    seconds = timed["train_seconds"]["0"]
    assert len(seconds) == 2 and all(s > 0 for s in seconds)
    assert main([*args, "--json"]) == 0
    plain = capsys.readouterr()
    assert plain.err == ""  # not a terminal: no bar
    untimed = json.loads(plain.out)
    assert "train_seconds" not in untimed
    assert untimed["table"] == timed["table"]


def test_report_context_bars(capsys, terminal, monkeypatch) -> None:
    from topotheory.report.context import Context
    from topotheory.report.profiles import get_profile

    quick = get_profile("quick")
    assert list(Context(quick, bars=True).progress([1, 2], desc="shapes")) == [1, 2]
    assert "shapes" in capsys.readouterr().err
    list(Context(quick, show_progress=False, bars=True).progress([1], desc="shapes"))
    list(Context(quick).progress([1], desc="shapes"))  # stderr is not a terminal
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys, "stderr", terminal)
    assert Context(quick).bars_enabled
    assert not Context(quick, show_progress=False).bars_enabled


def test_report_cli_flags_parse() -> None:
    from topotheory.cli import build_parser

    args = build_parser().parse_args(["report", "--out", "r", "--format", "png,svg", "--progress"])
    assert (args.formats, args.progress, args.quiet) == (("png", "svg"), True, False)
    assert build_parser().parse_args(["report", "--out", "r"]).progress is None
    with pytest.raises(SystemExit):
        build_parser().parse_args(["report", "--out", "r", "--format", "svg"])
