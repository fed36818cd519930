"""Saddle-stitch imposition: page order, sheet geometry, and real PDFs in and out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    RectangleObject,
    TextStringObject,
)

from diglot.errors import BuildError
from diglot.impose import ImposeError, SheetSides, impose_saddle, saddle_order

MM = 72 / 25.4
A5 = (148 * MM, 210 * MM)  # 419.53 x 595.28
A4_LANDSCAPE = (297 * MM, 210 * MM)  # 841.89 x 595.28
HALF_LETTER = (396.0, 612.0)
LETTER_LANDSCAPE = (792.0, 612.0)

LABEL = re.compile(r"PAGE (\d+)")

# One printed sheet: ((front-left, front-right), (back-left, back-right)).
Sheet = tuple[tuple[object, object], tuple[object, object]]


# --- helpers --------------------------------------------------------------


def make_pdf(
    path: Path,
    n_pages: int,
    size: tuple[float, float] = A5,
    *,
    bleed: float = 0.0,
    text_at: tuple[float, float] = (60.0, 300.0),
    colours: bool = False,
    rotate: int = 0,
) -> Path:
    """A PDF of ``n_pages`` pages labelled "PAGE 01", "PAGE 02", ...

    ``size`` is the trim size; ``bleed`` points of bleed go around it (then the
    MediaBox is the bleed box and a TrimBox is set). ``text_at`` is the label's
    position relative to the trim box's lower-left corner. ``colours`` fills
    the whole MediaBox (bleed included) red on odd pages, blue on even ones.
    ``rotate`` sets /Rotate: the MediaBox is then laid out so that the page
    *shows* at ``size``.
    """
    width, height = size
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    for index in range(n_pages):
        media_w, media_h = width + 2 * bleed, height + 2 * bleed
        if rotate % 180:
            media_w, media_h = media_h, media_w
        page = writer.add_blank_page(media_w, media_h)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        ops = []
        if colours:
            rgb = "1 0 0" if index % 2 == 0 else "0 0 1"
            ops.append(f"q {rgb} rg 0 0 {media_w} {media_h} re f Q")
        x, y = bleed + text_at[0], bleed + text_at[1]
        matrix = f"1 0 0 1 {x} {y}"
        if rotate == 90:
            # Shown turned 90 degrees clockwise: write the label turned
            # anticlockwise at the matching point so it shows upright.
            matrix = f"0 1 -1 0 {media_w - y} {x}"
        elif rotate:
            raise NotImplementedError(rotate)
        ops.append(f"BT /F1 24 Tf {matrix} Tm (PAGE {index + 1:02d}) Tj ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode())
        page.replace_contents(ContentStream(stream, writer))
        if bleed:
            page.trimbox = RectangleObject([bleed, bleed, bleed + width, bleed + height])
        if rotate:
            page.rotation = rotate
    writer.add_metadata({"/Title": "Test booklet", "/Author": "A. Tester"})
    writer.root_object[NameObject("/Lang")] = TextStringObject("de-CH")
    writer.write(path)
    return path


def labels(page: PageObject) -> list[tuple[tuple[float, float], tuple[float, float], int]]:
    """((x, y), (dx, dy), number) of every "PAGE nn" label drawn on ``page``.

    (x, y) is where the label starts on the sheet, (dx, dy) the direction
    its baseline runs in (1, 0 for upright text).
    """
    found: list[tuple[tuple[float, float], tuple[float, float], int]] = []

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], *_: object) -> None:
        for match in LABEL.finditer(text):
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            dx = tm[0] * cm[0] + tm[1] * cm[2]
            dy = tm[0] * cm[1] + tm[1] * cm[3]
            norm = (dx * dx + dy * dy) ** 0.5
            found.append(((x, y), (dx / norm, dy / norm), int(match.group(1))))

    page.extract_text(visitor_text=visit)
    return found


def labels_by_position(page: PageObject) -> list[tuple[float, int]]:
    """(sheet x, page number) of every "PAGE nn" label drawn on ``page``."""
    return [(x, number) for (x, _y), _direction, number in labels(page)]


def halves(page: PageObject) -> tuple[int | None, int | None]:
    """The page number shown on the left and on the right half of a sheet side."""
    middle = float(page.mediabox.width) / 2
    left = [number for x, number in labels_by_position(page) if x < middle]
    right = [number for x, number in labels_by_position(page) if x >= middle]
    assert len(left) <= 1 and len(right) <= 1, (left, right)
    return (left[0] if left else None, right[0] if right else None)


def fold_and_read(sheets: Sequence[Sheet]) -> list[object]:
    """Simulate printing and folding; return what a reader sees, page by page.

    Each sheet is ((front-left, front-right), (back-left, back-right)). Printed
    duplex with a flip on the short edge, the back's left half lies behind
    the front's right half (and back-right behind front-left), unrotated.
    Sheets are stacked in order (first = outermost) and the stack is folded
    with the fronts outwards. Opening the booklet, one reads down through the
    right halves of the sheets (each leaf: front-right, then back-left on its
    reverse), then back up through the left halves from the innermost sheet
    (each leaf: back-right, then front-left on its reverse).
    """
    read: list[object] = []
    for (_fl, fr), (bl, _br) in sheets:
        read += [fr, bl]
    for (fl, _fr), (_bl, br) in reversed(sheets):
        read += [br, fl]
    return read


def as_sheets(order: list[SheetSides]) -> list[Sheet]:
    return [((s.front_left, s.front_right), (s.back_left, s.back_right)) for s in order]


def impose_and_read(src: Path, dst: Path, sheet: str = "auto") -> tuple[int, PdfReader]:
    written = impose_saddle(src, dst, sheet)
    return written, PdfReader(dst)


def assert_sides(out: PdfReader, count: int, size: tuple[float, float]) -> None:
    assert len(out.pages) == count
    for page in out.pages:
        assert_size(page, size)


def assert_kept_metadata(out: PdfReader, title: str, author: str, lang: str) -> None:
    """The imposed file keeps the booklet's title, author and language."""
    assert out.metadata is not None
    assert (out.metadata.title, out.metadata.author) == (title, author)
    assert out.root_object.get("/Lang") == lang


