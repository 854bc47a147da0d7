"""Reading a user's ``.npy`` file safely: header first, then the data.

:func:`read_npy` never unpickles (object arrays are refused, and no message suggests
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

import math
import os
from pathlib import Path

import numpy as np

from topotheory.errors import InputError
from topotheory.limits import check_allocation

__all__ = ["read_npy"]

_NPY_MAGIC = b"\x93NUMPY"
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
        Missing, unreadable, empty, truncated or non-``.npy`` files, object dtypes, and
        arrays larger than the memory limit (checked from the header, before reading).
    """
    raw = os.fspath(path)
    file = Path(raw)
    if raw == "":
        raise InputError("empty path", argument=argument, value=raw, fix="give a .npy file")
    if not file.exists():
        raise InputError("no such file", argument=argument, value=raw, fix="check the path")
    if file.is_dir():
        raise InputError("is a folder, not a .npy file", argument=argument, value=raw,
                         fix="give the path of a .npy file inside it")
    try:
        handle = open(file, "rb")  # noqa: SIM115 - closed below
    except OSError as error:
        raise InputError(f"cannot be read ({error.strerror})", argument=argument, value=raw,
                         fix="check the file's permissions") from None
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
        except (ValueError, SyntaxError, EOFError, OverflowError) as error:
            raise InputError(
                f"not a .npy array (damaged header: {str(error).splitlines()[0][:100]})",
                argument=argument, value=raw, fix=_SAVE_HINT,
            ) from None
        if dtype.hasobject:
            raise InputError(
                "holds Python objects (dtype object), which topotheory never loads",
                argument=argument, value=raw,
                fix="save a numeric array, e.g. numpy.save(path, weights.astype(float))",
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
