"""Section `tables-audit` (wired to `topotheory.nn.tccr` once it lands on main)."""

from __future__ import annotations

from topotheory.report.context import Context, require
from topotheory.report.model import Section


def build(ctx: Context) -> Section:
    """Raises Unavailable until `topotheory.nn.tccr` is merged."""
    require(
        "topotheory.nn.tccr", issue="issue 5: TCCR for any torch model, the paper's tables audited"
    )
    raise NotImplementedError("tables-audit: wire to topotheory.nn.tccr")
