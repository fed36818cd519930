"""The cache of line-breaking decisions (diglot.settlecache): a rebuild of
unchanged text goes straight to the final layout, with the same PDF."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from diglot import build, endpages, fonts, hyphenation, linebreak, settlecache, typography
from diglot import project as project_mod

from .conftest import copy_project

TEXT = (
    "The committee met again in the spring, and its members, who had travelled from "
    "every province of the country, agreed on a declaration that the <em>assembly</em> "
    "adopted unanimously after a long&nbsp;debate about the wording of its second article."
)


class Fake:
    """A laid-out document as :func:`typography.readout` reads it: every
    paragraph 480 px wide, none overflowing, three lines when set as
    planned (``data-lines``) and five when not."""

    def __init__(self, html: str) -> None:
        # as planned (three lines), or five as WeasyPrint would break it
        marks = {
            int(typography._MARK.findall(m[1])[0]): 3 if "hyphens: manual" in m[1] else 5
            for m in typography._PARAGRAPH.finditer(html)
        }
        self.pages: list[Any] = []
        self.readout = (
            {
                i: {
                    "width": 480.0,
                    "size": 12.0,
                    "lang": "en",
                    "family": "Noto Serif",
                    "justify": True,
                    "justify_last": False,
                    "indent": 0.0,
                    "lines": lines,
                    "height": 40.0,
                    "overflow": False,
                    "elements": {i},
                }
                for i, lines in marks.items()
            },
            [],
        )


def paragraphs(*texts: str) -> str:
    body = "".join(f'<p data-tf="{i}" data-lines="3">{t}</p>' for i, t in enumerate(texts))
    return f"<html><body><h1>Title</h1>{body}</body></html>"


def settle(html: str, calls: list[str]) -> str:
    def lay_out(text: str) -> Fake:
        calls.append(text)
        return Fake(text)

    with typography.session(("en",)):
        return typography.settle(html, lay_out)[0]


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the paragraphs total fit plans for the text; not the trial
    plans of a short page's paragraphs a line longer (typography.loosen),
    tried again whenever the pages are (a record of the text unchanged is
    settled)."""
    import inspect

    count: list[int] = []
    real = linebreak.plan

    def counting(*args: Any, **kwargs: Any) -> Any:
        if not any(frame.function == "loosen" for frame in inspect.stack()[1:6]):
            count.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(linebreak, "plan", counting)
    return count


def test_a_rebuild_applies_the_recorded_breaks_before_its_first_layout(tmp_path, planned):
    html = paragraphs(TEXT, TEXT.replace("spring", "autumn"), TEXT.replace("country", "realm"))
    calls: list[str] = []
    with settlecache.session(tmp_path, "ed", "env"):
        cold = settle(html, calls)
    assert len(calls) == 2 and len(planned) == 3  # measure, then the plans
    assert cold.count("hyphens: manual") == 3
    files = list((tmp_path / settlecache.FOLDER / "ed").iterdir())
    assert len(files) == 1
    assert "<" not in files[0].read_text()  # integers and words, never HTML
    calls.clear()
    planned.clear()
    with settlecache.session(tmp_path, "ed", "env"):
        warm = settle(html, calls)
    assert warm == cold and calls == [cold] and not planned  # one layout, the final one


def test_a_changed_paragraph_alone_is_planned_again(tmp_path, planned):
    texts = [TEXT, TEXT.replace("spring", "autumn"), TEXT.replace("country", "realm")]
    with settlecache.session(tmp_path, "ed", "env"):
        settle(paragraphs(*texts), [])
    texts[1] = texts[1].replace("committee", "council")
    planned.clear()
    calls: list[str] = []
    with settlecache.session(tmp_path, "ed", "env"):
        edited = settle(paragraphs(*texts), calls)
    assert len(planned) == 1 and len(calls) == 2
    assert edited == settle(paragraphs(*texts), [])  # as without the cache
    # the edited text's decisions replace the old ones; nothing else is kept
    assert len(list((tmp_path / settlecache.FOLDER / "ed").iterdir())) == 1


def test_the_same_paragraphs_settled_again_in_one_build_are_not_planned_again(tmp_path, planned):
    """A booklet whose colophon moves to its end is settled twice: the
    second settle (another document around the same paragraphs, so no
    record of its own) takes the first one's breaks, on its first build and
    when a paragraph was edited since the last one. Only when the caller
    says so (a facing edition's pages number other paragraphs than its
    measuring column); another build gets nothing from it."""
    texts = [TEXT, TEXT.replace("spring", "autumn")]

    def moved(html: str) -> str:
        return html.replace("<h1>Title</h1>", "").replace("</body>", "<h1>Title</h1></body>")

    for edit in (False, True):
        if edit:
            texts[1] = texts[1].replace("committee", "council")
        planned.clear()
        with settlecache.session(tmp_path, "ed", "env"):
            first = settle(paragraphs(*texts), [])
            calls: list[str] = []
            with settlecache.same_paragraphs():
                second = settle(moved(paragraphs(*texts)), calls)
        assert len(planned) == (1 if edit else 2)  # the first settle's plans only
        assert len(calls) == 1 and second == moved(first)  # its final layout, at once
    texts[0] = texts[0].replace("members", "delegates")
    planned.clear()
    with settlecache.session(tmp_path, "ed", "env"):
        settle(paragraphs(*texts), [])
        settle(moved(paragraphs(*texts)), [])  # not said to be the same paragraphs
    assert len(planned) == 2  # the edited one, in each
    planned.clear()
    with settlecache.session(tmp_path / "elsewhere", "ed", "env"), settlecache.same_paragraphs():
        settle(moved(paragraphs(*texts)), [])
    assert len(planned) == 2


