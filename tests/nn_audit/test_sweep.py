"""Issue 24 item 5: sweeps of checkpoints (several --weights, an open_lth run, a glob) with
per-layer curves, run in this process, in local worker processes and on dask, with
byte-identical numbers."""

from __future__ import annotations

import json
import os
import sys
import time

import numpy as np
import pytest

from tests.nn_audit.sweep_models import MODULE, checkpoints, imp_run
from topotheory.cli import main
from topotheory.nn.audit.sweep import DEFAULT_CURVES, Curve, audit_sweep
from topotheory.nn.audit.sweep_report import build_sweep_document, render_sweep_text
from topotheory.nn.audit.sweep_sources import (
    sources_from_glob,
    sources_from_paths,
    sources_from_run,
)
from topotheory.render.figures import draw_figure, figure_problems

ARGS = ("--module", MODULE, "--input-shape", "32", "--trials", "20")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return imp_run(tmp_path_factory.mktemp("imp"), levels=20)


@pytest.fixture(scope="module")
def sweep(run):
    return audit_sweep(MODULE, sources_from_run(run), input_shape="32", trials=20)


def test_a_sweep_over_20_imp_levels_gives_the_curves(run, sweep, capsys, tmp_path) -> None:
    assert sweep.labels == tuple(f"level_{k}" for k in range(20))
    assert sweep.layers == ("1", "3")
    sparsity = sweep.curve("sparsity")
    total = np.array([24 * 32, 10 * 24])
    overall = (np.array([sparsity["1"], sparsity["3"]]).T * total).sum(1) / total.sum()
    assert overall[0] == 0 and np.all(np.diff(overall) > 0)  # IMP prunes 20% per level
    assert overall[-1] == pytest.approx(1 - 0.8 ** 19, abs=0.02)
    for curve in DEFAULT_CURVES:
        values = sweep.curve(curve)
        assert set(values) == {"1", "3"} and all(len(v) == 20 for v in values.values())
    overlap = sweep.curve("overlap_fraction")
    for c, o1, o3 in zip(sweep.checkpoints, overlap["1"], overlap["3"], strict=True):
        rows = {r.name: r for r in c.result.layers}
        assert (o1, o3) == (rows["1"].overlap_fraction, rows["3"].overlap_fraction)
        assert c.loading["format"] == "open_lth" and len(c.checkpoint["files"]) == 3
    # the CLI over the run folder: the same numbers, the table, the JSON and the figures
    out = tmp_path / "report"
    status = main(["audit", *ARGS, "--run", str(run), "--json", "--quiet", "--out", str(out)])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    data = json.loads(captured.out)
    assert data["labels"] == list(sweep.labels)
    assert data["curves"]["overlap"]["layers"] == json.loads(sweep.numbers_json())[
        "curves"]["overlap"]["layers"]
    assert set(data["curves"]) == {c.name for c in DEFAULT_CURVES}
    assert data["curves"]["overlap"]["band"]["fields"] == ["iid_null.band_low",
                                                          "iid_null.band_high"]
    assert sorted(p.name for p in (out / "figures").iterdir()) == [
        f"curve_{c.name}.png" for c in sorted(DEFAULT_CURVES, key=lambda c: c.name)]
    csv = (out / "data" / "curves.csv").read_text().splitlines()
    assert csv[0] == "checkpoint,layer,overlap,np,sparsity,iid_quantile,iid_verdict"
    assert len(csv) == 1 + 20 * 2
    assert json.loads((out / "sweep.json").read_text())["curves"] == data["curves"]


def test_sweep_figures_follow_the_house_style(sweep) -> None:
    doc = build_sweep_document(sweep)
    specs = [f for s in doc.sections for f in s.figures]
    assert len(specs) == len(DEFAULT_CURVES)
    for spec in specs:
        assert figure_problems(draw_figure(spec)) == [], spec.name


def test_extra_curves_by_field_reach_the_json_table_and_figures(sweep) -> None:
    extra = Curve("p_holm", "iid_position.p_holm", "Holm-adjusted iid p-value")
    curves = (*DEFAULT_CURVES, extra)
    data = sweep.to_dict(curves=curves)
    assert data["curves"]["p_holm"]["layers"]["1"] == [
        next(r for r in c.result.layers if r.name == "1").iid_position.p_holm
        for c in sweep.checkpoints]
    assert " p_holm " in render_sweep_text(sweep, curves=curves).splitlines()[2]
    names = [f.name for s in build_sweep_document(sweep, curves=curves).sections
             for f in s.figures]
    assert "curve_p_holm" in names


