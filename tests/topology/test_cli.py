import json

import numpy as np
import pytest

from topotheory.cli import main
from topotheory.topology import neural_persistence


def test_np_command_json(tmp_path, capsys):
    w = np.random.default_rng(0).standard_normal((5, 7))
    path = tmp_path / "w.npy"
    np.save(path, w)
    assert main(["np", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["mst_edges"] == 11 and out["points"] == 11
    assert out["neural_persistence"] == pytest.approx(neural_persistence(w))
    assert out["tccr"] == pytest.approx(35 / 11)


def test_np_command_bad_input_exit_code(tmp_path, capsys):
    path = tmp_path / "w.npy"
    np.save(path, np.ones(3))
    assert main(["np", str(path)]) == 2
    assert "2-D" in capsys.readouterr().err