def test_another_environment_or_document_misses(tmp_path, planned):
    html = paragraphs(TEXT, TEXT.replace("country", "realm"))
    with settlecache.session(tmp_path, "ed", "env"):
        settle(html, [])
    planned.clear()
    with settlecache.session(tmp_path, "ed", "other stylesheets"):
        settle(html, [])
    assert len(planned) == 2
    planned.clear()
    with settlecache.session(tmp_path, "ed", "env"):
        settle(html.replace("Title", "Another title"), [])
    assert len(planned) == 2


def test_settle_outside_a_build_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settle(paragraphs(TEXT), [])
    assert not any(tmp_path.rglob("*.json"))


def _tampered(path: Path, change: Any) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


HOSTILE = [
    lambda d: d.update(format=True),
    lambda d: d.update(paragraphs="x"),
    lambda d: d["paragraphs"][0].__setitem__(0, -1),
    lambda d: d["paragraphs"][0].__setitem__(1, True),
    lambda d: d["paragraphs"][0].__setitem__(2, 1.5),
    lambda d: d["paragraphs"][0][3].__setitem__(0, 10**9),  # a break past the text
    lambda d: d["paragraphs"][0][3].__setitem__(0, 0),  # a break on <em>'s tag? on a tag
    lambda d: d["paragraphs"][0][3].__setitem__(1, 7),  # no such kind of break
    lambda d: d["paragraphs"][0][3].__setitem__(2, 10**6),  # absurd letter-spacing
    lambda d: d["paragraphs"][0][3].append(1),
    lambda d: d["paragraphs"][0].__setitem__(3, ["<script>", 0, 0]),
    lambda d: d["paragraphs"][0].__setitem__(2, 5),  # another token count
    lambda d: d.update(locked=[["<img src=x onerror=alert(1)>", 0]]),
    lambda d: d.update(locked=[["a" * 1000]]),
    lambda d: d.update(locked=[["word", -1]]),
    lambda d: d.update(locked=["word"]),
    lambda d: d.update(widows=[[0, "widows: 3; } body { display: none"]]),
    lambda d: d.update(widows=[[0, 0.5]]),
    lambda d: d.update(widows=[[0, -settlecache.MAX_WIDOWS - 1]]),
    lambda d: d.update(widows=[[999, 3]]),  # no element of that index
    lambda d: d.update(tied="x"),
    lambda d: d.update(tied=[[0, "spring,", "and its"]]),  # a tie is two words
    lambda d: d.update(tied=[[-1, "the", "spring"]]),
    lambda d: d.update(tied=[[0, "the"]]),
    lambda d: d.pop("tied"),
    lambda d: d.update(format=settlecache.FORMAT - 1),  # a record of white above rows
]


@pytest.mark.parametrize("change", range(len(HOSTILE)))
def test_a_damaged_or_hostile_cache_is_ignored(tmp_path, planned, change):
    texts = ("<b>A</b> " + TEXT, TEXT.replace("country", "realm"))
    html = paragraphs(*texts)
    with settlecache.session(tmp_path, "ed", "env"):
        cold = settle(html, [])
    (path,) = (tmp_path / settlecache.FOLDER / "ed").iterdir()
    _tampered(path, HOSTILE[change])
    planned.clear()
    calls: list[str] = []
    with settlecache.session(tmp_path, "ed", "env"):
        again = settle(html, calls)
    assert again == cold and "script" not in again and "onerror" not in again
    assert "display: none" not in again
    assert calls[0] != cold  # not laid out as recorded: planned again
    assert planned


@pytest.mark.parametrize("content", [b"", b"{", b"[" * 100_000, b"\xff\xfe", b"null"])
def test_a_file_that_is_not_a_cache_is_a_miss(tmp_path, content):
    html = paragraphs(TEXT)
    with settlecache.session(tmp_path, "ed", "env"):
        cold = settle(html, [])
    (path,) = (tmp_path / settlecache.FOLDER / "ed").iterdir()
    path.write_bytes(content)
    calls: list[str] = []
    with settlecache.session(tmp_path, "ed", "env"):
        assert settle(html, calls) == cold
    assert len(calls) == 2


def test_a_cache_file_linked_to_a_device_is_a_miss(tmp_path):
    html = paragraphs(TEXT)
    with settlecache.session(tmp_path, "ed", "env"):
        cold = settle(html, [])
    (path,) = (tmp_path / settlecache.FOLDER / "ed").iterdir()
    path.unlink()
    path.symlink_to("/dev/zero")
    with settlecache.session(tmp_path, "ed", "env"):
        assert settle(html, []) == cold


