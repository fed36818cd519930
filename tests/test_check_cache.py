"""diglot build checks an edition again only when something the checks read changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from diglot import check
from diglot import project as project_mod
from diglot.check import report
from diglot.check.cache import CACHE


@pytest.fixture
def runs(monkeypatch) -> list[int]:
    """How many times the checks ran over a set of texts."""
    calls: list[int] = []
    real = report.run

    def counted(context: report.Context) -> list[check.Finding]:
        calls.append(len(context.docs))
        return real(context)

    monkeypatch.setattr(report, "run", counted)
    return calls


@pytest.fixture
def no_builds(monkeypatch) -> None:
    """Every edition is up to date: build and serve build nothing, only check."""
    from diglot import build as build_mod

    def up_to_date(editions, *args, **kwargs):
        for edition in editions:
            yield build_mod.Outcome(edition.name, skipped=True)

    monkeypatch.setattr(build_mod, "build_many", up_to_date)


def check_all(root: Path) -> list[check.Finding]:
    project = project_mod.load(root)
    return check.check_editions(project, project.editions)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unchanged_texts_are_not_checked_again(mini, runs):
    check_all(mini)
    assert len(runs) == 3  # one per edition
    check_all(mini)
    assert len(runs) == 3


def test_the_cached_findings_are_the_findings(mini, runs):
    edit(mini / "sources/demo/en.md", "February 25, 1997", "February 26, 1997")
    first = check_all(mini)
    again = check_all(mini)
    assert len(runs) == 3
    assert again == first
    assert {f.code for f in first} == {"date-mismatch", "chronology-date"}
    project = project_mod.load(mini)
    assert again == check.check_names(project, [e.name for e in project.editions])


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        ("sources/demo/en.md", "grape.", "grapes."),
        ("sources/demo/az.md", "üzüm.", "üzüm, alma."),
        ("sources/demo/dates.yaml", '"1997-02-25"', '"1997-02-26"'),
    ],
)
def test_an_edited_text_or_chronology_is_checked_again(mini, runs, path, old, new):
    check_all(mini)
    edit(mini / path, old, new)
    found = check_all(mini)
    assert len(runs) == 6
    if path.endswith("dates.yaml"):
        assert {f.code for f in found} == {"chronology-date"}


def test_another_work_counts_too(mini, runs):
    # the Azerbaijani OCR check learns words from every corrected text of the project
    check_all(mini)
    other = mini / "sources/other/az.md"
    other.parent.mkdir()
    other.write_text((mini / "sources/demo/az.md").read_text(encoding="utf-8"), encoding="utf-8")
    check_all(mini)
    assert len(runs) == 6


def test_a_selected_edition_is_checked_alone(mini, runs):
    project = project_mod.load(mini)
    check.check_editions(project, [project.edition("demo-en")])
    assert runs == [1]
    check_all(mini)
    assert runs == [1, 2, 2]


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[1, 2]",
        '{"demo-en": {"key": 3}}',
        '{"demo-en": "x", "demo-az-en": {"key": "k", "findings": [{"code": 1}]}}',
    ],
)
def test_a_broken_cache_means_check_again(mini, runs, content):
    (mini / "output").mkdir()
    (mini / "output" / CACHE).write_text(content, encoding="utf-8")
    assert check_all(mini) == []
    assert len(runs) == 3


def test_a_cache_entry_for_other_texts_is_not_used(mini, runs):
    # findings stored under a key that is not the digest of these texts
    check_all(mini)
    cache = mini / "output" / CACHE
    edit(cache, '"findings": []', '"findings": [{"code": "x"}]')
    check_all(mini)
    assert len(runs) >= 4


def test_build_checks_again_only_what_changed(run, mini, runs, no_builds):
    edit(mini / "sources/demo/en.md", "February 25, 1997", "February 26, 1997")
    first = run("build")
    assert first.exit_code == 0 and len(runs) == 3
    second = run("build")
    assert second.exit_code == 0 and len(runs) == 3
    # the same warnings, printed from the cache
    assert second.output == first.output
    assert "sources/demo/en.md:15: warning: date-mismatch:" in second.output
    # --check still refuses on the cached errors
    refused = run("build", "--check")
    assert refused.exit_code == 1 and len(runs) == 3
    assert "not built: diglot check found errors" in refused.output


def test_a_refused_build_writes_no_cache(run, mini, runs):
    edit(mini / "sources/demo/en.md", "February 25, 1997", "February 26, 1997")
    assert run("build", "--check").exit_code == 1
    assert not (mini / "output").exists()


@pytest.mark.slow
def test_a_second_build_with_nothing_changed_runs_no_check(run, mini, runs):
    first = run("build", "demo-en")
    assert first.exit_code == 0, first.output
    assert runs == [1] and (mini / "output/demo-en.pdf").is_file()
    second = run("build", "demo-en")
    assert second.exit_code == 0 and "is up to date" in second.output
    assert runs == [1]


def test_serve_checks_again_only_when_a_text_changed(mini, runs, no_builds):
    from diglot.serve import Site

    edit(mini / "sources/demo/en.md", "February 25, 1997", "February 26, 1997")
    site = Site(mini)
    site.build_now()
    assert len(runs) == 3
    first = list(site.findings)
    assert any(f.code == "date-mismatch" for f in first)
    (mini / "styles").mkdir(exist_ok=True)
    (mini / "styles" / "house.css").write_text("p { color: navy }\n", encoding="utf-8")
    site.build_now()  # a style changed, no text: the findings are the same, not checked again
    assert len(runs) == 3 and site.findings == first
    edit(mini / "sources/demo/en.md", "February 26, 1997", "February 25, 1997")
    site.build_now()
    assert len(runs) == 6 and not any(f.code == "date-mismatch" for f in site.findings)
