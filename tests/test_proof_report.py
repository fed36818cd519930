"""The proof's report: what counts as a problem, the build's limits, the
hyphenation of a line end (no layout needed: reports and lines are built
here by hand)."""

from __future__ import annotations

import pytest

from diglot.proof import (
    Finding,
    Line,
    Report,
    broken_word,
    failed,
    format_text,
    picture_lines,
    report_of,
)


def line(text: str) -> Line:
    return Line(1, 0.0, 0.0, 100.0, 12.0, text, 1, "en", False, False, True, 0.3, 0.0, False)


def report(loose: int = 0, justified: int = 10, codes: tuple[str, ...] = ()) -> Report:
    findings = tuple(Finding(1, code, "m") for code in codes)
    return Report(3, 20, justified, loose, 0.6, 2, 1, findings)


def test_loose_lines_count_by_share_other_findings_one_each() -> None:
    r = report(loose=3, codes=("loose-lines", "hyphen-ladder", "near-empty-page", "loose-lines"))
    assert r.problems() == 2
    assert r.loose_share == pytest.approx(0.3)
    assert report(loose=0, justified=0).loose_share == 0.0
    assert r.counts() == {"loose-lines": 2, "hyphen-ladder": 1, "near-empty-page": 1}


@pytest.mark.parametrize(
    ("code", "severity"),
    [
        ("hyphen-ladder", "error"),
        ("near-empty-page", "error"),
        ("stranded-heading", "error"),
        ("overfull-line", "error"),
        ("bad-hyphen", "error"),
        ("loose-lines", "warning"),
        ("widow", "warning"),
    ],
)
def test_severity(code: str, severity: str) -> None:
    assert Finding(1, code, "m").severity == severity


def test_limits_are_exceeded_only_above_them() -> None:
    two = report(loose=2, codes=("hyphen-ladder", "overfull-line"))  # 20 % loose, 2 problems
    assert not failed(two, None, None)
    assert not failed(two, 2, None) and failed(two, 1, None)
    assert not failed(two, None, 20.0) and failed(two, None, 19.9)
    assert failed(two, 5, 10.0) and failed(two, 0, 50.0)
    assert not failed(two, 2, 20.0)


def test_format_names_pdf_page_and_code() -> None:
    r = Report(1, 1, 1, 0, 0.3, 0, 0, (Finding(4, "widow", "one line left"),))
    assert format_text(r, "out/x.pdf") == ["out/x.pdf:4: widow: one line left"]


@pytest.mark.parametrize(
    ("text", "hyphenated"),
    [
        ("a word hyphen\u2010", True),
        ("a word hyphen-", True),
        ("a word soft\u00ad", True),
        ("ends in a dash 1993-", False),
        ("-", False),
        ("a\u2010", True),  # one letter before the hyphen
        ("no hyphen", False),
        ("trailing space hy- ", True),
    ],
)
def test_hyphenated_line_ends(text: str, hyphenated: bool) -> None:
    assert line(text).hyphenated is hyphenated


def test_broken_word_joins_both_halves() -> None:
    assert broken_word(line("the inter\u2010"), line("national law")) == "international"
    assert broken_word(line("the 1993-"), line("94 season")) is None
    assert broken_word(line("a-"), line(", then")) is None


def at(page: int, row: int, text: str = "words here", block: int = 1, **kw: object) -> Line:
    values: dict[str, object] = {
        "page": page,
        "x": 0.0,
        "y": 20.0 * row,
        "width": 100.0,
        "height": 12.0,
        "text": text,
        "block": block,
        "lang": "en",
        "heading": False,
        "front": False,
        "justified": False,
        "space_em": None,
        "overflow": 0.0,
        "last": False,
    }
    values.update(kw)
    return Line(**values)  # type: ignore[arg-type]


def page_of(page: int, rows: int, block: int) -> list[Line]:
    return [at(page, r, block=block) for r in range(rows)]


def codes(lines: list[Line], pages: int) -> list[tuple[int, str]]:
    return [(f.page, f.code) for f in report_of(lines, pages).findings]


def test_a_text_page_needs_six_rows() -> None:
    five = page_of(1, 6, 1) + page_of(2, 5, 2) + page_of(3, 6, 3)
    assert codes(five, 3) == [(2, "near-empty-page")]
    assert codes(page_of(1, 6, 1) + page_of(2, 6, 2), 2) == []
    front = [at(1, 0, front=True), *page_of(2, 6, 2)]
    assert codes(front, 3) == []  # front matter and a blank page are not text pages


