"""Issue 24 item 1: a per-layer null a reader can trust.

Each layer's overlap is placed in the null LAW of a layer of the same shape (iid: exact or
B Monte Carlo draws; hypergeometric: exact), with a stated quantile and two-sided p-value,
and flagged only after Holm's correction across the layers. The issue's ViT example (q_proj
at 0.825 against a null mean of 0.844 whose law has sd 0.032) must not be flagged; layers
far in either tail must be.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch
from torch import nn

from topotheory.nn.audit import audit_model
from topotheory.nn.audit.null_position import (
    NullPosition,
    holm_verdicts,
    hypergeometric_position,
    iid_law_draws,
    iid_law_exact,
)
from topotheory.nn.audit.nulls import dense_iid_law
from topotheory.nn.audit.report_folder import build_document
from topotheory.nn.audit.terminal import render_text
from topotheory.render.figures import draw_figure, figure_problems
from topotheory.simulate.counting import brute_force_overlap_distribution
from topotheory.simulate.hypergeom import random_overlap_pmf_exact, random_overlap_sf_exact
from topotheory.simulate.montecarlo import iid_overlap_counts

D = 192  # ViT-tiny's width


class VitBlock(nn.Module):
    """A ViT-tiny-like block: q/k/v/out projections and a 4x MLP (six dense layers)."""

    def __init__(self) -> None:
        super().__init__()
        self.q_proj, self.k_proj, self.v_proj, self.out_proj = (nn.Linear(D, D)
                                                                for _ in range(4))
        self.fc1, self.fc2 = nn.Linear(D, 4 * D), nn.Linear(4 * D, D)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.out_proj(self.q_proj(x) + self.k_proj(x) + self.v_proj(x))
        return self.fc2(torch.relu(self.fc1(x)))


def _layer(result, name):
    return next(r for r in result.layers if r.name == name)


def test_exact_law_position_follows_its_definition() -> None:
    law = brute_force_overlap_distribution(3, 3)  # {4: 5/14, 5: 9/14}, listed by brute force
    pos = iid_law_exact(law, k=5).position(4)
    assert pos.p_lower == pytest.approx(5 / 14) and pos.p_upper == 1.0
    assert pos.quantile == pytest.approx(5 / 28)  # P(T < 4) + P(T = 4) / 2
    assert pos.p_value == pytest.approx(10 / 14)  # min(1, 2 min(p_upper, p_lower))
    assert pos.law == "exact" and pos.draws == 0 and pos.min_p == 0.0
    top = iid_law_exact(law, k=5).position(5)
    assert top.p_upper == pytest.approx(9 / 14) and top.quantile == pytest.approx(
        5 / 14 + 9 / 28)


def test_monte_carlo_position_counts_the_layer_as_a_draw() -> None:
    law = iid_law_draws(np.array([3, 4, 4, 5, 5, 5, 6]), k=6)  # B = 7
    pos = law.position(6)
    assert pos.p_upper == (1 + 1) / (1 + 7) and pos.p_lower == (1 + 7) / (1 + 7)
    assert pos.quantile == pytest.approx((6 + 0.5) / 7)
    assert pos.p_value == pytest.approx(2 * 2 / 8)
    beyond = law.position(2)  # below every draw: the smallest p-value B draws can give
    assert beyond.p_lower == 1 / 8 and beyond.p_value == beyond.min_p == 2 / 8
    assert beyond.quantile == 0.0


def test_the_band_is_the_spread_of_one_layer_not_of_the_mean() -> None:
    # a 12x12 layer: exact law; its central 95% band holds >= 95% of the mass and is far
    # wider than the exact mean's (zero-width) uncertainty
    law, _ = dense_iid_law(12, 12, 23, draws=50, seed=(0,), budget=10**9)
    assert law.law == "exact"
    low, high = law.band_fractions(0.95)
    probs = dict(zip(law.support.tolist(), law.mass.tolist(), strict=True))
    inside = sum(p for c, p in probs.items() if low * 23 <= c <= high * 23)
    assert inside >= 0.95 and high - low >= 2 * law.sd_fraction
    # Monte Carlo law of the same shape: same mean and sd within sampling error
    mc = iid_law_draws(iid_overlap_counts(12, 12, 4000, seed=(1,), k=23), k=23)
    assert mc.mean_fraction == pytest.approx(law.mean_fraction, abs=4 * law.sd_fraction / 60)
    assert mc.sd_fraction == pytest.approx(law.sd_fraction, rel=0.1)


@pytest.mark.parametrize("n_edges,k,count", [(20, 5, 0), (20, 5, 3), (20, 5, 5), (50, 9, 2)])
def test_hypergeometric_position_is_exact(n_edges, k, count) -> None:
    pos = hypergeometric_position(n_edges, k, count)
    upper = random_overlap_sf_exact(count, n_edges, k)  # P(T >= count), exact fractions
    lower = 1 - upper + random_overlap_pmf_exact(count, n_edges, k)
    assert pos.p_upper == pytest.approx(float(upper), rel=1e-9)
    assert pos.p_lower == pytest.approx(float(lower), rel=1e-9)
    assert pos.p_value == pytest.approx(min(1.0, 2 * float(min(upper, lower))), rel=1e-9)
    assert pos.quantile == pytest.approx(
        float(lower - random_overlap_pmf_exact(count, n_edges, k) / 2), rel=1e-9)


def test_hypergeometric_tails_beyond_the_float_range_stay_finite() -> None:
    pos = hypergeometric_position(102_760_448, 2_359_297, 1_500_000)  # ResNet-50-sized
    assert pos.p_value == 0.0 and pos.log10_p_value < -1e6
    json.dumps(pos.__dict__, allow_nan=False)


def test_holm_flags_by_the_adjusted_p_and_reports_the_rule() -> None:
    def at(p: float, upper: bool) -> NullPosition:
        tail = p / 2
        return NullPosition(0.5, tail if upper else 1.0, 1.0 if upper else tail, p,
                            math.log10(p), "exact", 0, 0.0)

    positions = [at(0.01, True), at(0.04, False), at(0.03, True), at(0.005, False), None]
    out, verdict = holm_verdicts(list("abcde"), positions, null="iid", alpha=0.05)
    # Holm: sorted p 0.005, 0.01, 0.03, 0.04 x (4, 3, 2, 1) -> 0.02, 0.03, 0.06, 0.06
    assert [p.p_holm for p in out[:4]] == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert [p.verdict for p in out[:4]] == ["above", "typical", "typical", "below"]
    assert out[4] is None and verdict.untested == ("e",)
    assert (verdict.above, verdict.below) == (("a",), ("d",))
    assert "Holm" in verdict.correction and "any dependence" in verdict.correction
    # uncorrected, b and c would have been flagged at 0.05
    assert positions[1].p_value < 0.05 and positions[2].p_value < 0.05


def _vit(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return VitBlock()


@pytest.fixture(scope="module")
def typical_vit():
    """A block whose q_proj sits about one null sd below the null mean (like the issue's
    0.825 vs 0.844): the first seed with that overlap."""
    for seed in range(40):
        model = _vit(seed)
        result = audit_model(model, input_shape=(D,))
        q = _layer(result, "q_proj")
        z = (q.overlap_fraction - q.iid_null.mean) / q.iid_null.sd
        if -1.6 < z < -0.5:
            return result
    raise AssertionError("no seed put q_proj about one sd below the null mean")


def test_the_vit_example_is_not_flagged(typical_vit) -> None:
    q = _layer(typical_vit, "q_proj")
    null = q.iid_null
    # outside the uncertainty of the MEAN (what the old column showed) ...
    assert not null.mean_low <= q.overlap_fraction <= null.mean_high
    # ... but inside the null's spread for one layer: not flagged
    assert null.band_low <= q.overlap_fraction <= null.band_high
    assert null.sd > 10 * (null.mean_high - null.mean_low)
    pos = q.iid_position
    assert pos.quantile < 0.5 and pos.p_value > 0.05 and pos.verdict == "typical"
    assert pos.law == "monte-carlo" and pos.draws == typical_vit.settings.dense_draws >= 200
    assert typical_vit.null_verdicts[0].above == typical_vit.null_verdicts[0].below == ()
    # every layer is far above the hypergeometric null
    assert set(typical_vit.null_verdicts[1].above) == {r.name for r in typical_vit.layers}


def test_layers_far_in_either_tail_are_flagged() -> None:
    model = _vit(0)
    g = torch.Generator().manual_seed(5)
    with torch.no_grad():
        u, v = torch.rand(D, generator=g) + 0.1, torch.rand(D, generator=g) + 0.1
        model.k_proj.weight.copy_(torch.outer(u, v))  # rank 1: top-k crowds the top rows
        w = 0.01 * torch.randn(D, D, generator=g)  # a spanning tree of large weights:
        w[0, :] += 1.0 + torch.rand(D, generator=g)  # output 0 to every input ...
        w[:, 0] += 1.0 + torch.rand(D, generator=g)  # ... and every output to input 0
        model.v_proj.weight.copy_(w)
    result = audit_model(model, input_shape=(D,))
    k, v = _layer(result, "k_proj"), _layer(result, "v_proj")
    assert k.iid_position.verdict == "below" and k.overlap_fraction < k.iid_null.band_low
    assert v.iid_position.verdict == "above" and v.overlap_fraction == 1.0
    iid = result.null_verdicts[0]
    assert iid.above == ("v_proj",) and iid.below == ("k_proj",)
    assert len(iid.tested) == 6
    assert k.iid_position.p_holm <= result.settings.alpha


def test_the_null_is_shown_in_json_terminal_report_and_figure(typical_vit) -> None:
    data = json.loads(json.dumps(typical_vit.to_dict(), allow_nan=False))
    row = data["layers"][0]
    assert {"quantile", "p_value", "p_holm", "verdict"} <= set(row["iid_position"])
    assert {"sd", "band_low", "band_high", "band", "law", "draws"} <= set(row["iid_null"])
    assert data["null_verdicts"][0]["correction"].startswith("Holm")
    text = render_text(typical_vit)
    assert "iid null [95% band]" in text and "iid position" in text
    assert "not the uncertainty of the mean" in text and "Holm" in text
    assert "Monte Carlo mean's interval" not in text
    q = _layer(typical_vit, "q_proj")
    line = next(line for line in text.splitlines() if line.startswith("q_proj "))
    assert f"[{q.iid_null.band_low:.2f},{q.iid_null.band_high:.2f}]" in line
    assert f"q={q.iid_position.quantile:.2f}" in line
    doc = build_document(typical_vit)
    (table,) = [t for s in doc.sections for t in s.tables if t.name == "layers"]
    for column in ("iid_sd", "iid_band_low", "iid_quantile", "iid_p", "iid_p_holm",
                   "iid_verdict", "hypergeom_p"):
        assert column in table.columns
    for spec in (f for s in doc.sections for f in s.figures):
        fig = draw_figure(spec)
        assert figure_problems(fig) == [], spec.name
        assert fig.axes[0].get_title()
    overlap = next(f for s in doc.sections for f in s.figures if f.name == "overlap")
    labels = draw_figure(overlap).legends[0].get_texts()
    assert any("central 95% of X for one layer" in t.get_text() for t in labels)


def test_a_small_dense_layer_uses_the_exact_law() -> None:
    from topotheory.simulate.counting import exact_overlap_distribution

    torch.manual_seed(0)
    result = audit_model(nn.Linear(8, 8), input_shape=(8,), trials=20)
    row = result.layers[0]
    law = exact_overlap_distribution(8, 8)
    upper = sum(p for c, p in law.items() if c >= row.overlap_count)
    lower = sum(p for c, p in law.items() if c <= row.overlap_count)
    assert row.iid_position.law == "exact" and row.iid_position.draws == 0
    assert row.iid_position.p_value == pytest.approx(float(min(1, 2 * min(upper, lower))))
    assert row.iid_null.law == "exact" and row.iid_null.draws == 0
