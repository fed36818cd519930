"""The record of changes cites pages as a reader wants them: each page once,
runs of pages as ranges ("p. 5, 5" is printed "p. 5", "p. 5, 6, 7" is
printed "p. 5–7"), and a paragraph that runs over a page turn by all its
pages ("p. 3–4": a change in its words may stand on either; a typographer
found changes cited at p. 3 printed on p. 4).

The pages of the segments a line names are known only after layout, so the
references are first printed one per segment (``<a class="page-ref">``,
whose number CSS ``target-counter`` prints); when a layout shows two of a
line's segments on one page or on consecutive pages, the line keeps one
reference per page, joined into ranges, and the edition is laid out once
more. The numbers are still printed by ``target-counter``: they stay right
whatever the last layout moves.

The pages that decided the grouping are kept with the line breaking
(:func:`choice_data`, :func:`read_choice`, :mod:`diglot.settlecache`): a
rebuild of the same text groups the references before its first layout,
and lays out once more only when that layout puts them elsewhere.
"""

from __future__ import annotations

import html as html_mod
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from diglot import facts, settlecache

_WHERE = re.compile(r'(<span class="where"[^>]*>)(.*?)(</span>)', re.S)
_PAGES = re.compile(r'data-pages="([^"]*)"')  # the word before several pages ("pp.")
_REF = re.compile(r'<a class="page-ref" href="#([^"]+)"></a>')
_FACING = '<div class="side verso"'  # layouts/facing.html.j2: each language on every other page


def ranges(pages: list[int], step: int = 1) -> list[tuple[int, int]]:
    """Sorted distinct ``pages`` as runs of consecutive pages (first, last);
    ``step`` 2: consecutive pages of one side of a facing edition."""
    out: list[tuple[int, int]] = []
    for page in sorted(set(pages)):
        if out and page == out[-1][1] + step:
            out[-1] = (out[-1][0], page)
        else:
            out.append((page, page))
    return out


def _ref(anchor: str) -> str:
    return f'<a class="page-ref" href="#{anchor}"></a>'


END = ".end"  # a segment's end mark (layouts/_parts.html.j2); no segment id holds a "."


QUOTED = "#quoted"  # (after an anchor) the page a line's quoted words stand on


def cite(anchors: list[str], page_of: dict[str, int], step: int = 1, line: int = -1) -> str | None:
    """The references for ``anchors``, one per page, ranges joined by an en
    dash: each segment from the page it starts on to the page it ends on
    (its anchor with :data:`END`; a segment whose end is not marked is
    cited by its first page). None when they cannot be improved (one
    reference to a segment on one page, or an anchor the layout does not
    know). With ``step`` 2 (a facing edition, each language on every other
    page) a segment on pages 4 and 6 is cited "4, 6": "4–6" would take in
    the other language's page 5; a run of three or more is still a range.
    Line ``line`` of the record, when it names one segment and quotes words
    of it found on its first or its last page only (:func:`quoted_pages`:
    the anchor with :data:`QUOTED` and the line's number), cites that page
    (a typographer read "pp. 4, 6" for words on p. 4 as a wrong
    reference)."""
    if not anchors or any(a not in page_of for a in anchors):
        return None
    key = f"{anchors[0]}{QUOTED}{line}"
    if len(anchors) == 1 and key in page_of:
        first, last = _span(anchors[0], page_of)
        if first != last and page_of[key] in (first, last):
            return _ref(anchors[0] if page_of[key] == first else anchors[0] + END)
    on_page: dict[int, str] = {}
    covered: list[int] = []
    for index, anchor in enumerate(anchors):
        first, last = _span(anchor, page_of)
        told = page_of.get(f"{anchor}{QUOTED}{line}")
        if len(anchors) > 1 and told is not None and first != last:
            # a line naming several segments starts where its first one's
            # words stand and ends where its last one's do
            if index == 0 and told == last:
                first = last
            elif index == len(anchors) - 1 and told == first:
                last = first
        on_page.setdefault(first, anchor if first == page_of[anchor] else anchor + END)
        on_page.setdefault(last, anchor + END if last != page_of[anchor] else anchor)
        covered += range(first, last + 1, step)
    if len(anchors) == 1 and len(set(covered)) == 1:
        return None
    parts = [
        _ref(on_page[a])
        if a == b
        else f"{_ref(on_page[a])}, {_ref(on_page[b])}"
        if b == a + step > a + 1
        else f"{_ref(on_page[a])}\u2013{_ref(on_page[b])}"
        for a, b in ranges(covered, step)
    ]
    return ", ".join(parts)


