from __future__ import annotations

import pytest

from diglot import project
from diglot.errors import ConfigError, DiglotErrors, UsageError


def test_loads_editions(mini):
    proj = project.load(mini)
    assert [e.name for e in proj.editions] == ["demo-az-en", "demo-handout", "demo-en"]
    first = proj.editions[0]
    assert first.languages == ("az", "en") and first.config.paper == "A5"
    assert first.output == mini.resolve() / "output" / "demo-az-en.pdf"
    assert first.line == 1


def test_finds_root_from_a_subfolder(mini):
    assert project.find_root(mini / "sources" / "demo") == mini.resolve()


def test_missing_config(tmp_path):
    with pytest.raises(ConfigError, match=r"no diglot\.toml here or in any parent"):
        project.find_root(tmp_path)


def test_all_problems_reported_at_once_with_lines(mini):
    (mini / "diglot.toml").write_text(
        '[[edition]]\nname = "a"\nwork = "demo"\nlanguages = ["az"]\npaper = "A3"\n'
        'date = 2026-11-23\nlayuot = "booklet"\n\n'
        '[[edition]]\nname = "b"\nwork = "nowhere"\nlanguages = ["en", "xx"]\n'
        'date = "2026-02-30"\n',
        encoding="utf-8",
    )
    with pytest.raises(DiglotErrors) as err:
        project.load(mini)
    text = err.value.format()
    assert "diglot.toml:5: edition 'a': paper = 'A3': input should be 'A5', 'A4'" in text
    assert "diglot.toml:7: edition 'a': unknown key 'layuot' (did you mean 'layout'?)" in text
    assert "diglot.toml:11: edition 'b': work 'nowhere' not found" in text
    assert "diglot.toml:12: edition 'b': languages: unknown language tag 'xx'" in text
    assert "diglot.toml:13: edition 'b': date: '2026-02-30': day 30 does not exist" in text
    assert len(text.splitlines()) == 5


def test_a_fitted_measure_is_for_facing_pages_and_one_of_two(mini):
    """measure = "fit" narrows the shorter language's pages of a facing
    edition: on a booklet it would do nothing, so it is an error there;
    a value other than "same" or "fit" is one too, on its line."""
    assert _problems(
        mini,
        '[[edition]]\nname = "a"\nwork = "demo"\nlanguages = ["az"]\n'
        'date = 2026-11-23\nmeasure = "fit"\n\n'
        '[[edition]]\nname = "b"\nwork = "demo"\nlanguages = ["az"]\n'
        'date = 2026-11-23\nmeasure = "narrow"\n',
    ) == [
        ":6: edition 'a': measure = 'fit' is for the facing layout (left and right pages)",
        ":13: edition 'b': measure = 'narrow': input should be 'same' or 'fit'",
    ]


def test_references_checked(mini):
    (mini / "diglot.toml").write_text(
        '[[edition]]\nname = "a"\nwork = "demo"\nlanguages = ["az", "ru"]\nlayout = "poster"\n'
        'date = 2026-11-23\n\n[[edition]]\nname = "a"\nwork = "gone"\nlanguages = ["en"]\n'
        "date = 2026-11-23\n",
        encoding="utf-8",
    )
    with pytest.raises(DiglotErrors) as err:
        project.load(mini)
    text = err.value.format()
    assert (
        "diglot.toml:4: edition 'a': no ru text for work 'demo': sources/demo/ru.md is missing "
        "(texts: az, en; start one with: diglot add-language demo ru)"
    ) in text
    assert "diglot.toml:5: edition 'a': unknown layout 'poster' (layouts: booklet, facing" in text
    assert "diglot.toml:9: edition name 'a' is used twice (first on line 2)" in text
    assert "diglot.toml:10: edition 'a': work 'gone' not found" in text


