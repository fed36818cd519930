"""The costs the aligner compares: lengths (Gale and Church), headings,
dates and numbers, and names; each tested by which of two groups costs less."""

from __future__ import annotations

import math

import pytest

from diglot.align.scoring import NAME_MATCH, S2, Score, Scorer, Side, estimate, length_cost


def test_estimate_needs_three_pairs_with_text_on_both_sides():
    assert estimate([(10, 20), (20, 40)]) is None
    assert estimate([(10, 20), (20, 40), (0, 30), (30, 0)]) is None  # empty sides do not count
    assert estimate([(2, 1), (20, 10), (40, 20)]) == (0.5, S2)  # one character is not empty
    ratio, variance = estimate([(1, 2), (10, 20), (20, 40)]) or (0.0, 0.0)
    assert ratio == pytest.approx(2.0)
    assert variance == S2  # pairs that agree exactly: never below Gale and Church's


def test_estimate_variance_grows_with_the_spread():
    pairs = [(100, 100), (100, 300), (100, 200)]
    ratio, variance = estimate(pairs) or (0.0, 0.0)
    assert ratio == pytest.approx(2.0)
    assert variance == pytest.approx((100**2 + 100**2) / 300)


def test_length_cost_of_nothing_for_nothing_is_free():
    assert length_cost(0, 0, 1.2) == (0.0, 1.0)
    cost, probability = length_cost(0, 50, 1.2)
    assert cost > 0 and probability < 1


def test_length_cost_is_least_at_the_expected_ratio():
    at, p_at = length_cost(1000, 1200, 1.2)
    assert at == pytest.approx(0.0, abs=1e-9) and p_at == pytest.approx(1.0)
    short, _ = length_cost(1000, 1000, 1.2)
    long, _ = length_cost(1000, 1400, 1.2)
    assert short > 0 and long > 0
    loose, _ = length_cost(1000, 1000, 1.2, variance=10 * S2)
    assert loose < short  # a broader variance forgives more


def test_confidence_averages_length_anchors_and_names():
    assert Score(0.0, 0.5).confidence == 0.5
    assert Score(0.0, 0.5, matched=1, unmatched=1).confidence == 0.5
    assert Score(0.0, 0.5, matched=3, unmatched=0).confidence == 0.75
    assert Score(0.0, 0.5, matched=1, unmatched=0, names=2).confidence == 0.83  # (.5+1+1)/3
    assert Score(0.0, 0.2, names=1).confidence == 0.6


def side(text: str, language: str = "en", heading: bool | None = False) -> Side:
    return Side(text, language, heading)


AZ = [
    side("Birinci fəsil", "az", True),
    side("Heydər Əliyev 1993-cü ildə Bakıya qayıtdı və çıxış etdi.", "az"),
    side("Sonra başqa hadisələr oldu və xalq toplandı.", "az"),
]
EN = [
    side("Chapter one", "en", True),
    side("Heydar Aliyev returned to Baku in 1993 and spoke.", "en"),
    side("Then other events followed and the people gathered.", "en"),
]


def cost(scorer: Scorer, o: list[Side], t: list[Side]) -> float:
    return scorer.score(o, t, (len(o), len(t))).cost


def test_heading_goes_with_a_heading():
    scorer = Scorer(AZ, EN)
    heading, paragraph = EN[0], EN[2]
    assert cost(scorer, [AZ[0]], [heading]) < cost(scorer, [AZ[0]], [paragraph])
    maybe = side("Chapter one", heading=None)  # a short line: it may be a heading
    assert cost(scorer, [AZ[0]], [maybe]) < cost(scorer, [AZ[0]], [paragraph])
    # A paragraph of the original is not given a translation's heading.
    assert cost(scorer, [AZ[2]], [heading]) > cost(scorer, [AZ[2]], [EN[2]])


def test_a_heading_is_never_part_of_a_group_of_several():
    scorer = Scorer(AZ, EN)
    with_heading = scorer.score(AZ[:2], [EN[1]], (2, 1)).cost
    without = scorer.score(AZ[1:], [EN[1]], (2, 1)).cost
    assert with_heading > without + 5
    t_heading = scorer.score([AZ[1]], [EN[0], EN[1]], (1, 2)).cost
    t_plain = scorer.score([AZ[1]], [EN[1], EN[2]], (1, 2)).cost
    assert t_heading > t_plain + 5


