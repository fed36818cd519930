"""Build one edition: load its texts, align them, render HTML, write the PDF.

Each step is its own module; this one only strings them together and is
what ``diglot build`` calls for each edition.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diglot import chronology as chronology_mod
from diglot import facing, fonts, incremental, pdf, render, sources
from diglot import renderer as renderer_mod
from diglot.align import Alignment, align
from diglot.chronology import Chronology
from diglot.dates import format_partial, language_name, parse_iso
from diglot.errors import BuildError, ConfigError, SourceError, UsageError
from diglot.project import Edition
from diglot.renderer import Job, Renderer, write_pdf


@dataclass(frozen=True)
class Built:
    name: str
    path: Path
    pages: int
    seconds: float
    html: Path | None = None
    warnings: tuple[str, ...] = field(default=())
    passes: int = 1  # layout passes (more than one for facing pages)


def load_texts(edition: Edition) -> tuple[Alignment, Chronology | None]:
    root = edition.project.root
    documents = [sources.load(edition.source(lang), root) for lang in edition.languages]
    alignment = align(documents)
    for index, doc in enumerate(documents):
        missing = alignment.undeclared_missing(index)
        if missing and doc.meta.role == "original":
            # Point at the translation's segment: that is the line to fix.
            where = next(d for d in documents if missing[0] in d.segments)
            raise SourceError(
                f"segment {missing[0]!r} is not in the original ({doc.path.name}); "
                f"add it there or remove it here ({len(missing)} such segment(s))",
                where.path,
                where.segments[missing[0]].line,
            )
    chronology = None
    dates_path = edition.work_dir / chronology_mod.FILE_NAME
    if edition.config.chronology and dates_path.exists():
        chronology = chronology_mod.load(dates_path, edition.languages, root)
    return alignment, chronology


def page_for(edition: Edition) -> render.Page:
    cfg = edition.config
    return render.Page(
        name=cfg.name,
        layout=cfg.layout,
        paper=cfg.paper,
        date=cfg.date,
        kind=cfg.pdf,
        columns=cfg.columns,
        chronology=cfg.chronology,
        contents=cfg.contents,
        title=cfg.title,
        author=edition.author,
        epoch=source_date_epoch(),
    )


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not {value!r}")
    return int(value)


def edition_html(edition: Edition) -> str:
    alignment, chronology = load_texts(edition)
    return render.render_html(edition.project.root, page_for(edition), alignment, chronology)


def check_glyphs(edition: Edition, html: str) -> None:
    """Refuse text the fonts cannot print (it would come out as empty boxes
    or in a stray system font), naming the first file and line that has it."""
    missing = fonts.uncovered(html)
    if not missing:
        return
    root = edition.project.root
    files = [edition.source(lang) for lang in edition.languages]
    files.append(edition.work_dir / chronology_mod.FILE_NAME)
    files += sorted((root / "layouts").glob("*.j2")) + sorted((root / "layouts").glob("*.yaml"))
    files.append(edition.project.config_path)  # an edition's title
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, start=1):
            char = next((c for c in line if c in missing), None)
            if char is not None:
                raise SourceError(
                    f"character {fonts.describe(char)} cannot be printed: the fonts "
                    f"({', '.join(fonts.FAMILIES)}) have no glyph for it",
                    path,
                    number,
                )
    # Not in any file: Babel wrote it (a date or a language name).
    char = next(c for c in html if c in missing)
    published = parse_iso(edition.config.date)
    culprits = [
        lang
        for lang in edition.languages
        if char in language_name(lang) + format_partial(published, lang)
    ]
    raise ConfigError(
        f"the fonts ({', '.join(fonts.FAMILIES)}) cannot print the dates and language "
        f"names of {', '.join(culprits or edition.languages)}: "
        f"no glyph for {fonts.describe(char)}",
        edition.project.config_path,
        edition.line,
    )


def build(edition: Edition, write_html: bool = False, renderer: Renderer | None = None) -> Built:
    """Render ``edition`` into ``output/<name>.pdf`` (and ``.html`` if asked).

    With a ``renderer`` (a warm WeasyPrint process), an edition that is not
    facing is laid out and written there.
    """
    started = time.perf_counter()
    if edition.config.layout == "facing":
        html, pages, warnings, passes = _build_facing(edition)
    else:
        html = edition_html(edition)
        check_glyphs(edition, html)
        job = pdf_job(edition, html)
        written = renderer.write_pdf(job) if renderer is not None else write_pdf(job)
        pages, warnings, passes = written.pages, written.warnings, 1
    html_path = None
    if write_html:
        html_path = edition.output.with_suffix(".html")
        pdf.atomic_write(html_path, lambda handle: handle.write(html.encode("utf-8")))
    return Built(
        edition.name,
        edition.output,
        pages,
        time.perf_counter() - started,
        html_path,
        warnings,
        passes,
    )


def pdf_job(edition: Edition, html: str) -> Job:
    return Job(
        html=html,
        root=edition.project.root,
        layout=edition.config.layout,
        languages=tuple(edition.languages),
        dest=edition.output,
        kind=edition.config.pdf,
        identifier=pdf.pdf_identifier(html),
        epoch=int(page_for(edition).timestamp().timestamp()),
    )


def _build_facing(edition: Edition) -> tuple[str, int, tuple[str, ...], int]:
    """Lay out a facing edition in this process (packing reads WeasyPrint's
    boxes) and write it; return its HTML, pages, warnings and passes."""
    root = edition.project.root
    warnings: list[str] = []

    def lay_out(html: str) -> Any:
        check_glyphs(edition, html)
        document, found = renderer_mod.lay_out(html, root, edition.config.layout, edition.languages)
        warnings.extend(w for w in found if w not in warnings)
        return document

    alignment, chronology = load_texts(edition)
    result = layout_facing(edition, alignment, chronology, lay_out)
    job = pdf_job(edition, result.html)
    pdf.write(result.document, job.dest, job.kind, job.identifier, job.epoch)
    return result.html, len(result.document.pages), tuple(warnings), result.passes


def layout_facing(
    edition: Edition,
    alignment: Alignment,
    chronology: Chronology | None,
    lay_out: Callable[[str], Any],
) -> facing.Result:
    root = edition.project.root
    page = page_for(edition)
    rows = render.context(root, page, alignment, chronology)["rows"]
    top, outer, bottom, inner = facing.MARGINS_MM
    geometry = {
        "margins": {"top": top, "outer": outer, "bottom": bottom, "inner": inner},
        "width": round(facing.content_width_mm(page.paper), 3),
    }

    def html_for(extra: dict[str, Any]) -> str:
        return render.render_html(root, page, alignment, chronology, {**extra, "facing": geometry})

    first, second = edition.languages
    return facing.layout(rows, (first, second), page.paper, html_for, lay_out)


@dataclass(frozen=True)
class Outcome:
    """What happened to one edition in a batch."""

    name: str
    built: Built | None = None
    error: str | None = None  # one "path:line: message" line per problem
    skipped: bool = False


def _build_in_worker(root: str, name: str, write_html: bool) -> Outcome:
    """Build one edition in a worker process; errors come back as text
    (exceptions with file and line do not survive pickling intact)."""
    from diglot import project as project_mod
    from diglot.errors import DiglotError

    project = project_mod.load(Path(root))
    try:
        return Outcome(name, built=build(project.edition(name), write_html))
    except DiglotError as exc:
        return Outcome(name, error=exc.format(project.root))
    except Exception as exc:  # a bug in diglot or WeasyPrint: report it, keep going
        return Outcome(
            name,
            error=f"{name}: internal error: {type(exc).__name__}: {exc} "
            "(rerun with --debug -j 1 for the traceback, and please report it)",
        )


def build_many(
    editions: list[Edition],
    jobs: int = 1,
    write_html: bool = False,
    force: bool = False,
    raise_errors: bool = False,
    renderer: Renderer | None = None,
    dask: str | None = None,
) -> Iterator[Outcome]:
    """Build editions, ``jobs`` at a time in separate processes (WeasyPrint
    renders one document on one core). Editions whose inputs and PDF are
    unchanged since the last build are skipped unless ``force``. Outcomes
    are yielded as editions finish. Editions built one after the other
    are written by ``renderer`` when one is given. With ``dask`` (a
    scheduler's address) they are built on that cluster instead."""
    if not editions:
        return
    project = editions[0].project
    manifest = incremental.Manifest(project.output_dir)
    digests = {e.name: incremental.inputs_digest(e) for e in editions}
    todo = []
    for edition in editions:
        if not force and manifest.is_fresh(edition, digests[edition.name], write_html):
            yield Outcome(edition.name, skipped=True)
        else:
            todo.append(edition)
    if not todo:
        return
    jobs = workers_allowed(todo, jobs)
    by_name = {e.name: e for e in todo}
    manifest.forget(by_name)
    try:
        outcomes = (
            _run_on_cluster(todo, dask, write_html)
            if dask
            else _run(todo, jobs, write_html, raise_errors, renderer)
        )
        for outcome in outcomes:
            if outcome.built is not None:
                manifest.record(by_name[outcome.name], digests[outcome.name])
            yield outcome
    finally:
        # Only a cache: when output/ cannot be written, each edition has
        # already reported that, once.
        with contextlib.suppress(BuildError):
            manifest.save()


def _run_on_cluster(todo: list[Edition], address: str, write_html: bool) -> Iterator[Outcome]:
    from diglot import cluster

    by_name = {e.name: e for e in todo}
    for remote in cluster.run(todo, address, write_html):
        if remote.error is not None:
            yield Outcome(remote.name, error=remote.error)
            continue
        output = by_name[remote.name].output
        html = output.with_suffix(".html") if remote.html is not None else None
        built = Built(
            remote.name, output, remote.pages, remote.seconds, html, remote.warnings, remote.passes
        )
        yield Outcome(remote.name, built=built)


# Peak memory of one build process, measured (bench/README.md): about
# 100 MB to start and lay out a short booklet, and up to 450 bytes for each
# byte of source text (WeasyPrint's boxes: 350 for a 5,000-segment facing
# edition, 415 for a 2,800-page booklet of 20,000 segments).
BASE_MEMORY = 100 * 2**20
MEMORY_PER_SOURCE_BYTE = 450


def memory_estimate(edition: Edition) -> int:
    """Bytes one process building ``edition`` may need at its peak."""
    size = 0
    for lang in edition.languages:
        with contextlib.suppress(OSError):
            size += edition.source(lang).stat().st_size
    return BASE_MEMORY + MEMORY_PER_SOURCE_BYTE * size


def available_memory() -> int | None:
    """Memory the system can give without swapping (Linux's MemAvailable),
    or None where that is not known."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:  # noqa: PTH123
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def workers_allowed(editions: Sequence[Edition], jobs: int) -> int:
    """``jobs``, lowered so that as many builds of the largest edition at
    once fit in the available memory (at least one always runs)."""
    available = available_memory()
    if jobs <= 1 or available is None or not editions:
        return max(1, jobs)
    need = max(memory_estimate(e) for e in editions)
    return max(1, min(jobs, available // need))


def _run(
    todo: list[Edition],
    jobs: int,
    write_html: bool,
    raise_errors: bool,
    renderer: Renderer | None = None,
) -> Iterator[Outcome]:
    from diglot.errors import DiglotError

    if jobs <= 1 or len(todo) == 1:
        for edition in todo:
            try:
                yield Outcome(edition.name, built=build(edition, write_html, renderer))
            except DiglotError as exc:
                if raise_errors:
                    raise
                yield Outcome(edition.name, error=exc.format(edition.project.root))
        return
    pdf._weasyprint()  # import once here; forked workers inherit it
    root = str(todo[0].project.root)
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(min(jobs, len(todo)), mp_context=context) as pool:
        futures = [pool.submit(_build_in_worker, root, e.name, write_html) for e in todo]
        for future in concurrent.futures.as_completed(futures):
            yield future.result()
