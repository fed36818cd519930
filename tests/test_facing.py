"""Facing pages: every segment starts on the same spread, level, in both languages."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

import pytest

from diglot import blocks, facing, headings, sources, typography
from diglot import project as project_mod
from diglot.align import within
from diglot.build import build
from diglot.rows import Cell, Row

from .pdfread import destinations, norm, text

LINE = 10.0


@pytest.fixture(autouse=True)
def _grid_of_the_test_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pieces here have lines of LINE px: the grid is their pitch."""
    monkeypatch.setattr(facing, "GRID", LINE)


@pytest.fixture
def out_of_step_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages not held in step (facing.STEP_WITHIN): what balancing and
    levelling headings do alone, where the pages cannot be (a page that would
    be left near-empty, a block that does not split)."""
    monkeypatch.setattr(facing, "STEP_WITHIN", 10**6)
    monkeypatch.setattr(facing, "STEP_AT_SECTION_END", 10**6)


def piece(seg: str, lines: int, kind: str = "paragraph", first: bool = True) -> facing.Piece:
    content = (blocks.Text(" ".join(f"w{i}" for i in range(lines * 3))),)
    block = blocks.Heading(2, content, 1) if kind == "heading" else blocks.Paragraph(content, 1)
    return facing.Piece(
        seg,
        "xx",
        kind,
        2 if kind == "heading" else 0,
        block,
        (LINE,) * lines,
        (6,) * lines,
        first=first,
    )


def rows(*ids: str) -> list[Row]:
    def cell(lang: str, i: str) -> Cell:
        return Cell(lang, f"{lang}-{i}", i, False, (), (), None)

    return [Row(i, False, 0, (cell("xx", i), cell("yy", i)), f"xx-{i}") for i in ids]


def test_segments_run_on_and_the_shorter_side_keeps_its_white_at_the_foot():
    """A side shorter by more than LEVEL_WITHIN lines does not wait for the
    other (that would leave a hole between its paragraphs): each side runs
    on, on the grid, and the shorter page keeps its white at the foot."""
    left = {"a": [piece("a", 6)], "b": [piece("b", 2)]}
    right = {"a": [piece("a", 9)], "b": [piece("b", 3)]}  # three lines longer
    spreads = facing.pack(rows("a", "b"), (left, right), height=200)
    assert len(spreads) == 1
    (ly, _), (lby, _) = spreads[0].sides[0].items
    (ry, _), (rby, _) = spreads[0].sides[1].items
    assert ly == ry == 0
    assert (lby, rby) == (6 * LINE, 9 * LINE)
    assert "b" not in spreads[0].level


def test_long_segment_continues_on_next_spread_on_both_sides():
    left = {"a": [piece("a", 30)], "b": [piece("b", 2)]}
    right = {"a": [piece("a", 12)], "b": [piece("b", 2)]}
    # (19 lines a page: balancing the first spread, 12 lines on each page,
    # would take a third spread)
    spreads = facing.pack(rows("a", "b"), (left, right), height=190, min_page_lines=0)
    assert len(spreads) == 2
    first_left = spreads[0].sides[0].items[0][1]
    assert len(first_left.lines) == 19 and first_left.continues and first_left.first
    cont = spreads[1].sides[0].items[0][1]
    assert len(cont.lines) == 11 and cont.continued and not cont.first
    # the next segment starts on the same spread; level would leave 11 lines
    # of white on the right page, so each side runs on
    (bl, _), (br, _) = spreads[1].sides[0].items[1], spreads[1].sides[1].items[0]
    assert bl == 11 * LINE and br == 0
    assert "b" not in spreads[1].level


@pytest.mark.parametrize(("apart", "level"), [(0, True), (1, False), (2, False), (5, False)])
def test_segments_start_level_only_where_both_sides_meet(apart: int, level: bool) -> None:
    """As in a Loeb edition, a paragraph never waits for the other
    language: even one line of white between two paragraphs set with
    indents reads as a section break. Each side runs on; only where both
    reach the same line does the next segment count as level."""
    left = {"a": [piece("a", 2 + apart)], "b": [piece("b", 2)]}
    right = {"a": [piece("a", 2)], "b": [piece("b", 2)]}
    spreads = facing.pack(rows("a", "b"), (left, right), height=400, min_page_lines=0)
    (lb, _), (rb, _) = spreads[0].sides[0].items[1], spreads[0].sides[1].items[1]
    assert ("b" in spreads[0].level) is level
    assert lb == (2 + apart) * LINE
    assert rb == ((2 + apart) if level else 2) * LINE


def test_every_block_starts_on_the_grid_of_body_lines():
    """A block of a height off the grid (a heading set larger, a quotation
    set smaller) takes the whole lines it reaches into: what follows it
    starts on the grid, so both pages' lines stay in register."""
    left = {"a": [replace(piece("a", 1, "heading"), lines=(14.0,))], "b": [piece("b", 2)]}
    right = {"a": [replace(piece("a", 1, "heading"), lines=(12.0,))], "b": [piece("b", 3)]}
    right["b"] = [replace(right["b"][0], lines=(9.5, 9.5, 9.5))]
    spreads = facing.pack(rows("a", "b"), (left, right), height=400, min_page_lines=0)
    tops = [[y for y, _ in side.items] for side in spreads[0].sides]
    assert tops == [[0.0, 2 * LINE], [0.0, 2 * LINE]]
    assert [facing.on_grid(y) for y in (0.0, 10.0, 10.004, 10.5, 19.99)] == [
        0.0,
        10.0,
        10.0,
        20.0,
        20.0,
    ]


def test_a_heading_starts_level_when_that_leaves_at_most_heading_white_lines():
    """Up to facing.HEADING_WHITE lines apart a heading starts level (the
    white above it reads as a section break); further apart each side's
    heading starts where its text ends, on the same spread: a deeper hole
    in the shorter page, or both pages cut short to open the next spread,
    would be worse."""
    most = facing.HEADING_WHITE
    for apart, level in ((2, True), (most, True), (most + 1, False), (most + 4, False)):
        left = {"a": [piece("a", 2)], "h": [piece("h", 1, "heading")], "b": [piece("b", 2)]}
        right = {"a": [piece("a", 2)], "h": [piece("h", 1, "heading")], "b": [piece("b", 2)]}
        left["a"] = [replace(left["a"][0], lines=(LINE, LINE + apart * LINE))]
        spreads = facing.pack(rows("a", "h", "b"), (left, right), height=400, min_page_lines=0)
        where = [
            [(n, y) for n, s in enumerate(spreads) for y, p in s.sides[i].items if p.segment == "h"]
            for i in (0, 1)
        ]
        gap = facing.GAP_HEADING * LINE
        left_at = 2 * LINE + apart * LINE + gap
        assert where == [[(0, left_at)], [(0, left_at if level else 2 * LINE + gap)]], apart
        assert ("h" in spreads[0].level) is level


def test_a_heading_brought_level_where_it_no_longer_fits_follows_its_text_instead():
    """Brought down level with the left one, the right heading (three lines
    long, with the two lines it keeps) would not fit on the spread: rather
    than both pages ending short and the heading opening the next spread,
    each side's heading follows its own text on this one."""
    left = {"a": [piece("a", 2)], "h": [piece("h", 1, "heading")], "b": [piece("b", 2)]}
    right = {"a": [piece("a", 2)], "h": [piece("h", 3, "heading")], "b": [piece("b", 2)]}
    left["a"] = [replace(left["a"][0], lines=(LINE, 5 * LINE))]  # four lines further
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=10 * LINE, min_page_lines=0)
    heads = [[(n, y) for n, y, seg, _ in side if seg == "h"] for side in _where(spreads)]
    gap = facing.GAP_HEADING * LINE
    assert heads == [[(0, 6 * LINE + gap)], [(0, 2 * LINE + gap)]]
    assert "h" not in spreads[0].level
    left["a"] = [replace(left["a"][0], lines=(LINE, 3 * LINE))]  # two: it fits, level
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=10 * LINE, min_page_lines=0)
    heads = [[(n, y) for n, y, seg, _ in side if seg == "h"] for side in _where(spreads)]
    assert heads == [[(0, 4 * LINE + gap)]] * 2


def test_a_near_empty_last_page_takes_lines_from_the_spread_before():
    line = LINE
    left = {"a": [piece("a", 20)], "b": [piece("b", 2)]}
    right = {"a": [piece("a", 20)], "b": [piece("b", 2)]}
    for side in (left, right):
        side["a"] = [replace(side["a"][0], lines=(line,) * 20)]
        side["b"] = [replace(side["b"][0], lines=(line,) * 2)]
    height = 21 * line
    alone = facing.pack(rows("a", "b"), (left, right), height=height, min_page_lines=0)
    assert [len(alone[1].sides[0].items)] == [1]  # b alone on the last spread: 2 lines
    spreads = facing.pack(rows("a", "b"), (left, right), height=height)
    assert len(spreads) == 2
    for side in spreads[1].sides:
        assert sum(len(p.lines) for _, p in side.items) >= facing.MIN_PAGE_LINES
        assert [p.segment for _, p in side.items] == ["a", "b"]


def test_a_picture_on_the_last_spread_is_no_near_empty_page():
    """A picture (six lines high) and a two-line caption end the text: the
    last pages are not near-empty, and the spread before keeps its lines
    (the sample's verse and the sail's third stanza were sent overleaf to
    keep a picture company, leaving the spread before half empty)."""
    line = LINE
    image = blocks.Figure(blocks.Image("a.svg", "a picture"), 1)
    sides: tuple[dict, dict] = ({}, {})
    for side in sides:
        side["a"] = [replace(piece("a", 19), lines=(line,) * 19)]
        side["f"] = [facing.Piece("f", "xx", "figure", 0, image, (6 * line,), (0,), first=True)]
        side["c"] = [replace(piece("c", 2), lines=(line,) * 2)]
    spreads = facing.pack(rows("a", "f", "c"), sides, height=21 * line)
    assert len(spreads) == 2
    for side in spreads[0].sides:
        assert [(p.segment, len(p.lines)) for _, p in side.items] == [("a", 19)]
    for side in spreads[1].sides:
        assert [p.segment for _, p in side.items] == ["f", "c"]
    small = replace(sides[0]["f"][0], lines=(2 * line,))  # a small picture does not
    pulled = facing.pack(
        rows("a", "f", "c"), ({**sides[0], "f": [small]}, {**sides[1], "f": [small]}), 21 * line
    )
    assert pulled[1].sides[0].items[0][1].segment == "a"


