"""Running a sweep's checkpoints as independent tasks: in this process, in local worker
processes, or on an existing dask.distributed cluster.

A :class:`SweepTask` is plain data (picklable): the model factory's name, one checkpoint,
the audit options, its position and the memory limit of the process that runs it.
:func:`run_task` does the whole audit of one checkpoint where it runs and returns a
:class:`CheckpointAudit`; nothing it computes depends on the worker: the iid nulls are
seeded ``(seed, layer index)`` (common to every checkpoint of the sweep: each layer of the
architecture is compared with the same null draws, so a curve moves only with the weights)
and cached per process (:func:`topotheory.nn.audit.model_audit.audit_model`'s
``null_cache``: a layer's null depends only on its graph, so the cache changes no number).

Executors (:func:`run_tasks`):

* ``jobs=1`` and no scheduler: in this process, in order;
* ``jobs=N``: :class:`concurrent.futures.ProcessPoolExecutor` with ``spawn`` workers (no
  state inherited from this process), torch limited to 1 thread per worker;
* ``scheduler=ADDRESS``: ``distributed.Client(ADDRESS)`` (the optional extra
  ``topotheory[dask]``), one task per checkpoint.

In parallel (``jobs > 1`` or dask) the first checkpoint runs alone and its worker sends
back the iid nulls it computed (a few KB per layer); every other task carries them, so the
nulls -- which dominate the cost of one checkpoint of a conv net -- are computed once per
sweep, not once per worker. Results come back in position order whatever the completion
order.
"""

from __future__ import annotations

import multiprocessing
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import Any

from topotheory.errors import InputError
from topotheory.result import Result

__all__ = ["CheckpointAudit", "SweepTask", "SweepTaskError", "run_task", "run_tasks"]

#: Entries of the per-process null cache before it is cleared (each is a few KB).
_CACHE_LIMIT = 4096
_NULL_CACHE: dict[tuple, Any] = {}
_WORKER_READY = False


class SweepTaskError(ValueError):
    """A checkpoint of the sweep was refused (bad file, key mismatch...): the message names
    the checkpoint and its position, then the loader's reason."""


@dataclass(frozen=True)
class SweepTask:
    """One checkpoint to audit, with everything the worker needs (plain, picklable data).

    ``inputs`` is ``("shape", "3,32,32")`` or ``("file", path)``; ``max_memory`` the
    worker's memory limit in bytes (None: the worker's default).
    """

    position: int
    label: str
    weights: str
    module: str
    inputs: tuple[str, str]
    input_dtype: str = "float32"
    key: str | None = None
    strict: bool = True
    zeros_are_pruned: bool = False
    reference: str | None = None
    seed: int = 0
    trials: int | None = None
    null_budget: int | None = None
    alpha: float | None = None
    max_memory: int | None = None
    #: iid nulls already computed for this architecture (loaded into the worker's cache).
    nulls: dict[tuple, Any] | None = field(default=None, repr=False)
    #: Return the worker's null cache with the audit (the first task of a parallel sweep).
    share_nulls: bool = False


@dataclass(frozen=True, repr=False)
class CheckpointAudit(Result):
    """The audit of one checkpoint of a sweep.

    Attributes
    ----------
    position, label : int, str
        Its place in the sweep and its name.
    path : str
        The file or open_lth level folder audited.
    checkpoint : dict
        Path, size and sha256 of what was read (:func:`topotheory.provenance.file_fingerprint`).
    loading : dict
        How it was read (:meth:`~topotheory.nn.audit.checkpoint.LoadedCheckpoint.to_dict`).
    result : AuditResult
        The audit (its ``timings`` are the run-dependent part).
    nulls : dict
        The iid nulls the task's process holds (only when the task asked to share them).
    """

    position: int
    label: str
    path: str
    checkpoint: dict[str, Any]
    loading: dict[str, Any]
    result: Any
    nulls: dict[tuple, Any] = field(default_factory=dict, repr=False, compare=False)


def _prepare_worker(max_memory: int | None) -> None:
    """Once per worker process: torch on one thread; the memory limit of every task."""
    global _WORKER_READY
    from topotheory import limits

    if max_memory is not None:
        limits.set_memory_limit(max_memory)
    if not _WORKER_READY:
        import torch

        torch.set_num_threads(1)
        _WORKER_READY = True


def _audit(task: SweepTask) -> CheckpointAudit:
    from topotheory.nn.audit.checkpoint import load_checkpoint, load_reference, with_reference
    from topotheory.nn.audit.loading import (
        example_from_shape,
        load_example_inputs,
        load_factory,
        model_files,
    )
    from topotheory.nn.audit.model_audit import audit_model
    from topotheory.provenance import file_fingerprint
    from topotheory.user_code import calling_user_code

    model = load_factory(task.module)
    loaded = load_checkpoint(model, task.weights, key=task.key, strict=task.strict,
                             zeros_are_pruned=task.zeros_are_pruned)
    if task.reference is not None:
        loaded = with_reference(loaded, load_reference(model, task.reference))
    kind, value = task.inputs
    inputs = (load_example_inputs(value, model) if kind == "file" else
              (example_from_shape(value, task.input_dtype),))
    options: dict[str, Any] = {"seed": task.seed, "not_loaded": loaded.report.not_loaded,
                               "pruned": loaded.pruned}
    for name in ("trials", "null_budget", "alpha"):
        if getattr(task, name) is not None:
            options[name] = getattr(task, name)
    if len(_NULL_CACHE) > _CACHE_LIMIT:
        _NULL_CACHE.clear()
    if task.nulls:
        _NULL_CACHE.update(task.nulls)
    with calling_user_code("the model's code", argument="--module", value=task.module,
                           user_files=model_files(model), all_errors=False,
                           fix="fix the model, or check the example input it is given"):
        result = audit_model(model, example_inputs=inputs, progress=False,
                             null_cache=_NULL_CACHE, **options)
    result = replace(result, settings=replace(result.settings, loading=loaded.to_dict()))
    fingerprint = file_fingerprint(task.weights, files=loaded.files)
    return CheckpointAudit(task.position, task.label, task.weights, fingerprint,
                           loaded.to_dict(), result,
                           dict(_NULL_CACHE) if task.share_nulls else {})


