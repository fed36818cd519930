from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diglot import blocks, sources
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
    assert h1.is_heading and h1.blocks[0].level == 2 and h1.blocks[0].plain == "Head"
    assert [b.plain for b in p1.blocks] == ["First line continues.", "Second para."]
    assert p1.line == 13 and p1.blocks[0].line == 14 and p1.blocks[1].line == 17
    assert p1.source == "First line\ncontinues.\n\nSecond para."


def test_inline_marks_and_plain_text():
    doc = parse(HEAD + "{#p}\nx *y* **z** `c` d*\n")
    (para,) = doc.segments["p"].blocks
    assert para.content == (
        blocks.Text("x "),
        blocks.Emphasis((blocks.Text("y"),)),
        blocks.Text(" "),
        blocks.Strong((blocks.Text("z"),)),
        blocks.Text(" "),
        blocks.Code("c"),
        blocks.Text(" d*"),
    )
    assert doc.segments["p"].plain == "x y z c d*"


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
        ("---\ntitle: T\nlanguage: en\nrole: x: y\n---\n{#p}\nx\n", 4, "not valid YAML"),
        ("---\n- a list\n---\n{#p}\nx\n", 1, "mapping"),
        (HEAD + "loose text\n{#p}\nx\n", 9, "before the first segment id"),
        (HEAD + "{#p}\nx\n{#p}\ny\n", 11, "duplicate segment id 'p' (first used on line 9)"),
        (HEAD + "{#Bad Id}\nx\n", 9, "invalid segment id"),
        (HEAD + "{#p}\n\n{#q}\nx\n", 9, "segment 'p' is empty"),
        (HEAD + "{#a}}\nx\n", 9, "malformed segment marker '{#a}}'"),
        (HEAD + "{#p}\nx\n{#q} text\n", 11, "malformed segment marker"),
        (HEAD + "{#p}\nA call[^n] here.\n", 10, "note [^n] has no text"),
        (HEAD + "{#p}\nNo call.\n\n[^n]: A note.\n", 12, "note [^n] is defined but never called"),
        (HEAD + "{#p}\nx[^a]\n{#q}\ny\n\n[^a]: in q\n", 10, "note [^a] has no text"),
        (HEAD + "{#p}\n![map](https://example.org/m.png)\n", 10, "images must be files"),
        (HEAD + "{#p}\n::: verse\nline[^a]\n[^a]: x\n:::\n", 12, "goes after the verse"),
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


def blocks_of(body: str) -> tuple[blocks.Block, ...]:
    return parse(HEAD + "{#p}\n" + body).segments["p"].blocks


def test_footnotes_are_numbered_per_text_and_kept_with_their_segment():
    doc = parse(
        HEAD
        + "{#p}\nOne[^a] and two[^b], one again[^a].\n\n[^a]: First *note*.\n[^b]: Second.\n"
        + "{#q}\nThree[^a].\n\n[^a]: Same label, new note.\n"
    )
    p, q = doc.segments["p"], doc.segments["q"]
    assert [(n.label, n.number, n.plain) for n in p.notes] == [
        ("a", 1, "First note."),
        ("b", 2, "Second."),
    ]
    assert [(n.number, n.plain) for n in q.notes] == [(3, "Same label, new note.")]
    refs = list(blocks.note_refs(p.blocks[0].content))
    assert [(r.number, r.note is not None) for r in refs] == [(1, True), (2, True), (1, False)]
    assert p.plain == "One and two, one again."  # the note's text is not in the body
    assert [n.number for n in doc.notes] == [1, 2, 3]
    assert p.notes[0].line == 12


def test_lists_nested_and_ordered():
    (lst, numbered) = blocks_of("- one\n- two\n  1. inner\n  2. more\n\n3. three\n4. four\n")
    assert isinstance(lst, blocks.ListBlock) and not lst.ordered
    assert [item.plain for item in lst.items] == ["one", "two\ninner\nmore"]
    inner = lst.items[1].blocks[1]
    assert isinstance(inner, blocks.ListBlock) and inner.ordered and inner.start == 1
    assert isinstance(numbered, blocks.ListBlock) and numbered.ordered and numbered.start == 3


def test_quote_rule_and_hard_break():
    quote, rule, para = blocks_of("> Quoted *text*\n> goes on.\n\n---\n\nA line\\\nbroken.\n")
    assert isinstance(quote, blocks.Quote) and quote.plain == "Quoted text goes on."
    assert isinstance(rule, blocks.Rule)
    assert isinstance(para, blocks.Paragraph)
    assert para.content == (blocks.Text("A line"), blocks.LineBreak(), blocks.Text("broken."))


