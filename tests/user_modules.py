"""A user's model module written into a temporary working directory, as the CLI's
``--module pkg.mod:factory`` finds it (the current directory is searched)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

#: A seeded MLP factory ``mlp`` as a user writes it (12 inputs, 99 parameters).
MLP = '''
import torch


def mlp():
    torch.manual_seed(1)
    return torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 6), torch.nn.ReLU(),
                               torch.nn.Linear(6, 3))
'''


def user_module(folder: Path, monkeypatch: pytest.MonkeyPatch, name: str, source: str, *,
                importable: bool = False) -> Path:
    """Write ``source`` as ``folder/<name>.py``, make ``folder`` the working directory and
    forget any earlier module of that name; ``importable`` also puts ``folder`` on
    ``sys.path`` (for the test's own imports: the CLI searches the working directory)."""
    (folder / f"{name}.py").write_text(source)
    monkeypatch.chdir(folder)
    if importable:
        monkeypatch.syspath_prepend(str(folder))
    sys.modules.pop(name, None)
    importlib.invalidate_caches()
    return folder