def test_invalid_toml(mini):
    (mini / "diglot.toml").write_text('[[edition]]\nname = "a\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        project.load(mini)
    assert err.value.line == 2 and "not valid TOML" in err.value.message


def load_error(mini, toml: str | bytes) -> str:
    """The one-line errors project.load gives for this diglot.toml."""
    path = mini / "diglot.toml"
    if isinstance(toml, bytes):
        path.write_bytes(toml)
    else:
        path.write_text(toml, encoding="utf-8")
    with pytest.raises((ConfigError, DiglotErrors)) as err:
        project.load(mini)
    return err.value.format(mini)


EDITION = '[[edition]]\nname = "a"\nwork = "demo"\nlanguages = ["az", "en"]\n'


def test_a_language_listed_twice(mini):
    toml = EDITION.replace('["az", "en"]', '["az", "en", "az"]') + "date = 2026-11-23\n"
    assert load_error(mini, toml) == (
        "diglot.toml:4: edition 'a': languages: ('az', 'en', 'az'): a language is listed twice"
    )


@pytest.mark.parametrize(
    ("date", "shown"),
    [('"2026-11"', "2026-11"), ("2026", "2026"), ('"2026"', "2026")],
    ids=["month-string", "year-int", "year-string"],
)
def test_a_partial_publication_date(mini, date, shown):
    """A year alone is an int in TOML: not seconds since 1970."""
    assert load_error(mini, EDITION + f"date = {date}\n") == (
        f"diglot.toml:5: edition 'a': date: '{shown}': "
        "a publication date needs year, month and day (2026-11-23)"
    )


def test_a_partial_bare_toml_date(mini):
    """``date = 2026-11`` is not TOML at all: say what is wrong with it."""
    assert load_error(mini, EDITION + "date = 2026-11\n") == (
        "diglot.toml:5: invalid date: '2026-11': "
        "a publication date needs year, month and day (2026-11-23)"
    )


def test_a_non_utf8_config_names_the_line(mini):
    toml = (EDITION + "date = 2026-11-23\n# Bak\xfd\n").encode("latin-1")
    at = toml.index(b"\xfd")
    assert load_error(mini, toml) == f"diglot.toml:6: not valid UTF-8 at byte {at}"
    assert load_error(mini, b"\xff\xfe[[edition]]\n") == (
        "diglot.toml:1: not valid UTF-8 at byte 0"
    )


@pytest.mark.parametrize("languages", ['["az"]', '["az", "en", "ru"]'])
def test_facing_needs_exactly_two_languages(mini, languages):
    (mini / "sources/demo/ru.md").write_text(
        (mini / "sources/demo/en.md").read_text().replace("language: en", "language: ru"),
        encoding="utf-8",
    )
    toml = EDITION.replace('["az", "en"]', languages) + 'layout = "facing"\ndate = 2026-11-23\n'
    assert load_error(mini, toml) == (
        "diglot.toml:4: edition 'a': the facing layout needs exactly two languages "
        "(left and right pages)"
    )


def test_mistakes_of_every_kind_reported_together_by_edition_name(mini):
    """A misspelt layout, an unknown key, a wrong value, a misspelt work and
    language, a bad top-level key and a broken text: one run names them all."""
    (mini / "diglot.toml").write_text(
        'autor = "me"\n\n'
        '[[edition]]\nname = "demo-az-en"\nwork = "demo"\nlanguages = ["az", "English"]\n'
        'layout = "facng"\ndate = 2026-11-23\n\n'
        '[[edition]]\nname = "x"\nwork = "dmo"\nlanguages = ["azz"]\npaper = "A3"\n'
        "date = 2026-11-23\ncolums = 2\n",
        encoding="utf-8",
    )
    az = mini / "sources" / "demo" / "az.md"
    az.write_text(az.read_text(encoding="utf-8").replace("role: original", "role: copy"))
    with pytest.raises(DiglotErrors) as err:
        project.load(mini, texts_of=())
    lines = err.value.format(mini).splitlines()
    assert lines == [
        "diglot.toml:1: unknown key 'autor' (did you mean 'author'?)",
        "diglot.toml:6: edition 'demo-az-en': languages: unknown language tag 'English' "
        "(Babel has no locale for it; did you mean 'en'?)",
        "diglot.toml:7: edition 'demo-az-en': unknown layout 'facng' (did you mean 'facing'?)",
        "diglot.toml:12: edition 'x': work 'dmo' not found: no folder sources/dmo/ "
        "(did you mean 'demo'?)",
        "diglot.toml:13: edition 'x': languages: unknown language tag 'azz' "
        "(Babel has no locale for it; did you mean 'az'?)",
        "diglot.toml:14: edition 'x': paper = 'A3': input should be 'A5', 'A4', 'A6', "
        "'Letter' or 'half-letter'",
        "diglot.toml:16: edition 'x': unknown key 'colums' (did you mean 'columns'?)",
        "sources/demo/az.md:4: role: Input should be 'original' or 'translation'",
    ]


def test_a_single_edition_table_is_explained(mini):
    (mini / "diglot.toml").write_text(
        '[edition]\nname = "a"\nwork = "demo"\nlanguages = ["az"]\ndate = 2026-11-23\n',
        encoding="utf-8",
    )
    with pytest.raises(DiglotErrors) as err:
        project.load(mini)
    assert err.value.format(mini) == (
        "diglot.toml:1: [edition] declares a single table; write [[edition]] (two brackets) "
        "above each edition, so that there can be several"
    )


def test_a_misspelt_edition_name_gets_a_suggestion(mini):
    with pytest.raises(
        UsageError, match=r"no edition named 'demo-az' \(did you mean 'demo-az-en'\?"
    ):
        project.load(mini).edition("demo-az")


def test_texts_of_other_editions_are_not_read(mini):
    (mini / "sources" / "demo" / "az.md").write_text("no front matter\n", encoding="utf-8")
    assert project.load(mini, texts_of=("demo-en",)).edition("demo-en")
    with pytest.raises(DiglotErrors, match="missing front matter"):
        project.load(mini, texts_of=("demo-az-en",))


@pytest.mark.parametrize(
    ("top", "own", "author"),
    [
        (None, None, None),
        ("The Project", None, "The Project"),
        ("The Project", "Ed", "Ed"),
        (None, "Ed", "Ed"),
    ],
)
def test_an_edition_author_falls_back_to_the_project_author(mini, top, own, author):
    config = mini / "diglot.toml"
    text = config.read_text(encoding="utf-8")
    if own:
        text = text.replace('name = "demo-en"\n', f'name = "demo-en"\nauthor = "{own}"\n', 1)
    if top:
        text = f'author = "{top}"\n\n' + text
    config.write_text(text, encoding="utf-8")
    assert project.load(mini).edition("demo-en").author == author


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        # each edition's languages in its order, each name once
        ('{ en = "The editors", az = "Redaktorlar" }', {"demo-az-en": "Redaktorlar · The editors"}),
        ('{ en = "The editors", az = "Redaktorlar" }', {"demo-en": "The editors"}),
        ('{ az = "diglot", en = "diglot" }', {"demo-az-en": "diglot"}),
        # a language the table lacks is left out; none of them: its first name
        ('{ en = "The editors" }', {"demo-az-en": "The editors"}),
        ('{ ru = "Редакция", kk = "Редакторлар" }', {"demo-en": "Редакция"}),
    ],
)
def test_an_author_may_be_named_in_each_language(mini, table, expected):
    """A bilingual cover names its editors in both languages, the PDF's
    Author too: ``author`` may be a table of names by language."""
    config = mini / "diglot.toml"
    config.write_text(f"author = {table}\n\n" + config.read_text(encoding="utf-8"))
    loaded = project.load(mini)
    for name, author in expected.items():
        assert loaded.edition(name).author == author


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('{ xx = "Someone" }', "diglot.toml:1: author: unknown language tag 'xx'"),
        ("{}", "diglot.toml:1: author: give at least one name"),
        ('{ en = " " }', "diglot.toml:1: author: a name is empty"),
        ("{ en = 3 }", "diglot.toml:1: author"),
    ],
)
def test_a_wrong_author_table_is_a_located_error(mini, table, message):
    config = mini / "diglot.toml"
    config.write_text(f"author = {table}\n\n" + config.read_text(encoding="utf-8"))
    with pytest.raises(DiglotErrors) as err:
        project.load(mini)
    assert message in err.value.format(mini), err.value.format(mini)


