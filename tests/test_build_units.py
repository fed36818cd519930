"""Parts of diglot.build tested on their own: what a layout pass tells and
gathers, the words a kept choice locks, the check that a footnote fits,
the padding of booklets and where their colophon goes, the rows of a
side-by-side booklet measured, the memory a build may need, and how a
batch runs its builds (one edition in this process; no thread left)."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from diglot import build as build_mod
from diglot import endpages, render, rows, typography, weasy
from diglot import project as project_mod

from .conftest import DATES, EN, write_project

# -- one layout pass ------------------------------------------------------------------


def test_each_layout_pass_is_told_and_its_warnings_are_gathered_once(mini, monkeypatch):
    """Pass 1 is told as such, each later one with the pages of the one
    before; a warning WeasyPrint gives in several passes is kept once, in
    the order first given; the text laid out has its runaway words broken."""
    edition = project_mod.load(mini).edition("demo-en")
    laid_out: list[str] = []
    given = iter([(3, ["w1", "w2"]), (2, ["w2", "w3", "w1"])])

    def render_pdf(text: str, *args: Any, **kwargs: Any) -> tuple[Any, list[str]]:
        laid_out.append(text)
        pages, warnings = next(given)
        return SimpleNamespace(pages=[object()] * pages), warnings

    monkeypatch.setattr(build_mod.pdf, "render", render_pdf)
    heard: list[str] = []
    warnings = ["w0"]
    passes = build_mod._Passes(edition, heard.append, warnings)
    word = "x" * (build_mod.RUNAWAY + 1)
    assert len(passes.once(f"<p>{word}</p>").pages) == 3
    assert len(passes.once("<p>short</p>").pages) == 2
    assert heard == ["layout pass 1", "layout pass 2, 3 pages"]
    assert warnings == ["w0", "w1", "w2", "w3"]
    assert passes.pages == [3, 2]
    assert laid_out[0] == build_mod.break_runaway_words(f"<p>{word}</p>") != f"<p>{word}</p>"


@pytest.mark.parametrize(("setting", "fit"), [("", True), ('linebreak = "first-fit"\n', False)])
def test_an_edition_s_linebreak_setting_decides_total_fit(mini, monkeypatch, setting, fit):
    config = mini / "diglot.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('name = "demo-en"\n', f'name = "demo-en"\n{setting}'))
    edition = project_mod.load(mini).edition("demo-en")
    asked: list[bool] = []

    def settle(html: str, lay_out: Any, fit: bool = True, unsettled: Any = None) -> tuple[str, Any]:
        asked.append(fit)
        return html, None

    monkeypatch.setattr(build_mod.typography, "settle", settle)
    passes = build_mod._Passes(edition, lambda _m: None, [])
    assert passes.lay_out("<p>text</p>") == ("<p>text</p>", None)
    assert asked == [fit]


def test_a_build_whose_line_breaking_does_not_settle_says_so_once(mini, monkeypatch):
    """A settle loop that runs out of passes prints the last layout and
    keeps nothing for the next build, which pays every pass again: the
    build warns, once (the command line names the edition before it); a
    build that settles does not."""
    edition = project_mod.load(mini).edition("demo-en")
    settled = build_mod.build(edition)
    assert not [w for w in settled.warnings if "did not settle" in w]
    monkeypatch.setattr(typography, "MAX_PASSES", 1)  # no pass to check the first layout
    unsettled = build_mod.build(project_mod.load(mini).edition("demo-en"))
    told = [w for w in unsettled.warnings if "did not settle" in w]
    assert told == [
        "line breaking did not settle in 1 layouts; printed as laid out last, "
        "and every build of it lays the text out as many times again"
    ]
    assert unsettled.path.exists() and unsettled.pages == settled.pages


# -- a choice kept from the last build ------------------------------------------------


def test_a_kept_choice_that_no_longer_holds_unlocks_its_words():
    """The words the last build locked are locked while its choice is tried;
    when the choice holds they stay locked, when it fails the locked words
    are those of before the attempt."""
    seen: list[frozenset[str]] = []

    def attempt(result: Any) -> Any:
        def run() -> Any:
            seen.append(typography.locked())
            return result

        return run

    with typography.session(["en"]):
        typography.lock({"alpha"})
        assert build_mod._kept(frozenset({"beta"}), attempt(None)) is None
        assert seen[-1] == {"alpha", "beta"}
        assert typography.locked() == {"alpha"}
        laid = ("<html>", "document")
        assert build_mod._kept(frozenset({"gamma"}), attempt(laid)) == laid
        assert seen[-1] == {"alpha", "gamma"}
        assert typography.locked() == {"alpha", "gamma"}


# -- a footnote on its page -----------------------------------------------------------


class _Box:
    """A laid-out box as check_footnotes reads it: a height, an element's
    id and the boxes inside (a footnote area holds its notes)."""

    def __init__(self, height: float, ident: str = "", children: tuple[_Box, ...] = ()) -> None:
        self.height = height
        self.element = {"id": ident}
        self.children = list(children)

    def margin_height(self) -> float:
        return self.height


@pytest.mark.parametrize(("note", "fits"), [(500.0, True), (500.25, False)])
def test_a_footnote_exactly_as_tall_as_the_page_area_fits(monkeypatch, note, fits):
    monkeypatch.setattr(
        weasy, "footnote_areas", lambda page: [_Box(note, "", (_Box(note, "note-en-3"),))]
    )
    monkeypatch.setattr(weasy, "page_content_height", lambda page: 500.0)
    document = SimpleNamespace(pages=[object(), object()])
    if fits:
        build_mod.check_footnotes(document, ())
    else:
        with pytest.raises(build_mod.SourceError, match="note 3 does not fit on page 1"):
            build_mod.check_footnotes(document, ())


# -- the pages of a laid-out edition --------------------------------------------------


def _colophon_page(document: Any) -> int | None:
    for number, page in enumerate(document.pages, start=1):
        for box in weasy.page_box(page).descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id") == "colophon":
                return number
    return None


def _running_head(page: Any) -> list[str]:
    return [
        box.at_keyword
        for box in weasy.page_box(page).children
        if getattr(box, "at_keyword", "").startswith("@top-")
    ]


def _has_text(page: Any) -> bool:
    return any(getattr(box, "text", "").strip() for box in weasy.page_box(page).descendants())


def _english_only(root: Path, settings: str, paragraphs: int = 0) -> project_mod.Edition:
    """A one-language booklet of the sample text and ``paragraphs`` more."""
    more = "".join(
        f"\n{{#q{i}}}\nA further paragraph number {i} of the sample, long enough to take "
        "a few lines of the page when it is set in the booklet.\n"
        for i in range(paragraphs)
    )
    original = EN.replace("role: translation\noriginal: az\n", "role: original\n")
    dates = "\n".join(line for line in DATES.splitlines() if not line.startswith("    az:"))
    write_project(
        root,
        {
            "diglot.toml": '[[edition]]\nname = "e"\nwork = "demo"\nlanguages = ["en"]\n'
            f"date = 2026-11-23\n{settings}",
            "sources/demo/en.md": original + more,
            "sources/demo/dates.yaml": dates + "\n",
        },
    )
    return project_mod.load(root).edition("e")


def test_a_handout_is_laid_out_in_two_passes_and_not_padded(mini):
    """Its ragged columns are read back once and set total-fit."""
    heard: list[str] = []
    laid = build_mod.lay_out_edition(project_mod.load(mini).edition("demo-handout"), heard.append)
    assert [m for m in heard if m.startswith("layout pass")] == [
        "layout pass 1",
        "layout pass 2, 1 pages",
    ]
    assert laid.passes == 2
    assert len(laid.document.pages) == 1
    assert 'style="hyphens: manual; word-spacing:' in laid.html


def test_a_screen_booklet_is_padded_at_its_end_with_pages_without_bleed(tmp_path):
    """Three pages of text (no contents page, the colophon on the back of
    the cover) and a blank page after them: four, none with a bleed."""
    edition = _english_only(tmp_path / "book", "contents = false\n")
    document = build_mod.lay_out_edition(edition).document
    assert len(document.pages) == 4
    assert [_has_text(page) for page in document.pages] == [True, True, True, False]
    assert _colophon_page(document) == 2
    assert all(set(page.bleed.values()) == {0} for page in document.pages)


def test_a_print_booklet_ends_with_its_blank_pages_its_colophon_under_the_contents(tmp_path):
    """The colophon leaves the back of the cover for page 2, under the
    contents, when both fit there, and the blank pages that make a multiple
    of four come after the text, inside and on the back of the cover (a
    typographer read blank pages before a colophon on the back cover as
    pages missing, another wanted the back cover clean); every page, blank
    or not, has the print bleed; a page that opens with a section's
    heading has no running head."""
    edition = _english_only(tmp_path / "book", 'pdf = "print"\n', paragraphs=30)
    document = build_mod.lay_out_edition(edition).document
    count = len(document.pages)
    assert count % 4 == 0
    assert _colophon_page(document) == 2
    last = max(n for n, page in enumerate(document.pages, start=1) if _has_text(page))
    assert 2 < last < count  # blank pages after the text
    bleeds = {tuple(page.bleed.values()) for page in document.pages}
    assert len(bleeds) == 1 and min(next(iter(bleeds))) > 0
    # no running head over the heading that opens a page; the others keep theirs
    opening = set(rows.opening_pages(document))
    heads = [_running_head(page) for page in document.pages]
    assert opening and not any(heads[n] for n in opening)
    assert any(heads[n] for n in range(count) if n not in opening)


def test_a_short_booklet_puts_its_colophon_under_its_contents(mini):
    """The mini English booklet has a blank last page: the colophon leaves
    the back of the cover for page 2, under the contents (diglot.endpages),
    and the back of the cover stays clean."""
    edition = project_mod.load(mini).edition("demo-en")
    passes = build_mod._Passes(edition, lambda _m: None, [])
    html = typography.number_paragraphs(build_mod.edition_html(edition))
    with typography.session(edition.languages):
        _html, document = build_mod._settle_flowing(edition, html, passes, html)
    assert passes.colophon == endpages.WITH_CONTENTS
    assert _colophon_page(document) == 2


def test_a_booklet_whose_contents_and_colophon_do_not_fit_a_page_has_its_colophon_last(
    tmp_path,
):
    """When the contents fill page 2, the colophon goes after the text on a
    page of its own (diglot.endpages.LAST), the blank pages after it."""
    headings = "".join(
        f"\n{{#h{i}}}\n## Section number {i} of a long contents\n\n{{#t{i}}}\nText of {i}.\n"
        for i in range(22)
    )
    edition = _english_only(tmp_path / "book", 'pdf = "print"\n')
    source = edition.source("en")
    source.write_text(source.read_text(encoding="utf-8") + headings, encoding="utf-8")
    edition = project_mod.load(tmp_path / "book").edition("e")
    document = build_mod.lay_out_edition(edition).document
    count = len(document.pages)
    colophon = _colophon_page(document)
    assert colophon is not None and colophon > 2
    assert _has_text(document.pages[colophon - 2])  # the text's last page before it
    assert not any(_has_text(page) for page in document.pages[colophon:])
    assert count % 4 == 0


FRONT = (
    '<html><body><section class="cover">T</section>'
    '<section class="colophon" id="colophon" lang="en">C</section>\n'
    '<nav class="contents" id="contents" lang="en">N</nav>\n'
    '<main class="body facing">text</main><section class="end-matter">R</section></body></html>'
)


def test_a_facing_pamphlet_s_colophon_goes_to_its_last_page_only_to_save_a_sheet():
    """Without a contents page, the colophon goes after the end matter when
    the edition would end with three blank pages and has at most
    PAMPHLET_PAGES (its place facing the blank back of the cover dropped);
    with one, title, colophon and contents stay on pages 1-3, as in every
    edition of the series."""
    assert endpages.to_back(FRONT, 13) is None  # a contents page
    assert endpages.arrange(FRONT, endpages.BACK) is None
    alone = FRONT.replace('<nav class="contents" id="contents" lang="en">N</nav>\n', "")
    alone = alone.replace('lang="en">C', 'lang="en" data-alone="">C')
    moved = endpages.to_back(alone, 9)
    assert moved is not None and "data-alone" not in moved
    assert 'class="colophon colophon-last"' in moved and moved.index("R") < moved.index("C<")
    for pages in (12, 14, 15, 16, endpages.PAMPHLET_PAGES + 1):
        assert endpages.to_back(alone, pages) is None, pages
    assert endpages.to_back(alone.replace("colophon", "imprint"), 13) is None


def _pages(*anchors: set[str]) -> Any:
    return SimpleNamespace(pages=[SimpleNamespace(anchors=dict.fromkeys(a)) for a in anchors])


def test_a_colophon_at_the_back_holds_only_on_one_last_page_a_page_shorter():
    assert endpages.at_back(_pages(set(), set(), {"colophon"}), 4)
    assert not endpages.at_back(_pages(set(), set(), {"colophon"}), 5)  # no page saved
    assert not endpages.at_back(_pages(set(), {"colophon"}, set()), 4)  # not last
    assert not endpages.at_back(_pages(set(), {"colophon"}, {"colophon"}), 4)  # runs over


BOOKLET = FRONT.replace('class="body facing"', 'class="body"')


@pytest.mark.parametrize(
    ("pages", "under", "where"),
    [
        (8, 7, endpages.AFTER),  # its page would be the back cover: under the end matter
        (8, 8, endpages.LAST),  # no page saved under the end matter
        (8, None, endpages.LAST),  # it runs over two pages there
        (7, 6, endpages.LAST),  # its own page is not the back cover: not tried
    ],
)
def test_a_colophon_whose_page_would_be_the_back_cover_follows_the_end_matter(pages, under, where):
    """When the contents leave no room for the colophon on page 2, it goes
    to a page of its own after the end matter (LAST); where that page is
    the booklet's last, the outside of its back cover (biography-kk-en p.
    36, beside a page three-quarters empty), it follows the end matter on
    its last page instead (AFTER), when it fits there whole: the booklet
    keeps its sheets and its back cover is blank."""
    laid: list[str] = []

    def lay_out(html: str) -> Any:
        laid.append(html)
        if "colophon-shared" in html:
            return _pages(*[set()] * pages)  # (not on page 2 with the contents)
        if "colophon-after" in html:
            if under is None:
                return _pages(*[set()] * (pages - 3), {"colophon"}, {"colophon"})
            return _pages(*[set()] * (under - 1), {"colophon"})
        return _pages(*[set()] * (pages - 1), {"colophon"})

    html, _document, placed = endpages.fill(BOOKLET, _pages(*[set()] * pages), lay_out)
    assert placed == where
    assert ('class="colophon colophon-after"' in html) == (where == endpages.AFTER)
    assert html.index("R") < html.index("C<")  # after the end matter, either way
    assert any("colophon-after" in h for h in laid) == (pages % 4 == 0)
    assert endpages.read_choice(endpages.choice_data(placed, pages, frozenset()))[0] == where


def test_a_handout_s_colophon_is_not_moved(mini):
    edition = project_mod.load(mini).edition("demo-handout")
    passes = build_mod._Passes(edition, lambda _m: None, [])
    html = typography.number_paragraphs(build_mod.edition_html(edition))
    with typography.session(edition.languages):
        build_mod._settle_flowing(edition, html, passes, html)
    assert passes.colophon == endpages.BACK_OF_COVER
    # settled once: laid out, then again with its ragged columns total-fit
    assert passes.pages == [1, 1]


def test_side_by_side_rows_are_measured_again_in_the_columns_they_get(mini):
    """The English of the mini project is longer than its Azerbaijani: the
    columns are sized to it, and the rows measured a second time in those
    columns, which the HTML then has."""
    edition = project_mod.load(mini).edition("demo-az-en")
    alignment, chronology = build_mod.load_texts(edition)
    page = build_mod.page_for(edition)
    html = render.render_html(edition.project.root, page, alignment, chronology)
    passes = build_mod._Passes(edition, lambda _m: None, [])
    measured: list[str] = []

    def once(text: str) -> Any:
        measured.append(text)
        return passes.once(text)

    with typography.session(edition.languages):
        plan, columns, lines = build_mod.level_rows(edition, alignment, chronology, html, once)
    assert columns is not None and columns[0] < columns[1]
    numbered = typography.number_paragraphs(html)
    assert len(measured) == 2 and measured[0] == numbered and measured[1] != numbered
    rows = render.context(edition.project.root, page, alignment, chronology)["rows"]
    assert plan[0] <= {row.id for row in rows}
    cells = {cell.id for row in rows for cell in row.cells if cell is not None}
    assert {key.rpartition("/")[0] for key in lines} <= cells


# -- memory ---------------------------------------------------------------------------


def test_a_build_s_memory_is_its_base_and_so_much_per_byte_of_text(mini):
    edition = project_mod.load(mini).edition("demo-az-en")
    sizes = [edition.source(lang).stat().st_size for lang in ("az", "en")]
    per_byte = build_mod.MEMORY_PER_SOURCE_BYTE
    assert build_mod.memory_estimate(edition) == build_mod.BASE_MEMORY + per_byte * sum(sizes)
    edition.source("en").unlink()  # a missing text is reported elsewhere; it counts nothing
    assert build_mod.memory_estimate(edition) == build_mod.BASE_MEMORY + per_byte * sizes[0]


@pytest.mark.parametrize(
    ("meminfo", "available"),
    [
        ("MemTotal:  8000000 kB\nMemFree: 100 kB\nMemAvailable:    2048 kB\n", 2048 * 1024),
        ("MemTotal:  8000000 kB\nMemFree: 100 kB\n", None),
        ("MemAvailable: plenty kB\n", None),
        ("MemAvailable:\n", None),
    ],
)
def test_available_memory_is_read_from_meminfo_in_bytes(monkeypatch, meminfo, available):
    opened: list[str] = []

    def fake_open(path: str, *args: Any, **kwargs: Any) -> io.StringIO:
        opened.append(path)
        return io.StringIO(meminfo)

    monkeypatch.setattr(build_mod, "open", fake_open, raising=False)
    assert build_mod.available_memory() == available
    assert opened == ["/proc/meminfo"]


def test_no_meminfo_means_available_memory_unknown(monkeypatch):
    def no_file(path: str, *args: Any, **kwargs: Any) -> io.StringIO:
        raise FileNotFoundError(path)

    monkeypatch.setattr(build_mod, "open", no_file, raising=False)
    assert build_mod.available_memory() is None


# -- a batch --------------------------------------------------------------------------


def _stand_in(calls: list[tuple[str, int, int]]) -> Any:
    def fake(edition, write_html=False, progress=None, run_proof=False, chunks=None, jobs=1):
        calls.append((edition.name, os.getpid(), jobs))
        if progress is not None:
            progress("layout pass 1")
        edition.output.parent.mkdir(parents=True, exist_ok=True)
        edition.output.write_bytes(b"%PDF")
        return build_mod.Built(edition.name, edition.output, 1, 0.0)

    return fake


def test_one_edition_is_built_in_this_process_with_every_job(mini, monkeypatch):
    """With one edition to build there is nothing to share the cores with:
    it is built here, and given the jobs (for its chunks)."""
    calls: list[tuple[str, int, int]] = []
    monkeypatch.setattr(build_mod, "build", _stand_in(calls))
    monkeypatch.setattr(build_mod, "available_memory", lambda: None)
    edition = project_mod.load(mini).edition("demo-en")
    outcomes = list(build_mod.build_many([edition], jobs=2))
    assert [(o.name, o.built is not None) for o in outcomes] == [("demo-en", True)]
    assert calls == [("demo-en", os.getpid(), 2)]


def test_a_parallel_batch_leaves_no_progress_thread_running(mini, monkeypatch):
    calls: list[tuple[str, int, int]] = []
    monkeypatch.setattr(build_mod, "build", _stand_in(calls))
    monkeypatch.setattr(build_mod, "available_memory", lambda: None)
    editions = list(project_mod.load(mini).editions)
    heard: list[tuple[str, str]] = []
    outcomes = list(build_mod.build_many(editions, jobs=2, progress=lambda *m: heard.append(m)))
    assert sorted(o.name for o in outcomes if o.built is not None) == sorted(
        e.name for e in editions
    )
    assert sorted(heard) == sorted((e.name, "layout pass 1") for e in editions)
    relays = [t for t in threading.enumerate() if "_relay" in t.name]
    assert relays == []


@pytest.mark.parametrize(
    ("plan", "columns", "lines", "expected", "absent"),
    [
        (
            (frozenset({"p2"}), {}),
            None,
            {},
            'class="row row-group" data-segment="p1"',
            "width: 40.0%",
        ),
        ((frozenset(), {}), (40.0, 60.0), {}, "width: 40.0%", "row-group"),
        ((frozenset(), {}), None, {}, 'class="row" data-segment="p2"', "row-group"),
        ((frozenset(), {}), None, {"en-p2/0": 7}, 'id="en-p2" data-lines="7"', "row-group"),
    ],
    ids=["rows run on", "columns sized", "level", "lines given"],
)
def test_a_side_by_side_booklet_is_set_as_its_rows_were_planned(
    mini, monkeypatch, plan, columns, lines, expected, absent
):
    """Whatever the measuring decided (here given): rows run on after the
    row before, or columns sized, or a paragraph set in so many lines, or
    every row level; each alone is set."""
    monkeypatch.setattr(build_mod, "level_rows", lambda *args: (plan, columns, lines))
    laid = build_mod.lay_out_edition(project_mod.load(mini).edition("demo-az-en"))
    assert expected in laid.html
    assert absent not in laid.html


def _settled(edition: project_mod.Edition, settle: Any) -> tuple[str, Any, int]:
    """``settle(passes)`` in a fresh layout session: its HTML, document and
    the number of layouts it made."""
    passes = build_mod._Passes(edition, lambda _m: None, [])
    with typography.session(edition.languages):
        html, document = settle(passes)
    return html, document, len(passes.pages)


def test_an_edition_without_a_record_of_changes_is_not_laid_out_again_to_cite_pages(mini):
    """Citing pages (diglot.record) costs a layout only when there is a
    record citing them: without one, the edition is settled as if there
    were no such step."""
    edition = project_mod.load(mini).edition("demo-en")
    source = typography.number_paragraphs(build_mod.edition_html(edition))
    plain = _settled(edition, lambda p: build_mod._settle_flowing(edition, source, p, source))
    cited = _settled(edition, lambda p: build_mod._settle_cited(edition, source, p))
    assert '<span class="where">' not in source  # no record of changes citing pages
    assert cited[2] == plain[2]
    assert cited[0] == plain[0] and len(cited[1].pages) == len(plain[1].pages)


def test_level_rows_with_no_white_at_the_top_of_a_column_are_not_laid_out_again(mini):
    edition = project_mod.load(mini).edition("demo-az-en")
    level = build_mod.edition_html(edition)
    source = typography.number_paragraphs(level)
    cited = _settled(edition, lambda p: build_mod._settle_cited(edition, source, p))
    assert not rows.white_at_top(cited[1])
    settled = _settled(edition, lambda p: build_mod._settle_level(edition, level, p))
    assert settled[2] == cited[2]
    assert settled[0] == cited[0]
