"""Build editions: for each, load its texts, align them, render HTML, lay it
out (for facing pages, measure and pack first) and write the PDF.

Each step is its own module; this one strings them together. :func:`build`
makes one edition; :func:`build_many` is what ``diglot build`` calls: it
skips editions that are up to date (see ``incremental``) and builds the
others in worker processes, reporting each one's outcome as it finishes.
SOURCE_DATE_EPOCH, when set, is the time written into the PDFs.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import multiprocessing
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from diglot import chronology as chronology_mod
from diglot import chunks as chunks_mod
from diglot import (
    endpages,
    facing,
    files,
    fonts,
    footnotes,
    incremental,
    pdf,
    proof,
    record,
    render,
    settlecache,
    sources,
    typography,
    weasy,
)
from diglot import rows as rows_mod
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
    served: tuple[Path, ...] = field(default=())  # files the layout loaded
    report: proof.Report | None = None  # with --proof


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
        align=typography.alignment(
            cfg.align, cfg.layout, cfg.paper, len(cfg.languages), cfg.columns
        ),
        author=edition.author,
        editors=tuple((lang, edition.author_in(lang) or "") for lang in edition.languages),
        epoch=source_date_epoch(),
        extra_css=edition.extra_css,
    )


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    # The last second of 9999: PDF dates (and Python's) have four-digit years.
    latest = 253402300799
    if not value.isdigit() or len(value) > len(str(latest)) or int(value) > latest:
        raise UsageError(
            "SOURCE_DATE_EPOCH must be whole seconds since 1970 up to the end of "
            f"9999 ({latest}), not {value!r}"
        )
    return int(value)


def edition_html(edition: Edition) -> str:
    alignment, chronology = load_texts(edition)
    return render.render_html(edition.project.root, page_for(edition), alignment, chronology)


# Longer than any word a line of the narrowest layout holds: such a "word"
# (a URL, a run of characters without spaces) is broken at the margin by the
# stylesheets' overflow-wrap, and the editor is told where it is.
LONG_WORD = 60
_LONG_WORD = re.compile(rf"[^\s\u00ad\u200b-]{{{LONG_WORD + 1},}}")


def _text_lines(edition: Edition) -> Iterator[tuple[Path, int, str]]:
    """(file, line number, line) of the edition's texts and chronology."""
    paths = [edition.source(lang) for lang in edition.languages]
    paths.append(edition.work_dir / chronology_mod.FILE_NAME)
    for path in paths:
        try:
            data = files.read_bytes(path, sources.MAX_SOURCE_BYTES)
        except OSError:
            continue  # reported when the file is loaded
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
            yield path, number, line


def long_words(edition: Edition) -> list[str]:
    """Warnings (``path:line: ...``) for words too long for any line."""
    found = []
    root = edition.project.root
    for path, number, line in _text_lines(edition):
        # A link "[text](address)" prints as the text and, after it, the
        # address: two words, though the source has no space between them.
        for match in _LONG_WORD.finditer(line.replace("](", "] (")):
            shown = path.relative_to(root) if path.is_relative_to(root) else path
            found.append(
                f"{shown}:{number}: a word of {len(match[0])} characters without a "
                f"break ({match[0][:20]}…) is too long for a line; it is broken at "
                "the margin: add spaces or soft hyphens where it may break"
            )
    return found


# WeasyPrint's line breaking of a word wider than the column is quadratic in
# its length (a 20,000-character word adds half a minute, 100,000 ten
# minutes). Past RUNAWAY characters a word gets a zero-width break
# opportunity every BREAK_EVERY characters, so the stylesheet's
# overflow-wrap only ever works on short pieces. No real word (or URL) is
# that long, and the build warns about it.
RUNAWAY = 500
BREAK_EVERY = 16
_RUNAWAY = re.compile(rf"[^\s\u00ad\u200b&;<>-]{{{RUNAWAY + 1},}}")
# Text between tags, leaving <style> and <script> (CSS, data: URLs) alone.
_TEXT_NODES = re.compile(r"<(style|script)\b.*?</\1\s*>|>([^<]+)", re.S | re.I)