def test_a_heading_far_from_level_follows_each_sides_text_and_leaves_no_near_empty_page(
    out_of_step_allowed: None,
):
    """Levelling the heading would take eight lines: more than the left page
    before may give up (facing.SHORT_WHITE) and the white above the heading
    may hold (facing.HEADING_WHITE) together: each side's heading follows
    its own text on the second spread (it used to open a third spread,
    leaving the left page before with 2 lines). Seven lines apart, that
    page gives up two (white at its foot) and the heading comes down five:
    it starts level."""
    line = LINE
    left = {"a": [piece("a", 23)], "h": [piece("h", 1, "heading")], "b": [piece("b", 8)]}
    right = {"a": [piece("a", 31)], "h": [piece("h", 1, "heading")], "b": [piece("b", 8)]}
    for side, count in ((left, 23), (right, 31)):
        side["a"] = [replace(side["a"][0], lines=(line,) * count)]
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=21 * line)
    heads = [[(n, y) for n, y, seg, _ in side if seg == "h"] for side in _where(spreads)]
    gap = facing.GAP_HEADING * line
    assert heads == [[(1, 2 * line + gap)], [(1, 10 * line + gap)]]
    assert "h" not in spreads[1].level
    for spread in spreads:
        for side in spread.sides:
            assert sum(len(p.lines) for _, p in side.items) >= facing.MIN_PAGE_LINES
    right["a"] = [replace(right["a"][0], lines=(line,) * 30)]
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=21 * line)
    heads = [[(n, y) for n, y, seg, _ in side if seg == "h"] for side in _where(spreads)]
    assert heads == [[(1, 9 * line + gap)]] * 2
    left_a = [(n, lines) for n, _, seg, lines in _where(spreads)[0] if seg == "a"]
    assert left_a == [(0, 21 - facing.SHORT_WHITE), (1, 2 + facing.SHORT_WHITE)]


def test_no_orphan_or_widow_at_a_split():
    left = {"a": [piece("a", 17)], "b": [piece("b", 3)]}
    right = {"a": [piece("a", 17)], "b": [piece("b", 3)]}
    spreads = facing.pack(rows("a", "b"), (left, right), height=190, min_page_lines=0)
    # 17 lines + gap leaves room for 1 line of b: b must move whole
    assert [len(p.lines) for _, p in spreads[1].sides[0].items] == [3]
    left = {"a": [piece("a", 20)]}
    right = {"a": [piece("a", 2)]}
    spreads = facing.pack(rows("a"), (left, right), height=190, min_page_lines=0)
    # 19 lines fit but that would leave one: split 18 + 2
    assert [len(p.lines) for _, p in spreads[0].sides[0].items] == [18]


def test_heading_not_left_alone_at_page_bottom():
    left = {"a": [piece("a", 17)], "h": [piece("h", 1, "heading")], "b": [piece("b", 5)]}
    right = {"a": [piece("a", 17)], "h": [piece("h", 1, "heading")], "b": [piece("b", 5)]}
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=200)
    assert [p.segment for _, p in spreads[1].sides[0].items][:1] == ["h"]


def fake_document(left_page: int, right_page: int, right_y: float = 100.0):
    """A laid-out document as the loop reads it: each page's anchors."""
    from types import SimpleNamespace

    pages = [SimpleNamespace(anchors={}) for _ in range(max(left_page, right_page))]
    pages[left_page - 1].anchors["xx-a"] = (0.0, 100.0)
    pages[right_page - 1].anchors["yy-a"] = (0.0, right_y)
    return SimpleNamespace(pages=pages)


def run_layout(monkeypatch, documents):
    """facing.layout with the measuring faked and ``documents`` as the
    successive packed renders; returns the result and the heights packed for."""
    heights = []
    real_pack = facing.pack

    def pack(rows_, sides, height, **options):
        heights.append(height)
        return real_pack(rows_, sides, height, **options)

    monkeypatch.setattr(facing, "measure", lambda document: {})
    monkeypatch.setattr(
        facing, "pieces_for", lambda rows_, side, lang, metrics, height=None: {"a": [piece("a", 3)]}
    )
    monkeypatch.setattr(facing, "pack", pack)
    queue = iter(documents)

    def render(html):
        return html, ("measuring" if "measure" in html else next(queue))

    result = facing.layout(
        rows("a"), ("xx", "yy"), "A5", lambda extra: "measure" if extra["measure"] else "x", render
    )
    return result, heights


def test_layout_passes_count_every_render_and_stop_once_in_step(monkeypatch):
    """In step at once: two renders (measuring, then packed), packed for the
    full height. Catches a loop that stops before checking, or miscounts."""
    result, heights = run_layout(monkeypatch, [fake_document(2, 3)])
    assert result.passes == 2 and result.spreads == 1
    assert heights == [facing.content_height_px("A5")]


def test_layout_drift_repacks_with_less_room(monkeypatch):
    """Out of step (the second language a page later, then 3 px lower):
    repacked 4 px shorter each time until in step."""
    documents = [fake_document(2, 4), fake_document(2, 3, right_y=103.0), fake_document(2, 3)]
    result, heights = run_layout(monkeypatch, documents)
    assert result.passes == 4
    full = facing.content_height_px("A5")
    assert heights == [full, full - 4, full - 8]


def test_layout_gives_up_after_max_passes(monkeypatch):
    """Never in step: a located BuildError naming the segment after
    MAX_PASSES renders, not an endless loop or a PDF out of step."""
    from diglot.errors import BuildError

    documents = [fake_document(3, 4)] * (facing.MAX_PASSES + 5)
    after = facing.MAX_PASSES + 1
    with pytest.raises(BuildError, match=rf"segments a are out of step after {after} passes"):
        run_layout(monkeypatch, documents)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["genocide-az-en-facing", "biography-kk-en-facing"])
def test_real_editions_have_no_segment_out_of_step(repo_copy, name):
    project = project_mod.load(repo_copy)
    edition = project.edition(name)
    built = build(edition)
    dests = destinations(built.path)
    first, second = edition.languages
    from diglot import sources

    ids = list(sources.load(edition.source(first)).segments)
    out_of_step = [
        seg
        for seg in ids
        if not (
            dests[f"{first}-{seg}"] % 2 == 1
            and dests[f"{second}-{seg}"] == dests[f"{first}-{seg}"] + 1
        )
    ]
    assert out_of_step == []
    # the text of both languages is complete: split paragraphs join again
    # pdftotext drops a word's own hyphen when the line breaks after it
    # ("all-" / "Union" reads "allUnion"), so hyphens are compared away
    content = text(built.path).replace("-", "")
    for lang in edition.languages:
        doc = sources.load(edition.source(lang))
        for segment in doc.segments.values():
            words = segment.blocks[-1].plain.split()
            assert norm(" ".join(words[-3:])).replace("-", "") in content, (lang, segment.id)


def test_footnotes_take_room_at_the_foot_of_their_page():
    noted = facing.Piece(
        "a",
        "xx",
        "paragraph",
        0,
        blocks.Paragraph((blocks.Text("x " * 40),), 1),
        (LINE,) * 10,
        (6,) * 10,
        first=True,
        notes=(0.0, 30.0) + (0.0,) * 8,
    )
    left = {"a": [noted], "b": [piece("b", 6)]}
    right = {"a": [piece("a", 10)], "b": [piece("b", 6)]}
    spreads = facing.pack(rows("a", "b"), (left, right), height=160)
    # Without the note, two lines of b would start below a (100 + 8 + 20 <=
    # 160); the 30 px note and its rule leave 160 - 42 - 108 = 10 px on the
    # left page, so b starts on the next spread, on both sides, whole.
    assert spreads[0].sides[0].notes == 30.0 + facing.NOTE_AREA
    assert [p.segment for _, p in spreads[0].sides[1].items] == ["a"]
    for side in spreads[1].sides:
        assert [(p.segment, len(p.lines), p.continued) for _, p in side.items] == [("b", 6, False)]
    # a paragraph split keeps each note with the line that calls it
    head, tail = noted.split(5)
    assert head.notes_height() == 30.0 and tail.notes_height() == 0.0


def test_verse_and_lists_split_between_lines_and_items():
    verse = blocks.Verse(
        tuple(blocks.VerseLine((blocks.Text(f"l{i}"),), 0, i, i) for i in range(1, 7)), 1
    )
    head, tail = facing.Piece("v", "xx", "verse", 0, verse, (LINE,) * 6, (2,) * 6).split(4)
    assert [v.number for v in head.block.lines] == [1, 2, 3, 4]
    assert [v.number for v in tail.block.lines] == [5, 6] and tail.continued
    items = tuple(blocks.ListItem((blocks.Paragraph.of_text(f"i{i}", i),), i) for i in range(5))
    numbered = blocks.ListBlock(True, 1, items, 1)
    head, tail = facing.Piece("l", "xx", "list", 0, numbered, (LINE,) * 5, (2,) * 5).split(2)
    assert len(head.block.items) == 2 and tail.block.start == 3 and len(tail.block.items) == 3
    rule = facing.Piece("r", "xx", "rule", 0, blocks.Rule(1), (LINE,), (0,))
    assert not rule.splittable


def test_verse_lines_that_correspond_get_the_same_heights():
    def verse_piece(heights):
        lines = tuple(
            blocks.VerseLine((blocks.Text("x"),) if h else (), 0, n if h else 0, n)
            for n, h in enumerate(heights, start=1)
        )
        return facing.Piece("v", "xx", "verse", 0, blocks.Verse(lines, 1), heights, (1,) * 3)

    left = {"v": [verse_piece((10.0, 10.0, 10.0))]}
    right = {"v": [verse_piece((10.0, 30.0, 10.0))]}  # the second line wraps twice
    facing.level_verse((left, right))
    assert left["v"][0].lines == right["v"][0].lines == (10.0, 30.0, 10.0)
    other = {"v": [verse_piece((10.0, 0.0, 10.0))]}  # a stanza break where the other has a line
    facing.level_verse((left, other))
    assert other["v"][0].lines == (10.0, 0.0, 10.0)


def test_a_spread_ends_level_when_both_pages_run_on(out_of_step_allowed: None):
    """Both pages run on over the turn, the right one a line higher (two
    lines of its paragraph must go over): the left keeps what ends level
    with it and the rest goes on to the next spread. When the right page's
    paragraph ends on it instead, the left page stays full and the right
    keeps its white at the foot, as in a Loeb edition (the longer
    language's page cut short to match read as text missing: a
    typographer's reading of biography-kk-en-facing p. 10)."""
    left = {"a": [piece("a", 25)], "b": [piece("b", 10)]}
    right = {"a": [piece("a", 21)], "b": [piece("b", 10)]}
    spreads = facing.pack(rows("a", "b"), (left, right), height=200)
    assert len(spreads) == 2
    assert [side.end() for side in spreads[0].sides] == [19 * LINE, 19 * LINE]
    assert [len(p.lines) for _, p in spreads[1].sides[0].items] == [6, 10]
    right["a"] = [piece("a", 18)]
    spreads = facing.pack(rows("a", "b"), (left, right), height=200)
    assert [side.end() for side in spreads[0].sides] == [20 * LINE, 18 * LINE]
    assert [len(p.lines) for _, p in spreads[1].sides[0].items] == [5, 10]


def test_each_spread_holds_the_same_passage_in_both_languages():
    """A paragraph of 25 lines faces its translation of 21 over a spread
    turn: the right page's text would get further (19 of its 21 lines
    against 19 of 25: three lines ahead, past RUN_AHEAD), so it ends where
    its translation does, 16 of 21 lines, its white at the foot, as in a
    Loeb edition (run on six lines ahead, the shorter language's lead grew
    spread by spread until a page ended a paragraph ahead of its
    translation). One line ahead, both pages run to the foot."""
    left = {"a": [piece("a", 25)], "b": [piece("b", 10)]}
    right = {"a": [piece("a", 21)], "b": [piece("b", 10)]}
    spreads = facing.pack(rows("a", "b"), (left, right), height=200)
    assert [side.end() for side in spreads[0].sides] == [19 * LINE, 16 * LINE]
    assert [len(p.lines) for _, p in spreads[1].sides[1].items] == [5, 10]
    right = {"a": [piece("a", 24)], "b": [piece("b", 10)]}
    spreads = facing.pack(rows("a", "b"), (left, right), height=200)
    assert [side.end() for side in spreads[0].sides] == [20 * LINE, 20 * LINE]


