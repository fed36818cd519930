"""Parallel, incremental and reproducible builds, through the real CLI."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from diglot.cli import cli

pytestmark = pytest.mark.slow


def run(project, *args):
    result = CliRunner().invoke(cli, ["--project", str(project), "build", *args])
    return result


def digests(project) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((project / "output").glob("*.pdf"))
    }


def mtimes(project) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (project / "output").iterdir()}


def test_second_build_rewrites_nothing(mini):
    assert run(mini, "-j", "2").exit_code == 0
    before = mtimes(mini)
    result = run(mini)
    assert result.exit_code == 0
    assert result.output.count("is up to date") == 3
    assert mtimes(mini) == before


def test_only_editions_whose_inputs_changed_are_rebuilt(mini):
    assert run(mini).exit_code == 0
    en = mini / "sources/demo/en.md"
    en.write_text(en.read_text() + "\nOne more English paragraph.\n", encoding="utf-8")
    result = run(mini)
    # all three editions use en.md
    assert result.output.count("pages") == 3
    az = mini / "sources/demo/az.md"
    az.write_text(az.read_text() + "\nBir abzas da.\n", encoding="utf-8")
    result = run(mini)
    lines = dict(line.split(": ", 1) for line in result.output.strip().splitlines())
    assert "pages" in lines["demo-az-en"] and "pages" in lines["demo-handout"]
    assert "up to date" in lines["demo-en"]


def test_layout_style_and_config_changes_rebuild(mini):
    assert run(mini).exit_code == 0
    (mini / "styles").mkdir()
    (mini / "styles" / "handout.css").write_text("p { color: #222 }", encoding="utf-8")
    result = run(mini)
    assert result.output.count("pages") == 3  # a new file in the style search path
    toml = mini / "diglot.toml"
    toml.write_text(
        toml.read_text().replace(
            'name = "demo-en"\nwork = "demo"\n', 'name = "demo-en"\nwork = "demo"\ntitle = "X"\n'
        ),
        encoding="utf-8",
    )
    result = run(mini)
    assert result.output.count("pages") == 1 and "demo-en: output/demo-en.pdf (" in result.output


def test_force_and_deleted_or_edited_pdf_rebuild(mini):
    assert run(mini).exit_code == 0
    assert run(mini, "--force").output.count("pages") == 3
    (mini / "output/demo-en.pdf").unlink()
    assert run(mini).output.count("pages") == 1
    with (mini / "output/demo-handout.pdf").open("ab") as handle:
        handle.write(b"%")
    assert "demo-handout: output/demo-handout.pdf (" in run(mini).output


def test_builds_are_reproducible_and_parallel_matches_serial(mini):
    assert run(mini, "-j", "1").exit_code == 0
    first = digests(mini)
    assert run(mini, "--force", "-j", "2").exit_code == 0
    assert digests(mini) == first


def test_source_date_epoch_fixes_the_dates(mini, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run(mini, "demo-en").exit_code == 0
    meta = PdfReader(mini / "output/demo-en.pdf").metadata
    assert meta["/CreationDate"].startswith("D:20231114221320")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert run(mini, "demo-en").exit_code == 0  # the epoch is an input: rebuilt
    meta = PdfReader(mini / "output/demo-en.pdf").metadata
    assert meta["/CreationDate"].startswith("D:20261123000000")


def test_one_broken_edition_does_not_stop_the_others(mini):
    toml = mini / "diglot.toml"
    toml.write_text(
        toml.read_text() + '\n[[edition]]\nname = "bad"\nwork = "demo"\n'
        'languages = ["en"]\nlayout = "booklet"\ndate = 2026-11-23\n',
        encoding="utf-8",
    )
    (mini / "layouts").mkdir()
    (mini / "layouts" / "booklet.html.j2").write_text("{{ nope }}", encoding="utf-8")
    result = run(mini, "-j", "2")
    assert result.exit_code == 1
    assert "demo-handout: output/demo-handout.pdf (" in result.output
    assert "layouts/booklet.html.j2:1: undefined in template: 'nope' is undefined" in result.output
    assert "3 of 4 edition(s) failed" in result.output
    assert "Traceback" not in result.output


def test_progress_prefix_on_a_terminal(mini, monkeypatch):
    import diglot.cli

    monkeypatch.setattr(diglot.cli, "_is_terminal", lambda: True)
    result = run(mini, "-j", "2")
    assert result.exit_code == 0
    prefixes = sorted(line.split(" ", 1)[0] for line in result.output.splitlines())
    assert prefixes == ["[1/3]", "[2/3]", "[3/3]"]
    monkeypatch.setattr(diglot.cli, "_is_terminal", lambda: False)
    assert not run(mini).output.startswith("[")
