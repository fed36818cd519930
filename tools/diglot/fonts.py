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


def font_face_css() -> str:
    rules = []
    for face in faces():
        rules.append(
            "@font-face { "
            f'font-family: "{face.family}"; src: url("{face.path.as_uri()}"); '
            f"font-style: {face.style}; font-weight: {face.weight}; }}"
        )
    return "\n".join(rules)
