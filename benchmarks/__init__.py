"""Benchmarks: run on demand from a checkout's root (``python -m benchmarks.<name>``), never in CI.

They are not part of the installed package; each prints its numbers (as same-run ratios
where a speed target is checked) and the docs quote them.
"""
