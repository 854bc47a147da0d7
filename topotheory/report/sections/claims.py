"""Claim details: statement, provenance, every variant's verdict, evidence, counterexample."""

from __future__ import annotations

import json
from typing import Any

from topotheory.report.context import Context
from topotheory.report.model import Bullets, Code, Heading, Paragraph, Section
from topotheory.report.sections import SECTIONS
from topotheory.report.sections._verdicts import load_verdicts
from topotheory.report.sections.verdicts import related_section


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def build(ctx: Context) -> Section:
    """One anchored sub-section per claim id (``#claim-<id>``)."""
    claims = load_verdicts(ctx)
    by_id: dict[str, list[dict[str, Any]]] = {}
    for c in claims:
        by_id.setdefault(str(c.get("id")), []).append(c)
    blocks: list[Any] = [
        Paragraph("Everything each check reported, grouped by claim (time taken is omitted).")
    ]
    for claim_id, variants in by_id.items():
        first = variants[0]
        blocks.append(Heading(f"`{claim_id}` ({first.get('kind')})", f"claim-{claim_id}"))
        items = [f"**Statement:** {_text(first.get('statement'))}"]
        if first.get("provenance") is not None:
            items.append(f"**Provenance:** {_text(first.get('provenance'))}")
        related = related_section(claim_id)
        if related:
            title = next(e.title for e in SECTIONS if e.id == related)
            items.append(f"**Numbers and figures:** [{title}](#{related})")
        blocks.append(Bullets(tuple(items)))
        for v in variants:
            label = f"variant `{v.get('variant')}`: " if v.get("variant") else ""
            blocks.append(Paragraph(f"{label}**{v.get('status')}**"))
            blocks.append(Code(json.dumps(v.get("evidence"), indent=1, sort_keys=True)))
            if v.get("counterexample") is not None:
                blocks.append(Paragraph("Counterexample:"))
                blocks.append(Code(json.dumps(v.get("counterexample"), indent=1, sort_keys=True)))
    return Section(
        "claims", "Claim details", tuple(blocks), sources=("python -m proofs_check --json",)
    )
