"""Total-fit line breaking for justified paragraphs, enforced on WeasyPrint.

WeasyPrint breaks lines first-fit: each line takes as many words as fit,
whatever that leaves for the next one, so a justified column shows loose
lines and rivers. Knuth and Plass's total-fit algorithm chooses the breaks
of a whole paragraph at once, minimising the sum of the lines' badness
(how far their word spaces stretch); it is what TeX does. No Python
library implements it against a given renderer's metrics, so it is written
here (about a hundred lines) over:

- **WeasyPrint's own column width and font size** for each paragraph, read
  from a first layout's box tree;
- **the fonts' advance widths** (fontTools, the same Noto files WeasyPrint
  embeds): within 1 % of Pango's widths, kerning ignored, which errs wide;
- **break points**: spaces, after hyphens and dashes, and the hyphenation
  points pyphen gives (with the protections of :mod:`diglot.typography`);
  at most two hyphenated lines in a row.

The chosen breaks are enforced in the HTML: every space that is not a
chosen break is followed by U+2060 WORD JOINER (no break opportunity,
still a stretchable space), a chosen hyphenation point gets a hyphen,
and the paragraph is set ``hyphens: manual`` so WeasyPrint adds nothing.
A paragraph that comes out differently from the plan is put back as it was
(:func:`diglot.typography.settle` checks every one).
"""

from __future__ import annotations

import bisect
import html as html_mod
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

