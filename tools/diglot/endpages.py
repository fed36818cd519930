"""The last pages of a booklet: as few blank ones as the text allows, at
the end.

A saddle-stitched booklet has a multiple of four pages, so a booklet of 37
pages would end with three blank pages. :func:`fill` tries, in turn:

1. The colophon shares page 2 with the contents (under it), when both fit
   on that page. With three to spare one page is saved and the booklet
   needs no blank page at all (37 → 36); otherwise the blank pages come
   at the end, the back of the cover among them, left clean.
2. Else the colophon moves from the back of the cover to a page of its own
   after the text and its end matter (:data:`LAST`), and the contents (or
   the text) moves up to page 2; the blank pages stay at the end, inside
   and on the back of the cover, where a booklet's blank pages go (two
   typographers read blank pages before a colophon on the back cover as
   pages missing). Kept only when the booklet keeps its number of pages.
   Also with no page to spare when the booklet has a contents page: behind
   the cover, colophon and contents would open the text on page 4, a
   left-hand page; with the colophon after the text it opens on page 3.
   And in a booklet of a single sheet (four pages) without contents, so
   that its text is on the inside spread (pages 2–3) and the colophon on
   the back cover, not the text's end.
3. Where that page of its own would be the outside of the back cover, the
   colophon follows the end matter on its last page instead, below a
   short rule (:data:`AFTER`), when it fits there whole: the back cover
   is then blank.

The end matter (key dates, record of changes) still runs on after the
text, starting a page of its own only when it must.

A facing edition opens its text on a left-hand page, after the cover, the
colophon and the contents (pages 1–3; with no contents page each
language's imprint of the colophon has a page of its own, 2 and 3). A
pamphlet of facing pages without contents that would end with three
blank pages (:func:`to_back`) opens its text on pages 2–3 instead, and
prints its colophon on its last page, which saves it four pages (the
Sail: 12 → 8): kept only when the colophon fits that page. An edition
with a contents page keeps it and the colophon in front, title, colophon
and contents on pages 1–3, in every edition of a series: two
typographers read a pamphlet's contents on its last page, and then on
its cover, as out of place, the series' other editions having them
there.

Blank pages carry no running head or folio (they are pages of an empty
document).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from diglot import settlecache

_COLOPHON = re.compile(r'<section class="colophon" id="colophon"[^>]*>.*?</section>\s*', re.S)
_CONTENTS = re.compile(r'<nav class="contents" id="contents"[^>]*>.*?</nav>\s*', re.S)

# Where a booklet's colophon is printed (the third value of :func:`fill`)
BACK_OF_COVER = "back-of-cover"
WITH_CONTENTS = "with-contents"
LAST = "last"
BACK = "back"  # a facing pamphlet's without contents: colophon on its last page (to_back)
AFTER = "after"  # under the end matter, on its last page (fill)


def spare(pages: int) -> int:
    """Blank pages a booklet of ``pages`` pages ends with."""
    return -pages % 4


def arrange(html: str, where: str) -> str | None:
    """``html`` with its colophon moved to ``where`` (:data:`WITH_CONTENTS`,
    :data:`LAST`, or for a facing pamphlet without contents :data:`BACK`:
    on the last page); None when it has no colophon or body end to move it
    by, or no contents to put it under (or, for :data:`BACK`, contents)."""
    found = _COLOPHON.search(html)
    if found is None or "</body>" not in html or where not in (WITH_CONTENTS, LAST, BACK, AFTER):
        return None
    without = html[: found.start()] + html[found.end() :]
    colophon = found[0]
    contents = _CONTENTS.search(without)
    if where == BACK:
        # no longer on pages of its own (facing.css)
        colophon = colophon.replace(' data-alone=""', "", 1)
        if contents is not None:
            return None
        where = LAST
    if where in (LAST, AFTER):
        name = "colophon-last" if where == LAST else "colophon-after"
        return without.replace("</body>", _classed(colophon, name) + "</body>", 1)
    if contents is None:
        return None
    nav = contents[0].replace('class="contents"', 'class="contents contents-shared"', 1)
    shared = _classed(colophon, "colophon-shared")
    return without[: contents.start()] + nav + shared + without[contents.end() :]


def _classed(colophon: str, name: str) -> str:
    """The colophon's section with the class ``name`` added."""
    return colophon.replace('class="colophon"', f'class="colophon {name}"', 1)


