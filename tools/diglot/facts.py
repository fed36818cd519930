"""Facts a text states, read as values per locale: dates, numbers, ordinals, names.

This module is shared: ``diglot check`` compares the values of aligned
segments, ``diglot align`` uses them and names as anchors between unaligned
texts, and the typography rules use the spans they cover (to keep
"25 fevral 1997" or "226 000" on one line). Everything here is plain functions of a text and a
language tag; locale facts (month names, year and unit words, separators,
magnitude words) come from Babel.

Public API:

- :func:`extract_dates` -> :class:`FoundDate` list (``value`` a
  :class:`DateValue`, ``text``, ``start``, ``end``) and the spans they cover.
- :func:`extract_numbers` -> :class:`FoundNumber` list (``value`` as a
  canonical string, ``text``, ``start``, ``end``, ``small``).
- :func:`value_spans`: where the dates and numbers are, for typography.
- :func:`extract_spelled_numbers`: numbers written in words (num2words).
- :func:`values` and :func:`compare`: what two texts disagree on, as values.
- :func:`names` and :func:`skeleton`: names reduced so that their spellings
  in different scripts and romanisations meet (anyascii).
- :func:`month_of`, :func:`fold`, :func:`words`, :func:`sentences`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache, wraps
from typing import Literal, NamedTuple, TypeVar

from anyascii import anyascii
from babel.dates import get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol
from babel.units import format_unit

from diglot.languages import locale as locale_of

_VOWELS = frozenset("aeiouyəıöüаеёиоуыэюяәөұүі")
T = TypeVar("T")
SMALL_NUMBER = 10  # numbers up to this one are often spelled out on the other side

# Starts only at the first of a run of marks, and takes the run whole
# (possessive): a long run of dots costs one pass, not one per dot.
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]++[\"”»’)\]]*+\s+")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LETTERS = re.compile(r"[^\W\d_]+")


def fold(word: str) -> str:
    """Case-folded, with the combining dot of a lower-cased İ dropped."""
    return unicodedata.normalize("NFC", word.casefold().replace("\u0307", ""))


def words(text: str) -> list[str]:
    """The words of ``text`` (letters, with inner apostrophes and hyphens)."""
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    """Split a paragraph after . ! ? … when an upper-case letter or digit follows."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        rest = text[m.end() :].lstrip("\"“«(„‘'—–- ")
        if rest and (rest[0].isupper() or rest[0].isdigit()):
            out.append(text[start : m.end()].strip())
            start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


# -- dates ------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class DateValue:
    """A date as written: year, month and day, each possibly unknown."""

    year: int | None
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}" if self.year is not None else "?"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}" if self.year else f"--{self.month:02d}"
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def agrees(self, other: DateValue) -> bool:
        """Both could be the same day: equal wherever both are known, and both
        know the year or both the month ("1990-01-21" and "21 January" agree;
        "1993" and "24 June" say nothing of each other)."""
        pairs = [(self.year, other.year), (self.month, other.month), (self.day, other.day)]
        if any(a is not None and b is not None and a != b for a, b in pairs):
            return False
        return any(a is not None and b is not None for a, b in pairs[:2])


@dataclass(frozen=True)
class FoundDate:
    """A date found in a text: its value and where it is (character offsets)."""

    value: DateValue
    text: str
    start: int
    end: int
    bare: bool = False  # a 4-digit number alone: a year, or maybe a quantity

    @property
    def shown(self) -> str:
        return str(self.value)


class _Token(NamedTuple):
    kind: Literal["num", "word", "punct"]
    text: str
    start: int
    end: int
    number: int = 0
    digits: int = 0


_MAX_TOKEN_DIGITS = 9
_TOKEN = re.compile(
    r"(?P<num>\d+)(?:[-‐‑](?P<suffix>[^\W\d_]+)|(?P<glued>[^\W\d_]+))?"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?)"
    r"|(?P<punct>[^\s\w])"
)


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for m in _TOKEN.finditer(text):
        if m.group("num") is not None:
            digits = m.group("num")
            # Only short numbers can be days or years; a long run of digits is
            # not converted (Python refuses int() of more than 4300 digits).
            number = int(digits) if len(digits) <= _MAX_TOKEN_DIGITS else -1
            out.append(_Token("num", m.group(0), m.start(), m.end(), number, len(digits)))
        elif m.group("word") is not None:
            out.append(_Token("word", m.group(0), m.start(), m.end()))
        else:
            out.append(_Token("punct", m.group(0), m.start(), m.end()))
    return out


