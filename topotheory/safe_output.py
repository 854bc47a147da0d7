"""Output folders and files that only ever touch what topotheory wrote.

Rules, for every command that writes files:

* **Files** (:func:`validate_output_file`, :func:`atomic_write_text`): the target is a
  regular file or absent. A folder, a path ending in a separator, a symbolic link and a
  special file (a device such as ``/dev/null``, a FIFO, a socket) are refused, naming the
  argument -- topotheory never renames a file over a device node. ``-`` and
  ``/dev/stdout`` mean standard output. The file is written under a unique temporary name
  (:func:`tempfile.mkstemp`) in the target's folder and renamed into place, so a reader
  never sees half a file; a replaced file keeps its permission bits (and owner, when
  allowed). The temporary name carries the writing process (host tag, pid, start time);
  one left behind by a killed write (``SIGKILL``) is removed by the next write into that
  folder when its name is exactly ours, it is a regular file of the same user, it names
  this host, and its process no longer runs (or the pid now belongs to a process started
  later). Nothing else is touched: a file that only starts like ours, a link, a folder,
  another host's or a running writer's temporary file stay.
* **Folders** (:func:`validate_output_dir`, :func:`atomic_output_dir`): checked before any
  computation, built in a staging folder and swapped in only when the whole build
  succeeded. A manifest (:data:`MANIFEST_NAME`) lists every file topotheory wrote with its
  SHA-256. A file that is not in it, or whose content changed since, is never replaced or
  deleted: without ``force`` such a file in the way is refused (exit status 2); with
  ``force`` it is left as it is and reported, and only the rest is written. Symbolic links
  inside the folder are refused, never followed. A staging folder carries a marker naming
  its process; one left behind by a killed run (``SIGKILL``) is recognised by its name and
  marker and removed by the next run. On any exception (including ``KeyboardInterrupt``)
  the staging folder is removed and the target is left untouched; ``Ctrl-C`` during the
  short final swap is deferred until the swap is done.

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
import re
import shutil
import socket
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from topotheory._entry import signals_deferred as _sigint_deferred
from topotheory.errors import InputError, listed

__all__ = [
    "MANIFEST_NAME",
    "STAGING_MARKER",
    "atomic_output_dir",
    "atomic_write_bytes",
    "atomic_write_text",
    "is_stdout",
    "read_manifest",
    "validate_output_dir",
    "validate_output_file",
]

#: The file, inside an output folder, listing what topotheory wrote there.
MANIFEST_NAME = ".topotheory-manifest.json"
#: The file, inside a staging folder, naming the process that builds it.
STAGING_MARKER = ".topotheory-staging.json"
_STAGING_PREFIX = ".topotheory-staging-"
_STAGING_NAME = re.compile(r"\.topotheory-staging-[A-Za-z0-9_]{1,64}")
_TMP_PREFIX = ".topotheory-tmp-"
#: ``.topotheory-tmp-<host tag>-<pid>-<start time or x>-<mkstemp's random part>``.
_TMP_NAME = re.compile(
    r"\.topotheory-tmp-(?P<host>[0-9a-f]{8})-(?P<pid>[0-9]{1,10})-(?P<started>[0-9]{1,20}|x)"
    r"-[a-z0-9_]{8}"
)
_STDOUT_NAMES = ("-", "/dev/stdout")
_MAX_LISTED = 5

#: Called with ``[(relative path, reason), ...]`` when ``force`` left files in place.
LeftCallback = Callable[[list[tuple[str, str]]], None]


def _listed(names: list[str]) -> str:
    return listed(names, _MAX_LISTED)


#: What a path is, by its mode's file type (the first test that holds names it).
_NODE_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISREG, "a regular file"),
)


def _node_kind(mode: int) -> str:
    return next((kind for test, kind in _NODE_KINDS if test(mode)), "a special file")


def _lstat(path: Path | str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None


def _check_path_text(path: Any, argument: str, what: str) -> str:
    if path is None or str(path).strip() == "":
        example = "result.json" if what == "file" else "results"
        raise InputError(f"an empty path is not a {what} name", argument=argument,
                         value="" if path is None else str(path),
                         fix=f"give a {what} name, e.g. {argument} {example}")
    raw = os.fspath(path)
    if "\x00" in raw:
        raise InputError("contains a NUL byte", argument=argument, value=raw,
                         fix="give a valid path")
    return raw


# ----------------------------------------------------------------------------- files


def is_stdout(path: Any) -> bool:
    """Whether an output path means standard output (``-`` or ``/dev/stdout``).

    Examples
    --------
    >>> is_stdout("-"), is_stdout("/dev/stdout"), is_stdout("out.json")
    (True, True, False)
    """
    return isinstance(path, (str, os.PathLike)) and os.fspath(path) in _STDOUT_NAMES


def _nearest_existing(path: Path) -> Path:
    current = path
    while _lstat(current) is None:
        if current.parent == current:
            break
        current = current.parent
    return current


def _file_target(path: Any, argument: str) -> Path:
    """The absolute target of a file write, after refusing everything but a regular file
    or a free name in a writable folder."""
    raw = _check_path_text(path, argument, "file")
    if raw.endswith(("/", os.sep)) or (os.altsep and raw.endswith(os.altsep)):
        raise InputError("ends with a path separator, so it names a folder, not a file",
                         argument=argument, value=raw,
                         fix=f"give a file name, e.g. {argument} {raw}result.json")
    target = Path(os.path.abspath(os.path.expanduser(raw)))
    info = _lstat(target)
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = _node_kind(info.st_mode)
        if stat.S_ISDIR(info.st_mode):
            fix = f"give a file path, e.g. {argument} {Path(raw) / 'result.json'}"
        elif stat.S_ISLNK(info.st_mode):
            fix = (f"give the path of the file itself ({os.readlink(target)}) or a new name; "
                   "topotheory never writes through links")
        else:
            fix = "give the path of a regular file (or - for standard output)"
        raise InputError(f"is {kind}, not a regular file", argument=argument, value=raw, fix=fix)
    existing = _nearest_existing(target.parent)
    if not existing.is_dir():
        raise InputError(f"cannot create a file below {str(existing)!r}, which is not a folder",
                         argument=argument, value=raw, fix="give a path inside a folder")
    if not os.access(existing, os.W_OK | os.X_OK) or (
        info is not None and not os.access(target, os.W_OK)
    ):
        raise InputError(f"no permission to write in {str(existing)!r}", argument=argument,
                         value=raw, fix="give a path you can write to")
    return target


def validate_output_file(path: str | os.PathLike[str] | None, *, argument: str) -> Path | None:
    """Check a file to be written (before any computation); return its absolute path, or
    ``None`` when it means standard output (``-``, ``/dev/stdout``).

    Refused: an empty path, a path ending in a separator, a folder, a symbolic link, a
    special file (device, FIFO, socket), a path below a file, and a location the user
    cannot write. An existing regular file is accepted (replaced atomically at the end).

    Examples
    --------
    >>> import tempfile
    >>> validate_output_file(tempfile.mkdtemp(), argument="--json-out")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: --json-out=...: is a folder, not a regular file; ...
    >>> validate_output_file("new/", argument="--json-out")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: --json-out='new/': ends with a path separator, so it names a folder...
    >>> validate_output_file("-", argument="--json-out") is None
    True
    """
    if is_stdout(path):
        return None
    return _file_target(path, argument)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write_bytes(
    path: str | os.PathLike[str], data: bytes, *, argument: str = "path"
) -> Path | None:
    """Write ``data`` to ``path`` via a unique temporary name in the same folder and
    ``os.replace``; ``-`` or ``/dev/stdout`` write to standard output (returns ``None``).

    The target must be a regular file or absent (see :func:`validate_output_file`, checked
    again here); a replaced file keeps its permission bits and, when allowed, its owner.
    Creates missing parent folders. On any error the temporary file is removed and an
    existing ``path`` is unchanged.

    Examples
    --------
    >>> import os, tempfile, pathlib
    >>> p = atomic_write_bytes(pathlib.Path(tempfile.mkdtemp()) / "a" / "b.bin", b"xy")
    >>> p.read_bytes()
    b'xy'
    >>> os.chmod(p, 0o600); _ = atomic_write_bytes(p, b"z"); oct(p.stat().st_mode & 0o777)
    '0o600'
    """
    if is_stdout(path):
        stream = sys.stdout
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            buffer.write(data)
            buffer.flush()
        else:
            stream.write(data.decode("utf-8"))
            stream.flush()
        return None
    target = _file_target(path, argument)
    before = _lstat(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_tmp_files(target.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=_tmp_prefix(), dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if before is not None:
            os.chmod(tmp_name, stat.S_IMODE(before.st_mode))
            if (before.st_uid, before.st_gid) != (os.getuid(), os.getgid()):
                with contextlib.suppress(OSError):
                    os.chown(tmp_name, before.st_uid, before.st_gid)
        else:
            os.chmod(tmp_name, _default_mode())
        now = _lstat(target)
        if now is not None and not stat.S_ISREG(now.st_mode):  # swapped in meanwhile
            raise InputError(f"became {_node_kind(now.st_mode)} while writing",
                             argument=argument, value=str(path),
                             fix="give the path of a regular file")
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return target


def atomic_write_text(
    path: str | os.PathLike[str], text: str, *, argument: str = "path"
) -> Path | None:
    """Write UTF-8 ``text`` (``\\n`` newlines kept as given) atomically; see
    :func:`atomic_write_bytes`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = atomic_write_text(pathlib.Path(tempfile.mkdtemp()) / "r.md", "# hi\\n")
    >>> p.read_text()
    '# hi\\n'
    """
    return atomic_write_bytes(path, text.encode("utf-8"), argument=argument)


# -------------------------------------------------------------------------- manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_small_regular(path: Path, limit: int = 64 << 20) -> bytes | None:
    """The bytes of a regular file (never a FIFO or device: no blocking), else ``None``."""
    info = _lstat(path)
    if info is None or not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        return handle.read(limit + 1)


def _manifest_problem(folder: Path) -> str | None:
    """Why ``folder``'s manifest file is not a topotheory manifest (``None``: it is, or
    there is none)."""
    path = folder / MANIFEST_NAME
    info = _lstat(path)
    if info is None:
        return None
    if not stat.S_ISREG(info.st_mode):
        return f"{MANIFEST_NAME} is {_node_kind(info.st_mode)}"
    if read_manifest(folder) is None:
        return f"{MANIFEST_NAME} is not a manifest topotheory wrote"
    return None


def read_manifest(folder: str | os.PathLike[str]) -> dict[str, str] | None:
    """The files topotheory wrote in ``folder`` (relative POSIX path -> SHA-256), or
    ``None`` when ``folder`` has no readable topotheory manifest (missing, not a regular
    file, not JSON, not an object of the expected shape).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> read_manifest(d) is None
    True
    >>> _ = (d / MANIFEST_NAME).write_text("[1, 2]")
    >>> read_manifest(d) is None
    True
    """
    data = _read_small_regular(Path(folder) / MANIFEST_NAME)
    if data is None:
        return None
    try:
        body = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(body, dict) or body.get("written_by") != "topotheory":
        return None
    files = body.get("files")
    if not isinstance(files, dict):
        return None
    return {
        str(k): str(v) for k, v in files.items()
        if isinstance(k, str) and isinstance(v, str) and _safe_relative(k)
    }


def _safe_relative(name: str) -> bool:
    parts = Path(name).parts
    return (bool(parts) and not Path(name).is_absolute() and ".." not in parts
            and name not in (MANIFEST_NAME, STAGING_MARKER))


def _manifest_text(files: dict[str, str]) -> str:
    body = {"written_by": "topotheory", "files": dict(sorted(files.items()))}
    return json.dumps(body, indent=1, sort_keys=True) + "\n"


def _files_under(folder: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            rel = path.relative_to(folder).as_posix()
            if rel not in (MANIFEST_NAME, STAGING_MARKER):
                found[rel] = path
    return found


def _changed_reason(target: Path, name: str, digest: str | None) -> str | None:
    """Why topotheory may not replace ``target/name`` (``None``: it may).

    ``digest`` is the manifest's hash of the file (``None``: not in the manifest)."""
    current = target
    parts = Path(name).parts
    for part in parts[:-1]:
        current = current / part
        info = _lstat(current)
        if info is None:
            return None
        if stat.S_ISLNK(info.st_mode):
            return f"{current.relative_to(target).as_posix()} is a symbolic link"
        if not stat.S_ISDIR(info.st_mode):
            return f"{current.relative_to(target).as_posix()} is not a folder"
    info = _lstat(target / name)
    if info is None:
        return None
    if not stat.S_ISREG(info.st_mode):
        return f"is {_node_kind(info.st_mode)}"
    if digest is None:
        return "not written by topotheory"
    try:
        same = _sha256(target / name) == digest
    except OSError:
        same = False
    return None if same else "changed since topotheory wrote it"


