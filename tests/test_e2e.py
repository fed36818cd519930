"""Build the project's real editions and read the PDFs back."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from pypdf import PdfReader

from diglot import project as project_mod
from diglot import sources
from diglot.build import build
from diglot.dates import format_partial, parse_iso

from .conftest import REPO
from .pdfread import destinations, fonts, norm, page_size_mm, text

pytestmark = pytest.mark.slow

CONFIG = tomllib.loads((REPO / "diglot.toml").read_text())
EDITIONS = [e["name"] for e in CONFIG["edition"]]
PAPER_MM = {"A5": (148.0, 210.0), "A4": (210.0, 297.0), "Letter": (215.9, 279.4)}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    dest = tmp_path_factory.mktemp("repo")
    for name in ("sources", "layouts", "styles"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "diglot.toml", dest / "diglot.toml")
    project = project_mod.load(dest)
    return project, {e.name: build(e) for e in project.editions}


@pytest.mark.parametrize("name", EDITIONS)
def test_edition_pdf(built, name):
    project, results = built
    edition = project.edition(name)
    pdf = results[name].path
    reader = PdfReader(pdf)
    assert len(reader.pages) == results[name].pages >= 1
    assert page_size_mm(pdf) == PAPER_MM[edition.config.paper]
    assert reader.trailer["/Root"]["/Lang"] == edition.languages[0]
    meta = reader.metadata
    expected = CONFIG["edition"][EDITIONS.index(name)].get("author", CONFIG["author"])
    assert meta.author == expected
    assert meta.title and all(
        sources.load(edition.source(lang)).meta.title in meta.title for lang in edition.languages
    )
    for font in fonts(pdf):
        assert font["emb"] == "yes" and font["sub"] == "yes", font
        assert "Noto" in font["name"], font
    content = text(pdf)
    dests = destinations(pdf)
    for lang in edition.languages:
        doc = sources.load(edition.source(lang))
        published = norm(format_partial(parse_iso(edition.config.date), lang))
        assert published in content, (lang, published)
        # every segment of every language is in the PDF, findable by its id
        ids = {f"{lang}-{seg}" for seg in doc.segments}
        assert ids <= set(dests), sorted(ids - set(dests))[:5]
        # and its text is there (first words of each segment; a picture's
        # description is not printed text)
        for segment in doc.segments.values():
            printed = [b.plain for b in segment.blocks if b.kind != "figure" and b.plain]
            words = " ".join(norm(printed[0] if printed else "").split()[:4])
            assert words in content, (lang, segment.id, words)


@pytest.mark.parametrize("name", ["genocide-az-en", "biography-kk-en", "biography-kk-en-facing"])
def test_booklet_has_cover_colophon_contents_and_dates(built, name):
    from diglot import chronology
    from diglot.render import labels

    from .pdfread import page_text

    project, results = built
    pdf = results[name].path
    edition = project.edition(name)
    first = edition.languages[0]
    words = labels(project.root)
    cover = page_text(pdf, 1)
    for lang in edition.languages:
        title = sources.load(edition.source(lang)).meta.title
        assert " ".join(norm(title).split()[:3]) in cover
        assert norm(format_partial(parse_iso(edition.config.date), lang)) in cover
    colophon = page_text(pdf, 2)
    assert words["colophon"][first] in colophon and "diglot" in colophon
    # no running heads or page numbers on the cover and colophon
    assert cover.split()[-1] != "1" and colophon.split()[-1] != "2"
    contents = page_text(pdf, 3)
    assert words["contents"][first] in contents
    # every key date is written the way each language writes it
    content = text(pdf)
    entries = chronology.load(edition.work_dir / "dates.yaml", edition.languages).entries
    for entry in entries:
        for lang in edition.languages:
            assert norm(format_partial(entry.date, lang)) in content, (lang, entry.date)
    assert words["chronology"][first] in content


def test_fixture_booklet_reads_back(mini):
    project = project_mod.load(mini)
    result = build(project.edition("demo-az-en"))
    pdf = result.path
    content = text(pdf)
    for expected in (
        "25 fevral 1997",
        "February 25, 1997",
        "may 1992",
        "May 1992",
        "Key dates",
        "Əsas tarixlər",
        "Kiçik nümunə",
        "A small sample",
        "Mündəricat",
    ):
        assert expected in content, expected
    dests = destinations(pdf)
    assert {"az-intro", "az-p1", "az-p2", "en-intro", "en-p1", "en-p2", "chronology"} <= set(dests)
    # the contents page gives the page the section starts on
    contents_page = dests["contents"]
    intro_page = dests["az-intro"] + 1
    assert "Giriş / Introduction" in text(pdf)
    from .pdfread import page_text

    assert str(intro_page) in page_text(pdf, contents_page + 1)

    # running heads: the strip above the first text of every page after the
    # contents holds words (whatever they say), none on the cover and colophon
    heads = running_heads(pdf)
    assert heads[1] == heads[2] == []
    body_pages = [p for p in heads if p > dests["contents"] + 1]
    assert body_pages and all(heads[p] for p in body_pages), heads
    # the head above the texts names the work or its section, not the body text
    titles = {
        w for t in ("Kiçik nümunə", "A small sample", "Giriş", "Introduction") for w in t.split()
    }
    assert set(heads[dests["az-p1"] + 1]) <= titles, heads


def running_heads(pdf: Path) -> dict[int, list[str]]:
    """Words above the first text of each page (the running-head strip).

    Tolerant to what the head says, not to its absence: with every @top-*
    rule deleted from the booklet's style, the body pages' lists are empty."""
    from .pdfread import destination_tops, words

    tops: dict[int, float] = {}
    for page, top in destination_tops(pdf).values():
        tops[page] = min(top, tops.get(page, top))
    heads = {}
    for page in range(1, len(PdfReader(pdf).pages) + 1):
        found = words(pdf, page)
        # the first text: the highest anchor on the page, or else the highest word
        top = tops.get(page, min((y0 for _, y0, _, _, _ in found), default=0.0))
        heads[page] = [w for _, _, _, y1, w in found if y1 <= top + 0.5 and not w.isdigit()]
    return heads


def test_failed_build_keeps_previous_pdf(mini):
    project = project_mod.load(mini)
    edition = project.edition("demo-en")
    first = build(edition).path.read_bytes()
    style = mini / "layouts"
    style.mkdir()
    (style / "booklet.html.j2").write_text(
        "{% extends '_base.html.j2' %}{% block body %}{{ nope }}{% endblock %}"
    )
    with pytest.raises(Exception, match="undefined"):
        build(edition)
    assert (mini / "output/demo-en.pdf").read_bytes() == first
    assert [p.name for p in (mini / "output").iterdir()] == ["demo-en.pdf"]


def line_starts(pdf: Path, index: int) -> list[float]:
    """x positions of the words on a page (pt from the left edge), from poppler."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(index + 1), "-l", str(index + 1), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [float(x) for x in re.findall(r'<word xMin="([\d.]+)"', out)]


