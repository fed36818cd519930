"""How well a group of original segments and translation paragraphs match.

The cost of a group (lower is better, in nats) adds:

- **length** (Gale & Church 1993): the translation's length in characters
  is normal around ``c`` times the original's, with variance ``S2`` per
  character; the cost is ``-log`` of the two-sided probability of the
  difference, plus ``-log`` of the prior of the group's kind (1:1, 2:1, ...).
  Gale and Church's own figures are used for ``S2`` and the priors; ``c`` is
  the ratio of the two texts' total lengths. NLTK's ``gale_church`` module
  has the same formula but its aligner cannot take anchors or split a
  paragraph at a sentence, so the three lines of arithmetic live here, on
  ``statistics.NormalDist``.
- **anchors**: dates and numbers compared as values by
  :func:`diglot.facts.compare` (each value found on both sides lowers the
  cost, each found on one side only raises it), names compared by their
  transliteration skeleton (weighted by how rare the name is in the
  original), and headings: a heading of the original goes with a heading or
  a title-like line of the translation, and with nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

from diglot.facts import compare, names, values

# Gale & Church (1993): variance of the length difference per character, and
# the prior probability of each kind of group.
S2 = 6.8
PRIORS = {(1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089, (1, 2): 0.089}
ANCHOR_MATCH = 2.5  # nats per value found on both sides
ANCHOR_MISS = 1.5  # nats per value found on one side only
NAME_MATCH = 1.0  # nats per shared name, times its rarity in the original
HEADING_MATCH = 3.0  # nats: heading to heading
HEADING_CLASH = 12.0  # nats: heading to paragraph
SPLIT = 1.0  # nats: a translation paragraph cut between two segments
HEADING_LENGTH = 5.0  # nats per unit of |log(length ratio / expected)| between headings
FIRST_PASS_VARIANCE = 8 * S2
_NORMAL = NormalDist()


def estimate(pairs: Sequence[tuple[int, int]]) -> tuple[float, float] | None:
    """(ratio, variance) of the lengths of aligned pairs (original, translation),
    as Gale and Church estimated theirs: the ratio of the sums, and the mean
    squared difference per character (never below S2). None for fewer than
    three pairs."""
    pairs = [(o, t) for o, t in pairs if o > 0 and t > 0]
    if len(pairs) < 3:
        return None
    ratio = sum(t for _, t in pairs) / sum(o for o, _ in pairs)
    variance = sum((t - ratio * o) ** 2 for o, t in pairs) / sum(o for o, _ in pairs)
    return ratio, max(S2, variance)


@dataclass(frozen=True)
class Side:
    """The text of one side of a group: plain text, language, and whether it
    is a heading (None: it may be, a short line without a final stop)."""

    text: str
    language: str
    heading: bool | None


@dataclass(frozen=True)
class Score:
    """Cost of a group (nats, lower is better) and its parts, for the report."""

    cost: float
    length_probability: float
    matched: int = 0
    unmatched: int = 0
    names: int = 0

    @property
    def confidence(self) -> float:
        """0..1: the length probability averaged with the share of anchors
        that agree (when there are any)."""
        parts = [self.length_probability]
        if self.matched or self.unmatched:
            parts.append(self.matched / (self.matched + self.unmatched))
        if self.names:
            parts.append(1.0)
        return round(sum(parts) / len(parts), 2)


def length_cost(
    original: int, translation: int, ratio: float, variance: float = S2
) -> tuple[float, float]:
    """(cost, probability) of a translation of ``translation`` characters for an
    original of ``original`` characters, ``ratio`` the expected ratio and
    ``variance`` that of the difference per character."""
    if original == 0 and translation == 0:
        return 0.0, 1.0
    mean = (original + translation / ratio) / 2
    z = (ratio * original - translation) / math.sqrt(variance * mean)
    probability = 2 * (1 - _NORMAL.cdf(abs(z)))
    return -math.log(max(probability, 1e-12)), probability


def prior_cost(kind: tuple[int, int]) -> float:
    return -math.log(PRIORS[kind])


class Scorer:
    """Costs of groups between one original and one translation.

    ``originals`` are the texts of the original's segments, so that names can
    be weighted by rarity and the length ratio be estimated.
    """

    def __init__(
        self,
        originals: Sequence[Side],
        translations: Sequence[Side],
        ratio: float | None = None,
        variance: float | None = None,
    ):
        total_o = sum(len(s.text) for s in originals) or 1
        total_t = sum(len(s.text) for s in translations) or 1
        # Without better knowledge: the ratio of the totals (inflated by
        # repeats and notes) and a broad variance, so anchors lead.
        self.ratio = ratio if ratio is not None else total_t / total_o
        self.variance = variance if variance is not None else FIRST_PASS_VARIANCE
        df: dict[str, int] = {}
        for side in originals:
            for name in names(side.text):
                df[name] = df.get(name, 0) + 1
        count = max(1, len(originals))
        self.rarity = {name: math.log((count + 1) / n) for name, n in df.items()}

    def score(
        self, originals: Sequence[Side], translations: Sequence[Side], kind: tuple[int, int]
    ) -> Score:
        """The cost of aligning these original segments with these translation texts."""
        cost = prior_cost(kind)
        if not originals or not translations:
            return Score(cost, 0.0)
        o_heading = any(s.heading for s in originals)
        t_heading = translations[0].heading
        if kind != (1, 1):
            if o_heading or any(s.heading for s in translations):
                cost += HEADING_CLASH
        elif o_heading:
            cost += HEADING_CLASH if t_heading is False else -HEADING_MATCH
        elif t_heading:
            cost += HEADING_CLASH
        o_text = " ".join(s.text for s in originals)
        t_text = " ".join(s.text for s in translations)
        if o_heading and kind == (1, 1):
            # Headings are too short for the length model: the ratio of the
            # lengths against the expected one, on a log scale.
            spread = abs(math.log((len(t_text) + 1) / (self.ratio * len(o_text) + 1)))
            length, probability = HEADING_LENGTH * spread, math.exp(-spread)
        else:
            length, probability = length_cost(len(o_text), len(t_text), self.ratio, self.variance)
        cost += length
        matched, unmatched, shared = anchors(
            o_text, originals[0].language, t_text, translations[0].language
        )
        cost += ANCHOR_MISS * unmatched - ANCHOR_MATCH * matched
        cost -= NAME_MATCH * sum(self.rarity.get(n, 0.0) for n in shared)
        return Score(cost, probability, matched, unmatched, len(shared))


@lru_cache(maxsize=65536)
def anchors(
    original: str, o_language: str, translation: str, t_language: str
) -> tuple[int, int, frozenset[str]]:
    """(values on both sides, values on one side only, names both sides have)."""
    diff = compare(values(original, o_language), values(translation, t_language))
    return diff.matched, diff.unmatched, names(original) & names(translation)
