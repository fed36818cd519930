"""What ``diglot build`` prints and how it exits, with the layout replaced
by a stand-in (tests/test_batch.py): a line per edition built or up to
date, its warnings, each error line once, the count of failures, the
progress prefix and status line on a terminal. Real layouts: the slow tests."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfWriter

from diglot import build as build_mod
from diglot import cli as cli_mod
from diglot import proof
from diglot.cli import cli

from .test_batch import stand_in


@pytest.fixture
def diglot_build(mini, monkeypatch):
    """``diglot build ARGS`` in the mini project, the editions failing as
    ``behaviour`` says; the result has .stdout and .stderr apart."""
    monkeypatch.chdir(mini)

    def invoke(
        *args: str,
        behaviour: dict[str, str] | None = None,
        warnings=(),
        passes=1,
        pdf_pages: int | None = None,
    ):
        fake = stand_in(behaviour or {})

        def build(edition, *a, **kw):
            built = fake(edition, *a, **kw)
            if pdf_pages is not None:
                blank_pdf(edition.output, pdf_pages)
            return dataclasses.replace(built, warnings=tuple(warnings), passes=passes, pages=3)

        monkeypatch.setattr(build_mod, "build", build)
        return CliRunner().invoke(cli, ["build", "-j", "1", *args])

    return invoke


def test_one_line_per_edition_then_up_to_date(diglot_build):
    first = diglot_build()
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert [line.split(" (")[0] for line in lines] == [
        "demo-az-en: output/demo-az-en.pdf",
        "demo-handout: output/demo-handout.pdf",
        "demo-en: output/demo-en.pdf",
    ]
    assert all(line.endswith("(3 pages, 0.0 s)") for line in lines)  # one pass: not said
    again = diglot_build("demo-en")
    assert again.stdout == "demo-en: output/demo-en.pdf is up to date\n"


def test_passes_and_warnings_are_said(diglot_build):
    result = diglot_build("demo-en", warnings=["a word too long"], passes=2)
    assert result.stdout == "demo-en: output/demo-en.pdf (3 pages, 2 layout passes, 0.0 s)\n"
    assert "demo-en: warning: a word too long\n" in result.stderr


def test_failures_are_counted_and_each_error_line_said_once(diglot_build):
    result = diglot_build(behaviour={"demo-az-en": "source", "demo-en": "source"})
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "sources/demo/az.md:7: a broken line",
        "sources/demo/en.md:7: a broken line",
        "2 of 3 edition(s) failed",
    ]
    assert result.stdout.startswith("demo-handout: output/demo-handout.pdf (")


def test_one_error_shared_by_editions_is_said_once(diglot_build, mini):
    result = diglot_build(
        "demo-az-en", "demo-handout", behaviour={"demo-az-en": "source", "demo-handout": "source"}
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "sources/demo/az.md:7: a broken line",
        "2 of 2 edition(s) failed",
    ]


def test_on_a_terminal_lines_are_numbered(diglot_build, monkeypatch):
    monkeypatch.setattr(cli_mod, "_is_terminal", lambda: True)
    result = diglot_build(behaviour={"demo-handout": "source"})
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "[1/3] demo-az-en",
        "[3/3] demo-en",
    ]
    assert result.stderr.splitlines()[0] == "[2/3] sources/demo/az.md:7: a broken line"
    one = diglot_build("demo-en", "--force")
    assert one.stdout.startswith("demo-en: ")  # one edition: no count


def test_on_a_terminal_the_status_line_is_cleared_before_output(diglot_build, monkeypatch):
    monkeypatch.setattr(cli_mod, "_interactive", lambda: True)
    result = diglot_build("demo-en")
    assert result.exit_code == 0
    assert result.stdout == "demo-en: output/demo-en.pdf (3 pages, 0.0 s)\n"


def test_imposing_a_file_that_is_not_a_pdf_fails_that_edition(diglot_build, mini):
    result = diglot_build("demo-en", "--impose", "saddle")
    assert result.exit_code == 1
    assert result.stdout.startswith("demo-en: output/demo-en.pdf (")
    *errors, count = result.stderr.splitlines()
    assert count == "1 of 1 edition(s) failed" and errors == [
        "output/demo-en.pdf: is not a PDF diglot can read (invalid pdf header: b'%PDF '); "
        "build it again with diglot build"
    ]
    assert not (mini / "output/demo-en-saddle.pdf").exists()


def test_status_line_shows_only_builds_past_their_first_second(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(cli_mod.click, "echo", lambda message="", **kw: shown.append(message))
    status = cli_mod.StatusLine(after=0.0)
    status.update("quick", "reading texts")
    status.update("slow", "layout pass 2, 24 pages")
    status.finished("quick")
    deadline = 50
    while not any("slow: layout pass 2" in s for s in shown) and deadline:
        status.stopping.wait(0.1)
        deadline -= 1
    status.echo("demo-en: done")
    status.close()
    line = next(s for s in shown if "slow:" in s)
    assert line.startswith("\r\x1b[Kslow: layout pass 2, 24 pages (") and "quick" not in line
    # The status line is cleared before other output, and after the last one.
    assert shown[shown.index("demo-en: done") - 1] == "\r\x1b[K"


# -- proofs: diglot proof and build --max-problems / --max-loose ---------------------------

REPORT = proof.Report(
    pages=8,
    lines=100,
    justified=80,
    loose=8,
    worst_space_em=0.61,
    longest_ladder=3,
    hyphenated=4,
    findings=(
        proof.Finding(2, "hyphen-ladder", "3 hyphens in a row"),
        proof.Finding(5, "widow", "a last line alone at the top"),
    ),
)


@pytest.fixture
def proofed(mini, monkeypatch):
    """``diglot proof ARGS`` with every edition's proof being REPORT."""
    monkeypatch.chdir(mini)
    monkeypatch.setattr(build_mod, "proof_edition", lambda edition: REPORT)
    return lambda *args: CliRunner().invoke(cli, ["proof", *args])


