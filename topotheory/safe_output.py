"""Output folders and files that never lose data.

Rules, for every command that writes files:

* :func:`validate_output_dir` is called **before** any computation: it refuses an empty
  path, a path that is a file, a location that cannot be written, and a non-empty folder
  that topotheory did not write (unless ``force``).
* :func:`atomic_output_dir` builds the output in a temporary staging folder and swaps it in
  only when the whole build succeeded. A manifest (:data:`MANIFEST_NAME`) lists every file
  topotheory wrote with its SHA-256; the tool only ever deletes a file that the manifest
  lists *and* whose content is unchanged, so files the tool did not write are never
  deleted. On any exception (including ``KeyboardInterrupt``) the staging folder is removed
  and the target is left untouched. ``Ctrl-C`` during the short final swap is deferred
  until the swap is done.
* :func:`atomic_write_text` / :func:`atomic_write_bytes` write one file under a temporary
  name and rename it into place (``os.replace``), so a reader never sees half a file.

Examples
--------
>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> out = validate_output_dir(root / "run")
>>> with atomic_output_dir(out) as stage:
...     _ = (stage / "result.json").write_text("{}")
>>> sorted(p.name for p in out.iterdir())
['.topotheory-manifest.json', 'result.json']
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from topotheory.errors import InputError

__all__ = [
    "MANIFEST_NAME",
    "atomic_output_dir",
    "atomic_write_bytes",
    "atomic_write_text",
    "read_manifest",
    "validate_output_dir",
]

#: The file, inside an output folder, listing what topotheory wrote there.
MANIFEST_NAME = ".topotheory-manifest.json"
_STAGING_PREFIX = ".topotheory-staging-"
_TMP_PREFIX = ".topotheory-tmp-"


# ----------------------------------------------------------------------------- files


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary name in the same folder and ``os.replace``.

    Creates missing parent folders. On any error the temporary file is removed and an
    existing ``path`` is unchanged.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = atomic_write_bytes(pathlib.Path(tempfile.mkdtemp()) / "a" / "b.bin", b"xy")
    >>> p.read_bytes()
    b'xy'
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, _default_mode())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return target


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 ``text`` (``\\n`` newlines kept as given) atomically; see
    :func:`atomic_write_bytes`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = atomic_write_text(pathlib.Path(tempfile.mkdtemp()) / "r.md", "# hi\\n")
    >>> p.read_text()
    '# hi\\n'
    """
    return atomic_write_bytes(path, text.encode("utf-8"))


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


# -------------------------------------------------------------------------- manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(folder: str | os.PathLike[str]) -> dict[str, str] | None:
    """The files topotheory wrote in ``folder`` (relative POSIX path -> SHA-256), or
    ``None`` when ``folder`` has no readable manifest.

    Examples
    --------
    >>> import tempfile
    >>> read_manifest(tempfile.mkdtemp()) is None
    True
    """
    path = Path(folder) / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if data.get("written_by") != "topotheory" or not isinstance(files, dict):
        return None
    return {str(k): str(v) for k, v in files.items() if _safe_relative(str(k))}