@cache
def _month_forms(language: str) -> tuple[tuple[str, int, bool], ...]:
    """(form, month, inflects) from Babel's month names, longest first.

    Exact forms: every width and context Babel knows ("fevral", "fev",
    "февраля", "февраль", "февр."). Stems: the longest common prefix of a
    month's wide format and stand-alone names ("феврал", "ма"), to which case
    endings may be added in languages that inflect month names.
    """
    locale = locale_of(language)
    inflects = _suffix_max(language) > 0
    forms: dict[tuple[str, bool], int] = {}
    wide: dict[int, list[str]] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for month, name in get_month_names(width, context, locale).items():
                folded = fold(name).rstrip(".")
                if folded:
                    forms[(folded, False)] = month
                if width == "wide":
                    wide.setdefault(month, []).append(folded)
    if inflects:
        for month, names in wide.items():
            stem = _common_prefix(names)
            if len(stem) >= 2:
                forms[(stem, True)] = month
    ordered = sorted(forms.items(), key=lambda item: -len(item[0][0]))
    return tuple((form, month, stem) for (form, stem), month in ordered)


def _common_prefix(words: list[str]) -> str:
    prefix = words[0]
    for word in words[1:]:
        while not word.startswith(prefix):
            prefix = prefix[:-1]
    return prefix


def _suffix_max(language: str) -> int:
    """How many letters of case ending may follow a month or year word.

    English does not inflect month names; az, kk and ru do ("fevralın",
    "қарашасынан", "мае").
    """
    return 0 if language.split("-")[0] == "en" else 6


@cache
def _month_forms_by_letter(language: str) -> dict[str, tuple[tuple[str, int, bool], ...]]:
    """_month_forms by their first letter, in the same order."""
    by_letter: dict[str, list[tuple[str, int, bool]]] = {}
    for entry in _month_forms(language):
        by_letter.setdefault(entry[0][:1], []).append(entry)
    return {letter: tuple(entries) for letter, entries in by_letter.items()}


def month_of(word: str, language: str) -> int | None:
    """The month a word names in ``language`` (by exact form or by stem), or None."""
    folded = fold(word).rstrip(".")
    limit = _suffix_max(language)
    for form, month, stem in _month_forms_by_letter(language).get(folded[:1], ()):
        if folded == form:
            return month
        if stem and folded.startswith(form):
            rest = len(folded) - len(form)
            if rest <= (2 if len(form) < 3 else limit):
                return month
    return None


@cache
def _unit_words(language: str, unit: str) -> tuple[str, ...]:
    """Babel's words for a unit ("duration-year": "il", "жыл", "ж.", "г.", "год", ...),
    plus the literals in the locale's date patterns ("ж", "г")."""
    locale = locale_of(language)
    words: set[str] = set()
    for name in (locale.unit_display_names.get(unit) or {}).values():
        words.add(fold(str(name)).rstrip("."))
    for length in ("long", "short", "narrow"):
        for count in _plural_samples(language):
            shown = format_unit(count, unit, length=length, locale=locale)
            words.update(
                fold(w).rstrip(".") for w in re.sub(r"\d", " ", shown).split() if "-" not in w
            )
    if unit == "duration-year":
        for name in ("long", "medium"):
            words.update(fold(w) for w in re.findall(r"'([^']+)'", str(locale.date_formats[name])))
        for skeleton in ("yMMMM", "y"):
            pattern = locale.datetime_skeletons.get(skeleton)
            if pattern is not None:
                words.update(fold(w) for w in re.findall(r"'([^']+)'", str(pattern)))
    return tuple(sorted((w for w in words if w and "/" not in w), key=len, reverse=True))


@cache
def _plural_samples(language: str) -> tuple[int, ...]:
    """The smallest whole number of each plural category of the language
    (Babel's plural rules: ru 1, 2, 5; en 1, 0 ...), so that every form of a
    counted word is seen."""
    rule = locale_of(language).plural_form
    samples: dict[str, int] = {}
    for n in range(200):
        samples.setdefault(rule(n), n)
    return tuple(sorted(samples.values()))


