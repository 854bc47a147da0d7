"""Reading a user's files safely: only regular files, headers first, then the data.

* :func:`regular_file` / :func:`open_regular` refuse anything that is not a regular file
  (a FIFO, a device, a socket, a folder) with an ``os.stat`` before opening it, so a FIFO
  never blocks the command; the file is then opened non-blocking and checked again.
* :func:`check_checkpoint_file` measures what loading a checkpoint will allocate -- the
  uncompressed sizes of a zip archive's entries (torch ``.pt`` files are zip archives), the
  tensor sizes listed in a ``.safetensors`` header, the length of anything else -- and
  refuses it against the memory limit *before* torch reads it.
* :func:`check_state_tensors` refuses tensors topotheory cannot audit faithfully (complex,
  meta, sparse, quantized), naming their key.
* :func:`read_npy` never unpickles (object arrays are refused, and no message suggests
``allow_pickle``), reads the header with :mod:`numpy.lib.format` and checks the size it
claims against the file's length and the memory limit (:mod:`topotheory.limits`) before
allocating, and says clearly when the file is not a ``.npy`` array at all (a ``.npz``
archive, a torch ``.pt`` file, text).

Examples
--------
>>> import tempfile, pathlib, numpy as np
>>> path = pathlib.Path(tempfile.mkdtemp()) / "w.npy"
>>> np.save(path, np.eye(2))
>>> read_npy(path).shape
(2, 2)
>>> _ = path.write_text("1 2 3")
>>> read_npy(path)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
topotheory.errors.InputError: WEIGHTS='...w.npy': not a .npy array (no NumPy header...
"""

from __future__ import annotations

import json
import math
import os
import stat
import struct
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from topotheory.errors import InputError
from topotheory.limits import check_allocation

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "check_checkpoint_file",
    "check_state_tensors",
    "open_regular",
    "read_npy",
    "read_text_file",
    "regular_file",
]

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind_of_node(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def regular_file(path: str | os.PathLike[str], *, argument: str, what: str = "file") -> Path:
    """``path`` as a :class:`~pathlib.Path` if it names a regular file (links followed).

    Checked with ``os.stat``, without opening anything: a FIFO, a device or a socket is
    refused at once instead of blocking.

    Parameters
    ----------
    path : path-like
        The file the user named.
    argument : str
        The argument shown in messages (``--weights``, ``WEIGHTS``).
    what : str
        What the file should be, for the fix (``".npy file"``).

    Raises
    ------
    topotheory.errors.InputError
        An empty path, a missing file, a folder, or a special file.

    Examples
    --------
    >>> import os, tempfile
    >>> fifo = os.path.join(tempfile.mkdtemp(), "pipe")
    >>> os.mkfifo(fifo)
    >>> regular_file(fifo, argument="--weights")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: --weights='...pipe': is a FIFO (named pipe), not a regular file...
    """
    raw = os.fspath(path)
    if raw == "" or "\x00" in raw:
        raise InputError("is not a file name", argument=argument, value=raw,
                         fix=f"give the path of a {what}")
    try:
        info = os.stat(raw)
    except FileNotFoundError:
        raise InputError("is not a file (no such file)", argument=argument, value=raw,
                         fix="check the path") from None
    except OSError as error:
        raise InputError(f"cannot be read ({error.strerror})", argument=argument, value=raw,
                         fix="check the path and its permissions") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"is a folder, not a {what}", argument=argument, value=raw,
                         fix=f"give the path of a {what} inside it")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"is {_kind_of_node(info.st_mode)}, not a regular file",
                         argument=argument, value=raw,
                         fix=f"give the path of a {what} (topotheory reads regular files only)")
    return Path(raw)


