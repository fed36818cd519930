"""Facing pages that keep two languages in step.

Left pages carry the first language, right pages the second, and every
segment starts on the same spread, at the same height, in both. HTML and
CSS cannot express two synchronised flows, so this module does what a
typesetter would, on WeasyPrint's own layout:

1. **Measure**: render every block of both texts in a column of the page's
   text width and read back each line's height and text from the box tree.
2. **Pack**: place the segments spread by spread. Both sides of a segment
   start at the same height (the shorter side of the previous segment gets
   space); a block that does not fit is split between two lines and
   continues at the top of the next spread on both sides. Headings are not
   left alone at a page bottom, and a split leaves at least two lines on
   each side of the break.
3. **Render and verify**: render the packed spreads and check with the
   document's anchors that each ``<lang>-<id>`` of the first language is on
   a left page p and the second language's on p + 1, level. If anything
   drifted, shrink the usable height and pack again.

WeasyPrint breaks lines greedily, so a paragraph split between two lines
breaks into exactly the lines that were measured; that is what makes one
measuring pass enough in practice.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import accumulate, pairwise
from operator import itemgetter
from typing import Any

from diglot import footnotes, linebreak, record, typography, weasy
from diglot.align import within
from diglot.blocks import (
    Block,
    ListBlock,
    Paragraph,
    Quote,
    Record,
    Verse,
    plain,
    split_inlines,
)
from diglot.errors import BuildError
from diglot.proof import picture_lines, word_across
from diglot.rows import WHOLE_STANZA, Row, poem_heads, poems_kept

PX_PER_MM = 96 / 25.4
MIN_LINES = 2  # orphans and widows at a split
# ... and lines of text under a heading at a page's foot: with two, then
# three, readers saw "Nəticə"/"Conclusion" stranded at the foot of
# genocide-az-en-facing pp. 6-7, its one paragraph turning over to a spread
# otherwise empty (booklets keep two: docs/typography.md, tried and not kept)
HEADING_LINES = 5
LINE_PX = 9.5 * 1.4 * 96 / 72  # a line of body text (9.5 pt on 1.4)
# Both pages of a spread stand on one grid of body lines, so that their
# lines are in register across the spread wherever each side's text has
# got to: every block starts on a line of the grid (a heading, a picture or
# a quotation set smaller takes the whole lines it reaches into), and the
# space between blocks is whole lines. Paragraphs have none (an indent
# marks them, styles/facing.css); a heading has a line of white above it.
GRID = LINE_PX  # the pitch of the grid
GAP_PARAGRAPH = 0.0  # between paragraphs, within a segment and from one to the next
# Verse, a quotation, a picture and a rule are set off from what they follow
# by a line of white, and so is each stanza of a poem from the one before.
DISPLAYED = frozenset({"verse", "quote", "figure", "rule"})
GAP_DISPLAYED = 1  # lines
GAP_HEADING = 1  # lines of white above a heading that is not at the top of a page
# Both languages of a segment start level when they meet there (within
# this many lines); otherwise each side runs on, and the shorter page of
# the spread keeps its white at the foot, as in a Loeb edition: in text
# set with indents and no space between paragraphs, a line of white
# between two paragraphs reads as a section break.
LEVEL_WITHIN = 0
# A stanza starts level with its translation when that leaves at most this
# many more lines of white before it on the shorter side (the line between
# stanzas reads as two): a line-by-line translation's lines, and their
# numbers, stand level across the spread (the Sail's English stood a line
# above its Russian, the introduction a line shorter).
VERSE_WHITE = 2
LEVEL_DISPLAYED = frozenset({"verse", "quote", "list"})  # segments that open so
# A heading starts level when that leaves at most this many lines of white
# above it on the shorter page (with the line every heading has, six: the
# white of a section's end, where a parallel-text edition puts the shorter
# language's white); the shorter language's pages before may give up a
# line or two too (SHORT_WHITE). Further apart, each side's heading starts
# where its text ends. (At two, with pages before giving up to six lines
# each, biography-kk-en-facing had seven English pages three to seven lines
# short mid-sentence and two headings still four lines apart; at four with
# four, every heading level but English pages three and four lines short
# mid-sentence: two typographers' first complaints. The second asked for
# the white at the sections' ends, above level headings.)
HEADING_WHITE = 5
# The two pages of a spread end at the same depth within this part of a
# line (a part is what a footnote or a smaller face leaves off the grid).
BALANCE_WITHIN = 0.6
# A spread where both pages run on mid-paragraph is made short by at most
# this many lines to end its pages level; where one page would give up
# more, it stays full and the other keeps its white at the foot, as in a
# Loeb edition, and so it does where the other page ends a paragraph (the
# longer language's page cut short to match read as text missing).
BALANCE_MOST = 3
# The pages of the shorter language that may share out the lines it gives
# up so that a heading starts level beside the longer one's overrun.
SHORTEN_PAGES = 6
# ...and the most lines of white any one of them may be left with at its
# foot while its text goes on overleaf: more, and it reads as text missing
# (a typographer read three, four, seven and eight lines short mid-sentence
# so). Two lines at the foot of each of the English pages before a section
# read as the shorter language's page depth, the same on each.
SHORT_WHITE = 2
# A heading that opens its page comes down level with the other language's
# beside an overrun of at most this many lines (white above it, as above a
# chapter's opening); further, it opens the page and the other follows its
# own text: nine empty lines at the head of a page read as a page not
# finished (genocide-az-ru-facing p. 8, a typographer's reading).
SINK_MOST = 4
# Each spread holds the same passage in both languages: where one page's
# text has got further at its foot than the other's by more than this many
# of its lines (the other language is longer there), it ends where one of
# its paragraphs ends near where the other page ends and keeps the white at
# its foot, as the shorter language's pages of a Loeb edition do; with no
# paragraph's end there, it runs on up to RUN_AHEAD lines ahead, and only
# further ends mid-paragraph where the other does. Otherwise the shorter
# language runs ahead spread after spread: in genocide-az-ru-facing the
# last nine lines of the Azerbaijani on p. 2 faced nothing of theirs, their
# Russian was on p. 5, and the paragraphs of the two languages started up to nine lines apart
# (a typographer's first complaint). Read between the points both texts
# share (diglot.align.within) the measure is close enough for one line: at
# two, a reader still found an item of a list two lines ahead of its
# translation (genocide-az-en-facing p. 4, "27 iyun 1998").
STEP_WITHIN = 1
# ...and where the page ahead ends its section there while the other runs
# over, its last lines go over with the other's when they are more than
# this many, so that the next section opens level on both pages (the
# Azerbaijani "Nəticə" had opened p. 6 under four lines of white beside
# three lines of the Russian introduction).
STEP_AT_SECTION_END = 0
MIN_PAGE_LINES = 6  # lines of text on a page (diglot proof's near-empty limit)
MAX_PULLS = 4
MAX_PASSES = 4
MAX_REMEASURES = 3  # measuring layouts made again to keep words whole at a page turn
PAPER_MM = {
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "A6": (105.0, 148.0),
    "Letter": (215.9, 279.4),
    "half-letter": (139.7, 215.9),
}
# Page margins of the facing layout (mm): top, outer, bottom, inner.
MARGINS_MM = (17.0, 20.0, 24.0, 14.0)  # as styles/booklet.css
NOTE_AREA = 12.0  # px above the first footnote of a page (rule and gap, see blocks.css)
NOTE_SHARE = 0.6  # of a page's height, at most, for a note continued on the next spread


@dataclass(frozen=True)
class LongNote:
    """A note taller than :data:`NOTE_SHARE` of a page: its first ``keep``
    lines stay under the call, the rest continue at the foot of the same
    side of the next spreads (diglot.footnotes.continue_on_sides)."""

    ident: str  # note-LANG-N
    keep: int
    lines: tuple[float, ...]  # heights of all its lines, px
    most: int = 0  # lines it may keep under the call on an empty page

    @property
    def rest(self) -> tuple[float, ...]:
        return self.lines[self.keep :]


@dataclass(frozen=True)
class Piece:
    """A block of one side, or part of one: a paragraph splits between two
    lines, a verse, list or quotation between two of its lines, items or
    blocks ("lines" here)."""

    segment: str
    lang: str
    kind: str  # the block's kind: "heading", "paragraph", "verse", ...
    level: int
    block: Block
    lines: tuple[float, ...]  # line heights, px
    line_chars: tuple[int, ...]  # non-space characters per line (paragraphs)
    first: bool = False  # carries the segment's id
    last: bool = False  # carries the mark of the segment's end (diglot.record)
    continues: bool = False  # continued on the next spread
    continued: bool = False  # continues from the previous spread
    opens: bool = False  # the first block of a segment after a heading (set flush)
    notes: tuple[float, ...] = ()  # per line: height of the footnotes called in it
    long_notes: tuple[tuple[int, LongNote], ...] = ()  # (line, note) continued on later spreads
    index: int = 0  # of its block in its segment's cell (its measure_id)
    # A record of changes split where the page beside it holds the other
    # text's record: the id its next part starts with, which a line under
    # this part names the page of (``turn_to``), or which it starts with
    # (``turn_from``); see :func:`_place`
    turn_to: str = ""
    turn_from: str = ""

    @property
    def height(self) -> float:
        return sum(self.lines)

    def notes_height(self, keep: int | None = None) -> float:
        return sum(self.notes[:keep])

    @property
    def splittable(self) -> bool:
        return isinstance(self.block, Paragraph | Verse | ListBlock | Quote | Record)

    def split(self, keep: int) -> tuple[Piece, Piece]:
        """The first ``keep`` lines and the rest."""
        head_block, tail_block = _split_block(self.block, keep, sum(self.line_chars[:keep]))
        return (
            replace(
                self,
                block=head_block,
                lines=self.lines[:keep],
                line_chars=self.line_chars[:keep],
                notes=self.notes[:keep],
                long_notes=tuple((n, note) for n, note in self.long_notes if n < keep),
                last=False,
                continues=True,
                turn_to="",
            ),
            replace(
                self,
                block=tail_block,
                lines=self.lines[keep:],
                line_chars=self.line_chars[keep:],
                notes=self.notes[keep:],
                long_notes=tuple((n - keep, note) for n, note in self.long_notes if n >= keep),
                first=False,
                continued=True,
                opens=False,  # no longer the first paragraph after its heading
                turn_from="",
            ),
        )


def _split_block(block: Block, keep: int, chars: int) -> tuple[Block, Block]:
    if isinstance(block, Paragraph):
        head, tail = split_inlines(block.content, chars)
        return replace(block, content=head), replace(block, content=tail)
    if isinstance(block, Verse):
        return replace(block, lines=block.lines[:keep]), replace(block, lines=block.lines[keep:])
    if isinstance(block, ListBlock):
        return (
            replace(block, items=block.items[:keep]),
            replace(block, items=block.items[keep:], start=block.start + keep),
        )
    if isinstance(block, Quote):
        return replace(block, blocks=block.blocks[:keep]), replace(
            block, blocks=block.blocks[keep:]
        )
    if isinstance(block, Record):
        return replace(block, items=block.items[:keep]), replace(block, items=block.items[keep:])
    raise ValueError(f"a {block.kind} does not split")


@dataclass
class Side:
    items: list[tuple[float, Piece]] = field(default_factory=list)  # (top y, piece)
    notes: float = 0.0  # room the page's footnotes take at its foot, px
    carried: list[tuple[str, int, int]] = field(default_factory=list)  # (note, first, end line)

    def add(self, y: float, piece: Piece) -> None:
        self.items.append((y, piece))
        self.notes += _note_cost(self.notes, piece.notes_height())

    def end(self) -> float:
        if not self.items:
            return 0.0
        top, piece = self.items[-1]
        return top + piece.height


@dataclass
class Spread:
    sides: tuple[Side, Side] = field(default_factory=lambda: (Side(), Side()))
    level: set[str] = field(default_factory=set)  # segments that start level here


def content_height_px(paper: str) -> float:
    _, height = PAPER_MM[paper]
    top, _, bottom, _ = MARGINS_MM
    return (height - top - bottom) * PX_PER_MM


def content_width_mm(paper: str) -> float:
    width, _ = PAPER_MM[paper]
    _, outer, _, inner = MARGINS_MM
    return width - outer - inner


# -- measuring -------------------------------------------------------------------


Metrics = dict[str, tuple[list[float], list[int], list[list[str]]]]


def measure(document: Any) -> Metrics:
    """Line heights, non-space character counts and the footnotes called in
    each line of every block marked ``data-m``, read from WeasyPrint's box
    tree. A block made of blocks (verse, list, quotation) has one "line" per
    child block; a block split between two pages of the measuring column
    adds the lines of both parts. A ``document`` that has ``metrics`` was
    measured already (in parts, by diglot.chunks)."""
    known = getattr(document, "metrics", None)
    if isinstance(known, dict):
        return known
    found: Metrics = {}
    for page in document.pages:
        on_page: set[str] = set()  # an element's anonymous boxes carry its mark too
        for box in weasy.descendants(weasy.page_box(page)):
            element = getattr(box, "element", None)
            ident = element.get("data-m") if element is not None else None
            if not ident or not ident.startswith("m-") or not hasattr(box, "margin_height"):
                continue
            if getattr(box, "element_tag", "").count("::") or ident in on_page:
                continue
            on_page.add(ident)
            heights, chars, notes = found.setdefault(ident, ([], [], []))
            lines = weasy.line_boxes(box)
            parts = lines or [c for c in box.children if hasattr(c, "margin_height")] or [box]
            first = len(heights)
            note = ident.startswith("m-note-")  # counted as the note's split counts
            for part in parts:
                text = "".join(
                    t.text
                    for t in weasy.text_boxes(part)
                    if (footnotes.is_text(t.element_tag) if note else "::" not in t.element_tag)
                )
                heights.append(float(part.height if lines else part.margin_height()))
                chars.append(footnotes.printed_count(text) if note else _chars(text))
                # once per call: the call's box and its text box both carry its tag
                calls = [
                    t.element.get("id")
                    for t in weasy.descendants(part)
                    if t.element_tag.endswith("::footnote-call")
                ]
                notes.append(list(dict.fromkeys(calls)))
            if not lines:  # the block's own padding and borders go with its first child
                extra = float(box.margin_height()) - sum(heights[first:])
                heights[first] += max(extra, 0.0)
    return found


def _chars(text: str) -> int:
    # U+2060 WORD JOINER: put in by diglot.typography.tie at print time, not in the source
    count = sum(1 for c in text if not c.isspace() and c != "\u2060")
    if text.rstrip().endswith("\u2010"):
        count -= 1  # a hyphen WeasyPrint inserted, not one of the source
    return count


# -- packing ---------------------------------------------------------------------


def pieces_for(
    rows: list[Row],
    side: int,
    lang: str,
    metrics: Metrics,
    page_height: float | None = None,
) -> dict[str, list[Piece]]:
    """Each segment's pieces on one side. With ``page_height``, a note
    taller than NOTE_SHARE of it keeps only its first lines under the call
    (see :class:`LongNote`)."""
    out: dict[str, list[Piece]] = {}
    for row in rows:
        cell = row.cells[side]
        if cell is None:
            out[row.id] = []
            continue
        pieces = []
        for index, block in enumerate(cell.blocks):
            key = measure_id(lang, row.id, index)
            if key not in metrics:
                raise BuildError(f"facing layout: block {key} was not measured")
            heights, chars, calls = metrics[key]
            notes, long_notes = _note_heights(calls, metrics, page_height)
            pieces.append(
                Piece(
                    row.id,
                    lang,
                    block.kind,
                    block.level,
                    block,
                    tuple(heights),
                    tuple(chars),
                    first=index == 0,
                    last=index == len(cell.blocks) - 1,
                    opens=cell.flush(index),
                    notes=notes,
                    long_notes=long_notes,
                    index=index,
                )
            )
        out[row.id] = pieces
    return out


def _note_heights(
    calls: list[list[str]], metrics: Metrics, page_height: float | None
) -> tuple[tuple[float, ...], tuple[tuple[int, LongNote], ...]]:
    """Per line, the height of the notes called in it (a long note's first
    lines only) and the long notes."""
    heights: list[float] = []
    long_notes: list[tuple[int, LongNote]] = []
    for line, line_calls in enumerate(calls):
        total = 0.0
        for call in line_calls:
            lines = metrics.get(f"m-{call}", ([0.0], [], []))[0]
            keep = _lines_within(lines, page_height * NOTE_SHARE - NOTE_AREA) if page_height else 0
            if page_height and sum(lines) + NOTE_AREA > page_height * NOTE_SHARE and keep:
                long_notes.append((line, LongNote(call, keep, tuple(lines), keep)))
                total += sum(lines[:keep])
            else:
                total += sum(lines)
        heights.append(total)
    return tuple(heights), tuple(long_notes)


def _lines_within(lines: list[float] | tuple[float, ...], room: float) -> int:
    """How many of ``lines`` fit in ``room``, leaving at least MIN_LINES
    behind (0 when fewer than MIN_LINES fit)."""
    count = min(_count_within(lines, room), len(lines) - MIN_LINES)
    return count if count >= MIN_LINES else 0


def _fit_long_notes(piece: Piece, room: float) -> Piece:
    """``piece`` keeping as many lines of its long notes under their calls
    as a page whose foot has ``room`` for its notes holds (at least
    MIN_LINES, at most what an empty page holds)."""
    if not piece.long_notes:
        return piece
    notes, long_notes = list(piece.notes), []
    left = room - NOTE_AREA - piece.notes_height()
    left += sum(sum(note.lines[: note.keep]) for _, note in piece.long_notes)
    for line, note in piece.long_notes:
        keep = _lines_within(note.lines[: note.most + MIN_LINES], left) or note.most
        notes[line] += sum(note.lines[:keep]) - sum(note.lines[: note.keep])
        left -= sum(note.lines[:keep])
        long_notes.append((line, replace(note, keep=keep)))
    return replace(piece, notes=tuple(notes), long_notes=tuple(long_notes))


def _count_within(lines: Sequence[float], room: float) -> int:
    """How many of ``lines``, from the first, fit in ``room``."""
    count, used = 0, 0.0
    while count < len(lines) and used + lines[count] <= room + 0.01:
        used += lines[count]
        count += 1
    return count


def _carry(spreads: list[Spread], index: int, side: int, piece: Piece, height: float) -> None:
    """Place the continued lines of the long notes called in ``piece``
    (laid on spread ``index``) at the foot of the same side of the next
    spreads, first of that page's notes, up to NOTE_SHARE of each page;
    never one line alone at the end."""
    for _line, note in piece.long_notes:
        first, rest = note.keep, list(note.rest)
        page_index = index
        while rest:
            page_index += 1
            page = _spread(spreads, page_index).sides[side]
            room = height * NOTE_SHARE - page.notes - (0.0 if page.notes else NOTE_AREA)
            count = _count_within(rest, room)
            if 0 < len(rest) - count < MIN_LINES:
                count -= MIN_LINES - (len(rest) - count)
            count = max(count, 1)
            page.carried.append((note.ident, first, first + count))
            page.notes += _note_cost(page.notes, sum(rest[:count]))
            first, rest = first + count, rest[count:]


def level_verse(sides: tuple[dict[str, list[Piece]], dict[str, list[Piece]]]) -> None:
    """Verse that corresponds line for line (the same lines and stanza
    breaks on both sides) gets the taller side's height for each line, so
    that the lines stand level across the spread even where one wraps.
    The facing layout prints each verse line at its piece's height."""
    for segment, left in sides[0].items():
        right = sides[1].get(segment, [])
        for index, (a, b) in enumerate(zip(left, right, strict=False)):
            if not (isinstance(a.block, Verse) and isinstance(b.block, Verse)):
                continue
            shape = [line.number > 0 for line in a.block.lines]
            if (
                shape != [line.number > 0 for line in b.block.lines]
                or len(a.lines) != len(b.lines)
                or len(a.lines) != len(shape)
            ):
                continue
            heights = tuple(max(x, y) for x, y in zip(a.lines, b.lines, strict=True))
            left[index] = replace(a, lines=heights)
            right[index] = replace(b, lines=heights)


