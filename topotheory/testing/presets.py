"""Convention presets: one name sets every related convention option at once.

A preset is a dict of the options ``zero_weights``, ``essential``, ``drop_zero_length``,
``p`` and ``normalize``. ``check_implementation(kind, fn, conventions="rieck")`` and the
oracles take a preset name; options passed explicitly override the preset's values.

Presets
-------
``"paper"``
    The paper's conventions (the default): zero weights are edges of weight 0, the essential
    class dropped, zero-length points kept, ``p = 2``, NP not normalised.
``"rieck"``
    Rieck et al.'s public code (``src/tda.py``): the essential class kept as the point
    ``(1, 0)`` and zero-length points dropped; NP unnormalised (its "total persistence").
``"rieck_normalized"``
    As ``"rieck"``, NP divided by ``sqrt(|V| - 1)`` as that code's normalised value.
``"rieck_bound"``
    The paper's diagram, NP divided by Rieck's Theorem 1 bound.

Examples
--------
>>> resolve_conventions("rieck", essential=None)["essential"]
'as_zero'
>>> resolve_conventions("rieck", drop_zero_length=False)["drop_zero_length"]
False
"""

from __future__ import annotations

from typing import Any

_PAPER: dict[str, Any] = dict(
    zero_weights="present", essential="drop", drop_zero_length=False, p=2.0, normalize=None
)
_RIECK: dict[str, Any] = dict(_PAPER, essential="as_zero", drop_zero_length=True)
PRESETS: dict[str, dict[str, Any]] = {
    "paper": _PAPER,
    "rieck": _RIECK,
    "rieck_normalized": dict(_RIECK, normalize="rieck_code"),
    "rieck_bound": dict(_PAPER, normalize="rieck_bound"),
}
OPTION_NAMES = tuple(PRESETS["paper"])


def resolve_conventions(conventions: str | None, **explicit: Any) -> dict[str, Any]:
    """The preset ``conventions`` with every explicit (non-``None``) option applied on top.

    Parameters
    ----------
    conventions : str or None
        A name of :data:`PRESETS` (``None``: ``"paper"``).
    **explicit
        Options among :data:`OPTION_NAMES`; ``None`` means "the preset's value".

    Returns
    -------
    dict

    Raises
    ------
    ValueError
        On an unknown preset or option name.

    Examples
    --------
    >>> resolve_conventions(None, p=1.0)["p"]
    1.0
    """
    name = "paper" if conventions is None else conventions
    if name not in PRESETS:
        raise ValueError(f"conventions={conventions!r}: choose one of {tuple(PRESETS)}")
    unknown = set(explicit) - set(OPTION_NAMES)
    if unknown:
        raise ValueError(f"unknown convention options {sorted(unknown)}; have {OPTION_NAMES}")
    resolved = dict(PRESETS[name])
    resolved.update({key: value for key, value in explicit.items() if value is not None})
    return resolved


def preset_named(options: dict[str, Any]) -> str | None:
    """The preset whose options are exactly ``options`` (restricted to its keys), or None.

    Examples
    --------
    >>> preset_named(dict(PRESETS["rieck"]))
    'rieck'
    """
    for name, preset in PRESETS.items():
        if all(options.get(key, value) == value for key, value in preset.items()):
            return name
    return None
