"""``python -m topotheory`` and the ``topotheory`` command (``topotheory.__main__:main``).

Ctrl-C is exit 130 without a traceback from this module's first line on, during the
imports too (:mod:`topotheory._entry`); from then on the CLI's error boundary
(:func:`topotheory.cli.main`) takes over.
"""

import sys


def main() -> int:
    """Run the ``topotheory`` command line; return its exit status.

    Examples
    --------
    >>> import sys; saved = sys.argv, list(sys.path)
    >>> sys.argv = ["topotheory", "--version"]
    >>> main()
    topotheory 0.1.0
    0
    >>> sys.argv, sys.path[:] = saved
    """
    try:
        from topotheory._entry import run_entry

        return run_entry("topotheory.cli:main", prog="topotheory")
    except KeyboardInterrupt:  # before the CLI's own boundary (imports), or held until then
        from topotheory._entry import interrupted

        return interrupted("topotheory")


if __name__ == "__main__":
    sys.exit(main())
