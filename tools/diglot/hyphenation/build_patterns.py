"""Generate the Liang hyphenation patterns ``hyph_az.dic`` and ``hyph_kk.dic``.

Neither pyphen nor the LibreOffice/hunspell dictionaries it bundles cover
Azerbaijani or Kazakh.  Both languages syllabify very regularly, so instead
of training patterns on a hyphenated word list we write the syllable rules
down once, over letter *classes*, and expand every rule into one Liang
pattern per combination of concrete letters.

Run it (from the repository root) after changing a rule or an alphabet::

    PYTHONPATH=tools python -m diglot.hyphenation.build_patterns
    PYTHONPATH=tools python -m diglot.hyphenation.build_patterns --check   # CI: up to date?

The rules, ``V`` being any vowel and ``C`` any consonant of the language:

R1  onset       ``1CV``    A consonant followed by a vowel starts a new syllable.
                           This alone gives all the Turkic rules: one consonant
                           between vowels goes to the next syllable (ki-tab), of
                           two the second one (Azər-bay-can), of three the
                           last one (türk-lər).  Azerbaijani ``y`` and Kazakh
                           ``й`` are consonants like any other (Hey-dər,
                           за-йыр-лы); Russian loans follow the same rule
                           (pre-zi-dent, рес-пуб-ли-ка, конс-ти-ту-ция).
R2  hiatus      ``V1V``    Two vowels side by side belong to two syllables
                           (mü-əl-lim, şa-ir, са-я-сат).
R3  glide       ``V1GV``   Kazakh ``у`` after a vowel is the consonant /w/
                ``VG2V``   (қа-уіп-сіз-дік, тә-уел-сіз); after a consonant or
                           at the start of a word it is the vowel /u/
                           (рес-пуб-ли-ка, ту-ра).  So ``у`` never ends a
                           hiatus, starts a syllable between two vowels and
                           never ends one there.
R4  signs       ``2S``     ``ь`` and ``ъ`` stay with the consonant before them
                ``S1V``    (паль-то, объ-ект).
R5  digraphs    ``D₁2D₂``  A digraph is never split and, before a vowel, starts
                ``1DV``    the syllable as a whole (Азер-бай-джан).
R6  edges       ``.X2``    Never one letter alone at the start or the end of a
                ``2X.``    word, or of a part of a hyphenated compound, and
                ``2-2``    no break next to the compound's own hyphen.  This
                           is the ``LEFTHYPHENMIN``/``RIGHTHYPHENMIN 2`` of the
                           header, built into the patterns as well: pyphen
                           ignores those header lines and takes its minima
                           from the caller (WeasyPrint: the CSS property
                           ``hyphenate-limit-chars``, by default 5 2 2).
R7  clusters    ``.CC2``   A loanword that starts with three or four consonants
                ``.CCC2``  (stra-te-ji, струк-ту-ра) is not broken inside that
                           cluster: every fragment keeps a vowel.

Odd values allow a break, even values forbid one, and the highest value
wins, so R4 to R7 override R1 to R3.  Patterns for the same letter string are
merged (position by position maximum) because pyphen keeps only the last
line for a given string.

The output is deterministic (sorted patterns), so the generated files can be
compared with ``--check``.  Generated files and this script: MIT licence, the
licence of the diglot project.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: Characters inside a word that count as word edges for R6 (hyphen, U+2010).
INNER_EDGES = "-\u2010"

HERE = Path(__file__).resolve().parent
SCRIPT = "tools/diglot/hyphenation/build_patterns.py"


@dataclass(frozen=True)
class Alphabet:
    """The letter classes of one language, all in lower case."""

    code: str
    name: str
    vowels: str
    consonants: str
    #: vowels that are consonants (glides) right after another vowel
    glides: str = ""
    #: letters that never start a syllable and stay with the consonant before them
    signs: str = ""
    #: consonant pairs that are never split
    digraphs: tuple[str, ...] = ()
    left_min: int = 2
    right_min: int = 2

    @property
    def letters(self) -> str:
        return self.vowels + self.consonants + self.signs


AZ = Alphabet(
    code="az",
    name="Azerbaijani (Latin script)",
    vowels="aeəıioöuü",
    consonants="bcçdfgğhxjkqlmnprsştvyz",
    # The Latin orthography of 1991 writes every sound with one letter.
    digraphs=(),
)

KK = Alphabet(
    code="kk",
    name="Kazakh (Cyrillic script)",
    vowels="аәеёиіоөұүуыэюя",
    consonants="бвгғджзйкқлмнңпрстфхһцчшщ",
    glides="у",
    signs="ъь",
    # Only in names and loans taken over through Russian (Азербайджан, джаз).
    digraphs=("дж",),
)

ALPHABETS: dict[str, Alphabet] = {a.code: a for a in (AZ, KK)}


class PatternSet:
    """Liang patterns keyed by their letters, merged by maximum value."""

    def __init__(self) -> None:
        self._values: dict[str, list[int]] = {}

    def add(self, pattern: str) -> None:
        """Add a pattern in the usual notation, e.g. ``"a1ba"`` or ``".s2"``."""
        letters = "".join(ch for ch in pattern if not ch.isdigit())
        values = [0] * (len(letters) + 1)
        index = 0
        for ch in pattern:
            if ch.isdigit():
                values[index] = int(ch)
            else:
                index += 1
        known = self._values.setdefault(letters, [0] * len(values))
        self._values[letters] = [max(a, b) for a, b in zip(known, values, strict=True)]

    def __len__(self) -> int:
        return len(self._values)

    def lines(self) -> list[str]:
        out = []
        for letters in sorted(self._values):
            values = self._values[letters]
            text = "".join(
                (str(value) if value else "") + letter
                for value, letter in zip(values, letters, strict=False)
            )
            if values[-1]:
                text += str(values[-1])
            out.append(text)
        return out


def _product(*classes: str) -> Iterable[tuple[str, ...]]:
    return itertools.product(*classes)


def build(alphabet: Alphabet) -> PatternSet:
    """Expand the rules R1 to R7 (see the module docstring) for one alphabet."""
    a = alphabet
    patterns = PatternSet()
    proper_vowels = "".join(v for v in a.vowels if v not in a.glides)

    # R1 onset: break before a consonant that is followed by a vowel.
    for c, v in _product(a.consonants, a.vowels):
        patterns.add(f"1{c}{v}")

    # R2 hiatus: break between two vowels (a glide never ends a hiatus).
    for v1, v2 in _product(a.vowels, proper_vowels):
        patterns.add(f"{v1}1{v2}")

    # R3 glides: between two vowels a glide starts the syllable.
    for v1, g, v2 in _product(a.vowels, a.glides, proper_vowels):
        patterns.add(f"{v1}1{g}2{v2}")

    # R4 signs: no break before a sign; a vowel after it starts a syllable.
    for s in a.signs:
        patterns.add(f"2{s}")
        for v in a.vowels:
            patterns.add(f"{s}1{v}")

    # R5 digraphs: never split; before a vowel the digraph starts the syllable.
    for d in a.digraphs:
        patterns.add(f"{d[0]}2{d[1:]}")
        for v in a.vowels:
            patterns.add(f"1{d}{v}")

    # R6 edges: at least left_min / right_min letters on either side of a
    # word, and of each part of a hyphenated compound (qarşı-qarşıya,
    # қарым-қатынас), with no break right next to its hyphen: the line can
    # break after that hyphen anyway.
    for length in range(1, a.left_min):
        for letters in _product(*[a.letters] * length):
            for edge in "." + INNER_EDGES:
                patterns.add(edge + "".join(letters) + "2")
    for length in range(1, a.right_min):
        for letters in _product(*[a.letters] * length):
            for edge in "." + INNER_EDGES:
                patterns.add("2" + "".join(letters) + edge)
    for edge in INNER_EDGES:
        patterns.add(f"2{edge}2")

    # R7 initial consonant clusters of loanwords keep their vowel.
    for length in (2, 3):
        for letters in _product(*[a.consonants] * length):
            patterns.add("." + "".join(letters) + "2")

    return patterns


def render(alphabet: Alphabet) -> str:
    """The complete ``.dic`` file for one alphabet."""
    patterns = build(alphabet)
    header = [
        "UTF-8",
        f"LEFTHYPHENMIN {alphabet.left_min}",
        f"RIGHTHYPHENMIN {alphabet.right_min}",
        f"% Hyphenation patterns for {alphabet.name} [{alphabet.code}], Liang format,",
        "% for pyphen / WeasyPrint (hyphens: auto) and libhyphen.",
        f"% GENERATED by {SCRIPT} from syllable rules; do not edit by hand.",
        "% Regenerate with: PYTHONPATH=tools python -m diglot.hyphenation.build_patterns",
        f"% vowels: {alphabet.vowels}",
        f"% consonants: {alphabet.consonants}",
    ]
    if alphabet.glides:
        header.append(f"% glides (consonants after a vowel): {alphabet.glides}")
    if alphabet.signs:
        header.append(f"% signs (never start a syllable): {alphabet.signs}")
    if alphabet.digraphs:
        header.append(f"% digraphs (never split): {' '.join(alphabet.digraphs)}")
    header += [
        f"% {len(patterns)} patterns.",
        "% Licence: MIT, the licence of the diglot project.",
    ]
    return "\n".join([*header, *patterns.lines()]) + "\n"


def dictionary_path(code: str, directory: Path = HERE) -> Path:
    return directory / f"hyph_{code}.dic"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m diglot.hyphenation.build_patterns",
        description="Generate the az and kk hyphenation dictionaries from syllable rules.",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=HERE,
        help="where to write hyph_*.dic (default: %(default)s)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if a file is missing or differs from what would be generated",
    )
    args = parser.parse_args(argv)
    output_dir: Path = args.output_dir

    stale = []
    for alphabet in ALPHABETS.values():
        path = dictionary_path(alphabet.code, output_dir)
        text = render(alphabet)
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
            continue
        path.write_text(text, encoding="utf-8")
        print(f"{path}: {len(text.encode())} bytes")
    if stale:
        for path in stale:
            print(f"{path} is out of date: rerun without --check", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