def test_a_cache_file_linked_outside_the_output_folder_is_not_read(tmp_path):
    """A project's output/ may come with it: a cache file that is a link to
    a file elsewhere (even one holding a good record) is not read, and
    neither is a kept choice linked out."""
    html = paragraphs(TEXT)
    output = tmp_path / "output"
    with settlecache.session(output, "ed", "env"):
        cold = settle(html, [])
        settlecache.choose("rows", html, 7)
    folder = output / settlecache.FOLDER / "ed"
    for path in folder.iterdir():
        outside = tmp_path / path.name
        outside.write_bytes(path.read_bytes())
        path.unlink()
        path.symlink_to(outside)
    calls: list[str] = []
    with settlecache.session(output, "ed", "env"):
        assert settle(html, calls) == cold
        assert settlecache.choice("rows", html, lambda v: v) is None
    assert len(calls) > 1  # planned again from a first layout: no record was read


def test_recorded_locked_words_and_widows_are_applied_on_a_full_hit(tmp_path):
    html = paragraphs(TEXT, TEXT.replace("committee", "council"))
    words = typography.protect(html)
    recalled = settlecache.recall(html, True, words)  # no session: nothing
    assert not recalled.planned and recalled.path is None
    with typography.session(("en",)), settlecache.session(tmp_path, "ed", "env"):
        words = typography.protect(html)
        recalled = settlecache.recall(html, True, words)
        recalled.remember(
            {}, set(), {0: "widows: 4; ", 1: typography.whole(3, False)}, words | {"committee"}
        )
    with typography.session(("en",)), settlecache.session(tmp_path, "ed", "env"):
        words = typography.protect(html)
        recalled = settlecache.recall(html, True, words)
        assert recalled.widows == {0: "widows: 4; ", 1: "widows: 3; break-after: avoid; "}
        # a block laid out without its margin at a page's foot is recalled so
        recalled.remember({}, set(), {1: typography.FOOT_MARGIN}, set(words))
    with typography.session(("en",)), settlecache.session(tmp_path, "ed", "env"):
        assert settlecache.recall(html, True, typography.protect(html)).widows == {
            1: "margin-bottom: 0; "
        }
        recalled = settlecache.recall(html, True, typography.protect(html))
        recalled.remember(
            {}, set(), {0: "widows: 4; ", 1: typography.whole(3, False)}, words | {"committee"}
        )
    with typography.session(("en",)), settlecache.session(tmp_path, "ed", "env"):
        words = typography.protect(html)
        recalled = settlecache.recall(html, True, words)
        assert "committee" in words and "committee" in hyphenation.protected()
    # the blocks whose widows were tried and undone are not tried again
    with typography.session(("en",)), settlecache.session(tmp_path, "ed", "env"):
        recalled = settlecache.recall(html, True, typography.protect(html))
        recalled.remember({}, set(), {}, set(words), spurned={1})
    with typography.session(("en",)), settlecache.session(tmp_path, "ed", "env"):
        assert settlecache.recall(html, True, typography.protect(html)).spurned == {1}
    # ... unless a paragraph changed: they are tried again around the new text
    edited = paragraphs(TEXT, TEXT.replace("committee", "board"))
    with typography.session(("en",)), settlecache.session(tmp_path, "ed", "env"):
        assert settlecache.recall(edited, True, typography.protect(edited)).spurned == set()
    # a declaration settle never makes is not written down as a widows count
    with typography.session(("en",)), settlecache.session(tmp_path, "ed", "env"):
        words = typography.protect(html)
        recalled = settlecache.recall(html, True, words)
        recalled.remember({}, set(), {0: "widows: 4; orphans: 3; "}, set(words))
    with typography.session(("en",)), settlecache.session(tmp_path, "ed", "env"):
        assert not settlecache.recall(html, True, typography.protect(html)).widows


@pytest.mark.parametrize(
    "inner",
    [
        TEXT,
        "<span>" + TEXT + "</span> and a tail of words to fill the last line out",
        TEXT.replace("debate", 'debate<span class="footnote" data-n="12">A <em>note</em>.</span>'),
        TEXT.replace(" long", " 8\u2013\u206011 long").replace("wording", "co-operative wording"),
    ],
)
@pytest.mark.parametrize("widths", [(), fonts.HZ_WIDTHS])
def test_breaks_read_back_from_the_enforced_html(inner, widths):
    toks = linebreak.tokens(inner)
    hyphenate = linebreak.hyphenator("en", frozenset())
    seen: set[int] = set()
    for width in (120.0, 160.0, 240.0):
        breaks = linebreak.plan(toks, width, 12.0, hyphenate, widths=widths)
        assert breaks is not None
        seen |= {b.wdth for b in breaks}
        enforced = linebreak.enforce(toks, breaks)
        assert settlecache.breaks_of(toks, enforced) == breaks
        flat = settlecache._encode(breaks)
        assert flat is not None and all(isinstance(v, int) for v in flat)
        assert settlecache._decode(flat, toks) == breaks
    assert settlecache.breaks_of(toks, enforced + "<b>") is None
    assert settlecache.breaks_of(toks, enforced.replace("\u2060", "", 1)) != breaks
    assert (len(seen) > 1) if widths else seen == {0}  # lines at more than one width


# -- real editions --------------------------------------------------------------------


def _project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "repo")


def _build(root: Path, name: str) -> tuple[bytes, int]:
    edition = project_mod.load(root, [name]).edition(name)
    built = build.build(edition)
    return built.path.read_bytes(), built.passes


