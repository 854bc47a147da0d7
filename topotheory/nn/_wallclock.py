"""Separating wall-clock measurements from results, so result files are reproducible."""

from __future__ import annotations

from typing import Any

#: Keys holding wall-clock measurements; they never enter byte-compared result files.
WALL_CLOCK_KEYS = frozenset({"train_seconds"})


def without_wall_clock(value: Any) -> Any:
    """``value`` with every wall-clock key removed (recursively), for reproducible JSON.

    Examples
    --------
    >>> without_wall_clock({"records": [{"round": 0, "train_seconds": 0.1}], "seed": 0})
    {'records': [{'round': 0}], 'seed': 0}
    """
    if isinstance(value, dict):
        return {k: without_wall_clock(v) for k, v in value.items() if k not in WALL_CLOCK_KEYS}
    if isinstance(value, list):
        return [without_wall_clock(v) for v in value]
    return value


def wall_clock_only(value: Any, path: str = "") -> dict[str, Any]:
    """The wall-clock entries of ``value`` keyed by their JSON path.

    Examples
    --------
    >>> wall_clock_only({"records": [{"round": 0, "train_seconds": 0.1}]})
    {'records[0].train_seconds': 0.1}
    """
    found: dict[str, Any] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            key = f"{path}.{k}" if path else k
            if k in WALL_CLOCK_KEYS:
                found[key] = v
            else:
                found.update(wall_clock_only(v, key))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found.update(wall_clock_only(v, f"{path}[{i}]"))
    return found
