"""PNG thumbnails of PDF pages, so an editor can look without a PDF viewer.

pypdfium2 (PDFium's renderer, a pip wheel) rather than poppler's pdftoppm:
it needs no system package and renders the same fonts the PDF embeds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2

from diglot.errors import UsageError
from diglot.pdf import atomic_write


def parse_pages(spec: str | None, count: int) -> list[int]:
    """ "1-4,7" -> [1, 2, 3, 4, 7] (1-based), limited to the document."""
    if not spec:
        return list(range(1, count + 1))
    pages: list[int] = []
    for part in spec.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d*)\s*)?", part)
        if not match:
            raise UsageError(f"--pages {spec!r}: use numbers and ranges such as 1-4,7")
        first = int(match[1])
        open_end = match[2] == ""  # "4-": to the last page, whatever the count
        last = first if match[2] is None else (count if open_end else int(match[2]))
        if first < 1 or (last < first and not open_end):
            raise UsageError(f"--pages {spec!r}: {part.strip()} is not a page range")
        pages.extend(p for p in range(first, last + 1) if p <= count)
    if not pages:
        raise UsageError(f"--pages {spec!r}: the PDF has {count} pages")
    return sorted(set(pages))


def thumbnails(pdf: Path, dest: Path, pages: str | None = None, dpi: int = 60) -> list[Path]:
    """Write ``dest/<stem>-<page>.png`` for the chosen pages; return the paths."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        written = []
        numbers = parse_pages(pages, len(document))
        width = len(str(len(document)))
        for number in numbers:
            bitmap = document[number - 1].render(scale=dpi / 72)
            image = bitmap.to_pil()
            path = dest / f"{pdf.stem}-{number:0{width}d}.png"
            atomic_write(path, lambda handle, image=image: image.save(handle, format="PNG"))
            written.append(path)
        return written
    finally:
        document.close()
