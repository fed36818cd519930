"""The one module that reads WeasyPrint's insides: it refuses a WeasyPrint it
was not verified on, and reads the box tree of a real layout correctly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from diglot import weasy
from diglot.errors import BuildError


@pytest.mark.parametrize("version", ["69.0", "71.0", "170.1", "x.y"])
def test_other_versions_are_refused(version: str) -> None:
    with pytest.raises(BuildError, match=rf"WeasyPrint {version} is installed.*70\.x"):
        weasy.check_version(version)


@pytest.mark.parametrize("version", ["70.0", "70.2", "70"])
def test_verified_versions_are_read(version: str) -> None:
    weasy.check_version(version)  # no error


def test_the_installed_weasyprint_is_the_verified_one() -> None:
    weasy.check_version()


def test_box_tree_of_a_real_layout() -> None:
    import weasyprint

    html = (
        "<html><head><style>@page { size: 60mm 90mm; margin: 5mm }"
        "p { width: 20mm; margin: 0 } .n { float: footnote }</style></head><body>"
        "<p>one two three four five six seven eight nine</p><p>x<span class=n>note</span></p>"
        "</body></html>"
    )
    document = weasyprint.HTML(string=html).render()
    page = document.pages[0]
    root = weasy.page_box(page)
    blocks = [b for b in weasy.descendants(root) if weasy.is_block(b)]
    paragraphs = [b for b in blocks if getattr(b, "element_tag", None) == "p"]
    assert len(paragraphs) == 2
    lines = weasy.line_boxes(paragraphs[0])
    assert len(lines) > 2  # nine words in 20 mm
    assert all(weasy.is_line(line) for line in lines)
    assert not weasy.is_line(paragraphs[0]) and not weasy.is_block(lines[0])
    words = " ".join("".join(t.text for t in weasy.text_boxes(line)) for line in lines)
    assert words.split() == ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    assert all(weasy.is_text(t) for t in weasy.text_boxes(root))
    areas = weasy.footnote_areas(page)
    assert len(areas) == 1
    assert "note" in "".join(t.text for t in weasy.text_boxes(areas[0]))
    assert weasy.page_content_height(page) == pytest.approx(80 / 25.4 * 96, abs=0.01)
    without = weasyprint.HTML(string=html.replace("<span class=n>note</span>", "")).render()
    assert weasy.footnote_areas(without.pages[0]) == []


def _written(tmp_path, kind: str, identifier: bytes | None, name: str) -> bytes:
    from diglot import pdf

    # dated as every layout dates its document (layouts/_base.html.j2):
    # undated, a PDF/X file gets the time of writing as its XMP
    # MetadataDate, and two writes a second apart differ
    html = (
        '<html lang="en"><head><title>t</title><style>@page { size: 60mm 40mm }</style>'
        '<meta name="dcterms.created" content="2023-11-14T22:13:20Z">'
        '<meta name="dcterms.modified" content="2023-11-14T22:13:20Z"></head>'
        '<body><p>English</p><p lang="az">Azərbaycan</p></body></html>'
    )
    document, _ = pdf.render(html, tmp_path, [tmp_path])
    dest = tmp_path / name
    pdf.write(document, dest, kind, identifier=identifier, epoch=1_700_000_000)
    return dest.read_bytes()


def _xmp(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    metadata = PdfReader(io.BytesIO(data)).trailer["/Root"]["/Metadata"].get_object()
    return metadata.get_data().decode("utf-8")


def test_print_pdf_document_id_follows_the_identifier(tmp_path) -> None:
    """PDF/X-4 wants an XMP DocumentID, random in WeasyPrint: diglot's
    finisher makes it depend on the input, so the same input gives the same
    bytes and another input another id."""
    import re

    first = _written(tmp_path, "print", b"one", "a.pdf")
    again = _written(tmp_path, "print", b"one", "b.pdf")
    other = _written(tmp_path, "print", b"two", "c.pdf")
    assert first == again
    ids = [re.findall(r"xmp\.did:([0-9a-f-]{36})", _xmp(d)) for d in (first, other)]
    assert len(ids[0]) == 1 and len(ids[1]) == 1 and ids[0] != ids[1]


def test_language_tags_only_while_writing_an_accessible_pdf(tmp_path) -> None:
    """Each structure element carries its own /Lang in an accessible PDF, and
    WeasyPrint's tag builder is its own again after the write."""
    from weasyprint.pdf import tags

    before = tags._build_box_tree
    data = _written(tmp_path, "accessible", b"x", "ua.pdf")
    assert tags._build_box_tree is before
    assert {"en", "az"} <= set(_struct_langs(data).split())
    # only elements that carry a language get one (the others inherit theirs)
    assert set(_struct_langs(data).split()) <= {"en", "az"}