def test_verse_keeps_lines_indents_stanzas_and_numbers_across_segments():
    doc = parse(
        HEAD
        + "{#s1}\n::: verse\nOne\n    two, indented\nthree\n\nfour\n:::\n"
        + "{#s2}\n::: verse\nfive[^n]\nsix\n:::\n\n[^n]: A note in verse.\n"
        + "{#p}\nProse ends the poem.\n{#s3}\n::: verse\nnew poem\n:::\n"
    )
    (first,) = doc.segments["s1"].blocks
    assert isinstance(first, blocks.Verse)
    assert [(blocks.plain(v.content), v.indent, v.number) for v in first.lines] == [
        ("One", 0, 1),
        ("two, indented", 4, 2),
        ("three", 0, 3),
        ("", 0, 0),
        ("four", 0, 4),
    ]
    (second,) = doc.segments["s2"].blocks
    assert isinstance(second, blocks.Verse)
    assert [v.number for v in second.lines] == [5, 6]
    assert [v.shown_number for v in second.lines] == [True, False]
    assert doc.segments["s2"].notes[0].plain == "A note in verse."
    (third,) = doc.segments["s3"].blocks
    assert isinstance(third, blocks.Verse) and third.lines[0].number == 1


def test_links_images_and_their_checks():
    link_para, figure = blocks_of(
        "See [the site](https://example.org/a) or <https://example.org>.\n\n"
        "![A map of the region](images/map.png)\n"
    )
    assert isinstance(link_para, blocks.Paragraph)
    links = [n for n in link_para.content if isinstance(n, blocks.Link)]
    assert [(x.href, blocks.plain(x.children)) for x in links] == [
        ("https://example.org/a", "the site"),
        ("https://example.org", "https://example.org"),
    ]
    assert isinstance(figure, blocks.Figure)
    assert figure.image == blocks.Image("images/map.png", "A map of the region")


@pytest.mark.parametrize(
    ("body", "line", "fragment", "printed"),
    [
        ("| a | b |\n|---|---|\n| 1 | 2 |\n", 10, "tables are not supported", "a · b\n1 · 2"),
        ("    indented code\n", 10, "code blocks are not supported", "indented code"),
        ("<div>\nx\n</div>\n", 10, "raw HTML is not interpreted", "<div> x </div>"),
        ("[local](other.md) text\n", 10, "printed as text only", "local text"),
        ("[bad](javascript:alert(1))\n", 10, "printed as text only", "bad"),
        ("::: aside\nInside.\n:::\n", 10, "unknown block '::: aside'", "Inside."),
        ("![](images/a.png)\n", 10, "has no description", ""),
    ],
)
def test_unsupported_constructs_are_warnings_and_print_no_markup(body, line, fragment, printed):
    doc = parse(HEAD + "{#p}\n" + body)
    assert [(w.line, fragment in w.message) for w in doc.warnings] == [(line, True)]
    assert doc.warnings[0].format().startswith(f"en.md:{line}: ")
    assert doc.segments["p"].plain == printed


def test_split_inlines_keeps_marks_and_adds_hyphen_for_cut_words():
    content = (
        blocks.Text("alpha beta "),
        blocks.Emphasis((blocks.Text("gamma delta"),)),
        blocks.Text(" epsilon"),
    )
    head, tail = blocks.split_inlines(content, len("alphabeta") + 2)
    assert head == (blocks.Text("alpha beta "), blocks.Emphasis((blocks.Text("ga\u2010"),)))
    assert tail == (blocks.Emphasis((blocks.Text("mma delta"),)), blocks.Text(" epsilon"))
    head, tail = blocks.split_inlines(content, len("alphabeta"))
    assert head == (blocks.Text("alpha beta"),)
    assert tail == (blocks.Emphasis((blocks.Text("gamma delta"),)), blocks.Text(" epsilon"))


def test_split_keeps_a_note_call_with_the_word_before_it():
    call = blocks.NoteRef(1, None)
    head, tail = blocks.split_inlines((blocks.Text("one two"), call, blocks.Text(" three")), 6)
    assert head == (blocks.Text("one two"), call) and tail == (blocks.Text("three"),)


def test_same_content_ignores_wrapping_only():
    assert blocks.same_content("a b\nc", "a\nb c")
    assert not blocks.same_content("*a*", "**a**")
    assert not blocks.same_content("::: verse\na\nb\n:::", "::: verse\na b\n:::")


