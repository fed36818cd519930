"""Turn aligned texts and a chronology into one HTML document per edition.

Templates are Jinja2 with ``StrictUndefined`` (a misspelt variable is an
error, not an empty string) and autoescaping (a ``<script>`` in a source is
printed, never run). The loader looks in the project's ``layouts/`` first,
then in diglot's built-in layouts, so a project can override one template
by giving a file the same name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
import yaml
from markupsafe import Markup, escape

from diglot import __version__, fonts
from diglot.align import Alignment
from diglot.chronology import Chronology
from diglot.dates import PartialDate, format_partial, language_name
from diglot.errors import TemplateError
from diglot.sources import Block, Document, Segment, parse_inline

BUILTIN = Path(__file__).resolve().parent
PAGE_SIZES = {
    "A4": "A4",
    "A5": "A5",
    "A6": "A6",
    "Letter": "letter",
    "half-letter": "5.5in 8.5in",
}


@dataclass(frozen=True)
class Page:
    """What a layout needs to know about the edition being rendered."""

    name: str
    layout: str
    paper: str
    date: dt.date
    kind: str
    columns: int
    chronology: bool
    contents: bool
    title: str | None = None


def search_path(root: Path, folder: str) -> list[Path]:
    """Project folder first, then diglot's own."""
    paths = [root / folder, BUILTIN / folder]
    return [p for p in paths if p.is_dir()]


def resource_dirs(root: Path) -> list[Path]:
    """Folders a rendered edition may load files from: the project and the
    built-in layouts and styles (resolved, as they may be links)."""
    return [
        root.resolve(),
        *(p.resolve() for d in ("layouts", "styles") for p in search_path(root, d)),
    ]


def locate(root: Path, url: str, layout: str) -> tuple[Path, int | None]:
    """The file and line that mention ``url`` (or the file name it ends in),
    so a refused resource can be reported where an editor can fix it."""
    tail = url.rstrip("/").rsplit("/", 1)[-1] or url
    candidates = [
        *(p for d in search_path(root, "layouts") for p in sorted(d.glob("*.j2"))),
        *(p for d in search_path(root, "styles") for p in sorted(d.glob("*.css"))),
        *sorted((root / "sources").glob("*/*.md")),
    ]
    for needle in (url, tail):
        for path in candidates:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            for number, line in enumerate(lines, start=1):
                if needle in line:
                    return path, number
    return root / "layouts" / f"{layout}.html.j2", None


def environment(root: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in search_path(root, "layouts")]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    styles = search_path(root, "styles")

    def stylesheet(name: str) -> str:
        for folder in styles:
            if (folder / name).is_file():
                return (folder / name).resolve().as_uri()
        raise TemplateError(f"stylesheet {name!r} not found in styles/", root / "styles")

    env.globals["stylesheet"] = stylesheet
    return env


def labels(root: Path) -> dict[str, dict[str, str]]:
    for folder in search_path(root, "layouts"):
        path = folder / "labels.yaml"
        if path.is_file():
            return _labels(path)
    return {}


@cache
def _labels(path: Path) -> dict[str, dict[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): {str(lk): str(lv) for lk, lv in v.items()} for k, v in data.items()}


def inline_html(text: str) -> Markup:
    out = Markup()
    for style, run in parse_inline(text):
        out += Markup("<{0}>{1}</{0}>").format(style, run) if style else escape(run)
    return out


def _block(block: Block) -> dict[str, Any]:
    return {
        "kind": block.kind,
        "level": block.level,
        "html": inline_html(block.text),
        "text": block.plain,
        "source": block.text,
    }


def _cell(segment: Segment | None, lang: str) -> dict[str, Any] | None:
    if segment is None:
        return None
    return {
        "lang": lang,
        "id": f"{lang}-{segment.id}",
        "segment": segment.id,
        "heading": segment.is_heading,
        "blocks": [_block(b) for b in segment.blocks],
    }


def context(
    root: Path,
    page: Page,
    alignment: Alignment,
    chronology: Chronology | None,
) -> dict[str, Any]:
    docs: Sequence[Document] = alignment.documents
    codes = [d.language for d in docs]
    published = PartialDate(page.date.year, page.date.month, page.date.day)
    table = labels(root)

    def label(key: str, lang: str) -> str:
        entry = table.get(key, {})
        return entry.get(lang) or entry.get(lang.split("-")[0]) or entry.get("en") or key

    languages = [
        {
            "code": d.language,
            "name": language_name(d.language),
            "title": d.meta.title,
            "subtitle": d.meta.subtitle,
            "date": format_partial(published, d.language),
            "role": d.meta.role,
            "provenance": d.meta.provenance.model_dump(mode="json"),
            "label": {k: label(k, d.language) for k in table},
        }
        for d in docs
    ]
    rows: list[dict[str, Any]] = [
        {
            "id": row.id,
            "heading": row.is_heading,
            "level": row.level,
            "cells": [_cell(seg, codes[i]) for i, seg in enumerate(row.cells)],
        }
        for row in alignment.rows
    ]
    for row in rows:
        row["anchor"] = next(c["id"] for c in row["cells"] if c is not None)
    dates: list[dict[str, Any]] = []
    if chronology is not None and page.chronology:
        for entry in chronology.entries:
            dates.append(
                {
                    "iso": entry.date.iso(),
                    "id": f"date-{entry.date.iso()}-{entry.line}",
                    "segment": entry.segment,
                    "cells": [
                        {
                            "lang": code,
                            "date": format_partial(entry.date, code),
                            "event": entry.events.get(code, ""),
                        }
                        for code in codes
                    ],
                }
            )
    title = page.title or " · ".join(d.meta.title for d in docs)
    authors = sorted({a for d in docs for a in [d.meta.provenance.author] if a})
    return {
        "edition": page,
        "title": title,
        "authors": authors,
        "primary": languages[0],
        "languages": languages,
        "rows": rows,
        "toc": [r for r in rows if r["heading"] and r["level"] <= 2],
        "chronology": dates,
        "page_size": PAGE_SIZES[page.paper],
        # Inside <style> the HTML parser does not decode entities, so the
        # rules (built from installed font paths, no user text) go in raw.
        "fonts_css": Markup(fonts.font_face_css()),  # noqa: S704
        "version": __version__,
        "created": f"{page.date.isoformat()}T00:00:00Z",
        "label": languages[0]["label"],
    }


def render_html(
    root: Path,
    page: Page,
    alignment: Alignment,
    chronology: Chronology | None,
    extra: dict[str, Any] | None = None,
) -> str:
    """The edition's HTML; ``extra`` adds to the layout's context."""
    values = {**context(root, page, alignment, chronology), **(extra or {})}
    return render_template(root, f"{page.layout}.html.j2", values)


def render_template(root: Path, name: str, values: dict[str, Any]) -> str:
    env = environment(root)
    try:
        template = env.get_template(name)
        return template.render(values)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax error: {exc.message}", exc.filename or name, exc.lineno
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"template {exc.name!r} not found in layouts/", root / "layouts"
        ) from None
    except jinja2.UndefinedError as exc:
        path, line = _template_position(exc.__traceback__, name)
        raise TemplateError(f"undefined in template: {exc.message}", path, line) from None
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        path, line = _template_position(exc.__traceback__, name)
        raise TemplateError(f"template failed: {exc}", path, line) from None


def _template_position(tb: TracebackType | None, fallback: str) -> tuple[str, int | None]:
    """The innermost template frame of a traceback (Jinja maps them to .j2 lines)."""
    found: tuple[str, int | None] = (fallback, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
