"""Measure the timings the docs state, and write them to ``docs/timings.md`` (on demand).

``python -m benchmarks.docs_timings [--only ID ...] [--all] [--write docs/timings.md]``
runs each registered timing (:data:`TIMINGS`) in a fresh interpreter, so no cache or
compiled kernel of one measurement helps the next, and prints one JSON object per timing:
what the page states and what was measured now, with their ratio. Without ``--all`` only
the cheap timings run (seconds each); ``--all`` adds the minutes-long ones (the quick
verification and report, test-suite durations, the ResNet-50 audit, the 30x30-100x10
exact counts). ``--write PATH`` writes the markdown page the docs link to: the numbers of
this run, the machine, the date.

Each timing names the page and the sentence that states it (a regular expression whose
first group is the stated number): a sentence edited away makes the timing fail
(``tests/test_docs_timings.py`` checks every one, without measuring), so the registry
follows the docs. It is not run in CI: timings belong to a machine and its load, the tests
check behaviour (speed targets are same-run ratios in the benchmarks).

Examples
--------
>>> [t.id for t in TIMINGS][:2]
['exact-overlap-10x10', 'exact-overlap-20x20']
>>> stated(TIMINGS[0])
'0.002'
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Timing:
    """One timing the docs state.

    Attributes
    ----------
    id : str
        Short name (``--only``).
    page : str
        The docs page stating it (relative to the repository root).
    statement : str
        Regular expression finding the sentence; its first group is the stated number
        (seconds; a range such as ``4.5–8`` is kept as written).
    what : str
        What is timed, in words.
    python : str
        A Python statement timed inside a fresh interpreter (after ``setup``); or empty.
    setup : str
        Untimed Python run first (imports, a warm-up call).
    command : tuple of str
        A command timed from outside, wall clock (instead of ``python``); ``{tmp}`` is a
        fresh temporary folder.
    cheap : bool
        Part of the default run (seconds); otherwise only with ``--all``.
    """

    id: str
    page: str
    statement: str
    what: str
    python: str = ""
    setup: str = ""
    command: tuple[str, ...] = ()
    cheap: bool = True


_COUNTING = "from topotheory.simulate.counting import exact_expected_overlap as f; f(3, 3)"
_LAW = "from topotheory.simulate.counting import exact_overlap_distribution as f; f(3, 3)"


def _exact(n: int, m: int, stated: str, *, cheap: bool = True) -> Timing:
    return Timing(
        f"exact-overlap-{n}x{m}", "docs/simulate.md",
        rf"\| {n} x {m}(?: \([^|]*\))? \| ([\d.–-]+) s \|",
        f"exact_expected_overlap({n}, {m}) (exact counting; {stated})",
        python=f"f({n}, {m}, max_edges=None)", setup=_COUNTING, cheap=cheap)


TIMINGS: tuple[Timing, ...] = (
    _exact(10, 10, "table row"),
    _exact(20, 20, "table row"),
    _exact(5, 40, "table row"),
    _exact(10, 60, "table row"),
    _exact(30, 30, "table row", cheap=False),
    _exact(40, 40, "table row", cheap=False),
    _exact(10, 100, "the FCN's last layer", cheap=False),
    Timing("exact-law-14x14", "docs/simulate.md", r"takes\s+([\d.]+) s at 14 x 14",
           "exact_overlap_distribution(14, 14) (the exact law)",
           python="f(14, 14, max_edges=None)", setup=_LAW),
    Timing("exact-law-20x20", "docs/simulate.md", r"and ([\d.]+) s at 20 x 20\. Brute",
           "exact_overlap_distribution(20, 20)",
           python="f(20, 20, max_edges=None)", setup=_LAW),
    Timing("paper-rule-search", "docs/tables.md", r"takes ~([\d.]+) s\.",
           "the full rule search of the paper's tables (192 rules x 123 values)",
           python="search_rules()", setup="from topotheory.nn.paper_tables import search_rules"),
    Timing("verify-quick", "README.md", r"takes about ([\d.]+) s of CPU time",
           "python -m proofs_check --profile quick (every claim)",
           command=("{python}", "-m", "proofs_check", "--profile", "quick"), cheap=False),
    Timing("report-quick", "docs/report.md", r"\*\*about ([\d.–-]+) s\*\*",
           "topotheory report --profile quick, figures included",
           command=("{python}", "-m", "topotheory", "report", "--profile", "quick", "--quiet",
                    "--out", "{tmp}/report"), cheap=False),
    Timing("tests-report", "docs/report.md",
           r"## Tests \(`tests/report/`, about ([\d.]+) s of CPU without the slow ones\)",
           "HYPOTHESIS_PROFILE=ci pytest tests/report (not the slow tests)",
           command=("{python}", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/report"),
           cheap=False),
    Timing("tests-nn", "docs/tables.md", r"`tests/nn` runs in ~([\d.]+) s",
           "HYPOTHESIS_PROFILE=ci pytest tests/nn",
           command=("{python}", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/nn"),
           cheap=False),
    Timing("audit-resnet50", "docs/audit.md", r"target <= 30 s\) \| ([\d.]+) s \|",
           "audit of the ResNet-50-shaped model at 224x224 (benchmarks/audit_resnet50.py, "
           "numba compiled first)",
           python="result = audit_model(model, input_shape=(3, 224, 224))",
           setup="import torch\nfrom benchmarks.audit_resnet50 import resnet50_shaped\n"
           "from topotheory.nn.audit import audit_model\n"
           "audit_model(resnet50_shaped(width=2, num_classes=4), input_shape=(3, 32, 32), "
           "trials=20)\ntorch.manual_seed(0)\nmodel = resnet50_shaped()",
           cheap=False),
)


def stated(timing: Timing) -> str:
    """The number the page states for ``timing`` (as written).

    Raises
    ------
    LookupError
        The sentence is no longer on the page (update :data:`TIMINGS`).
    """
    text = (ROOT / timing.page).read_text(encoding="utf-8")
    match = re.search(timing.statement, text)
    if match is None:
        raise LookupError(f"{timing.id}: {timing.page} no longer states it (pattern "
                          f"{timing.statement!r}); update benchmarks/docs_timings.py")
    return match.group(1)


def _env() -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return dict(os.environ, PYTHONPATH=path, HYPOTHESIS_PROFILE="ci", OMP_NUM_THREADS="1",
                NUMBA_NUM_THREADS="1")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(timing: Timing) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``timing`` in a fresh interpreter (or of
    its command). On a loaded machine the wall time grows with the load, the CPU time much
    less (the work runs on one thread: ``OMP_NUM_THREADS=NUMBA_NUM_THREADS=1``)."""
    with tempfile.TemporaryDirectory() as tmp:
        if timing.command:
            argv = [a.format(python=sys.executable, tmp=tmp) for a in timing.command]
            cpu, start = _children_cpu(), time.perf_counter()
            subprocess.run(argv, cwd=ROOT, env=_env(), check=True, capture_output=True)
            return time.perf_counter() - start, _children_cpu() - cpu
        script = (f"{timing.setup}\nimport time as _t\n_s, _c = _t.perf_counter(), "
                  f"_t.process_time()\n{timing.python}\n"
                  "print(_t.perf_counter() - _s, _t.process_time() - _c)\n")
        done = subprocess.run([sys.executable, "-c", script], cwd=tmp, env=_env(), check=True,
                              capture_output=True, text=True)
        wall, cpu = done.stdout.strip().splitlines()[-1].split()
        return float(wall), float(cpu)