def _span(anchor: str, page_of: dict[str, int]) -> tuple[int, int]:
    """The first and last page of a cited segment (its end mark's page, or
    its first page when the end is not marked)."""
    first = page_of[anchor]
    return first, max(first, page_of.get(anchor + END, first))


def anchor_pages(document: Any) -> dict[str, int]:
    """The index of the page each anchor of ``document`` is on."""
    out: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            out.setdefault(anchor, number)
    return out


def rewrite(html: str, page_of: dict[str, int]) -> str:
    """``html`` with the page references of each line of the record cited
    once per page, as ranges."""

    step = 2 if _FACING in html else 1
    number = itertools.count()
    html = _cite_inline(html, page_of)

    def one(match: re.Match[str]) -> str:
        inner = match[2]
        anchors = _REF.findall(inner)
        cited = cite(anchors, page_of, step, next(number))
        if cited is None:
            return match[0]
        before = inner[: inner.index("<a ")]
        several = _PAGES.search(match[1])
        if several and len(_REF.findall(cited)) > 1:  # "pp. 3–4", "pp. 3, 5"
            before = f"{several[1]}&#160;"
        return f"{match[1]}{before}{cited}{match[3]}"

    return _stack_wide_places(_in_page_order(_WHERE.sub(one, html), page_of), page_of)


_ITEM = re.compile(r"<li\b[^>]*>.*?</li>", re.S)
# The place's column (styles/base.css, ``.where``'s min-width, in its own
# size): a place wider than that less PLACE_GAP_EM stands in it on two
# lines, beside its line's words, as a place of several words does
# (``li.stacked``); on one line it pushed them on past the turnovers'
# indent ("б. 4, 16, 18 Нахшыван ...", which a typographer read as run
# into its text; "б. 3, 9–10" as touching it).
PLACE_COLUMN_EM = 6.25
PLACE_GAP_EM = 0.8
_PLACED = re.compile(r'<li((?:\s[^>]*)?)>(<span class="where"[^>]*>.*?</span>) (.*?)</li>', re.S)


def _stack_wide_places(html: str, page_of: dict[str, int]) -> str:
    """``html`` with each record line whose cited pages print wider than
    their column set as a stacked line (its place and its words side by
    side; a place in words is set so by the layout already)."""
    from diglot import linebreak

    def printed(place: str) -> float:
        """The width (em) ``place`` prints at, its pages in digits."""
        digits = _REF.sub(lambda ref: str(page_of.get(ref[1], 0) + 1), place)
        text = html_mod.unescape(_TAGS.sub("", digits))
        return linebreak.advance_em(text, "Noto Sans", bold=True)

    def one(match: re.Match[str]) -> str:
        attrs, place, words = match[1], match[2], match[3]
        narrow = printed(place) <= PLACE_COLUMN_EM - PLACE_GAP_EM
        if narrow or "class=" in attrs or _REF.search(place) is None:
            return match[0]
        # Its lines broken here, after a comma: WeasyPrint breaks the place's
        # line before it writes the page numbers in (target-counter), so
        # its own breaks took the numbers for empty and let them run over.
        parts = place.split(", ")
        lines = [parts[0]]
        for part in parts[1:]:
            if printed(f"{lines[-1]}, {part}") <= PLACE_COLUMN_EM - PLACE_GAP_EM:
                lines[-1] = f"{lines[-1]}, {part}"
            else:
                lines.append(part)
        return (
            f'<li{attrs} class="stacked">{",<br>".join(lines)} '
            f'<span class="what">{words}</span></li>'
        )

    return _PLACED.sub(one, html)


