"""Integer conv geometry of one axis: the one home of the output-length formula, torch's
``"same"`` padding and the reason an axis's Toeplitz graph is disconnected.

Every other module (the symbolic :func:`topotheory.theory.tccr.conv_output_size`, the
Toeplitz graphs of :mod:`topotheory.topology`, the torch tracer, the claim checks) calls
these. Padding is given as the padded length ``N = i + p_before + p_after`` so symmetric
and asymmetric padding share one formula. Pure Python (no numpy).

Examples
--------
>>> padded_output_length(28 + 2, 3)
28
>>> same_padding(3, 1), same_padding(4, 1)
((1, 1), (1, 2))
>>> disconnection_reason(5, 2, stride=2)
'stride >= kernel (windows do not overlap)'
"""

from __future__ import annotations

__all__ = ["disconnection_reason", "padded_output_length", "same_padding"]


def padded_output_length(padded_length: int, kernel: int, *, stride: int = 1,
                         dilation: int = 1) -> int:
    """Output length ``floor((N - d (k - 1) - 1) / s) + 1`` of an axis of padded length ``N``.

    Raises
    ------
    ValueError
        If the dilated kernel is longer than the padded axis (no output position).

    Examples
    --------
    >>> padded_output_length(9, 3, stride=2, dilation=2)
    3
    >>> padded_output_length(2, 3)
    Traceback (most recent call last):
    ...
    ValueError: impossible conv geometry: padded length 2 is shorter than the dilated kernel 3; enlarge the input or the padding
    """
    span = padded_length - dilation * (kernel - 1) - 1
    if span < 0:
        raise ValueError(
            f"impossible conv geometry: padded length {padded_length} is shorter than the "
            f"dilated kernel {dilation * (kernel - 1) + 1}; enlarge the input or the padding"
        )
    return span // stride + 1


def same_padding(kernel: int, dilation: int = 1) -> tuple[int, int]:
    """torch's ``padding="same"`` (stride 1): total ``d (k - 1)``, the odd element after.

    Examples
    --------
    >>> same_padding(5, 2)
    (4, 4)
    """
    total = dilation * (kernel - 1)
    return total // 2, total - total // 2


def disconnection_reason(padded_length: int, kernel: int, *, stride: int = 1,
                         dilation: int = 1) -> str | None:
    """Why the axis's Toeplitz graph is disconnected, or None if it is connected.

    The clauses of the connectivity rule (:mod:`topotheory.theory.domain`), first failing
    one named.

    Examples
    --------
    >>> disconnection_reason(30, 3) is None
    True
    >>> disconnection_reason(7, 3, dilation=2)
    'dilation >= 2'
    """
    n_out = padded_output_length(padded_length, kernel, stride=stride, dilation=dilation)
    if kernel == 1:
        return None if padded_length == 1 else "kernel 1 (each output reads one position)"
    if dilation >= 2:
        return "dilation >= 2"
    if n_out == 1:
        return (None if padded_length == kernel
                else "one window, padded axis longer than the kernel")
    if stride > kernel - 1:
        return "stride >= kernel (windows do not overlap)"
    if (padded_length - kernel) % stride:
        return "trailing positions never read ((N - k) not divisible by stride)"
    return None