def test_serialise_round_trip():
    doc = parse(HEAD + "{#h}\n## Head\n\n{#p}\nOne *two*[^1].\n\n[^1]: Note.\n\n- Three.\n")
    again = parse(sources.serialise(doc))
    assert again.meta == doc.meta
    assert [(s.id, s.source) for s in again.segments.values()] == [
        (s.id, s.source) for s in doc.segments.values()
    ]
    assert [len(s.blocks) for s in again.segments.values()] == [1, 2]


def test_adversarial_input_is_parsed_in_linear_time():
    """100 KB of the characters Markdown rules look back and forward for
    must not take quadratic time (a hand-written regex parser did)."""
    import random
    import time

    rng = random.Random(4)

    def text(size: int) -> str:
        out: list[str] = []
        while sum(len(x) + 1 for x in out) < size:
            out.append(
                "".join(rng.choice(" *#{[]^_0123456789>-`!") for _ in range(rng.randint(0, 120)))
            )
        return "\n".join(out)

    timings = []
    for size in (25_000, 100_000):
        body = text(size)
        started = time.perf_counter()
        with contextlib.suppress(DiglotError):
            parse(HEAD + "{#p}\n" + body)
        timings.append(time.perf_counter() - started)
    small, large = timings
    assert large < 60, f"100 KB took {large:.1f} s"
    assert large < 8 * small + 2, f"25 KB: {small:.2f} s, 100 KB: {large:.2f} s: not linear"


# -- properties ----------------------------------------------------------------------

WORD = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=("Cs", "Cc", "Zl", "Zp", "Zs"),
        exclude_characters="\\`*_[]()<>!#&{}|~=+-.:^\"'",
    ),
    min_size=1,
    max_size=8,
)
PARAGRAPH = st.lists(WORD, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(PARAGRAPH, min_size=1, max_size=4), min_size=1, max_size=5))
def test_property_every_paragraph_is_kept_whole(segments):
    body = "".join(f"{{#s{i}}}\n" + "\n\n".join(paras) + "\n\n" for i, paras in enumerate(segments))
    doc = parse(HEAD + body)
    assert [[b.plain for b in s.blocks] for s in doc.segments.values()] == segments
    assert sources.serialise(parse(sources.serialise(doc))) == sources.serialise(doc)


# Lines an editor may write: prose with marks, headings, lists, quotes, notes,
# verse, links, escapes, HTML, stray markup characters.
MARKUP_LINE = st.one_of(
    PARAGRAPH,
    PARAGRAPH.map(lambda t: f"*{t}* and **{t}**"),
    PARAGRAPH.map(lambda t: f"## {t}"),
    PARAGRAPH.map(lambda t: f"- {t}"),
    PARAGRAPH.map(lambda t: f"1. {t}"),
    PARAGRAPH.map(lambda t: f"> {t}"),
    PARAGRAPH.map(lambda t: f"{t} [link](https://example.org/{len(t)})"),
    PARAGRAPH.map(lambda t: f"<b>{t}</b> & \\*{t}\\*"),
    st.sampled_from(["", "", "---", "::: verse", ":::", "  indented", "*", "**", "#", "[", "]"]),
    st.text(alphabet=" *#{}[]^_0123456789>-`!:\\<&", max_size=30).filter(
        lambda t: not t.lstrip().startswith("{#")
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(MARKUP_LINE, max_size=25))
def test_property_markdown_never_crashes_the_parser(lines):
    text = HEAD + "{#p}\n" + "\n".join(lines) + "\n"
    try:
        doc = parse(text)
    except DiglotError as exc:
        assert exc.line is not None or isinstance(exc, DiglotErrors)
        return
    total = text.count("\n") + 1
    assert all(9 < w.line <= total for w in doc.warnings)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_property_arbitrary_text_only_raises_diglot_errors(text):
    for candidate in (text, HEAD + text, "---\n" + text + "\n---\n{#p}\nx\n"):
        with contextlib.suppress(DiglotError):
            parse(candidate)


def test_thousands_of_nested_marks_stay_text_below_a_depth():
    (para,) = blocks_of("*" * 10000 + "deep" + "*" * 10000 + "\n")
    depth, nodes = 0, para.content
    while nodes and isinstance(nodes[0], blocks.Emphasis | blocks.Strong):
        depth, nodes = depth + 1, nodes[0].children
    assert 0 < depth <= blocks.MAX_INLINE_DEPTH + 1
    assert para.plain.count("*") > 19000 and "deep" in para.plain


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("# One", (1, "One")),
        ("###### Six", (6, "Six")),
        ("####### Seven", None),  # CommonMark stops at six
        ("#Tight", None),
        ("## Closed ##", (2, "Closed")),
        ("## C#", (2, "C#")),
        ("#", None),
        ("plain", None),
    ],
)
def test_atx_headings_as_commonmark_reads_them(line, heading):
    assert blocks.atx_heading(line) == heading


