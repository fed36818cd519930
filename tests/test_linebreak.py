"""Total-fit line breaking (diglot.linebreak) on its own: what it measures,
where it may break a paragraph, the letter-spacing it gives each line, and
the HTML that enforces the breaks. Pure functions over small paragraphs;
one layout checks the measures against WeasyPrint's."""

from __future__ import annotations

import itertools
import os
import random
from collections.abc import Callable

import pytest

from diglot import fonts, hyphenation, linebreak, weasy

SIZE = 12.0
NBSP, WJ, HY = "\u00a0", linebreak.WORD_JOINER, linebreak.HYPHEN
NB = "\u2011"  # a no-break hyphen


def no_hyphens(word: str) -> list[int]:
    return []


def anywhere(word: str) -> list[int]:
    """Break points after every letter but the first and last three."""
    return list(range(3, len(word) - 2))


def planned(
    text: str, width: float, hyphenate=no_hyphens, **options
) -> list[tuple[str, str, float]] | None:
    """The lines total fit makes of ``text``: (text, kind of break, tracking),
    a hyphenated line with its hyphen."""
    toks = linebreak.tokens(text)
    breaks = linebreak.plan(toks, width, SIZE, hyphenate, **options)
    if breaks is None:
        return None
    chosen = {b.token: b for b in breaks}
    out, current = [], ""
    for index, tok in enumerate(toks):
        current += tok.char
        if index in chosen:
            brk = chosen[index]
            out.append((current + ("-" if brk.kind == "hyphen" else ""), brk.kind, brk.tracking))
            current = ""
    assert not current  # the last break is the paragraph's end
    return out


def space_glyph() -> float:
    """U+0020's advance (em) in Noto Serif at its text width."""
    return linebreak._glyph_widths("Noto Serif", False, False)[0][32]


def natural(text: str, italic: bool = False, bold: bool = False) -> float:
    """Width in px of ``text`` set with total fit's word spaces (the face's
    less 0.05 em), no letter-spacing."""
    widths, _ = linebreak._glyph_widths("Noto Serif", italic, bold)
    space = (space_glyph() + linebreak.WORD_SPACING_EM) * SIZE
    return sum(space if c in " " + NBSP else widths[ord(c)] * SIZE for c in text if c != WJ)


def word_space(line: str, width: float, tracking: float) -> float:
    """The word space (em) of a justified ``line`` (its closing space not
    printed) filling ``width`` with ``tracking``; WeasyPrint letter-spaces
    every glyph and the line's end."""
    text = line.rstrip(" ")
    glyphs = len(text.replace(WJ, "")) + 1
    slack = width - natural(text) - tracking * glyphs * SIZE
    return slack / text.count(" ") / SIZE + space_glyph() + linebreak.WORD_SPACING_EM


# -- what is measured ------------------------------------------------------------------


def test_each_face_is_measured_as_weasyprint_prints_it():
    """The advance widths total fit adds up are those of the face a word is
    printed in (serif or sans, italic, bold): WeasyPrint lays the same words
    out to within a few thousandths of a pixel (kerning off), while any
    other face differs by more than a percent."""
    os.environ["FONTCONFIG_FILE"] = str(fonts.fontconfig_file())
    import weasyprint

    text = "Quickly jumping wizards boxed heavy fog"
    faces = [
        (family, italic, bold)
        for family in ("Noto Serif", "Noto Sans")
        for italic in (False, True)
        for bold in (False, True)
    ]
    paragraphs = "".join(
        f"<p style=\"font-family: '{family}'; font-style: {'italic' if italic else 'normal'}; "
        f'font-weight: {700 if bold else 400}">{text}</p>'
        for family, italic, bold in faces
    )
    html = (
        f"<html><style>{fonts.font_face_css()} p {{ font-size: 20px; white-space: nowrap; "
        f"margin: 0; font-kerning: none }}</style>{paragraphs}</html>"
    )
    page = weasy.page_box(weasyprint.HTML(string=html).render().pages[0])
    printed = [box.width for box in weasy.descendants(page) if weasy.is_text(box)]
    assert len(printed) == len(faces)
    measured = []
    for family, italic, bold in faces:
        widths, _ = linebreak._glyph_widths(family, italic, bold)
        measured.append(sum(widths[ord(c)] for c in text) * 20)
    for face, ours, theirs in zip(faces, measured, printed, strict=True):
        assert ours == pytest.approx(theirs, rel=5e-4), face
    assert len({round(width) for width in printed}) == len(faces)  # all different


def test_each_width_of_glyph_expansion_is_measured_as_weasyprint_prints_it():
    """A line set at another width (a class of diglot.fonts) is printed from
    that width's static instance, and total fit measures it from the same:
    within a few thousandths, each width narrower than the next."""
    os.environ["FONTCONFIG_FILE"] = str(fonts.fontconfig_file())
    import weasyprint

    text = "Quickly jumping wizards boxed heavy fog"
    faces = [(w, italic, bold) for w in fonts.HZ_WIDTHS for italic in (0, 1) for bold in (0, 1)]
    paragraphs = "".join(
        f'<p><span class="{fonts.width_class(w)}" style="font-style: '
        f'{"italic" if italic else "normal"}; font-weight: {700 if bold else 400}">'
        f"{text}</span></p>"
        for w, italic, bold in faces
    )
    html = (
        f"<html><style>{fonts.font_face_css()} p {{ font: 20px 'Noto Sans'; white-space: nowrap; "
        f"margin: 0; font-kerning: none }}</style>{paragraphs}</html>"
    )
    page = weasy.page_box(weasyprint.HTML(string=html).render().pages[0])
    printed = [box.width for box in weasy.descendants(page) if weasy.is_text(box)]
    assert len(printed) == len(faces)
    for (w, italic, bold), theirs in zip(faces, printed, strict=True):
        widths, _ = linebreak._glyph_widths("Noto Serif", bool(italic), bool(bold), w)
        assert sum(widths[ord(c)] for c in text) * 20 == pytest.approx(theirs, rel=5e-4)
    upright = printed[::4]  # regular, by width
    assert upright == sorted(upright) and len(set(upright)) == len(upright)


def test_a_word_joiner_takes_no_room():
    """A word joiner (typography.tie puts one after a dash between digits)
    is neither a glyph nor a space: a paragraph with one is broken and
    letter-spaced exactly as without it."""
    text = "in the years 1991–{}1993 the parliament met eleven times in all"
    for width in range(150, 260, 7):
        joined = planned(text.format(WJ), float(width))
        plain = planned(text.format(""), float(width))
        assert joined is not None and plain is not None
        assert [(line.replace(WJ, ""), kind, track) for line, kind, track in joined] == plain


