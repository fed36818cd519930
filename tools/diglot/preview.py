"""PNG thumbnails of PDF pages, so an editor can look without a PDF viewer.

pypdfium2 (PDFium's renderer, a pip wheel) rather than poppler's pdftoppm:
it needs no system package and renders the same fonts the PDF embeds.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdfium2

from diglot.errors import BuildError, UsageError
from diglot.files import MAX_PDF_BYTES, atomic_write, read_checked


def parse_pages(spec: str | None, count: int) -> list[int]:
    """ "1-4,7" -> [1, 2, 3, 4, 7] (1-based), limited to the document.

    A range past the end stops at the last page (without counting up to
    ``1-9999999999``)."""
    if not spec:
        return list(range(1, count + 1))
    pages: set[int] = set()
    for part in spec.split(","):
        match = re.fullmatch(r"\s*(\d{1,30})\s*(?:-\s*(\d{0,30})\s*)?", part)
        if not match:
            raise UsageError(f"--pages {spec!r}: use numbers and ranges such as 1-4,7")
        first = int(match[1])
        open_end = match[2] == ""  # "4-": to the last page, whatever the count
        last = first if match[2] is None else (count if open_end else int(match[2]))
        if first < 1 or (last < first and not open_end):
            raise UsageError(f"--pages {spec!r}: {part.strip()} is not a page range")
        pages.update(range(first, min(last, count) + 1))
    if not pages:
        raise UsageError(f"--pages {spec!r}: the PDF has {count} pages")
    return sorted(pages)


def thumbnails(
    pdf: Path,
    dest: Path,
    pages: str | None = None,
    dpi: int = 60,
    inside: Path | None = None,
) -> list[Path]:
    """Write ``dest/<stem>-<page>.png`` for the chosen pages; return the paths.

    With ``inside``, the PNG files must resolve inside that folder."""
    data = read_checked(pdf, MAX_PDF_BYTES, kind="PDF files")
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise BuildError(
            f"is not a PDF diglot can read ({exc}); build it again with diglot build", pdf
        ) from None
    try:
        written = []
        numbers = parse_pages(pages, len(document))
        width = len(str(len(document)))
        for number in numbers:
            try:
                image = document[number - 1].render(scale=dpi / 72).to_pil()
            except pypdfium2.PdfiumError as exc:
                raise BuildError(f"page {number} cannot be drawn: {exc}", pdf) from None
            path = dest / f"{pdf.stem}-{number:0{width}d}.png"
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            atomic_write(path, buffer.getvalue(), inside, "the thumbnail")
            written.append(path)
        return written
    finally:
        document.close()
