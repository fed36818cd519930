"""Edition options read back from real PDFs: title, author, contents and
chronology switched off, A6 and half-Letter paper, imposition on Letter,
and what an up-to-date edition skips."""

from __future__ import annotations

import os
import re

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from diglot.cli import cli

from .conftest import AZ, DATES, EN, write_project
from .pdfread import PT_PER_MM, destinations, page_size_mm, text

pytestmark = pytest.mark.slow

TOML = """\
author = "Project Author"

[[edition]]
name = "opts"
work = "demo"
languages = ["az", "en"]
paper = "A6"
date = 2026-11-23
title = "Özəl nəşr"
author = "Edition Author"
contents = false
chronology = false

[[edition]]
name = "half"
work = "demo"
languages = ["en"]
paper = "half-letter"
date = 2026-11-23
"""


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = write_project(
        tmp_path_factory.mktemp("options") / "p",
        {
            "diglot.toml": TOML,
            "sources/demo/az.md": AZ,
            "sources/demo/en.md": EN,
            "sources/demo/dates.yaml": DATES,
        },
    )
    result = diglot(root, "build", "-j", "1", "opts")
    assert result.exit_code == 0, result.output
    result = diglot(root, "build", "half", "--impose", "saddle", "--sheet", "letter")
    assert result.exit_code == 0, result.output
    return root


def diglot(root, *args):
    return CliRunner().invoke(cli, ["--project", str(root), *args])


def test_title_author_and_what_is_left_out(root):
    """The edition's own title and author; no contents page and no
    chronology. The other edition, with defaults, has both, and the project's
    author: the same check fails when an option is ignored."""
    opts = PdfReader(root / "output/opts.pdf").metadata
    assert opts.title == "Özəl nəşr" and opts.author == "Edition Author"
    half = PdfReader(root / "output/half.pdf").metadata
    assert half.title == "A small sample" and half.author == "Project Author"
    left_out = text(root / "output/opts.pdf")
    for label in ("Mündəricat", "Contents", "Əsas tarixlər", "Key dates", "may 1992"):
        assert label not in left_out, label
    assert "February 25, 1997" in left_out  # the texts are there
    assert not {"contents", "chronology"} & set(destinations(root / "output/opts.pdf"))
    assert {"contents", "chronology"} <= set(destinations(root / "output/half.pdf"))
    assert "Key dates" in text(root / "output/half.pdf")


def test_a6_and_half_letter_paper(root):
    for name, size in (("opts", (105.0, 148.0)), ("half", (139.7, 215.9))):
        pdf = root / f"output/{name}.pdf"
        assert {page_size_mm(pdf, i) for i in range(len(PdfReader(pdf).pages))} == {size}


def test_impose_on_letter_sheets(root):
    imposed = PdfReader(root / "output/half-saddle.pdf")
    pages = len(PdfReader(root / "output/half.pdf").pages)
    assert len(imposed.pages) == (pages + 3) // 4 * 2
    for side in imposed.pages:
        assert [round(float(v), 1) for v in side.mediabox] == [0, 0, 792.0, 612.0]


def test_imposition_is_skipped_only_when_up_to_date(root):
    saddle = root / "output/half-saddle.pdf"
    before = saddle.stat().st_mtime_ns
    result = diglot(root, "build", "half", "--impose", "saddle", "--sheet", "letter")
    assert result.exit_code == 0, result.output
    assert result.output == "half: output/half.pdf is up to date\n"
    assert saddle.stat().st_mtime_ns == before
    # another sheet size is not up to date
    result = diglot(root, "build", "half", "--impose", "saddle", "--sheet", "a4")
    assert result.exit_code == 0, result.output
    imposed = r"^half: output/half-saddle\.pdf \(\d+ sheets, imposed\)$"
    assert re.search(imposed, result.output, re.M)
    width = float(PdfReader(saddle).pages[0].mediabox.width)
    assert round(width / PT_PER_MM) == 297
    # nor is a missing one
    saddle.unlink()
    result = diglot(root, "build", "half", "--impose", "saddle", "--sheet", "letter")
    assert "imposed" in result.output and saddle.exists()


def test_html_on_an_up_to_date_edition(root):
    """--html on an edition built without it builds again to write the HTML;
    once written, the edition is up to date."""
    html = root / "output/half.html"
    assert not html.exists()
    result = diglot(root, "build", "half", "--html")
    assert result.exit_code == 0 and "up to date" not in result.output, result.output
    assert '<html lang="en">' in html.read_text(encoding="utf-8")
    before = html.stat().st_mtime_ns
    result = diglot(root, "build", "half", "--html")
    assert result.output == "half: output/half.pdf is up to date\n"
    assert html.stat().st_mtime_ns == before


def test_preview_dpi_and_open_page_range(root):
    pages = len(PdfReader(root / "output/opts.pdf").pages)
    result = diglot(root, "preview", "opts", "--dpi", "30", "--pages", "2-")
    assert result.exit_code == 0, result.output
    assert result.output.split() == [f"output/preview/opts-{p}.png" for p in range(2, pages + 1)]
    with Image.open(root / "output/preview/opts-2.png") as image:
        size = image.size
    expected = (105 / 25.4 * 30, 148 / 25.4 * 30)
    assert all(abs(got - want) <= 1 for got, want in zip(size, expected, strict=True))
    assert not (root / "output/preview/opts-1.png").exists()
    os.remove(root / "output/preview/opts-2.png")
