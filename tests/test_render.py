"""The HTML a layout is given (no PDF): read back from the rendered HTML."""

from __future__ import annotations

import re
from html import unescape

import pytest

from diglot import project, sources
from diglot.build import edition_html


def record_html(mini, *changes: str) -> str:
    """The record of changes' section in the HTML of demo-az-en, the English
    text's front matter recording ``changes``."""
    en = mini / "sources/demo/en.md"
    listed = "".join(f'    - "{change}"\n' for change in changes)
    text = en.read_text(encoding="utf-8")
    en.write_text(
        text.replace("  licence: CC0-1.0\n", f"  licence: CC0-1.0\n  changes:\n{listed}", 1),
        encoding="utf-8",
    )
    html = edition_html(project.load(mini).edition("demo-az-en"))
    return html[html.index('<section class="notes"') :]


def record_items(mini, *changes: str) -> list[str]:
    """The record's lines (:func:`record_html`); each line's last word is
    kept with the one before by a no-break space
    (:func:`test_a_records_line_keeps_its_last_word_with_the_one_before`)."""
    return re.findall(r"<li(?: class=\"stacked\")?>(.*?)</li>", record_html(mini, *changes))


def test_a_records_line_keeps_its_last_word_with_the_one_before(mini):
    """A line of the record is set ragged, as the key dates are: its last
    word goes with the one before it («ел азаматтарының» / емес stood
    alone on a line of the Letter handout's record), and no other."""
    notes = record_html(mini, "p1: dates made American", "Spelling follows the house style")
    assert "dates made\u00a0American</li>" in notes
    assert "Spelling follows the house\u00a0style</li>" in notes


def test_record_of_changes_cites_the_segments_it_names(mini):
    """Each change a translation's front matter records is printed; one that
    names segments ("p1, p2: ...") gets a page reference to each of them."""
    items = record_items(mini, "p1, p2: dates made American", "Spelling follows the house style")
    assert len(items) == 2
    assert re.findall(r'href="#([^"]+)"', items[0]) == ["en-p1", "en-p2"]
    assert "dates made\xa0American" in items[0]
    assert "href" not in items[1] and "Spelling follows the house\xa0style" in items[1]


def test_segment_ids_inside_a_change_are_cited_by_their_pages(mini):
    """ "p2 says so" inside a line of the record cites p2's page ("p. 3"), as
    the line's opening ids are cited; an id no segment has ("p99"), or a
    word that only looks like one ("mp3", "p2-like"), is kept as written."""
    (item,) = record_items(mini, "p1: as p2 says (not p99, mp3, p2-like) -> fixed")
    assert re.findall(r'href="#([^"]+)"', item) == ["en-p1", "en-p2"]
    text = unescape(re.sub(r"<[^>]+>", "", item))
    # (the hyphen after a number is a no-break one, as in the texts: "1993‑cü")
    assert "as p.\xa0 says (not p99, mp3, p2\u2011like) \u2192\xa0fixed" in text, text


def test_the_record_ties_its_dates_and_numbers_as_the_texts_do(mini):
    """The record's lines are English and set ragged: a date is one unit
    ("December 18, 1997" never breaks, a short line costs nothing there),
    and "№" stays with its number."""
    (item,) = record_items(mini, "p1: the Fərman of December 18, 1997, and resolution № 853")
    text = unescape(re.sub(r"<[^>]+>", "", item))
    assert "December\xa018,\xa01997," in text and "№\xa0853" in text, text


def test_a_title_between_asterisks_in_the_record_is_printed_in_italics(mini):
    """A newspaper's name in a line of the record is italic, as in the texts
    (a reader found *Pravda* roman in the record); an asterisk that marks
    no title, and markup an editor typed, are printed as written."""
    (item,) = record_items(mini, "p1: printed in *Pravda* (No. 35), 2*3*4 is <b>no</b> title")
    assert "printed in <em>Pravda</em> (No." in item
    assert "2*3*4" in item and "&lt;b&gt;no&lt;/b&gt;" in item and "<b>" not in item