def _changed_files(target: Path, manifest: dict[str, str]) -> list[tuple[str, str]]:
    changed = []
    for name, digest in sorted(manifest.items()):
        reason = _changed_reason(target, name, digest)
        if reason is not None:
            changed.append((name, reason))
    return changed


# ------------------------------------------------------------------------ staging


def _process_start(pid: int) -> str | None:
    """The start time of process ``pid`` (``/proc``), to tell a reused pid apart."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = text.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None


def _alive(pid: int, started: str | None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, OverflowError, ValueError):
        return False
    return started is None or _process_start(pid) in (None, started)


def _stage_owner(path: Path) -> dict[str, Any] | None:
    """The marker of a staging folder of ours, or ``None`` when ``path`` is not one."""
    if not _STAGING_NAME.fullmatch(path.name):
        return None
    info = _lstat(path)
    if info is None or not stat.S_ISDIR(info.st_mode):
        return None
    data = _read_small_regular(path / STAGING_MARKER, limit=4096)
    try:
        marker = json.loads(data.decode("utf-8")) if data is not None else None
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(marker, dict) or marker.get("written_by") != "topotheory":
        return None
    if not isinstance(marker.get("pid"), int):
        return None
    return marker


def _host_tag() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _tmp_prefix() -> str:
    """The temporary-name prefix of this process (see :data:`_TMP_NAME`)."""
    pid = os.getpid()
    return f"{_TMP_PREFIX}{_host_tag()}-{pid}-{_process_start(pid) or 'x'}-"


def _is_stale_tmp(folder: Path, name: str) -> bool:
    """Whether ``folder/name`` is a temporary file of a killed single-file write of ours."""
    match = _TMP_NAME.fullmatch(name)
    if match is None or match["host"] != _host_tag():
        return False
    info = _lstat(folder / name)
    if info is None or not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
        return False
    started = None if match["started"] == "x" else match["started"]
    return not _alive(int(match["pid"]), started)


def _remove_stale_tmp_files(folder: Path) -> list[str]:
    """Remove temporary files of killed single-file writes in ``folder``; return their
    names (see the module's rules)."""
    removed = []
    try:
        entries = sorted(n for n in os.listdir(folder) if n.startswith(_TMP_PREFIX))
    except OSError:
        return removed
    for name in entries:
        if _is_stale_tmp(folder, name):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)
                removed.append(name)
    return removed


