"""Data sets that need no download: scikit-learn's digits as an MNIST stand-in, and
a reader for MNIST IDX files the user already has.

``load_digits_mnist`` turns the 1,797 real 8x8 handwritten digits bundled with
scikit-learn into 28x28 MNIST-shaped tensors:

1. pixel values ``0..16`` are divided by 16 (to ``[0, 1]``, like MNIST's ``/255``);
2. each image is upsampled 8x8 -> 28x28 with bilinear interpolation
   (``torch.nn.functional.interpolate(mode="bilinear", align_corners=False)``) and
   clamped to ``[0, 1]``;
3. standardised with MNIST's usual constants ``(x - 0.1307) / 0.3081``.

The train/test split is a seeded permutation (``numpy.random.default_rng(seed)``), so
the same seed gives the same split byte for byte.
"""

from __future__ import annotations

import gzip
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

__all__ = [
    "Dataset",
    "MNIST_MEAN",
    "MNIST_STD",
    "load_dataset",
    "load_digits_mnist",
    "load_mnist_idx",
    "read_idx",
]

MNIST_MEAN = 0.1307
MNIST_STD = 0.3081


@dataclass(frozen=True)
class Dataset:
    """Train/test tensors: images ``(N, 1, 28, 28)`` float32, labels ``(N,)`` int64."""

    name: str
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    n_classes: int = 10

    def describe(self) -> dict[str, object]:
        """JSON-able summary (name, sizes, image shape)."""
        return {
            "name": self.name,
            "n_train": int(self.x_train.shape[0]),
            "n_test": int(self.x_test.shape[0]),
            "image_shape": list(self.x_train.shape[1:]),
        }


def _standardise(x01: torch.Tensor) -> torch.Tensor:
    return ((x01 - MNIST_MEAN) / MNIST_STD).to(torch.float32)


def load_digits_mnist(*, seed: int = 0, test_fraction: float = 0.2, size: int = 28) -> Dataset:
    """scikit-learn's bundled digits, upsampled to ``size x size`` and scaled like MNIST.

    Parameters
    ----------
    seed : int
        Seed of the train/test permutation.
    test_fraction : float
        Fraction of the 1,797 images held out (``round(1797 * test_fraction)`` images).
    size : int
        Output side length (28 = MNIST).

    Examples
    --------
    >>> d = load_digits_mnist(seed=0)
    >>> tuple(d.x_train.shape), tuple(d.x_test.shape)
    ((1438, 1, 28, 28), (359, 1, 28, 28))
    """
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction={test_fraction!r} must lie strictly between 0 and 1")
    if int(size) < 8:
        raise ValueError(f"size={size!r} must be >= 8 (the digits are 8x8)")
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images = torch.from_numpy(np.asarray(bunch.images, dtype=np.float32) / 16.0)[:, None]
    up = torch.nn.functional.interpolate(
        images, size=(int(size), int(size)), mode="bilinear", align_corners=False
    ).clamp_(0.0, 1.0)
    x = _standardise(up)
    y = torch.from_numpy(np.asarray(bunch.target, dtype=np.int64))
    perm = torch.from_numpy(np.random.default_rng(seed).permutation(len(y)))
    n_test = int(round(len(y) * test_fraction))
    test, train = perm[:n_test], perm[n_test:]
    return Dataset(f"digits{size}(seed={seed})", x[train], y[train], x[test], y[test])


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file (optionally gzip-compressed) into a numpy array.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the header or the size is malformed.

    Examples
    --------
    >>> import tempfile, os, struct
    >>> p = os.path.join(tempfile.mkdtemp(), "labels-idx1-ubyte")
    >>> _ = open(p, "wb").write(struct.pack(">II", 0x801, 3) + bytes([7, 1, 2]))
    >>> read_idx(p).tolist()
    [7, 1, 2]
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"IDX file {str(path)!r} does not exist")
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as fh:
            return _read_idx_stream(fh, path)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise ValueError(f"IDX file {str(path)!r} cannot be read ({error}); check that it is "
                         "an MNIST IDX file (optionally .gz)") from None


