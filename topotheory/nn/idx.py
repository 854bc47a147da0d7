"""MNIST IDX files: read (size-guarded), write (deterministic gzip), and checksum.

The IDX format (LeCun's MNIST page): a 4-byte magic ``00 00 TT NN`` -- ``TT`` the element
type (only ``0x08``, unsigned byte, is accepted here), ``NN`` the number of dimensions --
then ``NN`` big-endian ``uint32`` sizes, then the data in row-major order. Files may be
gzip-compressed (name ending ``.gz``).

Every size is checked **before** the data is read: the product of the header's sizes
must match the file (the file size for a plain file; the gzip trailer's ``ISIZE``, the
uncompressed size modulo 2**32, for a ``.gz`` file) and fit under the memory limit
(:func:`topotheory.limits.check_allocation`). A file whose header claims more than it
holds, or that is truncated, is refused with a ``ValueError`` naming the file. Only
regular files are opened (a FIFO, a device or a folder under an IDX file's name is
refused at once instead of blocking).

The memory a whole MNIST folder will take once loaded (:func:`mnist_load_bytes`: the
uint8 images, their one float32 copy and the labels) is checked against the limit from
the headers alone, before any data is read (:func:`check_mnist_folder`).

A folder of IDX files may carry ``checksums.json`` (as the vendored MNIST does): each
listed file's size and sha256 are verified before it is parsed (:func:`verify_checksums`).

This module needs numpy only (no torch).

Examples
--------
>>> import os, tempfile
>>> import numpy as np
>>> path = os.path.join(tempfile.mkdtemp(), "labels-idx1-ubyte.gz")
>>> write_idx(path, np.array([7, 1, 2], dtype=np.uint8))
>>> read_idx(path).tolist()
[7, 1, 2]
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import stat
import struct
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

__all__ = [
    "CHECKSUMS_NAME",
    "MNIST_FILE_NAMES",
    "VENDORED_MNIST_DIR",
    "IdxHeader",
    "check_mnist_folder",
    "check_mnist_shapes",
    "find_mnist_files",
    "file_sha256",
    "mnist_load_bytes",
    "pairs_digest",
    "read_checksums",
    "read_idx",
    "read_idx_header",
    "verify_checksums",
    "write_idx",
]

#: Name of the checksum file verified by :func:`verify_checksums`.
CHECKSUMS_NAME = "checksums.json"
#: The real MNIST digits shipped with topotheory (package data).
VENDORED_MNIST_DIR = Path(__file__).resolve().parent.parent / "data" / "mnist"
#: The four MNIST files: key -> accepted base names (each also with ``.gz``).
MNIST_FILE_NAMES: dict[str, tuple[str, ...]] = {
    "x_train": ("train-images-idx3-ubyte", "train-images.idx3-ubyte"),
    "y_train": ("train-labels-idx1-ubyte", "train-labels.idx1-ubyte"),
    "x_test": ("t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"),
    "y_test": ("t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"),
}

_UBYTE = 0x08
_REPLACE = "replace it with an intact MNIST IDX file (optionally .gz)"
#: What reading a truncated or corrupt (gzip) file raises: a bit flip in a deflate stream
#: is ``zlib.error``, which is neither an ``OSError`` nor a ``ValueError``.
_READ_ERRORS = (OSError, EOFError, gzip.BadGzipFile, zlib.error)


@dataclass(frozen=True)
class IdxHeader:
    """What an IDX header declares: the array shape and the bytes before the data."""

    dims: tuple[int, ...]
    header_bytes: int

    @property
    def data_bytes(self) -> int:
        """Bytes of data the header declares (the product of the sizes)."""
        return math.prod(self.dims)


def _name(path: Path) -> str:
    return repr(str(path))


def _is_gzip(path: Path) -> bool:
    return path.suffix == ".gz"


def _parse_header(fh: BinaryIO, path: Path) -> IdxHeader:
    head = fh.read(4)
    if len(head) < 4:
        raise ValueError(f"IDX file {_name(path)} is too short to hold a header "
                         f"({len(head)} bytes): it is truncated or not an IDX file; {_REPLACE}")
    zero, dtype_code, ndim = struct.unpack(">HBB", head)
    if zero != 0 or dtype_code != _UBYTE or ndim < 1:
        raise ValueError(
            f"IDX file {_name(path)} has a malformed header (magic {head.hex()}); "
            "expected unsigned-byte IDX data (magic 0x0000080N, N = number of dimensions); "
            f"{_REPLACE}"
        )
    dims_raw = fh.read(4 * ndim)
    if len(dims_raw) < 4 * ndim:
        raise ValueError(f"IDX file {_name(path)} is truncated inside its header; {_REPLACE}")
    return IdxHeader(tuple(struct.unpack(">" + "I" * ndim, dims_raw)), 4 + 4 * ndim)


def _gzip_isize(path: Path) -> int | None:
    """The gzip trailer's ISIZE (uncompressed size mod 2**32), or None if too short."""
    size = path.stat().st_size
    if size < 18:  # 10-byte header + 8-byte trailer
        return None
    with open(path, "rb") as raw:
        raw.seek(size - 4)
        return struct.unpack("<I", raw.read(4))[0]