@cache
def _measure_words(language: str) -> frozenset[str]:
    """Babel's words for units of measure: a year is not followed by
    "kilometres", "километров" or "km".

    Long forms of every unit but durations (four letters or more); short forms
    only of lengths, masses, areas and volumes, and only those without a
    vowel ("km", "кг", not "in" for inches, which is also a word).
    """
    locale = locale_of(language)
    year_words = set(_unit_words(language, "duration-year"))
    found: set[str] = set()
    for unit in [str(u) for u in locale.unit_display_names]:
        if unit.startswith("duration") or "-per-" in unit:
            continue
        measured = unit.split("-")[0] in ("length", "mass", "area", "volume")
        for length in ("long", "short"):
            for count in _plural_samples(language):
                shown = format_unit(count, unit, length=length, locale=locale)
                for word in re.sub(r"[\d.,]", " ", shown).split():
                    word = fold(word)
                    if not word.isalpha() or word in year_words:
                        continue
                    if (length == "long" and len(word) >= 4) or (
                        length == "short"
                        and measured
                        and len(word) >= 2
                        and not _VOWELS & set(word)
                    ):
                        found.add(word)
    return frozenset(found)


def _is_measure_word(token: _Token | None, language: str) -> bool:
    return (
        token is not None and token.kind == "word" and fold(token.text) in _measure_words(language)
    )


@cache
def _dotted_day(language: str) -> bool:
    """Does the language write a dot after the day ("4. Oktober 1957": de, da,
    cs, ...)? Read from Babel's long and full date patterns."""
    locale = locale_of(language)
    return any(
        re.search(r"(?<![d'])d\.", str(locale.date_formats[name].pattern))
        for name in ("long", "full")
    )


def _is_unit_word(token: _Token, language: str, unit: str) -> bool:
    """Is the token Babel's word for the unit, possibly with a case ending
    ("il", "ildə", "жылғы", "года", "ayının", "айында")?"""
    if token.kind != "word":
        return False
    folded = fold(token.text)
    words = _unit_words(language, unit)
    if folded in words:
        return True
    limit = _suffix_max(language)
    return any(
        len(word) >= 2 and folded.startswith(word) and len(folded) - len(word) <= limit
        for word in words
    )


def _is_year(token: _Token | None) -> bool:
    return (
        token is not None
        and token.kind == "num"
        and token.digits == 4
        and 1000 <= token.number <= 2999
    )


def _is_day(token: _Token | None) -> bool:
    return (
        token is not None and token.kind == "num" and token.digits <= 2 and 1 <= token.number <= 31
    )


def extract_dates(text: str, language: str) -> tuple[list[FoundDate], list[tuple[int, int]]]:
    """Dates written in ``text`` as values, and the character spans they cover.

    Recognised: day month year in either order, with the year word of the
    language between ("25 fevral 1997-ci il", "1993 жылғы 3 қазанда",
    "February 25, 1997", "25 февраля 1997 г."), month and year ("May 1992",
    "в мае 1992 года"), day and month ("fevralın 26-sı") and years standing
    alone ("1993-cü ildən", "in 1993", "1948–1953").
    """
    toks = _tokens(text)
    used: set[int] = set()
    dates: list[FoundDate] = []
    months = [i for i, t in enumerate(toks) if t.kind == "word" and month_of(t.text, language)]
    claimed = _claimed_years(toks, months, language)

    for i in months:
        if i in used:
            continue
        month = month_of(toks[i].text, language)
        first = last = i
        if i + 1 < len(toks) and toks[i + 1].kind == "punct" and toks[i + 1].text == ".":
            last = i + 1  # an abbreviated month: "Dec.", "февр."
        day: int | None = None
        year: int | None = None
        day_at = _day_at(toks, i, last, language, used)
        if day_at is not None and day_at < i:
            first = day_at
        elif day_at is not None:
            last = day_at
        other: int | None = None
        if day_at is not None:
            day = toks[day_at].number
            # A range of days shares the month and year: "17–18 June", "June 17–18".
            other = _range_day(toks, day_at, -1 if day_at < i else +1)
            if other is not None:
                first, last = min(first, other), max(last, other)
        y = _year_before(toks, first, language, used)
        if y is not None:
            year = toks[y].number
            first = y
        else:
            year, last = _year_after(toks, last, day, language, claimed)
        if day is None and year is None:
            continue
        if day is not None and not _valid_day(year, month, day):
            continue
        if other is not None and _valid_day(year, month, toks[other].number):
            tok = toks[other]
            dates.append(
                FoundDate(DateValue(year, month, tok.number), tok.text, tok.start, tok.end)
            )
        used.update(range(first, last + 1))
        start_c, end_c = toks[first].start, toks[last].end
        dates.append(FoundDate(DateValue(year, month, day), text[start_c:end_c], start_c, end_c))
    dates.extend(_years_alone(text, toks, language, used))
    dates.sort(key=lambda d: d.start)
    return dates, [(d.start, d.end) for d in dates]