def test_a_page_ahead_ends_at_its_paragraphs_end_near_where_the_other_does():
    """The right page would run four lines into the next paragraph while
    the left is still in the first: it ends with its paragraph, its white at
    the foot under the paragraph's end, and the next starts the next spread.
    Three lines ahead at its paragraph's end (END_AHEAD), it is not cut
    mid-paragraph to be in step: its last lines would go over the leaf."""
    left = {"a": [piece("a", 25)], "b": [piece("b", 10)]}
    right = {"a": [piece("a", 15)], "b": [piece("b", 10)]}
    spreads = facing.pack(rows("a", "b"), (left, right), height=200)
    assert [side.end() for side in spreads[0].sides] == [20 * LINE, 15 * LINE]
    assert [(p.segment, len(p.lines)) for _, p in spreads[1].sides[1].items] == [("b", 10)]


def test_a_language_longer_all_through_a_paragraph_is_held_in_step_spread_by_spread():
    """Where one language runs a fifth longer all through a long paragraph,
    a lead would only grow from spread to spread: each page of the shorter
    is held in step, its white at the foot (the Azerbaijani of genocide-az-
    ru-facing once ran nine lines ahead of its Russian), and a lead past
    RUN_AHEAD is never kept."""
    spreads = facing.pack(rows("a"), ({"a": [piece("a", 100)]}, {"a": [piece("a", 80)]}), 200)
    assert [[len(p.lines) for _, p in s.sides[0].items] for s in spreads] == [[20]] * 5
    assert [[len(p.lines) for _, p in s.sides[1].items] for s in spreads][:3] == [[16]] * 3
    spreads = facing.pack(rows("a"), ({"a": [piece("a", 40)]}, {"a": [piece("a", 26)]}), 200)
    assert [[len(p.lines) for _, p in s.sides[1].items] for s in spreads] == [[13], [13]]


def _dated(lang: str, lines: int, dates: dict[float, str]) -> facing.Piece:
    """A paragraph of ``lines`` lines in ``lang``, of words of one length,
    that gives each date at its share of the text."""
    words = ["abcde"] * (lines * 6)
    for share, date in sorted(dates.items(), reverse=True):
        words.insert(round(share * len(words)), date)
    return replace(
        piece("a", lines), lang=lang, block=blocks.Paragraph((blocks.Text(" ".join(words)),), 1)
    )


def test_a_paragraph_recast_in_translation_is_held_in_step_by_the_dates_both_give():
    """The Russian puts a paragraph's predicate before the list of dated
    documents that the Azerbaijani ends with (genocide p3): by the share of
    their lines both pages of the first spread would end 20 lines into 30,
    and the Azerbaijani would print the list's dates whose Russian is on
    the next spread. Read between the dates both give, the Russian's 20
    lines reach as far as about ten of the Azerbaijani's: the Azerbaijani
    page ends there, the rest goes on beside the Russian's last ten lines."""
    az = {"a": [_dated("az", 30, {0.2: "18 avqust 1993-cü", 0.4: "1 mart 1994-cü"})]}
    ru = {"a": [_dated("ru", 30, {0.5: "18 августа 1993 года", 0.8: "1 марта 1994 года"})]}
    spreads = facing.pack(rows("a"), (az, ru), height=200)
    assert [[len(p.lines) for _, p in side.items] for side in spreads[0].sides] == [[10], [20]]
    assert [[len(p.lines) for _, p in side.items] for side in spreads[1].sides] == [[20], [10]]
    # without dates both give, the shares of the lines hold them in step
    ru = {"a": [_dated("ru", 30, {0.5: "18 августа 1993 года"})]}
    az = {"a": [_dated("az", 30, {0.2: "1 mart 1994-cü"})]}
    spreads = facing.pack(rows("a"), (az, ru), height=200)
    assert [[len(p.lines) for _, p in side.items] for side in spreads[0].sides] == [[20], [20]]


def test_a_section_ending_beside_the_others_overrun_carries_its_last_lines_over():
    """The right a runs eleven lines onto the next spread, the left one
    would end on the first: the left page keeps its share (13 of its 20
    lines beside 20 of 31), its last seven lines go over beside the right's
    eleven, and the headings after them start level, rather than the left
    heading opening its page under white beside the end of the right's
    section."""
    left = {"a": [piece("a", 20)], "h": [piece("h", 1, "heading")], "b": [piece("b", 6)]}
    right = {"a": [piece("a", 31)], "h": [piece("h", 1, "heading")], "b": [piece("b", 6)]}
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=200)
    assert _where(spreads) == [
        [(0, 0.0, "a", 13), (1, 0.0, "a", 7), (1, 120.0, "h", 1), (1, 130.0, "b", 6)],
        [(0, 0.0, "a", 20), (1, 0.0, "a", 11), (1, 120.0, "h", 1), (1, 130.0, "b", 6)],
    ]
    assert "h" in spreads[1].level


def test_a_spread_that_ends_a_section_may_end_short(out_of_step_allowed: None):
    """Before a heading (a new section) the shorter page stays short, and a
    balance that would need another spread is not made. (The right page
    ends its section two lines short; the left a runs two lines onto the
    next spread, and the right heading, opening its page, comes down level
    with the left one under the white of a section's opening, rather than
    the right page giving up two more lines and ending four short
    mid-sentence.)"""
    left = {"a": [piece("a", 22)], "h": [piece("h", 1, "heading")], "b": [piece("b", 10)]}
    right = {"a": [piece("a", 18)], "h": [piece("h", 1, "heading")], "b": [piece("b", 10)]}
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=200)
    assert [side.end() for side in spreads[0].sides] == [20 * LINE, 18 * LINE]
    heads = [[(n, y) for n, y, seg, _ in side if seg == "h"] for side in _where(spreads)]
    assert heads == [[(1, (2 + facing.GAP_HEADING) * LINE)]] * 2
    assert "h" in spreads[1].level
    left = {"a": [piece("a", 25)], "b": [piece("b", 14)]}
    right = {"a": [piece("a", 18)], "b": [piece("b", 19)]}
    spreads = facing.pack(rows("a", "b"), (left, right), height=200)
    assert len(spreads) == 2
    assert [side.end() for side in spreads[0].sides] == [20 * LINE, 18 * LINE]


def test_a_paragraph_split_at_a_hyphen_gives_its_word_to_lock():
    whole = facing.Piece(
        "a",
        "xx",
        "paragraph",
        0,
        blocks.Paragraph((blocks.Text("alpha betagamma delta"),), 1),
        (LINE,) * 3,
        (5, 5, 10),
    )
    head, tail = whole.split(2)
    spread = facing.Spread()
    spread.sides[0].add(0.0, head)
    after = facing.Spread()
    after.sides[0].add(0.0, tail)
    assert facing.turn_words([spread, after]) == {"betagamma"}
    head, tail = whole.split(1)  # at a space: nothing to lock
    spread, after = facing.Spread(), facing.Spread()
    spread.sides[0].add(0.0, head)
    after.sides[0].add(0.0, tail)
    assert facing.turn_words([spread, after]) == set()


def _split_over_a_spread(text: str, lang: str, chars: tuple[int, ...], at: int) -> list:
    whole = facing.Piece(
        "a",
        lang,
        "paragraph",
        0,
        blocks.Paragraph((blocks.Text(text),), 1),
        (LINE,) * len(chars),
        chars,
    )
    head, tail = whole.split(at)
    spread, after = facing.Spread(), facing.Spread()
    spread.sides[1].add(0.0, head)
    after.sides[1].add(0.0, tail)
    return [spread, after]


def test_a_paragraph_split_inside_a_date_gives_its_words_to_tie():
    """Facing pages split paragraphs between spreads themselves: a split
    inside a date ("25 fevral" / "1997-ci il") gives the pair to tie in
    every paragraph (typography.tie_everywhere); one before the date, or a
    word hyphenated there (turn_words' to lock), does not."""
    text = "Heydər Əliyevin 25 fevral 1997-ci il tarixli Sərəncamı"
    inside = _split_over_a_spread(text, "az", (22, 25), 1)
    assert facing.turn_ties(inside) == {("fevral", "1997-ci")}
    before = _split_over_a_spread(text, "az", (14, 33), 1)
    assert facing.turn_ties(before) == set()
    english = _split_over_a_spread("the decree of 25 February 1997 was", "en", (21, 7), 1)
    assert facing.turn_ties(english) == {("February", "1997")}
    hyphenated = _split_over_a_spread("alpha betagamma delta", "en", (5, 5, 10), 2)
    assert facing.turn_ties(hyphenated) == set()


def test_a_heading_does_not_open_a_page_with_white(out_of_step_allowed: None):
    """The left page of a spread is fresh, the right one runs on eleven
    lines: the heading starts at the top of the left page rather than
    under eleven lines of white (genocide-az-ru-facing p8), and the left
    page before does not give up eleven lines, over half its page, to
    bring the heading level."""
    left = {"a": [piece("a", 20)], "h": [piece("h", 1, "heading")], "b": [piece("b", 6)]}
    right = {"a": [piece("a", 31)], "h": [piece("h", 1, "heading")], "b": [piece("b", 6)]}
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=200)
    heads = [[y for y, p in spreads[1].sides[i].items if p.segment == "h"] for i in (0, 1)]
    assert heads == [[0.0], [(11 + facing.GAP_HEADING) * LINE]]


def _body_rows(pdf, page: int) -> list[list[tuple[float, float, float, float, str]]]:
    """The lines of a page's text block at body size or larger (notes,
    running heads and folios left out), top to bottom."""
    from .pdfread import BOX_EM, rows

    height_pt = (210.0 - 24.0) * 72 / 25.4  # the foot of the text block, A5
    top_pt = 17.0 * 72 / 25.4 - 2
    return [
        r
        for r in rows(pdf, page)
        if (r[0][3] - r[0][1]) / BOX_EM >= 9.0 and top_pt < r[0][1] and r[0][3] < height_pt + 2
    ]


def _text_spreads(pdf, first_lang: str) -> list[int]:
    """The left pages of the spreads of the text (from the opening spread to
    the one holding the text's last segment; the key dates that run on
    under it are entries too short to split, not held to the same depth,
    and the records of changes after them are set in smaller lines)."""
    from .pdfread import destinations

    starts = [
        v + 1
        for k, v in destinations(pdf).items()
        if k.startswith(f"{first_lang}-")
        and not k.startswith((f"{first_lang}-dates.", f"{first_lang}-records."))
    ]
    return list(range(min(starts), max(starts) + 1, 2))


