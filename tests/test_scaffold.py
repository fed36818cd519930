"""diglot new, diglot add-language and diglot layouts copy."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from diglot import chronology, scaffold, sources
from diglot import project as project_mod
from diglot.cli import cli
from diglot.errors import UsageError

from .pdfread import text


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_new_project_is_valid_with_every_text_and_date(tmp_path):
    root = tmp_path / "book"
    written = scaffold.new_project(root, ("ru", "en"), "poems", dt.date(2026, 12, 1))
    names = sorted(p.relative_to(root).as_posix() for p in written)
    assert ".gitignore" in names and "README.md" in names
    assert "sources/poems/images/river.svg" in names
    project = project_mod.load(root, texts_of=())  # every text read and valid
    assert [(e.name, e.config.layout, e.config.paper) for e in project.editions] == [
        ("poems-ru-en", "booklet", "A5"),
        ("poems-ru-en-facing", "facing", "A5"),
        ("poems-ru-en-handout", "handout", "A4"),
    ]
    edition = project.editions[0]
    assert edition.config.date == dt.date(2026, 12, 1)
    assert edition.extra_css == (root.resolve() / "styles/house.css",)
    ru, en = (sources.load(edition.source(lang)) for lang in ("ru", "en"))
    assert ru.meta.role == "original" and en.meta.role == "translation" and en.meta.original == "ru"
    assert ru.meta.title == "Первый образец" and en.meta.title == "A first sample"
    assert list(ru.segments) == list(en.segments)
    body = (edition.source("en")).read_text(encoding="utf-8")
    for construct in ("[^1]", "\n[^1]: ", "\n- ", "\n1. ", "\n> ", "::: verse", "](https://",
                      "![", "](images/river.svg)", "\n---\n"):  # fmt: skip
        assert construct in body.split("---\n", 2)[2], construct
    dates = chronology.load(edition.work_dir / "dates.yaml", ("ru", "en"))
    assert {e.events["ru"] for e in dates.entries} == {
        "Открытие типографии",
        "Напечатаны первые 3 книги",
    }
    assert "poems" in (root / "README.md").read_text(encoding="utf-8")
    assert "/output/" in (root / ".gitignore").read_text(encoding="utf-8")


def test_a_language_without_a_sample_gets_the_english_one_to_replace(tmp_path):
    root = tmp_path / "book"
    scaffold.new_project(root, ("kk", "de"))
    project = project_mod.load(root, texts_of=())
    kk = (root / "sources/sample/kk.md").read_text(encoding="utf-8")
    assert "# The English sample, to be replaced by the Kazakh text." in kk
    assert sources.load(project.editions[0].source("kk")).meta.language == "kk"


def test_new_refuses_a_folder_with_files_and_leaves_it_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="already exists and is not empty"):
        scaffold.new_project(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(
    ("languages", "message"),
    [("az", "give two different languages"), ("az,az", "two different"), ("az,xq", "'xq'")],
)
def test_new_refuses_bad_languages(tmp_path, languages, message):
    result = invoke("new", str(tmp_path / "x"), "--languages", languages)
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "x").exists()


def test_add_language_keeps_every_segment_with_the_original_text(mini, monkeypatch):
    monkeypatch.chdir(mini)
    result = invoke("add-language", "demo", "de")
    assert result.exit_code == 0, result.output
    assert result.output == "sources/demo/de.md: 3 segment(s) to translate\n"
    de = sources.load(mini / "sources/demo/de.md", mini)
    az = sources.load(mini / "sources/demo/az.md", mini)
    assert de.meta.role == "translation" and de.meta.original == "az" and de.language == "de"
    assert list(de.segments) == list(az.segments)
    assert [s.plain for s in de.segments.values()] == [s.plain for s in az.segments.values()]
    again = invoke("add-language", "demo", "de")
    assert again.exit_code == 2 and "already exists" in again.output
    typo = invoke("add-language", "dmo", "fr")
    assert typo.exit_code == 2 and "no work named 'dmo' (did you mean 'demo'?)" in typo.output


def test_layouts_copy_a_layout_with_its_stylesheet(mini, monkeypatch):
    monkeypatch.chdir(mini)
    result = invoke("layouts", "copy", "booklet")
    assert result.output == "copied layouts/booklet.html.j2\ncopied styles/booklet.css\n"
    for rel in ("layouts/booklet.html.j2", "styles/booklet.css"):
        assert (mini / rel).read_bytes() == (scaffold.BUILTIN / rel).read_bytes()
    (mini / "styles/booklet.css").write_text("/* mine */", encoding="utf-8")
    refused = invoke("layouts", "copy", "booklet.css")
    assert refused.exit_code == 2 and "--force" in refused.output
    assert (mini / "styles/booklet.css").read_text(encoding="utf-8") == "/* mine */"
    assert invoke("layouts", "copy", "booklet.css", "--force").exit_code == 0
    assert (mini / "styles/booklet.css").read_text(encoding="utf-8") != "/* mine */"
    typo = invoke("layouts", "copy", "bookelt")
    assert typo.exit_code == 2 and "did you mean 'booklet'?" in typo.output
    assert "layouts/labels.yaml" in invoke("layouts", "list").output


@pytest.mark.slow
def test_new_then_build_makes_pdfs_with_no_edit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("new", "book", "--languages", "az,en").exit_code == 0
    monkeypatch.chdir(tmp_path / "book")
    result = invoke("build", "--jobs", "1")
    assert result.exit_code == 0, result.output
    for name in ("sample-az-en", "sample-az-en-facing", "sample-az-en-handout"):
        content = text(tmp_path / "book" / "output" / f"{name}.pdf")
        for words in ("İlk nümunə", "A first sample", "keep their breaks", "Şeirin misraları",
                      "A footnote: its text is printed"):  # fmt: skip
            assert words in content, (name, words)


def test_new_fills_an_empty_folder(tmp_path):
    (tmp_path / "book").mkdir()
    scaffold.new_project(tmp_path / "book", ("en", "ru"))
    assert project_mod.load(tmp_path / "book").editions[0].name == "sample-en-ru"
    assert [p.name for p in tmp_path.iterdir()] == ["book"]  # no staging folder left behind


def test_add_language_names_the_works_there_are_when_none_is_close(mini, tmp_path):
    with pytest.raises(UsageError, match=r"no work named 'zzzz' \(works: demo\)"):
        scaffold.add_language(mini, "zzzz", "fr")
    (tmp_path / "empty" / "sources").mkdir(parents=True)
    with pytest.raises(UsageError, match=r"no work named 'zzzz' \(works: none\)"):
        scaffold.add_language(tmp_path / "empty", "zzzz", "fr")


def test_add_language_keeps_a_first_segment_right_after_the_front_matter(mini):
    """An original whose first ``{#id}`` line follows its front matter with
    no blank line between: the skeleton still starts with that segment."""
    from .conftest import AZ

    az = mini / "sources/demo/az.md"
    az.write_text(AZ.replace("---\n\n{#intro}", "---\n{#intro}"), encoding="utf-8")
    path, count = scaffold.add_language(mini, "demo", "de")
    assert count == 3
    assert list(sources.load(path, mini).segments) == ["intro", "p1", "p2"]


# -- the corners of new, add-language and layouts copy -------------------------------


@pytest.mark.parametrize("work", ["../up", "-dash", "a b", ""])
def test_new_refuses_a_work_that_is_not_a_folder_name(tmp_path, work):
    with pytest.raises(UsageError, match=r"--work .*: use letters, digits, '\.', '_' and '-'"):
        scaffold.new_project(tmp_path / "book", ("az", "en"), work)
    assert list(tmp_path.iterdir()) == []


def test_new_refuses_a_path_that_is_a_file(tmp_path):
    (tmp_path / "book").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="already exists and is not empty"):
        scaffold.new_project(tmp_path / "book")
    assert (tmp_path / "book").read_text(encoding="utf-8") == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["book"]


def test_a_regional_language_gets_its_language_s_sample(tmp_path):
    """en-GB and ru-RU have no sample of their own: they get the English and
    Russian ones, as they are (no note to replace them); the README is
    titled as the first language's sample."""
    root = tmp_path / "book"
    scaffold.new_project(root, ("ru-RU", "en-GB"), today=dt.date(2026, 12, 1))
    project = project_mod.load(root, texts_of=())
    edition = project.editions[0]
    assert edition.name == "sample-ru-RU-en-GB"
    ru, en = (sources.load(edition.source(lang), root) for lang in ("ru-RU", "en-GB"))
    assert (ru.meta.title, ru.meta.role) == ("Первый образец", "original")
    assert (en.meta.title, en.meta.role, en.meta.original) == (
        "A first sample",
        "translation",
        "ru-RU",
    )
    assert (root / "README.md").read_text(encoding="utf-8").startswith("# Первый образец\n")
    for lang in ("ru-RU", "en-GB"):
        assert "to be replaced" not in edition.source(lang).read_text(encoding="utf-8")


def test_a_regional_language_gets_its_language_s_wording_of_the_dates(tmp_path):
    root = tmp_path / "book"
    scaffold.new_project(root, ("ru-RU", "en-GB"))
    dates = chronology.load(root / "sources/sample/dates.yaml", ("ru-RU", "en-GB"))
    assert [e.events["ru-RU"] for e in dates.entries] == [
        "Напечатаны первые 3 книги",
        "Открытие типографии",
    ]


def test_a_language_without_a_sample_has_the_english_dates_to_translate(tmp_path):
    root = tmp_path / "book"
    scaffold.new_project(root, ("de", "az"))
    dates = chronology.load(root / "sources/sample/dates.yaml", ("de", "az"))
    assert [e.events for e in dates.entries] == [
        {"de": "The first 3 books are printed", "az": "İlk 3 kitab çap olunur"},
        {"de": "The press opens", "az": "Mətbəə açılır"},
    ]
    de = sources.load(root / "sources/sample/de.md", root)
    assert (de.meta.language, de.meta.role, de.meta.title) == ("de", "original", "A first sample")


def test_add_language_refuses_a_work_that_is_a_path_into_the_sources(mini):
    """``demo/../demo`` is a folder, but not a work's name."""
    with pytest.raises(UsageError, match=r"no work named 'demo/\.\./demo' \(works: demo\)"):
        scaffold.add_language(mini, "demo/../demo", "de")
    assert not (mini / "sources/demo/de.md").exists()


def test_add_language_refuses_an_unknown_language_tag(mini):
    with pytest.raises(UsageError, match=r"unknown language tag 'xq' \(Babel has no locale"):
        scaffold.add_language(mini, "demo", "xq")
    assert sorted(p.name for p in (mini / "sources/demo").iterdir()) == [
        "az.md",
        "dates.yaml",
        "en.md",
    ]


def test_add_language_needs_an_original(mini):
    az = mini / "sources/demo/az.md"
    az.write_text(
        az.read_text(encoding="utf-8").replace("role: original", "role: translation\noriginal: en"),
        encoding="utf-8",
    )
    (mini / "sources/demo/en.md").unlink()
    with pytest.raises(UsageError, match=r"sources/demo/ has no text with 'role: original'"):
        scaffold.add_language(mini, "demo", "de")
    assert not (mini / "sources/demo/de.md").exists()


def test_add_language_reads_a_front_matter_closed_with_dots(mini):
    """YAML's other end marker, ``...``, closes a front matter too: the
    skeleton starts at the first segment after it, with the original's
    licence and title."""
    from .conftest import AZ

    az = mini / "sources/demo/az.md"
    az.write_text(AZ.replace("---\n\n{#intro}", "...\n\n{#intro}"), encoding="utf-8")
    path, count = scaffold.add_language(mini, "demo", "de")
    assert count == 3
    de = sources.load(path, mini)
    assert list(de.segments) == ["intro", "p1", "p2"]
    assert (de.meta.title, de.meta.original) == ("Kiçik nümunə", "az")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n# A German translation of az.md: each segment below")
    assert "licence" not in text.split("{#intro}")[1]


@pytest.mark.parametrize(
    ("name", "copied"),
    [
        ("styles/booklet.css", ["styles/booklet.css"]),
        ("booklet.html.j2", ["layouts/booklet.html.j2"]),
        ("labels.yaml", ["layouts/labels.yaml"]),
        ("handout", ["layouts/handout.html.j2", "styles/handout.css"]),
    ],
)
def test_layouts_copy_takes_a_layout_a_file_name_or_a_path(mini, name, copied):
    if not copied:
        with pytest.raises(UsageError, match=f"no built-in layout or stylesheet named {name!r}"):
            scaffold.copy_builtin(mini, name)
        assert not (mini / "layouts").exists() and not (mini / "styles").exists()
        return
    written = scaffold.copy_builtin(mini, name)
    assert [p.relative_to(mini).as_posix() for p in written] == copied
    for rel in copied:
        assert (mini / rel).read_bytes() == (scaffold.BUILTIN / rel).read_bytes()


def test_hidden_files_and_folders_of_the_built_in_folders_are_not_offered(tmp_path, monkeypatch):
    """An editor's hidden file or a folder beside the built-in layouts is
    neither listed nor copied."""
    for name in ("layouts/booklet.html.j2", "layouts/.booklet.html.j2.swp", "styles/x.css"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("/* built in */", encoding="utf-8")
    (tmp_path / "styles" / "old").mkdir()
    monkeypatch.setattr(scaffold, "BUILTIN", tmp_path)
    assert scaffold.builtin_files() == ["layouts/booklet.html.j2", "styles/x.css"]
