"""``python -m topotheory``: the same as the ``topotheory`` command."""

import sys

from topotheory.user_code import drop_working_folder_from_front

drop_working_folder_from_front()  # a numpy.py in the working folder must not shadow numpy

from topotheory.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
