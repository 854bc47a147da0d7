"""CI runs every test exactly once: the README's test command (slow tests deselected by
pyproject's addopts) and the slow step (``-m slow``), nothing else and nothing twice."""

from __future__ import annotations

import re
import shlex
import tomllib
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
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    options = config["tool"]["pytest"]["ini_options"]
    args = shlex.split(options["addopts"])
    assert args[args.index("-m") + 1] == "not slow"
    assert args.count("-m") == 1 and not any(a.startswith("-k") for a in args)
    assert any(m.startswith("slow:") for m in options["markers"])
    extras = config["project"]["optional-dependencies"]["test"]
    assert any(e.startswith("pytest-xdist") for e in extras)


def test_the_scheduling_tables_name_existing_files() -> None:
    assert check_tables() == []
