"""overlap-bound-worst-case: the exact worst case goes below Theorem 3.3's bound, first at
61x69 (nm) and 62x67 (nm_minus_i_plus_1) in the order n*m, then n."""

import pytest

from proofs_check import check_claim


@pytest.mark.parametrize(("variant", "shape"), [("nm", (61, 69)),
                                                ("nm_minus_i_plus_1", (62, 67))])
def test_worst_case_counterexample_is_first_failing_shape_in_order(variant, shape):
    from topotheory.simulate.first_failure import worst_case_first_failure

    verdict = check_claim("overlap-bound-worst-case", variant=variant)
    assert verdict.status == "refuted"
    ce = verdict.counterexample
    assert (ce["n"], ce["m"]) == shape and ce["below_bound_exact"] is True
    assert ce["core_recount"]["count"] == ce["worst_count"]
    assert verdict.evidence["exhaustive"] is True
    first = worst_case_first_failure(variant)
    assert verdict.evidence["enumeration"] == first.as_dict()
    assert verdict.evidence["cases_checked"] == first.cases_checked
    assert "minimal" in ce and "n*m ascending" in ce["minimal"]
    # The same for every seed: nothing random in the enumeration.
    again = check_claim("overlap-bound-worst-case", variant=variant, seed=7)
    assert again.counterexample == ce


def test_worst_case_long_exact_bound_is_readable_and_still_exact():
    from fractions import Fraction

    from topotheory.simulate.bounds import overlap_lower_bound

    verdict = check_claim("overlap-bound-worst-case", variant="nm_minus_i_plus_1")
    ce = verdict.counterexample
    n, m = ce["n"], ce["m"]
    exact = overlap_lower_bound(n, m, variant="nm_minus_i_plus_1")
    assert len(str(exact)) > 200  # the raw fraction would be unreadable
    text = ce["bound_exact"]
    assert len(text) < 160 and f"overlap_lower_bound({n}, {m}, variant='nm_minus_i_plus_1')" in text
    num, den = str(exact.numerator), str(exact.denominator)
    assert text.startswith(f"{num[:10]}...{num[-10:]}/{den[:10]}...{den[-10:]}")
    assert ce["bound_minus_worst"] == float(exact - Fraction(ce["worst_fraction"])) > 0


def test_short_exact_bound_is_kept_verbatim():
    ce = check_claim("overlap-bound-worst-case", variant="nm").counterexample
    assert ce["bound_exact"] == "1519/8901"


@pytest.mark.parametrize(("variant", "first"), [("rho_nm", (9, 10, "1/5")),
                                                ("rho_nm_minus_i_plus_1", (8, 8, "15/64"))])
def test_sparse_counterexample_is_first_failing_case_for_every_seed(variant, first):
    verdicts = [check_claim("overlap-bound-sparse", variant=variant, seed=s) for s in (0, 3)]
    for v in verdicts:
        assert v.status == "refuted"
        assert (v.counterexample["n"], v.counterexample["m"], v.counterexample["rho"]) == first
        assert v.evidence["exhaustive"] is True
        assert v.evidence["enumeration"]["exhaustive"] is True
        assert v.evidence["enumeration"]["cases_checked"] == v.evidence["cases_checked"]
    assert verdicts[0].counterexample == verdicts[1].counterexample