def _is_stale_stage(path: Path) -> bool:
    marker = _stage_owner(path)
    if marker is None:
        return False
    if marker.get("host") != socket.gethostname():
        return False  # another machine's run (a shared folder): not ours to judge
    return not _alive(marker["pid"], marker.get("started"))


def _remove_stale_stages(folder: Path) -> list[str]:
    """Remove staging folders of killed topotheory runs in ``folder``; return their names."""
    removed = []
    try:
        entries = sorted(os.listdir(folder))
    except OSError:
        return removed
    for name in entries:
        path = folder / name
        if not _STAGING_NAME.fullmatch(name):
            continue
        if _is_stale_stage(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(name)
        elif _stage_owner(path) is None:
            with contextlib.suppress(OSError):  # killed before its marker: empty, or kept
                os.rmdir(path)
                removed.append(name)
    return removed


def _new_stage(parent: Path) -> Path:
    stage = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=parent))
    marker = {"written_by": "topotheory", "pid": os.getpid(), "host": socket.gethostname(),
              "started": _process_start(os.getpid())}
    (stage / STAGING_MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")
    return stage


# ------------------------------------------------------------------------ validation


def _ours(folder: Path, name: str) -> bool:
    """Entries topotheory may ignore in a folder: its manifest, staging folders (of
    running or killed runs) and temporary files."""
    if name == MANIFEST_NAME:
        return read_manifest(folder) is not None
    if name.startswith(_TMP_PREFIX):
        return True
    return _stage_owner(folder / name) is not None


def _foreign_entries(folder: Path) -> list[str]:
    """Entries of a folder without a topotheory manifest (a folder with one is ours: an
    earlier output, possibly with files the user added -- those are kept on rewrite)."""
    if read_manifest(folder) is not None:
        return []
    return [name for name in sorted(os.listdir(folder)) if not _ours(folder, name)]


def _links_inside(folder: Path) -> list[str]:
    links = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not (here == folder and _stage_owner(here / d)))
        for name in [*dirs, *files]:
            path = here / name
            if path.is_symlink():
                links.append(path.relative_to(folder).as_posix())
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
    return sorted(links)


