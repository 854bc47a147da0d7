"""The verdict table: one row per claim (and variant), linking to its details."""

from __future__ import annotations

from typing import Any

from topotheory.render.blocks import Paragraph, Section, Table
from topotheory.report.context import Context
from topotheory.report.evidence import evidence_sentence
from topotheory.report.sections._verdicts import load_verdicts
from topotheory.theory.registry import CLAIMS


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

    The evidence column is one sentence per verdict (:func:`evidence_sentence`); the
    details section renders the rest and ``data/verdicts.json`` keeps all of it.
    """
    claims = load_verdicts(ctx)
    rows: list[tuple[Any, ...]] = []
    counts: dict[str, int] = {}
    for c in claims:
        status = str(c.get("status"))
        counts[status] = counts.get(status, 0) + 1
        rows.append(
            (
                c.get("id"),
                c.get("kind"),
                c.get("variant"),
                status,
                evidence_sentence(c),
                status == "refuted",
            )
        )
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    table = Table(
        "verdicts",
        ("claim", "kind", "variant", "status", "evidence", "refuted"),
        tuple(rows),
        caption=f"{len(rows)} verdicts: {summary}",
        highlight="refuted",
        view=("claim", "kind", "variant", "status", "evidence"),
        links={"claim": "claim-"},
        max_rows=200,
    )
    return Section(
        "verdicts",
        "Verdicts",
        (
            Paragraph(
                "One row per claim of the paper (and per named variant where the formula's "
                "reconstruction is ambiguous), from `python -m proofs_check --profile "
                f"{ctx.profile.verify_profile} --json`. Statuses: **proved** (symbolically), "
                "**confirmed** (checked on its domain / within its interval), **refuted** (with "
                "a counterexample; highlighted), **inconclusive** (with the reason). Each claim "
                "links to its details in [Claim details](#claims)."
            ),
            table,
        ),
        data={"claims": claims},
        sources=("python -m proofs_check --json",),
    )