WORD_JOINER = "\u2060"
HYPHEN = "\u2010"  # what WeasyPrint prints at a hyphenation break
HYPHENS = frozenset("\u2010-\u00ad")  # a line ending with one is hyphenated (diglot.proof)
SPACE_EM = 0.26  # U+0020 in Noto Sans (Noto Serif's at its text width: 0.247)
WORD_SPACING_EM = -0.05  # spaces of a total-fit paragraph may shrink to 0.21 em (81 %)
# ... but its last line, which is not justified, keeps the face's own
# spaces (0.247 em in Noto Serif at its text width) where it has room for
# them, as TeX sets a last line with its natural glue: set at the shrunk
# 0.197 em, the last lines read denser than the lines above them, and a
# typographer took them for the text's normal space and the justified
# lines for loose ones ("up to 2.5 times normal").
LAST_SPACING = "word-spacing: 0em"
STRETCH_EM = 0.2  # the stretch at which a line's badness is 100
# In justified text a hyphen costs a half more than a line of badness 100
# (its word spaces stretched by STRETCH_EM): with glyph expansion's room,
# 150 took biography-kk's hyphenated lines from 88 to 86, the az-ru facing
# pages' 48 to 42, with no more loose lines; 200 and 250 (77 in
# biography-kk) left a hole in biography-kk-en-facing's packed pages.
# (At 100 before expansion, with the letter-spacing cost below, 26-28 % of
# biography-kk's lines were hyphenated.) Ragged text: RAGGED_HYPHEN_PENALTY.
HYPHEN_PENALTY = 150.0
# A break that parts a date's year from its day and month ("February 24, /
# 1994", "18 avqust / 1993-cü", "1982 жылғы / 24 қарашада") costs more
# than a loose line: taken only where every other way of breaking the
# paragraph has one more loose line and visible letter-spacing besides
# (at 1000, once letter-spacing cost too, year breaks in justified text
# went from 3 to 8; at 2000 they are 3 again, the loose lines under 4 %).
YEAR_PENALTY = 2000.0
IDEAL_EM = 0.3  # the word space a justified line aims at
TRACK_STRETCH_EM = 0.015  # letter-spacing a line may take to bring its spaces near IDEAL_EM
TRACK_LOOSE_EM = 0.03  # and at most, on a line whose spaces would be loose without it (0.015
# there too leaves 10 % of biography-kk's justified lines loose, 0.03 4.7 %, 0.035 3.4 %;
# with glyph expansion 0.025 4.0 %, 0.03 2.8 %)
# ... and on a line that would still be loose at that (LOOSE_EM), as much
# as this: the Sail's facing introduction, a piece of exactly four lines,
# had one such line (0.51 em read back)
TRACK_LAST_EM = 0.035
TRACK_SHRINK_EM = 0.01  # and give up to fit a word
# Letter-spacing over TRACK_SEEN_EM can be seen next to a line without it:
# it adds to a line's badness, up to TRACK_BADNESS at TRACK_LOOSE_EM (with
# the square), so total fit takes a hyphen or another break rather than
# space a line out: lines tracked over 0.02 em in biography-kk went from
# 27 % to 17 %, in genocide-az-ru-facing from 24 % to 11 %, and fewer
# were loose.
TRACK_BADNESS = 300.0
TRACK_SEEN_EM = 0.02
# A mean word space above this (diglot proof's limit is 0.5 em) ... The
# widths here ignore kerning: poppler reads the printed spaces of a line
# wider, and with 0.48 two editions read back over 5 % loose (0.44 left
# genocide-az-en-facing's packed pieces a spread out of level).
LOOSE_EM = 0.46
LOOSE_BADNESS = 1000.0  # ... costs as much as this: fewer loose lines, not just less loose
# A second hyphenated line in a row (TeX's \doublehyphendemerits, 10,000
# there and here until two readers named pairs of hyphens among the three
# worst faults left: at 100,000 biography-kk's pairs went 7 -> 5,
# genocide-az-ru-facing's 9 -> 4, biography-kk-en-facing's 9 -> 4, their
# loose lines and lines letter-spaced over 0.03 em unchanged).
LADDER_DEMERITS = 100000.0
# ... and ten times as much in ragged text, which needs no hyphen to fill a
# line: readers of the side-by-side booklets and handouts named pairs of
# hyphenated lines in their narrow columns (biography-kk-en 7 -> 6 pairs,
# the Letter handout 4 -> 2; the rest have no other breaking within the
# ragged tolerance).
RAGGED_LADDER_DEMERITS = 1000000.0
# A paragraph's last line that opens with the end of a word hyphenated on
# the line before ("...səlahiyyət- / lərini."): TeX's \finalhyphendemerits,
# in proportion to a hyphen's own cost, (10 + HYPHEN_PENALTY)².
FINAL_HYPHEN_DEMERITS = 30000.0
# ... and a last line that is nothing but that tail ("сайлан-/ған."), more
# than a loose line: a typographer read one at the head of biography-kk's
# p. 4 as a fragment left behind. A paragraph given one line more to keep
# a word whole at a page turn (typography._plans) had made it the cheapest
# way to fill the extra line.
FRAGMENT_DEMERITS = 2000000.0
# ... and in ragged text, a last line of one short word ("етті.", "Baku.",
# "KGB."), what a typographer reading biography-kk-en's columns called a
# one-word last line eight times: it costs as much as a line of the
# paragraph left about three em shorter, so a word of the line above comes
# down to it where that line does not end the shorter by much more (at
# 6,000, about two em, five of the eight stayed alone; at 20,000, four).
RUNT_DEMERITS = 20000.0
RUNT_SHARE = 0.25  # of the measure: a last line of one word narrower than this
TOLERANCE_EM = 1.2  # word spaces a line may first be given at most (see plan)
# Ragged-right text (:func:`plan` with ``ragged``): a line's badness grows
# with the white it leaves at its end, 100 at this much (TeX's
# \raggedright allows 2 em of stretch; the side-by-side columns are about
# 18 em wide and their words long), and a line that leaves more than
# RAGGED_TOLERANCE of the measure white is not considered at first.
RAGGED_STRETCH_EM = 3.0
# ... counted from the rag zone: a line may end anywhere in the last
# RAGGED_ZONE of the measure at no cost (a typographer's rag zone, 12-15 %
# of the measure), so total fit no longer ends lines early to even them
# out (RAGGED_EARLY_PENALTY) and breaks fewer words.
RAGGED_ZONE = 0.13
# A ragged line only ends shorter without a hyphen, so there a hyphen costs
# three times as much (a typographer counted a quarter of the Azerbaijani
# column's lines hyphenated), and a capitalised word's ten times: a title's
# noun broken ("Res-/publikası") reads as a name broken. Hyphenated lines
# read back: biography-kk-en 197 -> 126, genocide-az-en 68 -> 52, the
# handouts 142 -> 81 and 40 -> 26; capitalised words broken 43 -> 12.
RAGGED_HYPHEN_PENALTY = 300.0
RAGGED_CAPITAL_PENALTY = 1000.0
RAGGED_TOLERANCE = 0.45
# A ragged line that ends a sentence short of the measure, the next flush
# left, reads as a paragraph's end where paragraphs are marked by an indent
# (a typographer counted ten such "paragraphs without an indent" in
# biography-kk-en, most before a Kazakh date kept whole: "партиясын
# басқарды." / "1993 жылғы 3 қазанда"): a line ending a sentence more than
# FALSE_END_SLACK of the measure short costs FALSE_END_PENALTY times the
# square of its white in slacks. Flat, it stayed under a date parted from
# its year (YEAR_PENALTY), and "басқарды." stood 39 % short over the date;
# now a line a third short costs more (about 2,500) and parts the date
# after its year's word ("1993 жылғы / 3 қазанда").
FALSE_END_SLACK = 0.15
FALSE_END_PENALTY = 500.0
# ... and a ragged line ended before a word that would have fit after it
# costs about as much as a line two em shorter: evening the line ends out,
# total fit had ended 13.5 % of biography-kk-en's lines so ("President
# Heydar / Aliyev's", "Resolution / 853"), which a typographer read as
# lines broken early, a rag deeper than it need be. (Made demerits of their
# own as dear as a hyphen, the early lines went from 8 % to 4.7 %, and a
# typographer given both versions unnamed graded the columns C+ against
# B and B-: twice as many lines ending 45 pt short, long and short lines
# in turn. Evened out within the zone reads better than filled first.)
RAGGED_EARLY_PENALTY = 30.0

# What ends a sentence (or a clause): its mark, then closing quotes or
# brackets. One reading for the ragged lines here, diglot.facing's cut of a
# page held in step and diglot.typography's names over a line's end.
SENTENCE_MARKS = ".!?…"
CLAUSE_MARKS = ",;:"
_CLOSERS = "\"'”’»“«)\\]"


@cache
def _end_of(marks: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(marks)}][{_CLOSERS}]*$")


def ends_with(text: str, marks: str = SENTENCE_MARKS) -> bool:
    """Whether ``text`` ends with one of ``marks`` (a sentence's end by
    default), closing quotes or brackets after it."""
    return _end_of(marks).search(text) is not None