def break_runaway_words(html: str) -> str:
    """``html`` with U+200B inside every word longer than RUNAWAY characters."""

    def split(match: re.Match[str]) -> str:
        word = match[0]
        return "\u200b".join(word[i : i + BREAK_EVERY] for i in range(0, len(word), BREAK_EVERY))

    def text_node(match: re.Match[str]) -> str:
        if match[2] is None or len(match[2]) <= RUNAWAY:
            return match[0]
        return ">" + _RUNAWAY.sub(split, match[2])

    return _TEXT_NODES.sub(text_node, html)


# Embedding and override controls reorder the characters between them when
# printed (the "Trojan Source" trick): text that reads one way in the file
# prints another. The marks LRM, RLM and ALM only nudge neutral characters
# and stay allowed.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def refuse_bidi_controls(edition: Edition) -> None:
    for path, number, line in _text_lines(edition):
        found = BIDI_CONTROLS.search(line)
        if found is not None:
            raise SourceError(
                f"character {fonts.describe(found[0])} would change the order in which the "
                "text around it is printed; remove it (use the marks U+200E or U+200F "
                "where a direction is needed)",
                path,
                number,
            )


def check_glyphs(edition: Edition, html: str) -> None:
    """Refuse text the fonts cannot print (it would come out as empty boxes
    or in a stray system font), naming the first file and line that has it."""
    missing = fonts.uncovered(html)
    if not missing:
        return
    root = edition.project.root
    candidates = [edition.source(lang) for lang in edition.languages]
    candidates.append(edition.work_dir / chronology_mod.FILE_NAME)
    candidates += sorted((root / "layouts").glob("*.j2"))
    candidates += sorted((root / "layouts").glob("*.yaml"))
    candidates.append(edition.project.config_path)  # an edition's title
    for path in candidates:
        try:
            data = files.read_bytes(path, sources.MAX_SOURCE_BYTES)
        except OSError:
            continue
        lines = data.decode("utf-8", errors="replace").splitlines()
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
        for area in weasy.footnote_areas(page):
            if area.margin_height() <= weasy.page_content_height(page):
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


@dataclass(frozen=True)
class Laid:
    """An edition laid out by WeasyPrint, not yet written."""

    html: str
    document: Any
    passes: int
    warnings: tuple[str, ...]
    served: tuple[Path, ...]  # files the layout loaded


def settle_cache(edition: Edition) -> contextlib.AbstractContextManager[None]:
    """The line-breaking decisions of the edition's last build, kept in
    ``output/`` (:mod:`diglot.settlecache`) under a digest of what its
    layout depends on besides the HTML."""
    digest = hashlib.sha256(chunks_mod.resources_digest(edition).encode())
    settings = [edition.config.model_dump(mode="json"), edition.project.settings]
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    folders = (*render.resource_dirs(edition.project.root), *fonts.font_dirs())
    return settlecache.session(
        edition.project.output_dir, edition.name, digest.hexdigest(), tuple(folders)
    )


def warn_unsettled(warnings: list[str]) -> Callable[[], None]:
    """What a settle loop calls when it runs out of passes: the edition is
    printed as laid out last, and its next build pays all its passes again,
    which the editor is told once in ``warnings`` (a long text's slow builds
    had no reason given), whether the edition is laid out whole or in chunks."""

    def unsettled() -> None:
        told = (  # the passes read when told: tests lower them
            f"line breaking did not settle in {typography.MAX_PASSES} layouts; "
            "printed as laid out last, and every build of it lays the text out as many "
            "times again"
        )
        if told not in warnings:
            warnings.append(told)

    return unsettled


