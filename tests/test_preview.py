"""Page ranges and PNG thumbnails (fast: tiny PDFs made with pypdf)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter

from diglot.errors import UsageError
from diglot.preview import parse_pages, thumbnails


@pytest.mark.parametrize(
    ("spec", "count", "pages"),
    [
        (None, 3, [1, 2, 3]),
        ("", 2, [1, 2]),
        ("2", 5, [2]),
        ("1-3", 5, [1, 2, 3]),
        ("4-", 6, [4, 5, 6]),
        ("4 - ", 6, [4, 5, 6]),
        (" 1-2 , 5", 9, [1, 2, 5]),
        ("3,1-2,2", 5, [1, 2, 3]),
        ("2-9", 3, [2, 3]),  # limited to the document
        ("3-3", 3, [3]),
    ],
)
def test_page_ranges(spec, count, pages):
    assert parse_pages(spec, count) == pages


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ("x", "--pages 'x': use numbers and ranges such as 1-4,7"),
        ("-3", "--pages '-3': use numbers and ranges such as 1-4,7"),
        ("1,,2", "--pages '1,,2': use numbers and ranges such as 1-4,7"),
        ("0", "--pages '0': 0 is not a page range"),
        ("3-2", "--pages '3-2': 3-2 is not a page range"),
        ("7", "--pages '7': the PDF has 5 pages"),
        ("6-", "--pages '6-': the PDF has 5 pages"),
    ],
)
def test_bad_page_ranges(spec, why):
    with pytest.raises(UsageError) as info:
        parse_pages(spec, 5)
    assert info.value.message == why


def blank_pdf(path: Path, pages: int, size=(144.0, 216.0)) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*size)
    writer.write(path)
    return path


def test_thumbnails_named_by_page_at_the_resolution_asked(tmp_path):
    pdf = blank_pdf(tmp_path / "book.pdf", 12)
    written = thumbnails(pdf, tmp_path / "preview", "9-10", dpi=36)
    # numbers padded to the page count's width, so the files sort in page order
    assert written == [tmp_path / "preview/book-09.png", tmp_path / "preview/book-10.png"]
    assert Image.open(written[0]).size == (72, 108)  # 2 x 3 inches at 36 dpi
    assert sorted(p.name for p in (tmp_path / "preview").iterdir()) == [
        "book-09.png",
        "book-10.png",
    ]
    assert thumbnails(pdf, tmp_path / "all", dpi=10)[-1].name == "book-12.png"
    assert len(list((tmp_path / "all").iterdir())) == 12
    # 60 dpi unless asked
    default = thumbnails(pdf, tmp_path / "default", "1")[0]
    assert Image.open(default).size == (120, 180)
    assert Image.open(default).format == "PNG"
