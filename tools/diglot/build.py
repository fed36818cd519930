"""Build editions: for each, load its texts, align them, render HTML, lay it
out (for facing pages, measure and pack first) and write the PDF.

Each step is its own module; this one strings them together. :func:`build`
makes one edition; :func:`build_many` is what ``diglot build`` calls: it
skips editions that are up to date (see ``incremental``) and builds the
others in worker processes, reporting each one's outcome as it finishes.
SOURCE_DATE_EPOCH, when set, is the time written into the PDFs.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diglot import chronology as chronology_mod
from diglot import facing, files, fonts, incremental, pdf, render, sources
from diglot.align import Alignment, align
from diglot.chronology import Chronology
from diglot.dates import format_partial, language_name, parse_iso
from diglot.errors import BuildError, ConfigError, SourceError, UsageError
from diglot.project import Edition


@dataclass(frozen=True)
class Built:
    name: str
    path: Path
    pages: int
    seconds: float
    html: Path | None = None
    warnings: tuple[str, ...] = field(default=())
    passes: int = 1  # WeasyPrint layouts made (facing pages: the measuring one, then each packing)


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
        notes=cfg.notes,
        title=cfg.title,
        author=edition.author,
        epoch=source_date_epoch(),
        extra_css=edition.extra_css,
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


def check_footnotes(document: Any, documents: tuple[sources.Document, ...]) -> None:
    """Refuse a footnote taller than its page: WeasyPrint does not continue
    a footnote on the next page but lets it run off the page, cut."""
    by_lang = {doc.language: doc for doc in documents}
    for number, page in enumerate(document.pages, start=1):
        box = page._page_box
        for area in box.children:
            if type(area).__name__ != "FootnoteAreaBox" or area.margin_height() <= box.height:
                continue
            tallest = max(area.children, key=lambda c: c.margin_height(), default=None)
            ident = tallest.element.get("id", "") if tallest is not None else ""
            lang, _, index = ident.removeprefix("note-").rpartition("-")  # note-<lang>-<n>
            doc = by_lang.get(lang)
            notes = doc.notes if doc is not None else ()
            note = next((n for n in notes if str(n.number) == index), None)
            where = (doc.path, note.line) if doc is not None and note is not None else (None, None)
            raise SourceError(
                f"note {index or '?'} does not fit on page {number}: a footnote is not "
                "continued on the next page; shorten it, or print the notes after the "
                'text with notes = "endnotes" in diglot.toml',
                *where,
            )



def label_warnings(edition: Edition) -> list[str]:
    """One warning per language the labels do not cover, naming the words."""
    warnings = []
    for lang in edition.languages:
        missing = render.missing_labels(edition.project.root, lang)
        if missing:
            warnings.append(
                f"no {lang} labels for {', '.join(missing)}: English is printed instead; "
                f"add them under each key in layouts/labels.yaml"
            )
    return warnings


Progress = Callable[[str], None]  # told what a build is doing, e.g. "layout pass 2"


def build(edition: Edition, write_html: bool = False, progress: Progress | None = None) -> Built:
    """Render ``edition`` into ``output/<name>.pdf`` (and ``.html`` if asked);
    ``progress`` hears what it is doing (for a terminal's status line)."""
    started = time.perf_counter()
    root = edition.project.root
    warnings = label_warnings(edition)
    tell = progress or (lambda _message: None)
    laid_out: list[int] = []  # pages of each layout pass so far

    def lay_out(html: str) -> Any:
        done = f", {laid_out[-1]} pages" if laid_out else ""
        tell(f"layout pass {len(laid_out) + 1}{done}")
        check_glyphs(edition, html)
        document, found = pdf.render(
            html,
            root,
            render.resource_dirs(root),
            lambda url: render.locate(root, url, edition.config.layout),
            strict_css=root,
            languages=edition.languages,
        )
        warnings.extend(w for w in found if w not in warnings)
        laid_out.append(len(document.pages))
        return document

    passes = 1
    tell("reading texts")
    alignment, chronology = load_texts(edition)
    for doc in alignment.documents:
        warnings.extend(w.format(root) for w in doc.warnings)
    if edition.config.layout == "facing":
        result = layout_facing(edition, alignment, chronology, lay_out)
        html, document, passes = result.html, result.document, result.passes
    else:
        html = render.render_html(root, page_for(edition), alignment, chronology)
        document = lay_out(html)
    html_path = None
    if write_html:
        html_path = edition.output.with_suffix(".html")
        files.atomic_write(html_path, html.encode("utf-8"), edition.project.output_dir)
    check_footnotes(document, alignment.documents)
    epoch = int(page_for(edition).timestamp().timestamp())
    tell(f"writing the PDF, {len(document.pages)} pages")
    pdf.write(
        document,
        edition.output,
        edition.config.pdf,
        pdf.pdf_identifier(html),
        epoch,
        edition.project.output_dir,
    )
    return Built(
        edition.name,
        edition.output,
        len(document.pages),
        time.perf_counter() - started,
        html_path,
        tuple(warnings),
        passes,
    )


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


_PROGRESS: Any = None  # in a worker process: the queue its progress goes to


def _set_progress_queue(queue: Any) -> None:
    global _PROGRESS
    _PROGRESS = queue


def _build_in_worker(root: str, name: str, write_html: bool) -> Outcome:
    """Build one edition in a worker process; errors come back as text
    (exceptions with file and line do not survive pickling intact)."""
    from diglot import project as project_mod
    from diglot.errors import DiglotError

    project = project_mod.load(Path(root))
    queue = _PROGRESS
    tell = None if queue is None else (lambda message: queue.put((name, message)))
    try:
        return Outcome(name, built=build(project.edition(name), write_html, tell))
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
    progress: Callable[[str, str], None] | None = None,
) -> Iterator[Outcome]:
    """Build editions, ``jobs`` at a time in separate processes (WeasyPrint
    renders one document on one core). Editions whose inputs and PDF are
    unchanged since the last build are skipped unless ``force``. Outcomes
    are yielded as editions finish; ``progress(name, message)`` hears what
    each build is doing."""
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
    by_name = {e.name: e for e in todo}
    manifest.forget(by_name)
    try:
        for outcome in _run(todo, jobs, write_html, raise_errors, progress):
            if outcome.built is not None:
                manifest.record(by_name[outcome.name], digests[outcome.name])
            yield outcome
    finally:
        # Only a cache: when output/ cannot be written, each edition has
        # already reported that, once.
        with contextlib.suppress(BuildError):
            manifest.save()


