"""Claim details: statement, provenance, and every variant's evidence in prose and tables.

The evidence is rendered from the verdict JSON's shapes by
:mod:`topotheory.report.evidence`; the full JSON is in ``data/verdicts.json``, linked
from every claim.
"""

from __future__ import annotations

import json
from typing import Any

from topotheory.render.blocks import Bullets, Heading, Paragraph, Section
from topotheory.report.context import Context
from topotheory.report.evidence import DATA_FILE, evidence_blocks
from topotheory.report.sections import SECTIONS
from topotheory.report.sections._verdicts import load_verdicts
from topotheory.report.sections.verdicts import related_section
from topotheory.theory.claim import CLAIMS


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def _sources(rows: list[dict[str, Any]]) -> str:
    """``'paper'``, or ``'paper; reading: `a`, `b`'`` when readings differ from the claim."""
    claim = CLAIMS.get(str(rows[0].get("id")))
    main = claim.source if claim is not None else str(rows[0].get("source", "user"))
    other: dict[str, list[str]] = {}
    for r in rows:
        if r.get("variant") and str(r.get("source", main)) != main:
            other.setdefault(str(r.get("source")), []).append(f"`{r['variant']}`")
    return "; ".join([main] + [f"{s}: {', '.join(v)}" for s, v in other.items()])


def build(ctx: Context) -> Section:
    """One anchored sub-section per claim id (``#claim-<id>``)."""
    claims = load_verdicts(ctx)
    by_id: dict[str, list[dict[str, Any]]] = {}
    for c in claims:
        by_id.setdefault(str(c.get("id")), []).append(c)
    blocks: list[Any] = [
        Paragraph(
            "What each check searched or computed and what it found, grouped by claim (time "
            f"taken is omitted). The complete evidence of every claim is in [{DATA_FILE}]"
            f"({DATA_FILE})."
        )
    ]
    for claim_id, variants in by_id.items():
        first = variants[0]
        blocks.append(Heading(f"`{claim_id}` ({first.get('kind')})", f"claim-{claim_id}"))
        items = [f"**Statement:** {_text(first.get('statement'))}",
                 f"**Source:** {_sources(variants)}"]
        if first.get("provenance") is not None:
            items.append(f"**Provenance:** {_text(first.get('provenance'))}")
        related = related_section(claim_id)
        if related:
            title = next(e.title for e in SECTIONS if e.id == related)
            items.append(f"**Numbers and figures:** [{title}](#{related})")
        items.append(f"**Full evidence:** [{DATA_FILE}]({DATA_FILE}) (claim `{claim_id}`)")
        blocks.append(Bullets(tuple(items)))
        for v in variants:
            label = f"Variant `{v.get('variant')}`: " if v.get("variant") else ""
            blocks.append(Paragraph(f"{label}**{v.get('status')}**"))
            name = f"claim-{claim_id}-{v.get('variant') or 'main'}"
            blocks += evidence_blocks(v, name=name)
    return Section(
        "claims", "Claim details", tuple(blocks), sources=("python -m proofs_check --json",)
    )
