"""How a page should look: the rules applied to every edition at render time.

- **Ties** (:func:`tie`): no line break inside a date or a number with its
  unit or suffix. Dates and numbers are found by the same recognition
  ``diglot check`` uses (:func:`recognised`); the spaces inside them become
  no-break spaces and their hyphens no-break hyphens ("1993‑cü",
  "226 000 рубль", "9 October"). Straight apostrophes between letters
  become ’.
- **Hyphenation** (:func:`session`, :func:`settle`): English uses US
  patterns unless a text declares ``en-GB``; names (capitalised words inside
  a sentence) and the parts of words that already hold a hyphen are never
  hyphenated; at most two hyphenated line ends in a row. WeasyPrint has no
  ``hyphenate-limit-lines``, so the limit is a measure-and-adjust loop: lay
  out, find the third hyphenated line of a run in the box tree, lock the
  word broken there, lay out again.
- **Line breaking and pages** (:func:`settle`): justified paragraphs are
  broken as a whole (:mod:`diglot.linebreak`), and a near-empty page takes
  lines from the page before; one loop of layout passes does all of it,
  each pass only when the one before shows it is needed.
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
from functools import partial
from typing import Any

from diglot import facts, headings, hyphenation, languages, proof, settlecache, weasy

BOOKLETS = ("booklet", "facing")
# Layouts of one settle() loop: the last ones check the trials of moves
# (widows, whole entries of a record: entries_over), which genocide-az-en's
# first loop reached only after four layouts of its own at five; a compound
# tie tried and undone, then its line taken over the page, takes seven.
MAX_PASSES = 7
RAGGED_BELOW = 55  # characters per line under which a column is set ragged-right
CHAR_EM = 0.5  # mean advance of a character of running text, in em (Noto Serif)
PAPER_WIDTH_MM = {"A4": 210.0, "A5": 148.0, "A6": 105.0, "Letter": 215.9, "half-letter": 139.7}
# Inner + outer page margins (mm) and body size (pt) of the built-in layouts.
SIDE_MARGINS_MM = {"booklet": 34.0, "facing": 34.0, "handout": 30.0}
BODY_PT = {"booklet": 9.5, "facing": 9.5, "handout": 9.5}
COLUMN_GAP_MM = 5.0

NBSP = "\u00a0"
NB_HYPHEN = "\u2011"
WORD_JOINER = "\u2060"

_state: dict[str, set[str]] = {"words": set()}
# The boxes of the facing measuring column's paragraphs, by their mark
# (data-m), as the last measuring layout gave them: the pages' pieces of
# those paragraphs are planned from them before the pages' first layout
# (:func:`_piece_boxes`).
_measured: dict[str, dict[str, Any]] = {}
# Word pairs tied in every paragraph of the edition being laid out (a date
# facing pages split between two spreads: diglot.facing.turn_ties)
_tied: set[tuple[str, str]] = set()


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


_SUFFIX = re.compile(r"(?<=\d)-(?=[^\W\d_])")  # 1993-cü, 176-дан, 3-і
_NUMBER_WORD = re.compile(r"(?<=\d) (?=([^\W\d_]+))")  # 226 000 рубль, 9 October
# ... but a word that is no number's unit or month, the conjunction or
# preposition that goes on after it, begins the next line as well as any:
# "The crisis of 1993 and / the return to power" kept "1993 and" together
# (a typographer read the heading torn). No library lists a language's
# function words; these are the ones the corpus's numbers meet ("of" is
# not one: "37 of the 45" stays whole).
_FREE_WORDS = {
    "en": "and or but nor to the a an in on at for from by with as than",
    "az": "və ilə ki ya yaxud ancaq amma",
    "kk": "және мен бен пен немесе бірақ да де та те",
    "ru": "и а но или да по до на за из от при для как",
}
_AFTER_NUMBER_FREE = {lang: frozenset(words.split()) for lang, words in _FREE_WORDS.items()}
_RANGE = re.compile(r"(?<=\d)([\u2013\u2014])(?=\d)")  # 8–11: no break after the dash
_RANGE_HYPHEN = re.compile(r"(?<=\d)-(?=\d)")  # 1991-1993
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
_NUMERO = re.compile(r"(№|(?<![^\W_])No\.) (?=\d)")  # № 853, No. 853
# Abbreviations of more than one word that a line may not break: az "və s.",
# "və b." ("and so on", "and others"), ru "и т. д.", "и т. п.", "т. е.",
# "и др.", kk "т. б.", "т. с. с.". Babel and CLDR have no such list, so it is
# kept here; the spaces inside one become no-break spaces.
_ABBREVIATION = re.compile(
    r"(?<![^\W_])(?:və [sb]\.|и т\. [дп]\.|т\. [екн]\.|и (?:др|пр)\.|т\. ?(?:б|с\. ?с)\.)(?![^\W_])"
)
# Russian typesetting keeps a one-letter word (a preposition, a conjunction,
# a pronoun: "в", "к", "с", "о", "и", "а", "у", "я") off the end of a line:
# it goes on with the word after it.
_ONE_LETTER = re.compile(r"(?<![^\W_])([ВвКкСсОоИиАаУуЯя]) (?=[^\W_]|[«„“(])")
# A spaced dash never opens a line ("— деген."): it stays with the word
# before it, in every language.
_DASH = re.compile(r" (?=[\u2014\u2013] )")
# An abbreviation in capitals keeps its case ending ("КСР-інің", "BMT-nin",
# "NATO-nun"): the hyphen after it is a no-break hyphen.
_CAPS_ENDING = re.compile(r"(?<![^\W\d_])([^\W\d_]{2,})-(?=[^\W\d_])")


def _tie_caps_ending(match: re.Match[str]) -> str:
    return match[1] + NB_HYPHEN if match[1].isupper() else match[0]


# A name of two capitalised parts ("Тер-Петросян", "Nagorno-Karabakh",
# "Secretary-General") is not broken at its hyphen: a reader took
# "Ter- / Petrosyan" for two names.
_NAME_COMPOUND = re.compile(r"(?<![^\W\d_])([^\W\d_]+)-(?=([^\W\d_]+))")


def _tie_name_compound(match: re.Match[str]) -> str:
    first, second = match[1], match[2]
    if first[0].isupper() and second[0].isupper():
        return first + NB_HYPHEN
    return match[0]


_PART = re.compile(r"\d+(?:[-\u2011][^\W\d_]+)?|[^\W\d_]+|[^\s]")


def _date_space(span: str, at: int) -> tuple[bool, bool]:
    """What the space ``span[at]`` of a date allows: whether a line may
    break there, and whether that break parts the year from the day and
    month (which text set ragged never takes and total fit takes only to
    spare a loose line: :func:`year_breaks`).

    A line may break before the year ("February 24, / 1994", "25 fevral /
    1997-ci il"), after a comma, between two words ("fevral / ayının
    26-sı", "1997-ci / il") and before a day that follows a year ("1982 жылы
    / 22 қарашада"). A day stays with its month and a number with its word
    or its thousands ("24 February", "February 24", "fevralın 24-də", "226
    000"): a whole date as one unit leaves short lines in narrow columns.
    The year is parted before it, after a month or the comma after a day,
    and after the year's word before the day."""
    before = _PART.findall(span[:at])
    after = _PART.findall(span[at + 1 :])
    if not before or not after:
        return False, False
    prev, nxt = before[-1], after[0]
    number = nxt.split("-")[0]
    after_year = len(before) >= 2 and re.fullmatch(r"\d{4}", before[-2]) is not None
    if re.fullmatch(r"\d{4}", number):
        parts_year = prev == "," or prev[0].isalpha()
    else:
        parts_year = re.fullmatch(r"\d{1,2}", number) is not None and after_year
    if prev == ",":
        return True, parts_year
    if prev[0].isdigit():
        return False, False  # "24 February", "226 000", "1982 жылы"
    if prev[0].isalpha() and nxt[0].isalpha():
        # (after the year's word, "1992 жылғы / мамырда", the month leaves its year)
        return True, after_year
    digits = re.match(r"\d+", nxt)
    if digits is None:
        return False, False
    if len(digits.group()) == 4:
        return True, parts_year  # the year
    # a day after a month ("February 24") stays; after "жылы" of a year it may go
    return after_year, parts_year


# An initial: one capital letter and a full stop, or one of the two-letter
# initials of Latin transliteration (M. Yu. Lermontov, Kh. Zh. …), not inside
# a word (the "А." of "США." is no initial).
_INITIAL = re.compile(r"(?<![^\W_])(?:[^\W\d_]|Ch|Kh|Sh|Ts|Ya|Ye|Yo|Yu|Zh)\. (?=([^\W\d_]+)(\.?))")


def _tie_initial(match: re.Match[str]) -> str:
    """The space after an initial, made no-break when the initial is followed
    by another initial or by a name: a capitalised word of two letters or
    more ("С. М. Киров", "S. K. Tsvigun", "В. Эфендиевтің"). A sentence that
    ends in a one-letter word ("World War I. A new …") does not tie the next
    sentence's "A": a lone capital letter without a full stop is no name."""
    initial, after, stop = match[0][:-2], match[1], match[2]
    if not (initial[0].isupper() and after[0].isupper()):
        return match[0]
    if len(after) == 1 and not stop:
        return match[0]
    return initial + "." + NBSP


# The longest date ragged text keeps on one line (every English date,
# "September 30, 1993"); a longer one ("18 avqust 1993-cü ildə", "1923
# жылғы 10 мамырда", "24 февраля 1996 года") may break before its year or
# after "жылғы", as in justified text: kept whole at a line's end it left
# more than half of a column of about 34 characters blank.
WHOLE_DATE_CHARS = 18


# In a title a given name stays with the name after it ("Heydər / Əliyevin
# rolu" was broken on the record's page and in its heading): a capitalised
# word of at most NAME_CHARS letters and the capitalised word after it are
# tied, two by two, never a longer run (a title's run of capitalised nouns
# would make a line too long to move whole).
NAME_CHARS = 10
_NAME_PAIR = re.compile(rf"(?<![\w\u00a0])([^\W\d_]{{1,{NAME_CHARS}}}) (?=[^\W\d_])")


def keep_names(title: str) -> str:
    """``title`` with each given name tied to the name after it, and each
    short word in lower case to the word after it (:data:`SHORT_WORD`)."""

    def one(m: re.Match[str]) -> str:
        word = m[1]
        after = title[m.end() :]
        if not (word[0].isupper() and after[:1].isupper()):
            return m[0]
        return word + NBSP

    named = _NAME_PAIR.sub(one, title)
    return _SHORT.sub(lambda m: m[1] + NBSP if m[1].islower() else m[0], named)


# Nor does a line of a title end on a short word in lower case, a
# conjunction or preposition ("soyqırımı və / faciələrinin", "в донесении
# до / мира": a typographer read both as faults): a word of at most
# SHORT_WORD letters goes with the word after it.
SHORT_WORD = 3
_SHORT = re.compile(rf"(?<![\w\u00a0\u2011'’-])([^\W\d_]{{1,{SHORT_WORD}}}) (?=[^\W\d_])")


# A key date's event does not end on a line of one short word ("…yekun /
# nitq", "…secretary- / general": a typographer counted four such lines
# in genocide-az-en's key dates): its last word of at most RUNT_CHARS
# letters goes with the word before when the two make at most
# RUNT_PAIR_CHARS, and a last compound of at most RUNT_PAIR_CHARS is not
# broken at its hyphen. The key dates are set by WeasyPrint, unhyphenated
# and ragged (their date is a block of its own), so this is done in the text.
# A last word of more letters is a line of its own ("Convention": tied,
# "on accession to the / Genocide Convention" left a line short, which a
# later reader named). A name the two words end ("the Taza Pir Mosque")
# is kept whole within RUNT_PAIR_CHARS: "Taza / Pir Mosque" parted it.
RUNT_CHARS = 8
RUNT_PAIR_CHARS = 22


def keep_last_words(text: str) -> str:
    """``text`` (one line of an event) with its last word kept with the one
    before it, and a last compound kept whole (:data:`RUNT_CHARS`); a name
    those words end, with them."""
    head, space, last = text.rpartition(" ")
    if "-" in last and len(last) <= RUNT_PAIR_CHARS:
        last = last.replace("-", NB_HYPHEN)
    if not space:
        return last
    before = head.rpartition(" ")[2]
    if len(last) > RUNT_CHARS or len(before) + 1 + len(last) > RUNT_PAIR_CHARS:
        return f"{head} {last}"
    kept = f"{before}{NBSP}{last}"
    head = head[: len(head) - len(before)]
    while before[:1].isupper() and head.endswith(" "):
        rest, _, word = head[:-1].rpartition(" ")
        if not (word[:1].isupper() and len(word) + 1 + len(kept) <= RUNT_PAIR_CHARS):
            break
        kept, before = f"{word}{NBSP}{kept}", word
        head = f"{rest} " if rest else ""
    return f"{head}{kept}"


# An initialism ("UN", "USSR", "BMT", "КСРО") does not end a line of a key
# date's event: "…president of the UN / Security Council" and "the UN /
# secretary-general" read to a typographer as a name broken; it goes with
# the word after it.
_INITIALISM = re.compile(r"(?<![\w\u00a0\u2011-])([^\W\d_a-zа-яё]{2,5}) (?=[^\W\d_])")


def keep_initialisms(text: str) -> str:
    """``text`` with each initialism (two to five capitals) tied to the word
    after it."""
    return _INITIALISM.sub(lambda m: m[1] + NBSP if m[1].isupper() else m[0], text)


def tie(text: str, language: str, whole_dates: bool = False) -> str:
    """``text`` with no-break spaces and hyphens inside its dates and numbers
    (and between a number and the word after it, and after "№"), after initials (see
    :func:`_tie_initial`), inside abbreviations such as "və s." and "и т. д.",
    before a spaced dash, after an abbreviation in capitals before its case
    ending, inside a name of two capitalised parts ("Тер-Петросян"), after
    a Russian one-letter word, and curly apostrophes. A date may break before its
    year (:func:`_date_space`), where total fit weighs that break against a
    loose line (:func:`year_breaks`); with ``whole_dates`` (text set ragged,
    where a short line costs little) a short date does not
    (:data:`WHOLE_DATE_CHARS`): a long one kept whole left a hole of half a
    narrow column before it ("КСРО — / 2003 жылғы 12 желтоқсан").
    The words of the dates are not hyphenated in the edition being laid out
    (see :func:`session`)."""
    if not text:
        return text
    chars = list(text)
    for start, end in facts.value_spans(text, language):
        # nor a hyphen inside one: its words ("fevral") are protected while
        # the edition is laid out
        _state["words"].update(_WORD.findall(text[start:end]))
        span = text[start:end]
        for index in range(start, end):
            if chars[index] == " ":
                may, parts_year = _date_space(span, index - start)
                if not may or (whole_dates and parts_year and len(span) <= WHOLE_DATE_CHARS):
                    chars[index] = NBSP
            elif chars[index] == "-":
                chars[index] = NB_HYPHEN
    out = "".join(chars)
    out = _RANGE.sub("\\1" + WORD_JOINER, out)
    out = _RANGE_HYPHEN.sub(NB_HYPHEN, out)
    out = _SUFFIX.sub(NB_HYPHEN, out)
    free = _AFTER_NUMBER_FREE.get(languages.base_language(language), frozenset())
    out = _NUMBER_WORD.sub(lambda m: " " if m[1].lower() in free else NBSP, out)
    out = _NUMERO.sub("\\1" + NBSP, out)
    out = _ABBREVIATION.sub(lambda m: m[0].replace(" ", NBSP), out)
    out = _INITIAL.sub(_tie_initial, out)
    out = _DASH.sub(NBSP, out)
    out = _CAPS_ENDING.sub(_tie_caps_ending, out)
    out = _NAME_COMPOUND.sub(_tie_name_compound, out)
    # Russian one-letter words, in Russian and in Russian quoted in a text
    # of a language not written in Cyrillic (the English record of changes:
    # "«и в / 1993 году»"); not in another Cyrillic language's own words.
    if languages.base_language(language) == "ru" or not languages.writes_cyrillic(language):
        out = _ONE_LETTER.sub("\\1" + NBSP, out)
    return _APOSTROPHE.sub("\u2019", out)


# -- hyphenation ------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]*>")
_LANG_ATTR = re.compile(r'\blang="([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)"')
_STYLE = re.compile(r"<(style|head)\b.*?</\1>", re.S | re.I)
_WORD = re.compile(r"[^\W\d_]+")
_COMPOUND = re.compile(r"[^\W\d_]+(?:[-\u2010\u2011][^\W\d_]+)+")
# what an initial leaves before a name: "Ф. ", "Yu. " (see _INITIAL)
_AFTER_INITIAL = re.compile(r"(?<![^\W_])(?:[^\W\d_]|Ch|Kh|Sh|Ts|Ya|Ye|Yo|Yu|Zh)\.\s+$")
# an opening quotation mark or bracket opens a sentence only where one could
# start anyway, or after a colon or a comma ("he said, «The ..."); inside a
# sentence it opens a name («Коммерсантъ» газеті, the title “Karbalai”)
# A domain name or an address's host ("president.az", "ru.wikisource.org"):
# Pango hands the hyphenation each word between the dots alone, so the
# parts are kept whole ("presi-dent.az" broke a web address at a line end).
_DOMAIN = re.compile(r"(?<![\w.])[^\W\d_]{2,}(?:\.[\w-]+)*\.[a-z]{2,6}(?![\w.])")
_SENTENCE_START = re.compile(r"(?:(?:^|[.!?…:]\s+|\n\s*)(?:[«“\"(]\s*)?|,\s*[«“\"(]\s*)$")


def protected_words(html: str) -> frozenset[str]:
    """Words of a document never to hyphenate: names, the parts of words
    that already hold a hyphen (Secretary-General, Nagorno-Karabakh,
    diplomatik-siyasi) and of domain names (president.az).

    A name is a capitalised word inside a sentence ("Heydar", "Xocalı",
    "Горбачев", "Azərbaycan", "Soyqırımı" in «Xocalı Soyqırımı Günü»),
    and so is an adjective made from a name ("Азербайджанской"), but not a
    noun of an institution's title ("Президента", "Республики":
    :func:`_title_word`), which may be broken as the same noun in lower
    case is. A word after an initial is inside a sentence ("С. Мұстафаевқа",
    "Ф. Дзержинский").
    Whether the text also writes a word's stem in lower case says nothing:
    "azərbaycanlı" and "әзірбайжандық" are made from the country's name.

    Not protected here: a word joined to a number by a hyphen
    ("8–11‑шақырылымдарының"). Protection holds for every place a word is
    in; total fit keeps such a word whole at that one place only
    (diglot.linebreak, ``_in_compound``).
    """
    body = _STYLE.sub("\n", html)
    words: set[str] = set()
    # block by block (a block's first word opens a sentence anyway), each
    # block's text read once per process: a facing edition renders its
    # template three times a build, and its blocks' ids differ between them
    for block in _BLOCK_END.split(body):
        text = html_mod.unescape(_TAG.sub("\n", block))
        words |= _protected_in(text)
    return frozenset(words)


_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|td|th|div|section|blockquote)\s*>", re.I)


@facts.text_cache(maxsize=65536)
def _protected_in(text: str) -> frozenset[str]:
    """:func:`protected_words` of one block's text."""
    words: set[str] = set()
    for match in _COMPOUND.finditer(text):
        words.update(_WORD.findall(match.group()))
    for match in _DOMAIN.finditer(text):
        words.update(_WORD.findall(match.group()))
    for match in _WORD.finditer(text):
        word = match.group()
        if not word[0].isupper():
            continue
        initial = _AFTER_INITIAL.search(text, max(0, match.start() - 5), match.start())
        initialled = initial is not None and initial[0][0].isupper()
        before = text[max(0, match.start() - 3) : match.start()]
        if not initialled and _SENTENCE_START.search(before):
            continue
        if _title_word(word):
            continue
        words.add(word)
    return frozenset(words)


# Capitalised words of institutions' titles that a text may never write in
# lower case ("Президента Азербайджанской Республики"): the beginnings of
# their common nouns (and of "Верховного", "Национального"). A short list
# kept by hand: no word list of these languages that tells names apart is
# packaged, and a name wrongly hyphenated is worse than a loose line.
# fmt: off
_TITLE_STEMS = (
    "президент", "республик", "парламент", "министр", "правительств", "конституц",
    "верховн", "национальн", "государствен", "организац", "федерац", "комитет",
    "комисси", "ассамбле", "распоряжени", "постановлени", "мемлекет",
    "министерств", "автономн", "центральн", "совет", "собрани",
    # Kazakh: autonomous, supreme, Majilis (assembly), council, central
    "автоном", "жоғарғы", "мәжіліс", "кеңес", "орталық",
    "prezident", "respublika", "parlament", "konstitusiya", "təşkilat", "hökumət",
    "muxtar", "məclis", "mərkəzi", "nazirlər", "komitə",
    "president", "republic", "parliament", "minister", "government", "constitution",
    "assembly", "committee", "commission", "council", "national", "organization",
    "supreme", "central", "autonomous", "ministry",
)
# fmt: on


def _title_word(word: str) -> bool:
    """Whether a capitalised ``word`` inside a sentence is a common noun of an
    institution's title ("Президента", "Republic", "Parlamenti"): it may be
    broken as the same noun in lower case is. The adjectives of a title are
    names ("Азербайджанской", "Ходжалинского") and are kept whole."""
    return _lower(word).startswith(_TITLE_STEMS)


def _lower(word: str) -> str:
    """Lower case, with the Turkic dotted and dotless I."""
    return word.replace("İ", "i").replace("I", "ı").lower() if "İ" in word else word.lower()


@contextlib.contextmanager
def session(languages: tuple[str, ...] | list[str]) -> Iterator[None]:
    """Hyphenation rules for laying out one edition (names, compounds and
    locked words are protected while it lasts)."""
    hyphenation.guard(list(languages))
    _state["words"] = set()
    _tied.clear()
    _measured.clear()
    headings.forget()
    try:
        yield
    finally:
        _state["words"] = set()
        _tied.clear()
        _measured.clear()
        hyphenation.protect(frozenset())
        hyphenation.keep_whole(frozenset())


State = tuple[frozenset[str], frozenset[tuple[str, str]]]


def state() -> State:
    """The words locked and the pairs tied in the edition being laid out:
    what :func:`restore` puts back after a layout that is thrown away."""
    return frozenset(_state["words"]), frozenset(_tied)


def restore(saved: State) -> None:
    """Lock and tie what was locked and tied when ``saved`` was taken."""
    _state["words"] = set(saved[0])
    _tied.clear()
    _tied.update(saved[1])
    hyphenation.protect(saved[0])


def tie_everywhere(pairs: set[tuple[str, str]] | frozenset[tuple[str, str]]) -> None:
    """Tie these (word, next word) pairs in every paragraph of the edition
    being laid out, from its next layout on (:func:`settle`)."""
    _tied.update(pairs)


def tied_everywhere() -> frozenset[tuple[str, str]]:
    """The pairs :func:`tie_everywhere` tied in the edition being laid out."""
    return frozenset(_tied)


def ladder_words(
    document: Any, skip: frozenset[int] = frozenset(), lines: list[proof.Line] | None = None
) -> set[str]:
    """For each run of more than two hyphenated line ends in a laid-out
    document, the word WeasyPrint broke on the run's third line (or the
    nearest line after it that WeasyPrint hyphenated): locking it shortens
    the run. Lines of the blocks in ``skip`` (``proof.Line.block``
    identities: paragraphs broken by :mod:`diglot.linebreak`, which keeps its
    own runs short) are left alone. ``lines``: the document's lines, when
    read already.

    Running heads and folios are not lines of a run: a paragraph's lines go
    on across a page break whether or not the page has them (so a run does
    not depend on where the page breaks of facing pages' measuring column
    fall, which differ when it is laid out in parts, see diglot.chunks)."""
    every = proof.lines_of(document) if lines is None else lines
    lines = [ln for ln in every if not ln.front and ln.area != "margin" and ln.block not in skip]
    found: set[str] = set()
    run: list[int] = []
    for index, line in enumerate([*lines, None]):
        continues = (
            line is not None and line.hyphenated and (not run or lines[run[-1]].block == line.block)
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


def _page_turns(lines: list[proof.Line]) -> Iterator[tuple[proof.Line, proof.Line]]:
    """Each body line that is its block's last on a page, with the block's
    next line on a later page (in one pass: the next line of each block is
    found walking back from the end)."""
    body = [ln for ln in lines if not ln.front and ln.area == "body"]
    after: dict[int, proof.Line] = {}
    turns: list[tuple[proof.Line, proof.Line]] = []
    for line in reversed(body):
        following = after.get(line.block)
        if following is not None and following.page != line.page:
            turns.append((line, following))
        after[line.block] = line
    return reversed(turns)


def _leaf_turns(line: proof.Line, following: proof.Line) -> bool:
    """Whether the reader turns the leaf between ``line`` at a page's foot
    and ``following``: at the foot of a recto (odd page), or of a verso
    whose text goes on past the facing page. At a verso's foot the text
    goes on across the spread."""
    return not (line.page % 2 == 0 and following.page == line.page + 1)


def turn_words(lines: list[proof.Line]) -> dict[str, int]:
    """The words hyphenated across a page turn: the last line of a block on
    a page ends with a hyphen and the word goes on in the block's first line
    on a later page, where the reader turns the leaf (:func:`_leaf_turns`).
    At a verso's foot the word goes on across the spread, and locking it
    there too costs loose lines in justified text (biography-kk went over
    5 %); a ragged line (the record of changes, side-by-side columns,
    handouts) only ends shorter, so there every page's foot keeps its word
    whole. Facing pages keep whole every word at every page's foot in their
    packing (diglot.facing.turn_words). Word -> the block's identity
    (``proof.Line.block``)."""
    found: dict[str, int] = {}
    for line, following in _page_turns(lines):
        if not line.hyphenated or (line.justified and not _leaf_turns(line, following)):
            continue
        if line.text.rstrip()[-1] != "\u2010":
            continue  # a hyphen of the text itself ("Nagorno-"): turn_ties
        word = proof.broken_word(line, following)
        if word:
            found[word] = line.block
    return found


def turn_ties(lines: list[proof.Line]) -> dict[int, set[tuple[str, str]]]:
    """The words a page broke apart that must stay together, as pairs of
    (last word on the page, first word on the next):

    - a date or a number: the last line of a block on a page ends inside
      one, at a break :func:`tie` allows within a line ("Heydər Əliyevin 25
      fevral" / "1997‑ci il"), and the block goes on on a later page. A
      reader should not carry a date over a page.
    - a compound broken at its own hyphen where the leaf turns
      ("қарым-" / "қатынас"): the first word of the pair ends in the
      hyphen, and :func:`tie_inner` makes it a no-break hyphen.

    Block identity (``proof.Line.block``) -> the pairs to tie."""
    found: dict[int, set[tuple[str, str]]] = {}
    for line, _following, pair in _parted(lines):
        found.setdefault(line.block, set()).add(pair)
    return found


def _parted(lines: list[proof.Line]) -> Iterator[tuple[proof.Line, proof.Line, tuple[str, str]]]:
    """The page turns that part words :func:`turn_ties` keeps together: the
    line before the turn, the line after it, and the pair of words."""
    above: dict[int, str] = {}  # a line's identity -> the text of its block's line above
    last_of: dict[int, str] = {}
    for ln in lines:
        above[id(ln)] = last_of.get(ln.block, "")
        last_of[ln.block] = ln.text
    for line, following in _page_turns(lines):
        tail, head = line.text.rstrip(), following.text.lstrip()
        if not tail or not head or tail[-1].isspace():
            continue
        if line.hyphenated:
            if compound_broken(tail, head) and _leaf_turns(line, following):
                yield line, following, turn_pair(tail, head)
        elif date_broken(tail, head, line.lang, above[id(line)]) or name_broken(
            tail, head, above[id(line)]
        ):
            yield line, following, turn_pair(tail, head)


def turn_widows(lines: list[proof.Line], marks: dict[int, int]) -> dict[int, str]:
    """For a date or compound a page turn still parts once the loop has
    settled (tying it made its paragraph a line longer, which would move
    every page after it): a ``widows`` declaration that takes the line
    ending in it over the page, when the page before keeps at least two of
    the block's lines, or else the whole block over (:func:`whole`), unless
    it follows a heading or begins its page. Keys are ``data-tf`` indexes
    (``marks``: block identity -> index)."""
    counts: dict[tuple[int, int], int] = {}
    for ln in lines:
        counts[ln.block, ln.page] = counts.get((ln.block, ln.page), 0) + 1
    pages = proof.by_page(lines)
    fixes: dict[int, str] = {}
    for line, following, _pair in _parted(lines):
        index = marks.get(line.block)
        if index is None:
            continue
        before, after = counts[line.block, line.page], counts[following.block, following.page]
        if before >= 3:
            fixes[index] = f"widows: {after + 1}; "
            continue
        body = [ln for ln in pages[line.page] if ln.area == "body"]
        at = next(i for i, ln in enumerate(body) if ln.block == line.block)
        spans = sum(n for (block, _page), n in counts.items() if block == line.block)
        if at > 0 and not body[at - 1].heading and spans == before + after:
            fixes[index] = whole(before + after)
    return fixes


# An entry of a record of changes: its place first ("p. 3", "title")
ENTRY = re.compile(r'<li data-tf="(\d+)"[^>]*>\s*<span class="where"')
# ... goes over a page whole where it has at most this many lines (a longer
# one turns over as a paragraph does, at least two lines on each page)
ENTRY_MOST = 12


def entries_over(html: str, lines: list[proof.Line], marks: dict[int, int]) -> dict[int, str]:
    """For an entry of a record of changes that a page turn parts: the
    declarations that take it over whole (:func:`whole`), unless it begins
    its page's text or has more than :data:`ENTRY_MOST` lines. Its place
    stands on its first line only, so its lines on the next page read as
    an entry without one: a typographer named genocide-en's two first
    among its faults (pp. 6-7, 7-8), where p. 8 was more than half empty.
    Every entry of the record at once (one moved pushes the next page's
    on, to part another), kept only where the record keeps its pages
    (:func:`settle`'s trial: biography-kk's record went onto the back
    cover with every entry kept whole; its last page is full, so one entry
    moved alone would take it there too). Keys are ``data-tf`` indexes
    (``marks``: block identity -> index)."""
    entries = {int(m[1]) for m in ENTRY.finditer(html)}
    pages: dict[int, list[int]] = {}
    opening: set[int] = set()  # entries whose first line is their page's first
    seen: set[int] = set()
    for ln in lines:
        if ln.area != "body":
            continue
        index = marks.get(ln.block)
        if index in entries and index not in pages and ln.page not in seen:
            opening.add(index)
        seen.add(ln.page)
        if index in entries:
            pages.setdefault(index, []).append(ln.page)
    movable = {i: on for i, on in pages.items() if 1 < len(on) <= ENTRY_MOST}
    if all(len(set(on)) == 1 or i in opening for i, on in movable.items()):
        return {}  # none parted
    # every entry at once: one moved whole pushes the next page's on, which
    # then parts another (genocide-az-en's record took a layout for each)
    return {index: whole(len(on)) for index, on in movable.items()}


def turn_pair(tail: str, head: str) -> tuple[str, str]:
    """The last word of ``tail`` and the first of ``head``, as the text has
    them: a paragraph set as planned holds a word joiner after each space
    it may not break at, which is no part of the word."""
    return tail.split()[-1].strip(WORD_JOINER), head.split()[0].strip(WORD_JOINER)


def compound_broken(tail: str, head: str) -> bool:
    """Whether a line ending in ``tail``, the next going on with ``head``,
    breaks a compound at its own hyphen ("Тер-" / "Петросянмен"; not a
    hyphen WeasyPrint put in, which is U+2010)."""
    return tail.endswith("-") and tail[-2:-1].isalpha() and head[:1].isalpha()


def name_broken(tail: str, head: str, before: str = "") -> bool:
    """Whether a line ending in ``tail``, the next going on with ``head``,
    parts two capitalised words inside a sentence: a name ("„қожайыны“
    Хейдар" / "Әлиевтің", "Heydar" / "Aliyev"), which a reader should not
    find over a page turn (a typographer did). ``before``: the text of the
    line above ``tail``'s, for the word before a line's only word. Not a
    word that opens a sentence ("… болды. Ол" / "Бакуге"), nor one with
    punctuation after it."""
    tail, head, before = (part.replace(WORD_JOINER, "") for part in (tail, head, before))
    words, heads = tail.split(), head.split()
    if not words or not heads:
        return False
    last, first = words[-1], heads[0]
    if not (last.isalpha() and last[0].isupper() and first[0].isalpha() and first[0].isupper()):
        return False
    earlier = words[:-1] or before.split()
    from diglot.linebreak import ends_with

    return bool(earlier) and not ends_with(earlier[-1])


def date_broken(tail: str, head: str, lang: str, before: str = "") -> bool:
    """Whether a line ending in ``tail``, the next going on with ``head``,
    breaks a date or a number in two, as ``diglot check`` finds them;
    ``before``: the text of the line above ``tail``'s, if any. Without it a
    line opening "5 наурыздан" (its year "1976 жылғы" on the line above)
    read "5 наурыздан 1982 жылғы" as one date, and the tie of its two
    dates made an unbreakable run of eight words that spaced biography-kk's
    lines out to 2.5 em. The word joiners of lines broken total-fit are
    not read (one after a space hid "1976 жылғы ⁠5 наурыздан" from the
    dates just so)."""
    tail, head, before = (part.replace(WORD_JOINER, "") for part in (tail, head, before))
    context = f"{before.rstrip()} " if before.strip() else ""
    at = len(context) + len(tail)  # the space between the two lines
    spans = facts.value_spans(f"{context}{tail} {head}", lang)
    return any(start < at < end for start, end in spans)


def tie_words(
    html: str, ties: settlecache.Ties, everywhere: frozenset[tuple[str, str]] = frozenset()
) -> str:
    """``html`` with each pair of words of ``ties`` joined by a no-break
    space in the paragraph (``data-tf`` index) it is given for, and each
    pair of ``everywhere`` in every paragraph, where the two words stand
    with a space between them."""
    if not ties and not everywhere:
        return html

    def one(m: re.Match[str]) -> str:
        mark = _MARK.search(m[1] or "")
        pairs = (ties.get(int(mark[1]), frozenset()) if mark else frozenset()) | everywhere
        if not pairs:
            return m[0]
        return f"<p{m[1] or ''}>{tie_inner(m[2], pairs)}</p>"

    return _PARAGRAPH.sub(one, html)


def tie_inner(inner: str, pairs: frozenset[tuple[str, str]] | set[tuple[str, str]]) -> str:
    """A paragraph's inner HTML with the word pairs joined (see
    :func:`tie_words`): by a no-break space, or, when the first word ends in
    a hyphen (a compound, :func:`turn_ties`), by a no-break hyphen."""
    for tail, head in sorted(pairs):
        tail, head = html_mod.escape(tail, False), html_mod.escape(head, False)
        if tail.endswith("-"):
            inner = inner.replace(f"{tail}{head}", f"{tail[:-1]}\u2011{head}")
        else:
            inner = inner.replace(f"{tail} {head}", f"{tail}{NBSP}{head}")
    return inner


def lock(words: set[str] | frozenset[str]) -> None:
    """Hyphenate ``words`` nowhere in the edition being laid out."""
    _state["words"].update(words)
    hyphenation.protect(frozenset(_state["words"]))


def locked() -> frozenset[str]:
    """The words not hyphenated in the edition being laid out now."""
    return frozenset(_state["words"])


def protect(html: str) -> set[str]:
    """Keep WeasyPrint from hyphenating the names, compounds and date words
    of ``html`` while the edition is laid out; the protected words."""
    words = _state["words"]
    words.update(protected_words(html))
    hyphenation.keep_whole(last_words(html))
    # Text in another language than the edition's (an English quotation in
    # the record of changes) is hyphenated with that language's patterns:
    # those must see the protected words too.
    hyphenation.guard(sorted(set(_LANG_ATTR.findall(html))))
    hyphenation.protect(frozenset(words))
    return words


def limit_ladders(html: str, lay_out: Callable[[str], Any]) -> Any:
    """Lay out ``html`` with names and compounds protected and no run of more
    than two hyphenated lines (WeasyPrint's own line breaks); the document."""
    return settle(html, lay_out, fit=False)[1]


# -- booklets ---------------------------------------------------------------------------


def blank_page_html(page_size: str, print_marks: bool) -> str:
    marks = "@page { bleed: 3mm; marks: crop; }" if print_marks else ""
    return (
        "<!DOCTYPE html><html><head><style>"
        f"@page {{ size: {page_size}; margin: 0; }} {marks}"
        "</style></head><body></body></html>"
    )


def blank_page(page_size: str, print_marks: bool) -> Any:
    """A laid-out document of one empty page of ``page_size`` (a CSS page
    size), with crop marks and bleed for print: the padding of booklets."""
    from diglot import pdf

    return pdf.load_weasyprint().HTML(string=blank_page_html(page_size, print_marks)).render()


def pad_to_four(document: Any, page_size: str, print_marks: bool) -> Any:
    """``document`` with blank pages added at the end up to a multiple of four."""
    missing = -len(document.pages) % 4
    if not missing:
        return document
    blank = blank_page(page_size, print_marks)
    return document.copy([*document.pages, *(blank.pages[0] for _ in range(missing))])


# -- total fit --------------------------------------------------------------------------

_PARAGRAPH = settlecache.PARAGRAPH
_MARK = re.compile(r'data-tf="(\d+)"')
_LINES = re.compile(r'data-lines="(\d+)"')
_ITEM = re.compile(r"<li(\s[^>]*)?>")
_STARTS = re.compile(r"<(p|li)(\s[^>]*)?>")
# What :func:`_rewrite` puts first in the style of a paragraph set as planned
PLANNED_STYLE = "hyphens: manual; word-spacing: "
# Paragraphs total fit leaves to WeasyPrint: forced line breaks, and links
# whose address the stylesheet prints after them (text not in the HTML).
_UNPLANNED = re.compile(r'<br\b|<a\b[^>]*class="[^"]*\bwith-url\b', re.I)


def number_paragraphs(html: str) -> str:
    """Give every ``<p>`` and ``<li>`` a ``data-tf`` index, so that its boxes
    can be found, and every heading a ``data-hb`` (:func:`diglot.headings.number`),
    so that :func:`settle` sets its lines even."""
    counter = iter(range(1_000_000))
    html = _PARAGRAPH.sub(lambda m: f'<p data-tf="{next(counter)}"{m[1] or ""}>{m[2]}</p>', html)
    return headings.number(_ITEM.sub(lambda m: f'<li data-tf="{next(counter)}"{m[1] or ""}>', html))


_TAG_OR_TEXT = re.compile(r"(<[^>]*>)|([^<]+)")
_LETTERS = re.compile(r"[^\W\d_][^\W\d_\u00ad\u2010\u2011-]*")


# Text WeasyPrint breaks: an edition set ragged (the layouts' body class),
# or a paragraph set ragged on its own (:func:`_addresses_ragged`). Justified
# text is broken total-fit, which keeps a paragraph's last word whole itself:
# protecting those words for WeasyPrint too (for all of their places) left
# justified editions looser (genocide-en 0.0 → 1.4 %).
_BODY = re.compile(r"<body\b[^>]*>")
_CLASS = re.compile(r'\bclass="([^"]*)"')


def last_words(html: str) -> frozenset[str]:
    """The last words of ``html``'s paragraphs set ragged (not of a
    paragraph continued on the next spread, whose last word is not the
    paragraph's), kept whole while it is laid out (:func:`protect`): a
    paragraph never ends on the tail of a word broken on the line before
    ("geno- / cide."). Total fit
    weighs the same break with a cost of its own
    (:data:`diglot.linebreak.FINAL_HYPHEN_DEMERITS`); this keeps ragged
    text, which WeasyPrint breaks, from it. (A ``<span>`` with ``hyphens:
    manual`` around the word did the same, but an inline box at a
    paragraph's end made WeasyPrint 70 set a word alone on a line when the
    paragraph held a protected word: "graduated from / the / Faculty".)
    Not on facing pages, whose text is justified by default and broken
    total-fit."""
    body = _BODY.search(html)
    found_classes = _CLASS.search(body[0]) if body is not None else None
    classes = found_classes[1].split() if found_classes is not None else []
    if "layout-facing" in classes:
        # Facing pages are measured in one document and laid out in
        # another, which holds more paragraphs (the front and end matter):
        # their last words, protected everywhere, would set the pages'
        # lines otherwise than measured.
        return frozenset()
    ragged = "align-ragged" in classes
    found = (
        last_word(m[2])
        for m in _PARAGRAPH.finditer(html)
        if "continues" not in (m[1] or "") and (ragged or "text-align: left" in (m[1] or ""))
    )
    return frozenset(word for word in found if word is not None)


def last_word(inner: str) -> str | None:
    """The last word of a paragraph's inner HTML (not one in a footnote),
    when it is long enough to be hyphenated; None when it ends with a
    number."""
    in_note: list[bool] = []  # per open span: a footnote's
    outside: list[str] = []  # text outside notes
    for m in _TAG_OR_TEXT.finditer(inner):
        tag, text = m[1], m[2]
        if tag is not None:
            name = re.match(r"</?\s*(\w+)", tag)
            if name is None or name[1].lower() != "span" or tag.endswith("/>"):
                continue
            if tag.startswith("</"):
                if in_note:
                    in_note.pop()
            else:
                in_note.append("footnote" in tag or bool(in_note and in_note[-1]))
        elif not (in_note and in_note[-1]):
            outside.append(text)
    for text in reversed(outside):
        if not text.strip():
            continue
        # the last run of letters, when nothing but punctuation follows it
        # (found in one pass: a pattern anchored at the end backtracks over
        # a long word, quadratic in a hostile text)
        word = next(reversed(list(_LETTERS.finditer(text))), None)
        if word is None or any(c.isalnum() for c in text[word.end() :]):
            if any(c.isalnum() for c in text):
                return None  # it ends with a number
            continue  # punctuation after a note's call or an emphasis
        if len(word[0]) < 6:  # too short to be hyphenated (hyphenate-limit-chars 6)
            return None
        return word[0]
    return None


Readout = tuple[dict[int, dict[str, Any]], list[proof.Line]]


def readout(document: Any) -> Readout:
    """What :func:`settle` reads of a laid-out document: its numbered
    paragraphs (:func:`_paragraph_boxes`) and its lines. A document laid out
    in parts (:mod:`diglot.chunks`) brings them as its ``readout``, gathered
    from the parts' box trees, which stay in the processes that made them."""
    known = getattr(document, "readout", None)
    if known is not None:
        return known  # type: ignore[no-any-return]
    return _paragraph_boxes(document), proof.lines_of(document)


def laid_lines(document: Any) -> list[proof.Line]:
    """The lines of :func:`readout` alone (its paragraphs not read)."""
    known = getattr(document, "readout", None)
    return known[1] if known is not None else proof.lines_of(document)


def _paragraph_boxes(document: Any) -> dict[int, dict[str, Any]]:
    """For each numbered paragraph: its style, column width and line count."""
    found: dict[int, dict[str, Any]] = {}

    def walk(box: Any) -> None:
        element = getattr(box, "element", None)
        mark = element.get("data-tf") if element is not None and hasattr(element, "get") else None
        if mark is not None and weasy.is_block(box):
            lines = weasy.line_boxes(box)
            entry = found.setdefault(
                int(mark),
                {
                    "width": float(box.width),
                    "size": float(box.style["font_size"]),
                    "lang": str(box.style["lang"] or ""),
                    "family": str(box.style["font_family"][0]),
                    "justify": box.style["text_align_all"] == "justify",
                    "ragged": _ragged(box, element),
                    "justify_last": box.style["text_align_last"] == "justify",
                    "indent": _indent_px(box),
                    "lines": 0,
                    "height": 0.0,
                    "overflow": False,
                    "elements": set(),
                },
            )
            entry["elements"].add(id(element))
            entry["lines"] += len(lines)
            entry["height"] += float(box.height)
            right = float(box.content_box_x()) + float(box.width) + 1.0
            entry["overflow"] |= any(
                t.position_x + t.width > right for line in lines for t in weasy.text_boxes(line)
            )
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(weasy.page_box(page))
    return found


def year_breaks(toks: list[Any], lang: str) -> frozenset[int]:
    """The spaces of a paragraph's tokens (:func:`diglot.linebreak.tokens`)
    that part a date's year from its day and month (:func:`_date_space`):
    the breaks :func:`tie` leaves open in justified text so that a date
    cannot make a loose line, which total fit takes only when the other
    breaks cost more."""
    plain: list[str] = []
    owner: list[int] = []
    for index, tok in enumerate(toks):
        if tok.char and tok.char != WORD_JOINER:
            plain.append(" " if tok.char == NBSP else "-" if tok.char == NB_HYPHEN else tok.char)
            owner.append(index)
    text = "".join(plain)
    dear: set[int] = set()
    for start, end in facts.value_spans(text, lang.split("-")[0].lower()):
        span = text[start:end]
        for at, char in enumerate(span):
            if char == " " and _date_space(span, at)[1]:
                dear.add(owner[start + at])
    return frozenset(dear)


def _ragged(box: Any, element: Any) -> bool:
    """Whether a paragraph is running text set ragged-right, which total
    fit breaks too: left-aligned, left to right, wrapping, and hyphenated
    (``hyphens: auto``, or the ``hyphens: manual`` of a paragraph set as
    planned, :func:`_rewrite`). Paragraphs the stylesheets keep unhyphenated
    (the colophon, key dates, verse) are left to WeasyPrint."""
    style = box.style
    # (a widow's declarations come first: turn_widows, widow_pages)
    planned = PLANNED_STYLE in (element.get("style") or "")
    return bool(
        style["text_align_all"] in ("left", "start")
        and style["direction"] == "ltr"
        and style["white_space"] == "normal"
        and (style["hyphens"] == "auto" or planned)
    )


def _indent_px(box: Any) -> float:
    """A paragraph's first-line indent in px (computed ``text-indent`` is a
    length or a percentage of the column)."""
    indent = box.style["text_indent"]
    if indent.unit == "%":
        return float(box.width) * float(indent.value) / 100
    return float(indent.value)


def _plans(
    html: str,
    boxes: dict[int, dict[str, Any]],
    only: dict[int, int | None] | None = None,
    filling: bool = False,
    turned: frozenset[int] = frozenset(),
) -> dict[int, tuple[str, int]]:
    """Total-fit breaks for the justified and ragged paragraphs
    (:func:`_ragged`) of ``html`` laid out as ``boxes``: for each, its
    enforced inner HTML and number of lines. A
    paragraph marked ``data-lines`` (a piece packed on facing pages) gets
    exactly that many lines; the others as many as suit them best.
    ``only``: plan just these paragraphs again, each with the given number
    of lines (a word was locked in it, the page breaks must not move).
    ``filling``: the plans bring a short page to its foot (:func:`loosen`).
    ``turned``: of ``only``, the ragged paragraphs planned again for a word
    locked or a name tied at a page turn (no compound tied on trial), which
    may take another number of lines where they cannot keep theirs."""
    from diglot import linebreak

    protected = frozenset(_state["words"])
    planned: dict[int, tuple[str, int]] = {}
    # Letter-spacing at the widest glyph width: a line is spaced out no
    # further than can be seen beside one set without it
    # (linebreak.TRACK_SEEN_EM; on facing pages less, HZ_TRACK_MOST_EM).
    # Two typographers read the same word up to 9 % wider on one line of
    # a one-language booklet than on the next at TRACK_LAST_EM; only the
    # longer plans that bring a short page to its foot (``filling``, from
    # loosen) may take that much.
    if _FACING in html:
        track_most = linebreak.HZ_TRACK_MOST_EM
    else:
        track_most = linebreak.TRACK_LAST_EM if filling else linebreak.TRACK_SEEN_EM
    for index, match, info in _plannable(html, boxes):
        if only is not None and index not in only:
            continue
        wanted = _LINES.search(match[1] or "")
        lines = int(wanted[1]) if wanted else None
        if only is not None and only[index]:
            lines = only[index]
        # (one line wanted of a paragraph laid out in two: total fit took
        # its last word back in the measuring column, so the page must too)
        if max(lines or 0, info["lines"]) < 2:
            continue
        toks = linebreak.tokens(match[2])
        ragged = not info["justify"]
        attempt = breaker(toks, info, protected, track_most)
        # Ragged text keeps the number of lines WeasyPrint gave it: the
        # rows of a side-by-side edition are planned from those (diglot.rows)
        breaks = attempt(lines=lines or (info["lines"] if ragged else None))
        if breaks is None and only is not None and lines and not ragged and wanted is None:
            # A word locked at a page turn may leave no breaks in as many
            # lines (biography-kk: «нығай-/туға» at a recto's foot, the
            # paragraph's spaces could not take the syllables back): one
            # line more moves the pages after it, which the next layout
            # reads back, rather than the word staying broken over the
            # leaf. Not where the line count is packed (facing pages).
            breaks = attempt(lines=lines + 1)
        if breaks is None and ragged:
            # ... or with a word that holds a hyphen broken (see
            # linebreak.COMPOUND_PENALTY), in as many lines
            breaks = attempt(lines=lines or info["lines"], compounds=True)
        if breaks is None and ragged and (wanted is not None or index in turned):
            # A ragged paragraph given its lines (a side-by-side row's,
            # diglot.rows.even) that cannot keep them with a word locked or
            # a compound tied at a page turn is set in as many as suit it;
            # one that cannot keep WeasyPrint's with a word locked or a name
            # tied, in one line more where it can be. Neither goes back to
            # WeasyPrint, which would break it first fit with no limit to
            # its hyphenated lines (biography-kk-en p. 4 had three in a row; three of its
            # paragraphs so ended sentences far short of the column, over a
            # line flush left). Not at once as many as suit it: free, total
            # fit set a paragraph of genocide-az-en two lines longer to
            # spare its hyphens, a hole of three lines in its row.
            more = attempt(lines=(lines or info["lines"]) + 1) if wanted is None else None
            breaks = more or attempt(lines=None)
        if breaks is not None:
            planned[index] = (linebreak.enforce(toks, breaks), len(breaks))
    return planned


def _plannable(
    html: str, boxes: dict[int, dict[str, Any]]
) -> Iterator[tuple[int, re.Match[str], dict[str, Any]]]:
    """The paragraphs of ``html`` total fit breaks, laid out as ``boxes``
    (:func:`_paragraph_boxes`): justified or ragged, in a face it measures,
    with no line break of their own nor text the stylesheet adds; each with
    its number (``data-tf``) and box."""
    from diglot import fonts

    for match in _PARAGRAPH.finditer(html):
        mark = _MARK.search(match[1] or "")
        info = boxes.get(int(mark[1])) if mark else None
        if mark is None or info is None or not (info["justify"] or info.get("ragged")):
            continue
        if info["family"] not in fonts.FAMILIES or _UNPLANNED.search(match[2]):
            continue
        yield int(mark[1]), match, info


def line_options(
    html: str, document: Any, marks: set[int], spans: tuple[int, ...] = (-2, -1, 1, 2)
) -> dict[int, tuple[int, dict[int, float]]]:
    """For the paragraphs of ``html`` numbered in ``marks`` (laid out as
    ``document``) that total fit breaks: how many lines they have, and what
    setting each in that many lines and ``spans`` more costs, in total-fit
    demerits (:func:`diglot.linebreak.plan`; a number of lines it cannot be
    set in is left out). Ragged text is planned in the lines WeasyPrint
    gave it, as :func:`settle` does; justified in as many as suit it."""
    from diglot import linebreak

    protected = frozenset(_state["words"])
    found: dict[int, tuple[int, dict[int, float]]] = {}
    for index, match, info in _plannable(html, _paragraph_boxes(document)):
        if index not in marks:
            continue
        attempt = breaker(linebreak.tokens(match[2]), info, protected, linebreak.TRACK_SEEN_EM)
        lines = info["lines"]
        costs: dict[int, float] = {}
        for count in (lines, *(lines + span for span in spans)):
            wanted = count if count != lines or not info["justify"] else None
            breaks = attempt(lines=wanted) if count >= 2 else None
            if breaks is not None and len(breaks) == count:
                costs[count] = breaks[-1].demerits
        if lines in costs:
            found[index] = (lines, costs)
    return found


def breaker(
    toks: list[Any], info: dict[str, Any], protected: frozenset[str], track_most: float
) -> Callable[..., Any]:
    """:func:`diglot.linebreak.plan` for the paragraph of tokens ``toks``
    laid out as ``info`` (:func:`_paragraph_boxes`), with the words in
    ``protected`` kept whole; it takes plan's ``lines``."""
    from diglot import fonts, linebreak

    hz = fonts.HZ_WIDTHS if fonts.hz_ready() else ()
    return partial(
        linebreak.plan,
        toks,
        info["width"] - 0.5,
        info["size"],
        linebreak.hyphenator(info["lang"], protected),
        info["family"],
        justify_last=info["justify_last"],
        indent_px=info["indent"],
        dear=year_breaks(toks, info["lang"]),
        ragged=not info["justify"],
        widths=hz if info["family"] == fonts.HZ_FAMILY else (),
        track_most=track_most,
    )


def _rewrite(
    html: str,
    planned: dict[int, tuple[str, int]],
    keep: set[int],
    extra: dict[int, str] | None = None,
) -> str:
    """``html`` with the paragraphs in ``keep`` set as planned, and the
    ``extra`` CSS declarations on the numbered elements it names."""
    from diglot import linebreak

    def one(m: re.Match[str]) -> str:
        attrs = m[1] or ""
        mark = _MARK.search(attrs)
        index = int(mark[1]) if mark else -1
        if index not in keep:
            return m[0]
        style = f"{PLANNED_STYLE}{linebreak.WORD_SPACING_EM}em; "
        return f"<p{_with_style(attrs, style)}>{planned[index][0]}</p>"

    html = _PARAGRAPH.sub(one, html)
    if not extra:
        return html

    def start(m: re.Match[str]) -> str:
        attrs = m[2] or ""
        mark = _MARK.search(attrs)
        if mark is None or int(mark[1]) not in extra:
            return m[0]
        return f"<{m[1]}{_with_style(attrs, extra[int(mark[1])])}>"

    return _STARTS.sub(start, html)


def _with_style(attrs: str, style: str) -> str:
    """An element's attributes with CSS declarations put first in its style."""
    if ' style="' in attrs:
        return attrs.replace(' style="', f' style="{style}', 1)
    return attrs + f' style="{style.strip()}"'


def _last_page(lines: list[proof.Line]) -> int:
    """The last page with a line of text on it."""
    return max((ln.page for ln in lines if ln.area == "body"), default=0)


def widow_pages(
    document: Any,
    boxes: dict[int, dict[str, Any]],
    lines: list[proof.Line] | None = None,
    moves: set[int] | None = None,
) -> dict[int, str]:
    """For a near-empty page of text (fewer than proof.MIN_LINES lines) whose
    first block continues from the page before: a ``widows`` declaration for
    that block that brings the page up to the limit (the page before keeps
    at least two of its lines), or else for the blocks that go over whole
    (:func:`_blocks_over`; their indexes are added to ``moves``). Pages are
    those of ``document``; the keys are ``data-tf`` indexes. ``lines``: the
    document's lines, when read already."""
    marks = {e: i for i, info in boxes.items() for e in info["elements"]}
    read = proof.lines_of(document) if lines is None else lines
    # a running head and a folio are no lines of text (as in diglot proof)
    pages = proof.by_page([ln for ln in read if ln.area != "margin"])
    fixes: dict[int, str] = {}
    for page, on_page in pages.items():
        if any(ln.front for ln in on_page) or page - 1 not in pages:
            continue
        rows = len({round(ln.y) for ln in on_page})
        if rows >= proof.MIN_LINES:
            continue
        first = on_page[0]
        before = [ln for ln in pages[page - 1] if ln.block == first.block]
        here = [ln for ln in on_page if ln.block == first.block]
        want = len(here) + proof.MIN_LINES - rows
        if first.block in marks and before and len(before) + len(here) - want >= 2:
            fixes[marks[first.block]] = f"widows: {want}; "
            continue
        going = _blocks_over(pages[page - 1], first.block, len(here), proof.MIN_LINES - rows, marks)
        for block, count, last in going:
            fixes[marks[block]] = whole(count, last)
            if moves is not None:
                moves.add(marks[block])
    return fixes


def whole(lines: int, last: bool = True) -> str:
    """The declarations that take a block of ``lines`` lines over the page
    whole (it cannot leave fewer than all of them on the next page), and,
    unless it is the ``last`` of the blocks that go, the next block with
    it. No forced break: WeasyPrint would start a new page group there, and
    the page would lose its running head (``@page :nth(1 of text)``)."""
    return f"widows: {lines}; " + ("" if last else "break-after: avoid; ")


MOVE_MOST = 8  # lines that may go over with whole blocks to fill a near-empty page


def _blocks_over(
    before: list[proof.Line], first: int, here: int, short: int, marks: dict[int, int]
) -> list[tuple[int, int, bool]]:
    """When a near-empty page's first block (``first``, begun on the page
    before, whose lines are ``before``, with ``here`` lines on the page) is
    too short to give it lines by
    ``widows``: the blocks that go over whole, so that they bring ``short``
    more lines over, at most :data:`MOVE_MOST`, each with its number of
    lines and whether it is the last. Only in one column of text (the
    record of changes in one language), where the page before keeps at
    least :data:`proof.MIN_LINES` of its own, not after a heading (which
    would be left at the page's foot), and only blocks ``marks`` numbers.
    Empty if there are no such blocks."""
    body = [ln for ln in before if ln.area == "body"]
    # a second column's lines start half the text's width across
    if (
        not body
        or max(ln.x for ln in body) - min(ln.x for ln in body)
        > max(ln.width for ln in body) * INDENT_MOST
    ):
        return []
    order = list(dict.fromkeys(ln.block for ln in body))
    if order[-1] != first:
        return []
    lines = {block: sum(1 for ln in body if ln.block == block) for block in order}
    over = 0
    for at in range(len(order) - 1, 0, -1):
        over += lines[order[at]]
        if over > MOVE_MOST or len(body) - over < proof.MIN_LINES:
            return []
        if over >= short:
            going = order[at:]
            if any(ln.heading for ln in body if ln.block == order[at - 1]):
                return []
            if not all(block in marks for block in going):
                return []
            return [(b, lines[b] + (here if b == first else 0), b == first) for b in going]
    return []


INDENT_MOST = 0.25  # of a line's width: the left edges of one column's lines (hanging indents)


# What a row ending at a page's foot may keep under its last line (a
# handout's cell padding and paragraph margin, about half a line): not
# white a page ends short by (short_pages; on the baseline grid, none).
FLUSH_KEEP = 0.5
# A booklet's text, in one language or side by side, is set on a baseline
# grid (styles/booklet.css): no white under a paragraph, so a page ends
# short by whole lines, which loosen may fill, and no white is shared out
# over its paragraph starts.
_BOOKLET = 'class="layout-booklet'
_FACING = 'class="layout-facing'


def short_pages(
    document: Any, lines: list[proof.Line], keep: float = FLUSH_KEEP
) -> dict[int, tuple[float, float]]:
    """The pages of a booklet's text that end short of their foot in
    mid-text: how much (px) and their line pitch. Only pages without
    footnotes, not of the front matter, whose text goes on on the next.
    ``keep``: the part of a line that a row ending at the foot keeps under
    its last line (none on the grid)."""
    bottoms: dict[int, float] = {}
    for number, page in enumerate(document.pages, start=1):
        root = weasy.page_box(page)
        bottoms[number] = float(root.content_box_y() + root.height)
        for box in weasy.descendants(root):
            if weasy.area_of(box) == "footnote" and bool(getattr(box, "children", None)):
                bottoms[number] = -1.0  # notes at its foot: left as it is
                break
    body = proof.by_page([line for line in lines if line.area == "body"])
    found: dict[int, tuple[float, float]] = {}
    for number, on_page in body.items():
        after = body.get(number + 1)
        if bottoms.get(number, -1.0) < 0 or not after:
            continue
        if any(ln.front for ln in on_page) or any(ln.front for ln in after):
            continue
        pitch = sorted(ln.height for ln in on_page)[len(on_page) // 2]
        # what a row ending at the foot keeps under its last line (the
        # cell's padding and the paragraph's margin, about half a line) is
        # not white to share
        short = bottoms[number] - max(ln.y + ln.height for ln in on_page) - keep * pitch
        found[number] = (short, pitch)
    return found


# A booklet's page that ends a line or more short in mid-text first sets one
# of its paragraphs a line longer (TeX's \looseness), with glyph expansion
# at little visible cost where one of LOOSEN_LINES lines or more takes it
# with no line but one letter-spaced over LOOSEN_TRACK_EM. (White shared
# out over a page's paragraph starts instead: a typographer read 16 pt
# between biography-kk's paragraphs on a page where the others have 6 as a
# fault as plain as the short page.)
LOOSEN_FROM = 1.0
LOOSEN_LINES = 4
# ... and no line letter-spaced over this (a little over TRACK_SEEN_EM: at
# 0.02 five of biography-kk's and genocide-en's short pages found no
# paragraph, the best a line longer at 0.021-0.023 em)
LOOSEN_TRACK_EM = 0.025
_TRACKED = re.compile(r"letter-spacing: (-?[0-9.]+)em")


def loosen(
    document: Any,
    lines: list[proof.Line],
    boxes: dict[int, dict[str, Any]],
    keep: set[int],
    html: str,
) -> tuple[dict[int, tuple[str, int]], set[int]]:
    """Plans, a line longer, of paragraphs on each page that ends at least
    :data:`LOOSEN_FROM` lines short (:func:`short_pages`), one for each
    whole line short: of the justified paragraphs planned total-fit
    (``keep``) wholly on the page, those whose longer plans are
    letter-spaced least (the longer of two as good); also those wholly on
    the page before, whose lines then carry over the
    page's turn (a page short before a heading that needs more lines than
    it has: genocide-en p. 4 ended three lines short, and two paragraphs
    of its own could take a line each). With the plans, the pages whose
    first line may change so."""
    marks = {e: i for i, info in boxes.items() for e in info["elements"]}
    body = proof.by_page([line for line in lines if line.area == "body"])
    out: dict[int, tuple[str, int]] = {}
    turning: set[int] = set()
    # (on the grid a row ending at the foot keeps no white under its line)
    for number, (short, pitch) in short_pages(document, lines, 0.0).items():
        if short < LOOSEN_FROM * pitch:
            continue
        counts: dict[int, int] = {}
        before = body.get(number - 1, []) if not _opens(body, number - 1) else []
        for line in [*before, *body[number]]:
            counts[line.block] = counts.get(line.block, 0) + 1
        wanted: dict[int, int | None] = {
            marks[block]: n + 1
            for block, n in counts.items()
            if marks.get(block) in keep
            and boxes[marks[block]]["justify"]
            and boxes[marks[block]]["lines"] == n >= LOOSEN_LINES
            and marks[block] not in out
        }
        if not wanted:
            continue
        ranked = []
        for index, (inner, count) in _plans(html, boxes, wanted, filling=True).items():
            tracks = sorted(float(t) for t in _TRACKED.findall(inner))
            # One line may be letter-spaced as far as any loose line is
            # (at Noto Serif's text width the longer plans of biography-kk's
            # short p. 5 spread the line over nine lines within 0.01 em but
            # for one at 0.035): a page two lines short shows more.
            seen = sum(t > LOOSEN_TRACK_EM for t in tracks)
            if count == wanted[index] and seen <= 1:  # as asked
                ranked.append((seen, tracks[-1] if tracks else 0.0, -count, index, inner))
        for _seen, _most, count, index, inner in sorted(ranked)[: int(short // pitch)]:
            out[index] = (inner, -count)  # a line more for each line short
            if not any(marks.get(ln.block) == index for ln in body[number]):
                turning.add(number)  # its lines come over from the page before
    return out, turning


def _opens(body: dict[int, list[proof.Line]], number: int) -> bool:
    """Whether page ``number`` has no text, or is the first page with text
    (no page of text before it whose paragraphs run on into it)."""
    return not body.get(number) or not body.get(number - 1)


# WeasyPrint moves a row of the text to the next page whole when its cell's
# text fits at the foot of the page and only the white under it (the
# paragraph's margin, the cell's padding) does not: it splits a row only
# where a cell's lines do not fit. biography-kk's p. 3 ended ten lines
# short so: white under the last line of a page is never seen, so a block
# in that place is laid out without its margin (FOOT_MARGIN) and goes back.
FOOT_MARGIN = settlecache.FOOT_MARGIN  # "margin-bottom: 0; "


def foot_fits(document: Any, lines: list[proof.Line], marks: dict[int, int]) -> set[int]:
    """The blocks that open a page whole although their lines would fit at
    the foot of the page before (short of it by their margin, see
    :data:`FOOT_MARGIN`): their ``data-tf`` indexes. Only in booklets' and
    handouts' text (:func:`short_pages`), only paragraphs, not after a
    heading (whose block would then move alone)."""
    body = [line for line in lines if line.area == "body"]
    first_page: dict[int, int] = {}
    for line in body:
        first_page.setdefault(line.block, line.page)
    pages = proof.by_page(body)
    found: set[int] = set()
    for number, (short, pitch) in short_pages(document, lines).items():
        after = pages[number + 1]
        block = after[0].block
        own = [line for line in after if line.block == block]
        if after[0].heading or first_page[block] != number + 1 or block not in marks:
            continue
        if pages[number][-1].heading or own[-1] is after[-1]:
            continue
        # (short: the white under the last line less what a row keeps there)
        if len(own) * pitch <= short:
            found.add(marks[block])
    return found


def _at_foot(lines: list[proof.Line], boxes: dict[int, dict[str, Any]], index: int) -> bool:
    """Whether the block numbered ``index`` ends its page's text."""
    elements = set(boxes[index]["elements"]) if index in boxes else set()
    body = [line for line in lines if line.area == "body"]
    ends = {line.page: line for line in body}
    own = [line for line in body if line.block in elements]
    return bool(own) and ends[own[-1].page] is own[-1]


def _first_lines(lines: list[proof.Line]) -> list[tuple[int, str]]:
    """Each page's first line of text (:func:`_page_breaks` without the last)."""
    return [(page, first) for page, first, _last in _page_breaks(lines)]


def _page_breaks(lines: list[proof.Line]) -> list[tuple[int, str, str]]:
    """Each page's first and last line of text: where the pages break."""
    pages = proof.by_page([line for line in lines if line.area == "body"])
    return [(page, on[0].text, on[-1].text) for page, on in sorted(pages.items())]


_WEB = re.compile(r'<a\b[^>]*class="[^"]*\bwith-url\b', re.I)


def _addresses_ragged(html: str) -> str:
    """Paragraphs that print a web address after a link's text set
    ragged-right: the address is one long word that would space out its
    line if justified (and its text is the stylesheet's, which total fit
    cannot see)."""

    def one(m: re.Match[str]) -> str:
        if not _WEB.search(m[2]):
            return m[0]
        attrs = m[1] or ""
        return f"<p{_with_style(attrs, 'text-align: left; text-align-last: left; ')}>{m[2]}</p>"

    return _PARAGRAPH.sub(one, html)


def _words_to_lock(
    lines: list[proof.Line], marks: dict[int, int], unapplied: set[int], words: set[str]
) -> dict[str, int]:
    """The words hyphenated across a page turn (:func:`turn_words`) to lock
    now: not yet protected, and not in a paragraph whose plan this layout
    has not applied yet (``unapplied``: its lines will all change).
    ``marks``: block identity -> ``data-tf`` index."""
    return {
        w: b
        for w, b in turn_words(lines).items()
        if w not in words and marks.get(b, -1) not in unapplied
    }


Trials = dict[int, tuple[frozenset[tuple[str, str]], int]]


def _pairs_to_tie(
    lines: list[proof.Line],
    marks: dict[int, int],
    boxes: dict[int, dict[str, Any]],
    planned: set[int],
    ties: settlecache.Ties,
    refused: set[tuple[int, tuple[str, str]]],
) -> tuple[settlecache.Ties, Trials]:
    """The ties to add now (:func:`turn_ties`), by ``data-tf`` index, each
    paragraph's new set with the pairs it had; and the trials among them.
    A compound tied in a paragraph broken total-fit (``planned``) keeps its
    lines (planned again in as many). Elsewhere the whole compound going
    over may lengthen the paragraph and move every page after it (in
    biography-kk-en the loop then ran out of passes with four words broken
    at page turns instead of one compound): such a tie is a trial, with
    the paragraph's number of lines, undone by :func:`settle` when the
    next layout shows the paragraph longer (and then ``refused``)."""
    tied: settlecache.Ties = {}
    trials: Trials = {}
    for line, following, pair in _parted(lines):
        index = marks.get(line.block)
        if index in boxes and not _tie_fits(line, following, boxes[index]):
            refused.add((index, pair))
    for block, found in turn_ties(lines).items():
        index = marks.get(block)
        if index is None:
            continue
        pairs = {p for p in found if (index, p) not in refused}
        new = frozenset(pairs - ties.get(index, frozenset()))
        if not new:
            continue
        tied[index] = ties.get(index, frozenset()) | new
        compounds = frozenset(p for p in new if p[0].endswith("-"))
        if compounds and index not in planned and index in boxes:
            trials[index] = (compounds, boxes[index]["lines"])
    return tied, trials


# Words tied at a page turn make one unbreakable run with those already
# tied to them; it is tied only while the run takes at most this much of
# its column's width. "Компартиясы Орталық Комитетінің", a name parted at
# two page turns of biography-kk-en and tied pair by pair, ran longer than
# the Kazakh column, and WeasyPrint broke it inside a word with no hyphen
# ("Комитетіні" / "ң", a typographer's first fault): a long name parted
# over the leaf reads better than a word cut.
TIE_MOST = 0.6


def _tie_fits(line: proof.Line, following: proof.Line, box: dict[str, Any]) -> bool:
    """Whether the words a page turn parts between ``line`` and ``following``
    (:func:`turn_ties`), tied, make a run, with the words tied to them
    already, of at most :data:`TIE_MOST` of the column's width (the
    paragraph laid out as ``box``)."""
    from diglot import fonts, linebreak

    tail = line.text.replace(WORD_JOINER, "").rstrip().rsplit(" ", 1)[-1]
    head = following.text.replace(WORD_JOINER, "").lstrip().split(" ", 1)[0]
    family = box["family"] if box["family"] in fonts.FAMILIES else fonts.HZ_FAMILY
    width = linebreak.advance_em(f"{tail} {head}", family) * float(box["size"])
    return width <= TIE_MOST * float(box["width"])


def _undo_trials(
    trials: Trials,
    boxes: dict[int, dict[str, Any]],
    ties: settlecache.Ties,
    refused: set[tuple[int, tuple[str, str]]],
) -> bool:
    """Untie the compounds of ``trials`` whose paragraph came out longer
    than before the tie (``ties`` changed in place, the pairs ``refused``
    from now on); whether any was."""
    undone = False
    for index, (pairs, count) in trials.items():
        if index not in boxes or boxes[index]["lines"] == count:
            continue
        left = ties.get(index, frozenset()) - pairs
        if left:
            ties[index] = left
        else:
            ties.pop(index, None)
        refused.update((index, p) for p in pairs)
        undone = True
    return undone


def settle(
    html: str,
    lay_out: Callable[[str], Any],
    fit: bool = True,
    unsettled: Callable[[], None] | None = None,
) -> tuple[str, Any]:
    """Lay out ``html`` (its paragraphs numbered by :func:`number_paragraphs`)
    as it should be printed; the final HTML and document.

    Names, compounds and date words are not hyphenated. With ``fit`` every
    justified or ragged paragraph is broken total-fit (:mod:`diglot.linebreak`,
    which allows at most two hyphenated lines in a row; a ragged one keeps
    the number of lines of the first layout). The other paragraphs keep
    WeasyPrint's breaks, and the word that makes a third hyphenated line in a
    row is locked. Both need the layout read back, so the document is laid
    out again, only when something changed, and each pass also checks the
    last: a paragraph that did not come out as planned (another number of
    lines, or a line running over) is put back as it was. When all that is
    settled, a near-empty page gets lines from the page before
    (:func:`widow_pages`). Headings of two lines or more are set again in
    lines of even length (:mod:`diglot.headings`), with the same checks.
    At most :data:`MAX_PASSES` layouts.

    ``lay_out`` may lay the document out in parts (:mod:`diglot.chunks`):
    its result then carries the :func:`readout` of all of them, and every
    decision here is the one the whole document's layout would make.

    ``unsettled`` is called when the passes run out before the layout
    settles: the last layout is kept, and nothing is remembered for the
    next build, which lays the text out as many times again.
    """
    html = tie_words(_addresses_ragged(html), {}, frozenset(_tied))
    words = protect(html)
    # What an earlier build settled on for this HTML (diglot.settlecache)
    recalled = settlecache.recall(html, fit, words)
    # ... and the headings' even lines (diglot.headings), set with every
    # layout's HTML; a heading that does not come out as planned is refused
    key = html
    recorded = settlecache.choice("headings", key, lambda d: headings.read_plan(d, key))
    heads = headings.known(html, recorded or {})
    heads_known = set(heads) - set(recorded or {})  # (from another document)
    unbalanced: set[int] = set()  # headings that did not come out as planned

    def rewrite(plans: dict[int, tuple[str, int]], keeping: set[int], css: dict[int, str]) -> str:
        return headings.apply(_rewrite(html, plans, keeping, css), heads)

    planned, widows = dict(recalled.planned), recalled.widows
    ties: settlecache.Ties = dict(recalled.ties)
    source, html = html, tie_words(html, ties)
    measuring = "data-m=" in html  # diglot.facing's measuring column
    # An edited paragraph of the measuring column, planned from the box it
    # had: the first layout is then the one a build without the guess
    # makes second, and the only one when it bears the guess out.
    guessed = _guesses(html, recalled.boxes) if fit and measuring else {}
    planned.update(guessed)
    # The pages' pieces of the measuring column's paragraphs, planned from
    # its boxes: their first layout is then the one a build without the
    # plans makes second (each piece planned again from this layout comes
    # out the same, and the pages are not laid out again for them).
    pieces: dict[int, dict[str, Any]] = {}  # the boxes the pieces were planned from
    if fit and not measuring and _FACING in html and _measured:
        pieces = _piece_boxes(html, recalled.known)
        planned.update(_plans(html, pieces) if pieces else {})
    while True:
        laid: set[int] = set(planned)  # the plans the current document was laid out with
        current = rewrite(planned, laid, widows)
        document = lay_out(current)
        boxes, lines = readout(document)
        if all(_as_guessed(boxes.get(i), recalled.boxes[i], n) for i, (_, n) in guessed.items()):
            break
        # not as guessed: laid out again as without the guesses
        for index in guessed:
            del planned[index]
        guessed = {}
    # (a piece laid out in the box it was planned from keeps its plan)
    held = {
        i
        for i, box in pieces.items()
        if i in planned and _as_planned(boxes.get(i), box, planned[i][1])
    }
    unknown = {
        i: box for i, box in recalled.unknown(boxes).items() if i not in guessed and i not in held
    }
    planned |= _plans(html, unknown) if fit else {}
    keep = set(planned)
    trials: Trials = {}  # compounds tied in ragged paragraphs, on trial
    refused: set[tuple[int, tuple[str, str]]] = set()  # ... that made one longer
    # widows given once settled (widow_pages, turn_widows), on trial for a
    # layout: undone and spurned when the text then ends a page later
    on_trial: set[int] = set()
    spurned: set[int] = set(recalled.spurned)  # (a rebuild does not try them again)
    moving: set[int] = set()  # ... of which these move whole blocks or a parted word's line
    last_page = 0
    for _ in range(MAX_PASSES - 1):
        keep -= {
            i
            for i in laid
            if i not in boxes or boxes[i]["lines"] != planned[i][1] or boxes[i]["overflow"]
        }
        skip = frozenset(e for i in keep if i in boxes for e in boxes[i]["elements"])
        locked = ladder_words(document, skip, lines) - words
        if not measuring:
            # No word hyphenated across a page turn (locked), no date over a
            # page or compound broken where the leaf turns (tied): a
            # paragraph broken total-fit is planned again without the
            # break, in as many lines, so the pages do not move; a compound
            # tied in another paragraph that came out longer is untied.
            marks = {e: i for i, info in boxes.items() for e in info["elements"]}
            turned = _words_to_lock(lines, marks, keep - laid, words)
            undone = _undo_trials(trials, boxes, ties, refused)
            # every new compound tie, as if no paragraph kept its plan: the
            # trials are those whose paragraph has none once replanned
            tied, trials = _pairs_to_tie(lines, marks, boxes, set(), ties, refused)
            again: dict[int, int | None] = {
                marks[b]: planned[marks[b]][1] for b in turned.values() if marks.get(b) in keep
            }
            if tied or undone:
                ties.update(tied)
                html = tie_words(source, ties)
                again.update({i: planned[i][1] for i in tied if i in keep})
            words.update(turned)
            hyphenation.protect(frozenset(words))
            # (a paragraph with a word locked or a name tied, and no
            # compound tied on trial, may take another number of lines: see
            # _plans; given back to WeasyPrint with "Жоғарғы Кеңесі" and
            # "Әлиев Әзірбайжан" tied, biography-kk-en's p. 18 opened on
            # "болды. Нәтижесінде", half a column, "Әлиев" next)
            loose = frozenset(again) - set(trials)
            replanned = _plans(html, boxes, again, turned=loose) if again else {}
            # A ragged paragraph that cannot keep its lines with a compound
            # tied goes back to WeasyPrint, which breaks it as it would any
            # ragged paragraph with those words tied (its compounds tied on
            # trial).
            keep -= {i for i in again if i not in replanned and not boxes[i]["justify"]}
            trials = {i: trial for i, trial in trials.items() if i not in keep}
            planned.update(replanned)
            locked |= set(turned)
        heads = headings.settle(html, lines, heads, unbalanced, heads_known)
        target = rewrite(planned, keep, widows)
        if target == current and not locked:
            # Laid out as planned: last, a near-empty page takes lines from
            # the page before (not in facing pages' measuring column, whose
            # pages are not the book's).
            if measuring:
                break
            # (marks: this layout's, found above, as measuring is not)
            moving = set()
            near = widow_pages(document, boxes, lines, moving)
            turns = turn_widows(lines, marks)
            if _FACING not in html:  # (whose records diglot.facing packs whole)
                turns |= entries_over(html, lines, marks)
            moving |= set(turns)
            if _FACING not in html:  # (whose pages diglot.facing packs)
                near |= {i: FOOT_MARGIN for i in foot_fits(document, lines, marks) if i not in near}
            # (a block given one declaration may be given another: the
            # line a compound's tie, undone, leaves parted goes over)
            trial = {
                i: css
                for i, css in (near | turns).items()
                if widows.get(i) != css and i not in spurned
            }
            widows.update(trial)
            target = rewrite(planned, keep, widows)
            if target == current:
                break
            # kept only if the edition keeps its pages (below)
            on_trial, last_page = set(trial), _last_page(lines)
        words.update(locked)
        hyphenation.protect(frozenset(words))
        previous = (current, laid, document, boxes, lines)
        current, laid = target, set(keep)
        document = lay_out(current)
        boxes, lines = readout(document)
        # a block laid out without its margin (foot_fits) that does not end
        # a page: as it was (its margin is seen)
        missed = {
            i for i, css in widows.items() if css == FOOT_MARGIN and not _at_foot(lines, boxes, i)
        }
        if missed:
            spurned |= missed
            widows = {i: css for i, css in widows.items() if i not in missed}
        if on_trial and _last_page(lines) > last_page:
            # Lines moved over to a page of their own: a page more (a sheet
            # of four in a booklet) is a greater fault than what they mend.
            # The moves go first (whole blocks, a parted word's line); a
            # near-empty page's widows alone only when nothing else was new.
            moves = {i for i in on_trial if i in moving} or on_trial
            spurned |= moves
            widows = {i: css for i, css in widows.items() if i not in moves}
        tried = bool(missed or on_trial) and not locked
        if tried and rewrite(planned, keep, widows) == previous[0]:
            # Every trial undone: the layout before them stands as it was
            # (the same HTML, no word locked since), and is not made again:
            # the Letter handout's loops ran out of passes laying out once
            # more what they had laid out before their blocks without
            # margins were tried, and so kept nothing for the next build.
            current, laid, document, boxes, lines = previous
        on_trial = set()
    else:
        if unsettled is not None:
            unsettled()
        return current, document  # out of passes: not settled, nothing to remember
    if fit and not recalled.settled and not measuring and _BOOKLET in html:
        # Settled: last, the pages that end short in mid-text take a line
        # more in a paragraph (loosen), where it moves no other page break.
        # (Pages are no longer brought to their foot by white shared out
        # over their rows: both booklets are on the baseline grid.)
        longer, turning = loosen(document, lines, boxes, keep, html)
        if longer:
            lengthened = planned | longer
            target = rewrite(lengthened, keep, widows)
            loosened = lay_out(target)
            boxes_after, lines_after = readout(loosened)

            def firsts(laid: list[proof.Line]) -> list[tuple[int, str]]:
                """Each page's first line but where loosen carries lines over."""
                return [(p, first) for p, first in _first_lines(laid) if p not in turning]

            if firsts(lines_after) == firsts(lines) and all(
                i in boxes_after and boxes_after[i]["lines"] == n and not boxes_after[i]["overflow"]
                for i, (_inner, n) in longer.items()
            ):
                planned, current, document, lines = lengthened, target, loosened, lines_after
    measured = boxes if measuring else None
    recalled.remember(planned, keep, widows, words, ties, measured, spurned)
    if heads:
        settlecache.choose("headings", key, headings.plan_data(heads))
    if measuring:
        _measured.clear()
        _measured.update(_boxes_by_mark(current, boxes))
    return current, document


_DATA_M = re.compile(r'\bdata-m="([^"]+)"')
_DATA_SRC = re.compile(r'\bdata-src="([^"]+)"')


def _boxes_by_mark(html: str, boxes: dict[int, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The boxes of the measuring column's paragraphs (``html`` as laid out
    into ``boxes``), by their ``data-m`` mark."""
    out: dict[str, dict[str, Any]] = {}
    for match in _PARAGRAPH.finditer(html):
        attrs = match[1] or ""
        mark, index = _DATA_M.search(attrs), _MARK.search(attrs)
        if mark and index and int(index[1]) in boxes:
            out[mark[1]] = {k: v for k, v in boxes[int(index[1])].items() if k != "elements"}
    return out


# What a paragraph's plan is made from (:func:`_plans`), besides its text
_PLANNED_FROM = ("width", "size", "lang", "family", "justify", "ragged", "justify_last", "indent")


def _as_planned(
    box: dict[str, Any] | None,
    planned_from: dict[str, Any],
    lines: int,
    keys: tuple[str, ...] = _PLANNED_FROM,
) -> bool:
    """Whether a paragraph planned from the box ``planned_from`` came out in
    that box (its ``keys``), in its planned number of ``lines``, none over."""
    return (
        box is not None
        and all(box[k] == planned_from[k] for k in keys)
        and box["lines"] == lines
        and not box["overflow"]
    )


def _piece_boxes(html: str, known: set[int]) -> dict[int, dict[str, Any]]:
    """The boxes, before any layout, of the paragraphs of a facing edition's
    pages (``html``) that are pieces of a paragraph measured in the
    measuring column (``data-src``), from its box (:data:`_measured`): the
    same column, font and language; no indent where the piece goes on from
    the spread before or opens its segment flush, its last line full where
    it goes on over the turn; as many lines as it was packed with
    (``data-lines``). Not those the line-breaking cache decided
    (``known``). :func:`_plans` plans them."""
    boxes: dict[int, dict[str, Any]] = {}
    for match in _PARAGRAPH.finditer(html):
        attrs = match[1] or ""
        src, index, lines = _DATA_SRC.search(attrs), _MARK.search(attrs), _LINES.search(attrs)
        box = _measured.get(src[1]) if src else None
        if box is None or index is None or lines is None or int(index[1]) in known:
            continue
        found = _CLASS.search(attrs)
        classes = found[1].split() if found else []
        boxes[int(index[1])] = {
            **box,
            "indent": 0.0 if "continued" in classes or "opens" in classes else box["indent"],
            "justify_last": "continues" in classes or box["justify_last"],
            "lines": int(lines[1]),
            "overflow": False,
        }
    return boxes


# Paragraphs of the measuring column planned from their recorded boxes at
# most: an edit of a few. A paragraph inserted renumbers all after it, whose
# recorded boxes are then their neighbours' (one that opens a section has
# no indent), and one box not borne out lays the column out once more.
MAX_GUESSES = 20


def _guesses(html: str, recorded: dict[int, dict[str, Any]]) -> dict[int, tuple[str, int]]:
    """Total-fit breaks for the paragraphs of ``html`` with a ``recorded``
    box (:attr:`diglot.settlecache.Recalled.boxes`), planned as
    :func:`_plans` plans them from a layout that gives them that box; only
    plans of three lines or more: WeasyPrint could not set such a paragraph
    on one line (the lines of total fit but the last are full but for
    their word spaces, stretched at most to the tolerance), which
    :func:`_plans` leaves alone. None when more than :data:`MAX_GUESSES`
    paragraphs have one."""
    if not recorded or len(recorded) > MAX_GUESSES:
        return {}
    boxes = {
        i: {**box, "justify": True, "ragged": False, "lines": 3} for i, box in recorded.items()
    }
    return {i: plan for i, plan in _plans(html, boxes).items() if plan[1] >= 3}


def _as_guessed(box: dict[str, Any] | None, recorded: dict[str, Any], lines: int) -> bool:
    """Whether a paragraph planned from its ``recorded`` box came out with
    that box, justified, in the planned number of ``lines``, none over."""
    return (
        box is not None
        and _as_planned(box, recorded, lines, settlecache.BOX_KEYS)
        and box["justify"]
        and not box.get("ragged")
    )
