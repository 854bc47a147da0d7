"""A lazily exported name that is also a submodule's name resolves to the export, whatever
was imported first (``topotheory.simulate.overlap_limit`` is the function)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("first", [
    "import topotheory.simulate.overlap_limit",
    "from topotheory.simulate import overlap_limit",
    "import topotheory.simulate",
])
def test_overlap_limit_is_the_function_whatever_is_imported_first(first: str) -> None:
    code = (f"{first}\nimport topotheory.simulate.overlap_limit as _m\n"
            "import topotheory.simulate as s\n"
            "assert callable(s.overlap_limit) and not hasattr(s.overlap_limit, '__file__'), "
            "s.overlap_limit\nprint(round(s.overlap_limit(50, 50), 6))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert 0.5 < float(done.stdout) < 1.0
