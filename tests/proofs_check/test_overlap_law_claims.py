"""The large-layer law's claims (#17): verdicts with evidence in `verify`, twins caught.

The quick profile's verdicts are asserted with the evidence a reader needs (the exact grid,
the scaled errors, the Monte Carlo intervals); ``--power`` must catch every false twin.
The connected-support counterexample is re-derived here with networkx (code we did not
write): a connected 5-edge support of K_{3,3} is a spanning tree, so X = 1, while the dense
layer has E[X] = 13/14.
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

import networkx as nx
import pytest

import proofs_check.claims  # noqa: F401  (registers the checks)
from proofs_check import runner
from topotheory.cli import main as cli_main
from topotheory.simulate.counting import exact_expected_overlap
from topotheory.simulate.overlap_limit import overlap_limit
from topotheory.theory.registry import PAPER_CLAIMS, get_claim

LAW_IDS = ["overlap-law-square", "overlap-law-error", "overlap-law-corrected",
           "overlap-density-invariance"]
EXPECTED = {"overlap-law-square": "proved", "overlap-law-error": "confirmed",
            "overlap-law-corrected": "confirmed",
            "overlap-density-invariance[uniform_support]": "confirmed",
            "overlap-density-invariance[connected_support]": "refuted"}


@pytest.fixture(scope="module")
def verify_json(tmp_path_factory):
    path = tmp_path_factory.mktemp("verify") / "v.json"
    argv = ["verify", "--quiet", "--json-out", str(path)]
    for claim_id in LAW_IDS:
        argv += ["--claim", claim_id]
    assert cli_main(argv) == 0
    rows = json.loads(path.read_text())["claims"]
    return {r["id"] + (f"[{r['variant']}]" if r["variant"] else ""): r for r in rows}


def test_registered_as_derived_claims_citing_random_graph_results():
    for claim_id in LAW_IDS:
        claim = get_claim(claim_id)
        assert claim in PAPER_CLAIMS and claim.provenance.confidence == "derived"
        assert claim.twins, claim_id
    assert "Galton-Watson" in get_claim("overlap-law-error").provenance.note
    assert [v.name for v in get_claim("overlap-density-invariance").variants] == [
        "uniform_support", "connected_support"]


def test_verify_shows_every_law_claim_with_its_verdict(verify_json):
    assert {k: r["status"] for k, r in verify_json.items()} == EXPECTED


def test_error_law_evidence_has_grid_errors_and_intervals(verify_json):
    ev = verify_json["overlap-law-error"]["evidence"]
    assert "n m <= 60" in ev["exact_domain"] and ev["constant"] == 0.25
    worst = ev["exact_worst_scaled_error"]
    assert (worst["n"], worst["m"]) == (2, 30)
    # recomputed from the counting module and the solver directly
    direct = (float(exact_expected_overlap(2, 30)) - overlap_limit(2, 30)) * 2
    assert worst["scaled_error"] == pytest.approx(direct, abs=1e-12)
    assert 0.17 < worst["scaled_error"] < 0.25
    assert all(abs(r["scaled_error"]) <= 0.25 for r in ev["exact"])
    assert len(ev["exact"]) == 74  # every 2 <= n <= m with n m <= 60
    mc = ev["monte_carlo"]
    assert set(mc) == {f"{n}x{m} {side}" for n, m in ((100, 10), (500, 10), (20, 20))
                       for side in ("lower", "upper (negated)")}
    for test in mc.values():
        assert test["ci_low"] <= test["mean"] <= test["ci_high"]
        assert test["outcome"] == "confirmed" and test["confidence"] == pytest.approx(
            1 - 1e-3 / 3)
    assert ev["monte_carlo_tests_in_claim"] == 3 and ev["family_alpha"] == 1e-3


def test_corrected_law_evidence_is_tighter_by_ten(verify_json):
    ev = verify_json["overlap-law-corrected"]["evidence"]
    assert ev["constant"] == 0.025 and "6 <= n <= m" in ev["exact_domain"]
    assert abs(ev["exact_worst_scaled_error"]["scaled_error"]) < 0.025
    assert all(t["outcome"] == "confirmed" for t in ev["monte_carlo"].values())


def test_square_closed_form_is_proved_to_50_digits(verify_json):
    ev = verify_json["overlap-law-square"]["evidence"]
    assert ev["symbolic"]["proved"] is True
    assert ev["X_inf_closed_form"].startswith("0.83809744")
    assert ev["X_inf_closed_form"] == ev["X_inf_smallest_root"]
    assert ev["solver_gap"] < 1e-5


def test_connected_support_counterexample_checked_with_networkx(verify_json):
    cex = verify_json["overlap-density-invariance[connected_support]"]["counterexample"]
    assert (cex["n"], cex["m"], cex["support"]) == (2, 3, 4)
    assert cex["E[X]_at_support"] == "1" and cex["E[X]_dense"] == "19/20"
    # the 3x3 case with 5 edges: every connected support is a spanning tree -> X = 1
    graph = nx.complete_bipartite_graph(3, 3)
    connected = [s for s in itertools.combinations(graph.edges, 5)
                 if nx.is_connected(nx.Graph(list(s)))
                 and nx.Graph(list(s)).number_of_nodes() == 6]
    assert connected and all(nx.is_tree(nx.Graph(list(s))) for s in connected)
    assert Fraction(exact_expected_overlap(3, 3)) == Fraction(13, 14)


def test_power_catches_every_twin_of_the_law_claims(capsys):
    rows = runner.run_power(LAW_IDS)
    assert len(rows) == 7
    assert all(r["caught"] is True and r["status"] == "refuted" for r in rows), rows
    assert runner.main(["--power", "--quiet"] + [a for i in LAW_IDS
                                                 for a in ("--claim", i)]) == 0
    out = capsys.readouterr().out
    assert "plus_one_giant" in out and "w_minus_1_branch" in out and " NO " not in out
