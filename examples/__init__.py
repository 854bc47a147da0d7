"""Examples the docs run: a checkout's root on ``sys.path`` (``python -m examples.<name>``).

They are not part of the installed package.
"""
