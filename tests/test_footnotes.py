"""Footnotes that continue on the next page (diglot.footnotes): the split
of a note's HTML at its printed lines, and real PDFs read back."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from diglot import project as project_mod
from diglot import weasy
from diglot.build import build
from diglot.errors import BuildError
from diglot.footnotes import (
    Placed,
    continue_notes,
    continue_notes_in,
    continue_on_sides,
    line_ends,
    needs_continuing,
    note_span,
    pieces_of,
    placed_notes,
    printed_count,
    printed_length,
    split_markup,
)

from .conftest import REPO, write_project
from .pdfread import page_text, words
from .test_blocks_pdf import FRONT

# -- the split, on HTML ---------------------------------------------------------------


def test_a_cut_closes_the_open_elements_and_opens_them_again_without_ids():
    inner = 'one <em id="x">two three</em> four'
    assert split_markup(inner, [6]) == ['one <em id="x">two </em>', "<em>three</em> four"]


def test_a_cut_before_an_element_starts_it_in_the_next_piece():
    assert split_markup("ab <em>cd</em>", [2]) == ["ab ", "<em>cd</em>"]


def test_a_line_break_at_a_cut_is_dropped():
    """A piece starts on a new line anyway: keeping the break would print
    an empty line."""
    assert split_markup("end.<br>Next para", [4]) == ["end.", "Next para"]


def test_an_entity_is_one_printed_character():
    assert split_markup("a&amp;b cd", [3]) == ["a&amp;b ", "cd"]
    assert printed_length("a&amp;b <em>c</em>") == 4


def test_soft_hyphens_and_spaces_are_not_counted():
    assert printed_length("ab\u00adc d\u200be") == 5


_WORD = st.text(alphabet="abcXYZ&é", min_size=1, max_size=6).map(lambda w: w.replace("&", "&amp;"))


@given(
    st.lists(st.tuples(_WORD, st.sampled_from(["", "em", "strong"])), min_size=1, max_size=30),
    st.lists(st.integers(min_value=1, max_value=120), max_size=8),
)
def test_pieces_hold_the_text_in_order_and_every_element_is_closed(words_, cuts):
    inner = " ".join(f"<{tag}>{w}</{tag}>" if tag else w for w, tag in words_)
    pieces = split_markup(inner, cuts)

    def text(html: str) -> str:
        return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))

    assert "".join(text(p) for p in pieces) == text(inner)
    for piece in pieces:
        assert len(re.findall(r"<(em|strong)>", piece)) == len(re.findall(r"</(em|strong)>", piece))
    inside = sorted({c for c in cuts if 0 < c < printed_length(inner)})
    assert [sum(printed_length(p) for p in pieces[: i + 1]) for i in range(len(inside))] == inside


def test_two_lines_stay_together_at_each_end_of_a_note():
    assert pieces_of(["1", "2", "3", "4", "5", "6"]) == ["1<br>2", "3", "4", "5<br>6"]
    assert pieces_of(["1", "2", "3"]) == ["1<br>2<br>3"], "too short to split"
    assert line_ends((3, 4, 5)) == [3, 7]


def test_only_the_first_piece_has_the_call_and_a_link_keeps_its_address_as_text():
    html = (
        '<p>x<span class="footnote" id="note-en-1" data-n="1">aa bb '
        '<a class="web with-url" href="https://e.org" data-url="https://e.org">cc</a> dd ee ff'
        "</span> y</p>"
    )
    out = continue_notes_in(html, {"note-en-1": [2, 4, 21, 23, 25]})
    assert out.count('id="note-en-1"') == 1
    assert out.count("footnote-cont") == 3
    assert 'class="footnote footnote-split" id="note-en-1"' in out
    assert "with-url" not in out, "the address is text now, not printed again by CSS"
    assert '<span class="link-url"> (https://e.org)</span>' in out
    assert out.endswith(" y</p>")


def test_a_facing_layout_without_the_side_starts_is_an_error_not_a_lost_note():
    html = '<p>x<span class="footnote" id="note-en-1" data-n="1">aa bb cc dd</span></p>'
    with pytest.raises(BuildError, match="does not start each side"):
        continue_on_sides(html, {"note-en-1": (2, [2, 4, 6])}, {3: [("note-en-1", 2, 4)]})


def test_continued_lines_go_to_the_start_of_their_side():
    sides = "".join(
        f'<div class="side {k}" lang="en"><div class="sp" style="height: 0"></div>'
        f"<p>{k}{n}</p></div>"
        for n in range(2)
        for k in ("verso", "recto")
    )
    html = '<p>x<span class="footnote" id="note-en-1" data-n="1">aa bb cc dd ee</span></p>' + sides
    out = continue_on_sides(html, {"note-en-1": (2, [2, 4, 6, 8])}, {2: [("note-en-1", 2, 5)]})
    assert 'id="note-en-1" data-n="1">aa <br>bb </span>' in out
    third = out.index("<p>verso1</p>")
    carried = out.index('<div class="carried-notes">')
    assert out.index("<p>recto0</p>") < carried < third
    assert "cc <br>dd <br>ee" in out[carried:third]


def test_a_cut_after_no_character_is_no_cut():
    assert split_markup(" ab cd", [0, 2]) == [" ab ", "cd"]


def test_a_stray_closing_tag_is_kept_and_the_text_still_splits():
    assert split_markup("a</em> bc de", [3]) == ["a</em> bc ", "de"]


def test_a_note_ends_at_its_own_closing_tag_not_a_nested_one():
    html = '<span class="footnote" id="note-en-1" data-n="1">a <span>b</span> c</span> tail'
    opened, end = note_span(html, 0)
    assert html[opened:end] == "a <span>b</span> c</span>"
    with pytest.raises(ValueError, match="unclosed"):
        note_span(html[: -len("</span> tail")], 0)


def test_a_four_line_note_splits_in_two_and_notes_side_by_side_both_split():
    """Four lines make two pieces (two lines at each end); a note right
    after another is split too; the first piece holds the first lines."""
    first = '<span class="footnote" id="note-en-1" data-n="1">aa bb cc dd</span>'
    second = '<span class="footnote" id="note-en-2" data-n="2">ee ff gg hh</span>'
    out = continue_notes_in(
        f"<p>x{first}{second}</p>",
        {
            "note-en-1": [2, 4, 6],
            "note-en-2": [2, 4, 6],
        },
    )
    # each piece names its note, its place in it and its place among all
    # the pieces of the document (weasy.keep_note_pieces_in_order)
    split, cont = "footnote footnote-split", "footnote footnote-split footnote-cont"

    def at(note: int, piece: int, order: int) -> str:
        return f'data-note="note-en-{note}" data-piece="{piece}" data-order="{order}"'

    assert out == (
        f'<p>x<span class="{split}" id="note-en-1" data-n="1" {at(1, 0, 0)}>aa <br>bb </span>'
        f'<span class="{cont}" data-n="1" {at(1, 1, 1)}>cc <br>dd</span>'
        f'<span class="{split}" id="note-en-2" data-n="2" {at(2, 0, 2)}>ee <br>ff </span>'
        f'<span class="{cont}" data-n="2" {at(2, 1, 3)}>gg <br>hh</span></p>'
    )
    assert continue_notes_in(f"<p>x{first}{second}</p>", {"note-en-2": [2, 4, 6]}) == (
        f"<p>x{first}"
        f'<span class="{split}" id="note-en-2" data-n="2" {at(2, 0, 0)}>ee <br>ff </span>'
        f'<span class="{cont}" data-n="2" {at(2, 1, 1)}>gg <br>hh</span></p>'
    ), "a note not named stays as it is"
    # a note split in a later pass: every piece numbered again, in order
    later = continue_notes_in(
        continue_notes_in(f"<p>x{first}{second}</p>", {"note-en-2": [2, 4, 6]}),
        {"note-en-1": [2, 4, 6]},
    )
    assert later == out
    three = '<p><span class="footnote" id="note-en-1" data-n="1">aa bb cc</span></p>'
    assert continue_notes_in(three, {"note-en-1": [2, 4]}) == three, "three lines move whole"


def test_notes_side_by_side_on_facing_pages_are_both_continued_with_their_numbers():
    side = '<div class="side verso" lang="en"><div class="sp" style="height: 0"></div>'
    notes = (
        '<span class="footnote" id="note-en-1" data-n="1">aa bb cc dd</span>'
        '<span class="footnote" id="note-en-2" data-n="2">ee ff gg hh</span>'
    )
    html = f"<p>x{notes}</p>{side}<p>y</p></div>"
    keep = {"note-en-1": (2, [2, 4, 6]), "note-en-2": (3, [2, 4, 6])}
    out = continue_on_sides(html, keep, {0: [("note-en-1", 2, 4), ("note-en-2", 3, 4)]})
    alone = continue_on_sides(html, {"note-en-2": (3, [2, 4, 6])}, {0: [("note-en-2", 3, 4)]})
    assert alone.startswith(
        '<p>x<span class="footnote" id="note-en-1" data-n="1">aa bb cc dd</span>'
    )
    assert out.startswith('<p>x<span class="footnote footnote-split" id="note-en-1" data-n="1">')
    assert (
        '<span class="footnote footnote-split" id="note-en-2" data-n="2">ee <br>ff <br>gg ' in out
    )
    assert out.endswith(
        '<div class="carried-notes">\u200b'
        '<span class="footnote footnote-split footnote-cont" data-n="1">cc <br>dd</span>'
        '<span class="footnote footnote-split footnote-cont" data-n="2">hh</span></div>'
        "<p>y</p></div>"
    )


@pytest.mark.parametrize(
    ("lines", "call_page", "note_page", "cut_off", "continued"),
    [
        (3, 0, 0, True, False),  # too short to split: it moves whole
        (4, 0, 0, True, True),  # runs past the page's foot
        (4, 0, 0, False, False),  # under its call
        (4, 0, 1, False, True),  # moved away from its call
        (4, None, 1, False, False),  # its call was not found
    ],
)
def test_a_note_is_continued_when_long_enough_and_cut_or_moved(
    lines, call_page, note_page, cut_off, continued
):
    note = Placed("note-en-1", call_page, note_page, (10,) * lines, cut_off)
    assert needs_continuing(note) is continued


def _lay_out(html: str):
    # WeasyPrint as a build loads it: diglot's fonts and its fixes
    # (diglot.weasy), whichever test ran first.
    from diglot.pdf import load_weasyprint

    return load_weasyprint().HTML(string=html).render()


_LONG = "first " + " ".join(f"Sentence n{i} of a long note." for i in range(60)) + " last"


def _notes_page(extra_css: str = "") -> str:
    css = (REPO / "tools/diglot/styles/blocks.css").read_text(encoding="utf-8")
    return (
        f"<html lang='en'><style>{css} @page {{ size: 100mm 80mm; margin: 10mm }} "
        f"body {{ margin: 0; font: 10pt/14pt 'Noto Serif' }} p {{ margin: 0 0 4px }} "
        f"{extra_css}</style><body>"
        '<p>Short call<span class="footnote" id="note-en-1" data-n="1">A <em>short</em> '
        f"note.</span> here. {'Body text words. ' * 10}</p>"
        f'<p>Long call<span class="footnote" id="note-en-2" data-n="2">{_LONG}</span> here. '
        f"{'More body text. ' * 30}</p></body></html>"
    )


def _note_text(document) -> list[str]:
    """The text printed in the pages' footnote areas, page by page."""
    return [
        " ".join(
            "".join(box.text for box in weasy.text_boxes(line)).strip()
            for note in area.children
            for line in weasy.line_boxes(note)
        )
        for page in document.pages
        for area in weasy.footnote_areas(page)
    ]


