"""The runner: registry completeness, JSON schema, --expect, crashes, refutation."""

import importlib
import json
import sys
import types
from pathlib import Path

import pytest

from proofs_check import runner
from proofs_check.claims import _common as c
from proofs_check.profiles import get_profile
from topotheory.theory import registry

ROOT = Path(__file__).resolve().parents[2]
CHEAP = ["tables-mnist-layers", "dense-vs-conv", "tccr-dense"]


def test_every_claim_has_a_check_module_and_a_doc_row():
    doc = (ROOT / "docs" / "claims.md").read_text()
    for claim in registry.CLAIMS.values():
        module = importlib.import_module(claim.check_module)
        assert callable(module.check), claim.id
        assert f"| `{claim.id}` |" in doc, f"docs/claims.md lacks a row for {claim.id}"


def test_json_schema_and_exit_zero_with_a_refuted_claim(tmp_path, capsys):
    path = tmp_path / "v.json"
    argv = [a for i in CHEAP for a in ("--claim", i)] + ["--json", str(path), "--quiet"]
    assert runner.main(argv) == 0
    data = json.loads(path.read_text())
    assert set(data) == {"claims"}
    keys = {"id", "kind", "status", "statement", "provenance", "variant", "evidence", "counterexample"}
    assert all(set(row) == keys for row in data["claims"])
    status = {row["id"]: row["status"] for row in data["claims"]}
    assert status == {"tables-mnist-layers": "confirmed", "dense-vs-conv": "refuted",
                      "tccr-dense": "confirmed"}
    assert "dense-vs-conv" in capsys.readouterr().out


def test_expect_mode_names_a_changed_verdict(tmp_path, capsys):
    recorded = tmp_path / "expect.json"
    recorded.write_text(json.dumps({"claims": [
        {"id": "tables-mnist-layers", "variant": None, "status": "refuted"},
        {"id": "dense-vs-conv", "variant": None, "status": "refuted"},
    ]}))
    argv = ["--claim", "tables-mnist-layers", "--claim", "dense-vs-conv", "--quiet",
            "--expect", str(recorded)]
    assert runner.main(argv) == 1
    err = capsys.readouterr().err
    assert "tables-mnist-layers: expected 'refuted', got 'confirmed'" in err
    assert "dense-vs-conv:" not in err
    recorded.write_text(json.dumps({"claims": [
        {"id": "tables-mnist-layers", "variant": None, "status": "confirmed"}]}))
    assert runner.main(["--claim", "tables-mnist-layers", "--quiet", "--expect", str(recorded)]) == 0


def test_bad_arguments_exit_two(tmp_path):
    assert runner.main(["--claim", "no-such-claim", "--quiet"]) == 2
    assert runner.main(["--claim", "tccr-dense", "--quiet", "--expect", str(tmp_path / "x")]) == 2


def _fake_claim(monkeypatch, claim_id, check):
    module_name = "proofs_check.claims." + claim_id.replace("-", "_")
    module = types.ModuleType(module_name)
    module.check = check
    monkeypatch.setitem(sys.modules, module_name, module)
    claim = registry.Claim(claim_id, "test-only claim", None, "forall", "test",
                           registry.Provenance("tests", "derived"))
    patched = dict(registry.CLAIMS)
    patched[claim_id] = claim
    monkeypatch.setattr(registry, "CLAIMS", patched)
    return patched


def test_a_crashing_check_exits_three(monkeypatch, capsys):
    def check(profile, seed, variant=None):
        raise RuntimeError("boom")

    _fake_claim(monkeypatch, "test-crash", check)
    assert runner.main(["--claim", "test-crash", "--claim", "tables-mnist-layers", "--quiet"]) == 3
    captured = capsys.readouterr()
    assert "test-crash: RuntimeError: boom" in captured.err
    assert "tables-mnist-layers" in captured.out  # the other checks still ran


def test_a_false_claim_is_refuted_with_a_shrunk_counterexample(monkeypatch):
    """Test-only false claim: kappa_T of every dense layer is at most 3/2."""
    from topotheory.topology import maximum_spanning_forest

    def holds(layer):
        w = c.as_array(layer)
        return w.size / maximum_spanning_forest(w).size <= 1.5

    def check(profile, seed, variant=None):
        outcome = c.search(c.dense_layers(6), holds, get_profile(profile), seed)
        return c.forall_verdict("test-false", outcome, seed=seed,
                                describe=lambda layer: {"shape_m_n": layer[0], "weights": layer[1]})

    patched = _fake_claim(monkeypatch, "test-false", check)
    (verdict,) = runner.run_checks(["test-false"], progress=False, registry=patched)
    assert verdict.status == "refuted"
    m, n = verdict.counterexample["shape_m_n"]
    assert n * m / (n + m - 1) > 1.5
    # Shrunk: removing a row or a column makes the claim hold again.
    assert (n - 1) * m / (n + m - 2) <= 1.5 and n * (m - 1) / (n + m - 2) <= 1.5
    assert verdict.evidence["evaluations"] >= 1


def test_verify_is_a_topotheory_subcommand(capsys):
    from topotheory.cli import main

    assert main(["verify", "--claim", "tables-mnist-layers", "--quiet"]) == 0
    assert "tables-mnist-layers" in capsys.readouterr().out


@pytest.mark.parametrize("claim_id", ["np-mst", "tccr-conv-domain", "mst-size"])
def test_forall_checks_confirm_on_the_exact_core(claim_id):
    module = importlib.import_module(registry.get_claim(claim_id).check_module)
    verdict = module.check("quick", 0)
    assert verdict.status == "confirmed", verdict.counterexample
    assert verdict.evidence["evaluations"] >= 50
