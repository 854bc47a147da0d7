"""report --out and prune --out never lose data and never mix runs."""

from __future__ import annotations

import json
import time

import pytest

from topotheory import cli
from topotheory.safe_output import MANIFEST_NAME

REPORT = ["report", "--only", "appendix-c", "--no-figures", "--quiet"]


def test_report_keeps_foreign_files_and_refuses_without_force(tmp_path, capsys):
    out = tmp_path / "D"
    (out / "data").mkdir(parents=True)
    (out / "data" / "mine.csv").write_text("x\n")
    assert cli.main([*REPORT, "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert sorted(p.name for p in out.rglob("*")) == ["data", "mine.csv"]
    assert cli.main([*REPORT, "--out", str(out), "--force"]) == 0
    assert (out / "data" / "mine.csv").read_text() == "x\n"
    assert (out / "data" / "appendix-c.csv").is_file() and (out / MANIFEST_NAME).is_file()
    # An earlier report: no --force needed, the user's file is still kept.
    assert cli.main([*REPORT, "--out", str(out)]) == 0
    assert (out / "data" / "mine.csv").read_text() == "x\n"


def test_report_only_updates_just_those_sections(tmp_path):
    out = tmp_path / "r"
    assert cli.main([*REPORT, "--out", str(out)]) == 0
    first = (out / "data" / "appendix-c.csv").read_bytes()
    argv = ["report", "--only", "diagram", "--no-figures", "--quiet", "--out", str(out)]
    assert cli.main(argv) == 0
    assert (out / "data" / "appendix-c.csv").read_bytes() == first
    assert (out / "data" / "diagram-points.csv").is_file()


@pytest.mark.parametrize("bad", ["", "FILE", "FILE/sub"])
def test_report_bad_out_refused_before_computation(tmp_path, capsys, bad):
    f = tmp_path / "report.txt"
    f.write_text("keep me")
    out = bad.replace("FILE", str(f))
    start = time.perf_counter()
    assert cli.main(["report", "--out", out, "--quiet"]) == 2
    assert time.perf_counter() - start < 5  # nothing was computed
    assert "--out" in capsys.readouterr().err and f.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_report_interrupted_while_writing_leaves_the_old_report(tmp_path, monkeypatch, capsys):
    out = tmp_path / "r"
    assert cli.main([*REPORT, "--out", str(out)]) == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    import topotheory.render.markdown as markdown

    def interrupted(doc):  # Ctrl-C arriving while the report is written
        raise KeyboardInterrupt

    monkeypatch.setattr(markdown, "render_markdown", interrupted)
    assert cli.main(["report", "--only", "diagram", "--no-figures", "--quiet", "--out",
                     str(out)]) == 130
    assert "Traceback" not in capsys.readouterr().err
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


PRUNE = ["prune", "--method", "imp", "--epochs", "0"]


def test_prune_out_writes_the_result_once_and_never_mixes_runs(tmp_path, capsys):
    out = tmp_path / "run"
    assert cli.main([*PRUNE, "--rounds", "2", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert "result.json" in names and "prune.json" not in names
    assert "mask_round2.safetensors" in names
    capsys.readouterr()
    assert cli.main([*PRUNE, "--rounds", "1", "--out", str(out)]) == 2
    assert "earlier run" in capsys.readouterr().err
    assert cli.main([*PRUNE, "--rounds", "1", "--out", str(out), "--force"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert "mask_round2.safetensors" not in names and "mask_round1.safetensors" in names
    assert json.loads((out / "result.json").read_text())["rounds"] == 1


@pytest.mark.parametrize("argv", [["--out", "FILE"], ["--device", "cuda"], ["--out", ""]])
def test_prune_bad_arguments_refused_before_training(tmp_path, capsys, argv):
    torch = pytest.importorskip("torch")
    if argv[0] == "--device" and torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    f = tmp_path / "f.txt"
    f.write_text("keep")
    argv = [a.replace("FILE", str(f)) for a in argv]
    assert cli.main([*PRUNE, *argv]) == 2
    err = capsys.readouterr().err
    assert argv[0] in err and "epoch" not in err and f.read_text() == "keep"