def assert_size(page: PageObject, size: tuple[float, float]) -> None:
    assert float(page.mediabox.width) == pytest.approx(size[0], abs=0.01)
    assert float(page.mediabox.height) == pytest.approx(size[1], abs=0.01)


# --- saddle_order ---------------------------------------------------------


def test_saddle_order_four_pages() -> None:
    assert saddle_order(4) == [(3, 0, 1, 2)]


def test_saddle_order_eight_pages() -> None:
    assert saddle_order(8) == [(7, 0, 1, 6), (5, 2, 3, 4)]


def test_saddle_order_twelve_pages() -> None:
    assert saddle_order(12) == [(11, 0, 1, 10), (9, 2, 3, 8), (7, 4, 5, 6)]


def test_saddle_order_six_pages_pads_with_blanks_at_the_end() -> None:
    # 6 pages -> 8 slots; slots 6 and 7 (the last two) are blank, and they
    # sit on the outer sheet: front-left (page 8) and back-right (page 7).
    order = saddle_order(6)
    assert order == [(None, 0, 1, None), (5, 2, 3, 4)]
    assert order[0].front_left is None and order[0].back_right is None


def test_saddle_order_one_page() -> None:
    assert saddle_order(1) == [SheetSides(None, 0, None, None)]


@pytest.mark.parametrize("n_pages", [0, -3])
def test_saddle_order_rejects_no_pages(n_pages: int) -> None:
    with pytest.raises(ImposeError, match="at least one page"):
        saddle_order(n_pages)


