"""The fonts every layout may use, installed as pip packages (fontpkg).

Without an ``@font-face`` rule that points at these files WeasyPrint would
silently fall back to whatever the system has, so the rules are generated
here and put in front of every stylesheet.

The Noto packages ship variable fonts. WeasyPrint can print them, but it
then instances every weight and style a PDF uses with fontTools on every
write (about a quarter of a second per face and PDF). So diglot makes
static instances once per machine (:func:`prepare_static`), keeps them in
its cache folder (:mod:`diglot.cache`, folder ``fonts/``) under names that
carry the variable file's digest and the axis values, and the
``@font-face`` rules point at them. Until they exist (or when the cache
cannot be written) the rules point at the variable files, which print the
same text.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import fontpkg

from diglot import cache as cache_mod

FAMILIES = ("Noto Serif", "Noto Sans")
WEIGHTS = (400, 600, 700)

# Noto Serif and Noto Sans have no arrows: the record of changes prints
# "->" as a real arrow (U+2192) from IBM Plex Serif, a serif of the same
# colour, used for the arrows alone (class "arrow", family ARROW_FONT).
ARROW_FAMILY = "IBM Plex Serif"
ARROW_FONT = "diglot arrows"
ARROW_RANGE = range(0x2190, 0x2194)  # ← ↑ → ↓


STATIC_FOLDER = "fonts"

# Noto Serif is a wide face, drawn for screens: at the text's 10 pt an
# A5 page's 114 mm measure held about 60 characters, seven or eight of
# Kazakh's and Azerbaijani's long words, and a justified line had too few
# spaces to take up its slack evenly. Its width axis (wdth, 62.5-100)
# gives the designer's own narrower forms: text is set at TEXT_WDTH, what
# a book face of the same x-height sets (Noto Serif SemiCondensed is 87.5),
# with about 8 % more characters to the line. On biography-kk's justified
# lines this took letter-spaced lines (over 0.03 em) from 26 to 12,
# lines with word spaces over 0.5 em from 3.1 % to 2.3 % and hyphenated
# line ends from 86 to 79 (docs/typography.md). Every face of Noto Serif
# is pinned there, so running text, notes, key dates and captions keep
# one colour.
TEXT_WDTH = 92

# Glyph expansion, what pdfTeX calls font expansion after Hermann Zapf's hz
# programme: a justified line of Noto Serif is set a step narrower or wider
# on the font's width axis (wdth) to bring its word spaces near the ideal,
# instead of letter-spacing it. Every reader of the pages found letter-
# spacing over 0.02 em, set beside lines without it, the first fault; a
# change of glyph width of 1-2 % is not seen in running text (pdfTeX's font
# expansion, from Hàn Thế Thành's thesis; LaTeX's microtype package allows
# 2 % by default). Justified text stands at HZ_BASE (the text's width), a
# step narrower or two wider: a typographer comparing settings blind read
# lines two steps narrower under loose ones as dark bands
# (docs/typography.md).
# Each width is a family of its own (WeasyPrint's font matching knows only
# the nine font-stretch keywords), "Noto Serif hz+0.6pct" and so on (below; a
# name ending in a bare number would read as a size to Pango), made of static
# instances like the other faces; the base width is "Noto Serif" itself.
HZ_FAMILY = "Noto Serif"
HZ_BASE = TEXT_WDTH
HZ_WIDTHS = (HZ_BASE - 1, HZ_BASE, HZ_BASE + 1, HZ_BASE + 2)
HZ_WEIGHTS = (400, 700)  # the weights of running text (bold is <strong>)


# What each width of glyph expansion does to the text face's letters, in
# thousandths of their width (their advances over the texts of sources/,
# upright and regular; tests/test_fonts.py reads them from the fonts). The
# family of a width, and so the font's name in the PDF, says this in
# percent, "Noto-Serif-hz+1.2pct": named after the axis ("wdth91" beside
# "Noto-Serif"), two typographers took the narrowest lines for letters
# squeezed 9 %, and named in thousandths as pdfTeX names its expanded
# fonts ("hz+12", after "cmr10+20"), two more for letters stretched 12 %,
# where they are 0.6 % narrower and 1.2 % wider.
HZ_PERMILLE = {HZ_BASE - 1: -6, HZ_BASE + 1: 6, HZ_BASE + 2: 12}


def width_family(wdth: int) -> str:
    """The CSS family of Noto Serif at the width ``wdth`` (one of HZ_WIDTHS):
    "Noto Serif hz+1.2pct" is its letters 1.2 % wider than the text's."""
    if wdth == HZ_BASE:
        return HZ_FAMILY
    return f"{HZ_FAMILY} hz{HZ_PERMILLE[wdth] / 10:+.1f}pct"


