"""The ``--dataset`` / ``--data-dir`` options of the trained commands (``prune`` and the
experiments) and of the trained claims (``verify``, ``python -m proofs_check``): one
declaration and one check, made before any training or check runs.

Each command keeps its own help texts; torch is not imported here.

Examples
--------
>>> p = argparse.ArgumentParser()
>>> add_data_arguments(p, dataset_help="data", data_dir_help="IDX folder")
>>> check_data_arguments(p.parse_args(["--dataset", "digits"]))
('digits', None)
"""

from __future__ import annotations

import argparse

__all__ = ["DATASETS", "DEFAULT_DATASET", "add_data_arguments", "check_data_arguments"]

#: Names accepted by :func:`topotheory.nn.data.load_dataset` (and ``--dataset``).
DATASETS: tuple[str, ...] = ("mnist", "digits")
#: The data of every trained experiment unless another is asked for.
DEFAULT_DATASET = "mnist"


def add_data_arguments(
    parser: argparse.ArgumentParser,
    *,
    dataset_help: str,
    data_dir_help: str,
    data_dir_metavar: str | None = None,
) -> None:
    """Add ``--dataset`` (one of :data:`DATASETS`, default :data:`DEFAULT_DATASET`) and ``--data-dir`` (a
    folder of MNIST IDX files, default ``None``) to ``parser``; check them with
    :func:`check_data_arguments`.

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_data_arguments(p, dataset_help="data", data_dir_help="IDX folder")
    >>> args = p.parse_args(["--dataset", "digits"])
    >>> args.dataset, args.data_dir
    ('digits', None)
    """
    parser.add_argument("--dataset", choices=DATASETS, default=DEFAULT_DATASET, help=dataset_help)
    parser.add_argument("--data-dir", metavar=data_dir_metavar, default=None,
                        help=data_dir_help)


def check_data_arguments(args: argparse.Namespace) -> tuple[str, str | None]:
    """``(dataset, data_dir)`` of :func:`add_data_arguments`' options, checked before any
    training or check runs (MNIST: checksums and headers of the files to be read).

    Raises
    ------
    topotheory.errors.InputError
        ``--data-dir`` with ``--dataset digits``, a ``--data-dir`` that is not a folder, or
        MNIST files that do not pass their checks.

    Examples
    --------
    >>> check_data_arguments(argparse.Namespace(dataset="digits", data_dir="x"))
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: --data-dir='x': is for MNIST IDX files; drop --data-dir with --dataset digits
    """
    from pathlib import Path

    from topotheory.errors import InputError

    dataset = getattr(args, "dataset", DEFAULT_DATASET)
    data_dir = getattr(args, "data_dir", None)
    if data_dir is not None:
        if dataset != "mnist":
            raise InputError("is for MNIST IDX files", argument="--data-dir", value=data_dir,
                             fix="drop --data-dir with --dataset digits")
        if not Path(data_dir).is_dir():
            raise InputError("is not a folder", argument="--data-dir", value=data_dir,
                             fix="give the folder holding the four MNIST IDX files")
    if dataset == "mnist":
        from topotheory.nn.idx import check_mnist_folder

        check_mnist_folder(data_dir)
    return dataset, data_dir
