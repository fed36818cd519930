"""Side-by-side rows (diglot.rows), page references of the record of
changes (diglot.record) and the last pages of a booklet (diglot.endpages)."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from diglot import endpages, record, rows

LINE = 10.0


def _rows(*ids: str, headings: tuple[str, ...] = ()) -> list[rows.Row]:
    return [rows.Row(i, i in headings, 2 if i in headings else 0, (None, None), i) for i in ids]


def test_rows_that_end_level_start_level():
    heights = {"a": [50.0, 40.0], "b": [30.0, 31.0], "c": [20.0, 20.0]}
    joined, spread = rows.joins(_rows("a", "b", "c"), heights, LINE)
    assert joined == frozenset() and spread == {}


def test_a_pair_starts_level_over_a_few_lines_of_white():
    # biography-kk-en's p4: the Kazakh three lines shorter; its next pair
    # had started two lines below the English, sharing the white out
    heights = {"a": [20.0, 50.2], "b": [30.0, 31.0], "c": [20.0, 20.0]}
    assert rows.joins(_rows("a", "b", "c"), heights, LINE) == (frozenset(), {})
    # a drift the other way after it is no reason to run on either
    heights = {"a": [20.0, 30.0], "b": [40.2, 20.0]}
    assert rows.joins(_rows("a", "b"), heights, LINE) == (frozenset(), {})


def test_a_hole_runs_on_with_the_next_pair_a_line_apart_and_a_line_less_white():
    # nine lines of white under a: the second column's b starts a line
    # above the first's, the white under a eight lines, in whole lines
    heights = {"a": [100.0, 10.0], "b": [10.0, 10.0], "c": [10.0, 10.0]}
    plan = rows.joins(_rows("a", "b", "c"), heights, LINE)
    assert plan == (frozenset({"b"}), {"a": (0.0, 80.0)})
    groups = rows.groups(_rows("a", "b", "c"), plan)
    assert [[r.id for r in g] for g in groups] == [["a", "b"], ["c"]]
    # the same in the other column
    heights = {"a": [10.0, 100.0], "b": [10.0, 10.0]}
    assert rows.joins(_rows("a", "b"), heights, LINE) == (frozenset({"b"}), {"a": (80.0, 0.0)})


def test_white_and_pairs_apart_are_weighed_line_by_line():
    """Two lines of white cost nothing, a hole more with each line; a pair
    a line apart costs as much as six lines of white under one pair."""
    assert [rows.white_cost(n) for n in range(9)] == [0, 0, 0, 2, 6, 12, 20, 31, 50]
    assert [rows.apart_cost(n) for n in range(3)] == [0, 20, 80]
    assert rows.apart_cost(1) == rows.white_cost(6)
    # (white under each pair's shorter column, lines the next pair starts
    # apart, the longer column)
    assert rows._offsets([-3, 1]) == [(3, 0, 1), (1, 0, 0)]
    assert rows._offsets([9, -9]) == [(8, 1, 0), (8, 0, 1)]
    assert rows._offsets([]) == []
    # more than MAX_APART lines apart is never chosen: a hole instead
    assert all(apart <= rows.MAX_APART for _, apart, _ in rows._offsets([40, -40, 40]))


def test_a_heading_always_starts_level():
    heights = {"a": [100.0, 20.0], "h": [20.0, 20.0], "b": [20.0, 100.0]}
    joined, _ = rows.joins(_rows("a", "h", "b", headings=("h",)), heights, LINE)
    assert "h" not in joined and "b" not in joined


def _poem(ident: str) -> rows.Row:
    from diglot.blocks import Verse, VerseLine

    verse = Verse(tuple(VerseLine((), 0, n, n) for n in range(1, 5)), 1)
    cells = tuple(
        rows.Cell(lang, f"{lang}-{ident}", ident, False, (verse,), (), None)
        for lang in ("ru", "en")
    )
    return rows.Row(ident, False, 0, cells, f"ru-{ident}")


def test_a_poem_set_line_by_line_starts_level_and_so_does_the_row_after_it():
    # English turnovers leave white opposite in the Russian: inside the
    # poem's rows, which end level; it is no drift to weigh with the rows
    # around it (the Sail's first two stanzas ran on in flowing cells,
    # their lines out of step)
    heights = {"a": [40.0, 10.0], "s1": [40.0, 130.0], "s2": [40.0, 62.0], "b": [10.0, 10.0]}
    laid = [*_rows("a"), _poem("s1"), _poem("s2"), *_rows("b")]
    assert rows.joins(laid, heights, LINE) == (frozenset(), {})
    # the same heights in rows of prose: the hole under s1 is weighed
    # against pairs a line apart, and a row runs on
    assert rows.joins(_rows("a", "s1", "s2", "b"), heights, LINE)[0]


def test_groups_keep_every_row_in_order():
    plan = (frozenset({"b", "c"}), {"a": (0.0, 12.5), "b": (0.0, 12.5)})
    groups = rows.groups(_rows("a", "b", "c", "d"), plan)
    assert [[r.id for r in g] for g in groups] == [["a", "b", "c"], ["d"]]
    assert groups[0][0].spread == (0.0, 12.5) and groups[1][0].spread == (0.0, 0.0)


@pytest.mark.parametrize(
    ("pages", "expected"),
    [([5, 5], [(5, 5)]), ([5, 6, 7], [(5, 7)]), ([7, 5, 9], [(5, 5), (7, 7), (9, 9)]), ([], [])],
)
def test_pages_become_ranges(pages, expected):
    assert record.ranges(pages) == expected


def test_a_line_cites_each_page_once():
    where = {"kk-p3": 4, "kk-p4": 4, "kk-p5": 5, "kk-p9": 8}
    cited = record.cite(["kk-p3", "kk-p4", "kk-p5", "kk-p9"], where)
    assert cited == (
        '<a class="page-ref" href="#kk-p3"></a>–<a class="page-ref" href="#kk-p5"></a>, '
        '<a class="page-ref" href="#kk-p9"></a>'
    )
    assert record.cite(["kk-p3"], where) is None  # nothing to improve
    assert record.cite(["kk-p3", "kk-x"], where) is None  # not laid out


def test_a_segment_over_a_page_turn_is_cited_by_all_its_pages():
    """A paragraph that starts on p. 3 and ends on p. 4 is cited "3–4": the
    change may stand on either (genocide-en cited p. 3 for words printed on
    p. 4); a segment whose end is not marked is cited by its first page."""
    where = {"en-p3": 2, "en-p3.end": 3, "en-p5": 5, "en-p5.end": 5, "en-p6": 5, "en-p9": 9}
    ref = '<a class="page-ref" href="#{}"></a>'.format
    assert record.cite(["en-p3"], where) == f"{ref('en-p3')}–{ref('en-p3.end')}"
    assert record.cite(["en-p5"], where) is None  # one page: as printed
    assert record.cite(["en-p3", "en-p5", "en-p6"], where) == (
        f"{ref('en-p3')}–{ref('en-p3.end')}, {ref('en-p5')}"
    )
    three = {"en-p3": 2, "en-p3.end": 4, "en-p9": 5}
    assert record.cite(["en-p3", "en-p9"], three) == f"{ref('en-p3')}–{ref('en-p9')}"
    assert record.cite(["en-p9"], {"en-p9": 9}) is None  # no end mark


def test_a_line_quoting_words_on_one_page_of_its_segment_cites_that_page():
    """A paragraph over pages 4 and 6 of a facing edition: a line of the
    record quoting words of it that stand on p. 4 only cites p. 4 (a
    typographer read "pp. 4, 6" for words on p. 4 as a wrong reference),
    on p. 6 only, p. 6 by the segment's end mark; else both pages."""
    ref = '<a class="page-ref" href="#{}"></a>'.format
    where = {"az-p3": 3, "az-p3.end": 5}
    assert record.cite(["az-p3"], where, 2) == f"{ref('az-p3')}, {ref('az-p3.end')}"
    assert record.cite(["az-p3"], {**where, "az-p3#quoted7": 3}, 2, 7) == ref("az-p3")
    assert record.cite(["az-p3"], {**where, "az-p3#quoted7": 5}, 2, 7) == ref("az-p3.end")
    # another line citing the same paragraph, quoting nothing: both pages
    other = record.cite(["az-p3"], {**where, "az-p3#quoted7": 3}, 2, 8)
    assert other == f"{ref('az-p3')}, {ref('az-p3.end')}"
    # a line narrowed to the paragraph's last page goes after the lines
    # citing it whole, as a reader turns the pages; other lines stay put
    line_a = f'<li><span class="where">p.&#160;{ref("az-p3")}</span> a</li>'
    line_b = f'<li><span class="where">p.&#160;{ref("az-p3")}</span> b</li>'
    line_c = f'<li><span class="where">p.&#160;{ref("az-p9")}</span> c</li>'
    pages = {"az-p3": 3, "az-p3.end": 5, "az-p3#quoted0": 5, "az-p9": 9}
    out = record.rewrite(
        f"<ul>{line_a}\n{line_b}{line_c}</ul>",
        pages,
    )
    assert out.index(" b<") < out.index(" a<") < out.index(" c<")
    # three lines on one paragraph, the narrowed one between two whole ones
    pages = {"az-p3": 3, "az-p3.end": 5, "az-p3#quoted1": 5}
    out = record.rewrite(f"<ul>{line_b}{line_a}{line_b.replace(' b<', ' d<')}</ul>", pages)
    assert out.index(" b<") < out.index(" d<") < out.index(" a<")
    # lines on different segments too, by their first page, then their
    # last (genocide-az-en-handout's English record read "pp. 2–3", for
    # the headings of two sections, before "p. 2"); a line citing no page
    # stays first
    heads = f'<li><span class="where">pp.&#160;{ref("h1")}, {ref("h2")}</span> heads</li>'
    late = f'<li><span class="where">p.&#160;{ref("p7")}</span> late</li>'
    whole = '<li><span class="where">throughout</span> whole</li>'
    pages = {"h1": 2, "h2": 3, "p7": 2, "p7.end": 2, "p1": 1, "p1.end": 1}
    first = f'<li><span class="where">p.&#160;{ref("p1")}</span> first</li>'
    out = record.rewrite(f"<ul>{heads}{whole}{late}{first}</ul>", pages)
    order = [out.index(f" {w}<") for w in ("whole", "first", "late", "heads")]
    assert order == sorted(order), out
    # rewrite numbers the record's lines in order
    line = f'<li><span class="where">p.&#160;{ref("az-p3")}</span> x</li>'
    out = record.rewrite(line * 2, {"az-p3": 3, "az-p3.end": 4, "az-p3#quoted1": 4})
    assert out == line.replace(ref("az-p3"), f"{ref('az-p3')}\u2013{ref('az-p3.end')}") + (
        line.replace(ref("az-p3"), ref("az-p3.end"))
    )


