"""Appendix C: the hypergeometric probabilities the paper quotes, for the MNIST layers."""

from __future__ import annotations

from typing import Any

from topotheory import simulate as sim
from topotheory.render.blocks import Paragraph, Section, Table
from topotheory.report.context import Context


def build(ctx: Context) -> Section:
    """log10 of P(X = x) and P(X >= x) at 5% and 40% of k, per layer (exact, log space)."""
    rows = sim.appendix_c_table()
    labels = list(rows[0].log10_probability)
    columns = ["layer", "n", "m", "edges", "k", "null_mean_fraction"]
    for label in labels:
        key = label.replace(" ", "_").replace("%", "pct")
        columns += [f"x_{key}", f"log10_p_{key}"]
    records: list[dict[str, Any]] = []
    for r in rows:
        rec = {
            "layer": r.name,
            "n": r.n,
            "m": r.m,
            "edges": r.n_edges,
            "k": r.k,
            "null_mean_fraction": r.mean_fraction,
        }
        for label in labels:
            key = label.replace(" ", "_").replace("%", "pct")
            rec[f"x_{key}"] = r.thresholds[label]
            rec[f"log10_p_{key}"] = r.log10_probability[label]
        records.append(rec)
    table = Table.from_records(
        "appendix-c",
        records,
        columns,
        caption="Appendix C: probability that two unrelated random k-subsets of the E edges "
        "share exactly / at least x edges (log10), x = 5% and 40% of k",
        formats={c: ".3f" for c in columns if c.startswith("log10")}
        | {"null_mean_fraction": ".4f"},
        view=tuple(c for c in columns if c not in ("n", "m", "null_mean_fraction")),
    )
    return Section(
        "appendix-c",
        "Appendix C: random-overlap probabilities",
        (
            Paragraph(
                "`P(X = x) = C(k,x) C(E-k, k-x) / C(E, k)` with `k = n + m - 1` and `E` edges "
                "(hypergeometric; the paper's values did not survive extraction, these are "
                'recomputed in log space). One rule turns "a fraction p of k" into a count, for '
                '"exactly" and "at least" alike and everywhere in the suite: `x = ceil(p k)`, '
                "the smallest count whose fraction `x / k` is at least p. Conv layers are one channel pair's Toeplitz graph "
                "(`E = 9 * 784`). Why this is not the right reference for trained overlaps: "
                "see [Null models](#null-models)."
            ),
            table,
        ),
        sources=("topotheory.simulate.appendix_c_table",),
    )
