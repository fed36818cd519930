"""Translation QA: find what a careful reader would flag in a work's texts.

``check_documents`` looks at the texts of one work (the original and its
translations, aligned by segment id) and returns :class:`Finding` objects;
it prints nothing and knows nothing about Click. The codes:

- ``missing-translation`` / ``extra-segment``: a segment id in one language
  only, unless the text declares it under ``gaps``.
- ``date-mismatch``: the dates of aligned segments, compared as values
  (``25 fevral 1997-ci il`` = ``February 25, 1997``). Month names come from
  Babel's locale data, matched by stem so that inflected forms
  (``fevralın``, ``қазанда``, ``мае``) are recognised.
- ``number-mismatch``: the other numbers (times, percentages, ordinals,
  numbers with locale separators), compared as values.
- ``duplicate-segment``: the same or nearly the same paragraph twice in one
  language.
- ``foreign-language``: a sentence that is not in the file's language, by
  script and by letter evidence.
- ``ocr-artifact``: characters and letter-digit mixes that cannot occur in
  the language, and (Azerbaijani) words that are known words with their
  special letters lost.
- ``length-ratio`` (warning): a translation far shorter or longer than its
  original.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale, UnknownLocaleError
from babel.dates import get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol
from babel.units import format_unit

from diglot.align import align
from diglot.blocks import Paragraph
from diglot.errors import DiglotError, UsageError
from diglot.project import Edition, Project
from diglot.sources import (
    Document,
    FrontMatter,
    Provenance,
    Segment,
    is_language_tag,
    load,
)

Severity = Literal["error", "warning"]

CODES = (
    "missing-translation",
    "extra-segment",
    "date-mismatch",
    "number-mismatch",
    "duplicate-segment",
    "foreign-language",
    "ocr-artifact",
    "length-ratio",
)
WARNINGS = frozenset({"length-ratio"})

# Thresholds (documented in README.md, "Translation QA").
DUPLICATE_RATIO = 0.9
DUPLICATE_MIN_CHARS = 40
REWORDED_SHARE = 0.33  # share of content words (4+ letters) two paragraphs have in common
REWORDED_MIN_WORDS = 8
LENGTH_MIN_CHARS = 80
LENGTH_RATIO = (0.4, 2.5)
SMALL_NUMBER = 10  # numbers up to this one are often spelled out on the other side
SENTENCE_MIN_LETTERS = 12
SENTENCE_MIN_WORDS = 5


@dataclass(frozen=True)
class Finding:
    """One problem, located in a file and line (the segment or paragraph)."""

    code: str
    severity: Severity
    path: Path
    line: int
    segment: str | None
    message: str

    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (str(self.path), self.line, self.code, self.segment or "", self.message)

    def shown_path(self, root: Path | None = None) -> str:
        if root is not None:
            try:
                return self.path.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                pass
        return str(self.path)

    def format(self, root: Path | None = None) -> str:
        """``path:line: code: message`` on one line."""
        text = " ".join(self.message.split())
        return f"{self.shown_path(root)}:{self.line}: {self.code}: {text}"

    def as_dict(self, root: Path | None = None) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "path": self.shown_path(root),
            "line": self.line,
            "segment": self.segment,
            "message": self.message,
        }


def _sides_message(
    what: str,
    lang_l: str,
    lang_r: str,
    only_l: list[tuple[str, str]],
    only_r: list[tuple[str, str]],
) -> str:
    """ "dates differ: az has X (“…”) which en lacks; en has Y (“…”) which az lacks"."""
    parts = [f"{lang_l} has {value} (“{text}”) which {lang_r} lacks" for value, text in only_l]
    parts += [f"{lang_r} has {value} (“{text}”) which {lang_l} lacks" for value, text in only_r]
    return f"{what} differ: " + "; ".join(parts)


def _finding(code: str, doc: Document, line: int, segment: str | None, message: str) -> Finding:
    severity: Severity = "warning" if code in WARNINGS else "error"
    return Finding(code, severity, doc.path, line, segment, message)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Sorted by path, line, code; exact duplicates dropped."""
    return sorted(set(findings), key=Finding.sort_key)


def has_errors(findings: Iterable[Finding], strict: bool = False) -> bool:
    return any(f.severity == "error" or strict for f in findings)


# -- entry points -------------------------------------------------------------------


def check_documents(
    docs: Sequence[Document], known_words: Mapping[str, set[str]] | None = None
) -> list[Finding]:
    """Every finding for the texts of one work, sorted.

    ``known_words`` maps a language to words known to be spelt right (for the
    Azerbaijani OCR check: the project's corrected texts); the words of the
    documents that have the language's special letters are added.
    """
    findings: list[Finding] = []
    words: dict[str, set[str]] = {lang: set(ws) for lang, ws in (known_words or {}).items()}
    for doc in docs:
        special = _special_letters(doc.language)
        if special:
            words.setdefault(doc.language, set()).update(
                w for w in _words_of(doc) if special & set(w)
            )
    for doc in docs:
        findings += _duplicates(doc)
        findings += _foreign(doc)
        findings += _ocr(doc, words.get(doc.language, set()))
    if len(docs) > 1:
        findings += _compare(docs)
    return sort_findings(findings)


def check_edition(edition: Edition) -> list[Finding]:
    root = edition.project.root
    docs = [load(edition.source(lang), root) for lang in edition.languages]
    return check_documents(docs, project_words(root))


