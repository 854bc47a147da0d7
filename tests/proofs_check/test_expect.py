"""--expect: missing, added, renamed rows; changed verdicts; numbers against the claim's
declared tolerance; empty and foreign files. Test-only claims with fixed numbers keep it fast.
"""

from __future__ import annotations

import json

import pytest

from proofs_check import runner
from proofs_check.expect import compare_expected, compare_numbers
from proofs_check.verdict_file import SCHEMA, load_verdict_file
from topotheory.theory import claim as api

#: The numbers the test claims report; a test changes them to move a number.
NUMBERS: dict[str, object] = {}
TRAINED = api.Tolerance(rel=0.1, abs=0.5, integers_exact=False, reason="test: trained")


@pytest.fixture
def claims():
    """Register test-only claims whose checks report NUMBERS; unregister them afterwards."""
    added: list[str] = []

    def add(claim_id, *, variants=("a",), tolerance=api.DEFAULT_TOLERANCE, status="confirmed"):
        api.unregister_claim(claim_id)
        claim = api.Claim(id=claim_id, statement=f"test claim {claim_id}", kind="empirical",
                          domain="test", tolerance=tolerance,
                          provenance=api.Provenance(section="tests", confidence="derived"),
                          variants=tuple(api.Variant(name=v, description="one reading")
                                         for v in variants))
        api.register_claim(claim, registered_by="tests")

        @api.claim_check(claim_id)
        def check(ctx):
            from proofs_check.rules import empirical_verdict

            return empirical_verdict(ctx, NUMBERS.get("status", status), rule="test",
                                     evidence={"effect": NUMBERS.get("effect", 2.45),
                                               "count": NUMBERS.get("count", 414),
                                               "bound": NUMBERS.get("bound", "6767/39800"),
                                               "note": NUMBERS.get("note", "text")})
        added.append(claim_id)

    NUMBERS.clear()
    yield add
    NUMBERS.clear()
    for claim_id in added:
        api.unregister_claim(claim_id)


def _record(tmp_path, *ids):
    path = tmp_path / "recorded.json"
    argv = [a for i in ids for a in ("--claim", i)] + ["--quiet", "--json-out", str(path)]
    assert runner.main(argv) == 0
    return path


def _expect(path, *ids):
    return runner.main([a for i in ids for a in ("--claim", i)]
                       + ["--quiet", "--expect", str(path)])


def test_an_unchanged_run_passes(claims, tmp_path):
    claims("test-x")
    assert _expect(_record(tmp_path, "test-x"), "test-x") == 0


def test_a_removed_variant_is_named(claims, tmp_path, capsys):
    claims("test-x", variants=("a", "b"))
    path = _record(tmp_path, "test-x")
    claims("test-x", variants=("a",))
    assert _expect(path, "test-x") == 1
    assert "test-x[b]: recorded as 'confirmed' but missing from this run" in capsys.readouterr().err


def test_an_added_variant_is_named(claims, tmp_path, capsys):
    claims("test-x", variants=("a",))
    path = _record(tmp_path, "test-x")
    claims("test-x", variants=("a", "c"))
    assert _expect(path, "test-x") == 1
    assert "test-x[c]: produced by this run (confirmed) but not recorded" in (
        capsys.readouterr().err)


def test_a_removed_or_added_claim_is_named(claims, tmp_path):
    """Without --claim every recorded row must be produced and every produced row recorded."""
    claims("test-x")
    claims("test-y")
    recorded = json.loads(_record(tmp_path, "test-x", "test-y").read_text())
    only_x = runner.run_checks(["test-x"], progress=False)
    assert compare_expected(only_x, recorded) == [
        "test-y[a]: recorded as 'confirmed' but missing from this run"]
    recorded["claims"] = [r for r in recorded["claims"] if r["id"] == "test-x"]
    both = runner.run_checks(["test-x", "test-y"], progress=False)
    assert compare_expected(both, recorded) == [
        "test-y[a]: produced by this run (confirmed) but not recorded"]


def test_a_renamed_variant_is_named(claims, tmp_path, capsys):
    """Same claim, same reading, new name: one 'renamed' line, not a missing + an added row."""
    claims("test-x", variants=("old",))
    path = _record(tmp_path, "test-x")
    claims("test-x", variants=("new",))
    assert _expect(path, "test-x") == 1
    err = capsys.readouterr().err
    assert "test-x[old]: renamed to test-x[new]" in err
    assert "missing from this run" not in err and "not recorded" not in err


