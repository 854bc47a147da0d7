"""Torch side of topotheory: models, tracing, masks, IMP/T-IMP pruning, training.

Import the submodules directly (``topotheory.nn.prune``, ``topotheory.nn.masks``, ...);
this package's ``__init__`` imports nothing, so ``import topotheory`` stays torch-free.
"""
