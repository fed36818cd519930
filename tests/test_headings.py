"""Headings set in lines of even length (diglot.headings), read back from
WeasyPrint's layout."""

from __future__ import annotations

import itertools
import os
from typing import Any

import pytest

from diglot import fonts, headings, linebreak, proof, settlecache, typography

NBSP = "\u00a0"
TITLE = (
    "Heydar Aliyev\u2019s role in making the genocide and tragedies of the "
    "Azerbaijanis known to the world"
)
PAGE = (
    "<html lang='en'><style>@page { size: A5; margin: 20mm 24mm } "
    "h1 { font: 700 17pt/1.2 'Noto Sans'; text-align: center; hyphens: manual } "
    "h2 { font: 600 12pt/1.2 'Noto Sans'; text-align: left; hyphens: manual } "
    "p { font: 10pt 'Noto Serif' }</style>"
    "<h1>{title}</h1><p>Text under the title.</p><h2>{head}</h2><p>More text.</p></html>"
)


def _render(html: str) -> Any:
    os.environ["FONTCONFIG_FILE"] = str(fonts.fontconfig_file())
    import weasyprint

    return weasyprint.HTML(string=f"<style>{fonts.font_face_css()}</style>{html}").render()


def _heading_lines(document: Any) -> list[list[proof.Line]]:
    """Each heading's lines, in order."""
    found: dict[int, list[proof.Line]] = {}
    for line in proof.lines_of(document):
        if line.heading:
            found.setdefault(line.block, []).append(line)
    return list(found.values())


def _ink(line: proof.Line) -> float:
    """The width a line's words take (WeasyPrint's own measure of them)."""
    return linebreak.advance_em(line.text.strip(), "Noto Sans", bold=True) * line.size


def _settle(html: str, layouts: list[str]) -> tuple[str, Any]:
    def lay_out(text: str) -> Any:
        layouts.append(text)
        return _render(text)

    with typography.session(["en"]):
        return typography.settle(typography.number_paragraphs(html), lay_out, True)


def _page(title: str, head: str = "A short heading") -> str:
    return PAGE.replace("{title}", title).replace("{head}", head)


def test_a_title_is_set_in_as_many_lines_of_even_length():
    html = _page(TITLE)
    first = _heading_lines(_render(headings.number(html)))[0]
    layouts: list[str] = []
    settled, document = _settle(html, layouts)
    title = _heading_lines(document)[0]
    # first fit leaves the last line short ("to the world" under three long ones)
    assert len(first) == len(title) >= 2
    widths = [_ink(line) for line in title]
    before = [_ink(line) for line in first]
    assert min(widths) / max(widths) > 0.6 > 0.3 > min(before) / max(before), (
        [ln.text for ln in first],
        [ln.text for ln in title],
    )
    # the same words, every line in its column, the heading's one break per line
    assert " ".join(ln.text.strip() for ln in title).split() == TITLE.split()
    assert all(line.overflow <= 0 for line in title)
    assert len(layouts) == 2
    inner = settled.split("<h1", 1)[1].split(">", 1)[1].split("</h1>", 1)[0]
    assert inner.count(" ") == len(title) - 1 and NBSP in inner


def test_a_heading_on_one_line_and_the_text_are_left_as_they_were():
    html = _page("A title", "A short heading")
    layouts: list[str] = []
    settled, _document = _settle(html, layouts)
    assert len(layouts) == 1
    assert NBSP not in settled


def test_a_heading_that_does_not_come_out_as_planned_is_put_back(monkeypatch):
    # planned with a first line too long for the column (its spaces then
    # no-break spaces, it runs over): the plan is refused and first fit's
    # lines stand
    def too_long(toks: Any, *_args: Any) -> tuple[int, ...]:
        count = len(headings.breaks_of(toks))
        return (count - 3, count - 2, count - 1)

    monkeypatch.setattr(headings, "balance", too_long)
    html = _page(TITLE)
    first = [ln.text for ln in _heading_lines(_render(headings.number(html)))[0]]
    layouts: list[str] = []
    settled, document = _settle(html, layouts)
    assert [ln.text for ln in _heading_lines(document)[0]] == first
    assert len(layouts) == 3  # first fit, the plan, first fit again
    assert NBSP not in settled.split("<h1", 1)[1].split("</h1>", 1)[0]


