"""overlap-bound-worst-case: the exact worst case goes below Theorem 3.3's bound."""

from proofs_check import check_claim


def test_worst_case_counterexample_is_smallest_failing_shape_and_recounted_by_core():
    verdict = check_claim("overlap-bound-worst-case", variant="nm")
    assert verdict.status == "refuted"
    ce = verdict.counterexample
    assert (ce["n"], ce["m"], ce["worst_count"]) == (61, 69, 22)
    assert ce["core_recount"]["count"] == 22 and ce["core_recount"]["fraction"] < ce["bound"]


def test_worst_case_long_exact_bound_is_readable_and_still_exact():
    from fractions import Fraction

    from topotheory.simulate.bounds import overlap_lower_bound

    verdict = check_claim("overlap-bound-worst-case", variant="nm_minus_i_plus_1")
    assert verdict.status == "refuted"
    ce = verdict.counterexample
    n, m = ce["n"], ce["m"]
    exact = overlap_lower_bound(n, m, variant="nm_minus_i_plus_1")
    assert len(str(exact)) > 200  # the raw fraction would be unreadable
    text = ce["bound_exact"]
    assert len(text) < 160 and f"overlap_lower_bound({n}, {m}, variant='nm_minus_i_plus_1')" in text
    num, den = str(exact.numerator), str(exact.denominator)
    assert text.startswith(f"{num[:10]}...{num[-10:]}/{den[:10]}...{den[-10:]}")
    assert f"({len(num)}/{len(den)} digits" in text
    assert ce["below_bound_exact"] is True
    assert ce["bound_minus_worst"] == float(exact - Fraction(ce["worst_fraction"])) > 0
    assert ce["bound"] == float(exact)


def test_short_exact_bound_is_kept_verbatim():
    ce = check_claim("overlap-bound-worst-case", variant="nm").counterexample
    assert ce["bound_exact"] == "1519/8901" and ce["below_bound_exact"] is True
