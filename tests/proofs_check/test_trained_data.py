"""The trained claims name their data set (name, sizes, source) in the verdict evidence;
``--dataset digits`` and ``--data-dir`` choose another one; bad data is exit 2 before any
check runs. (The default, the vendored MNIST, is run by test_reference_verdicts.)"""

from __future__ import annotations

import gzip
import json
import struct

import numpy as np

from proofs_check.runner import check_claim
from topotheory.cli import main


def _write_idx(folder, n_train: int, n_test: int) -> None:
    rng = np.random.default_rng(0)
    arrays = {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (n_train, 28, 28)),
        "train-labels-idx1-ubyte.gz": np.arange(n_train) % 10,
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (n_test, 28, 28)),
        "t10k-labels-idx1-ubyte.gz": np.arange(n_test) % 10,
    }
    for name, a in arrays.items():
        header = struct.pack(">HBB", 0, 8, a.ndim) + struct.pack(">" + "I" * a.ndim, *a.shape)
        (folder / name).write_bytes(gzip.compress(header + a.astype(np.uint8).tobytes()))


def test_timp_preserves_on_digits_names_its_data() -> None:
    verdict = check_claim("timp-preserves", dataset="digits")
    data = verdict.evidence["dataset"]
    assert (data["name"], data["n_train"], data["n_test"]) == ("digits", 1438, 359)
    assert "not MNIST" in data["source"]
    assert verdict.evidence["train_config"]["threads"] == 1
    assert verdict.status == "confirmed"  # T-IMP keeps every diagram, whatever the data


def test_verify_data_dir_of_another_size(tmp_path, capsys) -> None:
    _write_idx(tmp_path, 120, 40)
    argv = ["verify", "--claim", "timp-preserves", "--data-dir", str(tmp_path), "--json",
            "--quiet"]
    assert main(argv) == 0
    [row] = json.loads(capsys.readouterr().out)["claims"]
    data = row["evidence"]["dataset"]
    assert (data["name"], data["n_train"], data["n_test"]) == ("mnist-idx", 120, 40)
    assert str(tmp_path) in data["source"]


def test_verify_refuses_bad_data_options_before_checking(tmp_path, capsys) -> None:
    assert main(["verify", "--claim", "np-grows", "--dataset", "digits", "--data-dir",
                 str(tmp_path)]) == 2
    assert "--data-dir" in capsys.readouterr().err
    assert main(["verify", "--claim", "np-grows", "--data-dir", str(tmp_path / "none")]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert main(["verify", "--claim", "np-grows", "--data-dir", str(tmp_path)]) == 2
    assert "train-images-idx3-ubyte" in capsys.readouterr().err