# layouts of a rebuild of unchanged text: settle's one (facing pages: the
# measuring column and the pages); not a side-by-side booklet's row
# measuring, nor the layout of a booklet with its colophon behind the
# cover, nor the one with the record of changes' references one per
# segment (all three choices are kept)
WARM_PASSES = {"sail-ru-en": 1, "sail-ru-en-facing": 2, "genocide-en": 1, "genocide-az-en": 1}
EDITIONS = list(WARM_PASSES)


@pytest.mark.slow
@pytest.mark.parametrize("name", EDITIONS)
def test_a_warm_rebuild_makes_the_same_pdf_in_fewer_passes(tmp_path, monkeypatch, name, planned):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = _project(tmp_path)
    cold, cold_passes = _build(root, name)
    cold_plans = len(planned)
    planned.clear()
    warm, warm_passes = _build(root, name)
    assert warm == cold
    assert not planned
    assert (warm_passes, cold_passes > warm_passes or not cold_plans) == (WARM_PASSES[name], True)


@pytest.mark.slow
def test_kept_record_pages_that_no_longer_hold_are_found_out(tmp_path, monkeypatch):
    """A kept grouping of the record's references that the layout does not
    bear out (here: every reference said to be on the first page) is laid
    out again as a build without it would be."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = _project(tmp_path)
    cold, _ = _build(root, "genocide-en")
    kept = list((root / "output" / settlecache.FOLDER / "genocide-en").glob("cite-*.json"))
    assert len(kept) == 1
    pages, words = json.loads(kept[0].read_text())
    assert len({page for _anchor, page in pages}) > 1
    kept[0].write_text(json.dumps([[[anchor, 0] for anchor, _page in pages], words]))
    again, passes = _build(root, "genocide-en")
    assert again == cold and passes > 1
    warm, passes = _build(root, "genocide-en")  # and keeps the right pages
    assert warm == cold and passes == 1


EDITS = [
    # the introduction, the facing edition's one justified paragraph (in its
    # measuring column and on its pages)
    ("sail-ru-en-facing", "{#intro}", "printed only after", "published only after", 2),
    # a paragraph in the middle of the article: planned once, though the
    # booklet is settled twice (its colophon moves to its last page, and the
    # pages after it turn the other way): the second settle starts from the
    # first one's decisions
    ("genocide-en", "{#p4}", " the ", " a ", 1),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "segment", "old", "new", "most"), EDITS)
def test_an_edited_paragraph_alone_is_planned_again(
    tmp_path, monkeypatch, planned, name, segment, old, new, most
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = _project(tmp_path)
    edition = project_mod.load(root, [name]).edition(name)
    _build(root, name)
    cold_plans = len(planned)
    source = edition.source("en")
    text = source.read_text(encoding="utf-8")
    at = text.index(old, text.index(segment))
    source.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    planned.clear()
    edited, _ = _build(root, name)
    assert 0 < len(planned) <= most < cold_plans
    shutil.rmtree(root / "output" / ".diglot-cache")
    fresh, _ = _build(root, name)
    assert edited == fresh  # as a build without the cache


@pytest.mark.slow
def test_force_keeps_the_cache_and_the_cli_says_so(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from diglot.cli import cli

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = _project(tmp_path)
    monkeypatch.chdir(root)
    first = CliRunner().invoke(cli, ["build", "sail-ru-en-facing", "--force"])
    cold = re.search(r"(\d+) layout passes", first.output)
    assert first.exit_code == 0 and cold and int(cold[1]) > 2, first.output
    again = CliRunner().invoke(cli, ["build", "sail-ru-en-facing", "--force"])
    # the measuring column and the pages, its front matter at the back from the start
    assert again.exit_code == 0 and "2 layout passes" in again.output, again.output
    assert os.listdir(root / "output" / settlecache.FOLDER / "sail-ru-en-facing")


def test_a_cache_folder_linked_out_of_the_output_is_not_used(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    planted = outside / ("0" * 64 + ".json")
    planted.write_text("{}")
    output = tmp_path / "output"
    (output / settlecache.FOLDER).mkdir(parents=True)
    (output / settlecache.FOLDER / "ed").symlink_to(outside)
    calls: list[str] = []
    with settlecache.session(output, "ed", "env"):
        settle(paragraphs(TEXT), calls)
    assert len(calls) == 2
    assert [p.name for p in outside.iterdir()] == [planted.name]  # nothing written, nothing pruned


def test_an_edit_keeps_the_locked_words_of_the_other_paragraphs_only(tmp_path):
    texts = [TEXT, TEXT.replace("committee", "council")]
    html = paragraphs(*texts)
    with typography.session(("en",)), settlecache.session(tmp_path, "ed", "env"):
        words = typography.protect(html)
        recalled = settlecache.recall(html, True, words)
        recalled.remember({}, set(), {}, words | {"committee", "province"})
    # "committee" is in the first paragraph only, "province" in both
    edited = paragraphs(texts[0], texts[1].replace("spring", "summer"))
    with typography.session(("en",)), settlecache.session(tmp_path, "ed", "env"):
        words = typography.protect(edited)
        settlecache.recall(edited, True, words)
        assert "committee" in words and "province" not in words


def _read_number(data: Any) -> int | None:
    return data if isinstance(data, int) and not isinstance(data, bool) else None


def test_a_choice_is_kept_for_exactly_its_html_and_read_as_untrusted(tmp_path):
    """diglot.settlecache.choice/choose: the rows a side-by-side booklet runs
    on and where its colophon goes, kept for the same HTML only; a file
    that is not what ``read`` accepts (or too large, or not JSON) is no
    choice; a choice the build did not use is removed when it ends."""
    html = "<html><body><p>one</p></body></html>"
    assert settlecache.choice("rows", html, _read_number) is None  # outside a build
    settlecache.choose("rows", html, 3)  # nothing happens outside a build
    with settlecache.session(tmp_path, "ed", "env"):
        assert settlecache.choice("rows", html, _read_number) is None
        settlecache.choose("rows", html, 7)
        settlecache.choose("endpages", html, 9)
    with settlecache.session(tmp_path, "ed", "env"):
        assert settlecache.choice("rows", html, _read_number) == 7
        assert settlecache.choice("endpages", html, lambda _: None) is None  # unread: not used
        assert settlecache.choice("rows", html.replace("one", "two"), _read_number) is None
    folder = tmp_path / settlecache.FOLDER / "ed"
    # the last build used only its rows: the endpages choice is gone
    (kept,) = folder.iterdir()
    assert kept.name.startswith("rows-") and kept.name.endswith(".json")
    with settlecache.session(tmp_path, "ed", "other fonts"):
        assert settlecache.choice("rows", html, _read_number) is None
    assert not list(folder.iterdir())
    with settlecache.session(tmp_path, "ed", "env"):
        settlecache.choose("rows", html, 7)
    for bad in (b'"7"', b"[7]", b"{", b"7" * (settlecache.MAX_CHOICE_BYTES + 1)):
        kept.write_bytes(bad)
        with settlecache.session(tmp_path, "ed", "env"):
            assert settlecache.choice("rows", html, _read_number) is None, bad[:10]


def _variants() -> list[tuple[str, Any]]:
    """A record's fields spoiled one at a time: (what, how)."""
    big = 2**64

    def at(field: str, index: int, value: Any) -> Any:
        def spoil(data: dict[str, Any]) -> None:
            data[field][0][index] = value

        return spoil

    def put(field: str, value: Any) -> Any:
        return lambda data: data.__setitem__(field, value)

    return [
        ("format", put("format", settlecache.FORMAT - 1)),
        ("paragraphs not a list", put("paragraphs", {})),
        ("widows not a list", put("widows", None)),
        ("locked not a list", put("locked", "committee")),
        ("tied not a list", put("tied", {})),
        ("a paragraph of three", lambda d: d["paragraphs"][0].pop()),
        ("a negative index", at("paragraphs", 0, -1)),
        ("a digest past 64 bits", at("paragraphs", 1, big + 1)),
        ("a count as text", at("paragraphs", 2, "7")),
        ("breaks not a list", at("paragraphs", 3, 7)),
        ("a break as text", lambda d: d["paragraphs"][0][3].__setitem__(0, "1")),
        ("a break past 64 bits", lambda d: d["paragraphs"][0][3].__setitem__(0, big + 1)),
        ("widows of three", lambda d: d["widows"][0].append(1)),
        ("half a widow line", at("widows", 1, 0.5)),
        ("too many widow lines", at("widows", 1, settlecache.MAX_WIDOWS + 1)),
        ("a widow's index as text", at("widows", 0, "0")),
        ("a locked entry empty", lambda d: d["locked"].__setitem__(0, [])),
        ("a locked word with a space", at("locked", 0, "com mittee")),
        ("a locked word too long", at("locked", 0, "w" * (settlecache.MAX_WORD + 1))),
        ("a locked word's paragraph as text", at("locked", 1, "0")),
        ("boxes not a list", put("boxes", {})),
        ("no boxes", lambda d: d.pop("boxes")),
        ("a box without its paragraphs", lambda d: d["boxes"][0].pop()),
        ("a box's width as text", at("boxes", 0, "480")),
        ("a box's width negative", at("boxes", 0, -1.0)),
        ("a box's width endless", at("boxes", 0, float("inf"))),
        ("a box's font size not a number", at("boxes", 1, float("nan"))),
        ("a box's family as a number", at("boxes", 3, 7)),
        ("a box's language too long", at("boxes", 2, "e" * (settlecache.MAX_NAME + 1))),
        ("a box's indent as true", at("boxes", 4, True)),
        ("a box's last line not yes or no", at("boxes", 5, 0)),
        ("a box's paragraph as text", lambda d: d["boxes"][0][6].__setitem__(0, "0")),
        ("no trials undone", lambda d: d.pop("spurned")),
        ("trials undone not a list", put("spurned", 1)),
        ("a trial undone as text", put("spurned", ["1"])),
        ("a trial undone negative", put("spurned", [-1])),
        ("a trial undone in no paragraph", put("spurned", [7])),
    ]