class _Passes:
    """The WeasyPrint layouts of one edition: each pass is told to
    ``progress``, and the warnings WeasyPrint gives and the files it loads
    are gathered across passes."""

    def __init__(self, edition: Edition, tell: Progress, warnings: list[str]) -> None:
        self.edition = edition
        self.tell = tell
        self.warnings = warnings  # the edition's, extended in place
        self.pages: list[int] = []  # pages of each layout pass so far
        self.served: set[Path] = set()
        self.colophon = endpages.BACK_OF_COVER  # where a booklet's colophon is
        # the HTML that choice is kept under, and the words locked before it
        self.placed: tuple[str, frozenset[str]] | None = None
        self.unsettled = warn_unsettled(warnings)

    def once(self, text: str) -> Any:
        """One WeasyPrint layout of ``text``."""
        edition = self.edition
        root = edition.project.root
        done = f", {self.pages[-1]} pages" if self.pages else ""
        self.tell(f"layout pass {len(self.pages) + 1}{done}")
        document, found = pdf.render(
            break_runaway_words(text),
            root,
            render.resource_dirs(root),
            lambda url: render.locate(root, url, edition.config.layout),
            strict_css=root,
            languages=edition.languages,
            served=self.served,
        )
        self.warnings.extend(w for w in found if w not in self.warnings)
        self.pages.append(len(document.pages))
        return document

    def lay_out(self, html: str) -> tuple[str, Any]:
        """``html`` laid out with the typography rules; each further layout
        pass is made only when the first one shows it is needed
        (typography.settle)."""
        check_glyphs(self.edition, html)
        fit = self.edition.config.linebreak == "total-fit"  # else WeasyPrint's first-fit
        return typography.settle(html, self.once, fit, self.unsettled)


def _read_texts(
    edition: Edition, tell: Progress, warnings: list[str]
) -> tuple[Alignment, Chronology | None]:
    """The edition's texts aligned, and its chronology; the texts' own
    warnings are added to ``warnings``."""
    tell("reading texts")
    alignment, chronology = load_texts(edition)
    for doc in alignment.documents:
        warnings.extend(w.format(edition.project.root) for w in doc.warnings)
    return alignment, chronology


def _lay_out_flowing(
    edition: Edition, alignment: Alignment, chronology: Chronology | None, passes: _Passes
) -> tuple[str, Any]:
    """A booklet or handout (not facing pages): its HTML laid out, the record
    of changes citing pages once, long footnotes continued on the next page."""
    root = edition.project.root
    html = render.render_html(root, page_for(edition), alignment, chronology)
    if side_by_side(edition):
        plan, columns, lines = level_rows(edition, alignment, chronology, html, passes.once)
        if plan[0] or plan[1] or columns is not None or lines:
            # (else every row level, equal columns, every paragraph as it comes)
            extra = {"columns": columns}
            page = page_for(edition)
            html = render.render_html(
                root, page, alignment, chronology, extra, plan=plan, lines=lines
            )
        html, document = _settle_level(edition, html, passes)
    else:
        html, document = _settle_cited(edition, typography.number_paragraphs(html), passes)
    return footnotes.continue_notes(html, document, passes.once)


def _settle_level(edition: Edition, html: str, passes: _Passes) -> tuple[str, Any]:
    """A side-by-side booklet settled (:func:`_settle_cited`) with no white
    a group of rows shares out under its rows at the top of a column
    (diglot.rows.white_at_top): white a page break puts there is left out,
    and the edition settled again. A rebuild of the same HTML does the same
    before its first layout (diglot.settlecache), with the words the last
    build had locked."""
    source = typography.number_paragraphs(html)

    def mended(top: rows_mod.Top) -> str:
        """``source`` with ``top``'s white left out."""
        return typography.number_paragraphs(rows_mod.drop_spreads(html, top))

    known = settlecache.choice("tops", source, rows_mod.read_tops)
    if known is not None:
        top, after, words = known

        def level() -> tuple[str, Any] | None:
            laid = _settle_cited(edition, mended(top), passes)
            return laid if rows_mod.white_at_top(laid[1]) == after else None

        kept = _kept(words, level)
        if kept is not None:
            return kept
    laid = _settle_cited(edition, source, passes)
    top = rows_mod.white_at_top(laid[1])
    if not top:
        return laid
    words = typography.locked()
    with settlecache.same_paragraphs():
        laid = _settle_cited(edition, mended(top), passes)
    after = rows_mod.white_at_top(laid[1])
    settlecache.choose("tops", source, rows_mod.tops_data(top, after, words))
    return laid


def _kept(
    words: frozenset[str], attempt: Callable[[], tuple[str, Any] | None]
) -> tuple[str, Any] | None:
    """Make a choice kept by the last build of the same HTML
    (diglot.settlecache): with the words that build had locked, ``attempt``
    lays the edition out as chosen and returns the layout, or None when
    the choice no longer holds; the words locked are then as if that layout
    had not been made, so that a rebuild ends where a first build would."""
    saved = typography.state()
    typography.lock(words)
    laid = attempt()
    if laid is None:
        typography.restore(saved)
    return laid