def measure_id(lang: str, segment: str, index: int) -> str:
    return f"m-{lang}-{segment}-{index}"


def _start_need(pieces: list[Piece], following: list[Piece]) -> float:
    """Height a segment needs at a page bottom to start there."""
    if not pieces:
        return 0.0
    first = pieces[0]
    if first.kind == "heading":
        nxt = pieces[1] if len(pieces) > 1 else (following[0] if following else None)
        extra = 0.0
        if nxt is not None:
            extra = sum(nxt.lines[:HEADING_LINES]) + _gap("heading", nxt.kind)
        return first.height + extra
    return (
        sum(first.lines[: min(MIN_LINES, len(first.lines))])
        if len(first.lines) > MIN_LINES * 2 - 1
        else first.height
    )


def pack(
    rows: list[Row],
    sides: tuple[dict[str, list[Piece]], dict[str, list[Piece]]],
    height: float,
    min_page_lines: int = MIN_PAGE_LINES,
    spare: int = 0,
) -> list[Spread]:
    """Place the segments spread by spread, each starting on the same spread
    in both languages. When a page of the last spread would hold fewer than
    ``min_page_lines`` lines of text (a near-empty page), the spread before
    it is packed again with less room, so that lines move over. Then the
    spreads are balanced (:meth:`_Packing.balance`), which may take ``spare``
    more spreads (blank pages the booklet would have at its end anyway)."""
    packing = _Packing(rows, sides, height, min_page_lines)
    spreads, rooms = packing.pull({})
    return packing.balance(rooms, spreads, most=len(spreads) + spare)