@pytest.mark.parametrize(("what", "spoil"), _variants(), ids=[w for w, _ in _variants()])
def test_a_record_with_any_field_out_of_shape_is_a_miss(tmp_path, what, spoil):
    """Every field of a line-breaking record is checked before any is used:
    a good record (with widows and a locked word) is a hit; the same record
    with one field out of shape or range is a miss, planned from scratch."""
    html = paragraphs(TEXT, TEXT.replace("committee", "council"))
    with settlecache.session(tmp_path, "ed", "env"):
        settle(html, [])
    (path,) = (tmp_path / settlecache.FOLDER / "ed").iterdir()
    good = json.loads(path.read_text())
    good["widows"], good["locked"] = [[0, 3]], [["committee", 0]]
    good["boxes"] = [[480.0, 12.0, "en", "Noto Serif", -10.5, False, [0, 1]]]
    good["spurned"] = [1]
    path.write_text(json.dumps(good))
    with settlecache.session(tmp_path, "ed", "env"):
        hit = settlecache.recall(html, True, set())
    assert hit.planned and hit.widows == {0: "widows: 3; "}
    assert hit.settled and hit.spurned == {1}
    data = json.loads(json.dumps(good))
    spoil(data)
    path.write_text(json.dumps(data))
    with settlecache.session(tmp_path, "ed", "env"):
        miss = settlecache.recall(html, True, set())
    assert (miss.planned, miss.widows, miss.ties) == ({}, {}, {}), what