def check_work(project: Project, work: str) -> list[Finding]:
    docs = load_work(project.root, work)
    return check_documents(docs, project_words(project.root))


def check_names(project: Project, names: Sequence[str] = ()) -> list[Finding]:
    """Findings for edition names or work folders (default: every work), sorted.

    Raises UsageError for a name that is neither.
    """
    words = project_words(project.root)
    works = work_names(project.root)
    findings: list[Finding] = []
    for name in names or works:
        edition = next((e for e in project.editions if e.name == name), None)
        if edition is not None:
            docs = [load(edition.source(lang), project.root) for lang in edition.languages]
        elif name in works:
            docs = load_work(project.root, name)
        else:
            known = ", ".join([e.name for e in project.editions] + works)
            raise UsageError(
                f"no edition or work named {name!r} (editions and works: {known})",
                project.config_path,
            )
        findings += check_documents(docs, words)
    return sort_findings(findings)


def work_names(root: Path) -> list[str]:
    """Folders under ``sources/`` that hold at least one text."""
    base = root / "sources"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if p.is_dir() and any(_text_files(p)))


def load_work(root: Path, work: str) -> list[Document]:
    """The texts of ``sources/<work>/``, the original first."""
    folder = root / "sources" / work
    files = list(_text_files(folder)) if folder.is_dir() else []
    if not files:
        raise UsageError(f"no work named {work!r}: no texts in sources/{work}/", root)
    docs = [load(p, root) for p in files]
    return sorted(docs, key=lambda d: (d.meta.role != "original", d.language))


def project_words(root: Path) -> dict[str, set[str]]:
    """Words of every corrected text in the project, by language."""
    words: dict[str, set[str]] = {}
    for work in work_names(root):
        for path in _text_files(root / "sources" / work):
            try:
                doc = load(path, root)
            except DiglotError:
                continue
            words.setdefault(doc.language, set()).update(_words_of(doc))
    return words


def _text_files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.glob("*.md")):
        if re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", path.stem) and is_language_tag(
            path.stem
        ):
            yield path


# -- raw texts ------------------------------------------------------------------------


def documents_from_raw(path: Path, parts: Sequence[tuple[str, int, int | None]]) -> list[Document]:
    """Documents made from a raw text as received (not in the source format).

    ``parts`` gives each language's lines: ``(language, first, last)``,
    1-based and inclusive (``last`` None: to the end). Paragraphs are split
    on blank lines and become segments ``p1``, ``p2``, ... at their line;
    the first part is the original, the others its translations.
    """
    lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    docs: list[Document] = []
    original = parts[0][0] if parts else None
    for index, (language, first, last) in enumerate(parts):
        end = len(lines) if last is None else min(last, len(lines))
        segments: dict[str, Segment] = {}
        para: list[str] = []
        start = first
        for number in range(first, end + 2):
            text = lines[number - 1] if number <= end else ""
            if text.strip():
                if not para:
                    start = number
                para.append(text.strip())
                continue
            if para:
                seg_id = f"p{len(segments) + 1}"
                block = Paragraph.of_text(" ".join(para), start)
                segments[seg_id] = Segment(seg_id, start, (block,), number - 1)
                para = []
        meta = FrontMatter(
            title=path.name,
            language=language,
            role="original" if index == 0 else "translation",
            original=None if index == 0 else original,
            provenance=Provenance(source=f"raw text {path.name}", licence="unknown"),
        )
        docs.append(Document(path, meta, segments, first))
    return docs


# -- comparing aligned texts ----------------------------------------------------------


def _compare(docs: Sequence[Document]) -> list[Finding]:
    findings: list[Finding] = []
    alignment = align(list(docs))
    ref = alignment.reference_index
    original = docs[ref]
    for index, doc in enumerate(docs):
        if index == ref:
            continue
        for row in alignment.rows:
            orig, trans = row.cells[ref], row.cells[index]
            if orig is not None and trans is None:
                if row.id not in doc.meta.gaps:
                    findings.append(
                        _finding(
                            "missing-translation",
                            original,
                            orig.line,
                            row.id,
                            f"segment {row.id!r} has no {doc.language} translation in "
                            f"{doc.path.name} (declare it under 'gaps' if that is "
                            f"intended): {original.language} “{_excerpt(orig.plain)}”",
                        )
                    )
                continue
            if trans is not None and orig is None:
                if row.id not in original.meta.gaps:
                    findings.append(
                        _finding(
                            "extra-segment",
                            doc,
                            trans.line,
                            row.id,
                            f"segment {row.id!r} is not in the original "
                            f"{original.path.name}: {doc.language} “{_excerpt(trans.plain)}”",
                        )
                    )
                continue
            if orig is None or trans is None:
                continue
            findings += _compare_segments(original, orig, doc, trans)
    return findings


