"""One table of alternative conventions and classic bugs.

:data:`ALTERNATIVES` maps a name to an :class:`Alternative`: the ``changes`` it makes to the
reference computation (core keyword arguments such as ``zero_weights``, or a step of the
pipeline: the edge ``order``, the matrix ``layout``, the death ``values``), when it
``applies``, the ``hint`` that names it and its ``prior`` (lower: more common). The hint
search of every kind reads this table (networkx's ``ALGORITHMS`` dict is the model):
:mod:`~topotheory.testing.recompute` computes the reference with an alternative's changes
applied, through :mod:`topotheory.topology`, and
:mod:`~topotheory.testing.alternative_search` searches the table for the alternatives a
user's result follows.

Examples
--------
>>> ALTERNATIVES["minimum_forest"].changes({})
{'order': 'min'}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from topotheory._lazy import lazy_exports

_OTHER = {"present": "absent", "absent": "present", "drop": "as_zero", "as_zero": "drop"}
_WHAT = {
    "drop": "omits the essential class",
    "as_zero": "keeps the essential class as the point (1, 0)",
}


@dataclass(frozen=True)
class Alternative:
    """A convention or bug: its changes, when it applies, its hint and its prior."""

    key: str
    changes: Callable[[dict], dict]
    hint: Callable[[dict, np.ndarray], str]
    applies: Callable[[np.ndarray, dict], bool] = lambda w, conv: True
    prior: int = 5


def _signed_differs(w: np.ndarray, conv: dict) -> bool:
    return bool(0 < w.max() != np.abs(w).max())


ALTERNATIVES: dict[str, Alternative] = {
    "zero_weights": Alternative(
        "zero_weights",
        lambda c: {"zero_weights": _OTHER[c["zero_weights"]]},
        lambda c, w: (
            f"treats zero weights as {_OTHER[c['zero_weights']]} (zero_weights="
            f"{_OTHER[c['zero_weights']]!r}); the convention here is zero_weights={c['zero_weights']!r}"
        ),
        lambda w, c: bool((w == 0).any()),
        prior=1,
    ),
    "essential": Alternative(
        "essential",
        lambda c: {"essential": _OTHER[c["essential"]]},
        lambda c, w: (
            f"{_WHAT[_OTHER[c['essential']]]} (essential={_OTHER[c['essential']]!r}), "
            f"but the convention here is essential={c['essential']!r} ({_WHAT[c['essential']]})"
        ),
        prior=1,
    ),
    "drop_zero_length": Alternative(
        "drop_zero_length",
        lambda c: {"drop_zero_length": not c["drop_zero_length"]},
        lambda c, w: (
            f"{'keeps' if c['drop_zero_length'] else 'drops'} zero-length points "
            "(birth == death, e.g. the point (1, 1) of the largest edge); the convention here is "
            f"drop_zero_length={c['drop_zero_length']}"
        ),
        prior=2,
    ),
    "minimum_forest": Alternative(
        "order",
        lambda c: {"order": "min"},
        lambda c, w: (
            "computes a MINIMUM spanning forest (e.g. networkx minimum_spanning_tree "
            "or scipy minimum_spanning_tree on |w|); the filtration is super-level (largest |w| "
            "first), so the forest must be maximum (use maximum_spanning_tree, or the minimum tree "
            "of -|w|)"
        ),
        prior=2,
    ),
    "signed_order": Alternative(
        "order",
        lambda c: {"order": "signed"},
        lambda c, w: "orders edges by the signed weight w instead of |w| (a missing abs())",
        lambda w, c: bool((w < 0).any()),
        prior=2,
    ),
    "transposed": Alternative(
        "layout",
        lambda c: {"layout": "transposed"},
        lambda c, w: (
            "uses the transposed layout (weights as (n_in, m_out), or column-major "
            "flat indices j_in * m_out + i_out); topotheory uses torch Linear layout (m_out, "
            "n_in), flat index i_out * n_in + j_in"
        ),
        lambda w, c: min(w.shape) > 1,
        prior=3,
    ),
    "signed_maximum": Alternative(
        "values",
        lambda c: {"values": "signed_max"},
        lambda c, w: (
            f"normalises by the signed maximum max(w) = {float(w.max()):.6g} instead "
            f"of max|w| = {float(np.abs(w).max()):.6g} (a missing abs())"
        ),
        _signed_differs,
        prior=1,
    ),
    "signed_values": Alternative(
        "values",
        lambda c: {"values": "signed"},
        lambda c, w: "uses the signed weights w / max(w) instead of |w| / max|w| (a missing abs())",
        _signed_differs,
        prior=3,
    ),
    "unnormalised": Alternative(
        "values",
        lambda c: {"values": "raw"},
        lambda c, w: "does not normalise: its deaths are raw |w|, not w' = |w| / w_max",
        prior=3,
    ),
}

NORMALIZE_TEXT = {
    None: "nothing",
    "rieck_bound": "Rieck's Theorem 1 bound",
    "rieck_code": "sqrt(|V| - 1)",
}
#: The options of NP (not of its diagram) that the NP hints vary too.
NP_OPTIONS = ("p", "normalize")


def _option(key: str, value: Any, text: str) -> Alternative:
    """Another value of an NP option (applies where the claimed conventions hold the key)."""
    return Alternative(
        key,
        lambda c: {key: value},
        lambda c, w: (
            f"uses {text}; the convention here is {key}="
            + (f"{c[key]:g}" if key == "p" else repr(c[key]))
        ),
        lambda w, c: key in c and c[key] != value,
        prior=2,
    )


for _q in (1.0, 2.0, float("inf")):
    ALTERNATIVES[f"p={_q:g}"] = _option("p", _q, f"p={_q:g}")
for _o, _text in NORMALIZE_TEXT.items():
    ALTERNATIVES[f"normalize={_o!r}"] = _option(
        "normalize", _o, f"normalize={_o!r} (divides by {_text})"
    )
DIAGRAM_KEYS = ("zero_weights", "essential", "drop_zero_length", "order", "values")


#: The helpers that lived here before the table was split from them (old import paths).
__getattr__, __dir__, _ = lazy_exports(
    globals(),
    {
        **dict.fromkeys(
            ("change_sets", "describe", "preset_changes", "as_kwargs"),
            "topotheory.testing.alternative_search",
        ),
        **dict.fromkeys(
            (
                "present_edges",
                "edge_key",
                "tie_rule_forest",
                "forest_under",
                "diagram_under",
                "np_divisor",
                "p_norm",
                "np_under",
            ),
            "topotheory.testing.recompute",
        ),
    },
)
