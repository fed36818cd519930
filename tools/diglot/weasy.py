"""Every use diglot makes of WeasyPrint's insides, in one place.

WeasyPrint's public API gives a laid-out :class:`weasyprint.Document` whose
pages have sizes, anchors and links, and ``write_pdf`` options, a URL
fetcher and a finisher; diglot uses those wherever they suffice. What they
do not give, and diglot needs, is the layout itself: the line boxes of a
paragraph (facing pages measure blocks by their lines, the proof reads
loose lines and hyphen runs, total fit counts a paragraph's lines), the
footnote area of a page (a footnote taller than its page), and the
structure elements of a tagged PDF (their /Lang). Those are read here and
nowhere else, from the box classes of ``weasyprint.formatting_structure``.

They are internals: a new WeasyPrint may rename or reshape them without
notice. This module was verified against the versions in
:data:`VERIFIED` (the range pyproject.toml pins), and refuses any other
with one line instead of reading a changed box tree wrongly.
"""

from __future__ import annotations

import contextlib
import importlib
import math
import threading
from collections.abc import Callable, Iterator
from typing import Any

from diglot.errors import BuildError

# The WeasyPrint major versions whose internals this module was checked on;
# keep in step with the ``weasyprint`` pin in pyproject.toml.
VERIFIED = (70,)


def check_version(version: str | None = None) -> None:
    """Refuse a WeasyPrint whose insides this module was not verified on."""
    if version is None:
        import weasyprint

        version = str(weasyprint.__version__)
    major = version.split(".", 1)[0]
    if not major.isdigit() or int(major) not in VERIFIED:
        wanted = ", ".join(f"{v}.x" for v in VERIFIED)
        raise BuildError(
            f"WeasyPrint {version} is installed, but diglot reads the layout of "
            f"WeasyPrint {wanted} only; install the version pyproject.toml names"
        )


# -- importing ahead -------------------------------------------------------------

_IMPORTING: threading.Thread | None = None


def import_ahead() -> None:
    """Start importing WeasyPrint in a thread, while this process reads the
    texts and renders the HTML.

    Importing it takes about 0.3 s, a third of bare WeasyPrint's time on a
    short booklet, and more than a third of that is waiting: loading Pango
    and HarfBuzz, WeasyPrint tries several names for each library, and
    each name that is not this system's runs ``ldconfig``, ``gcc`` and
    ``ld`` (``ctypes.util.find_library``). That waiting now overlaps
    diglot's own work. The thread only imports: the first use of
    WeasyPrint (:func:`diglot.pdf.load_weasyprint`) waits for it, and an
    import that failed there fails again, with its message, where it is
    used. Whoever forks must call :func:`imported` first: a child forked
    mid-import would inherit the import's locks, held by no one."""
    global _IMPORTING
    if _IMPORTING is None:
        _IMPORTING = threading.Thread(target=_import, name="import weasyprint", daemon=True)
        _IMPORTING.start()


def _import() -> None:
    # Its error is raised again by the import that needs the module, with
    # the standard library's own search (an import that failed is run
    # again in full).
    with contextlib.suppress(Exception), _libraries_found_once():
        importlib.import_module("weasyprint")


# ldconfig's names for the C library's ABI, as ctypes.util knows them
_LDCONFIG_ABI = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}


