"""``check_implementation``: run a claim battery against a user's function, report per property.

Each property of :func:`~topotheory.testing.batteries.battery` runs as a hypothesis test
(fixed tied/zero examples first, then random layers), and a failure is shrunk to a small
counterexample. The result is an :class:`ImplementationReport`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from topotheory.testing._core import Options, Property
from topotheory.testing.batteries import KINDS, battery
from topotheory.testing.conventions import TIE_RULES, hints_off
from topotheory.testing.presets import PRESETS, resolve_conventions
from topotheory.topology._validation import check_zero_weights

_FN_SIGNATURES = {
    "mst": "fn(weights) -> forest edges (flat indices, (i_out, j_in) pairs or SpanningForest)",
    "diagram": "fn(weights) -> (q, 2) array of (birth, death) or PersistenceDiagram",
    "neural_persistence": "fn(weights) -> float",
    "topk_overlap": "fn(weights, k) -> int |top-k ∩ MSF| (or an object with .count)",
    "pruning": "fn(weights, kept) -> bool mask (True = kept) or pruned weights",
    "conv_mst": "fn(weight, input_shape, stride=, padding=, dilation=, groups=) -> forest "
    "edges (flat Toeplitz indices, pairs, SpanningForest) or used kernel parameters",
    "conv_tccr": "fn(geometry: ConvGeometry) -> float exact |E| / |MSF|",
    "recurrent_mst": "fn(weight_hh, steps) -> forest edges of the unrolled graph or used "
    "parameters",
}


@dataclass(frozen=True)
class PropertyResult:
    """Outcome of one property.

    Attributes
    ----------
    name : str
        Property name (e.g. ``"matches_oracle"``).
    description : str
        What the property claims.
    passed : bool
        True when no example failed.
    message : str
        The failure explanation (empty when passed).
    counterexample : dict or None
        The smallest failing input found (``weights`` and ``k`` / ``kept``).
    """

    name: str
    description: str
    passed: bool
    message: str = ""
    counterexample: dict | None = None

    def __str__(self) -> str:
        head = f"{'PASS' if self.passed else 'FAIL'}  {self.name}: {self.description}"
        if self.passed:
            return head
        lines = [head]
        if self.counterexample is not None:
            for key, value in self.counterexample.items():
                shown = np.array2string(np.asarray(value), precision=6, separator=", ")
                lines.append(f"      counterexample {key} = " + shown.replace("\n", "\n" + " " * 8))
        lines += ["      " + line for line in self.message.splitlines()]
        return "\n".join(lines)


@dataclass(frozen=True)
class ImplementationReport:
    """Per-property results of :func:`check_implementation`.

    Attributes
    ----------
    kind : str
        The kind of implementation checked.
    function : str
        The checked function's name.
    results : tuple of PropertyResult
        One per property, in battery order.
    max_examples : int
        Random examples per property (fixed examples come on top).

    Examples
    --------
    >>> from topotheory.testing.oracles import prune_keeping_forest
    >>> report = check_implementation("pruning", prune_keeping_forest, max_examples=5)
    >>> report.passed, report["exact_kept_count"].passed
    (True, True)
    """

    kind: str
    function: str
    results: tuple[PropertyResult, ...]
    max_examples: int

    @property
    def passed(self) -> bool:
        """True when every property passed."""
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> tuple[PropertyResult, ...]:
        """The failed properties."""
        return tuple(r for r in self.results if not r.passed)

    def __getitem__(self, name: str) -> PropertyResult:
        for result in self.results:
            if result.name == name:
                return result
        raise KeyError(f"no property {name!r}; have {[r.name for r in self.results]}")

    def __str__(self) -> str:
        failed = len(self.failures)
        head = (
            f"check_implementation({self.kind!r}, {self.function}): "
            + (
                f"{failed} of {len(self.results)} properties FAILED"
                if failed
                else f"all {len(self.results)} properties passed"
            )
            + f" ({self.max_examples} random examples each)"
        )
        return "\n".join([head] + ["  " + str(r).replace("\n", "\n  ") for r in self.results])

    def raise_if_failed(self) -> None:
        """Raise ``AssertionError`` with the whole report when a property failed.

        pytest shows only the caller's frame (``__tracebackhide__``), then the report: per
        failed property its counterexample, the difference and the likely cause.
        """
        __tracebackhide__ = True
        if not self.passed:
            raise AssertionError(str(self))


def _settings(profile: str | None, max_examples: int | None) -> Any:
    """The run's settings: the named topotheory profile or the current one, made quiet.

    Nothing is registered or loaded: the user's own profiles stay as they are.
    """
    from hypothesis import HealthCheck, Phase, Verbosity, settings

    from topotheory.testing.profiles import PROFILE_NAMES, profile_settings

    if profile is None:
        parent = settings()
    elif profile in PROFILE_NAMES:
        parent = profile_settings(profile)
    else:
        raise ValueError(f"profile={profile!r}: choose one of {PROFILE_NAMES} or None (current)")
    changes: dict[str, Any] = dict(
        database=None,
        deadline=None,
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        phases=tuple(p for p in Phase if p != Phase.explain),
        suppress_health_check=list(HealthCheck),
    )
    if max_examples is not None:
        changes["max_examples"] = max_examples
    return settings(parent, **changes)


def _run(prop: Property, fn: Callable, opts: Options, chosen: Any) -> PropertyResult:
    from hypothesis import example, given

    record: dict[str, Any] = {}

    def body(case: dict) -> None:
        try:
            prop.check(fn, case, opts)
        except Exception as exc:
            record["case"] = case
            record["message"] = (
                str(exc)
                if isinstance(exc, AssertionError)
                else (f"internal error of the kit while checking ({type(exc).__name__}: {exc})")
            )
            raise

    test = given(case=prop.strategy)(body)
    for case in reversed(prop.examples):
        test = example(case=case)(test)
    test = chosen(test)
    try:
        with hints_off():  # the hint search runs once, on the shrunk counterexample
            test()
    except Exception as exc:  # hypothesis re-raises the (shrunk) failure
        if "case" in record:
            try:
                body(record["case"])
            except Exception:  # noqa: BLE001 - body recorded the message with hints
                pass
        message = record.get("message") or f"{type(exc).__name__}: {exc}"
        if type(exc).__name__.startswith("Flaky"):
            message += (
                "\n(flaky: the same input passed on a rerun -- is the function deterministic?)"
            )
        return PropertyResult(prop.name, prop.description, False, message, record.get("case"))
    return PropertyResult(prop.name, prop.description, True)


def check_implementation(
    kind: str,
    fn: Callable,
    *,
    conventions: str = "paper",
    profile: str | None = None,
    max_examples: int | None = None,
    properties: Sequence[str] | None = None,
    zero_weights: str | None = None,
    essential: str | None = None,
    drop_zero_length: bool | None = None,
    p: float | None = None,
    normalize: str | None = None,
    tie_rule: str | None = None,
    edge_format: str = "auto",
    preserves_topology: bool = True,
    rtol: float = 1e-9,
    atol: float = 1e-12,
    include_padding: bool = True,
    returns: str = "edges",
    scope: str = "pair",
    reading: str = "whole",
) -> ImplementationReport:
    """Run the claim battery for ``kind`` against ``fn`` and report which properties fail.

    Parameters
    ----------
    kind : {"mst", "diagram", "neural_persistence", "topk_overlap", "pruning", "conv_mst", \
            "conv_tccr", "recurrent_mst"}
        What ``fn`` computes for one dense layer ``weights`` of shape ``(m_out, n_in)``:

        - ``"mst"``: ``fn(weights)`` -> forest edges (flat indices ``i_out * n_in + j_in``,
          ``(i_out, j_in)`` pairs, node pairs with ``edge_format="nodes"``, ``(u, v, data)``
          triples, a SpanningForest, a networkx / igraph / rustworkx graph or a scipy sparse
          matrix);
        - ``"diagram"``: ``fn(weights)`` -> ``(q, 2)`` ``(birth, death)`` rows or a diagram;
        - ``"neural_persistence"``: ``fn(weights)`` -> float;
        - ``"topk_overlap"``: ``fn(weights, k)`` -> int ``|top-k ∩ MSF|``;
        - ``"pruning"``: ``fn(weights, kept)`` -> bool mask (True = kept) or pruned weights.

        Structured layers (see :mod:`topotheory.testing.structured` for the encodings):

        - ``"conv_mst"``: ``fn(weight, input_shape, stride=, padding=, dilation=, groups=)``
          (torch layouts; stride/dilation/padding per-dimension tuples) -> the maximum
          spanning forest of the Toeplitz graph as flat indices ``out_node * N_in +
          in_node``, ``(out_node, in_node)`` pairs, node pairs or a SpanningForest; with
          ``returns="params"`` the used kernel parameters (bool mask or flat indices);
        - ``"conv_tccr"``: ``fn(geometry)`` (a ``ConvGeometry``) -> ``|E| / |MSF|`` of the
          exact graph (one channel pair with ``scope="pair"``, the whole layer with
          ``scope="layer"``);
        - ``"recurrent_mst"``: ``fn(weight_hh, steps)`` -> the forest of the graph unrolled
          over ``steps`` (``reading="whole"``, flat ``t h^2 + i h + j``) or of one step's
          ``h x h`` layer (``reading="per_step"``); with ``returns="params"`` the used
          parameters ``i h + j``.
    fn : callable
        The implementation under test.
    conventions : {"paper", "rieck", "rieck_normalized", "rieck_bound"}
        A preset setting ``zero_weights``, ``essential``, ``drop_zero_length``, ``p`` and
        ``normalize`` at once (:mod:`~topotheory.testing.presets`); each of those passed
        explicitly overrides the preset.
    profile : {"dev", "ci", "deep"}, optional
        topotheory's hypothesis profile to base the run on (default: the current settings).
    max_examples : int, optional
        Random examples per property (default: the profile's); the fixed examples run too.
    properties : sequence of str, optional
        Run only these properties (default: all of the battery).
    zero_weights, essential, drop_zero_length, p, normalize
        The conventions ``fn`` follows (per-layer normalisation ``w' = |w| / max|w|``);
        None takes the preset's value (``"paper"``: zeros present, essential class dropped,
        zero-length points kept, ``p = 2``, unnormalised NP).
    tie_rule : {None, "topotheory", "column_major", "descending_index"}
        For the forest kinds: ``None`` (default) accepts any maximum spanning forest (with
        ties it is not unique); a named rule demands its exact edge set.
    edge_format : {"auto", "flat", "entries", "nodes"}
        For ``"mst"``: how ``fn``'s edges are encoded.
    preserves_topology : bool
        For ``"pruning"``: also demand the pruned layer keep the diagram (kept >= forest size).
    rtol, atol : float
        Tolerances of float comparisons.
    include_padding : bool
        For ``"conv_mst"``/``"conv_tccr"``: padded input positions are nodes (default, the
        paper's count) or not.
    returns : {"edges", "params"}
        For ``"conv_mst"``/``"recurrent_mst"``: ``fn`` returns forest edges or the set of
        shared parameters the forest uses.
    scope : {"pair", "layer"}
        For ``"conv_tccr"``: one channel pair (Theorem 3.2) or the whole layer.
    reading : {"whole", "per_step"}
        For ``"recurrent_mst"``: the whole unrolled graph or one step's layer.

    Returns
    -------
    ImplementationReport
        Per-property pass/fail, message and shrunk counterexample; ``.raise_if_failed()``.

    Raises
    ------
    ValueError, TypeError
        On an unknown kind, property, preset or convention, or a non-callable ``fn``.

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
    >>> bad = check_implementation("neural_persistence", np_signed_max, max_examples=5)
    >>> bad.passed, bad["sign_invariance"].passed
    (False, False)
    """
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r}: choose one of {KINDS}")
    if not callable(fn):
        raise TypeError(f"fn must be callable: {_FN_SIGNATURES[kind]}")
    if max_examples is not None and (
        isinstance(max_examples, bool) or not isinstance(max_examples, int) or max_examples < 1
    ):
        raise ValueError(f"max_examples={max_examples!r} must be a positive int")
    if conventions not in PRESETS:
        raise ValueError(f"conventions={conventions!r}: choose one of {tuple(PRESETS)}")
    conv = resolve_conventions(
        conventions,
        zero_weights=zero_weights,
        essential=essential,
        drop_zero_length=drop_zero_length,
        p=p,
        normalize=normalize,
    )
    check_zero_weights(conv["zero_weights"])
    for name, value, allowed in (
        ("essential", conv["essential"], ("drop", "as_zero")),
        ("normalize", conv["normalize"], (None, "rieck_bound", "rieck_code")),
        ("tie_rule", tie_rule, (None, *TIE_RULES)),
        ("edge_format", edge_format, ("auto", "flat", "entries", "nodes")),
        ("returns", returns, ("edges", "params")),
        ("scope", scope, ("pair", "layer")),
        ("reading", reading, ("whole", "per_step")),
    ):
        if value not in allowed:
            raise ValueError(f"{name}={value!r}: choose one of {allowed}")
    p = conv["p"]
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not p > 0:
        raise ValueError(f"p={p!r} must be a positive number")
    opts = Options(
        zero_weights=conv["zero_weights"],
        essential=conv["essential"],
        drop_zero_length=bool(conv["drop_zero_length"]),
        p=float(p),
        normalize=conv["normalize"],
        tie_rule=tie_rule,
        edge_format=edge_format,
        preserves_topology=bool(preserves_topology),
        rtol=float(rtol),
        atol=float(atol),
        include_padding=bool(include_padding),
        returns=returns,
        scope=scope,
        reading=reading,
    )
    props = battery(kind, opts)
    if properties is not None:
        names = [q.name for q in props]
        unknown = [name for name in properties if name not in names]
        if unknown or isinstance(properties, str):
            raise ValueError(f"properties={properties!r}: the {kind!r} battery has {names}")
        props = tuple(q for q in props if q.name in properties)
    chosen = _settings(profile, max_examples)
    results = tuple(_run(prop, fn, opts, chosen) for prop in props)
    return ImplementationReport(
        kind=kind,
        function=getattr(fn, "__qualname__", repr(fn)),
        results=results,
        max_examples=int(chosen.max_examples),
    )
