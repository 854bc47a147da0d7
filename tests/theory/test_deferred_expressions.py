"""The overlap bounds' closed forms are derived by sympy on first read, not at import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sympy as sp

from topotheory.theory.claim import Deferred, Variant
from topotheory.theory.claims._shared import bound_relation
from topotheory.theory.registry import get_claim

ROOT = Path(__file__).resolve().parents[2]


_REGISTER_THEN_READ = """
from topotheory.theory.registry import get_claim
from topotheory.theory.claims._shared import bound_relation
before = bound_relation.cache_info().currsize
text = repr(get_claim("overlap-bound"))
print(before, bound_relation.cache_info().currsize > 0, "E[X] >=" in text)
"""


def test_registering_the_claims_derives_no_closed_form():
    """In a fresh interpreter: no closed form after registering, one after reading."""
    out = subprocess.check_output([sys.executable, "-c", _REGISTER_THEN_READ], text=True,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.split() == ["0", "True", "True"]


def test_a_deferred_expression_reads_as_its_value():
    claim = get_claim("overlap-bound-sparse")
    assert claim.expression == bound_relation("rho_nm", sparse=True)
    assert [v.expression for v in claim.variants] == [
        bound_relation("rho_nm", True), bound_relation("rho_nm_minus_i_plus_1", True)]
    calls = []
    variant = Variant(name="x", description="x",
                      expression=Deferred(lambda: calls.append(1) or sp.Integer(3)))
    assert calls == []
    assert (variant.expression, variant.expression, calls) == (3, 3, [1])
    assert variant == Variant(name="x", description="x", expression=sp.Integer(3))
    assert hash(variant) == hash(Variant(name="x", description="x", expression=sp.Integer(3)))