def test_notes_are_found_where_they_were_laid_out():
    """Each note's page, its call's page and its lines (printed characters,
    its number left out) as the layout set them."""
    document = _lay_out(_notes_page())
    found = placed_notes(document)
    assert set(found) == {"note-en-1", "note-en-2"}
    short, long = found["note-en-1"], found["note-en-2"]
    assert (short.call_page, short.note_page, short.lines, short.cut_off) == (0, 0, (11,), False)
    assert long.call_page is not None and long.note_page > long.call_page, "moved whole"
    assert sum(long.lines) == printed_count(_LONG) and len(long.lines) > 4
    assert not long.cut_off and needs_continuing(long) and not needs_continuing(short)
    # with no height limit, a note taller than the page runs past its foot
    uncut = placed_notes(_lay_out(_notes_page("@page { @footnote { max-height: none } }")))
    assert uncut["note-en-2"].cut_off and not uncut["note-en-1"].cut_off


def test_a_long_note_starts_under_its_call_and_goes_on_over_the_next_pages():
    html = _notes_page()
    document = _lay_out(html)
    new, again = continue_notes(html, document, _lay_out)
    found = placed_notes(again)
    assert found["note-en-2"].note_page == found["note-en-2"].call_page
    # every word of it once, in order (WeasyPrint 70 set one line of a
    # note reported over two pages last: weasy.keep_note_pieces_in_order)
    pages = _note_text(again)
    assert pages[0].startswith("1. A short note. 2. first Sentence n0 of a long note.")
    assert " ".join(pages).split() == f"1. A short note. 2. {_LONG}".split()
    assert len(pages) == len(again.pages) > 2, "on every page from the call's"
    assert new.count('id="note-en-2"') == 1 and "footnote-cont" in new
    # nothing to continue: the same HTML and layout
    short = html.replace(_LONG, "A second short note.")
    document = _lay_out(short)
    assert continue_notes(short, document, _lay_out) == (short, document)