def _settle_flowing(edition: Edition, html: str, passes: _Passes, key: str) -> tuple[str, Any]:
    """``html`` settled (a booklet's colophon placed); ``key``: the HTML the
    choices kept for it are kept under."""
    if edition.config.layout == "booklet":
        return _place_colophon(html, passes, key)
    return passes.lay_out(html)


def _settle_cited(edition: Edition, source: str, passes: _Passes) -> tuple[str, Any]:
    """``source`` settled with its record of changes citing each page once,
    runs of pages as ranges (diglot.record). The pages are known from a
    layout, so the edition is settled again with the references grouped.
    A rebuild of the same HTML groups them as the last build did before its
    first layout (diglot.settlecache), with the words that build had
    locked, and is done in one layout when the pages come out the same."""
    known = settlecache.choice("cite", source, record.read_choice)
    if known is not None:
        cited = record.rewrite(source, known[0])

        def grouped() -> tuple[str, Any] | None:
            html, document = _settle_flowing(edition, cited, passes, source)
            same = record.rewrite(source, record.cited_pages(source, document)) == cited
            return (html, document) if same else None

        kept = _kept(known[1], grouped)
        if kept is not None:
            return kept
    html, document = _settle_flowing(edition, source, passes, source)
    pages = record.cited_pages(source, document)
    cited = record.rewrite(source, pages)
    if cited == source:
        return html, document
    words = typography.locked()
    if passes.colophon != endpages.BACK_OF_COVER:
        cited = endpages.arrange(cited, passes.colophon) or cited
    with settlecache.same_paragraphs():
        html, document = passes.lay_out(cited)
    settlecache.choose("cite", source, record.choice_data(pages, words))
    if passes.placed is not None:
        # The pages cited may move a block of the record over a page
        # (typography.widow_pages), and a rebuild lays the colophon's place
        # out with what was settled here: the pages it is to hold are these.
        key, placed = passes.placed
        data = endpages.choice_data(passes.colophon, len(document.pages), placed)
        settlecache.choose("endpages", key, data)
    return html, document


def _place_colophon(source: str, passes: _Passes, key: str) -> tuple[str, Any]:
    """A booklet laid out with the pages that would be blank at its end put
    to use: the colophon shares the contents' page, or moves to the last
    page (diglot.endpages). Every page after it turns the other way, so the
    text is settled again (no word broken at the foot of a recto). A
    rebuild of the same HTML goes straight to where the colophon went
    (diglot.settlecache, under ``key``), with the words the first layout
    locked."""
    # the HTML each arrangement tried settled into, by the arrangement's
    # HTML: the one kept is not always the last tried (endpages.fill)
    settled: dict[str, str] = {}
    passes.placed = None

    def settle(moved: str) -> Any:
        with settlecache.same_paragraphs():
            settled[moved], laid = passes.lay_out(moved)
        return laid

    known = settlecache.choice("endpages", key, endpages.read_choice)
    if known is not None and known[0] != endpages.BACK_OF_COVER:
        moved = endpages.arrange(source, known[0])
        if moved is not None:
            place, count, words = known

            def placed() -> tuple[str, Any] | None:
                laid = settle(moved)
                return (settled[moved], laid) if endpages.holds(laid, place, count) else None

            kept = _kept(words, placed)
            if kept is not None:
                passes.colophon, passes.placed = place, (key, words)
                return kept
    html, document = passes.lay_out(source)
    if known is not None and known[:2] == (endpages.BACK_OF_COVER, len(document.pages)):
        return html, document
    words = typography.locked()
    arranged, document, passes.colophon = endpages.fill(source, document, settle, passes.once)
    if passes.colophon != endpages.BACK_OF_COVER:
        html = settled[arranged]
        passes.placed = (key, words)
    settlecache.choose(
        "endpages", key, endpages.choice_data(passes.colophon, len(document.pages), words)
    )
    return html, document


