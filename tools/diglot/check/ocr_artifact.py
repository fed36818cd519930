"""``ocr-artifact``: debris of optical character recognition in a text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from functools import cache

from diglot.check import units
from diglot.check.findings import Finding, excerpt
from diglot.check.language import (
    KNOWN_LANGUAGES,
    alphabet,
    language_name,
    language_script,
    script_of,
    words_of,
)
from diglot.check.registry import Context, document_check
from diglot.facts import fold, words
from diglot.sources import Document

CODE = "ocr-artifact"

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
_CODE_WORD = re.compile(r"[^\W\d_]{1,5}\d{1,4}")


def known_words(context: Context) -> dict[str, set[str]]:
    """The words known to be spelt right, by language: the project's corrected
    texts (``context.known_words``) and the words of the checked texts that
    have the language's special letters (derived once per run)."""
    known = context.derived.get(CODE)
    if known is None:
        known = {k: set(v) for k, v in context.known_words.items()}
        for doc in context.docs:
            special = _special_letters(doc.language)
            if special:
                known.setdefault(doc.language, set()).update(
                    w for w in words_of(doc) if special & set(w)
                )
        context.derived[CODE] = known
    return known


def _reads(doc: Document, context: Context) -> str:
    """What the findings of a segment depend on besides the segment: the
    known words of the text's language, where lost letters are looked for."""
    if doc.language.split("-")[0] not in _OCR_CONFUSIONS:
        return ""
    name = f"{CODE}:{doc.language}"
    if name not in context.derived:
        words = sorted(known_words(context).get(doc.language, set()))
        context.derived[name] = units.digest("\n".join(words))
    return str(context.derived[name])


@document_check(CODE, local=True, reads=_reads)
def ocr_debris(doc: Document, context: Context) -> Iterator[Finding]:
    """Characters and letter-digit mixes that cannot occur in the language, and
    (Azerbaijani) words that are known words with their special letters lost.

    Known words: the project's corrected texts (``context.known_words``) and
    the words of the checked texts that have the language's special letters.
    """
    return _ocr(doc, known_words(context).get(doc.language, set()))


def _ocr(doc: Document, known: set[str]) -> Iterator[Finding]:
    language = doc.language
    base = language.split("-")[0]
    letters = alphabet(language, auxiliary=True)
    own_script = language_script(language)
    confusions = _OCR_CONFUSIONS.get(base)
    index: Mapping[str, list[str]] = {}
    if confusions and doc.segments:
        index = _restoration_index(frozenset(known), base)
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
                yield Finding.at(
                    CODE,
                    doc,
                    block.line,
                    seg.id,
                    f"characters that cannot occur in {language_name(language)}: {_listing(odd)}",
                )
            if confusions:
                restored = _restorable(text, known, index, base)
                if restored:
                    yield Finding.at(
                        CODE,
                        doc,
                        block.line,
                        seg.id,
                        "words with lost letters: " + _listing([f"{w} → {r}" for w, r in restored]),
                    )


def _listing(items: list[str], limit: int = 8) -> str:
    shown = ", ".join(f"“{excerpt(x, 40)}”" if "→" not in x else x for x in items[:limit])
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
        folded = {c for c in fold(word) if c.isalpha()}
        if not folded <= letters and not any(folded <= alphabet(o) for o in KNOWN_LANGUAGES):
            return "a letter that is not in the alphabet"
    for part in re.findall(r"[^\W_]+", word):
        if any(c.isdigit() for c in part) and any(c.isalpha() for c in part):
            if language == "en" and _ORDINAL_EN.fullmatch(part):
                continue
            if _CODE_WORD.fullmatch(part) and part[0].isupper():
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
    for word in words(text):
        folded = fold(word)
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