def test_no_record_of_changes_without_changes(mini):
    html = edition_html(project.load(mini).edition("demo-az-en"))
    assert '<section class="notes"' not in html


def test_contents_lists_headings_of_levels_one_and_two(mini):
    """The contents page lists the headings of level 1 and 2 (by their
    anchors); a level-3 heading, a paragraph and the key dates' own entry
    aside."""
    for lang, words in (("az", ("Bölmə", "Təfərrüat")), ("en", ("Part", "Detail"))):
        path = mini / f"sources/demo/{lang}.md"
        path.write_text(
            path.read_text(encoding="utf-8")
            + f"\n{{#part}}\n# {words[0]}\n\n{{#detail}}\n### {words[1]}\n",
            encoding="utf-8",
        )
    html = edition_html(project.load(mini).edition("demo-az-en"))
    contents = html[html.index('<nav class="contents"') : html.index("</nav>")]
    anchors = re.findall(r'<a class="page-ref" href="#([^"]+)"', contents)
    assert anchors == ["az-intro", "az-part", "chronology"]


@pytest.mark.parametrize(
    ("expression", "allowed"),
    [
        ('"ab" * 500000', True),  # exactly the limit of 1,000,000 items
        ('"ab" * 500001', False),
        ("500000 * [1, 2]", True),
        ("500001 * [1, 2]", False),
        ("2 ** 1000", True),
        ("2 ** 1001", False),
        ("2 ** -1001", False),
    ],
)
def test_a_layout_may_repeat_and_raise_up_to_the_limits(mini, expression, allowed):
    from jinja2.exceptions import SecurityError

    from diglot.render import environment

    template = environment(mini).from_string(f"{{% set x = {expression} %}}ok")
    if allowed:
        template.render()
    else:
        with pytest.raises(SecurityError):
            template.render()


def test_the_running_heads_take_the_running_title_where_a_text_has_one(mini):
    """A long title ends in "…" in a running head; a text's own
    ``running_title`` is printed there instead, and only there."""
    en = mini / "sources/demo/en.md"
    text = en.read_text(encoding="utf-8")
    title = re.search(r'^title: "?([^"\n]+)"?$', text, re.M)[1]
    html = edition_html(project.load(mini).edition("demo-en"))
    assert f'data-head-a="{title}"' in html
    en.write_text(text.replace("\ntitle:", '\nrunning_title: "Short"\ntitle:', 1), encoding="utf-8")
    html = edition_html(project.load(mini).edition("demo-en"))
    assert (
        'data-head-a="Short"' in html and '<h1 data-grow="">A small\u00a0sample</h1>' in html
    )  # its last word tied


def test_a_running_title_too_long_for_a_head_is_refused_at_its_line(mini):
    from diglot.errors import DiglotError
    from diglot.sources import load

    en = mini / "sources/demo/en.md"
    text = en.read_text(encoding="utf-8")
    long = "x" * 61
    text = text.replace("\ntitle:", f'\nrunning_title: "{long}"\ntitle:', 1)
    en.write_text(text, encoding="utf-8")
    with pytest.raises(DiglotError) as raised:
        load(en)
    assert "running_title" in str(raised.value) and "60" in str(raised.value)
    assert getattr(raised.value, "errors", [raised.value])[0].line == 2


def test_a_change_names_its_place_before_its_text_in_the_record_s_words(mini):
    """The segments a line opens with are cited in its "where" (in English,
    as the line is, whatever the edition's first language: "p.", not
    "səh."), "all:" and "title:" print the label of that place, and file
    names are put as a reader knows them; a line opening with an id no
    segment has is printed as written."""
    items = record_items(
        mini,
        "p1, p2: dates made American",
        "all: see kk.md and NOTES.md, not zz.md",
        "Title: shortened",
        "p1, p9: no such p9",
    )
    # in the text's order: the whole text, its title, then by segment; a
    # line naming no place stays after the line before it
    assert items == [
        # (a place of two words stands in its column on two lines)
        '<span class="where">whole text</span> <span class="what">see the Kazakh text '
        "and the editors’ notes, not\xa0zz.md</span>",
        '<span class="where">title</span> shortened',
        'p.&#160;<a class="page-ref" href="#en-p1"></a>, p9: no such\xa0p9',
        '<span class="where" data-pages="pp.">p.&#160;<a class="page-ref" href="#en-p1"></a>, '
        '<a class="page-ref" href="#en-p2"></a></span> dates made\xa0American',
    ]