def page_order(pages: list[int], before: tuple[int, int]) -> tuple[int, int]:
    """What a line of the record citing ``pages`` (page indices, -1 where
    one is not known) is ordered by: the first and the last page it cites,
    (-1, -1) for none; ``before``, the line before's, where a page is not
    known: it stays after that line. (Facing pages order a record by it
    before it is placed too: diglot.facing._in_page_order.)"""
    if -1 in pages:
        return before
    return (pages[0], max(pages)) if pages else (-1, -1)


def _in_page_order(html: str, page_of: dict[str, int]) -> str:
    """``html`` with each run of the record's lines (one list's, one after
    another) ordered by the first page each cites, then its last, as a
    reader turns the pages: lines that cite no page (the title, the whole
    text) first, as they stand. (Ordered only within one segment's lines,
    genocide-az-en-handout's English record read "pp. 2–3" before "p. 2":
    a line for the headings of several segments cites from the first.)"""

    def cited(item: re.Match[str], before: tuple[int, int]) -> tuple[int, int]:
        where = _WHERE.search(item[0])
        refs = _REF.findall(where[2]) if where else []
        return page_order([page_of.get(ref, -1) for ref in refs], before)

    runs: list[list[tuple[re.Match[str], tuple[int, int]]]] = []
    for item in _ITEM.finditer(html):
        before = runs[-1][-1] if runs else None
        if before is not None and not html[before[0].end() : item.start()].strip():
            runs[-1].append((item, cited(item, before[1])))
        else:
            runs.append([(item, cited(item, (-1, -1)))])
    out: list[str] = []
    last = 0
    for run in runs:
        ordered = sorted(run, key=lambda entry: entry[1])  # stable
        for (item, _), (placed, _) in zip(run, ordered, strict=True):
            out += [html[last : item.start()], placed[0]]
            last = item.end()
    return "".join(out) + html[last:]


def _cited_anchors(html: str) -> list[str]:
    """The anchors of the record's lines, with their segments' ends (what
    :func:`rewrite` reads)."""
    out: list[str] = []
    for match in _WHERE.finditer(html):
        for anchor in _REF.findall(match[2]):
            out += [anchor, anchor + END]
    for ref in _inline_refs(html):
        out += [ref.anchor, ref.anchor + END]
    return out


INLINE = "#inline"  # (after an anchor) the page the words a reference follows stand on


@dataclass(frozen=True)
class _Inline:
    """A page reference in the text of a line of the record (not its place):
    "“атысты тоқтатуды жариялады” (p. 18, p. 24)"."""

    number: int  # in the order of the record's lines
    anchor: str
    start: int  # of the reference in the HTML
    end: int
    quote: str  # the last words the line quotes before it ("" for none)
    after: str = ""  # the words after it, up to the next reference or ";"


def _line_end(html: str, where: re.Match[str]) -> int:
    """Where the text of the record's line whose place is ``where`` ends."""
    end = html.find("</li>", where.end())
    return end if end >= 0 else len(html)


def _inline_refs(html: str) -> list[_Inline]:
    """The page references in the text of the record's lines."""
    out: list[_Inline] = []
    for where in _WHERE.finditer(html):
        end = _line_end(html, where)
        refs = list(_REF.finditer(html, where.end(), end))
        for ref, following in itertools.zip_longest(refs, refs[1:]):
            before = html_mod.unescape(_TAGS.sub("", html[where.end() : ref.start()]))
            quotes = _quoted(before)
            after = html_mod.unescape(
                _TAGS.sub("", html[ref.end() : following.start() if following else end])
            ).split(";")[0]
            out.append(
                _Inline(
                    len(out), ref[1], ref.start(), ref.end(), quotes[-1] if quotes else "", after
                )
            )
    return out


