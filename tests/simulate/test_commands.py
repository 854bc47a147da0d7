"""The ``topotheory simulate`` command line."""

import json

from topotheory.cli import main
from topotheory.simulate.bounds import overlap_lower_bound


def test_overlap_json_is_deterministic_and_complete(capsys):
    argv = ["simulate", "overlap", "--n", "6", "--m", "7", "--trials", "3000", "--seed", "4",
            "--json"]
    assert main(argv) == 0
    first = capsys.readouterr().out
    assert main(argv) == 0
    assert capsys.readouterr().out == first  # byte-identical
    report = json.loads(first)
    assert report["k"] == 12 and report["trials"] == 3000 and report["seed"] == 4
    est = report["estimate"]
    assert est["ci_low"] <= report["exact"]["value"] <= est["ci_high"]
    assert set(report["bounds"]) == {"nm", "nm-i+1"}
    for variant, entry in report["bounds"].items():
        exact = overlap_lower_bound(6, 7, variant=variant)
        assert entry["bound_exact"] == str(exact) and entry["bound"] == float(exact)
        assert entry["verdict"] == "confirmed"  # E[X] is far above the bound at 6 x 7
    assert report["worst_case"]["count"] <= round(est["mean"] * 12)


def test_overlap_text_with_model_parameters(capsys):
    argv = ["simulate", "overlap", "--n", "8", "--m", "8", "--trials", "200",
            "--model", "student-t", "--param", "df=2", "--rho", "0.5"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "model=student-t" in out and "rho=1/2" in out and "variant nm-i+1" in out


def test_exact_and_appendix_c(capsys):
    assert main(["simulate", "exact", "--n", "3", "--m", "3", "--json", "--distribution"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["expected_overlap"] == "13/14"
    assert report["distribution"] == {"4": "5/14", "5": "9/14"}
    assert main(["simulate", "appendix-c"]) == 0
    assert "fcn.dense1" in capsys.readouterr().out


def test_bad_arguments_exit_with_status_2(capsys):
    assert main(["simulate", "overlap", "--n", "0", "--m", "3", "--trials", "10"]) == 2
    assert "n must be >= 1" in capsys.readouterr().err
    assert main(["simulate", "overlap", "--n", "3", "--m", "3", "--param", "oops"]) == 2


def test_overlap_bound_follows_the_papers_star_rule(capsys):
    """min(n, m) = 1: every edge is in the tree, X = 1 and the paper's bound is 1."""
    argv = ["simulate", "overlap", "--n", "1", "--m", "9", "--trials", "100", "--seed", "0",
            "--json"]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["estimate"]["mean"] == 1.0
    assert {v: e["bound_exact"] for v, e in report["bounds"].items()} == {"nm": "1", "nm-i+1": "1"}
