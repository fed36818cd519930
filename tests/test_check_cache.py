"""diglot build checks an edition again only when something the checks read changed."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    data = json.loads(cache.read_text(encoding="utf-8"))
    bogus = {"code": "x", "severity": "error", "path": "x.md", "line": 1}
    for entry in data.values():
        entry["key"] = "other texts"
        entry["findings"] = [{**bogus, "segment": None, "message": "stale"}]
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert check_all(mini) == []
    assert len(runs) == 6


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


# -- checking again only what an edit can change -----------------------------------

LONG_AZ = """\
---
title: Uzun mətn
language: az
role: original
provenance:
  source: Test fixture
  corrected_by: diglot tests
  licence: CC0-1.0
---

{#s1}
## Başlıq

{#s2}
Bu mətn 25 fevral 1997-ci ildə yazılıb və soyqirimi haqqındadır.

{#s3}
Kənd böyük idi, çay axırdı, dağlar uca idi və insanlar mehriban idi.

{#s4}
Kənd böyük idi, çay axırdı, dağlar uca idi və insanlar mehriban idi.

{#s5}
Sonuncu abzas *vurğu ilə bitir və 1200 metr uzunluğundadır.
"""

LONG_EN = """\
---
title: A long text
language: en
role: translation
original: az
provenance:
  source: Test fixture
  translated_by: diglot tests
  licence: CC0-1.0
---

{#s1}
## Heading

{#s2}
This text was written on February 26, 1997 and is about genocide.

{#s3}
The village was large, the river flowed, the mountains were high and people kind.

{#s4}
The village was large, the river flowed, the mountains were high and people kind.

{#s5}
The last paragraph ends with *emphasis and is 1300 metres long.
"""

LONG_DATES = """\
- date: "1997-02-25"
  segment: s2
  event:
    az: Mətn yazıldı
    en: The text was written
"""

TOML_TAIL = 'layout = "booklet"\npaper = "A5"\ndate = 2026-11-23\n'

# The checks that see each segment on its own, and one that compares a text's paragraphs.
LOCAL = ("bidi-control", "foreign-language", "ocr-artifact", "unclosed-emphasis")
PAIRS = ("date-mismatch", "number-mismatch", "length-ratio", "missing-note")


@pytest.fixture
def long(tmp_path: Path) -> Path:
    from tests.conftest import write_project

    return write_project(
        tmp_path / "long",
        {
            "diglot.toml": '[[edition]]\nname = "long"\nwork = "long"\nlanguages = ["az", "en"]\n'
            + TOML_TAIL,
            "sources/long/az.md": LONG_AZ,
            "sources/long/en.md": LONG_EN,
            "sources/long/dates.yaml": LONG_DATES,
        },
    )


@pytest.fixture
def seen(monkeypatch) -> dict[str, list[tuple[str, str]]]:
    """For each check code, the (file name, segment id) of each segment it was
    given (a pair check: the translation's segment)."""
    from diglot.check import registry

    calls: dict[str, list[tuple[str, str]]] = {}
    table = registry.checks()
    for code, entry in list(table.items()):

        def counted(*args, _entry=entry):
            got = calls.setdefault(_entry.code, [])
            if _entry.scope == "pair":
                got.append((args[0].right_doc.path.name, args[0].right.id))
            elif _entry.scope == "document":
                got += [(args[0].path.name, seg_id) for seg_id in args[0].segments]
            return _entry.run(*args)

        monkeypatch.setitem(table, code, dataclasses.replace(entry, run=counted))
    return calls


def uncached(root: Path) -> list[check.Finding]:
    project = project_mod.load(root)
    return check.check_names(project, [e.name for e in project.editions])


def checked_again(seen: dict[str, list[tuple[str, str]]], codes: tuple[str, ...]) -> set:
    found = {item for code in codes for item in seen.get(code, [])}
    seen.clear()
    return found


def every_segment(*names: str) -> set[tuple[str, str]]:
    return {(name, f"s{i}") for name in names for i in range(1, 6)}


def test_after_a_one_word_edit_only_that_segment_is_checked(long, seen):
    first = check_all(long)
    assert {f.code for f in first} >= {"duplicate-segment", "unclosed-emphasis", "date-mismatch"}
    assert checked_again(seen, LOCAL) == every_segment("az.md", "en.md")
    edit(long / "sources/long/en.md", "is about genocide", "is about a genocide")
    found = check_all(long)
    assert checked_again(seen, LOCAL) == {("en.md", "s2")}
    assert checked_again(seen, PAIRS) == set()  # seen reset: look at the pairs alone
    edit(long / "sources/long/en.md", "1300 metres", "1400 metres")
    again = check_all(long)
    assert seen["number-mismatch"] == [("en.md", "s5")]
    assert checked_again(seen, PAIRS) == {("en.md", "s5")}
    assert found == uncached_after(long, "1400 metres", "1300 metres")
    assert again == uncached(long)


def uncached_after(root: Path, old: str, new: str) -> list[check.Finding]:
    """The findings of an uncached run with the last edit of en.md undone."""
    path = root / "sources/long/en.md"
    edit(path, old, new)
    try:
        return uncached(root)
    finally:
        edit(path, new, old)


def test_kept_findings_move_with_their_segment(long, seen):
    check_all(long)
    seen.clear()
    # s2 gains a paragraph of two lines: everything after it moves down 3 lines
    edit(
        long / "sources/long/en.md",
        "is about genocide.\n",
        "is about genocide.\n\nA second paragraph\nof two lines.\n",
    )
    found = check_all(long)
    assert checked_again(seen, LOCAL) == {("en.md", "s2")}
    assert found == uncached(long)
    lines = {(f.code, f.segment): f.line for f in found if f.path.name == "en.md"}
    assert lines[("unclosed-emphasis", "s5")] == 25 + 3
    assert lines[("number-mismatch", "s5")] == 24 + 3
    (duplicate,) = [f for f in found if f.code == "duplicate-segment" and f.path.name == "en.md"]
    assert duplicate.line == 22 + 3 and "segment 's3', line 22:" in duplicate.message
    # and back: the lines are those of the first run again
    edit(long / "sources/long/en.md", "\n\nA second paragraph\nof two lines.\n", "\n")
    assert check_all(long) == uncached(long)


def test_another_works_words_are_read_by_the_ocr_check(long, seen):
    # the OCR check learns the words of every text of the project: a new
    # Azerbaijani word anywhere makes it look at every Azerbaijani segment again
    check_all(long)
    seen.clear()
    other = long / "sources/other/az.md"
    other.parent.mkdir()
    other.write_text(LONG_AZ.replace("soyqirimi", "soyqırımı"), encoding="utf-8")
    found = check_all(long)
    assert set(seen["ocr-artifact"]) == every_segment("az.md")
    assert seen["foreign-language"] == []  # given the texts without their segments
    assert found == uncached(long)
    # an English word does not change what it knows of Azerbaijani
    seen.clear()
    other.with_name("en.md").write_text(LONG_EN.replace("genocide", "massacre"), encoding="utf-8")
    found = check_all(long)
    assert seen["ocr-artifact"] == []
    assert found == uncached(long)


def test_a_chronology_change_is_checked_again(long):
    def chronology() -> list[str]:
        return [f.message for f in check_all(long) if f.path.name == "dates.yaml"]

    assert chronology() == [
        "1997-02-25 is not a date of segment 's2' in en (dates found: 1997-02-26)"
    ]
    edit(long / "sources/long/dates.yaml", '"1997-02-25"', '"1997-02-26"')
    assert chronology() == [
        "1997-02-26 is not a date of segment 's2' in az (dates found: 1997-02-25)"
    ]
    assert check_all(long) == uncached(long)


@pytest.mark.parametrize("what", ["version", "library"])
def test_a_new_diglot_or_library_checks_every_segment_again(long, seen, monkeypatch, what):
    from diglot.check import cache as cache_mod

    check_all(long)
    seen.clear()
    if what == "version":
        monkeypatch.setattr(cache_mod, "__version__", "0.0.0-other")
    else:
        real = cache_mod.metadata.version
        monkeypatch.setattr(
            cache_mod.metadata, "version", lambda name: "999" if name == "babel" else real(name)
        )
    edit(long / "sources/long/en.md", "is about genocide", "is about a genocide")
    found = check_all(long)
    assert checked_again(seen, LOCAL) == every_segment("az.md", "en.md")
    assert found == uncached(long)
    seen.clear()
    edit(long / "sources/long/en.md", "is about a genocide", "was about a genocide")
    check_all(long)  # the same diglot again: the units are kept
    assert checked_again(seen, LOCAL) == {("en.md", "s2")}


GARBAGE = ["x", None, 3, {"a": 1}, [["c"]], [["c", "error", "one", "m", None]], [[1, 2, 3, 4, 5]]]
STATES = ["x", {"digests": [1], "found": [None]}, {"digests": ["a"], "found": [[5, 1.0, 0, 0]]}]


def test_broken_units_mean_check_again(long, seen):
    first = check_all(long)
    cache = long / "output" / CACHE
    data = json.loads(cache.read_text(encoding="utf-8"))
    (entry,) = data.values()
    entry["key"] = "other texts"
    for index, unit in enumerate(entry["units"]):
        entry["units"][unit] = GARBAGE[index % len(GARBAGE)]
    for index, name in enumerate(entry["state"]):
        entry["state"][name] = STATES[index % len(STATES)]
    cache.write_text(json.dumps(data), encoding="utf-8")
    seen.clear()
    assert check_all(long) == first
    assert checked_again(seen, LOCAL) == every_segment("az.md", "en.md")


def test_a_kept_finding_is_the_one_read_back(long, seen):
    # the units are what the next run reports: a finding planted in one is
    # reported, at its segment's line (which shows the units are used)
    check_all(long)
    cache = long / "output" / CACHE
    data = json.loads(cache.read_text(encoding="utf-8"))
    (entry,) = data.values()
    entry["key"] = "other texts"
    for unit in entry["units"]:
        entry["units"][unit] = [["planted", "warning", 1, "from the cache", None]]
    cache.write_text(json.dumps(data), encoding="utf-8")
    planted = [f for f in check_all(long) if f.code == "planted"]
    assert {(f.path.name, f.segment, f.line) for f in planted} >= {("en.md", "s5", 25)}


def test_a_text_compared_with_itself_compares_only_the_edit(tmp_path, monkeypatch):
    from diglot.check import duplicate_segment

    def paragraph(i: int) -> str:
        letters = random.Random(i)
        return " ".join(
            "".join(letters.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(7))
            for _ in range(10)
        )

    body = "\n".join(f"{{#p{i}}}\n{paragraph(i)} {i}.\n" for i in range(60))
    root = tmp_path / "dup"
    from tests.conftest import write_project

    write_project(
        root,
        {
            "diglot.toml": '[[edition]]\nname = "dup"\nwork = "dup"\nlanguages = ["en"]\n'
            + TOML_TAIL,
            "sources/dup/en.md": LONG_EN.split("{#s1}")[0].replace("translation", "original")
            + body,
        },
    )
    calls: list[int] = []
    real = duplicate_segment.repeat_of

    def counted(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(duplicate_segment, "repeat_of", counted)
    check_all(root)
    assert len(calls) == 60 * 59 // 2
    calls.clear()
    edit(root / "sources/dup/en.md", " 30.\n", " thirty.\n")
    assert check_all(root) == uncached(root)
    assert 0 < len(calls) <= 30 + 29  # p30 with those before it, those after with p30


POOL = [
    "The village was large and the river flowed past the mountains all year long.",
    "The village was large and the river flowed past the mountains all years long.",
    "Twenty pilots from the northern airfield flew over the mountains before the storm "
    "reached the valley.",
    "Before the storm reached the valley, twenty pilots of the northern airfield were "
    "flying above mountains.",
    "Too short to count.",
    "A railway of one thousand versts was laid across the steppe in a single summer.",
    "",
]


@given(
    old=st.lists(st.integers(0, len(POOL) - 1), max_size=14),
    cut=st.tuples(st.integers(0, 14), st.integers(0, 14)),
    middle=st.lists(st.integers(0, len(POOL) - 1), max_size=5),
)
@settings(max_examples=300, deadline=None)
def test_repeats_since_an_edit_are_those_found_from_scratch(old, cut, middle):
    from diglot.check.duplicate_segment import repeats_since
    from diglot.repeats import find_repeats

    start, stop = sorted(cut)
    new = old[:start] + middle + old[stop:]
    before = [POOL[i] for i in old]
    after = [POOL[i] for i in new]
    first, state = repeats_since(before, None)
    assert first == find_repeats(before)
    again, _ = repeats_since(after, json.loads(json.dumps(state)))
    assert again == find_repeats(after)