# Justified text breaks a capitalised word (names are protected whole; what
# is left are titles' nouns: "Respub-/likası", "Preziden-/ti", "Комитеті-/нің")
# as dearly as ragged text, about as much as a loose line: broken in the six
# justified editions 43 -> 23 (9 -> 4 in biography-kk), loose lines 41 -> 42,
# lines tracked over 0.02 em 168 -> 181 of 1,501. At 300 none was saved.
CAPITAL_PENALTY = 1000.0
# A break that leaves only three letters on the line ("soy-/qırımı",
# "məs-/ələ", "Вер-/ховного") costs twice a hyphen (ragged text's hyphens
# cost more already): a typographer read them as a careless setting. In
# the six justified editions 73 -> 55 of them, hyphenated lines 371 -> 364,
# lines tracked over 0.02 em 181 -> 188 of 1,501, loose lines unchanged.
SHORT_PIECE_PENALTY = 200.0
MAX_LADDER = 2
# A word that already holds a hyphen ("8–11‑шақырылымдарының") is broken
# only where the paragraph cannot be set in its lines otherwise (plan's
# ``compounds``), as dearly as a capitalised word: biography-kk-en's
# paragraph of it had been given back to WeasyPrint, which broke the same
# word and set the lines before it first-fit, one ending a sentence half a
# column short over a line flush left ("тік кеңесшісі болды." / "1970–1989
# жылдары"), read as a paragraph without its indent.
COMPOUND_PENALTY = 1000.0
# A line set a step narrower or wider than the paragraph (glyph expansion,
# diglot.fonts.HZ_WIDTHS) costs a little, so of two ways of breaking as
# good the one nearer the paragraph's own width is taken.
HZ_STEP_BADNESS = 10.0  # times the square of the steps
# and letter-spacing a line condensed to the narrowest still needs to fit
# (at -TRACK_SHRINK_EM): free, 55 of biography-kk's 353 justified lines
# took it, dark beside their neighbours
HZ_SHRINK_BADNESS = 60.0
# A line is set wider than the paragraph only while its word spaces are
# wider than this (a typesetter's maximum word space for justified text),
# and narrower only to fit: glyph width chosen to bring every line to the
# ideal space swung lines between the narrowest and the widest, darker and
# lighter, which read worse than the spaces it evened.
HZ_WIDE_EM = 0.4
# Two lines one above the other set more than a step apart (:func:`_fitness`:
# a condensed line over an expanded one, or over a letter-spaced one) cost
# this, times the square of the steps beyond the first (TeX's
# \adjdemerits): two readers saw "Республики" 8.5 % wider in one line than
# in another of the same paragraph, the page's grey changing line by line.
ADJACENT_DEMERITS = 10000.0
# At the widest, a line is letter-spaced only as much as keeps its word
# spaces under this (the proof reads spaces a little wider than measured
# here: kerning): spaces a little wide read better than letters spaced out.
HZ_SPACE_MOST_EM = 0.43
# ... and on facing pages never more than this (``track_most``): two
# typographers read the same word 7-9 % wider on one line than on the next
# ("Әзірбайжан" 53.3 and 58.0 pt), the widest width letter-spaced up to
# TRACK_LAST_EM beside lines set narrower, as the grey changing from line
# to line, their first fault. At 0.015 no line of the facing editions is
# spaced over 0.02 em (50 of 938 were); their loose lines went from 0-0.6
# to 0-2.7 %. Booklets keep TRACK_LAST_EM: the steps that bring their pages
# to the foot (diglot.typography.loosen) need it, and with 0.015 the longer
# plans that fill a short page have two to seven loose lines each.
HZ_TRACK_MOST_EM = 0.015
NO_FITNESS = -100  # the paragraph's first line has none above it; a last line counts for none
BREAK_AFTER = frozenset("-\u2010\u2013\u2014/")
_TOKEN = re.compile(r"(<[^>]*>)|(&[#\w]+;)|(.)", re.S)


@dataclass
class Token:
    src: str  # as in the HTML
    char: str  # the character ('' for a tag, or for the text of a footnote)
    italic: bool = False
    bold: bool = False
    after: str = ""  # inserted after it when enforcing the breaks
    extra_em: float = 0.0  # width printed after it that is not its own: a note call


# A note call prints its number, superscript at 0.65 em (styles/blocks.css);
# a digit of Noto Serif is 0.559 em wide.
CALL_DIGIT_EM = 0.559 * 0.65
_NOTE = re.compile(r'<(span|a|sup)\b[^>]*\bclass="(footnote|note-call)"[^>]*\bdata-n="([^"]*)"')


def tokens(inner_html: str) -> list[Token]:
    """The characters and tags of a paragraph's HTML, each character with the
    style (italic, bold) of the inline element it is in. The text of a
    footnote (printed at the page's foot) counts as tags, its call as width
    after the character before it."""
    out: list[Token] = []
    italic = bold = 0
    hidden = 0  # depth of the spans inside a footnote, when in one
    for match in _TOKEN.finditer(inner_html):
        tag, entity, char = match.groups()
        if tag is not None:
            name = re.match(r"</?\s*(\w+)", tag)
            closing = tag.startswith("</")
            note = _NOTE.match(tag)
            if hidden:
                if name and name[1].lower() == "span":
                    hidden += -1 if closing else 1
            elif note is not None:
                last = next((t for t in reversed(out) if t.char), None)
                if last is not None:
                    last.extra_em += CALL_DIGIT_EM * len(note[3])
                hidden = 1 if note[2] == "footnote" else 0
            elif name and name[1].lower() in ("em", "i"):
                italic += -1 if closing else 1
            elif name and name[1].lower() in ("strong", "b"):
                bold += -1 if closing else 1
            out.append(Token(tag, ""))
        elif hidden:
            out.append(Token(entity or char, ""))
        else:
            text = html_mod.unescape(entity) if entity else char
            out.append(Token(entity or char, text, italic > 0, bold > 0))
    return out


