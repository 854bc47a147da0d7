"""Keep hypothesis's ``.hypothesis/`` folder out of the user's working directory.

The claim checks run hypothesis searches; hypothesis caches data (its example database,
collected constants) under ``./.hypothesis`` by default. The commands that run checks
wrap their work in :func:`hypothesis_storage_outside_cwd`.

Examples
--------
>>> import os, tempfile
>>> with hypothesis_storage_outside_cwd():
...     from hypothesis.configuration import storage_directory
...     ".hypothesis" in str(storage_directory("x").path)
False
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["hypothesis_storage_outside_cwd"]


@contextmanager
def hypothesis_storage_outside_cwd() -> Iterator[None]:
    """Point hypothesis's storage (its ``.hypothesis/`` folder) at a temporary folder while
    a command runs, unless hypothesis is not loaded or the user chose a place with
    ``HYPOTHESIS_STORAGE_DIRECTORY``; the previous setting is restored afterwards, so the
    settings of the user's own tests are unchanged."""
    import os
    import tempfile

    if os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        yield
        return
    try:
        from hypothesis import configuration
    except ImportError:  # pragma: no cover - hypothesis is a dependency
        yield
        return
    state = vars(configuration)
    key = "__hypothesis_home_directory"
    previous = state.get(key)
    with tempfile.TemporaryDirectory(prefix="topotheory-hypothesis-") as folder:
        configuration.set_hypothesis_home_dir(folder)
        try:
            yield
        finally:
            configuration.set_hypothesis_home_dir(previous)