def test_a_running_head_and_a_folio_are_no_lines_of_text() -> None:
    """genocide-az's p. 7 held five lines of the record under its running
    head and over its folio, and counted seven."""
    margins = [at(2, 0, block=90, area="margin"), at(2, 9, block=91, area="margin")]
    five = page_of(1, 6, 1) + [at(2, r, block=2) for r in range(1, 6)] + margins
    assert codes(five + page_of(3, 6, 3), 3) == [(2, "near-empty-page")]
    six = page_of(1, 6, 1) + [at(2, r, block=2) for r in range(1, 7)] + margins
    assert codes(six + page_of(3, 6, 3), 3) == []


def test_a_picture_counts_as_the_lines_it_stands_in_for() -> None:
    """Two lines under a picture of four lines' height are a page, not a
    near-empty one; a picture beside another (side by side) counts once."""
    two = page_of(1, 6, 1) + page_of(2, 2, 2)
    assert codes(two, 2) == [(2, "near-empty-page")]
    picture = {2: [(100.0, 148.0)]}  # 48 px: four lines of 12
    assert [f.code for f in report_of(two, 2, picture).findings] == []
    beside = {2: [(100.0, 136.0), (100.0, 136.0)]}  # three lines' height, twice
    assert [(f.page, f.code) for f in report_of(two, 2, beside).findings] == [
        (2, "near-empty-page")
    ]
    assert picture_lines([(0.0, 30.0), (20.0, 50.0), (60.0, 72.0)], 12.0) == 5


def test_a_heading_at_the_foot_of_a_page_is_stranded() -> None:
    lines = [*page_of(1, 6, 1), at(1, 6, "A heading", block=2, heading=True), *page_of(2, 6, 3)]
    assert codes(lines, 2) == [(1, "stranded-heading")]
    beside = [*lines, at(1, 6, "a line beside it", block=4)]  # two columns: text beside it
    assert codes(beside, 2) == []
    last_page = [*page_of(2, 6, 3), at(2, 6, "The end", block=5, heading=True)]
    assert codes(page_of(1, 6, 1) + last_page, 2) == []


def test_orphans_widows_and_words_broken_across_a_leaf() -> None:
    body = page_of(1, 5, 9)
    orphan = [at(1, 5, "First line of a paragraph", block=1)] + [
        at(2, r, block=1) for r in range(6)
    ]
    assert codes(body + orphan, 2) == [(1, "orphan")]
    widow = [*page_of(1, 6, 1), at(2, 0, "its last line.", block=1), *page_of(2, 6, 2)[1:]]
    assert codes(widow, 2) == [(2, "widow")]
    broken = [at(1, r, block=1) for r in range(5)] + [at(1, 5, "inter\u2010", block=1)]
    rest = [at(2, r, block=1) for r in range(6)]
    assert codes(broken + rest, 2) == [(1, "broken-word")]
    on_a_spread = [at(2, r, block=1) for r in range(5)] + [at(2, 5, "inter\u2010", block=1)]
    following = [at(3, r, block=1) for r in range(6)]
    assert "broken-word" not in [c for _, c in codes(on_a_spread + following, 3)]


def test_report_counts_text_lines_not_front_matter() -> None:
    lines = [
        at(1, 0, "Cover", front=True, justified=True, space_em=0.9),
        at(2, 0, "a hyphen\u2010", justified=True, space_em=0.333),
        at(2, 1, "a loose line", justified=True, space_em=0.61),
        at(2, 2, "ragged"),
    ]
    r = report_of(lines, 2)
    assert (r.pages, r.lines, r.justified, r.loose, r.hyphenated) == (2, 3, 2, 1, 1)
    assert r.worst_space_em == 0.61


def test_loose_lines_are_those_over_half_an_em_per_page() -> None:
    lines = [
        at(1, 0, "cover", front=True, justified=True, space_em=0.9),
        at(2, 0, "exactly half", justified=True, space_em=0.5),
        at(2, 1, "a little over", justified=True, space_em=0.5149),
        at(2, 2, "ragged, no space measured", space_em=None),
        at(3, 0, "the worst one", justified=True, space_em=0.6149),
    ]
    r = report_of(lines, 3)
    loose = [f for f in r.findings if f.code == "loose-lines"]
    assert [f.page for f in loose] == [2, 3]
    assert loose[0].message.startswith("1 of 2 justified lines have word spaces over 0.5 em")
    assert "worst 0.51 em" in loose[0].message
    assert (r.justified, r.loose, r.worst_space_em) == (3, 2, 0.61)