@cache
def _glyph_widths(
    family: str, italic: bool, bold: bool, wdth: int | None = None
) -> tuple[dict[int, float], float]:
    """Advance widths (em) by code point for one face, and U+2010's, read
    from the file it is printed from; ``wdth``: Noto Serif at that width
    (:data:`diglot.fonts.HZ_WIDTHS`), else at the text's own
    (:data:`diglot.fonts.TEXT_WDTH`). A variable file standing in for a
    static instance not made yet prints at its default width, and is
    measured so."""
    from diglot import cache as cache_mod
    from diglot import fonts

    style = "italic" if italic else "normal"
    weight = 700 if bold else 400
    pinned = wdth or fonts.text_width(family)
    candidates = [
        f for f in fonts.faces() if f.family == family and f.style == style and f.wdth == pinned
    ]
    face = min(candidates, key=lambda f: abs(f.weight - weight))
    source = face.printed()
    # kept on disk: reading a face's widths with fontTools costs a tenth of
    # a second, and total fit with glyph expansion reads ten faces a build
    name = f"widths-{cache_mod.file_digest(source)}-{weight}-{wdth}"
    stored = cache_mod.load_data(name)
    if isinstance(stored, dict):
        widths: dict[int, float] = stored
    else:
        from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

        with TTFont(source, lazy=True) as font:  # closed: the widths are all that is kept
            upem = font["head"].unitsPerEm
            location = {"wght": weight} if "fvar" in font else None
            glyphs = font.getGlyphSet(location=location)
            widths = {cp: glyphs[n].width / upem for cp, n in font.getBestCmap().items()}
        cache_mod.store_data(name, widths)
    return widths, widths.get(0x2010, widths.get(0x2D, 0.33))


def advance_em(text: str, family: str, bold: bool = False) -> float:
    """The advance width of ``text`` set upright in ``family``, in em
    (kerning left out; a character the face lacks counts 0.6 em)."""
    widths, _hyphen = _glyph_widths(family, False, bold)
    return sum(widths.get(ord(ch), 0.6) for ch in text)


@dataclass(frozen=True)
class Breakpoint:
    token: int  # index of the token the line ends with
    kind: str  # "space" (the space is dropped), "after" (a hyphen or dash), "hyphen"
    tracking: float = 0.0  # letter-spacing (em) of the line that ends here
    wdth: int = 0  # the width its glyphs are set at (glyph expansion), 0: the paragraph's
    # what breaking here costs besides the line's white: planning's own, not
    # part of the break (the settle cache reads breaks back without it)
    penalty: float = field(default=0.0, compare=False)
    # a space after a sentence's end (planning's own too: FALSE_END_SLACK)
    stop: bool = field(default=False, compare=False)
    # a justified paragraph's last line set with the face's own word spaces
    # (:data:`LAST_SPACING`), not the paragraph's shrunk ones
    spaced: bool = False
    # on a paragraph's last break: the demerits of all its lines (planning's
    # own: what a paragraph given another number of lines costs more)
    demerits: float = field(default=0.0, compare=False)


