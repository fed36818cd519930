from __future__ import annotations

import datetime as dt

import pytest

from diglot.dates import PartialDate, format_partial, language_name, parse_iso


def norm(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("lang", "full", "month", "year"),
    [
        ("az", "25 fevral 1997", "may 1992", "1993"),
        ("kk", "1997 ж. 25 ақпан", "1992 ж. мамыр", "1993"),
        ("en", "February 25, 1997", "May 1992", "1993"),
        ("ru", "25 февраля 1997 г.", "май 1992 г.", "1993"),
    ],
)
def test_babel_formats_full_and_partial_dates(lang, full, month, year):
    assert norm(format_partial(parse_iso("1997-02-25"), lang)) == full
    assert norm(format_partial(parse_iso("1992-05"), lang)) == month
    assert norm(format_partial(parse_iso("1993"), lang)) == year


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1997-02-25", PartialDate(1997, 2, 25)),
        ("1992-05", PartialDate(1992, 5)),
        ("1993", PartialDate(1993)),
        (1993, PartialDate(1993)),
        (dt.date(2003, 12, 12), PartialDate(2003, 12, 12)),
        (dt.datetime(2003, 12, 12, 23, 59), PartialDate(2003, 12, 12)),
        ("0001", PartialDate(1)),
        ("9999-12-31", PartialDate(9999, 12, 31)),
    ],
)
def test_parse_iso(value, expected):
    parsed = parse_iso(value)
    assert parsed == expected
    assert parse_iso(parsed.iso()) == parsed


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("1997-02-30", "day 30 does not exist"),
        ("1997-13", "month 13 does not exist"),
        ("25.02.1997", "not an ISO date"),
        ("0000", "year out of range"),
        (None, "expected an ISO date"),
        (True, "expected an ISO date"),
    ],
)
def test_parse_iso_rejects(value, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_iso(value)


def test_partial_dates_sort_by_first_day():
    dates = [parse_iso(v) for v in ("1993", "1992-05", "1992-05-04", "1991")]
    assert [d.iso() for d in sorted(dates, key=PartialDate.as_date)] == [
        "1991",
        "1992-05",
        "1992-05-04",
        "1993",
    ]


def test_language_names_come_from_cldr():
    assert language_name("kk") == "Қазақ тілі"
    assert language_name("az", "en") == "Azerbaijani"
    assert language_name("ru") == "Русский"


def test_a_language_name_within_a_line_keeps_its_orthographys_case():
    # after a dash in a record's heading: "… — русский", not "— Русский"
    assert language_name("ru", capital=False) == "русский"
    assert language_name("kk", capital=False) == "қазақ тілі"
    assert language_name("az", "kk", capital=False) == "әзірбайжан тілі"
    assert language_name("en", "az", capital=False) == "ingilis"
    # English names are capitals; Azerbaijani's is the country's name
    assert language_name("ru", "en", capital=False) == "Russian"
    assert language_name("az", capital=False) == "Azərbaycan"


def test_a_partial_date_stands_for_its_first_day():
    assert PartialDate(1992).as_date() == dt.date(1992, 1, 1)
    assert PartialDate(1992, 5).as_date() == dt.date(1992, 5, 1)
    assert PartialDate(1992, 5, 4).as_date() == dt.date(1992, 5, 4)
    assert [PartialDate(1992).precision, PartialDate(1992, 5).precision] == ["year", "month"]
    assert str(PartialDate(7, 3)) == "0007-03"
