"""``--module pkg.mod:factory`` is resolved by one function in every command."""

from __future__ import annotations

import json
import sys

import pytest

from topotheory.cli import main

pytestmark = pytest.mark.torch

MODEL = '''
from torch import nn


class SmallCNN(nn.Sequential):
    def __init__(self):
        super().__init__(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(2 * 6 * 6, 3))
'''


@pytest.fixture
def model_folder(tmp_path, monkeypatch):
    (tmp_path / "api_test_mycnn.py").write_text(MODEL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    sys.modules.pop("api_test_mycnn", None)


def test_tccr_finds_a_model_file_in_the_working_folder(model_folder, capsys):
    """The issue: ``tccr --module mycnn:SmallCNN`` said "No module named 'mycnn'" there."""
    assert main(["tccr", "--module", "api_test_mycnn:SmallCNN", "--input-shape", "1,8,8",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [row["type"] for row in out["layers"]] == ["conv2d", "dense"]
    assert str(model_folder) not in sys.path  # searched, not left behind


def test_tccr_and_audit_resolve_the_same_way(model_folder):
    from topotheory.nn.audit.loading import load_factory

    assert main(["tccr", "--module", "api_test_mycnn:SmallCNN", "--input-shape", "1,8,8"]) == 0
    assert type(load_factory("api_test_mycnn:SmallCNN")).__name__ == "SmallCNN"  # audit's


def test_a_failing_factory_is_bad_input(model_folder, capsys):
    (model_folder / "api_test_broken.py").write_text(
        "def net():\n    raise RuntimeError('no weights here')\n", encoding="utf-8")
    try:
        assert main(["tccr", "--module", "api_test_broken:net", "--input-shape", "3"]) == 2
    finally:
        sys.modules.pop("api_test_broken", None)
    assert "no weights here" in capsys.readouterr().err