@dataclass(frozen=True)
class _Packing:
    """What every packing of one edition's segments shares: its rows, the
    pieces of each side, the page height and the fewest lines a page may
    hold. The packing is made again with other rooms and trims until the
    spreads are balanced and their headings level."""

    rows: list[Row]
    sides: tuple[dict[str, list[Piece]], dict[str, list[Piece]]]
    height: float
    min_page_lines: int

    def pull(
        self, trims: dict[tuple[int, int], float], sunk: frozenset[str] = frozenset()
    ) -> tuple[list[Spread], dict[int, float]]:
        """The spreads packed with a near-empty page given lines from the
        spread before it (less room there); and the rooms given."""
        rooms: dict[int, float] = {}
        spreads = _pack(self.rows, self.sides, self.height, rooms, trims, sunk)
        for _ in range(MAX_PULLS):
            for short, lines in self.short_spreads(spreads):
                room = rooms.get(short - 1, self.height) - (self.min_page_lines - lines) * GRID
                if room >= MIN_PAGE_LINES * GRID:
                    rooms[short - 1] = room
                    break
            else:
                break
            spreads = _pack(self.rows, self.sides, self.height, rooms, trims, sunk)
        return spreads, rooms

    def short_spreads(self, spreads: list[Spread]) -> list[tuple[int, int]]:
        """The spreads with a near-empty page, and its lines: the last spread,
        or one after a heading that opened it (inside the text, a page with a
        picture is not near-empty)."""
        last = len(spreads) - 1
        found = []
        for short in range(1, len(spreads)):
            texts = [
                s for s in spreads[short].sides if s.items and (short == last or not _has_figure(s))
            ]
            lines = min((_text_lines(side) for side in texts), default=self.min_page_lines)
            if lines < self.min_page_lines:
                found.append((short, lines))
        return found

    def no_worse(self, again: list[Spread], spreads: list[Spread], most: int) -> bool:
        """Whether spreads packed again keep a change: no more than ``most``
        spreads, and no more near-empty pages than ``spreads`` had."""
        return len(again) <= most and len(self.short_spreads(again)) <= len(
            self.short_spreads(spreads)
        )

    def balance(self, rooms: dict[int, float], spreads: list[Spread], most: int) -> list[Spread]:
        """Both pages of a spread end at the same depth within the text: where
        one page runs deeper than the other (by more than
        :data:`BALANCE_WITHIN`, at most :data:`BALANCE_MOST` lines) and both
        pages' text goes on on the next
        spread, the deeper one keeps only what ends level with the other (its
        last paragraph split, at least two lines on each side) and the rest
        goes on to the next spread, as a typesetter makes a spread short.
        Spread by spread from the first; a change is kept only when it adds
        no near-empty page and makes no more than ``most`` spreads. A page
        that ends a section or the text may stay short."""
        trims: dict[tuple[int, int], float] = {}
        index = 0
        while index < len(spreads) - 1:
            pages = spreads[index].sides
            room = rooms.get(index, self.height)
            depths = [depth(side, room) for side in pages]
            deep = 0 if depths[0] > depths[1] else 1
            # the deeper page's text runs over the turn, the other's goes on
            # with more text on the next spread (not a new section)
            last = pages[deep].items[-1][1] if pages[deep].items else None
            runs_on = last is not None and (last.continues or last.splittable)
            after = spreads[index + 1].sides[1 - deep].items
            goes_on = bool(pages[1 - deep].items) and bool(after) and after[0][1].kind != "heading"
            # ...mid-paragraph: a page that ends a paragraph short keeps its
            # white at the foot, as in a Loeb edition, and the longer
            # language's page stays full
            goes_on = goes_on and pages[1 - deep].items[-1][1].continues
            # (each text's record runs on by itself: no passage to end level)
            free = any(p.items[-1][1].segment in self._free for p in pages if p.items)
            if (
                BALANCE_WITHIN * GRID < abs(depths[0] - depths[1]) <= BALANCE_MOST * GRID + 0.01
                and not free
                and runs_on
                and goes_on
                and not pages[deep].notes
            ):
                trial = {**trims, (index, deep): depths[1 - deep] + 0.01}
                again, pulled = self.pull(trial)
                now = [depth(side, pulled.get(index, self.height)) for side in again[index].sides]
                if abs(now[0] - now[1]) < abs(depths[0] - depths[1]) and self.no_worse(
                    again, spreads, most
                ):
                    trims, spreads, rooms = trial, again, pulled
            index += 1
        trims, spreads = self.in_step(trims, spreads, rooms, most)
        return self.level_headings(trims, spreads, most)

    def in_step(
        self,
        trims: dict[tuple[int, int], float],
        spreads: list[Spread],
        rooms: dict[int, float],
        most: int,
    ) -> tuple[dict[tuple[int, int], float], list[Spread]]:
        """Spread by spread from the first, a page whose text has got
        further at its foot than the other page's by more than
        :data:`STEP_WITHIN` of its lines ends at the end of one of its
        blocks near where the other's does (:func:`_block_end_cut`); with
        none there, it stays full up to :data:`RUN_AHEAD` lines ahead, and
        further ends where the other's does (its last paragraph split
        there, at least two lines on each side). Its text goes on on the
        next spread beside the rest of its translation. All of it is kept
        when it adds no near-empty page and no more than ``most`` spreads
        in the end (a spread held in step may push a page over until the
        spreads after it are); else each change alone, when it does not."""
        stepped = self._in_step(trims, spreads, rooms, None)
        if self.no_worse(stepped[1], spreads, most):
            return stepped
        return self._in_step(trims, spreads, rooms, most)

    def _in_step(
        self,
        trims: dict[tuple[int, int], float],
        spreads: list[Spread],
        rooms: dict[int, float],
        most: int | None,
    ) -> tuple[dict[tuple[int, int], float], list[Spread]]:
        index = 0
        while index < len(spreads) - 1:
            found = self._ahead(spreads, index)
            if found is not None:
                side, lines = found
                page = spreads[index].sides[side]
                # at a block's end near where the other page ends, else, a
                # few lines ahead, not at all: the page stays full
                limit = _block_end_cut(page, lines)
                if limit is None:
                    if self._runs_ahead(spreads, index, side, lines):
                        index += 1
                        continue
                    limit = _cut(page, lines)
                if limit is not None:
                    room = min(rooms.get(index, self.height), trims.get((index, side), math.inf))
                    trial = {**trims, (index, side): min(room, limit + page.notes + 0.01)}
                    again, pulled = self.pull(trial)
                    now = self._ahead(again, index)
                    if (now is None or now[1] < lines) and (
                        most is None or self.no_worse(again, spreads, most)
                    ):
                        trims, spreads, rooms = trial, again, pulled
            index += 1
        return trims, spreads

    def _runs_ahead(self, spreads: list[Spread], index: int, side: int, lines: int) -> bool:
        """Whether a page ``lines`` ahead of the other stays as it is: up to
        :data:`RUN_AHEAD` lines mid-paragraph, :data:`END_AHEAD` where its
        last block ends there, and only when the next spread then needs no
        more white mid-paragraph on that side (it is in step, or a block of
        that page ends where it may end). Where one language runs longer
        all through a long paragraph, the lead would only grow, and each
        page is held in step as before."""
        ends = bool(spreads[index].sides[side].items) and not (
            spreads[index].sides[side].items[-1][1].continues
        )
        if lines > (END_AHEAD if ends else RUN_AHEAD):
            return False
        then = self._ahead(spreads, index + 1) if index + 1 < len(spreads) - 1 else None
        if then is None or then[0] != side:
            return True
        page = spreads[index + 1].sides[side]
        return then[1] <= lines or _block_end_cut(page, then[1]) is not None

    def _ahead(self, spreads: list[Spread], index: int) -> tuple[int, int] | None:
        """The page of spread ``index`` whose text has got further at its
        foot than the other's by more than :data:`STEP_WITHIN` of its lines,
        and by how many lines; None when they are in step, when either page
        has no text, or when the other page's text does not go on on the
        next spread (its section ends there). Where the page ahead ends its
        own section there, more than :data:`STEP_AT_SECTION_END` lines ahead
        count. Within a segment, how far each page has got is read at the
        points both languages share (diglot.align.within: dates, numbers,
        sentence ends), the text taken to run evenly between them."""
        ends = [_reached(spreads, index, side) for side in (0, 1)]
        if ends[0] is None or ends[1] is None:
            return None
        if ends[0][0] in self._free or ends[1][0] in self._free:
            return None  # each side's own record: no passage to keep in step
        reached = (ends[0], ends[1])
        shares = [self._share(side, seg, lines) for side, (seg, lines) in enumerate(reached)]
        if reached[0][0] == reached[1][0]:
            here = within.carry(self._points[reached[0][0]], shares[1], backwards=True)
            ahead = 0 if shares[0] > here else 1
        else:
            ahead = 0 if self._order[reached[0][0]] > self._order[reached[1][0]] else 1
        goes_on = [_goes_on(spreads, index, side) for side in (0, 1)]
        if not goes_on[1 - ahead]:
            return None  # the other page's text ends here
        # the ahead side's lines from where the other page ends to its own end
        seg, to_seg, to_lines = reached[1 - ahead][0], reached[ahead][0], reached[ahead][1]
        there = within.carry(self._points[seg], shares[1 - ahead], backwards=ahead == 0)
        lines = to_lines - self._lines_at(ahead, seg, there)
        if seg != to_seg:
            own = self._letters[ahead]
            between = self.rows[self._order[seg] : self._order[to_seg]]
            lines += sum(len(own.get(row.id, ())) for row in between)
        whole = round(lines)
        within_lines = STEP_WITHIN if goes_on[ahead] else STEP_AT_SECTION_END
        return (ahead, whole) if whole > within_lines else None

    @cached_property
    def _order(self) -> dict[str, int]:
        return {row.id: number for number, row in enumerate(self.rows)}

    @cached_property
    def _free(self) -> frozenset[str]:
        """The segments of the rows ``free`` (each text's record of changes)."""
        return frozenset(row.id for row in self.rows if row.free)

    @cached_property
    def _letters(self) -> tuple[dict[str, list[int]], ...]:
        """Each side's printed letters per segment, up to the end of each
        line (a list as long as the segment's lines)."""
        return tuple(
            {seg: list(accumulate(n for p in ps for n in p.line_chars)) for seg, ps in side.items()}
            for side in self.sides
        )

    @cached_property
    def _points(self) -> dict[str, tuple[within.Point, ...]]:
        """Per segment, the points both languages share (within.points)."""
        out: dict[str, tuple[within.Point, ...]] = {}
        for row in self.rows:
            left, right = self.sides[0].get(row.id) or [], self.sides[1].get(row.id) or []
            out[row.id] = ()
            if left and right:
                texts = ["\n".join(p.block.plain for p in side) for side in (left, right)]
                out[row.id] = within.points(texts[0], left[0].lang, texts[1], right[0].lang)
        return out

    def _share(self, side: int, seg: str, lines: int) -> float:
        """How far ``lines`` lines of a segment go into it (share of its letters)."""
        ends = self._letters[side].get(seg) or []
        if not ends or lines <= 0:
            return 0.0
        if not ends[-1]:
            return min(lines / len(ends), 1.0)
        return ends[min(lines, len(ends)) - 1] / ends[-1]

    def _lines_at(self, side: int, seg: str, share: float) -> float:
        """The lines (with a part of one) of a segment that hold ``share`` of its letters."""
        ends = self._letters[side].get(seg) or []
        if not ends or share <= 0:
            return 0.0
        if not ends[-1]:
            return share * len(ends)
        goal = share * ends[-1]
        line = bisect.bisect_left(ends, goal)
        if line >= len(ends):
            return float(len(ends))
        before = ends[line - 1] if line else 0
        return line + (goal - before) / max(ends[line] - before, 1)

    def level_headings(
        self, trims: dict[tuple[int, int], float], spreads: list[Spread], most: int
    ) -> list[Spread]:
        """A heading that starts higher on one page of a spread than on the
        other (the other language's section before ran longer: that page may
        still hold its end while the heading opens this one) starts level
        on both pages when the shorter language's pages before can give up
        as many lines: they end short, their white at the foot, and its
        text comes down to end level with the other's, the headings level
        under both (biography-kk-en-facing pp. 8-9: "Leader of Soviet
        Azerbaijan" stood four lines above its Kazakh). The pages before,
        up to :data:`SHORTEN_PAGES`, share them out, none left more than
        :data:`SHORT_WHITE` lines short, and a heading mid-page comes down
        the rest (at most :data:`HEADING_WHITE`), the least white in any
        one place first, as a typesetter makes the shorter language's pages
        short through a section (genocide-az-ru-facing: the Russian
        introduction ran nine lines onto p. 9, beside the Azerbaijani
        conclusion opening p. 8).
        Kept only when it adds no spread and no near-empty page, makes no
        heading before it unlevel and no more unlevel in all (two headings on
        one spread may be levelled one at a time, the text's before the key
        dates'); else the heading opens that page and follows the text on
        the other. Each heading is tried once."""
        index = 1
        sunk: frozenset[str] = frozenset()
        tried: set[str] = set()
        order = {row.id: number for number, row in enumerate(self.rows)}
        while index < len(spreads):
            found = next((f for f in _unlevel_headings(spreads[index]) if f[2] not in tried), None)
            if found is None:
                index += 1
                continue
            higher, carried, segment, opens = found
            tried.add(segment)
            # the shorter language's pages before give up lines, none left
            # more than SHORT_WHITE short, and the rest is white above its
            # heading when it is mid-page (HEADING_WHITE at most, as _pack
            # levels headings that near; above one that opens its page, the
            # white is SINK_MOST's): the least white in any one place (a
            # page's foot, above the heading) first, then the least above
            # the heading
            whites = range(1) if opens else range(min(HEADING_WHITE, carried - 1) + 1)
            shortened = sorted(
                (
                    (max(most_white, white), white, trial)
                    for white in whites
                    for trial, most_white in self._shortenings(
                        spreads, index, higher, carried - white, trims
                    )
                ),
                key=itemgetter(0, 1),
            )
            trials = [
                (trial, sunk) for most, _, trial in shortened if not opens or most <= BALANCE_MOST
            ]
            if opens and carried <= SINK_MOST:
                # the heading that opens its page comes down level with
                # the other, white above it as above a chapter's opening,
                # rather than pages before ending more than a few lines
                # short (a typographer read them, short mid-sentence, as
                # text missing); at most SINK_MOST lines of white above it
                trials.append((trims, sunk | {segment}))
            elif opens:
                # further apart, the white is shared: the pages before end
                # a few lines short and the heading comes down the rest,
                # none of them by more than SINK_MOST lines (the 12 lines of
                # genocide-az-ru-facing's Azerbaijani before "Nəticə" had
                # left pp. 4 and 6 six lines short, a typographer's first
                # complaint; nine above the heading, the reading before)
                shared = [
                    (max(white, most_given), white, trial)
                    for white in range(1, SINK_MOST + 1)
                    for trial, most_given in self._shortenings(
                        spreads, index, higher, carried - white, trims
                    )
                    if most_given <= SINK_MOST
                ]
                # the least white in any one place first, then the least above
                # the heading
                shared.sort(key=itemgetter(0, 1))
                trials += [(trial, sunk | {segment}) for *_, trial in shared]
            trials += [
                (trial, sunk) for most, _, trial in shortened if opens and most > BALANCE_MOST
            ]
            before = _unlevel_segments(spreads)
            for trial, sinks in trials:
                again, _ = self.pull(trial, sinks)
                after = _unlevel_segments(again)
                # this heading level, none before it made unlevel and
                # no more unlevel in all: the first unlevel heading
                # moves on through the text, so the levelling ends
                if (
                    len(again) > index
                    and segment not in after
                    and len(after) <= len(before)
                    and all(order[s] > order[segment] for s in after - before)
                    and self.no_worse(again, spreads, most)
                ):
                    trims, spreads, sunk = trial, again, sinks
                    break
        return spreads

    def _shortenings(
        self,
        spreads: list[Spread],
        index: int,
        fresh: int,
        carried: int,
        trims: dict[tuple[int, int], float],
    ) -> Iterator[tuple[dict[tuple[int, int], float], int]]:
        """Trims that make side ``fresh``'s pages before spread ``index``
        give up ``carried`` lines, shared out among as many of the pages
        before as there are (up to :data:`SHORTEN_PAGES`), then fewer: the
        fewer lines each page gives up, the less its white at the foot reads
        as text missing (a typographer read eight lines short mid-sentence
        so). Each page that gives up lines ends in a paragraph that splits;
        no page of them, those that only pass the lines on included, is
        left more than :data:`SHORT_WHITE` lines short (a page whose white
        stood before a new section would otherwise keep it with its text
        going on overleaf: seven lines short, a typographer's first
        complaint). With each trim, the most white it leaves on a page."""
        for count in range(min(SHORTEN_PAGES, index), 0, -1):
            pages = [spreads[n].sides[fresh] for n in range(index - count, index)]
            whites = [round((self.height - p.end()) / GRID) for p in pages]
            gives = _water_fill(whites, carried)
            trial = dict(trims)
            numbers = range(index - count, index)
            for number, page, white, give in zip(numbers, pages, whites, gives, strict=True):
                last = page.items[-1][1] if page.items else None
                end = page.end() - give * GRID
                if white + give > SHORT_WHITE:
                    break
                if give == 0:  # it passes on what the pages before give up
                    trial[(number, fresh)] = end + 0.01
                    continue
                if last is None or not last.splittable or len(last.lines) < give + MIN_LINES:
                    break
                trial[(number, fresh)] = end + 0.01
            else:
                yield trial, max(w + g for w, g in zip(whites, gives, strict=True))


