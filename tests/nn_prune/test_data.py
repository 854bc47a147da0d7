"""Data loaders: tiny IDX files written here (size guards before reading), and the digits."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest
import torch

from topotheory.nn.data import (
    MNIST_MEAN,
    MNIST_STD,
    load_dataset,
    load_digits_mnist,
    load_mnist_idx,
    read_idx,
)


def _idx_bytes(a: np.ndarray) -> bytes:
    header = struct.pack(">HBB", 0, 0x08, a.ndim) + struct.pack(">" + "I" * a.ndim, *a.shape)
    return header + a.astype(np.uint8).tobytes()


def _write_mnist(folder, n_train=5, n_test=3, gz=False, rng_seed=0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(rng_seed)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, 28, 28)),
        "train-labels-idx1-ubyte": rng.integers(0, 10, n_train),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (n_test, 28, 28)),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, n_test),
    }
    for name, a in arrays.items():
        data = _idx_bytes(a)
        if gz:
            (folder / (name + ".gz")).write_bytes(gzip.compress(data))
        else:
            (folder / name).write_bytes(data)
    return arrays


@pytest.mark.parametrize("gz", [False, True])
def test_mnist_idx_round_trip(tmp_path, gz) -> None:
    arrays = _write_mnist(tmp_path, gz=gz)
    d = load_mnist_idx(tmp_path)
    assert tuple(d.x_train.shape) == (5, 1, 28, 28) and tuple(d.x_test.shape) == (3, 1, 28, 28)
    assert d.y_train.tolist() == arrays["train-labels-idx1-ubyte"].tolist()
    pix = arrays["t10k-images-idx3-ubyte"][2, 4, 7]
    assert d.x_test[2, 0, 4, 7].item() == pytest.approx(
        (pix / 255 - MNIST_MEAN) / MNIST_STD, rel=1e-6
    )
    assert d.y_test.dtype == torch.int64 and d.x_train.dtype == torch.float32
    assert (
        load_dataset("mnist", data_dir=tmp_path).y_test.tolist()
        == arrays["t10k-labels-idx1-ubyte"].tolist()
    )


def test_mnist_idx_missing_file_is_clear(tmp_path) -> None:
    _write_mnist(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match="t10k-labels-idx1-ubyte.*downloads nothing"):
        load_mnist_idx(tmp_path)
    with pytest.raises(ValueError, match="data_dir"):
        load_dataset("digits", data_dir=tmp_path)
    with pytest.raises(ValueError, match="choose one of"):
        load_dataset("fashion")


def test_idx_malformed(tmp_path) -> None:
    p = tmp_path / "bad"
    p.write_bytes(
        struct.pack(">HBB", 0, 0x0D, 1) + struct.pack(">I", 2) + b"\0" * 8
    )  # float32 code
    with pytest.raises(ValueError, match="malformed header"):
        read_idx(p)
    p.write_bytes(struct.pack(">HBBI", 0, 8, 1, 5) + b"\1\2")  # declares 5, holds 2
    with pytest.raises(ValueError, match="declares shape"):
        read_idx(p)
    p.write_bytes(b"\0\0")
    with pytest.raises(ValueError, match="too short"):
        read_idx(p)


def test_mnist_idx_label_image_mismatch(tmp_path) -> None:
    _write_mnist(tmp_path)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(_idx_bytes(np.zeros(4)))
    with pytest.raises(ValueError, match="disagree"):
        load_mnist_idx(tmp_path)


def test_digits_shapes_scaling_and_determinism() -> None:
    a, b, c = load_digits_mnist(seed=0), load_digits_mnist(seed=0), load_digits_mnist(seed=1)
    assert tuple(a.x_train.shape) == (1438, 1, 28, 28) and tuple(a.x_test.shape) == (359, 1, 28, 28)
    assert torch.equal(a.x_train, b.x_train) and torch.equal(a.y_test, b.y_test)
    assert not torch.equal(a.y_test, c.y_test)
    # the split is a partition of the 1,797 images: same label histogram overall
    full = torch.cat([a.y_train, a.y_test]).bincount().tolist()
    assert full == torch.cat([c.y_train, c.y_test]).bincount().tolist() and sum(full) == 1797
    # scaled like MNIST: background pixels sit at (0 - mean)/std, the maximum at (1 - mean)/std
    assert a.x_train.min().item() == pytest.approx(-MNIST_MEAN / MNIST_STD, rel=1e-6)
    assert a.x_train.max().item() <= (1 - MNIST_MEAN) / MNIST_STD + 1e-6


def test_digits_upsampling_is_bilinear_of_the_original() -> None:
    from sklearn.datasets import load_digits

    d = load_digits_mnist(seed=0, test_fraction=0.5)
    img = torch.from_numpy(load_digits().images.astype(np.float32) / 16.0)[:, None]
    ref = torch.nn.functional.interpolate(img, size=(28, 28), mode="bilinear", align_corners=False)
    ref = (ref.clamp(0, 1) - MNIST_MEAN) / MNIST_STD
    perm = np.random.default_rng(0).permutation(1797)
    assert torch.allclose(d.x_test[0], ref[perm[0]])
    with pytest.raises(ValueError, match="test_fraction"):
        load_digits_mnist(test_fraction=1.0)


# ------------------------------------------------------------------ size guards (before reading)
def test_idx_zero_images_is_refused_naming_the_file(tmp_path) -> None:
    p = tmp_path / "train-images-idx3-ubyte"
    p.write_bytes(_idx_bytes(np.zeros((0, 28, 28))))
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte.*no elements"):
        read_idx(p)


def test_idx_header_larger_than_plain_file_is_refused_before_reading(tmp_path) -> None:
    p = tmp_path / "x-idx3-ubyte"
    # claims 60000 images, holds 2: refused from the file size, nothing is read
    p.write_bytes(struct.pack(">HBB", 0, 8, 3) + struct.pack(">III", 60000, 28, 28)
                  + b"\0" * (2 * 784))
    with pytest.raises(ValueError, match=r"x-idx3-ubyte.*declares shape \(60000, 28, 28\)"
                                         r".*file holds 1584 bytes"):
        read_idx(p)


def test_idx_gzip_trailer_disagreeing_with_header_is_refused(tmp_path) -> None:
    p = tmp_path / "x-idx3-ubyte.gz"
    body = struct.pack(">HBB", 0, 8, 3) + struct.pack(">III", 1000, 28, 28) + b"\0" * 784
    p.write_bytes(gzip.compress(body))
    with pytest.raises(ValueError, match=r"gzip trailer says it holds 800 bytes"):
        read_idx(p)
    p.write_bytes(gzip.compress(body)[:-12])  # cut inside the stream
    with pytest.raises(ValueError, match="x-idx3-ubyte.gz"):
        read_idx(p)


def test_idx_bad_magic_names_the_file(tmp_path) -> None:
    p = tmp_path / "labels.gz"
    p.write_bytes(gzip.compress(b"\x1f\x8b\x08\x00" + b"\0" * 20))
    with pytest.raises(ValueError, match=r"labels\.gz.*malformed header"):
        read_idx(p)
    p.write_bytes(b"not gzip at all, just text")
    with pytest.raises(ValueError, match=r"labels\.gz"):
        read_idx(p)


def test_mnist_folder_over_the_memory_limit_is_refused_before_reading(tmp_path, capsys) -> None:
    from topotheory.limits import SizeLimitError, set_memory_limit

    _write_mnist(tmp_path, n_train=3000, n_test=10)
    set_memory_limit("4M")  # 3010 images x 784 x 6 bytes (+ labels) = 14 MB needed
    try:
        with pytest.raises(SizeLimitError, match="data_dir"):
            load_mnist_idx(tmp_path)
    finally:
        set_memory_limit(None)
    from topotheory.cli import main

    assert main(["np-grows", "--data-dir", str(tmp_path), "--max-memory", "4M", "--json"]) == 2
    assert "--max-memory" in capsys.readouterr().err


def test_mnist_images_must_be_28x28(tmp_path) -> None:
    _write_mnist(tmp_path)
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(_idx_bytes(np.zeros((3, 32, 32))))
    with pytest.raises(ValueError, match=r"t10k-images-idx3-ubyte.*32x32.*28x28"):
        load_mnist_idx(tmp_path)


def test_data_dir_of_another_size_trains_end_to_end(tmp_path, capsys) -> None:
    import json

    from topotheory.cli import main

    _write_mnist(tmp_path, n_train=70, n_test=30, gz=True)
    argv = ["prune", "--method", "imp", "--rounds", "1", "--epochs", "1", "--data-dir",
            str(tmp_path), "--json", "--quiet"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["dataset"]["name"], out["dataset"]["n_train"], out["dataset"]["n_test"]) == (
        "mnist-idx", 70, 30)
    assert str(tmp_path) in out["dataset"]["source"]
    assert [r["round"] for r in out["records"]] == [0, 1]
    assert all(0 <= r["test_acc"] <= 1 for r in out["records"])  # accuracy per pruning level
