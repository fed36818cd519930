"""Translator exchange: `diglot po export` / `diglot po import`."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from diglot import po, sources
from diglot.cli import cli
from diglot.errors import DiglotError

from .conftest import AZ, EN, write_project
from .test_sources import HEAD, MARKUP_LINE

# The fixture's English with a paragraph wrapped over two lines, as editors write.
WRAPPED_EN = EN.replace("February 25, 1997 and has", "February 25, 1997\nand has")


def export(root, work="demo", lang="en", previous=None):
    return po.export_catalog(root, work, lang, previous).catalog


def entries(catalog):
    return {m.context: m for m in catalog if m.id}


def save(catalog, path):
    path.write_bytes(po.catalog_bytes(catalog))
    return path


def test_export_entries(mini):
    catalog = export(mini)
    assert catalog.project == "demo" and catalog.version == "az"
    assert str(catalog.locale) == "en"
    found = entries(catalog)
    assert list(found) == ["intro", "p1", "p2"]
    assert found["intro"].id == "## Giriş" and found["intro"].string == "## Introduction"
    assert found["p1"].string == (
        "This text was written on February 25, 1997 and has an *emphasised* and a "
        "**bold** word.\n\nIt continues in a second English paragraph."
    )
    assert found["p1"].locations == [("sources/demo/az.md", 14)]
    assert not any(m.fuzzy for m in found.values())


@pytest.mark.parametrize(("work", "lang"), [("genocide", "en"), ("biography", "en")])
def test_round_trip_on_the_corpus_changes_nothing(repo_copy, tmp_path, work, lang):
    text = repo_copy / "sources" / work / f"{lang}.md"
    before = text.read_bytes()
    path = save(export(repo_copy, work, lang), tmp_path / "x.po")
    result = po.import_po(repo_copy, path)
    assert not result.changed and result.skipped == []
    assert text.read_bytes() == before


def test_round_trip_keeps_wrapped_lines(mini, tmp_path):
    en = mini / "sources/demo/en.md"
    en.write_text(WRAPPED_EN, encoding="utf-8")
    path = save(export(mini), tmp_path / "demo.po")
    result = po.import_po(mini, path)
    assert result.unchanged == 3 and not result.changed
    assert en.read_text(encoding="utf-8") == WRAPPED_EN


def test_import_replaces_only_the_changed_segment(mini, tmp_path):
    en = mini / "sources/demo/en.md"
    en.write_text(WRAPPED_EN, encoding="utf-8")
    catalog = export(mini)
    entries(catalog)["p1"].string = "A new first paragraph.\n\nAnd a new\nsecond one."
    result = po.import_po(mini, save(catalog, tmp_path / "demo.po"))
    assert result.updated == ["p1"] and result.unchanged == 2
    expected = WRAPPED_EN.replace(
        "This text was written on February 25, 1997\nand has an *emphasised* and a "
        "**bold** word.\n\nIt continues in a second English paragraph.",
        "A new first paragraph.\n\nAnd a new\nsecond one.",  # lines as the translator wrote them
    )
    assert en.read_text(encoding="utf-8") == expected


def test_import_inserts_missing_segments_in_original_order(mini, tmp_path):
    en = mini / "sources/demo/en.md"
    text = en.read_text(encoding="utf-8")
    en.write_text(text.split("{#intro}")[0] + "{#p1}" + text.split("{#p1}")[1].split("{#p2}")[0])
    catalog = export(mini)
    found = entries(catalog)
    assert found["intro"].string == "" and found["p2"].string == ""
    assert sources.load(en).segments.keys() == {"p1"}
    found["intro"].string = "## Introduction"
    found["p2"].string = "The second paragraph."
    result = po.import_po(mini, save(catalog, tmp_path / "demo.po"))
    assert sorted(result.inserted) == ["intro", "p2"]
    doc = sources.load(en)
    assert list(doc.segments) == ["intro", "p1", "p2"]
    assert doc.segments["intro"].blocks[0].kind == "heading"
    assert doc.segments["p2"].plain == "The second paragraph."
    # Importing the same file again changes nothing.
    after = en.read_bytes()
    assert not po.import_po(mini, tmp_path / "demo.po").changed
    assert en.read_bytes() == after


def test_untranslated_entries_leave_the_text_alone(mini, tmp_path):
    en = mini / "sources/demo/en.md"
    before = en.read_bytes()
    catalog = export(mini)
    entries(catalog)["p2"].string = ""
    result = po.import_po(mini, save(catalog, tmp_path / "demo.po"))
    assert result.untranslated == 1 and not result.changed
    assert en.read_bytes() == before


def test_changed_original_marks_fuzzy_and_is_not_imported(mini, tmp_path):
    path = tmp_path / "demo.po"
    po.export_po(mini, "demo", "en", path)
    az = mini / "sources/demo/az.md"
    az.write_text(az.read_text().replace("İkinci abzas", "İkinci, dəyişmiş abzas"))
    exported = po.export_po(mini, "demo", "en", path)  # update the existing file
    assert exported.fuzzy == 1
    found = entries(read_po(path.open("rb")))
    assert found["p2"].fuzzy and not found["p1"].fuzzy
    previous = (
        '#| msgid "İkinci abzas: Azərbaycan Respublikası, ölkə, şəhər, çay, dağ, ağac, üzüm."'
    )
    assert previous in path.read_text(encoding="utf-8").splitlines()
    # Exporting again keeps the entry fuzzy until the translator revises it.
    assert po.export_po(mini, "demo", "en", path).fuzzy == 1
    assert previous in path.read_text(encoding="utf-8").splitlines()
    # The translator revises p2 but leaves the fuzzy flag on.
    catalog = read_po(path.open("rb"))
    entries(catalog)["p2"].string = "Second, changed paragraph."
    save(catalog, path)
    en = mini / "sources/demo/en.md"
    before = en.read_bytes()
    result = po.import_po(mini, path)
    assert [seg for seg, _ in result.skipped] == ["p2"] and "fuzzy" in result.skipped[0][1]
    assert en.read_bytes() == before
    result = po.import_po(mini, path, include_fuzzy=True)
    assert result.updated == ["p2"]
    assert sources.load(en).segments["p2"].plain == "Second, changed paragraph."


def test_stale_entry_is_skipped_on_import(mini, tmp_path):
    path = save(export(mini), tmp_path / "demo.po")
    catalog = read_po(path.open("rb"))
    entries(catalog)["p2"].string = "Changed."
    save(catalog, path)
    az = mini / "sources/demo/az.md"
    az.write_text(az.read_text().replace("İkinci abzas", "Yeni abzas"))
    result = po.import_po(mini, path)
    assert result.skipped and "original changed" in result.skipped[0][1]
    assert not result.changed


def test_bad_translation_is_refused(mini, tmp_path):
    catalog = export(mini)
    entries(catalog)["p2"].string = "Text\n\n{#p3}\n\nmore"
    en = mini / "sources/demo/en.md"
    before = en.read_bytes()
    with pytest.raises(DiglotError, match="may not contain the line"):
        po.import_po(mini, save(catalog, tmp_path / "demo.po"))
    assert en.read_bytes() == before


def test_invalid_po_is_a_located_error(mini, tmp_path):
    path = tmp_path / "bad.po"
    path.write_text('msgid "x"\nmsgstr "y"\nmsgstr "z"\ngarbage\n', encoding="utf-8")
    with pytest.raises(DiglotError) as info:
        po.import_po(mini, path)
    assert info.value.path == path
    # the fourth line is the one Babel cannot read (it counts from 0)
    assert info.value.line == 4
    assert info.value.format(tmp_path) == (
        "bad.po:4: not a valid PO file: Unknown or misformatted keyword"
    )


def test_po_without_diglot_header_is_refused(mini, tmp_path):
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="en")
    catalog.add("Hello", "Hi", context="p1")
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path = tmp_path / "foreign.po"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(DiglotError, match="does not name the work"):
        po.import_po(mini, path)


# -- CLI ---------------------------------------------------------------------------------


def test_cli_po_export_and_import(run, mini):
    result = run("po", "export", "demo", "en")
    assert result.exit_code == 0
    assert 'msgctxt "p1"' in result.output and "#: sources/demo/az.md:14" in result.output
    result = run("po", "export", "demo", "en", "-o", "demo-en.po")
    assert result.exit_code == 0
    assert result.output == "demo-en.po: 3 segment(s), 3 translated, 0 fuzzy\n"
    text = (mini / "demo-en.po").read_text(encoding="utf-8")
    (mini / "demo-en.po").write_text(
        text.replace('msgstr "## Introduction"', 'msgstr "## Foreword"'), encoding="utf-8"
    )
    result = run("po", "import", "demo-en.po")
    assert result.exit_code == 0
    assert result.output == (
        "sources/demo/en.md: 1 updated, 0 inserted, 2 unchanged, 0 untranslated, 0 skipped\n"
    )
    assert sources.load(mini / "sources/demo/en.md").segments["intro"].plain == "Foreword"


def test_cli_po_errors(run):
    result = CliRunner().invoke(cli, ["po", "export", "nope", "en"])
    assert result.exit_code == 2 and "no work named 'nope'" in result.output
    result = CliRunner().invoke(cli, ["po", "export", "demo", "az"])
    assert result.exit_code == 2 and "original language" in result.output
    result = CliRunner().invoke(cli, ["po", "import", "missing.po"])
    assert result.exit_code == 1 and "missing.po: file not found" in result.output


def test_cli_po_export_unknown_language(run, mini):
    """Babel's Catalog takes any tag: the export must refuse it itself."""
    result = CliRunner().invoke(cli, ["po", "export", "demo", "xx"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "diglot: unknown language tag 'xx' (Babel has no locale for it)\n"
    assert not list(mini.glob("*.po"))


def test_cli_po_import_include_fuzzy(run, mini):
    """A fuzzy entry is reported and left out; --include-fuzzy applies it."""
    assert run("po", "export", "demo", "en", "-o", "demo-en.po").exit_code == 0
    az = mini / "sources/demo/az.md"
    az.write_text(az.read_text().replace("İkinci abzas", "İkinci, dəyişmiş abzas"))
    assert run("po", "export", "demo", "en", "-o", "demo-en.po").output.endswith(" 1 fuzzy\n")
    path = mini / "demo-en.po"
    catalog = read_po(path.open("rb"))
    assert entries(catalog)["p2"].fuzzy
    entries(catalog)["p2"].string = "Second, changed paragraph: Republic of Azerbaijan."
    save(catalog, path)
    en = mini / "sources/demo/en.md"
    before = en.read_bytes()
    result = CliRunner().invoke(cli, ["po", "import", "demo-en.po"])
    assert result.exit_code == 0
    assert result.stderr == (
        "demo-en.po: p2: not applied: fuzzy (the original changed since export)\n"
    )
    assert result.stdout == (
        "sources/demo/en.md: 0 updated, 0 inserted, 2 unchanged, 0 untranslated, 1 skipped\n"
    )
    assert en.read_bytes() == before
    result = CliRunner().invoke(cli, ["po", "import", "demo-en.po", "--include-fuzzy"])
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == (
        "sources/demo/en.md: 1 updated, 0 inserted, 2 unchanged, 0 untranslated, 0 skipped\n"
    )
    assert sources.load(en).segments["p2"].plain.startswith("Second, changed paragraph:")


# -- import safety -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "msgstr",
    [
        "Text\r{#p3}\rmore",  # old Mac line ends
        "Text\r\n{#p3}\r\nmore",  # Windows line ends
        "Text\u2028{#p3}",  # LINE SEPARATOR
        "Text\u2029---",  # PARAGRAPH SEPARATOR
        "Text\x00more",  # NUL
        "Text\x85{#p3}",  # NEXT LINE
        "Text\n   {#p3}",  # an indented marker
    ],
)
def test_translation_that_breaks_the_source_is_refused(mini, tmp_path, msgstr):
    catalog = export(mini)
    entries(catalog)["p2"].string = msgstr
    en = mini / "sources/demo/en.md"
    before = en.read_bytes()
    path = save(catalog, tmp_path / "demo.po")
    with pytest.raises(DiglotError, match="entry 'p2': ") as info:
        po.import_po(mini, path)
    assert info.value.path == path and info.value.line is not None
    assert en.read_bytes() == before


def test_fence_like_lines_stay_inside_their_segment(mini, tmp_path):
    """``---`` after the front matter is a thematic break, not a fence: it is
    imported, and the file still reads with the same front matter and ids."""
    catalog = export(mini)
    entries(catalog)["p2"].string = "Before the break.\n\n---\n\nAfter it.\n..."
    path = save(catalog, tmp_path / "demo.po")
    po.import_po(mini, path)
    doc = sources.load(mini / "sources/demo/en.md")
    assert doc.meta.language == "en" and list(doc.segments) == ["intro", "p1", "p2"]
    kinds = [b.kind for b in doc.segments["p2"].blocks]
    assert kinds == ["paragraph", "rule", "paragraph"]


def _with_language(tmp_path, catalog, language):
    text = po.catalog_bytes(catalog).decode("utf-8")
    text = text.replace('"Language: en\\n"', f'"Language: {language}\\n"')
    path = tmp_path / "demo.po"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_into_the_original_language_is_refused(mini, tmp_path):
    catalog = export(mini)
    entries(catalog)["p2"].string = "Tamamilə yeni mətn."
    path = _with_language(tmp_path, catalog, "az")
    az = mini / "sources/demo/az.md"
    before = az.read_bytes()
    with pytest.raises(DiglotError, match="is the original language") as info:
        po.import_po(mini, path)
    assert info.value.line == next(
        n for n, line in enumerate(path.read_text().splitlines(), 1) if '"Language:' in line
    )
    assert az.read_bytes() == before


def test_language_that_is_a_path_is_refused(mini, tmp_path):
    victim = mini / "victim.md"
    victim.write_bytes((mini / "sources/demo/en.md").read_bytes())
    catalog = export(mini)
    entries(catalog)["p2"].string = "Overwritten."
    path = _with_language(tmp_path, catalog, "../../victim")
    before = victim.read_bytes()
    with pytest.raises(DiglotError, match=r"not a language tag|not a valid PO file"):
        po.import_po(mini, path)
    assert victim.read_bytes() == before


def test_po_file_that_is_a_fifo_or_huge_is_refused(mini, tmp_path, monkeypatch):
    fifo = tmp_path / "pipe.po"
    os.mkfifo(fifo)
    with pytest.raises(DiglotError, match="named pipe"):
        po.import_po(mini, fifo)
    monkeypatch.setattr(po, "MAX_PO_BYTES", 1000)
    big = save(export(mini), tmp_path / "big.po")
    with pytest.raises(DiglotError, match="PO files are limited to"):
        po.import_po(mini, big)


def test_notes_lists_and_verse_travel_with_their_segment(mini, tmp_path):
    catalog = export(mini)
    text = (
        "A call[^n] and a list:\n\n- one\n- two\n\n::: verse\nLine one\n    line two\n:::\n\n"
        "[^n]: The note, with *marks*."
    )
    entries(catalog)["p2"].string = text
    result = po.import_po(mini, save(catalog, tmp_path / "demo.po"))
    assert result.updated == ["p2"]
    doc = sources.load(mini / "sources/demo/en.md")
    segment = doc.segments["p2"]
    assert [b.kind for b in segment.blocks] == ["paragraph", "list", "verse"]
    assert [n.plain for n in segment.notes] == ["The note, with marks."]
    assert segment.blocks[2].lines[1].indent == 4
    again = entries(export(mini))["p2"]
    assert again.string == text


# A translator's text: any mix of the constructs of the source format.
SEGMENT_TEXT = st.lists(MARKUP_LINE, min_size=1, max_size=12).map("\n".join)


def _valid(text: str) -> bool:
    try:
        doc = sources.parse(f"{HEAD}{{#p}}\n{text}\n", Path("en.md"))
    except DiglotError:
        return False
    return bool(doc.segments)


@settings(max_examples=40, deadline=None)
@given(st.lists(SEGMENT_TEXT.filter(_valid), min_size=3, max_size=3))
def test_property_any_text_round_trips_through_export_and_import(texts):
    with tempfile.TemporaryDirectory() as folder:
        root = write_project(Path(folder), {"sources/demo/az.md": AZ, "sources/demo/en.md": EN})
        catalog = export(root)
        for message, text in zip(entries(catalog).values(), texts, strict=True):
            message.string = text
        po_file = save(catalog, Path(folder) / "demo.po")
        po.import_po(root, po_file)
        doc = sources.load(root / "sources/demo/en.md")
        expected = [po.normalise_text(t) for t in texts]
        assert [s.source for s in doc.segments.values()] == expected
        assert [m.string for m in entries(export(root)).values()] == expected
        # and a second import of the same file changes nothing
        before = (root / "sources/demo/en.md").read_bytes()
        assert not po.import_po(root, po_file).changed
        assert (root / "sources/demo/en.md").read_bytes() == before


def test_a_work_is_named_not_reached_by_a_path(mini):
    """A work's name is a plain name: a path that leads to a work's folder
    ("../sources/demo") is refused like an unknown work."""
    for work in ("../sources/demo", "nowork"):
        with pytest.raises(DiglotError, match=f"no work named {work!r}"):
            po.export_catalog(mini, work, "en")


def test_export_keeps_the_texts_translation_over_the_previous_files(mini):
    """Merging with the file exported before keeps what that file has only
    where the text has no translation yet; the text's own translation wins."""
    previous = export(mini)
    entries(previous)["p2"].string = "Translated in the PO file, not imported."
    entries(previous)["intro"].string = ""
    en = mini / "sources/demo/en.md"
    en.write_text(EN.replace("{#intro}\n## Introduction\n\n", ""), encoding="utf-8")
    found = entries(export(mini, previous=previous))
    assert found["p2"].string.startswith("Second paragraph: Republic of Azerbaijan")
    assert found["intro"].string == ""
    entries(previous)["intro"].string = "## Introduction, from the PO file"
    found = entries(export(mini, previous=previous))
    assert found["intro"].string == "## Introduction, from the PO file"


def test_an_import_that_only_updates_has_changed_the_text(mini, tmp_path):
    catalog = export(mini)
    entries(catalog)["p2"].string = "A new second paragraph."
    result = po.import_po(mini, save(catalog, tmp_path / "demo.po"))
    assert result.updated == ["p2"] and not result.inserted and result.changed


def test_a_segment_missing_before_all_others_is_inserted_first(mini, tmp_path):
    """A translation lacking the original's first segment gets it before its
    own first one, the rest of the file as it was; a segment both updated
    and followed by an insertion keeps its place."""
    en = mini / "sources/demo/en.md"
    text = EN.replace("{#intro}\n## Introduction\n\n", "").replace(
        "\n{#p2}\nSecond paragraph: Republic of Azerbaijan, country, city, river, mountain, "
        "tree, grape.\n",
        "",
    )
    en.write_text(text, encoding="utf-8")
    catalog = export(mini)
    entries(catalog)["intro"].string = "## Introduction"
    entries(catalog)["p1"].string = "A new first paragraph."
    entries(catalog)["p2"].string = "The second paragraph."
    result = po.import_po(mini, save(catalog, tmp_path / "demo.po"))
    assert result.inserted == ["intro", "p2"] and result.updated == ["p1"]
    head, _ = EN.split("{#intro}")
    assert en.read_text(encoding="utf-8") == (
        f"{head}{{#intro}}\n## Introduction\n\n{{#p1}}\nA new first paragraph.\n\n"
        "{#p2}\nThe second paragraph.\n"
    )


def test_blank_lines_after_a_segments_id_are_kept_and_its_text_replaced(mini, tmp_path):
    en = mini / "sources/demo/en.md"
    en.write_text(EN.replace("{#p2}\n", "{#p2}\n\n"), encoding="utf-8")
    catalog = export(mini)
    entries(catalog)["p2"].string = "A new second paragraph."
    po.import_po(mini, save(catalog, tmp_path / "demo.po"))
    assert en.read_text(encoding="utf-8").endswith("{#p2}\n\nA new second paragraph.\n")
