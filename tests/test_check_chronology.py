"""Chronology findings: entries naming missing segments, dates the text does not give."""

from __future__ import annotations

from pathlib import Path

import pytest

from diglot import check
from diglot import project as project_mod
from diglot.check import Finding
from diglot.facts import DateValue

from .conftest import REPO


def chronology_findings(root: Path, work: str = "demo") -> list[Finding]:
    found = check.check_work(project_mod.load(root), work)
    return [f for f in found if f.code.startswith("chronology-")]


def set_dates(root: Path, old: str, new: str, work: str = "demo") -> None:
    path = root / "sources" / work / "dates.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_chronology_that_agrees_with_the_text_has_no_findings(mini):
    assert chronology_findings(mini) == []


def test_an_entry_naming_a_missing_segment(mini):
    set_dates(mini, "segment: p1", "segment: p9")
    [found] = chronology_findings(mini)
    assert found.code == "chronology-segment"
    assert found.path == mini / "sources/demo/dates.yaml" and found.line == 1
    assert "'p9'" in found.message and "az.md" in found.message
    assert found.format(mini).startswith("sources/demo/dates.yaml:1: chronology-segment: ")


@pytest.mark.parametrize("date", ["1997-02-26", "1997-03-25", "1998", "1998-02-25"])
def test_a_date_the_segment_does_not_give(mini, date):
    set_dates(mini, '"1997-02-25"', f'"{date}"')
    [found] = chronology_findings(mini)
    assert found.code == "chronology-date" and found.segment == "p1"
    assert found.line == 1 and found.severity == "error"
    # both texts say 25 February 1997; both are named, with what they do say
    assert "az (dates found: 1997-02-25)" in found.message
    assert "en (dates found: 1997-02-25)" in found.message


@pytest.mark.parametrize("date", ["1997", "1997-02"])
def test_a_partial_date_agrees_with_a_fuller_one_in_the_text(mini, date):
    set_dates(mini, '"1997-02-25"', f'"{date}"')
    assert chronology_findings(mini) == []


def test_only_the_language_that_disagrees_is_named(mini):
    en = mini / "sources/demo/en.md"
    en.write_text(
        en.read_text(encoding="utf-8").replace("February 25, 1997", "February 26, 1997"),
        encoding="utf-8",
    )
    [found] = chronology_findings(mini)
    assert "en (dates found: 1997-02-26)" in found.message and "az (" not in found.message


def test_an_entry_without_a_segment_is_not_compared(mini):
    set_dates(mini, '"1997-02-25"\n  segment: p1', '"1997-02-26"')
    assert chronology_findings(mini) == []


def test_a_date_written_without_its_year_agrees_on_day_and_month():
    assert DateValue(1990, 1, 21).agrees(DateValue(None, 1, 21))
    assert DateValue(1990, 1).agrees(DateValue(1990, 1, 21))
    assert not DateValue(1990, 1, 21).agrees(DateValue(None, 1, 20))
    assert not DateValue(1990, 1, 21).agrees(DateValue(1991))
    # a year and a day-and-month share nothing: no evidence either way is no agreement
    assert not DateValue(1993).agrees(DateValue(None, 6, 24))


def test_cli_check_reports_the_chronology(run, mini):
    set_dates(mini, '"1997-02-25"', '"1997-02-20"')
    result = run("check")
    assert result.exit_code == 1
    assert "sources/demo/dates.yaml:1: chronology-date: 1997-02-20" in result.output


def test_a_broken_chronology_is_one_error_line(run, mini):
    set_dates(mini, '"1997-02-25"', '"1997-02-30"')
    result = run("check")
    assert result.exit_code != 0
    assert "dates.yaml:1: date:" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("work", ["biography", "genocide"])
def test_the_corpus_chronologies_agree_with_their_texts(work):
    assert chronology_findings(REPO, work) == []


@pytest.mark.parametrize(
    ("work", "old", "new"),
    [
        ("biography", '"1923-05-10"', '"1923-05-11"'),
        ("genocide", '"1994-02-24"', '"1994-02-23"'),
    ],
)
def test_the_corpus_chronologies_are_read(repo_copy, work, old, new):
    set_dates(repo_copy, old, new, work)
    [found] = chronology_findings(repo_copy, work)
    assert found.code == "chronology-date" and new.strip('"') in found.message
