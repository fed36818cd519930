"""Saddle-stitch imposition: put a booklet's pages two-up on printer sheets.

A saddle-stitched booklet is a stack of sheets folded once in the middle and
stapled on the fold. Each sheet carries four pages, two on each side, so the
page count is padded with blank pages to a multiple of four. For ``N`` padded
pages, sheet ``k`` (0 is the outermost) carries::

    front:  left = N-1-2k   right = 2k
    back:   left = 2k+1     right = N-2-2k

(0-based page indices). :func:`impose_saddle` writes one output page per sheet
side, in the order front, back, front, back, ... Print the result
double-sided, flipping on the *short* edge, keep the sheets in order, fold
the stack in the middle and the pages read 1, 2, ..., N.

Each source page is placed by its TrimBox (pypdf falls back to the CropBox,
then the MediaBox, when a page has none), so the fold falls exactly on the
trim edge; whatever lies outside the TrimBox (bleed, crop marks) is clipped,
because on a two-up sheet there is no room for it and the inner bleed would
otherwise cover the facing page.

Only pypdf is used (no pdfimpose, whose licence does not suit this project).
"""

from __future__ import annotations

import logging
import warnings
from io import BytesIO
from pathlib import Path
from typing import NamedTuple

import pypdf
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError
from pypdf.errors import PyPdfError as PdfError
from pypdf.generic import NameObject, RectangleObject

from diglot import files
from diglot.errors import BuildError

__all__ = [
    "SHEETS",
    "ImposeError",
    "SheetSides",
    "impose_saddle",
    "padded_page_count",
    "saddle_order",
    "up_to_date",
]

_MM = 72 / 25.4

#: Landscape sheet sizes (width, height) in PostScript points, by name.
SHEETS: dict[str, tuple[float, float]] = {
    "a4": (297 * _MM, 210 * _MM),
    "letter": (11 * 72.0, 8.5 * 72.0),
}

# Portrait page sizes that "auto" recognises, and the sheet each goes on.
_A5 = (148 * _MM, 210 * _MM)
_HALF_LETTER = (5.5 * 72.0, 8.5 * 72.0)
_AUTO_SHEETS: tuple[tuple[tuple[float, float], str], ...] = (
    (_A5, "a4"),
    (_HALF_LETTER, "letter"),
)
# How far (in points) a page may be from a known size and still count as it:
# half a millimetre absorbs rounding in PDF writers.
_SIZE_TOLERANCE = 1.5


class ImposeError(BuildError):
    """The document cannot be imposed (empty PDF, unknown sheet size)."""


class SheetSides(NamedTuple):
    """The four page slots of one sheet: 0-based page indices, None for a blank."""

    front_left: int | None
    front_right: int | None
    back_left: int | None
    back_right: int | None


