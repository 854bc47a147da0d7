"""``python -m topotheory``: the same as the ``topotheory`` command."""

import sys

from topotheory.cli import main

if __name__ == "__main__":
    sys.exit(main())