EDITION = '[[edition]]\nname = "a"\nwork = "demo"\nlanguages = ["az", "en"]\n'


def _problems(mini, toml: str) -> list[str]:
    (mini / "diglot.toml").write_text(toml, encoding="utf-8")
    with pytest.raises((DiglotErrors, ConfigError)) as err:
        project.load(mini)
    found = err.value.format() if isinstance(err.value, DiglotErrors) else str(err.value)
    return [line.split("diglot.toml", 1)[1] for line in found.splitlines()]


def test_nesting_too_deep_is_reported_at_the_line_that_goes_over_fifty(mini):
    fifty = "[" + "[], " * 10 + "[" * 49  # fifty open at the end of line 2: the limit
    toml = f"a = 1\nb = {fifty}\n{'[' * 5}\n{'[' * 2000}{']' * 2055}\n"
    assert _problems(mini, toml) == [":3: nested too deeply"]


def test_a_bad_date_on_the_first_or_last_line_is_explained(mini):
    toml = EDITION + "date = 2026-13-01"
    assert _problems(mini, toml) == [":5: invalid date: '2026-13-01': month 13 does not exist"]
    toml = "date = 2026-13-01\n" + EDITION
    assert _problems(mini, toml) == [":1: invalid date: '2026-13-01': month 13 does not exist"]