def test_a_place_wider_than_its_column_is_set_on_lines_of_its_own():
    """A record line citing pages that print wider than the places' column
    (less the white it keeps before its words) is stacked, broken after a
    comma where the pages are known; a narrow place stays on its line."""
    ref = '<a class="page-ref" href="#{}"></a>'.format
    cited = f"{ref('a')}, {ref('b')}, {ref('c')}, {ref('d')}"
    line = f'<li data-tf="4"><span class="where" data-pages="б.">б.&#160;{cited}</span> words</li>'
    out = record.rewrite(line, {"a": 3, "b": 15, "c": 17, "d": 19})  # б. 4, 16, 18, 20
    assert out == (
        f'<li data-tf="4" class="stacked"><span class="where" data-pages="б.">'
        f"б.&#160;{ref('a')}, {ref('b')}, {ref('c')},<br>{ref('d')}</span> "
        '<span class="what">words</span></li>'
    )
    assert record.rewrite(line, {"a": 3, "b": 4, "c": 5, "d": 6}) == line.replace(
        cited, f"{ref('a')}\u2013{ref('d')}"
    )  # б. 4–7: fits
    assert "stacked" not in record.rewrite(line, {"a": 3, "b": 5, "c": 7, "d": 8})  # б. 4, 6, 8–9
    # three pages of two figures fit the column, about 53 pt wide (two
    # typographers read "б. 4, / 16, 18" stacked in a column of 41 pt)
    three = line.replace(f", {ref('d')}", "")
    assert "stacked" not in record.rewrite(three, {"a": 3, "b": 15, "c": 17})  # б. 4, 16, 18


def test_the_page_of_a_lines_quoted_words_is_read_from_the_layout():
    """Laid out by WeasyPrint: a paragraph over two pages, words of each
    page quoted by a line of the record (a no-break space read as a space);
    a short word, or words on no page, decide nothing; one word of six
    letters or more found on one page does («зымырандар», biography-kk-en)."""
    import weasyprint

    from diglot import fonts

    words = " ".join(f"word{n}" for n in range(400))
    html = (
        f"<html><head><style>{fonts.font_face_css()}</style>"  # the fonts a build declares
        "<style>@page { size: A7 } p { hyphens: none; font-family: 'Noto Serif' }</style>"
        "</head><body>"
        f'<p><span id="en-p1"></span>first{words} closing&#160;words here'
        # the record on a page of its own: its quotes are no text of the pages cited
        '<span id="en-p1.end"></span></p><ul style="break-before: page">'
        '<li><span class="where">p.&#160;<a class="page-ref" href="#en-p1"></a></span> '
        "quotes “closing words here”</li>"
        '<li><span class="where">p.&#160;<a class="page-ref" href="#en-p1"></a></span> '
        "quotes “firstword0 word1”</li>"
        '<li><span class="where">p.&#160;<a class="page-ref" href="#en-p1"></a></span> '
        "quotes “here” and “no such words”</li>"
        '<li><span class="where">p.&#160;<a class="page-ref" href="#en-p1"></a></span> '
        "quotes “closing”</li></ul></body></html>"
    )
    document = weasyprint.HTML(string=html).render()
    page_of = record.anchor_pages(document)
    assert page_of["en-p1"] == 0 and page_of["en-p1.end"] > 0
    lines = html.split("<li>")
    one = "<li>".join([lines[0], lines[1]]) + "</ul></body></html>"
    end = page_of["en-p1.end"]
    assert record.quoted_pages(one, document, page_of) == {"en-p1#quoted0": end}
    two = "<li>".join([lines[0], lines[2]])
    assert record.quoted_pages(two, document, page_of) == {"en-p1#quoted0": 0}
    # numbered as rewrite numbers the record's lines
    both = "<li>".join(lines[:3])
    assert record.quoted_pages(both, document, page_of) == {
        "en-p1#quoted0": end,
        "en-p1#quoted1": 0,
    }
    none = "<li>".join([lines[0], lines[3]])
    assert record.quoted_pages(none, document, page_of) == {}
    word = "<li>".join([lines[0], lines[4]])
    assert record.quoted_pages(word, document, page_of) == {"en-p1#quoted0": end}


def test_a_reference_in_a_lines_text_cites_the_page_its_quoted_words_stand_on():
    """Laid out by WeasyPrint: a paragraph over two pages; a reference in
    the text of a record's line after words quoted from its second page
    points at that page (its end mark: a typographer found "(p. 24)" for
    words of a paragraph begun on p. 24 that stand on p. 26); after words
    on its first page, or words found nowhere, it stays at the first."""
    import weasyprint

    from diglot import fonts

    words = " ".join(f"word{n}" for n in range(400))
    ref = '<a class="page-ref" href="#{}"></a>'.format
    html = (
        f"<html><head><style>{fonts.font_face_css()}</style>"
        "<style>@page { size: A7 } p { hyphens: none; font-family: 'Noto Serif' }</style>"
        "</head><body>"
        f'<p><span id="en-p1"></span>first{words} closing&#160;words here'
        '<span id="en-p1.end"></span></p><p id="en-p2">other</p>'
        '<ul style="break-before: page">'
        '<li><span class="where">throughout</span> “x y” → “closing words here” '
        f"(p.&#160;{ref('en-p2')}, p.&#160;{ref('en-p1')}); “firstword0 word1” "
        f"(p.&#160;{ref('en-p1')}); “no such words” (p.&#160;{ref('en-p1')})</li>"
        "</ul></body></html>"
    )
    document = weasyprint.HTML(string=html).render()
    page_of = record.cited_pages(html, document)
    end = page_of["en-p1.end"]
    assert page_of["en-p1"] == 0 < end
    # numbered in the order of the record's references
    found = {k: v for k, v in page_of.items() if "#" in k}
    assert found == {"en-p1#inline1": end, "en-p1#inline2": 0}
    out = record.rewrite(html, page_of)
    assert out.count(ref("en-p1.end")) == 1
    assert out.index(ref("en-p1.end")) < out.index("“firstword0")
    assert out.count(ref("en-p1")) == 2 and ref("en-p2") in out
    # without the layout's word (a kept choice of an older build): as it was
    assert record.rewrite(html, {"en-p1": 0, "en-p1.end": end}) == html


