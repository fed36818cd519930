"""A segment's Markdown read as blocks (diglot.blocks): lists, verse, notes,
images, nested marks, and how inline content is split between two pages."""

from __future__ import annotations

from diglot import blocks
from diglot.blocks import Code, Emphasis, Numbering, Strong, Text, split_inlines


def read(markdown: str, first_line: int = 10) -> tuple[tuple, tuple, list[blocks.Problem]]:
    """Blocks, notes and problems of one segment's lines (the first on
    ``first_line`` of the file)."""
    return blocks.read_blocks(markdown.split("\n"), first_line, Numbering())


# -- lists ----------------------------------------------------------------------------------


def test_an_ordered_list_starts_at_its_first_number():
    """A list numbered from 1, 7 or 0 starts there (the layout writes
    ``start`` for any start but 1)."""
    starts = []
    for first in ("1", "7", "0"):
        (lst,), _, _ = read(f"{first}. an item\n")
        assert isinstance(lst, blocks.ListBlock) and lst.ordered
        starts.append(lst.start)
    assert starts == [1, 7, 0]


# -- verse ----------------------------------------------------------------------------------


def test_verse_lines_a_tab_indent_and_stanza_breaks():
    """A blank line at the top of a poem is no stanza break, and two blank
    lines make one; a tab indents as four spaces; a stanza break is never
    numbered, even as the fifth line of the poem."""
    (verse,), _, problems = read("::: verse\n\none\ntwo\nthree\n\tfour\n\n\nfive\n:::")
    assert isinstance(verse, blocks.Verse) and problems == []
    shown = [(blocks.plain(v.content), v.indent, v.number, v.shown_number) for v in verse.lines]
    assert shown == [
        ("one", 0, 1, False),
        ("two", 0, 2, False),
        ("three", 0, 3, False),
        ("four", 4, 4, False),
        ("", 0, 0, False),
        ("five", 0, 5, True),
    ]


# -- notes ----------------------------------------------------------------------------------


def test_a_note_reads_as_its_text_alone():
    """The back-reference markdown-it adds to a note's text is not part of
    it: no warning, nothing printed but the note."""
    (para,), (note,), problems = read("A call[^a].\n\n[^a]: The *note*.")
    assert problems == []
    assert note.plain == "The note."
    (body,) = note.blocks
    assert body.content == (Text("The "), Emphasis((Text("note"),)), Text("."))
    assert para.plain == "A call."


def test_a_call_without_a_note_is_reported_at_its_own_line():
    """The error names the line of the call, even when the same characters
    come again further down (here in code, which calls nothing), or its
    label is a word of the lines before."""
    _, _, problems = read("A call[^n] here.\n\nNot a call: `[^n]`.", first_line=10)
    assert [(p.severity, p.line) for p in problems] == [("error", 10)]
    assert "note [^n] has no text" in problems[0].message
    _, _, problems = read("A note is called\nhere[^note].", first_line=10)
    assert [(p.severity, p.line) for p in problems] == [("error", 11)]


# -- images ---------------------------------------------------------------------------------


def test_an_image_keeps_its_title():
    (figure,), _, problems = read('![A map](images/map.png "The region in 1900")')
    assert isinstance(figure, blocks.Figure) and problems == []
    assert figure.image == blocks.Image("images/map.png", "A map", "The region in 1900")


# -- marks ----------------------------------------------------------------------------------


def nested_marks(levels: int) -> tuple[int, str]:
    """How deep the emphasis of ``levels`` nested marks (``*w _w *w ...``) is
    read, and the paragraph's printed text."""
    marks = ["*" if i % 2 == 0 else "_" for i in range(levels)]
    markdown = "".join(f"{m}w " for m in marks) + "x" + "".join(f" w{m}" for m in reversed(marks))
    (para,), _, _ = read(markdown)
    depth, nodes = 0, para.content
    while marked := [n for n in nodes if isinstance(n, Emphasis | Strong)]:
        depth, nodes = depth + 1, marked[0].children
    return depth, para.plain