def fill(
    html: str,
    document: Any,
    lay_out: Callable[[str], Any],
    probe: Callable[[str], Any] | None = None,
) -> tuple[str, Any, str]:
    """``html`` and its layout, with the colophon where the booklet ends
    with the fewest blank pages (see the module's text); the third value
    says where: :data:`BACK_OF_COVER`, :data:`WITH_CONTENTS`, :data:`LAST`
    or :data:`AFTER`. ``lay_out`` lays out a whole edition as it is printed;
    ``probe``, when given, once, quickly: it first lays out the front
    matter alone, and the whole edition is laid out with the colophon
    under the contents only when they fit one page there."""
    pages = len(document.pages)
    # A single folded sheet without contents: the text on its inside
    # spread and the colophon on the back, not the text's last page there
    # (a typographer found the Sail's poem on the outside back cover).
    sheet = pages == 4 and _CONTENTS.search(html) is None
    if pages < 4 or (spare(pages) == 0 and _CONTENTS.search(html) is None and not sheet):
        return html, document, BACK_OF_COVER
    # Under the contents whenever both fit page 2: with three pages to
    # spare it saves a sheet; otherwise the back of the cover stays clean
    # and a series' booklets keep their colophon in one place (a
    # typographer found genocide-az's contents alone on page 2 and its
    # colophon on the outside of the back cover, while biography-kk had
    # both on page 2).
    shared = arrange(html, WITH_CONTENTS)
    if shared is not None and (
        probe is None or _on_one_page(probe(front_matter(shared)), "contents", "colophon")
    ):
        laid = lay_out(shared)
        if holds(laid, WITH_CONTENTS, pages - 1):
            return shared, laid, WITH_CONTENTS
    last = arrange(html, LAST)
    if last is None:
        return html, document, BACK_OF_COVER
    laid = lay_out(last)
    if not holds(laid, LAST, pages):
        return html, document, BACK_OF_COVER
    # Under the end matter, when it fits the white at the foot of its last
    # page: the page of its own was the outside of the back cover
    # (biography-kk-en p. 36, beside a page three-quarters empty, which two
    # typographers named), which then stays blank.
    after = arrange(html, AFTER) if spare(pages) == 0 else None
    if after is not None:
        under = lay_out(after)
        if holds(under, AFTER, pages - 1):
            return after, under, AFTER
    return last, laid, LAST


def holds(document: Any, where: str, pages: int) -> bool:
    """Whether ``document``, laid out with the colophon at ``where``, has
    ``pages`` pages and, under the contents or the end matter, the colophon
    on one page (with the contents)."""
    if len(document.pages) != pages:
        return False
    if where == AFTER:
        return _on_one_page(document, "colophon")
    return where != WITH_CONTENTS or _on_one_page(document, "contents", "colophon")


def read_choice(data: Any) -> tuple[str, int, frozenset[str]] | None:
    """Where an earlier build of the same HTML put the colophon, the pages it
    then had and the words locked against hyphenation before it moved (as
    :func:`choice_data` wrote them; a cache file is untrusted: anything
    else is None)."""
    if not isinstance(data, list) or len(data) != 3:
        return None
    where, pages, words = data
    if where not in (BACK_OF_COVER, WITH_CONTENTS, LAST, AFTER):
        return None
    if not settlecache.whole_number(pages, 1, settlecache.MAX_PAGES):
        return None
    locked = settlecache.locked_words(words)
    if locked is None:
        return None
    return where, pages, locked


# The most pages a facing edition has for its colophon to go to its last
# page (a pamphlet).
PAMPHLET_PAGES = 16


def to_back(html: str, pages: int) -> str | None:
    """A facing edition's ``html`` laid out in ``pages`` pages, with its
    colophon moved from the front to a last page of its own (:data:`BACK`),
    when that saves the edition four pages (:func:`spare` is 3, and they
    are no more than :data:`PAMPHLET_PAGES`) and it has no contents page;
    None else. The text then opens on page 2."""
    if spare(pages) != 3 or pages > PAMPHLET_PAGES:
        return None
    return arrange(html, BACK)  # (None with a contents page)


def laid_pages(document: Any) -> list[Any]:
    """The pages a layout made, without the blank ones an edition laid out
    in chunks (diglot.chunks.Joined) was padded with at its end."""
    pad = getattr(document, "pad", 0)
    return list(document.pages[: len(document.pages) - pad])


def at_back(document: Any, pages: int) -> bool:
    """Whether ``document``, laid out as :func:`to_back` made it from one of
    ``pages`` pages, saved its page, with the colophon on its last page."""
    laid = laid_pages(document)
    if len(laid) != pages - 1:
        return False
    last = getattr(laid[-1], "anchors", {})
    return "colophon" in last and _on_one_page(document, "colophon")


def choice_data(where: str, pages: int, words: frozenset[str]) -> list[Any]:
    """What :func:`read_choice` reads."""
    return [where, pages, sorted(words)]


def front_matter(html: str) -> str:
    """``html`` up to its text, which is replaced by empty elements bearing
    the ids the front matter refers to (so that the page numbers of the
    contents and the colophon are found)."""
    main = html.find("<main")
    if main < 0:
        return html
    ids = dict.fromkeys(re.findall(r'href="#([^"]+)"', html[:main]))
    stubs = "".join(f'<div id="{i}"></div>' for i in ids)
    return f"{html[:main]}<main>{stubs}</main></body></html>"


def _on_one_page(document: Any, *anchors: str) -> bool:
    """Whether the elements with these ids all stand on one page of
    ``document``, none running on to another (WeasyPrint names an element's
    id on every page its boxes reach)."""
    where = {
        frozenset(i for i, page in enumerate(document.pages) if a in getattr(page, "anchors", {}))
        for a in anchors
    }
    return len(where) == 1 and len(next(iter(where))) == 1