# -- where a line may end --------------------------------------------------------------


def test_a_paragraph_with_no_text_has_no_plan():
    assert linebreak.plan(linebreak.tokens("<b></b>"), 300.0, SIZE, no_hyphens) is None
    assert linebreak.plan([], 300.0, SIZE, no_hyphens) is None


def test_a_short_paragraph_is_one_free_line():
    """The last line of a paragraph is not justified: it gets no
    letter-spacing."""
    assert planned("one two", 300.0) == [("one two", "end", 0.0)]


def test_no_break_at_a_paragraphs_edges():
    """A space or a dash at the very start or end of a paragraph is no
    break point (it would make an empty line, or a line of a dash alone):
    a paragraph whose one word barely fits has no plan when that space or
    dash does not fit with it."""
    word = "abcdefghij"
    width = natural(word) + 1
    assert planned(word, width) == [(word, "end", 0.0)]
    for text in (f" {word}", f"{word} ", f"\u2014{word}", f"/{word}"):
        assert planned(text, width) is None, text
    # one character in, or one before the end, they are
    assert planned(f"I {word}", width) == [("I ", "space", pytest.approx(0.015)), (word, "end", 0)]
    assert planned(f"{word} I", width)[0][:2] == (f"{word} ", "space")
    assert planned(f"x/{word}", width)[0][:2] == ("x/", "after")
    slashed = natural(f"{word}/") + 1
    assert planned(f"{word}/x", slashed) == [
        (f"{word}/", "after", pytest.approx(0.0, abs=0.02)),
        ("x", "end", 0),
    ]
    # a paragraph of a single character is one line, a dash or hyphen too
    assert planned("\u2010", width) == [("\u2010", "end", 0.0)]


def test_a_dash_or_slash_breaks_only_between_letters():
    """A slash or dash is a break point between two letters, not after a
    number ("1993/"), nor before one ("and/1993")."""
    word = "abcdefghij"
    width = natural(word) + 1
    assert planned(f"1993/{word}", width) is None
    assert planned(f"{word}/1993", natural(f"{word}/") + 1) is None
    assert planned(f"a/{word}", width) == [("a/", "after", pytest.approx(0.015)), (word, "end", 0)]
    assert planned(f"12 a/{word}", width) is not None


def test_a_hyphenation_point_breaks_after_its_letters():
    """Break point n of a word ends the line after the word's n-th letter,
    and the line is measured with the hyphen it then prints: one that fits
    only without its hyphen is not made."""

    def at_five(word: str) -> list[int]:
        return [5] if word == "unsettling" else []

    hyphen = linebreak._glyph_widths("Noto Serif", False, False)[1] * SIZE
    wide = natural("the unset") + hyphen + 0.5
    assert [(line, kind) for line, kind, _ in planned("the unsettling rest", wide, at_five)] == [
        ("the unset-", "hyphen"),
        ("tling rest", "end"),
    ]
    # with its hyphen the line is wider than the column even letter-spaced
    # as tight as allowed
    narrow = natural("the unset") + hyphen - 2.0
    lines = planned("the unsettling rest", narrow, at_five)
    assert lines is None or ("the unset-", "hyphen") not in [(t, k) for t, k, _ in lines]


# -- letter-spacing --------------------------------------------------------------------


def test_a_justified_line_is_letter_spaced_to_bring_its_spaces_to_the_ideal():
    """A line that is not the paragraph's last is letter-spaced (at most
    0.015 em, at least -0.01 em) so that its word spaces come nearest
    0.3 em; within those limits they are 0.3 em exactly."""
    text = "one two three four five six"
    base = natural(text)
    spaces = {}
    for extra in (5.0, 7.0, 9.0):
        ((line, kind, track),) = planned(text, base + extra, justify_last=True)
        assert kind == "end"
        assert -linebreak.TRACK_SHRINK_EM < track < linebreak.TRACK_STRETCH_EM, extra
        spaces[extra] = word_space(line, base + extra, track)
    assert spaces == pytest.approx(dict.fromkeys(spaces, linebreak.IDEAL_EM), abs=5e-4)
    # a tight line shrinks no more than 0.01 em, its spaces then under the ideal
    ((line, _, track),) = planned(text, base, justify_last=True)
    assert track == -linebreak.TRACK_SHRINK_EM
    assert word_space(line, base, track) < linebreak.IDEAL_EM - 0.01


def test_a_loose_line_takes_more_letter_spacing():
    """Letter-spacing stops at 0.015 em while the spaces stay under the
    proof's loose limit (0.46 em here); a line whose spaces would be looser
    takes up to 0.03 em, and one still loose at that up to 0.035 em."""
    text = "alpha beta gamma delta"
    base = natural(text)
    ((line, _, track),) = planned(text, base + 10, justify_last=True)
    assert track == linebreak.TRACK_STRETCH_EM
    assert linebreak.IDEAL_EM < word_space(line, base + 10, track) < linebreak.LOOSE_EM
    ((line, _, track),) = planned(text, base + 15, justify_last=True)
    assert track == linebreak.TRACK_LOOSE_EM
    assert word_space(line, base + 15, track) < linebreak.LOOSE_EM
    ((line, _, track),) = planned(text, base + 18, justify_last=True)
    assert track == linebreak.TRACK_LAST_EM
    assert word_space(line, base + 18, track) < linebreak.LOOSE_EM
    assert word_space(line, base + 18, linebreak.TRACK_LOOSE_EM) > linebreak.LOOSE_EM
    ((line, _, track),) = planned(text, base + 40, justify_last=True)
    assert track == linebreak.TRACK_LAST_EM  # and no more, however loose


def test_letter_spacing_that_can_be_seen_costs_like_white(monkeypatch):
    """Over 0.02 em, letter-spacing shows next to a line without it: it adds
    to the line's badness, and total fit finds other breaks (here other
    hyphens) rather than space two lines out by 0.029 and 0.03 em."""
    text = (
        "organisation delegation the constitutional organisation the declared declared "
        "constitutional representatives delegation international capital international "
        "organisation capital capital international organisation delegation "
        "representatives parliament questions of the parliament representatives commission "
        "constitutional republic capital organisation republic declared constitutional "
        "capital negotiations declared capital delegation"
    )
    # every piece costs the same here: the breaks told apart are the tracking's
    monkeypatch.setattr(linebreak, "SHORT_PIECE_PENALTY", linebreak.HYPHEN_PENALTY)
    costed = planned(text, 294.0, anywhere)
    monkeypatch.setattr(linebreak, "TRACK_BADNESS", 0.0)
    free = planned(text, 294.0, anywhere)
    assert costed is not None and free is not None and len(costed) == len(free)
    assert sorted(round(t, 3) for _, _, t in free)[-2:] == [0.029, 0.03]
    assert max(t for _, _, t in costed) <= linebreak.TRACK_SEEN_EM
    assert "".join(line for line, _, _ in costed).replace("-", "") == text.replace("-", "")


