"""Facing pages: every segment starts on the same spread, level, in both languages."""

from __future__ import annotations

import pytest

from diglot import facing
from diglot import project as project_mod
from diglot.build import build

from .pdfread import destinations, norm, text

LINE = 10.0


def piece(seg: str, lines: int, kind: str = "paragraph", first: bool = True) -> facing.Piece:
    words = " ".join(f"w{i}" for i in range(lines * 3))
    return facing.Piece(
        seg,
        "xx",
        kind,
        2 if kind == "heading" else 0,
        (("", words),),
        (LINE,) * lines,
        (6,) * lines,
        first=first,
    )


def rows(*ids: str) -> list[dict]:
    return [{"id": i, "cells": [{}, {}]} for i in ids]


def test_split_runs_keeps_marks_and_adds_hyphen_for_cut_words():
    runs = (("", "alpha beta "), ("em", "gamma delta"), ("", " epsilon"))
    head, tail = facing._split_runs(runs, len("alphabeta") + 2)
    assert head == (("", "alpha beta "), ("em", "ga\u2010"))
    assert tail == (("em", "mma delta"), ("", " epsilon"))
    head, tail = facing._split_runs(runs, len("alphabeta"))
    assert head == (("", "alpha beta"),) and tail == (("em", "gamma delta"), ("", " epsilon"))


def test_segments_start_level_and_shorter_side_gets_space():
    left = {"a": [piece("a", 5)], "b": [piece("b", 2)]}
    right = {"a": [piece("a", 9)], "b": [piece("b", 3)]}
    spreads = facing.pack(rows("a", "b"), (left, right), height=200)
    assert len(spreads) == 1
    (ly, _), (lby, _) = spreads[0].sides[0].items
    (ry, _), (rby, _) = spreads[0].sides[1].items
    assert ly == ry == 0
    assert lby == rby == 9 * LINE + facing.GAP_SEGMENT


def test_long_segment_continues_on_next_spread_on_both_sides():
    left = {"a": [piece("a", 30)], "b": [piece("b", 2)]}
    right = {"a": [piece("a", 12)], "b": [piece("b", 2)]}
    spreads = facing.pack(rows("a", "b"), (left, right), height=200)
    assert len(spreads) == 2
    first_left = spreads[0].sides[0].items[0][1]
    assert len(first_left.lines) == 20 and first_left.continues and first_left.first
    cont = spreads[1].sides[0].items[0][1]
    assert len(cont.lines) == 10 and cont.continued and not cont.first
    # the next segment starts level below the longer side
    (bl, _), (br, _) = spreads[1].sides[0].items[1], spreads[1].sides[1].items[0]
    assert bl == br == 10 * LINE + facing.GAP_SEGMENT


def test_no_orphan_or_widow_at_a_split():
    left = {"a": [piece("a", 17)], "b": [piece("b", 3)]}
    right = {"a": [piece("a", 17)], "b": [piece("b", 3)]}
    spreads = facing.pack(rows("a", "b"), (left, right), height=190)
    # 17 lines + gap leaves room for 1 line of b: b must move whole
    assert [len(p.lines) for _, p in spreads[1].sides[0].items] == [3]
    left = {"a": [piece("a", 20)]}
    right = {"a": [piece("a", 2)]}
    spreads = facing.pack(rows("a"), (left, right), height=190)
    # 19 lines fit but that would leave one: split 18 + 2
    assert [len(p.lines) for _, p in spreads[0].sides[0].items] == [18]


def test_heading_not_left_alone_at_page_bottom():
    left = {"a": [piece("a", 17)], "h": [piece("h", 1, "heading")], "b": [piece("b", 5)]}
    right = {"a": [piece("a", 17)], "h": [piece("h", 1, "heading")], "b": [piece("b", 5)]}
    spreads = facing.pack(rows("a", "h", "b"), (left, right), height=200)
    assert [p.segment for _, p in spreads[1].sides[0].items][:1] == ["h"]