def validate_output_dir(
    path: str | os.PathLike[str] | None, *, force: bool = False, update: bool = False,
    argument: str = "--out",
) -> Path:
    """Check an output folder before any computation; return it as an absolute path.

    Refused (:class:`~topotheory.errors.InputError`, exit status 2 on the command line):
    an empty path, a path that is a file or a special file (or below one), a location the
    user cannot write, a folder with a symbolic link inside, a non-empty folder that
    topotheory did not write (unless ``force``: then topotheory writes its files into it
    and keeps every other file), and -- for a folder with a topotheory manifest (an
    earlier output) -- files of that output changed since they were written (unless
    ``force``, which keeps them, or ``update``, which checks at the end only the files it
    rewrites).

    Parameters
    ----------
    path : path-like
        The output folder (created later by :func:`atomic_output_dir` if missing).
    force : bool
        Accept a non-empty folder that has files topotheory did not write, or changed.
    update : bool
        A partial rebuild: changed files of an earlier output are checked at the end,
        only where the rebuild writes.
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
    topotheory.errors.InputError: --out=...notes.txt': is a regular file, not a folder; ...
    """
    raw = _check_path_text(path, argument, "folder")
    target = Path(os.path.abspath(os.path.expanduser(raw)))
    info = _lstat(target)
    if info is not None and stat.S_ISLNK(info.st_mode):
        info = _lstat(target.resolve())  # the folder itself may be a link the user made
    if info is not None and not stat.S_ISDIR(info.st_mode):
        raise InputError(
            f"is {_node_kind(info.st_mode)}, not a folder", argument=argument, value=raw,
            fix=f"give a folder path (e.g. {argument} {Path(raw).stem or 'results'}-out)",
        )
    existing = _nearest_existing(target)
    if not existing.is_dir():
        raise InputError(
            f"cannot create a folder below {str(existing)!r}, which is not a folder",
            argument=argument, value=raw, fix="give a path whose parent folders are folders",
        )
    writable_dir = target if target.is_dir() else existing
    if not os.access(writable_dir, os.W_OK | os.X_OK):
        raise InputError(
            f"no permission to write in {str(writable_dir)!r}", argument=argument, value=raw,
            fix="give a folder you can write to",
        )
    if target.is_dir():
        try:
            _check_existing_folder(target, raw, force=force, update=update, argument=argument)
        except OSError as error:
            raise InputError(
                f"cannot read the folder ({error.strerror or error})", argument=argument,
                value=raw, fix="give a folder you can read and write",
            ) from None
    return target


