"""Side by side: where the two columns start level again.

A side-by-side booklet prints each segment's two languages in one table
row. A row whose cells differ in length leaves white under the shorter
cell: six to nine lines where one language's paragraph is much longer.
A reader of a parallel text looks across for a paragraph's translation at
its own height, so each segment starts level with its translation, the
white under the shorter cell of the pair before, unless that white would
be a hole: then the segment runs on in the same row, after the segment
before, in two flowing cells (a *group*), a line or more apart from its
translation, with less white (:func:`joins` weighs the two). A heading
always starts level. Each segment keeps its anchor, so references and the
contents still find it.

The cells' heights come from a first layout of the edition with every
segment in a row of its own (:func:`cell_heights`); :func:`joins` names the
segments that run on, and the layout gives them to the template as
``groups`` (diglot.render).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from diglot import settlecache, weasy


@dataclass(frozen=True)
class Cell:
    """One language's text of a segment, as a layout prints it."""

    lang: str
    id: str  # its anchor: <lang>-<segment>
    segment: str
    heading: bool
    blocks: Sequence[Any]  # diglot.blocks.Block
    notes: Any  # the segment's notes (diglot.sources)
    inline: Any  # renders an inline run as HTML (diglot.render.InlineHtml)
    # its segment comes straight after a heading in this language: a
    # paragraph opening it is set flush, with no indent (facing.css)
    opens: bool = False
    # the number of lines each block is set in (0: as many as suit it), where
    # a paragraph takes a line more or less to bring its row level (:func:`even`)
    lines: tuple[int, ...] = ()

    def flush(self, index: int) -> bool:
        """Whether its ``index``-th block is set flush (class ``opens``): the
        first after a heading, one after a section break (a rule), and the
        words that lead into a list (indented as a new paragraph, the Sail's
        "В этом издании:" stood further in than its own bullets on facing
        pages, as a typographer read). The measuring column and the pages ask
        the same (facing.html.j2, diglot.facing.pieces_for)."""
        following = self.blocks[index + 1].kind if index + 1 < len(self.blocks) else None
        if self.blocks[index].kind == "paragraph" and following == "list":
            return True
        if index == 0:
            return self.opens
        return bool(self.blocks[index - 1].kind == "rule")


