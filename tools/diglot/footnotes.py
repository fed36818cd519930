"""Footnotes that continue on the next page.

WeasyPrint 70 lays out a footnote (``float: footnote``) as one block: a
note taller than the room left under its call is moved whole to the next
page, and a note taller than a page runs off it, cut. A book instead
starts the note under its call and continues it at the foot of the next
page. WeasyPrint does give us the mechanism: footnotes that do not fit are
"reported" to the next page, in order, and a page starts with the
reported ones. So a note that does not stay with its call is cut, after a
first layout, into pieces of one printed line each (two at its start and
its end, so that no line is left alone on a page), all called from the
same place: the pieces that fit stay under the call, the rest go on to
the next pages. The cut follows the lines WeasyPrint set, so the note's
lines break where they did (notes are set ragged, without automatic
hyphenation). Only the first piece carries the call and the number.

No library does this (it is a gap in WeasyPrint's footnote support), so
the split of the note's HTML at line ends is written here; it works on
the inline HTML that :class:`diglot.render.InlineHtml` prints.
"""

from __future__ import annotations

import html as html_lib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from diglot import weasy
from diglot.errors import BuildError

# A note called as <span class="footnote" id="note-LANG-N" data-n="N">…</span>.
_NOTE_START = re.compile(r'<span class="footnote" id="(note-[^"]+)" data-n="([^"]*)"[^>]*>')
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
_CHAR = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);|.", re.S)
_ID = re.compile(r'\s(?:id|data-m)="[^"]*"')
_VOID = {"br", "img", "wbr"}
_INVISIBLE = "\u00ad\u200b"  # soft hyphen and zero-width space: break points, not text
# A link prints its address after its text in print (blocks.css,
# ``a.web.with-url::after``): generated text that a line may break inside.
# In a note that is split, the address is made text, so that it can be cut
# with the line it was set on.
_LINK_WITH_URL = re.compile(
    r'<a class="web with-url" (href="[^"]*") (data-url="([^"]*)")>(.*?)</a>', re.S
)
MIN_LINES = 4  # a shorter note moves whole rather than leave one line behind
MAX_PASSES = 3  # layouts after the first: each may move notes onto new pages


def _counts(char: str) -> bool:
    """Whether a character of the source counts as printed text."""
    text = html_lib.unescape(char) if char.startswith("&") and len(char) > 1 else char
    return not text.isspace() and text not in _INVISIBLE


def note_span(html: str, start: int) -> tuple[int, int]:
    """The end of the opening tag at ``start`` and the end of its element
    (after the matching ``</span>``)."""
    opened = html.index(">", start) + 1
    depth = 1
    for match in _TAG.finditer(html, opened):
        if match[2].lower() != "span":
            continue
        depth += -1 if match[1] else 1
        if depth == 0:
            return opened, match.end()
    raise ValueError("unclosed footnote element")


def split_markup(inner: str, cuts: list[int]) -> list[str]:
    """``inner`` (inline HTML) cut after the given numbers of printed
    characters (white space, soft hyphens and tags do not count), each piece
    closing the elements open at its end and opening them again in the
    next one (without ids). A line break at a cut is dropped: a piece
    starts on a new line anyway."""
    pieces: list[str] = []
    current: list[str] = []
    open_tags: list[tuple[str, str]] = []  # (name, opening tag without id)
    counted = 0
    todo = sorted(c for c in set(cuts) if c > 0)
    position = 0
    at_cut = False

    def cut() -> None:
        nonlocal current, at_cut
        current.extend(f"</{name}>" for name, _ in reversed(open_tags))
        pieces.append("".join(current))
        current = [tag for _, tag in open_tags]
        at_cut = True

    for match in _TAG.finditer(inner + "<end>"):
        for char in _CHAR.findall(inner[position : match.start()]):
            if todo and counted == todo[0] and _counts(char):
                todo.pop(0)
                cut()
            if at_cut and not _counts(char):
                continue  # white space at a piece's start
            current.append(char)
            at_cut = False
            counted += _counts(char)
        position = match.end()
        if match[0] == "<end>":
            break
        closing, name = bool(match[1]), match[2].lower()
        if todo and counted == todo[0] and not closing:
            todo.pop(0)
            cut()
        if name == "br" and at_cut:
            continue
        current.append(match[0])
        at_cut = False
        if closing:
            if open_tags and open_tags[-1][0] == name:
                open_tags.pop()
        elif name not in _VOID:
            open_tags.append((name, _ID.sub("", match[0])))
    pieces.append("".join(current))
    return [p for p in pieces if p]