def _check_existing_folder(
    target: Path, raw: str, *, force: bool, update: bool, argument: str
) -> None:
    links = _links_inside(target)
    if links:
        raise InputError(
            f"has symbolic links inside ({_listed(links)}); topotheory never writes through "
            "links", argument=argument, value=raw,
            fix="remove the links (or copy what they point to into the folder), or give "
            "another folder",
        )
    problem = _manifest_problem(target)
    if problem is not None:
        raise InputError(
            f"{problem}; topotheory cannot tell its own files from yours there",
            argument=argument, value=raw,
            fix=f"move {MANIFEST_NAME} away, or give a new folder",
        )
    foreign = _foreign_entries(target)
    if foreign and not force:
        raise InputError(
            f"folder is not empty and was not written by topotheory (has {_listed(foreign)})",
            argument=argument, value=raw,
            fix="give a new or empty folder, or pass --force to write into it "
            "(files topotheory did not write are kept)",
        )
    manifest = read_manifest(target)
    if manifest and not force and not update:
        changed = _changed_files(target, manifest)
        if changed:
            shown = _listed([f"{name} ({reason})" for name, reason in changed])
            raise InputError(
                f"files of an earlier output were changed since topotheory wrote them: {shown}",
                argument=argument, value=raw,
                fix="move them away, or pass --force to keep them as they are (their new "
                "versions are then not written)",
            )


# --------------------------------------------------------------------- output folder


def _prune_empty_dirs(root: Path, start: Path) -> None:
    current = start
    while current != root and root in current.parents:
        try:
            current.rmdir()
        except OSError:
            return
        current = current.parent


def _make_dirs(target: Path, relative: Path) -> None:
    """Create ``target/relative`` folder by folder, never through a link."""
    current = target
    for part in relative.parts:
        current = current / part
        info = _lstat(current)
        if info is None:
            current.mkdir()
        elif not stat.S_ISDIR(info.st_mode):
            raise InputError(f"{current} became {_node_kind(info.st_mode)} while writing",
                             argument="--out", value=str(target), fix="retry")