def padded_page_count(n_pages: int) -> int:
    """``n_pages`` rounded up to a multiple of four (a booklet's sheets hold four pages)."""
    if n_pages < 1:
        raise ImposeError(f"a booklet needs at least one page, not {n_pages}")
    return -(-n_pages // 4) * 4


def saddle_order(n_pages: int) -> list[SheetSides]:
    """Page slots per sheet for a saddle-stitched booklet of ``n_pages`` pages.

    Sheets are listed outermost first. Pages past the end of the document
    (the padding to a multiple of four) are ``None``: the blanks come at the
    end of the booklet.
    """
    total = padded_page_count(n_pages)

    def page(index: int) -> int | None:
        return index if index < n_pages else None

    return [
        SheetSides(
            front_left=page(total - 1 - 2 * k),
            front_right=page(2 * k),
            back_left=page(2 * k + 1),
            back_right=page(total - 2 - 2 * k),
        )
        for k in range(total // 4)
    ]


def _rotation(page: PageObject) -> int:
    """The page's /Rotate (clockwise degrees) as one of 0, 90, 180, 270."""
    return round(float(page.rotation) / 90) % 4 * 90


def _trim_size(page: PageObject) -> tuple[float, float]:
    """The page's trim size as shown, /Rotate taken into account."""
    box = page.trimbox
    width, height = float(box.width), float(box.height)
    return (height, width) if _rotation(page) % 180 else (width, height)


def _close(size: tuple[float, float], target: tuple[float, float]) -> bool:
    return all(abs(a - b) <= _SIZE_TOLERANCE for a, b in zip(size, target, strict=True))


def _sheet_size(sheet: str, pages: list[PageObject]) -> tuple[float, float]:
    """The (width, height) of a landscape sheet for ``pages``, in points."""
    name = sheet.strip().lower()
    if name in SHEETS:
        return SHEETS[name]
    if name != "auto":
        known = ", ".join(["auto", *sorted(SHEETS)])
        raise ImposeError(f"unknown sheet size {sheet!r}: use one of {known}")
    sizes = [_trim_size(page) for page in pages]
    for page_size, sheet_name in _AUTO_SHEETS:
        if all(_close(size, page_size) for size in sizes):
            return SHEETS[sheet_name]
    # Anything else: a sheet exactly two of the largest pages wide.
    width = max(w for w, _ in sizes)
    height = max(h for _, h in sizes)
    return 2 * width, height


def _clip_to_trim(page: PageObject) -> PageObject:
    """Make ``page`` clip to its TrimBox when merged (in memory only)."""
    trim = RectangleObject(page.trimbox)
    # pypdf clips a merged page to its CropBox (or its TrimBox, depending on
    # its configuration): make both the trim so bleed never crosses the fold.
    page.cropbox = trim
    page.trimbox = RectangleObject(trim)
    return page


def _place(side: PageObject, page: PageObject, sheet: tuple[float, float], left: bool) -> None:
    """Merge ``page`` upright onto one half of ``side``, its trim edge on the fold."""
    sheet_w, sheet_h = sheet
    trim = page.trimbox
    width, height = _trim_size(page)
    # Shrink a page that does not fit its half sheet; never enlarge one.
    scale = min(1.0, (sheet_w / 2) / width, sheet_h / height)
    fold = sheet_w / 2
    x = fold - scale * width if left else fold
    y = (sheet_h - scale * height) / 2
    # Trim box centred on the origin, turned as /Rotate shows it (clockwise;
    # Transformation.rotate turns anticlockwise), lower-left corner to the
    # origin, scaled, then moved into place. pypdf clips in the page's own
    # coordinates, before this transformation.
    placement = (
        Transformation()
        .translate(
            -float(trim.left) - float(trim.width) / 2,
            -float(trim.bottom) - float(trim.height) / 2,
        )
        .rotate(-_rotation(page))
        .translate(width / 2, height / 2)
        .scale(scale, scale)
        .translate(x, y)
    )
    # Round away cos(90°) = 6e-17 and the like; a nanopoint is nothing on paper.
    a, b, c, d, e, f = (round(value, 9) + 0.0 for value in placement.ctm)
    side.merge_transformed_page(page, Transformation((a, b, c, d, e, f)))


def _copy_metadata(reader: PdfReader, writer: PdfWriter) -> None:
    info = reader.metadata
    if info:
        writer.add_metadata({key: value for key, value in info.items() if value is not None})
    lang = reader.root_object.get("/Lang")
    if lang is not None:
        writer.root_object[NameObject("/Lang")] = lang.get_object()


_PYPDF = Path(pypdf.__file__).resolve().parent


def _from_pypdf(filename: str) -> bool:
    return Path(filename).resolve().is_relative_to(_PYPDF)


def _read(src: Path) -> tuple[PdfReader, list[PageObject]]:
    """The PDF's reader and pages; a damaged file (pypdf raises, or repairs it
    with warnings) is a :class:`BuildError` naming it, not a traceback."""
    data = files.read_checked(src, files.MAX_PDF_BYTES, kind="PDF files")
    warned: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            warned.append(record.getMessage())

    logger = logging.getLogger("pypdf")
    handler, propagate = Collect(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            reader = PdfReader(BytesIO(data))
            pages = list(reader.pages)
            for page in pages:
                page.get_contents()  # a broken content stream shows here
        # Only pypdf's own: a warning anything else gives meanwhile (an
        # unclosed file collected now, a deprecation) says nothing of this PDF.
        # A file collected is reported where the collection happened, which
        # may be inside pypdf: a ResourceWarning is never the PDF's.
        warned.extend(
            str(w.message)
            for w in caught
            if _from_pypdf(w.filename) and not issubclass(w.category, ResourceWarning)
        )
    except (PdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        warned.append(reason)
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    if warned:
        raise ImposeError(
            f"is not a PDF diglot can read ({warned[0]}); build it again with diglot build",
            path=src,
        )
    return reader, pages


def up_to_date(src: Path, dst: Path, sheet: str = "auto") -> bool:
    """Whether ``dst`` is ``src`` imposed on ``sheet``: written after it, one
    side per two padded pages, on sheets of that size."""
    try:
        if dst.stat().st_mtime < src.stat().st_mtime:
            return False
        pages = list(PdfReader(src).pages)
        sides = list(PdfReader(dst).pages)
    except (OSError, PdfReadError):
        return False
    if not pages or len(sides) != padded_page_count(len(pages)) // 2:
        return False
    box = sides[0].mediabox
    return _close((float(box.width), float(box.height)), _sheet_size(sheet, pages))


def impose_saddle(src: Path, dst: Path, sheet: str = "auto", inside: Path | None = None) -> int:
    """Impose the PDF ``src`` for saddle-stitch printing and write it to ``dst``.

    ``sheet`` is ``"a4"`` (A4 landscape), ``"letter"`` (Letter landscape) or
    ``"auto"``: A5 pages go on A4, half-Letter pages (5.5 x 8.5 in) on Letter,
    and anything else on a sheet twice the width of the widest page and as
    tall as the tallest. Pages too big for half a sheet are scaled down to fit.

    Every output page is one side of a sheet: front, back, front, back, ...
    Print double-sided flipping on the short edge, then fold the stack.
    Document metadata and the catalogue's ``/Lang`` are copied. ``dst`` is
    replaced atomically (``src`` and ``dst`` may be the same file).

    With ``inside``, ``dst`` must resolve inside that folder.

    Returns the number of sheet sides written (twice the number of sheets).
    Raises :class:`ImposeError` (a :class:`BuildError`) for an empty PDF or an
    unknown sheet size.
    """
    src = Path(src)
    dst = Path(dst)
    # Read the whole file first so that dst may be src.
    reader, pages = _read(src)
    if not pages:
        raise ImposeError("the PDF has no pages: nothing to impose", path=src)
    pages = [_clip_to_trim(page) for page in pages]
    size = _sheet_size(sheet, pages)

    writer = PdfWriter()
    for slots in saddle_order(len(pages)):
        for left, right in (
            (slots.front_left, slots.front_right),
            (slots.back_left, slots.back_right),
        ):
            side = writer.add_blank_page(width=size[0], height=size[1])
            if left is not None:
                _place(side, pages[left], size, left=True)
            if right is not None:
                _place(side, pages[right], size, left=False)
    _copy_metadata(reader, writer)
    files.atomic_write(dst, writer.write, inside, "the imposed PDF")
    return len(writer.pages)