def test_two_column_handout_sets_each_language_in_two_columns(built):
    project, results = built
    edition = next(
        e for e in project.editions if e.config.layout == "handout" and e.config.columns == 2
    )
    pdf = results[edition.name].path
    width = float(PdfReader(pdf).pages[1].mediabox.width)
    xs = line_starts(pdf, 1)
    left = [x for x in xs if x < width / 2 - 10]
    right = [x for x in xs if x > width / 2]
    assert len(left) > 20 and len(right) > 20
    # one language per page run: page 2 is all Kazakh, the last page English
    assert not re.search(r"[A-Za-z]{4,} [a-z]{4,} [a-z]{4,}", text_of_page(pdf, 2))


def text_of_page(pdf: Path, number: int) -> str:
    from .pdfread import page_text

    return page_text(pdf, number)


@pytest.mark.parametrize("name", ["genocide-az-en", "biography-kk-en", "genocide-az-en-handout"])
def test_side_by_side_pairs_start_together_and_continue_together(built, name):
    from .pdfread import page_text

    project, results = built
    edition = project.edition(name)
    pdf = results[name].path
    dests = destinations(pdf)
    first, second = edition.languages
    docs = {lang: sources.load(edition.source(lang)) for lang in edition.languages}
    for seg in docs[first].segments:
        assert dests[f"{first}-{seg}"] == dests[f"{second}-{seg}"], seg
    # a row may break across pages; the next row starts only after both
    # halves have ended, so the pair stays together
    ids = list(docs[first].segments)
    broken = 0
    for index, seg_id in enumerate(ids):
        start = dests[f"{first}-{seg_id}"] + 1
        ends = []
        for lang in edition.languages:
            tail = " ".join(norm(docs[lang].segments[seg_id].blocks[-1].plain).split()[-3:])
            ends.append(next(p for p in range(start, start + 4) if tail in page_text(pdf, p)))
        broken += max(ends) > start
        if index + 1 < len(ids):
            assert dests[f"{first}-{ids[index + 1]}"] + 1 >= max(ends), (seg_id, ends)
    assert broken >= 1


def test_colophon_labels_stand_level_with_their_values(built):
    """A long Kazakh label wraps onto two lines; the next label must still
    stand on the line of its own value, not of the previous one."""
    _, results = built
    pdf = results["biography-kk-en"].path
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", "2", "-l", "2", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    words = [
        (float(y), w)
        for y, w in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]+)</word>', out)
    ]
    licence_rows = [y for y, w in words if w == "Лицензия"]
    unknown_rows = [y for y, w in words if w == "unknown"]
    assert len(licence_rows) == 2
    assert all(any(abs(y - u) < 1 for u in unknown_rows) for y in licence_rows)
