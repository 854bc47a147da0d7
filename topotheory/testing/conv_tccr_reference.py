"""The exact conv TCCR a user's value is compared with, and why a geometry is disconnected.

:func:`exact_conv_tccr` is ``|E| / |MSF|`` of the exact Toeplitz graph (one channel pair or
the whole layer); :func:`conv_disconnection` names, per spatial dimension, why the graph
has more components than Theorem 3.2 assumes; :func:`conv_geometry_of` reads a
``conv_geometries`` case. The kind ``"conv_tccr"`` (:mod:`topotheory.testing.conv_tccr`)
asserts with them.

Examples
--------
>>> round(exact_conv_tccr(ConvGeometry(kernel=(3,), input_spatial=(8,), padding=1)), 6)
1.411765
>>> conv_disconnection(ConvGeometry(kernel=(3,), input_spatial=(8,), padding=1))
''
>>> print(conv_disconnection(ConvGeometry(kernel=(1,), input_spatial=(4,), stride=2)))
the channel-pair Toeplitz graph has 4 connected components, not 1: stride 2 > dilated kernel extent 1 in spatial dim 0 (input positions between windows touch no output)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from topotheory.testing.constraints import OneOf, validate
from topotheory.topology.conv import conv_toeplitz_graph
from topotheory.topology.forest import maximum_spanning_forest
from topotheory.topology.tccr import ConvGeometry, conv_counts

#: The two readings of a conv TCCR: one channel pair (Theorem 3.2) or the whole layer.
SCOPE = OneOf(("pair", "layer"))


def conv_geometry_of(geometry: Any) -> ConvGeometry:
    """A :class:`~topotheory.topology.tccr.ConvGeometry` from a ``conv_geometries`` dict.

    A ``ConvGeometry`` is returned unchanged.

    Examples
    --------
    >>> g = {"weight": np.ones((4, 1, 3)), "input_shape": (2, 8), "stride": (2,),
    ...      "padding": (1,), "dilation": (1,), "groups": 2}
    >>> c = conv_geometry_of(g)
    >>> c.kernel, c.in_channels, c.out_channels, c.output_spatial
    ((3,), 2, 4, (4,))
    """
    if isinstance(geometry, ConvGeometry):
        return geometry
    if not isinstance(geometry, dict) or not {"weight", "input_shape"} <= set(geometry):
        raise ValueError(
            "geometry must be a ConvGeometry or a dict with 'weight' and 'input_shape' "
            "(as drawn by conv_geometries)"
        )
    weight = np.asarray(geometry["weight"])
    shape = tuple(int(x) for x in geometry["input_shape"])
    return ConvGeometry(
        kernel=tuple(int(k) for k in weight.shape[2:]),
        input_spatial=shape[1:],
        stride=geometry.get("stride", 1),
        padding=geometry.get("padding", 0),
        dilation=geometry.get("dilation", 1),
        in_channels=shape[0],
        out_channels=int(weight.shape[0]),
        groups=int(geometry.get("groups", 1)),
    )


def describe_geometry(g: ConvGeometry) -> str:
    """The geometry in one line, for messages."""
    return (
        f"kernel {g.kernel}, input {g.input_spatial}, stride {g.stride}, padding "
        f"{g.padding}, dilation {g.dilation}, channels {g.in_channels} -> {g.out_channels}, "
        f"groups {g.groups}"
    )


# -- why a conv graph is disconnected ---------------------------------------------------------


def conv_disconnection(geometry: Any, *, scope: str = "pair", include_padding: bool = True) -> str:
    """Why a convolution's Toeplitz graph is disconnected ("" when it is connected).

    The channel-pair graph is connected exactly when the 1-D graph of every spatial
    dimension is, so each disconnected dimension is named with its cause: a stride larger
    than the dilated kernel (positions between windows isolated), a dilation splitting the
    positions into classes no window joins, or trailing positions no window reaches. With
    ``scope="layer"`` the ``groups`` blocks are separate components too (Theorem 3.2's
    whole-layer count already allows for them).

    Parameters
    ----------
    geometry : ConvGeometry or dict
        The layer (a ``conv_geometries`` dict is converted).
    scope : {"pair", "layer"}
        One channel pair (Theorem 3.2) or the whole layer.
    include_padding : bool
        Whether padded input positions are nodes.

    Returns
    -------
    str

    Examples
    --------
    >>> conv_disconnection(ConvGeometry(kernel=(3,), input_spatial=(7,)))
    ''
    >>> print(conv_disconnection(ConvGeometry(kernel=(1,), input_spatial=(4,), stride=(2,))))
    the channel-pair Toeplitz graph has 4 connected components, not 1: stride 2 > dilated kernel extent 1 in spatial dim 0 (input positions between windows touch no output)
    """
    validate("scope", scope, SCOPE)
    g = conv_geometry_of(geometry)
    pair = conv_counts(g, include_padding=include_padding)
    if pair.connected:
        return ""
    causes = []
    for d in range(len(g.kernel)):
        one = ConvGeometry(
            (g.kernel[d],), (g.input_spatial[d],), (g.stride[d],), (g.padding[d],), (g.dilation[d],)
        )
        counts = conv_counts(one, include_padding=include_padding)
        if counts.connected:
            continue
        k, s, dil = g.kernel[d], g.stride[d], g.dilation[d]
        extent = dil * (k - 1) + 1
        tail = g.padded_spatial[d] - ((one.output_spatial[0] - 1) * s + extent)
        if s > extent:
            causes.append(
                f"stride {s} > dilated kernel extent {extent} in spatial dim {d} (input "
                "positions between windows touch no output)"
            )
        elif dil > 1 and k > 1:
            causes.append(
                f"dilation {dil} with stride {s} in spatial dim {d} splits the positions into "
                "classes that no window joins"
            )
        elif tail > 0:
            causes.append(
                f"the last {tail} (padded) input positions of spatial dim {d} are reached by "
                f"no window (stride {s})"
            )
        else:
            causes.append(f"spatial dim {d} alone has {counts.n_components} components")
    what = "channel-pair" if scope == "pair" else "whole-layer"
    n_comp = pair.n_components
    if scope == "layer":
        n_comp = conv_counts(g, full_layer=True, include_padding=include_padding).n_components
    expected = 1 if scope == "pair" else g.groups
    return (
        f"the {what} Toeplitz graph has {n_comp} connected components, not {expected}: "
        + "; ".join(causes)
    )


def exact_conv_tccr(geometry: Any, *, scope: str = "pair", include_padding: bool = True) -> float:
    """``|E| / |MSF|`` of the exact Toeplitz graph (one channel pair or the whole layer).

    Built with :func:`~topotheory.topology.conv.conv_toeplitz_graph` and
    :func:`~topotheory.topology.forest.maximum_spanning_forest`.

    Examples
    --------
    >>> exact_conv_tccr(ConvGeometry(kernel=(1,), input_spatial=(4,), stride=(2,)))
    1.0
    """
    validate("scope", scope, SCOPE)
    g = conv_geometry_of(geometry)
    if scope == "pair":
        weight, shape, groups = np.ones((1, 1, *g.kernel)), (1, *g.input_spatial), 1
    else:
        weight = np.ones((g.out_channels, g.in_channels // g.groups, *g.kernel))
        shape, groups = (g.in_channels, *g.input_spatial), g.groups
    graph = conv_toeplitz_graph(
        weight,
        shape,
        stride=g.stride,
        padding=g.padding,
        dilation=g.dilation,
        groups=groups,
        include_padding=include_padding,
    )
    size = maximum_spanning_forest(graph).size
    return graph.n_edges / size if size else math.inf
