"""diglot proof on small documents laid out by WeasyPrint: the lines it reads
from the box tree (page, column, text, language, headings, front matter,
word spaces, overflow) checked against what the page shows, the word spaces
and the overflow against the PDF as poppler reads it; and the previews it
draws of the pages with findings."""

from __future__ import annotations

import os

import pytest
from PIL import Image

from diglot import fonts, proof

from .pdfread import words

MM = 96 / 25.4  # CSS px per mm
PT = 96 / 72  # CSS px per point
LEFT = 12 * MM  # the page's left margin
COLUMN = 70 * MM  # the paragraphs' width
EM = 10 * PT  # the body's font size, px

WORDS = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron "
    "pi rho sigma tau upsilon phi chi psi omega"
)


PAIRS = "alphabetical beautifully charismatic delightfully energetically fabulous"


def _render(html: str):
    # With the fonts a build sees (diglot's own, declared as a build
    # declares them), whichever test ran first.
    os.environ["FONTCONFIG_FILE"] = str(fonts.fontconfig_file())
    import weasyprint

    return weasyprint.HTML(string=f"<style>{fonts.font_face_css()}</style>{html}").render()


STYLE = f"""
@page {{ size: 120mm 90mm; margin: 12mm;
  @bottom-center {{ content: "folio"; font: 8pt 'Noto Serif' }} }}
body {{ margin: 0; font: 10pt/14pt 'Noto Serif' }}
p {{ width: {COLUMN}px; margin: 0 0 4px; text-align: justify }}
h2 {{ margin: 0 0 4px; font: 12pt/16pt 'Noto Serif' }}
.spaced {{ letter-spacing: 1.5px; word-spacing: 3px }}
.tight {{ letter-spacing: 4px }}
img {{ display: block; width: 20mm; height: 15mm; margin: 0 }}
"""

PICTURE = (
    "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'>"
    "<rect width='10' height='10' fill='black'/></svg>"
)


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    """Page 1: a cover line, a heading, a justified paragraph with letter-
    and word-spacing (its first words set tighter in an element of their
    own), a word too long for the column; then a long paragraph running on
    to page 2, a picture, and on page 3 an Azerbaijani paragraph and a
    narrow one of two long words a line. Every page has a folio in its
    margin."""
    html = (
        f"<html lang='en'><style>{STYLE}</style><body>"
        "<section class='cover'><p>The cover line</p></section>"
        "<h2>A heading</h2>"
        f"<p class='spaced'><span class='tight'>Tight</span> {WORDS}</p>"
        f"<p>{'x' * 45}</p>"
        f"<p id='long'>{' '.join([WORDS] * 3)}</p>"
        f"<img src=\"{PICTURE}\" alt=''>"
        "<p lang='az' style='break-before: page'>Son abzas</p>"
        f"<p style='width: 48mm'>{PAIRS}</p>"
        "</body></html>"
    )
    document = _render(html)
    pdf = tmp_path_factory.mktemp("proof") / "laid-out.pdf"
    document.write_pdf(pdf)
    return document, pdf


def _body(lines: list[proof.Line]) -> list[proof.Line]:
    return [ln for ln in lines if ln.area == "body"]


def test_every_line_is_read_with_its_page_column_and_kind(laid_out):
    document, _pdf = laid_out
    lines = proof.lines_of(document)
    assert len(document.pages) == 3
    body = _body(lines)
    cover, heading, *rest = body
    assert (cover.text, cover.page, cover.front, cover.heading) == (
        "The cover line",
        1,
        True,
        False,
    )
    assert (heading.text, heading.page, heading.front, heading.heading) == (
        "A heading",
        1,
        False,
        True,
    )
    assert not any(ln.front or ln.heading for ln in rest)
    # each page's folio, in the margin, after the page's text
    margin = [(ln.page, ln.text, ln.area) for ln in lines if ln.area != "body"]
    assert margin == [(1, "folio", "margin"), (2, "folio", "margin"), (3, "folio", "margin")]
    # every line of text starts at the page's margin, as wide as its column
    assert all(ln.x == pytest.approx(LEFT) for ln in body)
    text = [ln for ln in rest if ln.text.split()[0] not in PAIRS.split()]
    pairs = [ln for ln in rest if ln.text.split()[0] in PAIRS.split()]
    assert all(ln.width == pytest.approx(COLUMN) for ln in text)
    assert all(ln.width == pytest.approx(48 * MM) for ln in pairs)
    assert [ln.y for ln in body if ln.page == 1] == sorted(ln.y for ln in body if ln.page == 1)
    assert all(ln.height == pytest.approx(14 * PT) for ln in rest)
    assert [ln.lang for ln in text] == ["en"] * (len(text) - 1) + ["az"]
    assert (text[-1].text, text[-1].page) == ("Son abzas", 3)
    assert {(ln.page, ln.lang) for ln in pairs} == {(3, "en")}


