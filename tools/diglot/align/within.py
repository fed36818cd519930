"""Where the two languages of one segment say the same thing.

A translation may recast a paragraph: the Russian of the genocide article's
third paragraph puts its predicate ("имели:", some five lines) before the
list of documents that the Azerbaijani ends with. Counting a paragraph's
lines as a share of the whole then holds words lines apart on the two
pages of a spread (diglot.facing keeps them in step). Points that the two
texts share pin one to the other:

- **values**: dates and numbers (diglot.facts reads "18 avqust 1993-cü"
  and "18 августа 1993 года" as the same date), taken in the order both
  texts give them (their longest common run);
- **sentences**: where both texts have as many sentences, the ends of the
  sentences, in order, where they agree with the values.

Between two points the text is taken to run evenly. A position is a share
of the segment's letters (characters other than spaces), so that it can be
set against a line's printed letters.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from functools import lru_cache

from diglot import facts

Point = tuple[float, float]  # (share of the first text, share of the second)
# The common run of two texts' values is found in time and memory of the
# product of their counts: past this many, a paragraph is taken to run
# evenly (a text is untrusted; a paragraph of thousands of numbers would
# otherwise hold a build for minutes).
MAX_PAIRS = 250_000


@lru_cache(maxsize=4096)
def points(first: str, first_lang: str, second: str, second_lang: str) -> tuple[Point, ...]:
    """The points both texts share, from (0, 0) to (1, 1), each further on
    in both than the one before."""
    a_before, b_before = _letters_before(first), _letters_before(second)
    a_keys, a_at = _values(first, first_lang, a_before)
    b_keys, b_at = _values(second, second_lang, b_before)
    pinned = [(a_at[i], b_at[j]) for i, j in _common(a_keys, b_keys)]
    found = _increasing([(0.0, 0.0), *pinned, (1.0, 1.0)])
    a_ends, b_ends = _sentence_ends(first, a_before[-1]), _sentence_ends(second, b_before[-1])
    if len(a_ends) == len(b_ends):
        # a sentence end is kept where it falls between the same points
        found = _increasing(
            sorted({*found, *_agreeing(found, list(zip(a_ends, b_ends, strict=True)))})
        )
    return tuple(found)


def carry(along: Sequence[Point], share: float, backwards: bool = False) -> float:
    """The share of the second text at ``share`` of the first (of the first
    at ``share`` of the second, ``backwards``), between the points."""
    if len(along) < 2:
        return share
    xs = [p[1] if backwards else p[0] for p in along]
    ys = [p[0] if backwards else p[1] for p in along]
    at = min(max(bisect.bisect_right(xs, share), 1), len(xs) - 1)
    x0, x1, y0, y1 = xs[at - 1], xs[at], ys[at - 1], ys[at]
    if x1 <= x0:
        return y1
    return y0 + (y1 - y0) * (min(max(share, x0), x1) - x0) / (x1 - x0)


def _letters_before(text: str) -> list[int]:
    """For each offset of ``text``, the letters (non-space characters) before it."""
    out = [0]
    for ch in text:
        out.append(out[-1] + (not ch.isspace()))
    return out


def _values(text: str, language: str, before: list[int]) -> tuple[list[str], list[float]]:
    """The dates and numbers of ``text`` (numbers a translation may spell
    out left aside), in order, and where each starts (share of letters;
    ``before``: :func:`_letters_before` of the text)."""
    try:
        found = facts.values(text, language)
    except (ValueError, LookupError):  # a language Babel has no data for
        return [], []
    total = before[-1] or 1
    stated = sorted(
        [(d.start, f"d{d.value}") for d in found.dates]
        + [(n.start, f"n{n.value}") for n in found.numbers if not n.small]
    )
    return [key for _, key in stated], [before[start] / total for start, _ in stated]


def _sentence_ends(text: str, letters_in_all: int) -> list[float]:
    """Where each sentence but the last ends (share of the text's letters)."""
    total = letters_in_all or 1
    ends, letters = [], 0
    for sentence in facts.sentences(text)[:-1]:
        letters += sum(not ch.isspace() for ch in sentence)
        ends.append(letters / total)
    return ends


def _common(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Index pairs of a longest common run of ``a`` and ``b`` (in order);
    none when they are too many to compare (:data:`MAX_PAIRS`)."""
    if len(a) * len(b) > MAX_PAIRS:
        return []
    best = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            best[i][j] = (
                best[i + 1][j + 1] + 1 if a[i] == b[j] else max(best[i + 1][j], best[i][j + 1])
            )
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return out


def _increasing(found: Sequence[Point]) -> list[Point]:
    """The points each further on in both texts than the one kept before."""
    out: list[Point] = []
    for point in found:
        if not out or (point[0] > out[-1][0] and point[1] > out[-1][1]):
            out.append(point)
    if out[-1] != (1.0, 1.0):
        out[-1] = (1.0, 1.0)
    return out


def _agreeing(found: Sequence[Point], candidates: Sequence[Point]) -> list[Point]:
    """The candidates that lie, in both texts, between the same two points."""
    firsts = [p[0] for p in found]
    seconds = [p[1] for p in found]
    return [
        (a, b)
        for a, b in candidates
        if bisect.bisect_left(firsts, a) == bisect.bisect_left(seconds, b)
    ]
