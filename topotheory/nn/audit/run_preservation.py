"""Across the levels of one pruning run: the MST kept vs sparsity, and the run's verdict.

:func:`run_mst_kept` takes the audits of a run's levels (each audited with its masks and
the run's dense reference, so each layer has its :class:`~topotheory.nn.audit.mst_kept.MstKept`)
and returns a :class:`RunMstKept`: per layer the curve of the MST kept fraction against
sparsity (beside random masks' expected fraction and T-IMP's), and the verdict on
"this run's pruning keeps more of the MST than random masks of the same sparsity"
(:func:`topotheory.simulate.mask_null.run_preservation_verdict`: Holm over the exact
hypergeometric tails of every informative layer-level; source ``user``).

Output: :meth:`RunMstKept.to_dict` (strict JSON), :func:`run_section` (a report section:
verdict, the curve table, the figure), :func:`run_document` / :func:`write_run_report`
(markdown, HTML, figure, CSV and JSON in a folder written atomically).

Examples
--------
A run whose levels were audited with their masks (here built in memory):

>>> import torch
>>> from torch.nn.utils import prune
>>> from topotheory.nn.audit import audit_model
>>> from topotheory.nn.audit.pruned_checkpoints import PrunedParameter
>>> torch.manual_seed(0)  # doctest: +ELLIPSIS
<torch._C.Generator object at ...>
>>> dense = torch.nn.Linear(40, 30).weight.detach()
>>> levels = {}
>>> for level, amount in enumerate((0.5, 0.75, 0.9), start=1):
...     net = torch.nn.Linear(40, 30, bias=False)
...     mask = torch.ones_like(dense, dtype=torch.bool).flatten()
...     mask[dense.abs().flatten().argsort()[: int(amount * dense.numel())]] = False
...     mask = mask.reshape(dense.shape)
...     with torch.no_grad():
...         _ = net.weight.copy_(dense * mask)
...     pruned = {"weight": PrunedParameter("weight", net.weight.detach(), mask, dense,
...                                         "magnitude", "the dense layer")}
...     levels[level] = audit_model(net, input_shape=(40,), trials=20, pruned=pruned)
>>> run = run_mst_kept(levels)
>>> run.verdict.status
'confirmed'
>>> [round(point.sparsity, 2) for point in run.curve("<root>")]
[0.5, 0.75, 0.9]
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from topotheory.errors import InputError, InputTypeError
from topotheory.nn.audit.mst_kept import MstKept
from topotheory.nn.audit.results import AuditResult
from topotheory.render.blocks import Bullets, FigureSpec, Paragraph, Section, Table
from topotheory.render.document import Document
from topotheory.result import Result
from topotheory.simulate.mask_null import (
    CurvePoint,
    RunPreservationVerdict,
    run_preservation_verdict,
)
from topotheory.simulate.stats import DEFAULT_ALPHA

__all__ = ["RunMstKept", "run_document", "run_mst_kept", "run_section", "write_run_report"]

#: The columns of the run's curve table (``data/mst_curve.csv``).
CURVE_COLUMNS = ("layer", "level", "unit", "sparsity", "kept_forest_units", "forest_units",
                 "kept_fraction", "random_fraction", "timp_kept_fraction", "p_upper",
                 "p_lower", "p_upper_holm", "p_lower_holm", "flag")


@dataclass(frozen=True, repr=False)
class RunMstKept(Result):
    """The MST kept across one run's levels, per layer, and the run's verdict.

    Attributes
    ----------
    levels : tuple of str
        The level labels, in the run's order.
    verdict : RunPreservationVerdict
        The run-level verdict (its ``cells`` are the (level, layer) counts).
    not_counted : tuple of (str, str, str)
        ``(level, layer, reason)`` of the audited layers without an MST count (no mask, no
        dense reference).
    """

    levels: tuple[str, ...]
    verdict: RunPreservationVerdict
    not_counted: tuple[tuple[str, str, str], ...] = ()

    def __repr__(self) -> str:
        return (f"RunMstKept({len(self.levels)} levels, {len(self.layers)} layers: "
                f"{self.verdict.status})")

    @property
    def layers(self) -> tuple[str, ...]:
        """The layers with an MST count, in first-seen order."""
        return self.verdict.layers

    def curve(self, layer: str) -> tuple[CurvePoint, ...]:
        """The layer's MST kept fraction per level (sparsity, random masks, T-IMP beside it)."""
        return self.verdict.curve(layer)

    def to_dict(self) -> dict[str, Any]:
        """Strict-JSON-ready dict: levels, per-layer curves, the verdict row, layers not
        counted."""
        return {
            "levels": list(self.levels),
            "curves": {layer: [asdict(p) for p in self.curve(layer)] for layer in self.layers},
            "verdict": self.verdict.to_dict(),
            "not_counted": [{"level": lv, "layer": la, "reason": r}
                            for lv, la, r in self.not_counted],
        }


