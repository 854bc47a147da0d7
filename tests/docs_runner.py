"""Sybil runs README.md and docs/*.md: every code block and command, as written.

The root ``conftest.py`` hands :data:`SYBIL` to pytest (``testpaths`` lists README.md and
docs/), so ``python -m pytest`` collects one item per block, per doctest example and per
inline command, named ``docs/page.md::line:N,column:M``. Blocks of a page run in order, in
one namespace, with the page's own temporary working folder as the current directory.

What runs, by the fence's language and the HTML comment right above the fence (invisible
when the page is rendered):

``python``
    Executed in-process (a block starting with ``>>>`` is a doctest: its output is
    checked, with ``ELLIPSIS`` and ``NORMALIZE_WHITESPACE``). With ``<!-- file: NAME -->``
    above it, the block is written to ``NAME`` in the working folder instead (a test file,
    a claims module) for the commands that follow.
``bash``
    Every concrete ``topotheory ...`` / ``python ...`` / ``pip ...`` line runs in a
    subprocess (``topotheory`` as ``python -m topotheory``, so this checkout is tested),
    placeholders filled from :data:`PLACEHOLDERS`; a few expensive commands run in the
    cheaper form given ONLY by :data:`SUBSTITUTIONS` (each with its reason; an unused entry
    fails ``tests/test_docs_run.py``). It must exit 0, or the status of ``<!-- exit: N -->``.
    Usage synopses (``[optional]`` parts, ``a|b`` choices) are parsed by the real argument
    parsers in their minimal and maximal forms instead.
``text`` under ``<!-- output -->``
    The output of the block above (a command's stdout and stderr, or what a Python block
    printed) must contain these lines, one after the other (each line may be a part of the
    output's line, e.g. without pytest's ``E`` prefix): ``...`` inside a line matches any
    text, a line that is only ``...`` any number of lines, and runs of spaces compare as
    one.
    Machine-dependent digits are written as ``...``, never as a stale number.
``<!-- skip: next "REASON" -->``
    Sybil's skip: the next block is reported as skipped with REASON (required here).
inline commands
    Every ```topotheory ...``` / ```python -m ...``` span in the prose is parsed by the real
    parsers (minimal and maximal form): an option that does not exist fails.

Other languages (``text`` without the comment, ``pycon`` docstring examples in
docs/api.md, ``toml``) are shown, not run; ``tests/test_docs_run.py`` checks that every
fence has one of the known languages and lists the skips.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import SkipTest

import numpy as np
from sybil import Document, Example, Region, Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown import SkipParser
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer

ROOT = Path(__file__).resolve().parents[1]
PAGES = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))
VERDICTS = ROOT / "reports" / "quick" / "data" / "verdicts.json"

#: Fence languages that run, and those only shown (with why).
RUN_LANGUAGES = ("python", "bash")
SHOWN_LANGUAGES = {
    "text": "output or a listing; checked against the block above when marked <!-- output -->",
    "pycon": "a docstring's own example (docs/api.md), run by the doctest tests",
    "toml": "a configuration excerpt for the reader's own package",
}

#: Placeholder -> value in the page's working folder (fixtures made by :func:`_workspace`).
PLACEHOLDERS = {
    "WEIGHTS.npy": "weights.npy",
    "DIR": "out-dir",
    "PATH": "out.json",
    "ID": "tccr-dense",
    "MODULE": "my_claims",
    "SECTION": "null-models",
    "VERDICTS.json": str(VERDICTS),
    "<verify_profile>": "quick",
    "pkg.mod:factory": "examples.audit_digits:digits_convnet",
    "pkg.module:factory": "examples.audit_digits:digits_convnet",
    "CHECKPOINT": "weights.npy",
    "FILE": "input.npy",
    "K": "5",
    "N": "1",
}

#: Command as written -> (command run instead, why).  Only cost, never correctness.
SUBSTITUTIONS = {
    "pip install torch==2.13.0": (None, "installs packages; the test runs in the installed env"),
    'pip install -e ".[all]"': (None, "installs packages; the test runs in the installed env"),
    "topotheory verify": (
        "topotheory verify --claim tccr-dense",
        "every claim takes minutes; tests/proofs_check runs each claim",
    ),
    "HYPOTHESIS_PROFILE=ci python -m pytest -q -p no:cacheprovider": (
        "HYPOTHESIS_PROFILE=ci python -m pytest -q -p no:cacheprovider tests/test_profiles.py",
        "the full suite cannot run inside itself; one small test file, run from the root",
    ),
    "HYPOTHESIS_PROFILE=ci python -m pytest -q -p no:cacheprovider -m slow": (
        "HYPOTHESIS_PROFILE=ci python -m pytest -q -p no:cacheprovider -m slow -n0 "
        "--collect-only tests/proofs_check/test_reference_verdicts.py",
        "the slow step cannot run inside itself; it is collected (the selection works) from "
        "one file of slow tests",
    ),
    "python -m proofs_check": (
        "python -m proofs_check --claim tccr-dense",
        "every claim takes minutes",
    ),
    "python -m proofs_check --profile deep --seed 1": (
        "python -m proofs_check --profile deep --seed 1 --claim mst-size",
        "the deep profile takes tens of minutes",
    ),
    "python -m proofs_check --claims-from my_claims": (
        "python -m proofs_check --claims-from my_claims --claim my-overlap-half",
        "every claim takes minutes",
    ),
    "topotheory verify --claims-from my_claims.py": (
        "topotheory verify --claims-from my_claims.py --claim my-overlap-half",
        "every claim takes minutes",
    ),
    "topotheory report --out my-report --claims-from my_claims": (
        "topotheory report --out my-report --claims-from my_claims --only null-models "
        "--no-figures",
        "the full quick report takes minutes; tests/report builds it",
    ),
    "topotheory imp-overlap-trained --seeds 0 1 2 --rounds 3 --rate 0.5": (
        "topotheory imp-overlap-trained --seeds 0 --rounds 1 --rate 0.5",
        "three seeds x three rounds of training",
    ),
    "topotheory accuracy-sparsity --seeds 0 1 2 --rounds 7 --rate 0.5": (
        "topotheory accuracy-sparsity --seeds 0 --rounds 1 --rate 0.5",
        "16-160 s of training",
    ),
}
#: Commands run from the repository root (they name repository files).
AT_ROOT = ("HYPOTHESIS_PROFILE=ci python -m pytest",)

#: (page, language) whose blocks another test runs, and which.
COVERED_ELSEWHERE = {
    ("docs/testing-kit.md", "python"): "tests/testing/test_kit_docs.py runs this page's "
    "scripts, each in a fresh interpreter",
}

#: Python modules whose command lines are checked with ``--help`` (benchmarks: running
#: them is the point of a benchmark, not of a unit test; the audit example trains a model,
#: which docs/audit.md's shell block runs; the docs generator has its own test).
HELP_ONLY_MODULES = (
    "topotheory.simulate.bench",
    "topotheory.simulate.bench_limit",
    "benchmarks.audit_resnet50",
    "benchmarks.audit_sweep_resnet18",
    "benchmarks.docs_timings",
    "examples.audit_digits",
    "topotheory.apidoc",
    "proofs_check.pilot",  # the designs' pilot: ten minutes of training, run once
)

_FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```", re.S | re.M)
_DIRECTIVE = re.compile(r"<!--\s*(file|exit|output)\s*(?::\s*(.*?))?\s*-->\s*$")
_INLINE = re.compile(r"`((?:topotheory|python -m) [^`]+)`")
#: How a command line starts.
COMMAND = re.compile(r"^(?:[A-Z_]+=\S+\s+)*(?:topotheory|python|pip)\s")


# --------------------------------------------------------------------- page structure
@dataclass(frozen=True)
class Fence:
    """One fenced block: its language, info string, body, and the directive above it."""

    page: str
    line: int
    language: str
    body: str
    directive: tuple[str, str] | None


def relative(path: str | Path) -> str:
    return Path(path).resolve().relative_to(ROOT).as_posix()


def _directive_before(text: str, start: int) -> tuple[str, str] | None:
    previous = text[:start].rstrip("\n").rsplit("\n", 1)[-1]
    found = _DIRECTIVE.search(previous)
    return (found.group(1), found.group(2) or "") if found else None


def fences(page: Path) -> list[Fence]:
    """Every fenced block of ``page`` (for the checks of tests/test_docs_run.py)."""
    text = page.read_text(encoding="utf-8")
    return [Fence(relative(page), text.count("\n", 0, m.start()) + 1,
                  m.group(1).split()[0] if m.group(1).split() else "", m.group(2),
                  _directive_before(text, m.start()))
            for m in _FENCE.finditer(text)]


def command_lines(body: str) -> list[str]:
    """The commands of a shell block: ``\\`` and indented continuations joined, comments
    and ``$ `` prompts dropped, one entry per ``&&``-separated command."""
    joined: list[str] = []
    for raw in body.splitlines():
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


def inline_commands(text: str) -> list[tuple[int, int, str]]:
    """(start, end, command) of every inline ``topotheory ...`` / ``python -m ...`` span
    outside fences and HTML comments."""
    blank = lambda m: " " * len(m.group(0))  # noqa: E731 - keeps offsets
    outside = re.sub(r"<!--.*?-->", blank, _FENCE.sub(blank, text), flags=re.S)
    return [(m.start(), m.end(), m.group(1)) for m in _INLINE.finditer(outside)
            if " = " not in m.group(1)]


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


def fill(command: str) -> str:
    """Replace whole-word placeholders (``N`` in ``--seed N``, never inside a word)."""
    for name, value in sorted(PLACEHOLDERS.items(), key=lambda kv: -len(kv[0])):
        command = re.sub(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", value, command)
    return command


def output_mismatch(expected: str, actual: str) -> str | None:
    """Why ``actual`` does not show the lines of ``expected`` (see the module docstring),
    or None when it does.

    Examples
    --------
    >>> output_mismatch("a ... c\\n...\\nlast", "x\\na b c\\nmore\\nlast line\\n") is None
    True
    >>> output_mismatch("a  b", "a c")
    'expected, in order:\\na b\\ngot:\\na c'
    """
    def squeeze(text: str) -> list[str]:
        return [" ".join(line.split()) for line in text.strip("\n").splitlines()]

    want, got = squeeze(expected), squeeze(actual)
    parts = []
    for line in want:
        if line == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append("[^\n]*?" + "[^\n]*?".join(re.escape(p) for p in line.split("..."))
                         + r"[^\n]*\n")
    pattern = "".join(parts)
    if re.search(r"(?:^|(?<=\n))" + pattern, "\n".join(got) + "\n"):
        return None
    return "expected, in order:\n" + "\n".join(want) + "\ngot:\n" + "\n".join(got)


# --------------------------------------------------------------------- working folder
def _extending_example() -> str:
    return next(f.body for f in fences(ROOT / "docs" / "extending.md") if f.language == "python")


def _workspace(namespace: dict[str, Any]) -> None:
    """Sybil setup: the page's working folder with the files the placeholders name."""
    namespace.pop("__output__", None)
    folder = Path(tempfile.mkdtemp(prefix="topotheory-docs-"))
    rng = np.random.default_rng(0)
    np.save(folder / "weights.npy", rng.normal(size=(6, 5)))
    np.save(folder / "input.npy", rng.normal(size=(1, 1, 28, 28)).astype(np.float32))
    (folder / "my_claims.py").write_text(_extending_example(), encoding="utf-8")
    namespace["__workspace__"] = folder
    namespace["__output__"] = None  # what the last block that ran printed