def _safe_relative(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def _manifest_text(files: dict[str, str]) -> str:
    body = {"written_by": "topotheory", "files": dict(sorted(files.items()))}
    return json.dumps(body, indent=1, sort_keys=True) + "\n"


def _files_under(folder: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() or path.is_symlink():
            found[path.relative_to(folder).as_posix()] = path
    return found


# ------------------------------------------------------------------------ validation


def _nearest_existing(path: Path) -> Path:
    current = path
    while not current.exists() and not current.is_symlink():
        if current.parent == current:
            break
        current = current.parent
    return current


def _foreign_entries(folder: Path) -> list[str]:
    """Entries of a folder without a topotheory manifest (a folder with one is ours: an
    earlier output, possibly with files the user added -- those are kept on rewrite)."""
    if read_manifest(folder) is not None:
        return []
    return [
        entry.name
        for entry in sorted(folder.iterdir())
        if not entry.name.startswith((_STAGING_PREFIX, _TMP_PREFIX))
    ]


def validate_output_dir(
    path: str | os.PathLike[str] | None, *, force: bool = False, argument: str = "--out"
) -> Path:
    """Check an output folder before any computation; return it as an absolute path.

    Refused (:class:`~topotheory.errors.InputError`, exit status 2 on the command line):
    an empty path, a path that is a file (or below a file), a location the user cannot
    write, and a non-empty folder that topotheory did not write -- unless ``force``, with
    which topotheory writes its files into it and keeps every other file. A folder with a
    topotheory manifest (an earlier output) is accepted; files the user added there are
    kept.

    Parameters
    ----------
    path : path-like
        The output folder (created later by :func:`atomic_output_dir` if missing).
    force : bool
        Accept a non-empty folder that has files topotheory did not write.
    argument : str
        The option name shown in messages.

    Returns
    -------
    pathlib.Path
        The absolute path of the folder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "notes.txt").write_text("mine")
    >>> validate_output_dir(root / "new").name
    'new'
    >>> validate_output_dir(root)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: --out=...: folder is not empty and was not written by ...
    >>> validate_output_dir(root / "notes.txt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: --out=...notes.txt': is a file, not a folder; ...
    """
    if path is None or str(path).strip() == "":
        raise InputError(
            "an empty path is not an output folder",
            argument=argument,
            value="" if path is None else str(path),
            fix=f"give a folder name, e.g. {argument} results",
        )
    raw = str(path)
    if "\x00" in raw:
        raise InputError("contains a NUL byte", argument=argument, value=raw, fix="give a valid path")
    target = Path(os.path.abspath(os.path.expanduser(raw)))
    if target.exists() and not target.is_dir():
        raise InputError(
            "is a file, not a folder",
            argument=argument,
            value=raw,
            fix=f"give a folder path (e.g. {argument} {Path(raw).stem or 'results'}-out)",
        )
    existing = _nearest_existing(target)
    if not existing.is_dir():
        raise InputError(
            f"cannot create a folder below {str(existing)!r}, which is a file",
            argument=argument,
            value=raw,
            fix="give a path whose parent folders are folders",
        )
    writable_dir = target if target.is_dir() else existing
    if not os.access(writable_dir, os.W_OK | os.X_OK):
        raise InputError(
            f"no permission to write in {str(writable_dir)!r}",
            argument=argument,
            value=raw,
            fix="give a folder you can write to",
        )
    if target.is_dir():
        try:
            foreign = _foreign_entries(target)
        except OSError as error:
            raise InputError(
                f"cannot read the folder ({error.strerror or error})",
                argument=argument,
                value=raw,
                fix="give a folder you can read and write",
            ) from None
        if foreign and not force:
            shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
            raise InputError(
                f"folder is not empty and was not written by topotheory (has {shown})",
                argument=argument,
                value=raw,
                fix="give a new or empty folder, or pass --force to write into it "
                "(files topotheory did not write are kept)",
            )
    return target


# --------------------------------------------------------------------- output folder


@contextlib.contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Defer SIGINT/SIGTERM during a short critical section (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[tuple[int, Any]] = []
    previous = {}

    def _hold(signum: int, frame: Any) -> None:
        received.append((signum, frame))

    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            previous[sig] = signal.signal(sig, _hold)
        except (ValueError, OSError):  # pragma: no cover - not in the main interpreter
            pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum, frame in received[:1]:
            handler = previous.get(signum)
            if callable(handler):
                handler(signum, frame)
            elif signum == signal.SIGINT and handler == signal.default_int_handler:
                raise KeyboardInterrupt


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _prune_empty_dirs(root: Path, start: Path) -> None:
    current = start
    while current != root and root in current.parents:
        try:
            current.rmdir()
        except OSError:
            return
        current = current.parent


def _commit(stage: Path, target: Path, *, force: bool, update: bool) -> None:
    new_files = {
        name: path for name, path in _files_under(stage).items() if name != MANIFEST_NAME
    }
    new_hashes = {name: _sha256(path) for name, path in new_files.items()}
    if not target.exists():
        atomic_write_text(stage / MANIFEST_NAME, _manifest_text(new_hashes))
        os.replace(stage, target)
        return
    old = read_manifest(target) or {}
    conflicts = [
        name
        for name in new_files
        if name not in old and ((target / name).exists() or (target / name).is_symlink())
    ]
    if conflicts and not force:
        shown = ", ".join(conflicts[:3]) + (", ..." if len(conflicts) > 3 else "")
        raise InputError(
            f"would overwrite files topotheory did not write ({shown})",
            argument="--out",
            value=str(target),
            fix="move those files away, or pass --force to overwrite them",
        )
    # 1. Record every file that will be ours before moving anything in, so an
    #    interrupted swap never leaves a file of ours unlisted.
    union = dict(old)
    union.update(new_hashes)
    atomic_write_text(target / MANIFEST_NAME, _manifest_text(union))
    # 2. Move each new file into place (atomic per file).
    for name, path in new_files.items():
        destination = target / name
        if destination.is_dir() and not destination.is_symlink():
            raise InputError(
                f"{name!r} is a folder in the output, where a file is to be written",
                argument="--out",
                value=str(target),
                fix="move that folder away",
            )
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, destination)
    # 3. Without ``update``: remove files of the earlier output that were not
    #    rewritten now, but only if they are unchanged since topotheory wrote them.
    final = dict(new_hashes)
    for name, digest in sorted(old.items()):
        if name in new_hashes:
            continue
        path = target / name
        if not path.is_file() or path.is_symlink():
            continue
        if update:
            final[name] = digest
            continue
        try:
            unchanged = _sha256(path) == digest
        except OSError:
            unchanged = False
        if unchanged:
            path.unlink()
            _prune_empty_dirs(target, path.parent)
    atomic_write_text(target / MANIFEST_NAME, _manifest_text(final))
    _remove_tree(stage)


@contextlib.contextmanager
def atomic_output_dir(
    path: str | os.PathLike[str], *, force: bool = False, update: bool = False
) -> Iterator[Path]:
    """Build an output folder in a staging folder and swap it in on success.

    Parameters
    ----------
    path : path-like
        The output folder (validated with :func:`validate_output_dir`).
    force : bool
        Write into a folder that has files topotheory did not write (those are kept),
        and overwrite such files when they have the name of an output file.
    update : bool
        Keep files of an earlier topotheory output that are not rewritten now (for
        partial rebuilds such as ``report --only``). Without it, such files are removed
        -- only when unchanged since topotheory wrote them.

    Yields
    ------
    pathlib.Path
        The staging folder: write every output file below it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "r"
    >>> with atomic_output_dir(out) as stage:
    ...     _ = (stage / "a.csv").write_text("1\\n")
    >>> with atomic_output_dir(out) as stage:
    ...     _ = (stage / "b.csv").write_text("2\\n")
    >>> sorted(p.name for p in out.iterdir())  # a.csv was ours and unchanged: removed
    ['.topotheory-manifest.json', 'b.csv']
    >>> try:
    ...     with atomic_output_dir(out) as stage:
    ...         _ = (stage / "c.csv").write_text("3\\n")
    ...         raise KeyboardInterrupt
    ... except KeyboardInterrupt:
    ...     pass
    >>> sorted(p.name for p in out.iterdir())  # untouched
    ['.topotheory-manifest.json', 'b.csv']
    """
    target = validate_output_dir(path, force=force)
    parent = target if target.is_dir() else target.parent
    parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=parent))
    try:
        yield stage
        with _sigint_deferred():
            _commit(stage, target, force=force, update=update)
    finally:
        if stage.exists():
            _remove_tree(stage)

