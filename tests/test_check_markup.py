"""diglot check: footnote references, bidi controls, unclosed emphasis, and
silencing findings with ``check: ignore:``."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from diglot import sources
from diglot.check import CODES, check_documents
from diglot.errors import DiglotErrors, SourceError

from .test_check import doc, only, original

# -- missing-note ------------------------------------------------------------------------


def test_footnote_references_are_counted_per_segment():
    az = original(
        "az",
        "{#p1}\nFərman[^1] imzalandı[^2].\n\n[^1]: Bir.\n[^2]: İki.\n\n"
        "{#p2}\nİkinci[^3] abzas.\n\n[^3]: Üç.\n",
    )
    en = doc(
        "en",
        "{#p1}\nThe decree[^a] was signed.\n\n[^a]: One.\n\n"
        "{#p2}\nSecond[^b] paragraph.\n\n[^b]: Three.\n",
    )
    found = only(check_documents([az, en]), "missing-note")
    assert [(f.path.name, f.segment, f.line) for f in found] == [("en.md", "p1", 10)]
    assert "az has 2 ([^1], [^2]), en has 1 ([^a])" in found[0].message


def test_footnote_definitions_are_not_references():
    az = original("az", "{#p1}\nFərman[^1] imzalandı.\n\n[^1]: Qeyd.\n")
    en = doc("en", "{#p1}\nThe decree[^1] was signed.\n\n[^1]: A note.\n")
    assert only(check_documents([az, en]), "missing-note") == []


# -- bidi-control ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "name"),
    [("\u202e", "RLO"), ("\u202d", "LRO"), ("\u202c", "PDF"), ("\u2066", "LRI"), ("\u2069", "PDI")],
)
def test_bidi_controls_are_reported_at_their_paragraph(char, name):
    en = original("en", f"{{#p1}}\nClean.\n\n{{#p2}}\nFirst line.\n\nPaid {char}0001$ only.\n")
    found = only(check_documents([en]), "bidi-control")
    assert [(f.segment, f.line) for f in found] == [("p2", 15)]
    assert f"U+{ord(char):04X} {name}" in found[0].message
    assert f"<{name}>0001$" in found[0].message


def test_bidi_control_in_the_title(tmp_path):
    text = textwrap.dedent(
        """\
        ---
        title: "Report \u202eevil"
        language: en
        role: original
        provenance:
          source: test
          licence: CC0-1.0
        ---

        {#p1}
        Text.
        """
    )
    found = only(check_documents([sources.parse(text, tmp_path / "en.md")]), "bidi-control")
    assert [(f.line, f.segment) for f in found] == [(2, None)]


def test_right_to_left_marks_are_not_reported():
    en = original("en", "{#p1}\nA name \u200fאבג\u200e in Hebrew.\n")
    assert only(check_documents([en]), "bidi-control") == []


# -- unclosed-emphasis -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ("An *emphasis* and **strong** text.", False),
        ("An *emphasis that never closes.", True),
        ("A **strong that never closes.", True),
        ("A word* with a stray mark.", True),
        ("Two * three is six.", False),
        ("* * *", False),
    ],
)
def test_unclosed_emphasis(text, reported):
    en = original("en", f"{{#p1}}\n{text}\n")
    found = only(check_documents([en]), "unclosed-emphasis")
    assert bool(found) is reported, found


# -- check: ignore -----------------------------------------------------------------------


def ignoring(codes: str, reason: str = "the English rounds the distance") -> str:
    return f"check:\n  ignore:\n    p1:\n      codes: {codes}\n      reason: {reason!r}\n"


def with_front(language: str, extra: str, body: str, role: str = "translation"):
    head = (
        f"---\ntitle: T\nlanguage: {language}\nrole: {role}\n"
        + ("original: ru\n" if role == "translation" else "")
        + "provenance:\n  source: test\n  licence: CC0-1.0\n"
        + extra
        + "---\n\n"
    )
    return sources.parse(head + body, Path(f"{language}.md"))


RU = "{#p1}\nДорога длиной 1418 км.\n\n{#p2}\nВ 1897 году.\n"
EN = "{#p1}\nThe line is about 1,400 km long.\n\n{#p2}\nIn 1898.\n"


def test_ignored_findings_are_left_out_or_shown_with_their_reason():
    ru = with_front("ru", "", RU, role="original")
    en = with_front("en", ignoring("[number-mismatch]"), EN)
    found = check_documents([ru, en])
    assert [(f.code, f.segment) for f in found] == [("date-mismatch", "p2")]
    shown = check_documents([ru, en], show_ignored=True)
    ignored = [f for f in shown if f.ignored]
    assert [(f.code, f.segment, f.ignored) for f in ignored] == [
        ("number-mismatch", "p1", "the English rounds the distance")
    ]
    assert ignored[0].format().endswith("[ignored: the English rounds the distance]")
    assert ignored[0].as_dict()["ignored"] == "the English rounds the distance"


def test_an_ignore_silences_only_its_codes():
    ru = with_front("ru", "", RU, role="original")
    en = with_front("en", ignoring("[date-mismatch]"), EN)
    assert [(f.code, f.segment) for f in check_documents([ru, en])] == [
        ("number-mismatch", "p1"),
        ("date-mismatch", "p2"),
    ]


def test_unknown_code_in_an_ignore_is_an_error_at_its_line():
    ru = with_front("ru", "", RU, role="original")
    en = with_front("en", ignoring("[number-mismach]"), EN)
    with pytest.raises(SourceError) as err:
        check_documents([ru, en])
    assert err.value.line == 11 and "unknown code 'number-mismach'" in str(err.value)
    assert "number-mismatch" in str(err.value)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (ignoring("[number-mismatch]", ""), "reason"),
        (ignoring("[]"), "codes"),
        ("check:\n  ignore:\n    p9:\n      codes: [number-mismatch]\n      reason: x\n", "p9"),
    ],
)
def test_malformed_ignores_are_source_errors(extra, message):
    with pytest.raises((SourceError, DiglotErrors)) as err:
        with_front("en", extra, EN)
    assert message in str(err.value)


def test_every_code_is_registered():
    for code in ("missing-note", "bidi-control", "unclosed-emphasis", "number-mismatch"):
        assert code in CODES


def test_cli_show_ignored(run, mini):
    en = mini / "sources/demo/en.md"
    text = en.read_text().replace("February 25, 1997", "February 26, 1997")
    text = text.replace(
        "\n---\n",
        "\ncheck:\n  ignore:\n    p1:\n      codes: [date-mismatch, chronology-date]\n"
        "      reason: the decree's date is disputed\n---\n",
        1,
    )
    en.write_text(text)
    result = run("check")
    assert result.exit_code == 0 and result.output == ""
    shown = run("check", "--show-ignored")
    assert shown.exit_code == 0
    chronology, mismatch = shown.output.splitlines()
    assert chronology.startswith("sources/demo/dates.yaml:1: chronology-date: ")
    assert mismatch.startswith("sources/demo/en.md:") and ": date-mismatch: " in mismatch
    for line in (chronology, mismatch):
        assert line.endswith("[ignored: the decree's date is disputed]")
    data = json.loads(run("check", "--show-ignored", "--format", "json").output)
    assert [d["ignored"] for d in data] == ["the decree's date is disputed"] * 2


def test_bidi_control_is_reported_at_its_own_line_of_a_paragraph(tmp_path):
    path = tmp_path / "en.md"
    path.write_text(
        "---\ntitle: T\nlanguage: en\nrole: original\nprovenance:\n  source: t\n"
        "  licence: CC0-1.0\n---\n\n{#p1}\nFirst line of the paragraph,\n"
        "second line,\nthird \u202eline with an override.\n",
        encoding="utf-8",
    )
    found = only(check_documents([sources.load(path)]), "bidi-control")
    assert [(f.line, f.segment) for f in found] == [(13, "p1")]


def test_an_unclosed_mark_is_quoted_with_seventy_characters_around_it():
    """The quote runs from 30 characters before the mark to 30 after it,
    cut to 70 characters."""
    text = "Forty characters of text come first here " + "*" * 20 + "word and thirty more after it."
    en = original("en", f"{{#p1}}\n{text}\n")
    (found,) = only(check_documents([en]), "unclosed-emphasis")
    start = text.index("*") - 30
    assert found.message == (
        f"a run of 20 '*' opens or closes no emphasis: “{text[start : start + 69]}…”"
    )


def test_a_paragraph_of_asterisks_only_is_no_mark():
    en = original("en", "{#p1}\n**\n")
    assert only(check_documents([en]), "unclosed-emphasis") == []


def test_a_line_with_a_bidi_control_is_quoted_to_eighty_characters():
    line = "A long line of text that goes on and on before the control \u202e and goes on after it."
    en = original("en", f"{{#p1}}\n{line}\n")
    (found,) = only(check_documents([en]), "bidi-control")
    visible = line.replace("\u202e", "<RLO>")
    assert found.message == f"U+202E RLO (right-to-left override) in “{visible[:79]}…”"


def test_a_bidi_control_is_reported_at_its_line_after_a_blank_line(tmp_path):
    """The lines are counted in the file as it is, blank lines after the
    segment's id included, up to its very last line."""
    path = tmp_path / "en.md"
    path.write_text(
        "---\ntitle: T\nlanguage: en\nrole: original\nprovenance:\n  source: t\n"
        "  licence: CC0-1.0\n---\n\n{#p1}\n\n\nA line with an \u202eoverride.\n",
        encoding="utf-8",
    )
    found = only(check_documents([sources.load(path)]), "bidi-control")
    assert [(f.line, f.segment) for f in found] == [(13, "p1")]


def test_an_unclosed_mark_is_quoted_up_to_thirty_characters_after_it():
    text = "A word* with a stray mark and then a lot more text after it here, and more."
    en = original("en", f"{{#p1}}\n{text}\n")
    (found,) = only(check_documents([en]), "unclosed-emphasis")
    end = text.index("*") + 1 + 30
    assert found.message == f"'*' opens or closes no emphasis: “{text[:end].rstrip()}”"