def _remove_workspace(namespace: dict[str, Any]) -> None:
    folder = namespace.get("__workspace__")
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    for module in [name for name in sys.modules if name in ("my_claims",)]:
        sys.modules.pop(module, None)


def _env() -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return dict(os.environ, PYTHONPATH=path, HYPOTHESIS_PROFILE="ci")


# --------------------------------------------------------------------- evaluators
class InWorkspace:
    """Run a Python evaluator in the page's working folder; keep what it printed (under
    the end of its block, for an ``<!-- output -->`` block right below)."""

    def __init__(self, evaluator: Any, block_end: int) -> None:
        self.evaluator = evaluator
        self.block_end = block_end

    def __call__(self, example: Example) -> Any:
        __tracebackhide__ = True
        old = Path.cwd()
        printed = io.StringIO()
        os.chdir(example.namespace["__workspace__"])
        try:
            with contextlib.redirect_stdout(printed):
                result = self.evaluator(example)
        finally:
            os.chdir(old)
            example.namespace["__output__"] = (self.block_end, printed.getvalue())
            sys.stdout.write(printed.getvalue())
        return result


def write_file(example: Example) -> None:
    """``<!-- file: NAME -->``: the block becomes NAME in the working folder."""
    name = example.region.lexemes["file"]
    (example.namespace["__workspace__"] / name).write_text(example.parsed, encoding="utf-8")