def _compare_segments(
    left_doc: Document, left: Segment, right_doc: Document, right: Segment
) -> list[Finding]:
    findings: list[Finding] = []
    lt, rt = left.plain, right.plain
    lang_l, lang_r = left_doc.language, right_doc.language
    l_dates, l_spans = extract_dates(lt, lang_l)
    r_dates, r_spans = extract_dates(rt, lang_r)
    only_l, only_r = _multiset_diff(l_dates, r_dates, key=lambda d: d.value)
    if only_l or only_r:
        message = _sides_message(
            "dates",
            lang_l,
            lang_r,
            [(str(d.value), d.text) for d in only_l],
            [(str(d.value), d.text) for d in only_r],
        )
        findings.append(_finding("date-mismatch", right_doc, right.line, right.id, message))
    l_nums = extract_numbers(lt, lang_l, l_spans)
    r_nums = extract_numbers(rt, lang_r, r_spans)
    only_ln, only_rn = _multiset_diff(l_nums, r_nums, key=lambda n: n.value)
    if not only_rn:
        only_ln = [n for n in only_ln if not n.small]
    if not only_ln:
        only_rn = [n for n in only_rn if not n.small]
    if only_ln or only_rn:
        message = _sides_message(
            "numbers",
            lang_l,
            lang_r,
            [(n.shown, n.text) for n in only_ln],
            [(n.shown, n.text) for n in only_rn],
        )
        findings.append(_finding("number-mismatch", right_doc, right.line, right.id, message))
    n_l, n_r = len(lt), len(rt)
    if max(n_l, n_r) > LENGTH_MIN_CHARS and n_l:
        ratio = n_r / n_l
        low, high = LENGTH_RATIO
        if not low <= ratio <= high:
            findings.append(
                _finding(
                    "length-ratio",
                    right_doc,
                    right.line,
                    right.id,
                    f"{lang_r} is {ratio:.2f} times as long as {lang_l} ({n_r} vs {n_l} "
                    f"characters): {lang_l} “{_excerpt(lt)}”; {lang_r} “{_excerpt(rt)}”",
                )
            )
    return findings


def _multiset_diff(left: list[Any], right: list[Any], key: Any) -> tuple[list[Any], list[Any]]:
    """Items of ``left`` without a partner in ``right`` and vice versa (by key)."""

    def unmatched(items: list[Any], others: list[Any]) -> list[Any]:
        pool = Counter(key(x) for x in others)
        alone = []
        for item in items:
            if pool[key(item)] > 0:
                pool[key(item)] -= 1
            else:
                alone.append(item)
        return alone

    return unmatched(left, right), unmatched(right, left)


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- dates ------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class DateValue:
    """A date as written: year, month and day, each possibly unknown."""

    year: int | None
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}" if self.year is not None else "?"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}" if self.year else f"--{self.month:02d}"
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class FoundDate:
    value: DateValue
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Token:
    kind: Literal["num", "word", "punct"]
    text: str
    start: int
    end: int
    number: int = 0
    digits: int = 0


_TOKEN = re.compile(
    r"(?P<num>\d+)(?:[-‐‑](?P<suffix>[^\W\d_]+)|(?P<glued>[^\W\d_]+))?"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?)"
    r"|(?P<punct>[^\s\w])"
)


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for m in _TOKEN.finditer(text):
        if m.group("num") is not None:
            digits = m.group("num")
            out.append(_Token("num", m.group(0), m.start(), m.end(), int(digits), len(digits)))
        elif m.group("word") is not None:
            out.append(_Token("word", m.group(0), m.start(), m.end()))
        else:
            out.append(_Token("punct", m.group(0), m.start(), m.end()))
    return out


def _fold(word: str) -> str:
    """Case-folded, with the combining dot of a lower-cased İ dropped."""
    return unicodedata.normalize("NFC", word.casefold().replace("\u0307", ""))


@cache
def _month_forms(language: str) -> tuple[tuple[str, int, bool], ...]:
    """(form, month, inflects) from Babel's month names, longest first.

    Exact forms: every width and context Babel knows ("fevral", "fev",
    "февраля", "февраль", "февр."). Stems: the longest common prefix of a
    month's wide format and stand-alone names ("феврал", "ма"), to which case
    endings may be added in languages that inflect month names.
    """
    locale = Locale.parse(language.replace("-", "_"))
    inflects = _suffix_max(language) > 0
    forms: dict[tuple[str, bool], int] = {}
    wide: dict[int, list[str]] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for month, name in get_month_names(width, context, locale).items():
                folded = _fold(name).rstrip(".")
                if folded:
                    forms[(folded, False)] = month
                if width == "wide":
                    wide.setdefault(month, []).append(folded)
    if inflects:
        for month, names in wide.items():
            stem = _common_prefix(names)
            if len(stem) >= 2:
                forms[(stem, True)] = month
    ordered = sorted(forms.items(), key=lambda item: -len(item[0][0]))
    return tuple((form, month, stem) for (form, stem), month in ordered)


def _common_prefix(words: list[str]) -> str:
    prefix = words[0]
    for word in words[1:]:
        while not word.startswith(prefix):
            prefix = prefix[:-1]
    return prefix


def _suffix_max(language: str) -> int:
    """How many letters of case ending may follow a month or year word.

    English does not inflect month names; az, kk and ru do ("fevralın",
    "қарашасынан", "мае").
    """
    return 0 if language.split("-")[0] == "en" else 6


def month_of(word: str, language: str) -> int | None:
    """The month a word names in ``language`` (by exact form or by stem), or None."""
    folded = _fold(word).rstrip(".")
    limit = _suffix_max(language)
    for form, month, stem in _month_forms(language):
        if folded == form:
            return month
        if stem and folded.startswith(form):
            rest = len(folded) - len(form)
            if rest <= (2 if len(form) < 3 else limit):
                return month
    return None