def test_overfull_lines_are_those_over_a_pixel() -> None:
    lines = [at(1, 0, "fits", overflow=1.0), at(1, 1, "runs out", overflow=1.01)]
    assert [f.message for f in report_of(lines, 1).findings if f.code == "overfull-line"] == [
        "line runs 0.8 pt into the margin: “runs out”"
    ]


def test_quotes_are_cut_at_forty_characters() -> None:
    forty, longer = "a" * 40, "b" * 41
    lines = [at(1, 0, forty, overflow=2.0), at(2, 0, longer, overflow=2.0)]
    messages = [f.message for f in report_of(lines, 2).findings if f.code == "overfull-line"]
    assert messages[0].endswith(f"“{forty}”")
    assert messages[1].endswith(f"“{'b' * 39}…”")


def test_headings_are_neither_orphans_nor_widows() -> None:
    lines = [
        *page_of(1, 5, 9),
        at(1, 5, "A heading", block=1, heading=True),
        *[at(2, r, block=1) for r in range(6)],
    ]
    assert codes(lines, 2) == [(1, "stranded-heading")]


def test_a_one_line_page_of_a_paragraph_is_a_widow_only_at_its_end() -> None:
    middle = [at(1, r, block=1) for r in range(6)] + [at(2, 0, "middle", block=1)]
    middle += [at(3, r, block=1) for r in range(6)]
    assert "widow" not in [c for _, c in codes(middle, 3)]


@pytest.mark.parametrize(
    ("lang", "head", "bad"),
    [
        ("en", "repre", False),
        ("en", "repres", True),
        ("en-GB", "repres", False),
        ("az", "repres", False),
    ],
)
def test_english_breaks_are_checked_against_its_patterns(lang: str, head: str, bad: bool) -> None:
    word = "representatives"
    lines = [
        at(1, 0, f"the {head}\u2010", block=1, lang=lang),
        at(1, 1, f"{word[len(head) :]} met", block=1, lang=lang),
    ]
    found = [f.message for f in report_of(lines, 1).findings if f.code == "bad-hyphen"]
    assert found == (
        [f"{head}‐{word[len(head) :]} is not an en_US break of “{word}”"] if bad else []
    )


def test_a_hyphen_of_the_text_or_another_block_is_not_checked() -> None:
    written = [at(1, 0, "the repres-", block=1), at(1, 1, "entatives met", block=1)]
    elsewhere = [at(1, 0, "the repres\u2010", block=1), at(1, 1, "entatives met", block=2)]
    for lines in (written, elsewhere):
        assert [f for f in report_of(lines, 1).findings if f.code == "bad-hyphen"] == []


def test_a_hole_is_six_lines_of_white_between_two_lines_of_one_column() -> None:
    """White of HOLE_LINES lines (12 pt each here) or more between a line
    and the next line of its own column; not where a picture stands, not
    beside a number in the margin, not under the front matter."""
    top = [at(1, r) for r in range(3)]  # y 0, 20, 40: the last ends at 52

    def holes(*extra: Line, images: dict[int, list[tuple[float, float]]] | None = None):
        found = report_of([*top, *extra], 1, images).findings
        return [(f.message, f.boxes) for f in found if f.code == "hole"]

    six = at(1, 0, y=52.0 + 6 * 12.0)
    assert holes(six) == [
        ("6 lines of white space inside the page after “words here”", ((0.0, 52.0, 100.0, 72.0),))
    ]
    assert holes(at(1, 0, y=52.0 + 6 * 12.0 - 1)) == []  # a little less: none
    # the next line of the same column counts, not one of the column beside it
    beside = at(1, 0, y=60.0, x=120.0)
    assert len(holes(six, beside)) == 1
    assert holes(six, at(1, 0, y=60.0, x=50.0)) == []  # overlaps: the same column
    # a picture in the white, a margin number, front matter: no hole
    assert holes(six, images={1: [(60.0, 110.0)]}) == []
    assert len(holes(six, images={1: [(130.0, 200.0)]})) == 1  # the picture is lower
    # a box no wider than eight line heights is a number in the margin
    assert len(holes(six, at(1, 0, y=80.0, width=96.0, height=12.0))) == 1
    assert holes(six, at(1, 0, y=80.0, width=97.0, height=12.0)) == []  # a line of text
    assert holes(six, at(1, 0, y=80.0, x=50.0, front=True)) != []
    assert holes(at(1, 0, y=52.0 + 6 * 12.0, area="footnote")) == []