def spread_depths(pdf, first_lang: str) -> list[tuple[int, float, float, bool]]:
    """For each spread of the text but the last: its left page, the depth
    (pt from the top) of the last line of each page, body or note, and
    whether the next spread opens a section on the shorter page (a heading
    first), or the next spread with headings, within three, holds them
    level on both pages (the shorter language's pages gave their last lines
    to the next spreads, so that they start level under the end of the
    longer language's section): where that page may stay short."""
    from pypdf import PdfReader

    from .pdfread import BOX_EM, rows

    out = []
    spreads = _text_spreads(pdf, first_lang)
    for left in spreads[:-1]:
        depths = []
        for page in (left, left + 1):
            lines = [r for r in rows(pdf, page) if r[0][3] < (210.0 - 24.0) * 72 / 25.4 + 2]
            depths.append(max(r[0][3] for r in lines) if lines else 0.0)
        shorter = left if depths[0] < depths[1] else left + 1
        following = _body_rows(pdf, shorter + 2)
        body = min((r[0][3] - r[0][1]) for r in _body_rows(pdf, left)) / BOX_EM
        opens = bool(following) and (following[0][0][3] - following[0][0][1]) / BOX_EM > body * 1.08

        def heading_tops(page: int, body: float = body) -> set[float]:
            return {
                round(r[0][1])
                for r in _body_rows(pdf, page)
                if (r[0][3] - r[0][1]) / BOX_EM > body * 1.08
            }

        # the next spread with headings, within three (the shorter
        # language's pages may share out the lines they give up)
        level = False
        for ahead in range(left + 2, min(left + 8, len(PdfReader(pdf).pages)), 2):
            tops = (heading_tops(ahead), heading_tops(ahead + 1))
            if any(tops):
                level = bool(tops[0] & tops[1])
                break
        out.append((left, depths[0], depths[1], opens or level))
    return out


FACING = [
    "genocide-az-en-facing",
    "genocide-az-ru-facing",
    "biography-kk-en-facing",
    "sail-ru-en-facing",
]


@pytest.fixture(scope="module")
def facing_built(tmp_path_factory):
    """The facing editions of this repository, built once: name -> (PDF,
    first language)."""

    from .conftest import copy_project

    dest = tmp_path_factory.mktemp("facing")
    copy_project(dest)
    project = project_mod.load(dest)
    return {
        name: (build(project.edition(name)).path, project.edition(name).languages[0])
        for name in FACING
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", ["genocide-az-en-facing", "sail-ru-en-facing"])
def test_both_pages_of_a_spread_end_at_the_same_depth(facing_built, name):
    """Read back with poppler: within the text, the two pages of a spread
    end level (within half a line), unless the shorter one ends its section,
    where the two languages are about as long. (Where one is much longer,
    as genocide-az-ru-facing's Russian, the shorter language's pages end
    short, in step with the other: the test below.)"""
    pdf, first = facing_built[name]
    for left, a, b, opens in spread_depths(pdf, first):
        assert opens or abs(a - b) < 0.6 * 13.3, (left, a, b)


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _segment_letters(path) -> list[str]:
    """A text's segments in order, each as its letters and digits only."""
    parts = re.split(r"^\{#[\w.-]+\}\n", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return [_letters(part) for part in parts[1:]]


def _page_end(pdf, page: int, segments: list[str]) -> tuple[int, float, float] | None:
    """Where a page's text has got to at its last line: the segment, the
    share of its letters before that point, and the page's letters per
    line; None when its last words are not found once in the text."""
    lines = _body_rows(pdf, page)
    words: list[str] = []
    for row in reversed(lines):
        tokens = [w[4] for w in row]
        if not words and tokens[-1][-1:] in "-\u2010\u00ad":
            tokens = tokens[:-1]  # the first part of a word hyphenated over the turn
        words = tokens + words
        if len(_letters(" ".join(words))) >= 24:
            break
    key = _letters(" ".join(words))
    found = [(n, text.find(key)) for n, text in enumerate(segments) if key in text]
    if len(found) != 1 or segments[found[0][0]].count(key) != 1:
        return None
    number, at = found[0]
    per_line = sum(len(_letters(" ".join(w[4] for w in r))) for r in lines) / len(lines)
    return number, (at + len(key)) / len(segments[number]), per_line


def _shared_points(edition) -> list[tuple[within.Point, ...]]:
    """Per segment, in the first language's order, the points its two
    texts share (diglot.align.within)."""
    docs = [sources.load(edition.source(lang)) for lang in edition.languages]
    out = []
    for seg, first in docs[0].segments.items():
        second = docs[1].segments.get(seg)
        texts = ["\n".join(b.plain for b in s.blocks) for s in (first, second) if s]
        out.append(
            within.points(texts[0], edition.languages[0], texts[1], edition.languages[1])
            if len(texts) == 2
            else ()
        )
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in FACING if not n.startswith("sail")])
def test_each_spread_of_a_built_edition_holds_the_same_passage(facing_built, name):
    """Read back with poppler and matched against the texts: at every turn of
    the text where both pages run on, the page whose text got further
    through the text than the other's is ahead by at most
    facing.RUN_AHEAD of its lines and a line for the matching (in
    genocide-az-ru-facing the last nine lines of the Azerbaijani on p. 2
    had their Russian on p. 5). How far each page got into a segment is
    its share of the segment's letters, read between the points both
    texts share (dates, numbers, sentence ends: the Russian puts the
    predicate of that paragraph before its list of documents)."""

    pdf, first = facing_built[name]
    project = project_mod.load(pdf.parent.parent)
    edition = project.edition(name)
    texts = [_segment_letters(edition.source(lang)) for lang in edition.languages]
    shared = _shared_points(edition)
    checked = 0
    for left in _text_spreads(pdf, first)[:-1]:
        ends = [
            _page_end(pdf, page, text) for page, text in zip((left, left + 1), texts, strict=True)
        ]
        if None in ends:
            continue
        (na, sa, _), (nb, sb, _) = ends  # type: ignore[misc]
        if max(sa, sb) > 0.98 or (na != nb and min(na, nb) + 1 < max(na, nb)):
            continue  # a segment's end: where a section may end short
        # the right page's position in the left's terms, where both are in one segment
        here = within.carry(shared[na], sb, backwards=True) if na == nb else sb
        ahead = 0 if (na, sa) > (nb, here) else 1
        (n_to, s_to, per_line), (n_from, s_from, _) = ends[ahead], ends[1 - ahead]  # type: ignore[misc]
        # where the other page got to, in the page ahead's terms
        s_from = within.carry(shared[n_from], s_from, backwards=ahead == 0)
        own = texts[ahead]
        if n_to == n_from:
            letters = (s_to - s_from) * len(own[n_to])
        else:
            letters = (1 - s_from) * len(own[n_from]) + s_to * len(own[n_to])
        checked += 1
        assert letters / per_line <= facing.RUN_AHEAD + 1, (left + ahead, letters / per_line)
    # (genocide-az-en-facing: its Introduction's two turns; its Conclusion
    # opens a spread of its own)
    assert checked >= (5 if name.startswith("biography") else 1), checked


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in FACING if not n.startswith("sail")])
def test_a_date_both_texts_give_once_is_printed_on_one_spread(facing_built, name):
    """Read back with poppler, the dates read as values (diglot.facts): a
    date that each text gives once is printed on the same spread in both
    languages, or at a turn, where the lines from the one to the foot of
    its page and from the head of the next spread's page to the other are
    at most facing.RUN_AHEAD and a line for the measuring (the
    Azerbaijani p. 2 of genocide-az-ru-facing printed three dates of a
    list whose Russian was on p. 5)."""
    from collections import Counter

    from diglot import facts

    pdf, first = facing_built[name]
    edition = project_mod.load(pdf.parent.parent).edition(name)
    once = []
    for lang in edition.languages:
        doc = sources.load(edition.source(lang))
        body = "\n".join(b.plain for seg in doc.segments.values() for b in seg.blocks)
        counted = Counter(str(d.value) for d in facts.extract_dates(body, lang)[0] if d.value.day)
        once.append({value for value, n in counted.items() if n == 1})
    shared = once[0] & once[1]
    printed: list[dict[str, tuple[int, int, int]]] = [{}, {}]  # date -> spread, line, lines
    for left in _text_spreads(pdf, first):
        for side, lang in enumerate(edition.languages):
            lines = [" ".join(w[4] for w in row) for row in _body_rows(pdf, left + side)]
            text = "\n".join(lines)
            for date in facts.extract_dates(text, lang)[0]:
                if str(date.value) in shared:
                    at = (left, text.count("\n", 0, date.start), len(lines))
                    printed[side].setdefault(str(date.value), at)
    both = sorted(set(printed[0]) & set(printed[1]))
    assert len(both) >= 8, both
    for value in both:
        early, late = sorted((printed[0][value], printed[1][value]))
        if early[0] != late[0]:
            apart = (early[2] - 1 - early[1]) + late[1]
            assert late[0] == early[0] + 2 and apart <= facing.RUN_AHEAD + 1, (value, early, late)


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in FACING if not n.startswith("sail")])
def test_both_pages_of_a_spread_stand_on_one_grid_of_lines(facing_built, name):
    """Read back with poppler: every line of body text on both pages of a
    spread stands a whole number of body lines (13.3 pt) below the same
    origin, so that the lines of the two languages are in register across
    the spread; and the white between two lines of a page is at most
    LEVEL_WITHIN lines (white levelling the next paragraph with the other
    language's), or beside an extract GAP_DISPLAYED lines and the
    VERSE_WHITE that levels one opening a segment, except above a
    heading and on pages with a picture
    (genocide-az-ru-facing p4 had two and a half lines of white between
    its paragraphs, off the lines of the page beside it). The Sail's pages
    all hold its picture (poppler reads a picture's caption and an image
    as lines): it is checked by the verse tests."""
    from pypdf import PdfReader

    from .pdfread import BOX_EM, beside_extract, destination_tops

    pdf, first = facing_built[name]
    reader = PdfReader(pdf)
    # the key dates start under the text's last lines: a list whose dates
    # face their translations, with white under the shorter entries
    dates_at = {
        page: top
        for key, (page, top) in destination_tops(pdf).items()
        if key.endswith("-dates.head")
    }
    checked = 0
    for left in _text_spreads(pdf, first):
        pages = [p for p in (left, left + 1) if p <= len(reader.pages)]
        if any(reader.pages[p - 1].images for p in pages):
            continue
        spread = {p: _body_rows(pdf, p) for p in pages}
        if not all(spread.values()):
            continue
        body = min(r[0][3] - r[0][1] for rows in spread.values() for r in rows)
        pitch = body / BOX_EM * 1.4
        # the origin: the first line of a page that opens with body text
        tops = [
            rows[0][0][1]
            for rows in spread.values()
            if rows[0][0][3] - rows[0][0][1] <= body * 1.08
        ]
        if not tops:
            continue
        origin = min(tops)
        for page, lines in spread.items():
            left = min(r[0][0] for r in lines)
            # an extract's lines all stand set in: a line of white
            # (facing.GAP_DISPLAYED) before and after it
            inset = [r[0][0] > left + 5 for r in lines]
            for at, (above, below) in enumerate(itertools.pairwise(lines)):
                if below[0][3] - below[0][1] > body * 1.08:
                    continue  # a heading: its own size, white above it
                if below[0][1] > dates_at.get(page, below[0][1] + 1):
                    continue
                steps = (below[0][1] - origin) / pitch
                assert abs(steps - round(steps)) < 0.08, (page, " ".join(w[4] for w in below))
                white = round((below[0][1] - above[0][1]) / pitch) - 1
                if above[0][3] - above[0][1] <= body * 1.08:
                    displayed = beside_extract(inset, at)
                    # (an extract opening a segment starts level with its
                    # translation, with up to VERSE_WHITE lines more above it)
                    extract = facing.GAP_DISPLAYED + facing.VERSE_WHITE
                    most = extract if displayed else facing.LEVEL_WITHIN
                    assert white <= most, (page, " ".join(w[4] for w in above))
                checked += 1
    assert checked > 50, checked