def test_the_record_follows_the_text_and_a_range_names_every_segment_in_it(mini):
    """The record's lines are printed in the order of the pages they cite,
    whatever order the editor wrote them in; "intro–p2" cites every segment
    from intro to p2 (diglot.record then joins their pages into a range),
    and a range written backwards, or to a segment the text lacks, is
    printed as written."""
    items = record_items(mini, "p2: second", "intro–p2: all of it", "p1: first", "p2–p1: reversed")
    refs = [re.findall(r'href="#en-([^"]+)"', item) for item in items]
    assert refs == [["intro", "p1", "p2"], ["p1"], ["p2", "p1"], ["p2"]]
    assert items[2].startswith("p.&#160;<a") and items[2].endswith(":\xa0reversed")  # no "where"


def test_a_link_prints_its_address_only_when_its_text_is_not_the_address():
    from diglot.blocks import Link, Text
    from diglot.render import InlineHtml

    inline = InlineHtml("en", "footnotes", {})
    same = Link("https://example.org/a%20b", (Text("https://example.org/a b"),))
    other = Link("https://example.org/", (Text("the site"),))
    mail = Link("mailto:me@example.org", (Text("me@example.org"),))
    assert str(inline((same,))).startswith('<a class="web" href="https://example.org/a%20b"')
    assert str(inline((other,))).startswith('<a class="web with-url" href="https://example.org/"')
    assert str(inline((mail,))).startswith('<a class="web" href="mailto:me@example.org"')
    # printed without its scheme or closing slash, as a book prints it
    assert 'data-url="example.org"' in str(inline((other,)))
    bare = Link("https://example.org/a", (Text("example.org/a"),))
    assert str(inline((bare,))).startswith('<a class="web" href="https://example.org/a"')


def test_sections_open_at_headings_of_levels_one_and_two_only():
    from diglot.render import _sections
    from diglot.rows import Row

    def row(ident: str, heading: bool = False, level: int = 0) -> Row:
        return Row(ident, heading, level, (None, None), ident)

    rows = [row("a"), row("h1", True, 1), row("b"), row("h3", True, 3), row("h2", True, 2)]
    rows.append(row("c"))
    assert [[r.id for r in s] for s in _sections(rows)] == [["a"], ["h1", "b", "h3"], ["h2", "c"]]


def test_a_refused_resource_is_located_in_the_project_not_in_its_output(tmp_path):
    """The picture that names a refused address is found in the sources,
    not in a copy of it under output/."""
    from diglot.render import locate

    for folder in ("output", "sources/demo"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "map.svg").write_text(
            '<svg>\n<image href="https://example.org/tile.png"/>\n</svg>\n', encoding="utf-8"
        )
    found = locate(tmp_path, "https://example.org/tile.png", "booklet")
    assert found == (tmp_path / "sources/demo/map.svg", 2)


def test_a_call_of_a_note_that_is_not_there_is_a_bare_number():
    from diglot.blocks import NoteRef
    from diglot.render import InlineHtml

    call = InlineHtml("en", "footnotes", {})((NoteRef(3, None),))
    assert str(call) == '<sup class="note-call" data-n="3"></sup>'


def test_the_colophon_names_an_original_only_beside_its_translation(mini):
    """ "English, translation" beside the Azerbaijani original, and alone; a
    monolingual edition of an original names its language alone
    (biography-kk's colophon called its machine-translated text
    "түпнұсқа", original), but a translation says it is one (genocide-en's
    "English" alone under the title read to a typographer as a word left
    over)."""

    def roles(name: str) -> list[str]:
        html = edition_html(project.load(mini).edition(name))
        return [unescape(r) for r in re.findall(r'<p class="role">(.*?)</p>', html)]

    assert roles("demo-az-en") == ["Azərbaycan dili, orijinal", "English, translation"]
    assert roles("demo-en") == ["English, translation"]


