from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import diglot as diglot_package
from diglot import __version__
from diglot.cli import cli

from .conftest import REPO


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
    data = json.loads(run("editions", "--format", "json").output)
    assert data[0]["translated"] == {"en": 0.6667}  # the original is not listed
    assert data[0]["segments"] == 3


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


def diglot(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command in a child process, running this checkout's package."""
    env = {**os.environ, "PYTHONPATH": str(Path(diglot_package.__file__).parent.parent)}
    return subprocess.run(
        [sys.executable, "-m", "diglot.cli", "--project", str(project), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_debug_shows_traceback(mini):
    """Without --debug one located line; with it Python's traceback of the
    same error (catches --debug being ignored, or ignored when given first)."""
    (mini / "diglot.toml").write_text("[[edition]]\n", encoding="utf-8")
    plain = diglot(mini, "editions")
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert plain.stderr.splitlines()[0] == (
        "diglot.toml:1: edition 1 (it has no name): missing required key 'date'"
    )
    for args in (["--debug", "editions"], ["editions", "--debug"]):
        debug = diglot(mini, *args)
        assert debug.returncode == 1
        assert debug.stderr.startswith("Traceback (most recent call last):"), debug.stderr
        assert "diglot.errors.DiglotErrors:" in debug.stderr
        assert "edition 1 (it has no name): missing required key 'date'" in debug.stderr


def test_a_bug_is_one_line_internal_error(run, monkeypatch):
    """An exception that is not a DiglotError (a bug) prints one line naming
    it and asking for --debug, exit 1; with --debug it propagates."""
    from diglot import status

    def broken(project):
        raise KeyError("layout")

    monkeypatch.setattr(status, "editions", broken)
    result = CliRunner().invoke(cli, ["editions"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        "diglot: internal error: KeyError: 'layout' "
        "(rerun with --debug for the traceback, and please report it)\n"
    )
    result = CliRunner().invoke(cli, ["--debug", "editions"])
    assert isinstance(result.exception, KeyError)


def test_invalid_source_date_epoch_is_one_usage_error(run, mini, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "diglot: SOURCE_DATE_EPOCH must be whole seconds since 1970 up to the end of 9999 "
        "(253402300799), not 'yesterday'\n"
    )
    assert not (mini / "output").exists()


def test_preview_of_an_unbuilt_edition(run, mini):
    result = CliRunner().invoke(cli, ["preview", "demo-en"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "diglot.toml: output/demo-en.pdf is not built yet: run diglot build demo-en\n"
    )
    assert not (mini / "output").exists()


@pytest.mark.slow
def test_build_writes_pdf_and_html(run, mini):
    result = run("build", "demo-en", "--html")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("demo-en: output/demo-en.pdf (")
    assert (mini / "output/demo-en.pdf").read_bytes().startswith(b"%PDF-")
    assert "hyphen run" not in result.output  # no proof unless asked for
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
    # One language has no pair to compare, but its chronology still says 25.
    alone = run("build", "--check", "demo-en")
    assert alone.exit_code == 1
    assert "chronology-date" in alone.output and "date-mismatch" not in alone.output


def test_a_build_leaves_nothing_in_the_temporary_folder(mini, tmp_path):
    """WeasyPrint copies the fonts to a new temporary folder for every
    layout and removes it only when garbage-collected, which a build's
    worker processes never are: a day of builds left thousands of 7 MB
    folders in /tmp. The command gives them one folder and removes it."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(diglot_package.__file__).parent.parent),
        "TMPDIR": str(scratch),
    }
    done = subprocess.run(
        [sys.executable, "-m", "diglot.cli", "--project", str(mini), "build", "-j", "2"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert len(list((mini / "output").glob("*.pdf"))) == 3
    assert list(scratch.iterdir()) == []
