"""The one module that reads WeasyPrint's insides: it refuses a WeasyPrint it
was not verified on, and reads the box tree of a real layout correctly."""

from __future__ import annotations

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
    assert words.split() == "one two three four five six seven eight nine".split()
    assert all(weasy.is_text(t) for t in weasy.text_boxes(root))
    areas = weasy.footnote_areas(page)
    assert len(areas) == 1
    assert "note" in "".join(t.text for t in weasy.text_boxes(areas[0]))
    assert weasy.page_content_height(page) == pytest.approx(80 / 25.4 * 96, abs=0.01)
    without = weasyprint.HTML(string=html.replace("<span class=n>note</span>", "")).render()
    assert weasy.footnote_areas(without.pages[0]) == []