def test_every_segment_has_an_end_mark_and_no_id_is_given_twice(mini):
    """Each segment carries an empty mark after its last words, for the
    record of changes to cite the pages it runs over; a segment whose id
    looks like another's end ("p1-end") does not take its mark's id."""
    for lang in ("az", "en"):
        path = mini / f"sources/demo/{lang}.md"
        path.write_text(path.read_text(encoding="utf-8").replace("{#p2}", "{#p1-end}"), "utf-8")
    html = edition_html(project.load(mini).edition("demo-az-en"))
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for lang in ("az", "en"):
        for segment in ("intro", "p1", "p1-end"):
            assert f'id="{lang}-{segment}"' in html
            assert f'<span class="end" id="{lang}-{segment}.end"></span>' in html


@pytest.mark.parametrize(
    ("table", "lines"),
    [
        # a name in each language: a line each, the words before the name
        (
            '{ en = "the editors", az = "redaktorlar" }',
            ["Redaktorlar: redaktorlar", "Edited by the editors"],
        ),
        # the same name in both: the words of both languages over it, once
        ('"diglot"', ["Redaktorlar · Edited by", "diglot"]),
    ],
)
def test_the_cover_names_the_editors_one_language_a_line(mini, table, lines):
    """A typographer read "Redaktorlar · Edited by / diglot redaktorları ·
    diglot editors" as a diagonal: each language's words stood over the
    other's name. Names by language make a line per language."""
    config = mini / "diglot.toml"
    config.write_text(f"author = {table}\n\n" + config.read_text(encoding="utf-8"))

    def cover(name: str) -> list[str]:
        html = edition_html(project.load(mini).edition(name))
        found = re.search(r'<p class="cover-authors">(.*?)</p>', html, re.S)
        assert found is not None
        return [re.sub(r"<[^>]+>", "", part).strip() for part in found[1].split("<br>")]

    assert cover("demo-az-en") == lines
    # one language: its words and its name on one line, as in two
    assert cover("demo-en") == [f"Edited by {lines[-1].removeprefix('Edited by ')}"]


def test_a_language_name_label_is_wording_not_a_format_string_nor_markup(mini):
    """A project's labels.yaml is untrusted: its language_name only has
    "{name}" replaced, never formatted ("{name.__class__}", "{0}" stay as
    written), and what it prints is escaped."""
    (mini / "layouts").mkdir(exist_ok=True)
    (mini / "layouts/labels.yaml").write_text(
        'language_name:\n  en: "<b>{name}</b> {name.__class__} {0}"\n', encoding="utf-8"
    )
    html = edition_html(project.load(mini).edition("demo-en"))
    roles = re.findall(r'<p class="role">(.*?)</p>', html)
    assert roles == ["&lt;b&gt;English&lt;/b&gt; {name.__class__} {0}, translation"]


def test_the_key_dates_are_also_rows_a_facing_layout_packs(mini):
    """A layout is given the key dates as rows too (``date_rows``, which a
    facing edition packs as it packs the text, original left): a heading
    row in each language's words, then a row per date, each cell the date
    as its language writes it and the event. Their ids keep apart from the
    text's segment ids, even a segment named as the key dates are."""
    from diglot import build as build_mod
    from diglot import render

    for name in ("az.md", "en.md"):
        path = mini / "sources/demo" / name
        path.write_text(path.read_text(encoding="utf-8").replace("{#p2}", "{#chronology}"))
    edition = project.load(mini).edition("demo-az-en")
    alignment, chronology = build_mod.load_texts(edition)
    values = render.context(mini, build_mod.page_for(edition), alignment, chronology)
    heading, *dates = values["date_rows"]
    assert heading.heading and heading.level == 2
    assert [c.blocks[0].plain for c in heading.cells] == ["Əsas tarixlər", "Key dates"]
    assert [[(c.lang, c.blocks[0].kind) for c in row.cells] for row in dates] == [
        [("az", "date"), ("en", "date")]
    ] * 3
    last = [c.blocks[0] for c in dates[-1].cells]  # in the order of time
    assert [" ".join(b.date.split()) for b in last] == ["25 fevral 1997", "February 25, 1997"]
    assert last[1].event == "The text was\u00a0written"  # no last line of one word
    ids = [row.id for row in values["rows"] + values["date_rows"]]
    assert "chronology" in ids and len(set(ids)) == len(ids)
    assert not {c.id for row in values["date_rows"] for c in row.cells} & {
        c.id for row in values["rows"] for c in row.cells if c
    }