@cache
def _unit_words(language: str, unit: str) -> tuple[str, ...]:
    """Babel's words for a unit ("duration-year": "il", "жыл", "ж.", "г.", "год", ...),
    plus the literals in the locale's date patterns ("ж", "г")."""
    locale = Locale.parse(language.replace("-", "_"))
    words: set[str] = set()
    for name in (locale.unit_display_names.get(unit) or {}).values():
        words.add(_fold(str(name)).rstrip("."))
    for length in ("long", "short", "narrow"):
        for count in (1, 2, 5):
            shown = format_unit(count, unit, length=length, locale=locale)
            words.update(
                _fold(w).rstrip(".") for w in re.sub(r"\d", " ", shown).split() if "-" not in w
            )
    if unit == "duration-year":
        for name in ("long", "medium"):
            words.update(_fold(w) for w in re.findall(r"'([^']+)'", str(locale.date_formats[name])))
        for skeleton in ("yMMMM", "y"):
            pattern = locale.datetime_skeletons.get(skeleton)
            if pattern is not None:
                words.update(_fold(w) for w in re.findall(r"'([^']+)'", str(pattern)))
    return tuple(sorted((w for w in words if w and "/" not in w), key=len, reverse=True))


def _is_unit_word(token: _Token, language: str, unit: str) -> bool:
    """Is the token Babel's word for the unit, possibly with a case ending
    ("il", "ildə", "жылғы", "года", "ayının", "айында")?"""
    if token.kind != "word":
        return False
    folded = _fold(token.text)
    words = _unit_words(language, unit)
    if folded in words:
        return True
    limit = _suffix_max(language)
    return any(
        len(word) >= 2 and folded.startswith(word) and len(folded) - len(word) <= limit
        for word in words
    )


def _is_year(token: _Token | None) -> bool:
    return (
        token is not None
        and token.kind == "num"
        and token.digits == 4
        and 1000 <= token.number <= 2999
    )


def _is_day(token: _Token | None) -> bool:
    return (
        token is not None and token.kind == "num" and token.digits <= 2 and 1 <= token.number <= 31
    )


def extract_dates(text: str, language: str) -> tuple[list[FoundDate], list[tuple[int, int]]]:
    """Dates written in ``text`` as values, and the character spans they cover.

    Recognised: day month year in either order, with the year word of the
    language between ("25 fevral 1997-ci il", "1993 жылғы 3 қазанда",
    "February 25, 1997", "25 февраля 1997 г."), month and year ("May 1992",
    "в мае 1992 года"), day and month ("fevralın 26-sı") and years standing
    alone ("1993-cü ildən", "in 1993", "1948–1953").
    """
    toks = _tokens(text)
    used: set[int] = set()
    dates: list[FoundDate] = []
    months = [i for i, t in enumerate(toks) if t.kind == "word" and month_of(t.text, language)]

    def year_before(i: int) -> int | None:
        """Index of a year written before token i with a year word between
        ("1993 жылғы", "1994-cü il", "1987 ж.")."""
        j = i - 1
        saw_word = False
        while j >= 0 and i - j <= 4:
            tok = toks[j]
            if tok.kind == "punct" and tok.text == ".":
                pass
            elif _is_unit_word(tok, language, "duration-year"):
                saw_word = True
            elif _is_year(tok):
                return j if saw_word and j not in used else None
            else:
                return None
            j -= 1
        return None

    claimed: set[int] = set()
    for i in months:
        start = i - 1 if _is_day(toks[i - 1] if i else None) else i
        y = year_before(start)
        if y is not None:
            claimed.add(y)

    for i in months:
        if i in used:
            continue
        month = month_of(toks[i].text, language)
        first = last = i
        if i + 1 < len(toks) and toks[i + 1].kind == "punct" and toks[i + 1].text == ".":
            last = i + 1  # an abbreviated month: "Dec.", "февр."
        day: int | None = None
        day_at: int | None = None
        year: int | None = None
        if i > 0 and _is_day(toks[i - 1]) and (i - 1) not in used:
            day_at = first = i - 1
        else:
            k = last + 1
            if k < len(toks) and _is_unit_word(toks[k], language, "duration-month"):
                k += 1
            if _is_day(toks[k] if k < len(toks) else None):
                day_at = last = k
        other: int | None = None
        if day_at is not None:
            day = toks[day_at].number
            # A range of days shares the month and year: "17–18 June", "June 17–18".
            other = _range_day(toks, day_at, -1 if day_at < i else +1)
            if other is not None:
                first, last = min(first, other), max(last, other)
        y = year_before(first)
        if y is not None:
            year = toks[y].number
            first = y
        else:
            k = last + 1
            if k < len(toks) and toks[k].kind == "punct" and toks[k].text == "," and day:
                k += 1
            if k < len(toks) and _is_year(toks[k]) and k not in claimed:
                year = toks[k].number
                last = k
                if k + 1 < len(toks) and _is_unit_word(toks[k + 1], language, "duration-year"):
                    last = k + 1
        if day is None and year is None:
            continue
        if day is not None and not _valid_day(year, month, day):
            continue
        if other is not None and _valid_day(year, month, toks[other].number):
            tok = toks[other]
            dates.append(
                FoundDate(DateValue(year, month, tok.number), tok.text, tok.start, tok.end)
            )
        used.update(range(first, last + 1))
        start_c, end_c = toks[first].start, toks[last].end
        dates.append(FoundDate(DateValue(year, month, day), text[start_c:end_c], start_c, end_c))
    for i, tok in enumerate(toks):
        if i in used or not _is_year(tok):
            continue
        if _in_number_group(text, tok, language):
            continue
        end = tok.end
        if i + 1 < len(toks) and _is_unit_word(toks[i + 1], language, "duration-year"):
            end = toks[i + 1].end
        dates.append(FoundDate(DateValue(tok.number), text[tok.start : end], tok.start, end))
    dates.sort(key=lambda d: d.start)
    return dates, [(d.start, d.end) for d in dates]


