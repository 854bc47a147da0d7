"""A long value in a message is cut in the middle: a long path keeps its file name."""

from __future__ import annotations

from topotheory import cli
from topotheory.errors import InputError, shorten


def test_a_long_missing_path_keeps_its_file_name(tmp_path, capsys):
    folder = tmp_path.joinpath(*["a_rather_long_folder_name"] * 6)
    path = folder / "weights_epoch_12_final.npy"
    assert len(repr(str(path))) > 80
    assert cli.main(["np", str(path)]) == 2
    message = capsys.readouterr().err.strip()
    assert "weights_epoch_12_final.npy'" in message and "..." in message
    assert str(tmp_path)[:20] in message  # the start stays too
    shown = message.split("=", 1)[1].split(": is not a file", 1)[0]
    assert len(shown) == 80


def test_the_cut_keeps_both_ends_within_the_width():
    text = "'" + "x" * 90 + "/name.npy'"
    for width in (5, 40, 80):
        cut = shorten(text, width)
        tail = (width - 3) // 2
        assert len(cut) == width and "..." in cut
        assert cut == text[: width - 3 - tail] + "..." + text[len(text) - tail:]
    assert shorten(text, len(text)) == text
    error = InputError("is not a file", argument="path", value="/d/" + "x" * 100 + "/w.npy")
    assert str(error).startswith("path='/d/xxx") and "x/w.npy':" in str(error)


def test_a_long_size_is_shown_cut_with_its_length(capsys):
    assert cli.main(["--max-memory", "9" * 50 + "Q", "np", "w.npy"]) == 2
    err = capsys.readouterr().err
    assert "'" + "9" * 18 + "..." + "9" * 16 + "Q' (51 characters)" in err
