"""Long facing editions laid out in chunks (diglot.chunks): the joined PDF
reads like the one made in one piece (with the default total-fit line
breaking, settled over the chunks as over the whole), reruns are
byte-identical, and an edit lays out only the chunk it is in."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from diglot import build, chunks, project, settlecache, typography
from tests import pdfread

EDITION = "biography-kk-en-facing"  # 40 pages: contents, chronology, record of changes


def outline(path: Path) -> list[tuple[int, str, int, float]]:
    """(depth, title, 0-based page, top) of every outline item, in order."""
    reader = PdfReader(path)

    def walk(items: list, depth: int) -> Iterator[tuple[int, str, int, float]]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item)
                yield depth, str(item.title), page, round(float(item.top), 2)

    return list(walk(reader.outline, 0))


def pages_text(path: Path) -> list[list[str]]:
    """Every page's lines as printed: the line breaks and hyphens count."""
    return [pdfread.page_lines(path, n) for n in range(1, len(PdfReader(path).pages) + 1)]


def make(root: Path, name: str, chunked: bool, jobs: int = 2) -> tuple[Path, list[str]]:
    """Build ``name`` in ``root``; its PDF and what the build told."""
    told: list[str] = []
    edition = project.load(root).edition(name)
    build.build(edition, progress=told.append, chunks=chunked, jobs=jobs)
    return edition.output, told


def laid_out(told: list[str]) -> list[str]:
    """The chunks and measuring parts a build laid out (not from the cache)."""
    return [m for m in told if m.endswith(": laid out")]


def kept(root: Path) -> set[str]:
    return {p.name for p in (root / "output" / chunks.FOLDER / EDITION).glob("*.pdf")}


@pytest.fixture(scope="module")
def small_chunks() -> Iterator[None]:
    """Chunks of four spreads and measuring parts of 20 sections, so that a
    40-page edition makes several of each."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(chunks, "SPREADS", 4)
        patch.setattr(chunks, "MEASURE_ROWS", 20)
        yield


@pytest.fixture(scope="module")
def built(small_chunks, tmp_path_factory) -> dict[str, object]:
    """The repository's project with EDITION built in one piece and in chunks."""
    from tests.conftest import copy_project

    root = tmp_path_factory.mktemp("chunks") / "repo"
    copy_project(root)
    whole, _ = make(root, EDITION, chunked=False)
    reference = root.parent / "whole.pdf"
    shutil.copy(whole, reference)
    # the chunked build makes its own decisions, in its own layout passes
    shutil.rmtree(root / "output" / settlecache.FOLDER)
    pdf, told = make(root, EDITION, chunked=True)
    return {"root": root, "whole": reference, "chunked": pdf, "told": told}


@pytest.mark.slow
def test_chunked_edition_reads_like_the_whole(built):
    whole, chunked, told = built["whole"], built["chunked"], built["told"]
    assert project.load(built["root"]).edition(EDITION).config.linebreak == "total-fit"
    # It was really cut: several chunks and measuring parts were laid out,
    # and the line breaking took more than one pass over them (the
    # paragraphs broken total-fit are laid out again).
    assert len({m for m in laid_out(told) if m.startswith("chunk ")}) >= 5
    assert len({m for m in laid_out(told) if m.startswith("measuring part")}) >= 3
    assert sum(m.endswith(": in chunks") for m in told) >= 2
    assert sum(m.endswith(": measuring in parts") for m in told) >= 2
    assert len(PdfReader(chunked).pages) == len(PdfReader(whole).pages)
    # Text per page, line by line: folios, running heads, the contents'
    # page numbers, the line breaks.
    assert pages_text(chunked) == pages_text(whole)
    assert pdfread.destination_tops(chunked) == pdfread.destination_tops(whole)
    assert outline(chunked) == outline(whole)
    assert PdfReader(chunked).metadata == PdfReader(whole).metadata
    assert PdfReader(chunked).trailer["/ID"][0] == PdfReader(whole).trailer["/ID"][0]
    # Links from the contents to the text survive the join.
    links = [
        a.get_object().get("/Dest")
        for a in PdfReader(chunked).pages[2].get("/Annots", [])
        if a.get_object().get("/Dest") is not None
    ]
    assert links and all(str(d) in pdfread.destination_tops(chunked) for d in links)


@pytest.mark.slow
def test_rerun_is_byte_identical_and_lays_out_nothing(built):
    before = Path(built["chunked"]).read_bytes()
    pdf, told = make(built["root"], EDITION, chunked=True)
    assert laid_out(told) == []
    assert pdf.read_bytes() == before


