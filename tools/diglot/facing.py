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

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from markupsafe import Markup, escape

from diglot.errors import BuildError
from diglot.sources import parse_inline

PX_PER_MM = 96 / 25.4
GAP_PARAGRAPH = 5.0  # px between the paragraphs of a segment
GAP_SEGMENT = 8.0  # px between segments
GAP_HEADING = 10.0  # px above a heading that is not at the top of a page
MIN_LINES = 2  # orphans and widows at a split
MAX_PASSES = 4
PAPER_MM = {
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "A6": (105.0, 148.0),
    "Letter": (215.9, 279.4),
    "half-letter": (139.7, 215.9),
}
# Page margins of the facing layout (mm): top, outer, bottom, inner.
MARGINS_MM = (16.0, 13.0, 18.0, 15.0)


@dataclass(frozen=True)
class Piece:
    """A block of one side (a heading, a paragraph or part of one)."""

    segment: str
    lang: str
    kind: str  # "heading" or "paragraph"
    level: int
    runs: tuple[tuple[str, str], ...]
    lines: tuple[float, ...]  # line heights, px
    line_chars: tuple[int, ...]  # non-space characters per line
    first: bool = False  # carries the segment's id
    continues: bool = False  # continued on the next spread
    continued: bool = False  # continues from the previous spread

    @property
    def height(self) -> float:
        return sum(self.lines)

    def html(self) -> Markup:
        out = Markup()
        for style, text in self.runs:
            out += Markup("<{0}>{1}</{0}>").format(style, text) if style else escape(text)
        return out

    def split(self, keep: int) -> tuple[Piece, Piece]:
        """The first ``keep`` lines and the rest, split in the source text."""
        chars = sum(self.line_chars[:keep])
        head, tail = _split_runs(self.runs, chars)
        return (
            replace(
                self,
                runs=head,
                lines=self.lines[:keep],
                line_chars=self.line_chars[:keep],
                continues=True,
            ),
            replace(
                self,
                runs=tail,
                lines=self.lines[keep:],
                line_chars=self.line_chars[keep:],
                first=False,
                continued=True,
            ),
        )