def _where(spreads: list[facing.Spread]) -> list[list[tuple[int, float, str, int]]]:
    """Per side: (spread, top, segment, lines) of each piece placed."""
    return [
        [
            (n, y, p.segment, len(p.lines))
            for n, s in enumerate(spreads)
            for y, p in s.sides[i].items
        ]
        for i in (0, 1)
    ]


def test_a_segment_starts_at_a_page_foot_only_where_both_sides_can_start():
    """Room for two lines under a: the left b has three lines, too few to
    split (two on each side of a break), so b opens the next spread on both
    sides although the right b's one line would fit."""
    left = {"a": [piece("a", 16)], "b": [piece("b", 3)]}
    right = {"a": [piece("a", 16)], "b": [piece("b", 1)]}
    height = 16 * LINE + facing.GAP_PARAGRAPH + 2 * LINE
    spreads = facing.pack(rows("a", "b"), (left, right), height=height, min_page_lines=0)
    assert _where(spreads) == [
        [(0, 0.0, "a", 16), (1, 0.0, "b", 3)],
        [(0, 0.0, "a", 16), (1, 0.0, "b", 1)],
    ]


def test_a_paragraph_of_four_lines_may_start_at_a_page_foot_with_two():
    """Two lines of room under a: a paragraph of four splits there, two and
    two (one of three would leave one line alone, see above)."""
    left = {"a": [piece("a", 16)], "b": [piece("b", 4)]}
    right = {"a": [piece("a", 16)], "b": [piece("b", 1)]}
    height = 16 * LINE + facing.GAP_PARAGRAPH + 2 * LINE
    spreads = facing.pack(rows("a", "b"), (left, right), height=height, min_page_lines=0)
    start = 16 * LINE + facing.GAP_PARAGRAPH
    assert _where(spreads) == [
        [(0, 0.0, "a", 16), (0, start, "b", 2), (1, 0.0, "b", 2)],
        [(0, 0.0, "a", 16), (0, start, "b", 1)],
    ]


def test_a_heading_needs_two_lines_of_what_follows_it_on_its_own_side():
    """A heading at a page foot needs room for the first two lines of the
    text under it: its own segment's paragraph if it has one, else the next
    segment's, each side its own (here the left side's lines are taller)."""
    tall = (30.0,) * 5
    for own in (True, False):
        left = {"a": [piece("a", 15)], "h": [piece("h", 1, "heading")], "b": [piece("b", 5)]}
        right = {"a": [piece("a", 15)], "h": [piece("h", 1, "heading")], "b": [piece("b", 5)]}
        if own:  # the heading's own paragraph is tall on both sides
            left["h"].append(replace(piece("h", 5, first=False), lines=tall))
            right["h"].append(replace(piece("h", 5, first=False), lines=tall))
        else:
            left["b"] = [replace(left["b"][0], lines=tall)]
        # h would start at 160: 10 + 20 + 8 more would fit, 10 + 60 + 8 do not
        spreads = facing.pack(rows("a", "h", "b"), (left, right), height=200, min_page_lines=0)
        for side in _where(spreads):
            assert [(n, y) for n, y, seg, _ in side if seg == "h"][:1] == [(1, 0.0)], own
    # the heading of the last segment needs only its own height
    left = {"a": [piece("a", 17)], "h": [piece("h", 1, "heading")]}
    right = {"a": [piece("a", 17)], "h": [piece("h", 1, "heading")]}
    spreads = facing.pack(rows("a", "h"), (left, right), height=200, min_page_lines=0)
    assert [w[-1] for w in _where(spreads)] == [(0, 180.0, "h", 1)] * 2
    # a heading with the next segment under it is not left at the foot
    left["b"] = right["b"] = [piece("b", 5)]
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=200, min_page_lines=0)
    assert [w[1] for w in _where(spreads)] == [(1, 0.0, "h", 1)] * 2


def test_a_heading_starts_level_when_one_page_is_fresh_and_the_other_not_far_down():
    """a runs on to the next spread on the left only (four lines there): the
    heading after it starts under those lines and its line of white on both
    pages, the right page opening with five lines of white (HEADING_WHITE)."""
    left = {"a": [piece("a", 24)], "h": [piece("h", 1, "heading")], "b": [piece("b", 3)]}
    right = {"a": [piece("a", 18)], "h": [piece("h", 1, "heading")], "b": [piece("b", 3)]}
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=200, min_page_lines=0)
    heads = [[(n, y) for n, y, seg, _ in side if seg == "h"] for side in _where(spreads)]
    assert heads == [[(1, (4 + facing.GAP_HEADING) * LINE)]] * 2
    assert "h" in spreads[1].level


def test_a_block_taller_than_a_page_gets_a_page_of_its_own():
    image = blocks.Figure(blocks.Image("a.svg", "a picture"), 1)
    figure = facing.Piece("f", "xx", "figure", 0, image, (300.0,), (0,), first=True)
    sides = ({}, {})
    for side in sides:
        side["a"] = [piece("a", 3)]
        side["f"] = [figure, piece("f", 2, first=False)]
    spreads = facing.pack(rows("a", "f"), sides, height=200, min_page_lines=0)
    assert _where(spreads) == [[(0, 0.0, "a", 3), (1, 0.0, "f", 1), (2, 0.0, "f", 2)]] * 2


def test_a_block_that_does_not_fit_goes_over_before_what_follows_it():
    image = blocks.Figure(blocks.Image("a.svg", "a picture"), 1)
    figure = facing.Piece("f", "xx", "figure", 0, image, (100.0,), (0,))
    left = {"a": [piece("a", 3)], "f": [piece("f", 2), figure, piece("f", 2, first=False)]}
    right = {"a": [piece("a", 3)], "f": [piece("f", 2)]}
    spreads = facing.pack(rows("a", "f"), (left, right), height=140, min_page_lines=0)
    assert [(n, p.kind) for n, s in enumerate(spreads) for _, p in s.sides[0].items] == [
        (0, "paragraph"),
        (0, "paragraph"),
        (1, "figure"),
        (1, "paragraph"),
    ]


def test_a_long_note_keeps_what_its_page_holds_and_continues_on_its_side():
    """A note called in a's last line, 20 lines of 8 px: on an empty page
    13 would stay under the call; a starting under eleven lines leaves
    room for 6. The rest continues at the foot of the same side of the next
    spreads (up to NOTE_SHARE of a page: 13 lines), never one line alone:
    12, then 2."""
    note = facing.LongNote("note-xx-1", 13, (8.0,) * 20, 13)
    called = replace(piece("a", 3), notes=(0.0, 0.0, 104.0), long_notes=((2, note),))
    left = {"a": [called], "b": [piece("b", 2)]}
    right = {"a": [piece("a", 3)], "b": [piece("b", 2)]}
    spreads = facing.pack(rows("a", "b"), (left, right), height=200, min_page_lines=0)
    assert [(s.sides[0].carried, s.sides[1].carried) for s in spreads] == [
        ([], []),
        ([("note-xx-1", 13, 20)], []),
    ]
    left["z"] = right["z"] = [piece("z", 11)]
    spreads = facing.pack(rows("z", "a", "b"), (left, right), height=200, min_page_lines=0)
    placed = spreads[0].sides[0].items[1][1]
    assert [(line, n.keep) for line, n in placed.long_notes] == [(2, 6)]
    assert spreads[0].sides[0].notes == 6 * 8.0 + facing.NOTE_AREA
    assert [(s.sides[0].carried, s.sides[1].carried) for s in spreads] == [
        ([], []),
        ([("note-xx-1", 6, 18)], []),
        ([("note-xx-1", 18, 20)], []),
    ]
    # and in the HTML: the first 6 lines under the call, the rest at the
    # start of the left pages of the next two spreads
    metrics = {"m-note-xx-1": ([8.0] * 20, [3] * 20, [[]] * 20)}
    words = [f"l{n:02d}" for n in range(20)]
    side = '<div class="side {}" lang="xx"><div class="sp" style="height: 0"></div><p>{}</p></div>'
    html = (
        f'<p>a<span class="footnote" id="note-xx-1" data-n="1">{" ".join(words)}</span></p>'
        + "".join(side.format(k, f"{k}{n}") for n in range(3) for k in ("verso", "recto"))
    )
    out = facing._continue_notes(html, spreads, metrics)
    assert 'data-n="1">l00 <br>l01 <br>l02 <br>l03 <br>l04 <br>l05 </span>' in out
    carried = out.split('<div class="carried-notes">\u200b')
    assert len(carried) == 3
    assert carried[1].startswith(
        '<span class="footnote footnote-split footnote-cont" data-n="1">l06 '
    )
    assert "l17 </span></div><p>verso1</p>" in carried[1]
    assert carried[2].startswith(
        '<span class="footnote footnote-split footnote-cont" data-n="1">l18 <br>l19</span></div>'
        "<p>verso2</p>"
    )


@pytest.mark.parametrize(
    ("page_height", "keep"),
    [
        (100.0, 6),  # 48 px of the page's 60 %: six lines stay, four go on
        ((2 * 8.0 + facing.NOTE_AREA) / facing.NOTE_SHARE, 2),  # room for two: two stay
        ((1 * 8.0 + facing.NOTE_AREA) / facing.NOTE_SHARE, 0),  # room for one: it moves whole
        (None, 0),  # no page height given: no note is long
    ],
)
def test_a_note_taller_than_its_share_of_a_page_keeps_its_first_lines_under_the_call(
    page_height, keep
):
    metrics = {
        "m-xx-a-0": ([10.0] * 3, [5] * 3, [[], ["note-xx-1"], ["note-xx-2"]]),
        "m-note-xx-1": ([8.0] * 10, [4] * 10, [[]] * 10),
        "m-note-xx-2": ([9.0], [4], [[]]),  # a short note
    }
    para = blocks.Paragraph((blocks.Text("x"),), 1)
    cell = Cell("xx", "xx-a", "a", False, (para,), (), None)
    row = Row("a", False, 0, (cell, None), "xx-a")
    (got,) = facing.pieces_for([row], 0, "xx", metrics, page_height)["a"]
    assert got.lines == (10.0,) * 3 and got.line_chars == (5,) * 3
    if keep:
        assert got.notes == (0.0, 8.0 * keep, 9.0)
        assert [(line, n.ident, n.keep, n.most) for line, n in got.long_notes] == [
            (1, "note-xx-1", keep, keep)
        ]
    else:
        assert got.notes == (0.0, 80.0, 9.0) and got.long_notes == ()
    assert facing.pieces_for([row], 1, "yy", metrics, page_height) == {"a": []}


def test_a_split_keeps_each_long_note_with_the_line_that_calls_it():
    one = facing.LongNote("note-xx-1", 2, (8.0,) * 6, 2)
    two = facing.LongNote("note-xx-2", 2, (8.0,) * 6, 2)
    whole = replace(piece("a", 4), notes=(0.0, 16.0, 16.0, 0.0), long_notes=((1, one), (2, two)))
    head, tail = whole.split(2)
    assert head.long_notes == ((1, one),) and tail.long_notes == ((0, two),)


def test_verse_with_a_stanza_break_on_the_left_only_is_not_levelled():
    def verse(heights, numbers):
        lines = tuple(
            blocks.VerseLine((blocks.Text("x"),) if n else (), 0, n, i)
            for i, n in enumerate(numbers, start=1)
        )
        return facing.Piece("v", "xx", "verse", 0, blocks.Verse(lines, 1), heights, (1,) * 3)

    left = {"v": [verse((10.0, 0.0, 10.0), (1, 0, 2))]}
    right = {"v": [verse((10.0, 30.0, 10.0), (1, 2, 3))]}
    facing.level_verse((left, right))
    assert (left["v"][0].lines, right["v"][0].lines) == ((10.0, 0.0, 10.0), (10.0, 30.0, 10.0))