def _reached(spreads: list[Spread], index: int, side: int) -> tuple[str, int] | None:
    """Where one side's text has got to at the foot of spread ``index``:
    the segment of its last line and that segment's lines on this spread
    and the ones before; None when the page holds no text."""
    page = spreads[index].sides[side]
    if not page.items:
        return None
    segment = page.items[-1][1].segment
    lines = 0
    # back over the spreads the segment runs over (its pieces follow each
    # other: it started on the first spread whose page holds something else)
    for spread in reversed(spreads[: index + 1]):
        items = spread.sides[side].items
        lines += sum(len(piece.lines) for _, piece in items if piece.segment == segment)
        if items and items[0][1].segment != segment:
            break
    return segment, lines


def _goes_on(spreads: list[Spread], index: int, side: int) -> bool:
    """Whether one side's text at the foot of spread ``index`` goes on at
    the head of the next spread's page (no heading opens it)."""
    after = spreads[index + 1].sides[side].items if index + 1 < len(spreads) else []
    return bool(after) and after[0][1].kind != "heading"


# A page held in step ends at a sentence's end when one ends at most this
# many lines above the cut (or STEP_WITHIN below it, the page still in
# step), else at a clause's (a comma, a semicolon): nine lines of white
# under a sentence broken off mid-phrase read as text missing
# (genocide-az-ru-facing p. 4, a typographer's reading).
SENTENCE_LINES = 2


