"""Steps of a build that need no whole edition: the check that every
footnote fits on its page (on a small WeasyPrint document), and a batch
built on a cluster (with the cluster replaced by what it sends back)."""

from __future__ import annotations

from pathlib import Path

import pytest

from diglot import build as build_mod
from diglot import cluster, pdf, sources
from diglot import project as project_mod
from diglot.errors import SourceError

TEXT = (
    "---\ntitle: T\nlanguage: en\nrole: original\nprovenance:\n  source: t\n"
    "  licence: CC0-1.0\n---\n\n{#p1}\nText[^1] and[^2].\n\n[^1]: Short.\n[^2]: Long.\n"
)


def laid_out(words: int) -> object:
    note = " ".join(["word"] * words)
    html = (
        "<html><head><style>@page { size: A7; margin: 10mm } .fn { float: footnote }</style>"
        f'</head><body><p>Text<span class="fn" id="note-en-2">{note}</span> and more.</p>'
        "</body></html>"
    )
    return pdf.load_weasyprint().HTML(string=html).render()


@pytest.fixture(scope="module")
def tall_note():
    return laid_out(400)


def test_a_footnote_taller_than_its_page_is_refused_at_its_line(tall_note):
    english = sources.parse(TEXT, Path("en.md"))
    with pytest.raises(SourceError) as err:
        build_mod.check_footnotes(tall_note, (english,))
    assert err.value.format() == (
        "en.md:14: note 2 does not fit on page 2: a footnote is not continued on the next "
        'page; shorten it, or print the notes after the text with notes = "endnotes" in '
        "diglot.toml"
    )


def test_a_tall_footnote_of_no_known_text_is_refused_without_a_line(tall_note):
    with pytest.raises(SourceError) as err:
        build_mod.check_footnotes(tall_note, ())
    assert err.value.path is None and err.value.format().startswith("diglot: note 2 does not fit")


def test_a_tall_footnote_its_text_does_not_number_is_refused_without_a_line(tall_note):
    one_note = sources.parse(
        TEXT.replace("and[^2]", "and").replace("[^2]: Long.\n", ""), Path("en.md")
    )
    assert [n.number for n in one_note.notes] == [1]
    with pytest.raises(SourceError) as err:
        build_mod.check_footnotes(tall_note, (one_note,))
    assert err.value.path is None and "note 2 does not fit on page 2" in str(err.value)


def test_a_footnote_that_fits_passes():
    build_mod.check_footnotes(laid_out(10), (sources.parse(TEXT, Path("en.md")),))


# -- a batch on a cluster ----------------------------------------------------------------


def test_editions_built_on_a_cluster_are_reported_and_recorded(mini, monkeypatch):
    editions = list(project_mod.load(mini).editions)
    (mini / "styles").mkdir()
    (mini / "styles/booklet.css").write_text("p { color: black }")
    asked: list[tuple[list[str], str, bool]] = []

    def remote_run(todo, address, write_html):
        asked.append(([e.name for e in todo], address, write_html))
        for edition in todo:
            if edition.name == "demo-handout":
                yield cluster.Remote(edition.name, error="demo-handout: the cluster failed")
                continue
            edition.output.parent.mkdir(parents=True, exist_ok=True)
            edition.output.write_bytes(b"%PDF- from the cluster")
            html = b"<html>" if edition.name == "demo-en" else None
            yield cluster.Remote(
                edition.name,
                pages=4,
                seconds=2.5,
                html=html,
                warnings=("w",),
                passes=2,
                served=((0, "styles/booklet.css"),),
            )

    monkeypatch.setattr(cluster, "run", remote_run)
    outcomes = {
        o.name: o
        for o in build_mod.build_many(editions, write_html=True, dask="tcp://scheduler:8786")
    }
    assert outcomes["demo-handout"].error == "demo-handout: the cluster failed"
    built = outcomes["demo-en"].built
    assert built is not None and outcomes["demo-az-en"].built is not None
    assert (built.pages, built.seconds, built.warnings, built.passes) == (4, 2.5, ("w",), 2)
    assert built.html == mini / "output/demo-en.html"
    assert outcomes["demo-az-en"].built.html is None
    assert built.served == (mini / "styles/booklet.css",)
    again = {o.name: o for o in build_mod.build_many(editions, dask="tcp://scheduler:8786")}
    assert again["demo-az-en"].skipped and not again["demo-handout"].skipped
    assert asked == [
        (["demo-az-en", "demo-handout", "demo-en"], "tcp://scheduler:8786", True),
        (["demo-handout"], "tcp://scheduler:8786", False),
    ]