def test_boxes_are_the_line_s_in_tenths_of_a_pixel() -> None:
    """A finding's box (JSON, previews) is the line's, rounded to 0.1 px;
    a hole's box spans the white under its line, rounded so too."""
    ln = at(1, 0, x=10.04, y=20.06, width=99.96, height=12.049)
    assert ln.box == (10.0, 20.1, 100.0, 12.0)
    top = at(1, 0, x=10.04, y=0.0, height=12.0)
    below = at(1, 0, x=10.04, y=12.0 + 6 * 12.0 + 0.06)
    (hole,) = [f for f in report_of([top, below], 1).findings if f.code == "hole"]
    assert hole.boxes == ((10.0, 12.0, 100.0, 72.1),)


def test_a_page_s_loose_lines_quote_the_loosest() -> None:
    lines = [
        at(1, 0, "a little loose", justified=True, space_em=0.55),
        at(1, 1, "the loosest line", justified=True, space_em=0.9),
        at(1, 2, "loose too", justified=True, space_em=0.6),
    ]
    (loose,) = [f for f in report_of(lines, 1).findings if f.code == "loose-lines"]
    assert loose.message == (
        "3 of 3 justified lines have word spaces over 0.5 em (worst 0.90 em: “the loosest line”)"
    )


def test_a_text_without_hyphens_has_no_hyphen_run() -> None:
    r = report_of(page_of(1, 6, 1), 1)
    assert (r.longest_ladder, r.hyphenated, r.findings) == (0, 0, ())
    one = report_of([*page_of(1, 5, 1), at(1, 5, "a hyphen\u2010", block=1)], 1)
    assert one.longest_ladder == 1


def test_the_first_page_can_be_near_empty_too() -> None:
    assert codes(page_of(1, 5, 1) + page_of(2, 6, 2), 2) == [(1, "near-empty-page")]


def test_a_picture_is_counted_in_lines_of_the_body_text() -> None:
    """The lines a picture stands in for are lines of the page's body text
    (the middle one of its line heights), not of a taller heading or of a
    margin's folio."""
    heights = (10.0, 10.0, 20.0, 20.0)  # the middle one: 20 px
    lines = [at(2, r, block=r + 2, height=h) for r, h in enumerate(heights)]
    lines.append(at(2, 9, "12", block=9, height=5.0, area="margin"))  # a folio: no row
    picture = {2: [(200.0, 219.0)]}  # 19 px: less than a line of 20 px, not one of 10
    found = report_of(page_of(1, 6, 1) + lines, 2, picture).findings
    assert [(f.page, f.code) for f in found] == [(2, "near-empty-page")]
    assert found[0].message.startswith("only 4 line(s) of text on the page")


def test_a_heading_is_stranded_only_alone_on_the_last_row() -> None:
    """Lines less than a pixel apart make one row (two columns side by side)."""
    lines = [*page_of(1, 6, 1), at(1, 6, "A heading", block=2, heading=True), *page_of(2, 6, 3)]
    bottom = 20.0 * 6
    beside = at(1, 0, "a line beside it", block=4, y=bottom - 0.9)
    assert codes([*lines, beside], 2) == []
    above = at(1, 0, "a line above it", block=4, y=bottom - 1.0)
    assert codes([*lines, above], 2) == [(1, "stranded-heading")]


def test_a_word_broken_over_any_leaf_is_found_not_over_a_spread() -> None:
    """Pages 1 to 2, 3 to 4: the reader turns a leaf; 2 to 3, 4 to 5 face
    each other."""
    for before, found in ((3, True), (4, False), (5, True)):
        lines = [at(p, r, block=p) for p in range(1, before) for r in range(6)]
        lines += [at(before, r, block=99) for r in range(5)]
        lines += [at(before, 5, "inter\u2010", block=99)]
        lines += [at(before + 1, r, block=99) for r in range(6)]
        broken = [c for c in codes(lines, before + 1) if c[1] == "broken-word"]
        assert broken == ([(before, "broken-word")] if found else []), before


def test_a_column_ends_where_the_next_begins() -> None:
    """A line whose column starts exactly at this column's right edge (or
    ends exactly at its left edge) is in another column: the white under
    this line is still a hole."""
    top = [at(1, r) for r in range(3)]  # x 0 to 100, the last ends at 52
    six = at(1, 0, y=52.0 + 6 * 12.0)
    for x in (100.0, -100.0):
        other = at(1, 0, y=60.0, x=x)
        found = report_of([*top, six, other], 1).findings
        assert [f.code for f in found if f.code == "hole"] == ["hole"], x


