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

from __future__ import annotations

from topotheory._lazy import lazy_exports

#: Names load on first use, so ``python -m proofs_check`` imports nothing before its entry
#: (:mod:`topotheory._entry`) has Ctrl-C in hand.
_EXPORTS: dict[str, str] = {
    "CheckContext": "proofs_check.context",
    "check_claim": "proofs_check.runner",
    "main": "proofs_check.runner",
    "run_checks": "proofs_check.runner",
    "STATUSES": "proofs_check.verdict",
    "Verdict": "proofs_check.verdict",
}

__getattr__, __dir__, __all__ = lazy_exports(globals(), _EXPORTS)
