"""Shared fixtures: a tiny project written into a temporary folder."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# The files whose module fixtures build real editions, longest first. make
# test gives each worker whole files (``--dist loadfile``), so that each
# builds its editions once (with per-test distribution both workers built
# all thirteen, three minutes of the ten the suite may take); sending the
# longest first keeps the two workers' loads even.
LONGEST_FIRST = ("test_e2e.py", "test_chunks.py", "test_facing.py", "test_redos.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # (stable: each file's tests keep their order)


@pytest.fixture(scope="session", autouse=True)
def scratch() -> Iterator[None]:
    """The tests' builds run in this process, not through ``diglot``'s
    ``main``: they get its one temporary folder too, removed at the end, so
    that WeasyPrint's font copies do not pile up in /tmp."""
    from diglot import files

    with files.scratch_folder():
        yield


@pytest.fixture(scope="session", autouse=True)
def static_fonts(scratch: None) -> None:
    """The static font instances, made before any test builds a PDF: once per
    machine, in the user's cache, the test processes taking turns on its
    lock (about a minute on a fresh 2-core machine, nothing afterwards).
    Otherwise a test building twice could print with the variable faces,
    then with instances another test process just made, and see different
    bytes."""
    from diglot import fonts

    fonts.prepare_static(2)


AZ = """\
---
title: Kiçik nümunə
language: az
role: original
provenance:
  source: Test fixture
  corrected_by: diglot tests
  licence: CC0-1.0
---

{#intro}
## Giriş

{#p1}
Bu mətn 25 fevral 1997-ci ildə yazılıb və *vurğu* ilə **qalın** söz var.

{#p2}
İkinci abzas: Azərbaycan Respublikası, ölkə, şəhər, çay, dağ, ağac, üzüm.
"""

EN = """\
---
title: A small sample
language: en
role: translation
original: az
provenance:
  source: Test fixture
  translated_by: diglot tests
  licence: CC0-1.0
---

{#intro}
## Introduction

{#p1}
This text was written on February 25, 1997 and has an *emphasised* and a **bold** word.

It continues in a second English paragraph.

{#p2}
Second paragraph: Republic of Azerbaijan, country, city, river, mountain, tree, grape.
"""

DATES = """\
- date: "1997-02-25"
  segment: p1
  event:
    az: Mətn yazıldı
    en: The text was written
- date: "1992-05"
  event:
    az: Bir hadisə
    en: An event
- date: "1993"
  event:
    az: Başqa hadisə
    en: Another event
"""

TOML = """\
[[edition]]
name = "demo-az-en"
work = "demo"
languages = ["az", "en"]
layout = "booklet"
paper = "A5"
date = 2026-11-23

[[edition]]
name = "demo-handout"
work = "demo"
languages = ["az", "en"]
layout = "handout"
paper = "A4"
date = 2026-11-23

[[edition]]
name = "demo-en"
work = "demo"
languages = ["en"]
layout = "booklet"
paper = "A5"
date = 2026-11-23
"""


def write_project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A small two-language project using diglot's built-in layouts."""
    return write_project(
        tmp_path / "mini",
        {
            "diglot.toml": TOML,
            "sources/demo/az.md": AZ,
            "sources/demo/en.md": EN,
            "sources/demo/dates.yaml": DATES,
        },
    )


@pytest.fixture
def run(mini, monkeypatch):
    """Run the diglot command line inside the ``mini`` project."""
    from click.testing import CliRunner

    from diglot.cli import cli

    monkeypatch.chdir(mini)

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


def copy_project(dest: Path) -> Path:
    """``dest``: a copy of this repository's project files (sources,
    layouts, styles, diglot.toml), with no output."""
    for name in ("sources", "layouts", "styles"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "diglot.toml", dest / "diglot.toml")
    return dest


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of this repository's project files (sources, layouts, styles)."""
    return copy_project(tmp_path / "repo")
