"""Paragraphs that repeat an earlier one (``duplicate-segment``, ``diglot
align``): the same text, a near copy, or the same content words reworded;
each at the edge of what counts."""

from __future__ import annotations

import random

import pytest

from diglot.repeats import Repeat, find_repeats, normalise, similarity

WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echoes",
    "foxtrot",
    "golfer",
    "hotel",
    "india",
    "juliet",
    "kilos",
    "limas",
    "mikes",
    "novembers",
    "oscars",
    "papas",
    "quebec",
    "romeo",
    "sierra",
    "tangos",
    "uniform",
    "victor",
    "whiskey",
    "xrays",
]


def text_of(length: int, seed: int = 0) -> str:
    """A text of ``length`` characters (normalised) of varied words."""
    rng = random.Random(seed)
    out = ""
    while len(out) < length:
        out += rng.choice(WORDS) + " "
    return out[:length].rstrip() + "x" * (length - len(out[:length].rstrip()))


def test_the_same_text_is_a_repeat_from_forty_characters():
    assert find_repeats(["y" * 39, "y" * 39]) == []
    assert find_repeats(["y" * 40, "Y" * 40]) == [Repeat(1, 0, 1.0)]
    # Punctuation and case do not make two texts differ.
    a = "The decree was signed, and the people gathered in the square."
    assert find_repeats([a, a.upper().replace(",", " ;")]) == [Repeat(1, 0, 1.0)]


def test_the_first_earlier_text_is_named():
    a = text_of(80)
    assert find_repeats([a, text_of(80, 1), a, a]) == [Repeat(2, 0, 1.0), Repeat(3, 0, 1.0)]


def test_near_copies_count_from_nine_tenths_alike():
    base = "q" * 90
    assert similarity(base, base + "z" * 20) == 2 * 90 / 200 == 0.9  # just enough
    assert similarity(base, base + "z" * 21) is None  # the lengths alone differ too much


def test_near_copy_ratio():
    a = "abcdefghij" * 20
    nine_tenths = a[:100] + "0" * 20 + a[120:]  # 180 of 200 characters kept
    assert similarity(a, nine_tenths) == pytest.approx(0.9)
    assert find_repeats([a, nine_tenths]) == [Repeat(1, 0, pytest.approx(0.9))]
    fewer = a[:100] + "0" * 21 + a[121:]
    assert similarity(a, fewer) is None and find_repeats([a, fewer]) == []


def test_long_texts_are_compared_by_their_pieces():
    a = text_of(2500)
    nearly = a[:1200] + "different words here" + a[1220:]
    ratio = similarity(a, nearly)
    assert ratio is not None and 0.9 <= ratio < 1
    assert similarity(a, text_of(2500, seed=7)) is None
    edge = text_of(2001)
    assert similarity(edge, edge[:1000] + "0" * 30 + edge[1030:]) is not None


def reworded(shared: int, only_a: int, only_b: int, short: int = 0) -> list[str]:
    """Two texts with ``shared`` content words in common (in another order),
    and ``only_a``/``only_b`` of their own; ``short`` common words of three letters."""
    common = [f"shared{i}word" for i in range(shared)]
    a = common + [f"first{i}only" for i in range(only_a)] + ["the"] * short
    b = common[::-1] + [f"second{i}only" for i in range(only_b)] + ["the"] * short
    return [" ".join(a), " ".join(b)]


@pytest.mark.parametrize(
    ("shared", "only_a", "only_b", "found"),
    [
        (33, 33, 34, True),  # 33 of 100 words
        (33, 34, 34, False),  # 33 of 101: less than 0.33
        (8, 8, 9, False),  # 8 of 25
        (7, 4, 4, False),  # 7 words in common are too few, whatever the share
        (8, 0, 0, True),
    ],
)
def test_reworded_paragraphs_share_eight_content_words_and_a_third(shared, only_a, only_b, found):
    texts = reworded(shared, only_a, only_b)
    repeats = find_repeats(texts)
    assert bool(repeats) is found, repeats
    if found:
        (repeat,) = repeats
        assert repeat.reworded and (repeat.shared, repeat.union) == (
            shared,
            shared + only_a + only_b,
        )


def test_short_words_do_not_count_as_content():
    texts = reworded(7, 0, 0, short=5)
    assert find_repeats(texts) == []


def test_normalise():
    assert normalise("  Heydər,  ƏLİYEV!\n— 1993. ") == normalise("heydər əliyev 1993")


def test_four_letters_make_a_content_word():
    common = ["able", "back", "cold", "dark", "each", "fact", "gate", "half"]
    a = " ".join(common + ["the"] * 4)
    b = " ".join(common[::-1] + ["and"] * 4)
    (repeat,) = find_repeats([a, b])
    assert repeat.reworded and (repeat.shared, repeat.union) == (8, 8)


def test_long_texts_nine_tenths_alike_by_their_pieces_are_repeats():
    """Over 2,000 characters, texts are compared by their 4-character
    pieces: 2,003 characters make 2,000 pieces; 50 characters changed, each
    in four pieces, leave 1,800 of 2,000 in common: 0.9, just enough. One
    change more is too many."""
    rng = random.Random(4)
    a = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(2003))

    def changed(count: int) -> str:
        b = list(a)
        for k in range(count):
            b[20 + 39 * k] = "0"
        return "".join(b)

    assert similarity(a, changed(50)) == 0.9
    assert similarity(a, changed(51)) is None