def test_proof_prints_each_finding_and_a_summary(proofed):
    result = proofed("demo-en")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "output/demo-en.pdf:2: hyphen-ladder: 3 hyphens in a row",
        "output/demo-en.pdf:5: widow: a last line alone at the top",
        "demo-en: proof: 8 pages, 100 lines, 80 justified (10.0% loose, worst 0.61 em), "
        "longest hyphen run 3, 2 problem(s)",
    ]


@pytest.mark.parametrize(
    ("limits", "over"),
    [
        (["--max-problems", "2"], False),
        (["--max-problems", "1"], True),
        (["--max-loose", "10"], False),
        (["--max-loose", "9.9"], True),
        (["--max-problems", "5", "--max-loose", "5"], True),
    ],
)
def test_proof_fails_over_a_limit(proofed, limits, over):
    result = proofed("demo-en", "demo-handout", *limits)
    assert result.exit_code == (1 if over else 0)
    verdicts = [line for line in result.output.splitlines() if ": proof: " in line]
    assert len(verdicts) == 2
    assert all(line.endswith(" — over the limit") is over for line in verdicts)


def test_proof_as_json(proofed):
    result = proofed("demo-en", "--format", "json", "--max-problems", "1")
    assert result.exit_code == 1
    (data,) = json.loads(result.stdout)
    assert data["edition"] == "demo-en" and data["pdf"] == "output/demo-en.pdf"
    assert data["loose_share"] == 0.1 and data["pages"] == 8
    assert [(f["page"], f["code"], f["severity"]) for f in data["findings"]] == [
        (2, "hyphen-ladder", "error"),
        (5, "widow", "warning"),
    ]


def test_build_with_a_limit_proofs_each_edition_built(diglot_build, monkeypatch):
    monkeypatch.setattr(build_mod, "proof_edition", lambda edition: REPORT)
    within = diglot_build("demo-en", "--max-problems", "2")
    assert within.exit_code == 0
    assert within.stdout.splitlines()[-1].startswith("demo-en: proof: 8 pages")
    over = diglot_build("demo-en", "--force", "--max-loose", "5")
    assert over.exit_code == 1
    assert "demo-en: proof: 8 pages" in over.stderr and "over the limit" in over.stderr
    assert over.stderr.splitlines()[-1] == "1 of 1 edition(s) failed"


# -- --debug, two editions, imposing ------------------------------------------------------


def test_debug_builds_one_at_a_time_and_lets_the_error_through(diglot_build, monkeypatch):
    """--debug: one edition at a time, so that the first error propagates
    with its traceback (in parallel it would be a line per edition)."""
    from diglot.errors import SourceError

    result = diglot_build("--debug", "-j", "2", behaviour={"demo-az-en": "source"})
    assert isinstance(result.exception, SourceError)


def test_two_editions_on_a_terminal_are_numbered_of_two(diglot_build, monkeypatch):
    monkeypatch.setattr(cli_mod, "_is_terminal", lambda: True)
    result = diglot_build("demo-en", "demo-handout")
    assert [line.split(" ")[0] for line in result.stdout.splitlines()] == ["[1/2]", "[2/2]"]


def blank_pdf(path: Path, pages: int) -> None:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(419.5, 595.3)  # A5
    with path.open("wb") as handle:
        writer.write(handle)


def test_build_impose_imposes_then_skips_an_imposition_up_to_date(diglot_build, mini):
    first = diglot_build("demo-en", "--impose", "saddle", pdf_pages=6)
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[-1] == (
        "demo-en: output/demo-en-saddle.pdf (2 sheets, imposed)"  # 6 pages: 8 sides
    )
    again = diglot_build("demo-en", "--impose", "saddle", pdf_pages=6)
    assert again.stdout == "demo-en: output/demo-en.pdf is up to date\n"
    assert again.exit_code == 0 and again.stderr == ""  # nothing to impose is no failure
    other_sheet = diglot_build("demo-en", "--impose", "saddle", "--sheet", "letter", pdf_pages=6)
    assert other_sheet.stdout.splitlines()[-1].endswith("(2 sheets, imposed)")


def test_impose_command_imposes_built_editions(diglot_build, mini):
    diglot_build("demo-en", "demo-handout", pdf_pages=3)
    imposed = CliRunner().invoke(cli, ["impose", "demo-en"])
    assert imposed.exit_code == 0
    assert imposed.stdout == "demo-en: output/demo-en-saddle.pdf (1 sheets)\n"  # 3 pages: 4 sides
