"""The paper's claims and the suite's derived claims: one module per claim.

Each module ``<id>.py`` (hyphens as underscores) holds ``CLAIM = Claim(...)`` with its
variants, false twins (and their parameters), tolerance and design; its check is
``proofs_check/claims/<id>.py`` (or a module shared by several claims), registered with
``@claim_check(CLAIM)``. :mod:`topotheory.theory.registry` lists them in the one
registration order and registers them.
"""

# Importing one claim module registers them all, in the registry's order (the registry
# imports every claim module before it reads their CLAIMs).
import topotheory.theory.registry  # noqa: E402, F401
