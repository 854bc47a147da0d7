"""Every Python block of docs/testing-kit.md runs as written.

A block that defines pytest tests using the plugin's fixtures is run by pytest with the
plugin (``--topotheory-profile=ci``) and must give the outcomes the page describes; every
other block runs as a script in a fresh interpreter and must exit 0.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "testing-kit.md"
BLOCKS = re.findall(r"```python\n(.*?)```", PAGE.read_text(), flags=re.S)
SCRIPTS = [b for b in BLOCKS if "def test_" not in b]


def test_the_page_has_blocks_of_both_kinds():
    assert len(SCRIPTS) >= 4 and len(BLOCKS) > len(SCRIPTS)


@pytest.mark.slow  # a fresh interpreter per block, like the pages' shell commands; -m slow
@pytest.mark.parametrize("index", range(len(SCRIPTS)))
def test_script_block_runs_as_written(index, tmp_path):
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    script = tmp_path / "block.py"
    script.write_text(SCRIPTS[index])
    done = subprocess.run(
        [sys.executable, "-W", "ignore::RuntimeWarning", str(script)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    assert done.returncode == 0, f"block {index} failed:\n{SCRIPTS[index]}\n{done.stderr}"