# -- real PDFs ------------------------------------------------------------------------


def _project(tmp_path, layouts, sentences=120):
    files = {}
    for lang, word, role in (("en", "Sentence", "original"), ("ru", "Фраза", "translation")):
        note = " ".join(f"{word} {lang}n{i} of a long note." for i in range(sentences))
        body = "\n\n".join(f"{word} body {lang}b{k}. " * 12 for k in range(4))
        original = "original: en\n" if lang == "ru" else ""
        files[f"sources/demo/{lang}.md"] = (
            FRONT.format(lang=lang, role=role, original=original, title="T")
            + f"{{#a}}\n{body}\n\n{lang}call[^long] here.\n\n"
            + f"[^long]: {lang}first {note} {lang}last\n\n{{#b}}\n{body}\n"
        )
    toml = ""
    for name, layout, languages, page in layouts:
        toml += (
            f'[[edition]]\nname = "{name}"\nwork = "demo"\nlanguages = {languages}\n'
            f'layout = "{layout}"\npaper = "{page}"\ndate = 2026-11-23\n\n'
        )
    files["diglot.toml"] = toml
    return write_project(tmp_path, files)


def _pages(path):
    return [page_text(path, n) for n in range(1, len(PdfReader(path).pages) + 1)]


def _note_words(lang, sentences):
    return [f"{lang}first"] + [f"{lang}n{i}" for i in range(sentences)] + [f"{lang}last"]