def _finish(
    edition: Edition, html: str, document: Any, alignment: Alignment, passes: _Passes
) -> tuple[str, Any]:
    """Check every footnote was placed, take the running head off the pages
    of a booklet or facing edition that open with a section's heading, and
    pad to a multiple of four pages, the blank ones at the end (the inside
    and the back of the cover)."""
    check_footnotes(document, alignment.documents)
    if edition.config.layout in typography.BOOKLETS:
        # no running head over a section's heading that opens a page
        rows_mod.clear_heads_over_headings(document)
    if edition.config.layout in typography.BOOKLETS:
        document = typography.pad_to_four(
            document,
            render.PAGE_SIZES[edition.config.paper],
            edition.config.pdf == "print",
        )
    return html, document


def lay_out_edition(edition: Edition, progress: Progress | None = None) -> Laid:
    """Render ``edition``'s HTML and lay it out (facing pages: measured and
    packed), with the typography rules applied; nothing is written but the
    line-breaking decisions (:mod:`diglot.settlecache`).
    ``progress`` hears what it is doing (for a terminal's status line)."""
    refuse_bidi_controls(edition)
    warnings = label_warnings(edition) + long_words(edition)
    tell = progress or (lambda _message: None)
    passes = _Passes(edition, tell, warnings)
    alignment, chronology = _read_texts(edition, tell, warnings)
    made = 1  # layouts facing pages report they made (the measuring one, then each packing)
    with typography.session(edition.languages), settle_cache(edition):
        if edition.config.layout == "facing":
            html, document, made = facing_pages(edition, alignment, chronology, passes.lay_out)
            # the record of changes cites each page once, runs of pages as ranges
            html, document = record.cite_pages(html, document, passes.once)
        else:
            html, document = _lay_out_flowing(edition, alignment, chronology, passes)
        html, document = _finish(edition, html, document, alignment, passes)
    return Laid(
        html,
        document,
        max(made, len(passes.pages)),
        tuple(warnings),
        tuple(sorted(passes.served)),
    )


def facing_pages(
    edition: Edition,
    alignment: Alignment,
    chronology: Chronology | None,
    lay_out: Callable[[str], tuple[str, Any]],
) -> tuple[str, Any, int]:
    """A facing edition packed and laid out (:func:`layout_facing`; ``lay_out``
    settles and lays out HTML, whole or in chunks), and the layouts made. A
    pamphlet without contents whose colophon fits its last page is laid
    out so when that saves it four pages (endpages.to_back: its spreads keep their
    sides, two pages up); a rebuild of the same text that made that
    choice packs it so at once (diglot.settlecache), instead of laying
    the pages out twice, and checks the choice holds."""
    key = _facing_html(edition, alignment, chronology, {"measure": False, "spreads": []})
    if settlecache.choice("back", key, lambda v: v if v is True else None):
        result = layout_facing(edition, alignment, chronology, lay_out, True, key)
        if endpages.at_back(result.document, len(endpages.laid_pages(result.document)) + 1):
            return result.html, result.document, result.passes
    result = layout_facing(edition, alignment, chronology, lay_out, source=key)
    html, document = result.html, result.document
    pages = len(endpages.laid_pages(document))
    moved = endpages.to_back(html, pages)
    made, back = result.passes, False
    if moved is not None:
        # packed so from the start (the measuring column is recalled), so
        # that what it settles on is kept for the next build
        again = layout_facing(edition, alignment, chronology, lay_out, True, key)
        made += again.passes
        if endpages.at_back(again.document, pages):
            html, document, back = again.html, again.document, True
    settlecache.choose("back", key, back)
    return html, document, made


def side_by_side(edition: Edition) -> bool:
    """Two languages in the two half-page columns of a booklet. (A handout's
    columns are twice as wide: its rows differ by a line or two, and are
    left level.)"""
    return len(edition.languages) == 2 and edition.config.layout == "booklet"