def _range_day(toks: list[_Token], edge: int, step: int) -> int | None:
    """Index of a day joined to the day at ``edge`` by a dash ("17–18 June",
    "June 17–18") or, before it, by a short word ("17 to 18 June", "17 и 18
    июня"); step -1 looks left."""
    dash, other = edge + step, edge + 2 * step
    if not 0 <= other < len(toks) or not 0 <= dash < len(toks):
        return None
    link = toks[dash]
    joined = (link.kind == "punct" and link.text in "-–—") or (
        step < 0 and link.kind == "word" and len(link.text) <= 3 and link.text.islower()
    )
    return other if joined and _is_day(toks[other]) else None


def _valid_day(year: int | None, month: int | None, day: int) -> bool:
    try:
        dt.date(year or 2000, month or 1, day)
    except ValueError:
        return False
    return True


def _in_number_group(text: str, tok: _Token, language: str) -> bool:
    """A 4-digit token that is part of a larger number ("1.500.000", "1,000")."""
    before = text[max(0, tok.start - 4) : tok.start]
    after = text[tok.end : tok.end + 4]
    group = get_group_symbol(language.replace("-", "_"))
    decimal = get_decimal_symbol(language.replace("-", "_"))
    seps = {group, decimal}
    return any(
        re.fullmatch(rf".*\d{re.escape(s)}", before) or re.match(rf"{re.escape(s)}\d", after)
        for s in seps
        if not s.isspace() and s not in ("\u00a0", "\u202f")
    )


# -- numbers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundNumber:
    value: str
    text: str
    small: bool

    @property
    def shown(self) -> str:
        return self.value


_TIME = re.compile(r"(?<![\d.,:])(?P<h>[01]?\d|2[0-3])(?::(?P<m>[0-5]\d)|-(?P<z>00))(?![\d:])")


@cache
def _number_pattern(language: str) -> re.Pattern[str]:
    tag = language.replace("-", "_")
    group = get_group_symbol(tag)
    decimal = get_decimal_symbol(tag)
    group_re = "[\u00a0\u202f ]" if group.isspace() or group in "\u00a0\u202f" else re.escape(group)
    return re.compile(
        rf"(?<![\w{re.escape(decimal)}])(?P<int>\d{{1,3}}(?:{group_re}\d{{3}})+(?!\d)|\d+)"
        rf"(?:{re.escape(decimal)}(?P<frac>\d+))?"
    )


