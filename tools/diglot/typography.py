"""How a page should look: the rules applied to every edition at render time.

- **Ties** (:func:`tie`): no line break inside a date or a number with its
  unit or suffix. Dates and numbers are found by the same recognition
  ``diglot check`` uses (:func:`recognised`); the spaces inside them become
  no-break spaces and their hyphens no-break hyphens ("1993‑cü",
  "226 000 рубль", "9 October"). Straight apostrophes between letters
  become ’.
- **Hyphenation** (:func:`session`, :func:`limit_ladders`): English uses US
  patterns unless a text declares ``en-GB``; names (capitalised words inside
  a sentence) and the parts of words that already hold a hyphen are never
  hyphenated; at most two hyphenated line ends in a row. WeasyPrint has no
  ``hyphenate-limit-lines``, so the limit is a measure-and-adjust loop: lay
  out, find the third hyphenated line of a run in the box tree, lock the
  word broken there, lay out again.
- **Alignment** (:func:`alignment`): justified where the measure allows,
  ragged-right for columns narrower than about 45 characters, unless the
  edition says ``align = "justify"`` or ``"ragged"``.
- **Booklets** (:func:`pad_to_four`): saddle stitching needs a page count
  that is a multiple of four; blank pages are added at the end.
"""

from __future__ import annotations

import contextlib
import html as html_mod
import re
from collections.abc import Callable, Iterator
from typing import Any

from diglot import hyphenation, proof

BOOKLETS = ("booklet", "facing")
MAX_PASSES = 4  # layouts for the hyphen ladder loop
RAGGED_BELOW = 45  # characters per line under which a column is set ragged-right
CHAR_EM = 0.5  # mean advance of a character of running text, in em (Noto Serif)
PAPER_WIDTH_MM = {"A4": 210.0, "A5": 148.0, "A6": 105.0, "Letter": 215.9, "half-letter": 139.7}
# Inner + outer page margins (mm) and body size (pt) of the built-in layouts.
SIDE_MARGINS_MM = {"booklet": 34.0, "facing": 34.0, "handout": 30.0}
BODY_PT = {"booklet": 9.5, "facing": 9.5, "handout": 9.5}
COLUMN_GAP_MM = 5.0

NBSP = "\u00a0"
NB_HYPHEN = "\u2011"

_state: dict[str, set[str]] = {"words": set()}


# -- alignment --------------------------------------------------------------------------


def measure_chars(layout: str, paper: str, columns: int) -> float:
    """About how many characters a line of running text holds."""
    width = PAPER_WIDTH_MM.get(paper, 148.0) - SIDE_MARGINS_MM.get(layout, 34.0)
    width = (width - COLUMN_GAP_MM * (columns - 1)) / columns
    return width * 72 / 25.4 / (CHAR_EM * BODY_PT.get(layout, 9.5))


def alignment(align: str, layout: str, paper: str, languages: int, columns: int) -> str:
    """``justify`` or ``ragged`` for an edition (``align`` is the editor's
    choice: ``auto``, ``justify`` or ``ragged``)."""
    if align != "auto":
        return align
    side_by_side = languages if layout in ("booklet", "handout") and columns == 1 else 1
    per_line = measure_chars(layout, paper, side_by_side * columns)
    return "ragged" if per_line < RAGGED_BELOW else "justify"


# -- ties -------------------------------------------------------------------------------


def recognised(text: str, language: str) -> list[tuple[int, int]]:
    """Spans of the dates and numbers in ``text``, found as ``diglot check``
    finds them (the one place this module depends on that recognition)."""
    from diglot.check import extract_dates, extract_numbers

    _, spans = extract_dates(text, language)
    out = list(spans)
    start = 0
    for number in extract_numbers(text, language, spans):
        at = text.find(number.text, start)
        if at >= 0:
            out.append((at, at + len(number.text)))
            start = at + len(number.text)
    return sorted(out)


_SUFFIX = re.compile(r"(?<=\d)-(?=[^\W\d_])")  # 1993-cü, 176-дан, 3-і
_NUMBER_WORD = re.compile(r"(?<=\d) (?=[^\W\d_])")  # 226 000 рубль, 9 October
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")


