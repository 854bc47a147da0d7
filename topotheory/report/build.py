"""Build the report: run the sections, write data, figures, markdown, HTML, provenance.

Layout of ``out``::

    report.md  report.html  provenance.json  verdicts.json
    data/<table>.csv  data/<section>.json  data/sections.json
    figures/<name>.png  (and figures/<name>.svg with formats=("png", "svg"))

Everything under ``data/`` is byte-identical for the same profile (and seeds) on the
same software stack; volatile facts (time, commit, versions) live in ``provenance.json``,
and ``verdicts.json`` is the whole verdict file of the claim run (``data/verdicts.json``
plus that run's provenance), the reference for ``topotheory verify --expect``.

Examples
--------
>>> import tempfile
>>> out = build_report(tempfile.mkdtemp(), "quick", only=("diagram",), figures=False,
...                    show_progress=False)
>>> sorted(p.name for p in (out.out / "data").iterdir())[:2]
['diagram-layer.csv', 'diagram-points.csv']
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from topotheory._extras import missing_extra
from topotheory.errors import InputError
from topotheory.render.blocks import Missing, Paragraph, Section, Table
from topotheory.render.datafiles import dumps_json, table_to_csv, write_text
from topotheory.render.document import Document
from topotheory.report.context import Context
from topotheory.report.evidence import inline_value
from topotheory.report.profiles import Profile, get_profile
from topotheory.report.provenance import git_commit, numerics, package_versions
from topotheory.report.sections import SECTIONS, SectionEntry, load_builder

__all__ = ["RUN_DEPENDENT", "ReportResult", "build_report", "build_sections", "write_data"]

#: Keys of a section's data that change from run to run: left out of ``data/<id>.json``
#: (byte-stable) and written with the rest to ``<id>.json`` beside ``provenance.json``.
RUN_DEPENDENT = ("provenance",)

@dataclass(frozen=True)
class ReportResult:
    """What :func:`build_report` wrote."""

    out: Path
    sections: tuple[Section, ...]
    provenance: dict[str, Any]


def _select(only: Sequence[str] | None) -> tuple[SectionEntry, ...]:
    if only is None:
        return SECTIONS
    known = {e.id for e in SECTIONS}
    unknown = sorted(set(only) - known)
    if unknown:
        raise InputError("unknown section ids", argument="only", value=unknown,
                         fix=f"choose from {', '.join(sorted(known))}")
    return tuple(e for e in SECTIONS if e.id in set(only))


def build_sections(
    profile: Profile,
    *,
    only: Sequence[str] | None = None,
    show_progress: bool = True,
    progress: bool | None = None,
    claims_from: Sequence[str] = (),
) -> tuple[tuple[Section, ...], dict[str, float]]:
    """Run the section builders in order; returns the sections and seconds per section.

    ``show_progress=False`` prints nothing on stderr; otherwise one line per section and,
    per ``progress`` (``None``: only on a terminal), tqdm bars inside long sections.
    """
    ctx = Context(profile, show_progress=show_progress, bars=progress,
                  claims_from=tuple(claims_from))
    sections: list[Section] = []
    timings: dict[str, float] = {}
    entries = _select(only)
    for entry in entries:
        if show_progress:
            print(f"[report] {entry.id}: {entry.title}", file=sys.stderr, flush=True)
        start = time.perf_counter()
        try:
            section = load_builder(entry)(ctx)
        except ModuleNotFoundError as error:  # only a missing optional extra is tolerated
            hint = missing_extra(error)
            if hint is None:
                raise
            section = Section(entry.id, entry.title, (Missing(entry.title, hint),))
        timings[entry.id] = round(time.perf_counter() - start, 3)
        if section.id != entry.id:
            raise RuntimeError(f"section builder for {entry.id!r} returned id {section.id!r}")
        sections.append(section)
    return tuple(sections), timings


def _check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    """Validate ``formats`` before any computation (no matplotlib import)."""
    known = ("png", "svg")
    if isinstance(formats, str) or not formats or any(f not in known for f in formats):
        raise InputError(f"unknown figure format in {formats!r}", argument="--format",
                         value=formats, fix=f"choose figure formats from {known}, e.g. png,svg")
    if "png" not in formats:
        raise InputError("the HTML page embeds the PNG figures", argument="--format",
                         value=formats, fix="include png, e.g. --format png,svg")
    return tuple(dict.fromkeys(formats))


def _manifest(sections: Sequence[Section], profile: Profile) -> dict[str, Any]:
    return {
        "profile": profile.as_dict(),
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "status": s.status,
                "not_available": [{"what": m.what, "reason": m.reason} for m in s.missing],
                "sources": list(s.sources),
                "seeds": list(s.seeds),
                "tables": [t.name for t in s.tables if t.data_file],
                "figures": [f.name for f in s.figures],
            }
            for s in sections
        ],
    }


def write_data(sections: Sequence[Section], profile: Profile, data_dir: Path) -> list[Path]:
    """Write every table (CSV), section data (JSON) and the manifest ``sections.json``.

    Files are written into ``data_dir`` and nothing is deleted; :func:`build_report` writes
    into a staging folder and swaps it in (:mod:`topotheory.safe_output`).
    """
    written: list[Path] = []
    names: set[str] = set()
    for section in sections:
        for table in section.tables:
            if not table.data_file:
                continue
            if table.name in names:
                raise RuntimeError(f"two tables are named {table.name!r}")
            names.add(table.name)
            written.append(write_text(data_dir / f"{table.name}.csv", table_to_csv(table)))
        if section.data:
            stable = {k: v for k, v in section.data.items() if k not in RUN_DEPENDENT}
            written.append(write_text(data_dir / f"{section.id}.json", dumps_json(stable)))
    written.append(write_text(data_dir / "sections.json", dumps_json(_manifest(sections, profile))))
    return written


def _tree_state(git: dict[str, Any]) -> str:
    """``'run from a clean tree at commit `abc` ...'`` (or from uncommitted changes).

    Examples
    --------
    >>> _tree_state({"commit": "abc", "dirty": False})
    'run from a clean tree at commit `abc` (reports/ not counted)'
    >>> _tree_state({"commit": "unknown (not a git checkout)", "dirty": None})
    'commit unknown (not a git checkout)'
    """
    if git.get("dirty") is None:
        return f"commit {git.get('commit')}"
    state = "a tree with uncommitted changes" if git["dirty"] else "a clean tree"
    return f"run from {state} at commit `{git['commit']}` (reports/ not counted)"


def _numerics_text(numerics: dict[str, Any]) -> str:
    torch = numerics.get("torch")
    text = f"{numerics.get('cpu_count')} CPUs"
    if isinstance(torch, dict):
        text += (f", torch CPU capability {torch.get('cpu_capability')} with "
                 f"{torch.get('threads')} threads")
    env = numerics.get("environment") or {}
    if env:
        text += ", " + ", ".join(f"{k}={v}" for k, v in env.items())
    return text


def _provenance_section(prov: dict[str, Any]) -> Section:
    versions = prov["versions"]
    rows = tuple((k, str(v)) for k, v in versions.items())
    timing_rows = tuple((k, v) for k, v in prov["seconds_per_section"].items())
    unavailable = [
        f"**{s['id']}**: " + "; ".join(m["reason"] for m in s["not_available"])
        for s in prov["sections"]
        if s["not_available"]
    ]
    blocks: list[Any] = [
        Paragraph(
            f"Profile `{prov['profile']['name']}` (base seed {prov['profile']['seed']}); "
            + _tree_state(prov["git"])
            + f"; generated {prov['generated_at']} in {prov['seconds_total']:.1f} s "
            f"(figures: {'yes' if prov['figures'] else 'no'}); numerics: "
            + _numerics_text(prov.get("numerics", {})) + "."
        ),
        Paragraph(f"Command: `{prov['command']}`"),
        Table(
            "provenance-versions",
            ("package", "version"),
            rows,
            caption="Software",
            data_file=False,
        ),
        Table(
            "provenance-timings",
            ("section", "seconds"),
            timing_rows,
            caption="Time per section",
            formats={"seconds": ".1f"},
            data_file=False,
        ),
        Table(
            "provenance-profile",
            ("parameter", "value"),
            tuple((k, inline_value(v)) for k, v in prov["profile"].items()),
            caption="Profile parameters (also in provenance.json)",
            data_file=False,
            max_rows=len(prov["profile"]),
        ),
    ]
    if unavailable:
        blocks.insert(1, Paragraph("Not available in this build: " + " — ".join(unavailable)))
    return Section("provenance", "Provenance", tuple(blocks))


def build_report(
    out: str | Path,
    profile: str | Profile = "quick",
    *,
    figures: bool = True,
    only: Sequence[str] | None = None,
    show_progress: bool = True,
    progress: bool | None = None,
    formats: Sequence[str] = ("png",),
    command: str = "topotheory report",
    claims_from: Sequence[str] = (),
    claims_doc: str | Path | None = None,
    force: bool = False,
) -> ReportResult:
    """Build the report into ``out`` and return what was written.

    ``out`` is checked before any computation; the report is built in a staging folder
    and swapped in at the end, so an interrupted or failed build leaves ``out`` as it
    was. Files topotheory did not write are never deleted
    (:func:`topotheory.safe_output.atomic_output_dir`).

    Parameters
    ----------
    out : path
        Output folder: new, empty, or an earlier report (its files from that build are
        replaced; with ``only``, files of the other sections are kept). A non-empty
        folder that topotheory did not write is refused unless ``force``.
    profile : {"quick", "deep"} or Profile
        How much to compute.
    figures : bool
        Render the figures (``False``: the data-only path, no matplotlib).
    only : sequence of str, optional
        Section ids to build (default: all).
    show_progress : bool
        ``False``: nothing on stderr (``--quiet``); ``True``: a line per section and
        progress bars per ``progress``.
    progress : bool or None
        tqdm bars on stderr: ``None`` only when stderr is a terminal, ``True`` always
        (``--progress``), ``False`` never.
    formats : sequence of {"png", "svg"}
        Figure files written per figure (``--format png,svg``); PNG is always rendered,
        since the HTML page embeds it, and must be listed.
    command : str
        The command line recorded in the provenance.
    claims_from : sequence of str
        User claim modules (``--claims-from``): their verdicts join the paper's.
    claims_doc : path, optional
        A markdown file (``docs/claims.md``) whose generated claims table is rewritten
        from this build's verdicts (:mod:`topotheory.report.claims_doc`).
    force : bool
        Write into a non-empty folder that topotheory did not write (its files are kept).
    """
    from topotheory.safe_output import atomic_output_dir, validate_output_dir

    prof = profile if isinstance(profile, Profile) else get_profile(profile)
    fmts = _check_formats(formats)
    target = validate_output_dir(out, force=force, update=only is not None, argument="--out")
    _select(only)
    if claims_doc is not None:
        from topotheory.report.claims_doc import BEGIN, END
        from topotheory.safe_input import read_text_file
        from topotheory.safe_output import validate_output_file

        validate_output_file(claims_doc, argument="--claims-doc")
        text = read_text_file(claims_doc, argument="--claims-doc", what="markdown file")
        if BEGIN not in text or END not in text:
            raise InputError("the claims doc has no generated-table markers",
                             argument="--claims-doc", value=str(claims_doc),
                             fix="give an existing markdown file holding the generated-table "
                             "markers (see docs/claims.md)")
        if only is not None and "verdicts" not in only:
            raise InputError("the claims doc needs the verdicts section",
                             argument="--claims-doc", value=str(claims_doc),
                             fix="add the verdicts section to --only")
    started = time.perf_counter()
    generated_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    sections, timings = build_sections(prof, only=only, show_progress=show_progress,
                                       progress=progress, claims_from=claims_from)
    with atomic_output_dir(target, force=force, update=only is not None) as stage:
        provenance = _write_report(
            stage, sections, timings, prof, figures=figures, show_progress=show_progress,
            command=command, generated_at=generated_at, started=started,
            progress=progress, fmts=fmts,
        )
    if claims_doc is not None:
        from topotheory.report.claims_doc import update_claims_doc

        verdicts = next((s.data or {}).get("claims", []) for s in sections if s.id == "verdicts")
        update_claims_doc(claims_doc, verdicts)
    return ReportResult(Path(out), sections, provenance)


def _write_report(
    out: Path,
    sections: tuple[Section, ...],
    timings: dict[str, float],
    prof: Profile,
    *,
    figures: bool,
    show_progress: bool,
    command: str,
    generated_at: str,
    started: float,
    progress: bool | None,
    fmts: tuple[str, ...],
) -> dict[str, Any]:
    write_data(sections, prof, out / "data")
    pngs: dict[str, bytes] = {}
    if figures:
        from topotheory.render.figures import render_figure

        specs = [f for s in sections for f in s.figures]
        ctx = Context(prof, show_progress=show_progress, bars=progress)
        for spec in ctx.progress(specs, desc="figures"):
            (out / "figures").mkdir(parents=True, exist_ok=True)
            for fmt in fmts:
                data = render_figure(spec, fmt)
                if fmt == "png":
                    pngs[spec.name] = data
                (out / "figures" / f"{spec.name}.{fmt}").write_bytes(data)
    manifest = _manifest(sections, prof)
    provenance: dict[str, Any] = {
        "command": command,
        "profile": prof.as_dict(),
        "generated_at": generated_at,
        "git": git_commit(),
        "versions": package_versions(),
        "numerics": numerics(),
        "figures": figures,
        "figure_formats": list(fmts) if figures else [],
        "seconds_per_section": timings,
        "seconds_total": 0.0,
        "sections": manifest["sections"],
    }
    provenance["seconds_total"] = round(time.perf_counter() - started, 1)
    write_text(out / "provenance.json", dumps_json(provenance))
    for section in sections:
        if any(k in section.data for k in RUN_DEPENDENT):
            write_text(out / f"{section.id}.json", dumps_json(section.data))
    doc = Document(
        title=f"topotheory report — bounds vs simulation ({prof.name} profile)",
        sections=sections + (_provenance_section(provenance),),
        provenance=provenance,
        figures=pngs,
        figure_formats=tuple(fmts) if figures else (),
        intro=(
            "Generated by `topotheory report` from the verification suite's own computations: "
            "every number below is recomputed from the paper's claims (Balwani & Krzyston, "
            "ICML 2022 TAG-ML), and the data behind every table and figure is in `data/`. "
            "Sections whose source has not landed yet say so explicitly.",
        ),
    )
    from topotheory.render.htmlpage import render_html
    from topotheory.render.markdown import render_markdown

    write_text(out / "report.md", render_markdown(doc))
    write_text(out / "report.html", render_html(doc))
    return provenance