def test_whole_paragraphs_on_two_spreads_give_no_date_to_tie():
    """Only a paragraph split between spreads can break a date."""
    first = replace(
        piece("a", 1), lang="en", block=blocks.Paragraph((blocks.Text("on 25 February"),), 1)
    )
    second = replace(
        piece("b", 1), lang="en", block=blocks.Paragraph((blocks.Text("1997 it rained"),), 2)
    )
    spread, after = facing.Spread(), facing.Spread()
    spread.sides[0].add(0.0, first)
    after.sides[0].add(0.0, second)
    assert facing.turn_ties([spread, after]) == set()
    spread.sides[0].items[0] = (0.0, replace(first, continues=True))
    assert facing.turn_ties([spread, after]) == {("February", "1997")}


def test_out_of_step_checks_every_segment_s_height_unless_told_which():
    """Level means within half a pixel; with no set of segments given,
    every segment is held to it."""
    rows_ = rows("a")
    assert facing.out_of_step(fake_document(2, 3, right_y=100.5), rows_, ("xx", "yy")) == []
    assert facing.out_of_step(fake_document(2, 3, right_y=100.6), rows_, ("xx", "yy")) == ["a"]
    assert facing.out_of_step(fake_document(2, 3, 100.6), rows_, ("xx", "yy"), set()) == []
    assert facing.out_of_step(fake_document(2, 3, 100.6), rows_, ("xx", "yy"), {"a"}) == ["a"]
    # a segment one language lacks has nothing to be in step with
    one = [replace(rows_[0], cells=(rows_[0].cells[0], None))]
    assert facing.out_of_step(fake_document(2, 3, 100.6), one, ("xx", "yy")) == []
    assert facing.out_of_step(fake_document(5, 3), one, ("xx", "yy")) == []
    other = [replace(rows_[0], cells=(None, rows_[0].cells[1]))]
    assert facing.out_of_step(fake_document(5, 3), other, ("xx", "yy")) == []


def test_layout_packs_each_language_s_own_measures_on_its_side(monkeypatch):
    """The left pages get the first language's blocks as measured, the
    right pages the second's (here two paragraphs)."""
    metrics = {
        "m-xx-a-0": ([10.0] * 3, [5] * 3, [[]] * 3),
        "m-yy-a-0": ([10.0] * 7, [5] * 7, [[]] * 7),
        "m-yy-a-1": ([10.0] * 2, [5] * 2, [[]] * 2),
    }
    monkeypatch.setattr(facing, "measure", lambda document: metrics)
    para = blocks.Paragraph((blocks.Text("x"),), 1)
    cells = (
        Cell("xx", "xx-a", "a", False, (para,), (), None),
        Cell("yy", "yy-a", "a", False, (para, para), (), None),
    )
    packed = []

    def render_html(extra):
        packed.append(extra["spreads"])
        return "measure" if extra["measure"] else "x"

    def render(html):
        return html, ("measuring" if html == "measure" else fake_document(2, 3))

    row = Row("a", False, 0, cells, "xx-a")
    result = facing.layout([row], ("xx", "yy"), "A5", render_html, render)
    assert result.spreads == 1
    ((left, right),) = packed[-1]
    pieces = [
        [(i["piece"].lang, len(i["piece"].lines)) for i in s if "piece" in i] for s in (left, right)
    ]
    assert pieces == [[("xx", 3)], [("yy", 7), ("yy", 2)]]


def test_a_page_is_not_cut_short_to_end_level_with_one_whose_paragraph_ended():
    """b ends on the left page three lines deeper than on the right, and c
    opens the next spread: the left page keeps all of b (it was split to
    end the spread level, and the longer language's page ended short
    mid-sentence); the right keeps its white at the foot. Five lines
    deeper, the same."""
    left = {"a": [piece("a", 10)], "b": [piece("b", 7)], "c": [piece("c", 10)]}
    right = {"a": [piece("a", 10)], "b": [piece("b", 4)], "c": [piece("c", 10)]}
    spreads = facing.pack(rows("a", "b", "c"), (left, right), height=200)
    assert [side.end() for side in spreads[0].sides] == [170.0, 140.0]
    assert _where(spreads)[0] == [(0, 0.0, "a", 10), (0, 100.0, "b", 7), (1, 0.0, "c", 10)]
    left["b"] = [piece("b", 9)]
    spreads = facing.pack(rows("a", "b", "c"), (left, right), height=200)
    assert [side.end() for side in spreads[0].sides] == [190.0, 140.0]


def test_measure_reads_lines_characters_and_calls_from_the_layout():
    """Each marked block's lines: their heights, their characters (not the
    spaces, not a word joiner, not the hyphen WeasyPrint adds at a line end,
    not a note's call or number) and the notes called in each; a block of
    blocks has a "line" per child, its own padding with the first; a note
    is measured as its split counts it."""
    import os

    import weasyprint

    from diglot import fonts

    from .conftest import REPO

    os.environ["FONTCONFIG_FILE"] = str(fonts.fontconfig_file())
    css = (REPO / "tools/diglot/styles/blocks.css").read_text(encoding="utf-8")
    text = "Representatives of the internationally\u2060recognised governments met"
    html = (
        f"<html lang='en'><style>{css} @page {{ size: 40mm 3000mm; margin: 0 }} "
        "body { margin: 0; font: 10pt/14pt 'Noto Serif' } p { margin: 0; hyphens: auto }</style>"
        f'<body><p data-m="m-xx-a-0">{text[:15]}'
        f'<span class="footnote" id="note-xx-1" data-n="1">A note.</span>{text[15:]}</p>'
        '<div data-m="m-xx-b-0" style="padding-top: 6px"><p>one</p><p>two</p></div>'
        '<p data-m="other">not measured</p>'
        '<div class="measure-note footnote-text" data-n="1" data-m="m-note-xx-1">'
        "A longer note that takes more than one line here.</div></body></html>"
    )
    line, note = 14 * 96 / 72, 7.5 * 1.3 * 96 / 72
    faces = f"<style>{fonts.font_face_css()}</style>"  # as a build declares them
    metrics = facing.measure(weasyprint.HTML(string=faces + html).render())
    assert set(metrics) == {"m-xx-a-0", "m-xx-b-0", "m-note-xx-1"}
    heights, chars, calls = metrics["m-xx-a-0"]
    assert heights == pytest.approx([line] * 3)
    # "Representatives of the" / "internationally⁠recog‐" / "nised governments met"
    assert chars == [20, 20, 19]
    assert calls == [["note-xx-1"], [], []]
    heights, chars, calls = metrics["m-xx-b-0"]
    assert heights == pytest.approx([line + 6, line]) and chars == [3, 3]
    # "A longer note that takes more" / "than one line here."
    heights, chars, _ = metrics["m-note-xx-1"]
    assert heights == pytest.approx([note] * 2) and chars == [24, 16]


def test_every_spread_is_balanced_not_only_the_first(out_of_step_allowed: None):
    """As above, a spread later: the first spread ends level already, the
    second, where both pages run on, is balanced."""
    left = {"z": [piece("z", 20)], "a": [piece("a", 25)], "b": [piece("b", 10)]}
    right = {"z": [piece("z", 20)], "a": [piece("a", 21)], "b": [piece("b", 10)]}
    spreads = facing.pack(rows("z", "a", "b"), (left, right), height=200)
    assert [[side.end() for side in s.sides] for s in spreads[:2]] == [
        [200.0, 200.0],
        [190.0, 190.0],
    ]
    assert [len(p.lines) for _, p in spreads[2].sides[0].items] == [6, 10]


def test_a_page_with_nothing_on_it_is_no_near_empty_page():
    """The last segment is in the first language only: the right page of
    the last spread is blank, not a near-empty page to pull lines onto."""
    line = LINE
    left = {"a": [replace(piece("a", 20), lines=(line,) * 20)]}
    left["b"] = [replace(piece("b", 8), lines=(line,) * 8)]
    right = {"a": [replace(piece("a", 20), lines=(line,) * 20)], "b": []}
    spreads = facing.pack(rows("a", "b"), (left, right), height=21 * line)
    assert _where(spreads) == [[(0, 0.0, "a", 20), (1, 0.0, "b", 8)], [(0, 0.0, "a", 20)]]


def test_a_block_that_does_not_split_moves_whole_even_with_room_for_some_lines():
    """A heading of five lines with room for three under a paragraph: it is
    not split (only paragraphs, verse, lists and quotations are), it opens
    the next spread."""
    left = {"a": [piece("a", 15)], "b": [piece("b", 2), piece("b", 5, "heading", first=False)]}
    right = {"a": [piece("a", 15)], "b": [piece("b", 2)]}
    spreads = facing.pack(rows("a", "b"), (left, right), height=200, min_page_lines=0)
    assert _where(spreads)[0] == [(0, 0.0, "a", 15), (0, 150.0, "b", 2), (1, 0.0, "b", 5)]


def test_verse_facing_prose_is_left_as_measured():
    lines = tuple(blocks.VerseLine((blocks.Text("x"),), 0, n, n) for n in (1, 2))
    verse = facing.Piece("v", "xx", "verse", 0, blocks.Verse(lines, 1), (10.0, 10.0), (1, 1))
    prose = replace(piece("v", 2), lines=(30.0, 30.0))
    left, right = {"v": [verse]}, {"v": [prose]}
    facing.level_verse((left, right))
    assert (left["v"][0].lines, right["v"][0].lines) == ((10.0, 10.0), (30.0, 30.0))


def test_a_stanza_starts_level_with_its_translation_under_a_little_more_white():
    """The left introduction is a line longer (the Sail's Russian, four
    lines to three): each stanza after it starts level on both pages, the
    right one under a line more of white, so that a line-by-line
    translation's lines and numbers stand level across the spread. A
    paragraph so far ahead runs on, and so does a stanza more than
    VERSE_WHITE lines ahead."""
    lines = tuple(blocks.VerseLine((blocks.Text("x"),), 0, n, n) for n in (1, 2))
    verse = facing.Piece("v", "xx", "verse", 0, blocks.Verse(lines, 1), (LINE, LINE), (1, 1))
    for longer, level in ((1, True), (facing.VERSE_WHITE, True), (facing.VERSE_WHITE + 1, False)):
        left = {"a": [piece("a", 3 + longer)], "v": [replace(verse, first=True)]}
        right = {"a": [piece("a", 3)], "v": [replace(verse, first=True)]}
        left["w"] = [replace(verse, segment="w", first=True)]
        right["w"] = [replace(verse, segment="w", first=True)]
        spreads = facing.pack(rows("a", "v", "w"), (left, right), height=400, min_page_lines=0)
        tops = [{seg: y for _, y, seg, _ in side if seg in "vw"} for side in _where(spreads)]
        gap = facing.GAP_DISPLAYED * LINE
        assert tops[0] == {"v": (3 + longer) * LINE + gap, "w": (5 + longer) * LINE + 2 * gap}
        if level:
            assert tops[1] == tops[0]
        else:
            assert tops[1] == {"v": 3 * LINE + gap, "w": 5 * LINE + 2 * gap}
    prose = {"a": [piece("a", 4)], "b": [piece("b", 2)]}
    spreads = facing.pack(
        rows("a", "b"), (prose, {"a": [piece("a", 3)], "b": [piece("b", 2)]}), 400
    )
    assert [[y for _, y, seg, _ in side if seg == "b"] for side in _where(spreads)] == [
        [4 * LINE],
        [3 * LINE],
    ]