def _cut(page: Side, lines: int) -> float | None:
    """Where ``page``'s text ends when its last ``lines`` lines go over to
    the next spread (or a line or two either way, to end a sentence:
    :func:`_sentence_end`); None when that would leave it fewer than
    :data:`MIN_PAGE_LINES` lines."""
    if _text_lines(page) - lines < MIN_PAGE_LINES:
        return None
    for top, piece in reversed(page.items):
        if lines < len(piece.lines):
            keep = len(piece.lines) - lines
            if isinstance(piece.block, Paragraph):
                keep = _sentence_end(piece, keep)
            return top + sum(piece.lines[:keep])
        lines -= len(piece.lines)
        if lines == 0:
            return top
    return None


# A page ahead of the other by at most this many of its lines, where no
# block of it ends near where the other page ends, stays full and runs on
# ahead: a line or two of lead is not seen. By default both languages are
# set at one measure (blind, typographers graded two of the three facing
# booklets a grade or two higher so than with the shorter language set
# narrower), so the shorter language's lead would grow spread by spread:
# run six lines ahead, the English of biography-kk-en-facing p. 19 got a
# whole paragraph ahead of its Kazakh and p. 21 ended nine lines short
# under a heading eight lines above its Kazakh. Further ahead, the page is
# held in step and keeps its white at the foot, as in a Loeb edition.
RUN_AHEAD = 2
# ... and a page ahead that ends with its own paragraph (the next starting
# on the next spread) by at most this many: cut to be in step, it would
# carry the paragraph's last lines over the leaf instead.
END_AHEAD = 4


def _block_end_cut(page: Side, lines: int) -> float | None:
    """Where ``page``'s text ends at the end of one of its blocks (a
    paragraph, a list, a quotation) among its last ``lines`` lines or the
    :data:`SENTENCE_LINES` above them, the nearest the foot, leaving it
    :data:`MIN_PAGE_LINES`; None when no block ends there. White at the
    foot under a paragraph's end reads as the pause it is."""
    most = min(lines + SENTENCE_LINES, _text_lines(page) - MIN_PAGE_LINES)
    off = 0
    for top, piece in reversed(page.items):
        if off > most:
            return None
        if off > 0 and not piece.continues and piece.kind != "heading":
            return top + piece.height
        off += len(piece.lines)
    return None


def _sentence_end(piece: Piece, keep: int) -> int:
    """``keep``, or the lines of ``piece`` (a paragraph) nearest to it whose
    last ends a sentence, else a clause: up to :data:`STEP_WITHIN` more,
    :data:`SENTENCE_LINES` fewer, leaving :data:`MIN_LINES` on each side."""
    assert isinstance(piece.block, Paragraph)
    most = min(keep + STEP_WITHIN, len(piece.lines) - MIN_LINES)
    tried = sorted(
        range(max(keep - SENTENCE_LINES, MIN_LINES), most + 1), key=lambda n: abs(n - keep)
    )
    ends = {
        lines: plain(split_inlines(piece.block.content, sum(piece.line_chars[:lines]))[0]).rstrip()
        for lines in tried
    }
    for marks in (linebreak.SENTENCE_MARKS, linebreak.CLAUSE_MARKS):
        for lines in tried:
            if linebreak.ends_with(ends[lines], marks):
                return lines
    return keep


def depth(side: Side, room: float) -> float:
    """How far down a page its last line prints: the foot when it has
    footnotes (they stand at the foot), else the end of its text."""
    return room if side.notes else side.end()


def _unlevel_headings(spread: Spread) -> list[tuple[int, int, str, bool]]:
    """The headings of ``spread`` that start higher on one page than on the
    other, not levelled on purpose, in page order: (that page's side, the
    lines it would have to come down, its segment, whether it opens its
    page). A heading that opens its page would come down under a line of
    white."""
    tops = [
        {p.segment: y for y, p in side.items if p.kind == "heading" and p.first}
        for side in spread.sides
    ]
    found = []
    # in page order (a set's order would change with the hash seed between runs)
    for segment in sorted(tops[0].keys() & tops[1].keys(), key=lambda seg: tops[0][seg]):
        if segment in spread.level:
            continue
        ys = (tops[0][segment], tops[1][segment])
        lines = round(abs(ys[0] - ys[1]) / GRID) - (GAP_HEADING if min(ys) == 0.0 else 0)
        if lines > 0:
            found.append(((0 if ys[0] < ys[1] else 1), lines, segment, min(ys) == 0.0))
    return found


def _water_fill(white: list[int], lines: int) -> list[int]:
    """How many of ``lines`` each page gives up so that the pages' white
    (``white``, in lines) ends as even as it can: the whitest give none."""
    gives = [0] * len(white)
    for _ in range(lines):
        page = min(range(len(white)), key=lambda i: (white[i] + gives[i], -i))
        gives[page] += 1
    return gives


def _unlevel_segments(spreads: list[Spread]) -> set[str]:
    return {found[2] for spread in spreads for found in _unlevel_headings(spread)}


def _has_figure(side: Side) -> bool:
    return any(p.kind == "figure" for _, p in side.items)


