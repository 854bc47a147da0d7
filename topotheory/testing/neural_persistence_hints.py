"""Why a user's neural persistence differs: the hints of kind ``"neural_persistence"``.

:func:`np_hints` recomputes NP under every set of up to two alternative conventions
(:mod:`topotheory.testing.alternatives`, with ``p`` and ``normalize``) and under the
presets, and recognises a value off by a named constant (a missing ``abs()`` in the
maximum, a division by ``sqrt(|V|)``, ``sqrt(|V| - 2)``, ...).

Examples
--------
>>> import numpy as np
>>> conv = {"mask": None, "zero_weights": "present", "normalization": "per_layer",
...         "w_max": None, "essential": "drop", "drop_zero_length": False}
>>> from topotheory.topology import neural_persistence
>>> w = np.array([[0.9, -0.1], [0.2, -1.8]])
>>> value = neural_persistence(w) / np.sqrt(3)  # divided by sqrt(|V| - 1)
>>> [h.text[:62] for h in np_hints(value, w, conv, 2.0, None, 1e-9, 0.0, used=())]
["your implementation probably uses normalize='rieck_code' (divi"]
"""

from __future__ import annotations

import numpy as np

from topotheory.testing.alternative_search import as_kwargs, convention_matches, preset_hints
from topotheory.testing.alternatives import DIAGRAM_KEYS, NP_OPTIONS
from topotheory.testing.describe import plain
from topotheory.testing.hints import PREFIX, Hint, hints_enabled, minimal, precision_hint
from topotheory.testing.recompute import diagram_under, np_divisor, np_under, p_norm
from topotheory.topology.diagram import persistence_diagram


def _named_constants(n_nodes: int, w_max: float, signed: float) -> list[tuple[str, float]]:
    out = [(f"w_max = {w_max:.6g} (no normalisation of |w|)", w_max)]
    if signed not in (0, w_max):
        out.append(
            (
                f"max|w| / max(w) = {w_max:.6g} / {signed:.6g}: the signed maximum max(w) "
                "used instead of max|w| (a missing abs())",
                w_max / signed,
            )
        )
    for shift in (0, 1, 2):
        if n_nodes - shift > 0:
            root, term = float(np.sqrt(n_nodes - shift)), f"|V| - {shift}" if shift else "|V|"
            note = " (Synaptic-Flow's normaliser)" if shift == 2 else ""
            out.append(
                (f"1 / sqrt({term}) = 1 / {root:.6g}: a division by sqrt({term}){note}", 1 / root)
            )
            out.append((f"sqrt({term}) = {root:.6g}: a multiplication by sqrt({term})", root))
    if n_nodes > 2:
        out.append(
            (
                "sqrt(|V| - 1) / sqrt(|V| - 2): a division by sqrt(|V| - 2) (Synaptic-Flow's "
                "normaliser) where sqrt(|V| - 1) (Rieck's code) is meant",
                float(np.sqrt((n_nodes - 1) / (n_nodes - 2))),
            )
        )
    return out


def np_hints(
    value: float,
    w: np.ndarray,
    conv: dict,
    p: float,
    normalize: str | None,
    rtol: float,
    atol: float,
    *,
    used: tuple[str, ...],
) -> list[Hint]:
    """The conventions (up to two changes, presets of the options ``used``, a recognised
    constant) giving ``value``."""
    if not hints_enabled():
        return []
    claimed = {**conv, "p": p, "normalize": normalize}
    reference = np_under(w, conv, {}, p, normalize)
    hint = precision_hint(value, reference, rtol, atol)
    if hint is not None:
        return [hint]

    def close(x: float) -> bool:
        return bool(np.isfinite(x) and np.isclose(value, x, rtol=rtol, atol=atol))

    def under(changes: dict) -> float:
        return np_under(w, conv, changes, p, normalize)

    def agrees(candidate: float) -> bool:
        return close(candidate) and not close(reference)

    matches = convention_matches(
        w,
        claimed,
        under,
        agrees,
        lambda candidate, changes: (
            f"the reference recomputed with {as_kwargs(changes)} is {candidate:.6g}, as yours"
        ),
        DIAGRAM_KEYS + NP_OPTIONS,
    )
    points = diagram_under(w, conv)
    divisor = np_divisor(w, conv, p, normalize)
    for label, text, candidate in (
        (
            "deaths",
            "takes the norm of the deaths w' instead of the persistences 1 - w'",
            p_norm(points[:, 1], p) / divisor,
        ),
        (
            "root",
            f"returns sum((1 - w')^p) without the 1/p root (p={p:g})",
            float(np.sum((points[:, 0] - points[:, 1]) ** p)) / divisor
            if np.isfinite(p)
            else np.nan,
        ),
    ):
        if close(candidate) and not close(reference):
            matches.append(((label,), Hint(PREFIX + text, f"that gives {plain(candidate)}", 12)))
    hints = minimal(matches)
    hints += preset_hints(claimed, used, under, close, "value", hints)
    if hints or not np.isfinite(value) or reference == 0:
        return hints
    ratio = value / reference
    w_max = persistence_diagram(w, **conv).w_max
    return [
        Hint(
            f"your value is the reference times {ratio:.6g} = {name}",
            f"{plain(value)} / {plain(reference)} = {ratio:.6g}",
            20,
        )
        for name, constant in _named_constants(sum(w.shape), w_max, float(w.max()))
        if not np.isclose(constant, 1.0) and np.isclose(ratio, constant, rtol=max(rtol, 1e-9))
    ]