def family_width(css_family: str) -> tuple[str, int | None]:
    """The font family and glyph expansion's width a CSS family names
    (:func:`width_family` read back): "Noto Serif hz+0.6pct" is Noto Serif
    at 93; any other family is itself at its own width (None)."""
    for wdth in HZ_PERMILLE:
        if css_family == width_family(wdth):
            return HZ_FAMILY, wdth
    return css_family, None


def text_width(family: str) -> int | None:
    """The width ``family``'s faces are pinned at (None: their default)."""
    return TEXT_WDTH if family == HZ_FAMILY else None


def width_class(wdth: int) -> str:
    """The class diglot.linebreak gives a line's text set at ``wdth``."""
    return f"hz{wdth}"


@dataclass(frozen=True)
class Face:
    family: str
    path: Path  # the installed file (variable or not)
    style: str
    weight: int
    variable: bool = False
    wdth: int | None = None  # pinned on the width axis (TEXT_WDTH, HZ_WIDTHS), else its default

    @property
    def css_family(self) -> str:
        return self.family if self.wdth is None else width_family(self.wdth)

    @property
    def expanded(self) -> bool:
        """One of glyph expansion's other widths (not the text's own)."""
        return self.wdth is not None and self.wdth != HZ_BASE

    def static_name(self) -> str:
        """Cache entry of this face's static instance: the variable file's
        name and digest, and the axis values it is pinned at (every axis
        but the weight at its default)."""
        stem = self.path.stem.replace("[", "-").replace("]", "").replace(",", "-")
        axes = "-".join(f"{tag}{value:g}" for tag, value in sorted(self.axes().items()))
        return f"{STATIC_FOLDER}/{stem}-{cache_mod.file_digest(self.path)}-{axes}.ttf"

    def axes(self) -> dict[str, float]:
        axes = {**_default_axes(self.path), "wght": float(self.weight)}
        if self.wdth is not None:
            axes["wdth"] = float(self.wdth)
        return axes

    def printed(self) -> Path:
        """The file the PDF gets its glyphs from: the static instance when
        it has been made, else the installed file."""
        if self.variable:
            found = cache_mod.lookup(self.static_name())
            if found is not None:
                return found
        return self.path


@cache
def faces() -> tuple[Face, ...]:
    found: list[Face] = []
    for name in FAMILIES:
        family = fontpkg.family(name)
        for file in family.files:
            # WeasyPrint does not accept weight ranges in @font-face, so a
            # variable font is declared once per weight the styles use; it
            # instantiates the matching wght value from the same file.
            if file.variable:
                weights = [w for w in WEIGHTS if file.wght_min <= w <= file.wght_max]
            else:
                weights = [file.weight or 400]
            pinned = text_width(name) if file.variable else None
            for weight in weights:
                found.append(
                    Face(
                        name,
                        Path(file.path).resolve(),
                        file.style,
                        weight,
                        bool(file.variable),
                        pinned,
                    )
                )
            if name == HZ_FAMILY and file.variable:
                found += [
                    Face(name, Path(file.path).resolve(), file.style, weight, True, wdth)
                    for wdth in HZ_WIDTHS
                    if wdth != HZ_BASE
                    for weight in HZ_WEIGHTS
                ]
    return tuple(found)


def hz_ready() -> bool:
    """Whether lines may be set at other widths (:data:`HZ_WIDTHS`): the static
    instances of every width are made. The variable file cannot stand in
    for them as it does for the other faces: WeasyPrint would print it at
    its default width, not the one the lines were measured at."""
    widths = [face for face in faces() if face.wdth is not None]
    return any(face.expanded for face in widths) and all(
        face.printed() != face.path for face in widths
    )


@cache
def _default_axes(path: Path) -> dict[str, float]:
    # Kept in the cache too: importing fontTools to read them would cost
    # every build a tenth of a second.
    name = f"axes-{cache_mod.file_digest(path)}"
    stored = cache_mod.load_data(name)
    if isinstance(stored, dict):
        return stored
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    with TTFont(path, lazy=True) as font:
        axes = (
            {axis.axisTag: float(axis.defaultValue) for axis in font["fvar"].axes}
            if "fvar" in font
            else {}
        )
    cache_mod.store_data(name, axes)
    return axes