def measuring(*texts: str) -> str:
    """A facing edition's measuring column: its blocks marked ``data-m``."""
    body = "".join(
        f'<p data-tf="{i}" data-m="m-en-s{i}-0" data-lines="3">{t}</p>' for i, t in enumerate(texts)
    )
    return f"<html><body>{body}</body></html>"


@pytest.mark.parametrize(("width", "layouts"), [(480.0, 1), (470.0, 3)])
def test_an_edited_paragraph_of_the_measuring_column_is_planned_from_its_box(
    tmp_path, width, layouts
):
    """The measuring column's record keeps its justified paragraphs' boxes:
    an edited paragraph is planned from the box it had before the first
    layout, which is then the only one; a box the layout does not bear
    out (another width) is laid out again as without it. Either way the
    HTML is the one settled without the record."""
    original = measuring(TEXT, TEXT.replace("committee", "council"))
    path, data = _recorded(tmp_path, original)
    assert data["boxes"] == [[480.0, 12.0, "en", "Noto Serif", 0.0, False, [0, 1]]]
    data["boxes"][0][0] = width
    path.write_text(json.dumps(data))
    edited = measuring(TEXT, TEXT.replace("committee", "board"))
    cold: list[str] = []
    fresh = settle(edited, cold)
    assert len(cold) == 2  # laid out with WeasyPrint's breaks, then as planned
    calls: list[str] = []
    with settlecache.session(tmp_path, "ed", "env"):
        assert settle(edited, calls) == fresh
    assert len(calls) == layouts


def test_many_edited_paragraphs_are_planned_from_their_first_layout(tmp_path, monkeypatch):
    """Past MAX_GUESSES edited paragraphs (one inserted renumbers all after
    it), none is planned from its recorded box: two layouts, as without."""
    monkeypatch.setattr(typography, "MAX_GUESSES", 1)
    _recorded(tmp_path, measuring(TEXT, TEXT.replace("committee", "council")))
    edited = measuring(TEXT.replace("committee", "board"), TEXT.replace("committee", "club"))
    calls: list[str] = []
    with settlecache.session(tmp_path, "ed", "env"):
        assert settle(edited, calls) == settle(edited, [])
    assert len(calls) == 2


def test_only_the_measuring_column_records_boxes(tmp_path):
    """Pages are planned from their first layout: their record keeps no box."""
    _, data = _recorded(tmp_path, paragraphs(TEXT))
    assert data["boxes"] == []


def _recorded(tmp_path: Path, html: str) -> tuple[Path, dict[str, Any]]:
    """A build's record for ``html`` (settled once): its file and data."""
    with settlecache.session(tmp_path, "ed", "env"):
        settle(html, [])
    (path,) = (tmp_path / settlecache.FOLDER / "ed").iterdir()
    return path, json.loads(path.read_text())


@pytest.mark.parametrize(
    ("what", "change", "hit"),
    [
        ("one widow line", lambda d: d.update(widows=[[0, 1]]), True),
        ("a block over the page", lambda d: d.update(widows=[[0, -2]]), True),
        ("a tie of a one-letter word", lambda d: d.update(tied=[[0, "a", "long"]]), True),
        ("a tie of an empty word", lambda d: d.update(tied=[[0, "", "long"]]), False),
        (
            "a tie of a word as long as allowed",
            lambda d: d.update(tied=[[0, "a" * 100, "b"]]),
            True,
        ),
        ("a tie of a word too long", lambda d: d.update(tied=[[0, "a" * 101, "b"]]), False),
        ("a locked word as long as allowed", lambda d: d.update(locked=[["w" * 100, 0]]), True),
        ("the letter-spacing limit", lambda d: d["paragraphs"][0][3].__setitem__(2, 1000), True),
        (
            "past the letter-spacing limit",
            lambda d: d["paragraphs"][0][3].__setitem__(2, 1001),
            False,
        ),
        ("narrower than the limit", lambda d: d["paragraphs"][0][3].__setitem__(2, -1000), True),
        ("a paragraph twice", lambda d: d["paragraphs"].append(d["paragraphs"][0]), False),
    ],
)
def test_a_record_at_the_edges_of_its_ranges(tmp_path, what, change, hit):
    """One widow line, a one-letter word of a tie, a locked word of
    MAX_WORD letters and letter-spacing of ±0.1 em are in range; an empty
    word, more letter-spacing, or a paragraph recorded twice are not (a
    cache diglot did not write): the whole record is a miss."""
    html = paragraphs(TEXT, TEXT.replace("committee", "council"))
    path, data = _recorded(tmp_path, html)
    change(data)
    path.write_text(json.dumps(data))
    with settlecache.session(tmp_path, "ed", "env"):
        recalled = settlecache.recall(html, True, set())
    assert bool(recalled.planned) is hit, what
    if what == "one widow line":
        assert recalled.widows == {0: "widows: 1; "}
    if what == "a block over the page":
        assert recalled.widows == {0: "widows: 2; break-after: avoid; "}


