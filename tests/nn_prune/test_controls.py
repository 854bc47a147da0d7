"""Control arms: the control data, the interval over seeds, the decisions and their twins."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
import torch
from scipy import stats

from tests.nn_prune.helpers import CFG, mlp
from topotheory.nn.controls import (
    ARMS,
    ArmNp,
    NpGrowsControls,
    control_dataset,
    decide_imp_overlap,
    decide_np_grows,
    layer_overlap_arms,
    layers_from_imp_overlap_trained,
    np_grows_controls,
    np_rise_effect,
    seed_interval,
)
from topotheory.simulate.montecarlo import simulate_overlap


def test_digits_training_set_has_1438_images(digits) -> None:
    # the number the README quotes for the digits experiments
    assert digits.x_train.shape == (1438, 1, 28, 28)


def test_control_data(digits) -> None:
    assert control_dataset(digits, "real", seed=0) is digits
    shuffled = control_dataset(digits, "shuffled_labels", seed=0)
    assert torch.equal(shuffled.x_train, digits.x_train)
    assert sorted(shuffled.y_train.tolist()) == sorted(digits.y_train.tolist())
    assert (shuffled.y_train != digits.y_train).float().mean() > 0.8
    noise = control_dataset(digits, "random_inputs", seed=0)
    assert noise.x_train.shape == digits.x_train.shape
    assert abs(float(noise.x_train.mean())) < 0.01 and abs(float(noise.x_train.std()) - 1) < 0.01
    assert set(noise.y_train.tolist()) == set(range(10))
    for arm in ARMS[1:]:
        data = control_dataset(digits, arm, seed=0)
        assert torch.equal(data.x_test, digits.x_test) and torch.equal(data.y_test, digits.y_test)
        again = control_dataset(digits, arm, seed=0)
        other = control_dataset(digits, arm, seed=1)
        assert torch.equal(again.x_train, data.x_train) and torch.equal(again.y_train, data.y_train)
        assert not torch.equal(other.y_train, data.y_train)
        assert digits.source in data.source  # a control arm still names the real data
    with pytest.raises(ValueError, match="arm='noise'"):
        control_dataset(digits, "noise", seed=0)


@pytest.mark.parametrize("values", [[1.0, 2.0, 4.0], [0.5, 0.7], [3.0, 3.5, 2.0, 8.0, 1.0]])
def test_seed_interval_matches_scipy(values) -> None:
    iv = seed_interval(values, confidence=0.9)
    low, high = stats.t.interval(0.9, len(values) - 1, loc=np.mean(values),
                                 scale=stats.sem(values))
    assert iv.low == pytest.approx(low, rel=1e-12) and iv.high == pytest.approx(high, rel=1e-12)
    assert iv.n == len(values) and iv.confidence == 0.9


def test_seed_interval_bad_input() -> None:
    with pytest.raises(ValueError, match="empty"):
        seed_interval([])
    with pytest.raises(ValueError, match="confidence=1.5"):
        seed_interval([1.0, 2.0], confidence=1.5)
    with pytest.raises(ValueError, match="NaN"):
        seed_interval([1.0, float("nan")])


def _result(rises: dict[str, tuple[float, ...]]) -> NpGrowsControls:
    seeds = tuple(range(len(next(iter(rises.values())))))
    arms = {}
    for arm, r in rises.items():
        iv = seed_interval(r)
        arms[arm] = ArmNp(arm, arm, seeds, (1.0,) * len(r), tuple(1.0 + x for x in r), r,
                          (0.5,) * len(r), iv, iv)
    return NpGrowsControls(arms, seeds, 0.95, "test", {}, {})


def test_decision_rule_and_its_false_twin() -> None:
    clear = _result({"real": (30.0, 31.0, 29.5), "shuffled_labels": (20.0, 21.0, 20.5),
                     "random_inputs": (22.0, 23.0, 21.0)})
    assert decide_np_grows(clear)["status"] == "confirmed"
    # a control arm swapped in for the real arm must not be confirmed
    assert decide_np_grows(clear, real_arm="shuffled_labels")["status"] == "refuted"
    assert decide_np_grows(clear, real_arm="random_inputs")["status"] == "refuted"
    effect = np_rise_effect(clear)
    assert effect.mean == pytest.approx(np.mean([8.0, 8.0, 8.5]))
    noisy = _result({"real": (30.0, 10.0, 29.0), "shuffled_labels": (20.0, 21.0, 20.5)})
    out = decide_np_grows(noisy)
    assert out["status"] == "refuted" and out["effect"]["low"] < 0 < out["effect"]["mean"]
    one = _result({"real": (30.0,), "shuffled_labels": (1.0,)})
    assert decide_np_grows(one)["status"] == "inconclusive"
    json.dumps(decide_np_grows(clear))
    with pytest.raises(ValueError, match="real_arm='x'"):
        decide_np_grows(clear, real_arm="x")


def test_np_grows_controls_end_to_end(digits) -> None:
    kw = dict(seeds=(0, 1), config=CFG, data=digits, model_fn=mlp, every=5)
    res = np_grows_controls(**kw)
    assert list(res.arms) == list(ARMS)
    for arm in res.arms.values():
        assert arm.rise == tuple(b - a for a, b in zip(arm.np_first, arm.np_last, strict=True))
        assert arm.rise_interval.n == 2
    # same initialisation per seed in every arm: the first NP agrees across arms
    assert res.arms["real"].np_first == res.arms["shuffled_labels"].np_first
    assert res.arms["real"].np_first == res.arms["random_inputs"].np_first
    # learning happens only in the real arm
    assert min(res.arms["real"].test_acc) > 0.5
    assert max(res.arms["shuffled_labels"].test_acc) < 0.3
    assert max(res.arms["random_inputs"].test_acc) < 0.3
    doc = res.as_dict()
    json.dumps(doc)
    assert doc["effect"] == np_rise_effect(res).as_dict()
    again = np_grows_controls(**{**kw, "seeds": (1,), "arms": ("real", "random_inputs")})
    for arm in ("real", "random_inputs"):  # deterministic per seed, whatever the other seeds
        assert again.arms[arm].np_last[0] == res.arms[arm].np_last[1]
        assert again.arms[arm].test_acc[0] == res.arms[arm].test_acc[1]
    with pytest.raises(ValueError, match="seeds"):
        np_grows_controls(seeds=(0, 0), data=digits, model_fn=mlp)
    with pytest.raises(ValueError, match="arms"):
        np_grows_controls(arms=("shuffled_labels", "random_inputs"), data=digits, model_fn=mlp)


LAYERS = [
    {"layer": "1.weight", "n": 784, "m": 100, "counts": [413, 420]},
    {"layer": "3.weight", "n": 100, "m": 100, "counts": [129, 130]},
    {"layer": "11.weight", "n": 100, "m": 10, "counts": [73, 70]},
]


def test_layer_arms_flag_shapes_where_the_bound_cannot_fail() -> None:
    rows = {r.layer: r for r in layer_overlap_arms(LAYERS, seeds=[0, 1], iid_trials=500)}
    # the worst possible overlap of 784x100 and 100x10 is above the bound: no evidence
    assert rows["1.weight"].worst_fraction == "59/883" and not rows["1.weight"].bound_can_fail
    assert rows["11.weight"].worst_fraction == "20/109" and not rows["11.weight"].bound_can_fail
    assert rows["3.weight"].worst_fraction == "28/199" and rows["3.weight"].bound_can_fail
    for row in rows.values():
        assert Fraction(row.worst_fraction) < 1
        assert row.below_bound_seeds == ()
        sim = simulate_overlap(row.n, row.m, trials=500, seed=(12345, row.n, row.m))
        assert row.iid["mean"] == sim.estimate.mean
        for seed, count in zip((0, 1), row.counts, strict=True):
            assert row.iid["tail_probabilities"][str(seed)]["p_ge"] == np.mean(sim.counts >= count)
        low, high = row.trained.low, row.trained.high
        expected = ("above" if low > row.iid["ci_high"] else
                    "below" if high < row.iid["ci_low"] else "overlapping")
        assert row.vs_iid == expected
        json.dumps(row.as_dict())
    verdict = decide_imp_overlap(list(rows.values()))
    assert verdict["bound"] == "confirmed" and verdict["informative_layers"] == ["3.weight"]
    # 784x100: 0.47 trained (t interval over 2 seeds up to 0.52) vs 0.71 iid
    assert rows["1.weight"].vs_iid == "below"
    assert rows["11.weight"].vs_iid == "overlapping"  # 2 seeds: t_{0.975,1} = 12.7, wide
    assert verdict["iid_null"] == "mixed"
    high = layer_overlap_arms([{"layer": "h", "n": 100, "m": 10, "counts": [108, 108]}],
                              seeds=[0, 1], iid_trials=200)
    assert high[0].vs_iid == "above" and decide_imp_overlap(high)["iid_null"] == "above"
    only_uninformative = [rows["1.weight"], rows["11.weight"]]
    assert decide_imp_overlap(only_uninformative)["bound"] == "inconclusive"


def test_scaled_bound_twin_is_caught() -> None:
    # the bound scaled up past the trained overlap (129/199 = 0.648 vs 0.170 * 4 = 0.680)
    rows = layer_overlap_arms(LAYERS[1:2], seeds=[0, 1], bound_scale=4, iid_trials=200)
    assert rows[0].below_bound_seeds == (0, 1)
    assert decide_imp_overlap(rows)["bound"] == "refuted"


def test_layers_from_table_and_bad_input() -> None:
    table = [{"round": 0, "layer": "w", "n": 100, "m": 10, "per_seed": [73 / 109, 70 / 109]},
             {"round": 1, "layer": "w", "n": 100, "m": 10, "per_seed": [0.5, 0.5]}]
    assert layers_from_imp_overlap_trained({"table": table}) == [
        {"layer": "w", "n": 100, "m": 10, "counts": [73, 70]}]
    with pytest.raises(ValueError, match="multiples"):
        layers_from_imp_overlap_trained({"table": [{**table[0], "per_seed": [0.5]}]})
    with pytest.raises(ValueError, match="2 counts for 1 seeds"):
        layer_overlap_arms(LAYERS[:1], seeds=[0], iid_trials=10)
    with pytest.raises(ValueError, match="bound_scale"):
        layer_overlap_arms(LAYERS[:1], seeds=[0, 1], bound_scale=0)