@pytest.mark.parametrize("n_pages", range(1, 41))
def test_saddle_order_uses_every_page_once_and_folds_to_reading_order(n_pages: int) -> None:
    order = saddle_order(n_pages)
    padded = len(order) * 4
    assert padded % 4 == 0 and n_pages <= padded < n_pages + 4
    slots = [p for sheet in order for p in sheet]
    assert sorted(p for p in slots if p is not None) == list(range(n_pages))
    assert slots.count(None) == padded - n_pages
    # The standard formula, sheet by sheet.
    for k, sheet in enumerate(order):
        expected = (padded - 1 - 2 * k, 2 * k, 2 * k + 1, padded - 2 - 2 * k)
        assert sheet == tuple(p if p < n_pages else None for p in expected)
    # Fold the stack: pages come out 0..n-1, then the blanks.
    assert fold_and_read(as_sheets(order)) == [*range(n_pages), *[None] * (padded - n_pages)]


# --- impose_saddle on real PDFs ------------------------------------------


def test_impose_six_page_weasyprint_booklet(tmp_path: Path) -> None:
    import weasyprint

    pages = "".join(
        f'<section style="break-after: page">PAGE {i:02d}</section>' for i in range(1, 7)
    )
    html = (
        '<html lang="en-GB"><head><title>Six pages</title>'
        '<meta name="author" content="Jane Doe"></head>'
        "<style>@page { size: A5; margin: 20mm }"
        "section { font-size: 40pt; text-align: center }</style>"
        f"<body>{pages}</body></html>"
    )
    src = tmp_path / "six.pdf"
    weasyprint.HTML(string=html).write_pdf(src)
    assert len(PdfReader(src).pages) == 6

    written, out = impose_and_read(src, tmp_path / "six-imposed.pdf")

    assert written == 4  # 6 -> 8 pages -> 2 sheets -> 4 sides
    assert_sides(out, 4, A4_LANDSCAPE)
    # Numbers are 1-based page labels; None is a blank half.
    assert [halves(page) for page in out.pages] == [
        (None, 1),  # sheet 1 front
        (2, None),  # sheet 1 back
        (6, 3),  # sheet 2 front
        (4, 5),  # sheet 2 back
    ]
    assert_kept_metadata(out, "Six pages", "Jane Doe", "en-GB")


def test_impose_twelve_pages_order_size_and_fold(tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "twelve.pdf", 12)

    written, out = impose_and_read(src, tmp_path / "twelve-imposed.pdf")

    assert written == 6  # 3 sheets, 2 sides each
    assert_sides(out, 6, A4_LANDSCAPE)
    sides = [halves(page) for page in out.pages]
    assert sides == [(12, 1), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)]
    sheets = [(sides[i], sides[i + 1]) for i in range(0, len(sides), 2)]
    assert fold_and_read(sheets) == list(range(1, 13))
    assert_kept_metadata(out, "Test booklet", "A. Tester", "de-CH")


def test_pages_meet_at_the_fold(tmp_path: Path) -> None:
    # Label 60 pt from the page's left edge: on the right half it sits 60 pt
    # right of the fold; on the left half 60 pt right of (fold - page width).
    src = make_pdf(tmp_path / "four.pdf", 4)
    _, out = impose_and_read(src, tmp_path / "four-imposed.pdf")
    fold = A4_LANDSCAPE[0] / 2
    positions = dict((number, x) for x, number in labels_by_position(out.pages[0]))
    assert positions[1] == pytest.approx(fold + 60, abs=0.01)
    assert positions[4] == pytest.approx(fold - A5[0] + 60, abs=0.01)


def test_half_letter_goes_on_letter(tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "hl.pdf", 5, HALF_LETTER)
    written, out = impose_and_read(src, tmp_path / "hl-imposed.pdf")
    assert written == 4
    for page in out.pages:
        assert_size(page, LETTER_LANDSCAPE)
    assert [halves(page) for page in out.pages] == [(None, 1), (2, None), (None, 3), (4, 5)]