@cache
def _magnitudes(language: str) -> dict[str, int]:
    """Words that multiply a number ("мың", "млн", "thousand", "milyon"), from
    Babel's compact decimal formats."""
    locale = Locale.parse(language.replace("-", "_"))
    out: dict[str, int] = {}
    for width in ("short", "long"):
        for forms in (locale.compact_decimal_formats.get(width) or {}).values():
            for magnitude, pattern in forms.items():
                text = str(getattr(pattern, "pattern", pattern))
                zeros = text.count("0")
                word = _fold(re.sub(r"['0#.,\s\u00a0]", "", text))
                if zeros and len(word) >= 2 and word.isalpha():
                    out.setdefault(word, int(magnitude) // 10 ** (zeros - 1))
    return out


def _magnitude_after(text: str, end: int, language: str) -> tuple[int, int]:
    """(multiplier, end) for a magnitude word right after a number."""
    m = re.match(r"[ \u00a0\u202f]?([^\W\d_]+)\.?", text[end:])
    if not m:
        return 1, end
    word = _fold(m.group(1))
    table = _magnitudes(language)
    if word in table:
        return table[word], end + m.end()
    if _suffix_max(language):
        for known, factor in table.items():
            stem = known[: max(3, len(known) - 1)]
            if word.startswith(stem) and len(word) - len(stem) <= 3:
                return factor, end + m.end()
    return 1, end


def extract_numbers(
    text: str, language: str, skip: Sequence[tuple[int, int]] = ()
) -> list[FoundNumber]:
    """Numbers in ``text`` as values, outside the ``skip`` spans (dates).

    Times ("17:00", "17-00") become ``17:00``; "97,5%" (az, kk, ru) and
    "97.5%" (en) both become ``97.5``; ordinal and case endings ("3-cü",
    "3rd", "3-і") are dropped; group separators follow the locale
    ("226 000", "1,000", "1.000").
    """
    spans = list(skip)
    out: list[FoundNumber] = []
    for m in _TIME.finditer(text):
        if _inside(m.start(), m.end(), spans):
            continue
        value = f"{int(m['h'])}:{m['m'] or m['z']}"
        out.append(FoundNumber(value, m.group(0), False))
        spans.append((m.start(), m.end()))
    for m in _number_pattern(language).finditer(text):
        if _inside(m.start(), m.end(), spans):
            continue
        digits = re.sub(r"\D", "", m["int"])
        try:
            number = Decimal(digits + ("." + m["frac"] if m["frac"] else ""))
        except InvalidOperation:  # pragma: no cover - the pattern only matches digits
            continue
        factor, end = _magnitude_after(text, m.end(), language)
        number *= factor
        if number == number.to_integral_value():
            shown = str(int(number))
        else:
            shown = format(number.normalize(), "f")
        small = factor == 1 and m["frac"] is None and int(number) <= SMALL_NUMBER
        out.append(FoundNumber(shown, text[m.start() : end], small))
    return out


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


# -- letters and languages ----------------------------------------------------------

# CLDR's exemplar characters (common/main/<lang>.xml, main and auxiliary sets).
# Babel does not expose them (there is no Locale.exemplar_characters), so the
# sets of the languages diglot checks are written down here, from CLDR.
_CLDR_EXEMPLARS: dict[str, tuple[str, str]] = {
    "az": ("abcçdeəfgğhxıijkqlmnoöprsştuüvyz", "w"),
    "en": ("abcdefghijklmnopqrstuvwxyz", "áàăâåäãāæçéèĕêëēíìĭîïīñóòŏôöøōœúùŭûüūÿ"),
    "kk": ("аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя", ""),
    "ru": ("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", ""),
}


@cache
def alphabet(language: str, auxiliary: bool = False) -> frozenset[str]:
    """The lower-case letters of ``language`` (CLDR exemplar characters).

    Uses ``Locale.exemplar_characters`` when the installed Babel provides
    it, else CLDR's sets for az, en, kk and ru; empty for other languages.
    """
    base = language.split("-")[0].split("_")[0]
    locale = Locale.parse(base)
    exemplars = getattr(locale, "exemplar_characters", None)
    if isinstance(exemplars, Mapping) and exemplars.get(""):
        letters = set(str(c) for c in exemplars[""])
        if auxiliary:
            letters |= set(str(c) for c in exemplars.get("auxiliary", ()))
        return frozenset(_fold(c) for c in letters if len(c) == 1)
    main, aux = _CLDR_EXEMPLARS.get(base, ("", ""))
    return frozenset(main + aux if auxiliary else main)


def script_of(char: str) -> str:
    """The script of a letter ("LATIN", "CYRILLIC", ...): the first word of its Unicode name."""
    try:
        return unicodedata.name(char).split()[0]
    except ValueError:
        return "UNKNOWN"


@cache
def language_script(language: str) -> str | None:
    scripts = Counter(script_of(c) for c in alphabet(language))
    return scripts.most_common(1)[0][0] if scripts else None


# Letter patterns that are evidence of a language beyond its own letters:
# digraphs English needs for sounds Azerbaijani writes with one letter
# (ş, ç, ğ) or does not have (th, w); Russian inflections and the letters
# Kazakh uses only in Russian loans.
_EVIDENCE: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"w|th|sh|ch|ph|ck|gh"),
    "ru": re.compile(
        r"[ёщъэ]|(?:ого|его|ому|ему|ыми|ими|ами|ями|ться|тся|ость|ости|ение|ения|ании"
        r"|ский|ская|ское|ских|ный|ная|ное|ных|ным|ной|ый|ий|ая|ое|ые|ие|ия|ем|ом|ах|ях"
        r"|ся|ть|ает|ует|ют|ят)$"
    ),
}
_KNOWN_LANGUAGES = tuple(_CLDR_EXEMPLARS)

