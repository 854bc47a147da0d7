"""Every case of issue #23, re-run as written (tests/hardening/issue23_cases.py).

Contract per case: the documented exit status (2, or 0 for a documented success), no
traceback and no "internal error", the argument named, one line on stderr for a
refusal, valid JSON on stdout for ``--json``, and every pre-existing file byte-identical
(device nodes stay device nodes) except the case's own earlier outputs.

Cases that need their own process (closed streams, ``python -m``'s search path, a FIFO or
a bomb that would hang or exhaust the test process if a guard regressed) run in a
subprocess; the others run in-process through ``topotheory.cli.main`` (same code, no
interpreter start-up per case).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import issue23_cases as cases  # noqa: E402

from topotheory import cli  # noqa: E402

#: Re-run through the full quick claim checks (minutes): covered by
#: test_claims_doc_writer below and by the case table of the issue note.
SLOW = {"claims-doc-tmp"}


def _run_in_process(case: cases.Case, folder: Path, monkeypatch, capfd) -> cases.Result:
    folder.mkdir(parents=True, exist_ok=True)
    case.setup(folder)
    before = cases._fingerprint(folder)
    monkeypatch.chdir(folder)
    monkeypatch.delenv("TOPOTHEORY_MAX_MEMORY", raising=False)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    capfd.readouterr()
    started = time.monotonic()
    try:
        status = cli.main(list(case.argv))
    finally:
        for name in ("models", "broken"):  # user modules of the working folder
            sys.modules.pop(name, None)
    seconds = time.monotonic() - started
    out, err = capfd.readouterr()
    after = cases._fingerprint(folder)
    changed = sorted(k for k in before if after.get(k) != before[k])
    problem = case.check(folder) if case.check else None
    return cases.Result(case, status, err, out, changed, problem, seconds)


@pytest.mark.parametrize("case", [c for c in cases.CASES if c.id not in SLOW],
                         ids=lambda c: c.id)
def test_issue_case(case, tmp_path, monkeypatch, capfd):
    if case.torch:
        pytest.importorskip("torch")
    if case.id == "json-out-device" and os.geteuid() != 0:
        pytest.skip("making a device node needs root (the FIFO case covers special files)")
    if case.isolated:
        result = cases.run_case(case, tmp_path / "case")
    else:
        result = _run_in_process(case, tmp_path / "case", monkeypatch, capfd)
    err = result.stderr
    assert result.status == case.expect, (case.argv, result.status, err)
    assert "Traceback" not in err and "internal error" not in err, err
    if case.mentions:
        assert case.mentions in err, err
    if case.expect == 2:  # one line (argparse adds its usage lines before it)
        lines = [line for line in err.splitlines()
                 if line.strip() and not line.startswith(("usage:", " "))]
        assert len(lines) == 1, err
    if case.json:
        json.loads(result.stdout)
    changed = [name for name in result.changed if not case.may_change(name)]
    assert changed == [], f"pre-existing files changed: {changed}"
    assert result.problem is None, result.problem


def test_force_says_what_it_left(tmp_path, monkeypatch, capfd):
    result = _run_in_process(cases.BY_ID["edited-output-force"], tmp_path / "case",
                             monkeypatch, capfd)
    assert "left 1 file(s) as they are" in result.stderr
    assert "report.md (changed since topotheory wrote it)" in result.stderr
    assert (tmp_path / "case" / "R" / "report.md").read_text().endswith("my edit\n")


def test_claims_doc_writer(tmp_path):
    """``--claims-doc``'s writer: no fixed ``FILE.tmp``, permission bits kept, regular files
    only (the CLI case itself runs every quick claim check: see the issue note)."""
    from topotheory.errors import InputError
    from topotheory.report.claims_doc import update_claims_doc

    cases._claims_doc(tmp_path)
    rows = [{"id": "tables-mnist-layers", "variant": None, "status": "confirmed",
             "kind": "empirical"}]
    assert update_claims_doc(tmp_path / "claims.md", rows) is True
    assert cases._claims_doc_kept(tmp_path) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.md", "claims.md.tmp"]
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "claims.md")
    with pytest.raises(InputError, match="--claims-doc=.*symbolic link"):
        update_claims_doc(link, rows)
    os.mkfifo(tmp_path / "fifo.md")
    with pytest.raises(InputError, match="--claims-doc=.*FIFO"):
        update_claims_doc(tmp_path / "fifo.md", rows)


@pytest.mark.parametrize("make", ["fifo", "link", "folder"])
def test_claims_doc_refused_before_any_work(tmp_path, monkeypatch, capsys, make):
    cases._claims_doc(tmp_path)
    target = tmp_path / "doc.md"
    if make == "fifo":
        os.mkfifo(target)
    elif make == "link":
        target.symlink_to(tmp_path / "claims.md")
    else:
        target.mkdir()
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    status = cli.main(["report", "--only", "verdicts", "--no-figures", "--quiet", "--out", "R",
                       "--claims-doc", "doc.md"])
    err = capsys.readouterr().err
    assert status == 2 and "--claims-doc='doc.md'" in err, err
    assert time.monotonic() - started < 30  # refused before the claim checks ran
    assert not (tmp_path / "R").exists()
