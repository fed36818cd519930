"""What makes an edition out of date (``diglot.incremental``), without
building: the digest of its inputs and the manifest's checks. The builds
themselves are in the slow tests/test_incremental.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diglot import fonts, incremental
from diglot import project as project_mod


def digest_of(mini: Path, name: str = "demo-en") -> str:
    return incremental.inputs_digest(project_mod.load(mini).edition(name))


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [
        "sources/demo/en.md",
        "sources/demo/dates.yaml",
        "sources/demo/images/map.svg",  # a picture the texts may show
        "layouts/booklet.html.j2",
        "layouts/parts/deep/head.html.j2",
        "styles/parts/colour.css",
    ],
)
def test_a_changed_input_changes_the_digest(mini, change):
    before = digest_of(mini)
    path = mini / change
    write(path, (path.read_text(encoding="utf-8") if path.exists() else "") + "\n<!-- x -->\n")
    assert digest_of(mini) != before


@pytest.mark.parametrize(
    "change",
    [
        "sources/demo/az.md",  # another language's text: not this edition's
        "sources/demo/raw/received.txt",  # texts as received
        "notes/todo.txt",
    ],
)
def test_what_the_edition_does_not_use_leaves_it_up_to_date(mini, change):
    before = digest_of(mini)
    path = mini / change
    write(path, (path.read_text(encoding="utf-8") if path.exists() else "") + "\nmore\n")
    assert digest_of(mini) == before


def test_settings_and_source_date_epoch_change_the_digest(mini, monkeypatch):
    before = digest_of(mini)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dated = digest_of(mini)
    assert dated != before
    config = mini / "diglot.toml"
    config.write_text('author = "A Publisher"\n' + config.read_text(), encoding="utf-8")
    assert digest_of(mini) not in (before, dated)


def fresh(mini: Path, html: bool = False, name: str = "demo-en") -> bool:
    edition = project_mod.load(mini).edition(name)
    manifest = incremental.Manifest(mini / "output")
    return manifest.is_fresh(edition, incremental.inputs_digest(edition), html)


def recorded(mini: Path, served: tuple[Path, ...] = ()) -> None:
    edition = project_mod.load(mini).edition("demo-en")
    write(edition.output, "%PDF stand-in")
    manifest = incremental.Manifest(mini / "output")
    manifest.record(edition, incremental.inputs_digest(edition), served)
    manifest.save()


def test_up_to_date_until_the_pdf_or_a_served_file_changes(mini):
    image = mini / "sources/demo/images/logo.png"
    write(image, "png")
    recorded(mini, (image,))
    assert fresh(mini) and not fresh(mini, name="demo-az-en")
    assert not fresh(mini, html=True)  # asked for HTML, none written
    write(mini / "output/demo-en.html", "<html>")
    assert fresh(mini, html=True)
    write(image, "another png")
    assert not fresh(mini)
    recorded(mini, (image,))
    write(mini / "output/demo-en.pdf", "%PDF edited")
    assert not fresh(mini)


def test_no_pdf_nothing_recorded(mini):
    edition = project_mod.load(mini).edition("demo-en")
    manifest = incremental.Manifest(mini / "output")
    manifest.record(edition, "inputs")
    assert manifest.entries == {}


def test_fonts_are_not_recorded_as_served_files(mini):
    font = fonts.faces()[0].path
    recorded(mini, (font,))
    data = json.loads((mini / "output" / incremental.MANIFEST).read_text())
    assert data["demo-en"]["served"] == {}


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[1, 2]",
        '{"demo-en": {"inputs": 1, "pdf": "x"}}',
        '{"demo-en": {"inputs": "x", "pdf": "x", "served": []}}',
        '{"demo-en": {"inputs": "x", "pdf": "x", "served": {"a": 1}}}',
        '{"demo-en": "x"}',
    ],
)
def test_a_broken_manifest_means_rebuild(mini, content):
    write(mini / "output" / incremental.MANIFEST, content)
    assert incremental.Manifest(mini / "output").entries == {}


def test_a_valid_entry_is_kept_beside_a_broken_one(mini):
    good = {"inputs": "x", "pdf": "y", "served": {"a": "b"}}
    write(
        mini / "output" / incremental.MANIFEST,
        json.dumps({"demo-en": good, "demo-az-en": {"inputs": "x"}}),
    )
    assert incremental.Manifest(mini / "output").entries == {"demo-en": good}