def test_a_line_naming_a_date_of_one_page_of_its_paragraph_cites_that_page():
    """Laid out by WeasyPrint: a paragraph over two pages with "August 18,
    1993" on its second; a line of the record quoting nothing but naming
    that date is placed on that page (a typographer read "pp. 4–5" for
    "the letter of August 18, 1993, …", which is on p. 4); a line that
    quotes words is placed by them only (its date may be one example of
    a change made all over the paragraph)."""
    import weasyprint

    from diglot import fonts

    assert record._dates("of August\u00a018,\u2060 1993, and May 31, 1996", "en") == [
        "August 18, 1993",
        "May 31, 1996",
    ]
    # a record in the text's language: its dates as that language writes them
    assert record._dates("1993 жылғы 3 қазанда сайланды; 1990 жылғы 21 қаңтар", "kk") == [
        "1993 жылғы 3 қазанда",
        "1990 жылғы 21 қаңтар",
    ]
    assert record._dates("письмо от 18 августа 1993 года", "ru") == ["18 августа 1993 года"]
    words = " ".join(f"word{n}" for n in range(400))
    where = '<span class="where">p.&#160;<a class="page-ref" href="#en-p1"></a></span>'
    html = (
        f"<html><head><style>{fonts.font_face_css()}</style>"
        "<style>@page { size: A7 } p { hyphens: none; font-family: 'Noto Serif' }</style>"
        "</head><body>"
        f'<p><span id="en-p1"></span>first{words} the letter of August 18, 1993 here'
        '<span id="en-p1.end"></span></p><ul style="break-before: page">'
        f"<li>{where} the letter of August 18, 1993, is from him</li>"
        f"<li>{where} a comma after “August 18, 1993, from” and six more</li>"
        f"<li>{where} the letter of August 18, 1993 (“annual letters” removed)</li>"
        "</ul></body></html>"
    )
    document = weasyprint.HTML(string=html).render()
    page_of = record.anchor_pages(document)
    end = page_of["en-p1.end"]
    assert end > page_of["en-p1"] == 0
    # (a line quoting only words the change took out is placed by its date:
    # "pp. 3–4 the address of February 25, 2002", on p. 4 of genocide-en)
    assert record.quoted_pages(html, document, page_of) == {
        "en-p1#quoted0": end,
        "en-p1#quoted2": end,
    }


def _laid_out_with_record(
    body: str, items: str, language: str = "en"
) -> tuple[str, dict[str, int]]:
    """``body`` laid out by WeasyPrint on A7 pages (a paragraph of 400 words
    runs over two), then a record of ``items`` in ``language`` on a page of
    its own: the HTML and the pages record.cited_pages reads of it."""
    import weasyprint

    from diglot import fonts

    html = (
        f"<html><head><style>{fonts.font_face_css()}</style>"
        "<style>@page { size: A7 } p { hyphens: none; font-family: 'Noto Serif' }</style>"
        f"</head><body>{body}"
        f'<ul lang="{language}" style="break-before: page">{items}</ul></body></html>'
    )
    return html, record.cited_pages(html, weasyprint.HTML(string=html).render())


def test_a_line_naming_what_stands_on_one_page_of_its_paragraph_cites_that_page():
    """Laid out by WeasyPrint: a paragraph over two pages, "August 23, 1993"
    and the Talysh on its first, Fuzuli on its second. A line quoting only
    the raw text's words (on no page) and naming Fuzuli is placed on the
    second page, and so is a reference in a line's text followed by
    "Fuzuli on August 23, 1993" (the date alone had put it on the first:
    "p. 23 Fuzuli" for words on p. 25, a reader's finding). A name in
    quotation marks (a word the change took out) and a name on both pages
    decide nothing; a word on neither page is not counted."""
    assert record._names("Fuzuli fell on August 23, 1993 (raw “Президент Алиев”)", "en") == [
        "Fuzuli"
    ]
    words = " ".join(f"word{n}" for n in range(400))
    ref = '<a class="page-ref" href="#{}"></a>'.format
    where = f'<span class="where">p.&#160;{ref("en-p1")}</span>'
    html, page_of = _laid_out_with_record(
        '<p><span id="en-p1"></span>Talysh Aliyev fell on August 23, 1993, '
        f"{words} and Aliyev lost Fuzuli in the end"
        '<span id="en-p1.end"></span></p>',
        f"<li>{where} Fuzuli fell on August 23, 1993 (raw “22 тамызда”), as Wikipedia says</li>"
        f"<li>{where} Aliyev named (raw “22 тамызда”)</li>"
        f"<li>{where} “Fuzuli words” dropped</li>"
        f'<li><span class="where">throughout</span> {ref("en-p1")} Fuzuli on August 23, 1993; '
        f"{ref('en-p1')} Talysh on August 23, 1993</li>",
    )
    end = page_of["en-p1.end"]
    assert page_of["en-p1"] == 0 < end
    found = {k: v for k, v in page_of.items() if "#" in k}
    assert found == {"en-p1#quoted0": end, "en-p1#inline0": end, "en-p1#inline1": 0}
    # (a line placed on the paragraph's last page goes after those citing it whole)
    items = {
        i.split("</span> ")[-1][:6]: i for i in record.rewrite(html, page_of).split("<li>")[1:]
    }
    assert ref("en-p1.end") in items["Fuzuli"] and ref("en-p1") not in items["Fuzuli"]
    for both in ("Aliyev", "“Fuzul"):
        assert ref("en-p1") in items[both] and ref("en-p1.end") in items[both]
    line = next(i for i in items.values() if "Talysh on" in i)
    assert line.index(ref("en-p1.end")) < line.index("Fuzuli")
    assert line.index("Fuzuli") < line.index(ref("en-p1")) < line.index("Talysh")


def test_words_of_another_segment_do_not_place_a_reference():
    """Laid out by WeasyPrint: p1 over two pages, p2 after it on the second.
    A line about p2 quotes p2's words and then refers to p1 ("the order used
    in p3"): the words stand on p1's second page, but not in p1, so the
    reference stays at p1's first page (genocide-az-ru-facing sent it to the
    page of the quoted words, a reader's finding); words of p1 on its
    second page still place it there."""
    words = " ".join(f"word{n}" for n in range(400))
    ref = '<a class="page-ref" href="#{}"></a>'.format
    _, page_of = _laid_out_with_record(
        f'<p><span id="en-p1"></span>first{words} last&#160;words of one'
        '<span id="en-p1.end"></span></p>'
        '<p><span id="en-p2"></span>quoted words of two<span id="en-p2.end"></span></p>',
        f'<li><span class="where">p.&#160;{ref("en-p2")}</span> “quoted words of two”, '
        f"the order used in {ref('en-p1')}; “last words of one” ({ref('en-p1')})</li>",
    )
    end = page_of["en-p1.end"]
    assert page_of["en-p1"] == 0 < end == page_of["en-p2"]
    assert {k: v for k, v in page_of.items() if "#inline" in k} == {"en-p1#inline1": end}


def test_the_record_is_rewritten_only_where_it_cites_pages():
    html = (
        '<p>x <a class="page-ref" href="#a"></a><a class="page-ref" href="#b"></a></p>'
        '<span class="where">p.&#160;<a class="page-ref" href="#a"></a>, '
        '<a class="page-ref" href="#b"></a></span>'
    )
    out = record.rewrite(html, {"a": 2, "b": 2})
    assert out.startswith(html[: html.index("<span")])
    assert out.endswith('<span class="where">p.&#160;<a class="page-ref" href="#a"></a></span>')


class _Anchored:
    """A laid-out document as record.anchor_pages reads it: anchors by page."""

    def __init__(self, *pages: tuple[str, ...]) -> None:
        self.pages = [type("Page", (), {"anchors": dict.fromkeys(p, (0, 0))})() for p in pages]


_RECORD = (
    '<li><span class="where">p.&#160;<a class="page-ref" href="#a"></a>, '
    '<a class="page-ref" href="#b"></a></span> two</li>'
    '<li><span class="where">p.&#160;<a class="page-ref" href="#c"></a></span> one</li>'
)


def test_the_pages_of_every_cited_anchor_and_its_segments_end_are_kept():
    laid = _Anchored(("a", "c"), ("c.end",), ("b", "x"))
    assert record.anchor_pages(laid) == {"a": 0, "c": 0, "c.end": 1, "b": 2, "x": 2}
    assert record.cited_pages(_RECORD, laid) == {"a": 0, "b": 2, "c": 0, "c.end": 1}
    assert record.cited_pages(_RECORD, _Anchored(("a",))) == {"a": 0}  # b not laid out
    # what the kept pages make of the record is what the layout makes of it
    pages = record.cited_pages(_RECORD, _Anchored(("a", "b")))
    assert record.rewrite(_RECORD, pages) == record.rewrite(
        _RECORD, record.anchor_pages(_Anchored(("a", "b", "c")))
    )
    assert record.rewrite(_RECORD, pages) != _RECORD


def test_the_kept_pages_of_the_record_are_read_back_only_in_their_own_shape():
    words = frozenset({"Heydər"})
    data = record.choice_data({"b": 2, "a": 0}, words)
    assert data == [[("a", 0), ("b", 2)], ["Heydər"]]
    assert record.read_choice(json.loads(json.dumps(data))) == ({"a": 0, "b": 2}, words)
    assert record.read_choice([[], []]) == ({}, frozenset())
    for bad in (
        [[["a", -1]], []],
        [[["a", True]], []],
        [[["a", "2"]], []],
        [[["a", 100_000]], []],
        [[["", 2]], []],
        [[["a" * 1001, 2]], []],
        [[[7, 2]], []],
        [[["a", 2, 3]], []],
        [["a"], []],
        [[["a", 2]], ["two words"]],
        [[["a", 2]], "Heydər"],
        [{"a": 2}, []],
        [[["a", 2]]],
        {"pages": {}},
    ):
        assert record.read_choice(bad) is None, bad
    assert record.read_choice([[["a", 99_999]], []]) == ({"a": 99_999}, frozenset())


