"""diglot check on hostile text: no regular expression backtracks for long,
and numbers of thousands of digits are values, never a crash."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from diglot import facts, sources
from diglot.check import check_documents
from diglot.repeats import find_repeats

ADVERSARIAL = " *#{[0123456789."
RUNS = [
    " " * 2000,
    "*" * 2000,
    "#" * 2000,
    "{" * 2000,
    "[" * 2000,
    "1" * 2000,
    "* " * 1000,
    "1 " * 1000,
    "1." * 1000,
    "[^" * 1000,
    "x{#" * 700,  # a line opening with "{#" is a malformed marker, refused by the parser
    "**a" * 600,
    "1 000" * 400,
    "1,000" * 400,
    "." * 2000,
    "!?" * 1000,
    "1" * 5000,
]


def adversarial_lines(size: int = 100_000, seed: int = 15) -> str:
    """About ``size`` characters of lines of spaces, *, #, {, [, digits and dots:
    long runs of one character and random mixes, some blank lines between."""
    rng = random.Random(seed)
    lines: list[str] = []
    total = 0
    i = 0
    while total < size:
        line = (
            RUNS[i % len(RUNS)] if i % 3 else "".join(rng.choice(ADVERSARIAL) for _ in range(200))
        )
        lines.append(line)
        total += len(line) + 1
        if i % 5 == 4:
            lines.append("")
        i += 1
    return "\n".join(lines)


def timed(func, *args):
    start = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - start


@pytest.mark.parametrize("run", RUNS, ids=range(len(RUNS)))
@pytest.mark.parametrize("language", ["ru", "de"])
def test_value_extraction_is_linear_on_long_runs(run, language):
    # Russian inflects (stems are tried), German writes dotted days.
    text = (run * (50_000 // len(run) + 1))[:50_000]
    (_, spans), t_dates = timed(facts.extract_dates, text, language)
    _, t_numbers = timed(facts.extract_numbers, text, language, spans)
    _, t_words = timed(facts.extract_spelled_numbers, text, language)
    _, t_sentences = timed(facts.sentences, text)
    # Linear: about a second. Quadratic backtracking took minutes.
    assert max(t_dates, t_numbers, t_words, t_sentences) < 10, (
        t_dates,
        t_numbers,
        t_words,
        t_sentences,
    )


def test_check_on_100_kb_of_adversarial_lines_finishes_quickly():
    body = adversarial_lines()
    head = (
        "---\ntitle: T\nlanguage: {}\nrole: {}\n{}provenance:\n  source: t\n"
        "  licence: CC0-1.0\n---\n\n{{#p1}}\n"
    )
    ru = sources.parse(head.format("ru", "original", "") + body, Path("ru.md"))
    en = sources.parse(
        head.format("en", "translation", "original: ru\n") + body.replace("7", "8"), Path("en.md")
    )
    found, seconds = timed(check_documents, [ru, en])
    assert seconds < 60
    assert {"number-mismatch", "unclosed-emphasis"} <= {f.code for f in found}


def test_repeats_of_long_paragraphs_are_compared_in_linear_time():
    rng = random.Random(3)
    text = "".join(rng.choice(ADVERSARIAL + "abc") for _ in range(50_000))
    nearly = text[:25_000] + "x" + text[25_001:]
    found, seconds = timed(find_repeats, [text, nearly])
    assert [(r.later, r.earlier) for r in found] == [(1, 0)] and seconds < 10


# -- numbers of thousands of digits ------------------------------------------------------------


def test_a_5000_digit_number_is_a_value():
    huge = "7" * 5000
    (number,) = facts.extract_numbers(f"There are {huge} stars.", "en")
    assert number.text == huge and not number.small
    found, _ = facts.extract_dates(f"В {huge} году", "ru")
    assert found == []


@pytest.mark.parametrize("other", ["7" * 5000, "7" * 4999 + "8", "seven"])
def test_check_with_a_5000_digit_number_gives_a_finding_or_nothing(run, mini, other):
    en = mini / "sources/demo/en.md"
    az = mini / "sources/demo/az.md"
    huge = "7" * 5000
    az.write_text(az.read_text().replace("İkinci abzas:", f"İkinci abzas {huge}:"))
    en.write_text(en.read_text().replace("Second paragraph:", f"Second paragraph {other}:"))
    result = run("check")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    if other == huge:
        assert result.exit_code == 0 and result.output == ""
    else:
        assert result.exit_code == 1 and ": number-mismatch: " in result.output
