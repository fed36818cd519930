"""Progress of long builds: a status line on a terminal, nothing in a log."""

from __future__ import annotations

import re
import time

import pytest

from diglot import cli
from diglot import project as project_mod
from diglot.build import build


def test_status_line_shows_long_builds_and_clears_before_other_output(capsys):
    status = cli.StatusLine(after=0.2)
    status.update("demo-az-en", "layout pass 1")
    status.update("quick", "reading texts")
    time.sleep(0.1)
    status.finished("quick")  # done within the limit: never shown
    status.update("demo-az-en", "layout pass 2, 24 pages")
    time.sleep(0.8)
    status.echo("demo-az-en: output/demo-az-en.pdf (24 pages)", err=True)
    status.close()
    err = capsys.readouterr().err
    assert "\r\x1b[Kdemo-az-en: layout pass 2, 24 pages (" in err
    assert "quick" not in err
    assert err.endswith("\r\x1b[Kdemo-az-en: output/demo-az-en.pdf (24 pages)\n")


@pytest.mark.slow
def test_build_reports_its_steps_and_a_log_gets_no_status_line(mini, run):
    heard: list[str] = []
    edition = project_mod.load(mini).edition("demo-en")
    result = build(edition, progress=heard.append)
    # Total fit lays out again when its line breaks differ from the first
    # pass: each further pass is told with the pages of the one before.
    assert heard[:2] == ["reading texts", "layout pass 1"]
    assert heard[-1] == f"writing the PDF, {result.pages} pages"
    for number, message in enumerate(heard[2:-1], start=2):
        assert re.fullmatch(rf"layout pass {number}, \d+ pages", message), heard
    logged = run("build", "--force", "demo-az-en", "demo-en")
    assert logged.exit_code == 0 and "\x1b[K" not in logged.output