def _year_before(toks: list[_Token], i: int, language: str, used: set[int]) -> int | None:
    """Index of a year written before token i with a year word between
    ("1993 жылғы", "1994-cü il", "1987 ж.")."""
    j = i - 1
    saw_word = False
    while j >= 0 and i - j <= 4:
        tok = toks[j]
        if tok.kind == "punct" and tok.text == ".":
            pass
        elif _is_unit_word(tok, language, "duration-year"):
            saw_word = True
        elif _is_year(tok):
            return j if saw_word and j not in used else None
        else:
            return None
        j -= 1
    return None


def _claimed_years(toks: list[_Token], months: list[int], language: str) -> set[int]:
    """The years written before a month (or its day) with a year word
    between: they belong to that date, not to the date before them."""
    claimed: set[int] = set()
    for i in months:
        start = i - 1 if _is_day(toks[i - 1] if i else None) else i
        y = _year_before(toks, start, language, set())
        if y is not None:
            claimed.add(y)
    return claimed


def _year_after(
    toks: list[_Token], last: int, day: int | None, language: str, claimed: set[int]
) -> tuple[int | None, int]:
    """The year written after a date's month or day ending at ``last``
    ("May 1992", "February 25, 1997", "в мае 1992 года"), and where the date
    ends then."""
    k = last + 1
    if k < len(toks) and toks[k].kind == "punct" and toks[k].text == "," and day:
        k += 1
    if k < len(toks) and _is_year(toks[k]) and k not in claimed:
        if k + 1 < len(toks) and _is_unit_word(toks[k + 1], language, "duration-year"):
            return toks[k].number, k + 1
        return toks[k].number, k
    return None, last


def _day_at(toks: list[_Token], i: int, last: int, language: str, used: set[int]) -> int | None:
    """Index of the day of the month at ``i`` (ending at ``last``): before it
    ("25 fevral", "4. Oktober") or after it ("February 25", "fevralın 26-sı")."""
    if i > 0 and _is_day(toks[i - 1]) and (i - 1) not in used:
        return i - 1
    if (
        i > 1
        and _dotted_day(language)
        and toks[i - 1].text == "."
        and toks[i - 1].start == toks[i - 2].end
        and _is_day(toks[i - 2])
        and (i - 2) not in used
    ):
        return i - 2  # "4. Oktober 1957"
    k = last + 1
    if k < len(toks) and _is_unit_word(toks[k], language, "duration-month"):
        k += 1
    return k if _is_day(toks[k] if k < len(toks) else None) else None


def _years_alone(
    text: str, toks: list[_Token], language: str, used: set[int]
) -> Iterator[FoundDate]:
    """The years not part of a date: "1993-cü ildən", "in 1993", "1948–1953"."""
    for i, tok in enumerate(toks):
        if i in used or not _is_year(tok):
            continue
        if _in_number_group(text, tok, language):
            continue
        after = toks[i + 1] if i + 1 < len(toks) else None
        end = tok.end
        if after is not None and _is_unit_word(after, language, "duration-year"):
            end = after.end
        elif _is_measure_word(after, language):
            continue  # a quantity: "1418 km", "1418 километров"
        # A year alone, without a year word or a case ending, may be a quantity
        # ("длиной 1418 вёрст"): comparisons may match it with a number.
        bare = end == tok.end and tok.text.isdigit() and not _in_year_range(toks, i)
        yield FoundDate(DateValue(tok.number), text[tok.start : end], tok.start, end, bare)


def _in_year_range(toks: list[_Token], i: int) -> bool:
    """Is the year at ``i`` one end of a range of years ("1948–1953")?"""
    for dash, other in ((i - 1, i - 2), (i + 1, i + 2)):
        if 0 <= other < len(toks) and toks[dash].text in "-–—" and _is_year(toks[other]):
            return True
    return False


def _range_day(toks: list[_Token], edge: int, step: int) -> int | None:
    """Index of a day joined to the day at ``edge`` by a dash ("17–18 June",
    "June 17–18") or, before it, by a short word ("17 to 18 June", "17 и 18
    июня"); step -1 looks left."""
    dash, other = edge + step, edge + 2 * step
    if not 0 <= other < len(toks) or not 0 <= dash < len(toks):
        return None
    link = toks[dash]
    joined = (link.kind == "punct" and link.text in "-–—") or (
        step < 0 and link.kind == "word" and len(link.text) <= 3 and link.text.islower()
    )
    return other if joined and _is_day(toks[other]) else None


