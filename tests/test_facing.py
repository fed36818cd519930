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
    assert 2 <= built.passes <= facing.MAX_PASSES + 1
    # the text of both languages is complete: split paragraphs join again
    # pdftotext drops a word's own hyphen when the line breaks after it
    # ("all-" / "Union" reads "allUnion"), so hyphens are compared away
    content = text(built.path).replace("-", "")
    for lang in edition.languages:
        doc = sources.load(edition.source(lang))
        for segment in doc.segments.values():
            words = segment.blocks[-1].plain.split()
            assert norm(" ".join(words[-3:])).replace("-", "") in content, (lang, segment.id)
