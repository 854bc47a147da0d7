"""The one hypothesis runner: fixed examples first, then a search that shrinks the failure.

:func:`find_failure` serves both the testing kit (:func:`run_property`, per property of a
battery) and the claim checks (``proofs_check.search``). A property whose implementation
returns NaN or inf is searched twice, so a non-finite case does not mask the others: first
for a failure with finite outputs (its hints name the convention), then, if a non-finite
output was seen, for the smallest such input on its own.
"""

from __future__ import annotations

import random as random_module
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from topotheory.testing.hints import hints_off
from topotheory.testing.report import NonFiniteOutput, PropertyResult, failure_kind

_FLAKY = "\n(flaky: the same input passed on a rerun -- is the function deterministic?)"


@dataclass(frozen=True)
class Search:
    """One search: the failing case (shrunk unless it was a fixed example) and the count."""

    evaluations: int
    found: bool
    counterexample: Any = None
    fixed: bool = False


def find_failure(
    strategy: Any,
    fails: Callable[[Any], bool],
    *,
    settings: Any,
    examples: Iterable[Any] = (),
    random: random_module.Random | None = None,
) -> Search:
    """The first fixed example where ``fails`` is true, else the shrunk one hypothesis finds.

    Uses :func:`hypothesis.find` with ``settings`` (and ``random``, for a seeded search);
    exceptions raised by ``fails`` propagate.

    Examples
    --------
    >>> from hypothesis import settings, strategies as st
    >>> find_failure(st.integers(0, 100), lambda x: x >= 10, settings=settings(database=None),
    ...              random=random_module.Random(0)).counterexample
    10
    """
    from hypothesis import find
    from hypothesis.errors import NoSuchExample, Unsatisfiable

    count = 0

    def counted(case: Any) -> bool:
        nonlocal count
        count += 1
        return bool(fails(case))

    for case in examples:
        if counted(case):
            return Search(count, True, case, fixed=True)
    try:
        found = find(strategy, counted, settings=settings, random=random)
    except (NoSuchExample, Unsatisfiable):
        return Search(count, False)
    return Search(count, True, found)


def kit_settings(profile: str | None, max_examples: int | None) -> Any:
    """The kit's run settings: topotheory's profile (or the current settings), made quiet.

    Nothing is registered or loaded: the user's own profiles stay as they are.
    """
    from hypothesis import HealthCheck, Phase, Verbosity, settings

    from topotheory.testing.profiles import HYPOTHESIS_PROFILES, profile_settings

    if profile is not None and profile not in HYPOTHESIS_PROFILES:
        raise ValueError(
            f"profile={profile!r}: choose one of {HYPOTHESIS_PROFILES} or None (current)"
        )
    parent = settings() if profile is None else profile_settings(profile)
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


def _outcome(check: Callable[[dict], None], case: dict) -> BaseException | None:
    try:
        check(case)
    except Exception as exc:  # noqa: BLE001 - every failure of a property is reported
        return exc
    return None


def run_property(prop: Any, fn: Callable, opts: Any, settings: Any) -> PropertyResult:
    """Run one property of a battery against ``fn``; a failure is shrunk and explained."""

    def check(case: dict) -> None:
        prop.check(fn, case, opts)

    seen_non_finite: list[dict] = []
    last: dict[str, dict] = {}

    def finite_failure(case: dict) -> bool:
        exc = _outcome(check, case)
        if isinstance(exc, NonFiniteOutput):
            seen_non_finite.append(case)
            return False
        if exc is not None:
            last["case"] = case
        return exc is not None

    def non_finite(case: dict) -> bool:
        failed = isinstance(_outcome(check, case), NonFiniteOutput)
        if failed:
            last["case"] = case
        return failed

    with hints_off():  # the hint search runs once, on the shrunk counterexample
        main = _search(prop, finite_failure, settings, last)
        extra = _search(prop, non_finite, settings, last) if seen_non_finite else None
    if main is None and extra is None:
        return PropertyResult(prop.name, prop.description, True)
    first = main or extra
    message, failure = _explain(check, first)
    if main is not None and extra is not None:
        other, _ = _explain(check, extra)
        message += (
            "\n  also (non-finite outputs are shrunk separately): on the weights "
            f"{_show_case(extra.counterexample)}: {other}"
        )
    return PropertyResult(
        prop.name, prop.description, False, message, first.counterexample, failure
    )


def _search(
    prop: Any, fails: Callable[[dict], bool], settings: Any, last: dict[str, dict]
) -> Search | None:
    from hypothesis.errors import Flaky

    last.pop("case", None)
    try:
        search = find_failure(prop.strategy, fails, settings=settings, examples=prop.examples)
    except Flaky:  # the outcome changed while shrinking: report the last failing case
        return Search(0, True, last["case"]) if "case" in last else None
    return search if search.found else None


def _explain(check: Callable[[dict], None], search: Search) -> tuple[str, str]:
    exc = _outcome(check, search.counterexample)
    if exc is None:
        return "the input failed once and passed on a rerun" + _FLAKY, "flaky"
    if isinstance(exc, AssertionError):
        return str(exc), failure_kind(exc)
    return f"internal error of the kit while checking ({type(exc).__name__}: {exc})", "kit_error"


def _show_case(case: dict) -> str:
    import numpy as np

    weights = case.get("weights", case.get("weight_hh", case.get("weight")))
    return np.array2string(np.asarray(weights), precision=6, separator=", ").replace("\n", "")