def open_regular(path: str | os.PathLike[str], *, argument: str, what: str = "file") -> BinaryIO:
    """Open a regular file for binary reading, never blocking on a FIFO.

    :func:`regular_file` first; then the file is opened with ``O_NONBLOCK`` and checked
    again with ``fstat`` (it may have been swapped in between), and the flag is cleared.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.bin"
    >>> _ = p.write_bytes(b"xy")
    >>> with open_regular(p, argument="FILE") as handle:
    ...     handle.read()
    b'xy'
    """
    file = regular_file(path, argument=argument, what=what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(file, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise InputError(f"cannot be read ({error.strerror})", argument=argument,
                         value=os.fspath(path), fix="check the file's permissions") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise InputError(f"is {_kind_of_node(mode)}, not a regular file", argument=argument,
                         value=os.fspath(path), fix=f"give the path of a {what}")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_text_file(
    path: str | os.PathLike[str], *, argument: str, what: str = "text file",
    max_bytes: int = 64 << 20,
) -> str:
    """The UTF-8 text of a regular file of at most ``max_bytes``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.json"
    >>> _ = p.write_text("{}")
    >>> read_text_file(p, argument="--expect")
    '{}'
    """
    with open_regular(path, argument=argument, what=what) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise InputError(f"is {size:,} bytes, more than a {what} should be "
                             f"({max_bytes:,})", argument=argument, value=os.fspath(path),
                             fix=f"give the right {what}")
        data = handle.read(max_bytes + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"is not UTF-8 text (byte {error.start})", argument=argument,
                         value=os.fspath(path), fix=f"give a {what}") from None


# ------------------------------------------------------------------- checkpoints

#: safetensors caps its JSON header at 100 MB; so do we.
_SAFETENSORS_MAX_HEADER = 100_000_000
_COMPLEX_SAFETENSORS = {"C64", "C128", "COMPLEX64", "COMPLEX128"}


def _zip_sizes(file: Path, argument: str) -> int:
    try:
        with zipfile.ZipFile(file) as archive:
            return sum(max(info.file_size, 0) for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise InputError(f"is a damaged zip archive ({str(error)[:100]})", argument=argument,
                         value=str(file), fix="save the checkpoint again") from None


def _safetensors_sizes(file: Path, argument: str, size: int) -> int:
    fix = "save the weights again with safetensors.torch.save_file(state_dict, PATH)"

    def damaged(why: str) -> InputError:
        return InputError(f"is not a readable safetensors file ({why})", argument=argument,
                          value=str(file), fix=fix)

    with open_regular(file, argument=argument, what="checkpoint") as handle:
        head = handle.read(8)
        if len(head) < 8:
            raise damaged(f"{size} bytes, shorter than its 8-byte header length")
        (length,) = struct.unpack("<Q", head)
        if length > min(size - 8, _SAFETENSORS_MAX_HEADER):
            raise damaged(f"its header claims {length:,} bytes in a file of {size:,}")
        try:
            header = json.loads(handle.read(length))
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise damaged("its header is not JSON") from None
    if not isinstance(header, dict):
        raise damaged("its header is not an object")
    total, data_size = 0, size - 8 - length
    for key, entry in header.items():
        if key == "__metadata__":
            continue
        offsets = entry.get("data_offsets") if isinstance(entry, dict) else None
        if not (isinstance(offsets, list) and len(offsets) == 2
                and all(isinstance(x, int) and 0 <= x <= data_size for x in offsets)
                and offsets[0] <= offsets[1]):
            raise damaged(f"tensor {key!r} lies outside the file's data: data_offsets "
                          f"{offsets!r}, {data_size:,} bytes of data")
        if str(entry.get("dtype", "")).upper() in _COMPLEX_SAFETENSORS:
            raise _refused(key, "complex", argument, str(file))
        total += offsets[1] - offsets[0]
    return total


def check_checkpoint_file(path: str | os.PathLike[str], *, argument: str = "--weights") -> Path:
    """Refuse a checkpoint whose tensors would need more memory than the limit, before
    anything reads it.

    Measured from the file's own metadata, not its length: a zip archive (a torch ``.pt``
    file) by the sum of its entries' uncompressed sizes, so a 1 MB archive of compressed
    zeros that inflates to 1 GiB is refused; a ``.safetensors`` file by the byte ranges its
    header lists (checked against the file's length); any other file (an old-style torch
    pickle) by its length. Only regular files are accepted.

    Parameters
    ----------
    path : path-like
        The checkpoint.
    argument : str
        The argument shown in messages.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    topotheory.errors.InputError
        Not a regular file, a damaged archive or header, or more than the memory limit
        (:mod:`topotheory.limits`).

    Examples
    --------
    >>> import tempfile, zipfile, pathlib
    >>> from topotheory.limits import set_memory_limit
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "w.pt"
    >>> with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("archive/data/0", bytes(8 << 20))  # 8 MiB of zeros, a few KB on disk
    >>> set_memory_limit("4M")
    >>> check_checkpoint_file(p)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    topotheory.limits.SizeLimitError: --weights=...: the tensors stored in the checkpoint would need 8.0 MiB...
    >>> set_memory_limit(None)
    """
    file = regular_file(path, argument=argument, what="checkpoint")
    size = file.stat().st_size
    with open_regular(file, argument=argument, what="checkpoint") as handle:
        magic = handle.read(4)
    if magic == b"PK\x03\x04":
        needed = _zip_sizes(file, argument)
    elif file.suffix.lower() == ".safetensors":
        needed = _safetensors_sizes(file, argument, size)
    else:
        needed = size
    check_allocation(needed, what="the tensors stored in the checkpoint", argument=argument,
                     value=str(path), fix="give a smaller checkpoint")
    return file


def _refused(key: str, kind: str, argument: str, value: str) -> InputError:
    fixes = {
        "complex": "topotheory measures real weights: save the real part or the magnitude "
        "(tensor.real / tensor.abs())",
        "meta": "a meta tensor holds no values: save the trained weights, not a model built on "
        "the meta device",
        "sparse": "save it dense (tensor.to_dense())",
        "quantized": "save it dequantized (tensor.dequantize())",
    }
    return InputError(f"holds a {kind} tensor under key {key!r}, which topotheory does not "
                      "audit", argument=argument, value=value, fix=fixes[kind])


def check_state_tensors(
    state: Mapping[str, Any], *, argument: str = "--weights", value: Any = "state dict"
) -> None:
    """Refuse complex, meta, sparse and quantized tensors, naming the first one's key.

    Loading such a tensor into a real, dense model would drop its imaginary part, fail, or
    measure something else than the weights; topotheory says so instead. Tensors are
    inspected through their attributes (no torch import here).

    Examples
    --------
    >>> import torch
    >>> check_state_tensors({"w": torch.ones(2)})
    >>> check_state_tensors({"w": torch.ones(2, dtype=torch.complex64)})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: --weights='state dict': holds a complex tensor under key 'w'...
    """
    for key, tensor in state.items():
        if not hasattr(tensor, "is_complex"):
            continue
        if tensor.is_complex():
            raise _refused(str(key), "complex", argument, value)
        if getattr(getattr(tensor, "device", None), "type", "") == "meta":
            raise _refused(str(key), "meta", argument, value)
        if str(getattr(tensor, "layout", "torch.strided")) != "torch.strided":
            raise _refused(str(key), "sparse", argument, value)
        if getattr(tensor, "is_quantized", False):
            raise _refused(str(key), "quantized", argument, value)


# -------------------------------------------------------------------------- npy

_NPY_MAGIC = b"\x93NUMPY"
#: numpy's arrays are indexed by a signed 64-bit integer.
_MAX_DIMENSION = (1 << 63) - 1
_SAVE_HINT = "save one array with numpy.save(path, array) (a float matrix of shape (m_out, n_in))"


def _kind_of(head: bytes) -> str:
    if head.startswith(b"PK"):
        return "a zip archive (a .npz file or a torch .pt file)"
    if head.startswith(b"\x80"):
        return "a pickle file"
    if not head:
        return "an empty file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "a binary file without a NumPy header"
    return "a text file"


def read_npy(path: str | os.PathLike[str], *, argument: str = "WEIGHTS") -> np.ndarray:
    """Load one array from a ``.npy`` file, refusing anything unsafe or too large.

    Parameters
    ----------
    path : path-like
        The ``.npy`` file.
    argument : str
        Argument name shown in messages.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    topotheory.errors.InputError
        Missing, unreadable, special (FIFO, device), empty, truncated or non-``.npy``
        files, impossible shapes, object dtypes, and
        arrays larger than the memory limit (checked from the header, before reading).
    """
    import numpy as np

    raw = os.fspath(path)
    file = Path(raw)
    handle = open_regular(raw, argument=argument, what=".npy file")
    with handle:
        head = handle.read(len(_NPY_MAGIC))
        if head != _NPY_MAGIC:
            raise InputError(
                f"not a .npy array (no NumPy header: {_kind_of(head)})",
                argument=argument, value=raw, fix=_SAVE_HINT,
            )
        handle.seek(0)
        try:
            version = np.lib.format.read_magic(handle)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(handle)
            elif version in ((2, 0), (3, 0)):
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(handle)
            else:  # pragma: no cover - future numpy formats
                raise ValueError(f"unsupported .npy version {version}")
        except Exception as error:  # noqa: BLE001 - numpy's header parser on damaged bytes
            # raises ValueError, SyntaxError, tokenize.TokenError, MemoryError, ...: all mean
            # the same thing here
            text = (str(error).splitlines() or [type(error).__name__])[0][:100]
            raise InputError(
                f"not a .npy array (damaged header: {text})",
                argument=argument, value=raw, fix=_SAVE_HINT,
            ) from None
        if dtype.hasobject:
            raise InputError(
                "holds Python objects (dtype object), which topotheory never loads",
                argument=argument, value=raw,
                fix="save a numeric array, e.g. numpy.save(path, weights.astype(float))",
            )
        # Exact integers: a shape such as (0, 10**30) holds no data but cannot be an array.
        if any(not isinstance(d, int) or d < 0 or d > _MAX_DIMENSION for d in shape):
            raise InputError(
                f"not a .npy array (its header's shape {shape!r} has a dimension no array "
                "can have)", argument=argument, value=raw, fix=_SAVE_HINT,
            )
        if math.prod(d for d in shape if d) > _MAX_DIMENSION:
            raise InputError(
                f"not a .npy array (its header's shape {shape!r} has more elements than any "
                "array can have)", argument=argument, value=raw, fix=_SAVE_HINT,
            )
        count = math.prod(shape)
        nbytes = count * dtype.itemsize
        check_allocation(
            nbytes, what=f"the {'x'.join(map(str, shape))} {dtype} array in the file",
            argument=argument, value=raw, fix="give a smaller array",
        )
        data_offset = handle.tell()
        available = file.stat().st_size - data_offset
        if available < nbytes:
            raise InputError(
                f"is truncated: its header says {nbytes:,} bytes of data, the file holds "
                f"{available:,}",
                argument=argument, value=raw, fix="save the array again",
            )
        handle.seek(0)
        try:
            array = np.load(handle, allow_pickle=False)
        except (ValueError, EOFError, OSError) as error:
            raise InputError(
                f"not a readable .npy array ({str(error).splitlines()[0][:100]})",
                argument=argument, value=raw, fix=_SAVE_HINT,
            ) from None
    return array