def natural_at(text: str, wdth: int) -> float:
    """:func:`natural` of ``text`` set at a width of glyph expansion."""
    widths, _ = linebreak._glyph_widths("Noto Serif", False, False, wdth)
    space = (widths[32] + linebreak.WORD_SPACING_EM) * SIZE
    return sum(space if c == " " else widths[ord(c)] * SIZE for c in text)


def expanded(text: str, width: float, **options: float) -> tuple[int, float]:
    """The glyph width and tracking of ``text`` set as one justified line."""
    toks = linebreak.tokens(text)
    breaks = linebreak.plan(
        toks, width, SIZE, no_hyphens, justify_last=True, widths=fonts.HZ_WIDTHS, **options
    )
    assert breaks is not None and len(breaks) == 1
    return breaks[0].wdth, breaks[0].tracking


def test_glyph_expansion_widens_a_line_before_it_is_letter_spaced():
    """With glyph expansion a justified line stands at the text's width
    (92) while it fits and its spaces are under 0.4 em; a looser one is set
    wider (93, 94) until they are not, and only at the widest letter-spaced,
    no more than keeps the gaps between its words (a space and the spacing
    after two letters) under 0.43 em; one that does not fit is set narrower
    (91), and only there given negative letter-spacing."""
    text = "alpha beta gamma delta epsilon"
    spaces = text.count(" ")
    narrowest, widest = min(fonts.HZ_WIDTHS), max(fonts.HZ_WIDTHS)
    assert (narrowest, fonts.HZ_BASE, widest) == (91, fonts.TEXT_WDTH, 94) == (91, 92, 94)

    def space_em(width: float, wdth: int, track: float = 0.0) -> float:
        """The word space of the line at ``wdth`` with ``track``."""
        glyph = linebreak._glyph_widths("Noto Serif", False, False, wdth)[0][32]
        glyphs = len(text) + 1  # WeasyPrint letter-spaces the line's end too
        slack = width - natural_at(text, wdth) - track * glyphs * SIZE
        return slack / spaces / SIZE + glyph + linebreak.WORD_SPACING_EM

    at_base = natural_at(text, fonts.HZ_BASE)
    assert natural_at(text, narrowest) < at_base < natural_at(text, widest)
    comfortable = at_base + spaces * 0.1 * SIZE  # spaces of about 0.3 em at 92
    assert expanded(text, comfortable) == (fonts.HZ_BASE, 0.0)
    # spaces over 0.4 em at 92: wider, until they are not
    wide = at_base + spaces * 0.22 * SIZE
    wdth, track = expanded(text, wide)
    assert space_em(wide, fonts.HZ_BASE) > linebreak.HZ_WIDE_EM
    assert wdth > fonts.HZ_BASE and track == 0.0
    assert space_em(wide, wdth) <= linebreak.HZ_WIDE_EM < space_em(wide, wdth - 1)
    # looser than the widest takes: letter-spaced there, the gaps to 0.43 em
    loose = natural_at(text, widest) + spaces * 0.3 * SIZE
    wdth, track = expanded(text, loose)
    assert wdth == widest and 0 < track < linebreak.TRACK_LAST_EM
    gap = space_em(loose, widest, track) + 2 * track
    assert gap == pytest.approx(linebreak.HZ_SPACE_MOST_EM, abs=1e-3)
    # however loose, no more than TRACK_LAST_EM; on facing pages no more than
    # HZ_TRACK_MOST_EM (the same word 7-9 % wider from line to line)
    assert expanded(text, loose + 40) == (widest, linebreak.TRACK_LAST_EM)
    most = linebreak.HZ_TRACK_MOST_EM
    assert most < linebreak.TRACK_LAST_EM
    assert expanded(text, loose + 40, track_most=most) == (widest, most)
    assert expanded(text, loose, track_most=most) == (widest, min(track, most))
    # a line that does not fit at 92: narrower, letter-spaced tighter only then
    assert expanded(text, (natural_at(text, narrowest) + at_base) / 2) == (narrowest, 0.0)
    wdth, track = expanded(text, natural_at(text, narrowest) - 2)
    assert wdth == narrowest and -linebreak.TRACK_SHRINK_EM <= track < 0


def test_neighbouring_lines_are_kept_near_one_width():
    """Two lines one above the other set far apart (a condensed line over a
    letter-spaced one) cost ADJACENT_DEMERITS: total fit then breaks the
    paragraph so that fewer neighbours differ by more than a step, the
    fewer the dearer."""
    text = " ".join(["organisation delegation the constitutional declared parliament"] * 6)

    def steps(breaks: list[linebreak.Breakpoint]) -> list[int]:
        return [
            linebreak._fitness(b.wdth - fonts.HZ_BASE, b.tracking)
            for b in breaks
            if b.kind != "end"
        ]

    def jumps(cost: float, monkeypatch: pytest.MonkeyPatch) -> int:
        monkeypatch.setattr(linebreak, "ADJACENT_DEMERITS", cost)
        found = []
        for width in range(260, 420, 9):
            breaks = linebreak.plan(
                linebreak.tokens(text), float(width), SIZE, anywhere, widths=fonts.HZ_WIDTHS
            )
            assert breaks is not None
            fit = steps(breaks)
            found += [abs(a - b) for a, b in itertools.pairwise(fit)]
        return sum(j > 1 for j in found)

    cost = linebreak.ADJACENT_DEMERITS
    with pytest.MonkeyPatch.context() as patch:
        free = jumps(0.0, patch)
        kept = jumps(cost, patch)
        dear = jumps(100 * cost, patch)
    assert free > 0 and dear < kept <= free


def test_tight_spaces_cost_with_glyph_expansion():
    """Word spaces under the ideal cost, 100 at the least they may take: a
    line with its spaces at 0.21 em is no longer free, so total fit does not
    pack lines tight beside loose ones."""
    size = SIZE
    least = (space_glyph() + linebreak.WORD_SPACING_EM) * size
    assert linebreak._tightness(0.0, 4, size, least) == pytest.approx(100.0)
    ideal_slack = 4 * (linebreak.IDEAL_EM * size - least)
    assert linebreak._tightness(ideal_slack, 4, size, least) == 0.0
    half = linebreak._tightness(ideal_slack / 2, 4, size, least)
    assert 0 < half < 100 / 4  # with the cube