def _labelled(levels: Any) -> list[tuple[str, AuditResult]]:
    if isinstance(levels, Mapping):
        items = [(str(k), v) for k, v in levels.items()]
    elif isinstance(levels, Sequence) and not isinstance(levels, str):
        numbers = [((r.settings.loading or {}).get("open_lth_level")
                    if isinstance(r, AuditResult) else None) for r in levels]
        if None not in numbers and len(set(numbers)) == len(numbers):
            items = [(str(n), r) for n, r in zip(numbers, levels, strict=True)]
        else:
            items = [(str(i), r) for i, r in enumerate(levels)]
    else:
        raise InputTypeError("must be a sequence of AuditResult or a mapping {level: "
                             "AuditResult}", argument="levels", value=type(levels).__name__,
                             fix="pass the audits of the run's levels, in the run's order")
    if not items:
        raise InputError("is empty", argument="levels", value=[],
                         fix="pass the audits of the run's levels")
    for label, result in items:
        if not isinstance(result, AuditResult):
            raise InputTypeError("must be an AuditResult", argument=f"levels[{label!r}]",
                                 value=type(result).__name__,
                                 fix="pass audit_model(..., pruned=...) of each level")
    return items


def run_mst_kept(
    levels: Sequence[AuditResult] | Mapping[Any, AuditResult], *, alpha: float = DEFAULT_ALPHA
) -> RunMstKept:
    """The MST kept vs sparsity per layer across a run's levels, and the run's verdict.

    Parameters
    ----------
    levels : sequence of AuditResult, or mapping of label to AuditResult
        The audits of one run's levels in the run's order (increasing sparsity for IMP),
        each made with the level's masks and the SAME dense reference (e.g. every level
        with ``--reference`` level 0, or open_lth level folders, whose reference is level
        0). A sequence is labelled by the open_lth level numbers when every audit read
        an open_lth level folder, else by position.
    alpha : float
        Family-wise false-verdict rate of the run's verdict.

    Returns
    -------
    RunMstKept

    Raises
    ------
    topotheory.errors.InputError
        No level has an MST count (audits made without masks or without a dense
        reference), or a layer measured against different dense references.
    """
    items = _labelled(levels)
    cells: dict[str, dict[str, Any]] = {}
    not_counted = []
    first: dict[str, tuple[str, MstKept]] = {}
    for label, result in items:
        for row in result.layers:
            if row.mst_kept is not None:
                seen, ref = first.setdefault(row.name, (label, row.mst_kept))
                if ref.reference_digest != row.mst_kept.reference_digest:
                    raise InputError(
                        f"measures layer {row.name!r} against a different dense reference "
                        f"({row.mst_kept.reference}) than level {seen!r} ({ref.reference})",
                        argument=f"levels[{label!r}]", value=row.mst_kept.reference_digest,
                        fix="audit every level against the same dense reference (e.g. "
                        "--reference level_0/main, the default for open_lth level folders)")
                cells.setdefault(label, {})[row.name] = row.mst_kept.preservation
            else:
                not_counted.append((label, row.name, row.reasons.get(
                    "mst_kept", "the audit had no masks (audit_model(..., pruned=...))")))
    if not cells:
        raise InputError(
            "has no layer with an MST count: the audits were made without masks or without a "
            "dense reference", argument="levels", value=[label for label, _ in items],
            fix="audit each level with its masks: audit_model(model, ..., "
            "pruned=load_checkpoint(model, level).pruned), with the run's dense reference")
    verdict = run_preservation_verdict(cells, alpha=alpha)
    return RunMstKept(tuple(label for label, _ in items), verdict, tuple(not_counted))