def _check_declared_size(path: Path, header: IdxHeader) -> None:
    """Compare the header's declared size with what the file holds, without reading it."""
    total = header.header_bytes + header.data_bytes
    if _is_gzip(path):
        isize = _gzip_isize(path)
        if isize is None or isize != total % 2**32:
            held = "an incomplete gzip stream" if isize is None else f"{isize} bytes"
            raise ValueError(
                f"IDX file {_name(path)} declares shape {header.dims} ({total} bytes "
                f"uncompressed) but its gzip trailer says it holds {held}: the file is "
                f"truncated or does not match its header; {_REPLACE}"
            )
        return
    size = path.stat().st_size
    if size != total:
        raise ValueError(
            f"IDX file {_name(path)} declares shape {header.dims} ({total} bytes with the "
            f"header) but the file holds {size} bytes: it is truncated or does not match "
            f"its header; {_REPLACE}"
        )


def _regular(path: Path, argument: str) -> Path:
    """``path`` if it is a regular file (links followed); a FIFO, device or folder is refused
    without opening it, a missing file is ``FileNotFoundError``."""
    from topotheory.safe_input import regular_file

    if not os.path.exists(path) and not os.path.islink(path):
        raise FileNotFoundError(f"IDX file {_name(path)} does not exist")
    if os.path.islink(path) and not os.path.exists(path):
        raise ValueError(f"IDX file {_name(path)} is a broken symbolic link (to "
                         f"{os.readlink(path)!r}); point it at the MNIST IDX file or "
                         "replace it with the file")
    try:
        return regular_file(path, argument=argument, what="file")
    except ValueError as error:
        problem = getattr(error, "problem", str(error))
        raise ValueError(f"IDX file {_name(path)} {problem}; {_REPLACE}") from None


@contextmanager
def _open(path: Path, argument: str = "data_dir") -> Iterator[BinaryIO]:
    """The file's (uncompressed) bytes; only a regular file is opened, never blocking."""
    from topotheory.safe_input import open_regular

    with open_regular(path, argument=argument, what="MNIST IDX file") as raw:
        if _is_gzip(path):
            with gzip.GzipFile(fileobj=raw, mode="rb") as fh:
                yield fh  # type: ignore[misc]
        else:
            yield raw


def _wrap_read_errors(path: Path, error: BaseException) -> ValueError:
    return ValueError(
        f"IDX file {_name(path)} cannot be read ({type(error).__name__}: {error}): it is "
        f"truncated or corrupt; {_REPLACE}"
    )


def read_idx_header(path: str | Path) -> IdxHeader:
    """The shape an IDX file declares, checked against the file's size; no data is read.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the header is malformed, declares no elements, or disagrees with the file size.

    Examples
    --------
    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "x-idx3-ubyte")
    >>> write_idx(p, np.zeros((2, 3, 4), dtype=np.uint8))
    >>> read_idx_header(p).dims
    (2, 3, 4)
    """
    path = _regular(Path(path), "path")
    try:
        with _open(path) as fh:
            header = _parse_header(fh, path)
    except _READ_ERRORS as error:
        raise _wrap_read_errors(path, error) from None
    if header.data_bytes == 0:
        raise ValueError(
            f"IDX file {_name(path)} declares shape {header.dims}: no elements (0 images or "
            "labels); give a file holding at least one"
        )
    _check_declared_size(path, header)
    return header