def printed_length(inner: str) -> int:
    """Printed characters in inline HTML, counted as :func:`split_markup` does."""
    text = _TAG.sub("", inner)
    return sum(_counts(c) for c in _CHAR.findall(text))


# --- reading the layout (WeasyPrint's box tree, through diglot.weasy) -----------


def printed_count(text: str) -> int:
    """Printed characters of laid-out text, counted as :func:`split_markup` does."""
    return sum(_counts(c) for c in text)


def is_text(tag: str) -> bool:
    """Whether a box of this tag prints the note's text: its number, a
    call inside it are not; a link's address is (see _LINK_WITH_URL)."""
    return "::" not in tag or tag == "a::after"


def _line_counts(note_box: Any) -> list[int]:
    """Printed characters of each line of a laid-out note."""
    counts = []
    # its own lines: not the one inside its number (an inline block, blocks.css)
    for line in weasy.line_boxes(note_box):
        text = "".join(box.text for box in weasy.text_boxes(line) if is_text(box.element_tag or ""))
        counts.append(printed_count(text))
    return counts


@dataclass(frozen=True)
class Placed:
    """Where a note's call and its text were laid out."""

    ident: str  # note-LANG-N
    call_page: int | None  # 0-based; None when the call was not found
    note_page: int
    lines: tuple[int, ...]  # printed characters per line
    cut_off: bool  # the page's notes run past its foot


def placed_notes(document: Any) -> dict[str, Placed]:
    """Each footnote of the laid-out document (first place it was set)."""
    calls: dict[str, int] = {}
    notes: dict[str, tuple[int, tuple[int, ...], bool]] = {}
    for number, page in enumerate(document.pages):
        areas = weasy.footnote_areas(page)
        for area in areas:
            cut_off = area.margin_height() > weasy.page_content_height(page)
            for note in area.children:
                ident = note.element.get("id", "") if note.element is not None else ""
                if ident and ident not in notes:
                    notes[ident] = (number, tuple(_line_counts(note)), cut_off)
        for area in weasy.page_box(page).children:
            if area in areas:
                continue
            for box in weasy.descendants(area):
                tag = box.element_tag or ""
                if tag.endswith("::footnote-call") and box.element is not None:
                    calls.setdefault(box.element.get("id", ""), number)
    return {
        ident: Placed(ident, calls.get(ident), page, lines, cut_off)
        for ident, (page, lines, cut_off) in notes.items()
    }


def needs_continuing(note: Placed) -> bool:
    """A note long enough to split that is cut at the page's foot or was
    moved away from its call."""
    if len(note.lines) < MIN_LINES:
        return False
    return note.cut_off or (note.call_page is not None and note.note_page != note.call_page)


def line_ends(lines: tuple[int, ...]) -> list[int]:
    """Where each line of a note of these line lengths ends, but the last."""
    ends = []
    total = 0
    for count in lines[:-1]:
        total += count
        ends.append(total)
    return ends


def pieces_of(lines: list[str]) -> list[str]:
    """A note's printed lines grouped into the pieces that may go to
    different pages: two lines at each end stay together (no line of a
    note alone at a page's foot or head), every other line is a piece.
    The lines are kept as WeasyPrint set them: joined by line breaks, and
    set unwrapped (class ``footnote-split``), so that rounding cannot wrap
    a line that filled the measure."""
    if len(lines) < MIN_LINES:
        return ["<br>".join(lines)]
    return ["<br>".join(lines[:2]), *lines[2:-2], "<br>".join(lines[-2:])]


def _split_note(html: str, match: re.Match[str], ends: list[int]) -> tuple[int, list[str]]:
    """The end of the note element that ``match`` opens, and its printed
    lines (cut at ``ends``), a link's address made text."""
    inner_start, end = note_span(html, match.start())
    inner = _LINK_WITH_URL.sub(
        r'<a class="web" \1 \2>\4<span class="link-url"> (\3)</span></a>',
        html[inner_start : end - len("</span>")],
    )
    return end, split_markup(inner, ends)


def _first_piece(match: re.Match[str], lines: str, ordered: bool = False) -> str:
    first = match[0].replace('class="footnote"', 'class="footnote footnote-split"', 1)
    if ordered:  # see _continued_piece
        first = first[:-1] + f' data-note="{match[1]}" data-piece="0">'
    return f"{first}{lines}</span>"


def _continued_piece(number: str, lines: str, note: str = "", piece: int = 0) -> str:
    """A piece of a note after its first; ``note`` and ``piece`` let
    weasy.keep_note_pieces_in_order keep the pieces in order over a page
    turn."""
    order = f' data-note="{note}" data-piece="{piece}"' if note else ""
    opening = f'<span class="footnote footnote-split footnote-cont" data-n="{number}"{order}>'
    return f"{opening}{lines}</span>"


