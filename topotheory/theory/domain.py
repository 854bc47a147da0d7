"""Where the conv formula of Theorem 3.2 can hold: connectivity of the Toeplitz graph.

The Toeplitz graph of one channel pair joins output position ``o`` to every padded input
position it reads. It is the "axis product" of one 1-D graph per spatial axis, and it is
connected exactly when every axis graph is connected (paths of equal parity can be
padded with back-and-forth steps). Only then does its MST have ``N_in + N_out - 1``
edges, i.e. only then does ``prod(k) N_out / (N_in + N_out - 1)`` equal ``|E|/|MST|``.

Closed-form rule for one axis (padded length ``N = i + 2p``, ``o`` outputs), derived
here and checked against :func:`axis_components` by the tests:

* ``k = 1``: connected iff ``N = 1``;
* ``k >= 2`` and dilation ``d >= 2``: never connected (position 1 is read only when
  ``s = 1``, and with ``s = 1`` positions split into residue classes mod ``d``);
* ``k >= 2``, ``d = 1``: connected iff ``o = 1`` and ``N = k``, or ``s <= k - 1`` and
  ``(N - k)`` is a multiple of ``s`` (consecutive windows overlap and the last window
  ends at the last position).

Pure Python; no numpy.
"""

from __future__ import annotations

from collections.abc import Sequence

from topotheory.theory.conv_axis import disconnection_reason, padded_output_length
from topotheory.theory.union_find import UnionFind

__all__ = ["axis_components", "conv_axis_connected_rule", "conv_connected_rule"]


def _output_len(size: int, kernel: int, stride: int, padding: int, dilation: int) -> int:
    return padded_output_length(size + 2 * padding, kernel, stride=stride, dilation=dilation)


def axis_components(
    size: int, kernel: int, *, stride: int = 1, padding: int = 0, dilation: int = 1
) -> int:
    """Connected components of the 1-D Toeplitz graph of one axis (union-find).

    Examples
    --------
    >>> axis_components(5, 3)
    1
    >>> axis_components(5, 2, dilation=2)  # even and odd positions never meet
    2
    """
    n_pos = size + 2 * padding
    n_out = _output_len(size, kernel, stride, padding, dilation)
    sets = UnionFind(n_pos + n_out)
    for j in range(n_out):
        for t in range(kernel):
            sets.union(n_pos + j, j * stride + t * dilation)
    return len({sets.find(a) for a in range(n_pos + n_out)})


def conv_axis_connected_rule(
    size: int, kernel: int, *, stride: int = 1, padding: int = 0, dilation: int = 1
) -> bool:
    """Closed-form connectivity rule of one axis (see the module docstring).

    Examples
    --------
    >>> conv_axis_connected_rule(28, 3, padding=1)
    True
    >>> conv_axis_connected_rule(28, 3, stride=3)
    False
    """
    return disconnection_reason(size + 2 * padding, kernel, stride=stride,
                                dilation=dilation) is None


def conv_connected_rule(
    input_size: Sequence[int],
    kernel: Sequence[int],
    *,
    stride: Sequence[int],
    padding: Sequence[int],
    dilation: Sequence[int],
) -> bool:
    """The whole Toeplitz graph is connected iff every axis graph is.

    Examples
    --------
    >>> conv_connected_rule((5, 5), (3, 3), stride=(1, 2), padding=(0, 0), dilation=(1, 1))
    True
    """
    return all(
        conv_axis_connected_rule(i, k, stride=s, padding=p, dilation=d)
        for i, k, s, p, d in zip(input_size, kernel, stride, padding, dilation, strict=True)
    )
