"""The conventions a user's code can follow: their constraints, the tie rules and the presets.

A preset sets the convention options ``zero_weights``, ``essential``, ``drop_zero_length``,
``p`` and ``normalize`` at once; options passed explicitly override it.

Presets
-------
``"paper"``
    The paper's conventions (the default): zero weights are edges of weight 0, the essential
    class dropped, zero-length points kept, ``p = 2``, NP not normalised.
``"rieck_code"``
    The conventions of Rieck et al.'s public code (``src/tda.py``): the essential class kept
    as the point ``(1, 0)`` and zero-length points dropped; NP unnormalised (its "total
    persistence"). ``"rieck"`` is its deprecated name (one release).
``"rieck_code_normalized"``
    As ``"rieck_code"``, NP divided by ``sqrt(|V| - 1)`` as that code's normalised value
    (deprecated name ``"rieck_normalized"``).
``"rieck_bound"``
    The paper's diagram, NP divided by Rieck et al.'s Theorem 1 bound.

A preset is rejected for a kind that uses none of the options in which it differs from the
paper's (``conventions="rieck_code"`` for ``"mst"`` would silently change nothing).

Examples
--------
>>> apply_preset("rieck_code", ("essential", "drop_zero_length"), {}, kind="diagram")
{'essential': 'as_zero', 'drop_zero_length': True}
"""

from __future__ import annotations

import warnings
from typing import Any

from topotheory.testing.constraints import Boolean, Interval, OneOf, Optional

#: The tie rules ``tie_rule=`` accepts, and what each means.
TIE_RULES: dict[str, str] = {
    "topotheory": "|w| descending, then flat index i_out * n_in + j_in ascending",
    "column_major": "|w| descending, then column-major index j_in * m_out + i_out ascending "
    "(networkx's Kruskal, scipy.sparse.csgraph on the (m_out, n_in) matrix)",
    "descending_index": "|w| descending, then flat index i_out * n_in + j_in descending",
}
TIE_RULE = TIE_RULES["topotheory"]

#: The constraint of each convention option (shared by every kind that has the option).
CONVENTION_CONSTRAINTS: dict[str, Any] = {
    "zero_weights": OneOf(("present", "absent")),
    "essential": OneOf(("drop", "as_zero")),
    "drop_zero_length": Boolean(),
    "p": Interval(0, None, low_open=True),
    "normalize": OneOf((None, "rieck_bound", "rieck_code")),
    "tie_rule": OneOf((None, *TIE_RULES)),
}

_PAPER: dict[str, Any] = dict(
    zero_weights="present", essential="drop", drop_zero_length=False, p=2.0, normalize=None
)
_RIECK_CODE: dict[str, Any] = dict(_PAPER, essential="as_zero", drop_zero_length=True)
PRESETS: dict[str, dict[str, Any]] = {
    "paper": _PAPER,
    "rieck_code": _RIECK_CODE,
    "rieck_code_normalized": dict(_RIECK_CODE, normalize="rieck_code"),
    "rieck_bound": dict(_PAPER, normalize="rieck_bound"),
}
#: Old preset names, accepted for one release with a ``DeprecationWarning``.
DEPRECATED_PRESETS: dict[str, str] = {
    "rieck": "rieck_code",
    "rieck_normalized": "rieck_code_normalized",
}
OPTION_NAMES = tuple(_PAPER)
PRESET = Optional(OneOf((*PRESETS, *DEPRECATED_PRESETS)))


def preset_name(conventions: str | None) -> str:
    """The canonical preset name (``None``: ``"paper"``); an old name warns.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     preset_name("rieck")
    'rieck_code'
    >>> caught[0].category.__name__
    'DeprecationWarning'
    """
    name = "paper" if conventions is None else conventions
    if name in DEPRECATED_PRESETS:
        new = DEPRECATED_PRESETS[name]
        warnings.warn(
            f"conventions={name!r} is deprecated (the name reads like the person, it means "
            f"Rieck et al.'s code); use conventions={new!r}",
            DeprecationWarning,
            stacklevel=4,
        )
        return new
    if name not in PRESETS:
        raise ValueError(f"conventions={conventions!r}: choose one of {tuple(PRESETS)}")
    return name


def apply_preset(
    conventions: str | None, used: tuple[str, ...], explicit: dict[str, Any], *, kind: str
) -> dict[str, Any]:
    """The convention options ``used`` by ``kind``: the preset's, with ``explicit`` on top.

    ``explicit`` holds only options the caller passed (``None`` counts for ``normalize``).

    Raises
    ------
    ValueError
        On an unknown preset, or a preset that differs from the paper's conventions only in
        options ``kind`` does not use.
    """
    name = preset_name(conventions)
    preset = PRESETS[name]
    differs = [key for key in OPTION_NAMES if preset[key] != _PAPER[key]]
    if differs and not set(differs) & set(used):
        raise ValueError(
            f"conventions={conventions!r}: the preset sets {differs}, which kind={kind!r} does "
            f"not use (it uses {[u for u in used if u in OPTION_NAMES] or 'none of them'}); "
            "drop conventions="
        )
    resolved = {key: preset[key] for key in used if key in preset}
    resolved.update(explicit)
    return resolved


def preset_named(options: dict[str, Any]) -> str | None:
    """The preset whose options are exactly ``options`` (restricted to its keys), or None.

    Examples
    --------
    >>> preset_named(dict(PRESETS["rieck_code"]))
    'rieck_code'
    """
    for name, preset in PRESETS.items():
        if all(options.get(key, value) == value for key, value in preset.items()):
            return name
    return None
