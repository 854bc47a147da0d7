"""Every report figure follows the house style and renders byte-stably as PNG and SVG.

The figures are the quick report's own: its sections are built once per session by the
``quick_sections`` fixture (tests/report/quick_sections.py), which the reference test
(test_reference.py) compares with the committed data. For each figure:

* :func:`figure_problems` is empty: a title per panel, x and y labels, a legend, and no
  legend box covering a plotted point, line or bar (display coordinates, after layout);
* PNG at 150 dpi, SVG parseable, both byte-identical when rendered twice and free of
  version/time stamps.

The checker itself is tested on figures that break each rule, so it can fail.
"""

from __future__ import annotations

import dataclasses
import struct
import xml.etree.ElementTree as ET

import pytest

from topotheory.render.blocks import FigureSpec
from topotheory.render.figures import DPI, draw_figure, figure_problems, render_figure
from topotheory.report.build import build_report
from topotheory.report.profiles import get_profile

FIGURE_SECTIONS = (
    "overlap-shape",
    "overlap-sparsity",
    "null-models",
    "conv-ratios",
    "diagram",
    "np-training",
    "trained-overlap",
    "fig3-trained",
    "accuracy-sparsity",
)

SMALL = dataclasses.replace(
    get_profile("quick"),
    mc_trials=300,
    square_sizes=(2, 3, 4, 8, 20),
    rect_sizes=(1, 2, 10, 100),
    exact_max_edges=20,
    densities=("0.05", "0.25", "1"),
    sparse_trials=100,
    null_trials=100,
    prune_rounds=2,
    overlap_rounds=1,
    zoo_pairings=(("conv", "mnist"),),
)


@pytest.fixture(scope="module")
def specs(quick_sections) -> dict[str, FigureSpec]:
    found = {name: f for built in quick_sections.values() for name, f in built.figures().items()}
    assert set(found) == set(FIGURE_SECTIONS), "a section lost (or gained) its figure"
    return found


@pytest.mark.parametrize("name", FIGURE_SECTIONS)
def test_figure_follows_house_style(specs, name) -> None:
    fig = draw_figure(specs[name])
    assert figure_problems(fig) == []
    assert fig.legends or any(ax.get_legend() for ax in fig.axes)


def _png_chunks(png: bytes) -> dict[bytes, bytes]:
    chunks, i = {}, 8
    while i < len(png):
        (length,) = struct.unpack(">I", png[i : i + 4])
        kind = png[i + 4 : i + 8]
        chunks[kind] = png[i + 8 : i + 8 + length]
        i += 12 + length
    return chunks


@pytest.mark.parametrize("name", FIGURE_SECTIONS)
def test_png_is_150_dpi_and_byte_stable(specs, name) -> None:
    png = render_figure(specs[name], "png")
    assert png == render_figure(specs[name], "png")
    chunks = _png_chunks(png)
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    w_in, h_in = specs[name].size
    assert (width, height) == (round(w_in * DPI), round(h_in * DPI))
    ppm_x, _, unit = struct.unpack(">IIB", chunks[b"pHYs"])
    assert unit == 1 and round(ppm_x * 0.0254) == DPI
    text = b"".join(v for k, v in chunks.items() if k in (b"tEXt", b"iTXt", b"zTXt"))
    assert b"matplotlib" not in text.lower() and b"Software" not in text


@pytest.mark.parametrize("name", FIGURE_SECTIONS)
def test_svg_is_well_formed_and_byte_stable(specs, name) -> None:
    svg = render_figure(specs[name], "svg")
    assert svg == render_figure(specs[name], "svg")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert b"<dc:date>" not in svg and b"Matplotlib v" not in svg


# -- the checker can fail --------------------------------------------------------------------


def _fig(draw) -> object:
    return draw_figure(FigureSpec("t", "t", draw, size=(4.0, 3.0)))


def _labelled(ax, *, title: str = "t") -> None:
    ax.set(title=title, xlabel="x (s)", ylabel="y (m)")


def test_checker_flags_a_legend_over_a_line() -> None:
    def draw(fig):
        ax = fig.add_subplot()
        ax.plot([0, 1], [1, 1], label="flat line at the top")
        ax.plot([0, 1], [0, 0.2], label="low line")
        _labelled(ax)
        ax.legend(loc="upper left")

    problems = figure_problems(_fig(draw))
    assert any("legend covers" in p for p in problems), problems


def test_checker_flags_a_legend_over_scatter_points_and_bars() -> None:
    def scatter(fig):
        ax = fig.add_subplot()
        ax.scatter([0.05, 0.5, 0.95], [0.95, 0.5, 0.05], label="points")
        ax.set(xlim=(0, 1), ylim=(0, 1))
        _labelled(ax)
        ax.legend(loc="upper left")

    def bars(fig):
        ax = fig.add_subplot()
        ax.bar([0, 1, 2], [5, 5, 5], label="tall bars")
        _labelled(ax)
        ax.legend(loc="center")

    assert any("legend covers" in p for p in figure_problems(_fig(scatter)))
    assert any("legend covers" in p for p in figure_problems(_fig(bars)))


def test_checker_accepts_a_legend_outside_and_flags_missing_labels() -> None:
    def good(fig):
        ax = fig.add_subplot()
        ax.plot([0, 1], [1, 1], label="line")
        _labelled(ax)
        fig.legend(loc="outside lower center")

    def bare(fig):
        ax = fig.add_subplot()
        ax.plot([0, 1], [1, 1])

    assert figure_problems(_fig(good)) == []
    problems = figure_problems(_fig(bare))
    assert {"no legend"} <= set(problems)
    assert any("no title" in p for p in problems)
    assert any("no x label" in p for p in problems)
    assert any("no y label" in p for p in problems)


def test_checker_counts_a_shared_axis_label_once() -> None:
    def draw(fig):
        ax1, ax2 = fig.subplots(1, 2, sharey=True)
        for ax in (ax1, ax2):
            ax.plot([0, 1], [0, 1], label="y = x")
            ax.set(title="panel", xlabel="x (s)")
        ax1.set_ylabel("y (m)")
        fig.legend(*ax1.get_legend_handles_labels(), loc="outside lower center")

    assert figure_problems(_fig(draw)) == []


# -- formats through build_report ------------------------------------------------------------


def test_build_report_writes_png_and_svg(tmp_path) -> None:
    # "diagram": the cheapest section with a figure (~1 s; null-models trains networks, ~12 s
    # per build); what is checked here is the writing of the formats, not the section
    result = build_report(
        tmp_path, SMALL, only=("diagram",), show_progress=False, formats=("png", "svg")
    )
    names = sorted(p.name for p in (tmp_path / "figures").iterdir())
    assert names == ["diagram.png", "diagram.svg"]
    assert result.provenance["figure_formats"] == ["png", "svg"]
    # a partial rebuild (--only) with PNG only keeps the earlier build's files it does not
    # rewrite (topotheory.safe_output.atomic_output_dir(update=True)), the SVG included
    build_report(tmp_path, SMALL, only=("diagram",), show_progress=False)
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == names


@pytest.mark.parametrize("formats", [("svg",), ("png", "pdf"), (), "png"])
def test_build_report_rejects_bad_formats_before_computing(tmp_path, formats) -> None:
    with pytest.raises(ValueError, match="--format"):
        build_report(tmp_path, "quick", formats=formats, show_progress=False)
    assert not any(tmp_path.iterdir())