def plan(
    toks: list[Token],
    width_px: float,
    size_px: float,
    hyphenate: Callable[[str], list[int]],
    family: str = "Noto Serif",
    lines: int | None = None,
    justify_last: bool = False,
    at_most: bool = False,
    indent_px: float = 0.0,
    dear: frozenset[int] = frozenset(),
    ragged: bool = False,
    widths: tuple[int, ...] = (),
    track_most: float = TRACK_LAST_EM,
    compounds: bool = False,
) -> list[Breakpoint] | None:
    """The breaks of least total demerits for a paragraph, one per line (the
    last is the paragraph's end, kind ``end``, with its line's tracking), or
    None when none fits (a word longer than the column). ``lines`` asks for exactly that
    many lines (with ``at_most``, no more than that); ``justify_last``
    treats the last line as justified too (a paragraph continued on the
    next page); ``indent_px`` is the first line's indent (``text-indent``);
    ``dear``: the spaces (token indices) that part a date's year from its
    day and month (:func:`diglot.typography.year_breaks`), where a break
    costs :data:`YEAR_PENALTY`.

    ``ragged``: the paragraph is set ragged-right. Its spaces keep their
    width, its lines take no letter-spacing, and a line's badness is the
    white it leaves at its end past the rag zone (:data:`RAGGED_ZONE`,
    :data:`RAGGED_STRETCH_EM`); a line ended before a word that would have
    fitted costs :data:`RAGGED_EARLY_PENALTY`. Total fit so fills the lines
    as first fit does, but takes a word down to a line that would end far
    short where a long word or a date comes; a date's year is parted from
    it only where holding the date whole would leave a line nearly half
    empty.

    ``widths``: glyph expansion (:data:`diglot.fonts.HZ_WIDTHS`, justified
    Noto Serif only). Each line is set at :data:`diglot.fonts.HZ_BASE`
    while it fits and its spaces are under :data:`HZ_WIDE_EM`, else
    narrower until it fits or wider until they are not (each break's
    ``wdth``), a step costing :data:`HZ_STEP_BADNESS`; letter-spacing only
    where the widest (or narrowest) is not enough, at most ``track_most``
    (:data:`HZ_TRACK_MOST_EM` on facing pages).

    ``compounds``: a word joined by a hyphen ("8–11‑шақырылымдарының") may
    be hyphenated too, at :data:`COMPOUND_PENALTY` (only where the
    paragraph has no breaks without it)."""
    chars = [i for i, t in enumerate(toks) if t.char]
    if not chars:
        return None
    steps: tuple[int | None, ...] = () if ragged else widths
    steps = steps or (None,)
    spaces: dict[int, int] = {}
    # prefix sums over token order, one row per width
    order = {i: n for n, i in enumerate(chars)}
    rows: list[list[float]] = []
    space_px: list[float] = []
    hyphen_px: list[float] = []
    for step in steps:
        glyph_space = _glyph_widths(family, False, False, step)[0].get(32, SPACE_EM)
        space = (glyph_space + WORD_SPACING_EM) * size_px
        row = [0.0]
        for i in chars:
            tok = toks[i]
            if tok.char in (" ", "\u00a0"):
                advance = space
                spaces[i] = 1
            elif tok.char == WORD_JOINER:
                advance = 0.0
            else:
                table = _glyph_widths(family, tok.italic, tok.bold, step)[0]
                advance = table.get(ord(tok.char), 0.55) * size_px
            row.append(row[-1] + advance + tok.extra_em * size_px)
        rows.append(row)
        space_px.append(space)
        hyphen_px.append(_glyph_widths(family, False, False, step)[1] * size_px)
    from diglot import fonts

    base = steps.index(fonts.HZ_BASE) if fonts.HZ_BASE in steps else 0
    space = space_px[base]
    hyphen_cost = RAGGED_HYPHEN_PENALTY if ragged else HYPHEN_PENALTY

    candidates: list[Breakpoint] = []
    for pos, i in enumerate(chars):
        char = toks[i].char
        if char == " " and 0 < pos < len(chars) - 1:
            before = "".join(toks[n].char for n in chars[max(0, pos - 3) : pos])
            full_stop = ragged and ends_with(before)
            penalty = YEAR_PENALTY * (i in dear)
            candidates.append(Breakpoint(i, "space", penalty=penalty, stop=full_stop))
        elif char in BREAK_AFTER and 0 < pos < len(chars) - 1:
            nxt = toks[chars[pos + 1]].char
            if nxt.isalpha() and toks[chars[pos - 1]].char.isalpha():
                candidates.append(Breakpoint(i, "after"))
    for first, stop in _words(toks, chars):
        compound = _in_compound(toks, chars, first, stop)
        if compound and not compounds:
            continue
        word = "".join(toks[i].char for i in chars[first:stop])
        # a capitalised word is broken last (a typographer read "Res-/publikası",
        # a title's noun, as a name broken), a piece of three letters late
        cost = hyphen_cost
        if word[:1].isupper():
            cost = RAGGED_CAPITAL_PENALTY if ragged else CAPITAL_PENALTY
        if compound:
            cost = max(cost, COMPOUND_PENALTY)
        for cut in hyphenate(word):
            dear_cut = max(cost, SHORT_PIECE_PENALTY) if cut <= 3 else cost
            candidates.append(Breakpoint(chars[first + cut - 1], "hyphen", penalty=dear_cut))
    candidates.sort(key=lambda b: b.token)
    ends = [*candidates, Breakpoint(chars[-1], "end")]

    space_sum = [0]
    glyph_sum = [0]
    for i in chars:
        space_sum.append(space_sum[-1] + spaces.get(i, 0))
        glyph_sum.append(glyph_sum[-1] + (toks[i].char != WORD_JOINER))

    def line(start_char: int, end: Breakpoint, step: int) -> tuple[float, int, int]:
        stop = order[end.token] + (0 if end.kind == "space" else 1)
        natural = rows[step][stop] - rows[step][start_char]
        count = space_sum[stop] - space_sum[start_char]
        glyphs = glyph_sum[stop] - glyph_sum[start_char] + 1  # WeasyPrint tracks the last too
        if start_char == 0:
            natural += indent_px  # the indent neither stretches nor takes tracking
        if end.kind == "hyphen":
            natural += hyphen_px[step]
        return natural, count, glyphs

    def tracking(natural: float, count: int, glyphs: int, step: int) -> float:
        """Letter-spacing (em) that brings the word spaces nearest the ideal;
        more, up to TRACK_LOOSE_EM, where the spaces would still be loose.
        None (0) in ragged text. With glyph expansion: none at a width short
        of the widest (the width does it); at the widest, only what keeps the
        gaps between words under HZ_SPACE_MOST_EM; negative only for a line
        that does not fit at the narrowest."""
        if ragged:
            return 0.0
        if len(steps) > 1:  # glyph expansion: the widest, then letter-spacing
            if natural > width_px:
                return max(-TRACK_SHRINK_EM, (width_px - natural) / glyphs / size_px)
            if step < len(steps) - 1:
                return 0.0
            # no more than keeps the gaps between words from being loose
            # (spaces a little wide read better than letters spaced out); a
            # gap is its space and the letter-spacing after the word's last
            # letter and after the space itself, as a reader (and poppler)
            # sees it
            if not count:
                return max(0.0, min(track_most, (width_px - natural) / glyphs / size_px))
            over = (width_px - natural) / count / size_px + space_px[step] / size_px
            track = (over - HZ_SPACE_MOST_EM) / max(glyphs / count - 2, 1.0)
            return max(0.0, min(track_most, track))
        ideal = natural + count * (IDEAL_EM * size_px - space_px[step])
        wanted = (width_px - ideal) / glyphs / size_px
        track = max(-TRACK_SHRINK_EM, min(TRACK_STRETCH_EM, wanted))
        if count and track == TRACK_STRETCH_EM:
            slack = width_px - natural - track * glyphs * size_px
            loose = (slack / count + space_px[step]) / size_px - LOOSE_EM
            if loose > 0:
                track = min(TRACK_LOOSE_EM, wanted)
                slack = width_px - natural - track * glyphs * size_px
                if (slack / count + space_px[step]) / size_px > LOOSE_EM:
                    track = min(TRACK_LAST_EM, wanted)
        return track

    Setting = tuple[float, int, float, int, float, float, int]

    def setting(start_char: int, end: Breakpoint, free: bool) -> Setting:
        """How a line is set: its width with tracking, its spaces, tracking,
        glyph width (0 without expansion), what that costs, its spaces'
        least width (px) and its fitness (:func:`_fitness`)."""
        if free:  # a paragraph's last line: at the paragraph's width
            natural, count, _ = line(start_char, end, base)
            return natural, count, 0.0, steps[base] or 0, 0.0, space_px[base], NO_FITNESS
        chosen = base
        natural, count, glyphs = line(start_char, end, chosen)
        if len(steps) > 1:
            # the paragraph's own width while the line fits and its spaces are
            # not wide; else narrower until it fits, or wider until they are not
            if natural > width_px:
                while chosen > 0 and natural > width_px:
                    chosen -= 1
                    natural, count, glyphs = line(start_char, end, chosen)
            elif count:
                while (
                    chosen < len(steps) - 1
                    and (width_px - natural) / count + space_px[chosen] > HZ_WIDE_EM * size_px
                ):
                    chosen += 1
                    natural, count, glyphs = line(start_char, end, chosen)
        track = tracking(natural, count, glyphs, chosen)
        cost = HZ_STEP_BADNESS * (chosen - base) ** 2 if len(steps) > 1 else 0.0
        if track < 0 and len(steps) > 1:
            cost += HZ_SHRINK_BADNESS * (track / TRACK_SHRINK_EM) ** 2
        width = natural + track * glyphs * size_px
        fitness = _fitness(chosen - base, track) if len(steps) > 1 else 0
        return width, count, track, steps[chosen] or 0, cost, space_px[chosen], fitness

    # A line whose word spaces would stretch past TOLERANCE_EM is not
    # considered at first (TeX's tolerance): that keeps the number of open
    # break points small. Only when no breaks fit within it is every line allowed.
    begins = [order[e.token] + 1 for e in ends]  # where a line after each break starts
    # (ragged) where the word after each space break ends: the line would
    # have held it when the text up to there fits
    word_ends: list[int] = []
    if ragged:
        spaced = [order[e.token] for e in ends if e.kind == "space"] + [len(chars)]
        word_ends = [
            spaced[bisect.bisect_right(spaced, begins[j])] if e.kind == "space" else -1
            for j, e in enumerate(ends)
        ]

    def early(start_char: int, j: int) -> bool:
        """Whether the line from ``start_char`` to break ``j`` (a space) would
        have held the word after it (ragged text)."""
        if not word_ends or word_ends[j] < 0:
            return False
        held = rows[base][word_ends[j]] - rows[base][start_char]
        return held + (indent_px if start_char == 0 else 0.0) <= width_px

    last = toks[chars[-1]].char
    ends_hyphenated = last in HYPHENS and len(chars) > 1 and toks[chars[-2]].char.isalpha()
    for tolerance in (TOLERANCE_EM, None):
        found = _search(
            ends,
            begins,
            (setting, early),
            (width_px, size_px, space),
            lines,
            (justify_last, at_most, ends_hyphenated, ragged),
            tolerance,
        )
        if found is not None:
            if not ragged and not justify_last:
                start = order[found[-2].token] + 1 if len(found) > 1 else 0
                natural, count, _ = line(start, found[-1], base)
                # (the room the face's own spaces take, and a pixel to spare)
                if count and natural - count * WORD_SPACING_EM * size_px < width_px - 1.0:
                    found[-1] = replace(found[-1], spaced=True)
            return found
    return None