def _valid_day(year: int | None, month: int | None, day: int) -> bool:
    try:
        dt.date(year or 2000, month or 1, day)
    except ValueError:
        return False
    return True


def _in_number_group(text: str, tok: _Token, language: str) -> bool:
    """A 4-digit token that is part of a larger number ("1.500.000", "1,000")."""
    before = text[max(0, tok.start - 4) : tok.start]
    after = text[tok.end : tok.end + 4]
    group = get_group_symbol(language.replace("-", "_"))
    decimal = get_decimal_symbol(language.replace("-", "_"))
    seps = {group, decimal}
    return any(
        re.fullmatch(rf".*\d{re.escape(s)}", before) or re.match(rf"{re.escape(s)}\d", after)
        for s in seps
        if not s.isspace() and s not in ("\u00a0", "\u202f")
    )


# -- numbers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundNumber:
    """A number as a value: ``value`` is canonical ("226000", "97.5", "17:00");
    ``small`` marks whole numbers up to SMALL_NUMBER written as plain digits,
    which the other language may spell out."""

    value: str
    text: str
    small: bool
    start: int = 0
    end: int = 0

    @property
    def shown(self) -> str:
        return self.value


_TIME = re.compile(r"(?<![\d.,:])(?P<h>[01]?\d|2[0-3])(?::(?P<m>[0-5]\d)|-(?P<z>00))(?![\d:])")
# The 12-hour clock: "5 p.m.", "5:30 a.m." (American style guides), "5 PM",
# "5pm" (CLDR's English day periods, "AM"/"PM", "am"/"pm").
_TIME_12 = re.compile(
    r"(?<![\d.,:])(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?[\s\u00a0\u202f]?"
    r"(?P<half>[ap])\.?m\b\.?",
    re.IGNORECASE,
)


@cache
def _number_pattern(language: str) -> re.Pattern[str]:
    tag = language.replace("-", "_")
    group = get_group_symbol(tag)
    decimal = get_decimal_symbol(tag)
    group_re = "[\u00a0\u202f ]" if group.isspace() or group in "\u00a0\u202f" else re.escape(group)
    return re.compile(
        rf"(?<![\w{re.escape(decimal)}])(?P<int>\d{{1,3}}(?:{group_re}\d{{3}})+(?!\d)|\d+)"
        rf"(?:{re.escape(decimal)}(?P<frac>\d+))?"
    )


