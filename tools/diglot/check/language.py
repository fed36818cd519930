"""Letters, scripts and languages: what the foreign-language and OCR checks share."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from functools import cache

from babel import Locale, UnknownLocaleError

from diglot.facts import fold
from diglot.facts import words as words_in
from diglot.languages import base_language
from diglot.sources import Document

SENTENCE_MIN_LETTERS = 12
SENTENCE_MIN_WORDS = 5

# CLDR's exemplar characters (common/main/<lang>.xml, main and auxiliary sets).
# Babel does not expose them (there is no Locale.exemplar_characters), so the
# sets of the languages diglot checks are written down here, from CLDR.
_CLDR_EXEMPLARS: dict[str, tuple[str, str]] = {
    "az": ("abcçdeəfgğhxıijkqlmnoöprsştuüvyz", "w"),
    "en": ("abcdefghijklmnopqrstuvwxyz", "áàăâåäãāæçéèĕêëēíìĭîïīñóòŏôöøōœúùŭûüūÿ"),
    "kk": ("аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя", ""),
    "ru": ("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", ""),
}


@cache
def alphabet(language: str, auxiliary: bool = False) -> frozenset[str]:
    """The lower-case letters of ``language`` (CLDR exemplar characters).

    Uses ``Locale.exemplar_characters`` when the installed Babel provides
    it, else CLDR's sets for az, en, kk and ru; empty for other languages.
    """
    base = base_language(language)
    locale = Locale.parse(base)
    exemplars = getattr(locale, "exemplar_characters", None)
    if isinstance(exemplars, Mapping) and exemplars.get(""):
        letters = set(str(c) for c in exemplars[""])
        if auxiliary:
            letters |= set(str(c) for c in exemplars.get("auxiliary", ()))
        return frozenset(fold(c) for c in letters if len(c) == 1)
    main, aux = _CLDR_EXEMPLARS.get(base, ("", ""))
    return frozenset(main + aux if auxiliary else main)


def script_of(char: str) -> str:
    """The script of a letter ("LATIN", "CYRILLIC", ...): the first word of its Unicode name."""
    try:
        return unicodedata.name(char).split()[0]
    except ValueError:
        return "UNKNOWN"


@cache
def language_script(language: str) -> str | None:
    scripts = Counter(script_of(c) for c in alphabet(language))
    return scripts.most_common(1)[0][0] if scripts else None


# Letter patterns that are evidence of a language beyond its own letters:
# digraphs English needs for sounds Azerbaijani writes with one letter
# (ş, ç, ğ) or does not have (th, w); Russian inflections and the letters
# Kazakh uses only in Russian loans.
_EVIDENCE: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"w|th|sh|ch|ph|ck|gh"),
    "ru": re.compile(
        r"[ёщъэ]|(?:ого|его|ому|ему|ыми|ими|ами|ями|ться|тся|ость|ости|ение|ения|ании"
        r"|ский|ская|ское|ских|ный|ная|ное|ных|ным|ной|ый|ий|ая|ое|ые|ие|ия|ем|ом|ах|ях"
        r"|ся|ть|ает|ует|ют|ят)$"
    ),
}
KNOWN_LANGUAGES = tuple(_CLDR_EXEMPLARS)


def guess_language(sentence: str, language: str) -> str | None:
    """The language a sentence of a ``language`` text seems to be in, if not that one.

    By script first (a Cyrillic sentence in an English text), then by letter
    evidence between languages of the same script: letters one alphabet has
    and the other lacks (Kazakh ә ғ қ ң ө ұ ү һ і; Azerbaijani ə ı ğ ş ç ö ü;
    English w) and the patterns in ``_EVIDENCE``.
    """
    letters = [c for c in fold(sentence) if c.isalpha()]
    if len(letters) < SENTENCE_MIN_LETTERS:
        return None
    own_script = language_script(language)
    if own_script is None:
        return None
    scripts = Counter(script_of(c) for c in letters)
    script, count = scripts.most_common(1)[0]
    words = [fold(w) for w in words_in(sentence)]
    if script != own_script:
        if scripts[own_script] <= 0.4 * len(letters) and count >= 0.6 * len(letters):
            return _best_of_script(script, words) or script.lower()
        return None
    for other in KNOWN_LANGUAGES:
        if other == language.split("-")[0] or language_script(other) != own_script:
            continue
        if _looks_like(words, other, language):
            return other
    return None


def _best_of_script(script: str, words: list[str]) -> str | None:
    """Which known language of ``script`` the words are in: the one with most
    evidence (its own letters, its patterns); on a tie the smallest alphabet
    that has all the letters (Russian rather than Kazakh, English rather than
    Azerbaijani)."""
    candidates = [lang for lang in KNOWN_LANGUAGES if language_script(lang) == script]
    if not candidates:
        return None
    letters = {c for w in words for c in w}

    def score(lang: str) -> tuple[int, int, int]:
        others: set[str] = set()
        for other in candidates:
            if other != lang:
                others |= alphabet(other)
        own = alphabet(lang) - others
        pattern = _EVIDENCE.get(lang)
        evidence = sum(1 for w in words if own & set(w) or (pattern and pattern.search(w)))
        covers = int(letters <= alphabet(lang))
        return (evidence, covers, -len(alphabet(lang)))

    return max(candidates, key=score)


def _looks_like(words: list[str], other: str, language: str) -> bool:
    """Do these words (of one sentence) look like ``other`` rather than ``language``?"""
    if len(words) < SENTENCE_MIN_WORDS:
        return False
    own_only = alphabet(language) - alphabet(other)
    other_only = alphabet(other) - alphabet(language)
    own_words = sum(1 for w in words if own_only & set(w))
    other_words = sum(1 for w in words if other_only & set(w))
    pattern = _EVIDENCE.get(other)
    evidence = other_words
    if pattern is not None:
        evidence = sum(1 for w in words if other_only & set(w) or pattern.search(w))
    if own_words:
        return False  # the file's own letters are there
    # Letters alone must be frequent; letters and patterns together less so.
    share = 0.15 if pattern is not None else 0.3
    return evidence >= 2 and evidence >= share * len(words)


def language_name(language: str) -> str:
    try:
        return Locale.parse(language).get_display_name("en") or language
    except (UnknownLocaleError, ValueError):
        return language


def words_of(doc: Document) -> set[str]:
    """The folded words of every block of a text."""
    return {
        fold(w)
        for seg in doc.segments.values()
        for block in seg.blocks
        for w in words_in(block.plain)
    }
