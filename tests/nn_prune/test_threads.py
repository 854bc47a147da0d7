"""Training and evaluation run with one CPU thread by default; ``--threads`` and
``TOPOTHEORY_THREADS`` override it; the count is recorded and restored."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import torch

from tests.nn_prune.helpers import CFG, mlp
from topotheory import threads
from topotheory.cli import main
from topotheory.errors import InputError
from topotheory.nn.train import TrainConfig, config_record, torch_threads, train


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    monkeypatch.delenv("TOPOTHEORY_THREADS", raising=False)
    threads.set_threads(None)
    yield
    threads.set_threads(None)


def test_default_is_one_thread_during_training_and_restored(digits) -> None:
    torch.set_num_threads(2)
    seen = []
    out = train(mlp(0), digits, CFG, seed=0, on_step=lambda s, m: seen.append(
        torch.get_num_threads()))
    assert out["threads"] == 1 and set(seen) == {1}
    assert torch.get_num_threads() == 2  # restored


def test_explicit_env_and_cli_override_in_that_order(monkeypatch) -> None:
    assert threads.resolve_threads() == 1
    monkeypatch.setenv("TOPOTHEORY_THREADS", "3")
    assert threads.resolve_threads() == 3
    threads.set_threads(2)  # --threads beats the environment
    assert threads.resolve_threads() == 2
    assert threads.resolve_threads(4) == 4  # an explicit TrainConfig(threads=) beats both
    assert config_record(TrainConfig(threads=4))["threads"] == 4
    assert config_record(TrainConfig())["threads"] == 2


def test_torch_threads_applies_the_count(digits) -> None:
    with torch_threads(2) as n:
        assert n == 2 and torch.get_num_threads() == 2
    out = train(mlp(0), digits, TrainConfig(epochs=1, device="cpu", threads=2), seed=0)
    assert out["threads"] == 2


@pytest.mark.parametrize("bad", ["0", "-2", "two", "1.5", ""])
def test_bad_values_are_refused_naming_them(bad, monkeypatch) -> None:
    with pytest.raises(InputError, match="--threads"):
        threads.parse_threads(bad, argument="--threads")
    if bad:
        monkeypatch.setenv("TOPOTHEORY_THREADS", bad)
        with pytest.raises(InputError, match="TOPOTHEORY_THREADS"):
            threads.resolve_threads()
    with pytest.raises(ValueError, match="threads"):
        TrainConfig(threads=0)


def test_cli_exit_2_for_bad_threads(monkeypatch, capsys) -> None:
    assert main(["prune", "--threads", "0", "--json"]) == 2
    assert "--threads" in capsys.readouterr().err
    monkeypatch.setenv("TOPOTHEORY_THREADS", "many")
    assert main(["prune", "--json"]) == 2
    err = capsys.readouterr().err
    assert "TOPOTHEORY_THREADS='many'" in err and "epoch" not in err


def test_cli_threads_recorded_in_the_result(capsys) -> None:
    argv = ["prune", "--method", "imp", "--rounds", "0", "--epochs", "0", "--json", "--quiet",
            "--dataset", "digits"]
    assert main([*argv, "--threads", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["train_config"]["threads"] == 2
    assert threads.resolve_threads() == 1  # the CLI's setting ends with the command
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["train_config"]["threads"] == 1


def test_numba_parallel_layer_is_held_to_the_same_count() -> None:
    # in a fresh process: start numba's parallel layer, then train under torch_threads
    code = (
        "import numba, torch\n"
        "from topotheory.nn.train import torch_threads\n"
        "numba.set_num_threads(2)\n"
        "with torch_threads(1):\n"
        "    inside = (torch.get_num_threads(), numba.get_num_threads())\n"
        "print(inside, numba.get_num_threads())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "NUMBA_NUM_THREADS": "2"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "(1, 1) 2"
