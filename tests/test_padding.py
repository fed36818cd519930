"""Booklets are padded with blank pages to a multiple of four (saddle
stitching folds sheets of four pages), never more."""

from __future__ import annotations

import pytest

from diglot import typography


def document(pages: int):
    import weasyprint

    body = "".join('<p style="break-after: page">x</p>' for _ in range(pages - 1)) + "<p>x</p>"
    html = f"<html><head><style>@page {{ size: A6 }}</style></head><body>{body}</body></html>"
    return weasyprint.HTML(string=html).render()


@pytest.mark.parametrize(("pages", "padded"), [(1, 4), (3, 4), (4, 4), (5, 8), (8, 8), (9, 12)])
def test_pages_are_padded_to_a_multiple_of_four(pages: int, padded: int) -> None:
    laid = document(pages)
    assert len(laid.pages) == pages
    out = typography.pad_to_four(laid, "A6", print_marks=False)
    assert len(out.pages) == padded
    assert out.pages[:pages] == laid.pages[:pages]
    assert all(p.width == laid.pages[0].width for p in out.pages)  # blanks of the same size