def test_other_page_sizes_get_a_sheet_two_pages_wide(tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "odd.pdf", 4, (300.0, 500.0), text_at=(20, 250))
    _, out = impose_and_read(src, tmp_path / "odd-imposed.pdf")
    for page in out.pages:
        assert_size(page, (600.0, 500.0))
    assert [halves(page) for page in out.pages] == [(4, 1), (2, 3)]


def test_explicit_sheet_scales_pages_down_to_fit(tmp_path: Path) -> None:
    # A5 (419.5 pt wide) does not fit half a Letter sheet (396 pt): shrink.
    src = make_pdf(tmp_path / "a5.pdf", 4)
    written, out = impose_and_read(src, tmp_path / "a5-letter.pdf", sheet="Letter")
    assert written == 2
    assert_size(out.pages[0], LETTER_LANDSCAPE)
    assert [halves(page) for page in out.pages] == [(4, 1), (2, 3)]
    scale = min(396 / A5[0], 612 / A5[1])
    positions = dict((number, x) for x, number in labels_by_position(out.pages[0]))
    assert positions[1] == pytest.approx(396 + 60 * scale, abs=0.01)


def test_bleed_is_placed_by_trimbox_and_clipped_at_the_fold(tmp_path: Path) -> None:
    bleed = 3 * MM
    src = make_pdf(tmp_path / "bleed.pdf", 8, bleed=bleed, colours=True)
    assert float(PdfReader(src).pages[0].mediabox.width) > A5[0] + 1

    _, out = impose_and_read(src, tmp_path / "bleed-imposed.pdf")

    assert len(out.pages) == 4
    assert_size(out.pages[0], A4_LANDSCAPE)  # "auto" goes by the trim size
    fold = A4_LANDSCAPE[0] / 2
    positions = dict((number, x) for x, number in labels_by_position(out.pages[0]))
    assert positions[1] == pytest.approx(fold + 60, abs=0.01)  # trim edge on the fold
    assert positions[8] == pytest.approx(fold - A5[0] + 60, abs=0.01)

    # Render the outer front (page 8 | page 1): page 8 is blue, page 1 red.
    # Without clipping, page 1's 3 mm inner bleed would paint over page 8.
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(tmp_path / "bleed-imposed.pdf")
    try:
        scale = 2.0
        image = document[0].render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    centre_x = round(fold * scale)
    row = image.height // 2
    near = round(1.5 * scale)  # 1.5 pt either side of the fold, inside the bleed
    left = image.getpixel((centre_x - near, row))
    right = image.getpixel((centre_x + near, row))
    assert left[2] > 200 and left[0] < 50, left  # blue: page 8 reaches the fold
    assert right[0] > 200 and right[2] < 50, right  # red: page 1 starts at the fold


def test_rotated_source_pages_are_placed_as_shown(tmp_path: Path) -> None:
    # A landscape MediaBox shown portrait through /Rotate 90 is an A5 page.
    src = make_pdf(tmp_path / "rot.pdf", 4, rotate=90)
    assert PdfReader(src).pages[0].mediabox.width > PdfReader(src).pages[0].mediabox.height
    _, out = impose_and_read(src, tmp_path / "rot-imposed.pdf")
    assert_size(out.pages[0], A4_LANDSCAPE)
    assert [halves(page) for page in out.pages] == [(4, 1), (2, 3)]
    fold = A4_LANDSCAPE[0] / 2
    found = {number: (at, direction) for at, direction, number in labels(out.pages[0])}
    for number, left_edge in ((1, fold), (4, fold - A5[0])):
        (x, y), (dx, dy) = found[number]
        assert [x, y] == pytest.approx([left_edge + 60, 300], abs=0.01)
        assert [dx, dy] == pytest.approx([1, 0], abs=1e-9)  # upright


def test_empty_pdf_is_a_located_build_error(tmp_path: Path) -> None:
    src = tmp_path / "empty.pdf"
    PdfWriter().write(src)
    dst = tmp_path / "empty-imposed.pdf"
    with pytest.raises(ImposeError) as caught:
        impose_saddle(src, dst)
    assert caught.value.message == "the PDF has no pages: nothing to impose"
    assert isinstance(caught.value, BuildError) and caught.value.path == src
    assert not dst.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.pdf"]