def read_idx(path: str | Path, *, argument: str = "data_dir") -> np.ndarray:
    """Read one IDX file (optionally gzip-compressed) into a uint8 numpy array.

    The header is read and checked against the file size and the memory limit before
    any data is read (:func:`read_idx_header`).

    Parameters
    ----------
    path : str or Path
    argument : str
        The argument named by a memory-limit error (the CLI shows it as a flag).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the header or the size is malformed, or the file is truncated or corrupt.

    Examples
    --------
    >>> import tempfile, os, struct
    >>> p = os.path.join(tempfile.mkdtemp(), "labels-idx1-ubyte")
    >>> _ = open(p, "wb").write(struct.pack(">II", 0x801, 3) + bytes([7, 1, 2]))
    >>> read_idx(p).tolist()
    [7, 1, 2]
    """
    from topotheory.limits import check_allocation

    path = Path(path)
    header = read_idx_header(path)
    check_allocation(
        header.data_bytes, what=f"the IDX data of shape {header.dims}", argument=argument,
        value=str(path), fix="check the file (MNIST images are 60000x28x28 bytes)",
    )
    try:
        with _open(path) as fh:
            fh.read(header.header_bytes)
            raw = fh.read(header.data_bytes)
            extra = fh.read(1)
    except _READ_ERRORS as error:
        raise _wrap_read_errors(path, error) from None
    if len(raw) != header.data_bytes or extra:
        held = f"more than {header.data_bytes}" if extra else f"{len(raw)}"
        raise ValueError(
            f"IDX file {_name(path)} declares shape {header.dims} ({header.data_bytes} bytes)"
            f" but holds {held} bytes of data; it is truncated or does not match its header"
        )
    return np.frombuffer(raw, dtype=np.uint8).reshape(header.dims)


def write_idx(path: str | Path, array: np.ndarray) -> None:
    """Write a uint8 array as an IDX file; gzip (level 9, no name, mtime 0) for ``.gz``.

    The same array gives the same bytes (for the same zlib).

    Examples
    --------
    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "a-idx1-ubyte.gz")
    >>> write_idx(p, np.arange(5, dtype=np.uint8)); read_idx(p).tolist()
    [0, 1, 2, 3, 4]
    """
    a = np.asarray(array)
    if a.dtype != np.uint8 or a.ndim < 1 or a.ndim > 255:
        raise ValueError(f"array must be a uint8 array with 1..255 dimensions, got dtype "
                         f"{a.dtype} and shape {a.shape}")
    payload = (struct.pack(">HBB", 0, _UBYTE, a.ndim) + struct.pack(">" + "I" * a.ndim, *a.shape)
               + np.ascontiguousarray(a).tobytes())
    path = Path(path)
    if _is_gzip(path):
        payload = gzip.compress(payload, compresslevel=9, mtime=0)
    path.write_bytes(payload)