def _search(
    ends: list[Breakpoint],
    begins: list[int],
    lines_of: tuple[
        Callable[[int, Breakpoint, bool], tuple[float, int, float, int, float, float, int]],
        Callable[[int, int], bool],
    ],
    sizes: tuple[float, float, float],
    lines: int | None,
    flags: tuple[bool, bool, bool, bool],
    tolerance: float | None,
) -> list[Breakpoint] | None:
    """The dynamic programme of :func:`plan` over the break candidates
    ``ends``; ``lines_of``: how a line is set, and whether a ragged line
    would have held the word after it."""
    setting, early = lines_of
    width_px, size_px, _ = sizes
    justify_last, at_most, ends_hyphenated, ragged = flags
    # best[(index into ends or -1, hyphen run, lines so far, fitness)] =
    # (demerits, previous); the number of lines is only told apart when a
    # number is asked for, the fitness (how far a line is set from the
    # paragraph's width, :func:`_fitness`) only with glyph expansion.
    Key = tuple[int, int, int, int]
    best: dict[Key, tuple[float, Key | None]] = {(-1, 0, 0, NO_FITNESS): (0.0, None)}
    active: list[Key] = [(-1, 0, 0, NO_FITNESS)]
    starts: dict[int, int] = {-1: 0}
    tracks: dict[Key, tuple[float, int]] = {}
    exact = lines is not None and not at_most
    limit = None if tolerance is None else tolerance * size_px
    if ragged and tolerance is not None:
        limit = RAGGED_TOLERANCE * width_px
    for j, end in enumerate(ends):
        found: list[Key] = []
        still: list[Key] = []
        free = end.kind == "end" and not justify_last
        settings: dict[int, tuple[float, int, float, int, float, float, int]] = {}
        for node in active:
            i, run, count_lines, before = node
            if lines is not None and count_lines + 1 > lines:
                continue  # no later line can follow it either
            if exact and end.kind == "end" and count_lines + 1 != lines:
                still.append(node)
                continue
            if i not in settings:
                settings[i] = setting(starts[i], end, free)
            natural, count, track, wdth, expanded, least, fitness = settings[i]
            if natural > width_px + 0.01:
                if end.kind != "space":
                    still.append(node)  # every later line from a space is longer still
                continue
            still.append(node)
            # The paragraph's own last character may be a hyphen: a piece of
            # a paragraph split at a hyphenated line (diglot.facing) ends with
            # the hyphen its line was measured with, a line of the run too.
            hyphen = end.kind in ("hyphen", "after") or (end.kind == "end" and ends_hyphenated)
            new_run = run + 1 if hyphen else 0
            if new_run > MAX_LADDER:
                continue
            if free:
                tail = run and not ends_hyphenated
                demerits = 1.0 + (
                    (FRAGMENT_DEMERITS if count == 0 else FINAL_HYPHEN_DEMERITS) if tail else 0.0
                )
                if ragged and count == 0 and i >= 0 and natural < RUNT_SHARE * width_px:
                    demerits += RUNT_DEMERITS
            else:
                badness = _badness(width_px - natural, count, sizes, ragged, limit)
                if badness is None:
                    continue  # too loose: leave it to the second search
                if wdth and count:
                    badness += _tightness(width_px - natural, count, size_px, least)
                penalty = end.penalty + expanded
                short = (width_px - natural) / width_px
                if end.stop and short > FALSE_END_SLACK:
                    penalty += FALSE_END_PENALTY * (short / FALSE_END_SLACK) ** 2
                if ragged and end.kind == "space" and early(starts[i], j):
                    penalty += RAGGED_EARLY_PENALTY
                if track > TRACK_SEEN_EM:
                    over = (track - TRACK_SEEN_EM) / (TRACK_LOOSE_EM - TRACK_SEEN_EM)
                    badness += TRACK_BADNESS * over**2
                demerits = (10 + badness + penalty) ** 2
                if new_run > 1:
                    demerits += RAGGED_LADDER_DEMERITS if ragged else LADDER_DEMERITS
            if NO_FITNESS not in (before, fitness):
                demerits += ADJACENT_DEMERITS * max(0, abs(fitness - before) - 1) ** 2
            key = (j, new_run, count_lines + 1 if lines is not None else 0, fitness)
            candidate = best[node][0] + demerits
            if key not in best or candidate < best[key][0]:
                if key not in best:
                    found.append(key)
                best[key] = (candidate, node)
                tracks[key] = (round(track, 4), wdth)
        starts[j] = begins[j]
        active = still + found
    finals = [(v[0], k) for k, v in best.items() if k[0] == len(ends) - 1]
    if not finals:
        return None
    total, key = min(finals)
    chosen: list[Breakpoint] = []
    at: Key | None = key
    while at is not None and at[0] >= 0:
        track, wdth = tracks[at]
        chosen.append(replace(ends[at[0]], tracking=track, wdth=wdth))
        at = best[at][1]
    chosen[0] = replace(chosen[0], demerits=total)
    return list(reversed(chosen))


