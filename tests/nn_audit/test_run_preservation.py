"""Issue 29 items 3 and 4: a 4-level run in open_lth's layout gives the curve of the MST
kept vs sparsity per layer and the run-level verdict (:func:`run_mst_kept`)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from tests.nn_audit.test_mst_kept import LAYERS, wide_mlp
from topotheory.cli import main
from topotheory.errors import InputError
from topotheory.nn.audit import audit_model
from topotheory.nn.audit.checkpoint import load_checkpoint, load_reference, with_reference
from topotheory.nn.audit.pruned_checkpoints import open_lth_levels
from topotheory.nn.audit.run_preservation import (
    CURVE_COLUMNS,
    RunMstKept,
    run_mst_kept,
    write_run_report,
)

PRUNABLE = [f"{i}.weight" for i in LAYERS]


def _run(root: Path, *, how: str, levels: int = 4, rate: float = 0.5) -> Path:
    """A lottery run in open_lth's layout (replicate_1/level_<k>/main/{model_ep<E>_it<I>.pth,
    mask.pth, sparsity_report.json}): level 0 dense; each next level removes ``rate`` of the
    remaining weights of every prunable layer -- by the smallest |w| of the previous level's
    trained weights (``how="magnitude"``) or at random (``how="random"``) -- and rewinds to
    the initial weights; "training" moves the weights a little."""
    run = root / f"lottery_{how}" / "replicate_1"
    init = wide_mlp().state_dict()
    mask = {k: torch.ones_like(init[k], dtype=torch.int32) for k in PRUNABLE}
    generator = torch.Generator().manual_seed(3)
    previous: dict[str, torch.Tensor] = {}
    for level in range(levels):
        main_dir = run / f"level_{level}" / "main"
        main_dir.mkdir(parents=True)
        if level > 0:
            for k in PRUNABLE:
                alive = mask[k].flatten().bool()
                n_prune = int(rate * int(alive.sum()))
                if how == "magnitude":
                    score = previous[k].abs().flatten().clone()
                else:
                    score = torch.rand(alive.shape, generator=generator)
                score[~alive] = float("inf")
                drop = score.argsort()[:n_prune]
                flat = mask[k].flatten().clone()
                flat[drop] = 0
                mask[k] = flat.reshape(mask[k].shape)
        start = {k: (v * mask[k] if k in mask else v.clone()) for k, v in init.items()}
        torch.save(start, main_dir / "model_ep0_it0.pth")
        final = {k: v + 0.01 * torch.randn(v.shape, generator=generator)
                 for k, v in start.items()}
        previous = final
        torch.save(final, main_dir / "model_ep2_it0.pth")
        torch.save({k: v.int() for k, v in mask.items()}, main_dir / "mask.pth")
        total = sum(m.numel() for m in mask.values())
        (main_dir / "sparsity_report.json").write_text(json.dumps(
            {"total": float(total), "unpruned": float(sum(int(m.sum()) for m in mask.values()))}))
    return run


def _audits(run: Path, reference: Path | None = None) -> list:
    """Each level audited as the CLI does it (loading record included)."""
    results = []
    for _, folder in open_lth_levels(run):
        model = wide_mlp()
        loaded = load_checkpoint(model, folder)
        if reference is not None:
            loaded = with_reference(loaded, load_reference(model, reference))
        result = audit_model(model, input_shape=(48,), trials=20, pruned=loaded.pruned)
        results.append(replace(result, settings=replace(result.settings,
                                                        loading=loaded.to_dict())))
    return results


@pytest.fixture(scope="module")
def magnitude(tmp_path_factory) -> tuple[Path, list]:
    run = _run(tmp_path_factory.mktemp("runs"), how="magnitude")
    return run, _audits(run)


def test_a_magnitude_run_gives_the_curve_and_a_confirmed_verdict(magnitude) -> None:
    run_dir, audits = magnitude
    run = run_mst_kept(audits)
    assert run.levels == ("0", "1", "2", "3") and run.layers == ("1", "3")
    for layer, name in zip(run.layers, PRUNABLE, strict=True):
        points = run.curve(layer)
        masks = [torch.load(Path(folder) / "mask.pth")[name] for _, folder in
                 open_lth_levels(run_dir)]
        assert [p.level for p in points] == ["0", "1", "2", "3"]
        assert [p.sparsity for p in points] == [1 - int(m.sum()) / m.numel() for m in masks]
        assert points[0].kept_fraction == 1.0 and points[0].p_upper == 1.0  # level 0: dense
        assert all(p.random_fraction == 1 - p.sparsity for p in points)
        assert all(p.kept_fraction > p.random_fraction for p in points[1:])
        # the curve is the per-level audits' numbers
        for point, audit in zip(points, audits, strict=True):
            row = next(r for r in audit.layers if r.name == layer)
            assert point.kept_fraction == row.mst_kept.kept_fraction
    verdict = run.verdict
    assert verdict.status == "confirmed"
    assert [c.flag for c in verdict.cells if c.level == "0"] == ["uninformative"] * 2
    assert sum(c.flag == "above" for c in verdict.cells) >= 3
    assert not verdict.flagged("below")
    data = json.loads(json.dumps(run.to_dict(), allow_nan=False))
    assert data["verdict"]["source"] == "user" and data["verdict"]["id"] == "mst-kept-vs-random"
    assert data["verdict"]["status"] == "confirmed" and list(data["curves"]) == ["1", "3"]
    assert len(data["curves"]["1"]) == 4 and data["not_counted"] == []


def test_a_random_run_is_not_flagged(tmp_path) -> None:
    run = run_mst_kept(_audits(_run(tmp_path, how="random")))
    assert run.verdict.status == "inconclusive"
    assert {c.flag for c in run.verdict.cells} <= {"none", "uninformative"}
    assert "consistent with random masks" in run.verdict.reason


def test_labels_references_and_refusals(magnitude, tmp_path) -> None:
    run_dir, audits = magnitude
    # a mapping keeps its labels; a sequence without open_lth levels is labelled by position
    by_name = run_mst_kept({f"L{k}": a for k, a in enumerate(audits)})
    assert by_name.levels == ("L0", "L1", "L2", "L3")
    plain = [replace(a, settings=replace(a.settings, loading=None)) for a in audits]
    assert run_mst_kept(plain).levels == ("0", "1", "2", "3")
    assert by_name.verdict.status == "confirmed"
    # --reference level_0/main is the open_lth default reference: the same numbers
    same = _audits(run_dir, reference=run_dir / "level_0" / "main")
    assert [r.mst_kept.preservation for a in same for r in a.layers] == [
        r.mst_kept.preservation for a in audits for r in a.layers]
    # a level measured against another dense network is refused
    other = tmp_path / "other.pt"
    dense = torch.load(run_dir / "level_0" / "main" / "model_ep2_it0.pth")
    torch.save({k: v.flip(-1) for k, v in dense.items()}, other)  # same counts, other weights
    mixed = audits[:3] + _audits(run_dir, reference=other)[3:]
    with pytest.raises(InputError, match="different dense reference"):
        run_mst_kept(mixed)
    # audits without masks, and wrong types
    bare = audit_model(wide_mlp(), input_shape=(48,), trials=20)
    with pytest.raises(InputError, match="no layer with an MST count"):
        run_mst_kept([bare, bare])
    with pytest.raises(TypeError, match="levels"):
        run_mst_kept(audits[0])
    with pytest.raises(TypeError, match=r"levels\['1'\]"):
        run_mst_kept([audits[0], "level_1"])
    with pytest.raises(ValueError, match="empty"):
        run_mst_kept([])


def test_layers_without_a_count_are_listed(magnitude) -> None:
    _, audits = magnitude
    levels = []
    for audit in audits:
        first, second = audit.layers
        second = replace(second, mst_kept=None, reasons={**second.reasons,
                                                         "mst_kept": "no mask (not pruned)"})
        levels.append(replace(audit, layers=(first, second)))
    run = run_mst_kept(levels)
    assert run.layers == ("1",)
    assert run.not_counted == tuple((str(k), "3", "no mask (not pruned)") for k in range(4))


def test_the_run_report(magnitude, tmp_path) -> None:
    run = run_mst_kept(magnitude[1])
    assert isinstance(run, RunMstKept) and "confirmed" in repr(run)
    out = write_run_report(run, tmp_path / "run")
    assert (out / "figures" / "mst_curve.png").stat().st_size > 0
    csv = (out / "data" / "mst_curve.csv").read_text().splitlines()
    assert csv[0] == ",".join(CURVE_COLUMNS) and len(csv) == 1 + 8
    markdown = (out / "run.md").read_text()
    assert "Verdict: **confirmed** (source `user`)" in markdown
    assert "| layer | level | sparsity | kept fraction |" in markdown
    assert json.loads((out / "run.json").read_text()) == json.loads(
        json.dumps(run.to_dict(), allow_nan=False))
    # the CLI audit of a level folder carries the level number the run labels come from
    status = main(["audit", "--module", "tests.nn_audit.test_mst_kept:wide_mlp", "--weights",
                   str(magnitude[0] / "level_2" / "main"), "--input-shape", "48", "--quiet",
                   "--trials", "20", "--json-out", str(tmp_path / "l2.json")])
    assert status == 0
    data = json.loads((tmp_path / "l2.json").read_text())
    assert data["settings"]["loading"]["open_lth_level"] == 2
    assert np.isclose(data["layers"][0]["mst_kept"]["preservation"]["kept_fraction"],
                      run.curve("1")[2].kept_fraction)
