"""LICENSE, CITATION.cff and pyproject.toml say the same thing (licence, version, paper)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _top_level(path: str, key: str, sep: str) -> str:
    """A top-level scalar ``key<sep>value`` of a TOML/YAML file (tomllib is Python >= 3.11)."""
    text = (ROOT / path).read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(key)}{sep}(.+)$", text, flags=re.MULTILINE)
    assert match, f"{path} has no top-level {key!r}"
    return match.group(1).strip().strip('"')


def _cff(key: str) -> str:
    return _top_level("CITATION.cff", key, ": *")


def _pyproject(key: str) -> str:
    return _top_level("pyproject.toml", key, " = ")


def test_the_licence_is_stated_once_and_shipped() -> None:
    assert _pyproject("license") == "MIT"  # an SPDX expression: License-Expression metadata
    assert _pyproject("license-files") == '["LICENSE"]'
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n") and "WITHOUT WARRANTY OF ANY KIND" in text
    assert _cff("license") == _pyproject("license")


def test_the_citation_names_the_project_version_and_the_paper() -> None:
    assert _cff("cff-version") == "1.2.0" and _cff("type") == "software"
    assert _cff("version") == _pyproject("version")
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    paper = text[text.index("references:"):]
    assert "Zeroth-Order Topological Insights into Iterative Magnitude Pruning" in paper
    assert "family-names: Balwani" in paper and "family-names: Krzyston" in paper
    assert "year: 2022" in paper and "arXiv:2206.06563" in paper
