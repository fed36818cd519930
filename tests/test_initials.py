"""Initials stay with the next initial and with the name after them
(``typography.tie``): a reader should never meet "S. K." at a line end and
"Tsvigun" on the next line."""

from __future__ import annotations

import re

import pytest

from diglot import typography

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("lang", "text", "tied"),
    [
        ("ru", "убийства С. М. Кирова", f"убийства С.{NBSP}М.{NBSP}Кирова"),
        ("ru", "при Ф. Э. Дзержинском", f"при Ф.{NBSP}Э.{NBSP}Дзержинском"),
        ("en", "General S. K. Tsvigun was", f"General S.{NBSP}K.{NBSP}Tsvigun was"),
        ("ru", "дневник А. С. Черняева", f"дневник А.{NBSP}С.{NBSP}Черняева"),
        ("en", "the diary of A. S. Chernyaev", f"the diary of A.{NBSP}S.{NBSP}Chernyaev"),
        ("kk", "В. Эфендиевтің мақаласы", f"В.{NBSP}Эфендиевтің мақаласы"),
        ("az", "Ə. Elçibəy", f"Ə.{NBSP}Elçibəy"),
        ("en", "M. Yu. Lermontov, 1832", f"M.{NBSP}Yu.{NBSP}Lermontov, 1832"),
        ("ru", "М. Ю. Лермонтов", f"М.{NBSP}Ю.{NBSP}Лермонтов"),
        # a name cut by a line end in the source: its space is already joined
        # (and "к", a Russian one-letter word, goes on with the initial)
        ("ru", "к М. А. Лопухиной от", f"к{NBSP}М.{NBSP}А.{NBSP}Лопухиной от"),
    ],
)
def test_an_initial_is_tied_to_the_next_initial_and_the_name(lang, text, tied):
    assert typography.tie(text, lang) == tied


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # a sentence end after a number, or after a one-letter word: the
        # next sentence's "A" is a word, not a name
        ("en", "He returned in 1993. A new government followed."),
        ("en", "It ended with World War I. A new order began."),
        ("en", "It was I. A friend came."),
        # the last letters of a word are no initial
        ("ru", "Визит в США. Новый договор."),
        ("en", "the USA. Then"),
        # lower-case abbreviations are left to the text's own spaces (those
        # of several words, "т. е.", are tied: test_typography)
        ("ru", "в г. Баку, в столице"),
        ("kk", "Алматы қ. Абай көшесі"),
        # an initial before a word in lower case is a sentence end
        ("en", "Plan B. and more"),
    ],
)
def test_sentence_ends_and_abbreviations_are_not_tied(lang, text):
    # (a Russian one-letter word, "в", is tied to the next word: test_typography)
    tied = typography.tie(text, lang)
    assert tied.replace(NBSP, " ") == text
    assert re.search(r"\.\u00a0", tied) is None


def test_an_initial_ties_only_its_own_space():
    """The tie joins "K." to "Tsvigun" and nothing further: the words after
    the name may still break."""
    out = typography.tie("S. K. Tsvigun and Bobkov", "en")
    assert out == f"S.{NBSP}K.{NBSP}Tsvigun and Bobkov"
    assert out.count(NBSP) == 2
