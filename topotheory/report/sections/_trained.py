"""Trained weights shared by several sections (trained once per build, memoised).

Everything here needs ``topotheory.nn`` (torch); without it the callers get
:class:`~topotheory.report.model.Unavailable` and show a "not available yet" block.
"""

from __future__ import annotations

from typing import Any

from topotheory.report.context import Context, require

__all__ = ["NN_ISSUE", "trained_fc_first_layer"]

NN_ISSUE = "issue 6: reference T-IMP/IMP trained on real data"


def trained_fc_first_layer(ctx: Context) -> tuple[Any, str]:
    """The first layer of the trained MNIST fully connected net and a description."""
    require("topotheory.nn.experiments", "np_grows", issue=NN_ISSUE)
    raise NotImplementedError  # wired when topotheory.nn lands on main