_SENTENCE_END = re.compile(r"[.!?…]+[\"”»’)\]]*\s+")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def sentences(text: str) -> list[str]:
    """Split a paragraph after . ! ? … when an upper-case letter or digit follows."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        rest = text[m.end() :].lstrip("\"“«(„‘'—–- ")
        if rest and (rest[0].isupper() or rest[0].isdigit()):
            out.append(text[start : m.end()].strip())
            start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def guess_language(sentence: str, language: str) -> str | None:
    """The language a sentence of a ``language`` text seems to be in, if not that one.

    By script first (a Cyrillic sentence in an English text), then by letter
    evidence between languages of the same script: letters one alphabet has
    and the other lacks (Kazakh ә ғ қ ң ө ұ ү һ і; Azerbaijani ə ı ğ ş ç ö ü;
    English w) and the patterns in ``_EVIDENCE``.
    """
    letters = [c for c in _fold(sentence) if c.isalpha()]
    if len(letters) < SENTENCE_MIN_LETTERS:
        return None
    own_script = language_script(language)
    if own_script is None:
        return None
    scripts = Counter(script_of(c) for c in letters)
    script, count = scripts.most_common(1)[0]
    words = [_fold(w) for w in _WORD.findall(sentence)]
    if script != own_script:
        if scripts[own_script] <= 0.4 * len(letters) and count >= 0.6 * len(letters):
            return _best_of_script(script, words) or script.lower()
        return None
    for other in _KNOWN_LANGUAGES:
        if other == language.split("-")[0] or language_script(other) != own_script:
            continue
        if _looks_like(words, other, language):
            return other
    return None


def _best_of_script(script: str, words: list[str]) -> str | None:
    """Which known language of ``script`` the words are in: the one with most
    evidence (its own letters, its patterns); on a tie the smallest alphabet
    that has all the letters (Russian rather than Kazakh, English rather than
    Azerbaijani)."""
    candidates = [lang for lang in _KNOWN_LANGUAGES if language_script(lang) == script]
    if not candidates:
        return None
    letters = {c for w in words for c in w}

    def score(lang: str) -> tuple[int, int, int]:
        others: set[str] = set()
        for other in candidates:
            if other != lang:
                others |= alphabet(other)
        own = alphabet(lang) - others
        pattern = _EVIDENCE.get(lang)
        evidence = sum(1 for w in words if own & set(w) or (pattern and pattern.search(w)))
        covers = int(letters <= alphabet(lang))
        return (evidence, covers, -len(alphabet(lang)))

    return max(candidates, key=score)


def _looks_like(words: list[str], other: str, language: str) -> bool:
    """Do these words (of one sentence) look like ``other`` rather than ``language``?"""
    if len(words) < SENTENCE_MIN_WORDS:
        return False
    own_only = alphabet(language) - alphabet(other)
    other_only = alphabet(other) - alphabet(language)
    own_words = sum(1 for w in words if own_only & set(w))
    other_words = sum(1 for w in words if other_only & set(w))
    pattern = _EVIDENCE.get(other)
    evidence = other_words
    if pattern is not None:
        evidence = sum(1 for w in words if other_only & set(w) or pattern.search(w))
    if own_words:
        return False  # the file's own letters are there
    # Letters alone must be frequent; letters and patterns together less so.
    share = 0.15 if pattern is not None else 0.3
    return evidence >= 2 and evidence >= share * len(words)


def _foreign(doc: Document) -> list[Finding]:
    findings: list[Finding] = []
    language = doc.language
    if language_script(language) is None:
        return findings
    names = {lang: _language_name(lang) for lang in _KNOWN_LANGUAGES}
    for seg in doc.segments.values():
        for block in seg.blocks:
            for sentence in sentences(block.plain):
                guess = guess_language(sentence, language)
                if guess is None:
                    continue
                shown = names.get(guess, guess)
                findings.append(
                    _finding(
                        "foreign-language",
                        doc,
                        block.line,
                        seg.id,
                        f"sentence in {shown}, not {names.get(language, language)}: "
                        f"“{_excerpt(sentence, 80)}”",
                    )
                )
    return findings


def _language_name(language: str) -> str:
    try:
        return Locale.parse(language).get_display_name("en") or language
    except (UnknownLocaleError, ValueError):
        return language


# -- duplicates -------------------------------------------------------------------------


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", _fold(text)).split())


def _duplicates(doc: Document) -> list[Finding]:
    """Paragraphs that repeat an earlier one: the same text (error) or, by the
    share of content words they have in common, the same text reworded
    (warning)."""
    findings: list[Finding] = []
    paragraphs: list[tuple[Segment, int, str, frozenset[str], str]] = []
    for seg in doc.segments.values():
        for block in seg.blocks:
            if block.kind != "paragraph":
                continue
            norm = _normalise(block.plain)
            if len(norm) >= DUPLICATE_MIN_CHARS:
                content = frozenset(w for w in norm.split() if len(w) >= 4)
                paragraphs.append((seg, block.line, norm, content, block.plain))
    for j, (seg_b, line_b, norm_b, words_b, text_b) in enumerate(paragraphs):
        for seg_a, line_a, norm_a, words_a, text_a in paragraphs[:j]:
            where = (
                f"segment {seg_a.id!r}, line {line_a}"
                if seg_a.id != seg_b.id
                else f"line {line_a} of the same segment"
            )
            ratio = _similarity(norm_a, norm_b)
            quote = f"“{_excerpt(text_b)}” / “{_excerpt(text_a)}”"
            if ratio is not None:
                kind = "repeats" if ratio == 1.0 else f"nearly repeats ({ratio:.0%} alike)"
                message = f"paragraph {kind} the paragraph at {where}: {quote}"
                findings.append(_finding("duplicate-segment", doc, line_b, seg_b.id, message))
                break
            shared = len(words_a & words_b)
            union = len(words_a | words_b)
            if shared >= REWORDED_MIN_WORDS and shared / union >= REWORDED_SHARE:
                message = (
                    f"paragraph looks like the paragraph at {where} reworded "
                    f"({shared} of {union} content words in common): {quote}"
                )
                findings.append(
                    Finding("duplicate-segment", "warning", doc.path, line_b, seg_b.id, message)
                )
                break
    return findings


def _similarity(a: str, b: str) -> float | None:
    """1.0 for equal texts, the difflib ratio when it is at least DUPLICATE_RATIO."""
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if 2 * min(la, lb) / (la + lb) < DUPLICATE_RATIO:
        return None
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < DUPLICATE_RATIO or matcher.quick_ratio() < DUPLICATE_RATIO:
        return None
    ratio = matcher.ratio()
    return ratio if ratio >= DUPLICATE_RATIO else None


# -- OCR debris -------------------------------------------------------------------------

# How OCR misreads the letters of Azerbaijani's alphabet (seen in the seeds:
# "Heydor" for Heydər, "soyqirimi" for soyqırımı, "©liyev" for Əliyev).
_OCR_CONFUSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "az": {
        "ə": ("e", "a", "o", "s", "©", "6"),
        "ı": ("i", "1", "l"),
        "ç": ("c", "¢", "g"),
        "ğ": ("g", "q"),
        "ö": ("o", "6", "é"),
        "ş": ("s", "g"),
        "ü": ("u", "ii"),
        "i": ("1", "l"),
    },
}
_ORDINAL_EN = re.compile(r"\d+(?:st|nd|rd|th|s)")
_CODE = re.compile(r"[^\W\d_]{1,5}\d{1,4}")


def _words_of(doc: Document) -> set[str]:
    return {
        _fold(w)
        for seg in doc.segments.values()
        for block in seg.blocks
        for w in _WORD.findall(block.plain)
    }


def _ocr(doc: Document, known: set[str]) -> list[Finding]:
    findings: list[Finding] = []
    language = doc.language
    base = language.split("-")[0]
    letters = alphabet(language, auxiliary=True)
    own_script = language_script(language)
    confusions = _OCR_CONFUSIONS.get(base)
    index = _restoration_index(frozenset(known), base) if confusions else {}
    for seg in doc.segments.values():
        for block in seg.blocks:
            text = block.plain
            odd: list[str] = []
            for raw in text.split():
                word = raw.strip(".,;:!?()[]«»“”\"'‘’—–-…")
                reason = _odd_word(word, base, letters, own_script)
                if reason and word not in odd:
                    odd.append(word)
            if odd:
                findings.append(
                    _finding(
                        "ocr-artifact",
                        doc,
                        block.line,
                        seg.id,
                        "characters that cannot occur in "
                        f"{_language_name(language)}: {_listing(odd)}",
                    )
                )
            if confusions:
                restored = _restorable(text, known, index, base)
                if restored:
                    findings.append(
                        _finding(
                            "ocr-artifact",
                            doc,
                            block.line,
                            seg.id,
                            "words with lost letters: "
                            + _listing([f"{w} → {r}" for w, r in restored]),
                        )
                    )
    return findings


def _listing(items: list[str], limit: int = 8) -> str:
    shown = ", ".join(f"“{x}”" if "→" not in x else x for x in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _odd_word(word: str, language: str, letters: frozenset[str], script: str | None) -> str | None:
    """Why a word cannot be right in ``language`` (None if it can)."""
    if not word:
        return None
    has_letter = any(c.isalpha() for c in word)
    for i, c in enumerate(word):
        cat = unicodedata.category(c)
        if (cat in ("So", "Sc", "Sk", "Co", "Cn") and c not in "°№") or c == "\ufffd":
            near = word[max(0, i - 1) : i] + word[i + 1 : i + 2]
            if any(n.isalpha() for n in near) or c == "\ufffd":
                return f"symbol {c!r} inside a word"
    if not has_letter:
        return None
    word_scripts = {script_of(c) for c in word if c.isalpha()}
    if len(word_scripts) > 1:
        return "letters of two scripts in one word"
    if letters and script in word_scripts:
        folded = {c for c in _fold(word) if c.isalpha()}
        if not folded <= letters and not any(folded <= alphabet(o) for o in _KNOWN_LANGUAGES):
            return "a letter that is not in the alphabet"
    for part in re.findall(r"[^\W_]+", word):
        if any(c.isdigit() for c in part) and any(c.isalpha() for c in part):
            if language == "en" and _ORDINAL_EN.fullmatch(part):
                continue
            if _CODE.fullmatch(part) and part[0].isupper():
                continue
            return "letters and digits mixed"
    return None


def _special_letters(language: str) -> frozenset[str]:
    """The letters OCR loses in ``language`` (those of the confusion table that
    are not plain ASCII)."""
    table = _OCR_CONFUSIONS.get(language.split("-")[0], {})
    return frozenset(c for c in table if not c.isascii())


def _restoration_key(word: str, confusions: Mapping[str, tuple[str, ...]]) -> str:
    """A coarse key under which a word and its OCR misreadings fall together."""
    classes = set(confusions)
    for alts in confusions.values():
        classes.update(a for a in alts if len(a) == 1)
    word = word.replace("ii", "ü")
    return "".join("*" if c in classes else c for c in word)


@cache
def _restoration_index(known: frozenset[str], language: str) -> dict[str, list[str]]:
    confusions = _OCR_CONFUSIONS[language]
    special = _special_letters(language)
    index: dict[str, list[str]] = {}
    for word in sorted(known):
        if special & set(word):
            index.setdefault(_restoration_key(word, confusions), []).append(word)
    return index


@cache
def _restoration_pattern(word: str, language: str) -> re.Pattern[str]:
    confusions = _OCR_CONFUSIONS[language]
    parts = []
    for c in word:
        alts = sorted({c, *confusions.get(c, ())}, key=len, reverse=True)
        parts.append(
            "(?:" + "|".join(re.escape(a) for a in alts) + ")" if len(alts) > 1 else re.escape(c)
        )
    return re.compile("".join(parts))


def _restorable(
    text: str, known: set[str], index: Mapping[str, list[str]], language: str
) -> list[tuple[str, str]]:
    """(word, known word) pairs where the known word's special letters were lost."""
    confusions = _OCR_CONFUSIONS[language]
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for word in _WORD.findall(text):
        folded = _fold(word)
        if len(folded) < 4 or folded in seen or folded in known:
            continue
        seen.add(folded)
        for candidate in index.get(_restoration_key(folded, confusions), ()):
            if _restoration_pattern(candidate, language).fullmatch(folded):
                out.append((word, _recase(candidate, word)))
                break
    return out


def _recase(restored: str, like: str) -> str:
    if like[:1].isupper():
        return restored[:1].upper() + restored[1:]
    return restored