def test_an_empty_front_matter_is_closed_by_the_second_line():
    """A second line "---" closes the front matter at once: it is then
    empty, which is not a mapping (not "not closed")."""
    with pytest.raises(SourceError) as err:
        parse("---\n---\n{#p}\nx\n")
    assert err.value.line == 1 and "must be a YAML mapping" in err.value.message


def test_an_unclosed_quote_is_reported_where_it_opens():
    """The end of the front matter is where YAML notices an unclosed quote;
    the line to fix is the one where the quote opens."""
    text = OPEN_HEAD + 'subtitle: "unclosed\ngaps: {}\n---\n{#p}\nx\n'
    with pytest.raises(SourceError) as err:
        parse(text)
    assert err.value.line == 8
    assert "starts on line 8" in err.value.message


OPEN_HEAD = HEAD.removesuffix("---\n")  # seven lines; the next key is on line 8


def test_an_unclosed_bracket_is_reported_where_it_opens():
    with pytest.raises(SourceError) as err:
        parse(OPEN_HEAD + "subtitle: [a,\n  b\n---\n{#p}\nx\n")
    assert err.value.line == 8
    assert "'<stream end>'" in err.value.message and "starts on line 8" in err.value.message


def nested(depth: int) -> str:
    """A front matter whose ``gaps`` (line 9) holds ``depth`` mappings, one
    inside the other, the deepest on line 9 + ``depth``; a mapping opened
    and closed comes before (line 8)."""
    keys = "".join("  " * (i + 1) + f"k{i}:\n" for i in range(depth - 1))
    return OPEN_HEAD + "check: {}\ngaps:\n" + keys + "  " * depth + "v: 1\n---\n{#p}\nx\n"


def test_front_matter_may_nest_up_to_the_limit_and_no_deeper():
    """Nesting to MAX_YAML_DEPTH levels (the front matter's own mapping
    counted) is read as YAML; one level more is refused at its line."""
    depth = sources.MAX_YAML_DEPTH - 1  # under the front matter's own mapping
    with pytest.raises(DiglotError) as within:
        parse(nested(depth))
    assert "nested" not in within.value.format()  # refused by the model, not the depth
    with pytest.raises(SourceError) as beyond:
        parse(nested(depth + 1))
    assert f"nested more than {sources.MAX_YAML_DEPTH} levels deep" in beyond.value.message
    assert beyond.value.line == 9 + depth + 1


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("[" * 10_000, 0),  # more than libyaml's scanner takes at all
        ("a:\n" + "[" * 60, 1),
        ("\n\n" + "- " * 60 + "x\n", 2),
        ("x: [1, 2]\ny: {a: b}\n", None),
        ("k: '" + "[" * 60 + "'\n", None),  # brackets in a string
        ("a: b: c\n", None),  # not YAML: the parser says where
    ],
)
def test_the_line_where_yaml_goes_too_deep(text, line):
    assert sources.yaml_too_deep(text) == line


def test_an_unknown_nested_key_is_matched_against_its_own_mapping():
    """A misspelt key inside ``provenance`` is compared with provenance's keys."""
    text = HEAD.replace("  licence: unknown\n", "  licence: unknown\n  sorce: x\n")
    with pytest.raises(DiglotErrors) as err:
        parse(text + "{#p}\nx\n")
    assert [e.message for e in err.value.errors] == [
        "unknown key 'provenance.sorce' (did you mean 'source'?)"
    ]


def test_an_invalid_item_is_reported_not_the_list_it_empties():
    """An ignore entry whose only code is not a string: the item is named, not
    also "at least 1 item" (a consequence of the item's own error)."""
    text = OPEN_HEAD + "check:\n  ignore:\n    p:\n      codes: [[1]]\n"
    with pytest.raises(DiglotError) as err:
        parse(text + "      reason: r\n---\n{#p}\nx\n")
    lines = err.value.format().splitlines()
    assert lines == ["en.md:11: check.ignore.p.codes.0: Input should be a valid string"]


def test_a_long_malformed_marker_is_quoted_to_forty_characters():
    marker = "{#" + "a" * 60
    with pytest.raises(DiglotError) as err:
        parse(HEAD + marker + "\nx\n")
    assert f"malformed segment marker {marker[:40]!r}:" in err.value.format()