def test_verse_and_each_of_its_stanzas_are_set_off_by_a_line_of_white():
    """A stanza follows a list and another stanza (each its own segment, as
    in the Sail): a line of white before each, on the grid; paragraphs
    follow one another with none."""
    lines = tuple(blocks.VerseLine((blocks.Text("x"),), 0, n, n) for n in (1, 2))
    verse = facing.Piece("v", "xx", "verse", 0, blocks.Verse(lines, 1), (LINE, LINE), (1, 1))
    item = blocks.ListItem((blocks.Paragraph.of_text("i", 1),), 1)
    items = blocks.ListBlock(False, 1, (item,), 1)
    listed = facing.Piece("l", "xx", "list", 0, items, (LINE,), (1,), first=True)
    sides = ({}, {})
    for side in sides:
        side["a"] = [piece("a", 2)]
        side["b"] = [piece("b", 1)]
        side["l"] = [listed]
        side["v"] = [replace(verse, first=True)]
        side["w"] = [replace(verse, segment="w", first=True)]
    spreads = facing.pack(rows("a", "b", "l", "v", "w"), sides, height=400, min_page_lines=0)
    assert _where(spreads)[0] == [
        (0, 0.0, "a", 2),
        (0, 2 * LINE, "b", 1),
        (0, 3 * LINE, "l", 1),
        (0, 5 * LINE, "v", 2),
        (0, 8 * LINE, "w", 2),
    ]


def test_a_heading_beside_the_other_languages_overrun_starts_level_under_both_ends(
    out_of_step_allowed: None,
):
    """The right a runs four lines onto the next spread, whose left page
    the heading would open: the heading comes down level with the right
    one, white above it as above a chapter's opening, and the left page
    before stays full (giving up four lines, it ended short mid-sentence,
    which a typographer read as text missing: genocide-az-ru-facing pp.
    4-9). Six lines over, more than SINK_MOST: the full page before gives
    up two lines (SHORT_WHITE), the heading no longer opens the left page
    and comes down level under the white of a section break. Seven over,
    more than both can take, the left heading opens its page and the right
    one follows its text."""
    left = {"a": [piece("a", 18)], "h": [piece("h", 1, "heading")], "b": [piece("b", 6)]}
    right = {"a": [piece("a", 24)], "h": [piece("h", 1, "heading")], "b": [piece("b", 6)]}
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=200)
    heads = [[(n, y) for n, y, seg, _ in side if seg == "h"] for side in _where(spreads)]
    assert heads == [[(1, (4 + facing.GAP_HEADING) * LINE)]] * 2
    assert "h" in spreads[1].level
    left_a = [(n, lines) for n, _, seg, lines in _where(spreads)[0] if seg == "a"]
    assert left_a == [(0, 18)], "the page before stays full: white above the heading"
    # five over: more white at the head of a page than SINK_MOST, though a
    # heading inside a page may have as much (HEADING_WHITE)
    right["a"] = [piece("a", 25)]
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=200)
    heads = [[(n, y) for n, y, seg, _ in side if seg == "h"] for side in _where(spreads)]
    assert heads == [[(1, 0.0)], [(1, (5 + facing.GAP_HEADING) * LINE)]]
    left["a"], right["a"] = [piece("a", 20)], [piece("a", 26)]
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=200)
    heads = [[(n, y) for n, y, seg, _ in side if seg == "h"] for side in _where(spreads)]
    assert heads == [[(1, (6 + facing.GAP_HEADING) * LINE)]] * 2
    left_a = [(n, lines) for n, _, seg, lines in _where(spreads)[0] if seg == "a"]
    assert left_a == [(0, 20 - facing.SHORT_WHITE), (1, facing.SHORT_WHITE)]
    right["a"] = [piece("a", 27)]
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=200)
    heads = [[(n, y) for n, y, seg, _ in side if seg == "h"] for side in _where(spreads)]
    assert heads == [[(1, 0.0)], [(1, (7 + facing.GAP_HEADING) * LINE)]]
    assert [side.end() for side in spreads[0].sides] == [20 * LINE, 20 * LINE]


def test_a_heading_beside_a_longer_overrun_shares_its_white_with_the_pages_before(
    out_of_step_allowed: None,
):
    """Five lines over, more than SINK_MOST: the heading opening the left
    page is not sunk under five empty lines (a typographer read nine empty
    lines at a page head, genocide-az-ru-facing p. 8, as a page not
    finished), nor do the pages before end far short (six lines short on
    pp. 4 and 6, the next reading's first complaint): the two full left
    pages before give up two lines each (SHORT_WHITE), and the heading,
    under the rest of the left text, comes down level. When the page before
    already ends its section four lines short, it cannot give more: the
    heading opens the left page and the right one follows its text."""
    left = {"a": [piece("a", 80)], "h": [piece("h", 1, "heading")], "b": [piece("b", 6)]}
    right = {"a": [piece("a", 85)], "h": [piece("h", 1, "heading")], "b": [piece("b", 6)]}
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=400)
    where = _where(spreads)
    heads = [[(n, y) for n, y, seg, _ in side if seg == "h"] for side in where]
    assert heads == [[(2, (5 + facing.GAP_HEADING) * LINE)]] * 2
    left_a = [(n, lines) for n, _, seg, lines in where[0] if seg == "a"]
    assert left_a == [(0, 38), (1, 38), (2, 4)]
    left["a"] = [piece("a", 76)]
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=400)
    heads = [[(n, y) for n, y, seg, _ in side if seg == "h"] for side in _where(spreads)]
    assert heads == [[(2, 0.0)], [(2, (5 + facing.GAP_HEADING) * LINE)]]


def test_a_heading_mid_page_starts_level_when_the_pages_before_share_out_the_lines(
    monkeypatch: pytest.MonkeyPatch,
    out_of_step_allowed: None,
):
    """The right a runs six lines further than the left on the third
    spread, both headings mid-page: the two left pages before give up two
    lines each (SHORT_WHITE: a page whose text runs on ends at most that
    short) and the left heading comes down the other two, a section break:
    the headings start level. With only the page before allowed, it gives
    up two and the heading comes down four."""
    left = {"a": [piece("a", 43)], "h": [piece("h", 1, "heading")], "b": [piece("b", 4)]}
    right = {"a": [piece("a", 49)], "h": [piece("h", 1, "heading")], "b": [piece("b", 4)]}
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=200)
    heads = [[(n, y) for n, y, seg, _ in side if seg == "h"] for side in _where(spreads)]
    assert heads == [[(2, (9 + facing.GAP_HEADING) * LINE)]] * 2
    left_a = [(n, lines) for n, _, seg, lines in _where(spreads)[0] if seg == "a"]
    assert left_a == [(0, 18), (1, 18), (2, 7)]
    monkeypatch.setattr(facing, "SHORTEN_PAGES", 1)
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=200)
    heads = [[(n, y) for n, y, seg, _ in side if seg == "h"] for side in _where(spreads)]
    assert heads == [[(2, (9 + facing.GAP_HEADING) * LINE)]] * 2
    left_a = [(n, lines) for n, _, seg, lines in _where(spreads)[0] if seg == "a"]
    assert left_a == [(0, 20), (1, 18), (2, 5)]


def test_a_heading_beside_an_overrun_stays_when_the_page_before_cannot_give_the_lines():
    """The left page before ends with a heading-free block that does not
    split (a picture): nothing moves, the heading opens the left page."""
    image = blocks.Figure(blocks.Image("a.svg", "a picture"), 1)
    figure = facing.Piece("a", "xx", "figure", 0, image, (150.0,), (0,), first=True)
    left = {"a": [figure], "h": [piece("h", 1, "heading")], "b": [piece("b", 6)]}
    right = {"a": [piece("a", 27)], "h": [piece("h", 1, "heading")], "b": [piece("b", 6)]}
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=200)
    heads = [[(n, y) for n, y, seg, _ in side if seg == "h"] for side in _where(spreads)]
    assert heads == [[(1, 0.0)], [(1, (7 + facing.GAP_HEADING) * LINE)]]


def test_a_compound_split_over_a_spread_at_its_own_hyphen_gives_its_words_to_tie():
    """biography-kk-en-facing carried "Левон Тер-" / "Петросянмен" from
    p. 20 to p. 22: a paragraph split at a compound's own hyphen gives the
    pair to tie with a no-break hyphen; a dash or a hyphen before a digit
    does not."""
    text = "Ереванда Левон Тер-Петросянмен кездесті"
    split = _split_over_a_spread(text, "kk", (17, 19), 1)
    assert facing.turn_ties(split) == {("Тер-", "Петросянмен")}
    assert typography.tie_inner(text, {("Тер-", "Петросянмен")}) == (
        "Ереванда Левон Тер\u2011Петросянмен кездесті"
    )


def test_a_short_stanza_is_not_split_over_a_leaf_and_a_long_one_keeps_two_lines():
    """Where a poem must break at a page's foot: at a stanza break, or
    inside a stanza longer than rows.WHOLE_STANZA lines with two lines on
    each side; never inside a short stanza (0: none may end the page)."""
    from diglot import blocks
    from diglot.facing import _stanza_split

    def verse(*numbers: int) -> blocks.Verse:
        lines = tuple(
            blocks.VerseLine((blocks.Text(f"l{n}"),) if n else (), 0, n, n) for n in numbers
        )
        return blocks.Verse(lines, 1)

    quatrains = verse(1, 2, 3, 4, 0, 5, 6, 7, 8)
    assert _stanza_split(quatrains, 7) == 5  # after the break: the first stanza and its white
    assert _stanza_split(quatrains, 4) == 4  # before it
    assert _stanza_split(quatrains, 3) == 0  # inside the first quatrain: nowhere
    assert _stanza_split(verse(1, 2, 3, 4), 2) == 0
    long = verse(*range(1, 10))  # a stanza of nine lines
    assert _stanza_split(long, 5) == 5 and _stanza_split(long, 8) == 7


@pytest.mark.slow
@pytest.mark.parametrize("name", ["sail-ru-en-facing", "genocide-az-ru-facing"])
def test_the_pages_pieces_are_planned_from_the_measuring_column_before_their_first_layout(
    tmp_path, monkeypatch, name
):
    """A cold build plans each paragraph piece on the pages from the box its
    paragraph had in the measuring column (the same column, font and
    language), before the pages' first layout: that layout is then the one
    a build without those plans makes second. Built both ways: the same
    PDF, in fewer layouts."""
    from .conftest import copy_project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    # (the headings' even lines take a layout of the pages of their own in
    # a cold build, the cover's title known only from the pages: left out
    # here, where the passes the pieces' plans save are counted)
    monkeypatch.setattr(headings, "settle", lambda *_args: {})
    runs = []
    for plan_first in (False, True):
        root = copy_project(tmp_path / f"repo-{plan_first}")
        with monkeypatch.context() as patched:
            if not plan_first:
                patched.setattr(typography, "_piece_boxes", lambda html, known: {})
            built = build(project_mod.load(root, [name]).edition(name))
        runs.append((built.path.read_bytes(), built.passes))
    (without, slower), (with_plans, passes) = runs
    assert with_plans == without
    assert passes < slower, (passes, slower)