def test_letter_spacing_is_kept_in_ten_thousandths_of_an_em_up_to_a_tenth():
    def encode(tracking: float) -> list[int] | None:
        return settlecache._encode([linebreak.Breakpoint(4, "end", tracking)])

    assert encode(0.1) == [4, 3, 1000, 0, 0] and encode(-0.1) == [4, 3, -1000, 0, 0]
    assert encode(0.0123) == [4, 3, 123, 0, 0]
    assert encode(0.1001) is None  # more than a tenth of an em
    assert encode(0.00005) is None  # finer than the unit: not what settle rounds to


def test_a_lines_glyph_width_is_kept_and_only_one_of_the_widths_read_back():
    toks = linebreak.tokens("alpha beta")
    narrow = min(fonts.HZ_WIDTHS)
    brk = linebreak.Breakpoint(len(toks) - 1, "end", 0.0, narrow)
    assert settlecache._encode([brk]) == [len(toks) - 1, 3, 0, narrow, 0]
    assert settlecache._decode([len(toks) - 1, 3, 0, narrow, 0], toks) == [brk]
    for wdth in (narrow - 1, max(fonts.HZ_WIDTHS) + 1, 97, 1000, -92):  # not made
        assert settlecache._decode([len(toks) - 1, 3, 0, wdth, 0], toks) is None
    assert settlecache._decode([len(toks) - 1, 3, 0, narrow], toks) is None  # the old format


def test_a_last_line_with_the_faces_own_spaces_is_kept_and_read_back():
    """A justified paragraph's last line keeps the face's word spaces
    (linebreak.Breakpoint.spaced): kept as a fifth integer, read back from
    the enforced HTML; only the last line may have them."""
    toks = linebreak.tokens("alpha beta gamma delta")
    space = next(i for i, t in enumerate(toks) if t.char == " ")
    breaks = [
        linebreak.Breakpoint(space, "space"),
        linebreak.Breakpoint(len(toks) - 1, "end", spaced=True),
    ]
    flat = settlecache._encode(breaks)
    assert flat == [space, 0, 0, 0, 0, len(toks) - 1, 3, 0, 0, 1]
    assert settlecache._decode(flat, toks) == breaks
    assert settlecache._decode([space, 0, 0, 0, 1, len(toks) - 1, 3, 0, 0, 1], toks) is None
    assert settlecache._decode([len(toks) - 1, 3, 0, 0, 2], toks) is None
    enforced = linebreak.enforce(toks, breaks)
    assert '<span style="word-spacing: 0em">beta' in enforced
    assert settlecache.breaks_of(toks, enforced) == breaks


def test_one_widow_line_is_kept_as_it_was_declared(tmp_path):
    html = paragraphs(TEXT)
    with typography.session(("en",)), settlecache.session(tmp_path, "ed", "env"):
        words = typography.protect(html)
        settlecache.recall(html, True, words).remember({}, set(), {0: "widows: 1; "}, words)
    with typography.session(("en",)), settlecache.session(tmp_path, "ed", "env"):
        recalled = settlecache.recall(html, True, typography.protect(html))
    assert recalled.widows == {0: "widows: 1; "}


def test_a_paragraph_whose_attributes_changed_is_planned_again(tmp_path, planned):
    html = paragraphs(TEXT, TEXT.replace("country", "realm"))
    with settlecache.session(tmp_path, "ed", "env"):
        settle(html, [])
    planned.clear()
    restyled = html.replace('<p data-tf="1"', '<p class="lead" data-tf="1"')
    with settlecache.session(tmp_path, "ed", "env"):
        recalled = settlecache.recall(restyled, True, set())
    assert sorted(recalled.known) == [0]


def test_a_word_locked_in_a_paragraph_edited_since_is_free_again(tmp_path):
    """The edit took the word out of the paragraph that held it: the
    ladder it broke may be gone, so the word is not locked any more."""
    texts = [TEXT, TEXT.replace("committee", "council")]
    html = paragraphs(*texts)
    with typography.session(("en",)), settlecache.session(tmp_path, "ed", "env"):
        words = typography.protect(html)
        settlecache.recall(html, True, words).remember({}, set(), {}, words | {"committee"})
    edited = paragraphs(texts[0].replace("committee", "board"), texts[1])
    with typography.session(("en",)), settlecache.session(tmp_path, "ed", "env"):
        words = typography.protect(edited)
        settlecache.recall(edited, True, words)
        assert "committee" not in words