def _timed_audit(task: SweepTask) -> CheckpointAudit:
    start = time.perf_counter()
    try:
        audit = _audit(task)
    except (ValueError, TypeError) as error:
        raise SweepTaskError(f"checkpoint {task.weights} (position {task.position}): "
                             f"{error}") from None
    timings = dict(audit.result.timings, task=time.perf_counter() - start)
    return replace(audit, result=replace(audit.result, timings=timings))


def run_task(task: SweepTask) -> CheckpointAudit:
    """Audit one checkpoint in a worker (a local worker process or a dask worker): torch
    on one thread, the task's memory limit.

    Raises
    ------
    SweepTaskError
        The checkpoint or the options were refused (names the checkpoint).
    """
    _prepare_worker(task.max_memory)
    return _timed_audit(task)


def _dask_client(scheduler: str) -> Any:
    try:
        from distributed import Client
    except ModuleNotFoundError as error:
        raise InputError("needs dask.distributed, which is not installed",
                         argument="--scheduler", value=scheduler,
                         fix='pip install "topotheory[dask]" (or run without --scheduler: '
                         "local workers with --jobs N)") from error
    try:
        return Client(scheduler, set_as_default=False, timeout="20s")
    except OSError as error:
        raise InputError(f"no dask scheduler answers there ({error})", argument="--scheduler",
                         value=scheduler, fix="give the address a running scheduler prints, "
                         "e.g. tcp://127.0.0.1:8786") from None


def run_tasks(
    tasks: Sequence[SweepTask], *, jobs: int = 1, scheduler: str | None = None,
    done: Callable[[CheckpointAudit], None] | None = None,
) -> list[CheckpointAudit]:
    """Run ``tasks`` (see the module docstring); ``done(audit)`` is called as each one
    finishes (in completion order). Returns the audits in position order."""
    results: list[CheckpointAudit] = []

    def collect(audit: CheckpointAudit) -> None:
        results.append(audit)
        if done is not None:
            done(audit)

    if scheduler is None and jobs <= 1:
        for task in tasks:
            collect(_in_process(task))
    elif scheduler is not None:
        _run_dask(list(tasks), scheduler, collect)
    else:
        _run_local(list(tasks), jobs, collect)
    return sorted(results, key=lambda a: a.position)


def _first_shares(tasks: list[SweepTask]) -> list[SweepTask]:
    """The first task asks for the worker's nulls (a parallel sweep with more than one)."""
    return [replace(tasks[0], share_nulls=True), *tasks[1:]] if len(tasks) > 1 else tasks


def _with_nulls(first: CheckpointAudit, tasks: list[SweepTask]) -> list[SweepTask]:
    return [replace(t, nulls=first.nulls) for t in tasks]


def _run_local(tasks: list[SweepTask], jobs: int,
               collect: Callable[[CheckpointAudit], None]) -> None:
    tasks = _first_shares(tasks)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
        first = pool.submit(run_task, tasks[0]).result()
        collect(replace(first, nulls={}))
        pending = {pool.submit(run_task, task) for task in _with_nulls(first, tasks[1:])}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in sorted(finished, key=id):
                if future.exception() is not None:
                    for other in pending:
                        other.cancel()
                    raise future.exception()
                collect(future.result())


def _in_process(task: SweepTask) -> CheckpointAudit:
    """The task in this process, without changing its torch threads; its memory limit
    only for the task's duration."""
    from topotheory import limits

    previous = limits._override
    try:
        if task.max_memory is not None:
            limits.set_memory_limit(task.max_memory)
        return _timed_audit(task)
    finally:
        limits._override = previous


def _run_dask(tasks: list[SweepTask], scheduler: str,
              collect: Callable[[CheckpointAudit], None]) -> None:
    client = _dask_client(scheduler)
    from distributed import as_completed

    run = uuid.uuid4().hex[:12]  # task keys unique per sweep (never reuse another's result)
    tasks = _first_shares(tasks)

    def submit(batch: list[SweepTask]) -> list[Any]:
        return client.map(run_task, batch, pure=False,
                          key=[f"topotheory-audit-{run}-{t.position}" for t in batch])

    try:
        (future,) = submit(tasks[:1])
        first = future.result()
        collect(replace(first, nulls={}))
        futures = submit(_with_nulls(first, tasks[1:])) if len(tasks) > 1 else []
        for future in as_completed(futures, loop=client.loop):
            if future.status == "error":
                client.cancel(futures)
                raise future.exception()
            collect(future.result())
    finally:
        client.close()