def test_each_checkpoint_is_audited_as_the_single_audit_would(run, sweep, capsys) -> None:
    level = sweep.checkpoints[7]
    status = main(["audit", *ARGS, "--weights", level.path, "--json", "--quiet"])
    single = json.loads(capsys.readouterr().out)
    assert status == 0
    assert json.loads(sweep.numbers_json())["checkpoints"][7]["audit"]["layers"] == \
        single["layers"]


@pytest.mark.slow  # starts a dask cluster and a process pool (~13 s of CPU); CI's -m slow step
def test_jobs_1_jobs_2_and_dask_give_byte_identical_numbers(run, sweep) -> None:
    distributed = pytest.importorskip("distributed")
    sources = sources_from_run(run)
    two = audit_sweep(MODULE, sources, input_shape="32", trials=20, jobs=2)
    assert two.numbers_json() == sweep.numbers_json()
    assert two.run["executor"] == "2 local worker processes (spawn)"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        on_dask = audit_sweep(MODULE, sources, input_shape="32", trials=20,
                              scheduler=cluster.scheduler_address)
    assert on_dask.numbers_json() == sweep.numbers_json()
    assert on_dask.run["executor"] == f"dask scheduler {cluster.scheduler_address}"


@pytest.mark.slow  # dask worker processes (~14 s of CPU); CI's -m slow step
def test_dask_worker_processes_give_the_same_numbers(tmp_path) -> None:
    distributed = pytest.importorskip("distributed")
    paths = checkpoints(tmp_path, 4)
    here = audit_sweep(MODULE, paths, input_shape="32", trials=20)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        there = audit_sweep(MODULE, paths, input_shape="32", trials=20,
                            scheduler=cluster.scheduler_address)
    assert there.numbers_json() == here.numbers_json()
    # different weights, different numbers; the same layer keeps its null (common draws)
    first, second = here.checkpoints[0].result.layers[0], here.checkpoints[1].result.layers[0]
    assert first.overlap_count != second.overlap_count or first.np_paper != second.np_paper
    assert first.iid_null == second.iid_null


def test_sources_keep_their_order(tmp_path) -> None:
    for name in ("ckpt_10.pt", "ckpt_2.pt", "ckpt_1.pt"):
        (tmp_path / name).write_bytes(b"x")
    pattern = str(tmp_path / "ckpt_*.pt")
    assert [s.label for s in sources_from_glob(pattern)] == ["ckpt_1.pt", "ckpt_2.pt",
                                                             "ckpt_10.pt"]
    assert [s.label for s in sources_from_glob(pattern, order="name")] == [
        "ckpt_1.pt", "ckpt_10.pt", "ckpt_2.pt"]
    now = time.time()
    for age, name in enumerate(("ckpt_1.pt", "ckpt_10.pt", "ckpt_2.pt")):
        os.utime(tmp_path / name, (now - 100 * age, now - 100 * age))
    assert [s.label for s in sources_from_glob(pattern, order="mtime")] == [
        "ckpt_2.pt", "ckpt_10.pt", "ckpt_1.pt"]
    sources = sources_from_paths([tmp_path / "a" / "m.pt", tmp_path / "b" / "m.pt"])
    assert [(s.position, s.label) for s in sources] == [(0, "a/m.pt"), (1, "b/m.pt")]
    with pytest.raises(ValueError, match="more than once"):
        sources_from_paths(["x.pt", "x.pt"])
    with pytest.raises(ValueError, match="matches no file"):
        sources_from_glob(str(tmp_path / "none_*.pt"))
    with pytest.raises(ValueError, match="holds no open_lth level folders"):
        sources_from_run(tmp_path)