def test_a_paragraphs_last_line_keeps_the_paragraphs_width():
    """A paragraph's last line is not justified: it is set at the paragraph's
    width whatever room it leaves, and total fit prefers the paragraph's
    width for the other lines where two ways of breaking are as good."""
    text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda"
    toks = linebreak.tokens(text)
    breaks = linebreak.plan(toks, 200.0, SIZE, no_hyphens, widths=fonts.HZ_WIDTHS)
    assert breaks is not None and len(breaks) > 1
    assert breaks[-1].kind == "end" and breaks[-1].wdth == fonts.HZ_BASE
    assert breaks[-1].tracking == 0.0
    # without expansion the same paragraph has no widths at all
    plain = linebreak.plan(toks, 200.0, SIZE, no_hyphens)
    assert plain is not None and {b.wdth for b in plain} == {0}


def test_a_line_at_another_width_is_enforced_with_its_class():
    toks = linebreak.tokens("alpha beta <em>gamma</em> delta")
    space = next(i for i, t in enumerate(toks) if t.char == " ")
    breaks = [
        linebreak.Breakpoint(space, "space", 0.0, 97),
        linebreak.Breakpoint(len(toks) - 1, "end", 0.0125, 99),
    ]
    assert linebreak.enforce(toks, breaks) == (
        '<span class="hz97">alpha </span>'
        '<span class="hz99" style="letter-spacing: 0.0125em">beta \u2060</span><em>'
        '<span class="hz99" style="letter-spacing: 0.0125em">gamma</span></em>'
        '<span class="hz99" style="letter-spacing: 0.0125em"> \u2060delta</span>'
    )


def test_a_lone_word_on_a_justified_line_is_letter_spaced():
    """A line of one word has no spaces to stretch: it takes the ordinary
    letter-spacing limit."""
    assert planned("abc", 100.0, justify_last=True) == [("abc", "end", linebreak.TRACK_STRETCH_EM)]
    assert planned("abc", 100.0) == [("abc", "end", 0.0)]


# -- the number of lines ---------------------------------------------------------------

PARAGRAPH = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda"


def test_a_paragraph_can_be_given_exactly_so_many_lines_or_at_most():
    """Asked for n lines, total fit makes n (a piece of a paragraph on
    facing pages keeps its lines), or nothing when n lines cannot hold it;
    asked for at most n, it makes the best of up to n lines."""
    best = planned(PARAGRAPH, 150.0)
    assert best is not None and len(best) == 3
    for n in (3, 4, 5, 6):
        exact = planned(PARAGRAPH, 150.0, lines=n)
        assert exact is not None and len(exact) == n, n
        assert "".join(line for line, _, _ in exact) == PARAGRAPH
        assert planned(PARAGRAPH, 150.0, lines=n, at_most=True) == best
    for n in (1, 2):
        assert planned(PARAGRAPH, 150.0, lines=n) is None
        assert planned(PARAGRAPH, 150.0, lines=n, at_most=True) is None


# -- ragged-right text -----------------------------------------------------------------


def first_fit(text: str, width: float) -> list[str]:
    """WeasyPrint's way: each line takes the words that fit."""
    lines, current = [], ""
    for word in text.split(" "):
        longer = f"{current} {word}" if current else word
        if natural(longer) <= width:
            current = longer
        else:
            lines.append(current)
            current = word
    return [*lines, current]


def test_ragged_lines_fill_the_rag_zone_and_are_never_letter_spaced():
    """A ragged line may end anywhere in the last RAGGED_ZONE of the
    measure at no cost, and ending it before a word that would fit costs
    RAGGED_EARLY_PENALTY: lines are set as full as first fit sets them,
    where that leaves no line far shorter, with no letter-spacing and their
    spaces as they are. (Evened out, total fit had moved "of" down and left
    28 and 30 px where first fit leaves 15 and 43: a typographer counted
    13.5 % of biography-kk-en's lines ended before a word that fitted.)"""
    text = (
        "we went to a meeting of the parliamentary commission on constitutional questions "
        "in the capital"
    )
    greedy = first_fit(text, 142.0)
    lines = planned(text, 142.0, ragged=True)
    assert lines is not None and len(lines) == len(greedy) == 5
    assert [line for line, _, _ in lines][:2] == ["we went to a meeting of ", "the parliamentary "]
    white = [round(142.0 - natural(line.rstrip())) for line, _, _ in lines[:-1]]
    assert white == [round(142.0 - natural(line)) for line in greedy[:-1]] == [15, 43, 60, 12]
    assert {tracking for _, _, tracking in lines} == {0.0}


def test_a_ragged_line_far_short_of_the_measure_still_takes_a_word(monkeypatch):
    """Past the rag zone a line's white costs as before: where first fit
    would leave one line far shorter than the others, total fit still
    moves a word down to it, ending the line before early."""
    text = (
        "and soviet party to is committee this republic soviet the committee a this for "
        "party and on parliamentary"
    )
    greedy = first_fit(text, 120.0)
    lines = planned(text, 120.0, ragged=True, lines=len(greedy))
    assert lines is not None
    white = [round(120.0 - natural(line.rstrip())) for line, _, _ in lines[:-1]]
    assert [round(120.0 - natural(line)) for line in greedy[:-1]] == [9, 40, 20, 12, 51]
    assert white == [9, 40, 20, 31, 32]


def test_a_ragged_line_does_not_end_a_sentence_far_short_of_the_measure(monkeypatch):
    """A ragged line that ends a sentence well short of the measure, the
    next starting flush left, reads as a paragraph's end where paragraphs
    are marked by an indent: total fit sets the sentence's end inside a
    line instead, in as many lines (a typographer counted ten such false
    paragraph ends in biography-kk-en)."""
    text = (
        "the law was passed. Afterwards the government announced a programme of reforms "
        "across the republic"
    )
    lines = planned(text, 130.0, ragged=True)
    assert lines is not None
    assert [line for line, _, _ in lines][:2] == ["the law was ", "passed. Afterwards "]
    monkeypatch.setattr(linebreak, "FALSE_END_PENALTY", 0.0)
    free = planned(text, 130.0, ragged=True)
    assert free is not None and len(free) == len(lines)
    first = free[0][0]
    assert first == "the law was passed. " and 130.0 - natural(first.rstrip()) > 0.15 * 130.0


def _dear_after(text: str, word: str) -> frozenset[int]:
    """The spaces after ``word`` (a date's year word, before its day)."""
    toks, seen, found = linebreak.tokens(text), "", set()
    for index, tok in enumerate(toks):
        if tok.char == " " and seen.endswith(word):
            found.add(index)
        seen += tok.char
    return frozenset(found)