def _run(
    todo: list[Edition],
    jobs: int,
    write_html: bool,
    raise_errors: bool,
    progress: Callable[[str, str], None] | None = None,
) -> Iterator[Outcome]:
    from diglot.errors import DiglotError

    if jobs <= 1 or len(todo) == 1:
        for edition in todo:
            tell = None
            if progress is not None:
                tell = functools.partial(progress, edition.name)
            try:
                yield Outcome(edition.name, built=build(edition, write_html, tell))
            except DiglotError as exc:
                if raise_errors:
                    raise
                yield Outcome(edition.name, error=exc.format(edition.project.root))
        return
    pdf._weasyprint()  # import once here; forked workers inherit it
    root = str(todo[0].project.root)
    context = multiprocessing.get_context("fork")
    queue = context.Queue() if progress is not None else None
    relay = None
    if queue is not None and progress is not None:
        relay = threading.Thread(target=_relay, args=(queue, progress), daemon=True)
        relay.start()
    try:
        with concurrent.futures.ProcessPoolExecutor(
            min(jobs, len(todo)),
            mp_context=context,
            initializer=_set_progress_queue,
            initargs=(queue,),
        ) as pool:
            futures = [pool.submit(_build_in_worker, root, e.name, write_html) for e in todo]
            for future in concurrent.futures.as_completed(futures):
                yield future.result()
    finally:
        if queue is not None and relay is not None:
            queue.put(None)
            relay.join(timeout=5)


def _relay(queue: Any, progress: Callable[[str, str], None]) -> None:
    """Pass the workers' progress messages on, until a None arrives."""
    while True:
        item = queue.get()
        if item is None:
            return
        progress(*item)
