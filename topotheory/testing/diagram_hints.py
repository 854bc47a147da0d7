"""Why a user's persistence diagram differs: the hints of kind ``"diagram"``.

:func:`diagram_hints` recomputes the reference diagram under fixed misreadings (points
stored as (death, birth), the sub-level convention), under every set of up to two
alternative conventions (:mod:`topotheory.testing.alternatives`), under the presets, and
with another normalising maximum, and names what the user's points match.
:func:`point_diff` is the tolerant multiset difference the diagram, NP and pruning
oracles report with.

Examples
--------
>>> import numpy as np
>>> only_user, only_ref = point_diff(np.array([[1.0, 0.5], [1.0, 0.2]]),
...                                  np.array([[1.0, 0.5]]), 1e-9, 0.0)
>>> only_user.tolist(), only_ref.tolist()
([[1.0, 0.2]], [])
"""

from __future__ import annotations

import numpy as np

from topotheory.testing.alternative_search import as_kwargs, convention_matches, preset_hints
from topotheory.testing.hints import PREFIX, Hint, hints_enabled, minimal
from topotheory.testing.recompute import diagram_under
from topotheory.topology.diagram import persistence_diagram


def point_diff(
    user: np.ndarray, ref: np.ndarray, rtol: float, atol: float
) -> tuple[np.ndarray, np.ndarray]:
    """Multiset difference of two point sets with tolerance (sorted two-pointer walk)."""
    user = user[np.lexsort((user[:, 1], user[:, 0]))]
    ref = ref[np.lexsort((ref[:, 1], ref[:, 0]))]
    only_user, only_ref = [], []
    i = j = 0
    while i < len(user) and j < len(ref):
        if np.allclose(user[i], ref[j], rtol=rtol, atol=atol):
            i, j = i + 1, j + 1
        elif tuple(user[i]) < tuple(ref[j]):
            only_user.append(user[i])
            i += 1
        else:
            only_ref.append(ref[j])
            j += 1
    only_user += list(user[i:])
    only_ref += list(ref[j:])
    return np.array(only_user).reshape(-1, 2), np.array(only_ref).reshape(-1, 2)


def same_points(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    """Whether two point sets are the same multiset within the tolerance."""
    if a.shape != b.shape:
        return False
    only_a, only_b = point_diff(a, b, rtol, atol)
    return only_a.size == 0 and only_b.size == 0


_FIXED = (
    (
        "stores (death, birth) instead of (birth, death): topotheory's points are (1, w') with "
        "birth 1 >= death w' (a super-level filtration)",
        lambda p: p[:, ::-1],
    ),
    (
        "uses the sub-level convention (0, 1 - w'); topotheory's points are (1, w')",
        lambda p: np.column_stack([np.zeros(len(p)), 1.0 - p[:, 1]]),
    ),
)


def diagram_hints(
    user: np.ndarray,
    w: np.ndarray,
    conv: dict,
    rtol: float,
    atol: float,
    *,
    used: tuple[str, ...],
) -> list[Hint]:
    """The conventions (up to two changes, presets of the options ``used``, another
    maximum) giving ``user``."""
    if not hints_enabled():
        return []
    base = diagram_under(w, conv)
    hints = [
        Hint(PREFIX + text, f"your {len(user)} points are the reference's so transformed", 1)
        for text, move in _FIXED
        if same_points(user, move(base), rtol, atol)
    ]

    def under(changes: dict) -> np.ndarray:
        return diagram_under(w, conv, **changes)

    def agrees(candidate: np.ndarray) -> bool:
        return same_points(user, candidate, rtol, atol)

    hints += minimal(
        convention_matches(
            w,
            conv,
            under,
            agrees,
            lambda _, changes: (
                f"your {len(user)} points equal the reference's recomputed "
                f"with {as_kwargs(changes)}"
            ),
        )
    )
    hints += preset_hints(conv, used, under, agrees, "diagram", hints)
    if not hints:
        hints += _ratio_hint(user, base, w, conv, rtol, atol)
    return hints


def _ratio_hint(
    user: np.ndarray, base: np.ndarray, w: np.ndarray, conv: dict, rtol: float, atol: float
) -> list[Hint]:
    if user.shape != base.shape or user.size == 0:
        return []
    u, r = np.sort(user[:, 1]), np.sort(base[:, 1])
    nonzero = r > atol
    if not nonzero.any() or not np.allclose(u[~nonzero], 0.0, atol=atol):
        return []
    ratios = u[nonzero] / r[nonzero]
    ratio = float(ratios[0])
    if ratio <= 0 or not np.allclose(ratios, ratio, rtol=max(rtol, 1e-9)) or np.isclose(ratio, 1.0):
        return []
    reference = persistence_diagram(w, **conv).w_max
    implied = reference / ratio
    which = ""
    if np.isclose(implied, float(w.max()), rtol=1e-6):
        which = " = max(w), the signed maximum (a missing abs()?)"
    elif implied > reference:
        which = (
            " -- larger than this layer's max|w|: a network-wide maximum? "
            f"(pass normalization='per_network', w_max={implied:.6g})"
        )
    return [
        Hint(
            f"your deaths are the reference's times {ratio:.6g}: you probably normalise by "
            f"another maximum, {implied:.6g}{which}, where the reference uses w_max = "
            f"{reference:.6g} (normalization={conv['normalization']!r})",
            f"every death of yours / the reference's = {ratio:.6g}",
            20,
        )
    ]
