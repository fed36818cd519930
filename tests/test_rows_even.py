"""Side by side, a row whose cells would leave a hole under the shorter one
is brought nearer level by setting its paragraphs in a line more or less
(diglot.rows.even): which rows, which paragraphs, at what cost, and what a
layout tells about them (the paragraphs of each cell, those that end a
page). Total fit's cost of a number of lines (diglot.linebreak) is what
the choice weighs."""

from __future__ import annotations

import pytest

from diglot import linebreak, rows, typography
from diglot.blocks import Paragraph

LINE = 10.0


def _row(ident: str, *paragraphs: int, heading: bool = False) -> rows.Row:
    """A row of two cells, ``paragraphs[0]`` paragraphs in the first and
    ``paragraphs[1]`` in the second."""
    cells = tuple(
        rows.Cell(
            lang,
            f"{lang}-{ident}",
            ident,
            heading,
            tuple(Paragraph.of_text("text", 1) for _ in range(count)),
            (),
            None,
        )
        for lang, count in zip(("az", "en"), paragraphs, strict=True)
    )
    return rows.Row(ident, heading, 0, cells, cells[0].id)


def _options(lines: int, *costs: tuple[int, float]) -> tuple[int, dict[int, float]]:
    return lines, {lines: 1000.0, **dict(costs)}


def test_a_row_with_a_hole_takes_the_cheapest_lines_until_a_line_of_white_is_left():
    # the English four lines longer: its paragraph may lose a line, the
    # Azerbaijani's gain one or two; the cheapest first, three lines taken
    row = _row("a", 1, 1)
    cells = {("a", 0): [1], ("a", 1): [2]}
    options = {
        1: _options(20, (21, 1500.0), (22, 9000.0)),
        2: _options(24, (23, 1200.0)),
    }
    heights = {"a": [200.0, 240.0]}
    lines, after = rows.even([row], heights, LINE, cells, options)
    assert (rows.EVEN_FROM, rows.EVEN_TO) == (2, 1)
    assert lines == {"en-a/0": 23, "az-a/0": 22}
    assert after == {"a": [220.0, 230.0]}
    assert heights == {"a": [200.0, 240.0]}  # (the heights given are left as they were)


def test_a_paragraph_is_given_two_lines_more_only_after_one_and_only_if_long_enough():
    row = _row("a", 1, 1)
    cells = {("a", 0): [1], ("a", 1): [2]}
    # a line less of the English is not to be had: the Azerbaijani takes two
    options = {1: _options(20, (21, 3000.0), (22, 4000.0)), 2: _options(24)}
    lines, _ = rows.even([row], {"a": [200.0, 240.0]}, LINE, cells, options)
    assert lines == {"az-a/0": 22}
    # a paragraph of four lines is not set in a fifth (its lines a fifth shorter)
    options = {1: _options(4, (5, 1000.0), (6, 1000.0)), 2: _options(8)}
    assert rows.even([row], {"a": [40.0, 80.0]}, LINE, cells, options)[0] == {}


def test_a_paragraph_given_two_lines_less_as_cheaply_as_one_is_given_them_in_turn():
    """Of two moves of one paragraph that cost as much, the nearer is taken
    first: sorted by cost alone, the second line less came before the
    first, which then set the paragraph back to one line less while the
    row counted both (its height two lines off what it was set in)."""
    row = _row("a", 1, 1)
    cells = {("a", 0): [1], ("a", 1): [2]}
    options = {1: _options(20), 2: (24, {24: 1000.0, 23: 1000.0, 22: 1000.0})}
    lines, after = rows.even([row], {"a": [200.0, 240.0]}, LINE, cells, options)
    assert lines == {"en-a/0": 22} and after == {"a": [200.0, 220.0]}


def test_evening_stops_where_a_line_would_cost_more_than_it_gains():
    row = _row("a", 1, 1)
    cells = {("a", 0): [1], ("a", 1): [2]}
    dear = 1000.0 + rows.EVEN_DEMERITS + 1
    options = {1: _options(20, (21, dear)), 2: _options(24, (23, 5000.0))}
    lines, after = rows.even([row], {"a": [200.0, 240.0]}, LINE, cells, options)
    assert lines == {"en-a/0": 23} and after == {"a": [200.0, 230.0]}


def test_a_paragraph_that_ends_a_page_is_not_set_longer():
    row = _row("a", 1, 1)
    cells = {("a", 0): [1], ("a", 1): [2]}
    options = {1: _options(20, (21, 1000.0)), 2: _options(24)}
    heights = {"a": [200.0, 240.0]}
    assert rows.even([row], heights, LINE, cells, options)[0] == {"az-a/0": 21}
    assert rows.even([row], heights, LINE, cells, options, frozenset({1}))[0] == {}