def test_a_missing_key_with_no_line_of_its_own_is_reported_at_the_first_line():
    text = HEAD.replace("title: T\n", "") + "{#p}\nx\n"
    with pytest.raises(DiglotError) as err:
        parse(text)
    assert err.value.format().splitlines() == ["en.md:1: missing required key 'title'"]


def test_a_segment_with_only_a_note_has_no_text_at_its_id_line():
    with pytest.raises(DiglotErrors) as err:
        parse(HEAD + "{#p}\n\n[^a]: a note\n")
    assert [(e.line, e.message) for e in err.value.errors] == [
        (9, "segment 'p' has no text"),
        (11, "note [^a] is defined but never called in this segment"),
    ]


def test_a_front_matter_of_aliases_of_aliases_is_read_at_once():
    """Forty lines, each an alias of the one before twice: the lines of its
    keys are found by walking each node once (walked path by path, the
    build had never ended), and the unknown keys are told at their lines."""
    twice = [f"x{i}: &a{i} {{p: *a{i - 1}, q: *a{i - 1}}}" for i in range(1, 40)]
    lines = ["x0: &a0 {k: 1, j: 2}", *twice]
    with pytest.raises(DiglotErrors) as caught:
        parse(HEAD.replace("---\n", "---\n" + "\n".join(lines) + "\n", 1) + "{#p}\nx\n")
    found = [(e.line, e.message) for e in caught.value.errors]
    assert found[0][0] == 2 and found[0][1].startswith("unknown key 'x0' (known keys: check,")
    assert len(found) == 40 and found[-1][0] == 41


RECORD_HEAD = HEAD.replace("  licence: unknown\n", "  licence: unknown\n  changes:\n{lines}")


def record(lines: str, language: str = "kk") -> sources.Document:
    text = RECORD_HEAD.replace("{lines}", lines).replace("language: en", f"language: {language}")
    return parse(text + "{#p1}\nx\n\n{#p2}\ny\n", f"{language}.md")


def test_a_line_of_the_record_is_english_or_given_in_several_languages():
    doc = record('    - "p1: English only"\n    - en: "p2: in English"\n      kk: "p2: қазақша"\n')
    assert doc.meta.provenance.changes == (
        {"en": "p1: English only"},
        {"en": "p2: in English", "kk": "p2: қазақша"},
    )


@pytest.mark.parametrize(
    ("lines", "line", "words"),
    [
        ('    - "p1: one"\n    - 7\n', 10, "a line of the record is a text, or language tags"),
        ('    - "p1: one"\n    - {}\n', 10, "a line of the record is a text, or language tags"),
        ('    - en: "p1: one"\n      xx-zz: "p1: ?"\n', 9, "unknown language tag 'xx-zz'"),
        ('    - en: "p1: one"\n      kk: " "\n', 9, "the line in 'kk' must be a text"),
        (
            '    - en: "p1: one"\n      kk: "p2: екі"\n',
            9,
            "different places in its languages ('p1', 'p2')",
        ),
    ],
)
def test_a_broken_line_of_the_record_is_told_at_its_line(lines, line, words):
    with pytest.raises(DiglotErrors) as caught:
        record(lines)
    (error,) = caught.value.errors
    assert error.line == line and words in error.message
    assert error.message.startswith("provenance.changes.")


def test_the_record_is_printed_in_the_texts_language_once_every_line_has_it():
    both = '    - en: "p1: one"\n      kk: "p1: бір"\n'
    assert record(both + both.replace("p1", "p2")).record_language == "kk"
    assert not record(both).warnings
    partly = record(both + '    - "p2: English only"\n')
    assert partly.record_language == "en"
    (warning,) = partly.warnings
    assert warning.line == 11 and "has no 'kk' text" in warning.message
    english = record('    - "p1: one"\n')
    assert english.record_language == "en" and not english.warnings


def test_a_line_of_the_record_in_neither_the_texts_language_nor_english_is_refused():
    with pytest.raises(SourceError) as caught:
        record('    - en: "p1: one"\n      kk: "p1: бір"\n    - ru: "p2: два"\n')
    assert caught.value.line == 11
    assert "changes.1: the line is given in neither 'kk' nor English" in caught.value.message


def test_an_english_texts_record_line_not_in_english_is_refused_as_such():
    with pytest.raises(SourceError) as caught:
        record('    - kk: "p1: бір"\n', language="en")
    assert caught.value.message.endswith(
        "changes.0: the line has no English text ('en'): the record is printed in English"
    )
