"""``python -m proofs_check``: run the checks and print the verdict table.

Ctrl-C is exit 130 without a traceback from this module's first line on, as for
``python -m topotheory`` (:mod:`topotheory._entry`).
"""

import sys


def main() -> int:
    """Run ``python -m proofs_check``; return its exit status."""
    try:
        from topotheory._entry import run_entry

        return run_entry("proofs_check.runner:main", prog="python -m proofs_check")
    except KeyboardInterrupt:
        from topotheory._entry import interrupted

        return interrupted("python -m proofs_check")


if __name__ == "__main__":
    sys.exit(main())
