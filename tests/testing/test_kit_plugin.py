"""The pytest plugin: import-light, --topotheory-profile, fixtures, run on a user's test file.

A tiny user test file is run in-process with pytest's ``pytester``; the plugin is the one
registered through the ``pytest11`` entry point, or loaded with ``-p`` when this checkout
is not installed.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

pytest_plugins = ["pytester"]  # in this module: a non-root conftest may not declare plugins

ROOT = Path(__file__).resolve().parents[2]

USER_TESTS = '''
import numpy as np


def my_np(w):
    """Hand-written neural persistence: Kruskal on |w|, points (1, |w_e| / max|w|)."""
    m, n = w.shape
    mags = np.abs(w).ravel()
    parent = list(range(n + m))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    deaths = []
    for f in np.lexsort((np.arange(mags.size), -mags)):
        a, b = find(f % n), find(n + f // n)
        if a != b:
            parent[a] = b
            deaths.append(mags[f] / mags.max())
    return float(np.sqrt(np.sum((1 - np.array(deaths)) ** 2)))


def my_np_buggy(w):
    return my_np(w) * np.abs(w).max() / w.max()   # normalises by max(w): missing abs()


def test_my_np_agrees_with_the_oracle(topotheory_oracle):
    w = np.array([[1.0, 0.5], [0.25, 1.0]])
    topotheory_oracle.assert_same_neural_persistence(my_np(w), w)


def test_my_np_battery(topotheory_check):
    topotheory_check("neural_persistence", my_np, max_examples=5).raise_if_failed()


def test_my_np_buggy_battery(topotheory_check):
    topotheory_check("neural_persistence", my_np_buggy, max_examples=5).raise_if_failed()


def test_my_np_buggy_battery_forgot_to_raise(topotheory_check):
    topotheory_check("neural_persistence", my_np_buggy, max_examples=5)


def test_strategies_fixture(topotheory_strategies):
    from hypothesis import given

    @given(topotheory_strategies.weight_matrices(shape=(2, 3)))
    def inner(w):
        assert w.shape == (2, 3)

    inner()


def test_profile_is_loaded():
    from hypothesis import settings

    assert settings().max_examples == 100 and settings().derandomize
'''


def _plugin_args():
    """``-p`` for the plugin unless pytest autoloads it through the installed entry point."""
    from importlib.metadata import entry_points

    installed = any(ep.name == "topotheory" for ep in entry_points(group="pytest11"))
    if installed and not os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        return []
    return ["-p", "topotheory.testing.pytest_plugin"]


@pytest.fixture
def user_run(monkeypatch):
    """Run user test files in a subprocess that imports this checkout; keep our profile.

    In-process runs would re-import numpy's C extensions that the inner run loaded first
    (pytester restores ``sys.modules``), which numpy forbids.
    """
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    monkeypatch.setenv("PYTHONPATH", path)
    # Hypothesis itself loads its built-in "ci" profile (derandomized, no database) when it
    # sees a CI variable such as CI=true; the user runs here test OUR plugin, so they run as
    # a user's local run would, without those variables.
    import hypothesis._settings as hypothesis_settings

    for name in getattr(hypothesis_settings, "_CI_VARS", {"CI": None}):
        monkeypatch.delenv(name, raising=False)
    previous = settings._current_profile
    yield
    settings.load_profile(previous)


def test_plugin_runs_a_users_tests_and_shows_failures(pytester, user_run):
    pytester.makepyfile(test_user_np=USER_TESTS)
    result = pytester.runpytest_subprocess(
        *_plugin_args(), "--topotheory-profile=ci", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=4, failed=2)
    out = result.stdout.str()
    assert "FAILED test_user_np.py::test_my_np_buggy_battery_forgot_to_raise" in out
    assert "topotheory: hypothesis profile 'ci'" in out
    assert (
        "test_my_np_buggy_battery FAILED" in out
        or "FAILED test_user_np.py::test_my_np_buggy_battery" in out
    )
    assert "FAIL  sign_invariance" in out
    assert "signed maximum" in out
    # trimmed: the user's frame, the report (counterexample, difference, hint); no kit frames
    assert "def raise_if_failed" not in out and "testing/check.py" not in out
    assert "testing/report.py" not in out
    assert "counterexample weights = " in out and "likely cause:" in out


def _run_project(pytester, conftest, test, *args):
    if conftest is not None:
        pytester.makeconftest(conftest)
    pytester.makepyfile(test_project=test)
    return pytester.runpytest_subprocess(*_plugin_args(), "-p", "no:cacheprovider", *args)


PROJECT_CONFTEST = """
import os
from hypothesis import settings

settings.register_profile("ci", max_examples=1000)
settings.register_profile("mine", max_examples=7)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
"""


def _profile_test(assertion: str) -> str:
    """A user's test module asserting ``assertion`` about the loaded hypothesis settings."""
    return f"from hypothesis import settings\n\ndef test_profile():\n    assert {assertion}\n"


def test_a_projects_own_ci_profile_is_kept(pytester, user_run, monkeypatch):
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "ci")
    test = _profile_test("settings().max_examples == 1000 and not settings().derandomize")
    result = _run_project(pytester, PROJECT_CONFTEST, test)
    result.assert_outcomes(passed=1)
    assert "topotheory" not in result.stdout.str().split("collected")[0].replace(
        "topotheory-0", ""
    )  # no header


def test_a_profile_the_plugin_does_not_own_works(pytester, user_run, monkeypatch):
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "mine")
    test = _profile_test("settings().max_examples == 7")
    _run_project(pytester, PROJECT_CONFTEST, test).assert_outcomes(passed=1)
    # a project that never registers "mine": the plugin does not care either
    plain = _run_project(pytester, "", "def test_ok():\n    pass\n")
    plain.assert_outcomes(passed=1)
    assert "INTERNALERROR" not in plain.stdout.str() + plain.stderr.str()