def level_rows(
    edition: Edition,
    alignment: Alignment,
    chronology: Chronology | None,
    html: str,
    once: Callable[[str], Any],
) -> tuple[rows_mod.Plan, rows_mod.Columns, rows_mod.Lines]:
    """How ``html``'s side-by-side rows are set: the columns sized to the
    languages when one is much longer (diglot.rows.column_shares), the
    paragraphs of a row whose cells would leave two lines of white or more
    set in a line more or less (diglot.rows.even), and the segments that
    would still leave more than two lines of white in a column running on
    after the segment before (diglot.rows.joins), from a first layout with
    every segment level."""
    root = edition.project.root
    page = page_for(edition)
    rows = render.context(root, page, alignment, chronology)["rows"]
    # a rebuild of the same HTML makes the same plan (diglot.settlecache)
    ids = {row.id for row in rows}
    cells = frozenset(c.id for row in rows for c in row.cells if c is not None)
    kept = settlecache.choice("rows", html, lambda data: rows_mod.plan_of(data, ids, cells))
    if kept is not None:
        return kept
    # measured with the words settle keeps whole kept whole
    typography.protect(html)
    measured = typography.number_paragraphs(html)
    document = once(measured)
    heights, line = rows_mod.cell_heights(document, edition.languages)
    columns = rows_mod.column_shares(heights)
    if columns is not None:  # measured again in the columns it will have
        sized = render.render_html(root, page, alignment, chronology, {"columns": columns})
        measured = typography.number_paragraphs(sized)
        document = once(measured)
        heights, line = rows_mod.cell_heights(document, edition.languages)
    paragraphs = rows_mod.cell_paragraphs(document, edition.languages)
    uneven = {row.id for row, _ in rows_mod.uneven(rows, heights, line)}
    marks = {mark for (ident, _), found in paragraphs.items() if ident in uneven for mark in found}
    options = typography.line_options(measured, document, marks)
    full = rows_mod.ending_at_foot(document)
    lines, heights = rows_mod.even(rows, heights, line, paragraphs, options, full)
    plan = rows_mod.joins(rows, heights, line)
    settlecache.choose("rows", html, rows_mod.plan_data(plan, columns, lines))
    return plan, columns, lines


def build(
    edition: Edition,
    write_html: bool = False,
    progress: Progress | None = None,
    run_proof: bool = False,
    chunks: bool | None = None,
    jobs: int = 1,
) -> Built:
    """Render ``edition`` into ``output/<name>.pdf`` (and ``.html`` if asked);
    ``progress`` hears what it is doing; with ``run_proof`` the laid-out
    pages are also proofed. A long facing edition is laid out in chunks,
    ``jobs`` at a time (see :mod:`diglot.chunks`; ``chunks`` True or False
    decides instead of its size)."""
    started = time.perf_counter()
    root = edition.project.root
    tell = progress or (lambda _message: None)
    if chunks_mod.wanted(edition, chunks, run_proof):
        laid = chunks_mod.lay_out_edition(edition, progress, jobs)
    else:
        laid = lay_out_edition(edition, progress)
    html, document = laid.html, laid.document
    html_path = None
    if write_html:
        html_path = edition.output.with_suffix(".html")
        files.atomic_write(html_path, html.encode("utf-8"), edition.project.output_dir)
    epoch = int(page_for(edition).timestamp().timestamp())
    tell(f"writing the PDF, {len(document.pages)} pages")
    identifier = pdf.pdf_identifier(html, [*render.resource_dirs(root), *fonts.font_dirs()])
    if isinstance(document, chunks_mod.Joined):
        chunks_mod.write(document, edition.output, identifier, edition.project.output_dir)
    else:
        pdf.write(
            document,
            edition.output,
            edition.config.pdf,
            identifier,
            epoch,
            edition.project.output_dir,
            lambda url: render.locate(root, url, edition.config.layout),
        )
    return Built(
        edition.name,
        edition.output,
        len(document.pages),
        time.perf_counter() - started,
        html_path,
        laid.warnings,
        laid.passes,
        laid.served,
        proof.proof(document) if run_proof else None,
    )


def proof_edition(edition: Edition) -> proof.Report:
    """Lay out ``edition`` as a build would and proof it; nothing is written."""
    return proof.proof(lay_out_edition(edition).document)


def _facing_html(
    edition: Edition, alignment: Alignment, chronology: Chronology | None, extra: dict[str, Any]
) -> str:
    """A facing edition's HTML with ``extra`` (its measuring column, or its
    spreads) and the page geometry facing.css is drawn with."""
    page = page_for(edition)
    top, outer, bottom, inner = facing.MARGINS_MM
    geometry = {
        "margins": {"top": top, "outer": outer, "bottom": bottom, "inner": inner},
        "width": round(facing.content_width_mm(page.paper), 3),
    }
    return render.render_html(
        edition.project.root, page, alignment, chronology, {**extra, "facing": geometry}
    )