def _piece_lines(piece: Piece) -> int:
    """A piece's lines of text: a paragraph's or a poem's own; a list's,
    a quotation's or a record's "lines" are its items or blocks, which
    may turn over, so their lines of the grid are counted (a record's
    smaller ones standing five in four)."""
    if piece.kind in ("list", "quote", "record"):
        return max(len(piece.lines), math.floor(piece.height / GRID + 0.5))
    return len(piece.lines)


def _text_lines(side: Side) -> int:
    """A page's lines of text, a picture counting as the lines it stands in
    for (as diglot proof counts them)."""
    text = sum(_piece_lines(p) for _, p in side.items if p.kind not in ("figure", "rule"))
    pictures = [(y, y + p.height) for y, p in side.items if p.kind == "figure"]
    return text + picture_lines(pictures, GRID)


def _pack(
    rows: list[Row],
    sides: tuple[dict[str, list[Piece]], dict[str, list[Piece]]],
    height: float,
    rooms: dict[int, float],
    trims: dict[tuple[int, int], float] | None = None,
    sunk: frozenset[str] = frozenset(),
) -> list[Spread]:
    """Both sides of a segment start level when their starts are at most
    :data:`LEVEL_WITHIN` lines apart, or :data:`HEADING_WHITE` when it
    opens with a heading, or always for the headings ``sunk`` (white above
    the one that opens its page) and the rows ``aligned`` (key dates);
    otherwise each side goes on where it is,
    and the shorter page of the spread keeps its white space at the foot
    instead of inside the page. ``rooms`` gives a spread
    less height than ``height``, ``trims`` one page of a spread (spread,
    side)."""
    trims = trims or {}
    spreads = [Spread()]
    ys = [0.0, 0.0]
    lasts: list[str | None] = [None, None]  # the kind of each side's last block
    current = 0  # the spread the text has reached (later ones may hold continued notes)
    ids = [row.id for row in rows]
    whole = _whole_poems(rows)
    whole.update(_last_dates(rows))
    for index, seg in enumerate(ids):
        left, right = sides[0][seg], sides[1][seg]
        nxt = ids[index + 1] if index + 1 < len(ids) else None
        following = (sides[0][nxt], sides[1][nxt]) if nxt else ([], [])
        heading = _is_heading(left, right)
        starts = [
            y + (_gap(lasts[i], pieces[0].kind if pieces else None, heading) if y else 0.0)
            for i, (y, pieces) in enumerate(zip(ys, (left, right), strict=True))
        ]
        # A heading starts level on both pages when that leaves at most
        # HEADING_WHITE lines of white above it on the shorter page and it
        # still fits on this spread: a reader finds the other language's
        # section across the spread at the same height. Further apart, each
        # side's heading starts where its text ends, as in a Loeb edition: a
        # hole inside the page, or both pages cut short to open the next
        # spread, is worse than headings unlevel.
        apart = abs(starts[0] - starts[1])
        # (above a heading that opens its page, the white is SINK_MOST's)
        most_white = SINK_MOST if min(starts) == 0.0 else HEADING_WHITE
        far = apart > most_white * GRID + 0.01
        # a poem's stanzas on both sides start level within VERSE_WHITE:
        # its translation line by line, each line beside its original
        # (and so do a quotation's and a list's: set off from the text, each
        # read beside its translation; the Sail's quoted couplet and list
        # stood a line apart)
        verse = bool(left and right) and left[0].kind == right[0].kind in LEVEL_DISPLAYED
        level = (
            (heading and (not far or seg in sunk))
            or apart <= LEVEL_WITHIN * GRID + 0.01
            or (verse and apart <= VERSE_WHITE * GRID + 0.01)
            or rows[index].aligned
        )
        page = spreads[current].sides
        room = rooms.get(current, height)
        pairs = ((left, following[0]), (right, following[1]))
        limits = [min(room, trims.get((current, i), room)) for i in (0, 1)]
        if (
            level
            and heading
            and apart > 0.01
            and not _starts_fit([max(starts)] * 2, page, pairs, limits)
        ):
            # brought down level, the heading would not fit on this spread
            # and both pages would end short by its lines: it starts where
            # each side's text ends instead
            level = (
                bool(rows[index].aligned)
                or seg in sunk
                or not _starts_fit(starts, page, pairs, limits)
            )
        if level:
            starts = [max(starts)] * 2
        fits = _starts_fit(starts, page, pairs, limits)
        if fits and seg in whole:
            # a short poem (its title with it) starts on a spread it fits
            # on whole, as side by side it is kept on one page; so do the
            # key dates' last two entries, unless the pages they would
            # leave hold less than a page's worth of text
            fits = all(
                starts[i] + _run_height(sides[i], whole[seg]) + page[i].notes <= limits[i]
                for i in (0, 1)
            ) or (rows[index].aligned and min(ys) < MIN_PAGE_LINES * GRID)
        if any(ys) and not fits:
            current += 1
            _spread(spreads, current)
            starts, level = [0.0, 0.0], True
        start = current
        if level:
            spreads[start].level.add(seg)
        if rows[index].free:
            left, right = _in_page_order(spreads, (left, right))
            ends = _place_free(spreads, start, (left, right), starts, height, rooms, trims)
        else:
            ends = [
                _place(spreads, start, side, pieces, starts[side], height, rooms, trims)
                for side, pieces in enumerate((left, right))
            ]
        last = current = max(end for end, _ in ends)
        while len(spreads) - 1 > last and not any(side.carried for side in spreads[-1].sides):
            spreads.pop()
        ys = [y_end if end == last else 0.0 for end, y_end in ends]
        lasts = [
            pieces[-1].kind if pieces else kind
            for pieces, kind in zip((left, right), lasts, strict=True)
        ]
    return spreads


def _whole_poems(rows: list[Row]) -> dict[str, list[str]]:
    """The short poems kept whole (:func:`diglot.rows.poems_kept`, with the
    heading just before one): the segments of each, by its first."""
    groups = [[row] for row in rows]
    kept = poems_kept(groups)
    firsts = {first: head for head, first in poem_heads(groups, kept).items()}
    runs: dict[str, list[str]] = {}
    run: list[str] = []
    for row in rows:
        if row.id in kept or (run and run[-1] in kept):
            if not run and row.id in firsts:
                run.append(firsts[row.id])
            run.append(row.id)
            continue
        if run:
            runs[run[0]] = run
        run = []
    if run:
        runs[run[0]] = run
    return runs


def _last_dates(rows: list[Row]) -> dict[str, list[str]]:
    """The key dates' (the rows ``aligned``) last two entries, by the first
    of them: the last is not alone over a page (a typographer found "12
    December 2003" alone at the head of biography-kk-en-facing pp. 30-31,
    above the records of changes). The key dates themselves run on under
    the text, as a section does: kept whole on a spread of their own when
    they fit one, they left genocide-az-en-facing pp. 8-9 two-thirds empty
    under its Conclusion (three readers), and the edition's policy unlike
    genocide-az-ru-facing's, whose longer key dates ran on."""
    run = [row.id for row in rows if row.aligned]
    return {run[-2]: run[-2:]} if len(run) > 2 else {}


def _run_height(side: dict[str, list[Piece]], run: list[str]) -> float:
    """The height one side's pieces of the segments ``run`` take, with the
    white between them, on the grid."""
    y, previous = 0.0, None
    for seg in run:
        for piece in side.get(seg, []):
            y = on_grid(y + (_gap(previous, piece.kind) if previous else 0.0)) + piece.height
            previous = piece.kind
    return y


def _starts_fit(
    starts: list[float],
    page: tuple[Side, Side],
    pairs: tuple[tuple[list[Piece], list[Piece]], tuple[list[Piece], list[Piece]]],
    limits: list[float],
) -> bool:
    """Whether a segment starting at ``starts`` on the two sides of ``page``
    has room there for what its start needs (``pairs``: each side's pieces
    of the segment and of the next one; ``limits``: each side's room)."""
    return all(
        starts[i] + _start_need(pieces, after) + page[i].notes + _first_notes(page[i].notes, pieces)
        <= limits[i]
        for i, (pieces, after) in enumerate(pairs)
        if pieces
    )


def _first_notes(current: float, pieces: list[Piece]) -> float:
    """Room the footnotes called in a segment's first lines take."""
    return _note_cost(current, pieces[0].notes_height(MIN_LINES)) if pieces else 0.0


def _gap(previous: str | None, kind: str | None, heading: bool = False) -> float:
    """The white (px, whole lines of the grid) between a block of kind
    ``previous`` and one of kind ``kind`` (``heading``: a segment that opens
    with a heading on either side, which both sides treat as one)."""
    if heading or kind == "heading":
        return GAP_HEADING * GRID
    if previous in DISPLAYED or kind in DISPLAYED:
        return GAP_DISPLAYED * GRID
    return GAP_PARAGRAPH


def _is_heading(left: list[Piece], right: list[Piece]) -> bool:
    return any(p and p[0].kind == "heading" for p in (left, right))


