"""Per-claim checks of the paper and the verdict table (``python -m proofs_check``).

Each registered claim (:mod:`topotheory.theory.registry`) has one module
``proofs_check.claims.<id>`` exposing ``check(profile, seed, variant=None) -> Verdict``.

Examples
--------
>>> from proofs_check import run_checks
>>> verdicts = run_checks(["tccr-dense"], profile="quick", seed=0, progress=False)
>>> verdicts[0].status
'confirmed'
"""

from proofs_check.runner import main, run_checks
from proofs_check.verdict import STATUSES, Verdict

__all__ = ["STATUSES", "Verdict", "main", "run_checks"]