def layout_facing(
    edition: Edition,
    alignment: Alignment,
    chronology: Chronology | None,
    lay_out: Callable[[str], Any],
    back: bool = False,
    source: str | None = None,
) -> facing.Result:
    """``edition`` packed spread by spread and laid out (diglot.facing);
    with ``back``, its pages' HTML has the colophon on its last page
    (endpages.to_back). ``source``: its HTML without measuring column or
    spreads, when the caller has rendered it already."""
    root = edition.project.root
    page = page_for(edition)
    values = render.context(root, page, alignment, chronology)
    # the key dates and the records of changes are packed as the text is:
    # original left, translation right
    rows = values["rows"] + values["date_rows"] + values["record_rows"]

    def html_for(extra: dict[str, Any]) -> str:
        html = _facing_html(edition, alignment, chronology, extra)
        if back and not extra.get("measure"):
            html = endpages.arrange(html, endpages.BACK) or html
        return typography.number_paragraphs(html)

    # The words not to hyphenate are those of the whole edition from the
    # start: the measuring column must break its lines as the pages will.
    # (the same words wherever the front matter stands)
    unpacked = {"measure": False, "spreads": []}
    whole = source or _facing_html(edition, alignment, chronology, unpacked)
    typography.protect(typography.number_paragraphs(whole))
    first, second = edition.languages
    fit = edition.config.measure == "fit"
    return facing.layout(rows, (first, second), page.paper, html_for, lay_out, fit=fit)


@dataclass(frozen=True)
class Outcome:
    """What happened to one edition in a batch."""

    name: str
    built: Built | None = None
    error: str | None = None  # one "path:line: message" line per problem
    skipped: bool = False


_PROGRESS: Any = None  # in a worker process: the queue its progress goes to


@dataclass(frozen=True)
class _Options:
    """How each edition of a batch is built (see :func:`build`)."""

    write_html: bool = False
    run_proof: bool = False
    chunks: bool | None = None

    def build(self, edition: Edition, progress: Progress | None, jobs: int = 1) -> Built:
        return build(edition, self.write_html, progress, self.run_proof, self.chunks, jobs)


def _build_in_worker(root: str, name: str, options: _Options) -> Outcome:
    """Build one edition in a worker process; errors come back as text
    (exceptions with file and line do not survive pickling intact)."""
    from diglot import project as project_mod
    from diglot.errors import DiglotError

    try:
        project = project_mod.load(Path(root))
        queue = _PROGRESS
        tell = None if queue is None else (lambda message: queue.put((name, message)))
        edition = project.edition(name)
        return Outcome(name, built=options.build(edition, tell))
    except DiglotError as exc:
        return Outcome(name, error=exc.format(Path(root)))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a bug in diglot or WeasyPrint: report it, keep going
        return Outcome(
            name,
            error=f"{name}: internal error: {type(exc).__name__}: {exc} "
            "(rerun with --debug -j 1 for the traceback, and please report it)",
        )


def _worker_main(pipe: Connection, root: str, name: str, options: _Options) -> None:
    """A worker process: build one edition, send the outcome back."""
    pipe.send(_build_in_worker(root, name, options))
    pipe.close()