def skip_covered(reason: str):
    def evaluate(example: Example) -> None:
        raise SkipTest(reason)
    return evaluate


def argv_of(command: str) -> tuple[dict[str, str], list[str]]:
    """Environment assignments and the argv that runs ``command`` with this checkout."""
    words = shlex.split(command)
    env = {}
    while words and "=" in words[0] and words[0].split("=")[0].isupper():
        key, value = words.pop(0).split("=", 1)
        env[key] = value
    if words[0] == "topotheory":
        words = ["python", "-m", "topotheory", *words[1:]]
    assert words[0] == "python", f"unexpected command {command!r}"
    return env, [sys.executable, *words[1:]]


def _parser(module: str) -> argparse.ArgumentParser:
    if module in ("topotheory", "topotheory.cli"):
        from topotheory.cli import build_parser

        return build_parser()
    if module == "proofs_check":
        from proofs_check.runner import add_arguments

        parser = argparse.ArgumentParser(prog="python -m proofs_check")
        add_arguments(parser)
        return parser
    raise LookupError(module)


def check_parses(command: str, *, where: str) -> None:
    """Parse ``command`` with the real parser (``--help`` for benchmarks)."""
    _, argv = argv_of(fill(command))
    module, args = argv[2], argv[3:]
    if module in HELP_ONLY_MODULES or module == "pytest":
        if module != "pytest":
            done = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT,
                                  env=_env(), capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, f"{where}: `{command}`: {done.stderr[-2000:]}"
        return
    parser = _parser(module)
    bare = not any(a.startswith("-") for a in args)
    argv_ = [*args, "--help"] if bare and args else args
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            parser.parse_args(argv_)
    except SystemExit as exit_:
        assert exit_.code == 0, f"{where}: `{command}` does not parse: {err.getvalue()}"
    finally:
        os.chdir(old)


