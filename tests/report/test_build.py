"""Building: figures byte-stable, unavailable sources become explicit blocks, CLI works."""

from __future__ import annotations

import json

import pytest

from topotheory.cli import main
from topotheory.render.blocks import FigureSpec, Paragraph, Section, Table
from topotheory.render.figures import render_png
from topotheory.report import build as build_mod
from topotheory.report.sections import SECTIONS, SectionEntry


def test_png_is_byte_stable_and_carries_no_stamp():
    def draw(fig):
        ax = fig.subplots()
        ax.plot([0, 1, 2], [1, 0, 2], label="x")
        ax.legend()

    a = render_png(FigureSpec("x", "c", draw))
    b = render_png(FigureSpec("x", "c", draw))
    assert a == b
    assert b"tIME" not in a and b"Software" not in a and b"matplotlib" not in a.lower()


def test_a_broken_import_stops_the_build(tmp_path, monkeypatch):
    def broken(ctx):
        import topotheory.not_a_module  # noqa: F401

    monkeypatch.setattr(build_mod, "SECTIONS", (SectionEntry("gone", "Gone", "x"),))
    monkeypatch.setattr(build_mod, "load_builder", lambda e: broken)
    with pytest.raises(ModuleNotFoundError, match="topotheory.not_a_module"):
        build_mod.build_report(tmp_path, "quick", figures=False, show_progress=False)


def test_a_missing_optional_extra_is_explicit_everywhere(tmp_path, monkeypatch):
    def missing(ctx):
        raise ModuleNotFoundError("No module named 'torch'", name="torch")

    def fine(ctx):
        return Section("fine", "Fine", (Paragraph("ok"), Table("fine-t", ("a",), ((1.5,),))))

    entries = (SectionEntry("gone", "Gone", "x"), SectionEntry("fine", "Fine", "y"))
    monkeypatch.setattr(build_mod, "SECTIONS", entries)
    monkeypatch.setattr(build_mod, "load_builder", lambda e: missing if e.id == "gone" else fine)
    res = build_mod.build_report(tmp_path, "quick", figures=False, show_progress=False)
    assert [s.status for s in res.sections] == ["unavailable", "ok"]
    md = (tmp_path / "report.md").read_text()
    assert 'Gone.** torch is not installed: pip install "topotheory[torch]"' in md
    manifest = json.loads((tmp_path / "data" / "sections.json").read_text())
    gone = manifest["sections"][0]
    assert gone["not_available"][0]["reason"].endswith('pip install "topotheory[torch]"')
    assert (tmp_path / "data" / "fine-t.csv").read_text() == "a\n1.5\n"
    prov = json.loads((tmp_path / "provenance.json").read_text())
    assert prov["sections"][0]["status"] == "unavailable" and "commit" in prov["git"]
    # volatile facts stay out of data/
    for path in (tmp_path / "data").iterdir():
        assert "generated_at" not in path.read_text() and "seconds" not in path.read_text()


def test_only_rejects_unknown_sections(tmp_path):
    with pytest.raises(ValueError, match=r"only=\['nope'\]: unknown section ids"):
        build_mod.build_report(tmp_path, "quick", only=["nope"], show_progress=False)


def test_cli_builds_a_section(tmp_path, capsys):
    status = main(["report", "--out", str(tmp_path), "--only", "diagram", "--quiet"])
    assert status == 0
    assert "diagram" in capsys.readouterr().out
    html = (tmp_path / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 1
    assert (tmp_path / "figures" / "diagram.png").stat().st_size > 1000


def test_section_ids_are_unique_and_in_reading_order():
    ids = [e.id for e in SECTIONS]
    assert len(ids) == len(set(ids))
    assert ids[0] == "verdicts" and ids[-1] == "claims"
