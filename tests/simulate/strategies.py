"""Hypothesis strategies shared by the simulate tests."""

from hypothesis import strategies as st


@st.composite
def shapes_and_k(draw):
    """A small dense shape ``(n, m)`` (sides 1..4) and a top-k size ``1 <= k <= n m``."""
    n = draw(st.integers(1, 4))
    m = draw(st.integers(1, 4))
    return n, m, draw(st.integers(1, n * m))