def runs_commands(body: str) -> bool:
    """Whether a shell block runs a command in a subprocess (a usage synopsis is only
    parsed; a command whose :data:`SUBSTITUTIONS` entry is None is not run).

    Examples
    --------
    >>> runs_commands("topotheory np WEIGHTS.npy [--json]"), runs_commands("topotheory np x.npy")
    (False, True)
    """
    for written in command_lines(body):
        if is_synopsis(written):
            continue
        command = fill(written)
        if SUBSTITUTIONS.get(command, (command,))[0] is not None:
            return True
    return False


def run_shell(example: Example) -> None:
    """A ``bash`` block: run its commands (synopses parsed), check the exit status."""
    __tracebackhide__ = True
    expected = int(example.region.lexemes.get("exit") or 0)
    where = f"{relative(example.path)}:{example.line}"
    outputs = []
    for written in command_lines(example.parsed):
        if is_synopsis(written):
            for form in (minimal_form(written), maximal_form(written)):
                check_parses(form, where=where)
            continue
        command = fill(written)
        if command in SUBSTITUTIONS:
            command, _why = SUBSTITUTIONS[command]
            if command is None:
                continue
        extra, argv = argv_of(command)
        at_root = any(command.startswith(p) for p in AT_ROOT)
        done = subprocess.run(argv, cwd=ROOT if at_root else example.namespace["__workspace__"],
                              env=_env() | extra, capture_output=True, text=True, timeout=900)
        outputs.append(done.stdout + done.stderr)
        assert done.returncode == expected, (
            f"{where}: `{command}` exited {done.returncode}, not {expected}:\n"
            f"{done.stderr[-3000:]}")
    example.namespace["__output__"] = (example.region.end, "\n".join(outputs))