def _read_idx_stream(fh: Any, path: Path) -> np.ndarray:
    """Header first, then exactly the declared number of bytes: a (compressed) file that
    claims or expands to more than the memory limit is refused before it is decompressed."""
    from topotheory.limits import check_allocation

    head = fh.read(4)
    if len(head) < 4:
        raise ValueError(f"IDX file {str(path)!r} is too short to hold a header")
    zero, dtype_code, ndim = struct.unpack(">HBB", head)
    if zero != 0 or dtype_code != 0x08 or ndim < 1:
        raise ValueError(
            f"IDX file {str(path)!r} has a malformed header (magic {head.hex()}); "
            "expected unsigned-byte IDX data (magic 0x0000080N)"
        )
    dims_raw = fh.read(4 * ndim)
    if len(dims_raw) < 4 * ndim:
        raise ValueError(f"IDX file {str(path)!r} is truncated inside its header")
    dims = struct.unpack(">" + "I" * ndim, dims_raw)
    expected = 1
    for d in dims:
        expected *= int(d)
    check_allocation(
        expected, what=f"the IDX data of shape {dims}", argument="data_dir", value=str(path),
        fix="check the file (MNIST images are 60000x28x28 bytes)",
    )
    raw = fh.read(expected)
    extra = fh.read(1)
    if len(raw) != expected or extra:
        held = f"{len(raw)}" if not extra else f"more than {expected}"
        raise ValueError(
            f"IDX file {str(path)!r} declares shape {dims} ({expected} bytes) but holds "
            f"{held} bytes of data"
        )
    return np.frombuffer(raw, dtype=np.uint8).reshape(dims)


_NAMES = {
    "x_train": ("train-images-idx3-ubyte", "train-images.idx3-ubyte"),
    "y_train": ("train-labels-idx1-ubyte", "train-labels.idx1-ubyte"),
    "x_test": ("t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"),
    "y_test": ("t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"),
}


def _find(data_dir: Path, key: str) -> Path:
    for base in _NAMES[key]:
        for name in (base, base + ".gz"):
            if (data_dir / name).is_file():
                return data_dir / name
    raise FileNotFoundError(
        f"no {_NAMES[key][0]}[.gz] in {str(data_dir)!r}; --data-dir must hold the four MNIST "
        "IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
        "t10k-labels-idx1-ubyte, optionally .gz). topotheory downloads nothing; without "
        "MNIST use the bundled digits (dataset 'digits')."
    )


def load_mnist_idx(data_dir: str | Path) -> Dataset:
    """MNIST from the four IDX files in ``data_dir`` (scaled ``/255`` then standardised).

    Examples
    --------
    >>> load_mnist_idx("/nonexistent")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileNotFoundError: no train-images-idx3-ubyte[.gz] in '/nonexistent'...
    """
    data_dir = Path(data_dir)
    arrays = {k: read_idx(_find(data_dir, k)) for k in _NAMES}
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.ndim != 3 or y.ndim != 1 or x.shape[0] != y.shape[0]:
            raise ValueError(
                f"MNIST {split} files disagree: images {x.shape}, labels {y.shape}; "
                "expected (N, rows, cols) images and (N,) labels"
            )
        if y.size and int(y.max()) > 9:
            raise ValueError(f"MNIST {split} labels must be 0..9, found {int(y.max())}")

    def images(a: np.ndarray) -> torch.Tensor:
        return _standardise(torch.from_numpy(a.astype(np.float32) / 255.0)[:, None])

    return Dataset(
        f"mnist({data_dir})",
        images(arrays["x_train"]),
        torch.from_numpy(arrays["y_train"].astype(np.int64)),
        images(arrays["x_test"]),
        torch.from_numpy(arrays["y_test"].astype(np.int64)),
    )


def load_dataset(
    name: str = "digits", *, seed: int = 0, data_dir: str | Path | None = None
) -> Dataset:
    """``"digits"`` (bundled, default) or ``"mnist"`` (needs ``data_dir``).

    Examples
    --------
    >>> load_dataset("digits", seed=1).x_train.shape[0]
    1438
    """
    if name == "digits":
        return load_digits_mnist(seed=seed)
    if name == "mnist":
        if data_dir is None:
            raise ValueError(
                "dataset='mnist' needs data_dir= (--data-dir) holding the MNIST IDX files; "
                "topotheory downloads nothing. Use dataset='digits' for the bundled stand-in."
            )
        return load_mnist_idx(data_dir)
    raise ValueError(f"dataset={name!r}; choose 'digits' or 'mnist'")