def test_marks_nest_up_to_the_depth_limit_and_deeper_ones_stay_text():
    depth, printed = nested_marks(blocks.MAX_INLINE_DEPTH)
    assert depth == blocks.MAX_INLINE_DEPTH and "*" not in printed and "_" not in printed
    depth, printed = nested_marks(blocks.MAX_INLINE_DEPTH + 1)
    assert depth == blocks.MAX_INLINE_DEPTH
    assert printed.startswith("w " * blocks.MAX_INLINE_DEPTH + "*w x w*")


def test_an_image_inside_emphasis_stays_inside_it():
    (para,), _, problems = read("*An image ![A map](images/map.png) inside.*")
    assert problems == []
    image = blocks.Image("images/map.png", "A map", "")
    assert para.content == (Emphasis((Text("An image "), image, Text(" inside."))),)


def test_marked_words_keep_their_text():
    (para,), _, problems = read("plain *emphasis* and **strong** [link](https://example.org)")
    assert problems == []
    assert para.content == (
        Text("plain "),
        Emphasis((Text("emphasis"),)),
        Text(" and "),
        Strong((Text("strong"),)),
        Text(" "),
        blocks.Link("https://example.org", (Text("link"),)),
    )


def test_a_paragraph_rewrapped_is_the_same_content():
    """However its lines are wrapped (and so whichever line the paragraphs
    after it start on), a text says the same; joined verse lines do not."""
    assert blocks.same_content("One\ntwo.\n\nThree.", "One two.\n\nThree.")
    assert not blocks.same_content("One two.\n\nThree.", "One two.\n\nThree, four.")
    verse = "::: verse\none\ntwo\n:::"
    assert not blocks.same_content(verse, "::: verse\none two\n:::")


# -- splitting inline content ---------------------------------------------------------------


def test_a_split_after_nothing_keeps_everything_for_the_second_part():
    assert split_inlines((Text("ab cd"),), 0) == ((), (Text("ab cd"),))


def test_a_split_counts_the_characters_of_code_too():
    """Three characters: "ab" and the code "c"; the rest goes on."""
    head, tail = split_inlines((Text("ab "), Code("c"), Text(" d")), 3)
    assert head == (Text("ab "), Code("c"))
    assert tail == (Text("d"),)


def test_a_split_goes_on_past_a_mark_that_ends_before_it():
    """The emphasised "ab" holds two of the three characters: the third is
    the "c" after it, which goes with the first part."""
    head, tail = split_inlines((Emphasis((Text("ab"),)), Text(" c"), Text(" d")), 3)
    assert head == (Emphasis((Text("ab"),)), Text(" c"))
    assert tail == (Text("d"),)


def test_a_split_at_the_end_of_nested_marks_ends_there():
    """Two characters end inside strong emphasis of emphasis: the word after
    the marks starts the second part whole, without a hyphen."""
    nested = Strong((Emphasis((Text("ab"),)),))
    head, tail = split_inlines((nested, Text(" ef")), 2)
    assert head == (nested,)
    assert tail == (Text("ef"),)


def test_the_second_part_keeps_every_node_after_the_split():
    head, tail = split_inlines((Text("ab cd "), Emphasis((Text("ef"),)), Text(" g")), 2)
    assert head == (Text("ab"),)
    assert tail == (Text("cd "), Emphasis((Text("ef"),)), Text(" g"))


def test_a_word_cut_after_a_bracket_and_letters_gets_its_hyphen():
    """The hyphen goes after a cut word when the character before the cut is
    a letter, whatever comes before that one."""
    head, tail = split_inlines((Text("(abcd)"),), 2)
    assert head == (Text("(a\u2010"),)
    assert tail == (Text("bcd)"),)


def test_a_run_broken_by_hard_line_breaks_gives_its_lines():
    """A quoted couplet (``\\`` at a line's end) is set a line to a block:
    its lines, split at the top-level breaks; a run without any is None."""
    from diglot.blocks import Emphasis, LineBreak, Text, hard_lines, plain

    run = (Text("But it, "), Emphasis((Text("rebellious"),)), LineBreak(), Text("As if"))
    lines = hard_lines(run)
    assert lines is not None and [plain(line) for line in lines] == ["But it, rebellious", "As if"]
    assert hard_lines((Text("one line"),)) is None
    assert [plain(line) for line in hard_lines((LineBreak(), Text("x"))) or []] == ["", "x"]