def fake_document(left_page: int, right_page: int, right_y: float = 100.0):
    """A laid-out document as the loop reads it: each page's anchors."""
    from types import SimpleNamespace

    pages = [SimpleNamespace(anchors={}) for _ in range(max(left_page, right_page))]
    pages[left_page - 1].anchors["xx-a"] = (0.0, 100.0)
    pages[right_page - 1].anchors["yy-a"] = (0.0, right_y)
    return SimpleNamespace(pages=pages)


def run_layout(monkeypatch, documents):
    """facing.layout with the measuring faked and ``documents`` as the
    successive packed renders; returns the result and the heights packed for."""
    heights = []
    real_pack = facing.pack

    def pack(rows_, sides, height):
        heights.append(height)
        return real_pack(rows_, sides, height)

    monkeypatch.setattr(facing, "measure", lambda document: {})
    monkeypatch.setattr(
        facing, "pieces_for", lambda rows_, side, lang, metrics: {"a": [piece("a", 3)]}
    )
    monkeypatch.setattr(facing, "pack", pack)
    queue = iter(documents)

    def render(html):
        return "measuring" if "measure" in html else next(queue)

    result = facing.layout(
        rows("a"), ("xx", "yy"), "A5", lambda extra: "measure" if extra["measure"] else "x", render
    )
    return result, heights


def test_layout_passes_count_every_render_and_stop_once_in_step(monkeypatch):
    """In step at once: two renders (measuring, then packed), packed for the
    full height. Catches a loop that stops before checking, or miscounts."""
    result, heights = run_layout(monkeypatch, [fake_document(2, 3)])
    assert result.passes == 2 and result.spreads == 1
    assert heights == [facing.content_height_px("A5")]


def test_layout_drift_repacks_with_less_room(monkeypatch):
    """Out of step (the second language a page later, then 3 px lower):
    repacked 4 px shorter each time until in step."""
    documents = [fake_document(2, 4), fake_document(2, 3, right_y=103.0), fake_document(2, 3)]
    result, heights = run_layout(monkeypatch, documents)
    assert result.passes == 4
    full = facing.content_height_px("A5")
    assert heights == [full, full - 4, full - 8]


def test_layout_gives_up_after_max_passes(monkeypatch):
    """Never in step: a located BuildError naming the segment after
    MAX_PASSES renders, not an endless loop or a PDF out of step."""
    from diglot.errors import BuildError

    documents = [fake_document(3, 4)] * (facing.MAX_PASSES + 5)
    after = facing.MAX_PASSES + 1
    with pytest.raises(BuildError, match=rf"segments a are out of step after {after} passes"):
        run_layout(monkeypatch, documents)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["genocide-az-en-facing", "biography-kk-en-facing"])
def test_real_editions_have_no_segment_out_of_step(repo_copy, name):
    project = project_mod.load(repo_copy)
    edition = project.edition(name)
    built = build(edition)
    dests = destinations(built.path)
    first, second = edition.languages
    from diglot import sources

    ids = list(sources.load(edition.source(first)).segments)
    out_of_step = [
        seg
        for seg in ids
        if not (
            dests[f"{first}-{seg}"] % 2 == 1
            and dests[f"{second}-{seg}"] == dests[f"{first}-{seg}"] + 1
        )
    ]
    assert out_of_step == []
    # the text of both languages is complete: split paragraphs join again
    # pdftotext drops a word's own hyphen when the line breaks after it
    # ("all-" / "Union" reads "allUnion"), so hyphens are compared away
    content = text(built.path).replace("-", "")
    for lang in edition.languages:
        doc = sources.load(edition.source(lang))
        for segment in doc.segments.values():
            words = segment.blocks[-1].plain.split()
            assert norm(" ".join(words[-3:])).replace("-", "") in content, (lang, segment.id)
