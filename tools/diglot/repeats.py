"""Paragraphs that repeat an earlier one, the same or reworded.

Shared by ``diglot check`` (the ``duplicate-segment`` finding) and ``diglot
align`` (repeated paragraphs of a translation to align are reported, not
aligned twice).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from diglot.facts import fold

DUPLICATE_RATIO = 0.9
DUPLICATE_MIN_CHARS = 40
REWORDED_SHARE = 0.33  # share of content words (4+ letters) two paragraphs have in common
REWORDED_MIN_WORDS = 8
DIFFLIB_MAX_CHARS = 2000


@dataclass(frozen=True)
class Repeat:
    """Paragraph ``later`` repeats paragraph ``earlier`` (indexes into the input).

    ``ratio`` is 1.0 for the same text, the similarity for a near repeat, and
    None for a reworded one (``shared`` of ``union`` content words in common).
    """

    later: int
    earlier: int
    ratio: float | None
    shared: int = 0
    union: int = 0

    @property
    def reworded(self) -> bool:
        return self.ratio is None


def normalise(text: str) -> str:
    """Folded, punctuation made spaces, spaces collapsed."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


def find_repeats(texts: Sequence[str]) -> list[Repeat]:
    """For each text that repeats an earlier one, the first earlier one it repeats."""
    found: list[Repeat] = []
    seen: list[tuple[int, str, frozenset[str]]] = []
    for j, text in enumerate(texts):
        norm_b = normalise(text)
        if len(norm_b) < DUPLICATE_MIN_CHARS:
            continue
        words_b = content_words(norm_b)
        for i, norm_a, words_a in seen:
            repeat = repeat_of(i, norm_a, words_a, j, norm_b, words_b)
            if repeat is not None:
                found.append(repeat)
                break
        seen.append((j, norm_b, words_b))
    return found


def content_words(norm: str) -> frozenset[str]:
    """The words of a normalised text that :func:`repeat_of` compares (four
    letters or more)."""
    return frozenset(w for w in norm.split() if len(w) >= 4)


def repeat_of(
    i: int, norm_a: str, words_a: frozenset[str], j: int, norm_b: str, words_b: frozenset[str]
) -> Repeat | None:
    """How text ``j`` repeats text ``i``, if it does (normalised, with their
    :func:`content_words`): nearly the same, or reworded with most content
    words in common."""
    ratio = similarity(norm_a, norm_b)
    if ratio is not None:
        return Repeat(j, i, ratio)
    shared = len(words_a & words_b)
    union = len(words_a | words_b)
    if shared >= REWORDED_MIN_WORDS and shared / union >= REWORDED_SHARE:
        return Repeat(j, i, None, shared, union)
    return None


def similarity(a: str, b: str) -> float | None:
    """1.0 for equal texts, the difflib ratio when it is at least DUPLICATE_RATIO.

    difflib's ratio takes time quadratic in the length: above
    DIFFLIB_MAX_CHARS the texts are compared by their 4-character pieces
    instead (Dice's coefficient of the two multisets), in linear time.
    """
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if 2 * min(la, lb) / (la + lb) < DUPLICATE_RATIO:
        return None
    if max(la, lb) > DIFFLIB_MAX_CHARS:
        pieces_a, pieces_b = _pieces(a), _pieces(b)
        total = sum(pieces_a.values()) + sum(pieces_b.values())
        dice = 2 * sum((pieces_a & pieces_b).values()) / total if total else 1.0
        return dice if dice >= DUPLICATE_RATIO else None
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < DUPLICATE_RATIO or matcher.quick_ratio() < DUPLICATE_RATIO:
        return None
    ratio = matcher.ratio()
    return ratio if ratio >= DUPLICATE_RATIO else None


def _pieces(text: str, size: int = 4) -> Counter[str]:
    return Counter(text[i : i + size] for i in range(max(1, len(text) - size + 1)))