def _document(pages: int):
    import weasyprint

    body = "".join(f'<p style="break-after: page">{n}</p>' for n in range(1, pages)) + "<p>end</p>"
    html = f"<html><head><style>@page {{ size: A6 }}</style></head><body>{body}</body></html>"
    return weasyprint.HTML(string=html).render()


class _Laid:
    def __init__(self, pages: int) -> None:
        self.pages = list(range(pages))


_HTML = (
    '<html><body><section class="cover"></section>'
    '<section class="colophon" id="colophon" lang="en"><h2>About</h2></section>\n'
    "<main>text</main></body></html>"
)


@pytest.mark.parametrize(
    ("pages", "after", "moved"),
    [
        (9, 9, True),  # three to spare: the colophon goes last, pages kept
        (10, 10, True),
        (11, 11, True),
        (9, 10, False),  # the move would add a page: kept where it was
        (9, 8, False),
        (8, None, False),  # a multiple of four: nothing to fill
        (3, None, False),  # too short to be a booklet worth moving
    ],
)
def test_the_colophon_moves_to_the_end_only_to_fill_blank_pages(pages, after, moved):
    given: list[str] = []

    def lay_out(html: str) -> _Laid:
        given.append(html)
        return _Laid(after or 0)

    html, laid, where = endpages.fill(_HTML, _Laid(pages), lay_out)
    assert where == (endpages.LAST if moved else endpages.BACK_OF_COVER)
    assert len(given) == (0 if after is None else 1)
    if given:
        assert given[0].index("<main>") < given[0].index('class="colophon colophon-last"')
        assert given[0].endswith("</section>\n</body></html>")
    assert (html, len(laid.pages)) == ((given[0], after) if moved else (_HTML, pages))


def test_a_page_without_a_colophon_or_a_body_end_is_left_alone():
    calls: list[str] = []
    for html in (_HTML.replace('class="colophon"', 'class="other"'), _HTML.replace("</body>", "")):
        out, laid, where = endpages.fill(html, _Laid(9), lambda h: calls.append(h) or _Laid(9))
        assert (out, len(laid.pages), where) == (html, 9, endpages.BACK_OF_COVER)
    assert calls == []


class _Page:
    def __init__(self, *anchors: str) -> None:
        self.anchors = dict.fromkeys(anchors, (0, 0))


class _Pages:
    """A layout whose pages hold the given anchors (ids)."""

    def __init__(self, *pages: tuple[str, ...]) -> None:
        self.pages = [_Page(*anchors) for anchors in pages]


_WITH_CONTENTS = _HTML.replace(
    "<main>", '<nav class="contents" id="contents" lang="en"><ul></ul></nav>\n<main>'
)


def _layouts(*results: _Pages):
    """A lay_out that returns ``results`` in turn and keeps what it was given."""
    given: list[str] = []
    left = list(results)

    def lay_out(html: str) -> _Pages:
        given.append(html)
        return left.pop(0)

    return given, lay_out


def test_with_three_pages_to_spare_the_colophon_goes_under_the_contents():
    # 9 pages -> 8: the booklet needs no blank page at all
    shared = _Pages(("cover",), ("contents", "colophon"), *[("text",)] * 6)
    given, lay_out = _layouts(shared)
    html, laid, where = endpages.fill(_WITH_CONTENTS, _Pages(*[()] * 9), lay_out)
    assert (where, laid, html) == (endpages.WITH_CONTENTS, shared, given[0])
    assert len(given) == 1
    # the colophon left the back of the cover for the contents' page, after it
    assert html.count('id="colophon"') == 1
    assert (
        html.index('class="contents contents-shared"')
        < html.index('class="colophon colophon-shared"')
        < html.index("<main>")
    )


@pytest.mark.parametrize(
    "shared",
    [
        # the colophon runs on to the next page: contents and colophon do not fit
        _Pages(("cover",), ("contents", "colophon"), ("colophon",), *[("text",)] * 5),
        _Pages(("cover",), ("contents",), ("colophon",), *[("text",)] * 5),
        # a page more, not less
        _Pages(("cover",), ("contents", "colophon"), *[("text",)] * 8),
    ],
)
def test_the_colophon_shares_the_contents_page_only_when_both_fit_and_a_page_is_saved(shared):
    last = _Pages(*[()] * 9)
    given, lay_out = _layouts(shared, last)
    html, laid, where = endpages.fill(_WITH_CONTENTS, _Pages(*[()] * 9), lay_out)
    assert (where, laid, html) == (endpages.LAST, last, given[1])
    assert 'class="colophon colophon-last"' in html and "contents-shared" not in html


@pytest.mark.parametrize("pages", [8, 10, 11])
def test_with_fewer_to_spare_the_colophon_goes_under_the_contents_too(pages):
    """No sheet saved, but the back of the cover stays clean and a series'
    booklets keep their colophon in one place: page 2, under the contents."""
    shared = _Pages(("cover",), ("contents", "colophon"), *[("text",)] * (pages - 3))
    given, lay_out = _layouts(shared)
    html, _laid, where = endpages.fill(_WITH_CONTENTS, _Pages(*[()] * pages), lay_out)
    assert where == endpages.WITH_CONTENTS and len(given) == 1 and "colophon-shared" in html


def _cell(lang: str, *heights: int, extra: str = "") -> str:
    blocks = "".join(f'<div style="height: {h}px"></div>' for h in heights)
    return f'<div class="cell" lang="{lang}">{blocks}{extra}</div>'


def test_cell_heights_add_up_each_columns_text_over_the_pages_a_row_spans():
    """What diglot.rows measures in the first layout: for each segment's row,
    the height of each language's text (a float beside it not counted), the
    parts of a row that runs over a page added up; a cell of another
    language or outside a segment's row is not counted."""
    import weasyprint

    side = '<div style="float: left; width: 10px; height: 200px"></div>'
    html = (
        "<html><style>@page { size: A6; margin: 10mm } body { font: 10pt 'Noto Serif' } "
        ".parallel { display: table; width: 100%; table-layout: fixed } "
        ".row { display: table-row } .cell { display: table-cell; vertical-align: top }"
        "</style><body><div class='parallel'>"
        f'<div class="row" data-segment="a">{_cell("az", 100)}{_cell("en", 40, extra=side)}</div>'
        f'<div class="row" data-segment="b">{_cell("az", 30, 20)}{_cell("en", 60)}</div>'
        f'<div class="row" data-segment="c">{_cell("az", 300, 300)}{_cell("fr", 10)}</div>'
        f'<div class="other" data-segment="d">{_cell("az", 50)}{_cell("en", 50)}</div>'
        "</div></body></html>"
    )
    document = weasyprint.HTML(string=html).render()
    assert len(document.pages) >= 2  # c runs over the page
    heights, line = rows.cell_heights(document, ["az", "en"])
    assert {k: [round(v, 1) for v in h] for k, h in heights.items()} == {
        "a": [100.0, 40.0],
        "b": [50.0, 60.0],
        "c": [600.0, 0.0],
    }
    assert line == pytest.approx(10 * 4 / 3 * rows.LINE_HEIGHT)


def test_a_quick_look_at_the_front_matter_spares_a_whole_layout_that_would_not_fit():
    """With a probe (one quick layout), the edition is laid out with the
    colophon under the contents only when they fit one page laid out
    alone; the probe sees the front matter and stubs for the text's ids."""
    probed: list[str] = []

    def probe(fits: bool):
        def look(html: str) -> _Pages:
            probed.append(html)
            return (
                _Pages(("contents", "colophon")) if fits else _Pages(("contents",), ("colophon",))
            )

        return look

    shared = _Pages(("cover",), ("contents", "colophon"), *[("text",)] * 6)
    given, lay_out = _layouts(shared)
    *_, where = endpages.fill(_WITH_CONTENTS, _Pages(*[()] * 9), lay_out, probe(True))
    assert where == endpages.WITH_CONTENTS and len(given) == 1
    last = _Pages(*[()] * 9)
    given, lay_out = _layouts(last)
    *_, where = endpages.fill(_WITH_CONTENTS, _Pages(*[()] * 9), lay_out, probe(False))
    assert where == endpages.LAST and len(given) == 1 and "colophon-last" in given[0]
    assert len(probed) == 2 and "text" not in probed[0] and "colophon-shared" in probed[0]


