"""Pairing texts by segment id: order, gaps and completeness."""

from __future__ import annotations

from pathlib import Path

from diglot.align import align
from diglot.sources import parse


def text(language: str, role: str, segments: str, gaps: str = "") -> str:
    original = "original: az\n" if role == "translation" else ""
    return (
        f"---\ntitle: T\nlanguage: {language}\nrole: {role}\n{original}"
        f"provenance:\n  source: test\n  licence: CC0-1.0\n{gaps}---\n\n{segments}"
    )


def doc(language: str, role: str, ids: list[str], gaps: str = "", heading: str = ""):
    body = "".join(f"{{#{i}}}\n{'## ' if i == heading else ''}Text {i}.\n\n" for i in ids)
    return parse(text(language, role, body, gaps), Path(f"{language}.md"))


def test_rows_follow_the_original_and_translation_only_ids_their_predecessor():
    en = doc("en", "translation", ["new0", "a", "x", "b", "y"])
    az = doc("az", "original", ["a", "b", "c"])
    alignment = align([en, az])
    assert alignment.reference_index == 1  # the original, though listed second
    assert [r.id for r in alignment.rows] == ["new0", "a", "x", "b", "y", "c"]
    assert alignment.missing(1) == ["new0", "x", "y"]
    assert alignment.missing(0) == ["c"]
    assert alignment.completeness(0) == 2 / 3
    assert alignment.completeness(1) == 1.0


def test_declared_gaps_are_not_undeclared():
    en = doc("en", "translation", ["a"], gaps="gaps:\n  b: not translated yet\n")
    az = doc("az", "original", ["a", "b", "c"])
    alignment = align([az, en])
    assert alignment.missing(1) == ["b", "c"]
    assert alignment.undeclared_missing(1) == ["c"]


def test_completeness_of_a_one_segment_text():
    az = doc("az", "original", ["a"])
    assert align([az, doc("en", "translation", ["a"])]).completeness(1) == 1.0
    assert align([az, doc("en", "translation", ["b"])]).completeness(1) == 0.0


def test_without_an_original_the_first_text_leads():
    one = doc("en", "translation", ["a", "b"])
    two = doc("ru", "translation", ["b", "c"])
    alignment = align([one, two])
    assert alignment.reference_index == 0
    assert [r.id for r in alignment.rows] == ["a", "b", "c"]
    assert align([]).rows == () and align([]).documents == ()


def test_heading_rows_and_their_level():
    az = doc("az", "original", ["h", "p"], heading="h")
    en = doc("en", "translation", ["p"])
    rows = align([az, en]).rows
    assert [(r.is_heading, r.level) for r in rows] == [(True, 2), (False, 0)]
