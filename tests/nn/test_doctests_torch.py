"""Docstring examples of the torch side (topotheory.nn), proofs_check, benchmarks/ and
examples/ run too.

``tests/test_doctests.py`` covers the torch-free library; without this file a broken
example under ``topotheory.nn`` (one had import lines pasted into it) went unnoticed.
"""

import doctest
import importlib
import pkgutil

import pytest

import benchmarks
import examples
import proofs_check
import topotheory.nn


def _modules():
    names = [i.name for i in pkgutil.walk_packages(topotheory.nn.__path__, "topotheory.nn.")]
    names += [i.name for i in pkgutil.walk_packages(proofs_check.__path__, "proofs_check.")]
    for package in (benchmarks, examples):  # torch-side scripts outside the installed package
        names += [i.name for i in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    return sorted(n for n in set(names) if not n.endswith("__main__"))


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