def test_the_front_matter_alone_keeps_the_ids_it_refers_to():
    html = (
        '<html><body><nav class="contents contents-shared" id="contents">'
        '<a class="page-ref" href="#az-intro"></a><a class="page-ref" href="#notes"></a></nav>'
        '<section class="colophon" id="colophon"><a href="#notes"></a></section>'
        '<main class="body"><p id="az-intro">Long text</p></main>'
        '<section class="notes" id="notes">notes</section></body></html>'
    )
    front = endpages.front_matter(html)
    assert front.startswith(html[: html.index("<main")])
    assert front.endswith(
        '<main><div id="az-intro"></div><div id="notes"></div></main></body></html>'
    )
    assert "Long text" not in front and endpages.front_matter("<p>x</p>") == "<p>x</p>"


def test_a_kept_row_plan_is_read_back_only_as_numbers_for_known_rows():
    plan = (frozenset({"b"}), {"a": (0.0, 40.0)})
    data = rows.plan_data(plan)
    assert rows.plan_of(json.loads(json.dumps(data)), {"a", "b"}) == (plan, None, {})
    sized = rows.plan_data(plan, (52.8, 47.2))
    assert rows.plan_of(json.loads(json.dumps(sized)), {"a", "b"}) == (plan, (52.8, 47.2), {})
    for columns in (["52.8%", 47.2], [80, 20], [52.8], [True, 47.2], "52.8"):
        assert rows.plan_of({**data, "columns": columns}, {"a", "b"}) is None, columns
    # the lines a paragraph is set in: a whole number of them, for a block
    # of a cell of this edition
    cells = frozenset({"az-a", "en-a"})
    given = rows.plan_data(plan, None, {"en-a/0": 12})
    assert rows.plan_of(json.loads(json.dumps(given)), {"a", "b"}, cells) == (
        plan,
        None,
        {"en-a/0": 12},
    )
    for lines in (
        {"en-z/0": 12},  # not a cell of this edition
        {"en-a": 12},
        {"en-a/x": 12},
        {"en-a/0": "12"},
        {"en-a/0": 0},
        {"en-a/0": 1.5},
        {"en-a/0": True},
        {"en-a/0": rows.MAX_LINES + 1},
        [],
    ):
        assert rows.plan_of({**given, "lines": lines}, {"a", "b"}, cells) is None, lines
    bad = [
        {"joined": ["b"], "spread": {"a": ["0; background: url(x)", 1]}},  # text into CSS
        {"joined": ["b"], "spread": {"a": [-1, 0]}},
        {"joined": ["b"], "spread": {"a": [0, rows.MAX_SPREAD_PX * 2]}},
        {"joined": ["b"], "spread": {"a": [True, 0]}},
        {"joined": ["b"], "spread": {"a": [0]}},
        {"joined": ["z"], "spread": {}},  # not a row of this edition
        {"joined": "b", "spread": {}},
        {"joined": [], "spread": {}, "more": 1},
    ]
    assert rows.plan_of([], {"a", "b"}) is None
    assert rows.plan_of({"joined": [], "spread": {}}, {"a", "b"}) is None  # no columns
    for data in bad:
        assert rows.plan_of({"columns": None, "lines": {}, **data}, {"a", "b"}) is None, data


def test_where_the_colophon_went_is_read_back_only_in_its_own_shape():
    words = frozenset({"Heydər", "Xocalı"})
    data = endpages.choice_data(endpages.LAST, 16, words)
    assert endpages.read_choice(json.loads(json.dumps(data))) == (endpages.LAST, 16, words)
    for bad in (
        ["elsewhere", 16, []],
        [endpages.LAST, 0, []],
        [endpages.LAST, True, []],
        [endpages.LAST, "16", []],
        [endpages.LAST, 16, ["two words"]],
        [endpages.LAST, 16, [7]],
        [endpages.LAST, 16],
        {"where": endpages.LAST},
    ):
        assert endpages.read_choice(bad) is None, bad


def test_the_colophon_is_arranged_under_the_contents_or_last_only_where_it_can_be():
    last = endpages.arrange(_WITH_CONTENTS, endpages.LAST)
    assert last is not None and last.index("<main>") < last.index("colophon-last")
    shared = endpages.arrange(_WITH_CONTENTS, endpages.WITH_CONTENTS)
    assert shared is not None
    assert (
        shared.index("contents-shared") < shared.index("colophon-shared") < shared.index("<main>")
    )
    assert endpages.arrange(_HTML, endpages.WITH_CONTENTS) is None  # no contents
    assert endpages.arrange(_WITH_CONTENTS, endpages.BACK_OF_COVER) is None
    assert endpages.arrange(_HTML.replace("</body>", ""), endpages.LAST) is None


def test_columns_are_sized_to_the_languages_only_when_one_is_much_longer():
    """Kazakh 12 % longer than English over the whole edition
    (biography-kk-en): each column as wide as its text is long, so that
    the rows end nearly level; under 8 % the columns stay equal; never
    more than 56 % of the width to one."""
    assert rows.column_shares({"a": [915.0, 818.0]}) == (52.8, 47.2)
    assert rows.column_shares({"a": [500.0, 400.0], "b": [415.0, 418.0]}) == (52.8, 47.2)
    assert rows.column_shares({"a": [818.0, 915.0]}) == (47.2, 52.8)
    assert rows.column_shares({"a": [107.0, 100.0]}) is None  # 7 % longer: equal
    assert rows.column_shares({"a": [108.0, 100.0]}) == (51.9, 48.1)
    assert rows.column_shares({"a": [300.0, 100.0]}) == (56.0, 44.0)  # at most 56 %
    assert rows.column_shares({"a": [100.0, 300.0]}) == (44.0, 56.0)
    # rows not in both columns (a heading cell, a missing translation) do not count
    assert rows.column_shares({"a": [100.0, 100.0], "h": [50.0]}) is None
    assert rows.column_shares({}) is None and rows.column_shares({"a": [0.0, 10.0]}) is None


@pytest.mark.parametrize(("after", "where"), [(8, endpages.LAST), (9, endpages.BACK_OF_COVER)])
def test_with_no_page_to_spare_the_colophon_goes_last_so_the_text_opens_on_a_recto(after, where):
    """Cover, colophon and contents would open the text on page 4, a
    left-hand page: when contents and colophon do not fit one page, with
    the colophon last (the page count kept) the contents backs the cover
    and the text opens on page 3. (Its page of its own is then the last,
    the outside of the back cover: the colophon is tried under the end
    matter too, which saves no page here.)"""
    apart = _Pages(("cover",), ("contents",), ("colophon",), *[("text",)] * 5)
    laid = _Pages(*[()] * after)
    given, lay_out = _layouts(apart, laid, laid)
    html, _laid, found = endpages.fill(_WITH_CONTENTS, _Pages(*[()] * 8), lay_out)
    assert found == where and "colophon-last" in given[1]
    assert [g.count("colophon-after") for g in given[2:]] == ([1] if after == 8 else [])
    assert (html == given[1]) == (where == endpages.LAST)


def _lines(n: int) -> str:
    """``n`` paragraphs of one short line each."""
    return "".join(f"<p>line {i}</p>" for i in range(n))


def _side_by_side(first: str, second: str, spread_px: float = 0.0) -> str:
    """Two rows side by side on pages of 8 lines, as the booklet layout makes them:
    row a's columns hold ``first`` and ``second`` lines, then row b, then
    (with ``spread_px``) a group whose first column shares white under c."""
    import weasyprint  # noqa: F401  (the caller lays it out)

    spread = (
        f'<div class="row row-group" data-segment="c"><div class="cell">{_lines(3)}'
        f'<div class="spread" data-spread="c-0" style="height: {spread_px}px"></div>'
        f'{_lines(2)}</div><div class="cell">{_lines(5)}</div></div>'
        if spread_px
        else ""
    )
    return (
        "<html><head><style>@page { size: 300px 120px; margin: 0 }"
        " body { margin: 0; font-size: 10px; line-height: 15px } p { margin: 0 }"
        " .parallel { display: table; width: 100% } .row { display: table-row }"
        " .cell { display: table-cell; vertical-align: top }</style></head><body>"
        '<div class="parallel">'
        f'<div class="row" data-segment="a"><div class="cell">{_lines(first)}</div>'
        f'<div class="cell">{_lines(second)}</div></div>'
        f'<div class="row" data-segment="b"><div class="cell">{_lines(2)}</div>'
        f'<div class="cell">{_lines(2)}</div></div>'
        f"{spread}</div></body></html>"
    )