def test_a_changed_verdict_is_named(claims, tmp_path, capsys):
    claims("test-x")
    path = _record(tmp_path, "test-x")
    NUMBERS["status"] = "refuted"
    assert _expect(path, "test-x") == 1
    assert "test-x[a]: expected 'confirmed', got 'refuted'" in capsys.readouterr().err


@pytest.mark.parametrize(("change", "passes"), [
    ({"effect": 2.45 + 0.4}, True),      # within abs 0.5
    ({"effect": 2.45 + 0.6}, False),     # beyond abs 0.5 and rel 0.1 * 3.05
    ({"count": 414 + 30}, True),         # a trained count: within rel 0.1 * 444
    ({"count": 414 + 60}, False),
    ({"bound": "6767/39801"}, False),    # an exact rational: exactly
    ({"note": "other text"}, True),      # text is not compared
])
def test_a_trained_number_is_compared_within_its_declared_tolerance(claims, tmp_path, capsys,
                                                                    change, passes):
    claims("test-trained", tolerance=TRAINED)
    path = _record(tmp_path, "test-trained")
    NUMBERS.update(change)
    assert _expect(path, "test-trained") == (0 if passes else 1)
    if not passes:
        assert "test-trained[a]: number changed: evidence/" in capsys.readouterr().err


def test_numbers_of_a_computed_claim_are_compared_to_round_off(claims, tmp_path, capsys):
    claims("test-x")  # DEFAULT_TOLERANCE: integers exactly, floats to rel 1e-9
    path = _record(tmp_path, "test-x")
    NUMBERS["count"] = 415
    assert _expect(path, "test-x") == 1
    assert "evidence/count: recorded 414, got 415" in capsys.readouterr().err
    NUMBERS.update(count=414, effect=2.45 * (1 + 1e-12))
    assert _expect(path, "test-x") == 0


def test_compare_numbers_walks_lists_and_keys():
    t = api.DEFAULT_TOLERANCE
    assert list(compare_numbers({"a": [1, 2]}, {"a": [1, 2, 3]}, t)) == [
        "a: recorded 2 entries, got 3"]
    assert list(compare_numbers({"a": 1}, {}, t)) == ["a: recorded, missing from this run"]
    assert list(compare_numbers({}, {"b": "1/2"}, t)) == ["b: new in this run, not recorded"]
    assert list(compare_numbers({"t": "x"}, {}, t)) == []  # text only


def test_an_empty_file_exits_two(claims, tmp_path, capsys):
    claims("test-x")
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"schema": SCHEMA, "claims": []}))
    assert _expect(path, "test-x") == 2
    assert "holds no claims" in capsys.readouterr().err


@pytest.mark.parametrize("content", [
    {"claims": [{"id": "test-x", "variant": "a", "status": "confirmed"}]},  # no schema
    {"schema": "someone-else/1", "claims": [{"id": "x", "status": "confirmed"}]},
    [1, 2, 3],
])
def test_a_foreign_file_exits_two(claims, tmp_path, capsys, content):
    claims("test-x")
    path = tmp_path / "foreign.json"
    path.write_text(json.dumps(content))
    assert _expect(path, "test-x") == 2
    assert "not a verdict file of schema" in capsys.readouterr().err
    with pytest.raises(ValueError, match="topotheory verify --json-out"):
        load_verdict_file(path)


def test_a_file_of_another_seed_or_profile_exits_two(claims, tmp_path, capsys):
    claims("test-x")
    path = _record(tmp_path, "test-x")
    assert runner.main(["--claim", "test-x", "--quiet", "--seed", "1", "--expect", str(path)]) == 2
    assert "recorded with --seed 0, this run uses --seed 1" in capsys.readouterr().err


def test_paths_a_claim_declares_uncompared_are_skipped():
    t = api.Tolerance(rel=0.01, abs=0.0, reason="test", integers_exact=False,
                      uncompared=("evidence/layers/*/iid/tail_probabilities",))
    recorded = {"layers": [{"n": 100, "iid": {"mean": 0.84, "tail_probabilities": {"0": 0.63}}}]}
    got = {"layers": [{"n": 100, "iid": {"mean": 0.84, "tail_probabilities": {"0": 0.17}}}]}
    assert list(compare_numbers(recorded, got, t, "evidence")) == []
    got["layers"][0]["iid"]["mean"] = 0.5  # a number outside the declared paths still counts
    assert list(compare_numbers(recorded, got, t, "evidence")) == [
        "evidence/layers/0/iid/mean: recorded 0.84, got 0.5 (beyond rel 0.01, abs 0, integers "
        "too; not "
        "compared: evidence/layers/*/iid/tail_probabilities (test))"]