def test_only_rows_of_running_text_with_two_lines_of_white_or_more_are_evened():
    rows_ = [_row("a", 1, 1), _row("h", 1, 1, heading=True), _row("b", 1, 1), _row("c", 1, 1)]
    heights = {
        "a": [200.0, 215.0],  # a line and a half: read as two
        "h": [10.0, 60.0],  # a heading
        "b": [200.0, 214.0],  # a line and a bit: left
        "c": [90.0, 30.0],  # the first column six lines longer
    }
    assert [(row.id, drift) for row, drift in rows.uneven(rows_, heights, LINE)] == [
        ("a", -2),
        ("c", 6),
    ]


def test_a_cell_laid_out_otherwise_than_its_blocks_is_left_as_it_comes():
    # two paragraphs in the cell, one found in the layout: which is which
    # is not known
    row = _row("a", 2, 1)
    options = {1: _options(20, (21, 1000.0)), 2: _options(24, (23, 1000.0))}
    cells = {("a", 0): [1], ("a", 1): [2]}
    lines, _ = rows.even([row], {"a": [200.0, 240.0]}, LINE, cells, options)
    assert lines == {"en-a/0": 23}


def test_a_layout_tells_each_cells_paragraphs_and_those_that_end_a_page():
    """Read from WeasyPrint's boxes: the numbered paragraphs each cell holds
    as blocks of its own (not a paragraph inside a quotation), and those
    whose last line is the last that fits on its page."""
    import weasyprint

    line = 10 * 4 / 3 * rows.LINE_HEIGHT  # px
    fill = int((148 - 2 * 10) * 96 / 25.4 // line)  # lines on an A6 page

    def paragraph(mark: int, count: int) -> str:
        return f'<p data-tf="{mark}">' + "<br>".join(["word"] * count) + "</p>"

    html = (
        "<html><style>@page { size: A6; margin: 10mm } body { font: 10pt/1.4 'Noto Serif' } "
        "p { margin: 0; orphans: 1; widows: 1 } "
        ".parallel { display: table; width: 100%; table-layout: fixed } "
        ".row { display: table-row } .cell { display: table-cell; vertical-align: top }"
        "</style><body><div class='parallel'>"
        '<div class="row" data-segment="a">'
        f'<div class="cell" lang="az">{paragraph(0, 3)}{paragraph(1, fill - 3)}</div>'
        f'<div class="cell" lang="en">{paragraph(2, 4)}<blockquote>{paragraph(3, 1)}</blockquote>'
        "</div></div>"
        '<div class="row" data-segment="b">'
        f'<div class="cell" lang="az">{paragraph(4, 2)}</div>'
        f'<div class="cell" lang="en">{paragraph(5, 2)}</div></div>'
        "</div></body></html>"
    )
    document = weasyprint.HTML(string=html).render()
    assert rows.cell_paragraphs(document, ["az", "en"]) == {
        ("a", 0): [0, 1],
        ("a", 1): [2],
        ("b", 0): [4],
        ("b", 1): [5],
    }
    assert rows.ending_at_foot(document) == frozenset({1})


def test_a_paragraphs_plan_carries_what_its_lines_cost():
    """The demerits total fit weighs, on a paragraph's last break: setting a
    ragged paragraph in a line more than it needs costs more, its lines
    ending shorter."""
    text = " ".join(["Parallel texts are read across the page, line by line."] * 4)
    toks = linebreak.tokens(text)
    free = linebreak.plan(toks, 300.0, 12.0, lambda _w: [], ragged=True)
    assert free is not None and free[-1].demerits > 0
    longer = linebreak.plan(toks, 300.0, 12.0, lambda _w: [], ragged=True, lines=len(free) + 1)
    assert longer is not None and len(longer) == len(free) + 1
    assert longer[-1].demerits > free[-1].demerits
    # (the cost is planning's own: two plans of the same breaks are equal)
    assert [*free[:-1], free[-1]] == [*free[:-1], linebreak.Breakpoint(free[-1].token, "end")]


@pytest.mark.parametrize(
    ("style", "ragged"),
    [
        (typography.PLANNED_STYLE + "-0.05em;", True),
        # a widow's declarations put before the plan's (turn_widows): still
        # planned, planned again when a word is locked (biography-kk-en's
        # p. 4 had gone back to WeasyPrint's breaks, three hyphens in a row)
        ("widows: 3; " + typography.PLANNED_STYLE + "-0.05em;", True),
        ("widows: 3;", False),
    ],
)
def test_a_paragraph_set_as_planned_is_ragged_text_whatever_comes_first_in_its_style(style, ragged):
    from types import SimpleNamespace

    box = SimpleNamespace(
        style={
            "text_align_all": "left",
            "direction": "ltr",
            "white_space": "normal",
            "hyphens": "manual",
        }
    )
    assert typography._ragged(box, {"style": style}) is ragged