def _struct_langs(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    found: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if hasattr(node, "get") and "/Lang" in node:
            found.append(str(node["/Lang"]))
        kids = node.get("/K") if hasattr(node, "get") else None
        if isinstance(kids, list):
            for kid in kids:
                walk(kid)
        elif kids is not None and hasattr(kids, "get_object"):
            walk(kids)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return " ".join(found)


def test_another_weasyprint_is_refused_at_the_first_read_of_a_layout(monkeypatch) -> None:
    """The version is checked when the box tree is first read, not only by
    the command line: a layout from another WeasyPrint is never read."""
    import weasyprint

    monkeypatch.setattr(weasy, "_BOXES", None)
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(BuildError, match=r"WeasyPrint 71\.0 is installed"):
        weasy.is_block(object())
    monkeypatch.setattr(weasyprint, "__version__", "70.0")
    assert not weasy.is_block(object())  # read once the version is one we know
    assert weasy.area_of(object()) is None


def test_print_pdf_document_id_is_a_version_4_uuid(tmp_path) -> None:
    """The stable DocumentID has the form of the random one it replaces (a
    version 4 UUID), so PDF/X checkers read it as WeasyPrint's own."""
    import re
    import uuid

    data = _written(tmp_path, "print", b"one", "a.pdf")
    (found,) = re.findall(r"xmp\.did:([0-9a-f-]{36})", _xmp(data))
    assert uuid.UUID(found).version == 4


def test_the_epoch_is_set_for_one_write_only(monkeypatch) -> None:
    """SOURCE_DATE_EPOCH is the write's epoch while it writes, and what it
    was before afterwards (unset, or the user's own)."""
    import os

    from diglot import pdf

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with pdf._source_date_epoch(1_700_000_000):
        assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"
    assert "SOURCE_DATE_EPOCH" not in os.environ
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "42")
    with pdf._source_date_epoch(1_700_000_000):
        assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"
    assert os.environ["SOURCE_DATE_EPOCH"] == "42"
    with pdf._source_date_epoch(None):  # no epoch: the user's stays
        assert os.environ["SOURCE_DATE_EPOCH"] == "42"
    assert os.environ["SOURCE_DATE_EPOCH"] == "42"


def test_a_css_warning_is_placed_on_the_line_it_quotes(tmp_path) -> None:
    """A WeasyPrint warning without a line number is put on the first line
    holding the text it quotes; with nothing quoted, on no line."""
    from diglot import pdf

    css = tmp_path / "own.css"
    css.write_text("p { color: red }\nh1 { colour: blue }\n", encoding="utf-8")
    assert pdf._line_with(css, "Ignored declaration: 'colour: blue'") == 2
    assert pdf._line_with(css, "Ignored declaration without a quote") is None
    assert pdf._line_with(css, "Ignored ' '") is None
    assert pdf._line_with(css, "Ignored 'margin: 0'") is None
    assert pdf._line_with(tmp_path / "gone.css", "Ignored 'p'") is None