def test_a_rebuild_sets_the_headings_before_its_first_layout(tmp_path):
    html = _page(TITLE, "The Nagorno-Karabakh conflict and the tragedy of Khojaly in February 1992")
    made = []
    for _ in range(2):
        layouts: list[str] = []
        with settlecache.session(tmp_path, "ed", "env"):
            settled, document = _settle(html, layouts)
        texts = [[ln.text for ln in heading] for heading in _heading_lines(document)]
        made.append((settled, len(layouts), texts))
    (first, passes, lines), (again, rebuilt, lines_again) = made
    assert passes == 2 and rebuilt == 1
    assert (again, lines_again) == (first, lines)
    assert all(len(h) >= 2 for h in lines), lines


def test_balance_fits_every_line_in_exactly_the_lines_asked():
    toks = linebreak.tokens(TITLE)
    size = 17 * 96 / 72
    for lines in (2, 3, 4):
        width = linebreak.advance_em(TITLE, "Noto Sans", True) * size / lines * 1.3
        chosen = headings.balance(toks, width, size, "Noto Sans", True, lines)
        assert chosen is not None and len(chosen) == lines - 1
        texts = headings.planned_lines(TITLE, chosen)
        assert len(texts) == lines and " ".join(texts) == TITLE
        assert all(linebreak.advance_em(t, "Noto Sans", True) * size <= width for t in texts)
    # no way to set a word wider than the column, nor two words in three lines
    assert headings.balance(toks, 20.0, size, "Noto Sans", True, 3) is None
    assert headings.balance(linebreak.tokens("two words"), 500, size, "Noto Sans", True, 3) is None
    # a face the project brings is not measured here
    assert headings.balance(toks, 400, size, "Brand Sans", True, 3) is None


def test_balance_finds_the_most_even_lines_there_are():
    """Against every way of breaking the title in four lines: the least
    sum of the squares of the white at the lines' ends, the last's too."""
    words = TITLE.split()
    size = 17 * 96 / 72
    width = 360.0

    def ink(text: str) -> float:
        return linebreak.advance_em(text, "Noto Sans", True) * size

    def sense(line: str, following: str) -> float:
        """A line ending on a short word costs, a phrase's end gains, a
        name parted costs."""
        last = line.split()[-1]
        cost = headings.SHORT_END_COST if last.islower() and len(last) <= 3 else 0.0
        in_name = last[0].isupper() and following[0].isupper() and last[-1] not in ",:;\u2014"
        if last[-1] == ":":
            cost -= headings.COLON_END_GAIN
        elif last[-1] in ",:;\u2014" or (following[0].isupper() and not in_name):
            cost -= headings.PHRASE_END_GAIN
        if in_name:
            cost += headings.NAME_BREAK_COST
        # two nouns under one article parted before "and": "the genocide / and tragedies"
        if (
            line.split()[-2:-1] == ["the"]
            and following.startswith("and ")
            and following[4].islower()
        ):
            cost += headings.COORDINATION_COST
        return cost * width**2

    costs = {}
    for cuts in itertools.combinations(range(1, len(words)), 3):
        lines = [" ".join(words[a:b]) for a, b in zip((0, *cuts), (*cuts, len(words)), strict=True)]
        if max(ink(line) for line in lines) <= width:
            costs[tuple(lines)] = sum((width - ink(line)) ** 2 for line in lines) + sum(
                sense(line, following) for line, following in itertools.pairwise(lines)
            )
    chosen = headings.balance(linebreak.tokens(TITLE), width, size, "Noto Sans", True, 4)
    assert chosen is not None
    assert tuple(headings.planned_lines(TITLE, chosen)) == min(costs, key=costs.__getitem__)