def _tightness(slack: float, count: int, size_px: float, space: float) -> float:
    """With glyph expansion, the badness of word spaces under the ideal: 100
    at the least they may have, with the cube (TeX's shrink). Without it a
    tight line cost nothing, and total fit set lines at the narrowest width
    with their spaces at 0.21 em next to loose ones."""
    under = IDEAL_EM * size_px - (slack / count + space)
    if under <= 0:
        return 0.0
    return 100 * (under / (IDEAL_EM * size_px - space)) ** 3


def _fitness(steps: int, track: float) -> int:
    """How far a justified line is set from the paragraph's own width: its
    ``steps`` of glyph expansion from it, letter-spacing of TRACK_STRETCH_EM
    counting as one more (TeX's fitness classes: very tight to very loose)."""
    return round(steps + track / TRACK_STRETCH_EM)


def _badness(
    slack: float,
    count: int,
    sizes: tuple[float, float, float],
    ragged: bool,
    limit: float | None,
) -> float | None:
    """The badness of a line that leaves ``slack`` px to fill over its
    ``count`` spaces (justified) or at its end (``ragged``); None when
    that is past ``limit`` (:func:`_search`'s tolerance)."""
    width_px, size_px, space = sizes
    if ragged:
        slack = max(0.0, slack)
        if limit is not None and slack > limit:
            return None
        over = max(0.0, slack - RAGGED_ZONE * width_px)
        return 100 * (over / (RAGGED_STRETCH_EM * size_px)) ** 3
    if limit is not None and (
        (count and slack / count + space > limit) or (not count and slack > limit)
    ):
        return None
    if count == 0:
        # a lone word short of the measure ("Юрий" / "Андропов
        # ...") is as bad as its white in one word space: a
        # paragraph given more lines than it needs spreads them
        # over several lines rather than strand one word
        ratio = slack / (STRETCH_EM * size_px)
        return 0.0 if slack < 1 else 100 * ratio**3 + LOOSE_BADNESS
    ratio = slack / count / (STRETCH_EM * size_px)
    badness = 100 * ratio**3
    if (slack / count + space) / size_px > LOOSE_EM:
        badness += LOOSE_BADNESS
    return badness


