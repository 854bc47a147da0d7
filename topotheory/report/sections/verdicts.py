"""The verdict table: one row per claim (and variant), linking to its details."""

from __future__ import annotations

from typing import Any

from topotheory.render.blocks import Paragraph, Section, Table
from topotheory.report.context import Context
from topotheory.report.evidence import evidence_sentence
from topotheory.report.sections._verdicts import load_verdict_document
from topotheory.theory.claim import SOURCE_KINDS
from topotheory.theory.registry import CLAIMS
from topotheory.theory.sources import summarize, summary_text


def related_section(claim_id: str) -> str | None:
    """The report section that shows ``claim_id``'s numbers (from the claim registry).

    Examples
    --------
    >>> related_section("overlap-bound"), related_section("tccr-conv"), related_section("x")
    ('overlap-shape', 'conv-ratios', None)
    """
    claim = CLAIMS.get(claim_id)
    return None if claim is None else claim.report_section


def build(ctx: Context) -> Section:
    """Verdict table from ``python -m proofs_check --json-out`` (the profile's verify profile).

    Rows are grouped by source (``paper``, ``reading``, ``finding``, ``user``) and the
    caption counts each source separately. The evidence column is one sentence per verdict
    (:func:`evidence_sentence`); the details section renders the rest and
    ``data/verdicts.json`` keeps all of it. The run's provenance goes to ``verdicts.json``
    beside ``provenance.json`` (run-dependent), never under ``data/``.
    """
    document = load_verdict_document(ctx)
    order = {s: i for i, s in enumerate(SOURCE_KINDS)}
    claims = sorted(document["claims"], key=lambda c: order.get(str(c.get("source")), 9))
    rows: list[tuple[Any, ...]] = []
    for c in claims:
        status = str(c.get("status"))
        rows.append(
            (
                c.get("source", "user"),
                c.get("id"),
                c.get("kind"),
                c.get("variant"),
                status,
                evidence_sentence(c),
                status == "refuted",
            )
        )
    summary = document.get("summary") or summarize(claims)
    table = Table(
        "verdicts",
        ("source", "claim", "kind", "variant", "status", "evidence", "refuted"),
        tuple(rows),
        caption=f"{len(rows)} verdicts, counted per source: {summary_text(summary)}",
        highlight="refuted",
        view=("source", "claim", "kind", "variant", "status", "evidence"),
        links={"claim": "claim-"},
        max_rows=200,
    )
    data: dict[str, Any] = {"schema": document.get("schema"), "claims": document["claims"],
                            "summary": summary}
    if "provenance" in document:
        data["provenance"] = document["provenance"]
    return Section(
        "verdicts",
        "Verdicts",
        (
            Paragraph(
                "One row per claim (and per named variant where a statement has several "
                "readings), from `python -m proofs_check --profile "
                f"{ctx.profile.verify_profile} --json`, grouped by whose claim it is: "
                "**paper** (stated by the paper; its section is in the claim's details), "
                "**reading** (one reading of an ambiguous statement of the paper), **finding** "
                "(the project's own), **user** (`--claims-from`). A refuted reading or finding "
                "is not an error of the paper. Statuses: **proved** (symbolically), "
                "**confirmed** (checked on its domain / within its interval), **refuted** (with "
                "a counterexample; highlighted), **inconclusive** (with the reason). Each claim "
                "links to its details in [Claim details](#claims)."
            ),
            Paragraph("Counts per source: " + summary_text(summary) + "."),
            table,
        ),
        data=data,
        sources=("python -m proofs_check --json",),
    )