@pytest.mark.parametrize(
    ("heading", "lines"),
    [
        # a line does not end on a short word where the phrase allows
        (
            "The crisis of 1993 and the return to power",
            ["The crisis of 1993", "and the return to power"],
        ),
        ("Disgrace and return to Nakhchivan", ["Disgrace and return", "to Nakhchivan"]),
        ("Childhood and education", ["Childhood", "and education"]),
        # nor inside a name, and a title goes before its colon's subtitle
        ("Leader of Soviet Azerbaijan", ["Leader of", "Soviet Azerbaijan"]),
        (
            "Қосымша: басқа дереккөздерден алынған екі үзінді",
            ["Қосымша:", "басқа дереккөздерден", "алынған екі үзінді"],
        ),
    ],
)
def test_a_heading_breaks_where_its_phrases_do(heading, lines):
    toks = linebreak.tokens(heading)
    chosen = headings.balance(toks, 223.0, 16.0, "Noto Sans", True, len(lines))
    assert chosen is not None and headings.planned_lines(heading, chosen) == lines


def test_two_nouns_under_one_article_stay_on_one_line():
    """The colophon's title: "…making the genocide / and tragedies…" was
    read as "making the genocide"; the break goes after the phrase."""
    chosen = headings.balance(linebreak.tokens(TITLE), 400.0, 12.0, "Noto Sans", True, 2)
    assert chosen is not None and headings.planned_lines(TITLE, chosen) == [
        "Heydar Aliyev\u2019s role in making the genocide and tragedies",
        "of the Azerbaijanis known to the world",
    ]


AZ_TITLE = (
    "Azərbaycanlıların soyqırımı və faciələrinin dünyaya çatdırılmasında Heydər Əliyevin rolu"
)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # the opening page's title: "dünyaya" stays with "çatdırılmasında"
        (
            3,
            [
                "Azərbaycanlıların soyqırımı",
                "və faciələrinin dünyaya çatdırılmasında",
                "Heydər Əliyevin rolu",
            ],
        ),
    ],
)
def test_an_azerbaijani_dative_stays_with_its_verbal_noun(lines, expected):
    chosen = headings.balance(linebreak.tokens(AZ_TITLE), 440.0, 20.0, "Noto Sans", True, lines)
    assert chosen is not None and headings.planned_lines(AZ_TITLE, chosen) == expected


def test_a_cover_title_takes_a_line_more_where_that_keeps_its_phrases_whole():
    """At the cover's measure three lines part "dünyaya / çatdırılmasında"
    whatever the breaks; a title marked to grow takes a fourth, with its
    genitive phrase whole ("Azərbaycanlıların soyqırımı"); a title whose
    lines part no phrase keeps its number of lines."""
    measure = (430.0, 17 * 4 / 3, "Noto Sans", True)  # the cover's, "və" tied to its word
    tied = AZ_TITLE.replace("və ", f"və{NBSP}")
    toks = linebreak.tokens(tied)
    three = headings.balance(toks, *measure, 3)
    assert three is not None
    assert headings.planned_lines(tied, three)[1].endswith("dünyaya")
    grown = headings._grown(toks, measure, three)
    assert headings.planned_lines(tied, grown) == [
        "Azərbaycanlıların soyqırımı",
        "və faciələrinin",
        "dünyaya çatdırılmasında",
        "Heydər Əliyevin rolu",
    ]
    english = linebreak.tokens(TITLE)
    kept = headings.balance(english, *measure, 4)
    assert kept is not None and headings._grown(english, measure, kept) == kept


@pytest.mark.parametrize(
    ("before", "after", "joins"),
    [
        ("in making the genocide", "and tragedies of", True),
        ("known to the world", "or others", True),
        ("The crisis of 1993", "and the return", False),  # a phrase of its own
        ("Childhood", "and education", False),  # no article
        ("the crisis", "and Heydar Aliyev", False),  # a name
        ("making the genocide", "known to", False),  # no conjunction
        ("soyqırımı", "və faciələrinin", False),  # a language without articles
    ],
)
def test_a_break_before_and_costs_where_one_article_governs_both_nouns(before, after, joins):
    assert headings._joins_a_phrase(before, after) is joins