def _cite_inline(html: str, page_of: dict[str, int]) -> str:
    """``html`` with each reference in the text of a record's line to a
    segment printed over several pages pointed at the page the words it
    follows stand on, when they stand on its last page only
    (:func:`quoted_pages`; a typographer found "(p. 24)" for words of a
    paragraph begun on p. 24 that stand on p. 26)."""
    out: list[str] = []
    last = 0
    for ref in _inline_refs(html):
        page = page_of.get(f"{ref.anchor}{INLINE}{ref.number}")
        if page is None or page == page_of.get(ref.anchor) or page != page_of.get(ref.anchor + END):
            continue
        out += [html[last : ref.start], _ref(ref.anchor + END)]
        last = ref.end
    return "".join(out) + html[last:] if out else html


def cited_pages(html: str, document: Any) -> dict[str, int]:
    """What :func:`rewrite` needs of ``document``'s layout for ``html``: the
    page index of each anchor a line of its record cites, of its
    segment's end, and of the words it quotes (:func:`quoted_pages`)."""
    page_of = anchor_pages(document)
    cited = {a: page_of[a] for a in _cited_anchors(html) if a in page_of}
    return {**cited, **quoted_pages(html, document, cited)}


# A quotation in a line of the record (:func:`_quoted`).
_QUOTE_ANY = re.compile(r"[“«]([^”»“«]+)[”»]")
_TAGS = re.compile(r"<[^>]+>")


MAX_QUOTES = 64  # quotations of a line of the record read at most


def _quoted(text: str) -> list[str]:
    """The words ``text`` quotes that tell a page: each quotation of two
    words or more or of one word of six letters or more, and each part of
    one cut by an ellipsis ("хатшылары … министрлер …") alike: a line may
    quote words from both pages of its paragraph. (A word found on both
    pages tells none; one word alone had been passed over, and «зымырандар»,
    on biography-kk-en's p. 18 only, was cited at p. 19, where the names
    after it stand.) A quotation found inside a longer one of the line is
    left out."""
    out = []
    for quote in _QUOTE_ANY.findall(text):
        parts = [part.strip() for part in quote.split("\u2026")]
        out += [
            part for part in parts if len(part.split()) > 1 or (len(part) >= 6 and part.isalpha())
        ]
    # a quotation the line quotes again inside a longer one tells nothing
    # more, and may stand on every page («в результате», the gloss of a
    # word, and «в результате внешней политики …»); the first MAX_QUOTES
    # only, compared pair by pair (a line of a hostile record may hold
    # thousands)
    out = out[:MAX_QUOTES]
    plain = [_plain(part) for part in out]
    return [
        part
        for part, words in zip(out, plain, strict=True)
        if not any(words != other and f" {words} " in f" {other} " for other in plain)
    ]


def _dates(text: str, language: str) -> list[str]:
    """The whole dates (day, month and year) a line of the record in
    ``language`` names, as it writes them, read as diglot.facts reads a
    text's dates: "the letter of August 18, 1993, is from …" tells the page
    of its item of a long paragraph as a quotation would, when the line
    quotes no words (:func:`_quoted`). A line that quotes words is placed
    by them: its dates may be an example of a change made all over the
    paragraph (“August 18, 1993, from”)."""
    text = text.replace("\u2060", "")  # a word joiner of the line breaking
    found = facts.extract_dates(text, language)[0]
    return [
        " ".join(date.text.split())
        for date in found
        if date.value.year and date.value.month and date.value.day
    ]


_WORD = re.compile(r"\w+")


