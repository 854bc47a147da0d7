"""User claims: docs/extending.md's example runs as written; bad user claims are named."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _first_python_block() -> str:
    text = (ROOT / "docs" / "extending.md").read_text(encoding="utf-8")
    return re.search(r"```python\n(.*?)```", text, re.S).group(1)


def _run(args: list[str], cwd: Path, *, module: str = "proofs_check"):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", module, *args, "--quiet"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_documented_example_runs_via_claims_from_and_appears_in_json(tmp_path):
    (tmp_path / "my_claims.py").write_text(_first_python_block(), encoding="utf-8")
    done = _run(["--claims-from", "my_claims", "--claim", "my-overlap-half", "--claim",
                 "tables-mnist-layers", "--json", "out.json"], tmp_path)
    assert done.returncode == 0, done.stderr
    rows = {r["id"]: r for r in json.loads((tmp_path / "out.json").read_text())["claims"]}
    assert set(rows) == {"my-overlap-half", "tables-mnist-layers"}
    mine = rows["my-overlap-half"]
    assert mine["kind"] == "expectation" and mine["status"] == "confirmed"
    assert mine["provenance"].startswith("my notebook (derived)")
    assert len(mine["evidence"]["exact"]) == 10  # 1 <= n <= m <= 4
    assert set(mine["evidence"]["monte_carlo"]) == {"100x100", "784x100"}
    # regression mode on the user's claim, through `topotheory verify` and a file path
    done = _run(["verify", "--claims-from", "my_claims.py", "--claim", "my-overlap-half",
                 "--expect", "out.json"], tmp_path, module="topotheory.cli")
    assert done.returncode == 0, done.stderr
    assert "my-overlap-half" in done.stdout


BAD_CLAIMS = '''
import topotheory as tt
from proofs_check.rules import forall_exhaustive

PROV = tt.Provenance(section="tests", confidence="derived")


def claim(claim_id):
    return tt.register_claim(tt.Claim(id=claim_id, statement="s", kind="forall",
                                      domain="d", provenance=PROV))


claim("np-mst")  # a paper claim's id


@tt.claim_check(claim("user-raises"))
def raises(ctx):
    raise ZeroDivisionError("user bug")


@tt.claim_check(claim("user-not-a-verdict"))
def not_a_verdict(ctx):
    return "confirmed"


@tt.claim_check(claim("user-good"))
def good(ctx):
    return forall_exhaustive(ctx, range(10), lambda x: x * x >= x, domain="0..9",
                             bounds={"x": [0, 9]})
'''
BAD_KIND = '''
import topotheory as tt

tt.register_claim(tt.Claim(id="user-bad-kind", statement="s", kind="probably", domain="d",
                           provenance=tt.Provenance(section="tests", confidence="derived")))
'''


def test_bad_user_claims_are_named_and_the_others_still_run(tmp_path):
    (tmp_path / "bad_claims.py").write_text(BAD_CLAIMS)
    (tmp_path / "bad_kind.py").write_text(BAD_KIND)
    done = _run(["--claims-from", "bad_claims", "--claims-from", "bad_kind", "--claim",
                 "user-raises", "user-not-a-verdict", "user-good", "tables-mnist-layers",
                 "--json", "out.json"], tmp_path)
    err = done.stderr
    # the user's mistakes, each named with its module (and line): exit 2, never 3 (our bug)
    assert done.returncode == 2, err
    assert "claim 'np-mst': already registered (by paper)" in err
    assert "claim 'user-bad-kind': kind='probably' must be one of" in err
    assert ("user-raises: the check of 'user-raises' raised ZeroDivisionError: user bug "
            "(bad_claims.py, line 18, in raises)") in err
    assert "user-not-a-verdict: the check returned str, not a Verdict" in err
    assert "Traceback" not in err
    rows = {r["id"]: r["status"] for r in json.loads((tmp_path / "out.json").read_text())["claims"]}
    assert rows == {"user-good": "confirmed", "tables-mnist-layers": "confirmed"}


def test_a_registration_error_alone_exits_two(tmp_path):
    (tmp_path / "bad_kind.py").write_text(BAD_KIND)
    done = _run(["--claims-from", "bad_kind", "--claim", "tables-mnist-layers"], tmp_path)
    assert done.returncode == 2, done.stderr
    assert "claim 'user-bad-kind'" in done.stderr and "tables-mnist-layers" in done.stdout