def test_a_note_call_after_a_number_stands_apart_from_it():
    """ "1832¹" read as 18321: a call after a digit follows a hair space no
    line breaks at; after a word it follows the word directly."""
    from diglot.blocks import NoteRef, Text
    from diglot.render import AFTER_NUMBER, InlineHtml

    inline = InlineHtml("en", "footnotes", {})
    assert str(inline((Text("in 1832"), NoteRef(1, None), Text(" and")))) == (
        f'in 1832{AFTER_NUMBER}<sup class="note-call" data-n="1"></sup> and'
    )
    assert str(inline((Text("Lermontov"), NoteRef(2, None)))) == (
        'Lermontov<sup class="note-call" data-n="2"></sup>'
    )
    assert AFTER_NUMBER.strip("\u2060") == "\u200a"


def test_the_record_s_labels_are_wording_not_format_strings_nor_markup(mini):
    """labels.yaml is untrusted: "changes_listed" has only {n} and {page}
    replaced, and "pages" (the word before several pages, which
    diglot.record moves from an attribute into the line) prints escaped."""
    from diglot import record

    (mini / "layouts").mkdir(exist_ok=True)
    (mini / "layouts/labels.yaml").write_text(
        'changes_listed:\n  en: "<i>{n}</i> {0} {n.__class__} at {page}!"\n'
        'pages:\n  en: "<b>pp</b>\\""\n',
        encoding="utf-8",
    )
    items = record_items(mini, "intro, p2: twice")
    html = edition_html(project.load(mini).edition("demo-az-en"))
    listed = re.findall(r'href="#notes-en"></a>', html)
    assert listed and "&lt;i&gt;1&lt;/i&gt; {0} {n.__class__} at\u00a0<a" in html
    assert 'data-pages="&lt;b&gt;pp&lt;/b&gt;&#34;"' in items[0]
    where = re.search(r'<span class="where".*?</span>', items[0])[0]
    pages = {"en-intro": 2, "en-intro.end": 2, "en-p2": 4, "en-p2.end": 4}
    rewritten = record.rewrite(where, pages)
    assert rewritten.count("<b>") == 0 and "&lt;b&gt;pp&lt;/b&gt;&#34;&#160;<a" in rewritten


def test_an_english_colophon_spells_its_words_as_its_text_does(mini):
    """The colophon's words follow the text's English: American by default,
    as the texts' dates ("License" beside "February 25, 1997"; a reader
    found "Licence" there), British where the text declares en-GB."""
    html = edition_html(project.load(mini).edition("demo-en"))
    assert "License" in html and "Licence" not in html
    path = mini / "sources/demo/en.md"
    (mini / "sources/demo/en-GB.md").write_text(
        path.read_text(encoding="utf-8").replace("language: en", "language: en-GB")
    )
    dates = mini / "sources/demo/dates.yaml"
    dates.write_text(dates.read_text(encoding="utf-8").replace("en:", "en-GB:"))
    toml = mini / "diglot.toml"
    toml.write_text(toml.read_text().replace('languages = ["en"]', 'languages = ["en-GB"]'))
    html = edition_html(project.load(mini).edition("demo-en"))
    assert "Licence" in html and "License" not in html


