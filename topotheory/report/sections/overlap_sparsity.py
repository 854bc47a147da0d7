"""Section `overlap-sparsity` (wired to `topotheory.simulate` once it lands on main)."""

from __future__ import annotations

from topotheory.report.context import Context, require
from topotheory.report.model import Section


def build(ctx: Context) -> Section:
    """Raises Unavailable until `topotheory.simulate` is merged."""
    require("topotheory.simulate", issue="issue 4: overlap bounds and random-overlap laws")
    raise NotImplementedError("overlap-sparsity: wire to topotheory.simulate")