def test_white_at_the_top_of_a_column_is_found_on_the_laid_out_pages():
    import weasyprint

    # a page holds 8 lines of 15 px: row a's first column ends at the foot
    # of page 1, its second runs on over page 2; the white above b's first
    # column there stays (b starts level with its translation)
    laid = weasyprint.HTML(string=_side_by_side(8, 10)).render()
    assert len(laid.pages) == 2
    assert not rows.white_at_top(laid)
    # both columns run on: no white at the top
    laid = weasyprint.HTML(string=_side_by_side(10, 10)).render()
    assert not rows.white_at_top(laid)
    # everything on one page
    assert not rows.white_at_top(weasyprint.HTML(string=_side_by_side(2, 3)).render())
    # the white under c falls to the top of page 2
    laid = weasyprint.HTML(string=_side_by_side(2, 2, spread_px=40)).render()
    assert rows.white_at_top(laid) == {"c-0"}
    html = _side_by_side(2, 2, spread_px=40)
    assert 'data-spread="c-0"' not in rows.drop_spreads(html, frozenset({"c-0"}))
    assert rows.drop_spreads(html, frozenset({"c-1"})) == html


def test_the_white_left_out_is_read_back_only_in_its_own_shape():
    top = frozenset({"p19-1"})
    words = frozenset({"Heydər"})
    data = json.loads(json.dumps(rows.tops_data(top, frozenset(), words)))
    assert data == [["p19-1"], [], ["Heydər"]]
    assert rows.read_tops(data) == (top, frozenset(), words)
    for bad in (
        [["p3"], []],
        [[["p3"]], [], []],
        [["p3", 7], [], []],
        [[""], [], []],
        [["x" * 301], [], []],
        [["p3"], [], ["two words"]],
        [["p3"], [], "Heydər"],
        [["p3"], "p4", []],
        {"rows": ["p3"]},
    ):
        assert rows.read_tops(bad) is None, bad


def test_pages_opening_with_a_heading_lose_their_running_head_only():
    import weasyprint

    from diglot import weasy

    html = (
        "<html><head><style>@page { size: 300px 120px; margin: 20px 0 0;"
        " @top-left { content: 'Head' } } body { margin: 0; font-size: 10px;"
        " line-height: 15px } p, h2 { margin: 0; font-size: 10px }"
        " .row { break-inside: auto }</style></head><body>"
        f'<div class="row row-heading level-2"><h2>One</h2></div><div class="row">{_lines(5)}</div>'
        f'<div class="row">{_lines(5)}</div>'  # runs over onto page 2
        f'<div class="row row-heading level-2" style="break-before: page"><h2>Two</h2></div>'
        f'<div class="row row-heading level-3" style="break-before: page"><h2>2.1</h2></div>'
        f'<div class="row">{_lines(1)}</div>'
        f'<section class="notes" style="break-before: page"><h2>Notes</h2>{_lines(1)}</section>'
        f'<div class="row row-heading level-3" style="break-before: page"><h3>The Head</h3></div>'
        f'<div class="row">{_lines(1)}</div>'
        "</body></html>"
    )
    laid = weasyprint.HTML(string=html).render()
    assert len(laid.pages) == 6
    # pages 1 and 3 open with a section's heading, 5 with the notes' heading;
    # page 2 with text, page 4 with a heading of level 3; page 6 with one of
    # level 3 that says the running head's words (a poem's title)
    assert rows.opening_pages(laid) == [0, 2, 4, 5]
    assert weasy.clear_running_head(laid.pages[0])
    assert not weasy.clear_running_head(laid.pages[0])  # gone
    pdf = laid.write_pdf()
    import io

    from pypdf import PdfReader

    texts = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert "Head" not in texts[0] and "Head" in texts[1]


def test_an_empty_column_sizes_no_columns():
    assert rows.column_shares({"a": [0.0, 100.0]}) is None
    assert rows.column_shares({"a": [100.0, 0.0]}) is None
    assert rows.column_shares({"a": [100.0, 100.0]}) is None
    assert rows.column_shares({"a": [120.0, 100.0]}) == (54.5, 45.5)


def test_a_page_opening_with_text_outside_a_row_is_no_opening_page():
    import weasyprint

    html = (
        "<html><head><style>@page { size: 300px 120px; margin: 20px 0 0 }"
        " body { margin: 0; font-size: 10px; line-height: 15px } p, h1 { margin: 0 }"
        "</style></head><body><h1>Title</h1><p>text</p>"
        '<section class="notes" style="break-before: page"><p>a note</p></section>'
        '<section style="break-before: page"><h1>Again</h1></section></body></html>'
    )
    laid = weasyprint.HTML(string=html).render()
    assert len(laid.pages) == 3
    assert rows.opening_pages(laid) == [0, 2]


def test_a_line_citing_one_page_is_kept_whole_beside_one_rewritten():
    html = (
        '<li><span class="where">p.&#160;<a class="page-ref" href="#c"></a></span> one</li>'
        '<li><span class="where">p.&#160;<a class="page-ref" href="#a"></a>, '
        '<a class="page-ref" href="#b"></a></span> two</li>'
    )
    assert record.rewrite(html, {"a": 5, "b": 5, "c": 2}) == (
        '<li><span class="where">p.&#160;<a class="page-ref" href="#c"></a></span> one</li>'
        '<li><span class="where">p.&#160;<a class="page-ref" href="#a"></a></span> two</li>'
    )


def test_record_pages_are_laid_out_again_only_when_the_references_change():
    laid_again: list[str] = []
    again = _Anchored(("a", "b", "c"))

    def lay_out(html: str) -> _Anchored:
        laid_again.append(html)
        return again

    one_page = _Anchored(("a", "b", "c"))
    assert record.cite_pages(_RECORD, one_page, lay_out) == (
        record.rewrite(_RECORD, {"a": 0, "b": 0, "c": 0}),
        again,
    )
    # pages 1 and 3, and 3: nothing to join, the lines in page order
    apart = _Anchored(("a",), (), ("b", "c"))
    assert record.cite_pages(_RECORD, apart, lay_out) == (_RECORD, apart)
    assert record.cite_pages("<p>no record</p>", one_page, lay_out) == (
        "<p>no record</p>",
        one_page,
    )
    assert laid_again == [record.rewrite(_RECORD, {"a": 0, "b": 0, "c": 0})]


def test_a_kept_anchor_may_be_as_long_as_the_limit():
    longest = "a" * record.MAX_ANCHOR
    assert record.read_choice([[[longest, 3]], []]) == ({longest: 3}, frozenset())
    assert record.read_choice([[[longest + "a", 3]], []]) is None
    assert record.read_choice([[["", 3]], []]) is None


def test_a_kept_colophon_choice_may_name_a_one_page_booklet():
    assert endpages.read_choice([endpages.BACK_OF_COVER, 1, []]) == (
        endpages.BACK_OF_COVER,
        1,
        frozenset(),
    )


def test_front_matter_of_html_opening_with_its_text_is_the_empty_text():
    assert endpages.front_matter("<main><p>text</p></main>") == "<main></main></body></html>"


def test_kept_names_of_white_at_the_top_may_be_one_to_three_hundred_characters():
    for name in ("p", "x" * 300):
        data = [[name], [], []]
        assert rows.read_tops(data) == ({name}, frozenset(), frozenset())


def _poem_cell(lang: str, *numbers: int) -> rows.Cell:
    from diglot import blocks

    lines = tuple(
        blocks.VerseLine((blocks.Text(f"{lang} {n}"),) if n else (), 0, n, n) for n in numbers
    )
    return rows.Cell(lang, f"{lang}-s", "s", False, (blocks.Verse(lines, 1),), (), None)


def test_a_poem_in_every_column_is_given_line_by_line():
    """A row whose cells are each one poem of the same lines and stanza
    breaks is set a row per line and per stanza break
    (layouts/_parts.html.j2): each line's pair of poems, so that a line
    turning over leaves white opposite and the next lines stay level; any
    other row is set whole."""
    from diglot import blocks

    row = rows.Row(
        "s", False, 0, (_poem_cell("ru", 1, 2, 0, 3), _poem_cell("en", 1, 2, 0, 3)), "ru-s"
    )
    lines = row.verse_lines()
    assert lines is not None and len(lines) == 4
    assert [[[blocks.plain(v.content) for v in p.lines] for p in pair] for pair in lines] == [
        [["ru 1"], ["en 1"]],
        [["ru 2"], ["en 2"]],
        [[""], [""]],
        [["ru 3"], ["en 3"]],
    ]
    assert all(isinstance(v, blocks.Verse) for pair in lines for v in pair)
    other = _poem_cell("en", 1, 0, 2, 3)  # its stanza break elsewhere
    assert (
        rows.Row("s", False, 0, (_poem_cell("ru", 1, 2, 0, 3), other), "ru-s").verse_lines() is None
    )
    assert rows.Row("s", False, 0, (_poem_cell("ru", 1, 2), None), "ru-s").verse_lines() is None
    prose = rows.Cell("en", "en-s", "s", False, (blocks.Paragraph.of_text("x", 1),), (), None)
    assert rows.Row("s", False, 0, (_poem_cell("ru", 1), prose), "ru-s").verse_lines() is None