def tie(text: str, language: str) -> str:
    """``text`` with no-break spaces and hyphens inside its dates and numbers
    (and between a number and the word after it), and curly apostrophes."""
    if not text:
        return text
    chars = list(text)
    for start, end in recognised(text, language):
        for index in range(start, end):
            if chars[index] == " ":
                chars[index] = NBSP
            elif chars[index] == "-":
                chars[index] = NB_HYPHEN
    out = "".join(chars)
    out = _SUFFIX.sub(NB_HYPHEN, out)
    out = _NUMBER_WORD.sub(NBSP, out)
    return _APOSTROPHE.sub("\u2019", out)


# -- hyphenation ------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]*>")
_STYLE = re.compile(r"<(style|head)\b.*?</\1>", re.S | re.I)
_WORD = re.compile(r"[^\W\d_]+")
_COMPOUND = re.compile(r"[^\W\d_]+(?:[-\u2010\u2011][^\W\d_]+)+")
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;]\s+|\n\s*|[«“\"(]\s*)$")


def protected_words(html: str) -> frozenset[str]:
    """Words of a document never to hyphenate: names (capitalised words not
    at the start of a sentence or block) and the parts of words that already
    hold a hyphen (Secretary-General, Nagorno-Karabakh, diplomatik-siyasi)."""
    body = _STYLE.sub("\n", html)
    text = html_mod.unescape(_TAG.sub("\n", body))
    words: set[str] = set()
    for match in _COMPOUND.finditer(text):
        words.update(_WORD.findall(match.group()))
    for match in _WORD.finditer(text):
        word = match.group()
        before = text[max(0, match.start() - 3) : match.start()]
        if word[0].isupper() and not _SENTENCE_START.search(before):
            words.add(word)
    return frozenset(words)


@contextlib.contextmanager
def session(languages: tuple[str, ...] | list[str]) -> Iterator[None]:
    """Hyphenation rules for laying out one edition (names, compounds and
    locked words are protected while it lasts)."""
    hyphenation.guard(list(languages))
    _state["words"] = set()
    try:
        yield
    finally:
        _state["words"] = set()
        hyphenation.protect(frozenset())


def ladder_words(document: Any) -> set[str]:
    """For each run of more than two hyphenated line ends in a laid-out
    document, the word WeasyPrint broke on the run's third line (or the
    nearest line after it that WeasyPrint hyphenated): locking it shortens
    the run."""
    lines = [ln for ln in proof.lines_of(document) if not ln.front]
    found: set[str] = set()
    run: list[int] = []
    for index, line in enumerate([*lines, None]):
        continues = (
            line is not None
            and line.hyphenated
            and (not run or lines[run[-1]].block == line.block)
        )
        if continues:
            run.append(index)
            continue
        if len(run) > proof.MAX_LADDER:
            automatic = [i for i in run if lines[i].text.rstrip().endswith("\u2010")]
            late = [i for i in automatic if i >= run[proof.MAX_LADDER]]
            pick = late[0] if late else (automatic[-1] if automatic else None)
            if pick is not None and pick + 1 < len(lines):
                word = proof.broken_word(lines[pick], lines[pick + 1])
                if word:
                    found.add(word)
        run = [index] if line is not None and line.hyphenated else []
    return found


def limit_ladders(html: str, lay_out: Callable[[str], Any]) -> Any:
    """Lay out ``html`` with names and compounds protected, then lock the
    words that make a third hyphenated line in a row and lay out again,
    until no run is longer than two (at most :data:`MAX_PASSES` layouts)."""
    words = _state["words"]
    words.update(protected_words(html))
    hyphenation.protect(frozenset(words))
    document = lay_out(html)
    for _ in range(MAX_PASSES - 1):
        locked = ladder_words(document) - words
        if not locked:
            break
        words.update(locked)
        hyphenation.protect(frozenset(words))
        document = lay_out(html)
    return document


# -- booklets ---------------------------------------------------------------------------


def blank_page_html(page_size: str, print_marks: bool) -> str:
    marks = "@page { bleed: 3mm; marks: crop; }" if print_marks else ""
    return (
        "<!DOCTYPE html><html><head><style>"
        f"@page {{ size: {page_size}; margin: 0; }} {marks}"
        "</style></head><body></body></html>"
    )


def pad_to_four(document: Any, page_size: str, print_marks: bool) -> Any:
    """``document`` with blank pages added at the end up to a multiple of four."""
    missing = -len(document.pages) % 4
    if not missing:
        return document
    import weasyprint

    blank = weasyprint.HTML(string=blank_page_html(page_size, print_marks)).render()
    return document.copy([*document.pages, *(blank.pages[0] for _ in range(missing))])
