"""What :func:`diglot.typography.settle` decided, kept for the next build.

``settle`` lays an edition out, reads every justified paragraph back,
plans its total-fit breaks, and lays it out again (more passes for hyphen
ladders and near-empty pages). A rebuild of the same text would make the
same decisions from the same layouts. This module remembers them, so the
rebuild applies them before its first layout and only checks that layout
as ``settle`` checks its own plans.

What is kept, in ``output/.diglot-cache/settle/<edition>/<key>.json``:

- per numbered paragraph (``<p data-tf>``), a digest of its index, its
  attributes and its inner HTML, the number of its
  :func:`diglot.linebreak.tokens` and its breaks: for each line the token
  it ends with, how it ends (space, after a hyphen or dash, hyphenated,
  the paragraph's end), its letter-spacing in units of 0.0001 em and the
  width its glyphs are set at (0: the paragraph's own); no
  breaks when the paragraph was left to WeasyPrint;
- the words locked against hyphenation (hyphen ladders), each with the
  indexes of the paragraphs that hold it;
- the ``widows`` given to blocks on near-empty pages, by ``data-tf`` index
  (negative: with ``break-after: avoid``, a block going over the page whole
  with the next one, ``typography.whole``);
- the blocks whose widows or margin at a page's foot were tried and
  undone (``spurned``: the text then ended a page later, or the block was
  not at the foot), so that a rebuild does not try them again: the
  Letter handout laid itself out twice on every rebuild to find that
  again;
- the pairs of words tied by a no-break space where a page broke a date
  between them (:func:`diglot.typography.turn_ties`), by ``data-tf``
  index: a tie only turns a space the paragraph has between those two
  words into a no-break space, so a cache cannot write text either;
- in a facing edition's measuring column, the box of each justified
  paragraph (:data:`BOX_KEYS`: the column's width, the font's size, the
  language, family, indent and last line), what its total-fit breaks are
  planned from besides its text: a paragraph edited since is planned
  before the first layout from the box it had (:attr:`Recalled.boxes`),
  and kept only if that layout gives it the same box and the planned
  lines.

Only integers and words: the HTML is always made again from the current
text with :func:`diglot.linebreak.enforce`. The file's ``key`` is a digest
of everything else a layout depends on: the HTML with the paragraphs'
contents left out, the words protected from hyphenation when ``settle``
starts, whether total fit is on, the layouts, stylesheets, pictures,
fonts and diglot's code (:func:`diglot.chunks.resources_digest`) and
WeasyPrint's version.

- **Every paragraph unchanged**: the recorded breaks, locked words,
  widows are applied before the first layout; when that layout comes out
  as recorded (it does: the same HTML lays out the same), ``settle``
  stops after one pass, with the HTML and document a build without the
  cache ends with.
- **Some paragraphs changed**: only the unchanged ones get their recorded
  breaks; the changed ones are planned from the first layout. Locked
  words are kept unless a changed paragraph holds them (now, or when
  they were recorded); ``settle``'s loop finds the ladders and near-empty
  pages of the changed text, as in a build without the cache.
- Anything that does not come out as recorded is handled by ``settle``'s
  loop as its own plans are (a paragraph with another number of lines is
  put back as it was).
- **Settled again in the same build** (a booklet whose colophon moves
  after its text, around the same paragraphs): what the first settle
  decided is used, paragraph by paragraph, where there is no record of
  the second document or where its record has the paragraph's old text.

Besides the line breaking, four choices a build makes from a whole layout
of the edition are kept the same way (:func:`choice`, :func:`choose`), in
``<kind>-<key>.json`` beside the others, keyed by the HTML they were made
for: which side-by-side rows run on (``rows``, :mod:`diglot.rows`: the
first layout with every segment level), where a booklet's colophon goes
(``endpages``, :mod:`diglot.endpages`: a layout with the colophon behind
the cover), on which pages the segments the record of changes cites
fall (``cite``, :mod:`diglot.record`: a layout with one reference per
segment), and where the headings' lines break (``headings``,
:mod:`diglot.headings`: the ordinals of the spaces kept breakable). A
rebuild of the same text skips those layouts, and lays out once more only
when its one layout does not bear a choice out.

A cache file is untrusted input (a project may commit one): it is read up
to a size limit and checked for types, ranges and token counts; anything
wrong makes it a miss, never an error. Only a build (:func:`session`)
uses the cache; ``settle`` called on its own does not. Only the files a
build used are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import html as html_mod
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from diglot import facts, files, hyphenation, linebreak
from diglot.errors import DiglotError

FOLDER = Path(".diglot-cache") / "settle"
# 2: the ties of dates kept on one page; 3: the white bringing pages to their
# foot; 4: blocks moved over a page whole (negative widows); 5: each line's
# glyph width (diglot.fonts.HZ_WIDTHS); 6: the boxes of the measuring
# column's justified paragraphs; 7: a block laid out without its margin at a
# page's foot (widows 0, typography.FOOT_MARGIN); 8: a justified paragraph's
# last line with the face's own word spaces (linebreak.Breakpoint.spaced);
# 9: the trials undone (spurned); 10: no white above rows (booklets are set
# on a baseline grid, no page is brought to its foot so); 11: side-by-side
# pairs start level unless the white under the shorter is a hole (rows.joins);
# 12: headings numbered (data-hb) and set in even lines (diglot.headings);
# 13: a booklet's colophon may follow its end matter (endpages.AFTER);
# 14: headings not broken inside a name, and after a colon by preference
# (diglot.headings.NAME_BREAK_COST, COLON_END_GAIN); 15: side-by-side
# paragraphs set in a line more or less to bring their rows level (rows.even);
# 16: no heading broken before "and" inside a phrase (headings.COORDINATION_COST)
FORMAT = 17
MAX_BYTES = 32 * 1024 * 1024
MAX_WORD = 100  # characters of a locked word
MAX_WIDOWS = 10_000  # lines a widows declaration may ask for
TRACK_UNIT = 10_000  # letter-spacing is kept in 0.0001 em (settle rounds it so)
MAX_TRACK = 1_000  # 0.1 em: far above what linebreak.plan gives
MAX_PX = 100_000.0  # a column's width, a font's size, an indent (px)
MAX_NAME = 100  # characters of a language code or a font family's name
# What total fit plans a justified paragraph from, besides its text
# (typography._plans): its box's width, font size, language, family, indent
# and whether its last line is justified.
BOX_KEYS = ("width", "size", "lang", "family", "indent", "justify_last")
KINDS = ("space", "after", "hyphen", "end")
# A paragraph: its attributes and its inner HTML (diglot.typography reads
# paragraphs with it too). Its text runs to its end tag, never past another
# paragraph's start: an unclosed <p> in a layout made every search run to
# the end of the document, quadratic in a hostile layout (20,000 of them
# took 7.5 s).
PARAGRAPH = re.compile(r"<p(\s[^>]*)?>((?:(?!<p[\s>]).)*?)</p>", re.S)
_MARK = re.compile(r'data-tf="(\d+)"')
_MARKS = re.compile(r'<(?:p|li)\s[^>]*?data-tf="(\d+)"')
_WIDOWS = re.compile(r"widows: (\d+); (break-after: avoid; )?")
FOOT_MARGIN = "margin-bottom: 0; "  # (typography.FOOT_MARGIN)
_WORD = re.compile(r"[^\W\d_]+")
_SPAN = re.compile(
    r'<span(?: class="hz(\d+)")?'
    r'(?: style="(?:letter-spacing: (-?[0-9.e-]+)em)?(?:; )?(word-spacing: 0em)?")?>'
)
_CLOSE = "</span>"


def widows_css(count: int) -> str:
    """The declarations a recorded widows count stands for: ``widows``, and
    ``break-after: avoid`` when it is negative (typography.whole); 0 for a
    block laid out without its bottom margin (typography.FOOT_MARGIN)."""
    if count == 0:
        return FOOT_MARGIN
    return f"widows: {abs(count)}; " + ("break-after: avoid; " if count < 0 else "")


Plans = dict[int, tuple[str, int]]
T = TypeVar("T")
Ties = dict[int, frozenset[tuple[str, str]]]  # paragraph -> (word, next word) pairs


@dataclass
class _Session:
    folder: Path  # output/.diglot-cache/settle/<edition>
    inside: Path  # the project's output folder
    environment: str  # digest of the layouts, styles, fonts, code
    folders: tuple[Path, ...] = ()  # file: URLs under these count from there
    used: set[str] = field(default_factory=set)
    # what this build settled on last ("fit" or "first", the record): a
    # booklet whose colophon moves after its text is settled again, with
    # the same paragraphs on pages of the other hand
    last: tuple[bool, dict[str, Any]] | None = None
    again: bool = False  # within same_paragraphs()


_current: list[_Session] = []


@contextlib.contextmanager
def session(
    output_dir: Path, edition: str, environment: str, folders: tuple[Path, ...] = ()
) -> Iterator[None]:
    """Use the cache while laying out ``edition``; ``environment`` is a digest
    of what its layout depends on besides the HTML; ``file:`` URLs under
    ``folders`` (the project's, diglot's, the fonts') count from there, so a
    project moved elsewhere keeps its entries. On a normal exit the entries
    this build did not use are removed."""
    try:
        folder = files.within(output_dir, output_dir / FOLDER / edition)
    except (OSError, DiglotError):
        folder = None
    if folder is None:
        yield
        return
    _current.append(_Session(folder, output_dir, environment, folders))
    try:
        yield
        _prune(_current[-1])
    finally:
        _current.pop()


@contextlib.contextmanager
def same_paragraphs() -> Iterator[None]:
    """Within: the document being settled holds the paragraphs the build's
    last settle settled, moved about (a booklet's colophon moved to its
    end), so what that settle decided applies to them. Only the caller
    knows that: a facing edition's pages hold other paragraphs than its
    measuring column, under the same numbers."""
    if not _current:
        yield
        return
    state = _current[-1]
    state.again = True
    try:
        yield
    finally:
        state.again = False


def _prune(state: _Session) -> None:
    with contextlib.suppress(OSError, DiglotError):
        files.within(state.inside, state.folder)
        for path in state.folder.iterdir():
            if _FILE.fullmatch(path.name) and path.name not in state.used:
                path.unlink(missing_ok=True)


_FILE = re.compile(r"(?:[a-z]+-)?[0-9a-f]{64}\.json")
MAX_CHOICE_BYTES = 4 * 1024 * 1024
MAX_PAGES = 100_000  # pages a kept choice may name


def _choice_path(kind: str, html: str, state: _Session) -> Path:
    from diglot import pdf

    digest = hashlib.sha256(f"{FORMAT}\0{kind}\0{state.environment}\0".encode())
    digest.update(pdf.pdf_identifier(html, state.folders))
    return state.folder / f"{kind}-{digest.hexdigest()}.json"


def choice(kind: str, html: str, read: Callable[[Any], T | None]) -> T | None:
    """What this edition's last build chose (``kind``: a word) for exactly
    this ``html`` in this environment, as ``read`` makes it of the recorded
    JSON data (a cache file is untrusted: ``read`` checks its shape and
    ranges, and gives None for anything else); None when there is no such
    record. Outside a build (:func:`session`): None."""
    if not _current or not kind.isalpha():
        return None
    state = _current[-1]
    path = _choice_path(kind, html, state)
    try:
        value = read(_read(path, state.inside, MAX_CHOICE_BYTES))
    except (OSError, ValueError, RecursionError, DiglotError):
        return None
    if value is not None:
        state.used.add(path.name)
    return value


def choose(kind: str, html: str, value: Any) -> None:
    """Record ``value`` (JSON data) as the choice made for ``html``, for
    :func:`choice` in the next build. Outside a build: nothing."""
    if not _current or not kind.isalpha():
        return
    state = _current[-1]
    path = _choice_path(kind, html, state)
    text = json.dumps(value, separators=(",", ":")).encode()
    try:
        files.write_cache(path, text, state.inside, "the layout cache")
    except (OSError, DiglotError):
        return
    state.used.add(path.name)


def _digest(index: int, attrs: str, inner: str) -> int:
    data = f"{index}\0{attrs}\0{inner}".encode()
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "big")


def _paragraphs(html: str) -> dict[int, tuple[int, str]]:
    """The numbered paragraphs of ``html``: index -> (digest, inner HTML)."""
    found: dict[int, tuple[int, str]] = {}
    for match in PARAGRAPH.finditer(html):
        mark = _MARK.search(match[1] or "")
        if mark is not None:
            index = int(mark[1])
            found[index] = (_digest(index, match[1] or "", match[2]), match[2])
    return found


_TAG = re.compile(r"<[^>]*>")


def _words_in(inner: str) -> set[str]:
    """The words of a paragraph's text (with and without its tags, which
    may split a word or stand between two)."""
    found: set[str] = set()
    for joiner in ("", " "):
        found.update(_WORD.findall(html_mod.unescape(_TAG.sub(joiner, inner))))
    return found


def _key(html: str, fit: bool, words: set[str], state: _Session) -> str:
    from diglot import pdf

    weasyprint = pdf.load_weasyprint()
    digest = hashlib.sha256()
    for part in (str(FORMAT), state.environment, weasyprint.__version__, "fit" if fit else "first"):
        digest.update(part.encode() + b"\0")
    digest.update("\n".join(sorted(words)).encode() + b"\0")
    digest.update(pdf.pdf_identifier(PARAGRAPH.sub("<p></p>", html), state.folders))
    return digest.hexdigest()


# -- breaks as integers -------------------------------------------------------------------


def breaks_of(toks: list[linebreak.Token], enforced: str) -> list[linebreak.Breakpoint] | None:
    """The breaks :func:`diglot.linebreak.enforce` made ``enforced`` from
    (``toks`` being the paragraph's tokens), or None when it cannot have:
    ``enforce`` read backwards, step by step as it writes, and checked by
    enforcing the breaks found again."""
    found: list[linebreak.Breakpoint] = []
    last = max((i for i, t in enumerate(toks) if t.char), default=-1)
    pos = 0
    is_open = False  # a letter-spacing span is open, as in enforce
    track: float | None = None  # the letter-spacing of the line being read
    wdth: int | None = None  # and its glyph width
    spaced = False  # and whether it keeps the face's word spaces

    def take(text: str) -> bool:
        nonlocal pos
        if not enforced.startswith(text, pos):
            return False
        pos += len(text)
        return True

    for index, tok in enumerate(toks):
        if not tok.char:
            if is_open and not take(_CLOSE):
                return None
            is_open = False
            if not take(tok.src):
                return None
            continue
        span = None if is_open else _SPAN.match(enforced, pos)
        if span is not None and (span[1] or span[2] or span[3]):
            try:
                value = float(span[2] or 0)
            except ValueError:
                return None
            track = value if track is None else track
            wdth = int(span[1] or 0) if wdth is None else wdth
            spaced = spaced or bool(span[3])
            pos, is_open = span.end(), True
        if not take(tok.src):
            return None
        following = toks[index + 1] if index + 1 < len(toks) else None
        kind = None
        if index == last:
            kind = "end"
        elif (
            following is not None
            and not (following.char and following.src.startswith(linebreak.HYPHEN))
            and take(linebreak.HYPHEN)
        ):
            kind = "hyphen"
        elif tok.char == " " or tok.char in linebreak.BREAK_AFTER:
            joined = following is not None and following.char == linebreak.WORD_JOINER
            if not joined and not take(linebreak.WORD_JOINER):
                kind = "space" if tok.char == " " else "after"
        if kind is not None:
            found.append(linebreak.Breakpoint(index, kind, track or 0.0, wdth or 0, spaced=spaced))
            track = wdth = None
            spaced = False
            if is_open and not take(_CLOSE):
                return None
            is_open = False
    if is_open:
        take(_CLOSE)
    if pos != len(enforced) or not found or linebreak.enforce(toks, found) != enforced:
        return None
    return found


def _encode(breaks: list[linebreak.Breakpoint]) -> list[int] | None:
    out: list[int] = []
    for brk in breaks:
        track = round(brk.tracking * TRACK_UNIT)
        if track / TRACK_UNIT != brk.tracking or abs(track) > MAX_TRACK:
            return None
        out += [brk.token, KINDS.index(brk.kind), track, brk.wdth, int(brk.spaced)]
    return out


def _decode(flat: list[int], toks: list[linebreak.Token]) -> list[linebreak.Breakpoint] | None:
    """Breaks from integers, or None unless they are a paragraph's breaks:
    increasing, on characters of ``toks``, the last one its end."""
    from diglot.fonts import HZ_WIDTHS

    if len(flat) % 5 or not flat:
        return None
    breaks: list[linebreak.Breakpoint] = []
    last = -1
    for at in range(0, len(flat), 5):
        token, kind, track, wdth, spaced = flat[at : at + 5]
        if not last < token < len(toks) or not toks[token].char:
            return None
        if not 0 <= kind < len(KINDS) or abs(track) > MAX_TRACK:
            return None
        if wdth and wdth not in HZ_WIDTHS:
            return None
        if (KINDS[kind] == "end") != (at == len(flat) - 5) or spaced not in (0, 1):
            return None
        if spaced and KINDS[kind] != "end":
            return None
        breaks.append(
            linebreak.Breakpoint(token, KINDS[kind], track / TRACK_UNIT, wdth, spaced=bool(spaced))
        )
        last = token
    return breaks


# -- reading and writing ------------------------------------------------------------------


def whole_number(value: Any, low: int, high: int) -> bool:
    """Whether ``value`` read from a cache file is an integer from ``low`` to
    ``high`` (JSON's true and false are not numbers here)."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def locked_word(word: Any) -> bool:
    """Whether ``word`` can be a word locked against hyphenation in a cache
    file: letters only, at most MAX_WORD of them."""
    return isinstance(word, str) and len(word) <= MAX_WORD and _WORD.fullmatch(word) is not None


def locked_words(value: Any) -> frozenset[str] | None:
    """The words of a kept choice's list of locked words (see
    :func:`locked_word`); None when ``value`` is not such a list."""
    if not isinstance(value, list) or not all(locked_word(w) for w in value):
        return None
    return frozenset(value)


def _tie_word(word: Any) -> bool:
    """A word of a tied pair: printed characters, no space."""
    return isinstance(word, str) and 0 < len(word) <= MAX_WORD and not any(map(str.isspace, word))


def _read(path: Path, inside: Path, limit: int) -> Any:
    """The JSON data of the cache file ``path``, read only when it resolves
    inside the output folder ``inside`` (a file linked elsewhere is not
    read) and holds at most ``limit`` bytes. Raises OSError, ValueError,
    RecursionError or DiglotError for anything else."""
    return json.loads(files.read_within(inside, path, limit))


def _load(path: Path, inside: Path) -> dict[str, Any] | None:
    """A cache file's content if it has the shape :func:`Recalled.remember`
    writes (integers in range, words), else None."""
    try:
        data = _read(path, inside, MAX_BYTES)
    except (OSError, ValueError, RecursionError, DiglotError):
        return None
    if not isinstance(data, dict) or not whole_number(data.get("format"), FORMAT, FORMAT):
        return None
    paragraphs, widows, locked = data.get("paragraphs"), data.get("widows"), data.get("locked")
    if not isinstance(paragraphs, list) or not isinstance(widows, list):
        return None
    if not isinstance(locked, list) or not isinstance(data.get("tied"), list):
        return None
    big = 2**64
    for entry in paragraphs:
        if not isinstance(entry, list) or len(entry) != 4:
            return None
        index, digest, count, flat = entry
        if not all(whole_number(v, 0, big) for v in (index, digest, count)):
            return None
        if not isinstance(flat, list) or not all(whole_number(v, -big, big) for v in flat):
            return None
    for entry in widows:
        if not (isinstance(entry, list) and len(entry) == 2):
            return None
        if not (whole_number(entry[0], 0, big) and whole_number(entry[1], -MAX_WIDOWS, MAX_WIDOWS)):
            return None
    for entry in locked:
        if not isinstance(entry, list) or not entry:
            return None
        word, where = entry[0], entry[1:]
        if not locked_word(word):
            return None
        if not all(whole_number(index, 0, big) for index in where):
            return None
    for entry in data["tied"]:
        if not (isinstance(entry, list) and len(entry) == 3 and whole_number(entry[0], 0, big)):
            return None
        if not all(_tie_word(w) for w in entry[1:]):
            return None
    boxes = data.get("boxes")
    if not isinstance(boxes, list) or not all(_box_ok(entry) for entry in boxes):
        return None
    spurned = data.get("spurned")
    if not isinstance(spurned, list) or not all(whole_number(i, 0, big) for i in spurned):
        return None
    return data


def _box_ok(entry: Any) -> bool:
    """One entry of a record's ``boxes``: a box (:data:`BOX_KEYS`) and the
    paragraphs that had it."""
    if not isinstance(entry, list) or len(entry) != len(BOX_KEYS) + 1:
        return False
    width, size, lang, family, indent, last, where = entry
    return (
        all(_px(v, 0.0) for v in (width, size))
        and _px(indent, -MAX_PX)
        and all(isinstance(v, str) and len(v) <= MAX_NAME for v in (lang, family))
        and isinstance(last, bool)
        and isinstance(where, list)
        and all(whole_number(i, 0, 2**64) for i in where)
    )


def _px(value: Any, low: float) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= MAX_PX


@dataclass
class Recalled:
    """The decisions of an earlier build that apply to this HTML.

    ``planned``: the recorded total-fit breaks of unchanged paragraphs, as
    ``settle`` plans them; ``widows``: the recorded
    declarations (all paragraphs unchanged only); ``ties``: the recorded
    pairs of words kept together (unchanged paragraphs only);
    :meth:`unknown`: the paragraphs to plan from the first layout."""

    planned: Plans = field(default_factory=dict)
    widows: dict[int, str] = field(default_factory=dict)
    # blocks whose widows were tried and undone (all paragraphs unchanged only)
    spurned: set[int] = field(default_factory=set)
    # recorded for this text, every paragraph unchanged: settle's last step
    # (typography.loosen) is in the record, not to be tried again
    settled: bool = False
    ties: dict[int, frozenset[tuple[str, str]]] = field(default_factory=dict)
    known: set[int] = field(default_factory=set)  # paragraphs decided from the record
    # the record's row of each paragraph planned from it, with the plan it
    # gave: written again as it is when settle keeps that plan
    rows: dict[int, tuple[str, list[Any]]] = field(default_factory=dict)
    # the recorded box (BOX_KEYS) of each paragraph edited since the record,
    # in the measuring column: its breaks may be planned before a layout
    boxes: dict[int, dict[str, Any]] = field(default_factory=dict)
    html: str = ""
    words: frozenset[str] = frozenset()  # protected when settle started
    fit: bool = True
    path: Path | None = None
    state: _Session | None = None

    def unknown(self, boxes: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
        """``boxes`` without the paragraphs decided from the record."""
        return {i: info for i, info in boxes.items() if i not in self.known}

    def remember(
        self,
        planned: Plans,
        keep: set[int],
        widows: dict[int, str],
        words: set[str],
        ties: Ties | None = None,
        boxes: dict[int, dict[str, Any]] | None = None,
        spurned: set[int] | None = None,
    ) -> None:
        """Record what ``settle`` settled on (the ``planned`` paragraphs in
        ``keep``, ``widows``, ``words`` protected, word pairs tied, the
        ``boxes`` of the justified paragraphs planned and the blocks whose
        widows were ``spurned``, if given), unless
        something of it cannot be written as integers and words."""
        if self.path is None or self.state is None:
            return
        written = self._write(
            planned, keep, widows, words, ties or {}, boxes or {}, spurned or set()
        )
        if not written:
            # what this build settled on cannot be kept: forget what was
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)
            self.state.used.discard(self.path.name)

    def _write(
        self,
        planned: Plans,
        keep: set[int],
        widows: dict[int, str],
        words: set[str],
        ties: Ties,
        boxes: dict[int, dict[str, Any]],
        spurned: set[int],
    ) -> bool:
        from diglot.typography import tie_inner

        assert self.path is not None and self.state is not None
        rows: list[list[Any]] = []
        for index, (digest, inner) in sorted(_paragraphs(self.html).items()):
            if index not in keep:
                rows.append([index, digest, 0, []])
                continue
            kept = self.rows.get(index)
            if kept is not None and kept[0] == planned[index][0] and kept[1][1] == digest:
                rows.append(kept[1])  # the plan the record gave: its row as it was
                continue
            toks = linebreak.tokens(tie_inner(inner, ties.get(index, frozenset())))
            breaks = breaks_of(toks, planned[index][0])
            flat = _encode(breaks) if breaks is not None else None
            if flat is not None and len(breaks or ()) == planned[index][1]:
                rows.append([index, digest, len(toks), flat])
            # else: left out, so planned again next time
        lines = []
        for index, css in sorted(widows.items()):
            if css == FOOT_MARGIN:
                lines.append([index, 0])
                continue
            match = _WIDOWS.fullmatch(css)
            if match is None or not whole_number(int(match[1]), 1, MAX_WIDOWS):
                return False
            lines.append([index, -int(match[1]) if match[2] else int(match[1])])
        locked: list[list[Any]] = []
        texts = {index: _words_in(inner) for index, (_, inner) in _paragraphs(self.html).items()}
        for word in sorted(words - self.words):
            if not locked_word(word):
                return False
            # with the paragraphs that hold it: an edit there may undo its ladder
            locked.append([word, *sorted(i for i, found in texts.items() if word in found)])
        pairs = [(i, pair) for i, found in sorted(ties.items()) for pair in sorted(found)]
        if not all(_tie_word(w) for _, pair in pairs for w in pair):
            return False
        tied = [[i, *pair] for i, pair in pairs]
        table: dict[tuple[Any, ...], list[int]] = {}
        for index in sorted(keep):
            box = boxes.get(index)
            if box is not None and box["justify"] and not box.get("ragged"):
                table.setdefault(tuple(box[k] for k in BOX_KEYS), []).append(index)
        kept_boxes = [[*box, where] for box, where in table.items()]
        if not all(_box_ok(entry) for entry in kept_boxes):
            kept_boxes = []  # not a box a record can hold: none recorded
        data = {
            "format": FORMAT,
            "paragraphs": rows,
            "widows": lines,
            "locked": locked,
            "tied": tied,
            "boxes": kept_boxes,
            "spurned": sorted(spurned),
        }
        text = json.dumps(data, separators=(",", ":")).encode()
        try:
            files.write_cache(self.path, text, self.state.inside, "the line-breaking cache")
        except (OSError, DiglotError):
            return False
        self.state.used.add(self.path.name)
        self.state.last = (self.fit, data)
        return True


def _ties(data: dict[str, Any]) -> Ties:
    out: dict[int, set[tuple[str, str]]] = {}
    for index, tail, head in data["tied"]:
        out.setdefault(index, set()).add((tail, head))
    return {index: frozenset(pairs) for index, pairs in out.items()}


# A paragraph's HTML with its recorded breaks enforced, by (its inner HTML,
# token count, breaks): a facing edition recalls the same paragraphs for its
# measuring column and for its pages, and a build of 2,250 segments spent
# 2.4 s making each of them twice (profiled). Kept for the process.
@facts.text_cache(maxsize=50_000)
def _enforced(inner: str, count: int, flat: tuple[int, ...]) -> tuple[str, int] | None:
    """``inner`` with the breaks ``flat`` (as recorded, for ``count``
    tokens) enforced, and their number; None when they do not fit it."""
    toks = linebreak.tokens(inner)
    breaks = _decode(list(flat), toks) if len(toks) == count else None
    return None if breaks is None else (linebreak.enforce(toks, breaks), len(breaks))


def recall(html: str, fit: bool, words: set[str]) -> Recalled:
    """What an earlier build decided for ``html`` (laid out with ``words``
    protected, total fit or not). The recorded locked words that still
    apply are protected now (added to ``words``)."""
    from diglot.typography import tie_inner

    if not _current:
        return Recalled()
    state = _current[-1]
    path = state.folder / f"{_key(html, fit, words, state)}.json"
    found = Recalled(html=html, words=frozenset(words), fit=fit, path=path, state=state)
    data = _load(path, state.inside) if path.is_file() else None
    recorded_here = data is not None
    last = state.last if state.again and state.last and state.last[0] == fit else None
    if not recorded_here and last is not None:
        # Not recorded for this HTML, but settled a moment ago for the same
        # paragraphs elsewhere in the document (a booklet's colophon moved
        # to its end): what still applies is checked as a record is, by
        # paragraph, and the rest is planned from the first layout.
        data = last[1]
    if data is None:
        return found
    paragraphs = _paragraphs(html)
    marks = {int(m) for m in _MARKS.findall(html)}
    recorded = [entry[0] for entry in data["paragraphs"]]
    if len(set(recorded)) != len(recorded) or not set(recorded) <= set(paragraphs):
        return found  # not this document's paragraphs: not a cache diglot wrote
    if not all(index in marks for index, _ in data["widows"]):
        return found
    if not marks.issuperset(data["spurned"]):
        return found
    planned: Plans = {}
    changed = set(paragraphs) - set(recorded)
    # A paragraph edited since the record may have been settled a moment ago
    # in this build (a booklet settled again with its colophon moved): its
    # breaks come from there; it still counts as changed for the record's
    # widows and locked words, which were decided around its old text.
    lately = {row[0]: row for row in last[1]["paragraphs"]} if recorded_here and last else {}
    tied, tied_lately = _ties(data), _ties(last[1]) if last else {}
    for row in data["paragraphs"]:
        index, digest, count, flat = row
        pairs = tied.get(index, frozenset())
        if paragraphs[index][0] != digest:
            changed.add(index)
            index, digest, count, flat = lately.get(index, row)
            pairs = tied_lately.get(index, frozenset())
            if paragraphs[index][0] != digest:
                continue
        if pairs:
            found.ties[index] = pairs
        if flat:
            enforced = _enforced(tie_inner(paragraphs[index][1], pairs), count, tuple(flat))
            if enforced is None:
                return found
            planned[index] = enforced
            found.rows[index] = (planned[index][0], [index, digest, count, flat])
        found.known.add(index)
    if recorded_here:
        state.used.add(path.name)
        for *box, where in data["boxes"]:
            for index in where:
                if index in changed and index in paragraphs and index not in found.known:
                    found.boxes[index] = dict(zip(BOX_KEYS, box, strict=True))
    found.planned = planned
    if not changed:
        found.widows = {index: widows_css(count) for index, count in data["widows"]}
        found.spurned = set(data["spurned"])
        found.settled = True
        if not recorded_here:
            # Entries of the record of changes moved whole were a trial of
            # the other arrangement (typography.entries_over): tried again
            # here, where the pages turn the other way. Carried over,
            # biography-kk's record ran onto its back cover once its
            # colophon moved to the contents' page.
            from diglot.typography import ENTRY

            entries = {int(m[1]) for m in ENTRY.finditer(html)}
            found.widows = {i: css for i, css in found.widows.items() if i not in entries}
    # The locked words of ladders away from the changed paragraphs (the
    # loop finds those again if they still make one).
    touched: set[str] = set()
    for index in changed:
        touched |= _words_in(paragraphs[index][1])
    for word, *where in data["locked"]:
        if word not in touched and not changed.intersection(where):
            words.add(word)
    hyphenation.protect(frozenset(words))
    return found
