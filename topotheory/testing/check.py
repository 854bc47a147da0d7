"""``check_implementation``: run a kind's property battery against a user's function.

Each kind lives in its own module (its oracle, hints, battery and options);
:data:`KINDS` registers them. Every property runs through the one runner
(:mod:`~topotheory.testing.runner`): fixed small examples first, then random layers, a
failure shrunk to a small counterexample. A failed check raises
:class:`~topotheory.testing.report.ImplementationCheckFailed` unless ``collect=True``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from topotheory.testing import (
    conv,
    conv_tccr,
    diagram,
    mst,
    neural_persistence,
    overlap,
    pruning,
    recurrent,
)
from topotheory.testing.constraints import KindOptions
from topotheory.testing.conventions import OPTION_NAMES, apply_preset
from topotheory.testing.describe import collecting_notes
from topotheory.testing.report import ImplementationCheckFailed, ImplementationReport
from topotheory.testing.runner import kit_settings, run_property


@dataclass(frozen=True)
class Kind:
    """One kind of implementation: its options, battery and the signature ``fn`` must have."""

    options: type[KindOptions]
    battery: Callable[[Any], tuple]
    signature: str

    @property
    def conventions(self) -> tuple[str, ...]:
        """The convention options (those a preset sets) this kind uses."""
        return tuple(name for name in self.options.names() if name in OPTION_NAMES)


KINDS: dict[str, Kind] = {
    "mst": Kind(mst.MstOptions, mst.battery, mst.SIGNATURE),
    "diagram": Kind(diagram.DiagramOptions, diagram.battery, diagram.SIGNATURE),
    "neural_persistence": Kind(
        neural_persistence.NeuralPersistenceOptions,
        neural_persistence.battery,
        neural_persistence.SIGNATURE,
    ),
    "topk_overlap": Kind(overlap.OverlapOptions, overlap.battery, overlap.SIGNATURE),
    "pruning": Kind(pruning.PruningOptions, pruning.battery, pruning.SIGNATURE),
    "conv_mst": Kind(conv.ConvMstOptions, conv.battery, conv.SIGNATURE),
    "conv_tccr": Kind(conv_tccr.ConvTccrOptions, conv_tccr.battery, conv_tccr.SIGNATURE),
    "recurrent_mst": Kind(recurrent.RecurrentMstOptions, recurrent.battery, recurrent.SIGNATURE),
}


def kinds_using(option: str) -> list[str]:
    """The kinds that have the option ``option``.

    Examples
    --------
    >>> kinds_using("scope")
    ['conv_tccr']
    """
    return [name for name, kind in KINDS.items() if option in kind.options.names()]


def resolve_options(kind: str, conventions: str | None, options: dict[str, Any]) -> KindOptions:
    """The options dataclass of ``kind``: the preset's conventions, ``options`` on top.

    Raises
    ------
    ValueError
        On an unknown kind, an option the kind does not use, a value outside its declared
        constraint, or a preset that changes nothing for this kind.

    Examples
    --------
    >>> resolve_options("diagram", "rieck_code", {}).essential
    'as_zero'
    """
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r}: choose one of {tuple(KINDS)}")
    spec = KINDS[kind]
    given = dict(options)
    if conventions is not None:
        explicit = {k: v for k, v in given.items() if k in spec.conventions}
        given.update(apply_preset(conventions, spec.conventions, explicit, kind=kind))
    return spec.options.from_given(kind, given, kinds_using)


def check_implementation(
    kind: str,
    fn: Callable,
    *,
    conventions: str | None = None,
    profile: str | None = None,
    max_examples: int | None = None,
    properties: Sequence[str] | None = None,
    collect: bool = False,
    **options: Any,
) -> ImplementationReport:
    """Run the property battery of ``kind`` against ``fn``; raise if a property fails.

    Parameters
    ----------
    kind : {"mst", "diagram", "neural_persistence", "topk_overlap", "pruning", "conv_mst", \
            "conv_tccr", "recurrent_mst"}
        What ``fn`` computes (see each kind's ``SIGNATURE`` and docs/testing-kit.md): for one
        dense layer ``weights`` ``(m_out, n_in)`` a forest, a diagram, NP, ``|top-k ∩ MSF|``
        or a pruning; for a convolution its Toeplitz forest or TCCR; for a recurrent layer
        its unrolled forest.
    fn : callable
        The implementation under test. It gets copies of the arrays; writing into them is a
        failure of its own kind (``"mutated_input"``).
    conventions : {"paper", "rieck_code", "rieck_code_normalized", "rieck_bound"}, optional
        A preset of the convention options (``zero_weights``, ``essential``,
        ``drop_zero_length``, ``p``, ``normalize``) this kind uses; options passed
        explicitly override it. A preset that changes nothing for the kind is an error.
    profile : {"dev", "ci", "deep"}, optional
        topotheory's hypothesis profile to base the run on (default: the current settings).
    max_examples : int, optional
        Random examples per property (default: the profile's); the fixed examples run too.
    properties : sequence of str, optional
        Run only these properties (default: all of the battery).
    collect : bool
        False (default): raise :class:`~topotheory.testing.report.ImplementationCheckFailed`
        (an ``AssertionError`` with the whole report) when a property fails. True: return
        the report whatever happened.
    **options
        The kind's options (its ``*Options`` dataclass: e.g. ``zero_weights``, ``tie_rule``,
        ``edge_format``, ``node_map`` for ``"mst"``; ``p``, ``normalize``, ``rtol``,
        ``atol`` for ``"neural_persistence"``; ``scope`` for ``"conv_tccr"``; ``reading``
        for ``"recurrent_mst"``). An option the kind does not use is an error. Tolerances
        left unset follow the dtype of ``fn``'s output (float64 ``1e-9``, float32 ``1e-5``).

    Returns
    -------
    ImplementationReport
        Per-property pass/fail, message, shrunk counterexample and failure kind.

    Raises
    ------
    ImplementationCheckFailed
        When a property fails and ``collect`` is False.
    ValueError, TypeError
        On an unknown kind, property, preset or option, or a non-callable ``fn``.

    Examples
    --------
    >>> import topotheory as tt
    >>> report = check_implementation("neural_persistence", tt.neural_persistence, max_examples=5)
    >>> report.passed
    True
    >>> def np_signed_max(w):   # bug: max(w) instead of max|w|
    ...     top = w.max() if w.max() > 0 else 1.0
    ...     pers = 1 - tt.maximum_spanning_forest(w).weights / top
    ...     return float(np.sqrt(np.sum(pers ** 2)))
    >>> bad = check_implementation("neural_persistence", np_signed_max, max_examples=5,
    ...                            collect=True)
    >>> bad.passed, bad["sign_invariance"].passed
    (False, False)
    >>> check_implementation("neural_persistence", np_signed_max, max_examples=5)
    Traceback (most recent call last):
    ...
    topotheory.testing.report.ImplementationCheckFailed: check_implementation('neural_persistence', ...
    """
    __tracebackhide__ = True
    opts = resolve_options(kind, conventions, options)
    if not callable(fn):
        raise TypeError(f"fn must be callable: {KINDS[kind].signature}")
    if max_examples is not None and (
        isinstance(max_examples, bool) or not isinstance(max_examples, int) or max_examples < 1
    ):
        raise ValueError(f"max_examples={max_examples!r} must be a positive int")
    props = KINDS[kind].battery(opts)
    if properties is not None:
        names = [q.name for q in props]
        if isinstance(properties, str) or any(name not in names for name in properties):
            raise ValueError(f"properties={properties!r}: the {kind!r} battery has {names}")
        props = tuple(q for q in props if q.name in properties)
    chosen = kit_settings(profile, max_examples)
    with collecting_notes() as notes:
        results = tuple(run_property(prop, fn, opts, chosen) for prop in props)
    report = ImplementationReport(
        kind=kind,
        function=getattr(fn, "__qualname__", repr(fn)),
        results=results,
        max_examples=int(chosen.max_examples),
        notes=tuple(notes),
    )
    if not collect and not report.passed:
        raise ImplementationCheckFailed(report)
    return report
