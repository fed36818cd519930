"""Customising by adding: extra stylesheets and a project's labels.yaml
add to the built-in ones instead of replacing them."""

from __future__ import annotations

import os
import re

import pytest

from diglot import project as project_mod
from diglot import render
from diglot.build import build, label_warnings
from diglot.errors import DiglotErrors

from .pdfread import destinations, page_text, text


def test_project_labels_merge_key_by_key(mini):
    (mini / "layouts").mkdir()
    (mini / "layouts" / "labels.yaml").write_text("contents: {en: Inside}\n", encoding="utf-8")
    builtin = render.builtin_labels()
    merged = render.labels(mini)
    assert merged["contents"]["en"] == "Inside"
    assert merged["contents"]["az"] == builtin["contents"]["az"]  # other languages kept
    assert {k: v for k, v in merged.items() if k != "contents"} == {
        k: v for k, v in builtin.items() if k != "contents"
    }


def test_an_edited_labels_file_is_read_again(mini):
    path = mini / "layouts" / "labels.yaml"
    path.parent.mkdir()
    path.write_text("contents: {en: First}\n", encoding="utf-8")
    assert render.labels(mini)["contents"]["en"] == "First"
    path.write_text("contents: {en: Second wording}\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # even with the same time stamp: the size differs
    assert render.labels(mini)["contents"]["en"] == "Second wording"


@pytest.mark.parametrize("lang", ["az", "kk", "en", "ru", "tr", "uz", "ky", "de", "fr", "es"])
def test_shipped_languages_have_every_label(mini, lang):
    assert render.missing_labels(mini, lang) == []
    assert render.missing_labels(mini, f"{lang}-XX") == []  # a region falls back to its language


def test_a_language_without_labels_is_a_warning_naming_them(mini):
    it = (mini / "sources/demo/en.md").read_text(encoding="utf-8")
    (mini / "sources/demo/it.md").write_text(it.replace("language: en", "language: it"))
    (mini / "layouts").mkdir()
    (mini / "layouts" / "labels.yaml").write_text("contents: {it: Indice}\n", encoding="utf-8")
    with (mini / "diglot.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[edition]]\nname = "demo-it"\nwork = "demo"\nlanguages = ["it"]\n')
        handle.write("date = 2026-11-23\n")
    edition = project_mod.load(mini).edition("demo-it")
    (warning,) = label_warnings(edition)
    assert warning.startswith("no it labels for chronology, colophon, source, author,")
    assert "contents" not in warning and "English is printed instead" in warning


def test_extra_css_is_linked_after_the_built_in_styles(mini):
    (mini / "styles").mkdir()
    (mini / "styles" / "house.css").write_text("h1 { color: red; }\n", encoding="utf-8")
    (mini / "edition.css").write_text("h2 { color: blue; }\n", encoding="utf-8")
    toml = (mini / "diglot.toml").read_text(encoding="utf-8")
    toml = 'extra_css = ["styles/house.css"]\n\n' + toml.replace(
        'name = "demo-en"\n', 'name = "demo-en"\nextra_css = ["edition.css"]\n'
    )
    (mini / "diglot.toml").write_text(toml, encoding="utf-8")
    from diglot.build import edition_html

    html = edition_html(project_mod.load(mini).edition("demo-en"))
    links = re.findall(r'<link rel="stylesheet" href="[^"]*/([^/"]+)">', html)
    assert links == ["base.css", "blocks.css", "booklet.css", "house.css", "edition.css"]


def test_extra_css_must_exist_inside_the_project(mini):
    toml = (mini / "diglot.toml").read_text(encoding="utf-8")
    toml = 'extra_css = ["styles/hose.css", "/etc/passwd.css"]\n' + toml
    (mini / "styles").mkdir()
    (mini / "styles" / "house.css").write_text("", encoding="utf-8")
    (mini / "diglot.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(DiglotErrors) as err:
        project_mod.load(mini)
    assert err.value.format(mini).splitlines() == [
        "diglot.toml:1: extra_css '/etc/passwd.css': stylesheets must be files inside the project",
        "diglot.toml:1: extra_css 'styles/hose.css': no such file (did you mean "
        "'styles/house.css'?)",
    ]


@pytest.mark.slow
def test_extra_css_keeps_cover_folios_and_contents(mini):
    (mini / "styles").mkdir()
    (mini / "styles" / "house.css").write_text(
        '.cover-date::after { content: " HOUSESTYLE"; }\n.body p { font-size: 11pt; }\n',
        encoding="utf-8",
    )
    toml = (mini / "diglot.toml").read_text(encoding="utf-8")
    (mini / "diglot.toml").write_text('extra_css = ["styles/house.css"]\n' + toml)
    # Text enough for pages after the opening one, which carry folios.
    for lang, words in (("az", "Uzun mətn davam edir"), ("en", "The long text goes on")):
        path = mini / "sources" / "demo" / f"{lang}.md"
        more = "\n\n".join(f"{words} {n}." * 12 for n in range(40))
        path.write_text(path.read_text(encoding="utf-8") + f"\n{{#more}}\n{more}\n", "utf-8")
    result = build(project_mod.load(mini).edition("demo-az-en"))
    pdf = result.path
    dests = destinations(pdf)
    assert "HOUSESTYLE" in page_text(pdf, 1)  # the added rule applies, on the built-in cover
    assert "Kiçik nümunə" in page_text(pdf, 1)
    contents = page_text(pdf, dests["contents"] + 1)
    intro_page = dests["az-intro"] + 1
    assert "Mündəricat" in contents and str(intro_page) in contents  # leaders and page numbers
    # The folio at the foot of the text's pages (an opening page has none).
    from pypdf import PdfReader

    pages = len(PdfReader(pdf).pages)
    folios = [n for n in range(intro_page, pages + 1) if page_text(pdf, n).split()[-1:] == [str(n)]]
    assert folios, "no page after the contents carries its folio"
    assert "Əsas tarixlər" in text(pdf)