def _az_record(mini, lines: str) -> str:
    """The HTML of demo-az-en's record, the Azerbaijani text's front matter
    recording ``lines`` (YAML list items)."""
    az = mini / "sources/demo/az.md"
    text = az.read_text(encoding="utf-8")
    az.write_text(
        text.replace("  licence: CC0-1.0\n", f"  licence: CC0-1.0\n  changes:\n{lines}", 1),
        encoding="utf-8",
    )
    html = edition_html(project.load(mini).edition("demo-az-en"))
    return html[html.index('<section class="notes"') :]


def test_a_record_given_in_the_texts_language_is_printed_in_it(mini):
    """Every line given in Azerbaijani: the Azerbaijani text's record is
    printed in Azerbaijani, its places in Azerbaijani words ("səh.",
    "başlıq"), its dates tied as Azerbaijani's, headed by the language's
    own name, and no line says the record is kept in English."""
    notes = _az_record(
        mini,
        '    - en: "p1: the date of February 25, 1997, corrected"\n'
        '      az: "p1: 25 fevral 1997-ci il tarixi düzəldilib"\n'
        '    - en: "title: added"\n'
        '      az: "title: əlavə olunub"\n',
    )
    assert '<ul lang="az">' in notes and '<ul lang="en">' not in notes
    assert "record-language" not in notes
    items = re.findall(r"<li>(.*?)</li>", notes)
    assert items[0] == '<span class="where">başlıq</span> əlavə\xa0olunub'
    where = '<span class="where" data-pages="səh.">səh.&#160;<a class="page-ref" href="#az-p1">'
    assert items[1].startswith(where)
    assert "25\xa0fevral 1997\u2011ci\xa0il tarixi" in unescape(items[1])  # (a long date)
    assert '— <span lang="az">Azərbaycan dili</span></h3>' in notes


def test_a_record_not_given_whole_in_the_texts_language_is_printed_in_english(mini):
    """One line without its Azerbaijani: the record is printed in English
    (words and places), said so in Azerbaijani above it, and the build
    warns at that line."""
    notes = _az_record(
        mini,
        '    - en: "p1: the date fixed"\n'
        '      az: "p1: tarix düzəldilib"\n'
        '    - "p2: a word added"\n',
    )
    assert '<ul lang="en">' in notes and '<ul lang="az">' not in notes
    assert '<p class="record-language" lang="az">' in notes
    assert "the date\xa0fixed" in notes and "düzəldilib" not in notes
    assert 'p.&#160;<a class="page-ref" href="#az-p1"></a>' in notes
    assert '— <span lang="en">Azerbaijani</span></h3>' in notes
    (warning,) = sources.load(mini / "sources/demo/az.md").warnings
    assert warning.line == 12 and "has no 'az' text" in warning.message


def test_a_labels_file_of_aliases_of_aliases_is_refused_at_once(mini):
    """A project's labels file whose wording is a mapping of YAML aliases,
    each naming the one before twice: refused as not a text (printing it
    had held the build for ever)."""
    from diglot import render
    from diglot.errors import TemplateError

    lines = ["x0: &a0 {k: one, j: two}"]
    lines += [f"x{i}: &a{i} {{p: *a{i - 1}, q: *a{i - 1}}}" for i in range(1, 40)]
    (mini / "layouts").mkdir(exist_ok=True)
    (mini / "layouts" / "labels.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render.labels(mini)
    assert "the label 'x1' in 'p' must be a text" in caught.value.format(mini)


def test_a_headings_running_head_is_its_words_before_a_colon():
    from diglot.render import running_head

    assert running_head("Қосымша: басқа дереккөздерден алынған екі үзінді") == "Қосымша"
    assert running_head("Appendix: two passages from other sources") == "Appendix"
    assert running_head("In Moscow") == "In Moscow"
    # a colon with nothing on one side of it, or none followed by a space
    assert running_head("Notes:") == "Notes:"
    assert running_head(": a heading") == ": a heading"
    assert running_head("At 10:30 in Baku") == "At 10:30 in Baku"