# -- a rebuild from the kept line-breaking choices ------------------------------------


def test_a_side_by_side_booklet_rebuilt_from_its_kept_choices_is_the_same_in_one_pass(
    mini, monkeypatch
):
    """The second build of unchanged HTML goes straight to the choices the
    first one made (rows run on, pages cited, the colophon's place, words
    locked): one layout, and the same PDF."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    edition = project_mod.load(mini).edition("demo-az-en")
    first: list[str] = []
    build_mod.build(edition, progress=first.append)
    before = edition.output.read_bytes()
    edition.output.unlink()
    again: list[str] = []
    built = build_mod.build(edition, progress=again.append)
    assert sum(m.startswith("layout pass") for m in first) > 1
    assert [m for m in again if m.startswith("layout pass")] == ["layout pass 1"]
    assert built.passes == 1 and built.pages == 4
    assert edition.output.read_bytes() == before


# -- what the texts are checked for before a layout ----------------------------------


def test_a_word_too_long_for_a_line_is_named_at_its_line(mini):
    """The warning gives the file (in the project), the line, the word's
    length and its first 20 characters."""
    en = mini / "sources" / "demo" / "en.md"
    word = "abcdefghijklmnopqrstuvwxyz" * 3  # 78 characters
    en.write_text(en.read_text(encoding="utf-8") + f"\n{{#p3}}\nSee {word} here.\n", "utf-8")
    edition = project_mod.load(mini).edition("demo-en")
    lines = en.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, start=1) if word in line)
    assert build_mod.long_words(edition) == [
        f"sources/demo/en.md:{number}: a word of 78 characters without a break "
        "(abcdefghijklmnopqrst…) is too long for a line; it is broken at the margin: add "
        "spaces or soft hyphens where it may break"
    ]


def test_direction_overrides_in_a_text_are_refused_at_their_line(mini):
    en = mini / "sources" / "demo" / "en.md"
    text = en.read_text(encoding="utf-8")
    en.write_text(text.replace("It continues", "It \u202econtinues"), "utf-8")
    edition = project_mod.load(mini).edition("demo-en")
    number = text[: text.index("It continues")].count("\n") + 1
    with pytest.raises(SourceError) as err:
        build_mod.refuse_bidi_controls(edition)
    assert (err.value.path, err.value.line) == (en, number)
    assert "U+202E" in err.value.message
    en.write_text(text.replace("It continues", "It \u200fcontinues"), "utf-8")  # a mark: allowed
    build_mod.refuse_bidi_controls(edition)


def test_a_glyph_missing_only_from_a_language_name_names_that_language(mini, monkeypatch):
    """A character the fonts lack that no file holds was written by diglot
    (a language's name or a date): the error names the languages it comes
    from, and the edition's entry in diglot.toml."""
    from diglot import fonts
    from diglot.errors import ConfigError

    for name in ("sources/demo/az.md", "sources/demo/dates.yaml"):
        path = mini / name
        path.write_text(path.read_text(encoding="utf-8").replace("ə", "e"), "utf-8")
    monkeypatch.setattr(fonts, "uncovered", lambda html: {c for c in "ə" if c in html})
    edition = project_mod.load(mini).edition("demo-az-en")
    build_mod.check_glyphs(edition, "<p>English</p>")  # nothing missing
    with pytest.raises(ConfigError) as err:
        build_mod.check_glyphs(edition, "<p>Azərbaycan – English</p>")
    assert "cannot print the dates and language names of az: " in err.value.message
    assert err.value.path == edition.project.config_path and err.value.line == edition.line


def test_only_a_two_language_booklet_sets_its_languages_side_by_side(mini):
    """A booklet's two languages share the page in half-page columns whose
    rows are levelled; a handout's wide columns and a one-language booklet
    are not."""
    editions = project_mod.load(mini)
    assert build_mod.side_by_side(editions.edition("demo-az-en"))
    assert not build_mod.side_by_side(editions.edition("demo-handout"))
    assert not build_mod.side_by_side(editions.edition("demo-en"))
