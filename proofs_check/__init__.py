"""Per-claim checks of the paper and the verdict table (``python -m proofs_check``).

Each registered claim (:mod:`topotheory.theory.registry`) has one check, registered with
``@claim_check(id)`` next to its function (the paper's are in ``proofs_check.claims``); the
check receives a resolved :class:`~proofs_check.context.CheckContext` and returns a
:class:`Verdict` decided by the rule of its kind (:mod:`proofs_check.rules`).

Examples
--------
>>> from proofs_check import run_checks
>>> verdicts = run_checks(["tccr-dense"], profile="quick", seed=0, progress=False)
>>> verdicts[0].status
'confirmed'
"""

from proofs_check.context import CheckContext
from proofs_check.runner import check_claim, main, run_checks
from proofs_check.verdict import STATUSES, Verdict

__all__ = ["STATUSES", "CheckContext", "Verdict", "check_claim", "main", "run_checks"]
