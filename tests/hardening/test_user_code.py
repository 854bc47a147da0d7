"""The user-code boundary (issue #23, item 2): imports that cannot shadow, output that
cannot leak into stdout, exits and exceptions named with file and line, and nothing of
topotheory's replaced."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from topotheory.errors import InputError
from topotheory.theory.claim import CHECKS, CLAIMS, SOURCES
from topotheory.user_code import (
    ProtectedState,
    TamperError,
    calling_user_code,
    import_user_module,
    stdout_to_stderr,
)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


# ------------------------------------------------------------------------- imports


def test_a_py_file_named_like_an_installed_package_never_replaces_it(tmp_path):
    import numpy

    path = _write(tmp_path, "numpy.py", "VALUE = 'not numpy'\n")
    module = import_user_module(str(path), argument="--claims-from")
    assert module.VALUE == "not numpy"
    assert sys.modules["numpy"] is numpy and module.__name__ != "numpy"


def test_the_working_folder_is_searched_after_the_installed_packages(tmp_path, monkeypatch):
    _write(tmp_path, "json.py", "raise RuntimeError('this json.py must not be imported')\n")
    _write(tmp_path, "my_claims_xyz.py", "import json\nVALUE = json.dumps([1])\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend("")  # as `python -m` has it
    saved = list(sys.path)
    try:
        module = import_user_module("my_claims_xyz", argument="--claims-from")
        assert module.VALUE == "[1]" and sys.modules["json"] is json
        assert sys.path == saved  # restored
    finally:
        sys.modules.pop("my_claims_xyz", None)


def test_sibling_modules_of_a_py_file_are_importable(tmp_path):
    _write(tmp_path, "helpers_xyz.py", "K = 7\n")
    path = _write(tmp_path, "claims_xyz.py", "from helpers_xyz import K\n")
    try:
        assert import_user_module(str(path), argument="--claims-from").K == 7
    finally:
        sys.modules.pop("helpers_xyz", None)


@pytest.mark.parametrize(("text", "expected"), [
    ("import sys\nsys.exit(0)\n", r"called sys\.exit\(0\) \(.*bad\.py, line 2"),
    ("x = 1\nundefined_name + 1\n", r"raised NameError: .*undefined_name.*line 2"),
    ("def f(:\n", r"raised SyntaxError: .*bad\.py, line 1"),
    ("import definitely_not_installed_xyz\n", r"ModuleNotFoundError.*line 1"),
    ("raise KeyboardInterrupt\n" * 0 + "raise SystemExit('bye')\n", r"sys\.exit\('bye'\)"),
])
def test_import_failures_name_the_file_and_the_line(tmp_path, text, expected):
    path = _write(tmp_path, "bad.py", text)
    with pytest.raises(InputError, match=expected) as info:
        import_user_module(str(path), argument="--claims-from")
    assert info.value.argument == "--claims-from"
    assert not any(name.endswith("_bad") for name in sys.modules)


def test_a_missing_module_is_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=r"--module='nope_xyz': cannot import 'nope_xyz': no module "):
        import_user_module("nope_xyz", argument="--module")


def test_a_special_file_is_not_imported(tmp_path):
    os.mkfifo(tmp_path / "claims.py")
    with pytest.raises(InputError, match="is a FIFO"):
        import_user_module(str(tmp_path / "claims.py"), argument="--claims-from")


# -------------------------------------------------------------------------- calls


def test_print_and_fd_1_writes_go_to_stderr(capfd):
    with stdout_to_stderr():
        print("from print")
        os.write(1, b"from fd 1\n")
    print("after")
    out, err = capfd.readouterr()
    assert out == "after\n"
    assert "from print" in err and "from fd 1" in err


def test_exceptions_with_a_user_frame_are_named_others_pass_through(tmp_path, monkeypatch):
    import topotheory.user_code as user_code

    roots = user_code._library_roots()  # this test file stands in for topotheory's code
    monkeypatch.setattr(user_code, "_library_roots", lambda: (*roots, str(Path(__file__).parent)))
    path = _write(tmp_path, "model_xyz.py", "def forward(x):\n    return {}['missing']\n")
    module = import_user_module(str(path), argument="--module")
    with pytest.raises(InputError, match=r"raised KeyError: 'missing' \(.*model_xyz\.py, "
                                         r"line 2, in forward\)"):
        with calling_user_code("the model's code", argument="--module", value="m:f",
                               all_errors=False):
            module.forward(1)
    with pytest.raises(ZeroDivisionError):  # no user frame: topotheory's own error
        with calling_user_code("the model's code", argument="--module", value="m:f",
                               all_errors=False):
            _ = 1 / 0


def test_keyboard_interrupt_is_not_swallowed():
    with pytest.raises(KeyboardInterrupt):
        with calling_user_code("x", argument="--module", value="m"):
            raise KeyboardInterrupt


# ------------------------------------------------------------------ protected state


@pytest.fixture
def registered():
    import proofs_check.claims  # noqa: F401

    return next(iter(CLAIMS))


def _registries():
    return {"CLAIMS": CLAIMS, "CHECKS": CHECKS, "SOURCES": SOURCES}


def test_replaced_function_is_found_and_restored():
    import proofs_check.rules as rules

    original = rules.interval_verdict
    state = ProtectedState(registries=_registries())
    rules.interval_verdict = lambda *a, **k: "forged"
    with pytest.raises(TamperError, match=r"--claims-from='forge\.py': replaced "
                                          r"proofs_check\.rules\.interval_verdict"):
        state.verify(argument="--claims-from", value="forge.py")
    assert rules.interval_verdict is original


def test_swapped_code_object_is_found_and_restored():
    import proofs_check.rules as rules

    code = rules.per_test_confidence.__code__
    state = ProtectedState(registries=_registries())
    rules.per_test_confidence.__code__ = (lambda n_tests: 0.5).__code__
    (change,) = state.changes()  # named under one of the modules that hold the function
    assert change.endswith(".per_test_confidence (its code or defaults)")
    state.restore()
    assert rules.per_test_confidence.__code__ is code


def test_replaced_method_is_found_and_restored():
    from proofs_check.verdict import Verdict

    original = Verdict.to_json
    state = ProtectedState(registries=_registries())
    Verdict.to_json = lambda self: {"status": "proved"}
    assert any(c.endswith("Verdict.to_json") for c in state.changes())
    state.restore()
    assert Verdict.to_json is original


def test_registry_entries_cannot_be_replaced_removed_or_mutated(registered):
    claim, check, source = CLAIMS[registered], CHECKS[registered], SOURCES[registered]
    state = ProtectedState(registries=_registries())
    CHECKS[registered] = lambda ctx: None
    del SOURCES[registered]
    object.__setattr__(claim, "statement", "forged statement")
    changes = state.changes()
    assert f"CHECKS[{registered!r}]" in changes and f"SOURCES[{registered!r}]" in changes
    assert f"CLAIMS[{registered!r}] (its fields)" in changes
    state.restore()
    assert CHECKS[registered] is check and SOURCES[registered] == source
    assert claim.statement != "forged statement"
    assert state.changes() == []


def test_sys_modules_entries_cannot_be_replaced():
    state = ProtectedState(registries={})
    real = sys.modules["json"]
    sys.modules["json"] = type(sys)("json")
    try:
        assert "sys.modules['json']" in state.changes()
    finally:
        state.restore()
    assert sys.modules["json"] is real


def test_additions_are_allowed(tmp_path):
    state = ProtectedState(registries=_registries())
    CLAIMS["user-added-xyz"] = object()
    try:
        import topotheory

        topotheory.some_user_attribute_xyz = 1  # a new name hides nothing
        assert state.changes() == []
    finally:
        CLAIMS.pop("user-added-xyz")
        del topotheory.some_user_attribute_xyz


def test_the_snapshot_is_cheap():
    import time

    import proofs_check.claims  # noqa: F401

    start = time.perf_counter()
    state = ProtectedState(registries=_registries())
    state.verify(argument="--claims-from", value="x")
    # measured on the loaded suite; a generous ceiling so it never flakes on a busy machine
    assert time.perf_counter() - start < 2.0


# --------------------------------------------------------- claims: load and check


CHECK_TIME_FORGERY = """
import proofs_check.rules as rules
from topotheory import Claim, Provenance, claim_check, register_claim

