"""Evidence rendered for people: sentences and small tables, never JSON in the report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from topotheory.render.blocks import Paragraph, Section, Table
from topotheory.render.document import Document
from topotheory.render.htmlpage import render_html
from topotheory.render.markdown import render_markdown
from topotheory.report.evidence import (
    evidence_blocks,
    evidence_sentence,
    inline_value,
    matrix_of,
)

REFERENCE = Path(__file__).resolve().parents[2] / "reports" / "quick"
VERDICTS = json.loads((REFERENCE / "data" / "verdicts.json").read_text(encoding="utf-8"))["claims"]

#: A line of raw JSON: a quoted key followed by a colon, twice, or an opening brace/bracket
#: followed by a quoted key.
_JSON_LINE = re.compile(r'(^|[\[{,]\s*)"[^"\n]{1,80}"\s*:\s*\S')


def json_like_lines(text: str, *, longer_than: int = 100) -> list[str]:
    """Lines of ``text`` that look like raw JSON and are longer than ``longer_than``."""
    return [
        line
        for line in text.splitlines()
        if len(line) > longer_than and len(_JSON_LINE.findall(line)) >= 2
    ]


def fenced_json_blocks(text: str) -> list[str]:
    """Fenced blocks tagged ``json`` or whose body parses as a JSON object/array."""
    found = []
    for tag, body in re.findall(r"^```(\w*)\n(.*?)^```", text, flags=re.S | re.M):
        if tag.lower() == "json":
            found.append(body)
            continue
        try:
            value = json.loads(body)
        except ValueError:
            continue
        if isinstance(value, (dict, list)):
            found.append(body)
    return found


def test_the_detectors_catch_what_the_old_report_printed():
    dump = json.dumps(VERDICTS[0]["evidence"], indent=1, sort_keys=True)
    assert fenced_json_blocks(f"text\n\n```\n{dump}\n```\n") == [dump + "\n"]
    assert fenced_json_blocks("```json\n[1]\n```\n")
    assert not fenced_json_blocks("```bash\ntopotheory verify\n```\n")
    cell = "| x | counterexample: " + json.dumps(VERDICTS[6]["counterexample"]) + " |"
    assert json_like_lines(cell) == [cell]
    assert json_like_lines("| x | " + "a: b; " * 30 + " |") == []


def test_committed_report_md_is_prose_tables_and_figures():
    text = (REFERENCE / "report.md").read_text(encoding="utf-8")
    assert fenced_json_blocks(text) == []
    assert json_like_lines(text) == []
    # every claim links its full evidence, and the SVG of every figure is linked
    assert text.count("(data/verdicts.json)") >= len({c["id"] for c in VERDICTS})
    svgs = sorted(p.name for p in (REFERENCE / "figures").glob("*.svg"))
    assert svgs and all(f"(figures/{name})" in text for name in svgs)


def test_committed_report_html_has_no_json_dump():
    page = (REFERENCE / "report.html").read_text(encoding="utf-8")
    visible = re.sub(r'src="data:image/png;base64,[^"]*"', "", page)
    assert "<pre>" not in visible
    assert json_like_lines(visible.replace("&quot;", '"').replace("><", ">\n<")) == []


@pytest.mark.parametrize("claim", VERDICTS, ids=lambda c: f"{c['id']}-{c.get('variant')}")
def test_every_verdict_gets_one_readable_sentence(claim):
    sentence = evidence_sentence(claim)
    assert sentence and "\n" not in sentence and len(sentence) <= 240
    assert sentence[0].isupper() or sentence[0].isdigit()
    assert sentence.endswith((".", "…"))
    assert "{" not in sentence and '":' not in sentence
    ev = claim["evidence"]
    cases = ev.get("evaluations", ev.get("cases"))
    if isinstance(cases, int):
        assert sentence.startswith(f"{cases} cases")
        assert ("exhaustive)" in sentence) == ("exhaustive" in ev)
    if claim.get("counterexample") is not None:
        assert "counterexample with" in sentence.lower()


@pytest.mark.parametrize("claim", VERDICTS, ids=lambda c: f"{c['id']}-{c.get('variant')}")
def test_every_scalar_of_the_evidence_is_shown(claim):
    blocks = evidence_blocks(claim, name="t")
    doc = Document("T", (Section("claims", "Claims", tuple(blocks)),), {})
    md = render_markdown(doc)
    assert fenced_json_blocks(md) == [] and json_like_lines(md) == []
    for key, value in claim["evidence"].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            assert inline_value(value) in md, key
    ce = claim.get("counterexample")
    if isinstance(ce, dict):
        for key, value in ce.items():
            if isinstance(value, str) and len(value) < 60:
                assert value.replace("|", "\\|") in md, key


def test_monte_carlo_intervals_and_decision_rule_are_rendered():
    claim = next(c for c in VERDICTS if c["id"] == "overlap-bound")
    blocks = evidence_blocks(claim, name="ob")
    mc = next(b for b in blocks if isinstance(b, Table) and b.name == "ob-evidence-monte_carlo")
    assert len(mc.rows) == len(claim["evidence"]["monte_carlo"])
    assert {"ci_low", "ci_high", "outcome", "trials"} <= set(mc.columns)
    text = " ".join(b.text for b in blocks if isinstance(b, Paragraph))
    assert "*Decision rule:* " in text and "family-wise false-verdict rate" in text
    kv = next(b for b in blocks if isinstance(b, Table) and b.name == "ob-evidence-kv")
    assert ("family alpha", "0.001") in kv.rows
    assert "family-wise false-verdict rate ≤ 0.001" in evidence_sentence(claim)


def test_counterexample_matrix_is_a_grid():
    claim = next(c for c in VERDICTS if c.get("variant") == "unrolled_whole")
    grid = next(b for b in evidence_blocks(claim, name="r")
                if isinstance(b, Table) and b.name.endswith("-W_hh"))
    w = claim["counterexample"]["W_hh"]
    h = claim["counterexample"]["h"]
    assert grid.caption == f"`W_hh` ({h}×{h} matrix)"
    assert [list(r[1:]) for r in grid.rows] == [w[i * h : (i + 1) * h] for i in range(h)]


def test_matrix_of_respects_stated_shapes_and_rejects_others():
    assert matrix_of("w", [1, 2, 3, 4, 5, 6], {"shape_m_n": [2, 3]}) == ((1, 2, 3), (4, 5, 6))
    assert matrix_of("w", [1, 2, 3, 4, 5, 6], {"shape_m_n": [4, 4]}) is None
    assert matrix_of("w", [[1, 2], [3]], {}) is None
    assert matrix_of("w", ["a", "b", "c", "d"], {}) is None
    assert matrix_of("w", [1, 2, 3, 4], {}) == ((1, 2), (3, 4))


def test_long_lists_are_cut_and_link_the_data_file():
    claim = {
        "status": "confirmed",
        "evidence": {"rows": [{"k": i, "match": True} for i in range(40)]},
    }
    blocks = evidence_blocks(claim, name="long")
    table = next(b for b in blocks if isinstance(b, Table))
    assert len(table.shown()[1]) == 15 and len(table.rows) == 40
    assert any(isinstance(b, Paragraph) and "25 more rows in [data/verdicts.json]" in b.text
               for b in blocks)
    assert evidence_sentence(claim) == "40 rows compared, 40 match."
    assert inline_value(list(range(20))).endswith("… (20 values)")


def test_html_tables_wrap_and_scroll_inside_their_box():
    claim = next(c for c in VERDICTS if c["id"] == "overlap-bound")
    page = render_html(Document("T", (Section("c", "C", tuple(evidence_blocks(claim, name="x"))),),
                                {}))
    body = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    assert '{"' not in body and "{&quot;" not in body and "<pre>" not in body
    css = re.search(r"<style>(.*?)</style>", page, flags=re.S).group(1)
    assert "overflow-x:auto" in css and "white-space:normal" in css
