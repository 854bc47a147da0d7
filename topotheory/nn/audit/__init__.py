"""``topotheory audit``: the paper's measurements on a user's own trained model.

Modules, one job each: :mod:`~topotheory.nn.audit.loading` (factory, checkpoint, example
inputs), :mod:`~topotheory.nn.audit.layers` (which layers, parameter coverage),
:mod:`~topotheory.nn.audit.measure` (forest, NP, TCCR, overlap, T-IMP keep),
:mod:`~topotheory.nn.audit.nulls` (Theorem 3.3 bound, iid and hypergeometric nulls),
:mod:`~topotheory.nn.audit.summary` (model-level ratios),
:mod:`~topotheory.nn.audit.results` (the result types and their one column spec),
:mod:`~topotheory.nn.audit.model_audit` (:func:`audit_model`),
:mod:`~topotheory.nn.audit.checkpoint` (checkpoints as saved, masks, ``--reference``),
:mod:`~topotheory.nn.audit.layer_masks` and :mod:`~topotheory.nn.audit.mst_kept` (the MST a
pruned checkpoint's masks kept, per layer),
:mod:`~topotheory.nn.audit.run_preservation` (across a run's levels: curve and verdict),
:mod:`~topotheory.nn.audit.terminal` (terminal table),
:mod:`~topotheory.nn.audit.report_folder` (the ``--out`` folder, through
:mod:`topotheory.render`), :mod:`~topotheory.nn.audit.commands` (the CLI).

This package's ``__init__`` imports nothing eagerly (the CLI registers ``audit`` without
importing torch); ``audit_model`` and the result types load on first access.

Examples
--------
>>> import torch
>>> from topotheory.nn.audit import audit_model
>>> audit_model(torch.nn.Linear(5, 3), input_shape=(5,), trials=20).layers[0].keep
7
"""

from __future__ import annotations

from topotheory._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "audit_model": "topotheory.nn.audit.model_audit",
    "AuditResult": "topotheory.nn.audit.results",
    "LayerAudit": "topotheory.nn.audit.results",
    "MstKept": "topotheory.nn.audit.mst_kept",
    "RunMstKept": "topotheory.nn.audit.run_preservation",
    "load_checkpoint": "topotheory.nn.audit.checkpoint",
    "load_reference": "topotheory.nn.audit.checkpoint",
    "run_mst_kept": "topotheory.nn.audit.run_preservation",
}

__getattr__, __dir__, __all__ = lazy_exports(globals(), _EXPORTS)