@cache
def _magnitudes(language: str) -> dict[str, int]:
    """Words that multiply a number ("мың", "млн", "thousand", "milyon"), from
    Babel's compact decimal formats."""
    locale = locale_of(language)
    out: dict[str, int] = {}
    for width in ("short", "long"):
        for forms in (locale.compact_decimal_formats.get(width) or {}).values():
            for magnitude, pattern in forms.items():
                text = str(getattr(pattern, "pattern", pattern))
                zeros = text.count("0")
                word = fold(re.sub(r"['0#.,\s\u00a0]", "", text))
                if zeros and len(word) >= 2 and word.isalpha():
                    out.setdefault(word, int(magnitude) // 10 ** (zeros - 1))
    return out


_MAGNITUDE_WORD = re.compile(r"[ \u00a0\u202f]?([^\W\d_]{1,40})\.?")


def _magnitude_after(text: str, end: int, language: str) -> tuple[int, int]:
    """(multiplier, end) for a magnitude word right after a number."""
    m = _MAGNITUDE_WORD.match(text, end)
    if not m:
        return 1, end
    word = fold(m.group(1))
    table = _magnitudes(language)
    if word in table:
        return table[word], m.end()
    if _suffix_max(language):
        for known, factor in table.items():
            stem = known[: max(3, len(known) - 1)]
            if word.startswith(stem) and len(word) - len(stem) <= 3:
                return factor, m.end()
    return 1, end


def extract_numbers(
    text: str, language: str, skip: Sequence[tuple[int, int]] = ()
) -> list[FoundNumber]:
    """Numbers in ``text`` as values, outside the ``skip`` spans (dates).

    Times ("17:00", "17-00", "5 p.m.") become ``17:00``; "97,5%" (az, kk, ru) and
    "97.5%" (en) both become ``97.5``; ordinal and case endings ("3-cü",
    "3rd", "3-і") are dropped; group separators follow the locale
    ("226 000", "1,000", "1.000").
    """
    dates = _Spans(skip)
    out: list[FoundNumber] = []
    times: list[tuple[int, int]] = []
    for m in _TIME_12.finditer(text):
        if not dates.cover(m.start(), m.end()):
            hour = int(m["h"]) % 12 + (12 if m["half"].lower() == "p" else 0)
            out.append(
                FoundNumber(f"{hour}:{m['m'] or '00'}", m.group(0), False, m.start(), m.end())
            )
            times.append((m.start(), m.end()))
    clock = _Spans(times)
    for m in _TIME.finditer(text):
        if dates.cover(m.start(), m.end()) or clock.cover(m.start(), m.end()):
            continue
        value = f"{int(m['h'])}:{m['m'] or m['z']}"
        out.append(FoundNumber(value, m.group(0), False, m.start(), m.end()))
        times.append((m.start(), m.end()))
    spans = _Spans([*skip, *times])
    for m in _number_pattern(language).finditer(text):
        if spans.cover(m.start(), m.end()):
            continue
        digits = re.sub(r"\D", "", m["int"])
        try:
            number = Decimal(digits + ("." + m["frac"] if m["frac"] else ""))
        except InvalidOperation:  # pragma: no cover - the pattern only matches digits
            continue
        factor, end = _magnitude_after(text, m.end(), language)
        number *= factor
        if factor == 1 and not m["frac"]:
            # The digits themselves: exact for any length, where int() would
            # refuse more than 4300 digits.
            shown = digits.lstrip("0") or "0"
        else:
            shown = format(number.normalize(), "f")
        small = factor == 1 and m["frac"] is None and number <= SMALL_NUMBER
        out.append(FoundNumber(shown, text[m.start() : end], small, m.start(), end))
    return out


class _Spans:
    """Character spans, asked whether one of them covers a range (in log time)."""

    def __init__(self, spans: Sequence[tuple[int, int]]):
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.reach: list[int] = []  # the furthest end of the spans so far
        furthest = -1
        for _, end in ordered:
            furthest = max(furthest, end)
            self.reach.append(furthest)

    def cover(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        return i > 0 and self.reach[i - 1] >= end


# -- numbers in words -------------------------------------------------------------------

SPELLED_MAX = 1000  # cardinals up to this one are recognised in words
SPELLED_ORDINAL_MAX = 100
_SPELLED_MAX_WORDS = 6
# num2words names some languages other than by their BCP 47 tag.
_NUM2WORDS_LANG = {"kk": "kz"}


def _num2words_lang(language: str) -> str | None:
    # imported here: a build whose checks are kept (diglot.check.cache)
    # never spells a number, and importing num2words takes about 0.013 s
    from num2words import CONVERTER_CLASSES

    base = language.replace("-", "_").split("_")[0]
    name = _NUM2WORDS_LANG.get(base, base)
    return name if name in CONVERTER_CLASSES else None


@cache
def _spelled_lexicon(language: str) -> dict[tuple[str, ...], int]:
    """Numbers spelled out by num2words (cardinals up to SPELLED_MAX, ordinals
    up to SPELLED_ORDINAL_MAX), as tuples of folded words, with their values."""
    from num2words import num2words

    lang = _num2words_lang(language)
    lexicon: dict[tuple[str, ...], int] = {}
    if lang is None:
        return lexicon
    for kind, top in (("cardinal", SPELLED_MAX), ("ordinal", SPELLED_ORDINAL_MAX)):
        for n in range(1, top + 1):
            try:
                spelled = str(num2words(n, lang=lang, to=kind))
            except (NotImplementedError, OverflowError, ValueError, TypeError):
                break
            key = tuple(fold(w) for w in _LETTERS.findall(spelled))
            if key:
                lexicon.setdefault(key, n)
    return lexicon


@cache
def _spelled_words(language: str) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The single words of the lexicon, and (inflecting languages) the words of
    four letters or more by their first four, longest first: "двадцать" is
    also "двадцати", "сорок" also "сорока"."""
    words_ = frozenset(w for key in _spelled_lexicon(language) for w in key)
    by_prefix: dict[str, list[str]] = {}
    if _suffix_max(language):
        for known in sorted(words_, key=len, reverse=True):
            if len(known) >= 4:
                by_prefix.setdefault(known[:4], []).append(known)
    return words_, {k: tuple(v) for k, v in by_prefix.items()}


def _spelled_form(word: str, language: str) -> str | None:
    """The lexicon word ``word`` is a form of (itself, or an inflected form)."""
    exact, by_prefix = _spelled_words(language)
    if word in exact:
        return word
    for known in by_prefix.get(word[:4], ()):
        stem = known[: max(4, len(known) - 2)]
        if word.startswith(stem) and len(word) - len(stem) <= 3:
            return known
    return None


def extract_spelled_numbers(text: str, language: str) -> list[FoundNumber]:
    """Numbers written in words ("Twenty pilots", "двадцати лётчиков",
    "iyirmi pilot", "the third anniversary"), as values.

    The words come from num2words for the language (no table of our own); in
    languages that inflect, a word may carry a case ending. Languages
    num2words does not know give nothing.
    """
    lexicon = _spelled_lexicon(language)
    if not lexicon:
        return []
    found = [(m, _spelled_form(fold(m.group(0)), language)) for m in _LETTERS.finditer(text)]
    out: list[FoundNumber] = []
    i = 0
    while i < len(found):
        if found[i][1] is None:
            i += 1
            continue
        best: tuple[int, int] | None = None
        for j in range(min(len(found), i + _SPELLED_MAX_WORDS), i, -1):
            parts = [form for _, form in found[i:j]]
            if None in parts:
                continue
            key = tuple(p for p in parts if p is not None)
            value = lexicon.get(key)
            # "and" inside a number ("one hundred and five") is in the lexicon;
            # hyphenated words ("twenty-five") are split on both sides.
            if value is not None:
                best = (j, value)
                break
        if best is None:
            i += 1
            continue
        j, value = best
        start, end = found[i][0].start(), found[j - 1][0].end()
        out.append(FoundNumber(str(value), text[start:end], value <= SMALL_NUMBER, start, end))
        i = j
    return out


# Texts longer than this are not cached (a layout may make long strings:
# the caches must not hold gigabytes of them).
CACHED_CHARS = 20_000


def text_cache(maxsize: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """An LRU cache of ``maxsize`` answers for a function whose first
    argument is a text: a text over :data:`CACHED_CHARS` is worked out
    afresh and not kept. The wrapper's ``cache_info`` and ``cache_clear``
    are the cache's."""

    def decorate(function: Callable[..., T]) -> Callable[..., T]:
        cached = lru_cache(maxsize=maxsize)(function)

        @wraps(function)
        def call(text: str, *args: Hashable) -> T:
            if len(text) > CACHED_CHARS:
                return function(text, *args)
            return cached(text, *args)

        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return call

    return decorate


@text_cache(maxsize=16384)
def value_spans(text: str, language: str) -> tuple[tuple[int, int], ...]:
    """The character spans of the dates and numbers of ``text``, in order: what
    typography keeps on one line ("25 fevral 1997", "226 000", "17:00").
    Cached (:func:`text_cache`): a facing edition renders its template
    three times a build, each text node tied again (a third of a one-word
    edit's template time on a 2,250-segment edition went here, profiled)."""
    _, spans = extract_dates(text, language)
    numbers = extract_numbers(text, language, spans)
    return tuple(sorted([*spans, *((n.start, n.end) for n in numbers)]))


# -- comparing the values of two texts ---------------------------------------------------


@dataclass(frozen=True)
class Values:
    """The dates, numbers (in digits) and numbers in words of one text."""

    dates: tuple[FoundDate, ...]
    numbers: tuple[FoundNumber, ...]
    spelled: tuple[FoundNumber, ...]

    @property
    def count(self) -> int:
        return len(self.dates) + len(self.numbers)


@lru_cache(maxsize=4096)
def values(text: str, language: str) -> Values:
    """Everything :func:`compare` needs of a text (cached)."""
    dates, spans = extract_dates(text, language)
    numbers = extract_numbers(text, language, spans)
    spelled = extract_spelled_numbers(text, language)
    return Values(tuple(dates), tuple(numbers), tuple(spelled))


@dataclass(frozen=True)
class Difference:
    """What two texts that should say the same thing disagree on, as values.

    ``dates`` and ``numbers`` are pairs (left only, right only); ``matched``
    counts the values found on both sides (the anchors ``diglot align`` uses).
    """

    dates: tuple[list[FoundDate], list[FoundDate]]
    numbers: tuple[list[FoundNumber], list[FoundNumber]]
    matched: int

    @property
    def unmatched(self) -> int:
        return sum(len(side) for side in (*self.dates, *self.numbers))


def multiset_diff(
    left: Sequence[T], right: Sequence[T], key: Callable[[T], Hashable]
) -> tuple[list[T], list[T]]:
    """Items of ``left`` without a partner in ``right`` and vice versa (by key)."""

    def unmatched(items: Sequence[T], others: Sequence[T]) -> list[T]:
        pool = Counter(key(x) for x in others)
        alone = []
        for item in items:
            if pool[key(item)] > 0:
                pool[key(item)] -= 1
            else:
                alone.append(item)
        return alone

    return unmatched(left, right), unmatched(right, left)


def compare(left: Values, right: Values) -> Difference:
    """The dates and numbers one side has and the other lacks.

    Dates are compared with dates and numbers with numbers, then what is left
    is reconciled: a year standing alone on one side ("длиной 1418 вёрст")
    matches the same number on the other ("1,418 versts"); a number in digits
    matches the same number in words on the other side ("20 лётчиков" =
    "Twenty pilots"); and a small number (up to SMALL_NUMBER) is left out when
    the other side has nothing unmatched, as it is likely spelled in a way not
    recognised.
    """
    only_dl, only_dr = multiset_diff(left.dates, right.dates, key=lambda d: d.value)
    only_nl, only_nr = multiset_diff(left.numbers, right.numbers, key=lambda n: n.value)
    matched = len(left.dates) - len(only_dl) + len(left.numbers) - len(only_nl)

    for dates, numbers in ((only_dl, only_nr), (only_dr, only_nl)):
        # A bare year and an equal number on the other side: the same quantity.
        common = Counter(str(d.value.year) for d in dates if d.bare) & Counter(
            n.value for n in numbers
        )
        matched += sum(common.values())
        dates[:] = _without(dates, common, lambda d: str(d.value.year) if d.bare else None)
        numbers[:] = _without(numbers, common, lambda n: n.value)
    for numbers, words_ in ((only_nl, right.spelled), (only_nr, left.spelled)):
        alone, _ = multiset_diff(numbers, words_, key=lambda n: n.value)
        matched += len(numbers) - len(alone)
        numbers[:] = alone
    if not only_nr:
        only_nl = [n for n in only_nl if not n.small]
    if not only_nl:
        only_nr = [n for n in only_nr if not n.small]
    return Difference((only_dl, only_dr), (only_nl, only_nr), matched)


def _without(items: list[T], taken: Counter[str], key: Callable[[T], str | None]) -> list[T]:
    """``items`` less as many of each key as ``taken`` counts."""
    left = Counter(taken)
    out: list[T] = []
    for item in items:
        k = key(item)
        if k is not None and left[k] > 0:
            left[k] -= 1
        else:
            out.append(item)
    return out


# -- names --------------------------------------------------------------------------------

_NAME = re.compile(r"[^\W\d_][^\W\d_'’-]{2,40}")
# Spellings of one sound across romanisations (ru Х = kh, az x, en h; az c =
# en j = ru дж; az ç = en ch; ru Г for a foreign H), folded before vowels are
# dropped. A coarse key, meant only to find the same name on both sides.
_SOUNDS = (
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "h"),
    ("sh", "s"),
    ("ch", "c"),
    ("ts", "c"),
    ("x", "h"),
    ("q", "k"),
    ("g", "h"),
    ("c", "j"),
)
_NOT_CONSONANTS = re.compile(r"[aeiouyw]+")


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """A name reduced so that its spellings in az, kk, ru and en meet:
    transliterated to ASCII (anyascii), lower-cased, sounds folded, vowels
    dropped, doubled letters made single ("Heydər", "Heydar", "Гейдар",
    "Хейдар" are all "hdr")."""
    text = re.sub(r"[^a-z]", "", anyascii(word).lower())
    for spelling, sound in _SOUNDS:
        text = text.replace(spelling, sound)
    text = _NOT_CONSONANTS.sub("", text)
    return re.sub(r"(.)\1+", r"\1", text)


@lru_cache(maxsize=16384)
def names(text: str) -> frozenset[str]:
    """Skeletons of the capitalised words of a text (3 consonants or more)."""
    found = set()
    for match in _NAME.finditer(text):
        word = match.group(0)
        if word[0].isupper():
            key = skeleton(word)
            if len(key) >= 3:
                found.add(key)
    return frozenset(found)