def check_output(example: Example) -> str | None:
    """``<!-- output -->``: the block above printed these lines."""
    ran = example.namespace["__output__"]
    if ran is None or ran[0] != example.region.lexemes["after"]:
        raise SkipTest("the block above did not run (deselected or skipped)")
    why = output_mismatch(example.parsed, ran[1])
    if why is not None:
        return f"{relative(example.path)}:{example.line}: the output differs from the page\n{why}"
    return None


def check_inline(example: Example) -> None:
    where = f"{relative(example.path)}:{example.line}"
    for form in (minimal_form(example.parsed), maximal_form(example.parsed)):
        check_parses(form, where=where)


# --------------------------------------------------------------------- parsers
class PageBlocks:
    """Every fenced block of a page as a Sybil region, by language and directive."""

    def __init__(self) -> None:
        self.lexer = FencedCodeBlockLexer(language=r".+",
                                          mapping={"language": "arguments", "source": "source"})
        self.doctests = DocTestStringParser(DocTestEvaluator(
            __import__("doctest").ELLIPSIS | __import__("doctest").NORMALIZE_WHITESPACE))

    def __call__(self, document: Document) -> Any:
        page = relative(document.path)
        previous_end = None  # end of the last fenced block, the one an output block checks
        for region in sorted(self.lexer(document), key=lambda r: r.start):
            end_before, previous_end = previous_end, region.end
            language = region.lexemes["arguments"].split()[0]
            source = region.lexemes["source"]
            directive = _directive_before(document.text, region.start)
            kind, value = directive if directive else (None, None)
            region.parsed = source
            if language == "python":
                if kind == "file":
                    region.lexemes["file"] = value
                    region.evaluator = write_file
                elif (page, "python") in COVERED_ELSEWHERE:
                    region.evaluator = skip_covered(COVERED_ELSEWHERE[page, "python"])
                elif source.startswith(">>>"):
                    for doctest_region in self.doctests(source, document.path):
                        doctest_region.adjust(region, source)
                        doctest_region.evaluator = InWorkspace(doctest_region.evaluator,
                                                               region.end)
                        yield doctest_region
                    continue
                else:
                    region.evaluator = InWorkspace(PythonEvaluator(), region.end)
            elif language == "bash":
                region.lexemes["exit"] = value if kind == "exit" else None
                region.evaluator = run_shell
            elif language == "text" and kind == "output":
                region.lexemes["after"] = end_before
                region.evaluator = check_output
            else:
                continue
            yield region


class InlineCommands:
    """Inline ```topotheory ...``` spans of the prose, parsed by the real parsers."""

    def __call__(self, document: Document) -> Any:
        for start, end, command in inline_commands(document.text):
            yield Region(start, end, command, check_inline)


class ReasonedSkipParser(SkipParser):
    """Sybil's ``<!-- skip: next "REASON" -->``, with the reason required."""

    def __call__(self, document: Document) -> Any:
        for region in super().__call__(document):
            action, reason = region.parsed
            if action in ("next", "start") and not reason:
                raise ValueError(f"{document.path}: a skip needs its reason: "
                                 f'<!-- skip: {action} "why" -->')
            yield region


SYBIL = Sybil(
    parsers=[PageBlocks(), InlineCommands(), ReasonedSkipParser()],
    patterns=["README.md", "docs/*.md"],
    path=str(ROOT),
    setup=_workspace,
    teardown=_remove_workspace,
)
