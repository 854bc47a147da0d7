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


def test_expect_refuses_a_file_recorded_on_another_dataset(tmp_path, capsys) -> None:
    out = tmp_path / "digits.json"
    assert main(["verify", "--claim", "tables-mnist-layers", "--dataset", "digits",
                 "--json-out", str(out), "--quiet"]) == 0
    assert json.loads(out.read_text())["provenance"]["dataset"] == "digits"
    assert main(["verify", "--claim", "tables-mnist-layers", "--expect", str(out),
                 "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "--dataset digits" in err and "--dataset mnist" in err
    assert main(["verify", "--claim", "tables-mnist-layers", "--expect", str(out),
                 "--dataset", "digits", "--quiet"]) == 0


def test_np_grows_on_a_tiny_idx_folder_is_inconclusive_not_a_crash(tmp_path, capsys) -> None:
    """120 training images are 6 optimizer steps: NP is measured at step 0 only, so there is
    no rise; every reading says so (it used to divide by a zero rise)."""
    _write_idx(tmp_path, 120, 40)
    assert main(["verify", "--claim", "np-grows", "--data-dir", str(tmp_path), "--json",
                 "--quiet"]) == 0
    rows = json.loads(capsys.readouterr().out)["claims"]
    assert len(rows) == 9
    for row in rows:
        assert row["status"] == "inconclusive", row["variant"]
        assert "step 0 only" in row["evidence"]["reason"]


def _fake_controls(real_rises):
    from topotheory.nn.controls import ArmNp, NpGrowsControls, seed_interval

    seeds = tuple(range(len(real_rises)))

    def arm(name, rises):
        iv = seed_interval(rises)
        return ArmNp(name, name, seeds, (1.0,) * len(seeds), tuple(1 + r for r in rises),
                     tuple(rises), (0.9,) * len(seeds), iv, iv)

    return NpGrowsControls({"real": arm("real", real_rises),
                            "shuffled_labels": arm("shuffled_labels", [1.0] * len(seeds)),
                            "random_inputs": arm("random_inputs", [0.5] * len(seeds))},
                           seeds, 0.95, "fake", {}, {})


def test_share_is_undefined_when_a_real_rise_is_not_positive(monkeypatch) -> None:
    from proofs_check.claims import np_grows

    monkeypatch.setattr(np_grows, "controls",
                        lambda ctx, setup, seeds: _fake_controls([5.0, -1.0, 4.0, 6.0]))
    share = check_claim("np-grows", variant="mostly_learning_adam")
    assert share.status == "inconclusive"
    assert "undefined" in share.evidence["reason"] and "seed(s) [1]" in share.evidence["reason"]
    assert share.evidence["design"]["threshold"] == 0.5  # the design is shown all the same
    effect = check_claim("np-grows", variant="beyond_controls_adam")
    assert effect.status in ("confirmed", "refuted", "inconclusive")
    assert effect.evidence["per_seed"] == [4.0, -2.0, 3.0, 5.0]