def test_an_edition_without_a_name_is_called_by_its_number_at_its_table(mini):
    """A key an edition lacks is reported at the line of its own table (it
    was reported at line 1, the first edition's, whichever lacked it)."""
    toml = EDITION + "date = 2026-11-23\n\n" + EDITION.replace('name = "a"\n', "")
    assert _problems(mini, toml) == [
        ":7: edition 2 (it has no name): missing required key 'date'",
        ":7: edition 2 (it has no name): missing required key 'name'",
    ]


def test_a_bad_item_of_a_list_is_named_by_its_place(mini):
    toml = EDITION.replace('"en"]', "5]") + "date = 2026-11-23\n"
    assert _problems(mini, toml) == [
        ":4: edition 'a': languages[1] = 5: input should be a valid string"
    ]


@pytest.mark.parametrize("name", ["../outside.css", "ABSOLUTE"])
def test_extra_stylesheets_must_be_inside_the_project(mini, name):
    (mini / "styles").mkdir()
    (mini / "styles" / "x.css").write_text("p { color: red }", encoding="utf-8")
    (mini.parent / "outside.css").write_text("p { color: red }", encoding="utf-8")
    if name == "ABSOLUTE":  # even a file that is in it, named from the root
        name = str(mini / "styles" / "x.css")
    toml = EDITION + f"date = 2026-11-23\nextra_css = [{name!r}]\n"
    assert _problems(mini, toml) == [
        f":6: edition 'a': extra_css {name!r}: stylesheets must be files inside the project"
    ]


def test_an_author_table_names_the_closest_language_it_has():
    table = {"en": "English name", "en-GB": "British name", "az": "Ad"}
    assert project.author_for(table, ["en-GB"]) == "British name"
    assert project.author_for(table, ["en-US", "az"]) == "English name · Ad"
    assert project.author_for({"kk": "Аты"}, ["en"]) == "Аты"


def test_a_language_written_by_its_own_name_gets_its_tag(mini):
    toml = EDITION.replace('"en"]', '"Deutsch"]') + "date = 2026-11-23\n"
    assert _problems(mini, toml) == [
        ":4: edition 'a': languages: unknown language tag 'Deutsch' "
        "(Babel has no locale for it; did you mean 'de'?)"
    ]


def test_an_author_table_of_other_than_names_is_refused(mini):
    toml = EDITION + "date = 2026-11-23\nauthor = { en = 5 }\n"
    assert _problems(mini, toml) == [
        ':6: edition \'a\': author: give a name, or a name per language: { en = "...", kk = "..." }'
    ]


def test_an_empty_list_of_languages_is_reported(mini):
    """An edition with no language is told so (the "too short" of a list
    is left out only where the list's own items have errors)."""
    toml = EDITION.replace('["az", "en"]', "[]") + "date = 2026-11-23\n"
    assert _problems(mini, toml) == [
        ":4: edition 'a': languages = []: tuple should have at least 1 item after validation, not 0"
    ]


def test_a_config_without_editions_is_told_so_at_its_first_line(mini):
    assert _problems(mini, "# no editions yet\n\noutput = 'out'\n") == [
        ":1: no editions: add an [[edition]] table with name, work, languages and date"
    ]
