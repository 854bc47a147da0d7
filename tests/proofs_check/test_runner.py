"""The runner: registry completeness, JSON schema, --expect, crashes, refutation."""

import json
from pathlib import Path

import pytest

from proofs_check import check_claim, runner
from proofs_check.claims._layers import as_array, dense_layers
from proofs_check.rules import forall_search
from topotheory.theory import claim as claims_api
from topotheory.theory import registry

ROOT = Path(__file__).resolve().parents[2]
CHEAP = ["tables-mnist-layers", "dense-vs-conv", "tccr-dense"]


def test_every_paper_claim_has_one_registered_check_and_a_doc_row():
    import proofs_check.claims  # noqa: F401  (the import-time assertion runs here)

    doc = (ROOT / "docs" / "claims.md").read_text()
    for claim in registry.PAPER_CLAIMS:
        assert callable(claims_api.CHECKS[claim.id]), claim.id
        assert f"| `{claim.id}` |" in doc, f"docs/claims.md lacks a row for {claim.id}"


def test_json_schema_and_exit_zero_with_a_refuted_claim(tmp_path, capsys):
    path = tmp_path / "v.json"
    argv = [a for i in CHEAP for a in ("--claim", i)] + ["--json-out", str(path), "--quiet"]
    assert runner.main(argv) == 0
    first = json.loads(path.read_text())
    assert set(first) == {"schema", "claims", "summary", "provenance"}
    assert runner.main([*argv, "--timings"]) == 0
    data = json.loads(path.read_text())
    assert set(data) == {"schema", "claims", "summary", "provenance", "timings"}
    # the compared part is byte-stable; run-dependent facts are kept apart from it
    assert (first["claims"], first["summary"]) == (data["claims"], data["summary"])
    assert set(data["timings"]) == {"tables-mnist-layers", "tccr-dense",
                                    "dense-vs-conv[dense_over_conv]",
                                    "dense-vs-conv[resnet_below_vgg_conv_row]",
                                    "dense-vs-conv[resnet_below_vgg_final_row]"}
    assert data["timings"]["tccr-dense"]["search"] > 0  # run-dependent, kept apart
    keys = {"id", "variant", "kind", "source", "status", "decided_by", "statement",
            "provenance", "evidence", "counterexample"}
    assert all(set(row) == keys for row in data["claims"])
    tccr = next(row for row in data["claims"] if row["id"] == "tccr-dense")
    assert not any("seconds" in k or "time" in k for k in tccr["evidence"])
    status = {(row["id"], row["variant"]): row["status"] for row in data["claims"]}
    assert status == {("tables-mnist-layers", None): "confirmed",
                      ("dense-vs-conv", "dense_over_conv"): "confirmed",
                      ("dense-vs-conv", "resnet_below_vgg_conv_row"): "refuted",
                      ("dense-vs-conv", "resnet_below_vgg_final_row"): "confirmed",
                      ("tccr-dense", None): "confirmed"}
    assert data["summary"] == {"paper": {"confirmed": 3},
                               "reading": {"confirmed": 1, "refuted": 1}}
    assert "dense-vs-conv" in capsys.readouterr().out


def test_dense_vs_conv_is_decided_per_row_reading():
    """Only the Conv-row reading fails (Tiny-ImageNet: ResNet-18 4.3142 > VGG11 4.2672)."""
    verdicts = {v.variant: v for v in runner.run_checks(["dense-vs-conv"], progress=False)}
    assert list(verdicts) == ["dense_over_conv", "resnet_below_vgg_conv_row",
                              "resnet_below_vgg_final_row"]
    assert [v.status for v in verdicts.values()] == ["confirmed", "refuted", "confirmed"]
    assert [v.source for v in verdicts.values()] == ["paper", "reading", "reading"]
    failing = verdicts["resnet_below_vgg_conv_row"].counterexample
    assert (failing["dataset"], failing["resnet_value"], failing["vgg_value"]) == (
        "Tiny-ImageNet", 4.3142, 4.2672)
    assert verdicts["dense_over_conv"].evidence["cases_checked"] == 6


def test_bad_arguments_exit_two(tmp_path):
    assert runner.main(["--claim", "no-such-claim", "--quiet"]) == 2
    assert runner.main(["--claim", "tccr-dense", "--quiet", "--expect", str(tmp_path / "x")]) == 2


@pytest.fixture
def temporary_claims():
    """Register test-only claims; unregister them afterwards."""
    added = []

    def add(claim_id, check, kind="forall"):
        claim = claims_api.Claim(id=claim_id, statement="test-only claim", kind=kind,
                                 domain="test", provenance=claims_api.Provenance(
                                     section="tests", confidence="derived"))
        claims_api.register_claim(claim, registered_by="tests")
        claims_api.claim_check(claim_id)(check)
        added.append(claim_id)
        return claim

    yield add
    for claim_id in added:
        claims_api.unregister_claim(claim_id)