def test_unknown_sheet_is_an_impose_error(tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "four.pdf", 4)
    with pytest.raises(ImposeError) as caught:
        impose_saddle(src, tmp_path / "out.pdf", sheet="a3")
    assert caught.value.message == "unknown sheet size 'a3': use one of auto, a4, letter"


def test_write_is_atomic_and_may_replace_the_source(tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "book.pdf", 6)
    assert impose_saddle(src, src) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.pdf"]  # no temp left
    out = PdfReader(src)
    assert_size(out.pages[0], A4_LANDSCAPE)
    assert [halves(page) for page in out.pages] == [(None, 1), (2, None), (6, 3), (4, 5)]


def test_failed_write_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = make_pdf(tmp_path / "book.pdf", 4)
    dst = tmp_path / "out.pdf"
    dst.write_bytes(b"old")

    def broken_write(self: PdfWriter, stream: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(PdfWriter, "write", broken_write)
    with pytest.raises(BuildError, match="cannot write the imposed PDF: disk full"):
        impose_saddle(src, dst)
    assert dst.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.pdf", "out.pdf"]


def test_up_to_date_only_for_the_same_pages_and_sheet(tmp_path: Path) -> None:
    import os

    from diglot.impose import up_to_date

    src = make_pdf(tmp_path / "book.pdf", 6)
    dst = tmp_path / "book-saddle.pdf"
    assert not up_to_date(src, dst)  # not imposed yet
    impose_saddle(src, dst)
    assert up_to_date(src, dst) and up_to_date(src, dst, "a4")
    assert not up_to_date(src, dst, "letter")
    stamp = src.stat().st_mtime
    os.utime(dst, (stamp - 10, stamp - 10))
    assert not up_to_date(src, dst)  # the booklet changed since
    os.utime(dst, (stamp, stamp))
    assert up_to_date(src, dst)
    make_pdf(src, 9)  # more pages: more sheets
    later = src.stat().st_mtime + 10
    os.utime(dst, (later, later))
    assert not up_to_date(src, dst)
    dst.write_bytes(b"not a PDF")
    assert not up_to_date(src, dst)


def test_small_pages_are_centred_not_enlarged(tmp_path: Path) -> None:
    """An A6 page on half an A4 sheet keeps its size, its trim edge on the
    fold, centred top to bottom."""
    a6 = (105 * MM, 148 * MM)
    src = make_pdf(tmp_path / "a6.pdf", 4, a6, text_at=(10, 20))
    _, out = impose_and_read(src, tmp_path / "a6-imposed.pdf", sheet="a4")
    fold = A4_LANDSCAPE[0] / 2
    bottom = (A4_LANDSCAPE[1] - a6[1]) / 2
    found = {number: at for at, _, number in labels(out.pages[0])}
    assert found[1] == pytest.approx((fold + 10, bottom + 20), abs=0.01)
    assert found[4] == pytest.approx((fold - a6[0] + 10, bottom + 20), abs=0.01)


def test_tall_pages_shrink_to_the_sheet_height(tmp_path: Path) -> None:
    """A page narrow enough for half the sheet but too tall for it is scaled
    by its height, and its label moves with it."""
    tall = (300.0, 700.0)
    src = make_pdf(tmp_path / "tall.pdf", 4, tall, text_at=(100, 100))
    _, out = impose_and_read(src, tmp_path / "tall-imposed.pdf", sheet="a4")
    scale = A4_LANDSCAPE[1] / tall[1]
    fold = A4_LANDSCAPE[0] / 2
    found = {number: at for at, _, number in labels(out.pages[0])}
    assert found[1] == pytest.approx((fold + 100 * scale, 100 * scale), abs=0.01)


def test_bleed_pages_keep_their_height_on_the_sheet(tmp_path: Path) -> None:
    bleed = 3 * MM
    src = make_pdf(tmp_path / "bleed.pdf", 4, bleed=bleed)
    _, out = impose_and_read(src, tmp_path / "bleed-imposed.pdf")
    found = {number: at for at, _, number in labels(out.pages[0])}
    # the label sits 300 pt above the trim edge, which is the sheet's edge
    assert found[1][1] == pytest.approx(300, abs=0.01)


@pytest.mark.parametrize(("rotate", "landscape"), [(180, False), (-90, True), (450, True)])
def test_turned_pages_are_measured_as_shown(tmp_path: Path, rotate: int, landscape: bool) -> None:
    """/Rotate 180 keeps width and height, -90 (270) and 450 (90) swap them:
    each of these shows an A5 page, which goes on A4."""
    size = (A5[1], A5[0]) if landscape else A5
    src = make_pdf(tmp_path / "a5.pdf", 4, size)
    writer = PdfWriter(clone_from=src)
    for page in writer.pages:
        page[NameObject("/Rotate")] = NumberObject(rotate)
    writer.write(src)
    written, out = impose_and_read(src, tmp_path / "turned.pdf")
    assert written == 2
    assert_size(out.pages[0], A4_LANDSCAPE)


def test_auto_sheet_tolerates_rounding(tmp_path: Path) -> None:
    """A page up to 1.5 pt off A5 counts as A5 (PDF writers round)."""
    src = make_pdf(tmp_path / "near.pdf", 4, (A5[0] + 1.5, A5[1] - 1.5))
    _, out = impose_and_read(src, tmp_path / "near-imposed.pdf")
    assert_size(out.pages[0], A4_LANDSCAPE)
    src = make_pdf(tmp_path / "off.pdf", 4, (A5[0] + 2, A5[1]))
    _, out = impose_and_read(src, tmp_path / "off-imposed.pdf")
    assert_size(out.pages[0], (2 * (A5[0] + 2), A5[1]))


def test_a_warning_from_elsewhere_while_reading_is_not_the_pdfs(tmp_path, monkeypatch):
    """Only pypdf's warnings say a PDF is damaged: an unclosed file of some
    other code, collected while the PDF is read, does not."""
    import warnings

    from diglot import impose

    real = impose.PdfReader

    def reader(*args, **kwargs):
        warnings.warn("unclosed file <_io.FileIO name='x.png'>", ResourceWarning, stacklevel=1)
        return real(*args, **kwargs)

    monkeypatch.setattr(impose, "PdfReader", reader)
    written, out = impose_and_read(make_pdf(tmp_path / "four.pdf", 4), tmp_path / "out.pdf")
    assert written == 2 == len(out.pages)


def test_a_file_collected_while_the_pdf_is_read_does_not_make_it_unreadable(tmp_path, monkeypatch):
    """An unclosed file the garbage collector finds during the read is
    reported where the collection happened, which may be inside pypdf; it
    says nothing of the PDF (a CI run refused a good booklet with "unclosed
    file <... NotoSans-Italic ...>")."""
    import warnings

    import pypdf

    from diglot import impose

    src = make_pdf(tmp_path / "four.pdf", 4)
    real = impose.PdfReader

    def reader(*args, **kwargs):
        warnings.warn_explicit(
            "unclosed file <_io.BufferedReader name='x.ttf'>",
            ResourceWarning,
            pypdf.__file__,
            1,
        )
        return real(*args, **kwargs)

    monkeypatch.setattr(impose, "PdfReader", reader)
    assert impose_saddle(src, tmp_path / "out.pdf") >= 1
    assert len(PdfReader(tmp_path / "out.pdf").pages) >= 1

    def broken(*args, **kwargs):
        warnings.warn_explicit("Object 5 0 not defined.", UserWarning, pypdf.__file__, 1)
        return real(*args, **kwargs)

    monkeypatch.setattr(impose, "PdfReader", broken)
    with pytest.raises(ImposeError, match="Object 5 0 not defined"):
        impose_saddle(src, tmp_path / "again.pdf")
