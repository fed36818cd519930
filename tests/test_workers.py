"""How many editions build at once: ``-j``, lowered to what the available
memory holds for the largest edition, never below one."""

from __future__ import annotations

import pytest

from diglot import build, project


@pytest.fixture
def editions(mini):
    return project.load(mini).editions


def test_memory_lowers_the_jobs(editions, monkeypatch) -> None:
    need = max(build.memory_estimate(e) for e in editions)
    assert need > build.BASE_MEMORY  # the texts count
    monkeypatch.setattr(build, "available_memory", lambda: 3 * need + need // 2)
    assert build.workers_allowed(editions, 8) == 3
    assert build.workers_allowed(editions, 2) == 2
    monkeypatch.setattr(build, "available_memory", lambda: need // 2)
    assert build.workers_allowed(editions, 8) == 1  # one always runs
    assert build.workers_allowed(editions, 2) == 1  # two jobs are lowered too


def test_unknown_memory_or_nothing_to_build_keeps_the_jobs(editions, monkeypatch) -> None:
    monkeypatch.setattr(build, "available_memory", lambda: None)
    assert build.workers_allowed(editions, 4) == 4
    monkeypatch.setattr(build, "available_memory", lambda: 1)
    assert build.workers_allowed([], 4) == 4
    assert build.workers_allowed(editions, 1) == 1
    assert build.workers_allowed(editions, 0) == 1


def test_available_memory_is_read_from_the_system() -> None:
    available = build.available_memory()
    assert available is not None and available > 10 * 1024 * 1024