def test_a_crashing_check_exits_three(temporary_claims, capsys):
    def check(ctx):
        raise RuntimeError("boom")

    temporary_claims("test-crash", check)
    assert runner.main(["--claim", "test-crash", "--claim", "tables-mnist-layers", "--quiet"]) == 3
    captured = capsys.readouterr()
    assert "test-crash: RuntimeError: boom" in captured.err
    assert "tables-mnist-layers" in captured.out  # the other checks still ran


def test_a_check_returning_no_verdict_is_named(temporary_claims, capsys):
    temporary_claims("test-none", lambda ctx: 42)
    assert runner.main(["--claim", "test-none", "--claim", "tables-mnist-layers", "--quiet"]) == 3
    captured = capsys.readouterr()
    assert "test-none: the check returned int, not a Verdict" in captured.err
    assert "tables-mnist-layers" in captured.out


def test_a_missing_optional_extra_is_an_inconclusive_row(temporary_claims):
    def check(ctx):
        raise ModuleNotFoundError("No module named 'sklearn'", name="sklearn")

    temporary_claims("test-extra", check, kind="empirical")
    (verdict,) = runner.run_checks(["test-extra"], progress=False)
    assert verdict.status == "inconclusive"
    assert 'pip install "topotheory[torch]"' in verdict.evidence["reason"]
    assert "scikit-learn" in verdict.evidence["reason"]


def test_a_broken_import_is_an_error_not_a_verdict(temporary_claims):
    def check(ctx):
        import topotheory.no_such_module  # noqa: F401

    temporary_claims("test-broken-import", check)
    with pytest.raises(runner.CheckCrashed, match="test-broken-import: ModuleNotFoundError"):
        runner.run_checks(["test-broken-import"], progress=False)


def test_a_false_claim_is_refuted_with_a_shrunk_counterexample(temporary_claims):
    """Test-only false claim: kappa_T of every dense layer is at most 3/2."""
    from topotheory.topology import maximum_spanning_forest

    def holds(layer):
        w = as_array(layer)
        return w.size / maximum_spanning_forest(w).size <= 1.5

    def check(ctx):
        return forall_search(ctx, dense_layers(6), holds, domain="dense layers up to 6x6",
                             describe=lambda layer: {"shape_m_n": layer[0], "weights": layer[1]})

    temporary_claims("test-false", check)
    (verdict,) = runner.run_checks(["test-false"], progress=False)
    assert verdict.status == "refuted"
    m, n = verdict.counterexample["shape_m_n"]
    assert n * m / (n + m - 1) > 1.5
    # Shrunk: removing a row or a column makes the claim hold again.
    assert (n - 1) * m / (n + m - 2) <= 1.5 and n * (m - 1) / (n + m - 2) <= 1.5
    assert verdict.timings["search_evaluations"] >= 1 and verdict.evidence["exhaustive"] is False
    assert "evaluations" not in verdict.evidence and verdict.evidence["cases_requested"] >= 1


def test_verify_is_a_topotheory_subcommand(capsys):
    from topotheory.cli import main

    assert main(["verify", "--claim", "tables-mnist-layers", "--quiet"]) == 0
    assert "tables-mnist-layers" in capsys.readouterr().out


@pytest.mark.parametrize("claim_id", ["np-mst", "tccr-conv-domain", "mst-size"])
def test_forall_checks_confirm_on_the_exact_core(claim_id):
    verdict = check_claim(claim_id)
    assert verdict.status == "confirmed", verdict.counterexample
    assert verdict.timings["search_evaluations"] >= 50


def test_power_runs_each_false_twin_through_the_same_check(capsys):
    """A claim 'x*x >= floor' on 0..9 with floor 0; its twins raise the floor."""
    from proofs_check.rules import forall_exhaustive

    claim = claims_api.Claim(
        id="test-power", statement="x*x >= 0 on 0..9", kind="forall", domain="0..9",
        provenance=claims_api.Provenance(section="tests", confidence="derived"),
        twins=(claims_api.FalseTwin(name="floor_50", description="x*x >= 50",
                                    params={"floor": 50}),
               claims_api.FalseTwin(name="floor_-1", description="x*x >= -1 (still true)",
                                    params={"floor": -1})))
    claims_api.register_claim(claim, registered_by="tests")

    @claims_api.claim_check("test-power")
    def check(ctx):
        floor = ctx.twin.params["floor"] if ctx.twin else 0
        return forall_exhaustive(ctx, range(10), lambda x: x * x >= floor, domain="0..9",
                                 bounds={"x": [0, 9]})

    try:
        rows = runner.run_power(["test-power", "mst-size"])
        assert [(r["twin"], r["caught"]) for r in rows] == [
            ("floor_50", True), ("floor_-1", False), ("n_plus_m_edges", True)]
        assert runner.main(["--power", "--claim", "test-power", "--quiet"]) == 1
        out = capsys.readouterr().out
        assert "floor_50" in out and "NO" in out
        (verdict,) = runner.run_checks(["test-power"], progress=False)
        assert verdict.status == "confirmed"  # the real claim is unaffected by its twins
    finally:
        claims_api.unregister_claim("test-power")
