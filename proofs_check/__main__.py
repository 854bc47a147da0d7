"""``python -m proofs_check``: run the checks and print the verdict table."""

import sys

from proofs_check.runner import main

if __name__ == "__main__":
    sys.exit(main())