@cache
def arrow_file() -> Path | None:
    """The upright regular file of ARROW_FAMILY, or None when its package
    (a dependency of diglot) is not installed: the record of changes then
    keeps the editors' "->"."""
    try:
        family = fontpkg.family(ARROW_FAMILY)
    except LookupError:
        return None
    for file in family.files:
        if file.style == "normal" and not file.variable and (file.weight or 400) == 400:
            return Path(file.path).resolve()
    return None


def font_dirs() -> tuple[Path, ...]:
    """Folders the fetcher may read fonts from: the font packages' and the
    cache's own folder of static instances (files diglot wrote itself)."""
    folders = {face.path.parent for face in faces()}
    arrows = arrow_file()
    if arrows is not None:
        folders.add(arrows.parent)
    folders.add(cache_mod.entry(STATIC_FOLDER))
    return tuple(sorted(folders))


@cache
def fontconfig_file() -> Path:
    """A fontconfig configuration that knows only the fonts diglot ships.

    WeasyPrint finds fonts through fontconfig, which would otherwise offer
    every font installed on the machine: a layout asking for "DejaVu Sans"
    (or a character the fonts lack) would embed a system font, and the PDF
    would differ from machine to machine. With this file as FONTCONFIG_FILE
    only these fonts, and those a project's own ``@font-face`` rules load,
    exist for the build. Written once per process to a private folder.

    The folder of static instances is left out and the variable files of
    the faces declared here are rejected (fontconfig's ``rejectfont``):
    the ``@font-face`` rules load the instances as the faces they name.
    Offered too, a variable file won the match over the face a rule names:
    Noto Serif's printed text at its default width, not the text width
    (:data:`TEXT_WDTH`) its lines were measured at, and Noto Sans's was
    instanced by WeasyPrint at every write.
    """
    import tempfile
    from xml.sax.saxutils import escape

    static = cache_mod.entry(STATIC_FOLDER)
    dirs = "".join(f"<dir>{escape(str(d))}</dir>" for d in font_dirs() if d != static)
    shadowed = sorted({str(face.path) for face in faces() if face.variable})
    globs = "".join(f"<glob>{escape(g)}</glob>" for g in shadowed)
    rules = f"{dirs}<selectfont><rejectfont>{globs}</rejectfont></selectfont>"
    # One folder per configuration, in the machine's cache: fontconfig
    # scans the fonts and writes its own cache there once, not at every
    # build. (Its cache subfolder is made here: two builds starting at
    # once each tried to make it, and the loser printed "Fontconfig
    # error: No writable cache directories".)
    folder = cache_mod.entry("fontconfig-" + hashlib.sha256(rules.encode()).hexdigest()[:16])
    try:
        return _write_fontconfig(folder, rules)
    except OSError:  # a read-only cache: a private folder for this process
        return _write_fontconfig(Path(tempfile.mkdtemp(prefix="diglot-fontconfig-")), rules)


def _write_fontconfig(folder: Path, rules: str) -> Path:
    from xml.sax.saxutils import escape

    (folder / "cache").mkdir(parents=True, exist_ok=True)
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig>{rules}<cachedir>{escape(str(folder / 'cache'))}</cachedir></fontconfig>\n"
    )
    path = folder / "fonts.conf"
    with contextlib.suppress(OSError):
        if path.read_text(encoding="utf-8") == text:
            return path
    part = folder / f".fonts.conf.{os.getpid()}.part"
    part.write_text(text, encoding="utf-8")
    part.replace(path)  # whole, for a build reading it at the same moment
    return path


def font_face_css() -> str:
    rules = []
    hz = hz_ready()
    for face in faces():
        if face.expanded and not hz:
            continue
        # font-stretch: an instance narrower than 93.75 says "semi-condensed"
        # in its OS/2 table; fontconfig would then match text asking for
        # "Noto Serif" with a wider face whose fonts are named so too
        # (HZ_WIDTHS), not the text's own
        rules.append(
            "@font-face { "
            f'font-family: "{face.css_family}"; src: url("{face.printed().as_uri()}"); '
            f"font-style: {face.style}; font-weight: {face.weight}; font-stretch: normal; }}"
        )
    if hz:
        for wdth in HZ_WIDTHS:
            names = f'"{width_family(wdth)}", ' + (f'"{HZ_FAMILY}", ' if wdth != HZ_BASE else "")
            rules.append(f".{width_class(wdth)} {{ font-family: {names}serif; }}")
    arrows = arrow_file()
    if arrows is not None:
        rules.append(
            f'@font-face {{ font-family: "{ARROW_FONT}"; src: url("{arrows.as_uri()}"); '
            f"unicode-range: U+{ARROW_RANGE.start:04X}-{ARROW_RANGE.stop - 1:04X}; }}"
        )
    return "\n".join(rules)