def test_a_short_stanza_stays_on_a_page_and_a_long_one_keeps_two_lines_each_side():
    """sail-ru-en split its second stanza two lines and two over pp. 3-4. A
    stanza of up to WHOLE_STANZA lines is kept on one page, with the break
    after it; in a longer one a page may not break after its first or its
    last but one line, nor between its last line and the break after it."""
    from diglot import blocks

    numbers = (1, 2, 3, 4, 0, *range(5, 13))
    row = rows.Row("s", False, 0, (_poem_cell("ru", *numbers), _poem_cell("en", *numbers)), "s")
    keeps = row.verse_keeps()
    assert len(keeps) == len(row.verse_lines() or ())
    assert keeps == [True] * 4 + [False] + [True] + [False] * 5 + [True, False]
    assert [len(pair[0].lines) for pair in row.verse_lines() or ()] == [1] * 13
    assert rows.WHOLE_STANZA == 6
    six = rows.Row(
        "s", False, 0, (_poem_cell("ru", *range(1, 7)), _poem_cell("en", *range(1, 7))), "s"
    )
    assert six.verse_keeps() == [True] * 5 + [False]
    seven = range(1, 8)
    row = rows.Row("s", False, 0, (_poem_cell("ru", *seven), _poem_cell("en", *seven)), "s")
    assert row.verse_keeps() == [True, False, False, False, False, True, False]
    broken = (1, 2, 3, 4, 5, 6, 7, 0, 8)  # a long stanza, its break, a short one
    row = rows.Row("s", False, 0, (_poem_cell("ru", *broken), _poem_cell("en", *broken)), "s")
    assert row.verse_keeps() == [True, False, False, False, False, True, True, False, False]
    lines = row.verse_lines() or ()
    assert [blocks.plain(pair[1].lines[0].content) for pair in lines][-2:] == ["", "en 8"]


def test_a_short_poem_over_several_segments_is_kept_on_one_page():
    """The Sail's twelve lines come as three segments of a stanza each:
    each segment but the last keeps with the next (rows.WHOLE_POEM); a
    longer run, a lone segment and prose between two poems keep nothing."""
    from diglot import blocks

    def poem(ident: str, *numbers: int) -> list[rows.Row]:
        cells = (_poem_cell("ru", *numbers), _poem_cell("en", *numbers))
        return [rows.Row(ident, False, 0, cells, ident)]

    prose = rows.Cell("en", "en-p", "p", False, (blocks.Paragraph.of_text("x", 1),), (), None)
    between = [rows.Row("p", False, 0, (prose, prose), "p")]
    sail = [poem("s1", 1, 2, 3, 4), poem("s2", 5, 6, 7, 8), poem("s3", 9, 10, 11, 12)]
    assert rows.poems_kept(sail) == {"s1", "s2"}
    assert rows.poems_kept([*sail, between, poem("t", 1, 2)]) == {"s1", "s2"}
    long = [poem(f"l{i}", *range(4 * i + 1, 4 * i + 5)) for i in range(5)]  # 20 lines
    assert rows.poems_kept(long) == frozenset()
    assert rows.poems_kept([poem("a", 1, 2), between, poem("b", 1, 2)]) == frozenset()


def test_a_facing_edition_cites_one_languages_pages_and_not_the_page_between():
    """Facing, each language is on every other page: a paragraph on pp. 4
    and 6 is cited "4, 6" ("4–6" took in the other language's p. 5, as a
    typographer found in both genocide facing editions); pages 4, 6 and 8
    in a run are "4–8"; pages of a line's segments two apart join so too."""
    ref = '<a class="page-ref" href="#{}"></a>'.format
    where = {"az-p3": 3, "az-p3.end": 5, "az-p7": 7, "az-p7.end": 7}
    assert record.cite(["az-p3"], where, step=2) == f"{ref('az-p3')}, {ref('az-p3.end')}"
    assert record.cite(["az-p3"], where) == f"{ref('az-p3')}–{ref('az-p3.end')}"
    assert record.cite(["az-p3", "az-p7"], where, step=2) == f"{ref('az-p3')}–{ref('az-p7')}"
    assert record.ranges([3, 5, 9], step=2) == [(3, 5), (9, 9)]
    page = '<span class="where">p.&#160;' + ref("az-p3") + "</span>"
    facing = '<div class="side verso"></div>' + page
    assert record.rewrite(facing, where).endswith(
        f'<span class="where">p.&#160;{ref("az-p3")}, {ref("az-p3.end")}</span>'
    )
    assert f"{ref('az-p3')}–{ref('az-p3.end')}" in record.rewrite(page, where)


def _poem_row(ident: str, ru: list[str], en: list[str]) -> list[rows.Row]:
    from diglot import blocks

    def cell(lang: str, texts: list[str]) -> rows.Cell:
        lines = tuple(
            blocks.VerseLine((blocks.Text(t),), 0, n, n) for n, t in enumerate(texts, start=1)
        )
        return rows.Cell(lang, f"{lang}-{ident}", ident, False, (blocks.Verse(lines, 1),), (), None)

    return [rows.Row(ident, False, 0, (cell("ru", ru), cell("en", en)), f"ru-{ident}")]


def test_a_poem_whose_lines_would_turn_over_gets_columns_of_its_own():
    """A kept poem (a table of its own) whose longest English line is wider
    than half the text gets columns as wide as each language's longest
    line, and is set smaller only as far as it must (at least
    VERSE_SMALLEST of the text); lines that fit keep the text's columns,
    and a poem that would need to be set smaller still keeps its
    turnovers. Widths are the face's advance widths, in ems."""
    from diglot.linebreak import advance_em

    ru = ["Белеет парус одинокой", "Под ним струя светлей лазури,"]
    en = ["A lonely sail is gleaming white", "Beneath it, a stream brighter than azure,"]
    poem = [_poem_row("s1", ru[:1], en[:1]), _poem_row("s2", ru[1:], en[1:])]
    kept = rows.poems_kept(poem)
    assert kept == {"s1"}
    wide = advance_em(en[1], "Noto Serif")
    narrow = advance_em(ru[1], "Noto Serif")
    # a text as wide as both lines and their padding: columns of their own, full size
    width = (wide + narrow + 2 * rows.CELL_PAD_EM) / rows.VERSE_SPARE + 1
    ((ident, (first, second, scale)),) = rows.poem_fit(poem, kept, None, width).items()
    assert ident == "s1" and scale == 1.0 and first + second == pytest.approx(100.0)
    assert first / 100 * width - rows.CELL_PAD_EM >= narrow
    assert second / 100 * width - rows.CELL_PAD_EM >= wide
    # narrower: set smaller, as little as it takes
    width = (wide + narrow + 2 * rows.CELL_PAD_EM) * 0.96
    ((_, (first, second, scale)),) = rows.poem_fit(poem, kept, None, width).items()
    assert rows.VERSE_SMALLEST <= scale < 0.97
    assert second / 100 * width >= scale * (wide + rows.CELL_PAD_EM)
    # too narrow even so: left as it is; wide enough at equal columns: too
    assert rows.poem_fit(poem, kept, None, (wide + narrow) * 0.8) == {}
    assert rows.poem_fit(poem, kept, None, 2 * (wide + rows.CELL_PAD_EM) + 1) == {}
    # three columns: left to the layout's own shares
    three = [[rows.Row(r[0].id, False, 0, (*r[0].cells, r[0].cells[1]), r[0].anchor)] for r in poem]
    assert rows.poem_fit(three, rows.poems_kept(three), None, width) == {}
    # no width known (a handout, whose columns are wide): as it is
    assert rows.poem_fit(poem, kept, (50.0, 50.0), None) == {}


def test_a_heading_just_before_a_kept_poem_opens_the_poems_table():
    """The heading right before a kept poem's first row goes into the
    poem's table (its columns, its keep); a heading before prose or a lone
    poem, or one further back, does not."""
    from diglot import blocks

    def heading(ident: str) -> list[rows.Row]:
        cell = rows.Cell("en", f"en-{ident}", ident, False, (), (), None)
        return [rows.Row(ident, True, 3, (cell, cell), ident)]

    prose = rows.Cell("en", "en-p", "p", False, (blocks.Paragraph.of_text("x", 1),), (), None)
    between = [rows.Row("p", False, 0, (prose, prose), "p")]
    poem = [_poem_row("s1", ["a"], ["b"]), _poem_row("s2", ["c"], ["d"])]
    groups = [heading("h0"), heading("title"), *poem, heading("h2"), between]
    assert rows.poem_heads(groups, rows.poems_kept(groups)) == {"title": "s1"}
    assert rows.poem_heads([heading("t"), between, *poem], rows.poems_kept(poem)) == {}
    lone = [heading("t"), _poem_row("s", ["a"], ["b"])]
    assert rows.poem_heads(lone, rows.poems_kept(lone)) == {}