def test_a_resource_that_is_not_a_file_is_refused_with_its_kind(tmp_path) -> None:
    """A named pipe in the project is not read (it would wait for a writer):
    the refusal says what it is."""
    import os

    from diglot import pdf

    fifo = tmp_path / "picture.png"
    os.mkfifo(fifo)
    fetcher = pdf.make_fetcher([tmp_path])
    with pytest.raises(fetcher.refusal) as raised:
        fetcher.fetch(fifo.as_uri())
    assert raised.value.reason == "cannot be read: is a named pipe (FIFO), not a regular file"
    assert fetcher.refused == [raised.value]


def test_a_data_url_over_the_limit_is_refused_with_its_size(tmp_path) -> None:
    from diglot import pdf

    fetcher = pdf.make_fetcher([tmp_path])
    url = "data:text/plain," + "x" * (300 * 1024)
    with pytest.raises(fetcher.refusal) as raised:
        fetcher.fetch(url)
    assert raised.value.reason == "data: URL of 300 KiB is over the 256 KiB limit"
    assert fetcher.fetch("data:text/plain,small") is not None  # under it: served


def _first_lines(weasyprint, html: str) -> list[str]:
    document = weasyprint.HTML(string=html).render()
    root = weasy.page_box(document.pages[0])
    paragraph = next(b for b in weasy.descendants(root) if getattr(b, "element_tag", None) == "p")
    return [
        "".join(t.text for t in weasy.text_boxes(line)).strip()
        for line in weasy.line_boxes(paragraph)
    ]


def test_a_run_that_fits_but_for_its_trailing_space_stays_whole_on_its_line(
    monkeypatch,
) -> None:
    """sail-ru-en's closing paragraph printed "The / poem on Russian
    Wikisource: “Парус”…" in its narrow column: a text run followed by an
    inline element, fitting the line only without its trailing space, lost
    all but its first word to the next line. The space hangs now."""
    from weasyprint.layout import inline

    from diglot import pdf

    weasyprint = pdf.load_weasyprint()
    words = "The poem on Russian Wikisource:"
    style = "<style>body { font: 9pt 'Noto Serif' } p { margin: 0; text-align: left }</style>"
    measured = weasyprint.HTML(string=f"{style}<p style='float: left'>{words}</p>").render()
    root = weasy.page_box(measured.pages[0])
    width = next(b for b in weasy.descendants(root) if getattr(b, "element_tag", None) == "p").width
    html = f"{style}<p style='width: {width + 0.5}px'>{words} <span>“Парус” (Lermontov)</span>.</p>"
    assert _first_lines(weasyprint, html) == [words, "“Парус” (Lermontov)."]
    # WeasyPrint 70 on its own, for the record: what the fix is for
    monkeypatch.setattr(inline, "split_first_line", inline.split_first_line.__wrapped__)
    assert _first_lines(weasyprint, html)[0] == "The"


TOOLS = str(Path(weasy.__file__).resolve().parents[1])


def _in_new_process(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": TOOLS, "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )


def test_weasyprint_imported_ahead_is_the_module_a_build_uses() -> None:
    done = _in_new_process(
        "import sys\n"
        "from diglot import pdf, weasy\n"
        "weasy.import_ahead()\n"
        "weasy.import_ahead()  # one import at a time\n"
        "module = pdf.load_weasyprint()\n"
        "assert module is sys.modules['weasyprint'] and module.HTML\n"
        "print('ok')\n"
    )
    assert done.stdout == "ok\n", done.stderr


def test_an_import_ahead_that_fails_fails_again_where_weasyprint_is_used() -> None:
    done = _in_new_process(
        "import sys\n"
        "from diglot import pdf, weasy\n"
        "sys.modules['weasyprint'] = None  # as if it could not be imported\n"
        "weasy.import_ahead()\n"
        "weasy.imported()\n"
        "print('quiet')\n"
        "pdf.load_weasyprint()\n"
    )
    assert done.stdout == "quiet\n"
    assert done.returncode == 1
    assert done.stderr.rstrip().endswith(
        "ModuleNotFoundError: import of weasyprint halted; None in sys.modules"
    )