@contextlib.contextmanager
def _libraries_found_once() -> Iterator[None]:
    """While WeasyPrint is imported, look libraries up in one listing of
    ldconfig's cache.

    WeasyPrint loads each of Pango, HarfBuzz, GObject and fontconfig by
    trying several names (Windows', macOS's and Linux's); cffi gives each
    name dlopen cannot open to ``ctypes.util.find_library``, which on
    Linux runs ``ldconfig -p``, then ``gcc``, then ``ld`` for it: about
    fifty processes, 0.13 s of a 0.75 s bare WeasyPrint build of a short
    booklet. This is the standard library's first method (the same
    listing, the same pattern), run once. gcc and ld are not tried: they
    find libraries for linking, and the names that load here are the
    sonames dlopen finds itself. If the import fails with it, the import
    that needs WeasyPrint runs it again with the standard search.
    """
    import ctypes.util
    import os
    import re
    import struct
    import subprocess
    import sys

    if not sys.platform.startswith("linux"):
        yield
        return
    try:
        listing = subprocess.run(
            ["/sbin/ldconfig", "-p"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env={"LC_ALL": "C", "LANG": "C"},
            check=False,
            timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        yield
        return
    bits = "-32" if struct.calcsize("l") == 4 else "-64"
    abi = _LDCONFIG_ABI.get(os.uname().machine + bits, "libc6")

    def find_library(name: str) -> str | None:
        pattern = rb"\s+(lib%s\.[^\s]+)\s+\(%s" % (
            re.escape(os.fsencode(name)),
            re.escape(abi.encode()),
        )
        found = re.search(pattern, listing)
        return os.fsdecode(found.group(1)) if found else None

    standard = ctypes.util.find_library
    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = standard


def imported() -> None:
    """Wait until the import :func:`import_ahead` started has ended."""
    if _IMPORTING is not None:
        _IMPORTING.join()


def import_here() -> None:
    """Import WeasyPrint now, in this thread, as :func:`import_ahead` does
    (libraries looked up once); its error is left to the import that
    needs it."""
    import sys

    imported()
    if "weasyprint" not in sys.modules:
        _import()


_BOXES: Any = None


def _boxes() -> Any:
    """WeasyPrint's box classes, once its version is known to be one we read."""
    global _BOXES
    if _BOXES is None:
        check_version()
        from weasyprint.formatting_structure import boxes

        _BOXES = boxes
    return _BOXES


# -- patches -----------------------------------------------------------------------


def _install(module: Any, name: str, replacement: Callable[..., Any]) -> None:
    """Put ``replacement`` in place of ``module.name`` (which it wraps, as
    ``__wrapped__``), once: WeasyPrint is loaded by every render, and a
    second wrapping would run diglot's change twice."""
    original = getattr(module, name)
    if getattr(original, "diglot_installed", False):
        return
    replacement.diglot_installed = True  # type: ignore[attr-defined]
    replacement.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(module, name, replacement)


# -- line breaking -------------------------------------------------------------


def hang_trailing_spaces() -> None:
    """Let a text run whose words fit a line, and only its trailing space
    does not, stay whole on that line.

    WeasyPrint 70 measures a text run with its trailing space when it
    decides whether the run fits (``split_first_line``, step 3). A run that
    is followed by an inline element (a link, an emphasis, a note mark) and
    fits only without that space is then taken for a single unbreakable
    word: the line keeps the run's first word alone and the rest goes to
    the next line ("The / poem on Russian Wikisource: “Парус”…" in a
    narrow column). CSS hangs a collapsible trailing space at the end of a
    line, which is what this does: when the run without its trailing spaces
    fits on one line, the whole run is that line, and WeasyPrint's own
    overflow check (which subtracts the trailing space) breaks after it.
    Installed once, when WeasyPrint is loaded; the layout read back by the
    tests shows the run whole.
    """
    from weasyprint.layout import inline

    original = inline.split_first_line

    def split_first_line(
        text: str,
        style: Any,
        context: Any,
        max_width: float | None,
        justification_spacing: float,
        is_line_start: bool = True,
        minimum: bool = False,
    ) -> Any:
        args = (justification_spacing, is_line_start, minimum)
        result = original(text, style, context, max_width, *args)
        if (
            result[2] is None
            or minimum
            or max_width is None
            or math.isinf(max_width)
            or not text.endswith(" ")
            or style["white_space"] not in ("normal", "nowrap", "pre-line")
        ):
            return result
        words = text.rstrip(" ")
        if not words or "\n" in words or original(words, style, context, max_width, *args)[2]:
            return result
        return original(text, style, context, math.inf, *args)

    _install(inline, "split_first_line", split_first_line)


def discard_margins_at_a_page_top() -> None:
    """Let ``margin-break: discard`` drop the top margin of a block (or a
    table: the margins are its wrapper's) that starts a page.

    WeasyPrint 70 keeps a margin at a page top after a forced break, and
    counts every break of a document with named pages as forced (it tests
    whether the next page has a name, not whether the name changes); and
    a table's ``margin-break`` is not given to the wrapper that holds its
    margins. So the key dates, a table after the text, started a page 1.6
    em lower than every heading that opens one (biography-kk p. 15,
    genocide-az-en p. 8: a typographer's reading). For a block that starts
    the page (nothing laid on it yet, not continued from the page before)
    and asks for ``discard``, the break is laid out as the unforced break
    it is, which truncates the margin."""
    from weasyprint.layout import block

    original = block.block_level_layout

    def block_level_layout(
        context: Any,
        box: Any,
        bottom_space: float,
        skip_stack: Any,
        containing_block: Any,
        page_is_empty: bool = True,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        def lay_out() -> Any:
            return original(
                context, box, bottom_space, skip_stack, containing_block, page_is_empty,
                *args, **kwargs,
            )  # fmt: skip

        if not (page_is_empty and skip_stack is None and context.current_page > 1):
            return lay_out()
        style = box.get_wrapped_table().style if getattr(box, "is_table_wrapper", False) else None
        if (style or box.style)["margin_break"] != "discard":
            return lay_out()
        forced, context.forced_break = context.forced_break, False
        try:
            return lay_out()
        finally:
            context.forced_break = forced

    _install(block, "block_level_layout", block_level_layout)


def keep_note_pieces_in_order() -> None:
    """Let the pieces of continued notes (diglot.footnotes splits a long
    note into one footnote per line, each numbered in the document's order,
    ``data-order``) start the next page in that order.

    WeasyPrint 70 moves a footnote that does not fit to the next page
    ("reported"), and reports from two places: the line that calls it
    (``layout.block``) and the foot of a column (``layout.column``). When
    both report pieces of one note while laying out one page, the later
    report is appended after the earlier one, so a piece reported first
    can end up after the pieces that follow it: one line of a long note
    printed last, after the note's end. At the start of each page, before
    the reported footnotes are laid out, each note's pieces are put back in
    order in the places the notes' pieces hold in the list: every note's,
    in the order of the document (``data-order``), so that a note's last
    lines are not left behind the next note's pieces."""
    from weasyprint.layout import page

    original = page.make_page

    def make_page(context: Any, *args: Any, **kwargs: Any) -> Any:
        _order_pieces(context.reported_footnotes)
        return original(context, *args, **kwargs)

    _install(page, "make_page", make_page)


def _piece(box: Any) -> int:
    return int(box.element.get("data-order"))


def _order_pieces(reported: list[Any]) -> None:
    """``reported`` with the notes' pieces in the document's order, in place."""
    indexes = []
    for index, box in enumerate(reported):
        element = getattr(box, "element", None)
        if element is not None and (element.get("data-order") or "").isdigit():
            indexes.append(index)
    pieces = sorted((reported[i] for i in indexes), key=_piece)
    for index, box in zip(indexes, pieces, strict=True):
        reported[index] = box


# -- the box tree --------------------------------------------------------------------


def page_box(page: Any) -> Any:
    """The root of a laid-out page's box tree (a ``PageBox``)."""
    _boxes()
    return page._page_box


def descendants(box: Any) -> Iterator[Any]:
    """``box`` and every box inside it, depth first, in document order."""
    yield box
    for child in getattr(box, "children", ()):
        yield from descendants(child)


def is_block(box: Any) -> bool:
    """A block box: a paragraph, a heading, a ``div``."""
    return isinstance(box, _boxes().BlockBox)


def is_line(box: Any) -> bool:
    return isinstance(box, _boxes().LineBox)


def is_text(box: Any) -> bool:
    return isinstance(box, _boxes().TextBox)


def area_of(box: Any) -> str | None:
    """ "margin" for a page's margin box, "footnote" for its footnote area."""
    kinds = _boxes()
    if isinstance(box, kinds.MarginBox):
        return "margin"
    if isinstance(box, kinds.FootnoteAreaBox):
        return "footnote"
    return None


def is_table_row(box: Any) -> bool:
    return isinstance(box, _boxes().TableRowBox)


def is_replaced(box: Any) -> bool:
    """A picture (a block or inline replaced box)."""
    return isinstance(box, _boxes().ReplacedBox)


def line_boxes(box: Any) -> list[Any]:
    """The lines a block box is broken into (none for a block of blocks)."""
    kind = _boxes().LineBox
    return [child for child in getattr(box, "children", ()) if isinstance(child, kind)]


def text_boxes(box: Any) -> Iterator[Any]:
    """The runs of text inside ``box``, in order."""
    kind = _boxes().TextBox
    return (b for b in descendants(box) if isinstance(b, kind))


def footnote_areas(page: Any) -> list[Any]:
    """The footnote area of a page, if it has one (a list of none or one)."""
    kind = _boxes().FootnoteAreaBox
    return [child for child in page_box(page).children if isinstance(child, kind)]


def clear_running_head(page: Any) -> bool:
    """Take the running head (its ``@top-…`` margin boxes) off a laid-out
    page; whether it had one. The page is drawn from its box tree, so the
    head is not printed; the folio stays."""
    box = page_box(page)
    heads = _running_head_boxes(page)
    box.children = [c for c in box.children if not any(c is h for h in heads)]
    return bool(heads)


def running_head_text(page: Any) -> str:
    """The words of a laid-out page's running head (its ``@top-…`` margin
    boxes), space-joined; empty when it has none."""
    heads = _running_head_boxes(page)
    return " ".join(" ".join(t.text.split()) for head in heads for t in text_boxes(head)).strip()


def _running_head_boxes(page: Any) -> list[Any]:
    """A laid-out page's running head: its ``@top-…`` margin boxes."""
    kind = _boxes().MarginBox
    return [
        c
        for c in page_box(page).children
        if isinstance(c, kind) and c.at_keyword.startswith("@top-")
    ]


def page_content_height(page: Any) -> float:
    """The height of the page area inside the margins."""
    return float(page_box(page).height)


# -- the tagged PDF ------------------------------------------------------------------


@contextlib.contextmanager
def languages_tagged() -> Iterator[None]:
    """While writing, give each PDF structure element its element's ``lang``.

    PDF/UA wants every change of natural language marked in the structure
    tree (/Lang on the structure element). WeasyPrint 70 writes /Lang only on
    the document catalogue, which would make a bilingual booklet read aloud
    entirely in its first language, and has no option or hook for it (the
    finisher sees the structure elements but no longer the HTML elements
    they came from). So the tag-tree builder is wrapped for the duration of
    one write and restored after it. Tests read the tags back, so a
    WeasyPrint change that breaks this is caught.
    """
    _boxes()
    import pydyf
    from weasyprint.pdf import tags

    original = tags._build_box_tree

    def build_box_tree(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        element = getattr(box, "element", None)
        lang = element.get("lang") if element is not None and hasattr(element, "get") else None
        for struct in original(box, *args, **kwargs):
            if lang and "Lang" not in struct:
                struct["Lang"] = pydyf.String(lang)
            yield struct

    tags._build_box_tree = build_box_tree
    try:
        yield
    finally:
        tags._build_box_tree = original
