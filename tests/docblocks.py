"""The one extractor of code blocks and commands from README.md and docs/*.md.

Used by ``tests/test_docs_run.py`` (every page) — pages with their own block tests
(``docs/testing-kit.md``, ``docs/extending.md``'s Python example) are listed there as
covered elsewhere instead of being run twice.

A block preceded by ``<!-- not-run: REASON -->`` is not run (the reason is required).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))

_FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```", re.S | re.M)
_NOT_RUN = re.compile(r"<!--\s*not-run:\s*(.*?)\s*-->\s*$")
_INLINE = re.compile(r"`((?:topotheory|python -m) [^`]+)`")
#: Fence languages whose lines are shell commands (untagged blocks are scanned too).
SHELL = ("bash", "sh", "shell", "console", "")
#: How a command line starts.
COMMAND = re.compile(r"^(?:[A-Z_]+=\S+\s+)*(?:topotheory|python|pip)\s")


@dataclass(frozen=True)
class Block:
    """One fenced block of a page."""

    page: str
    line: int
    lang: str
    body: str
    not_run: str | None

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def code_blocks(page: Path) -> list[Block]:
    """Every fenced block of ``page`` with its language and not-run reason (if marked)."""
    text = page.read_text(encoding="utf-8")
    blocks = []
    for match in _FENCE.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = _NOT_RUN.search(before)
        blocks.append(
            Block(
                page=str(page.relative_to(ROOT)),
                line=text.count("\n", 0, match.start()) + 1,
                lang=match.group(1).lower(),
                body=match.group(2),
                not_run=marker.group(1) if marker else None,
            )
        )
    return blocks


def command_lines(block: Block) -> list[str]:
    """The commands of a shell block: ``\\`` and indented continuations joined, comments
    and ``$ `` prompts dropped, one entry per ``&&``-separated command."""
    if block.lang not in SHELL:
        return []
    joined: list[str] = []
    for raw in block.body.splitlines():
        line = raw.rstrip()
        if not line:
            continue
        if joined and (joined[-1].endswith("\\") or raw[:1].isspace()):
            joined[-1] = joined[-1].rstrip("\\").rstrip() + " " + line.strip()
        else:
            joined.append(line.removeprefix("$ "))
    commands = []
    for line in joined:
        line = re.sub(r"\s+#\s.*$", "", line).strip()
        if COMMAND.match(line):
            commands += [part.strip() for part in line.split("&&")]
    return commands


def inline_commands(page: Path) -> list[tuple[int, str]]:
    """(line, command) of every inline ```topotheory ...``` / ```python -m ...``` span."""
    text = page.read_text(encoding="utf-8")
    blank = lambda m: "\n" * m.group(0).count("\n")  # noqa: E731 - keeps line numbers
    outside = re.sub(r"<!--.*?-->", blank, _FENCE.sub(blank, text), flags=re.S)
    return [
        (outside.count("\n", 0, m.start()) + 1, m.group(1))
        for m in _INLINE.finditer(outside)
        if " = " not in m.group(1)
    ]


def is_synopsis(command: str) -> bool:
    """Whether a command is a usage synopsis (``[optional]`` parts or ``a|b`` choices).

    Examples
    --------
    >>> is_synopsis("topotheory np WEIGHTS.npy [--json]"), is_synopsis('pip install ".[all]"')
    (True, False)
    """
    unquoted = re.sub(r"\"[^\"]*\"|'[^']*'", "", command)
    return bool(re.search(r"\[|\||<\w+>|\.\.\.", unquoted))


def minimal_form(command: str) -> str:
    """A synopsis reduced to what it requires: optional ``[...]`` parts dropped, the first
    of ``a|b`` / ``(a | b)`` choices taken.

    Examples
    --------
    >>> minimal_form("topotheory report --out DIR [--profile quick|deep] [--only S ...]")
    'topotheory report --out DIR'
    >>> minimal_form("topotheory audit --m M (--example-input FILE | --input-shape S)")
    'topotheory audit --m M --example-input FILE'
    """
    text = command
    while True:
        reduced = re.sub(r"\[[^\[\]]*\]", "", text)
        if reduced == text:
            break
        text = reduced
    text = re.sub(r"\(([^()|]*)\|[^()]*\)", r"\1", text)
    text = re.sub(r"(\S+?)\|\S+", r"\1", text)
    text = text.replace("...", "")
    return " ".join(text.split())


def maximal_form(command: str) -> str:
    """A synopsis with every optional part kept (brackets dropped, first choice taken).

    Examples
    --------
    >>> maximal_form("topotheory report --out DIR [--profile quick|deep] [--progress | --quiet]")
    'topotheory report --out DIR --profile quick --progress'
    """
    text = re.sub(r"\[\s*([^\[\]|]*?)\s*\|[^\[\]]*\]", r"\1", command)  # [a | b] -> a
    text = text.replace("[", " ").replace("]", " ")
    return minimal_form(text)


def split(command: str) -> list[str]:
    """Shell words of a command (quotes honoured)."""
    return shlex.split(command)
