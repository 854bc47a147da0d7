"""Coverage warning and ``--min-coverage F`` (exit 1 below it, after the report)."""

from __future__ import annotations

import json

from safetensors.torch import save_file

from tests.nn_audit import checkpoint_models as cm
from topotheory.cli import main


def _run(capsys, name: str, weights, *extra: str) -> tuple[int, str, str]:
    shape, dtype = cm.KINDS[name]
    status = main(["audit", "--module", f"tests.nn_audit.checkpoint_models:{name}", "--weights",
                   str(weights), "--input-shape", shape, "--input-dtype", dtype, "--quiet",
                   "--trials", "20", *extra])
    out, err = capsys.readouterr()
    return status, out, err


def test_min_coverage_exits_1_below_it_and_warns_without_it(tmp_path, capsys) -> None:
    vit = cm.save_plain(cm.trained("vit_like"), tmp_path)  # cls_token, pos_embed, LayerNorms
    status, out, err = _run(capsys, "vit_like", vit, "--json")
    data = json.loads(out)
    fraction = data["coverage"]["fraction"]
    assert 0.9 < fraction < 0.92
    assert status == 0 and "WARNING" not in err
    status, out, err = _run(capsys, "vit_like", vit, "--min-coverage", "0.95")
    assert status == 1 and "coverage:" in out  # the report is written first
    assert f"covers {100 * fraction:.2f}% of the model's parameters, below --min-coverage 0.95" in err
    status, out, _ = _run(capsys, "vit_like", vit, "--min-coverage", "0.9", "--json")
    check = json.loads(out)["settings"]["coverage_check"]
    assert status == 0 and check == {"threshold": 0.9, "fraction": fraction, "below": False,
                                     "exit_on_failure": True}


def test_a_model_with_low_coverage_gets_a_warning(tmp_path, capsys) -> None:
    (tmp_path / "lowcov_models.py").write_text(
        "import torch\n\n"
        "class Net(torch.nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.table = torch.nn.Parameter(torch.randn(50, 4))\n"
        "        self.fc = torch.nn.Linear(4, 2)\n\n"
        "    def forward(self, x):\n"
        "        return self.fc(x @ self.table[:4])\n\n"
        "def build():\n"
        "    torch.manual_seed(0)\n"
        "    return Net()\n")
    import sys

    sys.path.insert(0, str(tmp_path))
    try:
        from lowcov_models import build

        save_file(build().state_dict(), tmp_path / "w.safetensors")
        status = main(["audit", "--module", "lowcov_models:build", "--weights",
                       str(tmp_path / "w.safetensors"), "--input-shape", "4", "--quiet",
                       "--trials", "20"])
        out, err = capsys.readouterr()
        assert status == 0
        assert "NOT covered: table (parameter of Net, 200 parameters)" in out
        assert "WARNING: the audit covers 4.76% of the model's parameters, below 0.9" in err
        status = main(["audit", "--module", "lowcov_models:build", "--weights",
                       str(tmp_path / "w.safetensors"), "--input-shape", "4", "--quiet",
                       "--min-coverage", "0.9"])
        assert status == 1
        status = main(["audit", "--module", "lowcov_models:build", "--weights",
                       str(tmp_path / "w.safetensors"), "--input-shape", "4",
                       "--min-coverage", "1.5"])
        out, err = capsys.readouterr()
        assert status == 2 and "--min-coverage=1.5: must be a fraction in [0, 1]" in err
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("lowcov_models", None)