def _in_page_order(
    spreads: list[Spread], sides: tuple[list[Piece], list[Piece]]
) -> tuple[list[Piece], list[Piece]]:
    """Both ``sides``' pieces, each record of changes' entries ordered by
    the pages they cite, the first and then the last, as the text is placed
    on ``spreads`` (the text's pages come before its records; the pages
    read once for both sides), as
    :func:`diglot.record.rewrite` orders the entries of one list once the
    pages are laid out. Ordered only there, a record split over two pages
    was ordered page by page: genocide-az-en-facing's p. 11 ended on "pp. 5,
    9" and p. 12 began again at "p. 5". An entry citing no page (the whole
    text, the title) comes first; one whose page is not known stays after
    the entry before it. Each entry keeps its measured height."""
    page_of: dict[str, int] = {}
    for number, spread in enumerate(spreads):
        for side, page in enumerate(spread.sides):
            for _, placed in page.items:
                if placed.first:  # (the piece that carries the segment's id)
                    page_of.setdefault(f"{placed.lang}-{placed.segment}", 2 * number + side)
    left, right = ([_record_in_order(piece, page_of) for piece in pieces] for pieces in sides)
    return left, right


def _record_in_order(piece: Piece, page_of: dict[str, int]) -> Piece:
    """``piece`` with its entries in page order, if it is a record's
    (``page_of``: each segment's page index, by its anchor)."""
    block = piece.block
    if not isinstance(block, Record) or len(piece.lines) != len(block.items) or piece.long_notes:
        return piece
    keys: list[tuple[int, int]] = []
    for item in block.items:
        pages = [page_of.get(anchor, -1) for anchor in item.get("anchors") or ()]
        before = keys[-1] if keys else (-1, -1)
        # (a line naming no place at all goes with the line before it)
        no_place = not pages and not item.get("place")
        keys.append(before if no_place else record.page_order(pages, before))
    order = sorted(range(len(keys)), key=keys.__getitem__)  # stable
    return replace(
        piece,
        block=replace(block, items=_permuted(block.items, order)),
        lines=_permuted(piece.lines, order),
        line_chars=_permuted(piece.line_chars, order),
        notes=_permuted(piece.notes, order),
    )


def _permuted(values: tuple[Any, ...], order: list[int]) -> tuple[Any, ...]:
    """``values`` in ``order`` (a tuple of another length, as it is)."""
    return tuple(values[n] for n in order) if len(values) == len(order) else values


def _place_free(
    spreads: list[Spread],
    start: int,
    sides: tuple[list[Piece], list[Piece]],
    starts: list[float],
    full: float,
    rooms: dict[int, float],
    trims: dict[tuple[int, int], float],
) -> list[tuple[int, float]]:
    """Place a row whose sides are no translation of each other (each
    text's record of changes): each side on its own pages from spread
    ``start`` while both run, then the longer one on over both pages of
    the spreads after the one where the shorter ends, as a book's end
    matter runs (on its own side only, it left a blank page facing each of
    its pages)."""
    need = [y + sum(p.height for p in pieces) for y, pieces in zip(starts, sides, strict=True)]
    short = 0 if need[0] <= need[1] else 1
    ends: list[tuple[int, float]] = [(start, starts[0]), (start, starts[1])]
    ends[short] = _place(spreads, start, short, sides[short], starts[short], full, rooms, trims)
    shared = ends[short][0] if sides[short] else start - 1  # from here both pages
    ends[1 - short] = _place(
        spreads, start, 1 - short, sides[1 - short], starts[1 - short], full, rooms, trims, shared
    )
    return ends


def _turn(index: int, side: int, shared: int | None) -> tuple[int, int]:
    """The page a side's text goes on to from spread ``index``: the same
    side of the next spread, or, after spread ``shared``, the next page."""
    if shared is None or index < shared or (index == shared and side == 0):
        return index + 1, side
    return (index, 1) if side == 0 else (index + 1, 0)


def _place(
    spreads: list[Spread],
    index: int,
    side: int,
    pieces: list[Piece],
    y: float,
    full: float,
    rooms: dict[int, float] | None = None,
    trims: dict[tuple[int, int], float] | None = None,
    shared: int | None = None,
) -> tuple[int, float]:
    """Place one side's pieces from spread ``index`` at ``y``; return where it ends.
    The footnotes called on a page take room at its foot. After spread
    ``shared`` they go on over both pages (:func:`_place_free`)."""
    queue = list(pieces)
    first = True
    previous: str | None = None
    while queue:
        height = (rooms or {}).get(index, full)
        height = min(height, (trims or {}).get((index, side), height))
        piece = queue.pop(0)
        if not first:
            y += _gap(previous, piece.kind) if y > 0 else 0.0
        first = False
        previous = piece.kind
        page = _spread(spreads, index).sides[side]
        piece = _fit_long_notes(piece, height - y - piece.height - page.notes)
        notes = page.notes + _note_cost(page.notes, piece.notes_height())
        if y + piece.height + notes <= height + 0.01:
            page.add(y, piece)
            _carry(spreads, index, side, piece, full)
            y = on_grid(y + piece.height)
            continue
        # (a record's "lines" are whole entries: one alone over a page is
        # no widow, and two kept together left six lines of white at the
        # foot of biography-kk-en-facing p. 34)
        least = 1 if isinstance(piece.block, Record) else MIN_LINES
        # a record that goes on on the same side of the next spread, past
        # the other text's record beside it, says so in a line at its foot
        # (a reader found the Kazakh record of biography-kk-en-facing run
        # from p. 30 to p. 32 with no word of it)
        turn = _turn(index, side, shared)
        noted = isinstance(piece.block, Record) and turn == (index + 1, side)
        room = height - y - (GRID if noted else 0.0)  # (its line: styles/facing.css)
        fit = min(_lines_fitting(piece, room, page.notes), len(piece.lines) - least)
        if isinstance(piece.block, Verse):
            fit = _stanza_split(piece.block, fit)
        if piece.splittable and fit >= least:
            head, tail = piece.split(fit)
            if noted:
                ident = f"{piece.lang}-{piece.segment}-turn-{index}"
                head, tail = replace(head, turn_to=ident), replace(tail, turn_from=ident)
            page.add(y, head)
            _carry(spreads, index, side, head, full)
            queue.insert(0, tail)
        elif y == 0:
            # Taller than a page and not splittable here: place it anyway,
            # verification will report the overflow.
            page.add(y, piece)
            _carry(spreads, index, side, piece, full)
            y = on_grid(y + piece.height)
            continue
        else:
            queue.insert(0, piece)
        index, side = turn
        y = 0.0
        first = True
    return index, y


def _stanza_split(verse: Verse, fit: int) -> int:
    """The most lines of ``verse``, at most ``fit``, that may end a page: a
    stanza of up to :data:`diglot.rows.WHOLE_STANZA` lines is not split
    (the Sail's last quatrain was split two and two over a leaf), a longer
    one keeps :data:`MIN_LINES` on each side; 0 when none may."""
    numbers = [line.number for line in verse.lines]
    for keep in range(fit, MIN_LINES - 1, -1):
        if not numbers[keep - 1] or not numbers[keep]:
            return keep  # at a stanza break (the white goes with the stanza before)
        start = max((i + 1 for i in range(keep) if not numbers[i]), default=0)
        end = next((i for i in range(keep, len(numbers)) if not numbers[i]), len(numbers))
        if end - start > WHOLE_STANZA and keep - start >= MIN_LINES and end - keep >= MIN_LINES:
            return keep
    return 0


def on_grid(y: float) -> float:
    """``y`` moved down to the next line of the grid (where it is, when it
    is on one within a hundredth of a pixel)."""
    return math.ceil(y / GRID - 0.01 / GRID) * GRID


def _note_cost(current: float, added: float) -> float:
    """Room that footnotes of height ``added`` take on a page whose
    footnotes already take ``current`` (the first one brings the rule)."""
    return added + (NOTE_AREA if added and not current else 0.0)


def _lines_fitting(piece: Piece, room: float, notes: float = 0.0) -> int:
    total, count = 0.0, 0
    for number, line in enumerate(piece.lines):
        note = piece.notes[number] if number < len(piece.notes) else 0.0
        with_note = notes + _note_cost(notes, note)
        if total + line + with_note > room + 0.01:
            break
        total += line
        notes = with_note
        count += 1
    return count


def _spread(spreads: list[Spread], index: int) -> Spread:
    while len(spreads) <= index:
        spreads.append(Spread())
    return spreads[index]


# -- the whole loop -----------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    document: Any
    html: str
    passes: int  # WeasyPrint layouts made: the measuring one, then one per packing
    spreads: int


# With ``measure = "fit"`` (an edition's choice), one language's text this
# many times as long as the other's over the edition (in lines of the
# measuring column) or more: the shorter one is set to a narrower measure,
# so that its pages hold as much of the text as the longer's (at one
# measure the English pages of biography-kk-en-facing, about a tenth
# shorter than its Kazakh, ended up to six lines short mid-sentence: two
# typographers graded it C and C- so, B+ and B- narrowed).
NARROW_FROM = 1.05
NARROWEST = 0.9  # of the text width, at most this narrower