@dataclass(frozen=True)
class Row:
    """One segment in every language of an edition: a cell per language,
    None where a text lacks the segment (what render gives the layouts and
    facing and rows work on)."""

    id: str
    heading: bool
    level: int
    cells: tuple[Cell | None, ...]
    anchor: str  # the id of its first cell
    spread: tuple[float, float] = (0.0, 0.0)  # white under it in each column, px (groups)
    # its cells always start level (a key date: a list read across the
    # spread, where each date faces its translation; diglot.facing)
    aligned: bool = False
    # its cells are no translation of each other (each text's record of
    # changes): each side runs on from where both start, never held in
    # step with the other (diglot.facing)
    free: bool = False

    def verse_lines(self) -> list[tuple[Any, ...]] | None:
        """A poem in every column, line by line: for each row a layout sets,
        a verse block per column, a line of the poem or a stanza break. A
        line turning over in one language leaves a line of white opposite,
        and the lines after it stay level with their translations, their
        numbers side by side, as in a parallel-text edition (set a row per
        stanza, the Sail's English turnovers put its line 10 opposite the
        Russian line 11, and the English stanza break all but vanished: a
        typographer read both as faults). None unless every cell is one
        verse block and the poems have the same lines and stanza breaks."""
        from diglot.blocks import Verse

        poems: list[Verse] = []
        for cell in self.cells:
            if cell is None or len(cell.blocks) != 1 or not isinstance(cell.blocks[0], Verse):
                return None
            poems.append(cell.blocks[0])
        if len(poems) < 2:
            return None
        shapes = {tuple(bool(line.number) for line in p.lines) for p in poems}
        if len(shapes) != 1:
            return None
        return [
            tuple(replace(p, lines=p.lines[part]) for p in poems)
            for part, _keep in _verse_rows([line.number for line in poems[0].lines])
        ]

    def list_rows(self) -> list[tuple[tuple[Any, ...], ...]] | None:
        """A segment that ends with a list in every column, item by item:
        for each row a layout sets, the blocks of each column, first what
        comes before the list, then each item as a list of its own (an
        ordered list numbered on), so that the items start level with
        their translations (the Sail's third item stood a line lower in the
        Russian, whose first two turned over once more). None unless the
        columns have the same kinds of blocks and their lists as many
        items."""
        from diglot.blocks import ListBlock

        cells = [c for c in self.cells if c is not None]
        if len(cells) < 2 or len(cells) != len(self.cells):
            return None
        kinds = {tuple(b.kind for b in c.blocks) for c in cells}
        lists = [c.blocks[-1] for c in cells if c.blocks and isinstance(c.blocks[-1], ListBlock)]
        if len(kinds) != 1 or len(lists) != len(cells):
            return None
        if len({len(b.items) for b in lists}) != 1 or len(lists[0].items) < 2:
            return None
        rows: list[tuple[tuple[Any, ...], ...]] = []
        if len(cells[0].blocks) > 1:
            rows.append(tuple(tuple(c.blocks[:-1]) for c in cells))
        for index in range(len(lists[0].items)):
            rows.append(
                tuple(
                    (replace(b, items=b.items[index : index + 1], start=b.start + index),)
                    for b in lists
                )
            )
        return rows

    def shared_figure(self) -> Any | None:
        """The picture every column of this row shows, when each cell is
        that one picture (the same file): a side-by-side layout prints it
        once across the columns instead of once per column. None else."""
        from diglot.blocks import Figure

        figures = [
            c.blocks[0]
            for c in self.cells
            if c is not None and len(c.blocks) == 1 and isinstance(c.blocks[0], Figure)
        ]
        if len(self.cells) < 2 or len(figures) != len(self.cells):
            return None
        return figures[0] if len({f.image.src for f in figures}) == 1 else None

    def verse_keeps(self) -> list[bool]:
        """For each row of :meth:`verse_lines`, whether a page may not break
        after it: a stanza of up to :data:`WHOLE_STANZA` lines stays on one
        page; a longer one keeps two lines on each side of a break; a
        stanza's last line stays with the stanza break after it (so that no
        page opens with the white between two stanzas)."""
        numbers = [line.number for line in self.cells[0].blocks[0].lines] if self.cells[0] else []
        return [keep for _part, keep in _verse_rows(numbers)]


def _verse_rows(numbers: list[int]) -> list[tuple[slice, bool]]:
    """The rows a poem of lines numbered ``numbers`` (0: a stanza break) is
    set in, as slices of its lines, each with whether a page may not break
    after it (:meth:`Row.verse_keeps`)."""
    out: list[tuple[slice, bool]] = []
    start = 0
    for end in range(len(numbers) + 1):
        if end < len(numbers) and numbers[end]:
            continue
        # numbers[start:end] is one stanza, numbers[end] the break after it
        follows = end < len(numbers)
        whole = end - start <= WHOLE_STANZA
        for index in range(start, end):
            first, last = index == start, index == end - 2
            closing = index == end - 1
            keep = (not closing or follows) if whole else (first or last or (closing and follows))
            out.append((slice(index, index + 1), keep))
        if follows:
            out.append((slice(end, end + 1), False))
        start = end + 1
    return out


# A stanza of this many lines or fewer is not split between two pages.
WHOLE_STANZA = 6
# Nor a poem of this many lines or fewer, over the segments it is given in
# (the Sail's twelve lines, three segments of a stanza each, were split four
# and eight over a leaf, which two typographers read as a fault).
WHOLE_POEM = 16


def poems_kept(groups: list[list[Row]]) -> frozenset[str]:
    """The ids of the rows, each a poem in every column
    (:meth:`Row.verse_lines`), whose last line keeps with the next row's
    first: the rows of a run of such rows (one poem over several segments)
    of at most :data:`WHOLE_POEM` lines, but its last."""
    kept: set[str] = set()
    run: list[str] = []
    lines = 0

    def close() -> None:
        if len(run) > 1 and lines <= WHOLE_POEM:
            kept.update(run[:-1])

    for group in groups:
        row = group[0]
        verse = row.verse_lines() if len(group) == 1 and not row.heading else None
        if verse is None:
            close()
            run, lines = [], 0
            continue
        run.append(row.id)
        first = row.cells[0]
        lines += sum(1 for line in first.blocks[0].lines if line.number) if first else 0
    close()
    return frozenset(kept)