def test_a_ragged_sentence_end_far_short_costs_more_than_parting_a_date(monkeypatch):
    """The cost of a false paragraph end grows with the white it leaves
    (the square of it past FALSE_END_SLACK): a sentence ending over a third
    of the measure short, the next flush left under it, is read as a
    paragraph without its indent, worse than a date parted after its year's
    word ("басқарды." / "1993 жылғы 3 қазанда" in biography-kk-en, which
    two readers named first); at the flat cost total fit took it."""
    first = "the sessions ended."
    text = first + f" 1993{NBSP}jylgy 3{NBSP}qazanda."
    width = natural(first + f" 1993{NBSP}jylgy") + 2
    dear = _dear_after(text, "jylgy")
    lines = planned(text, width, ragged=True, dear=dear, lines=2)
    assert [line for line, _, _ in lines or []] == [f"{first} 1993{NBSP}jylgy ", f"3{NBSP}qazanda."]
    monkeypatch.setattr(linebreak, "FALSE_END_PENALTY", 0.0)
    flat = planned(text, width, ragged=True, dear=dear, lines=2)
    assert [line for line, _, _ in flat or []] == [f"{first} ", f"1993{NBSP}jylgy 3{NBSP}qazanda."]
    # (the sentence's line, as the flat cost set it, over a third short)
    assert flat is not None and 1 - natural(flat[0][0].rstrip()) / width > 0.35


def test_a_word_that_holds_a_hyphen_is_broken_only_where_nothing_else_fits():
    """A word joined by a hyphen ("8–11‑шақырылымдарының") is not hyphenated
    again; a paragraph that has no breaks without it (biography-kk-en's,
    which WeasyPrint then set first fit) may break it with ``compounds``,
    as dearly as a capitalised word, and only then."""
    text = f"the 8{NB}11{NB}convocations were elected"
    assert natural(f"8{NB}11{NB}convocations") > 90.0
    assert planned(text, 90.0, anywhere, ragged=True) is None
    lines = planned(text, 90.0, anywhere, ragged=True, compounds=True)
    assert lines is not None
    broken = [line for line, kind, _ in lines if kind == "hyphen"]
    assert len(broken) == 1 and f"8{NB}11{NB}conv" in broken[0]
    # where the paragraph has breaks without it, the compound stays whole
    wide = planned(text, 160.0, anywhere, ragged=True, compounds=True)
    assert wide is not None and all(kind != "hyphen" for _, kind, _ in wide)


def test_a_ragged_paragraphs_last_line_is_not_one_short_word(monkeypatch):
    """A ragged paragraph does not end on one short word alone ("KGB.",
    "Baku.", "етті.": a typographer counted eight in biography-kk-en's
    columns): a word of the line above comes down to it; a paragraph of one
    line, and a last word as wide as a quarter of the measure, are left."""
    text = "the council of ministers of the republic met in october anew."
    lines = planned(text, 150.0, ragged=True)
    assert lines is not None and [line for line, _, _ in lines][-1] == "october anew."
    monkeypatch.setattr(linebreak, "RUNT_DEMERITS", 0.0)
    free = planned(text, 150.0, ragged=True)
    assert free is not None and free[-1][0] == "anew."
    monkeypatch.undo()
    assert [line for line, _, _ in planned("anew.", 150.0, ragged=True) or []] == ["anew."]


def _year_break(text: str) -> frozenset[int]:
    """The space after "24," (a date's day, before its year)."""
    toks, seen, found = linebreak.tokens(text), "", set()
    for index, tok in enumerate(toks):
        if tok.char == " " and seen.endswith("24,"):
            found.add(index)
        seen += tok.char
    return frozenset(found)


def test_ragged_text_keeps_a_date_whole_where_first_fit_parts_its_year():
    """First fit ends a line with "February 24," and starts the next with
    "1994"; total fit sets the date whole on one line, in as many lines,
    and parts it only where it must."""
    text = (
        "the decree of the council was read on February\u00a024, 1994 in every town of the republic"
    )
    assert first_fit(text, 150.0)[1].endswith("24,")
    toks = linebreak.tokens(text)
    year = _year_break(text)
    breaks = linebreak.plan(toks, 150.0, SIZE, no_hyphens, ragged=True, dear=year)
    assert breaks is not None and len(breaks) == 4
    assert not year & {b.token for b in breaks}
    # in a column narrower than the date, its year goes over
    narrow = "read out on February\u00a024, 1994"
    assert natural("February\u00a024, 1994") > 90.0
    forced = linebreak.plan(
        linebreak.tokens(narrow), 90.0, SIZE, no_hyphens, ragged=True, dear=_year_break(narrow)
    )
    assert forced is not None and _year_break(narrow) & {b.token for b in forced}


# -- hyphens ---------------------------------------------------------------------------


def _longest_run(kinds: list[str], of: tuple[str, ...] = ("hyphen",)) -> int:
    longest = run = 0
    for kind in kinds:
        run = run + 1 if kind in of else 0
        longest = max(longest, run)
    return longest


# A paragraph of the Azerbaijani article, with titles' nouns and names
AZ_TITLES = (
    "Azərbaycan Respublikasının Prezidenti Heydər Əliyev beynəlxalq və regional "
    "təşkilatlarla, etdiyi xarici səfərlərdə, görüşlərdə həmişə azərbaycanlıların "
    "soyqırımı və faciələri ilə bağlı müraciətlər etmiş, siyasi-diplomatik fəaliyyət "
    "göstərmişdir. Bununla bağlı olaraq Azərbaycan Respublikası Ali Sovetinin sədri "
    "Heydər Əliyevin BMT Təhlükəsizlik Şurasının sədrinə və BMT-nin baş katibinə məktubu"
)