@pytest.mark.parametrize(
    ("words", "ties"),
    [({"3rd"}, {}), (set(), {0: frozenset({("the", "spring,  and")})})],
)
def test_what_cannot_be_kept_as_words_forgets_the_record(tmp_path, words, ties):
    """A locked "word" that is not letters only, a tied pair whose word has
    a space: nothing is written, and the record there was is removed."""
    html = paragraphs(TEXT)
    path, _data = _recorded(tmp_path, html)
    with typography.session(("en",)), settlecache.session(tmp_path, "ed", "env"):
        protected = typography.protect(html)
        recalled = settlecache.recall(html, True, set(protected))
        assert recalled.path == path
        recalled.remember({}, set(), {}, set(protected) | words, ties)
    assert not path.exists()


@pytest.mark.slow
def test_a_kept_colophon_place_that_no_longer_holds_leaves_no_word_locked(tmp_path, monkeypatch):
    """A kept place of the colophon that the layout does not bear out (here:
    a page count one too many), with a word locked that the first build had
    hyphenated, is laid out again as a build without it would be: the
    word it locked is free again, and the PDF is the cold build's."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = _project(tmp_path)
    cold, _ = _build(root, "genocide-az")
    text = subprocess.run(
        ["pdftotext", "-layout", str(root / "output" / "genocide-az.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    broken = re.findall(r"(\w{3,})[-\u2010]\n\s*(\w{3,})", text)
    assert broken, "the cold build hyphenates some word"
    word = "".join(broken[0])
    kept = list((root / "output" / settlecache.FOLDER / "genocide-az").glob("endpages-*.json"))
    assert len(kept) == 1
    where, pages, words = json.loads(kept[0].read_text())
    assert where == endpages.WITH_CONTENTS and word not in words
    kept[0].write_text(json.dumps([where, pages + 1, [*words, word]]))
    again, passes = _build(root, "genocide-az")
    assert again == cold and passes > 1


def test_a_paragraphs_recorded_breaks_are_enforced_once_per_process(monkeypatch):
    """A facing edition recalls each paragraph for its measuring column and
    for its pages: the second time the enforced HTML comes from memory, the
    same as made the first time; breaks that do not fit the paragraph are
    refused both times."""
    inner = "alpha beta gamma delta epsilon zeta eta theta iota kappa"
    toks = linebreak.tokens(inner)
    breaks = linebreak.plan(toks, 120.0, 12.0, lambda w: [])
    assert breaks is not None and len(breaks) > 1
    flat = tuple(settlecache._encode(breaks))
    settlecache._enforced.cache_clear()
    calls = []
    real = linebreak.tokens
    monkeypatch.setattr(linebreak, "tokens", lambda html: calls.append(html) or real(html))
    first = settlecache._enforced(inner, len(toks), flat)
    again = settlecache._enforced(inner, len(toks), flat)
    assert first == again == (linebreak.enforce(real(inner), breaks), len(breaks))
    assert len(calls) == 1
    assert settlecache._enforced(inner, len(toks) + 1, flat) is None
    assert settlecache._enforced(inner, len(toks) + 1, flat) is None
    assert len(calls) == 2


def test_long_texts_are_not_kept_in_the_caches():
    """A layout may make strings of a million characters: the caches of
    dates, names and enforced breaks keep none longer than CACHED_CHARS
    (16,384 of them would be gigabytes), and give the same answers."""
    from diglot import facts

    long = "25 fevral 1997 Heydər " * (facts.CACHED_CHARS // 20)
    assert len(long) > facts.CACHED_CHARS
    facts.value_spans.cache_clear()
    typography._protected_in.cache_clear()
    spans = facts.value_spans(long, "az")
    assert long[spans[0][0] : spans[0][1]] == "25 fevral 1997"
    assert "Heydər" in typography.protected_words(f"<p>{long}</p>")
    assert facts.value_spans.cache_info().currsize == 0
    # only the empty text after the paragraph's end is kept
    assert typography._protected_in.cache_info().currsize == 1
    short = "25 fevral 1997"
    assert facts.value_spans(short, "az") == facts.value_spans(short, "az")
    assert facts.value_spans.cache_info().hits == 1
    settlecache._enforced.cache_clear()
    inner = "alpha beta " * (facts.CACHED_CHARS // 10)
    toks = linebreak.tokens(inner)
    breaks = linebreak.plan(toks, 400.0, 12.0, lambda w: [])
    assert breaks is not None
    assert settlecache._enforced(inner, len(toks), tuple(settlecache._encode(breaks))) is not None
    assert settlecache._enforced.cache_info().currsize == 0


def test_entries_moved_whole_in_one_arrangement_are_tried_again_in_the_next(tmp_path):
    """The second settle of a booklet whose colophon moved takes the first
    one's widows, but not the record's entries moved whole (a trial judged
    in the other arrangement, typography.entries_over): carried over, they
    took biography-kk's record onto its back cover. A rebuild of the same
    document keeps them, judged there."""
    html = (
        '<body><p data-tf="1">text</p>'
        '<li data-tf="2"><span class="where">p. 3</span> an entry</li>'
        '<li data-tf="3"><span class="where">p. 4</span> another</li></body>'
    )
    widows = {1: settlecache.widows_css(2), 2: settlecache.widows_css(3)}
    with settlecache.session(tmp_path, "ed", "env"):
        settlecache.recall(html, True, set()).remember({}, set(), widows, set())
        with settlecache.same_paragraphs():
            moved = settlecache.recall(html.replace("<body>", "<body><h1>T</h1>"), True, set())
        again = settlecache.recall(html, True, set())
    assert moved.settled and moved.widows == {1: widows[1]}
    assert again.widows == widows