@pytest.fixture(scope="module")
def continued(tmp_path_factory):
    root = _project(
        tmp_path_factory.mktemp("notes"),
        [
            ("side", "booklet", '["en", "ru"]', "A6"),
            ("one", "booklet", '["en"]', "A6"),
            ("handout", "handout", '["en", "ru"]', "A5"),
        ],
    )
    project = project_mod.load(root)
    return {e.name: build(e).path for e in project.editions}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "langs"), [("side", ("en", "ru")), ("one", ("en",)), ("handout", ("en", "ru"))]
)
def test_a_long_note_starts_under_its_call_and_continues_on_the_next_pages(continued, name, langs):
    """Before, the build refused a note taller than its page (A6: this one
    takes about three pages), and a note that did not fit under its call
    moved whole to the next page."""
    path = continued[name]
    pages = _pages(path)
    previous_last = None
    for lang in langs:
        call = next(n for n, text in enumerate(pages) if f"{lang}call" in text)
        first = next(n for n, text in enumerate(pages) if f"{lang}first" in text)
        last = next(n for n, text in enumerate(pages) if f"{lang}last" in text)
        if previous_last is None:
            assert first == call, f"{name}: the note starts on its call's page"
        else:
            # Notes keep the order of their calls: the second starts where
            # the first one ends (or under its call, if that is later).
            assert max(call, previous_last) <= first <= max(call, previous_last + 1), name
        assert last > first, f"{name}: the note continues on a later page"
        previous_last = last
        # Every word of the note is printed once, in order, and none is cut.
        printed = [w.rstrip(".") for text in pages for w in text.split()]
        expected = _note_words(lang, 120)
        assert [w for w in printed if w in set(expected)] == expected, name


@pytest.mark.slow
def test_no_line_of_a_continued_note_runs_past_the_page(continued):
    path = continued["one"]
    height_pt = float(PdfReader(path).pages[0].mediabox.height)
    for number in range(1, len(PdfReader(path).pages) + 1):
        for _x0, _y0, _x1, y1, _word in words(path, number):
            assert y1 <= height_pt - 10 * 72 / 25.4 + 0.5, (number, _word)


@pytest.mark.slow
def test_a_long_note_on_facing_pages_continues_on_its_own_language_s_next_page(tmp_path):
    """Before, the build stopped: each side's page is one language's, so
    WeasyPrint cannot carry a note on (its next page is the other
    language's). Here the note's lines go on at the foot of the same side
    of the next spreads: English on left pages, Russian on right ones."""
    root = _project(tmp_path, [("facing", "facing", '["en", "ru"]', "A6")], sentences=200)
    path = build(project_mod.load(root).edition("facing")).path
    pages = _pages(path)
    for lang, parity in (("en", 0), ("ru", 1)):
        call = next(n for n, text in enumerate(pages) if f"{lang}call" in text)
        assert f"{lang}first" in pages[call]
        expected = _note_words(lang, 200)
        on_pages = [
            (n, w.rstrip("."))
            for n, text in enumerate(pages)
            for w in text.split()
            if w.rstrip(".") in set(expected)
        ]
        assert [w for _, w in on_pages] == expected, "every word once, in order"
        used = sorted({n for n, _ in on_pages})
        assert len(used) >= 3, "a long note takes several pages"
        # pages are 0-based here: the first language's pages are the even
        # PDF page numbers (left pages), the second's the odd ones
        assert all((n + 1) % 2 == (0 if parity == 0 else 1) for n in used), (lang, used)
        assert used == list(range(used[0], used[-1] + 1, 2)), "one side's pages, none skipped"
    height_pt = float(PdfReader(path).pages[0].mediabox.height)
    for number in range(1, len(pages) + 1):
        assert all(y1 <= height_pt - 10 * 72 / 25.4 + 0.5 for *_, y1, _w in words(path, number))