def test_a_ragged_line_is_hyphenated_rarely_and_a_capitalised_word_last(monkeypatch):
    """In ragged text a hyphen costs three times what it costs in justified
    text (a line only ends shorter without it: a typographer counted a
    quarter of the Azerbaijani column's lines hyphenated), and a capitalised
    word ten times ("Res-/publikası" read as a name broken). In as many
    lines as WeasyPrint would set, at four measures, against the justified
    cost for every hyphen: fewer hyphens, and fewer capitalised words broken."""
    text = AZ_TITLES

    def hyphens(width: float, lines: int) -> tuple[int, int]:
        got = planned(text, width, anywhere, ragged=True, lines=lines)
        assert got is not None
        broken = [line.split()[-1] for line, kind, _ in got if kind == "hyphen"]
        return len(broken), sum(word[0].isupper() for word in broken)

    # (without the rag zone, where a line ending short costs from the first
    # pixel: the zone alone leaves these titles one hyphen at four measures)
    monkeypatch.setattr(linebreak, "RAGGED_ZONE", 0.0)
    widths = (150.0, 170.0, 200.0, 220.0)
    counts = [len(planned(text, w, anywhere, ragged=True) or []) for w in widths]
    shipped = [hyphens(w, n) for w, n in zip(widths, counts, strict=True)]
    monkeypatch.setattr(linebreak, "RAGGED_HYPHEN_PENALTY", linebreak.HYPHEN_PENALTY)
    monkeypatch.setattr(linebreak, "RAGGED_CAPITAL_PENALTY", linebreak.HYPHEN_PENALTY)
    cheap = [hyphens(w, n) for w, n in zip(widths, counts, strict=True)]
    assert sum(h for h, _ in shipped) < sum(h for h, _ in cheap)
    assert sum(c for _, c in shipped) < sum(c for _, c in cheap)
    assert all(s <= c for s, c in zip(shipped, cheap, strict=True))


def test_a_justified_line_breaks_a_capitalised_word_last(monkeypatch):
    """In justified text too a capitalised word (a name, a title's noun:
    "Res-/publikası", "Respub-/likası", "Preziden-/ti") costs ten times a
    hyphen to break: the issue's typographer asked for no names broken.
    At eleven measures, in as many lines as each sets: fewer capitalised
    words broken than at a hyphen's cost, and never more at any measure."""
    text = AZ_TITLES

    _fewer_than_at_a_hyphens_cost(
        monkeypatch, text, lambda line: line.split()[-1][0].isupper(), "CAPITAL_PENALTY"
    )


def test_a_justified_line_rarely_ends_on_three_letters_of_a_word(monkeypatch):
    """A break that leaves three letters on the line ("soy-/qırımı",
    "məs-/ələ") costs twice a hyphen: a typographer read them as the
    marks of a careless setting. At eleven measures, in as many lines as
    each sets: fewer such breaks than at a hyphen's cost, never more."""
    text = (
        "Azərbaycan xalqının soyqırımı və faciələri ilə bağlı məsələlər beynəlxalq "
        "təşkilatlarda müzakirə edilmiş, dövlətlərin parlamentlərinə müraciətlər "
        "göndərilmiş, soyqırımı qurbanlarının xatirəsi hər il anılmış, məsələnin "
        "həlli üçün əlaqələr genişləndirilmiş və tədbirlər həyata keçirilmişdir"
    )

    _fewer_than_at_a_hyphens_cost(
        monkeypatch, text, lambda line: len(line.split()[-1]) == 4, "SHORT_PIECE_PENALTY"
    )


def _fewer_than_at_a_hyphens_cost(
    monkeypatch: pytest.MonkeyPatch, text: str, counted: Callable[[str], bool], cost: str
) -> None:
    """At eleven measures, each in as many lines as it sets: fewer of the
    hyphenated lines ``counted`` picks out with the shipped ``cost`` than
    with that cost a hyphen's, and never more at any measure."""

    def count(width: float, lines: int) -> int:
        got = planned(text, width, anywhere, lines=lines)
        assert got is not None
        return sum(counted(line) for line, kind, _ in got if kind == "hyphen")

    widths = [float(w) for w in range(200, 420, 20)]
    counts = [len(planned(text, w, anywhere) or []) for w in widths]
    shipped = [count(w, n) for w, n in zip(widths, counts, strict=True)]
    monkeypatch.setattr(linebreak, cost, linebreak.HYPHEN_PENALTY)
    cheap = [count(w, n) for w, n in zip(widths, counts, strict=True)]
    assert sum(shipped) < sum(cheap)
    assert all(s <= c for s, c in zip(shipped, cheap, strict=True))


def test_a_paragraph_given_a_line_more_ends_on_a_fragment_only_at_a_loose_lines_cost(
    monkeypatch,
):
    """A paragraph given one line more than it needs (to keep a word whole
    at a page turn) filled it most cheaply by pushing the tail of a broken
    word onto a line of its own ("сайлан-/ған.", read as a fragment at the
    head of a page). Such a last line costs more than a loose line now:
    at forty measures, fewer paragraphs end so than at the cost of any
    last line opening with a tail, and never more at any measure."""
    text = " ".join([PARAGRAPH] * 8) + " understanding"

    def fragment(width: float) -> bool:
        lines = planned(text, width, anywhere)
        assert lines is not None
        longer = planned(text, width, anywhere, lines=len(lines) + 1)
        assert longer is not None
        return longer[-2][1] == "hyphen" and " " not in longer[-1][0].strip()

    widths = [float(w) for w in range(200, 400, 5)]
    shipped = [fragment(w) for w in widths]
    monkeypatch.setattr(linebreak, "FRAGMENT_DEMERITS", linebreak.FINAL_HYPHEN_DEMERITS)
    cheap = [fragment(w) for w in widths]
    assert sum(shipped) < sum(cheap)
    assert not any(s and not c for s, c in zip(shipped, cheap, strict=True))


def test_two_hyphenated_lines_in_a_row_are_allowed_three_are_not():
    rng = random.Random(3)
    longest, pairs = [], 0
    for _ in range(12):
        words = [
            "".join(rng.choice("abcdefghiklmnoprstuvy") for _ in range(rng.randint(5, 12)))
            for _ in range(40)
        ]
        lines = planned(" ".join(words), 200.0, anywhere)
        assert lines is not None
        kinds = [kind for _, kind, _ in lines]
        longest.append(_longest_run(kinds))
        pairs += "".join(kind[0] for kind in kinds).count("shh")
    assert max(longest) == linebreak.MAX_LADDER == 2
    assert pairs  # two in a row after an unhyphenated line too, not only at the start


def test_a_line_ending_at_a_compounds_hyphen_is_part_of_the_run():
    """A line broken after the hyphen of a compound ("state-" / "owned")
    ends with a hyphen like a hyphenated one: runs of both are limited to
    two lines together."""
    rng = random.Random(5)
    longest = []
    for _ in range(12):
        words = [
            "-".join(
                "".join(rng.choice("abcdefghiklmnoprstuvy") for _ in range(rng.randint(3, 7)))
                for _ in range(rng.randint(1, 3))
            )
            for _ in range(40)
        ]
        lines = planned(" ".join(words), 160.0, anywhere)
        assert lines is not None
        longest.append(_longest_run([kind for _, kind, _ in lines], ("hyphen", "after")))
    assert max(longest) == 2


