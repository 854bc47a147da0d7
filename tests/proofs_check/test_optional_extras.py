"""Without the optional extras (torch, scikit-learn) every claim still gets a visible row.

The extras are made unimportable in a subprocess by a ``sitecustomize`` on ``PYTHONPATH``
that puts a blocking finder first on ``sys.meta_path`` (``sys.modules[name] = None`` is not
enough: scipy probes ``sys.modules["torch"]`` and breaks on ``None``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLOCKER = '''
import sys

BLOCKED = {blocked!r}


class _Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None


sys.meta_path.insert(0, _Block())
'''
#: The claims whose checks train or trace torch models, and two that need no extra.
TORCH_SIDE = ("timp-preserves", "imp-overlap-trained", "np-grows", "tables")
CHEAP = ("tables-mnist-layers", "dense-vs-conv")


def _run_without(blocked: tuple[str, ...], tmp_path: Path) -> tuple[int, dict, str]:
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(BLOCKER.format(blocked=blocked))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(shim), str(ROOT)]))
    out = tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, "-m", "proofs_check", "--quiet", "--json", str(out),
         "--claim", *TORCH_SIDE, *CHEAP],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    return done.returncode, json.loads(out.read_text()), done.stdout + done.stderr


def test_without_scikit_learn_the_torch_side_claims_are_inconclusive_rows(tmp_path):
    code, data, output = _run_without(("sklearn",), tmp_path)
    assert code == 0, output
    rows = {row["id"]: row for row in data["claims"]}
    assert set(rows) == set(TORCH_SIDE) | set(CHEAP)
    for claim_id in ("imp-overlap-trained", "np-grows", "timp-preserves"):
        assert rows[claim_id]["status"] == "inconclusive", claim_id
        reason = rows[claim_id]["evidence"]["reason"]
        assert 'scikit-learn is not installed: pip install "topotheory[torch]"' in reason
    assert rows["tables-mnist-layers"]["status"] == "confirmed"


def test_without_torch_every_row_is_still_there_and_the_run_exits_zero(tmp_path):
    code, data, output = _run_without(("sklearn", "torch"), tmp_path)
    assert code == 0, output
    rows = {row["id"]: row for row in data["claims"]}
    assert set(rows) == set(TORCH_SIDE) | set(CHEAP)
    for claim_id in TORCH_SIDE:
        assert rows[claim_id]["status"] == "inconclusive"
        assert 'pip install "topotheory[torch]"' in rows[claim_id]["evidence"]["reason"]
    status = {(row["id"], row["variant"]): row["status"] for row in data["claims"]}
    assert status[("dense-vs-conv", "resnet_below_vgg_conv_row")] == "refuted"
