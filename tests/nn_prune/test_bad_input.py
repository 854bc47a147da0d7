"""Bad arguments to the pruning and TCCR commands fail fast, naming the argument."""

from __future__ import annotations

import time

import pytest

from topotheory.cli import main
from topotheory.nn.experiments import run_pruning, theorem_3_3_bound
from topotheory.simulate.bounds import overlap_lower_bound


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"rate": 1.5}, "rate"),
        ({"rate": -0.1}, "rate"),
        ({"method": "magnitude"}, "method"),
        ({"scope": "layer"}, "scope"),
        ({"on_conflict": "ignore"}, "on_conflict"),
        ({"seed": -1}, "seed"),
        ({"rounds": -1}, "rounds"),
        ({"rewind": "start"}, "rewind"),
    ],
)
def test_run_pruning_rejects_bad_arguments_before_training(kwargs, match) -> None:
    start = time.perf_counter()
    with pytest.raises(ValueError, match=match):
        run_pruning(**{"method": "imp", **kwargs})
    # raised before the data set is loaded or anything is trained
    assert time.perf_counter() - start < 2.0


def test_run_pruning_rejects_non_int_rounds() -> None:
    with pytest.raises(TypeError, match="rounds"):
        run_pruning("imp", rounds=2.5)  # type: ignore[arg-type]


def test_prune_cli_reports_bad_rate_without_training(capsys) -> None:
    assert main(["prune", "--method", "timp", "--model", "fc", "--rate", "1.5", "--json"]) == 2
    err = capsys.readouterr().err
    assert "rate=1.5 must lie in [0, 1]" in err and "epoch" not in err


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["--module", "no_such_pkg.models:net", "--input-shape", "3,8,8"], "cannot import 'no_such_pkg.models'"),
        (["--module", "os:getcwd", "--input-shape", "3,8,8"], "not a torch.nn.Module"),
        (["--module", "os:no_such_factory", "--input-shape", "3,8,8"], "no callable 'no_such_factory'"),
        (["--module", "os.getcwd", "--input-shape", "3,8,8"], "pkg.module:factory"),
        (["--module", "os:getcwd", "--input-shape", "0,8"], "positive ints"),
        (["--module", "os:getcwd", "--input-shape", "3,x"], "comma-separated ints"),
        (["--module", "os:getcwd"], "needs --input-shape"),
    ],
)
def test_tccr_cli_bad_module_arguments(argv, match, capsys) -> None:
    assert main(["tccr", *argv]) == 2
    assert match in capsys.readouterr().err


def test_trained_overlap_bound_is_the_simulate_bound() -> None:
    for n, m in [(1, 7), (2, 2), (10, 784), (100, 300)]:
        assert theorem_3_3_bound(n, m) == overlap_lower_bound(n, m, variant="nm")
    assert theorem_3_3_bound(1, 7) == 1  # the paper's X = 1 when min(n, m) = 1


def test_prune_cli_json_is_byte_identical_for_the_same_seed(capsys) -> None:
    """Same seed, same bytes: wall-clock seconds are left out unless --timings."""
    argv = ["prune", "--method", "timp", "--model", "fc", "--rounds", "1", "--rate", "0.3",
            "--seed", "2", "--epochs", "1", "--json"]
    assert main(argv) == 0
    first = capsys.readouterr().out
    assert main(argv) == 0
    assert capsys.readouterr().out == first
    assert "seconds" not in first and '"seed": 2' in first
    assert main([*argv, "--timings"]) == 0
    assert capsys.readouterr().out.count("train_seconds") == 2  # one per round