def build_many(
    editions: list[Edition],
    jobs: int = 1,
    write_html: bool = False,
    force: bool = False,
    raise_errors: bool = False,
    progress: Callable[[str, str], None] | None = None,
    run_proof: bool = False,
    dask: str | None = None,
    chunks: bool | None = None,
) -> Iterator[Outcome]:
    """Build editions, ``jobs`` at a time in separate processes (WeasyPrint
    renders one document on one core; fewer when the available memory does
    not hold that many builds, see :func:`workers_allowed`). Editions whose
    inputs and PDF are unchanged since the last build are skipped unless
    ``force``. Outcomes are yielded as editions finish; ``progress(name,
    message)`` hears what each build is doing. With ``dask`` (a scheduler's
    address) the editions are built on that cluster instead. ``chunks``:
    lay out long facing editions in chunks (None: when they are long,
    see :mod:`diglot.chunks`), on ``jobs`` cores when one edition is built."""
    if not editions:
        return
    source_date_epoch()  # a bad value is one usage error, not one per edition
    project = editions[0].project
    manifest = incremental.Manifest(project.output_dir)
    digests = {e.name: incremental.inputs_digest(e) for e in editions}
    todo = []
    for edition in editions:
        # Temporary files of runs killed mid-write, whether or not this one
        # writes the edition again (a running write's file is locked).
        for written in (edition.output, edition.output.with_suffix(".html")):
            files.remove_stale_parts(written)
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
            else _run(todo, jobs, _Options(write_html, run_proof, chunks), raise_errors, progress)
        )
        for outcome in outcomes:
            if outcome.built is not None:
                manifest.record(by_name[outcome.name], digests[outcome.name], outcome.built.served)
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
        edition = by_name[remote.name]
        output = edition.output
        built = Built(
            remote.name,
            output,
            remote.pages,
            remote.seconds,
            output.with_suffix(".html") if remote.html is not None else None,
            remote.warnings,
            remote.passes,
            cluster.local_paths(remote.served, edition.project.root),
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
    options: _Options,
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
                built = options.build(edition, tell, jobs)
                yield Outcome(edition.name, built=built)
            except DiglotError as exc:
                if raise_errors:
                    raise
                yield Outcome(edition.name, error=exc.format(edition.project.root))
        return
    yield from _run_parallel(todo, jobs, options, progress)


def _run_parallel(
    todo: list[Edition],
    jobs: int,
    options: _Options,
    progress: Callable[[str, str], None] | None = None,
) -> Iterator[Outcome]:
    """One process per edition, ``jobs`` at a time, each reporting through its
    own pipe: an edition that fails, or whose process is killed, is that
    edition's error; the others finish and are reported as usual (a shared
    process pool would break for all of them)."""
    pdf.load_weasyprint()  # import once here; forked workers inherit it
    project = todo[0].project
    context = multiprocessing.get_context("fork")
    # Forked workers inherit the progress queue through _PROGRESS.
    global _PROGRESS
    queue = context.Queue() if progress is not None else None
    relay = None
    if queue is not None and progress is not None:
        relay = threading.Thread(target=_relay, args=(queue, progress), daemon=True)
        relay.start()
    _PROGRESS = queue
    waiting = list(todo)
    running: dict[Connection, tuple[Edition, BaseProcess]] = {}
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                edition = waiting.pop(0)
                reader, writer = context.Pipe(duplex=False)
                process: BaseProcess = context.Process(
                    target=_worker_main,
                    args=(writer, str(project.root), edition.name, options),
                    daemon=True,
                )
                process.start()
                writer.close()  # the worker holds the only write end: EOF when it dies
                running[reader] = (edition, process)
            for ready in wait(list(running)):
                assert isinstance(ready, Connection)
                edition, process = running.pop(ready)
                try:
                    outcome: Outcome | None = ready.recv()
                except (EOFError, OSError):
                    outcome = None
                ready.close()
                process.join()
                yield outcome or Outcome(edition.name, error=_lost(edition, process.exitcode))
    finally:
        for pipe, (_, left) in running.items():
            left.kill()
            left.join()
            pipe.close()
        _PROGRESS = None
        if queue is not None and relay is not None:
            queue.put(None)
            relay.join(timeout=5)


def _lost(edition: Edition, exitcode: int | None) -> str:
    """The error for an edition whose worker process ended without a result."""
    how = (
        f"was killed by signal {-exitcode}"
        if exitcode is not None and exitcode < 0
        else f"ended with exit code {exitcode}"
    )
    return BuildError(
        f"edition {edition.name!r}: its build process {how} before it finished; "
        "the other editions are not affected (if memory ran out, build with fewer --jobs)",
        edition.project.config_path,
        edition.line,
    ).format(edition.project.root)


def _relay(queue: Any, progress: Callable[[str, str], None]) -> None:
    """Pass the workers' progress messages on, until a None arrives."""
    while True:
        item = queue.get()
        if item is None:
            return
        progress(*item)
