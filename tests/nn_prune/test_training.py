"""Training improves over chance; the experiments run end to end on a small net."""

from __future__ import annotations

import argparse
import json

import pytest

from tests.nn_prune.helpers import CFG, mlp
from topotheory.nn.experiments import (
    imp_overlap_trained,
    np_grows,
    run_pruning,
    theorem_3_3_bound,
    timp_preserves,
)
from topotheory.nn.masks import Mask
from topotheory.nn.train import evaluate, train


def test_training_beats_chance(digits) -> None:
    # deterministic: seed 0 init and batch order; chance on 10 balanced classes is ~0.1
    net = mlp(0)
    before = evaluate(net, digits.x_test, digits.y_test)
    out = train(net, digits, CFG, seed=0)
    assert before < 0.3 and out["test_acc"] > 0.7  # measured 0.755 (seed 0)
    again = train(mlp(0), digits, CFG, seed=0)
    assert again["test_acc"] == out["test_acc"]  # byte-for-byte reproducible on CPU


def test_run_pruning_records_and_files(digits, tmp_path) -> None:
    res = run_pruning(
        "timp", rounds=2, rate=0.5, seed=1, config=CFG, data=digits, model_fn=mlp, out_dir=tmp_path
    )
    json.dumps(res)  # JSON-able
    recs = res["records"]
    assert [r["round"] for r in recs] == [0, 1, 2]
    assert recs[2]["sparsity"] == pytest.approx(
        1 - recs[2]["kept"]["total"] / recs[0]["kept"]["total"]
    )
    for rec in recs[1:]:
        assert all(
            x["diagram_equal_per_layer"] and x["np_equal"]
            for x in rec["step_preservation"].values()
        )
    final = Mask.load(tmp_path / "mask_round2.safetensors")
    assert final.n_kept == recs[2]["kept"]["total"]
    assert (tmp_path / "state_final.safetensors").is_file()
    # result.json carries no wall-clock field: the same seed gives the same bytes.
    first = (tmp_path / "result.json").read_bytes()
    assert b"train_seconds" not in first
    assert "records[0].train_seconds" in json.loads((tmp_path / "timings.json").read_text())
    again = tmp_path / "again"
    again.mkdir()
    run_pruning(
        "timp", rounds=2, rate=0.5, seed=1, config=CFG, data=digits, model_fn=mlp, out_dir=again
    )
    assert (again / "result.json").read_bytes() == first


def test_rewind_to_early_step_and_fine_tune(digits) -> None:
    a = run_pruning(
        "imp", rounds=1, rate=0.5, seed=0, config=CFG, data=digits, model_fn=mlp, rewind=5
    )
    b = run_pruning(
        "imp", rounds=1, rate=0.5, seed=0, config=CFG, data=digits, model_fn=mlp, rewind="none"
    )
    assert a["records"][0]["test_acc"] == b["records"][0]["test_acc"]  # same dense run
    assert a["records"][1]["test_acc"] > 0.5 and b["records"][1]["test_acc"] > 0.5
    with pytest.raises(ValueError, match="exceeds"):
        run_pruning("imp", rounds=1, seed=0, config=CFG, data=digits, model_fn=mlp, rewind=10**6)


def test_timp_preserves_and_imp_contrast(digits) -> None:
    # the thin layers (16 -> 12 -> 10) make IMP cut forest edges by 75% sparsity
    res = timp_preserves(seed=0, rounds=2, rate=0.5, config=CFG, data=digits, model_fn=mlp)
    assert res["timp"]["all_preserved_per_layer"] and res["timp"]["all_preserved_per_network"]
    assert res["timp"]["forest_edges_lost"] == 0 and res["timp"]["max_np_change"] == 0.0
    assert res["imp"]["forest_edges_lost"] > 0
    assert not res["imp"]["all_preserved_per_layer"]


def test_overlap_and_np_experiments(digits) -> None:
    res = imp_overlap_trained(
        seeds=(0, 1), rounds=1, rate=0.5, config=CFG, data=digits, model_fn=mlp, iid_draws=3
    )
    json.dumps(res)
    rows = [r for r in res["table"] if r["round"] == 0]
    assert len(rows) == 3
    for r in rows:
        assert r["bound_thm_3_3"] == pytest.approx(float(theorem_3_3_bound(r["n"], r["m"])))
        assert 0 < r["fraction_min"] <= 1
    g = np_grows(seed=0, config=CFG, data=digits, model_fn=mlp, every=10)
    assert g["trace"][0]["step"] == 0 and len(g["trace"]) == 1 + (2 * 23) // 10
    assert set(g["rises"]) == {"1.weight", "3.weight", "5.weight"}


def test_cli_registers_subcommands() -> None:
    from topotheory.nn.prune_commands import register

    parser = argparse.ArgumentParser(prog="topotheory")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        [
            "prune",
            "--method",
            "imp",
            "--rounds",
            "2",
            "--rate",
            "0.3",
            "--seed",
            "4",
            "--json",
            "--model",
            "fcn-mnist",
        ]
    )
    assert (args.method, args.rounds, args.rate, args.seed, args.json) == ("imp", 2, 0.3, 4, True)
    assert args.on_conflict == "error" and args.dataset == "mnist"
    for sub in ("timp-preserves", "imp-overlap-trained", "np-grows", "accuracy-sparsity"):
        assert callable(parser.parse_args([sub]).func)