def missing_static() -> list[Face]:
    """Variable faces whose static instance is not in the cache yet."""
    return [face for face in faces() if face.variable and face.printed() == face.path]


def prepare_static(jobs: int = 1, report: Callable[[str], None] | None = None) -> int:
    """Make the static instances that are missing, ``jobs`` at a time in
    separate processes (about ten seconds each, once per machine); return
    how many were made. Two builds starting together take turns on a lock,
    so each face is instanced once. Does nothing (and returns 0) when the
    cache cannot be written."""
    if not missing_static():
        return 0
    with cache_mod.locked("fonts") as writable:
        todo = missing_static()  # another build may have made them meanwhile
        if not writable or not todo:
            return 0
        if report is not None:
            report(
                f"making static instances of {len(todo)} font faces in "
                f"{cache_mod.entry(STATIC_FOLDER)} (once per machine)"
            )
        if jobs <= 1 or len(todo) == 1:
            made = sum(_make_static(face) for face in todo)
        else:
            import concurrent.futures
            import multiprocessing

            from diglot import weasy

            weasy.imported()  # no import half done in the forked children
            context = multiprocessing.get_context("fork")
            workers = min(jobs, len(todo))
            with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
                made = sum(pool.map(_make_static, todo))
    return made


def _make_static(face: Face) -> bool:
    stored = cache_mod.store(
        face.static_name(), lambda tmp: instantiate(face.path, face.axes(), tmp)
    )
    return stored is not None


def instantiate(source: Path, axes: dict[str, float], dest: Path) -> None:
    """Write a static instance of the variable font ``source`` at ``axes``.

    The result is the same bytes on every machine with the same fontTools:
    its head table keeps the source's timestamps instead of the time of
    instancing, so PDFs built on two machines embed the same font data.
    """
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer  # type: ignore[import-untyped]

    with TTFont(source) as font:
        created, modified = font["head"].created, font["head"].modified
        static = instancer.instantiateVariableFont(font, axes, updateFontNames=False)
        static["head"].created, static["head"].modified = created, modified
        static.recalcTimestamp = False
        static.save(dest)


# Characters that print nothing and need no glyph: line ends, tabs, soft
# hyphens, joiners, direction marks.
_NO_GLYPH_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


@cache
def coverage() -> frozenset[int]:
    """Code points every face has a glyph for, read from the fonts' cmaps.

    Body text is set in Noto Serif and headings in Noto Sans, upright and
    italic, so a character is printable only if every face has it (Noto
    Sans has Devanagari, Noto Serif does not: Hindi body text would fall
    back to whatever the system has, or to empty boxes).
    """
    paths = sorted({face.path for face in faces()})
    name = "coverage-" + "-".join(cache_mod.file_digest(path) for path in paths)
    stored = cache_mod.load_data(name)
    if isinstance(stored, frozenset):
        return stored | arrow_coverage()
    from fontTools.ttLib import TTFont

    covered: frozenset[int] | None = None
    for path in paths:
        font = TTFont(path, lazy=True)
        try:
            cmap = frozenset(font.getBestCmap() or ())
        finally:
            font.close()
        covered = cmap if covered is None else covered & cmap
    result = covered or frozenset()
    cache_mod.store_data(name, result)
    return result | arrow_coverage()


def arrow_coverage() -> frozenset[int]:
    """The arrows diglot prints from ARROW_FAMILY (none when it is missing)."""
    return frozenset(ARROW_RANGE) if arrow_file() is not None else frozenset()


def uncovered(text: str) -> set[str]:
    """The characters of ``text`` the fonts cannot show."""
    import unicodedata

    covered = coverage()
    return {
        char
        for char in set(text)
        if ord(char) not in covered and unicodedata.category(char) not in _NO_GLYPH_CATEGORIES
    }


def describe(char: str) -> str:
    import unicodedata

    return f"{char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')})"