def test_without_the_option_no_setting_changes(pytester, user_run, monkeypatch):
    monkeypatch.delenv("HYPOTHESIS_PROFILE", raising=False)
    test = (
        "import datetime\n"
        "from hypothesis import settings\n\n"
        "def test_defaults():\n"
        "    assert settings.get_current_profile_name() == 'default'\n"
        "    assert settings().max_examples == 100\n"
        "    assert settings().deadline == datetime.timedelta(milliseconds=200)\n"
        "    assert 'topotheory-ci' not in settings._profiles and 'dev' not in settings._profiles\n"
    )
    result = _run_project(pytester, None, test)
    result.assert_outcomes(passed=1)
    assert "topotheory: hypothesis profile" not in result.stdout.str()


def test_unknown_profile_is_a_usage_error(pytester, user_run):
    pytester.makepyfile(test_nothing="def test_ok():\n    pass\n")
    result = pytester.runpytest_subprocess(*_plugin_args(), "--topotheory-profile=fast")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "invalid choice: 'fast'" in result.stderr.str()


def test_plugin_module_is_import_light():
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    code = (
        "import sys, topotheory.testing.pytest_plugin, topotheory.testing; "
        "print(sorted(m for m in ('numpy', 'torch', 'hypothesis', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


def test_entry_point_is_declared():
    text = (ROOT / "pyproject.toml").read_text()
    section = text.split("[project.entry-points.pytest11]", 1)[1].split("[", 1)[0]
    assert 'topotheory = "topotheory.testing.pytest_plugin"' in section


def _first_python_block(text, after):
    return text.split(after, 1)[1].split("```python\n", 1)[1].split("```", 1)[0]


@pytest.mark.slow  # the pages' examples, each in two pytest runs of its own; -m slow
@pytest.mark.parametrize(
    ("path", "after", "outcomes"),
    [
        ("docs/testing-kit.md", "## A complete example", {"passed": 1, "failed": 1}),
        ("README.md", "## Testing your own topology code", {"failed": 1}),
    ],
)
def test_documented_example_fails_as_shown_and_passes_when_fixed(
    pytester, user_run, path, after, outcomes
):
    code = _first_python_block((ROOT / path).read_text(), after)
    pytester.makepyfile(test_documented=code)
    args = (
        *_plugin_args(),
        "--topotheory-profile=ci",
        "-p",
        "no:cacheprovider",
        "-W",
        "ignore::RuntimeWarning",
    )
    result = pytester.runpytest_subprocess(*args)
    result.assert_outcomes(**outcomes)
    assert (
        "normalises by the signed maximum max(w) = 1 instead of max|w| = 2" in result.stdout.str()
    )
    fixed = code.replace("w.max())", "np.abs(w).max())")
    assert fixed != code
    pytester.makepyfile(test_documented=fixed)
    passed = sum(outcomes.values())
    pytester.runpytest_subprocess(*args).assert_outcomes(passed=passed)


def test_both_profile_options_warn_and_hypothesis_governs_the_session(pytester, user_run):
    test = (
        "from hypothesis import settings\n\n"
        "def test_session_profile():\n"
        "    assert settings().max_examples == 2000\n\n"
        "def test_check_profile(topotheory_check):\n"
        "    import topotheory as tt\n"
        "    report = topotheory_check('neural_persistence', tt.neural_persistence, "
        "properties=['matches_oracle'])\n"
        "    assert report.max_examples == 100\n"
    )
    conftest = (
        "from topotheory.testing.profiles import register_profiles\n"
        "register_profiles(prefix='mine-')\n"
    )
    result = _run_project(
        pytester, conftest, test, "--topotheory-profile=ci", "--hypothesis-profile=mine-deep"
    )
    result.assert_outcomes(passed=2)
    out = result.stdout.str()
    assert "both --topotheory-profile=ci and --hypothesis-profile=mine-deep given" in out
    assert "--hypothesis-profile wins" in out


def test_contract_classes_are_collected_one_test_per_property(pytester, user_run):
    test = (
        "import functools\n"
        "import numpy as np\n"
        "import topotheory as tt\n"
        "from topotheory.testing import NeuralPersistenceContract\n\n"
        "class TestLibraryNp(NeuralPersistenceContract):\n"
        "    implementation = staticmethod(tt.neural_persistence)\n"
        "    max_examples = 5\n\n"
        "def signed_max(w):\n"
        "    return tt.neural_persistence(w) * np.abs(w).max() / w.max()\n\n"
        "class TestSignedMax(NeuralPersistenceContract):\n"
        "    implementation = signed_max\n"
        "    max_examples = 5\n\n"
        "class TestAsZero(NeuralPersistenceContract):  # rieck_bound needs essential='drop'\n"
        "    implementation = staticmethod(functools.partial(tt.neural_persistence, "
        "essential='as_zero'))\n"
        "    options = {'essential': 'as_zero'}\n"
        "    max_examples = 5\n"
    )
    result = _run_project(pytester, None, test, "-W", "ignore::RuntimeWarning")
    outcomes = result.parseoutcomes()
    assert outcomes["skipped"] == 1 and outcomes["passed"] + outcomes["failed"] == 7 + 7 + 6
    assert 2 <= outcomes["failed"] <= 7
    assert "TestSignedMax::test_sign_invariance FAILED" in result.stdout.str() or (
        "FAILED test_project.py::TestSignedMax::test_sign_invariance" in result.stdout.str()
    )