# A date's year, with its suffix and the word for year after it ("1993",
# "1993-cü il", "1993 года", "1993 жылғы"), and the comma before it
_YEAR = re.compile(r",?\s*\b\d{4}\b(?:[-\u2011]\w+)?(?:\s+(?:года|г\.|il|ildə|жылғы|жылы))?")


def _day_month(date: str) -> str:
    """``date`` without its year ("August 23" of "August 23, 1993")."""
    return " ".join(_YEAR.sub(" ", date).split()).strip(" ,")


NEAR = 120  # characters between a name and a date said together


def _near(text: str, name: str, phrase: str) -> bool:
    """Whether ``text`` (as :func:`_plain` gives it) has ``name`` whole
    within :data:`NEAR` characters of ``phrase``."""
    names = [m.start() for m in re.finditer(rf"\b{re.escape(_plain(name))}\b", text)]
    spots = [m.start() for m in re.finditer(re.escape(_plain(phrase)), text)]
    return any(abs(a - b) <= NEAR for a in names for b in spots)


def _as_given(date: str, own: str) -> str:
    """``date`` as the text ``own`` (as :func:`_plain` gives it) writes it:
    whole, or without its year where the paragraph names the day and the
    month only ("on August 23 Armenian forces captured …", which the
    record dates "August 23, 1993")."""
    if _plain(date) in own:
        return date
    short = _day_month(date)
    return short if short != date and len(short.split()) > 1 and _plain(short) in own else date


def _names(text: str, language: str) -> list[str]:
    """The names a line of the record in ``language`` gives outside its
    quotations (capitalised words of four letters or more, but the months
    of its dates): "Fuzuli fell on August 23, 1993" tells the page of its
    paragraph that names Fuzuli when its quotation (the received text's
    words) and its date (on both pages, of two events) do not. A quoted
    word may be one the change took out ("the title “Президент”
    dropped"), found on another page. (Abbreviations in capitals are no
    names here: "the USSR leadership" in a line on a paragraph given twice
    sent genocide-az-en's "pp. 5–6" to p. 6, where "USSR" stands.)"""
    words = _WORD.findall(_QUOTE_ANY.sub(" ", text.replace("\u2060", "")))
    found = [w for w in words if len(w) >= 4 and w[0].isupper() and not w.isupper()]
    names = (w for w in found if facts.month_of(w, language) is None)
    return list(dict.fromkeys(names))[:MAX_NAMES]


# names of a line looked for at most: a line of names only (a hostile or
# broken record) is not searched name by name over its pages
MAX_NAMES = 12


def _plain(text: str) -> str:
    """``text`` as words to compare: no marks of the layout's making (word
    joiners, soft and no-break hyphens, no-break spaces), lower case."""
    for mark, same in (("\u2060", ""), ("\u00ad", ""), ("\u2011", "-"), ("\u00a0", " ")):
        text = text.replace(mark, same)
    return " ".join(text.split()).casefold()


def _page_texts(document: Any) -> dict[int, str]:
    """Each page's text (by page index) as :func:`_plain` compares it, its
    lines joined and a word hyphenated at a line's end made whole (a
    compound broken after its own hyphen keeps it)."""
    from diglot import typography

    texts: dict[int, list[str]] = {}
    for line in typography.laid_lines(document):
        lines = texts.setdefault(line.page - 1, [])
        if lines and lines[-1].endswith("\u2010") and line.text[:1].isalpha():
            lines[-1] = lines[-1][:-1] + line.text
        elif lines and lines[-1].endswith("-") and line.text[:1].isalpha():
            # a compound broken at its own hyphen: "политико-" / "дипломатической"
            lines[-1] += line.text
        else:
            lines.append(line.text)
    return {page: _plain(" ".join(lines)) for page, lines in texts.items()}


def _has_word(text: str, word: str) -> bool:
    """Whether ``text`` (as :func:`_plain` gives it) has ``word`` whole."""
    return re.search(rf"\b{re.escape(_plain(word))}\b", text) is not None


