"""``build_many``, the batch behind ``diglot build``, with the layout
replaced by a stand-in that writes a small file: which editions are built,
skipped, or fail, in one process or in forked workers, and what each
failure says. (The real layouts are built in the slow tests.)"""

from __future__ import annotations

import os
import queue
import signal
import time
from pathlib import Path

import pytest

from diglot import build as build_mod
from diglot import project as project_mod
from diglot.errors import SourceError, UsageError


def stand_in(behaviour: dict[str, str]):
    """A build that writes ``edition.output`` with a few bytes, or fails as
    ``behaviour`` says for the edition: "source" (a DiglotError), "bug" (any
    other exception), "killed" (the process dies)."""

    def fake(edition, write_html=False, progress=None, run_proof=False, chunks=None, jobs=1):
        what = behaviour.get(edition.name, "")
        if progress is not None:
            progress("layout pass 1")
        if what == "source":
            raise SourceError("a broken line", edition.source(edition.languages[0]), 7)
        if what == "bug":
            raise RuntimeError("something diglot did not foresee")
        if what == "killed":
            os.kill(os.getpid(), signal.SIGKILL)
        edition.output.parent.mkdir(parents=True, exist_ok=True)
        edition.output.write_bytes(f"%PDF {edition.name}".encode())
        return build_mod.Built(edition.name, edition.output, 1, 0.0)

    return fake


def batch(mini: Path, monkeypatch, behaviour: dict[str, str], **kw) -> dict[str, build_mod.Outcome]:
    monkeypatch.setattr(build_mod, "build", stand_in(behaviour))  # forked workers inherit it
    editions = list(project_mod.load(mini).editions)
    return {o.name: o for o in build_mod.build_many(editions, **kw)}


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_edition_is_built_then_skipped_while_up_to_date(mini, monkeypatch, jobs):
    heard: list[tuple[str, str]] = []
    first = batch(mini, monkeypatch, {}, jobs=jobs, progress=lambda *m: heard.append(m))
    assert sorted(first) == ["demo-az-en", "demo-en", "demo-handout"]
    assert all(o.built is not None and o.error is None and not o.skipped for o in first.values())
    assert sorted(heard) == sorted((name, "layout pass 1") for name in first)
    again = batch(mini, monkeypatch, {}, jobs=jobs)
    assert all(o.skipped and o.built is None for o in again.values())
    forced = batch(mini, monkeypatch, {}, jobs=jobs, force=True)
    assert all(o.built is not None for o in forced.values())


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_edition_does_not_stop_the_others(mini, monkeypatch, jobs):
    outcomes = batch(mini, monkeypatch, {"demo-en": "source"}, jobs=jobs)
    assert outcomes["demo-en"].error == "sources/demo/en.md:7: a broken line"
    assert outcomes["demo-en"].built is None
    assert outcomes["demo-az-en"].built is not None and outcomes["demo-handout"].built is not None
    # Only the editions built are up to date the next time.
    again = batch(mini, monkeypatch, {}, jobs=jobs)
    assert [n for n, o in sorted(again.items()) if not o.skipped] == ["demo-en"]


def test_with_one_job_an_error_can_be_raised_instead(mini, monkeypatch):
    with pytest.raises(SourceError, match="a broken line"):
        batch(mini, monkeypatch, {"demo-az-en": "source"}, jobs=1, raise_errors=True)


def test_a_bug_in_a_worker_is_that_editions_internal_error(mini, monkeypatch):
    outcomes = batch(mini, monkeypatch, {"demo-handout": "bug"}, jobs=2)
    assert outcomes["demo-handout"].error == (
        "demo-handout: internal error: RuntimeError: something diglot did not foresee "
        "(rerun with --debug -j 1 for the traceback, and please report it)"
    )
    assert outcomes["demo-en"].built is not None


def test_a_killed_worker_is_its_editions_error(mini, monkeypatch):
    outcomes = batch(mini, monkeypatch, {"demo-az-en": "killed"}, jobs=2)
    assert outcomes["demo-az-en"].error == (
        "diglot.toml:1: edition 'demo-az-en': its build process was killed by signal 9 "
        "before it finished; the other editions are not affected (if memory ran out, "
        "build with fewer --jobs)"
    )
    assert outcomes["demo-en"].built is not None and outcomes["demo-handout"].built is not None


def test_a_worker_that_exits_is_reported_with_its_code(mini):
    edition = project_mod.load(mini).edition("demo-en")
    assert "its build process ended with exit code 0 before" in build_mod._lost(edition, 0)
    assert "ended with exit code None" in build_mod._lost(edition, None)
    assert "was killed by signal 15 " in build_mod._lost(edition, -15)


def test_progress_is_relayed_until_the_end_mark():
    messages: queue.Queue[tuple[str, str] | None] = queue.Queue()
    for item in [("a", "reading texts"), ("b", "layout pass 2"), None, ("c", "late")]:
        messages.put(item)
    heard: list[tuple[str, str]] = []
    build_mod._relay(messages, lambda name, message: heard.append((name, message)))
    assert heard == [("a", "reading texts"), ("b", "layout pass 2")]


def test_nothing_to_build_is_nothing_done(mini, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a date")
    assert list(build_mod.build_many([])) == []  # and the bad value is not even read
    assert not (mini / "output").exists()


def test_a_bad_source_date_epoch_is_one_error_before_any_build(mini, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "12x")
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH must be whole seconds"):
        batch(mini, monkeypatch, {"demo-en": "bug"}, jobs=2)
    assert not (mini / "output").exists()


@pytest.mark.parametrize(
    ("value", "epoch"),
    [
        ("", None),
        ("  ", None),
        ("0", 0),
        (" 1700000000 ", 1700000000),
        ("253402300799", 253402300799),
    ],
)
def test_source_date_epoch_values(monkeypatch, value, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert build_mod.source_date_epoch() == epoch


@pytest.mark.parametrize("value", ["253402300800", "0253402300799", "-1", "1.5", "1e9"])
def test_source_date_epoch_past_9999_or_not_whole_seconds(monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(UsageError, match="up to the end of 9999"):
        build_mod.source_date_epoch()


def test_no_more_editions_build_at_once_than_jobs(mini, monkeypatch):
    """Each stand-in build marks itself running for half a second and
    counts the marks: with -j 2 and three editions, never three."""
    running = mini / "running"
    running.mkdir()

    def marked(edition, *args, **kwargs):
        mark = running / edition.name
        mark.touch()
        time.sleep(0.5)
        at_once = len(list(running.iterdir()))
        mark.unlink()
        edition.output.parent.mkdir(parents=True, exist_ok=True)
        edition.output.write_bytes(b"%PDF")
        return build_mod.Built(edition.name, edition.output, 1, 0.0, warnings=(str(at_once),))

    monkeypatch.setattr(build_mod, "build", marked)
    editions = list(project_mod.load(mini).editions)
    outcomes = list(build_mod.build_many(editions, jobs=2))
    counts = [int(o.built.warnings[0]) for o in outcomes if o.built is not None]
    assert len(counts) == 3 and max(counts) <= 2
