"""The fonts every layout may use, installed as pip packages (fontpkg).

Without an ``@font-face`` rule that points at these files WeasyPrint would
silently fall back to whatever the system has, so the rules are generated
here and put in front of every stylesheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import fontpkg

FAMILIES = ("Noto Serif", "Noto Sans")
WEIGHTS = (400, 600, 700)


@dataclass(frozen=True)
class Face:
    family: str
    path: Path
    style: str
    weight: int


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
            for weight in weights:
                found.append(Face(name, Path(file.path).resolve(), file.style, weight))
    return tuple(found)


def font_dirs() -> tuple[Path, ...]:
    return tuple(sorted({face.path.parent for face in faces()}))


@cache
def fontconfig_file() -> Path:
    """A fontconfig configuration that knows only the fonts diglot ships.

    WeasyPrint finds fonts through fontconfig, which would otherwise offer
    every font installed on the machine: a layout asking for "DejaVu Sans"
    (or a character the fonts lack) would embed a system font, and the PDF
    would differ from machine to machine. With this file as FONTCONFIG_FILE
    only these fonts, and those a project's own ``@font-face`` rules load,
    exist for the build. Written once per process to a private folder.
    """
    import tempfile
    from xml.sax.saxutils import escape

    folder = Path(tempfile.mkdtemp(prefix="diglot-fontconfig-"))
    dirs = "".join(f"<dir>{escape(str(d))}</dir>" for d in font_dirs())
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig>{dirs}<cachedir>{escape(str(folder / 'cache'))}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return path


def font_face_css() -> str:
    rules = []
    for face in faces():
        rules.append(
            "@font-face { "
            f'font-family: "{face.family}"; src: url("{face.path.as_uri()}"); '
            f"font-style: {face.style}; font-weight: {face.weight}; }}"
        )
    return "\n".join(rules)


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
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    covered: frozenset[int] | None = None
    for path in sorted({face.path for face in faces()}):
        font = TTFont(path, lazy=True)
        try:
            cmap = frozenset(font.getBestCmap() or ())
        finally:
            font.close()
        covered = cmap if covered is None else covered & cmap
    return covered or frozenset()


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