@pytest.mark.slow
def test_an_edit_lays_out_only_its_chunk(built, tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(built["root"], root)  # with output/ and its chunks
    _, told = make(root, EDITION, chunked=True)  # as after any rebuild
    assert laid_out(told) == []
    text = root / "sources/biography/en.md"
    source = text.read_text(encoding="utf-8")
    old, new = "Aliyev was a state adviser", "Aliyev was a state advisor"
    assert source.count(old) == 1
    text.write_text(source.replace(old, new), encoding="utf-8")
    before = kept(root)
    pdf, told = make(root, EDITION, chunked=True)
    # One chunk and one measuring part, laid out in each pass that
    # changed them (the line breaking's passes).
    changed = laid_out(told)
    assert len({m for m in changed if m.startswith("chunk ")}) == 1
    assert len({m for m in changed if m.startswith("measuring part")}) == 1
    assert "Aliyev was a state advisor" in pdfread.text(pdf)
    assert len(PdfReader(pdf).pages) == len(PdfReader(built["chunked"]).pages)
    # Only the last build's chunks are kept: the edited chunk's new ones
    # instead of its old ones.
    after = kept(root)
    new = after - before
    assert len(new) == sum(m.startswith("chunk ") for m in changed)
    # The rebuild before it took one pass (the line breaking's decisions were
    # kept), so the edited chunk had one old version; the edit took two (its
    # paragraph is planned again), and both new versions stay.
    assert len(before - after) == 1 and len(after) == len(before) + len(new) - 1


@pytest.mark.slow
def test_footnotes_and_pictures_in_chunks_of_one_spread(repo_copy, monkeypatch):
    monkeypatch.setattr(chunks, "SPREADS", 1)
    whole, _ = make(repo_copy, "sail-ru-en-facing", chunked=False)
    reference = repo_copy / "whole.pdf"
    shutil.copy(whole, reference)
    pdf, told = make(repo_copy, "sail-ru-en-facing", chunked=True, jobs=1)
    assert sum(m.startswith("chunk ") for m in laid_out(told)) >= 3
    assert pages_text(pdf) == pages_text(reference)
    assert pdfread.destination_tops(pdf) == pdfread.destination_tops(reference)


RAGGED = """
[[edition]]
name = "biography-ragged"
work = "biography"
languages = ["kk", "en"]
layout = "facing"
paper = "A6"
align = "ragged"
date = 2026-11-23
"""


@pytest.mark.slow
def test_words_a_ladder_locks_in_one_chunk_are_locked_in_all(repo_copy, monkeypatch):
    """Ragged text keeps WeasyPrint's line breaks, and a word that makes a
    third hyphenated line in a row is locked for the whole edition, as the
    whole edition's layout does (settle reads all the chunks at once)."""
    with (repo_copy / "diglot.toml").open("a", encoding="utf-8") as toml:
        toml.write(RAGGED)
    monkeypatch.setattr(chunks, "SPREADS", 3)
    monkeypatch.setattr(chunks, "MEASURE_ROWS", 20)
    locked: list[set[str]] = []
    find = typography.ladder_words

    def spy(*args, **kwargs):
        locked.append(find(*args, **kwargs))
        return locked[-1]

    monkeypatch.setattr(typography, "ladder_words", spy)
    whole, _ = make(repo_copy, "biography-ragged", chunked=False)
    reference = repo_copy / "whole.pdf"
    shutil.copy(whole, reference)
    found_whole, locked[:] = [w for found in locked for w in found], []
    shutil.rmtree(repo_copy / "output" / settlecache.FOLDER)  # the chunks find them again
    pdf, told = make(repo_copy, "biography-ragged", chunked=True)
    assert len({m for m in laid_out(told) if m.startswith("chunk ")}) >= 5
    assert found_whole and [w for found in locked for w in found] == found_whole
    assert pages_text(pdf) == pages_text(reference)
    assert pdfread.destination_tops(pdf) == pdfread.destination_tops(reference)
    assert outline(pdf) == outline(reference)
    assert len(PdfReader(pdf).pages) == len(PdfReader(reference).pages)


@pytest.mark.slow
def test_a_footnote_too_tall_stops_a_chunked_build_with_its_file_and_line(repo_copy, monkeypatch):
    from diglot.errors import SourceError

    monkeypatch.setattr(chunks, "SPREADS", 2)
    source = repo_copy / "sources" / "genocide" / "en.md"

    def check(document, documents):  # as if a note on page 12 ran off it
        if len(document.pages) >= 12:
            raise SourceError("note 3 does not fit on page 12", source, 7)

    monkeypatch.setattr(build, "check_footnotes", check)
    for _ in range(2):  # laid out, then from the kept chunks
        with pytest.raises(SourceError) as raised:
            make(repo_copy, "genocide-az-en-facing", chunked=True)
        assert raised.value.message == "note 3 does not fit on page 12"
        assert raised.value.path is not None and raised.value.path.resolve() == source.resolve()
        assert raised.value.line == 7
        assert not (repo_copy / "output" / "genocide-az-en-facing.pdf").exists()


def _line(page: int, block: int, text: str, area: str = "body") -> list[object]:
    head = [page, 0.0, 10.0, 100.0, 12.0, text, block, "en", False, False, False, None, 0.0]
    return [*head, False, area]


def test_a_small_facing_edition_cut_at_every_spread_reads_like_the_whole(tmp_path, monkeypatch):
    """The fast suite's chunked build: the 8-page sail edition in chunks of
    one spread and measuring parts of four segments, in this process, against
    the same edition laid out whole; then a rebuild from the kept chunks."""
    from tests.conftest import copy_project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(chunks, "SPREADS", 1)
    monkeypatch.setattr(chunks, "MEASURE_ROWS", 4)
    name = "sail-ru-en-facing"
    root = tmp_path / "repo"
    copy_project(root)
    whole, _ = make(root, name, chunked=False, jobs=1)
    reference = tmp_path / "whole.pdf"
    shutil.copy(whole, reference)
    shutil.rmtree(root / "output" / settlecache.FOLDER)
    pdf, told = make(root, name, chunked=True, jobs=1)
    fresh = [m.split(":")[0] for m in laid_out(told)]
    assert {"chunk front", "chunk 1 of 2", "chunk 2 of 2", "chunk end"} <= set(fresh)
    assert sum(m.startswith("measuring part") for m in fresh) >= 4
    assert len(PdfReader(pdf).pages) == len(PdfReader(reference).pages) == 8
    assert pages_text(pdf) == pages_text(reference)
    assert pdfread.destination_tops(pdf) == pdfread.destination_tops(reference)
    assert outline(pdf) == outline(reference)
    assert PdfReader(pdf).metadata == PdfReader(reference).metadata
    before = pdf.read_bytes()
    again, told = make(root, name, chunked=True, jobs=1)
    assert laid_out(told) == [] and again.read_bytes() == before


def test_parts_read_as_one_document_and_damaged_readouts_are_refused():
    first = {
        "paragraphs": {"0": {**PARAGRAPH, "elements": [0]}},
        "lines": [_line(1, 0, "a run of hyph-"), _line(1, 0, "enated lines, hyph-")],
    }
    second = {
        "paragraphs": {"1": {**PARAGRAPH, "elements": [0, 1]}},
        "lines": [_line(1, 1, "12", "margin"), _line(2, 0, "text")],
    }
    assert chunks._readout_ok(first) and chunks._readout_ok(second)
    boxes, lines = chunks.gather_readouts([(first, 0), (second, 6)])
    # Pages counted in the edition; each part's elements its own.
    assert [(ln.page, ln.block) for ln in lines] == [(1, 0), (1, 0), (7, 2), (8, 1)]
    assert boxes[0]["elements"] == {0} and boxes[1]["elements"] == {1, 2}
    assert lines[0].hyphenated and not lines[2].hyphenated
    assert not chunks._readout_ok({**first, "lines": [_line(1, 0, "x")[:-1]]})
    assert not chunks._readout_ok(
        {**first, "lines": [[*_line(1, 0, "x")[:6], "0", *_line(1, 0, "x")[7:]]]}
    )
    assert not chunks._readout_ok({**first, "paragraphs": {"0": {**PARAGRAPH, "lines": "3"}}})
    assert not chunks._readout_ok({**first, "paragraphs": {"x": first["paragraphs"]["0"]}})


PARAGRAPH = {
    "width": 300.0,
    "size": 12.6,
    "lang": "en",
    "family": "Noto Serif",
    "justify": True,
    "justify_last": False,
    "lines": 2,
    "height": 34.0,
    "overflow": False,
}


def test_only_long_facing_editions_are_chunked_unless_told(repo_copy, monkeypatch):
    editions = project.load(repo_copy)
    facing, booklet = editions.edition("genocide-az-en-facing"), editions.edition("genocide-az-en")
    assert not chunks.wanted(facing, None)  # short
    assert chunks.wanted(facing, True)
    assert not chunks.wanted(booklet, True)  # one flow: nothing to cut at
    monkeypatch.setattr(chunks, "AUTO_BYTES", 1)
    assert chunks.wanted(facing, None)
    assert not chunks.wanted(facing, False)
    assert not chunks.wanted(facing, None, run_proof=True)


SPREAD = (
    '<div class="side verso" lang="az" data-title="A{n}"><p id="az-p{n}">a</p></div>\n'
    '<div class="side recto" lang="en" data-title="B{n}"><p id="en-p{n}">b</p></div>\n'
)
FACING = (
    "<html><head><title>t</title></head><body>\n"
    '<section class="cover">c</section>'
    '<nav class="contents"><a class="page-ref" href="#en-p3"></a>'
    '<a class="page-ref" href="#colophon"></a></nav><section id="colophon">x</section>\n'
    '<main class="body facing" lang="az">\n'
    + "".join(SPREAD.format(n=n) for n in (1, 2, 3))
    + '</main>\n<section class="end-matter"><a class="page-ref" href="#az-p2"></a></section>\n'
    "</body></html>"
)


def test_facing_html_is_cut_between_spreads_with_numbers_for_the_other_chunks():
    split = chunks.split_final(FACING, 2)
    assert split is not None
    assert split.spreads == (2, 1)
    # The contents point into the text: a number is written in, and a
    # target put on the front's dropped last page keeps the link.
    assert split.front.refs == ("en-p3",)
    front = split.front.html(1, {"en-p3": 9}, "0")
    assert 'href="#en-p3" data-diglot-page="9"' in front
    assert '<div id="en-p3"></div></div>' in front
    assert 'href="#colophon"></a>' in front  # in the same chunk: WeasyPrint counts it
    assert "az-p1" not in front and (split.front.lead, split.front.trail) == (0, 1)
    # The second chunk starts with the sides before it, dropped, and counts
    # its pages so that its first own page is page 8.
    second = split.texts[1].html(8, {}, "0")
    assert split.texts[1].lead == 2
    assert "counter-reset: page 6" in second and "break-before: left" in second
    assert second.index('data-title="A2"') < second.index('id="az-p3"')
    assert "az-p1" not in second and 'id="az-p2"' not in second
    # The first chunk's lead is before <main>: its pages are the text's first.
    first = split.texts[0].html(4, {}, "0")
    assert first.index('data-title="A1"></div>') < first.index("<main")
    assert split.end.refs == ("az-p2",)
    assert 'data-diglot-page="0"' in split.end.html(10, {}, "0")


def test_other_html_is_not_cut():
    assert chunks.split_final("<html><body><main>text</main></body></html>", 2) is None


def test_a_chunk_cache_linked_out_of_the_project_is_refused(repo_copy, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep", encoding="utf-8")
    (repo_copy / "output" / chunks.FOLDER).mkdir(parents=True)
    (repo_copy / "output" / chunks.FOLDER / "genocide-az-en-facing").symlink_to(outside)
    edition = project.load(repo_copy).edition("genocide-az-en-facing")
    with pytest.raises(chunks.BuildError, match="outside the project"):
        chunks.Session(edition, lambda _m: None, 1, ())
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "keep"


def _fail() -> None:
    from diglot.errors import SourceError

    raise SourceError("note 3 does not fit", "sources/x/en.md", 12)


def test_jobs_run_in_two_forked_workers_in_order_and_errors_come_back():
    import os

    results = chunks.in_parallel([lambda i=i: (i, os.getpid()) for i in range(6)], 2)
    assert [number for number, _ in results] == list(range(6))
    workers = {pid for _, pid in results}
    assert os.getpid() not in workers and len(workers) == 2
    with pytest.raises(chunks.DiglotError) as raised:
        chunks.in_parallel([lambda: 1, _fail, lambda: 3], 2)
    assert (raised.value.message, raised.value.line) == ("note 3 does not fit", 12)
    with pytest.raises(chunks.BuildError, match="ended without a result"):
        chunks.in_parallel([lambda: 1, lambda: os._exit(9)], 2)


@pytest.mark.slow
def test_damaged_kept_chunks_are_laid_out_again(built, tmp_path):
    import json

    root = tmp_path / "repo"
    shutil.copytree(built["root"], root)
    make(root, EDITION, chunked=True)  # keeps only what a rebuild uses
    folder = root / "output" / chunks.FOLDER / EDITION
    # the chunks' entries (a measuring part's has no PDF), in the order of
    # their names, which are digests
    entries = sorted(p for p in folder.glob("*.json") if p.with_suffix(".pdf").is_file())
    assert len(entries) >= 3
    entries[0].write_text("{", encoding="utf-8")  # cut short
    data = json.loads(entries[1].read_text(encoding="utf-8"))
    entries[2].write_text(json.dumps({**data, "pages": "many"}), encoding="utf-8")
    data["bookmarks"] = [[999, 2, "x", "open"]]  # a page the chunk does not have
    entries[1].write_text(json.dumps(data), encoding="utf-8")
    pdf, told = make(root, EDITION, chunked=True)
    assert len([m for m in laid_out(told) if m.startswith("chunk ")]) == 3
    assert pdf.read_bytes() == Path(built["chunked"]).read_bytes()