def _split_runs(
    runs: tuple[tuple[str, str], ...], chars: int
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """Split after ``chars`` non-space characters. A word cut by the line
    break's hyphenation keeps an explicit hyphen on the first part."""
    head: list[tuple[str, str]] = []
    tail: list[tuple[str, str]] = []
    seen = 0
    for index, (style, text) in enumerate(runs):
        if seen >= chars:  # the split falls between two runs
            tail.extend(runs[index:])
            break
        cut = None
        for pos, char in enumerate(text):
            if not char.isspace():
                seen += 1
                if seen == chars:
                    cut = pos + 1
                    break
        if cut is None:
            head.append((style, text))
            continue
        first, rest = text[:cut], text[cut:]
        if rest and not rest[0].isspace() and first[-1:].isalnum():
            first += "\u2010"  # the hyphen the measured line ended with
        head.append((style, first))
        if rest.strip():
            tail.append((style, rest))
        tail.extend(runs[index + 1 :])
        break
    if tail:
        tail[0] = (tail[0][0], tail[0][1].lstrip())
    return tuple(head), tuple(tail)


@dataclass
class Side:
    items: list[tuple[float, Piece]] = field(default_factory=list)  # (top y, piece)

    def end(self) -> float:
        if not self.items:
            return 0.0
        top, piece = self.items[-1]
        return top + piece.height


@dataclass
class Spread:
    sides: tuple[Side, Side] = field(default_factory=lambda: (Side(), Side()))


def content_height_px(paper: str) -> float:
    _, height = PAPER_MM[paper]
    top, _, bottom, _ = MARGINS_MM
    return (height - top - bottom) * PX_PER_MM


def content_width_mm(paper: str) -> float:
    width, _ = PAPER_MM[paper]
    _, outer, _, inner = MARGINS_MM
    return width - outer - inner


# -- measuring -------------------------------------------------------------------


def measure(document: Any) -> dict[str, tuple[list[float], list[int]]]:
    """Line heights and non-space character counts of every block marked
    ``data-m``, read from WeasyPrint's box tree. A block split between two
    pages of the measuring column adds the lines of both parts."""
    found: dict[str, tuple[list[float], list[int]]] = {}
    for page in document.pages:
        for box in _descendants(page._page_box):
            element = getattr(box, "element", None)
            ident = element.get("data-m") if element is not None else None
            if not ident or not ident.startswith("m-") or type(box).__name__ != "BlockBox":
                continue
            heights, chars = found.setdefault(ident, ([], []))
            for line in box.children:
                if type(line).__name__ != "LineBox":
                    continue
                text = "".join(t.text for t in _descendants(line) if type(t).__name__ == "TextBox")
                heights.append(float(line.height))
                chars.append(_chars(text))
    return found


def _chars(text: str) -> int:
    count = sum(1 for c in text if not c.isspace())
    if text.rstrip().endswith("\u2010"):
        count -= 1  # a hyphen WeasyPrint inserted, not one of the source
    return count


def _descendants(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


# -- packing ---------------------------------------------------------------------


def pieces_for(
    rows: list[dict[str, Any]],
    side: int,
    lang: str,
    metrics: dict[str, tuple[list[float], list[int]]],
) -> dict[str, list[Piece]]:
    out: dict[str, list[Piece]] = {}
    for row in rows:
        cell = row["cells"][side]
        if cell is None:
            out[row["id"]] = []
            continue
        pieces = []
        for index, block in enumerate(cell["blocks"]):
            key = measure_id(lang, row["id"], index)
            if key not in metrics:
                raise BuildError(f"facing layout: block {key} was not measured")
            heights, chars = metrics[key]
            pieces.append(
                Piece(
                    row["id"],
                    lang,
                    block["kind"],
                    block["level"],
                    tuple(parse_inline(block["source"])),
                    tuple(heights),
                    tuple(chars),
                    first=index == 0,
                )
            )
        out[row["id"]] = pieces
    return out


def measure_id(lang: str, segment: str, index: int) -> str:
    return f"m-{lang}-{segment}-{index}"


def _start_need(pieces: list[Piece], following: list[Piece]) -> float:
    """Height a segment needs at a page bottom to start there."""
    if not pieces:
        return 0.0
    first = pieces[0]
    if first.kind == "heading":
        nxt = pieces[1] if len(pieces) > 1 else (following[0] if following else None)
        extra = sum(nxt.lines[:MIN_LINES]) + GAP_SEGMENT if nxt is not None else 0.0
        return first.height + extra
    return (
        sum(first.lines[: min(MIN_LINES, len(first.lines))])
        if len(first.lines) > MIN_LINES * 2 - 1
        else first.height
    )


def pack(
    rows: list[dict[str, Any]],
    sides: tuple[dict[str, list[Piece]], dict[str, list[Piece]]],
    height: float,
) -> list[Spread]:
    spreads = [Spread()]
    y = 0.0
    ids = [row["id"] for row in rows]
    for index, seg in enumerate(ids):
        left, right = sides[0][seg], sides[1][seg]
        nxt = ids[index + 1] if index + 1 < len(ids) else None
        following = (sides[0][nxt], sides[1][nxt]) if nxt else ([], [])
        gap = 0.0 if y == 0 else (GAP_HEADING if _is_heading(left, right) else GAP_SEGMENT)
        need = max(_start_need(left, following[0]), _start_need(right, following[1]))
        if y > 0 and y + gap + need > height:
            spreads.append(Spread())
            y, gap = 0.0, 0.0
        start = len(spreads) - 1
        ends = []
        for side_index, pieces in enumerate((left, right)):
            ends.append(_place(spreads, start, side_index, pieces, y + gap, height))
        last = max(end for end, _ in ends)
        while len(spreads) - 1 > last:
            spreads.pop()
        y = max(y_end for end, y_end in ends if end == last)
    return spreads


def _is_heading(left: list[Piece], right: list[Piece]) -> bool:
    return any(p and p[0].kind == "heading" for p in (left, right))


def _place(
    spreads: list[Spread], index: int, side: int, pieces: list[Piece], y: float, height: float
) -> tuple[int, float]:
    """Place one side's pieces from spread ``index`` at ``y``; return where it ends."""
    queue = list(pieces)
    first = True
    while queue:
        piece = queue.pop(0)
        if not first:
            y += GAP_PARAGRAPH if y > 0 else 0.0
        first = False
        if y + piece.height <= height + 0.01:
            _spread(spreads, index).sides[side].items.append((y, piece))
            y += piece.height
            continue
        fit = min(_lines_fitting(piece, height - y), len(piece.lines) - MIN_LINES)
        if piece.kind == "paragraph" and fit >= MIN_LINES:
            head, tail = piece.split(fit)
            _spread(spreads, index).sides[side].items.append((y, head))
            queue.insert(0, tail)
        elif y == 0:
            # Taller than a page and not splittable here: place it anyway,
            # verification will report the overflow.
            _spread(spreads, index).sides[side].items.append((y, piece))
            y += piece.height
            continue
        else:
            queue.insert(0, piece)
        index += 1
        y = 0.0
        first = True
    return index, y


def _lines_fitting(piece: Piece, room: float) -> int:
    total, count = 0.0, 0
    for line in piece.lines:
        if total + line > room + 0.01:
            break
        total += line
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
    passes: int
    spreads: int


def layout(
    rows: list[dict[str, Any]],
    langs: tuple[str, str],
    paper: str,
    render_html: Callable[[dict[str, Any]], str],
    render: Callable[[str], Any],
) -> Result:
    """Measure, pack, render and verify; return the verified document.

    ``render_html(extra_context)`` renders the facing template (with
    ``measure=True`` it lays out the measuring column), ``render(html)``
    lays out HTML with WeasyPrint.
    """
    # The measuring document is dropped once measured: the pages are laid
    # out without it in memory (a long edition's boxes take hundreds of MB).
    metrics = measure(render(render_html({"measure": True, "spreads": []})))
    sides = (pieces_for(rows, 0, langs[0], metrics), pieces_for(rows, 1, langs[1], metrics))
    height = content_height_px(paper)
    passes = 1
    while True:
        spreads = pack(rows, sides, height)
        html = render_html({"measure": False, "spreads": [_side_items(s) for s in spreads]})
        document = render(html)
        passes += 1
        drift = out_of_step(document, rows, langs)
        if not drift:
            return Result(document, html, passes, len(spreads))
        if passes > MAX_PASSES:
            raise BuildError(
                f"facing layout: segments {', '.join(drift[:5])} are out of step after "
                f"{passes} passes"
            )
        height -= 4.0  # something was taller than measured: leave more room


def _side_items(spread: Spread) -> list[list[dict[str, Any]]]:
    out = []
    for side in spread.sides:
        cursor = 0.0
        items: list[dict[str, Any]] = []
        for top, piece in side.items:
            if top > cursor + 0.01:
                items.append({"spacer": round(top - cursor, 3)})
            items.append({"piece": piece, "html": piece.html(), "spacer": 0})
            cursor = top + piece.height
        out.append(items)
    return out


def out_of_step(document: Any, rows: list[dict[str, Any]], langs: tuple[str, str]) -> list[str]:
    """Segment ids whose first-language start is not on a left page p with
    the second language's start on p + 1 at the same height."""
    where: dict[str, tuple[int, float]] = {}
    for number, page in enumerate(document.pages, start=1):
        for name, (_, y, *_rest) in page.anchors.items():
            where.setdefault(name, (number, float(y)))
    bad = []
    for row in rows:
        if row["cells"][0] is None or row["cells"][1] is None:
            continue
        a = where.get(f"{langs[0]}-{row['id']}")
        b = where.get(f"{langs[1]}-{row['id']}")
        if a is None or b is None or a[0] % 2 != 0 or b[0] != a[0] + 1 or abs(a[1] - b[1]) > 0.5:
            bad.append(row["id"])
    return bad
