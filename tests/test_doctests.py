"""Every docstring example of the torch-free library runs and gives the printed result."""

import doctest
import importlib
import pkgutil

import pytest

import topotheory

_SKIP_PREFIXES = ("topotheory.nn", "topotheory.testing.pytest_plugin")


def _modules():
    names = ["topotheory", "topotheory.cli"]
    for info in pkgutil.walk_packages(topotheory.__path__, "topotheory."):
        if not info.name.startswith(_SKIP_PREFIXES):
            names.append(info.name)
    return sorted(set(names))


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def test_import_topotheory_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, topotheory, topotheory.topology, topotheory.testing; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
