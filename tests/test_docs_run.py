"""Every code block and command of README.md and docs/*.md runs as written.

- Python blocks are executed (a fresh interpreter, cwd a temporary directory).
- Shell blocks: every concrete ``topotheory ...`` / ``python -m ...`` command is run in a
  subprocess (``topotheory`` as ``python -m topotheory`` so this checkout is tested),
  placeholders filled by :data:`PLACEHOLDERS` fixtures.  A few expensive commands are run
  with a cheaper form taken ONLY from :data:`SUBSTITUTIONS` (each with its reason; an
  unused entry fails the test, so the table cannot go stale).
- Usage synopses (``[optional]`` parts, ``a|b`` choices) and inline commands in the prose
  are parsed by the real argument parsers in their minimal form (optional parts dropped,
  first choice taken): an option that does not exist fails.
- ``<!-- not-run: REASON -->`` right before a block skips it; every marker is listed in
  :data:`NOT_RUN_ALLOWED` so new ones are a visible decision.
- docs/testing-kit.md and docs/extending.md's Python example have their own block tests
  (:data:`COVERED_ELSEWHERE`); they are not run twice.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from docblocks import (
    PAGES,
    ROOT,
    Block,
    code_blocks,
    command_lines,
    inline_commands,
    is_synopsis,
    maximal_form,
    minimal_form,
    split,
)

BLOCKS = [b for page in PAGES for b in code_blocks(page)]
VERDICTS = ROOT / "reports" / "quick" / "data" / "verdicts.json"

#: Placeholder -> value in the temporary working directory (fixtures made by _workspace).
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
    "python -m proofs_check": (
        "python -m proofs_check --claim tccr-dense",
        "every claim takes minutes",
    ),
    "python -m proofs_check --profile deep --seed 1": (
        "python -m proofs_check --profile deep --seed 1 --claim mst-size",
        "the deep profile takes tens of minutes",
    ),
    "python -m proofs_check --expect out.json": (
        "python -m proofs_check --expect out.json --claim tccr-conv",
        "out.json holds the one claim the previous command ran",
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

#: page -> the test that runs its blocks (with the language it covers; "*" = all).
COVERED_ELSEWHERE = {
    ("docs/testing-kit.md", "*"): "tests/testing/test_kit_docs.py",
    ("docs/extending.md", "python"): "tests/proofs_check/test_extending.py",
}
#: Blocks allowed a not-run marker (page:line is not stable, so page and reason).
NOT_RUN_ALLOWED = {
    "docs/core-api.md": "a signature listing, not code (the functions' runnable examples are "
    "their docstrings, run by tests/test_doctests.py)",
    "docs/pruning.md": "the prune --module template names the user's own files (run on real "
    "files by tests/nn_prune/test_unsupported_and_tied.py)",
}

#: Python modules whose command lines are checked with ``--help`` (benchmarks: running
#: them is the point of a benchmark, not of a unit test; the audit example trains a model,
#: which docs/audit.md's shell block runs).
HELP_ONLY_MODULES = (
    "topotheory.simulate.bench",
    "topotheory.simulate.bench_limit",
    "benchmarks.audit_resnet50",
    "benchmarks.audit_sweep_resnet18",
    "benchmarks.docs_timings",
    "examples.audit_digits",
)


def _covered(block: Block) -> str | None:
    return COVERED_ELSEWHERE.get((block.page, block.lang)) or COVERED_ELSEWHERE.get(
        (block.page, "*")
    )


def _env() -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return dict(os.environ, PYTHONPATH=path, HYPOTHESIS_PROFILE="ci")


def _extending_example() -> str:
    page = ROOT / "docs" / "extending.md"
    return next(b.body for b in code_blocks(page) if b.lang == "python")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A working directory with the fixtures the placeholders name."""
    rng = np.random.default_rng(0)
    np.save(tmp_path / "weights.npy", rng.normal(size=(6, 5)))
    np.save(tmp_path / "input.npy", rng.normal(size=(1, 1, 28, 28)).astype(np.float32))
    (tmp_path / "my_claims.py").write_text(_extending_example(), encoding="utf-8")
    return tmp_path