def test_a_hyphen_costs_more_than_a_little_white():
    """Where breaking at spaces alone makes well-spaced lines, total fit
    hyphenates no word, though every word offers break points."""
    text = (
        "After national leader Heydar Aliyev returned to power for the second time and "
        "became President of the Republic of Azerbaijan in 1993, the main directions of "
        "the foreign policy of the Republic of Azerbaijan were to convey to the world the "
        "truth about the genocide and tragedies of the Azerbaijanis"
    )
    spaced = planned(text, 308.0)
    assert spaced is not None
    assert all(word_space(line, 308.0, track) < 0.31 for line, _, track in spaced[:-1])
    assert planned(text, 308.0, anywhere) == spaced


# -- the HTML that enforces the plan -----------------------------------------------------


def _after(toks: list[linebreak.Token], printed: str) -> int:
    """The index of the token with which the characters printed reach ``printed``."""
    text = ""
    for index, tok in enumerate(toks):
        text += tok.char
        if tok.char and text == printed:
            return index
    raise AssertionError(printed)


def test_enforced_html_locks_every_other_break_and_spaces_each_line():
    """Each line's runs of text are wrapped in a span with its
    letter-spacing (closed around tags); every space or dash not chosen is
    followed by a word joiner, once (a tie's joiner is not doubled); a
    chosen hyphenation point prints a hyphen; a line with no letter-spacing
    gets no span."""
    toks = linebreak.tokens(f"the well-known <em>unsettling</em> rest 8–{WJ}11 <b>more</b>")
    breaks = [
        linebreak.Breakpoint(_after(toks, "the well-"), "after", 0.01),
        linebreak.Breakpoint(_after(toks, "the well-known unset"), "hyphen", 0.02),
        linebreak.Breakpoint(
            _after(toks, "the well-known unsettling rest 8–\u206011 more"), "end", 0
        ),
    ]
    assert linebreak.enforce(toks, breaks) == (
        f'<span style="letter-spacing: 0.01em">the {WJ}well-</span>'
        f'<span style="letter-spacing: 0.02em">known {WJ}</span>'
        f'<em><span style="letter-spacing: 0.02em">unset{HY}</span>'
        f"tling</em> {WJ}rest {WJ}8–{WJ}11 {WJ}<b>more</b>"
    )


# -- tokens and break points -------------------------------------------------------------


def test_a_note_call_widens_the_line_and_hides_nothing():
    """A note call (printed by the stylesheet, empty in the HTML) adds one
    digit's width per digit of its number after the character before it;
    the text after it is measured as usual. Tag names are read in any case."""
    source = 'word<sup class="note-call" data-n="3"></sup> and <EM>more</EM> text'
    toks = linebreak.tokens(source)
    assert "".join(t.char for t in toks) == "word and more text"
    assert next(t for t in toks if t.char == "d").extra_em == pytest.approx(linebreak.CALL_DIGIT_EM)
    assert [t.char for t in toks if t.italic] == list("more")
    assert "".join(t.src for t in toks) == source


def test_each_run_of_emphasis_starts_and_ends_the_style():
    """Characters are italic inside each <em> or <i>, bold inside each
    <strong> or <b>, and plain again after them; other inline elements
    change no style."""
    source = '<em>a</em>b<em>c</em> <b>d</b>e<strong>f</strong> <span lang="en">g</span>h'
    styled = [(t.char, t.italic, t.bold) for t in linebreak.tokens(source) if t.char.strip()]
    assert styled == [
        ("a", True, False),
        ("b", False, False),
        ("c", True, False),
        ("d", False, True),
        ("e", False, False),
        ("f", False, True),
        ("g", False, False),
        ("h", False, False),
    ]


def test_a_footnotes_entities_are_kept_as_written_and_not_measured():
    """A footnote's text is not measured up to the end of its own span,
    through the spans, entities and line breaks inside it."""
    source = 'x<span class="footnote" data-n="4">a &amp; <span class="q">b</span> c<br>d</span> y'
    toks = linebreak.tokens(source)
    assert "".join(t.char for t in toks) == "x y"
    assert "".join(t.src for t in toks) == source


def test_words_are_hyphenated_as_the_layouts_allow():
    """``hyphenate-limit-chars: 6 3 3``: words of six letters or more, three
    letters at least on either side of a break; never a protected word, and
    nothing in a language pyphen has no patterns for."""
    hyphenation.guard(["en"])
    hyphenate = linebreak.hyphenator("en", frozenset({"representatives"}))
    assert hyphenate("garden") == [3]  # gar-den
    assert hyphenate("summarily") == [3, 6]  # sum-mar-ily, not summari-ly
    assert hyphenate("paper") == []
    assert hyphenate("representatives") == []
    assert linebreak.hyphenator("en", frozenset())("representatives") == [3, 5, 8, 10]
    assert linebreak.hyphenator("", frozenset())("representatives") == []
    assert linebreak.hyphenator("zz", frozenset())("representatives") == []


# A paragraph of made-up words (random.Random(1)) whose best lines end with
# two hyphenated ones.
ENDS_WITH_A_LADDER = (
    "tksotsovyukpk spuetf yaoubmon accanipi yrlnpdrme eafimeukoi koiolrgrnocc "
    "gehadi rdnyfa ovbtg ombydtodiifr gycn"
)


def test_a_paragraph_ending_with_a_hyphen_counts_it_in_the_run():
    """A piece of a paragraph split at a hyphenated line ends with that
    hyphen: its last line is the third of a run after two hyphenated lines,
    so total fit breaks it otherwise. A paragraph ending with a full stop
    may end with two hyphenated lines before its last."""
    ending = planned(ENDS_WITH_A_LADDER + ".", 200.0, anywhere)
    assert [kind for _, kind, _ in ending][-3:] == ["hyphen", "hyphen", "end"]
    piece = planned(ENDS_WITH_A_LADDER + HY, 200.0, anywhere)
    kinds = [kind for _, kind, _ in piece]
    assert kinds[-1] == "end" and kinds[-3:-1] != ["hyphen", "hyphen"]
    assert "".join(line for line, _, _ in piece).replace("-", "") == ENDS_WITH_A_LADDER + HY
    # the hyphen of a compound broken after its first letter ("e-" / "mail") too
    kinds = [kind for _, kind, _ in planned(ENDS_WITH_A_LADDER + " e-", 200.0, anywhere)]
    assert kinds[-3:-1] != ["hyphen", "hyphen"]


