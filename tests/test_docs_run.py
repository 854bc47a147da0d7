"""The pages' blocks run through Sybil (tests/docs_runner.py); these tests keep that honest.

Running the blocks is Sybil's job: ``python -m pytest`` collects README.md and docs/*.md
(``testpaths``) and reports each block, doctest example and inline command as an item.
Here: every fence has a language that says whether it runs, the directives are where they
can act, skips carry reasons, every substitution is still used, and the output matcher
does what the pages rely on.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docs_runner import (
    COVERED_ELSEWHERE,
    PAGES,
    ROOT,
    RUN_LANGUAGES,
    SHOWN_LANGUAGES,
    SUBSTITUTIONS,
    command_lines,
    fences,
    fill,
    inline_commands,
    output_mismatch,
)

FENCES = [f for page in PAGES for f in fences(page)]
#: Pages allowed a Sybil skip (``<!-- skip: next "REASON" -->``), and why: new ones are a
#: visible decision.
SKIPS_ALLOWED: dict[str, str] = {
    "docs/pruning.md": "the prune --module template names the reader's own files; "
    "tests/nn_prune/test_unsupported_and_tied.py runs it on real ones",
}
_SKIP = re.compile(r"<!--\s*skip:\s*(\w+)(.*?)-->", re.S)


def test_the_pages_have_blocks_and_commands():
    commands = [c for f in FENCES if f.language == "bash" for c in command_lines(f.body)]
    python = [f for f in FENCES if f.language == "python"]
    inline = [c for page in PAGES for c in inline_commands(page.read_text(encoding="utf-8"))]
    assert len(commands) >= 15 and len(python) >= 8 and len(inline) >= 15


@pytest.mark.parametrize("fence", FENCES, ids=lambda f: f"{f.page}:{f.line}")
def test_every_fence_says_whether_it_runs(fence):
    known = set(RUN_LANGUAGES) | set(SHOWN_LANGUAGES)
    assert fence.language in known, (
        f"{fence.page}:{fence.line}: fence language {fence.language!r}; use one of {sorted(known)}")
    kind = fence.directive[0] if fence.directive else None
    allowed = {"file": ("python",), "exit": ("bash",), "output": ("text",), None: tuple(known)}
    assert fence.language in allowed[kind], (
        f"{fence.page}:{fence.line}: <!-- {kind} --> cannot act on a {fence.language} block")


def test_output_blocks_follow_a_block_that_runs():
    for page in PAGES:
        previous = None
        for fence in fences(page):
            if fence.directive and fence.directive[0] == "output":
                assert previous is not None and previous.language in RUN_LANGUAGES, (
                    f"{fence.page}:{fence.line}: <!-- output --> after no running block")
                assert not (previous.directive and previous.directive[0] == "file")
            previous = fence


def test_skips_carry_reasons_and_are_listed():
    old = [p for p in PAGES if "not-run:" in p.read_text(encoding="utf-8")]
    assert not old, f"the old not-run marker is gone; use <!-- skip: next \"REASON\" -->: {old}"
    for page in PAGES:
        for action, reason in _SKIP.findall(page.read_text(encoding="utf-8")):
            name = page.relative_to(ROOT).as_posix()
            assert action == "end" or reason.strip().strip('"'), f"{name}: skip without reason"
            assert name in SKIPS_ALLOWED, f"{name}: unlisted skip ({reason.strip()})"


def test_covered_pages_name_a_test_that_reads_them():
    for (page, _), reason in COVERED_ELSEWHERE.items():
        test = re.search(r"tests/\S+\.py", reason).group(0)
        assert Path(page).name in (ROOT / test).read_text(encoding="utf-8")


def test_every_substitution_is_used():
    written = {c for f in FENCES if f.language == "bash" for c in command_lines(f.body)}
    unused = set(SUBSTITUTIONS) - {fill(c) for c in written} - written
    assert not unused, f"SUBSTITUTIONS entries no page uses any more: {unused}"


@pytest.mark.parametrize(("expected", "actual", "matches"), [
    ("b\nc", "a\nb\nc\nd", True),                     # an excerpt, anywhere in the output
    ("b\nd", "a\nb\nc\nd", False),                    # lines follow each other ...
    ("b\n...\nd", "a\nb\nc\nd", True),                # ... unless "..." skips lines
    ("x: 0.90138...", "E   x: 0.9013878188659974", True),  # digits left out, prefix allowed
    ("x: 0.90139...", "x: 0.9013878188659974", False),      # a stale digit is caught
    ("a  b", "a b", True),                            # runs of spaces compare as one
    ("missing", "", False),
])
def test_the_output_matcher(expected, actual, matches):
    assert (output_mismatch(expected, actual) is None) is matches