def poem_heads(groups: list[list[Row]], poems: frozenset[str]) -> dict[str, str]:
    """The headings that open a kept poem (:func:`poems_kept`): the id of
    each heading row just before a poem's first row, with that row's id.
    The heading is set in the poem's table, over its columns (a poem with
    columns of its own, :func:`poem_fit`, had its column rule jog under
    its title), and kept with it."""
    return {
        before[0].id: group[0].id
        for before, group in pairwise(groups)
        if group[0].id in poems and len(before) == 1 and before[0].heading
    }


# A poem side by side keeps every line whole: where a line would turn over
# in its column (the Sail's English in half an A5 page: a line of white
# opposite in the Russian read as a stanza break), the poem's table has
# columns as wide as each language's longest line, and is set up to this
# much smaller than the text when that is what it takes (at 9 pt of 9.5,
# as verse is set in many parallel editions); a poem that needs more keeps
# its turnovers.
VERSE_SMALLEST = 0.94
CELL_PAD_EM = 0.7  # each cell's padding beside the column rule (styles/base.css)
VERSE_SPARE = 0.99  # of the width the lines may fill (advance widths: kerning left out)


def poem_fit(
    groups: list[list[Row]], poems: frozenset[str], columns: Columns, width_em: float | None
) -> dict[str, tuple[float, float, float]]:
    """For each poem that is a table of its own (:func:`poems_kept`; by the
    id of its first row) and would turn a line over in the columns
    ``columns`` of a text ``width_em`` wide (in ems of the text): the
    columns' shares (percent) and the poem's size (of the text's) with
    which every line of both languages fits (:data:`VERSE_SMALLEST`).
    Lines are measured with the face's advance widths."""
    from diglot.blocks import plain
    from diglot.linebreak import advance_em

    if not width_em:
        return {}
    fits: dict[str, tuple[float, float, float]] = {}
    runs: list[list[Row]] = []
    for group in groups:
        row = group[0]
        if runs and runs[-1] and runs[-1][-1].id in poems:
            runs[-1].append(row)  # the row after a kept one ends the poem
        elif row.id in poems:
            runs.append([row])
    for run in runs:
        if len(run[0].cells) != 2:
            continue  # (two columns: their shares are what the layout sets)
        longest = [0.0, 0.0]
        for row in run:
            for pair in row.verse_lines() or []:
                for side in (0, 1):
                    for line in pair[side].lines:
                        if line.number:
                            text = plain(line.content)
                            longest[side] = max(longest[side], advance_em(text, "Noto Serif"))
        shares = columns or (50.0, 50.0)
        room = [share / 100.0 * width_em - CELL_PAD_EM for share in shares]
        if all(need <= VERSE_SPARE * have for need, have in zip(longest, room, strict=True)):
            continue
        # set at ``scale``, the lines and the cells' padding (in the poem's
        # ems) take scale * (longest + padding) of the width
        total = sum(longest)
        if total <= 0.0:
            continue
        scale = min(1.0, VERSE_SPARE * width_em / (total + 2 * CELL_PAD_EM))
        if scale < VERSE_SMALLEST:
            continue
        white = width_em - scale * (total + 2 * CELL_PAD_EM)  # shared as the lines are
        first = scale * (longest[0] + CELL_PAD_EM) + white * longest[0] / total
        first = round(100.0 * first / width_em, 1)
        fits[run[0].id] = (first, round(100.0 - first, 1), round(scale, 3))
    return fits


LINE_HEIGHT = 1.4  # of the body's font size (styles/base.css)


def _bottom(box: Any) -> float:
    """The lowest edge of ``box``'s in-flow content (px from the page top)."""
    lowest = float(box.content_box_y())
    for child in _in_flow(box):
        lowest = max(lowest, float(child.position_y) + float(child.margin_height()))
    return lowest


def _is_footnote(box: Any) -> bool:
    return getattr(box, "style", None) is not None and box.style["float"] == "footnote"


def _in_flow(box: Any) -> list[Any]:
    """``box``'s children but floats and footnotes."""
    return [
        child
        for child in getattr(box, "children", ())
        if not getattr(child, "is_floated", lambda: False)() and not _is_footnote(child)
    ]


def _classes(box: Any) -> list[str]:
    """The classes of ``box``'s element (none for an anonymous box)."""
    get = getattr(getattr(box, "element", None), "get", None)
    return (get("class") or "").split() if get is not None else []