def _curve_table(run: RunMstKept) -> Table:
    rows = []
    for layer in run.layers:
        for c in (c for c in run.verdict.cells if c.layer == layer):
            p, n = c.preservation, c.null
            rows.append((layer, c.level, p.unit, p.sparsity, p.kept_forest_units,
                         p.forest_units, p.kept_fraction, p.density, p.timp_kept_fraction,
                         n.p_upper, n.p_lower, c.p_upper_holm, c.p_lower_holm, c.flag))
    return Table("mst_curve", CURVE_COLUMNS, tuple(rows), max_rows=400,
                 view=("layer", "level", "sparsity", "kept_fraction", "random_fraction",
                       "timp_kept_fraction", "p_upper", "p_upper_holm", "flag"),
                 caption="Per layer and level: the dense MSF kept by the level's mask (kept = "
                 "X/T), random masks' expected fraction K/N, T-IMP's min(1, K/T), the exact "
                 "upper tail and the Holm-adjusted tails; flag = the layer-level's outcome at "
                 "the family-wise level")


def _draw_curves(run: RunMstKept) -> Callable[[Any], None]:
    def draw(fig: Any) -> None:
        import matplotlib as mpl

        ax = fig.add_subplot()
        colours = mpl.colormaps["tab10"].colors
        for i, layer in enumerate(run.layers):
            points = run.curve(layer)
            x = [p.sparsity for p in points]
            colour = colours[i % len(colours)]
            ax.plot(x, [p.kept_fraction for p in points], "o-", color=colour,
                    label=f"{layer}: MST kept")
            ax.plot(x, [p.random_fraction for p in points], "x--", color=colour, alpha=0.6,
                    label=f"{layer}: random masks (K/N)")
            ax.plot(x, [p.timp_fraction for p in points], ":", color=colour, alpha=0.6,
                    label=f"{layer}: T-IMP")
        ax.set_xlabel("sparsity of the layer (1 - K/N)")
        ax.set_ylabel("fraction of the dense MSF kept")
        ax.set_ylim(-0.02, 1.05)
        ax.legend(loc="best", fontsize=7)
    return draw


def run_section(run: RunMstKept, *, section_id: str = "mst_run") -> Section:
    """The run as a report section: the verdict, the curve table and its figure."""
    v = run.verdict
    bullets = [f"Verdict: **{v.status}** (source `{v.source}`): {v.reason}.",
               f"Rule: {v.rule}."]
    bullets += [f"level {lv}, `{la}`: not counted ({why})" for lv, la, why in run.not_counted]
    return Section(section_id, "MST kept across the run", (
        Paragraph(f"Claim: *{v.statement}* Levels: {', '.join(run.levels)}."),
        Bullets(tuple(bullets)),
        _curve_table(run),
        FigureSpec("mst_curve", "MST kept fraction against sparsity per layer (solid), random "
                   "masks of the same kept count (dashed) and T-IMP (dotted).",
                   _draw_curves(run), (7.5, 4.5)),
    ), data=run.to_dict(), sources=("topotheory.nn.audit.run_preservation.run_mst_kept",))


def run_document(run: RunMstKept, *, title: str = "topotheory: MST kept across a pruning run"
                 ) -> Document:
    """The run as a :class:`~topotheory.render.document.Document` (markdown through
    :func:`topotheory.render.markdown.render_markdown`).

    Examples
    --------
    >>> from topotheory.render.markdown import render_markdown
    >>> "## 1. MST kept across the run" in render_markdown(run_document(_example_run()))
    True
    """
    return Document(title, (run_section(run),), {"alpha": run.verdict.alpha,
                                                   "levels": list(run.levels)})


def write_run_report(run: RunMstKept, out: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write ``run.md``, ``run.html``, ``run.json``, ``figures/mst_curve.png`` and
    ``data/mst_curve.csv`` into ``out`` atomically (never deleting a file topotheory did
    not write); returns the folder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "run"
    >>> sorted(p.name for p in write_run_report(_example_run(), out).iterdir())
    ['.topotheory-manifest.json', 'data', 'figures', 'run.html', 'run.json', 'run.md']
    """
    from topotheory.nn.audit.report_folder import write_document_folder

    return write_document_folder(run_document(run), out, stem="run", data=run.to_dict(),
                                 force=force)


def _example_run() -> RunMstKept:
    """A two-level run of one small dense layer (for the examples)."""
    import numpy as np

    from topotheory.topology import mst_preservation, topk_indices

    w = np.random.default_rng(0).normal(size=(20, 30))
    cells = {}
    for level, k in ((1, 300), (2, 150)):
        mask = np.zeros(w.size, dtype=bool)
        mask[topk_indices(w, k)] = True
        cells[level] = {"fc": mst_preservation(w, mask.reshape(w.shape))}
    return RunMstKept(("1", "2"), run_preservation_verdict(cells))