def _dated_rows(text: str, dates: int) -> list[Row]:
    """A text segment, then key dates: their heading's row and ``dates``
    entries (rows ``aligned``, as diglot.render makes them)."""
    made = rows(text, "dates.head", *(f"dates.{n}" for n in range(1, dates + 1)))
    return [made[0], *(replace(row, aligned=True) for row in made[1:])]


@pytest.mark.parametrize(
    ("text", "dates", "over"),
    [
        (10, 4, 0),  # the text leaves room for all of them: under it
        (12, 4, 2),  # not all: they start under the text, the last two go over
        (3, 8, 2),  # a line short under a short text: the last two go over
        (12, 10, 7),  # three under the text, the rest over
    ],
)
def test_key_dates_run_on_under_the_text(text, dates, over):
    """The key dates start under the text's last lines and run on over the
    page, as a section does: kept whole on a spread of their own when they
    fit one, they left genocide-az-en-facing pp. 8-9 two-thirds empty under
    its Conclusion, where genocide-az-ru-facing's longer dates ran on (three
    readers; one asked for one policy for both)."""
    ids = ["t", "dates.head", *(f"dates.{n}" for n in range(1, dates + 1))]
    sides = tuple(
        {
            seg: [
                piece(
                    seg,
                    text if seg == "t" else 2,
                    "heading" if seg == "dates.head" else "paragraph",
                )
            ]
            for seg in ids
        }
        for _ in range(2)
    )
    spreads = facing.pack(_dated_rows("t", dates), sides, height=21 * LINE, min_page_lines=0)
    first = {p.segment for _, p in spreads[0].sides[0].items}
    assert "dates.head" in first, first
    later = [p.segment for s in spreads[1:] for _, p in s.sides[0].items]
    assert later == ids[len(ids) - over :], later


@pytest.mark.parametrize("dates", [8, 14])
def test_the_last_key_date_is_not_alone_over_a_spread(dates):
    """The key dates that run on under the text (their text's pages would
    be near-empty without them, or they are longer than a page) do not
    leave their last entry alone on the next spread: the one before it
    goes over with it (biography-kk-en-facing pp. 30-31)."""
    ids = ["t", "dates.head", *(f"dates.{n}" for n in range(1, dates + 1))]
    sides = tuple(
        {
            seg: [
                piece(
                    seg, 3 if seg == "t" else 2, "heading" if seg == "dates.head" else "paragraph"
                )
            ]
            for seg in ids
        }
        for _ in range(2)
    )
    spreads = facing.pack(_dated_rows("t", dates), sides, height=21 * LINE, min_page_lines=0)
    assert "dates.head" in {p.segment for _, p in spreads[0].sides[0].items}
    last = [p.segment for _, p in spreads[-1].sides[0].items]
    assert len(spreads) == 2 and last[-1] == ids[-1] and len(last) >= 2, last


def _record(lang: str, entries: int) -> list[facing.Piece]:
    """A record of changes of ``entries`` entries of two lines each, under its heading."""
    items = tuple({"text": f"change {n}", "anchors": [], "place": ""} for n in range(entries))
    record = blocks.Record(lang, items, {})
    return [
        replace(piece("record", 1, "heading"), lang=lang),
        facing.Piece("record", lang, "record", 0, record, (2 * LINE,) * entries, (0,) * entries),
    ]


@pytest.mark.parametrize("longer", [0, 1])
def test_each_record_of_changes_runs_on_its_side_then_the_longer_on_both(longer):
    """Each text's record of changes (a ``free`` row) starts level with the
    other's, on its own side; where the shorter ends, the longer goes on
    over both pages of the spreads after (end matter read on, not a blank
    page facing each of its pages), and the two are never held in step."""
    sizes = [4, 4]
    sizes[longer] = 30  # 60 lines under the heading: three pages of 20
    sides = tuple(
        {"a": [piece("a", 5)], "record": _record(lang, n)}
        for lang, n in zip(("xx", "yy"), sizes, strict=True)
    )
    table = rows("a", "record")
    table[1] = replace(table[1], heading=True, free=True)
    spreads = facing.pack(table, sides, height=200, min_page_lines=0)
    langs = ("xx", "yy")
    where = {
        (index, side): [(round(y), p.lang) for y, p in page.items if p.segment == "record"]
        for index, spread in enumerate(spreads)
        for side, page in enumerate(spread.sides)
    }
    # both begin level under the text, each on its side
    # (a line of white above the heading)
    assert where[(0, 0)][0] == (60, "xx") and where[(0, 1)][0] == (60, "yy")
    # the shorter stands on its side of the first spread only; the longer
    # fills its own page there, then every page after it, both sides
    shorter = langs[1 - longer]
    assert {lang for _, lang in where[(0, 1 - longer)]} == {shorter}
    later = [where[(n, s)] for n in range(1, len(spreads)) for s in (0, 1)]
    assert all(lang == langs[longer] for page in later for _, lang in page)
    assert all(later[:-1]) and len(spreads) == 3  # its first page and three more
    entries = sum(
        len(p.lines)
        for spread in spreads
        for page in spread.sides
        for _, p in page.items
        if p.kind == "record"
    )
    assert entries == 34
    # on the left, the longer's part on the first spread goes on past the
    # page beside it, which holds the shorter: it leaves a line for
    # "continued on p. N" and names its next part, which starts with that
    # id; on the right it goes on on the next page, as from there on page
    # to page, and says nothing
    records = [
        p
        for spread in spreads
        for page in spread.sides
        for _, p in page.items
        if p.kind == "record"
    ]
    turned = [p for p in records if p.turn_to]
    assert [p.lang for p in turned] == ([langs[longer]] if longer == 0 else [])
    assert [p.turn_from for p in records if p.turn_from] == [p.turn_to for p in turned]
    if longer == 0:
        first = spreads[0].sides[0]
        assert first.end() + LINE <= 200 + 0.01
        assert first.end() + LINE + 2 * LINE > 200  # (no room for an entry more)


def test_a_page_held_in_step_ends_at_a_sentence_or_a_clause_nearby():
    """A page cut short to stay in step with its translation ends where a
    sentence ends within SENTENCE_LINES lines above the cut (or
    STEP_WITHIN below it), else where a clause does, else at the cut:
    nine lines of white under a sentence broken off mid-phrase read as
    text missing (genocide-az-ru-facing p. 4)."""
    lines = ["one two.", "three four", "five six,", "seven eight", "nine ten"] * 2
    content = (blocks.Text(" ".join(lines)),)
    chars = tuple(len(line.replace(" ", "")) for line in lines)
    para = facing.Piece(
        "a", "xx", "paragraph", 0, blocks.Paragraph(content, 1), (LINE,) * 10, chars
    )
    # a full stop ends line 6 (of ten): kept from a cut at 7 and at 8, one
    # line above or two; from 5, one below
    assert [facing._sentence_end(para, keep) for keep in (5, 7, 8)] == [6, 6, 6]
    # none within reach of a cut at 4 (lines 2-5): the comma of line 3
    assert facing._sentence_end(para, 4) == 3
    # nothing within reach: the cut stays
    plain = replace(para, block=blocks.Paragraph((blocks.Text(" ".join(["word"] * 20)),), 1))
    assert facing._sentence_end(replace(plain, line_chars=(8,) * 10), 5) == 5


def test_a_record_without_its_translations_runs_on_over_both_pages():
    """Where only the original has a record of changes, it starts on its
    left page and goes on on the right page of the same spread, not on
    the next left page with a blank page beside it."""
    sides = (
        {"a": [piece("a", 5)], "record": _record("xx", 20)},
        {"a": [piece("a", 5)], "record": []},
    )
    table = rows("a", "record")
    table[1] = replace(table[1], heading=True, free=True)
    spreads = facing.pack(table, sides, height=200, min_page_lines=0)
    assert len(spreads) == 2
    assert [p.lang for _, p in spreads[0].sides[1].items if p.segment == "record"] == ["xx"]
    assert all(p.lang == "xx" for _, p in spreads[1].sides[0].items)


def test_the_shorter_language_is_narrowed_by_the_lines_it_falls_short():
    """With measure = "fit", a language with 5 % fewer lines of text than
    the other, or more short, is set narrower by as much, at most a tenth of the width; the
    key dates and the records of changes, each language's own length, are
    not counted (biography-kk-en's Kazakh record runs to 44 entries, the
    English to 7)."""
    long = {"a": [piece("a", 50)], "b": [piece("b", 50)]}
    short = {"a": [piece("a", 45)], "b": [piece("b", 45)]}
    assert facing.narrowing((long, short), 100.0) == {"side": 1, "mm": 10.0}
    assert facing.narrowing((short, long), 100.0) == {"side": 0, "mm": 10.0}
    # 3 % shorter: both at the full measure
    assert facing.narrowing((long, {"a": [piece("a", 97)]}), 100.0) is None
    # a third shorter: a tenth narrower at most
    assert facing.narrowing((long, {"a": [piece("a", 66)]}), 100.0) == {"side": 1, "mm": 10.0}
    # a long record on one side counts for nothing
    record = facing.Piece("r", "xx", "record", 0, blocks.Rule(1), (LINE,) * 40, ())
    assert facing.narrowing(({**short, "r": [record]}, short), 100.0) is None
    assert facing.narrowing(({}, short), 100.0) is None


def test_a_records_entries_are_ordered_by_the_pages_the_text_is_placed_on():
    """Before a record of changes is placed (and split over pages), its
    entries are ordered by the pages the text's segments were placed on,
    the first and then the last: "pp. 5, 9" after "p. 5", not before it
    with a page turn between (genocide-az-en-facing's p. 11 and p. 12, each
    page's part ordered alone). An entry citing no page comes first; each
    entry keeps its measured height."""
    spreads = [facing.Spread(), facing.Spread()]
    spreads[0].sides[0].add(0.0, piece("s1", 3))  # page 0
    spreads[0].sides[1].add(0.0, piece("s2", 3))  # page 1
    spreads[1].sides[0].add(0.0, piece("s3", 3))  # page 2
    spreads[1].sides[0].add(3 * LINE, piece("s3", 1, first=False))  # (its id is on page 2)
    items = (
        {"anchors": ["xx-s1", "xx-s3"], "place": "", "text": "one and three"},
        {"anchors": ["xx-s2"], "place": "", "text": "two"},
        {"anchors": ["xx-nowhere"], "place": "", "text": "unknown: after the line before"},
        {"anchors": ["xx-s1"], "place": "", "text": "one"},
        {"anchors": [], "place": "", "text": "goes with the line before"},
        {"anchors": [], "place": "throughout", "text": "everywhere"},
    )
    record = blocks.Record(lang="xx", items=items, labels={})
    heights = tuple(float(n) for n in range(1, 7))
    laid = facing.Piece("changes", "xx", "record", 0, record, heights, (0,) * 6)
    (ordered,), () = facing._in_page_order(spreads, ([laid], []))
    assert [item["text"] for item in ordered.block.items] == [
        "everywhere",
        "one",
        "goes with the line before",
        "one and three",
        "two",
        "unknown: after the line before",
    ]
    assert ordered.lines == (6.0, 4.0, 5.0, 1.0, 2.0, 3.0)  # each its own height
    # a piece of another kind is left as it is
    text = piece("s9", 2)
    assert facing._in_page_order(spreads, ([], [text])) == ([], [text])