def test_lines_of_one_paragraph_share_its_block_across_a_page_turn(laid_out):
    lines = proof.lines_of(laid_out[0])
    on_two = next(ln for ln in _body(lines) if ln.page == 2)
    long = [ln for ln in _body(lines) if ln.block == on_two.block]
    assert {ln.page for ln in long} == {1, 2}, "the long paragraph runs over the turn"
    assert " ".join(" ".join(ln.text.split()) for ln in long) == " ".join([WORDS] * 3)
    others = {ln.block for ln in _body(lines)} - {long[0].block}
    assert len(others) == 6  # cover, heading, spaced, the long word, pairs, the last paragraph
    # its last line on each page is marked so, and only that one
    for page in (1, 2):
        on_page = [ln.last for ln in long if ln.page == page]
        assert on_page == [False] * (len(on_page) - 1) + [True], page


def test_justified_lines_and_their_word_spaces_are_the_pdf_s(laid_out):
    """A justified line's word space (the space's advance, word-spacing,
    letter-spacing after the word and the space, and the justification) is
    the gap poppler measures between its words; the last line of a
    paragraph is not justified."""
    document, pdf = laid_out
    lines = proof.lines_of(document)
    spaced = [ln for ln in _body(lines) if ln.text.startswith("Tight") or "omega" in ln.text]
    spaced = [ln for ln in _body(lines) if ln.block == spaced[0].block]
    assert len(spaced) >= 3
    assert [ln.justified for ln in spaced] == [True] * (len(spaced) - 1) + [False]
    assert spaced[-1].space_em is None
    boxes = words(pdf, 1)
    for ln in spaced[:-1]:
        *_, before, after = ln.text.split()
        left = next(w for w in boxes if w[4] == before and abs(w[1] * PT - ln.y) < ln.height)
        right = next(w for w in boxes if w[4] == after and abs(w[1] * PT - ln.y) < ln.height)
        gap_em = (right[0] - left[2]) * PT / EM
        assert ln.space_em == pytest.approx(gap_em, abs=0.01), ln.text


def test_a_justified_line_of_two_words_is_justified(laid_out):
    """One space between two words is justification too: each line of a
    narrow paragraph of long words holds two."""
    document, pdf = laid_out
    lines = [ln for ln in proof.lines_of(document) if ln.text.split()[0] in PAIRS.split()]
    assert [len(ln.text.split()) for ln in lines] == [2, 2, 2]
    assert [ln.justified for ln in lines] == [True, True, False]
    boxes = words(pdf, lines[0].page)
    for ln in lines[:-1]:
        left, right = (next(w for w in boxes if w[4] == word) for word in ln.text.split())
        assert ln.space_em == pytest.approx((right[0] - left[2]) * PT / EM, abs=0.01)


def test_an_overfull_line_runs_as_far_into_the_margin_as_the_pdf_shows(laid_out):
    document, pdf = laid_out
    lines = proof.lines_of(document)
    (word,) = [ln for ln in lines if ln.text == "x" * 45]
    (printed,) = [w for w in words(pdf, 1) if w[4] == "x" * 45]
    assert word.overflow == pytest.approx(printed[2] * PT - (LEFT + COLUMN), abs=0.5)
    assert word.overflow > 20
    assert all(ln.overflow <= 1.0 for ln in lines if ln is not word)
    report = proof.proof(document)
    assert [(f.page, f.code) for f in report.findings if f.code == "overfull-line"] == [
        (1, "overfull-line")
    ]


def test_pictures_are_found_with_their_height(laid_out):
    document, _pdf = laid_out
    lines = proof.lines_of(document)
    found = proof.images_of(document)
    assert list(found) == [2]
    ((top, bottom),) = found[2]
    assert bottom - top == pytest.approx(15 * MM)
    last_text = max(ln.y + ln.height for ln in _body(lines) if ln.page == 2)
    assert top == pytest.approx(last_text, abs=5.0)  # under the paragraph it follows
    report = proof.proof(document)
    assert report.pages == 3
    # page 2: a few lines and the picture; page 3: four lines
    assert [f.page for f in report.findings if f.code == "near-empty-page"] == [3]