def test_several_weights_on_the_command_line(tmp_path, capsys) -> None:
    paths = [str(p) for p in checkpoints(tmp_path, 3)]
    status = main(["audit", *ARGS, "--weights", *paths])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    lines = captured.out.splitlines()
    assert lines[0].startswith("topotheory audit sweep -- 3 checkpoints")
    assert sum(line.startswith("step_") for line in lines) == 3 * 2
    # progress on a non-terminal stderr: plain lines, no carriage returns, no bar
    assert "\r" not in captured.err
    assert [line.split()[1] for line in captured.err.splitlines()
            if line.startswith("[audit] ") and "/" in line.split()[1]] == ["1/3", "2/3", "3/3"]


@pytest.mark.parametrize("extra, flag", [
    (("--jobs", "2"), "--jobs"),
    (("--scheduler", "tcp://127.0.0.1:1"), "--scheduler"),
])
def test_sweep_options_on_one_checkpoint_are_refused(tmp_path, capsys, extra, flag) -> None:
    (path,) = checkpoints(tmp_path, 1)
    status = main(["audit", *ARGS, "--weights", str(path), *extra])
    err = capsys.readouterr().err
    assert status == 2 and flag in err and "applies to a sweep" in err


def test_sweep_refusals_name_the_argument(tmp_path, capsys) -> None:
    paths = [str(p) for p in checkpoints(tmp_path, 2)]
    cases = [
        (("--weights", *paths, "--mask", paths[0]), "--mask"),
        (("--weights", *paths, "--order-by", "mtime"), "--order-by"),
        (("--weights", *paths, "--jobs", "2", "--scheduler", "tcp://x:1"), "--jobs"),
        (("--glob", str(tmp_path / "nothing_*.pt")), "--glob"),
        (("--run", str(tmp_path)), "--run"),
    ]
    for extra, flag in cases:
        status = main(["audit", *ARGS, *extra, "--quiet"])
        err = capsys.readouterr().err
        assert status == 2 and flag in err, (extra, err)


def test_a_bad_checkpoint_is_named_with_its_position(tmp_path, capsys) -> None:
    paths = [str(p) for p in checkpoints(tmp_path, 3)]
    bad = tmp_path / "broken.pt"
    bad.write_bytes(b"not a checkpoint")
    for jobs in ("1", "2"):
        status = main(["audit", *ARGS, "--weights", paths[0], str(bad), paths[1], "--jobs",
                       jobs, "--quiet"])
        err = capsys.readouterr().err
        assert status == 2, err
        assert f"checkpoint {bad} (position 1)" in err


def test_the_memory_limit_reaches_every_worker(tmp_path, capsys) -> None:
    checkpoints(tmp_path, 2)  # --glob: this process only lists the files; workers read them
    status = main(["audit", *ARGS, "--glob", str(tmp_path / "step_*.pt"), "--jobs", "2",
                   "--max-memory", "256", "--quiet"])
    err = capsys.readouterr().err
    assert status == 2 and "memory limit 256 B" in err and "(position 0)" in err


def test_a_missing_dask_extra_exits_2_naming_it(tmp_path, capsys, monkeypatch) -> None:
    paths = [str(p) for p in checkpoints(tmp_path, 2)]
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> error
    status = main(["audit", *ARGS, "--weights", *paths, "--scheduler", "tcp://127.0.0.1:1",
                   "--quiet"])
    err = capsys.readouterr().err
    assert status == 2 and 'pip install "topotheory[dask]"' in err and "--scheduler" in err


def test_an_imp_run_sweep_carries_the_mst_kept_by_the_masks(sweep) -> None:
    """The open_lth levels bring masks and level 0 as the dense reference: each checkpoint's
    layers have ``mst_kept`` (issue 29), and a curve over it is one Curve away."""
    kept = Curve("mst_kept", "mst_kept.kept_fraction", "MST kept by the mask",
                 reference=None)
    values = sweep.curve(kept)
    assert values["1"][0] == 1.0 and values["3"][0] == 1.0  # level 0: nothing pruned
    for layer in ("1", "3"):
        assert all(v is not None and 0 <= v <= 1 for v in values[layer])
    random = sweep.curve("mst_kept.random_fraction")["1"]
    assert random[-1] < random[1] < random[0]  # the masks shrink level by level
    data = sweep.to_dict(curves=(*DEFAULT_CURVES, kept))
    assert data["curves"]["mst_kept"]["layers"] == values
