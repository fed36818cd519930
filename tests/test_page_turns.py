"""What a page turn may not break: a word (diglot.typography.turn_words,
locked against hyphenation), a date or a compound at its own hyphen
(turn_ties: the settle loop ties the words a page broke apart, tie_words,
and the line-breaking cache keeps the ties, diglot.settlecache)."""

from __future__ import annotations

import json

from diglot import settlecache, typography
from diglot.proof import Line

from .test_proof_report import at


def line(page: int, y: float, text: str, block: int = 7, lang: str = "az", **kw: object) -> Line:
    return at(page, 0, text, block, lang=lang, y=y, width=300.0, height=13.0, **kw)


def test_a_word_hyphenated_at_a_rectos_foot_is_found():
    """The leaf turns after a recto (odd page): a word hyphenated there is
    locked. Not at a verso's foot of justified text (the word goes on across
    the spread; ragged text locks it there too), not a hyphen of the text
    itself, not within a page, not into another block."""
    foot = line(3, 500, "the international com\u2010", lang="en")
    top = line(4, 60, "mittee met again", lang="en")
    assert typography.turn_words([foot, top]) == {"committee": 7}
    verso = [
        line(4, 500, "the com\u2010", lang="en", justified=True),
        line(5, 60, "mittee met", lang="en", justified=True),
    ]
    assert typography.turn_words(verso) == {}
    # ragged text keeps its words whole at a verso's foot too
    ragged = [line(4, 500, "the com\u2010", lang="en"), line(5, 60, "mittee met", lang="en")]
    assert typography.turn_words(ragged) == {"committee": 7}
    # a verso's foot to a later recto (a picture page between) is a turn
    later = [line(4, 500, "the com\u2010", lang="en"), line(7, 60, "mittee met", lang="en")]
    assert typography.turn_words(later) == {"committee": 7}
    cases = [
        [line(3, 500, "Nagorno-", lang="en"), line(4, 60, "Karabakh was", lang="en")],
        [line(3, 480, "the com\u2010", lang="en"), line(3, 493, "mittee met", lang="en")],
        [foot, line(4, 60, "mittee met again", block=8, lang="en")],
        [line(3, 500, "the com\u2010", lang="en", front=True), top],
        [line(3, 500, "the com\u2010", lang="en", area="footnote"), top],
    ]
    for lines in cases:
        assert typography.turn_words(lines) == {}, lines


def test_a_date_broken_at_a_page_foot_is_found():
    lines = [
        line(3, 500, "Heydər Əliyevin 25 fevral"),
        line(4, 60, "1997\u2011ci il tarixli Sərəncamı ilə"),
    ]
    assert typography.turn_ties(lines) == {7: {("fevral", "1997\u2011ci")}}


def test_a_compound_broken_at_its_hyphen_where_the_leaf_turns_is_found():
    """A compound broken at its own hyphen at a recto's foot is tied with a
    no-break hyphen; at a verso's foot (the text goes on across the spread)
    or within a page it may break there; a word hyphenated by the layout
    (U+2010) is turn_words' (locked), not a tie."""
    foot = line(13, 500, "екі ел арасындағы қарым-", lang="kk")
    top = line(14, 60, "қатынасы нығайды", lang="kk")
    assert typography.turn_ties([foot, top]) == {7: {("қарым-", "қатынасы")}}
    assert typography.turn_words([foot, top]) == {}
    # a paragraph set as planned holds a word joiner after each space it may
    # not break at: the pair is the text's words (a tie looks them up there)
    wj = "\u2060"
    planned = [
        line(13, 500, f"екі {wj}ел {wj}қарым-", lang="kk"),
        line(14, 60, f"қатынасы {wj}нығайды", lang="kk"),
    ]
    assert typography.turn_ties(planned) == {7: {("қарым-", "қатынасы")}}
    # a one-letter first part ("e-" / "mail") is a compound too
    short = [line(13, 500, "by e-", lang="en"), line(14, 60, "mail and post", lang="en")]
    assert typography.turn_ties(short) == {7: {("e-", "mail")}}
    later = line(17, 60, "қатынасы нығайды", lang="kk")  # pictures between
    assert typography.turn_ties([line(14, 500, "қарым-", lang="kk"), later]) != {}
    cases = [
        [line(14, 500, "арасындағы қарым-", lang="kk"), line(15, 60, "қатынасы", lang="kk")],
        [line(13, 480, "арасындағы қарым-", lang="kk"), line(13, 493, "қатынасы", lang="kk")],
        [line(13, 500, "арасындағы қа\u2010", lang="kk"), top],
        [line(13, 500, "in 1993-", lang="en"), line(14, 60, "1994 the", lang="en")],
    ]
    for lines in cases:
        assert typography.turn_ties(lines) == {}, lines
    # tied: the hyphen becomes a no-break hyphen, only where the two stand
    html = '<p data-tf="7">қарым-қатынасы, қарым- қатынасы</p>'
    assert typography.tie_words(html, {7: frozenset({("қарым-", "қатынасы")})}) == (
        '<p data-tf="7">қарым\u2011қатынасы, қарым- қатынасы</p>'
    )


