"""Every date a reader sees, written the way each language writes it.

Dates are stored as ISO values, possibly partial ("1997-02-25", "1992-05",
"1993"). Babel formats them: full dates with a named format, partial ones
with CLDR skeletons, so month names, word order and abbreviations such as
kk "ж." or ru "г." come from the locale data, not from us.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from babel.dates import format_date, format_skeleton

from diglot import languages

Precision = Literal["day", "month", "year"]
ISO = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to the day, the month or only the year."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def as_date(self) -> dt.date:
        """The first day the value covers (for sorting and Babel)."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def iso(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def __str__(self) -> str:
        return self.iso()


def parse_iso(value: object) -> PartialDate:
    """Read "YYYY", "YYYY-MM", "YYYY-MM-DD", an int year or a date.

    Raises ValueError with a reader's message for anything else, including
    impossible dates such as 1997-02-30.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO date such as 1997-02-25, 1992-05 or 1993, got {value!r}")
    match = ISO.match(value.strip())
    if not match and re.match(r"^\d{5,}(?:-\d{2}){0,2}$", value.strip()):
        raise ValueError(f"{value!r}: year out of range (1 to 9999)")
    if not match:
        raise ValueError(f"{value!r} is not an ISO date (1997-02-25, 1992-05 or 1993)")
    year = int(match["y"])
    month = int(match["m"]) if match["m"] else None
    day = int(match["d"]) if match["d"] else None
    if year < 1:
        raise ValueError(f"{value!r}: year out of range (1 to 9999)")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{value!r}: month {month} does not exist")
    if day is not None:
        try:
            dt.date(year, month or 1, day)
        except ValueError:
            raise ValueError(f"{value!r}: day {day} does not exist in that month") from None
    return PartialDate(year, month, day)


def format_partial(value: PartialDate, language: str, style: str = "long") -> str:
    """The value in ``language``: long format for full dates, skeletons otherwise."""
    locale = languages.locale(language)
    date = value.as_date()
    if value.precision == "day":
        return format_date(date, style, locale=locale)
    skeleton = "yMMMM" if value.precision == "month" else "y"
    return format_skeleton(skeleton, date, locale=locale)


def language_name(language: str, in_language: str | None = None, *, capital: bool = True) -> str:
    """The language's own name (or its name in another language), from CLDR.

    With ``capital`` (a name that opens a line or a label) the first letter
    is a capital; without it the name keeps its case within a sentence:
    "— русский", "— қазақ тілі", but "— English", "— Azərbaycan dili".
    """
    locale = languages.locale(language)
    shown = languages.locale(in_language or language)
    name = locale.get_display_name(shown) or language
    if capital or (locale.language, shown.language) in _PROPER_NAMES:
        return _upper_first(name, shown.language) + name[1:]
    return name


# Names CLDR writes in lower case that the language's orthography writes with
# a capital within a sentence. Azerbaijani names its language after the
# country, a proper name: "Azərbaycan dili" (CLDR: "azərbaycan"); other
# languages' names stay lower case there ("ingilis dili"), as in Kazakh
# ("әзірбайжан тілі"), so no rule read from CLDR's territories can tell.
_PROPER_NAMES = frozenset({("az", "az")})


# Languages whose dotted i has a dotted capital: "ingilis" is "İngilis" in
# Azerbaijani (Python's str.upper knows no language: it gives "Ingilis").
_DOTTED_CAPITAL_I = frozenset({"az", "tr", "crh", "gag"})


def _upper_first(name: str, language: str) -> str:
    """The first letter of ``name`` as a capital in ``language``."""
    first = name[:1]
    if first == "i" and language in _DOTTED_CAPITAL_I:
        return "İ"
    return first.upper()