def test_an_empty_side_costs_only_its_kind():
    scorer = Scorer(AZ, EN)
    dropped = scorer.score([AZ[2]], [], (1, 0))
    assert dropped.cost > 0 and dropped.length_probability == 0.0
    assert scorer.score([], [EN[2]], (0, 1)).cost == pytest.approx(dropped.cost)


def test_shared_dates_and_names_lower_the_cost():
    scorer = Scorer(AZ, EN)
    same = scorer.score([AZ[1]], [EN[1]], (1, 1))
    assert same.matched == 1 and same.unmatched == 0 and same.names >= 1
    other_year = side("Heydar Aliyev returned to Baku in 1994 and spoke.")
    differs = scorer.score([AZ[1]], [other_year], (1, 1))
    assert differs.unmatched == 2 and differs.matched == 0
    assert same.cost < differs.cost
    no_names = side("The leader returned to the capital in 1993 and spoke.")
    assert same.cost < scorer.score([AZ[1]], [no_names], (1, 1)).cost


def test_rare_names_weigh_more_than_common_ones():
    common = side("Bakı və Bakı haqqında danışdı, sonra getdi.", "az")
    originals = [
        side("Bakıda Heydər danışdı.", "az"),
        side("Bakıda iclas oldu.", "az"),
        side("Bakıda yağış yağdı.", "az"),
        common,
    ]
    scorer = Scorer(originals, EN)
    rare = scorer.score([originals[0]], [side("Heydar spoke.")], (1, 1)).cost
    frequent = scorer.score([originals[0]], [side("Baku spoke.")], (1, 1)).cost
    assert rare < frequent


def test_given_ratio_and_variance_are_used():
    scorer = Scorer(AZ, EN, ratio=3.0, variance=S2)
    assert scorer.ratio == 3.0 and scorer.variance == S2
    free = Scorer(AZ, EN)
    assert free.ratio == pytest.approx(sum(len(s.text) for s in EN) / sum(len(s.text) for s in AZ))
    long = side("x" * 3 * len(AZ[2].text))
    expected = scorer.score([AZ[2]], [long], (1, 1)).length_probability
    assert expected > 0.9 > 0.5 > free.score([AZ[2]], [long], (1, 1)).length_probability


def test_length_cost_is_gale_and_churchs():
    # delta = (c * l1 - l2) / sqrt(s2 * mean), mean the two lengths in the
    # original's units; cost = -log of the two-sided tail: worked by hand
    # with the standard normal's table for 1000 against 1100 at c = 1.
    delta = 100 / math.sqrt(S2 * 1050)
    tail = math.erfc(delta / math.sqrt(2))
    cost, probability = length_cost(1000, 1100, 1.0)
    assert probability == pytest.approx(tail) and probability == pytest.approx(0.2369, abs=1e-3)
    assert cost == pytest.approx(-math.log(tail))


def test_a_name_every_segment_has_still_counts_a_little():
    originals = [side("Dünən Heydər danışdı.", "az"), side("Sonra Heydər getdi.", "az")]
    scorer = Scorer(originals, EN)
    named = scorer.score([originals[0]], [side("Then Heydar spoke.")], (1, 1))
    unnamed = scorer.score([originals[0]], [side("Then Hoydun spoke.")], (1, 1))
    assert named.names == 1 and unnamed.names == 0
    # Weighted by its rarity, log((segments + 1) / segments with it): log(3/2).
    assert unnamed.cost - named.cost == pytest.approx(NAME_MATCH * math.log(3 / 2))


def test_a_pair_of_paragraphs_is_scored_by_gale_and_churchs_length_model():
    scorer = Scorer(AZ, EN, 1.2, S2)
    score = scorer.score([AZ[1]], [EN[1]], (1, 1))
    _, probability = length_cost(len(AZ[1].text), len(EN[1].text), 1.2, S2)
    assert score.length_probability == pytest.approx(probability)


def test_a_pair_of_headings_is_scored_by_the_ratio_of_their_lengths():
    """Headings are too short for the length model: the probability is how
    near their lengths (plus one) are to the expected ratio."""
    scorer = Scorer(AZ, EN, 2.0, S2)
    at_ratio = scorer.score([side("Abc", "az", True)], [side("Abcdef", "en", True)], (1, 1))
    assert at_ratio.length_probability == pytest.approx(1.0)
    short = scorer.score([side("Abc", "az", True)], [side("Abc", "en", True)], (1, 1))
    assert short.length_probability == pytest.approx((3 + 1) / (2.0 * 3 + 1))