def _cells(document: Any, languages: Sequence[str]) -> Iterator[tuple[str, int, Any]]:
    """Every box of a cell of a segment's row in ``document`` (a row over
    two pages has a box on each), in one of ``languages``: its segment, its
    column and the box."""

    def walk(box: Any, segment: str | None) -> Iterator[tuple[str, int, Any]]:
        get = getattr(getattr(box, "element", None), "get", None)
        classes = _classes(box)
        if get is not None and get("data-segment") and "row" in classes:
            segment = str(get("data-segment"))
        if segment is not None and get is not None and "cell" in classes:
            if get("lang") in languages:
                yield segment, languages.index(get("lang")), box
            return
        for child in getattr(box, "children", ()):
            yield from walk(child, segment)

    for page in document.pages:
        yield from walk(weasy.page_box(page), None)


def cell_heights(document: Any, languages: Sequence[str]) -> tuple[dict[str, list[float]], float]:
    """For each segment laid out in a row of its own: the height of its
    text in each column, in px, added up over the pages the row spans;
    and the height of a body line in px."""
    heights: dict[str, list[float]] = {}
    line = 0.0
    for segment, column, box in _cells(document, languages):
        sizes = heights.setdefault(segment, [0.0] * len(languages))
        sizes[column] += _bottom(box) - float(box.content_box_y())
        line = line or float(box.style["font_size"]) * LINE_HEIGHT
    return heights, line or 17.7


Plan = tuple[frozenset[str], dict[str, tuple[float, float]]]
Lines = dict[str, int]  # lines a block is set in, by "<cell id>/<block index>" (:func:`even`)


def cell_paragraphs(document: Any, languages: Sequence[str]) -> dict[tuple[str, int], list[int]]:
    """For each segment laid out in a row of its own and each column: the
    numbers (``data-tf``) of the paragraphs the cell holds as blocks of its
    own, in order."""
    found: dict[tuple[str, int], list[int]] = {}
    for segment, column, box in _cells(document, languages):
        marks = found.setdefault((segment, column), [])
        for child in _in_flow(box):
            number = (
                child.element.get("data-tf") if getattr(child, "element_tag", "") == "p" else None
            )
            if number is not None and int(number) not in marks:
                marks.append(int(number))
    return found


def ending_at_foot(document: Any) -> frozenset[int]:
    """The numbered paragraphs (``data-tf``) whose last line is the last
    line that fits on its page: set in a line more, such a paragraph would
    carry that line over the leaf alone (:func:`even` leaves them)."""
    last: dict[int, bool] = {}
    for page in document.pages:
        area = weasy.page_box(page)
        bottom = float(area.content_box_y()) + float(area.height)
        for box in weasy.descendants(area):
            mark = getattr(getattr(box, "element", None), "get", lambda _: None)("data-tf")
            if mark is None or getattr(box, "element_tag", "") != "p":
                continue
            line = float(box.style["font_size"]) * LINE_HEIGHT
            last[int(mark)] = float(box.content_box_y()) + float(box.height) > bottom - line
    return frozenset(mark for mark, full in last.items() if full)


# A paragraph side by side may be set in a line more than it needs (its
# ragged lines end a little shorter) or a line less (fuller), where that
# brings its row's cells to within a line of level: the white under the
# shorter cell was what two readers of biography-kk-en put first ("holes"
# of four and five lines, pp. 5, 17, 25). Only where that costs less than
# this more, in total-fit demerits, for each line gained or lost: a line
# ended a few letters shorter costs tens to hundreds, a hyphen more in
# ragged text (10 + 300)² ≈ 96,000, a line ending a sentence short of the
# measure 260,000. (At 40,000 biography-kk-en's p. 25 kept its hole: its
# Kazakh paragraph takes a fourteenth line for 68,000.)
EVEN_DEMERITS = 80_000.0
EVEN_FROM = 2  # lines of white under the shorter cell: where evening starts
# ... and where it stops: two lines are what white_cost leaves free, but a
# reader still named biography-kk-en's holes of two lines (pp. 12, 17);
# brought to one, three more rows of it are level within a line, at no
# more layouts
EVEN_TO = 1
# a paragraph is given at most one line more for each this many lines it has
# (two lines more in a paragraph of ten end each of its lines ~20 % shorter)
EVEN_LINES_PER_LINE = 5


