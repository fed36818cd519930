from __future__ import annotations

import pytest

from diglot import project
from diglot.errors import ConfigError, DiglotErrors


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
    assert "diglot.toml:5: edition.0.paper:" in text
    assert "diglot.toml:7: unknown key 'edition.0.layuot' (did you mean 'layout'?)" in text
    assert "diglot.toml:12: edition.1.languages: unknown language tag 'xx'" in text
    assert "diglot.toml:13: edition.1.date: '2026-02-30': day 30 does not exist" in text
    assert len(text.splitlines()) == 4


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
    assert "diglot.toml:4: no ru text for work 'demo': sources/demo/ru.md is missing" in text
    assert "diglot.toml:5: unknown layout 'poster' (layouts: booklet, facing, handout" in text
    assert "diglot.toml:9: edition name 'a' is used twice (first on line 2)" in text
    assert "diglot.toml:10: work 'gone' not found" in text


def test_invalid_toml(mini):
    (mini / "diglot.toml").write_text('[[edition]]\nname = "a\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        project.load(mini)
    assert err.value.line == 2 and "not valid TOML" in err.value.message