def test_previews_outline_each_finding_on_its_page(tmp_path, laid_out):
    """One PNG per page with findings (none for the others, none for a page
    the PDF does not have), the page at the resolution asked for, each
    finding's box outlined just outside it: red for an error, orange for a
    warning."""
    _document, pdf = laid_out
    first = proof.Finding(1, "widow", "m", ((200.0, 100.0, 60.0, 20.0),))
    error = proof.Finding(3, "near-empty-page", "m", ((200.0, 152.0, 60.0, 20.0),))
    warning = proof.Finding(3, "widow", "m", ((200.0, 252.0, 60.0, 20.0),))
    beyond = proof.Finding(9, "widow", "m", ((0.0, 0.0, 10.0, 10.0),))
    report = proof.Report(3, 1, 0, 0, 0.0, 0, 0, (first, error, warning, beyond))
    written = proof.write_previews(pdf, report, tmp_path, dpi=120)
    assert [p.name for p in written] == ["laid-out-proof-1.png", "laid-out-proof-3.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [p.name for p in written]
    image = Image.open(written[1]).convert("RGB")
    scale = 120 / 96  # box coordinates are CSS px
    width, height = image.size  # pdfium rounds the page's size up
    assert 0 <= width - 120 * MM * scale < 1 and 0 <= height - 90 * MM * scale < 1
    for (x, y, w, h), hue in ((error.boxes[0], "red"), (warning.boxes[0], "orange")):
        top, right, bottom, left = (round(v * scale) for v in (y, x + w, y + h, x))
        middle, centre = round((y + h / 2) * scale), round((x + w / 2) * scale)
        # two pixels wide at 120 dpi: the box's edge and the pixel outside it
        edges = {
            "left": [(left - 2, middle), (left - 1, middle), (left, middle), (left + 1, middle)],
            "right": [
                (right + 2, middle),
                (right + 1, middle),
                (right, middle),
                (right - 1, middle),
            ],
            "top": [(centre, top - 2), (centre, top - 1), (centre, top), (centre, top + 1)],
            "bottom": [
                (centre, bottom + 2),
                (centre, bottom + 1),
                (centre, bottom),
                (centre, bottom - 1),
            ],
        }
        for edge, (outside, *drawn, inside) in edges.items():
            assert image.getpixel(outside) == image.getpixel(inside) == (255, 255, 255), edge
            for r, g, b in (image.getpixel(p) for p in drawn):
                red = r > 200 and b < 60 and (g < 60 if hue == "red" else 100 < g < 180)
                assert red, (hue, edge, g)


def test_a_preview_shows_its_own_page(tmp_path, laid_out):
    """The preview of page 3 is that page (its few lines of text at the
    top), not another; at 60 dpi its outlines are one pixel wide."""
    document, pdf = laid_out
    lines = proof.lines_of(document)
    box = (160.0, 240.0, 80.0, 32.0)  # under the text: x 100 to 150, y 150 to 170 at 60 dpi
    report = proof.Report(3, 1, 0, 0, 0.0, 0, 0, (proof.Finding(3, "widow", "m", (box,)),))
    (path,) = proof.write_previews(pdf, report, tmp_path, dpi=60)
    image = Image.open(path).convert("L")
    scale = 60 / 96
    # at 60 dpi the outline is one pixel wide, just outside the box
    row = [image.getpixel((x, 160)) < 255 for x in range(97, 103)]
    assert row == [False, False, True, False, False, False]
    last = next(ln for ln in lines if ln.text == "Son abzas")
    row = [
        image.getpixel((x, round((last.y + last.height / 2) * scale))) for x in range(image.width)
    ]
    assert min(row) < 128, "the line's text is printed there"
    bottom = max(ln.y + ln.height for ln in lines if ln.page == 3 and ln.area == "body")
    below = round((bottom + 10) * scale)
    assert min(image.getpixel((x, below)) for x in range(image.width)) > 200


def test_a_line_clipped_at_its_box_runs_into_no_margin():
    """A running head cut with an ellipsis at its column's width (side by
    side) is clipped there: nothing of it prints in the margin, and the
    proof reports no overfull line; the same line not clipped does run."""
    import weasyprint

    from diglot import fonts

    def line(clip: str) -> proof.Line:
        html = (
            f"<html><head><style>{fonts.font_face_css()}</style><style>@page {{ size: 80mm 40mm }}"
            " p { width: 30mm; white-space: nowrap; font: 10pt 'Noto Serif'; " + clip + " }"
            "</style></head><body><p>a long running head cut at its column</p></body></html>"
        )
        (found,) = proof.lines_of(weasyprint.HTML(string=html).render())
        return found

    assert line("overflow: hidden; text-overflow: ellipsis").overflow == 0.0
    assert line("").overflow > 10