def uneven(
    rows: Sequence[Row], heights: dict[str, list[float]], line: float
) -> list[tuple[Row, int]]:
    """The rows of running text (not a heading, a poem or a list set item by
    item) whose cells would leave :data:`EVEN_FROM` lines of white or more
    under the shorter one, each with how many lines its first column is the
    longer (negative: the shorter)."""
    found: list[tuple[Row, int]] = []
    for row in rows:
        sizes = heights.get(row.id)
        if row.heading or sizes is None or len(sizes) != 2 or len(row.cells) != 2:
            continue
        if row.verse_lines() is not None or row.list_rows() is not None:
            continue
        # (a half line of white reads as a line: rounded up)
        gap = sizes[0] - sizes[1]
        drift = int(math.copysign(math.floor(abs(gap) / line + 0.5), gap))
        if abs(drift) >= EVEN_FROM:
            found.append((row, drift))
    return found


def even(
    rows: Sequence[Row],
    heights: dict[str, list[float]],
    line: float,
    cells: dict[tuple[str, int], list[int]],
    options: dict[int, tuple[int, dict[int, float]]],
    full: frozenset[int] = frozenset(),
) -> tuple[Lines, dict[str, list[float]]]:
    """Where a row's cells would leave :data:`EVEN_FROM` lines or more of
    white under the shorter one: its paragraphs set in a line more (the
    shorter cell's) or less (the longer's), the cheapest first
    (``options``: :func:`diglot.typography.line_options`, by the numbers
    ``cells`` gives each cell's paragraphs), until the white is a line
    or none is left under :data:`EVEN_DEMERITS`. A paragraph that ends a
    page (``full``: :func:`ending_at_foot`) is not set longer: its line
    more would stand alone over the leaf, where the widows and the words
    kept whole at a page turn move it again (biography-kk-en's p. 4 was
    laid out twice as many times as it takes to settle; two lines more,
    over the leaf together, did not settle in as many layouts as the
    build allows, the names at the turn tied in turn). The lines each
    paragraph so changed is set in, and the cells' heights with them."""
    wanted: Lines = {}
    heights = {k: list(v) for k, v in heights.items()}
    for row, drift in uneven(rows, heights, line):
        sizes = heights[row.id]
        moves: list[tuple[float, str, int, int, int]] = []  # (cost, key, away, lines, step)
        for column, step in ((0, -1), (1, 1)) if drift > 0 else ((0, 1), (1, -1)):
            cell = row.cells[column]
            if cell is None:
                continue
            blocks = [n for n, b in enumerate(cell.blocks) if b.kind in ("paragraph", "date")]
            marks = cells.get((row.id, column), [])
            if len(marks) != len(blocks):
                continue  # (not laid out as measured: left as it comes)
            for block, mark in zip(blocks, marks, strict=True):
                if mark not in options or cell.blocks[block].kind != "paragraph":
                    continue
                if step > 0 and mark in full:
                    continue
                lines, costs = options[mark]
                # (a line less fills each line fuller: a long paragraph may lose two)
                most = max(1, lines // 10) if step < 0 else lines // EVEN_LINES_PER_LINE
                cost = 0.0
                for count in range(lines + step, lines + step * (most + 1), step):
                    if count not in costs:
                        break
                    # (each line more costs at least what the one before did:
                    # taken in order)
                    cost = max(cost, costs[count] - costs[count - step])
                    # (of two moves of a paragraph as dear, the nearer first)
                    moves.append((cost, f"{cell.id}/{block}", abs(count - lines), count, step))
        white = abs(drift)
        for cost, key, _, count, step in sorted(moves):
            if white <= EVEN_TO or cost > EVEN_DEMERITS:
                break
            wanted[key] = count
            white -= 1
            column = 0 if (step < 0) == (drift > 0) else 1
            sizes[column] += step * line
    return wanted, heights


def white_cost(lines: int) -> int:
    """What ``lines`` of white under the shorter cell of a pair cost the
    page: nothing up to two lines (one language's paragraph a little
    longer is what a parallel text looks like), then more with each line
    (a hole of six lines reads as a gap in the text), and steeply past
    that."""
    if lines <= 2:
        return 0
    return (lines - 2) * (lines - 1) + max(0, lines - 6) ** 3


def apart_cost(lines: int) -> int:
    """What a pair whose starts stand ``lines`` apart costs: a reader
    looks across for a paragraph's translation at its own height, and a
    line apart already reads as out of step (readers of biography-kk-en
    put pairs a line or two apart first among its faults): as much as a
    hole of six lines under one pair."""
    return 20 * lines * lines


MAX_APART = 8  # lines a pair's starts may stand apart, at most


def joins(rows: Sequence[Row], heights: dict[str, list[float]], line: float) -> Plan:
    """Which rows run on after the row before instead of starting level,
    and the white (px, per column) to add under each row of a group.

    Headings (and rows not measured) always start level, and so does a
    poem set line by line (:meth:`Row.verse_lines`), the row after it too:
    its lines stand level with their translations and it ends level, the
    white opposite a line turning over is already in place (counted as a
    drift, two English turnovers of the Sail's second stanza at the text's
    size joined the first two stanzas into flowing cells, their lines out
    of step and the stanza split over a page). Between two of them each
    pair starts level, the white under the shorter cell of the pair before
    it, unless that white costs more (:func:`white_cost`) than letting the
    pair start a line or more apart (:func:`apart_cost`) with less white
    (:func:`_offsets`): then the pair runs on after the one before in
    flowing cells, with as much white under the shorter as was chosen.
    White comes in whole lines, so that the columns keep one baseline
    grid."""
    joined: set[str] = set()
    spread: dict[str, tuple[float, float]] = {}
    run: list[tuple[str, int]] = []  # (id, first column less second, in whole lines)

    def settle() -> None:
        choices = _offsets([d for _, d in run])
        for index, ((ident, _), (white, offset, longer)) in enumerate(
            zip(run, choices, strict=True)
        ):
            if offset:  # the next pair starts apart: it runs on after this one
                px = round(white * line, 2)
                spread[ident] = (0.0, px) if longer == 0 else (px, 0.0)
                joined.add(run[index + 1][0])  # (the last pair ends level: never apart)
        run.clear()

    for row in rows:
        sizes = heights.get(row.id)
        if row.heading or sizes is None or len(sizes) != 2 or row.verse_lines() is not None:
            settle()
            continue
        run.append((row.id, round((sizes[0] - sizes[1]) / line)))
    settle()
    return frozenset(joined), spread


def _offsets(drifts: list[int]) -> list[tuple[int, int, int]]:
    """For pairs whose first column is ``drifts`` lines longer than the
    second (negative: shorter), each after the one before: the white
    (lines) under each pair's shorter column, how many lines apart the
    next pair then starts (the last pair: none, it ends level), and which
    column is the longer (0 or 1), at least cost (:func:`white_cost`,
    :func:`apart_cost`; among equal costs the one with less white), by
    dynamic programming over the offset each pair leaves."""
    # best[offset]: (cost, choices) with the next pair ``offset`` lines
    # apart (positive: the first column ahead)
    best: dict[int, tuple[int, int, list[tuple[int, int, int]]]] = {0: (0, 0, [])}
    for index, drift in enumerate(drifts):
        last = index == len(drifts) - 1
        after: dict[int, tuple[int, int, list[tuple[int, int, int]]]] = {}
        for carried, (cost, whites, made) in best.items():
            total = carried + drift
            longer = 0 if total >= 0 else 1
            for white in range(abs(total) + 1) if not last else (abs(total),):
                left = abs(total) - white
                if left > MAX_APART:
                    continue
                offset = left if total >= 0 else -left
                value = (cost + white_cost(white) + apart_cost(left), whites + white)
                if offset not in after or value < after[offset][:2]:
                    after[offset] = (*value, [*made, (white, left, longer)])
        best = after
    return best[0][2] if best else []


MAX_SPREAD_PX = 100_000.0  # white under a row: far more than any page holds
BALANCE_FROM = 1.08  # one language this much longer: columns sized to the languages
MAX_SHARE = 56.0  # percent of the width the wider column takes at most

Columns = tuple[float, float] | None  # the columns' shares of the width, percent; None: equal


def column_shares(heights: dict[str, list[float]]) -> Columns:
    """The two columns' shares of the text width (percent), from the
    heights of a layout with equal columns: when one language's text is
    BALANCE_FROM times the other's or more over the whole edition (Kazakh
    against English in biography-kk-en: 1.12), each column is as wide as
    its text is long, so that the rows end nearly level and the white
    under the shorter column goes (at most MAX_SHARE to the wider one);
    else None, equal columns. A line holds about width ÷ letter width
    letters, so a column's height goes as its text's length over its
    width."""
    pairs = [h for h in heights.values() if len(h) == 2]
    first, second = sum(h[0] for h in pairs), sum(h[1] for h in pairs)
    if first <= 0 or second <= 0 or max(first, second) < BALANCE_FROM * min(first, second):
        return None
    share = 100.0 * first / (first + second)
    share = round(min(max(share, 100.0 - MAX_SHARE), MAX_SHARE), 1)
    return share, round(100.0 - share, 1)


def plan_data(plan: Plan, columns: Columns = None, lines: Lines | None = None) -> dict[str, Any]:
    """``plan``, ``columns`` and ``lines`` as JSON data (kept by
    :func:`diglot.settlecache.choose`)."""
    joined, spread = plan
    return {
        "joined": sorted(joined),
        "spread": {k: list(v) for k, v in sorted(spread.items())},
        "columns": list(columns) if columns else None,
        "lines": dict(sorted((lines or {}).items())),
    }


MAX_LINES = 10_000  # lines of one paragraph, in a kept choice


def plan_of(
    data: Any, ids: set[str], cells: frozenset[str] = frozenset()
) -> tuple[Plan, Columns, Lines] | None:
    """The plan, columns and lines :func:`plan_data` wrote, if ``data`` has
    its shape, names only rows of ``ids`` and blocks of cells of ``cells``, asks
    for white of a sane size in px, columns of a sane share of the width
    (both become CSS lengths: only numbers get there) and a sane number of
    lines; else None."""
    if not isinstance(data, dict) or "columns" not in data or "lines" not in data:
        return None
    columns, lines = data["columns"], data["lines"]
    if columns is not None and not (
        isinstance(columns, list)
        and len(columns) == 2
        and all(_number(c, 100.0 - MAX_SHARE, MAX_SHARE) for c in columns)
    ):
        return None
    if not isinstance(lines, dict) or not all(
        isinstance(k, str)
        and k.rpartition("/")[0] in cells
        and k.rpartition("/")[2].isdigit()
        and isinstance(v, int)
        and _number(v, 1, MAX_LINES)
        for k, v in lines.items()
    ):
        return None
    plan = _plan_of({k: v for k, v in data.items() if k not in ("columns", "lines")}, ids)
    if plan is None:
        return None
    return plan, (float(columns[0]), float(columns[1])) if columns else None, dict(lines)


def _number(value: Any, low: float, high: float) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high


def _plan_of(data: Any, ids: set[str]) -> Plan | None:

    def px(value: Any) -> bool:
        return _number(value, 0.0, MAX_SPREAD_PX)

    if not isinstance(data, dict) or set(data) != {"joined", "spread"}:
        return None
    joined, spread = data["joined"], data["spread"]
    if not isinstance(joined, list) or not isinstance(spread, dict):
        return None
    if not all(isinstance(i, str) and i in ids for i in [*joined, *spread]):
        return None
    if not all(isinstance(v, list) and len(v) == 2 and all(map(px, v)) for v in spread.values()):
        return None
    return frozenset(joined), {k: (float(v[0]), float(v[1])) for k, v in spread.items()}


def groups(
    rows: Sequence[Row], plan: Plan | None = None, lines: Lines | None = None
) -> list[list[Row]]:
    """``rows`` in groups: a row the plan joins goes with the one before,
    each row with the white to add under it in each column (``spread``),
    each cell with the lines its blocks are set in (``lines``, :func:`even`)."""
    joined, spread = plan or (frozenset(), {})
    out: list[list[Row]] = []
    for row in rows:
        row = replace(row, spread=spread.get(row.id, (0.0, 0.0)))
        if lines:
            row = replace(row, cells=tuple(_with_lines(c, lines) for c in row.cells))
        if out and row.id in joined and not row.heading:
            out[-1].append(row)
        else:
            out.append([row])
    return out


def _with_lines(cell: Cell | None, lines: Lines) -> Cell | None:
    if cell is None:
        return None
    counts = tuple(lines.get(f"{cell.id}/{n}", 0) for n in range(len(cell.blocks)))
    return replace(cell, lines=counts) if any(counts) else cell


# -- white at the top of a column ------------------------------------------------------

_SPREAD = re.compile(r'<div class="spread" data-spread="([^"]+)" style="height: [0-9.]+px"></div>')
MAX_SPREAD_ID = 300  # characters of a spread's name in a kept choice


Top = frozenset[str]  # the white under rows of a group to leave out (``data-spread``)


def white_at_top(document: Any) -> Top:
    """Where a column of a group opens a page of ``document`` with the
    white shared out under one of its rows (``data-spread``): that white is
    meant to end a row, not open a page, and reads as a hole there.

    A row whose one column ended at the foot of the page before while the
    other runs on also opens the page with white in the first column, under
    the next row's start: that is left (until 2026-12-07 the next row ran on
    after it instead, and its pair started two lines apart; a typographer
    put that first among biography-kk-en's faults and asked for the white,
    its translation's paragraph running on beside it)."""
    spreads: set[str] = set()

    def walk(box: Any, found: list[Any]) -> None:
        if "row" in _classes(box):
            found.append(box)
            return
        for child in _in_flow(box):
            walk(child, found)

    for page in document.pages:
        found: list[Any] = []
        walk(weasy.page_box(page), found)
        for row in found:
            for cell in _in_flow(row):
                children = _in_flow(cell)
                if children and "spread" in _classes(children[0]):
                    spreads.add(str(children[0].element.get("data-spread")))
    return frozenset(spreads)


def opening_pages(document: Any) -> list[int]:
    """The pages (0-based) whose text opens with a section's heading (a
    heading row of level 1 or 2, or of a lower level that says the running
    head's words, as a poem's title under the text's; or the heading of
    the key dates, notes or record of changes, before any other line): a
    running head there would print the heading's words twice, one over
    the other."""
    found: list[int] = []

    def first(box: Any, parent: Any) -> tuple[Any, Any]:
        """The first row or line on the page, depth first, and the box it
        is in ((None, None): neither)."""
        if "row" in _classes(box) or weasy.is_line(box):
            return box, parent
        for child in _in_flow(box):
            hit = first(child, box)
            if hit[0] is not None:
                return hit
        return None, None

    for number, page in enumerate(document.pages):
        hit, parent = first(weasy.page_box(page), None)
        if hit is None:
            continue
        classes = set(_classes(hit))
        section = "row-heading" in classes and (
            bool({"level-1", "level-2"} & classes) or _says_the_head(hit, page)
        )
        heading = weasy.is_line(hit) and getattr(parent, "element_tag", "") in ("h1", "h2")
        if section or heading:
            found.append(number)
    return found


def _says_the_head(row: Any, page: Any) -> bool:
    """Whether the heading ``row`` holds the words of ``page``'s running
    head ("The Sail" over the Sail's poem, titled «Парус» · "The Sail")."""
    head = weasy.running_head_text(page)
    words = " ".join(" ".join(t.text.split()) for t in weasy.text_boxes(row))
    return bool(head) and head in words


def clear_heads_over_headings(document: Any) -> None:
    """Take the running head off every page of ``document`` that opens with
    a section's heading (:func:`opening_pages`)."""
    for number in opening_pages(document):
        weasy.clear_running_head(document.pages[number])


def drop_spreads(html: str, names: frozenset[str]) -> str:
    """``html`` without the white under rows named in ``names``."""
    return _SPREAD.sub(lambda m: "" if m[1] in names else m[0], html)


def tops_data(top: Top, after: Top, words: frozenset[str]) -> list[Any]:
    """What :func:`read_tops` reads: the white at the top of a column the
    last build found (and left out), what it found after that, and the
    words locked when the edition was settled so."""
    return [sorted(top), sorted(after), sorted(words)]


def _read_top(data: Any) -> Top | None:
    if not isinstance(data, list) or not all(
        isinstance(n, str) and 0 < len(n) <= MAX_SPREAD_ID for n in data
    ):
        return None
    return frozenset(data)


def read_tops(data: Any) -> tuple[Top, Top, frozenset[str]] | None:
    """:func:`tops_data`'s three parts (a cache file is untrusted: anything
    else is None). A name only selects white the HTML has: none is
    written."""
    if not isinstance(data, list) or len(data) != 3:
        return None
    top, after, words = _read_top(data[0]), _read_top(data[1]), settlecache.locked_words(data[2])
    if top is None or after is None or words is None:
        return None
    return top, after, words