def continue_notes_in(html: str, ends: dict[str, list[int]]) -> str:
    """``html`` with each named note split at its line ends into a first
    piece (with the call) and continuation pieces (no call, no number)."""
    out: list[str] = []
    position = 0
    for match in _NOTE_START.finditer(html):
        if match[1] not in ends or match.start() < position:
            continue
        end, lines = _split_note(html, match, ends[match[1]])
        pieces = pieces_of(lines)
        if len(pieces) < 2:
            continue
        out.append(html[position : match.start()])
        out.append(_first_piece(match, pieces[0], ordered=True))
        out.extend(
            _continued_piece(match[2], piece, match[1], k) for k, piece in enumerate(pieces[1:], 1)
        )
        position = end
    out.append(html[position:])
    return _in_document_order("".join(out))


_PIECE = re.compile(r' data-note="[^"]*" data-piece="[0-9]+"(?: data-order="[0-9]+")?')


def _in_document_order(html: str) -> str:
    """``html`` with every piece of a continued note numbered
    (``data-order``) in the order of the document, the notes split in
    earlier passes included: weasy.keep_note_pieces_in_order keeps the
    reported pieces of all notes in that order (the two notes of one row,
    each three pages long at A6, had printed the first note's last lines
    four pages on, after the whole of the second)."""
    count = itertools.count()

    def numbered(match: re.Match[str]) -> str:
        plain = re.sub(r' data-order="[0-9]+"', "", match[0])
        return f'{plain} data-order="{next(count)}"'

    return _PIECE.sub(numbered, html)


# The start of a side of a facing spread (layouts/facing.html.j2).
_SIDE_START = re.compile(
    r'<div class="side (?:verso|recto)"[^>]*>\s*<div class="sp" style="height: 0"></div>'
)


def continue_on_sides(
    html: str,
    keep: dict[str, tuple[int, list[int]]],
    carried: dict[int, list[tuple[str, int, int]]],
) -> str:
    """Facing pages, where each page is one language's and WeasyPrint
    cannot carry a note on (its next page is the other language's):
    diglot.facing decides where each line of a long note goes. ``keep``
    gives, per note, how many of its lines stay under the call and where
    its lines end; ``carried`` gives, per side in document order (verso,
    recto, verso, ...), the lines of notes continued at its foot, as
    (note, first line, end line). They are called from the top of that
    side, before any note of its own."""
    lines_of: dict[str, tuple[str, list[str]]] = {}
    out: list[str] = []
    position = 0
    for match in _NOTE_START.finditer(html):
        if match[1] not in keep or match.start() < position:
            continue
        count, ends = keep[match[1]]
        end, lines = _split_note(html, match, ends)
        lines_of[match[1]] = (match[2], lines)
        out.append(html[position : match.start()])
        out.append(_first_piece(match, "<br>".join(lines[:count])))
        position = end
    out.append(html[position:])
    html, out, position = "".join(out), [], 0
    starts = list(_SIDE_START.finditer(html))
    if carried and max(carried) >= len(starts):
        raise BuildError(
            "facing layout: a long note continues on a later page, but the layout does "
            'not start each side with <div class="side ..."><div class="sp" '
            'style="height: 0"></div> as layouts/facing.html.j2 does'
        )
    for number, match in enumerate(starts):
        pieces = [
            _continued_piece(lines_of[ident][0], "<br>".join(lines_of[ident][1][first:last]))
            for ident, first, last in carried.get(number, ())
            if ident in lines_of
        ]
        if pieces:
            out.append(html[position : match.end()])
            out.append(f'<div class="carried-notes">\u200b{"".join(pieces)}</div>')
            position = match.end()
    out.append(html[position:])
    return "".join(out)


def continue_notes(html: str, document: Any, lay_out: Callable[[str], Any]) -> tuple[str, Any]:
    """Lay out again, with notes that left their call or ran off the page
    continued from the call's page onwards; returns the new HTML and layout
    (unchanged when no note needed it)."""
    if _NOTE_START.search(html) is None:
        return html, document  # no footnote: no need to read every page's boxes
    done: set[str] = set()
    for _ in range(MAX_PASSES):
        todo = {
            note.ident: line_ends(note.lines)
            for note in placed_notes(document).values()
            if note.ident not in done and needs_continuing(note)
        }
        if not todo:
            break
        html = continue_notes_in(html, todo)
        document = lay_out(html)
        done.update(todo)
    return html, document