def _segment_text(html: str, anchor: str) -> str:
    """The text of ``anchor``'s segment in every language of the HTML (from
    each one's element to its end mark), as :func:`_plain` compares it: side
    by side the translation beside a paragraph names what it names."""
    segment = anchor.split("-", 1)[-1]
    parts = []
    for found in re.finditer(rf'id="([a-z]{{2,3}})-{re.escape(segment)}"', html):
        end = html.find(f'id="{found[1]}-{segment}{END}"', found.end())
        if end >= 0:
            parts.append(_TAGS.sub(" ", html[found.end() : end]).split(">", 1)[-1])
    # a word the line breaking hyphenated is made whole, as on the pages
    # (_page_texts): "алы‐" and "нуын" on two planned lines
    return _plain(re.sub(r"[\u2010\u00ad]\s+(?=\w)", "", html_mod.unescape(" ".join(parts))))


_LIST_LANGUAGE = re.compile(r'<ul lang="([^"]+)"')


def _language_at(html: str, at: int) -> str:
    """The language of the record's line at ``at`` in ``html``: its list's
    (each text's record is printed in its own language or in English)."""
    start = html.rfind('<ul lang="', 0, at)
    found = _LIST_LANGUAGE.match(html, start) if start >= 0 else None
    return found[1] if found else "en"


def quoted_pages(html: str, document: Any, page_of: dict[str, int]) -> dict[str, int]:
    """For each line of the record (numbered as :func:`rewrite` numbers
    them) whose segment (or the first or the last of several it names) is
    printed over several pages, and that quotes words of it
    (:func:`_quoted`) found on one of those pages only: its anchor,
    :data:`QUOTED` and its number -> that page's index."""
    texts: dict[int, str] | None = None
    owns: dict[str, str] = {}  # each cited segment's text, read once
    step = 2 if _FACING in html else 1

    def one_page(
        anchor: str,
        language: str,
        quotes: list[str],
        names: list[str],
        dates: Sequence[str] = (),
        dates_first: bool = True,
    ) -> int | None:
        """The one page of ``anchor``'s segment where ``quotes`` stand (a
        line that quotes nothing: its ``dates``, unless not ``dates_first``),
        if it is printed over several and they stand on one of them only;
        when they stand on none, the one page that has every one of
        ``names`` found on its pages, or else of ``dates``."""
        nonlocal texts
        first, last = _span(anchor, page_of)
        if first == last or not (quotes or names or dates):
            return None
        # only words of the segment itself: a page also holds others' ("the
        # order used in p3" after words of p5 quoted: they stand on p3's
        # second page too, in p5, and had sent the reference there)
        own = owns.get(anchor)
        if own is None:
            own = owns[anchor] = _segment_text(html, anchor)
        if own:  # a date as the paragraph gives it: "August 23" of "August 23, 1993"
            dates = [_as_given(d, own) for d in dates]
        if not quotes and dates_first:
            quotes, dates = list(dates), ()
        if any(_dates(q, language) for q in quotes):
            dates = ()  # a quoted date is an example of the change (“August 18, 1993, from”)
        if own:  # (a part of an edition laid out alone may not hold the segment)
            quotes = [q for q in quotes if _plain(q) in own]
            names = [n for n in names if _has_word(own, n)]
            dates = [d for d in dates if _plain(d) in own]
        texts = _page_texts(document) if texts is None else texts
        pages = range(first, last + 1, step)

        def standing(words: Sequence[str]) -> set[int]:
            return {page for word in words for page in pages if _plain(word) in texts.get(page, "")}

        found = standing(quotes)
        if not found:
            having = [{p for p in pages if _has_word(texts.get(p, ""), n)} for n in names]
            found = set.intersection(*[h for h in having if h] or [set()])
            if len(found) != 1 and names and dates:
                # a name on every page, a date too: the page where they
                # stand together ("on August 23 … captured … Fuzuli", p. 11;
                # p. 10 names Fuzuli, and "August 23, 1993" of another event)
                shorts = [_day_month(d) for d in dates]
                together = {
                    p for p in pages for n in names for d in shorts if _near(texts.get(p, ""), n, d)
                }
                found = together if len(together) == 1 else found
            if len(found) != 1:
                # the words quoted are those the change took out, and the
                # names stand on every page: the dates it names tell ("pp. 3–4
                # the address of February 25, 2002", on p. 4 only)
                found = standing(dates) or found
        return found.pop() if len(found) == 1 else None

    out: dict[str, int] = {}
    for number, where in enumerate(_WHERE.finditer(html)):
        anchors = _REF.findall(where[2])
        if not anchors or any(a not in page_of for a in anchors):
            continue
        line = html_mod.unescape(_TAGS.sub("", html[where.end() : _line_end(html, where)]))
        language = _language_at(html, where.start())
        found = _dates(line, language)
        quotes, names = _quoted(line), _names(line, language)
        # (a line naming several segments: where its first one's words
        # stand, and its last one's; genocide-az-en cited "pp. 3–5" for
        # two orders whose dates stand on pp. 3–4)
        for anchor in dict.fromkeys((anchors[0], anchors[-1])):
            page = one_page(anchor, language, quotes, names, found)
            if page is not None:
                out[f"{anchor}{QUOTED}{number}"] = page
    for ref in _inline_refs(html):
        if ref.anchor in page_of:
            language = _language_at(html, ref.start)
            quotes = [ref.quote] if ref.quote else []
            names, dates = _names(ref.after, language), _dates(ref.after, language)
            # (what the reference follows names the place before its date:
            # "p37 Fuzuli on August 23, 1993", where the paragraph's date
            # may be of another event)
            page = one_page(ref.anchor, language, quotes, names, dates, dates_first=False)
            if page is not None:
                out[f"{ref.anchor}{INLINE}{ref.number}"] = page
    return out


