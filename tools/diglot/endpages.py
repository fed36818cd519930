"""The last pages of a booklet: the blank ones go before a page that
carries something.

A saddle-stitched booklet has a multiple of four pages, so a booklet of 37
pages ends with three blank pages. When a booklet would end with blank
pages, the colophon moves from the back of the cover to the last page and
the blank pages go before it (:func:`pad_before_last`): the booklet ends on
a page that carries something, and the contents (or the text) moves up to
page 2. The move is kept only when the booklet keeps its number of pages.
The end matter (key dates, record of changes) still runs on after the
text, starting a page of its own only when it must.

Blank pages carry no running head or folio (they are pages of an empty
document).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_COLOPHON = re.compile(r'<section class="colophon" id="colophon"[^>]*>.*?</section>\s*', re.S)


def spare(pages: int) -> int:
    """Blank pages a booklet of ``pages`` pages ends with."""
    return -pages % 4


def fill(html: str, document: Any, lay_out: Callable[[str], Any]) -> tuple[str, Any, bool]:
    """``html`` and its layout, with the colophon at the end when the
    booklet would end with blank pages (the third value says so)."""
    if spare(len(document.pages)) == 0 or len(document.pages) < 4:
        return html, document, False
    found = _COLOPHON.search(html)
    if found is None or "</body>" not in html:
        return html, document, False
    colophon = found[0].replace('class="colophon"', 'class="colophon colophon-last"', 1)
    moved = html[: found.start()] + html[found.end() :]
    moved = moved.replace("</body>", colophon + "</body>", 1)
    laid = lay_out(moved)
    if len(laid.pages) != len(document.pages):
        return html, document, False
    return moved, laid, True


def pad_before_last(document: Any, blank: Any) -> Any:
    """``document`` padded to a multiple of four pages with pages of
    ``blank`` (a one-page empty document) put before its last page."""
    missing = spare(len(document.pages))
    if not missing:
        return document
    pages = list(document.pages)
    return document.copy([*pages[:-1], *(blank.pages[0] for _ in range(missing)), pages[-1]])
