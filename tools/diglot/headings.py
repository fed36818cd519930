"""Titles and headings set in lines of even length.

WeasyPrint breaks a heading as it breaks a paragraph, first fit: each line
takes as many words as fit, so a title of three lines can print as two
long ones over a word alone ("... of the Azerbaijanis known / to the
world"), or two short over a long one. Three typographers named it on the
covers. Browsers have ``text-wrap: balance`` for this (CSS Text 4);
WeasyPrint 70 has no ``text-wrap`` property, so it is done here, with what
:func:`diglot.typography.settle` already reads of every layout:

- each heading (``h1`` to ``h4``) is numbered (``data-hb``, :func:`number`);
- after a layout, a heading of two lines or more is set again in as many
  lines (never fewer, and more only where a title may grow, :data:`GROW`:
  nothing below it moves), with its breaks
  chosen among its spaces (and after a hyphen or dash between letters) so
  that the white at the lines' ends, the last line's too, is as even as it
  can be: the least sum of its squares (:func:`balance`). Widths are the
  faces' advance widths (fontTools, as :mod:`diglot.linebreak` measures
  them; kerning left out, which errs wide, so a line measured to fit does);
- the breaks are enforced by making every other space a no-break space
  (as the layouts' ``tie`` filter already does for short words) and
  joining a hyphen or dash not chosen to the next letter (U+2060);
- the next layout is read back: a heading whose lines are not the planned
  ones (a break WeasyPrint finds that is not modelled here) is put back
  as first fit set it, and not tried again (:func:`settle`);
- a later document of the same edition (the pages after the measuring
  column, a booklet laid out again with its colophon moved) sets the
  breaks already chosen before its first layout (:func:`known`), and
  checks them as its own.

Only word spaces change: the heading's text, its bookmark and its running
head read the same. A rebuild recalls the breaks before its first layout
(:func:`recall`, :mod:`diglot.settlecache`, kept as numbers, never text).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from diglot import linebreak, proof

MARK = "data-hb"
# (a heading's text runs to its end tag, never past another heading's start:
# an unclosed tag in a layout would otherwise make every search run to the
# end of the document, quadratic in a hostile layout)
_HEADING = re.compile(r"<(h[1-4])(\s[^>]*)?>((?:(?!<h[1-6][\s>]).)*?)</\1>", re.S)
_MARKED = re.compile(r'\bdata-hb="(\d+)"')
NBSP = "\u00a0"
MAX_LINES = 6  # a heading of more lines is left as it falls (a paragraph set as one)
MAX_BREAKS = 200  # spaces of a heading, beyond which it is left as it falls
SAFETY_PX = 0.5  # a line set may run this far past its column, read back
# A line is planned up to this much wider than its column: the faces'
# advance widths leave out kerning, which takes a pixel or two off a line
# of a bold heading ("and the return to power", 192.7 px measured in a
# column of 192.9, fits when set); a plan whose line then runs over is put
# back as first fit set it (:func:`settle`).
KERNING_PX = 1.0
# Where a break falls in the sense, besides the lines' lengths, in units of
# the column's width squared (a line's white counts as its square in the
# same units): a line ending on a short word ("and", "of", "in", "və")
# costs as much as 0.25 of a column of white more; a break after a comma,
# colon or dash, or before a capitalised word (a name opens a phrase:
# "… dünyaya çatdırılmasında / Heydər Əliyevin rolu") is taken as if the
# line had 0.15 of a column less. A reader of the first even headings
# found "The crisis of 1993 and / the return to power" and "dünyaya /
# çatdırılmasında" torn where first fit had kept the phrase.
SHORT_WORD = 3  # letters
SHORT_END_COST = 0.25**2
PHRASE_END_GAIN = 0.15**2
PHRASE_MARKS = frozenset(",:;\u2013\u2014")
# A break between two capitalised words parts a name ("Leader of Soviet /
# Azerbaijan", a typographer read it as broken against the sense): it costs
# more than a short word's end ("Leader of / Soviet Azerbaijan" is
# taken), and gains nothing for the capital after it. A
# colon ends a heading's title before its subtitle ("Қосымша: / басқа
# дереккөздерден / алынған екі үзінді", not "Қосымша: басқа / …"): a break
# after one is taken as if the line had half a column less.
NAME_BREAK_COST = 0.35**2
COLON_END_GAIN = 0.5**2
# A break before "and" that joins two nouns under one article ("the
# genocide / and tragedies of the Azerbaijanis", read by a typographer as
# "making the genocide") costs as a name parted: the article before the
# first noun governs both. Not where the word after the conjunction opens a
# phrase of its own ("The crisis of 1993 / and the return to power"), nor
# where no article stands before ("Childhood / and education"); the
# languages without articles (az, kk, ru) are left as they are.
CONJUNCTIONS = frozenset({"and", "or"})
ARTICLES = frozenset({"the", "a", "an"})
OPENERS = ARTICLES | {"his", "her", "its", "their", "our", "this", "that", "these", "those"}
COORDINATION_COST = NAME_BREAK_COST
# An Azerbaijani word in the dative after a vowel ("dünyaya", "Azərbaycana"
# in lower case: "-ya", "-yə") governed by the verbal noun after it stays
# with it: "faciələrinin dünyaya / çatdırılmasında" on the covers was read
# by three typographers as torn ("bringing / to the world"); a break there
# costs as a name parted.
DATIVE_END = re.compile(r"[aıoueəiöü]y[aə]$")
# ... and one in the genitive ("Azərbaycanlıların", "faciələrinin": after a
# vowel or a plural: "-nın", "-nin", "-ların", "-lərin") stays with what it
# qualifies: given a fourth line, the cover's title read "Azərbaycanlıların
# / soyqırımı və faciələrinin"; it costs half as much (the break after the
# whole genitive phrase, "…və faciələrinin / dünyaya çatdırılmasında", is
# where the title divides when it must).
GENITIVE_END = re.compile(r"(?:n|lar|lər)[ıiuü]n$")
# A heading with this attribute may take a line more than first fit gave
# it where its lines then part no phrase that they part now (a cover's
# title: the page has room, nothing below it is the text's).
GROW = "data-grow"

Plan = dict[int, tuple[int, ...]]  # heading (data-hb) -> the breaks taken (ordinals)

# The breaks each heading (by its inner HTML) was set with in the edition
# being laid out: a later document of the same edition (a facing edition's
# pages after its measuring column, a booklet laid out again with its
# colophon moved) sets them before its first layout, as total fit plans a
# piece from the measuring column, instead of laying itself out once more
# for them; :func:`settle` checks them as its own plans.
_known: dict[tuple[str, str, str], tuple[int, ...]] = {}  # (tag, class, inner HTML) -> breaks
_CLASS = re.compile(r'\bclass="([^"]*)"')


def _key(match: re.Match[str]) -> tuple[str, str, str]:
    """What a heading is known by across the documents of an edition: its
    tag, its class and its inner HTML (the same title is a cover's ``h1``
    and a colophon's ``h3``, at other sizes)."""
    found = _CLASS.search(match[2] or "")
    return match[1], found[1] if found else "", match[3]


def _index(match: re.Match[str]) -> int | None:
    """The number (``data-hb``) of a heading :data:`_HEADING` matched."""
    mark = _MARKED.search(match[2] or "")
    return int(mark[1]) if mark else None


def forget() -> None:
    """Start an edition: no heading's breaks known (typography.session)."""
    _known.clear()


def known(html: str, plan: Plan) -> Plan:
    """``plan`` with the breaks of the headings of ``html`` that are not in
    it and were set earlier in this edition."""
    out = dict(plan)
    for match in _HEADING.finditer(html):
        index = _index(match)
        if index is not None and index not in out and _key(match) in _known:
            out[index] = _known[_key(match)]
    return out


@dataclass(frozen=True)
class Break:
    token: int  # index of the space, or of the hyphen or dash a line ends with
    after: bool  # a hyphen or dash (kept on the line), not a space (dropped)


def number(html: str) -> str:
    """``html`` with each ``h1``-``h4`` numbered (``data-hb``), once."""
    if _MARKED.search(html):
        return html
    counter = iter(range(1_000_000))

    def one(m: re.Match[str]) -> str:
        return f'<{m[1]} {MARK}="{next(counter)}"{m[2] or ""}>{m[3]}</{m[1]}>'

    return _HEADING.sub(one, html)


def breaks_of(toks: Sequence[linebreak.Token]) -> list[Break]:
    """Where a heading's lines may end: its spaces (not a no-break space),
    and after a hyphen or dash standing between two letters."""
    chars = [i for i, t in enumerate(toks) if t.char]
    found: list[Break] = []
    for pos, i in enumerate(chars):
        if pos == 0 or pos == len(chars) - 1:
            continue
        char = toks[i].char
        if char == " ":
            found.append(Break(i, False))
        elif char in linebreak.BREAK_AFTER:
            before, after = toks[chars[pos - 1]].char, toks[chars[pos + 1]].char
            if before.isalpha() and after.isalpha():
                found.append(Break(i, True))
    return found


def balance(
    toks: Sequence[linebreak.Token],
    width_px: float,
    size_px: float,
    family: str,
    bold: bool,
    lines: int,
) -> tuple[int, ...] | None:
    """The breaks (ordinals in :func:`breaks_of`) that set a heading in
    exactly ``lines`` lines, each no wider than ``width_px``, with the least
    sum of the squares of the white at their ends; None when there are none
    or a character cannot be measured."""
    candidates = breaks_of(toks)
    if lines < 2 or len(candidates) < lines - 1 or len(candidates) > MAX_BREAKS:
        return None
    prefix = _prefix(toks, size_px, family, bold)
    if prefix is None:
        return None
    end = len(toks)

    def width(start: int, stop: Break | None) -> float:
        """A line from token ``start`` to the break ``stop`` (None: the end)."""
        last = end if stop is None else stop.token + (1 if stop.after else 0)
        return prefix[last] - prefix[start]

    def after(stop: Break) -> int:
        return stop.token + 1

    sense = [c * width_px**2 for c in _sense(toks, candidates)]
    # best[k][j]: the least cost of k+1 lines, the last ending at candidate j
    inf = float("inf")
    count = len(candidates)
    best = [[inf] * count for _ in range(lines - 1)]
    back = [[-1] * count for _ in range(lines - 1)]
    for j, stop in enumerate(candidates):
        w = width(0, stop)
        if w <= width_px:
            best[0][j] = (width_px - w) ** 2 + sense[j]
    for k in range(1, lines - 1):
        for j, stop in enumerate(candidates):
            for i in range(j):
                if best[k - 1][i] == inf:
                    continue
                w = width(after(candidates[i]), stop)
                if w > width_px:
                    continue
                cost = best[k - 1][i] + (width_px - w) ** 2 + sense[j]
                if cost < best[k][j]:
                    best[k][j], back[k][j] = cost, i
    total, last = inf, -1
    for j in range(count):
        if best[lines - 2][j] == inf:
            continue
        w = width(after(candidates[j]), None)
        if w <= width_px:
            cost = best[lines - 2][j] + (width_px - w) ** 2
            if cost < total:
                total, last = cost, j
    if last < 0:
        return None
    chosen = [last]
    for k in range(lines - 2, 0, -1):
        chosen.append(back[k][chosen[-1]])
    return tuple(reversed(chosen))


def _sense(toks: Sequence[linebreak.Token], candidates: list[Break]) -> list[float]:
    """What breaking at each candidate costs in the sense (see
    :data:`SHORT_END_COST`), in units of the column's width squared."""
    text = "".join(t.char if t.char != NBSP else " " for t in toks)
    starts = [0]  # where each token's text starts in ``text``
    for tok in toks:
        starts.append(starts[-1] + len(tok.char))
    out: list[float] = []
    for stop in candidates:
        if stop.after:
            out.append(0.0)  # inside a compound: neither
            continue
        # the word before the break and the first letter after it (read
        # from the break outwards: a heading has up to MAX_BREAKS of them)
        end = starts[stop.token]
        while end and text[end - 1].isspace():
            end -= 1
        before = text[text.rfind(" ", 0, end) + 1 : end]
        at = starts[stop.token + 1]
        while at < len(text) and text[at].isspace():
            at += 1
        word = before.strip("\"'«»„“”‘’()[]")
        following = text[at : at + 1]
        cost = 0.0
        if word.isalpha() and word.islower() and len(word) <= SHORT_WORD:
            cost += SHORT_END_COST
        in_name = word[:1].isupper() and following.isupper() and before[-1:] not in PHRASE_MARKS
        if before[-1:] == ":":
            cost -= COLON_END_GAIN
        elif before[-1:] in PHRASE_MARKS or (following.isupper() and not in_name):
            cost -= PHRASE_END_GAIN
        if in_name:
            cost += NAME_BREAK_COST
        if _joins_a_phrase(text[:end], text[at:]):
            cost += COORDINATION_COST
        if DATIVE_END.search(word) and word.islower() and following.islower():
            cost += COORDINATION_COST
        elif GENITIVE_END.search(word) and len(word) > 5 and following.islower():
            cost += COORDINATION_COST / 2
        out.append(cost)
    return out


def _joins_a_phrase(before: str, after: str) -> bool:
    """Whether a break between ``before`` and ``after`` parts two nouns
    under one article, the conjunction opening the line
    (:data:`COORDINATION_COST`)."""
    marks = "\"'«»„“”‘’()[],;:"
    ahead = [w.strip(marks) for w in after.split(None, 2)[:2]]
    behind = [w.strip(marks) for w in before.split()[-2:]]
    if len(ahead) < 2 or len(behind) < 2 or ahead[0].lower() not in CONJUNCTIONS:
        return False
    article = behind[0].lower() in ARTICLES and behind[1][:1].islower()
    return article and ahead[1][:1].islower() and ahead[1].lower() not in OPENERS


def _prefix(
    toks: Sequence[linebreak.Token], size_px: float, family: str, bold: bool
) -> list[float] | None:
    """The advance (px) before each token and after the last; None when a
    character cannot be measured here (a face the project brings, a
    character printed from another face)."""
    from diglot import fonts

    if family not in fonts.FAMILIES:
        return None
    prefix = [0.0]
    for tok in toks:
        advance = 0.0
        if tok.char and tok.char != linebreak.WORD_JOINER:
            table, _hyphen = linebreak._glyph_widths(family, tok.italic, bold or tok.bold)
            code = ord(tok.char)
            if code not in table:
                return None
            advance = table[code] * size_px + tok.extra_em * size_px
        prefix.append(prefix[-1] + advance)
    return prefix


def enforce(inner: str, chosen: tuple[int, ...]) -> str:
    """A heading's inner HTML with only the ``chosen`` breaks left open."""
    toks = linebreak.tokens(inner)
    candidates = breaks_of(toks)
    keep = {candidates[n].token for n in chosen if n < len(candidates)}
    shut = {b.token: b for b in candidates if b.token not in keep}
    out: list[str] = []
    for index, tok in enumerate(toks):
        stop = shut.get(index)
        if stop is None:
            out.append(tok.src)
        elif stop.after:
            out.append(tok.src + linebreak.WORD_JOINER)
        else:
            out.append(NBSP)
    return "".join(out)


def planned_lines(inner: str, chosen: tuple[int, ...]) -> list[str]:
    """The lines' texts a heading set with ``chosen`` breaks should print."""
    toks = linebreak.tokens(inner)
    candidates = breaks_of(toks)
    out: list[str] = []
    line: list[str] = []
    stops = {candidates[n].token: candidates[n] for n in chosen if n < len(candidates)}
    for index, tok in enumerate(toks):
        stop = stops.get(index)
        if stop is not None and not stop.after:
            out.append("".join(line))
            line = []
            continue
        line.append(tok.char)
        if stop is not None:
            out.append("".join(line))
            line = []
    out.append("".join(line))
    return [_plain(text) for text in out]


def _plain(text: str) -> str:
    """A line's text as compared: spaces of every kind as one, no joiners."""
    text = text.replace(linebreak.WORD_JOINER, "").replace("\u00ad", "")
    return " ".join(text.split())


def apply(html: str, plan: Plan) -> str:
    """``html`` with the headings of ``plan`` set with its breaks."""
    if not plan:
        return html

    def one(m: re.Match[str]) -> str:
        index = _index(m)
        chosen = plan.get(index) if index is not None else None
        if chosen is None:
            return m[0]
        return f"<{m[1]}{m[2]}>{enforce(m[3], chosen)}</{m[1]}>"

    return _HEADING.sub(one, html)


def settle(
    html: str,
    lines: Sequence[proof.Line],
    plan: Plan,
    refused: set[int],
    guessed: set[int] | None = None,
) -> Plan:
    """The headings' plan after a layout of ``html`` set with ``plan`` (whose
    headings are laid out as ``lines``): a heading set as planned keeps its
    plan; one that is not (other lines, or a line running over its column)
    is put back as first fit sets it and joins ``refused`` (a plan in
    ``guessed``, known from another document, :func:`known`, is only put
    back, to be planned from the next layout); a heading of two lines or
    more not planned yet gets a plan when even lines differ from those it
    has."""
    guessed = guessed if guessed is not None else set()
    laid: dict[int, list[proof.Line]] = {}
    for line in lines:
        if line.mark >= 0 and line.area == "body":
            laid.setdefault(line.mark, []).append(line)
    out: Plan = {}
    for match in _HEADING.finditer(html):
        index = _index(match)
        found = laid.get(index) if index is not None else None
        if index is None or index in refused or not found or len({ln.page for ln in found}) > 1:
            continue
        texts = [_plain(ln.text) for ln in found]
        first = found[0]
        toks = linebreak.tokens(match[3])
        measure = (first.width + KERNING_PX, first.size, first.family, first.weight >= 600)
        best = None
        if 2 <= len(found) <= MAX_LINES and "<br" not in match[3]:
            best = balance(toks, *measure, len(found))
            if best is not None and GROW in (match[2] or "") and len(found) < MAX_LINES:
                best = _grown(toks, measure, best)
        if index in plan:
            inside = all(ln.overflow <= SAFETY_PX for ln in found)
            if not inside or texts != planned_lines(match[3], plan[index]):
                if index not in guessed:
                    refused.add(index)
                guessed.discard(index)
                _known.pop(_key(match), None)
                continue
            guessed.discard(index)
            # set as planned; for this column (a plan known from another
            # document may have been made for another width)
            out[index] = best if best is not None else plan[index]
        elif best is not None and planned_lines(match[3], best) != texts:
            out[index] = best
        if index in out:
            _known[_key(match)] = out[index]
    return out


Measure = tuple[float, float, str, bool]  # a heading's width, size, face and weight


def _grown(
    toks: Sequence[linebreak.Token], measure: Measure, chosen: tuple[int, ...]
) -> tuple[int, ...]:
    """``chosen``, or the breaks of one line more where those part no phrase
    that ``chosen`` parts (a heading marked :data:`GROW`)."""
    senses = _sense(toks, breaks_of(toks))

    def torn(plan: tuple[int, ...]) -> float:
        return sum(max(0.0, senses[j]) for j in plan)

    if torn(chosen) < COORDINATION_COST:
        return chosen
    more = balance(toks, *measure, len(chosen) + 2)
    return more if more is not None and torn(more) < torn(chosen) else chosen


def read_plan(data: Any, html: str) -> Plan | None:
    """A recorded plan (:func:`plan_data`) for ``html``, checked: every
    heading numbered in it, every ordinal one of its breaks."""
    if not isinstance(data, dict):
        return None
    counts = {
        index: len(breaks_of(linebreak.tokens(m[3])))
        for m in _HEADING.finditer(html)
        if (index := _index(m)) is not None
    }
    plan: Plan = {}
    for key, value in data.items():
        if not (isinstance(key, str) and key.isdigit() and int(key) in counts):
            return None
        if not (isinstance(value, list) and 0 < len(value) < MAX_LINES):
            return None
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in value):
            return None
        if sorted(set(value)) != value or not 0 <= value[0] <= value[-1] < counts[int(key)]:
            return None
        plan[int(key)] = tuple(value)
    return plan


def plan_data(plan: Plan) -> dict[str, list[int]]:
    """``plan`` as JSON data (numbers only)."""
    return {str(k): list(v) for k, v in sorted(plan.items())}