def test_weasyprint_is_imported_with_one_look_at_the_libraries() -> None:
    """The standard search runs ldconfig, gcc and ld for each of the names
    WeasyPrint tries before its libraries' own (about fifty processes);
    diglot's import lists ldconfig's cache once, and still loads them."""
    done = _in_new_process(
        "import subprocess, sys\n"
        "started = []\n"
        "real = subprocess.Popen.__init__\n"
        "def spy(self, args, *rest, **named):\n"
        "    started.append(args)\n"
        "    real(self, args, *rest, **named)\n"
        "subprocess.Popen.__init__ = spy\n"
        "from diglot import pdf\n"
        "weasyprint = pdf.load_weasyprint()\n"
        "assert weasyprint.HTML(string='<p>x</p>').write_pdf().startswith(b'%PDF')\n"
        "print(started)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[['/sbin/ldconfig', '-p']]\n"


def test_libraries_are_found_as_the_standard_search_finds_them() -> None:
    """For each name WeasyPrint tries on Linux, the listing gives the
    answer ctypes' own ldconfig method gives (the one whose result loads)."""
    import ctypes.util

    names = ["pango-1.0", "gobject-2.0", "harfbuzz", "fontconfig", "pangoft2-1.0", "c"]
    names += ["libpango-1.0-0", "pango-1.0-0", "no-such-library-anywhere"]
    standard = {name: ctypes.util._findSoname_ldconfig(name) for name in names}  # type: ignore[attr-defined]
    with weasy._libraries_found_once():
        found = {name: ctypes.util.find_library(name) for name in names}
    assert ctypes.util.find_library.__module__ == "ctypes.util"  # put back
    assert found == standard
    assert found["pango-1.0"] == "libpango-1.0.so.0"
    assert found["libpango-1.0-0"] is None


def test_a_table_asking_to_discard_its_margin_starts_a_page_at_its_top() -> None:
    """With named pages WeasyPrint 70 counts every page break as forced and
    keeps the top margin of what starts the next page; and a table's
    ``margin-break`` is not its wrapper's. diglot's key dates (a table
    with ``margin-break: discard``) start a page where any text does."""
    from diglot import pdf

    weasyprint = pdf.load_weasyprint()

    def top_of_dates(margin_break: str) -> float:
        html = (
            "<style>@page { size: 300px 440px; margin: 20px } main { page: body }"
            f".dates {{ display: table; margin-top: 30px; margin-break: {margin_break} }}</style>"
            "<main><div style='height: 400px'></div>"
            "<section class='dates'><div>Key dates</div></section></main>"
        )
        document = weasyprint.HTML(string=html).render()
        assert len(document.pages) == 2  # the page before is full
        page = weasy.page_box(document.pages[1])
        for box in weasy.descendants(page):
            element = getattr(box, "element", None)
            if element is not None and element.get("class") == "dates" and box.is_table_wrapper:
                return float(box.border_box_y() - page.content_box_y())
        raise AssertionError("no key dates on the second page")

    assert top_of_dates("auto") == 30.0  # kept, as after a forced break
    assert top_of_dates("discard") == 0.0


def test_weasyprint_is_patched_once_however_often_it_is_loaded() -> None:
    """Every render loads WeasyPrint through diglot.pdf: its functions are
    wrapped once (wrapped twice, a change would run twice)."""
    from weasyprint.layout import block, inline, page

    from diglot import pdf

    for _ in range(3):
        pdf.load_weasyprint()
    for module, name in (
        (inline, "split_first_line"),
        (block, "block_level_layout"),
        (page, "make_page"),
    ):
        patched = getattr(module, name)
        assert patched.diglot_installed
        assert not getattr(patched.__wrapped__, "diglot_installed", False), name