MAX_ANCHOR = 1_000  # characters of an anchor in a kept choice


def choice_data(pages: dict[str, int], words: frozenset[str]) -> list[Any]:
    """What :func:`read_choice` reads: the pages the references were grouped
    by, and the words locked against hyphenation when the edition was
    settled with them."""
    return [sorted(pages.items()), sorted(words)]


def read_choice(data: Any) -> tuple[dict[str, int], frozenset[str]] | None:
    """The pages and locked words :func:`choice_data` wrote (a cache file is
    untrusted: anything else is None). Only the numbers decide anything:
    the references printed are the HTML's own."""
    if not isinstance(data, list) or len(data) != 2:
        return None
    pairs, words = data[0], settlecache.locked_words(data[1])
    if not isinstance(pairs, list) or words is None:
        return None
    pages: dict[str, int] = {}
    for pair in pairs:
        if not (isinstance(pair, list) and len(pair) == 2):
            return None
        anchor, page = pair
        if not isinstance(anchor, str) or not 0 < len(anchor) <= MAX_ANCHOR:
            return None
        if not settlecache.whole_number(page, 0, settlecache.MAX_PAGES - 1):
            return None
        pages[anchor] = page
    return pages, words


def cite_pages(html: str, document: Any, lay_out: Callable[[str], Any]) -> tuple[str, Any]:
    """Lay out once more when the record of changes cites a page twice or
    consecutive pages one by one; else return ``html`` and ``document``.
    Facing pages pack the records with the text, each entry's lines as
    measured: where the citations rewritten turn an entry over once more
    and push the page's last lines over (another page, an anchor moved),
    the citations stay one per segment, as laid out."""
    if '<span class="where">' not in html:
        return html, document
    new = rewrite(html, cited_pages(html, document))
    if new == html:
        return html, document
    again = lay_out(new)
    if len(again.pages) != len(document.pages) or anchor_pages(again) != anchor_pages(document):
        return html, document
    return new, again