def _first_number(text: str) -> float:
    return float(re.split(r"[–-]", text)[0])


def _machine() -> str:
    import numpy

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores (load average "
            f"{load} at the start), Python {platform.python_version()}, numpy "
            f"{numpy.__version__}")


def page(rows: Sequence[dict], machine: str, command: str) -> str:
    """The markdown page of a run's rows (``command``: how the run was started)."""
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    lines = [
        "# Timings the docs state, as measured",
        "",
        f"Generated by `{command}` on {day}; {machine}. Each timing ran once in a fresh interpreter (nothing cached "
        "from another), on one thread. Wall time grows with the machine's load; CPU time "
        "(user + system of the process) much less, so the last ratio compares it with the "
        "page. The pages state what a run measured; this page is the run that checks them.",
        "",
        "| timing | page | the page says | wall | CPU | CPU / stated | what |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| `{r['id']}` | [{r['page']}]({Path(r['page']).name}) | "
                     f"{r['stated']} s | {r['wall']:.3g} s | {r['cpu']:.3g} s | "
                     f"{r['cpu_over_stated']:.2f} | {r['what']} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry (see the module docstring); returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.docs_timings",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="ID", choices=[t.id for t in TIMINGS],
                        help="these timings only")
    parser.add_argument("--all", action="store_true",
                        help="also the minutes-long timings (default: the cheap ones)")
    parser.add_argument("--write", metavar="PATH", help="write the markdown page to PATH")
    args = parser.parse_args(argv)
    chosen = [t for t in TIMINGS
              if (t.id in args.only if args.only else (args.all or t.cheap))]
    machine = _machine()
    rows = []
    for timing in chosen:
        said = stated(timing)  # before measuring: a stale entry fails at once
        wall, cpu = measure(timing)
        row = {"id": timing.id, "page": timing.page, "stated": said, "wall": wall, "cpu": cpu,
               "cpu_over_stated": cpu / _first_number(said), "what": timing.what}
        print(json.dumps(row), flush=True)
        rows.append(row)
    if args.write:
        from topotheory.safe_output import atomic_write_text

        command = " ".join(["python -m benchmarks.docs_timings",
                            *(sys.argv[1:] if argv is None else argv)])
        atomic_write_text(args.write, page(rows, machine, command))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