def test_a_name_parted_by_a_page_turn_is_tied():
    """Two capitalised words inside a sentence, over a page turn, are a
    name ("„қожайыны“ Хейдар" / "Әлиевтің", biography-kk pp. 6-7); not a
    word that opens a sentence, one with punctuation after it, or a word
    in lower case."""
    foot = line(6, 500, "шексіз „қожайыны“ Хейдар", lang="kk")
    top = line(7, 60, "Әлиевтің бақылауымен", lang="kk")
    assert typography.turn_ties([foot, top]) == {7: {("Хейдар", "Әлиевтің")}}
    # a line of one word: the word before it is the line above's last
    alone = [
        line(6, 487, "president", lang="en"),
        line(6, 500, "Heydar", lang="en"),
        line(7, 60, "Aliyev said", lang="en"),
    ]
    assert typography.turn_ties(alone) == {7: {("Heydar", "Aliyev")}}
    cases = [
        [line(6, 500, "болды. Ол", lang="kk"), line(7, 60, "Бакуге келді", lang="kk")],
        [line(6, 500, "деді Хейдар,", lang="kk"), line(7, 60, "Әлиев", lang="kk")],
        [line(6, 500, "the president", lang="en"), line(7, 60, "Aliyev said", lang="en")],
        [line(6, 500, "and Heydar", lang="en"), line(7, 60, "aliyev", lang="en")],
    ]
    for lines in cases:
        assert typography.turn_ties(lines) == {}, lines


def test_a_break_outside_a_date_or_within_a_page_is_not():
    cases = [
        # before the date, not inside it
        [
            line(4, 500, "and his meeting on", lang="en"),
            line(5, 60, "February 24, 1996", lang="en"),
        ],
        # the same page: an ordinary line break
        [line(3, 480, "Heydər Əliyevin 25 fevral"), line(3, 493, "1997\u2011ci il")],
        # another block on the next page (the paragraph ended)
        [line(3, 500, "Heydər Əliyevin 25 fevral"), line(4, 60, "1997\u2011ci il", block=8)],
        # the front matter is no text
        [line(1, 500, "Nəşr tarixi 25 fevral", front=True), line(2, 60, "1997", front=True)],
    ]
    for lines in cases:
        assert typography.turn_ties(lines) == {}, lines


def test_a_tie_joins_only_the_two_words_it_names_in_its_own_paragraph():
    html = (
        '<p data-tf="1">Əliyevin 25 fevral 1997-ci il, 25 fevral 1998</p>'
        '<p data-tf="2">25 fevral 1997-ci</p>'
    )
    tied = typography.tie_words(html, {1: frozenset({("fevral", "1997-ci")})})
    assert tied == (
        '<p data-tf="1">Əliyevin 25 fevral\u00a01997-ci il, 25 fevral 1998</p>'
        '<p data-tf="2">25 fevral 1997-ci</p>'
    )
    # a pair written with markup characters matches their escaped form only
    assert typography.tie_inner("a &lt;b&gt; c", {("a", "<b>")}) == "a\u00a0&lt;b&gt; c"
    assert typography.tie_words(html, {}) == html


def test_the_cache_keeps_the_ties_and_refuses_bad_ones(tmp_path):
    html = '<html><body><p data-tf="0">On 25 fevral 1997 the order</p></body></html>'
    ties = {0: frozenset({("fevral", "1997")})}
    with settlecache.session(tmp_path, "ed", "env"):
        settlecache.recall(html, False, set()).remember({}, set(), {}, set(), ties)
    with settlecache.session(tmp_path, "ed", "env"):
        assert settlecache.recall(html, False, set()).ties == ties
    (cache,) = (tmp_path / settlecache.FOLDER / "ed").iterdir()
    good = json.loads(cache.read_text())
    assert good["tied"] == [[0, "fevral", "1997"]]
    # a tied word with a space, an empty one, a number: no word a page printed
    for bad in (["fevral 1997", "x"], ["", "1997"], [3, "1997"], ["fevral"]):
        cache.write_text(json.dumps({**good, "tied": [[0, *bad]]}))
        with settlecache.session(tmp_path, "ed", "env"):
            assert settlecache.recall(html, False, set()).ties == {}, bad
    # a paragraph edited since: its ties are not applied
    cache.write_text(json.dumps(good))
    with settlecache.session(tmp_path, "ed", "env"):
        edited = html.replace("the order", "an order")
        assert settlecache.recall(edited, False, set()).ties == {}


def test_pairs_tied_everywhere_are_tied_in_every_paragraph_until_the_edition_ends():
    """Facing pages find a date split between two spreads in their measuring
    column (diglot.facing.turn_ties); the pair is then tied in every
    paragraph of the edition, measuring column and pages alike, for as long
    as the edition is laid out."""
    from .test_typography import _render

    html = typography.number_paragraphs(
        "<html lang='az'><body><p>Sərəncam 25 fevral 1997 tarixli</p>"
        "<p>və 25 fevral 1997 il</p><p>fevral ayında 1997</p></body></html>"
    )
    with typography.session(["az"]):
        typography.tie_everywhere({("fevral", "1997")})
        assert typography.tied_everywhere() == {("fevral", "1997")}
        settled, _ = typography.settle(html, _render, fit=False)
        assert settled.count("fevral\u00a01997") == 2 and "fevral ayında" in settled
    assert typography.tied_everywhere() == frozenset()
    with typography.session(["az"]):
        settled, _ = typography.settle(html, _render, fit=False)
        assert "\u00a0" not in settled
