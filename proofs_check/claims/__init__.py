"""The paper's claim checks: one module per claim, each registering its check with
``@claim_check(CLAIM)``, ``CLAIM`` imported from the claim's module
(:mod:`topotheory.theory.claims`, same file name).

Importing this package imports every module in it (no list to keep up to date) and then
asserts that the registry and the registered checks agree: every paper claim has exactly
one check and every check belongs to a registered claim. A disagreement fails loudly at
import time, naming the claims.
"""

from __future__ import annotations

import importlib
import pkgutil

from topotheory.theory.claim import REGISTRY
from topotheory.theory.registry import paper_claim_ids

for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")

_unchecked = [i for i in paper_claim_ids() if REGISTRY[i].check is None]
assert not _unchecked, f"registered claims without a @claim_check: {_unchecked}"
