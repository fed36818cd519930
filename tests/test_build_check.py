"""diglot build says what diglot check knows: warnings by default, a refusal
with --check (errors) or --strict (anything)."""

from __future__ import annotations

import pytest


@pytest.fixture
def mismatch(mini):
    en = mini / "sources/demo/en.md"
    en.write_text(
        en.read_text(encoding="utf-8").replace("February 25, 1997", "February 26, 1997"),
        encoding="utf-8",
    )
    return mini


@pytest.mark.slow
def test_build_prints_check_errors_as_warnings_and_builds(run, mismatch):
    result = run("build", "demo-az-en")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if ": warning: date-mismatch: " in line]
    assert len(lines) == 1 and lines[0].startswith("sources/demo/en.md:15: warning: date-mismatch:")
    assert "1997-02-26" in lines[0]
    assert (mismatch / "output/demo-az-en.pdf").is_file()


def test_build_strict_refuses_and_writes_nothing(run, mismatch):
    result = run("build", "--strict", "demo-az-en")
    assert result.exit_code == 1
    assert "sources/demo/en.md:15: error: date-mismatch:" in result.output
    assert result.output.rstrip().endswith("not built: diglot check found problems (--strict)")
    assert not (mismatch / "output").exists()


def test_build_strict_counts_warnings_too(run, mini):
    en = mini / "sources/demo/en.md"
    long = " and it goes on" * 40
    en.write_text(
        en.read_text(encoding="utf-8").replace("grape.", "grape" + long + "."), encoding="utf-8"
    )
    result = run("build", "--strict", "demo-az-en")
    assert "warning: length-ratio:" in result.output
    assert result.exit_code == 1 and not (mini / "output").exists()