def test_hyphenated_lines_are_kept_apart_where_they_can_be(monkeypatch):
    """A second hyphenated line in a row costs extra: in this paragraph
    (made-up words, random.Random(240)) the best lines would otherwise
    hyphenate two in a row; total fit hyphenates as many, apart."""
    text = (
        "bket uzkbldhayloj ttfqhhrzzamq tclxyzjacp rfkhbcugs wabn avpel pnddfj ronesytzr "
        "zrxjiqrxg znjs frvooclt dndwdzk cqstrgco"
    )
    kinds = [kind for _, kind, _ in planned(text, 200.0, anywhere)]
    assert kinds.count("hyphen") == 2 and _longest_run(kinds) == 1
    monkeypatch.setattr(linebreak, "LADDER_DEMERITS", 0.0)
    kinds = [kind for _, kind, _ in planned(text, 200.0, anywhere)]
    assert kinds.count("hyphen") == 2 and _longest_run(kinds) == 2


def test_every_justified_line_is_measured_from_its_first_letter():
    """Lines after the first are measured from the character after the
    break (a space break's space is not printed): wherever letter-spacing
    stays within its limits, their word spaces come out at 0.3 em too."""
    text = f"{PARAGRAPH} {PARAGRAPH}"
    checked = 0
    for width in (140.0, 180.0, 194.0, 216.0, 240.0):
        lines = planned(text, width)
        assert lines is not None
        for number, (line, _, track) in enumerate(lines[:-1]):
            if -linebreak.TRACK_SHRINK_EM < track < linebreak.TRACK_STRETCH_EM:
                assert word_space(line, width, track) == pytest.approx(0.3, abs=5e-4), line
                checked += number > 0
    assert checked >= 8


def test_a_word_is_hyphenated_whole_and_not_where_a_hyphen_joins_it():
    """The word hyphenated is the whole run of letters, from a paragraph's
    first character on; a word joined by a hyphen to what stands before or
    after it ("8–11‑unsettling", "unsettling‑x") is not hyphenated at that
    place: a line that only its hyphenation would fit is not made."""

    def at_five(word: str) -> list[int]:
        return [5] if word == "unsettling" else []

    hyphen = linebreak._glyph_widths("Noto Serif", False, False)[1] * SIZE

    def first_line(text: str, printed: str) -> tuple[str, str] | None:
        lines = planned(text, natural(printed) + hyphen + 0.5, at_five)
        return None if lines is None else lines[0][:2]

    assert first_line("unsettling rest", "unset") == ("unset-", "hyphen")
    # the paragraph's last character is no hyphen before its first word
    assert first_line(f"unsettling and so{HY}", "unset") == ("unset-", "hyphen")
    assert first_line("8–11\u2011unsettling", "8–11\u2011unset") is None
    assert first_line("x\u2011unsettling", "x\u2011unset") is None
    assert first_line("\u2011unsettling", "\u2011unset") is None
    assert first_line("unsettling\u2011x", "unset") is None
    assert first_line("unsettling-x", "unset") is None


def test_an_indented_first_line_is_planned_narrower_by_its_indent():
    """``text-indent`` (a facing page's paragraphs) takes room from the
    first line only: its word spaces fill the measure less the indent, the
    other lines are planned as without one."""
    width, indent = 206.0, 30.0
    lines = planned(f"{PARAGRAPH} {PARAGRAPH}", width, indent_px=indent)
    flat = planned(f"{PARAGRAPH} {PARAGRAPH}", width)
    assert lines is not None and flat is not None
    first, _, track = lines[0]
    assert natural(first.rstrip(" ")) < width - indent
    assert -linebreak.TRACK_SHRINK_EM < track < linebreak.TRACK_STRETCH_EM
    assert word_space(first, width - indent, track) == pytest.approx(0.3, abs=5e-4)
    assert natural(flat[0][0].rstrip(" ")) > width - indent  # the plain first line would not fit


def test_the_last_line_opens_with_a_word_broken_on_the_line_before_only_at_a_cost(monkeypatch):
    """A paragraph ending on the tail of a word hyphenated on the line
    before reads as a fragment: it costs FINAL_HYPHEN_DEMERITS, so that
    some measure that broke there without the cost no longer does, and no
    measure is made to break there by it."""
    text = f"{PARAGRAPH} {PARAGRAPH} understanding"

    def penultimate_hyphenated(lines: list[tuple[str, str, float]] | None) -> bool:
        assert lines is not None
        return len(lines) > 1 and lines[-2][1] == "hyphen"

    # every piece costs the same here: the breaks told apart are the last line's
    monkeypatch.setattr(linebreak, "SHORT_PIECE_PENALTY", linebreak.HYPHEN_PENALTY)
    # a last line that is only the tail costs more (test_a_paragraph_given_a_line_more_...)
    monkeypatch.setattr(linebreak, "FRAGMENT_DEMERITS", linebreak.FINAL_HYPHEN_DEMERITS)
    widths = range(120, 320, 2)
    with_cost = [penultimate_hyphenated(planned(text, float(w), anywhere)) for w in widths]
    monkeypatch.setattr(linebreak, "FINAL_HYPHEN_DEMERITS", 0.0)
    monkeypatch.setattr(linebreak, "FRAGMENT_DEMERITS", 0.0)
    without = [penultimate_hyphenated(planned(text, float(w), anywhere)) for w in widths]
    assert sum(with_cost) < sum(without)
    assert not any(a and not b for a, b in zip(with_cost, without, strict=True))


def test_a_justified_paragraphs_last_line_keeps_the_faces_own_spaces_where_it_has_room():
    """The last line of a justified paragraph, which is not stretched, is
    set with the face's own word spaces, not the shrunk ones its justified
    lines may take (as TeX sets it with its natural glue), where they leave
    it a pixel to spare; a ragged paragraph's lines all keep one space."""
    text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu"
    width = natural("alpha beta gamma delta epsilon zeta") + 1.0
    toks = linebreak.tokens(text)
    breaks = linebreak.plan(toks, width, SIZE, no_hyphens)
    assert breaks is not None and len(breaks) == 2
    assert [b.spaced for b in breaks] == [False, True]
    enforced = linebreak.enforce(toks, breaks)
    assert enforced.count(f'<span style="{linebreak.LAST_SPACING}">') == 1
    assert enforced.endswith("mu</span>")  # the span closes at the paragraph's end
    # a last line with no room for them keeps the paragraph's spaces
    last = "eta theta iota kappa lambda mu"
    tight = natural(last) + 0.5 * (last.count(" ") * -linebreak.WORD_SPACING_EM * SIZE)
    full = linebreak.plan(linebreak.tokens(last), tight, SIZE, no_hyphens)
    assert full is not None and len(full) == 1 and not full[0].spaced
    ragged = linebreak.plan(toks, width, SIZE, no_hyphens, ragged=True)
    assert ragged is not None and not any(b.spaced for b in ragged)
