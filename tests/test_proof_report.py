"""The proof's report: what counts as a problem, the build's limits, the
hyphenation of a line end (no layout needed: reports and lines are built
here by hand)."""

from __future__ import annotations

import pytest

from diglot.proof import Finding, Line, Report, broken_word, failed, format_text


def line(text: str) -> Line:
    return Line(1, 0.0, 0.0, 100.0, 12.0, text, 1, "en", False, False, True, 0.3, 0.0, False)


def report(loose: int = 0, justified: int = 10, codes: tuple[str, ...] = ()) -> Report:
    findings = tuple(Finding(1, code, "m") for code in codes)
    return Report(3, 20, justified, loose, 0.6, 2, 1, findings)


def test_loose_lines_count_by_share_other_findings_one_each() -> None:
    r = report(loose=3, codes=("loose-lines", "hyphen-ladder", "near-empty-page", "loose-lines"))
    assert r.problems() == 2
    assert r.loose_share == pytest.approx(0.3)
    assert report(loose=0, justified=0).loose_share == 0.0
    assert r.counts() == {"loose-lines": 2, "hyphen-ladder": 1, "near-empty-page": 1}


@pytest.mark.parametrize(
    ("code", "severity"),
    [
        ("hyphen-ladder", "error"),
        ("near-empty-page", "error"),
        ("stranded-heading", "error"),
        ("overfull-line", "error"),
        ("bad-hyphen", "error"),
        ("loose-lines", "warning"),
        ("widow", "warning"),
    ],
)
def test_severity(code: str, severity: str) -> None:
    assert Finding(1, code, "m").severity == severity


def test_limits_are_exceeded_only_above_them() -> None:
    two = report(loose=2, codes=("hyphen-ladder", "overfull-line"))  # 20 % loose, 2 problems
    assert not failed(two, None, None)
    assert not failed(two, 2, None) and failed(two, 1, None)
    assert not failed(two, None, 20.0) and failed(two, None, 19.9)
    assert failed(two, 5, 10.0) and failed(two, 0, 50.0)
    assert not failed(two, 2, 20.0)


def test_format_names_pdf_page_and_code() -> None:
    r = Report(1, 1, 1, 0, 0.3, 0, 0, (Finding(4, "widow", "one line left"),))
    assert format_text(r, "out/x.pdf") == ["out/x.pdf:4: widow: one line left"]


@pytest.mark.parametrize(
    ("text", "hyphenated"),
    [
        ("a word hyphen\u2010", True),
        ("a word hyphen-", True),
        ("a word soft\u00ad", True),
        ("ends in a dash 1993-", False),
        ("-", False),
        ("no hyphen", False),
        ("trailing space hy- ", True),
    ],
)
def test_hyphenated_line_ends(text: str, hyphenated: bool) -> None:
    assert line(text).hyphenated is hyphenated


def test_broken_word_joins_both_halves() -> None:
    assert broken_word(line("the inter\u2010"), line("national law")) == "international"
    assert broken_word(line("the 1993-"), line("94 season")) is None
    assert broken_word(line("a-"), line(", then")) is None
