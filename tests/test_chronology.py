"""The chronology file (sources/<work>/dates.yaml): what it gives and every
way it can be wrong, each a located error."""

from __future__ import annotations

import pytest

from diglot import chronology
from diglot.dates import PartialDate
from diglot.errors import DiglotError, DiglotErrors


def load(tmp_path, text: str, languages=("az", "en")):
    path = tmp_path / "dates.yaml"
    path.write_text(text, encoding="utf-8")
    return chronology.load(path, languages, tmp_path)


def errors(tmp_path, text: str, languages=("az", "en")) -> list[str]:
    with pytest.raises(DiglotError) as info:
        load(tmp_path, text, languages)
    return info.value.format(tmp_path).splitlines()


def test_entries_sorted_by_date_with_their_lines(tmp_path):
    found = load(
        tmp_path,
        "- date: 1997-02-25\n  segment: p1\n  event: {az: Üç, en: Three}\n"
        "- date: '1992-05'\n  event: {az: Bir, en: One}\n"
        "- date: 1993\n  event: {az: İki, en: Two}\n",
    )
    assert [(e.date, e.line, e.segment) for e in found.entries] == [
        (PartialDate(1992, 5, None), 4, None),
        (PartialDate(1993, None, None), 6, None),
        (PartialDate(1997, 2, 25), 1, "p1"),
    ]
    assert found.entries[2].events == {"az": "Üç", "en": "Three"}
    assert found.path == tmp_path / "dates.yaml"


def test_empty_file_is_an_empty_chronology(tmp_path):
    empty = load(tmp_path, "# nothing yet\n")
    assert empty.entries == () and empty.path == tmp_path / "dates.yaml"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "date: 1997\nevent: {en: x}\n",
            "dates.yaml:1: expected a list of entries (lines starting with '- date:')",
        ),
        ("- just text\n", "dates.yaml:1: an entry must have 'date' and 'event'"),
        ("- date: 1997\n  ? [a, b]\n  : x\n", "dates.yaml:2: keys must be plain words"),
        ("- date: 1997\n", "dates.yaml:1: an entry needs both 'date' and 'event'"),
        ("- event: {az: a, en: b}\n", "dates.yaml:1: an entry needs both 'date' and 'event'"),
        (
            "- date: 1997\n  event: Bir\n",
            "dates.yaml:2: event must map languages to texts (en: ...)",
        ),
        ("- date: 1997\n  event:\n    az: Bir\n", "dates.yaml:2: no en text for the event of 1997"),
        (
            "- date: 1997\n  event: {az: Bir, en: ''}\n",
            "dates.yaml:2: no en text for the event of 1997",
        ),
        (
            "- date: [1997]\n  event: {az: a, en: b}\n",
            "dates.yaml:1: date: expected an ISO "
            "date such as 1997-02-25, 1992-05 or 1993, got None",
        ),
        (
            "- date: 1997-13\n  event: {az: a, en: b}\n",
            "dates.yaml:1: date: '1997-13': month 13 does not exist",
        ),
    ],
    ids=[
        "not-a-list",
        "entry-not-a-mapping",
        "key-not-a-word",
        "no-event",
        "no-date",
        "event-not-a-mapping",
        "language-missing",
        "language-empty",
        "date-not-a-scalar",
        "month-13",
    ],
)
def test_schema_error(tmp_path, text, expected):
    assert errors(tmp_path, text) == [expected]


def test_every_problem_at_once_in_line_order(tmp_path):
    text = (
        "- date: 1997\n  when: later\n  event: {az: a, en: b}\n"
        "- date: 1997-02-30\n  event: {az: a, en: b}\n"
        "- date: 1998\n  event: {az: a}\n"
    )
    with pytest.raises(DiglotErrors):
        load(tmp_path, text)
    assert errors(tmp_path, text) == [
        "dates.yaml:2: unknown key 'when' (keys: date, event, segment)",
        "dates.yaml:4: date: '1997-02-30': day 30 does not exist in that month",
        "dates.yaml:7: no en text for the event of 1998",
    ]


def test_only_the_edition_languages_are_required(tmp_path):
    found = load(tmp_path, "- date: 1997\n  event: {az: Bir}\n", languages=("az",))
    assert found.entries[0].events == {"az": "Bir"}


def test_a_broken_entry_does_not_hide_the_next_ones(tmp_path):
    """Each kind of broken entry is skipped, and checking goes on."""
    text = (
        "- just text\n"
        "- date: 1990\n  ? [a]\n  : x\n"
        "- date: 1991\n"
        "- date: 1991-13\n  event: {az: a, en: b}\n"
        "- date: 1992\n  event: Bir\n"
        "- date: 1993\n  event: {az: a}\n"
    )
    assert errors(tmp_path, text) == [
        "dates.yaml:1: an entry must have 'date' and 'event'",
        "dates.yaml:3: keys must be plain words",
        "dates.yaml:5: an entry needs both 'date' and 'event'",
        "dates.yaml:6: date: '1991-13': month 13 does not exist",
        "dates.yaml:9: event must map languages to texts (en: ...)",
        "dates.yaml:11: no en text for the event of 1993",
    ]
