"""Build one edition: load its texts, align them, render HTML, write the PDF.

Each step is its own module; this one only strings them together and is
what ``diglot build`` calls for each edition.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diglot import chronology as chronology_mod
from diglot import facing, pdf, render, sources
from diglot.align import Alignment, align
from diglot.chronology import Chronology
from diglot.errors import SourceError
from diglot.project import Edition


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
    documents = [sources.load(edition.source(lang)) for lang in edition.languages]
    alignment = align(documents)
    for index, doc in enumerate(documents):
        missing = alignment.undeclared_missing(index)
        if missing and doc.meta.role == "original":
            raise SourceError(
                f"segment {missing[0]!r} of a translation is not in the original "
                f"({len(missing)} such segment(s)); add it here or remove it there",
                doc.path,
                doc.body_line,
            )
    chronology = None
    dates_path = edition.work_dir / chronology_mod.FILE_NAME
    if edition.config.chronology and dates_path.exists():
        chronology = chronology_mod.load(dates_path, edition.languages)
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
    )


def edition_html(edition: Edition) -> str:
    alignment, chronology = load_texts(edition)
    return render.render_html(edition.project.root, page_for(edition), alignment, chronology)


def build(edition: Edition, write_html: bool = False) -> Built:
    """Render ``edition`` into ``output/<name>.pdf`` (and ``.html`` if asked)."""
    started = time.perf_counter()
    root = edition.project.root
    warnings: list[str] = []

    def lay_out(html: str) -> Any:
        document, found = pdf.render(
            html,
            root,
            render.resource_dirs(root),
            lambda url: render.locate(root, url, edition.config.layout),
        )
        warnings.extend(w for w in found if w not in warnings)
        return document

    passes = 1
    if edition.config.layout == "facing":
        alignment, chronology = load_texts(edition)
        result = layout_facing(edition, alignment, chronology, lay_out)
        html, document, passes = result.html, result.document, result.passes
    else:
        html = edition_html(edition)
        document = lay_out(html)
    html_path = None
    if write_html:
        html_path = edition.output.with_suffix(".html")
        pdf.atomic_write(html_path, lambda handle: handle.write(html.encode("utf-8")))
    pdf.write(document, edition.output, edition.config.pdf, pdf.pdf_identifier(html))
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