@pytest.mark.parametrize(
    ("lang", "head", "tail"),
    [
        ("en", "to", "gether"),
        ("en", "togeth", "er"),
        ("en-GB", "to", "gether"),
        ("en-GB", "togeth", "er"),
    ],
)
def test_a_break_leaving_two_letters_on_either_side_is_good(
    lang: str, head: str, tail: str
) -> None:
    lines = [
        at(1, 0, f"came {head}\u2010", block=1, lang=lang),
        at(1, 1, f"{tail} again", block=1, lang=lang),
    ]
    assert [f for f in report_of(lines, 1).findings if f.code == "bad-hyphen"] == []


def test_two_hyphenated_line_ends_in_a_row_are_no_ladder_three_are() -> None:
    two = [at(1, 0, "one hy\u2010", block=1), at(1, 1, "phen and an\u2010", block=1)]
    rest = [at(1, r, block=1) for r in range(2, 6)]
    assert codes(two + rest, 1) == []
    three = [*two, at(1, 2, "other hy\u2010", block=1), *rest[1:]]
    (ladder,) = [f for f in report_of(three, 1).findings if f.code == "hyphen-ladder"]
    assert ladder.message == "3 hyphenated line ends in a row: hy\u2010, an\u2010, hy\u2010"
    assert report_of(three, 1).longest_ladder == 3


def test_a_hole_is_measured_from_the_next_line_more_than_a_pixel_lower() -> None:
    """A line a pixel lower (or less) stands in the same row; the white is
    measured from each line to the next line below it."""
    first, same_row = at(1, 0, "first", y=0.0), at(1, 0, "same row", y=1.0)
    below = at(1, 0, "below", y=12.0 + 6 * 12.0 + 1.0)  # 73 px under the first, 72 under the row
    found = [f.message for f in report_of([first, same_row, below], 1).findings if f.code == "hole"]
    assert found == [
        "6 lines of white space inside the page after “first”",
        "6 lines of white space inside the page after “same row”",
    ]


def test_a_picture_only_touching_the_white_does_not_fill_it() -> None:
    top = [at(1, r) for r in range(3)]  # the last ends at 52
    six = at(1, 0, y=52.0 + 6 * 12.0)  # the white: 52 to 124
    for picture in ((20.0, 52.0), (124.0, 200.0)):
        found = report_of([*top, six], 1, {1: [picture]}).findings
        assert [f.code for f in found if f.code == "hole"] == ["hole"], picture


def test_the_report_as_json_data() -> None:
    r = Report(2, 9, 3, 1, 0.61, 3, 2, (Finding(2, "widow", "alone", ((1.0, 2.0, 3.0, 4.0),)),))
    assert r.as_dict() == {
        "pages": 2,
        "lines": 9,
        "justified": 3,
        "loose": 1,
        "loose_share": 0.3333,
        "worst_space_em": 0.61,
        "longest_ladder": 3,
        "hyphenated": 2,
        "findings": [
            {
                "page": 2,
                "code": "widow",
                "message": "alone",
                "boxes": ((1.0, 2.0, 3.0, 4.0),),
                "severity": "warning",
            }
        ],
        "tracked": 0,
    }
    assert r.summary() == (
        "2 pages, 9 lines, 3 justified (33.3% loose, worst 0.61 em), "
        "longest hyphen run 3, 1 problem(s)"
    )


def test_letter_spaced_lines_are_counted_not_a_problem() -> None:
    """Justified lines letter-spaced over TRACKED_EM are counted (a reader
    sees a word wider than on the line before), in the summary and the
    JSON; they are no problem of their own."""
    from dataclasses import replace

    from diglot.proof import TRACKED_EM, report_of

    lines = [replace(line(f"word {i} and more"), y=14.0 * i) for i in range(8)]
    over = TRACKED_EM + 0.015
    spaced = [replace(ln, track_em=over) if i in (2, 5) else ln for i, ln in enumerate(lines)]
    spaced[6] = replace(spaced[6], track_em=TRACKED_EM)  # at the limit: not over it
    r = report_of(spaced, 1)
    assert r.tracked == 2 and r.as_dict()["tracked"] == 2 and r.problems() == 0
    assert f"2 letter-spaced over {TRACKED_EM} em" in r.summary()
    plain = report_of(lines, 1)
    assert plain.tracked == 0 and "letter-spaced" not in plain.summary()
