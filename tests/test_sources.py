from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diglot import sources
from diglot.errors import DiglotError, DiglotErrors, SourceError

HEAD = """---
title: T
language: en
role: original
provenance:
  source: here
  licence: unknown
---
"""


def parse(text: str, name: str = "en.md") -> sources.Document:
    return sources.parse(text, Path(name))


def test_segments_paragraphs_and_headings():
    doc = parse(HEAD + "\n{#h1}\n## Head\n\n{#p1}\nFirst line\ncontinues.\n\nSecond para.\n")
    assert list(doc.segments) == ["h1", "p1"]
    h1, p1 = doc.segments["h1"], doc.segments["p1"]
    assert h1.is_heading and h1.blocks[0].level == 2 and h1.blocks[0].text == "Head"
    assert [b.text for b in p1.blocks] == ["First line continues.", "Second para."]
    assert p1.line == 13 and p1.blocks[0].line == 14 and p1.blocks[1].line == 17


def test_inline_marks_and_plain_text():
    assert sources.parse_inline("a *b* **c** d*") == [
        ("", "a "),
        ("em", "b"),
        ("", " "),
        ("strong", "c"),
        ("", " d*"),
    ]
    doc = parse(HEAD + "{#p}\nx *y* z\n")
    assert doc.segments["p"].plain == "x y z"


def test_crlf_and_bom_just_work():
    data = ("\ufeff" + HEAD + "{#p1}\nText.\n").replace("\n", "\r\n").encode("utf-8")
    text = sources.decode(data, Path("en.md"))
    assert list(parse(text).segments) == ["p1"]


def test_invalid_utf8_names_line():
    data = (HEAD + "{#p1}\n").encode() + b"bad \xff byte\n"
    with pytest.raises(SourceError) as err:
        sources.decode(data, Path("x/en.md"))
    assert err.value.line == 10 and "UTF-8" in err.value.message


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("no front matter\n", 1, "missing front matter"),
        ("---\ntitle: T\n", 1, "not closed"),
        ("---\ntitle: [unclosed\n---\n{#p}\nx\n", 2, "not valid YAML"),
        ("---\n- a list\n---\n{#p}\nx\n", 1, "mapping"),
        (HEAD + "loose text\n{#p}\nx\n", 9, "before the first segment id"),
        (HEAD + "{#p}\nx\n{#p}\ny\n", 11, "duplicate segment id 'p' (first used on line 9)"),
        (HEAD + "{#Bad Id}\nx\n", 9, "invalid segment id"),
        (HEAD + "{#p}\n\n{#q}\nx\n", 9, "segment 'p' is empty"),
        (HEAD, 9, "no segments"),
    ],
)
def test_errors_name_the_line(text, line, fragment):
    with pytest.raises(DiglotError) as err:
        parse(text)
    assert err.value.line == line
    assert fragment in err.value.format()


def test_front_matter_problems_are_all_reported_with_lines():
    text = "---\ntitel: T\nlanguage: xx\nrole: originl\nprovenance:\n  source: s\n---\n{#p}\nx\n"
    with pytest.raises(DiglotErrors) as err:
        parse(text, "en.md")
    lines = err.value.format().splitlines()
    assert any(":2: unknown key 'titel' (did you mean 'title'?)" in x for x in lines)
    assert any(":3: language: unknown language tag 'xx'" in x for x in lines)
    assert any(":4: role:" in x for x in lines)
    assert any("missing required key 'provenance.licence'" in x for x in lines)
    assert any("missing required key 'title'" in x for x in lines)


def test_language_must_match_file_name():
    with pytest.raises(SourceError, match=r"language is 'en' but the file is named 'az\.md'"):
        parse(HEAD + "{#p}\nx\n", "az.md")


def test_gap_declared_but_present_is_an_error():
    text = HEAD.replace("---\n{", "").replace(
        "  licence: unknown\n", "  licence: unknown\ngaps:\n  p: later\n"
    )
    with pytest.raises(SourceError, match="declared as a gap but is present"):
        parse(text + "{#p}\nx\n")


def test_raw_html_is_kept_as_text():
    doc = parse(HEAD + "{#p}\n<script>alert(1)</script>\n")
    assert doc.segments["p"].plain == "<script>alert(1)</script>"


def test_serialise_round_trip():
    doc = parse(HEAD + "{#h}\n## Head\n\n{#p}\nOne *two*.\n\nThree.\n")
    again = parse(sources.serialise(doc))
    assert again.meta == doc.meta
    assert [
        (s.id, [(b.kind, b.text, b.level) for b in s.blocks]) for s in again.segments.values()
    ] == [(s.id, [(b.kind, b.text, b.level) for b in s.blocks]) for s in doc.segments.values()]


words = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: bool(s) and not s.startswith(("#", "{#", "---", "...")) and "*" not in s)
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True), words),
        min_size=1,
        unique_by=lambda t: t[0],
    )
)
def test_property_serialise_parse_is_stable(segments):
    body = "".join(f"{{#{seg_id}}}\n{text}\n\n" for seg_id, text in segments)
    doc = parse(HEAD + body)
    once = sources.serialise(doc)
    assert sources.serialise(parse(once)) == once
    assert [s.id for s in doc.segments.values()] == [s for s, _ in segments]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_property_arbitrary_text_only_raises_diglot_errors(text):
    for candidate in (text, HEAD + text, "---\n" + text + "\n---\n{#p}\nx\n"):
        with contextlib.suppress(DiglotError):
            parse(candidate)