def narrowing(
    sides: tuple[dict[str, list[Piece]], dict[str, list[Piece]]], width_mm: float
) -> dict[str, Any] | None:
    """How the shorter language's pages are narrowed (:data:`NARROW_FROM`):
    its side (0, the left pages; 1, the right), and the mm taken off its
    measure (as much off each of its pages' margins, so that the running
    head and the folio stand over and under the text block), as many as
    its lines fall short of the longer language's (a line holds as many
    letters as it is wide); None when the two are near enough. Key dates
    and records of changes, each language's own length, are not counted."""
    lines = [
        sum(
            _piece_lines(p)
            for pieces in side.values()
            for p in pieces
            if p.kind not in ("date", "record")
        )
        for side in sides
    ]
    short = 0 if lines[0] < lines[1] else 1
    if min(lines) <= 0 or lines[1 - short] < NARROW_FROM * lines[short]:
        return None
    share = max(lines[short] / lines[1 - short], NARROWEST)
    return {"side": short, "mm": round(width_mm * (1.0 - share), 1)}


def layout(
    rows: list[Row],
    langs: tuple[str, str],
    paper: str,
    render_html: Callable[[dict[str, Any]], str],
    render: Callable[[str], tuple[str, Any]],
    fit: bool = False,
) -> Result:
    """Measure, pack, render and verify; return the verified document.

    ``render_html(extra_context)`` renders the facing template (with
    ``measure=True`` it lays out the measuring column), ``render(html)``
    lays out HTML with WeasyPrint and returns the HTML it laid out in the
    end (with its line breaks chosen, see :func:`diglot.typography.settle`)
    and the document. The measuring column is laid out with the same line
    breaking as the pages, and every paragraph piece is marked with the
    number of lines it was packed with (``data-lines``), which the line
    breaking keeps. Both languages are set at one measure: where one is
    the shorter, its pages keep the white at their foot, as in a Loeb
    edition; with ``fit``, where one is much the shorter, its pages are
    set to a narrower measure instead, and the column measured again so
    (:func:`narrowing`).
    """
    height = content_height_px(paper)
    passes = 0
    measured = 0
    narrow: dict[str, Any] | None = None  # the shorter language's measure (narrowing)
    narrowed = not fit
    while True:
        # The measuring document is dropped once measured: the pages are laid
        # out without it in memory (a long edition's boxes take hundreds of MB).
        measuring = {"measure": True, "spreads": [], "narrow": narrow}
        metrics = measure(render(render_html(measuring))[1])
        passes += 1
        measured += 1
        sides = (
            pieces_for(rows, 0, langs[0], metrics, height),
            pieces_for(rows, 1, langs[1], metrics, height),
        )
        if not narrowed:
            narrowed = True
            narrow = narrowing(sides, content_width_mm(paper))
            if narrow is not None:
                measured -= 1  # (not one of the measurings for words at a page turn)
                continue  # measured again at the narrower measure
        level_verse(sides)
        spreads = pack(rows, sides, height)
        # No word hyphenated across a page turn, no date or compound carried
        # over one: a paragraph split at a hyphenated line has that word
        # locked, one split inside a date or a compound has its words tied,
        # and the column is
        # measured again (its lines, and so the spreads, may change).
        turned = turn_words(spreads) - typography.locked()
        dated = turn_ties(spreads) - typography.tied_everywhere()
        if not (turned or dated) or measured > MAX_REMEASURES:
            break
        typography.lock(turned)
        typography.tie_everywhere(dated)
    first = True
    while True:
        if not first:
            spreads = pack(rows, sides, height)
        first = False
        html, document = render(
            _continue_notes(
                render_html(
                    {
                        "measure": False,
                        "spreads": [_side_items(s) for s in spreads],
                        "narrow": narrow,
                    }
                ),
                spreads,
                metrics,
            )
        )
        passes += 1
        drift = out_of_step(document, rows, langs, {seg for s in spreads for seg in s.level})
        if not drift:
            return Result(document, html, passes, len(spreads))
        if passes - measured + 1 > MAX_PASSES:
            raise BuildError(
                f"facing layout: segments {', '.join(drift[:5])} are out of step after "
                f"{passes} passes"
            )
        height -= 4.0  # something was taller than measured: leave more room


def _split_paragraphs(spreads: list[Spread]) -> Iterator[tuple[Piece, str, str]]:
    """Each paragraph split between two spreads: its first part, the text
    that part ends with and the text the next part starts with."""
    for number in (0, 1):
        flow = [piece for spread in spreads for _, piece in spread.sides[number].items]
        for piece, after in pairwise(flow):
            if not (piece.continues and isinstance(piece.block, Paragraph)):
                continue
            if not isinstance(after.block, Paragraph):
                continue
            yield piece, plain(piece.block.content).rstrip(), plain(after.block.content).lstrip()


def turn_words(spreads: list[Spread]) -> set[str]:
    """The words of paragraphs split between two spreads at a hyphenated
    line: the first part ends with the hyphen the measured line ended with
    (see :func:`diglot.blocks.split_inlines`)."""
    found: set[str] = set()
    for _piece, head, rest in _split_paragraphs(spreads):
        word = word_across(head, rest) if head.endswith("\u2010") else None
        if word:
            found.add(word)
    return found


def turn_ties(spreads: list[Spread]) -> set[tuple[str, str]]:
    """The words of paragraphs split between two spreads that must stay
    together, as (last word, first word) pairs to tie
    (:func:`diglot.typography.tie_everywhere`): a date or a number split at
    a break :func:`diglot.typography.tie` allows within a page ("Heydər
    Əliyevin 25 fevral" / "1997‑ci il"), as diglot check finds them, and a
    compound split at its own hyphen ("Левон Тер-" / "Петросянмен", which
    :func:`diglot.typography.tie_inner` joins with a no-break hyphen)."""
    found: set[tuple[str, str]] = set()
    for piece, head, rest in _split_paragraphs(spreads):
        if not head or not rest or head.endswith("\u2010"):
            continue
        if head.endswith("-"):
            if typography.compound_broken(head, rest):
                found.add(typography.turn_pair(head, rest))
        elif typography.date_broken(head, rest, piece.lang):
            found.add(typography.turn_pair(head, rest))
    return found


def _continue_notes(html: str, spreads: list[Spread], metrics: Metrics) -> str:
    """``html`` with the long notes cut where the packing put their lines."""
    keep: dict[str, tuple[int, list[int]]] = {}
    carried: dict[int, list[tuple[str, int, int]]] = {}
    for number, spread in enumerate(spreads):
        for side_number, side in enumerate(spread.sides):
            for _top, piece in side.items:
                for _line, note in piece.long_notes:
                    counts = metrics[f"m-{note.ident}"][1]
                    keep[note.ident] = (note.keep, list(accumulate(counts))[:-1])
            if side.carried:
                carried[2 * number + side_number] = side.carried
    return footnotes.continue_on_sides(html, keep, carried) if keep else html


# A section's headings inside a spread's pages are set low (styles/facing.css
# ``.heading.low``), nearer the text they head than the text before, when
# neither page has more than this much white above its heading (px): with
# the most a level heading may have (HEADING_WHITE lines and its own gap,
# six) the white would grow into what diglot proof reads as a hole, and it
# already parts the heading from what it follows.
LOW_WHITE_MOST = HEADING_WHITE * GRID + 0.5


def _side_items(spread: Spread) -> list[list[dict[str, Any]]]:
    """Each side's pieces in order, with the white above each as a spacer;
    a heading's item says whether it is set ``low``: on both pages alike,
    so that the two headings of a section stay level."""
    whites: dict[float, list[float]] = {}  # a heading's top: the white above it, per side
    for side in spread.sides:
        cursor = 0.0
        for top, piece in side.items:
            if piece.kind == "heading":
                whites.setdefault(round(top, 1), []).append(top - cursor if top > 0.01 else -1.0)
            cursor = top + piece.height
    low = {top for top, white in whites.items() if all(0 <= w <= LOW_WHITE_MOST for w in white)}
    out = []
    for side in spread.sides:
        cursor = 0.0
        items: list[dict[str, Any]] = []
        for top, piece in side.items:
            if top > cursor + 0.01:
                items.append({"spacer": round(top - cursor, 3)})
            lower = piece.kind == "heading" and round(top, 1) in low
            # a paragraph names the block it was measured as: its lines are
            # planned from the measuring column's box before the pages'
            # first layout (diglot.typography.settle)
            src = measure_id(piece.lang, piece.segment, piece.index)
            items.append({"piece": piece, "spacer": 0, "low": lower, "src": src})
            cursor = top + piece.height
        out.append(items)
    return out


def out_of_step(
    document: Any,
    rows: list[Row],
    langs: tuple[str, str],
    level: set[str] | None = None,
) -> list[str]:
    """Segment ids whose first-language start is not on a left page p with
    the second language's start on p + 1 (and, for the segments in
    ``level``, all when None, at the same height)."""
    where: dict[str, tuple[int, float]] = {}
    for number, page in enumerate(document.pages, start=1):
        for name, (_, y, *_rest) in page.anchors.items():
            where.setdefault(name, (number, float(y)))
    bad = []
    for row in rows:
        if row.cells[0] is None or row.cells[1] is None:
            continue
        a = where.get(f"{langs[0]}-{row.id}")
        b = where.get(f"{langs[1]}-{row.id}")
        spread = a is not None and b is not None and a[0] % 2 == 0 and b[0] == a[0] + 1
        levelled = level is None or row.id in level
        if not spread or (levelled and a is not None and b is not None and abs(a[1] - b[1]) > 0.5):
            bad.append(row.id)
    return bad
