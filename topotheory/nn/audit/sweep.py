"""Audit many checkpoints of one architecture (an IMP run's levels, a training's epochs,
seeds) and follow each layer across them.

:func:`audit_sweep` audits every checkpoint as an independent task
(:mod:`~topotheory.nn.audit.sweep_workers`: this process, local worker processes with
``jobs``, or a dask.distributed cluster with ``scheduler``) and returns a
:class:`SweepResult`: ``checkpoints`` holds one :class:`CheckpointAudit` per checkpoint, in
the sweep's order, each with its full :class:`~topotheory.nn.audit.results.AuditResult`, so
a caller can post-process the sequence. Per-layer curves across the checkpoints are read
from the layers' fields by :class:`Curve` (a dotted attribute path on
:class:`~topotheory.nn.audit.results.LayerAudit`, optionally with a per-checkpoint band);
:data:`DEFAULT_CURVES` are the overlap with the MST against the iid null's band, NP,
sparsity and the position in the iid null. Extra curves (any field a caller adds to the
layers) go through the same path: ``sweep.to_dict(curves=DEFAULT_CURVES + (Curve(...),))``
and the report's ``curves=``.

Determinism: a checkpoint's numbers depend on its weights, the example input and the seed
only: the iid nulls are seeded ``(seed, layer index)``, the same for every checkpoint
(common random numbers: a layer's curve moves with its weights, not with Monte Carlo
noise), never by the worker or the completion order, so ``jobs=1``, ``jobs=2`` and dask give
byte-identical :meth:`SweepResult.numbers_json`. Run-dependent facts (command, versions,
time, timings, workers) are kept apart in ``SweepResult.run``.

Examples
--------
>>> from topotheory.nn.audit.results import LayerAudit
>>> Curve("q", "iid_position.quantile", "position").value_of is not None
True
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from operator import attrgetter
from typing import Any

from topotheory.errors import InputError
from topotheory.jsonout import dumps_strict
from topotheory.nn.audit.sweep_sources import CheckpointSource, sources_from_paths
from topotheory.nn.audit.sweep_workers import CheckpointAudit, SweepTask, run_tasks
from topotheory.result import Result

__all__ = [
    "DEFAULT_CURVES",
    "CheckpointAudit",
    "Curve",
    "SweepResult",
    "audit_sweep",
]


@dataclass(frozen=True)
class Curve:
    """One per-layer quantity followed across the checkpoints.

    Attributes
    ----------
    name : str
        Its key in the JSON and its column and figure name.
    field : str
        Dotted attribute path on a :class:`~topotheory.nn.audit.results.LayerAudit`
        (``"overlap_fraction"``, ``"iid_position.quantile"``); a None on the path gives None.
    label : str
        Axis label.
    band : tuple of two str, optional
        Dotted paths of a per-checkpoint band drawn with the curve (e.g. the iid null's
        central band for one layer).
    reference : tuple of two float, optional
        A constant band drawn on every panel (e.g. the null's central 95% of quantiles).
    digits : int
        Decimals in the terminal table.
    """

    name: str
    field: str
    label: str
    band: tuple[str, str] | None = None
    reference: tuple[float, float] | None = None
    digits: int = 3

    @property
    def value_of(self) -> Callable[[Any], Any]:
        """``layer -> value`` (None when a step of the path is None)."""
        return _getter(self.field)


def _getter(path: str) -> Callable[[Any], Any]:
    steps = [attrgetter(part) for part in path.split(".")]

    def get(obj: Any) -> Any:
        for step in steps:
            if obj is None:
                return None
            obj = step(obj)
        return obj
    return get


#: The curves of every sweep: overlap against the iid null's band, NP, sparsity, position.
DEFAULT_CURVES: tuple[Curve, ...] = (
    Curve("overlap", "overlap_fraction", "top-k/MST overlap X",
          band=("iid_null.band_low", "iid_null.band_high")),
    Curve("np", "np_paper_normalized", "NP / sqrt(|V| - 1)"),
    Curve("sparsity", "sparsity", "fraction of zero weights"),
    Curve("iid_quantile", "iid_position.quantile", "position in the iid null (mid-quantile)",
          reference=(0.025, 0.975), digits=2),
)


@dataclass(frozen=True, repr=False)
class SweepResult(Result):
    """The audits of a sweep's checkpoints, in order, and the curves read from them.

    Attributes
    ----------
    checkpoints : tuple of CheckpointAudit
        One per checkpoint, in the sweep's order (``position`` 0, 1, ...).
    settings : dict
        The options every checkpoint was audited with (model, input, seed, trials, ...).
    run : dict
        Run-dependent: command, versions, time, executor, timings.
    """

    checkpoints: tuple[CheckpointAudit, ...]
    settings: dict[str, Any]
    run: dict[str, Any] = field(default_factory=dict)

    @property
    def labels(self) -> tuple[str, ...]:
        """The checkpoints' labels, in order."""
        return tuple(c.label for c in self.checkpoints)

    @property
    def layers(self) -> tuple[str, ...]:
        """Every layer name, in order of first appearance."""
        names: dict[str, None] = {}
        for c in self.checkpoints:
            names.update(dict.fromkeys(row.name for row in c.result.layers))
        return tuple(names)

    def curve(self, curve: Curve | str) -> dict[str, list[Any]]:
        """``{layer: [value at each checkpoint]}`` (None where a checkpoint lacks the layer
        or the value is undefined).

        ``curve`` is a :class:`Curve` or a dotted field path.
        """
        get = _getter(curve) if isinstance(curve, str) else curve.value_of
        out: dict[str, list[Any]] = {name: [] for name in self.layers}
        for c in self.checkpoints:
            rows = {row.name: row for row in c.result.layers}
            for name in self.layers:
                out[name].append(get(rows[name]) if name in rows else None)
        return out

    def to_dict(self, *, curves: Sequence[Curve] = DEFAULT_CURVES) -> dict[str, Any]:
        """The sweep as JSON-ready data: ``settings``, ``checkpoints`` (each with its
        checkpoint fingerprint and its full audit minus the run-dependent timings),
        ``curves`` (``{name: {"field", "label", "layers": {layer: [...]}, "band"}}``) and
        the run-dependent ``run`` block last."""
        checkpoints = []
        for c in self.checkpoints:
            audit = c.result.to_dict()
            audit.pop("timings_seconds", None)
            audit.pop("provenance", None)
            checkpoints.append({"position": c.position, "label": c.label, "path": c.path,
                                "checkpoint": c.checkpoint, "audit": audit})
        curve_data = {}
        for curve in curves:
            entry: dict[str, Any] = {"field": curve.field, "label": curve.label,
                                     "layers": self.curve(curve)}
            if curve.band is not None:
                entry["band"] = {"fields": list(curve.band),
                                 "low": self.curve(curve.band[0]),
                                 "high": self.curve(curve.band[1])}
            if curve.reference is not None:
                entry["reference"] = list(curve.reference)
            curve_data[curve.name] = entry
        return {"settings": self.settings, "labels": list(self.labels),
                "layers": list(self.layers), "checkpoints": checkpoints,
                "curves": curve_data, "run": self.run}

    def numbers_json(self, *, curves: Sequence[Curve] = DEFAULT_CURVES) -> str:
        """The strict JSON of everything but the run-dependent ``run`` block: byte-identical
        for the same checkpoints, options and seed, whatever executed them."""
        data = self.to_dict(curves=curves)
        data.pop("run")
        return dumps_strict(data)


def _whole(name: str, value: Any, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InputError(f"must be an int >= {minimum}", argument=name, value=value,
                         fix=f"pass {name}={max(minimum, 1)} or more")


def audit_sweep(
    module: str,
    checkpoints: Sequence[CheckpointSource | str | os.PathLike[str]],
    *,
    input_shape: str | Sequence[int] | None = None,
    example_input: str | os.PathLike[str] | None = None,
    input_dtype: str = "float32",
    key: str | None = None,
    strict: bool = True,
    zeros_are_pruned: bool = False,
    reference: str | os.PathLike[str] | None = None,
    seed: int = 0,
    trials: int | None = None,
    null_budget: int | None = None,
    alpha: float | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    max_memory: int | None = None,
    done: Callable[[CheckpointAudit], None] | None = None,
    run: dict[str, Any] | None = None,
) -> SweepResult:
    """Audit every checkpoint of one architecture (see the module docstring).

    Parameters
    ----------
    module : str
        ``"pkg.module:factory"`` building the model (imported in each worker).
    checkpoints : sequence of CheckpointSource, str or path-like
        In the sweep's order: sources from
        :mod:`~topotheory.nn.audit.sweep_sources` (an open_lth run, a glob) or paths.
    input_shape, example_input, input_dtype
        The example input, as for ``topotheory audit`` (exactly one of the first two).
    key, strict, zeros_are_pruned
        Loading options, as for :func:`~topotheory.nn.audit.checkpoint.load_checkpoint`.
    reference : str or path-like, optional
        The dense reference of every checkpoint's masks (``--reference``; an open_lth
        level brings its own: level 0).
    seed, trials, null_budget, alpha
        Audit options (:func:`~topotheory.nn.audit.model_audit.audit_model`); None keeps
        its default.
    jobs : int
        Local worker processes (1: this process).
    scheduler : str, optional
        Address of a running dask.distributed scheduler (needs ``topotheory[dask]``).
    max_memory : int, optional
        Memory limit in bytes of each task's process (:mod:`topotheory.limits`).
    done : callable, optional
        Called with each :class:`CheckpointAudit` as it finishes (progress).
    run : dict, optional
        Run-dependent facts to record (command, versions...); the executor and the
        timings are added.

    Returns
    -------
    SweepResult

    Examples
    --------
    >>> import tempfile, pathlib, torch
    >>> from topotheory.nn.experiments import make_model
    >>> with tempfile.TemporaryDirectory() as d:
    ...     paths = [pathlib.Path(d, f"step_{s}.pt") for s in range(2)]
    ...     for s, path in enumerate(paths):
    ...         torch.save(make_model("fc", seed=s).state_dict(), path)
    ...     sweep = audit_sweep("topotheory.nn.experiments:make_model", paths,
    ...                         input_shape="1,28,28", trials=20)
    >>> sweep.labels, sweep.layers[:2]
    (('step_0.pt', 'step_1.pt'), ('1', '3'))
    >>> len(sweep.curve("overlap_fraction")["1"])
    2
    """
    import time

    if (input_shape is None) == (example_input is None):
        raise InputError("pass exactly one of input_shape= and example_input=",
                         argument="input_shape", value=input_shape,
                         fix="e.g. input_shape='3,32,32'")
    _whole("jobs", jobs, 1)
    _whole("seed", seed, 0)
    sources = tuple(c if isinstance(c, CheckpointSource) else None for c in checkpoints)
    if any(s is None for s in sources):
        sources = sources_from_paths([c.path if isinstance(c, CheckpointSource) else c
                                      for c in checkpoints], argument="checkpoints")
    if [s.position for s in sources] != list(range(len(sources))):
        raise InputError("positions must be 0, 1, ... in order", argument="checkpoints",
                         value=[s.position for s in sources],
                         fix="build them with sweep_sources")
    inputs = (("file", str(example_input)) if example_input is not None else
              ("shape", input_shape if isinstance(input_shape, str) else
               ",".join(str(int(d)) for d in input_shape)))
    tasks = [SweepTask(position=s.position, label=s.label, weights=s.path, module=module,
                       inputs=inputs, input_dtype=input_dtype, key=key, strict=strict,
                       zeros_are_pruned=zeros_are_pruned,
                       reference=None if reference is None else str(reference),
                       seed=seed, trials=trials,
                       null_budget=null_budget, alpha=alpha, max_memory=max_memory)
             for s in sources]
    start = time.perf_counter()
    audits = run_tasks(tasks, jobs=jobs, scheduler=scheduler, done=done)
    wall = time.perf_counter() - start
    first = audits[0].result.settings if audits else None
    settings = {
        "model": module, "input": {"shape" if inputs[0] == "shape" else "file": inputs[1],
                                   "dtype": input_dtype},
        "checkpoints": len(audits), "key": key, "strict": strict,
        "zeros_are_pruned": zeros_are_pruned,
        "reference": None if reference is None else str(reference), "seed": seed,
        "audit": None if first is None else {
            k: v for k, v in asdict(first).items() if k not in ("loading", "w_network")},
        "seeds": "iid nulls seeded (seed, layer index), the same for every checkpoint",
    }
    record = dict(run or {})
    record.update({
        "executor": (f"dask scheduler {scheduler}" if scheduler else
                     f"{jobs} local worker processes (spawn)" if jobs > 1 else
                     "this process"),
        "max_memory_per_task": max_memory,
        "wall_seconds": wall,
        "checkpoint_seconds": {a.label: a.result.timings for a in audits},
    })
    return SweepResult(tuple(audits), settings, record)
