from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from diglot import __version__
from diglot.cli import cli


def test_version_and_help(run):
    assert run("--version").output.strip() == f"diglot, version {__version__}"
    for command in ([], ["build"], ["editions"], ["check"], ["impose"], ["preview"]):
        result = run(*command, "--help")
        assert (
            result.exit_code == 0 and "--project" in result.output and "--version" in result.output
        )
        assert run(*command, "--version").output.strip() == f"diglot, version {__version__}"


def test_editions_json(run):
    result = run("editions", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert [e["name"] for e in data] == ["demo-az-en", "demo-handout", "demo-en"]
    first = data[0]
    assert first["languages"] == ["az", "en"] and first["layout"] == "booklet"
    assert first["paper"] == "A5" and first["output"] == "output/demo-az-en.pdf"
    assert first["translated"] == {"en": 1.0}


def test_editions_table_shows_completeness(run, mini):
    en = mini / "sources/demo/en.md"
    en.write_text(en.read_text().split("{#p2}")[0], encoding="utf-8")
    result = run("editions")
    assert result.exit_code == 0
    line = next(x for x in result.output.splitlines() if x.startswith("demo-az-en"))
    assert "en 67%" in line


def test_project_option_from_elsewhere(mini, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["editions", "--project", str(mini)])
    assert result.exit_code == 0 and "demo-az-en" in result.output
    result = CliRunner().invoke(cli, ["--project", str(mini), "editions"])
    assert result.exit_code == 0 and "demo-az-en" in result.output


def test_no_project_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["editions"])
    assert result.exit_code == 1
    assert "no diglot.toml here or in any parent folder" in result.output
    assert "Traceback" not in result.output


def test_unknown_edition_is_usage_error(run):
    result = run("build", "nope")
    assert result.exit_code == 2
    assert (
        "diglot.toml: no edition named 'nope' (editions: demo-az-en, demo-handout, demo-en)"
        in result.output
    )


def test_unknown_option_is_usage_error(run):
    assert run("build", "--frobnicate").exit_code == 2


def test_build_error_names_file_and_line(run, mini):
    az = mini / "sources/demo/az.md"
    az.write_text(az.read_text().replace("{#p2}", "{#p1}"), encoding="utf-8")
    result = run("build", "demo-az-en")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == "sources/demo/az.md:17: duplicate segment id 'p1' (first used on line 14)"
    assert "Traceback" not in result.output


def test_debug_shows_traceback(mini, monkeypatch):
    monkeypatch.chdir(mini)
    (mini / "diglot.toml").write_text("[[edition]]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--debug", "editions"])
    assert result.exit_code == 1 and result.exception is not None


@pytest.mark.slow
def test_build_writes_pdf_and_html(run, mini):
    result = run("build", "demo-en", "--html")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("demo-en: output/demo-en.pdf (")
    assert (mini / "output/demo-en.pdf").read_bytes().startswith(b"%PDF-")
    html = (mini / "output/demo-en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and 'id="en-p1"' in html


@pytest.mark.slow
def test_build_check_refuses_an_edition_with_errors(run, mini):
    en = mini / "sources/demo/en.md"
    en.write_text(
        en.read_text().replace("February 25, 1997", "February 26, 1997"), encoding="utf-8"
    )
    result = run("build", "--check", "demo-az-en")
    assert result.exit_code == 1
    assert "date-mismatch" in result.output
    assert "not built: diglot check found errors" in result.output
    assert not (mini / "output/demo-az-en.pdf").exists()
    assert run("build", "--check", "demo-en").exit_code == 0
