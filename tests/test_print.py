"""Press-ready variants, imposition and previews, read back from real PDFs."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from diglot.cli import cli

from .pdfread import words
from .test_impose import fold_and_read

pytestmark = pytest.mark.slow

A5_PT = (419.53, 595.28)
BLEED_PT = 8.504  # 3 mm

# The fixture's az-en booklet once per PDF kind.
VARIANTS = "".join(
    f'\n[[edition]]\nname = "v-{kind}"\nwork = "demo"\nlanguages = ["az", "en"]\n'
    f'layout = "booklet"\npaper = "A5"\ndate = 2026-11-23\npdf = "{kind}"\n'
    for kind in ("print", "archive", "accessible")
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from .conftest import AZ, DATES, EN, TOML, write_project

    root = write_project(
        tmp_path_factory.mktemp("print") / "p",
        {
            "diglot.toml": TOML + VARIANTS,
            "sources/demo/az.md": AZ,
            "sources/demo/en.md": EN,
            "sources/demo/dates.yaml": DATES,
        },
    )
    result = CliRunner().invoke(cli, ["--project", str(root), "build", "--impose", "saddle"])
    assert result.exit_code == 0, result.output
    return root


def box(page, name):
    return [round(float(v), 2) for v in getattr(page, name)]


def xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def test_print_pdf_has_bleed_trim_marks_and_output_intent(built):
    reader = PdfReader(built / "output/v-print.pdf")
    assert reader.pdf_header == "%PDF-1.6"
    for page in reader.pages:
        trim, bleed, media = box(page, "trimbox"), box(page, "bleedbox"), box(page, "mediabox")
        assert (trim[2] - trim[0], trim[3] - trim[1]) == A5_PT
        assert bleed == [
            round(trim[0] - BLEED_PT, 2),
            round(trim[1] - BLEED_PT, 2),
            round(trim[2] + BLEED_PT, 2),
            round(trim[3] + BLEED_PT, 2),
        ]
        assert media[0] <= bleed[0] and media[1] <= bleed[1]
        assert media[2] >= bleed[2] and media[3] >= bleed[3]
    root = reader.trailer["/Root"]
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFX" and "/DestOutputProfile" in intent
    assert "PDF/X-4" in xmp(reader)


def colour_operators(path) -> list[tuple[bytes, tuple[float, ...]]]:
    """Every colour operator of a PDF's pages and the forms they draw, with
    its operands."""
    from pypdf.generic import ContentStream

    reader = PdfReader(path)
    found = []
    for page in reader.pages:
        streams = [page.get_contents()]
        forms = page["/Resources"].get("/XObject") or {}
        streams += [f.get_object() for f in forms.values() if f.get_object()["/Subtype"] == "/Form"]
        for stream in streams:
            for operands, operator in ContentStream(stream, reader).operations:
                if operator in (b"rg", b"RG", b"g", b"G", b"k", b"K"):
                    found.append((operator, tuple(float(v) for v in operands)))
    return found


def test_print_pdf_sets_black_and_greys_on_the_black_plate_only(built):
    """A print shop separates RGB black into all four inks (rich black, out
    of register on small type): the print PDF gives its black text, grey
    rules and folios in DeviceGray, the black plate; the screen PDF keeps
    RGB. The text reads the same."""
    printed, screen = (
        colour_operators(built / "output/v-print.pdf"),
        colour_operators(built / "output/demo-az-en.pdf"),
    )
    assert (b"g", (0.0,)) in printed and any(op == b"G" for op, _ in printed)
    assert not [c for c in printed if c[0] in (b"rg", b"RG") and len(set(c[1])) == 1]
    assert (b"rg", (0.0, 0.0, 0.0)) in screen
    assert not [c for c in screen if c[0] in (b"g", b"G")]
    assert [w[4] for w in words(built / "output/v-print.pdf", 3)] == [
        w[4] for w in words(built / "output/demo-az-en.pdf", 3)
    ]


def test_print_pdf_shows_crop_marks_outside_the_trim(built):
    from diglot.preview import thumbnails

    png = thumbnails(built / "output/v-print.pdf", built / "prev", "1", dpi=72)[0]
    image = Image.open(png).convert("L")
    # the corners of the bleed area carry crop-mark strokes (dark pixels)
    assert image.crop((0, 0, 9, 9)).getextrema()[0] < 128
    # a screen PDF has nothing in its corner
    plain = thumbnails(built / "output/demo-az-en.pdf", built / "prev", "1", dpi=72)[0]
    assert Image.open(plain).convert("L").crop((0, 0, 9, 9)).getextrema()[0] > 200


def test_screen_pdf_has_no_bleed(built):
    page = PdfReader(built / "output/demo-az-en.pdf").pages[0]
    assert box(page, "mediabox") == box(page, "trimbox") == [0, 0, *A5_PT]


def test_archive_is_pdf_a_3b(built):
    reader = PdfReader(built / "output/v-archive.pdf")
    meta = xmp(reader)
    assert re.search(r'pdfaid:part(="|>)3', meta) and re.search(r'pdfaid:conformance(="|>)B', meta)
    assert reader.trailer["/Root"]["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"


def struct_langs(reader: PdfReader) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}

    def walk(node):
        node = node.get_object()
        if "/Lang" in node:
            found.setdefault(str(node["/Lang"]), set()).add(str(node.get("/S")))
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object()
            if hasattr(kid, "get"):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_accessible_is_tagged_pdf_ua_with_language_spans(built):
    reader = PdfReader(built / "output/v-accessible.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "az" and root["/MarkInfo"]["/Marked"]
    assert re.search(r'pdfuaid:part(="|>)1', xmp(reader))
    langs = struct_langs(reader)
    assert {"az", "en"} <= set(langs)
    assert "/P" in langs["en"] or "/Div" in langs["en"]


def test_screen_pdf_is_not_tagged(built):
    assert "/StructTreeRoot" not in PdfReader(built / "output/demo-az-en.pdf").trailer["/Root"]


def test_imposed_booklet_is_two_up_in_fold_order(built):
    single = PdfReader(built / "output/demo-az-en.pdf")
    imposed = PdfReader(built / "output/demo-az-en-saddle.pdf")
    pages = len(single.pages)
    padded = (pages + 3) // 4 * 4
    assert len(imposed.pages) == padded // 2
    width, height = (float(v) for v in imposed.pages[0].mediabox[2:])
    assert (round(width, 1), round(height, 1)) == (841.9, 595.3)
    # Which booklet page is on which half of each side, found by its words;
    # printed, stacked and folded, the sheets must read 1, 2, ..., then blanks.
    # Pages in reading order, or halves swapped, read in another order.
    single_pdf = built / "output/demo-az-en.pdf"
    imposed_pdf = built / "output/demo-az-en-saddle.pdf"
    text = {p: tuple(sorted(w for *_, w in words(single_pdf, p))) for p in range(1, pages + 1)}
    by_words = {found: p for p, found in text.items() if found}
    assert len(by_words) == sum(1 for found in text.values() if found)  # told apart by words
    halves = []
    middle = width / 2
    for side in range(1, len(imposed.pages) + 1):
        found = words(imposed_pdf, side)
        left = tuple(sorted(w for x0, *_, w in found if x0 < middle))
        right = tuple(sorted(w for x0, *_, w in found if x0 >= middle))
        halves.append(tuple(by_words[h] if h else None for h in (left, right)))
    sheets = [(halves[i], halves[i + 1]) for i in range(0, len(halves), 2)]
    # the booklet's own blank pages (at its end) read as blanks too
    order = [p if text[p] else None for p in range(1, pages + 1)]
    assert fold_and_read(sheets) == [*order, *[None] * (padded - pages)]
    assert order[0] == 1 and order.count(None) < pages // 2


def test_impose_command_and_preview(built):
    runner = CliRunner()
    result = runner.invoke(cli, ["--project", str(built), "impose", "demo-en", "--sheet", "a4"])
    assert result.exit_code == 0, result.output
    assert re.match(r"demo-en: output/demo-en-saddle\.pdf \(\d+ sheets\)", result.output)
    result = runner.invoke(
        cli, ["--project", str(built), "preview", "demo-az-en", "--pages", "1-2"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.split() == [
        "output/preview/demo-az-en-1.png",
        "output/preview/demo-az-en-2.png",
    ]
    image = Image.open(built / "output/preview/demo-az-en-1.png")
    expected = (148 / 25.4 * 60, 210 / 25.4 * 60)
    assert all(abs(got - want) <= 1 for got, want in zip(image.size, expected, strict=True))
    result = runner.invoke(cli, ["--project", str(built), "preview", "demo-en", "--pages", "x"])
    assert result.exit_code == 2 and "--pages 'x'" in result.output


def test_impose_before_build_is_a_usage_error(mini):
    result = CliRunner().invoke(cli, ["--project", str(mini), "impose", "demo-en"])
    assert result.exit_code == 2
    assert "output/demo-en.pdf is not built yet: run diglot build demo-en" in result.output