def test_a_segment_ending_in_a_list_in_every_column_is_set_item_by_item():
    """A segment whose columns hold the same kinds of blocks, ending in a
    list of as many items, is set a row for what comes before the list and
    a row per item (an ordered list numbered on), so that each item starts
    level with its translation; other segments are set whole."""
    from diglot import blocks

    def cell(lang: str, items: int, ordered: bool = False, lead: bool = True) -> rows.Cell:
        entries = tuple(
            blocks.ListItem((blocks.Paragraph.of_text(f"{lang} {n}", 1),), 1) for n in range(items)
        )
        listed = blocks.ListBlock(ordered, 3, entries, 1)
        before = (blocks.Paragraph.of_text(f"{lang} lead", 1),) if lead else ()
        return rows.Cell(lang, f"{lang}-s", "s", False, (*before, listed), (), None)

    row = rows.Row("s", False, 0, (cell("ru", 3, True), cell("en", 3, True)), "ru-s")
    parts = row.list_rows()
    assert parts is not None and len(parts) == 4
    assert [b.plain for b in parts[0][1]] == ["en lead"]
    assert [(b.start, b.plain) for pair in parts[1:] for b in pair[1]] == [
        (3, "en 0"),
        (4, "en 1"),
        (5, "en 2"),
    ]
    assert rows.Row("s", False, 0, (cell("ru", 3), cell("en", 2)), "s").list_rows() is None
    assert (
        rows.Row("s", False, 0, (cell("ru", 2), cell("en", 2, lead=False)), "s").list_rows() is None
    )
    assert rows.Row("s", False, 0, (cell("ru", 1), cell("en", 1)), "s").list_rows() is None
    assert rows.Row("s", False, 0, (cell("ru", 2), None), "s").list_rows() is None


def test_a_line_of_a_record_in_the_texts_language_is_placed_by_the_date_it_names():
    """A Russian text's record printed in Russian: a line quoting nothing
    that names "18 августа 1993 года", which stands on the second page of
    its paragraph, cites that page; read as English (no such date), the
    same line cites both."""
    words = " ".join(f"слово{n}" for n in range(400))
    ref = '<a class="page-ref" href="#ru-p1"></a>'
    item = f'<li><span class="where">с.&#160;{ref}</span> письмо от 18 августа 1993 года</li>'
    body = (
        f'<p lang="ru"><span id="ru-p1"></span>начало {words} и письмо от 18 августа '
        '1993 года<span id="ru-p1.end"></span></p>'
    )
    _, page_of = _laid_out_with_record(body, item, "ru")
    end = page_of["ru-p1.end"]
    assert page_of["ru-p1"] == 0 < end and page_of["ru-p1#quoted0"] == end
    _, as_english = _laid_out_with_record(body, item, "en")
    assert "ru-p1#quoted0" not in as_english


def test_a_page_s_text_keeps_a_compound_broken_at_its_own_hyphen():
    """The words a line of the record quotes are looked for in each page's
    text: a compound broken after its own hyphen ("политико-" /
    "дипломатической") is read whole with its hyphen, a word the line
    breaking hyphenated ("дипло‐" / "матической") whole without one (a
    reader found "с. 5, 7" for «политико-дипломатической борьбы», on p. 5)."""
    from types import SimpleNamespace

    from diglot.proof import Line

    def line(page: int, text: str) -> Line:
        return Line(page, 0, 0, 0, 0, text, 0, "ru", False, False, False, None, 0, True)

    lines = [
        line(1, "итоге политико-"),
        line(1, "дипломатической борьбы и дипло\u2010"),
        line(1, "матии"),
    ]
    texts = record._page_texts(SimpleNamespace(readout=(None, lines)))
    assert texts == {0: "итоге политико-дипломатической борьбы и дипломатии"}


def test_a_quotation_inside_a_longer_one_of_the_same_line_tells_no_page():
    """«в результате» (a gloss, on every page of the paragraph) is also the
    start of «в результате внешней политики …» in the same line: only the
    longer one is looked for (a reader found "с. 5, 7" for words on p. 5)."""
    line = (
        "два «nəticəsində» («в результате») объединены: «в результате внешней политики … и борьбы»"
    )
    assert record._quoted(line) == ["nəticəsində", "в результате внешней политики", "и борьбы"]
    assert record._quoted("«одно слово два» и «одно слово два»") == [
        "одно слово два",
        "одно слово два",
    ]
    # a line of a hostile record: its first quotations only, not every pair
    many = " ".join(f"«слово {n}»" for n in range(50_000))
    assert len(record._quoted(many)) == record.MAX_QUOTES


def test_references_rewritten_that_move_a_page_are_not_kept():
    """Facing pages pack the record's entries as measured: where the
    references rewritten turn an entry over once more and push a line
    onto another page (an anchor moved, a page more), the edition keeps
    the layout it had, each segment cited once."""
    one_page = _Anchored(("a", "b", "c"))
    for moved in (_Anchored(("a", "b"), ("c",)), _Anchored(("a", "b", "c"), ())):
        assert record.cite_pages(_RECORD, one_page, lambda _html, m=moved: m) == (
            _RECORD,
            one_page,
        )


def test_a_reference_followed_by_a_name_and_a_date_given_without_its_year():
    """Laid out by WeasyPrint: a paragraph over two pages names Fuzuli on
    both and "August 23" (no year) on its second only; a reference in a
    record's line followed by "Fuzuli on August 23, 1993" cites that
    second page (the Letter handout's English record cited p. 10 for the
    fall of Fuzuli, told on p. 11), where the two stand together: the
    first page's "August 23, 1993" of another event places nothing. A date
    the paragraph does not give, with or without its year, places
    nothing."""
    assert record._as_given("August 23, 1993", "on august 23 armenian forces") == "August 23"
    assert record._as_given("23 августа 1993 года", "а 23 августа пал") == "23 августа"
    assert record._as_given("August 23, 1993", "on august 24") == "August 23, 1993"
    words = " ".join(f"word{n}" for n in range(400))
    ref = '<a class="page-ref" href="#{}"></a>'.format
    filler = " ".join(f"filler{n}" for n in range(20))
    _html, page_of = _laid_out_with_record(
        # (the paragraph's first page names Fuzuli, and "August 23, 1993" of
        # another event, far apart: the Letter handout's p. 10)
        '<p><span id="en-p1"></span>The district of Fuzuli was cut off on June 27, '
        f"{filler} and on August 23, 1993, the autonomous republic voted "
        f"{words} and on August 23 the forces captured Fuzuli"
        '<span id="en-p1.end"></span></p>',
        f'<li><span class="where">throughout</span> {ref("en-p1")} Fuzuli on August 23, 1993; '
        f"{ref('en-p1')} Fuzuli on May 2, 1993</li>",
    )
    start, end = page_of["en-p1"], page_of["en-p1.end"]
    assert start < end
    assert {k: v for k, v in page_of.items() if "#" in k} == {"en-p1#inline0": end}


def test_the_words_leading_into_a_list_are_set_flush():
    """On facing pages the Sail's "В этом издании:" stood further in than its
    own bullets: a paragraph followed by a list in its cell is flush, as is
    the first after a heading; a paragraph after a paragraph is not."""
    from diglot.blocks import ListBlock, ListItem, Paragraph

    lead, more = Paragraph.of_text("In this edition:", 1), Paragraph.of_text("More.", 2)
    items = ListBlock(False, 1, (ListItem((Paragraph.of_text("one", 3),), 3),), 3)
    cell = rows.Cell("en", "en-a", "a", False, (more, lead, items, more), (), None)
    assert [cell.flush(i) for i in range(4)] == [False, True, False, False]
    assert dataclasses.replace(cell, opens=True).flush(0)


def test_a_line_naming_several_segments_starts_and_ends_where_their_words_stand():
    """genocide-az-en cited "pp. 3–5" for orders dated in the first
    segment's second page (p. 4) and the last segment's first (p. 4):
    a line naming several segments runs from where the first one's words
    stand to where the last one's do, each read at its first or last page."""
    page_of = {"a": 2, "a.end": 3, "b": 3, "b.end": 4, "c": 4, "c.end": 5}
    told = {**page_of, "a#quoted7": 3, "c#quoted7": 4}
    plain = record.cite(["a", "c"], page_of, line=7)
    narrowed = record.cite(["a", "c"], told, line=7)
    assert plain is not None and narrowed is not None
    assert re.findall(r'href="#([^"]+)"', plain) == ["a", "c.end"]
    assert re.findall(r'href="#([^"]+)"', narrowed) == ["a.end", "c"]
    # another line's words, or a page in the middle, change nothing
    assert record.cite(["a", "c"], {**page_of, "a#quoted6": 3}, line=7) == plain
    # one segment: as before, its first or last page alone
    assert re.findall(r'href="#([^"]+)"', record.cite(["a"], told, line=7) or "") == ["a.end"]
