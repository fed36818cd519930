"""Long facing editions laid out in chunks (diglot.chunks): the joined PDF
reads like the one made in one piece (with the default total-fit line
breaking, settled over the chunks as over the whole), reruns are
byte-identical, and an edit lays out only the chunk it is in."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from diglot import build, chunks, project, settlecache, typography
from tests import pdfread

EDITION = "biography-kk-en-facing"  # 36 pages: contents, key dates, record of changes


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


def outline_views(path: Path) -> list[tuple[str, list[float], bool]]:
    """(title, the view it opens: left, top and zoom, whether it shows its
    children) of every outline item, in order."""
    reader = PdfReader(path)

    def walk(items: list) -> Iterator[tuple[str, list[float], bool]]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                view = [round(float(v), 2) for v in (item.left, item.top, item.zoom or 0)]
                yield str(item.title), view, int(item.get("/Count", 0)) >= 0

    return list(walk(reader.outline))


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
def test_a_warm_build_without_its_chunks_lays_out_no_measuring_column(built, tmp_path):
    """The measuring parts are kept with the line breaking's decisions: a
    rebuild whose chunks' PDFs are gone lays out the pages alone and makes
    the same PDF."""
    root = tmp_path / "repo"
    shutil.copytree(built["root"], root)
    shutil.rmtree(root / "output" / chunks.FOLDER)
    assert list((root / "output" / chunks.MEASURE_FOLDER / EDITION).glob("*.json"))
    edition = project.load(root).edition(EDITION)
    told: list[str] = []
    again = build.build(edition, progress=told.append, chunks=True, jobs=2)
    assert [m for m in laid_out(told) if m.startswith("measuring part")] == []
    assert any(m.startswith("chunk ") for m in laid_out(told))
    # the passes told are those that laid out anything: the pages' alone
    assert again.passes == sum(m.endswith(": in chunks") for m in told)
    assert again.path.read_bytes() == Path(built["chunked"]).read_bytes()


@pytest.mark.slow
def test_an_edit_lays_out_only_its_chunk(built, tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(built["root"], root)  # with output/ and its chunks
    _, told = make(root, EDITION, chunked=True)  # as after any rebuild
    assert laid_out(told) == []
    # its measuring passes: one, and one more when a word at a page turn is
    # kept whole (diglot.facing), which a process finds again every build
    passes = sum(m.endswith(": measuring in parts") for m in told)
    text = root / "sources/biography/en.md"
    source = text.read_text(encoding="utf-8")
    old = "national security adviser to the president"
    new = "national security advisor to the president"
    assert source.count(old) == 1
    text.write_text(source.replace(old, new), encoding="utf-8")
    before = kept(root)
    pdf, told = make(root, EDITION, chunked=True)
    # One chunk and one measuring part, laid out in each pass that
    # changed them (the line breaking's passes).
    changed = laid_out(told)
    assert len({m for m in changed if m.startswith("chunk ")}) == 1
    assert len({m for m in changed if m.startswith("measuring part")}) == 1
    # ... the measuring part once in each of the rebuild's measuring passes
    # (none more): the edited paragraph is planned from the box it had
    # (diglot.settlecache), so its first layout in a pass is its last
    assert sum(m.endswith(": measuring in parts") for m in told) == passes, "\n".join(told)
    assert sum(m.startswith("measuring part") for m in changed) == passes, "\n".join(told)
    assert "advisor" in pdfread.text(pdf)  # (the text had "adviser" only)
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
paper = "A5"
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
    return [*head, False, area, 0.0, -1, 0.0, "", 0]


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
    # chunks and measuring parts are counted from 1 to their number
    counted = [
        (int(m[1]), int(m[2]), m[0])
        for m in (re.match(r"(?:chunk|measuring part) (\d+) of (\d+):", t) for t in told)
        if m
    ]
    assert len(counted) >= 6, told  # two chunks and at least four measuring parts
    assert [m for number, total, m in counted if not 1 <= number <= total] == []
    parts = [re.match(r"measuring part (\d+) of (\d+):", m) for m in told]
    numbers = {(int(p[1]), int(p[2])) for p in parts if p}
    assert {n for n, _ in numbers} == set(range(1, max(total for _, total in numbers) + 1))
    # the layout passes are told in order, as the whole edition's are
    passes = [m.split(":")[0] for m in told if m.startswith("layout pass")]
    assert passes == [f"layout pass {n}" for n in range(1, len(passes) + 1)]
    assert {"chunk front", "chunk end"} <= set(fresh)
    numbered = {m for m in fresh if re.fullmatch(r"chunk \d+ of \d+", m)}
    assert len(numbered) >= 2, fresh  # a spread each: the introduction, the poem, ...
    assert sum(m.startswith("measuring part") for m in fresh) >= 4
    assert len(PdfReader(pdf).pages) == len(PdfReader(reference).pages) == 8
    assert pages_text(pdf) == pages_text(reference)
    assert pdfread.destination_tops(pdf) == pdfread.destination_tops(reference)
    assert outline(pdf) == outline(reference)
    assert outline_views(pdf) == outline_views(reference)
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
    "ragged": False,
    "justify_last": False,
    "indent": 0.0,
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


# -- the pure parts: kept entries, page numbers, the outline ------------------------


CHUNK_ENTRY = {
    "pages": 3,
    "anchors": [{"en-p1": [0.0, 10.0, 100.0, 20]}, {}],
    "bookmarks": [[0, 1, "Introduction", "open"], [2, 2, "Part", "closed"]],
    "warnings": ["a warning"],
    "served": ["project:styles/x.css"],
    "problem": None,
}


def test_kept_chunk_entries_are_trusted_only_as_diglot_writes_them():
    """A chunk's kept entry that is damaged or foreign (wrong types, a
    bookmark on a page the chunk does not have, a malformed footnote
    problem) is laid out again, never read into the PDF."""
    assert chunks._chunk_ok(CHUNK_ENTRY)
    assert chunks._chunk_ok({**CHUNK_ENTRY, "problem": ["note 3 does not fit", "en.md", 12]})
    assert chunks._chunk_ok({**CHUNK_ENTRY, "problem": ["note 3 does not fit", None, None]})
    damaged = [
        {**CHUNK_ENTRY, "pages": "3"},
        {**CHUNK_ENTRY, "anchors": {"en-p1": [0, 0, 1, 1]}},
        {**CHUNK_ENTRY, "anchors": ["en-p1"]},
        {**CHUNK_ENTRY, "anchors": [{"en-p1": [0.0, 10.0, 100.0]}]},
        {**CHUNK_ENTRY, "anchors": [{"en-p1": [0.0, 10.0, 100.0, "20"]}]},
        {**CHUNK_ENTRY, "bookmarks": {"0": [0, 1, "x", "open"]}},
        {**CHUNK_ENTRY, "bookmarks": [[3, 1, "x", "open"]]},  # page 4 of 3
        {**CHUNK_ENTRY, "bookmarks": [[-1, 1, "x", "open"]]},
        {**CHUNK_ENTRY, "bookmarks": [[0, 1, "x"]]},
        {**CHUNK_ENTRY, "bookmarks": [[0, 1.0, "x", "open"]]},
        {**CHUNK_ENTRY, "bookmarks": [[0, True, "x", "open"]]},
        {**CHUNK_ENTRY, "bookmarks": [[0, 1, "x", None]]},
        {**CHUNK_ENTRY, "warnings": "a warning"},
        {**CHUNK_ENTRY, "served": [1]},
        {k: v for k, v in CHUNK_ENTRY.items() if k != "problem"},
        {**CHUNK_ENTRY, "problem": ["note 3", "en.md"]},
        {**CHUNK_ENTRY, "problem": "note 3"},
        {**CHUNK_ENTRY, "problem": [3, "en.md", 12]},
        {**CHUNK_ENTRY, "problem": ["note 3", 7, 12]},
        {**CHUNK_ENTRY, "problem": ["note 3", "en.md", "12"]},
        {**CHUNK_ENTRY, "problem": ["note 3", "en.md", True]},
    ]
    for entry in damaged:
        assert not chunks._chunk_ok(entry), entry


def test_kept_measuring_entries_are_trusted_only_as_diglot_writes_them():
    """A measuring part's metrics: per segment, heights, character counts
    and notes, one of each per language."""
    good = {
        "metrics": {"p1": [[12.5, 30], [40, 52], [[], ["note-en-1"]]]},
        "warnings": [],
        "served": [],
    }
    assert chunks._metrics_ok(good)
    assert chunks._metrics_ok({**good, "metrics": {}})
    damaged = [
        {**good, "metrics": [["p1"]]},
        {**good, "warnings": None},
        {**good, "served": None},
        {**good, "metrics": {"p1": "x"}},
        {**good, "metrics": {"p1": [[12.5, 30], [40, 52]]}},
        {**good, "metrics": {"p1": [[12.5, "30"], [40, 52], [[], []]]}},
        {**good, "metrics": {"p1": [[12.5, 30], [40, 52.5], [[], []]]}},
        {**good, "metrics": {"p1": [[12.5, 30], [40, 52], [[], [1]]]}},
        {**good, "metrics": {"p1": [[12.5, 30], [40, 52], [[]]]}},
        {**good, "metrics": {"p1": [[12.5], [40, 52], [[], []]]}},
    ]
    for entry in damaged:
        assert not chunks._metrics_ok(entry), entry


def test_outline_levels_nest_as_weasyprint_nests_them(tmp_path):
    """The joined outline nests headings as WeasyPrint's own outline of the
    whole document does: a level skipped makes no depth of its own."""
    import weasyprint

    levels = [1, 3, 4, 2, 2, 5, 6, 3, 1, 2, 4, 1]
    html = "".join(f"<h{n}>heading {i}</h{n}>" for i, n in enumerate(levels))
    weasyprint.HTML(string=html).write_pdf(tmp_path / "whole.pdf")
    expected = [depth + 1 for depth, _, _, _ in outline(tmp_path / "whole.pdf")]
    skipped: list[int] = []
    depths, previous = [], 0
    for level in levels:
        depths.append(chunks._depth(level, previous, skipped))
        previous = level
    assert depths == expected
    assert expected == [1, 2, 3, 2, 2, 3, 4, 3, 1, 2, 3, 1]


def _chunk(piece: chunks.Piece, pages: int, anchors: list[dict]) -> chunks.Chunk:
    return chunks.Chunk(piece, "k", Path("k.pdf"), pages, anchors, [], [], [], 1, [], {}, None)


def test_anchors_are_numbered_by_their_page_in_the_joined_edition():
    """Each anchor's number is the page it is on once the chunks' dropped
    pages are left out; a name on two pages counts where it comes first."""
    front = chunks.Piece("front", 0, ("",), 0, 1, ())
    text = chunks.Piece("text", 1, ("",), 2, 0, ())
    laid = [
        _chunk(front, 3, [{"cover": [0, 0, 1, 1]}, {"contents": [0, 0, 1, 1]}]),
        _chunk(text, 4, [{"p1": [0, 0, 1, 1]}, {"p2": [0, 0, 1, 1], "contents": [0, 0, 1, 1]}]),
    ]
    assert [list(c.kept) for c in laid] == [[0, 1], [2, 3]]
    assert chunks._numbers(laid) == {"cover": 1, "contents": 2, "p1": 3, "p2": 4}
    assert chunks._label(front, 5) == "front" and chunks._label(text, 5) == "1 of 5"


def test_the_measuring_column_is_cut_into_parts_of_whole_sections():
    head = "<html><head><style>s</style></head><body class='m'>"
    sections = [f'<section class="side measure" id="s{n}">{n}</section>' for n in range(5)]
    html = head + "".join(sections) + "</body></html>"
    parts = chunks.split_measure(html, 2)
    assert parts is not None and len(parts) == 3
    for part, numbers in zip(parts, [(0, 1), (2, 3), (4,)], strict=True):
        assert part.startswith(head + "\n") and part.endswith("</body></html>")
        assert [n for n in range(5) if f'id="s{n}"' in part] == list(numbers)
    assert chunks.split_measure("<html><body></body></html>", 2) is None
    assert chunks.split_measure("<html>no body</html>", 2) is None
    assert chunks.split_measure(head + sections[0], 2) is None  # cut short


def test_jobs_in_one_worker_run_here_in_order_and_are_heard_of_one_by_one():
    import os

    heard = []
    results = chunks.in_parallel(
        [lambda i=i: (i, os.getpid()) for i in range(3)], 1, lambda n, r: heard.append((n, r[0]))
    )
    assert results == [(i, os.getpid()) for i in range(3)]
    assert heard == [(0, 0), (1, 1), (2, 2)]
    one = chunks.in_parallel([lambda: os.getpid()], 4)
    assert one == [os.getpid()]  # one job: no process started


def test_large_results_come_back_whole_from_a_worker():
    """A result larger than a pipe holds (a chunk's readout) arrives whole."""
    heard = []
    results = chunks.in_parallel(
        [lambda: "a" * 3_000_000, lambda: list(range(200_000))],
        2,
        lambda n, r: heard.append(n),
    )
    assert results == ["a" * 3_000_000, list(range(200_000))]
    assert sorted(heard) == [0, 1]


def test_a_bug_in_a_worker_comes_back_as_one_line():
    def bug():
        raise ZeroDivisionError("division by zero")

    with pytest.raises(chunks.BuildError) as raised:
        chunks.in_parallel([lambda: 1, bug], 2)
    assert raised.value.message == (
        "internal error while laying out: ZeroDivisionError: division by zero"
    )


def test_protected_words_are_found_in_text_and_attributes(monkeypatch):
    """A part's digest names the protected words it holds, in its text or
    its attributes, with entities and invisible characters read through."""
    from diglot import hyphenation

    monkeypatch.setattr(hyphenation, "protected", lambda: frozenset({"Baku", "Aliyev", "Ganja"}))
    html = '<p data-title="Ali&shy;yev">Ba\u200bku, Bakuvian</p>'
    assert chunks.protected_in(html) == ["Aliyev", "Baku"]
    monkeypatch.setattr(hyphenation, "protected", lambda: frozenset())
    assert chunks.protected_in(html) == []


def test_facing_editions_of_exactly_the_automatic_size_are_chunked(repo_copy, monkeypatch):
    editions = project.load(repo_copy)
    facing = editions.edition("genocide-az-en-facing")
    size = sum(facing.source(lang).stat().st_size for lang in facing.languages)
    monkeypatch.setattr(chunks, "AUTO_BYTES", size)
    assert chunks.wanted(facing, None)
    monkeypatch.setattr(chunks, "AUTO_BYTES", size + 1)
    assert not chunks.wanted(facing, None)


def test_accessible_facing_editions_are_never_chunked(repo_copy):
    """An accessible PDF has one structure tree for the whole document."""
    toml = repo_copy / "diglot.toml"
    text = toml.read_text(encoding="utf-8")
    start = text.index('name = "genocide-az-en-facing"')
    toml.write_text(text[:start] + 'pdf = "accessible"\n' + text[start:], encoding="utf-8")
    facing = project.load(repo_copy).edition("genocide-az-en-facing")
    assert facing.config.pdf == "accessible"
    assert not chunks.wanted(facing, True)
    assert not chunks.wanted(facing, None)


def test_a_kept_footnote_problem_names_its_file_in_the_project(tmp_path):
    chunk = _chunk(chunks.Piece("text", 1, ("",), 2, 0, ()), 4, [])
    chunk.refuse(tmp_path)  # no problem: nothing raised
    chunk.problem = ["note 3 does not fit on page 12", "sources/x/en.md", 7]
    with pytest.raises(chunks.SourceError) as raised:
        chunk.refuse(tmp_path)
    assert raised.value.path == tmp_path / "sources/x/en.md" and raised.value.line == 7
    chunk.problem = ["note 3 does not fit on page 12", None, None]
    with pytest.raises(chunks.SourceError) as raised:
        chunk.refuse(tmp_path)
    assert raised.value.path is None and raised.value.message.startswith("note 3")


@pytest.fixture
def session(repo_copy) -> chunks.Session:
    edition = project.load(repo_copy).edition("sail-ru-en-facing")
    return chunks.Session(edition, lambda _m: None, 1, ())


def test_a_kept_chunks_warnings_and_files_are_read_in_this_project(session, tmp_path):
    """What a chunk loaded is kept by its place in the project, so the
    project moved elsewhere still names its files; each warning is told
    once however many chunks give it."""
    root = session.root.resolve()
    outside = tmp_path / "font.ttf"
    kept = session.portable({root / "styles" / "own.css", outside})
    assert kept == sorted(["project:styles/own.css", str(outside)])
    session._gather({"warnings": ["w1", "w2"], "served": kept})
    session._gather({"warnings": ["w2", "w3", "w3"], "served": []})
    assert session.warnings == ["w1", "w2", "w3"]
    assert session.served == {root / "styles" / "own.css", outside}


def test_a_chunk_laid_out_keeps_its_footnote_problem_for_the_last_pass(session, monkeypatch):
    """A chunk whose footnote does not fit is written and kept with the
    problem (its file named in the project), raised only when the chunk is
    in the edition's last layout."""
    from diglot import build

    note: dict[str, Path | None] = {"file": session.root / "sources" / "sail" / "en.md"}
    pages_seen = []

    def check(document, documents):
        pages_seen.append(len(document.pages))
        raise chunks.SourceError("note 3 does not fit on page 12", note["file"], 7)

    monkeypatch.setattr(build, "check_footnotes", check)
    html = "<html><head><title>t</title></head><body><p>one</p></body></html>"
    piece = chunks._piece("text", 1, html, set(), 0, 0)
    data = session._lay_out_chunk(piece, 5, "k" * 40, piece.html(5, {}, "0"))
    assert pages_seen == [4 + data["pages"]]  # numbered as in the edition: pages 1-4 before
    assert data["problem"] == ["note 3 does not fit on page 12", "sources/sail/en.md", 7]
    assert session.cached("k" * 40) == {**data, "key": "k" * 40}
    assert (session.folder / f"{'k' * 40}.pdf").read_bytes().startswith(b"%PDF-")
    # a note of no known text: kept without a file; a file elsewhere: as it is
    for where, kept in ((None, None), (Path("/elsewhere/en.md"), "/elsewhere/en.md")):
        note["file"] = where
        data = session._lay_out_chunk(piece, 5, "m" * 40, piece.html(5, {}, "0"))
        assert data["problem"] == ["note 3 does not fit on page 12", kept, 7]


def test_only_what_the_build_used_is_kept(session, tmp_path):
    """Pruning forgets every entry the build did not use, folders too, and
    removes a link without following it."""
    folder = session.folder
    folder.mkdir(parents=True)
    for name in ("a.json", "a.pdf", "b.json", "numbers.json"):
        (folder / name).write_text("{}")
    (folder / "old").mkdir()
    (folder / "old" / "x.pdf").write_text("x")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep")
    (folder / "link").symlink_to(elsewhere)
    measures = session.measures
    measures.mkdir(parents=True)
    for name in ("a" * 40 + ".json", "b" * 40 + ".json", "other.txt"):
        (measures / name).write_text("{}")
    session.used = {"a.json", "a.pdf"}
    session.measures_used = {"a" * 40 + ".json"}
    session.prune()
    assert sorted(p.name for p in folder.iterdir()) == ["a.json", "a.pdf", "numbers.json"]
    assert (elsewhere / "keep.txt").read_text() == "keep"
    # the measuring parts' entries, kept beside the line breaking's decisions
    assert sorted(p.name for p in measures.iterdir()) == ["a" * 40 + ".json", "other.txt"]


def test_the_last_builds_page_numbers_are_read_back_and_damage_is_ignored(session):
    assert session.previous_numbers() == {}
    session.save_numbers({"en-p1": 5, "contents": 3})
    assert session.previous_numbers() == {"en-p1": 5, "contents": 3}
    path = session.folder / "numbers.json"
    path.write_text('{"en-p1": 5, "x": "7", "y": 1.5}')
    assert session.previous_numbers() == {"en-p1": 5}
    path.write_text("[5]")
    assert session.previous_numbers() == {}
    path.write_text("{")
    assert session.previous_numbers() == {}


def test_kept_chunks_that_cannot_be_joined_name_their_folder(tmp_path):
    bad = tmp_path / "cache" / "k.pdf"
    bad.parent.mkdir()
    bad.write_bytes(b"not a PDF at all")
    joined = chunks.Joined([_chunk(chunks.Piece("front", 0, ("",), 0, 0, ()), 1, [{}])], 0)
    joined.chunks[0].pdf = bad
    with pytest.raises(chunks.BuildError) as raised:
        chunks.write(joined, tmp_path / "out.pdf", b"id", tmp_path)
    assert raised.value.path == bad.parent
    assert raised.value.message.startswith("cannot join the kept chunks (")
    assert raised.value.message.endswith("remove this folder and build again")
    assert not (tmp_path / "out.pdf").exists()


def test_a_readout_that_is_not_one_is_refused():
    assert chunks._readout_ok({"paragraphs": {}, "lines": []})
    for damaged in (None, [], {"paragraphs": {}}, {"paragraphs": {}, "lines": [], "x": 1}):
        assert not chunks._readout_ok(damaged), damaged
    assert not chunks._readout_ok({"paragraphs": [], "lines": []})
    assert not chunks._readout_ok({"paragraphs": {}, "lines": {}})


def test_facing_html_cut_short_is_not_cut():
    """A facing body with no end (a project's own template gone wrong) is
    laid out whole."""
    assert chunks.split_final(FACING.replace("</main>", ""), 2) is None
    assert chunks.split_final(FACING.replace("</body>", ""), 2) is None
    one_sided = FACING.replace('<div class="side recto" lang="en" data-title="B2">', "<div>")
    assert chunks.split_final(one_sided, 2) is None
    assert chunks.split_final(FACING.replace("<main", "<p>x</p><main", 1), 2) is not None
    # text before the first spread, or no left page at all: not the facing layout's
    stray = FACING.replace(
        'lang="az">\n<div class="side verso"', 'lang="az">\n<p>x</p><div class="side verso"', 1
    )
    assert stray != FACING and chunks.split_final(stray, 2) is None
    no_verso = FACING.replace("side verso", "side left")
    assert chunks.split_final(no_verso, 2) is None


def test_the_front_ends_with_the_empty_first_verso():
    """The front is followed by the text's first left page, empty, as in
    the whole document: the blank page that puts the text on a left page."""
    split = chunks.split_final(FACING, 2)
    assert split is not None
    front = split.front.html(1, {}, "0")
    verso = '<div class="side verso" lang="az" data-title="A1">'
    assert f'{verso}<div id="en-p3"></div></div>\n</main>' in front
    assert 'data-title="B1"' not in front


def test_after_an_error_the_other_workers_are_stopped_not_waited_for(tmp_path):
    """A job's error is raised at once: a worker still busy with another
    job is stopped, and that job never finishes."""
    import time

    finished = tmp_path / "finished"

    def slow() -> None:
        time.sleep(5)
        finished.write_text("done")

    with pytest.raises(chunks.DiglotError):
        chunks.in_parallel([slow, _fail], 2)
    time.sleep(0.1)
    assert not finished.exists()


def test_the_chunks_digest_follows_styles_and_layouts_not_the_texts(repo_copy, tmp_path):
    """Editing a text changes only the HTML of the chunks holding it (their
    digest has the HTML); a stylesheet changes every chunk, whatever folder
    the build is run from (here not the project's); the same project
    elsewhere keeps its digest."""
    edition = project.load(repo_copy).edition("sail-ru-en-facing")
    first = chunks.resources_digest(edition)
    moved = tmp_path / "moved"
    shutil.copytree(repo_copy, moved)
    assert chunks.resources_digest(project.load(moved).edition("sail-ru-en-facing")) == first
    text = edition.source("en")
    text.write_text(text.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert chunks.resources_digest(edition) == first
    style = next(p for p in sorted((repo_copy / "styles").rglob("*.css")))
    style.write_text(style.read_text(encoding="utf-8") + "\np { }\n", encoding="utf-8")
    assert chunks.resources_digest(edition) != first


def test_a_kept_entry_is_read_only_whole_and_as_diglot_wrote_it(session, tmp_path):
    """An entry is read back under its own key; one whose PDF is gone, one
    that names another key, or a link planted in the folder is a miss."""
    key = "a" * 40
    session.store(key, {"pages": 2, "anchors": []})
    (session.folder / f"{key}.pdf").write_bytes(b"%PDF-")
    assert session.cached(key) == {"pages": 2, "anchors": [], "key": key}
    assert session.cached("b" * 40) is None  # nothing kept
    (session.folder / f"{key}.pdf").unlink()
    assert session.cached(key) is None  # its PDF is gone
    session.store(key, {"metrics": {}})  # a measuring part's entry has no PDF
    assert session.cached(key) == {"metrics": {}, "key": key}
    other = "c" * 40
    (session.folder / f"{other}.json").write_text(f'{{"key": "{key}"}}')
    assert session.cached(other) is None  # not the entry asked for
    planted = tmp_path / "planted.json"
    planted.write_text(f'{{"key": "{"d" * 40}"}}')
    (session.folder / f"{'d' * 40}.json").symlink_to(planted)
    assert session.cached("d" * 40) is None
    (session.folder / f"{'e' * 40}.json").write_text("[1, 2]")
    assert session.cached("e" * 40) is None


def test_no_worker_process_is_left_behind():
    """in_parallel returns once its workers have left: none is left running
    or unreaped."""
    import os

    pids = chunks.in_parallel([lambda: os.getpid() for _ in range(4)], 2)
    workers = set(pids) - {os.getpid()}
    assert len(workers) == 2
    for pid in workers:
        with pytest.raises(ChildProcessError):  # already reaped
            os.waitpid(pid, os.WNOHANG)


@pytest.mark.slow
def test_a_chunked_build_whose_line_breaking_does_not_settle_says_so_once(repo_copy, monkeypatch):
    """A facing edition laid out in chunks warns as the whole edition's
    build does when a settle loop runs out of passes (its next build pays
    them all again), and only then."""
    monkeypatch.setattr(chunks, "SPREADS", 2)

    def warned() -> list[str]:
        edition = project.load(repo_copy).edition("sail-ru-en-facing")
        result = build.build(edition, chunks=True, jobs=1)
        return [w for w in result.warnings if "did not settle" in w]

    assert warned() == []
    monkeypatch.setattr(typography, "MAX_PASSES", 1)  # no pass to check the first layout
    shutil.rmtree(repo_copy / "output" / settlecache.FOLDER)
    shutil.rmtree(repo_copy / "output" / chunks.FOLDER)
    assert warned() == [
        "line breaking did not settle in 1 layouts; printed as laid out last, "
        "and every build of it lays the text out as many times again"
    ]


def _stub(kind: str, index: int, pages: int, start: int) -> chunks.Chunk:
    piece = chunks.Piece(kind, index, ("",), 0, 0, ())
    readout: dict[str, dict[str, str] | list[str]] = {"paragraphs": {}, "lines": []}
    anchors: list[dict[str, list[float]]] = [{} for _ in range(pages)]
    return chunks.Chunk(
        piece, "k", Path("x.pdf"), pages, anchors, [], [], [], start, [], readout, None
    )


def test_chunks_moved_by_whole_spreads_are_laid_out_at_their_place_once_the_layout_is_the_last(
    session, monkeypatch
):
    """A chunk a spread longer than its spreads (its paragraphs not yet
    broken as planned) moves the chunks after it by two pages: they break
    their lines and pages as they would at their place, and that layout is
    most often one that typography.settle makes again, so they are not laid
    out again for their folios then (a cold build of a 2,000-segment
    edition laid out 13 of its 16 chunks twice in its first pass, for
    nothing); ``finish`` lays them out at their places. A chunk moved by a
    page (to the other side of the leaf) is laid out again at once."""
    laid_out: list[tuple[int, int]] = []

    def chunks_at(pieces, _total):
        laid_out.extend((piece.index, start) for piece, start, _numbers in pieces)
        return [_stub(piece.kind, piece.index, 4, start) for piece, start, _numbers in pieces]

    monkeypatch.setattr(session, "chunks", chunks_at)
    first = [_stub("front", 0, 3, 1), _stub("text", 1, 6, 4), _stub("text", 2, 4, 8)]
    first.append(_stub("end", 3, 2, 12))
    joined = session._joined(session._placed(list(first), 2, defer=True))
    assert laid_out == []  # chunk 2 and the end moved by two pages: left as they were
    assert [c.start for c in joined.chunks] == [1, 4, 8, 12]
    assert len(joined.pages) == 3 + 6 + 4 + 2 + 1  # (a booklet: to a multiple of four)
    finished = session.finish(joined)
    assert laid_out == [(2, 10), (3, 14)]
    assert [c.start for c in finished.chunks] == [1, 4, 10, 14]
    assert session.finish(finished) is finished  # in place: nothing to do
    laid_out.clear()
    first[1] = _stub("text", 1, 5, 4)  # one page more: the next starts on a right-hand page
    session._placed(list(first), 2, defer=True)
    assert laid_out == [(2, 9), (3, 13)]