def _report_left(argument: str, target: Path) -> LeftCallback:
    def report(left: list[tuple[str, str]]) -> None:
        shown = _listed([f"{name} ({reason})" for name, reason in left])
        print(f"topotheory: {argument}={str(target)!r}: left {len(left)} file(s) as they are, "
              f"without writing their new versions: {shown}", file=sys.stderr)

    return report


def _commit(
    stage: Path, target: Path, *, force: bool, update: bool, argument: str,
    on_left: LeftCallback,
) -> None:
    new_files = _files_under(stage)
    new_hashes = {name: _sha256(path) for name, path in new_files.items()}
    if _lstat(target) is None:
        (stage / STAGING_MARKER).unlink()
        atomic_write_text(stage / MANIFEST_NAME, _manifest_text(new_hashes))
        os.rename(stage, target)
        return
    if _links_inside(target):
        validate_output_dir(target, force=True, update=True, argument=argument)  # raises
    problem = _manifest_problem(target)
    if problem is not None:
        raise InputError(f"{problem}", argument=argument, value=str(target),
                         fix=f"move {MANIFEST_NAME} away, or give a new folder")
    old = read_manifest(target) or {}
    blocked = {}
    for name in new_files:
        reason = _changed_reason(target, name, old.get(name))
        if reason is not None:
            blocked[name] = reason
    if blocked and not force:
        raise InputError(
            "would replace files that are not topotheory's as written: "
            + _listed([f"{n} ({r})" for n, r in sorted(blocked.items())]),
            argument=argument, value=str(target),
            fix="move those files away, or pass --force to keep them as they are (their new "
            "versions are then not written)",
        )
    written = {n: h for n, h in new_hashes.items() if n not in blocked}
    # 1. Record every file that will be ours before moving anything in, so an
    #    interrupted swap never leaves a file of ours unlisted.
    atomic_write_text(target / MANIFEST_NAME, _manifest_text({**old, **written}))
    # 2. Move each new file into place (atomic per file).
    for name in written:
        _make_dirs(target, Path(name).parent)
        os.replace(new_files[name], target / name)
    # 3. Files of the earlier output not rewritten now: removed when unchanged (kept with
    #    ``update``); a changed one is the user's now -- left, and dropped from the manifest.
    final = dict(written)
    left = sorted(blocked.items())
    for name, digest in sorted(old.items()):
        if name in written:
            continue
        if _lstat(target / name) is None:
            continue
        reason = _changed_reason(target, name, digest)
        if reason is not None:
            if name not in blocked and not update:
                left.append((name, reason))
            continue
        if update:
            final[name] = digest
            continue
        (target / name).unlink()
        _prune_empty_dirs(target, (target / name).parent)
    atomic_write_text(target / MANIFEST_NAME, _manifest_text(final))
    shutil.rmtree(stage, ignore_errors=True)
    if left:
        on_left(sorted(left))


@contextlib.contextmanager
def atomic_output_dir(
    path: str | os.PathLike[str], *, force: bool = False, update: bool = False,
    argument: str = "--out", on_left: LeftCallback | None = None,
) -> Iterator[Path]:
    """Build an output folder in a staging folder and swap it in on success.

    Parameters
    ----------
    path : path-like
        The output folder (validated with :func:`validate_output_dir`).
    force : bool
        Write into a folder that has files topotheory did not write, or changed since:
        those files are kept as they are (never replaced, never deleted) and reported
        through ``on_left``; everything else is written.
    update : bool
        Keep files of an earlier topotheory output that are not rewritten now (for
        partial rebuilds such as ``report --only``). Without it, such files are removed
        -- only when unchanged since topotheory wrote them.
    argument : str
        The option name shown in messages.
    on_left : callable, optional
        Called with ``[(relative path, reason), ...]`` for the files ``force`` left in
        place (default: one line on stderr).

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
    target = Path(os.path.abspath(os.path.expanduser(os.fspath(path))))
    for folder in (target.parent, target):
        if folder.is_dir() and not folder.is_symlink():
            _remove_stale_stages(folder)
    target = validate_output_dir(path, force=force, update=update, argument=argument)
    parent = target if target.is_dir() else target.parent
    parent.mkdir(parents=True, exist_ok=True)
    stage = _new_stage(parent)
    try:
        yield stage
        with _sigint_deferred():
            _commit(stage, target, force=force, update=update, argument=argument,
                    on_left=on_left or _report_left(argument, target))
    finally:
        if _lstat(stage) is not None:
            shutil.rmtree(stage, ignore_errors=True)