def file_sha256(path: str | Path) -> str:
    """Hex sha256 of a file's bytes.

    Examples
    --------
    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "f"); _ = open(p, "wb").write(b"abc")
    >>> file_sha256(p)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pairs_digest(images: Iterable[np.ndarray] | np.ndarray, labels: Iterable[int]) -> str:
    """Order-independent sha256 of the multiset of (image bytes, label) pairs.

    Each pair is encoded as one label byte followed by the image's bytes; the encodings
    are sorted and hashed in order. Two data sets have the same digest exactly when they
    hold the same pairs the same number of times, whatever their order or split.

    Examples
    --------
    >>> a = np.array([[1, 2], [3, 4]], dtype=np.uint8)
    >>> pairs_digest(a, [0, 1]) == pairs_digest(a[::-1], [1, 0])
    True
    >>> pairs_digest(a, [0, 1]) == pairs_digest(a, [1, 0])
    False
    """
    records = sorted(
        bytes([int(label)]) + np.ascontiguousarray(image, dtype=np.uint8).tobytes()
        for image, label in zip(images, labels, strict=True)
    )
    digest = hashlib.sha256()
    for record in records:
        digest.update(record)
    return digest.hexdigest()


def read_checksums(folder: str | Path) -> dict[str, Any] | None:
    """The parsed ``checksums.json`` of ``folder``, or None when there is none.

    Raises
    ------
    ValueError
        If the file exists but is not a JSON object with a ``"files"`` mapping.
    """
    path = Path(folder) / CHECKSUMS_NAME
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"checksum file {_name(path)} is not readable JSON ({error})") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not all(
        isinstance(v, dict) and isinstance(v.get("sha256"), str) and isinstance(v.get("bytes"), int)
        for v in files.values()
    ):
        raise ValueError(f"checksum file {_name(path)} must hold "
                         '{"files": {NAME: {"bytes": int, "sha256": hex}}}')
    return data


def verify_checksums(folder: str | Path, names: Iterable[str] | None = None) -> dict[str, Any] | None:
    """Verify size and sha256 of the files listed in ``folder/checksums.json``.

    Parameters
    ----------
    folder : str or Path
    names : iterable of str, optional
        Only these files (each must be listed); default every listed file.

    Returns
    -------
    dict or None
        The checksum record (None when the folder has no ``checksums.json``).

    Raises
    ------
    ValueError
        Naming the file: missing, of the wrong size (truncated or replaced), or with a
        different sha256.

    Examples
    --------
    >>> import tempfile
    >>> verify_checksums(tempfile.mkdtemp()) is None
    True
    """
    folder = Path(folder)
    record = read_checksums(folder)
    if record is None:
        return None
    files = record["files"]
    wanted = list(files) if names is None else list(names)
    for name in wanted:
        path = folder / name
        if name not in files:
            raise ValueError(f"file {_name(path)} is not listed in {CHECKSUMS_NAME}")
        if not path.is_file():
            raise ValueError(f"file {_name(path)} listed in {CHECKSUMS_NAME} is missing")
        size = os.stat(path).st_size
        if size != files[name]["bytes"]:
            raise ValueError(
                f"file {_name(path)} holds {size} bytes, {CHECKSUMS_NAME} records "
                f"{files[name]['bytes']}: it is truncated or was replaced; reinstall topotheory "
                "(or restore the file)"
            )
        digest = file_sha256(path)
        if digest != files[name]["sha256"]:
            raise ValueError(
                f"file {_name(path)} fails its checksum (sha256 {digest[:16]}..., "
                f"{CHECKSUMS_NAME} records {files[name]['sha256'][:16]}...): it is corrupt or "
                "was modified; reinstall topotheory (or restore the file)"
            )
    return record


def find_mnist_files(folder: str | Path) -> dict[str, Path]:
    """The four MNIST IDX files in ``folder`` (:data:`MNIST_FILE_NAMES`, plain or ``.gz``).

    Raises
    ------
    FileNotFoundError
        Naming the first missing file.

    Examples
    --------
    >>> sorted(find_mnist_files(VENDORED_MNIST_DIR))
    ['x_test', 'x_train', 'y_test', 'y_train']
    """
    folder = Path(folder)
    found = {}
    for key, bases in MNIST_FILE_NAMES.items():
        names = [folder / name for base in bases for name in (base, base + ".gz")]
        # a regular file first; else the first entry of that name (a FIFO, a folder, a
        # broken link), refused by _regular below with what it is
        hits = ([p for p in names if p.is_file() and stat.S_ISREG(p.stat().st_mode)]
                or [p for p in names if os.path.lexists(p)])
        if not hits:
            raise FileNotFoundError(
                f"no {bases[0]}[.gz] in {str(folder)!r}; --data-dir must hold the four MNIST "
                "IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, optionally .gz). topotheory "
                "downloads nothing; without them use the vendored MNIST (dataset 'mnist', no "
                "--data-dir)."
            )
        found[key] = _regular(hits[0], "data_dir")
    return found


def check_mnist_shapes(paths: dict[str, Path], dims: dict[str, tuple[int, ...]]) -> None:
    """Images ``(N, 28, 28)`` and labels ``(N,)`` per split, from the headers' shapes.

    Raises
    ------
    ValueError
        Naming the files that disagree, or images that are not 28x28.

    Examples
    --------
    >>> p = {k: Path(k) for k in MNIST_FILE_NAMES}
    >>> check_mnist_shapes(p, {"x_train": (2, 28, 28), "y_train": (2,),
    ...                        "x_test": (1, 28, 28), "y_test": (1,)})
    """
    for split in ("train", "test"):
        x, y = dims[f"x_{split}"], dims[f"y_{split}"]
        where = f"{str(paths[f'x_{split}'])!r} and {str(paths[f'y_{split}'])!r}"
        if len(x) != 3 or len(y) != 1 or x[0] != y[0]:
            raise ValueError(
                f"MNIST {split} files {where} disagree: images {x}, labels {y}; expected "
                "(N, 28, 28) images and (N,) labels"
            )
        if tuple(x[1:]) != (28, 28):
            raise ValueError(
                f"MNIST {split} images {str(paths[f'x_{split}'])!r} are {x[1]}x{x[2]}; the "
                "zoo models take 28x28 images (MNIST's size)"
            )


def mnist_load_bytes(dims: dict[str, tuple[int, ...]]) -> int:
    """Bytes a loaded MNIST set will take, from its headers' shapes.

    Per image pixel: 1 byte (the uint8 data as read) + 4 (its one float32 copy, scaled and
    standardised in place) + 1 (reserve for read buffers; measured 5.1 bytes per pixel in
    all); per label: 1 byte + 8 (int64). Exact integers: a header of 2**32-1 x 2**32-1
    images cannot overflow it.

    Examples
    --------
    >>> mnist_load_bytes({"x_train": (10, 28, 28), "y_train": (10,),
    ...                   "x_test": (5, 28, 28), "y_test": (5,)})
    70695
    """
    pixels = sum(math.prod(dims[k]) for k in ("x_train", "x_test"))
    labels = sum(math.prod(dims[k]) for k in ("y_train", "y_test"))
    return 6 * pixels + 9 * labels


def check_mnist_folder(
    folder: str | Path | None = None, *, argument: str = "data_dir"
) -> dict[str, IdxHeader]:
    """Check an MNIST folder without reading its data: checksums (when the folder has a
    ``checksums.json``; the vendored one always has), every file's kind (regular files
    only) and header against its size, and the memory the loaded set will take
    (:func:`mnist_load_bytes`) against the limit. Cheap (hashes about 1.6 MB for the
    vendored set), so commands call it before any work.

    Parameters
    ----------
    folder : path, optional
        Default: the vendored data (:data:`VENDORED_MNIST_DIR`).
    argument : str
        The argument that named ``folder``, for the messages (the CLI shows
        ``--data-dir``).

    Raises
    ------
    topotheory.errors.InputError
        For a user's ``folder``: naming ``argument``, the folder, and the missing,
        truncated, corrupt or too large file, with the fix.
    FileNotFoundError, ValueError
        For the vendored data, naming the file.

    Examples
    --------
    >>> check_mnist_folder()["x_train"].dims
    (8000, 28, 28)
    """
    from topotheory.errors import InputError

    if folder is None:
        if not (VENDORED_MNIST_DIR / CHECKSUMS_NAME).is_file():
            raise ValueError(f"the vendored MNIST folder {str(VENDORED_MNIST_DIR)!r} has no "
                             f"{CHECKSUMS_NAME}; reinstall topotheory (the data ship inside "
                             "the package)")
        return _checked_headers(VENDORED_MNIST_DIR, argument)
    try:
        return _checked_headers(Path(folder), argument)
    except InputError as error:
        if error.argument == argument:  # already names the folder (the memory limit)
            raise
        raise InputError(str(error), argument=argument, value=str(folder)) from None
    except (OSError, ValueError) as error:
        raise InputError(str(error), argument=argument, value=str(folder)) from None


def _checked_headers(folder: Path, argument: str) -> dict[str, IdxHeader]:
    from topotheory.limits import check_allocation

    paths = find_mnist_files(folder)
    verify_checksums(folder, [p.name for p in paths.values()])
    headers = {key: read_idx_header(path) for key, path in paths.items()}
    dims = {key: header.dims for key, header in headers.items()}
    check_mnist_shapes(paths, dims)
    check_allocation(
        mnist_load_bytes(dims), what=f"MNIST images {dims['x_train']} + {dims['x_test']} "
        "with their float32 copy", argument=argument, value=str(folder),
        fix="use a smaller set of IDX files",
    )
    return headers
