"""The checkpoints of a sweep, in order: files given, an open_lth run folder, or a glob.

* :func:`sources_from_paths`: the files (or open_lth level folders) as given, in that order;
* :func:`sources_from_run`: an open_lth run: a replicate folder (``level_<k>/main``
  children, by level) or a lottery folder (``replicate_<r>`` children, by replicate, then
  level); each level folder is read by
  :func:`~topotheory.nn.audit.pruned_checkpoints.read_open_lth_level` (latest model file x
  mask);
* :func:`sources_from_glob`: the files a glob pattern matches, ordered by an order key
  (:data:`ORDER_KEYS`): ``natural`` (names compared with their digit runs as numbers, so
  ``epoch_2`` < ``epoch_10``), ``name`` (plain string order) or ``mtime`` (modification
  time, then name).

A checkpoint's ``position`` in this order (0, 1, ...) is all its seed and its place in the
curves depend on.

Examples
--------
>>> natural_key("run/epoch_10.pt") > natural_key("run/epoch_2.pt")
True
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from topotheory.errors import InputError

__all__ = [
    "ORDER_KEYS",
    "CheckpointSource",
    "natural_key",
    "sources_from_glob",
    "sources_from_paths",
    "sources_from_run",
]

#: The order keys of ``--glob``.
ORDER_KEYS = ("natural", "name", "mtime")
_LEVEL = re.compile(r"^level_(\d+)$")
_REPLICATE = re.compile(r"^replicate_(\d+)$")


@dataclass(frozen=True)
class CheckpointSource:
    """One checkpoint of a sweep.

    Attributes
    ----------
    position : int
        Its place in the sweep's order (0-based).
    label : str
        A short unique name (file name, ``level_3``, ``replicate_2/level_3``).
    path : str
        The file, or an open_lth level folder.
    """

    position: int
    label: str
    path: str


def natural_key(text: str) -> tuple:
    """Sort key comparing digit runs as numbers (``a2`` < ``a10``), the rest as text."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", text) if part)


def _labels(paths: Sequence[str]) -> list[str]:
    """File names when they are unique, else the shortest unique path tails."""
    parts = [Path(p).parts for p in paths]
    for depth in range(1, max((len(p) for p in parts), default=1) + 1):
        labels = ["/".join(p[-depth:]) for p in parts]
        if len(set(labels)) == len(labels):
            return labels
    return [str(p) for p in paths]


def sources_from_paths(paths: Sequence[str | os.PathLike[str]], *,
                       argument: str = "--weights") -> tuple[CheckpointSource, ...]:
    """The checkpoints as given (files or open_lth level folders), in the order given.

    Examples
    --------
    >>> [s.label for s in sources_from_paths(["a/x.pt", "b/x.pt"], argument="w")]
    ['a/x.pt', 'b/x.pt']
    """
    texts = [str(p) for p in paths]
    if not texts:
        raise InputError("needs at least one checkpoint", argument=argument, value=texts,
                         fix="give one or more checkpoint files")
    seen = [t for i, t in enumerate(texts) if t in texts[:i]]
    if seen:
        raise InputError("names a checkpoint more than once", argument=argument,
                         value=seen[0], fix="give each checkpoint once")
    return tuple(CheckpointSource(i, label, path)
                 for i, (label, path) in enumerate(zip(_labels(texts), texts, strict=True)))


def _levels(folder: Path) -> list[tuple[int, Path]]:
    found = []
    for child in folder.iterdir():
        match = _LEVEL.match(child.name)
        if match and child.is_dir():
            found.append((int(match.group(1)), child / "main" if (child / "main").is_dir()
                          else child))
    return sorted(found)


def sources_from_run(run: str | os.PathLike[str], *, argument: str = "--run"
                     ) -> tuple[CheckpointSource, ...]:
    """The level folders of an open_lth run, in order (replicate, then level).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     for k in (0, 1, 10, 2):
    ...         (pathlib.Path(d) / f"level_{k}" / "main").mkdir(parents=True)
    ...     [s.label for s in sources_from_run(d)]
    ['level_0', 'level_1', 'level_2', 'level_10']
    """
    root = Path(run)
    if not root.is_dir():
        raise InputError("is not a folder", argument=argument, value=str(run),
                         fix="give an open_lth run folder (replicate_<r>/level_<k>/main)")
    levels = _levels(root)
    found: list[tuple[str, str]] = [(f"level_{k}", str(p)) for k, p in levels]
    if not found:
        replicates = sorted((int(m.group(1)), child) for child in root.iterdir()
                            if (m := _REPLICATE.match(child.name)) and child.is_dir())
        found = [(f"replicate_{r}/level_{k}", str(p)) for r, folder in replicates
                 for k, p in _levels(folder)]
    if not found:
        raise InputError("holds no open_lth level folders (level_<k>/main) and no "
                         "replicate_<r> folders with them", argument=argument,
                         value=str(run), fix="give the replicate or lottery folder of an "
                         "open_lth run, or list the checkpoints with --weights")
    return tuple(CheckpointSource(i, label, path) for i, (label, path) in enumerate(found))


def sources_from_glob(pattern: str, *, order: str = "natural", argument: str = "--glob"
                      ) -> tuple[CheckpointSource, ...]:
    """The files ``pattern`` matches (``**`` recurses), ordered by ``order``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     for step in (10, 2, 1):
    ...         _ = (pathlib.Path(d) / f"step_{step}.pt").write_bytes(b"")
    ...     [s.label for s in sources_from_glob(f"{d}/step_*.pt")]
    ['step_1.pt', 'step_2.pt', 'step_10.pt']
    """
    if order not in ORDER_KEYS:
        raise InputError(f"is not an order key; choose one of {', '.join(ORDER_KEYS)}",
                         argument="--order-by", value=order, fix="e.g. --order-by natural")
    files = [p for p in glob.glob(pattern, recursive=True) if Path(p).is_file()]
    if not files:
        raise InputError("matches no file", argument=argument, value=pattern,
                         fix="quote the pattern so the shell does not expand it, e.g. "
                         "--glob 'run/ckpt_*.pt'")
    if order == "natural":
        files.sort(key=natural_key)
    elif order == "name":
        files.sort()
    else:
        files.sort(key=lambda p: (os.stat(p).st_mtime_ns, natural_key(p)))
    return sources_from_paths(files, argument=argument)
