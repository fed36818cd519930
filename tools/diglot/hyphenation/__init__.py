"""Hyphenation dictionaries for Azerbaijani (az) and Kazakh (kk).

pyphen, which WeasyPrint uses for ``hyphens: auto``, has no dictionary for
either language.  This package ships two generated Liang pattern files
(see :mod:`diglot.hyphenation.build_patterns`) and :func:`register` makes
pyphen, and so WeasyPrint, use them::

    from diglot import hyphenation
    hyphenation.register()   # before rendering; calling it again is harmless

How WeasyPrint finds a dictionary (checked against WeasyPrint 70 and pyphen
0.18): for a text with ``lang="az-Latn-AZ"`` it calls
``pyphen.language_fallback("az-Latn-AZ")``, which lowercases the tag, turns
``-`` into ``_`` and drops subtags from the end (``az_latn_az``,
``az_latn``, ``az``) until one is a key of ``pyphen.LANGUAGES_LOWERCASE``;
then ``pyphen.Pyphen(lang=...)`` opens ``pyphen.LANGUAGES[...]``.  So the
bare ``az`` and ``kk`` entries serve every region and script variant
(``az-AZ``, ``az_Latn``, ``kk-KZ``, ``kk-Cyrl-KZ``...) and no variant needs
an entry of its own.

One more detail: pyphen lowercases words with :meth:`str.lower`, which turns
the Azerbaijani capital ``İ`` into two characters (``i`` and a combining dot),
so every break after an ``İ`` would land one letter too far to the right
(``İlh-am``).  :func:`register` therefore also puts the parsed dictionaries in
pyphen's per-file cache behind a small wrapper that lowercases ``İ``/``I``
the Turkic way first.  ``pyphen.Pyphen(..., cache=False)`` bypasses that
cache and with it the fix.

Parsing a pattern file takes pyphen a quarter of a second, on every build.
The parsed patterns are therefore kept, once per machine, in diglot's cache
(:mod:`diglot.cache`), named after the pattern file's digest, and loaded
from there in a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["LANGUAGES", "dictionary_path", "guard", "keep_whole", "protect", "register"]

#: Languages with a bundled dictionary, as BCP 47 primary language subtags.
LANGUAGES = ("az", "kk")

_HERE = Path(__file__).resolve().parent

# Same length in and out, unlike str.lower() on "İ", so positions stay valid.
_TURKIC_CAPITALS = str.maketrans({"İ": "i", "I": "ı"})


def dictionary_path(lang: str) -> Path:
    """The bundled ``hyph_<lang>.dic`` for one of :data:`LANGUAGES`."""
    if lang not in LANGUAGES:
        raise ValueError(f"no bundled hyphenation dictionary for {lang!r}")
    return _HERE / f"hyph_{lang}.dic"


# Words never to hyphenate while a document is laid out (names, parts of
# words that already hold a hyphen, words a ladder check locked): see
# protect(). Kept here because pyphen's dictionaries are where WeasyPrint
# asks for break points, and it passes the word exactly as written.
_PROTECTED: frozenset[str] = frozenset()
# Paragraphs' last words, kept whole where WeasyPrint breaks the lines (see
# keep_whole); total fit weighs that break itself.
_WHOLE: frozenset[str] = frozenset()


def protect(words: frozenset[str]) -> None:
    """Give no break points for ``words`` (as written) until the next call."""
    global _PROTECTED
    _PROTECTED = words


def keep_whole(words: frozenset[str]) -> None:
    """Give no break points for ``words`` either, until the next call: the
    last words of a document's paragraphs (diglot.typography.last_words)."""
    global _WHOLE
    _WHOLE = words


def protected() -> frozenset[str]:
    """The words given no break points now."""
    return _PROTECTED | _WHOLE


class _GuardedDict:
    """A pyphen ``HyphDict`` that gives no break points for protected words."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def positions(self, word: str) -> list[Any]:
        if word in _PROTECTED or word in _WHOLE:
            return []
        positions: list[Any] = self.inner.positions(word)
        return positions

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class _TurkicCaseDict(_GuardedDict):
    """A pyphen ``HyphDict`` that lowercases dotted and dotless I correctly."""

    def positions(self, word: str) -> list[Any]:
        if word in _PROTECTED or word in _WHOLE:
            return []
        positions: list[Any] = self.inner.positions(word.translate(_TURKIC_CAPITALS))
        return positions


def register(languages: Sequence[str] | None = None) -> None:
    """Make pyphen (and so WeasyPrint) hyphenate ``az`` and ``kk``.

    ``languages`` limits the work to the dictionaries a document needs
    (parsing one takes a tenth of a second or more); other language tags are
    ignored. Idempotent: each dictionary is parsed once, later calls only
    make sure the entries are still in place.
    """
    import pyphen

    wanted = (
        LANGUAGES
        if languages is None
        else {tag.replace("_", "-").split("-")[0].lower() for tag in languages}
    )
    for lang in (code for code in LANGUAGES if code in wanted):
        path = dictionary_path(lang)
        pyphen.LANGUAGES[lang] = path  # a Path: pyphen calls path.open()
        pyphen.LANGUAGES_LOWERCASE[lang] = lang
        if not isinstance(pyphen.hdcache.get(path), _TurkicCaseDict):
            pyphen.hdcache[path] = _TurkicCaseDict(compiled(path))


def guard(languages: Sequence[str]) -> None:
    """Make :func:`protect` apply to the pyphen dictionaries of ``languages``
    and let a bare ``en`` hyphenate with US patterns.

    pyphen maps ``en`` to en_GB, whose patterns break represent-atives,
    Art-icle, Cent-ral; an English text is hyphenated as en_US unless it
    declares ``en-GB`` (or another region) itself.
    """
    import pyphen

    register(languages)
    if "en_US" in pyphen.LANGUAGES:
        pyphen.LANGUAGES_LOWERCASE["en"] = "en_US"
    for tag in languages:
        name = pyphen.language_fallback(tag)
        if name is None:
            continue
        path = pyphen.LANGUAGES[name]
        if not isinstance(pyphen.hdcache.get(path), _GuardedDict):
            pyphen.hdcache[path] = _GuardedDict(compiled(path))


def compiled(path: Path) -> Any:
    """pyphen's ``HyphDict`` for ``path``, read from the cache when it holds
    the parsed patterns, else parsed (and stored there for next time)."""
    import pyphen

    from diglot import cache

    name = f"{path.stem}-{cache.file_digest(path)}"
    patterns = cache.load_data(name)
    if isinstance(patterns, dict) and patterns:
        # The three attributes HyphDict.__init__ sets (pyphen 0.15 to 0.18);
        # tests/test_hyphenation.py compares this against a fresh parse.
        hyph = pyphen.HyphDict.__new__(pyphen.HyphDict)
        hyph.patterns = patterns
        hyph.cache = {}
        hyph.maxlen = max(len(key) for key in patterns)
        return hyph
    hyph = pyphen.HyphDict(path)
    values = (value for _, row in hyph.patterns.values() for value in row)
    if all(type(value) is int for value in values):  # no nonstandard hyphens (DataInt)
        cache.store_data(name, hyph.patterns)
    return hyph
