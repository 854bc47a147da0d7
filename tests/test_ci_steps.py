"""CI runs every test exactly once: the README's test command (slow tests deselected by
pyproject's addopts) and the slow step (``-m slow``), nothing else and nothing twice."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.scheduling import check_tables

ROOT = Path(__file__).resolve().parents[1]
README_COMMAND = "HYPOTHESIS_PROFILE=ci python -m pytest -q -p no:cacheprovider"


def _pytest_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()
            if re.search(r"python -m pytest\b", line) and not line.lstrip().startswith("#")]


def test_ci_runs_the_readme_command_and_the_slow_step() -> None:
    lines = _pytest_lines((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert lines == [README_COMMAND, README_COMMAND + " -m slow"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f'pip install -e ".[all]" && {README_COMMAND}\n' in readme
    assert f"{README_COMMAND} -m slow\n" in readme


def test_the_default_run_deselects_exactly_the_slow_tests() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")  # no tomllib on 3.10
    addopts = re.search(r'^addopts = """(.*?)"""', text, re.S | re.M).group(1)
    args = shlex.split(addopts.replace("\\\n", " "))
    assert args[args.index("-m") + 1] == "not slow"
    assert args.count("-m") == 1 and not any(a.startswith("-k") for a in args)
    assert re.search(r'^    "slow: ', text, re.M)
    test_extras = re.search(r"^test = \[(.*?)\]", text, re.S | re.M).group(1)
    assert '"pytest-xdist>=' in test_extras


def test_the_scheduling_tables_name_existing_files() -> None:
    assert check_tables() == []
