"""The warm WeasyPrint process: same PDF as building in one process, and
errors come back with their file and line."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from diglot import build as build_mod
from diglot import project as project_mod
from diglot.errors import DiglotErrors, FetchRefused, TemplateError
from diglot.renderer import Renderer, write_pdf


def test_errors_keep_file_and_line_across_processes():
    error = FetchRefused("refused to load x", Path("layouts/a.html.j2"), 7)
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is FetchRefused and again.format() == error.format()
    several = DiglotErrors([TemplateError("bad", Path("styles/b.css"), 3), error])
    assert pickle.loads(pickle.dumps(several)).format() == several.format()


@pytest.mark.slow
def test_renderer_writes_the_same_pdf(mini, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    edition = project_mod.load(mini).edition("demo-en")
    job = build_mod.pdf_job(edition, build_mod.edition_html(edition))
    here = write_pdf(job)
    expected = edition.output.read_bytes()
    edition.output.unlink()
    with Renderer() as renderer:
        there = renderer.write_pdf(job)
    assert there == here and here.pages >= 2
    assert edition.output.read_bytes() == expected


@pytest.mark.slow
def test_renderer_reports_refusals_where_they_are(mini):
    (mini / "styles").mkdir()
    (mini / "styles" / "booklet.css").write_text(
        "p { color: black }\nbody { background: url('https://example.org/x.png') }\n"
    )
    edition = project_mod.load(mini).edition("demo-en")
    job = build_mod.pdf_job(edition, build_mod.edition_html(edition))
    with Renderer() as renderer:
        with pytest.raises(FetchRefused) as caught:
            renderer.write_pdf(job)
        assert caught.value.path == mini / "styles" / "booklet.css"
        assert caught.value.line == 2
        # The same process serves the next job.
        (mini / "styles" / "booklet.css").write_text("p { color: black }\n")
        assert renderer.write_pdf(job).pages >= 2


def test_jobs_never_exceed_what_memory_allows(mini, monkeypatch):
    editions = project_mod.load(mini).editions
    need = max(build_mod.memory_estimate(e) for e in editions)
    assert need > build_mod.BASE_MEMORY
    monkeypatch.setattr(build_mod, "available_memory", lambda: 2 * need + 1)
    assert build_mod.workers_allowed(editions, 8) == 2
    assert build_mod.workers_allowed(editions, 1) == 1
    monkeypatch.setattr(build_mod, "available_memory", lambda: need // 2)
    assert build_mod.workers_allowed(editions, 8) == 1  # one always runs
    monkeypatch.setattr(build_mod, "available_memory", lambda: None)
    assert build_mod.workers_allowed(editions, 8) == 8


def test_available_memory_is_read_on_linux():
    if not Path("/proc/meminfo").exists():
        pytest.skip("no /proc/meminfo")
    available = build_mod.available_memory()
    assert available is not None and available > 64 * 2**20