def _fill(command: str) -> str:
    """Replace whole-word placeholders (``N`` in ``--seed N``, never inside a word)."""
    for name, value in sorted(PLACEHOLDERS.items(), key=lambda kv: -len(kv[0])):
        command = re.sub(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", value, command)
    return command


def _argv(command: str) -> tuple[dict[str, str], list[str]]:
    """Environment assignments and the argv that runs ``command`` with this checkout."""
    words = split(command)
    env = {}
    while words and "=" in words[0] and words[0].split("=")[0].isupper():
        key, value = words.pop(0).split("=", 1)
        env[key] = value
    if words[0] == "topotheory":
        words = ["python", "-m", "topotheory", *words[1:]]
    assert words[0] == "python", f"unexpected command {command!r}"
    return env, [sys.executable, *words[1:]]


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    extra, argv = _argv(command)
    at_root = any(command.startswith(p) for p in AT_ROOT)
    return subprocess.run(
        argv, cwd=ROOT if at_root else cwd, env=_env() | extra, capture_output=True,
        text=True, timeout=900,
    )


# -- the extractor finds what the pages hold --------------------------------------------------


def test_the_pages_have_blocks_and_commands():
    runnable = [c for b in BLOCKS if not _covered(b) for c in command_lines(b)]
    python = [b for b in BLOCKS if b.lang == "python" and not _covered(b)]
    assert len(runnable) >= 15 and len(python) >= 4
    assert sum(len(inline_commands(p)) for p in PAGES) >= 15


def test_not_run_markers_are_few_and_explained():
    marked = {b.where: b.not_run for b in BLOCKS if b.not_run is not None}
    for where, reason in marked.items():
        assert reason, f"{where}: not-run marker without a reason"
    pages = {w.split(":")[0] for w in marked}
    assert pages <= set(NOT_RUN_ALLOWED), f"unlisted not-run markers: {marked}"


def test_covered_pages_name_a_test_that_reads_them():
    for (page, _), test in COVERED_ELSEWHERE.items():
        assert Path(page).name in (ROOT / test).read_text(encoding="utf-8")


def test_every_substitution_is_used():
    written = {c for b in BLOCKS if not _covered(b) and not b.not_run for c in command_lines(b)}
    unused = set(SUBSTITUTIONS) - {_fill(c) for c in written} - written
    assert not unused, f"SUBSTITUTIONS entries no page uses any more: {unused}"


# -- python blocks ----------------------------------------------------------------------------

PYTHON = [b for b in BLOCKS if b.lang == "python" and not _covered(b) and not b.not_run]


@pytest.mark.parametrize("block", PYTHON, ids=lambda b: b.where)
def test_python_block_runs(block: Block, workspace: Path):
    script = workspace / "block.py"
    script.write_text(block.body, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=workspace, env=_env(),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{block.where} failed:\n{block.body}\n{done.stderr[-3000:]}"


# -- shell blocks -----------------------------------------------------------------------------

SHELL_BLOCKS = [
    b for b in BLOCKS
    if command_lines(b) and not _covered(b) and not b.not_run
    and any(not is_synopsis(c) for c in command_lines(b))
]


@pytest.mark.slow
@pytest.mark.parametrize("block", SHELL_BLOCKS, ids=lambda b: b.where)
def test_shell_block_commands_run(block: Block, workspace: Path):
    for written in command_lines(block):
        if is_synopsis(written):
            continue  # test_synopsis_parses
        command = _fill(written)
        if command in SUBSTITUTIONS:
            command, _why = SUBSTITUTIONS[command]
            if command is None:
                continue
        done = _run(command, workspace)
        assert done.returncode == 0, (
            f"{block.where}: `{command}` exited {done.returncode}:\n{done.stderr[-3000:]}"
        )


# -- synopses and inline commands: parsed by the real parsers --------------------------------


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


def _check_parses(command: str, *, where: str, cwd: Path) -> None:
    _, argv = _argv(_fill(command))
    module, args = argv[2], argv[3:]
    if module in HELP_ONLY_MODULES or module == "pytest":
        if module != "pytest":
            done = subprocess.run([sys.executable, "-m", module, "--help"], cwd=cwd,
                                  env=_env(), capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, f"{where}: `{command}`: {done.stderr[-2000:]}"
        return
    parser = _parser(module)
    bare = not any(a.startswith("-") for a in args)
    argv_ = [*args, "--help"] if bare and args else args
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            parser.parse_args(argv_)
    except SystemExit as exit_:
        assert exit_.code == 0, f"{where}: `{command}` does not parse: {err.getvalue()}"
    finally:
        os.chdir(old)


INLINE = [(p, line, c) for p in PAGES for line, c in inline_commands(p)
          if not any(p.name == Path(k[0]).name and k[1] == "*" for k in COVERED_ELSEWHERE)]
SYNOPSES = [(b, c) for b in BLOCKS if not _covered(b) and not b.not_run
            for c in command_lines(b) if is_synopsis(c)]


@pytest.mark.parametrize("page,line,command", INLINE,
                         ids=[f"{p.name}:{n}" for p, n, _ in INLINE])
def test_inline_command_parses(page: Path, line: int, command: str):
    for form in (minimal_form(command), maximal_form(command)):
        _check_parses(form, where=f"{page.name}:{line}", cwd=ROOT)


@pytest.mark.parametrize("block,command", SYNOPSES, ids=[b.where for b, _ in SYNOPSES])
def test_synopsis_parses(block: Block, command: str):
    for form in (minimal_form(command), maximal_form(command)):
        _check_parses(form, where=block.where, cwd=ROOT)
