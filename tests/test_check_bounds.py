"""diglot check at the edges of what each check reports: the lengths and
ratios where ``length-ratio`` starts, the marks ``unclosed-emphasis`` names,
and how findings are shown, sorted and counted."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from diglot.check import Finding, check_documents, documents_from_raw, guess_language, has_errors
from diglot.check.findings import excerpt, sort_findings

from .test_check import doc, only, original


def sized(length: int) -> str:
    """Plain text of exactly ``length`` characters, with no number or name."""
    text = ("lorem ipsum dolor sit amet " * (length // 10 + 2))[:length]
    return text[:-1] + "x" if text.endswith(" ") else text


def ratio_findings(left: int, right: int) -> list[Finding]:
    az = original("az", f"{{#p1}}\n{sized(left)}\n")
    en = doc("en", f"{{#p1}}\n{sized(right)}\n")
    assert len(az.segments["p1"].plain) == left and len(en.segments["p1"].plain) == right
    return only(check_documents([az, en]), "length-ratio")


@pytest.mark.parametrize(
    ("left", "right", "reported"),
    [
        (200, 80, False),  # 0.4: the shortest translation not reported
        (200, 79, True),
        (200, 500, False),  # 2.5: the longest not reported
        (200, 501, True),
        (80, 20, False),  # neither side over 80 characters: too short to judge
        (81, 20, True),
        (20, 80, False),
        (20, 81, True),
    ],
)
def test_length_ratio_bounds(left, right, reported):
    found = ratio_findings(left, right)
    assert bool(found) is reported, found
    if reported:
        (finding,) = found
        assert finding.severity == "warning" and finding.segment == "p1"
        assert f"en is {right / left:.2f} times as long as az ({right} vs {left} " in (
            finding.message
        )


def emphasis_findings(text: str) -> list[Finding]:
    return only(check_documents([original("en", f"{{#p1}}\n{text}\n")]), "unclosed-emphasis")


@pytest.mark.parametrize(
    ("marks", "shown"),
    [("*", "'*'"), ("***", "'***'"), ("****", "a run of 4 '*'"), ("*****", "a run of 5 '*'")],
)
def test_unclosed_emphasis_names_its_mark(marks, shown):
    (finding,) = emphasis_findings(f"A word{marks} left open in the text.")
    assert finding.message.startswith(f"{shown} opens or closes no emphasis: ")


def test_unclosed_emphasis_quotes_the_text_around_the_mark():
    (first,) = emphasis_findings("*Opening words that never close.")
    assert "“*Opening words that" in first.message  # from the first letter
    before = "alpha beta gamma delta epsilon zeta eta theta iota kappa "
    after = " lambda mu nu xi omicron pi rho sigma tau upsilon"
    plain = f"{before}word*{after}"
    (middle,) = emphasis_findings(plain)
    quoted = middle.message.split("“", 1)[1]
    mark = plain.index("*")
    assert quoted.startswith(plain[mark - 30 : mark + 1].strip())  # 30 characters before
    assert "alpha" not in quoted and "upsilon" not in quoted


def test_only_asterisks_is_not_an_unclosed_emphasis():
    assert emphasis_findings("***") == []
    assert emphasis_findings("A line with no mark at all.") == []


# -- how findings are shown and counted -------------------------------------------------


def finding(severity: str = "error", line: int = 3, ignored: str | None = None) -> Finding:
    return Finding(
        "code",
        severity,
        Path("/p/en.md"),
        line,
        "p1",
        "two\n  lines",
        ignored,  # type: ignore[arg-type]
    )


def test_a_finding_is_one_line_with_its_reason_when_ignored():
    assert finding().format(Path("/p")) == "en.md:3: code: two lines"
    silenced = finding().silenced("a\nreason")
    assert silenced.format(Path("/p")) == "en.md:3: code: two lines [ignored: a reason]"
    assert silenced.as_dict(Path("/p"))["ignored"] == "a\nreason"
    assert "ignored" not in finding().as_dict(Path("/p"))


def test_errors_warnings_and_silenced_findings_count_as_they_should():
    assert has_errors([finding("error")])
    assert not has_errors([finding("warning")])
    assert has_errors([finding("warning")], strict=True)
    assert not has_errors([finding("error").silenced("known")])
    assert not has_errors([finding("warning").silenced("known")], strict=True)
    assert not has_errors([])


def test_findings_sorted_by_line_without_duplicates():
    later, earlier = finding(line=9), finding(line=2)
    assert sort_findings([later, earlier, later]) == [earlier, later]


def test_a_finding_of_the_whole_text_sorts_before_a_segments_at_the_same_line():
    of_segment = finding()
    of_text = dataclasses.replace(of_segment, segment=None)
    assert sort_findings([of_segment, of_text]) == [of_text, of_segment]


@pytest.mark.parametrize(
    ("text", "limit", "shown"),
    [
        ("a  b\nc", 60, "a b c"),
        ("x" * 60, 60, "x" * 60),
        ("x" * 61, 60, "x" * 59 + "…"),
        ("word " * 3 + "rest", 6, "word…"),
    ],
)
def test_excerpt(text, limit, shown):
    assert excerpt(text, limit) == shown


# -- languages and raw texts ------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "guess"),
    [
        ("The weather with those thoughts.", "en"),  # five words: enough to judge
        ("Whether those thoughts matter.", None),  # four: too few
        ("The cat is on the mat here.", "en"),  # two English-only words: enough
        ("The cat is on a mat here.", None),  # one is not
    ],
)
def test_a_sentence_needs_five_words_and_two_signs_to_be_guessed(sentence, guess):
    assert guess_language(sentence, "az") == guess


def test_a_sentence_needs_twelve_letters_to_be_guessed():
    assert guess_language("Мама мыла раму.", "en") == "ru"  # 12 letters
    assert guess_language("Мама мыла рам.", "en") is None  # 11


def test_a_sentence_of_no_one_script_is_not_guessed():
    # Mostly Cyrillic (19 letters of 34), little Latin, some Greek.
    assert guess_language("Это слово and другое слово plus αβγδεζηθ.", "en") is None
    assert guess_language("Это слово and другое слово plus.", "en") == "ru"
    # The text's own script on two letters of five at most: 8 Latin of 20, then 9 of 21.
    assert guess_language("Мама мыла раму, then that.", "en") == "ru"
    assert guess_language("Мама мыла раму, then those.", "en") is None


def test_raw_text_paragraphs_become_segments_from_p1(tmp_path):
    raw = tmp_path / "raw.txt"
    raw.write_text(
        "Birinci abzas,\nikinci sətri.\n\nİkinci abzas.\n\nFirst paragraph.\n\n\nSecond.\n",
        encoding="utf-8",
    )
    az, en = documents_from_raw(raw, [("az", 1, 4), ("en", 6, None)])
    assert [(s.id, s.line, s.end_line, s.plain) for s in az.segments.values()] == [
        ("p1", 1, 2, "Birinci abzas, ikinci sətri."),
        ("p2", 4, 4, "İkinci abzas."),
    ]
    assert [(s.id, s.line, s.end_line, s.plain) for s in en.segments.values()] == [
        ("p1", 6, 6, "First paragraph."),
        ("p2", 9, 9, "Second."),
    ]
    assert (az.meta.role, az.meta.original) == ("original", None)
    assert (en.meta.role, en.meta.original, en.meta.language) == ("translation", "az", "en")
