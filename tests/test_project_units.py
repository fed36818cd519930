"""diglot.toml read by diglot.project: the corners of its checks that the
broader tests in test_project.py leave out (values of the wrong type where
a name or a list is expected, editions written as an inline array, TOML
broken at its very end)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from diglot import project
from diglot.errors import ConfigError, DiglotErrors

EDITION = '[[edition]]\nname = "a"\nwork = "demo"\nlanguages = ["az", "en"]\n'


def problems(mini: Path, toml: str, texts_of: tuple[str, ...] | None = None) -> list[str]:
    """The "path:line: message" lines project.load reports for this diglot.toml."""
    (mini / "diglot.toml").write_text(toml, encoding="utf-8")
    with pytest.raises((DiglotErrors, ConfigError)) as err:
        project.load(mini, texts_of=texts_of)
    return err.value.format(mini).splitlines()


def test_an_author_of_none_given_through_the_api_means_no_author():
    """``author`` may be left out, and None is what "left out" is: the models
    accept it as such rather than as a badly shaped name."""
    assert project.Settings.model_validate({"author": None}).author is None
    config = project.EditionConfig.model_validate(
        {"name": "a", "work": "w", "languages": ["en"], "date": "2026-11-23", "author": None}
    )
    assert config.author is None


def test_a_publication_date_that_is_a_boolean_is_refused_as_not_a_date(mini):
    """``date = true`` is not the year 1 (a bool is an int to Python): it is
    refused as a value that is no date at all."""
    assert problems(mini, EDITION + "date = true\n") == [
        "diglot.toml:5: edition 'a': date = True: input should be a valid date"
    ]


def test_a_publication_date_that_is_a_float_is_refused_as_not_a_date(mini):
    """``date = 86400.0`` is not 1970-01-02 (pydantic reads a number as
    seconds since 1970): it is refused at its line."""
    lines = problems(mini, EDITION + "date = 86400.0\n")
    assert len(lines) == 1 and lines[0].startswith("diglot.toml:5: edition 'a': date")
    assert "86400.0" in lines[0]


def test_a_publication_date_with_a_time_of_day_is_refused(mini):
    lines = problems(mini, EDITION + "date = 2026-11-23T10:30:00\n")
    assert len(lines) == 1
    assert lines[0].startswith("diglot.toml:5: edition 'a': date = datetime.datetime(2026, 11, 23")
    assert lines[0].endswith(
        "datetimes provided to dates should have zero time - e.g. be exact dates"
    )


def test_a_publication_date_at_midnight_is_the_day():
    config = project.EditionConfig.model_validate(
        {"name": "a", "work": "w", "languages": ["en"], "date": dt.datetime(2026, 11, 23)}
    )
    assert config.date == dt.date(2026, 11, 23)


@pytest.mark.parametrize(("written", "tag"), [("Español", "es"), ("Svenska", "sv")])
def test_a_language_written_by_its_own_name_is_looked_up_in_that_language(mini, written, tag):
    """ "Español" is found among the names Spanish gives languages (its first
    two letters are Spanish's tag), not among the English names."""
    toml = EDITION.replace('"en"]', f'"{written}"]') + "date = 2026-11-23\n"
    assert problems(mini, toml) == [
        f"diglot.toml:4: edition 'a': languages: unknown language tag {written!r} "
        f"(Babel has no locale for it; did you mean {tag!r}?)"
    ]


def test_editions_written_as_an_inline_array_are_read_and_located_at_the_array(mini):
    """``edition = [{...}, {...}]`` is TOML for the same editions; their
    tables have no header line, so an edition (and each of its problems)
    is placed at the ``edition =`` line."""
    toml = (
        "# the editions, as one array\n"
        "edition = [\n"
        '  { name = "a", work = "demo", languages = ["az", "en"], date = 2026-11-23 },\n'
        '  { name = "b", work = "demo", languages = ["en"], date = 2026-11-23 },\n'
        "]\n"
    )
    (mini / "diglot.toml").write_text(toml, encoding="utf-8")
    loaded = project.load(mini)
    assert [(e.name, e.languages, e.line) for e in loaded.editions] == [
        ("a", ("az", "en"), 2),
        ("b", ("en",), 2),
    ]
    broken = toml.replace('work = "demo", languages = ["en"]', 'work = "gone", languages = ["en"]')
    assert problems(mini, broken) == [
        "diglot.toml:2: edition 'b': work 'gone' not found: no folder sources/gone/"
    ]


def test_a_work_that_is_not_a_name_is_reported_with_its_texts_read(mini):
    """``work = 5`` is a type error of that edition; the other editions'
    texts are still read and their problems told in the same run."""
    az = mini / "sources" / "demo" / "az.md"
    az.write_text(az.read_text(encoding="utf-8").replace("role: original", "role: copy"))
    toml = (
        EDITION
        + "date = 2026-11-23\n\n"
        + EDITION.replace('"a"', '"b"').replace('"demo"', "5")
        + "date = 2026-11-23\n"
    )
    assert problems(mini, toml, texts_of=()) == [
        "diglot.toml:9: edition 'b': work = 5: input should be a valid string",
        "sources/demo/az.md:4: role: Input should be 'original' or 'translation'",
    ]


def test_a_bad_language_item_hides_none_of_the_table_s_other_problems(mini):
    """pydantic's "no valid items" is dropped when a list's own items have
    errors, but only that: a wrong paper in the same table is still told,
    and the good language's text is still read."""
    az = mini / "sources" / "demo" / "az.md"
    az.write_text(az.read_text(encoding="utf-8").replace("role: original", "role: copy"))
    toml = EDITION.replace('"en"]', "5]") + 'paper = "A3"\ndate = 2026-11-23\n'
    assert problems(mini, toml, texts_of=()) == [
        "diglot.toml:4: edition 'a': languages[1] = 5: input should be a valid string",
        "diglot.toml:5: edition 'a': paper = 'A3': input should be 'A5', 'A4', 'A6', "
        "'Letter' or 'half-letter'",
        "sources/demo/az.md:4: role: Input should be 'original' or 'translation'",
    ]


def test_an_edition_whose_name_is_not_text_is_called_by_its_number(mini):
    toml = EDITION.replace('"a"', "5") + "date = 2026-11-23\n"
    assert problems(mini, toml) == [
        "diglot.toml:2: edition 1 (it has no name): name = 5: input should be a valid string"
    ]


def test_an_empty_edition_name_is_called_by_its_number(mini):
    toml = EDITION + "date = 2026-11-23\n\n" + EDITION.replace('"a"', '""') + "date = 2026-11-23\n"
    assert problems(mini, toml) == [
        "diglot.toml:8: edition 2 (it has no name): name = '': string should match "
        "pattern '^[A-Za-z0-9][A-Za-z0-9._-]*$'"
    ]


def test_a_project_stylesheet_under_a_quoted_key_is_reported_at_its_line(mini):
    """A key written in quotes is the same key to TOML; the missing
    stylesheet it names is reported at that key's line."""
    toml = '# styles\n"extra_css" = ["styles/none.css"]\n\n' + EDITION + "date = 2026-11-23\n"
    assert problems(mini, toml) == ["diglot.toml:2: extra_css 'styles/none.css': no such file"]


def test_toml_broken_at_its_very_end_is_reported_without_a_line(mini):
    """tomllib says "at end of document" rather than giving a line: the
    error names the file alone."""
    (mini / "diglot.toml").write_text(EDITION + "date = 2026-11-23\nextra_css = [", "utf-8")
    with pytest.raises(ConfigError) as err:
        project.load(mini)
    assert err.value.line is None
    assert (
        err.value.format(mini) == "diglot.toml: not valid TOML: Invalid value (at end of document)"
    )
