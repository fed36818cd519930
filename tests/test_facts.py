"""Facts read as values (diglot.facts): dates, numbers, numbers in words, and
how two texts' values are compared."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st
from num2words import num2words

from diglot.facts import (
    DateValue,
    compare,
    extract_dates,
    extract_numbers,
    extract_spelled_numbers,
    month_of,
    sentences,
    value_spans,
    values,
)

# -- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("az", "hər il fevralın 24-də", ["--02-24"]),
        ("az", "1997-ci il", ["1997"]),
        ("az", "25 fevral 1997-ci il tarixli", ["1997-02-25"]),
        ("az", "1994-cü il fevralın 24-də", ["1994-02-24"]),
        ("az", "1997-ci il dekabrın 18-də", ["1997-12-18"]),
        ("az", "fevral ayının 26-sı saat 17:00-da", ["--02-26"]),
        ("kk", "1993 жылғы 3 қазанда", ["1993-10-03"]),
        ("kk", "1993 жылы 3 қазанда", ["1993-10-03"]),
        ("kk", "10 мамырда 1923 жылы", ["1923-05-10"]),
        ("kk", "1992 жылғы мамырда", ["1992-05"]),
        ("kk", "1987 ж. 9 қазандағы", ["1987-10-09"]),
        ("kk", "1976 жылғы 5 наурыздан 1982 жылғы 22 қарашаға дейін", ["1976-03-05", "1982-11-22"]),
        ("ru", "в мае 1992 года", ["1992-05"]),
        ("ru", "25 февраля 1997 г.", ["1997-02-25"]),
        ("ru", "25 февр. 1997 г.", ["1997-02-25"]),
        ("en", "February 25, 1997", ["1997-02-25"]),
        ("en", "May 1992", ["1992-05"]),
        ("en", "25 February 1997", ["1997-02-25"]),
        ("en", "Dec. 3, 1999", ["1999-12-03"]),
        ("en", "in 1948–1953", ["1948", "1953"]),
        ("en", "the night of 17 to 18 June 1993", ["1993-06-17", "1993-06-18"]),
        ("en", "Mayor Smith said he may come", []),
    ],
)
def test_dates_are_read_as_values(language, text, expected):
    found, _ = extract_dates(text, language)
    assert sorted(str(d.value) for d in found) == sorted(expected)


@pytest.mark.parametrize("language", ["az", "kk", "en", "ru"])
@pytest.mark.parametrize("style", ["long", "medium", "full"])
def test_babel_formatted_dates_are_read(language, style):
    text = format_date(dt.date(1997, 2, 25), style, locale=language)
    found, _ = extract_dates(text, language)
    assert [d.value for d in found] == [DateValue(1997, 2, 25)], text


def test_month_without_day_or_year_is_not_a_date():
    found, _ = extract_dates("Сол жылдың қазан айында Қазан қаласына барды.", "kk")
    assert found == []


# -- numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("az", "saat 17:00-da", ["17:00"]),
        ("az", "saat 17-00-da", ["17:00"]),
        # the 12-hour clock, as American style writes it: the same time
        ("en", "a minute of silence at 5 p.m. throughout", ["17:00"]),
        ("en", "at 5:30 a.m. and 12 p.m., not 12 a.m.", ["5:30", "12:00", "0:00"]),
        ("en", "at 5 PM, 7pm", ["17:00", "19:00"]),
        ("en", "a 7 m wall, 5 miles, 3 amps", ["7", "5", "3"]),
        ("az", "97,5% səs", ["97.5"]),
        ("en", "97.5% of votes", ["97.5"]),
        ("kk", "97,5 пайызы", ["97.5"]),
        ("az", "3-cü ildönümü", ["3"]),
        ("en", "the 3rd anniversary", ["3"]),
        ("kk", "3-і күні", ["3"]),
        ("kk", "226 000 рубль", ["226000"]),
        ("en", "226,000 roubles", ["226000"]),
        ("az", "1.500 nəfər", ["1500"]),
        ("kk", "330 мың тұрғын", ["330000"]),
        ("en", "330,000 inhabitants", ["330000"]),
        ("ru", "100 млн долларов", ["100000000"]),
    ],
)
def test_numbers_are_read_as_values(language, text, expected):
    assert [n.value for n in extract_numbers(text, language)] == expected


# -- years and quantities -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "dates", "numbers"),
    [
        ("de", "Sputnik startete am 4. Oktober 1957.", ["1957-10-04"], []),
        ("de", "Die Sender schwiegen am 26. Oktober.", ["--10-26"], []),
        ("de", "Im Oktober 1957 und 4.5 Meter", ["1957-10"], ["4", "5"]),
        ("en", "a road 1418 km long", [], ["1418"]),
        ("ru", "дорога длиной 1418 километров", [], ["1418"]),
        ("ru", "на высоту 1200 метров", [], ["1200"]),
        ("ru", "в 1993 году", ["1993"], []),
        ("kk", "1993 жылы", ["1993"], []),
        ("en", "in 1948–1953", ["1948", "1953"], []),
    ],
)
def test_years_and_quantities(language, text, dates, numbers):
    found, spans = extract_dates(text, language)
    assert [str(d.value) for d in found] == dates
    assert [n.value for n in extract_numbers(text, language, spans)] == numbers


def test_a_year_standing_alone_is_marked_bare():
    found, _ = extract_dates("длиной 1418 вёрст, в 1993 году, в 1948–1953", "ru")
    assert [(str(d.value), d.bare) for d in found] == [
        ("1418", True),
        ("1993", False),
        ("1948", False),
        ("1953", False),
    ]


# -- numbers in words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "numbers"),
    [
        ("en", "Twenty pilots flew.", ["20"]),
        ("en", "One hundred and twenty-five men on the third day.", ["125", "3"]),
        ("en", "Someone has gone; a tone.", []),
        ("ru", "Двадцати лётчикам вручили ордена.", ["20"]),
        ("ru", "Двадцать три станции и сорока дней", ["23", "40"]),
        ("az", "iyirmi beş pilot", ["25"]),
        ("kk", "жиырма бес ұшқыш", ["25"]),
        ("de", "zwanzig Piloten", ["20"]),
    ],
)
def test_spelled_numbers(language, text, numbers):
    assert [n.value for n in extract_spelled_numbers(text, language)] == numbers


def test_spelled_numbers_of_a_language_num2words_lacks_are_none():
    assert extract_spelled_numbers("yirmi pilot", "ky") == []


# -- comparing ----------------------------------------------------------------------------


def differs(left: str, lang_l: str, right: str, lang_r: str) -> tuple[list[str], list[str]]:
    diff = compare(values(left, lang_l), values(right, lang_r))
    dates = [str(d.value) for side in diff.dates for d in side]
    numbers = [n.value for side in diff.numbers for n in side]
    return dates, numbers


@pytest.mark.parametrize(
    ("left", "lang_l", "right", "lang_r"),
    [
        ("Дорога длиной 1418 вёрст.", "ru", "The line, 1,418 versts long.", "en"),
        ("1418 вёрст", "ru", "1418 versts", "en"),
        ("20 лётчиков погибли.", "ru", "Twenty pilots died.", "en"),
        ("Двадцать лётчиков погибли.", "ru", "20 pilots died.", "en"),
        ("Sputnik startete am 4. Oktober 1957.", "de", "Launched on October 4, 1957.", "en"),
        ("iyirmi beş pilot", "az", "25 pilots", "en"),
    ],
)
def test_same_values_in_other_words_do_not_differ(left, lang_l, right, lang_r):
    assert differs(left, lang_l, right, lang_r) == ([], [])


@pytest.mark.parametrize(
    ("left", "lang_l", "right", "lang_r", "expected"),
    [
        ("Дорога длиной 1418 вёрст.", "ru", "The line, 1,419 versts long.", "en",
         (["1418"], ["1419"])),
        ("20 лётчиков погибли.", "ru", "Twenty-one pilots died.", "en", ([], ["20"])),
        ("Sputnik startete am 4. Oktober 1957.", "de", "Launched in October 1957.", "en",
         (["1957-10-04", "1957-10"], [])),
        ("в 1993 году", "ru", "1,993 versts", "en", (["1993"], ["1993"])),
    ],
)  # fmt: skip
def test_different_values_differ(left, lang_l, right, lang_r, expected):
    assert differs(left, lang_l, right, lang_r) == expected


def test_matched_values_are_counted_as_anchors():
    diff = compare(
        values("25 fevral 1997-ci il, 613 nəfər, iyirmi pilot", "az"),
        values("February 25, 1997: 613 people and 20 pilots", "en"),
    )
    assert diff.matched == 3 and diff.unmatched == 0


def test_a_time_is_a_number_with_its_text():
    assert [(n.value, n.text) for n in extract_numbers("saat 17:00-da", "az")] == [
        ("17:00", "17:00")
    ]


def test_a_sentence_may_start_with_a_digit():
    assert sentences("Он ушёл. 5 человек остались.") == ["Он ушёл.", "5 человек остались."]


def test_sentences():
    assert sentences("Он пришёл. Она ушла! 1993 год? да.") == [
        "Он пришёл.",
        "Она ушла!",
        "1993 год? да.",
    ]


# -- round trips with the libraries that write numbers ----------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    number=st.integers(min_value=11, max_value=10**12),
    language=st.sampled_from(["az", "en", "kk", "ru", "de"]),
)
def test_numbers_babel_writes_are_read_back(number, language):
    text = f"x {format_decimal(number, locale=language)} y"
    spans = extract_dates(text, language)[1]
    assert [n.value for n in extract_numbers(text, language, spans)] == [str(number)]


@settings(max_examples=200, deadline=None)
@given(
    number=st.integers(min_value=1, max_value=1000),
    language=st.sampled_from(["az", "en", "kk", "ru", "de"]),
)
def test_numbers_num2words_spells_are_read_back(number, language):
    spelled = num2words(number, lang="kz" if language == "kk" else language)
    assert [n.value for n in extract_spelled_numbers(f"{spelled} pilots", language)] == [
        str(number)
    ]


def test_value_spans_cover_dates_and_numbers_for_typography():
    text = "Fərman 25 fevral 1997-ci ildə, saat 17:00-da, 1.500 nəfər."
    shown = [text[a:b] for a, b in value_spans(text, "az")]
    assert shown == ["25 fevral 1997-ci ildə", "17:00", "1.500"]
    text = "1993 жылғы 3 қазанда 226 000 рубль"
    assert [text[a:b] for a, b in value_spans(text, "kk")] == ["1993 жылғы 3 қазанда", "226 000"]


@pytest.mark.parametrize(
    ("text", "language", "found"),
    [
        # A month first in the text takes no day from the text's last number.
        ("June 1993, room 12", "en", [((1993, 6, None), "June 1993")]),
        # A dotted day at the very start of the text.
        ("4. Oktober 1957 startete Sputnik", "de", [((1957, 10, 4), "4. Oktober 1957")]),
    ],
)
def test_dates_at_the_edges_of_a_text(text, language, found):
    dates, _ = extract_dates(text, language)
    got = [((d.value.year, d.value.month, d.value.day), d.text) for d in dates]
    assert got == found


@pytest.mark.parametrize(
    ("text", "language", "found"),
    [
        (
            "Twenty pilots flew over one hundred and five villages",
            "en",
            [("20", "Twenty"), ("105", "one hundred and five")],
        ),
        ("iyirmi pilot", "az", [("20", "iyirmi")]),
        ("двадцати лётчиков", "ru", [("20", "двадцати")]),
    ],
)
def test_spelled_numbers_cover_only_their_words(text, language, found):
    """The span of a spelled number is its words, not the word after it."""
    numbers = extract_spelled_numbers(text, language)
    assert [(n.value, n.text) for n in numbers] == found
    assert all(text[n.start : n.end] == n.text for n in numbers)


def test_each_bare_year_matches_one_equal_number_on_the_other_side():
    """Two bare "1418" (a quantity read as a year) meet two of the three
    "1,418" on the other side; the third is reported, once."""

    left = values("Длиной 1418 вёрст, и ещё 1418 вёрст.", "ru")
    right = values("It is 1,418 versts long, and 1,418 versts more, 1,418 in all.", "en")
    difference = compare(left, right)
    assert difference.dates == ([], [])
    assert [n.value for n in difference.numbers[0]] == []
    assert [n.value for n in difference.numbers[1]] == ["1418"]
    assert difference.matched == 2


# -- the edges of what is a date ------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "month"),
    [
        ("мае", 5),  # a case ending on the short stem "ма" of май/мая
        ("маем", 5),  # two letters of ending: still May
        ("марок", None),  # three letters after "ма": another word ("of stamps")
        ("мартом", 3),
        ("февраля", 2),
        ("феврале", 2),  # on the stem shared by "февраля" and "февраль"
    ],
)
def test_month_words_take_short_case_endings_only(word, month):
    """A month's stem takes a case ending; after a stem of two letters, at
    most two more letters, so that other words starting alike are no month."""
    assert month_of(word, "ru") == month


def test_english_month_names_take_no_ending():
    assert month_of("August", "en") == 8
    assert month_of("Augusta", "en") is None


@pytest.mark.parametrize(
    ("language", "text", "found"),
    [
        # Years run from 1000 to 2999.
        ("en", "in 1000", [("1000", "1000")]),
        ("en", "in 2999", [("2999", "2999")]),
        ("en", "in 3000", []),
        # A day has one or two digits and goes up to 31.
        ("en", "1 May 1992", [("1992-05-01", "1 May 1992")]),
        ("en", "31 May 1992", [("1992-05-31", "31 May 1992")]),
        ("en", "32 May 1992", [("1992-05", "May 1992")]),
        ("en", "007 June 1993", [("1993-06", "June 1993")]),
        # A day that does not exist makes no date; the year stays a year.
        ("en", "30 February 1997", [("1997", "1997")]),
        # Without a year, 29 February can be a day (of a leap year).
        ("en", "29 February", [("--02-29", "29 February")]),
        # An abbreviated month at the end of the text keeps its dot.
        ("ru", "в 1992 г. 25 февр.", [("1992-02-25", "1992 г. 25 февр.")]),
        # Only a dot may stand between a year word and the day: a semicolon
        # ends the first date, and the day takes the year after it.
        (
            "ru",
            "в 1991 г.; 3 октября 1993 г.",
            [("1991", "1991 г"), ("1993-10-03", "3 октября 1993 г")],
        ),
        # A number before a day and month, with no year word, is not its year.
        ("kk", "Барлығы 2000 5 мамырда келді", [("2000", "2000"), ("--05-05", "5 мамырда")]),
        # A year written before the next date's day belongs to that date.
        (
            "kk",
            "5 наурыздан 1982 жылғы 22 қарашаға дейін",
            [("--03-05", "5 наурыздан"), ("1982-11-22", "1982 жылғы 22 қарашаға")],
        ),
        # A year word with six letters of case ending ("of the 1990s").
        ("kk", "1990 жылдардың", [("1990", "1990 жылдардың")]),
        # A range of days at the very start of the text, and one left open.
        ("en", "17–18 June 1993", [("1993-06-17", "17"), ("1993-06-18", "17–18 June 1993")]),
        ("en", "from June 17–", [("--06-17", "June 17")]),
        # 29 February is no day of 1997.
        ("en", "29 February 1997", [("1997", "1997")]),
        # A day after its month starts a range too.
        ("en", "June 17–18, 1993", [("1993-06-17", "June 17–18, 1993"), ("1993-06-18", "18")]),
        # Before a day, "and" links a range; a comma or a longer word does
        # not, and after the day no word does.
        (
            "en",
            "17 and 18 June 1993",
            [("1993-06-17", "17"), ("1993-06-18", "17 and 18 June 1993")],
        ),
        ("en", "Room 5, 18 June 1993", [("1993-06-18", "18 June 1993")]),
        ("en", "Flight 7 left 18 June 1993", [("1993-06-18", "18 June 1993")]),
        ("en", "Signed on June 5 by 12 delegates.", [("--06-05", "June 5")]),
        # A number in feet is a quantity, not a year.
        ("en", "a wall 1418 feet high", []),
        # Four digits after a decimal comma at the very start of a text.
        ("ru", "5,1993 тонны", []),
        # A year before a word for a span of time is still a year.
        ("en", "In 1991 weeks of protests followed.", [("1991", "1991")]),
        # Four digits after a decimal comma, or before one, are no year.
        ("ru", "π = 3,1415", []),
        ("ru", "1993,5 тонны", []),
    ],
)
def test_the_edges_of_dates(language, text, found):
    dates, _ = extract_dates(text, language)
    assert [(str(d.value), d.text) for d in dates] == found


def test_a_year_with_a_case_ending_is_not_bare():
    """A year written "1993-м" is a year by its ending, not a quantity that
    a number on the other side could match."""
    found, _ = extract_dates("Это было в 1993-м.", "ru")
    assert [(str(d.value), d.text, d.bare) for d in found] == [("1993", "1993-м", False)]


def test_a_range_of_years_at_the_start_of_a_text_is_not_bare():
    """Both ends of "1948–1953" are years, even at the very start of a text
    (a bare year could be matched with a quantity on the other side)."""
    found, _ = extract_dates("1948–1953 were hard years", "en")
    assert [(str(d.value), d.bare) for d in found] == [("1948", False), ("1953", False)]


# -- the edges of numbers -----------------------------------------------------------------


def test_a_year_before_a_dash_at_the_end_of_a_text_is_bare():
    """A range left open ("born 1948–") is no range of years."""
    found, _ = extract_dates("born 1948–", "en")
    assert [(str(d.value), d.bare) for d in found] == [("1948", True)]


def test_the_same_number_twice_on_both_sides_does_not_differ():
    diff = compare(
        values("25 pilots and 25 planes", "en"), values("25 пилотов и 25 самолётов", "ru")
    )
    assert diff.numbers == ([], []) and diff.matched == 2


def test_small_marks_whole_numbers_up_to_ten_in_digits():
    """``small``: whole numbers up to SMALL_NUMBER written in digits, which
    the other language may spell out; not 11, a fraction or a magnitude."""
    found = extract_numbers("10 x, 11 y, 2,5 z, 3 тысячи", "ru")
    assert [(n.value, n.small) for n in found] == [
        ("10", True),
        ("11", False),
        ("2.5", False),
        ("3000", False),
    ]


@pytest.mark.parametrize(
    ("language", "text", "numbers"),
    [
        # Three letters of case ending on "мың" (kk, "from 5 thousand").
        ("kk", "5 мыңнан астам", ["5000"]),
        # A magnitude word of two letters (Babel's Turkish "Mn", million).
        ("tr", "5 Mn lira", ["5000000"]),
        # A case ending on the stem of a long one ("миллион", kk).
        ("kk", "5 миллионға", ["5000000"]),
    ],
)
def test_magnitude_words_short_or_with_a_case_ending(language, text, numbers):
    assert [n.value for n in extract_numbers(text, language)] == numbers


@pytest.mark.parametrize(
    ("language", "text", "numbers"),
    [
        ("en", "One pilot flew.", ["1"]),
        ("en", "Bread and five fishes.", ["5"]),
        ("ru", "с двадцатью лётчиками", ["20"]),
        ("kk", "отыздан астам", ["30"]),
        ("az", "otuzdan çox", ["30"]),
        ("ru", "шести лётчикам", ["6"]),
        # A word that only starts like one ("один") is no number.
        ("ru", "одинокий лётчик", []),
        # Cardinals are read up to SPELLED_MAX: 1001 is two numbers.
        ("en", "one thousand and one nights", ["1000", "1"]),
    ],
)
def test_spelled_numbers_at_their_edges(language, text, numbers):
    """One is a number too; a word of a number ("and") standing alone does
    not hide the number after it; a number word of four letters ("отыз",
    "otuz") takes a case ending, and a longer one up to three letters after
    its stem ("двадцатью", "шести"), not more ("одинокий" is no "один")."""
    assert [n.value for n in extract_spelled_numbers(text, language)] == numbers


def test_a_small_number_is_left_out_when_the_other_side_has_nothing_unmatched():
    """A lone "3" on either side is likely spelled in a way not recognised
    on the other: not reported. With a number unmatched on the other side,
    both are reported."""
    assert differs("Они пришли.", "ru", "All 3 came.", "en") == ([], [])
    assert differs("Все 3 пришли.", "ru", "All came.", "en") == ([], [])
    assert differs("Пришли 7.", "ru", "All 3 came.", "en") == ([], ["7", "3"])