def test_only_spaces_and_breaks_after_a_hyphen_between_letters_are_candidates():
    inner = f"The Nagorno-Karabakh war \u2014 1992{NBSP}to{NBSP}1994 <em>and after</em>"
    toks = linebreak.tokens(inner)
    kinds = [(toks[b.token].char, b.after) for b in headings.breaks_of(toks)]
    assert kinds == [(" ", False), ("-", True), *[(" ", False)] * 5]
    # every break but the chosen one is shut: spaces become no-break spaces,
    # a hyphen is joined to the next letter; tags stay as they were
    shut = headings.enforce(inner, (4,))
    assert shut.replace(NBSP, " ").replace(linebreak.WORD_JOINER, "") == inner.replace(NBSP, " ")
    assert shut.count(" ") == 1 and "Nagorno-\u2060Karabakh" in shut and "<em>and" in shut
    assert headings.planned_lines(inner, (4,)) == [
        "The Nagorno-Karabakh war \u2014",
        "1992 to 1994 and after",
    ]


def test_headings_are_numbered_once():
    html = "<h1 class='t'>A</h1><h2>B</h2><h4>C</h4><h5>D</h5><p>h2</p>"
    numbered = headings.number(html)
    assert numbered == (
        '<h1 data-hb="0" class=\'t\'>A</h1><h2 data-hb="1">B</h2>'
        '<h4 data-hb="2">C</h4><h5>D</h5><p>h2</p>'
    )
    assert headings.number(numbered) == numbered


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"0": [0], "7": [1]},  # no such heading
        {"0": [3]},  # more breaks than the heading has
        {"0": [1, 0]},  # not in order
        {"0": [0, 0]},
        {"0": [True]},
        {"0": [-1]},
        {"0": []},
        {"0": "0"},
        {"x": [0]},
    ],
)
def test_a_recorded_plan_that_is_not_one_is_a_miss(data):
    html = headings.number("<h1>one two three four</h1><h2>five</h2>")
    assert headings.read_plan(data, html) is None
    assert headings.read_plan({"0": [0, 2]}, html) == {0: (0, 2)}


def test_a_heading_set_earlier_in_the_edition_is_set_before_the_first_layout():
    """A facing edition's pages after its measuring column, a booklet laid
    out again with its colophon moved: the headings' breaks are known, and
    the document is laid out once, as it was planned."""
    html = _page(TITLE)
    with typography.session(["en"]):
        made = []
        for _ in range(2):
            layouts: list[str] = []

            def lay_out(text: str, layouts: list[str] = layouts) -> Any:
                layouts.append(text)
                return _render(text)

            settled, _document = typography.settle(typography.number_paragraphs(html), lay_out)
            made.append((settled, len(layouts)))
    assert made[0][1] == 2 and made[1] == (made[0][0], 1)


def test_breaks_known_from_a_narrower_column_are_dropped_where_lines_join():
    """Set in six lines in a narrow column, a heading that a wider one
    holds on one line is set on one there: the lines planned for the
    narrow column join (no-break spaces only keep words together), and the
    plan is put back."""
    narrow = _page(TITLE).replace("margin: 20mm 24mm", "margin: 20mm 40mm")
    wide = _page(TITLE).replace("size: A5", "size: A3 landscape")
    with typography.session(["en"]):
        _settled, document = _settle_in_session(narrow)
        assert len(_heading_lines(document)[0]) >= 3
        settled, document = _settle_in_session(wide)
    assert len(_heading_lines(document)[0]) == 1
    assert NBSP not in settled.split("<h1", 1)[1].split("</h1>", 1)[0]


def _settle_in_session(html: str) -> tuple[str, Any]:
    return typography.settle(typography.number_paragraphs(html), _render)