def _words(toks: list[Token], chars: list[int]) -> list[tuple[int, int]]:
    """(start, end) positions in ``chars`` of runs of letters."""
    out = []
    start = None
    for pos, i in enumerate([*chars, -1]):
        letter = i >= 0 and toks[i].char.isalpha()
        if letter and start is None:
            start = pos
        elif not letter and start is not None:
            out.append((start, pos))
            start = None
    return out


COMPOUND_HYPHENS = frozenset("-\u2010\u2011")


def _in_compound(toks: list[Token], chars: list[int], first: int, stop: int) -> bool:
    """Whether the word at ``chars[first:stop]`` is joined to what comes
    before or after it by a hyphen ("8–11‑шақырылымдарының", "704‑бригаданың"):
    a word that already holds a hyphen is not hyphenated again. Decided here,
    for this one place: the same word standing alone may still be broken
    (typography's protected words hold for every place a word is in)."""
    before = toks[chars[first - 1]].char if first > 0 else ""
    after = toks[chars[stop]].char if stop < len(chars) else ""
    return before in COMPOUND_HYPHENS or after in COMPOUND_HYPHENS


def enforce(toks: list[Token], breaks: list[Breakpoint]) -> str:
    """The paragraph's HTML with only the chosen breaks left open, each line's
    letter-spacing and glyph width on spans around its runs of text."""
    chosen = {b.token: b for b in breaks}
    ends = sorted(chosen)
    out: list[str] = []
    is_open = False
    line = 0
    for index, tok in enumerate(toks):
        brk_line = breaks[line] if line < len(breaks) else None
        if not tok.char:  # a tag: close the run around it
            if is_open:
                out.append("</span>")
                is_open = False
            out.append(tok.src)
            continue
        if (
            not is_open
            and brk_line is not None
            and (brk_line.tracking or brk_line.wdth or brk_line.spaced)
        ):
            out.append(span(brk_line.tracking, brk_line.wdth, brk_line.spaced))
            is_open = True
        out.append(tok.src)
        brk = chosen.get(index)
        if brk is not None and brk.kind == "hyphen":
            # A visible hyphen, not a soft one: the line's span ends here, and
            # WeasyPrint draws the hyphen of a soft hyphen only when it breaks
            # inside one text box.
            out.append(HYPHEN)
        elif (
            brk is None
            and (tok.char == " " or tok.char in BREAK_AFTER)
            and not (index + 1 < len(toks) and toks[index + 1].char == WORD_JOINER)
        ):
            # one joiner is enough (typography.tie may have put one there);
            # each is letter-spaced like a glyph and would widen the gap
            out.append(WORD_JOINER)
        if brk is not None:
            if is_open:
                out.append("</span>")
                is_open = False
            line = ends.index(index) + 1
    if is_open:
        out.append("</span>")
    return "".join(out)


def span(tracking: float, wdth: int, spaced: bool = False) -> str:
    """The opening tag around a line's text: its glyph width (a class of
    diglot.fonts), letter-spacing and, on a last line, the face's own word
    spaces (:data:`LAST_SPACING`)."""
    from diglot import fonts

    attrs = f' class="{fonts.width_class(wdth)}"' if wdth else ""
    styles = [f"letter-spacing: {tracking}em"] if tracking else []
    if spaced:
        styles.append(LAST_SPACING)
    if styles:
        attrs += f' style="{"; ".join(styles)}"'
    return f"<span{attrs}>"


def hyphenator(lang: str, protected: frozenset[str]) -> Callable[[str], list[int]]:
    """Break positions for a word in ``lang``, the rules of the layouts
    (``hyphenate-limit-chars: 6 3 3``), none for protected words."""
    import pyphen

    name = pyphen.language_fallback(lang) if lang else None
    if name is None:
        return lambda word: []
    dictionary: Any = pyphen.Pyphen(lang=name, left=3, right=3)

    def positions(word: str) -> list[int]:
        if len(word) < 6 or word in protected:
            return []
        return [int(p) for p in dictionary.positions(word)]

    return positions
