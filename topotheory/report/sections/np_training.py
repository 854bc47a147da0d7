"""Section `np-training` (wired to `topotheory.nn.experiments` once it lands on main)."""

from __future__ import annotations

from topotheory.report.context import Context, require
from topotheory.report.model import Section


def build(ctx: Context) -> Section:
    """Raises Unavailable until `topotheory.nn.experiments` is merged."""
    require("topotheory.nn.experiments", issue="issue 6: reference T-IMP/IMP trained on real data")
    raise NotImplementedError("np-training: wire to topotheory.nn.experiments")