register_claim(Claim(id="user-forger-xyz", statement="s", kind="forall", domain="d",
                     provenance=Provenance(section="s", confidence="derived")))


@claim_check("user-forger-xyz")
def check(ctx):
    rules.per_test_confidence = lambda n_tests: 0.5   # at check time, not import time
    return ctx.verdict("confirmed")
"""


def test_a_user_check_that_replaces_a_function_is_refused(tmp_path, capsys):
    from topotheory import cli

    _write(tmp_path, "forger.py", CHECK_TIME_FORGERY)
    import proofs_check.rules as rules

    original = rules.per_test_confidence
    status = cli.main(["verify", "--quiet", "--claim", "user-forger-xyz", "--claims-from",
                       str(tmp_path / "forger.py")])
    err = capsys.readouterr().err
    assert status == 2, err
    assert "replaced proofs_check.rules.per_test_confidence" in err
    assert rules.per_test_confidence is original
    from topotheory.theory.claim import unregister_claim

    unregister_claim("user-forger-xyz")


FAILING_CHECK = """
import sys
from topotheory import Claim, Provenance, claim_check, register_claim

register_claim(Claim(id="user-exits-xyz", statement="s", kind="forall", domain="d",
                     provenance=Provenance(section="s", confidence="derived")))


@claim_check("user-exits-xyz")
def check(ctx):
    print("chatter from the check")
    sys.exit(0)
"""


def test_a_user_check_that_exits_is_exit_2_naming_the_line(tmp_path, capsys):
    from topotheory import cli

    _write(tmp_path, "exits.py", FAILING_CHECK)
    status = cli.main(["verify", "--quiet", "--json", "--claim", "user-exits-xyz",
                       "tables-mnist-layers", "--claims-from", str(tmp_path / "exits.py")])
    out, err = capsys.readouterr()
    assert status == 2, err
    assert json.loads(out)["claims"][0]["id"] == "tables-mnist-layers"  # the others ran
    assert "chatter from the check" in err and "chatter" not in out
    assert "user-exits-xyz: the check of 'user-exits-xyz' called sys.exit(0)" in err
    assert "exits.py, line 12, in check" in err and "Traceback" not in err
    from topotheory.theory.claim import unregister_claim

    unregister_claim("user-exits-xyz")
