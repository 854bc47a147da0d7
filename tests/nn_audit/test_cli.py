"""``topotheory audit`` on the command line: success, JSON, refusals with exit 2."""

from __future__ import annotations

import json

import pytest
import torch
from safetensors.torch import save_file

from tests.user_modules import MLP, user_module
from topotheory.cli import main
from topotheory.nn.audit.loading import load_factory

MODULE = MLP + '''

def tokens():
    torch.manual_seed(2)
    return torch.nn.Sequential(torch.nn.Embedding(30, 8), torch.nn.GRU(8, 4, batch_first=True))


def transformer():
    torch.manual_seed(3)
    return torch.nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                                dim_feedforward=16, dropout=0.0)
'''


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    return user_module(tmp_path, monkeypatch, "audit_cli_models", MODULE)


def _weights(workdir, factory: str, name: str = "w.safetensors"):
    model = load_factory(f"audit_cli_models:{factory}")
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, workdir / name)
    return model


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["audit", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_terminal_table_and_strict_json(workdir, capsys) -> None:
    _weights(workdir, "mlp")
    status, out, err = _run(capsys, "--module", "audit_cli_models:mlp", "--weights",
                            "w.safetensors", "--input-shape", "3,4", "--quiet")
    assert status == 0 and err == ""
    assert "coverage: 99 of 99 parameters (100.00%)" in out
    assert "largest compression keeping every audited diagram" in out
    status, out, _ = _run(capsys, "--module", "audit_cli_models:mlp", "--weights",
                          "w.safetensors", "--input-shape", "3,4", "--json", "--quiet",
                          "--trials", "30")
    data = json.loads(out)
    assert [row["kind"] for row in data["layers"]] == ["linear", "linear"]
    null = data["layers"][0]["iid_null"]
    assert null["requested_trials"] == 30
    # a small dense layer's iid-null mean is exact (counting), no simulation
    assert null["source"] == "exact" and null["trials"] == 0 and null["error_bound"] == 0
    assert data["coverage"]["fraction"] == 1.0


def test_integer_inputs_and_several_inputs(workdir, capsys) -> None:
    _weights(workdir, "tokens")
    status, out, _ = _run(capsys, "--module", "audit_cli_models:tokens", "--weights",
                          "w.safetensors", "--input-shape", "9", "--input-dtype", "int64",
                          "--json", "--quiet", "--trials", "20")
    assert status == 0
    kinds = [row["kind"] for row in json.loads(out)["layers"]]
    assert kinds[0] == "embedding" and kinds.count("gru-hh") == 3
    _weights(workdir, "transformer")
    save_file({"src": torch.zeros(5, 1, 8), "tgt": torch.zeros(3, 1, 8)}, workdir / "x.safetensors")
    status, out, _ = _run(capsys, "--module", "audit_cli_models:transformer", "--weights",
                          "w.safetensors", "--example-input", "x.safetensors", "--json",
                          "--quiet", "--trials", "20")
    assert status == 0
    data = json.loads(out)
    assert sum(row["kind"].startswith("attention") for row in data["layers"]) == 12
    assert {n["type"] for n in data["coverage"]["not_covered"]} == {"LayerNorm"}


def _refused(capsys, *argv: str) -> str:
    """The run exits 2 with ONE error line (after any plain progress lines), no traceback."""
    status, out, err = _run(capsys, *argv)
    assert status == 2 and out == ""
    *progress, error = err.splitlines()
    assert "Traceback" not in err and error.startswith("topotheory audit: error: ")
    assert all(line.startswith("[audit] ") for line in progress)
    return error


def test_refusals_exit_2_with_a_clear_message(workdir, capsys) -> None:
    model = load_factory("audit_cli_models:mlp")
    torch.save(model, workdir / "pickled.pt")
    err = _refused(capsys, "--module", "audit_cli_models:mlp", "--weights", "pickled.pt",
                   "--input-shape", "12")
    assert "never executes pickled code" in err
    state = dict(model.state_dict())
    state["3.weight"] = torch.zeros(5, 6)
    del state["1.bias"]
    save_file(state, workdir / "bad.safetensors")
    err = _refused(capsys, "--module", "audit_cli_models:mlp", "--weights", "bad.safetensors",
                   "--input-shape", "12")
    assert "missing keys: 1.bias" in err and "3.weight (5, 6) vs model (3, 6)" in err
    _weights(workdir, "mlp")
    err = _refused(capsys, "--module", "audit_cli_models:mlp", "--weights", "w.safetensors",
                   "--input-shape", "5,5")
    assert "forward pass failed" in err and "--input-shape" in err
    err = _refused(capsys, "--module", "audit_cli_models:mlp", "--weights", "w.safetensors",
                   "--input-shape", "0")
    assert "positive ints" in err
    err = _refused(capsys, "--module", "audit_cli_models:nope", "--weights", "w.safetensors",
                   "--input-shape", "12")
    assert "no callable 'nope'" in err


def test_out_writes_a_report_and_refuses_a_foreign_folder_first(workdir, capsys) -> None:
    _weights(workdir, "mlp")
    args = ("--module", "audit_cli_models:mlp", "--weights", "w.safetensors", "--input-shape",
            "12", "--quiet", "--trials", "20")
    status, out, _ = _run(capsys, *args, "--out", "report")
    assert status == 0 and "coverage:" in out
    names = {p.relative_to(workdir / "report").as_posix() for p in (workdir / "report").rglob("*")}
    assert {"audit.md", "audit.html", "audit.json", "figures/overlap.png", "figures/np.png",
            "figures/tccr.png", "data/layers.csv"} <= names
    data = json.loads((workdir / "report" / "audit.json").read_text())
    assert data["coverage"]["fraction"] == 1.0
    assert "![Figure 1](figures/overlap.png)" in (workdir / "report" / "audit.md").read_text()
    foreign = workdir / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    err = _refused(capsys, *args, "--out", "mine")
    assert "--out" in err and "--force" in err
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    err = _refused(capsys, "--module", "audit_cli_models:nope", "--weights", "w.safetensors",
                   "--input-shape", "12", "--out", "mine")
    assert "--out" in err  # the output folder is checked before anything is loaded


def test_progress_is_plain_lines_off_a_terminal_a_bar_when_asked(workdir, capsys) -> None:
    _weights(workdir, "mlp")
    args = ("--module", "audit_cli_models:mlp", "--weights", "w.safetensors", "--input-shape",
            "12", "--trials", "20")
    status, out, err = _run(capsys, *args)
    assert status == 0 and out.startswith("topotheory audit -- input")
    lines = err.splitlines()
    assert "\r" not in err and len(lines) >= 3  # stderr is no terminal here: no bar
    assert all(line.startswith("[audit] ") for line in lines)
    assert "2 layers measured" in lines[-1]
    status, _, err = _run(capsys, *args, "--progress")  # the project's tqdm bar, forced
    assert status == 0 and "\raudit:" in err and "/2 [" in err and "layer/s" in err
    status, _, err = _run(capsys, *args, "--progress", "--quiet")
    assert status == 0 and err == ""


def test_json_out_writes_what_json_prints(workdir, capsys) -> None:
    _weights(workdir, "mlp")
    args = ("--module", "audit_cli_models:mlp", "--weights", "w.safetensors", "--input-shape",
            "12", "--trials", "20", "--quiet")
    status, printed, _ = _run(capsys, *args, "--json", "--json-out", "audit.json")
    assert status == 0
    written, shown = json.loads((workdir / "audit.json").read_text()), json.loads(printed)
    assert written == shown and set(shown["timings_seconds"]) == {"trace", "total"}
    status, out, _ = _run(capsys, *args, "--json-out", "again.json")
    assert status == 0 and out.startswith("topotheory audit -- input")  # text on stdout
    assert (workdir / "again.json").is_file()
