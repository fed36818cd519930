"""Behaviour the mutation run found untested: which comparisons the
``duplicate-segment`` check makes again from a kept state (and that a
malformed state means comparing everything afresh), how the foreign-language
guess weighs its evidence, and which files and folders are texts and works."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from diglot.check import duplicate_segment, guess_language
from diglot.check.duplicate_segment import repeats_since
from diglot.repeats import Repeat, find_repeats, normalise
from diglot.works import load_work, text_files, work_names

# -- duplicate-segment: what a kept state saves -------------------------------------

EXACT = "The village was large and the river flowed past the mountains all year long."
NEAR = "The village was large and the river flowed past the mountains all years long."
REWORDED_A = (
    "Twenty pilots from the northern airfield flew over the mountains before the storm "
    "reached the valley."
)
REWORDED_B = (
    "Before the storm reached the valley, twenty pilots of the northern airfield were "
    "flying above mountains."
)


def other(seed: int) -> str:
    """A paragraph of made-up words, like no other paragraph here."""
    letters = random.Random(seed)
    return " ".join(
        "".join(letters.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(7)) for _ in range(8)
    )


# a copy of paragraph 0, a near copy of it, and a reworded pair
TEXTS = [EXACT, other(1), EXACT, NEAR, REWORDED_A, REWORDED_B]


def compared(
    monkeypatch: pytest.MonkeyPatch, texts: list[str], state: Any
) -> tuple[list[Repeat], int, dict[str, Any]]:
    """The repeats :func:`repeats_since` finds, how many pairs of paragraphs
    it compared to find them, and the state it keeps (as stored: JSON)."""
    calls: list[int] = []
    real = duplicate_segment.repeat_of

    def counted(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    with monkeypatch.context() as patch:
        patch.setattr(duplicate_segment, "repeat_of", counted)
        repeats, kept = repeats_since(texts, state)
    return repeats, len(calls), json.loads(json.dumps(kept))


def test_the_repeats_kept_for_unchanged_texts_are_reused_without_comparing(monkeypatch):
    """With the state of the same texts, exact, near and reworded repeats
    (one of paragraph 0) are reported again and no pair is compared."""
    first, fresh_calls, state = compared(monkeypatch, TEXTS, None)
    assert first == find_repeats(TEXTS)
    assert [(r.later, r.earlier, r.reworded) for r in first] == [
        (2, 0, False),
        (3, 0, False),
        (5, 4, True),
    ]
    assert fresh_calls > 0
    again, calls, _ = compared(monkeypatch, TEXTS, state)
    assert again == first
    assert calls == 0


def good_state() -> dict[str, Any]:
    return repeats_since(TEXTS, None)[1]


def with_item(item: Any, at: int = 2) -> dict[str, Any]:
    state = json.loads(json.dumps(good_state()))
    state["found"][at] = item
    return state


def with_key(key: str, value: Any) -> dict[str, Any]:
    state = json.loads(json.dumps(good_state()))
    state[key] = value
    return state


MALFORMED = {
    "not a dict": lambda: [good_state()],
    "no found": lambda: {"digests": good_state()["digests"]},
    "digests a string": lambda: with_key("digests", "".join(good_state()["digests"])),
    "found a dict": lambda: with_key("found", dict(enumerate(good_state()["found"]))),
    "found one longer": lambda: with_key("found", [*good_state()["found"], None]),
    "found one shorter": lambda: with_key("found", good_state()["found"][:-1]),
    "a digest not a string": lambda: with_key("digests", [1, *good_state()["digests"][1:]]),
    "item a number": lambda: with_item(7),
    "item a string of four": lambda: with_item("0100"),
    "item of three": lambda: with_item([0, 1.0, 0]),
    "item of five": lambda: with_item([0, 1.0, 0, 0, 0]),
    "repeats itself": lambda: with_item([2, 1.0, 0, 0]),
    "repeats a later one": lambda: with_item([4, 1.0, 0, 0]),
    "negative earlier": lambda: with_item([-1, 1.0, 0, 0]),
    "earlier a string": lambda: with_item(["0", 1.0, 0, 0]),
    "earlier a float": lambda: with_item([0.0, 1.0, 0, 0]),
    "earlier a boolean": lambda: with_item([True, 1.0, 0, 0]),
    "ratio a string": lambda: with_item([0, "1.0", 0, 0]),
    "ratio an integer": lambda: with_item([0, 1, 0, 0]),
    "shared a string": lambda: with_item([0, 1.0, "0", 0]),
    "shared a float": lambda: with_item([0, 1.0, 0.0, 0]),
    "union missing": lambda: with_item([0, 1.0, 0, None]),
    "reworded union a float": lambda: with_item([4, None, 9, 15.0], at=5),
}


@pytest.mark.parametrize("make", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_kept_state_means_comparing_everything_afresh(monkeypatch, make):
    """A kept state that is not what the last run wrote (a damaged or edited
    cache) is ignored as a whole: the repeats are those found from scratch,
    with every comparison made again, and nothing is taken from it."""
    expected, fresh_calls, _ = compared(monkeypatch, TEXTS, None)
    repeats, calls, _ = compared(monkeypatch, TEXTS, make())
    assert repeats == expected == find_repeats(TEXTS)
    assert calls == fresh_calls


def test_a_repeat_after_an_edit_keeps_its_earlier_copy_uncompared(monkeypatch):
    """The first two paragraphs edited, a pair of copies after them: the copy
    still repeats the paragraph before it, which is not compared again; only
    the edited paragraphs are compared (with each other and with the
    paragraphs after them)."""
    before = [other(10), other(11), EXACT, EXACT]
    after = [other(20), other(21), EXACT, EXACT]
    _, _, state = compared(monkeypatch, before, None)
    repeats, calls, _ = compared(monkeypatch, after, state)
    assert repeats == find_repeats(after) == [Repeat(3, 2, 1.0)]
    assert calls == 1 + 2 + 2


def test_an_edit_before_the_copied_paragraph_keeps_the_repeat_uncompared(monkeypatch):
    """Only the first paragraph edited, before a paragraph and its copy: the
    copy's repeat is moved along, not compared again."""
    before = [other(30), REWORDED_A, REWORDED_B]
    after = [other(31), REWORDED_A, REWORDED_B]
    _, _, state = compared(monkeypatch, before, None)
    repeats, calls, _ = compared(monkeypatch, after, state)
    assert repeats == find_repeats(after)
    assert [(r.later, r.earlier, r.reworded) for r in repeats] == [(2, 1, True)]
    assert calls == 2  # the edited paragraph with each of the two after it


@pytest.mark.parametrize("state", [None, "kept"])
def test_paragraphs_of_forty_characters_are_compared(monkeypatch, state):
    """Forty characters (normalised) is long enough for a repeat, from
    scratch and from a kept state; thirty-nine is not."""
    forty = "Forty characters make a paragraph longer."
    assert len(normalise(forty)) == 40
    texts = [forty, other(40), forty]
    kept = compared(monkeypatch, texts, None)[2] if state else None
    assert compared(monkeypatch, texts, kept)[0] == [Repeat(2, 0, 1.0)]
    short = forty.replace("longer", "large")
    assert len(normalise(short)) == 39
    texts = [short, other(40), short]
    kept = compared(monkeypatch, texts, None)[2] if state else None
    assert compared(monkeypatch, texts, kept)[0] == []


# -- foreign-language: weighing the evidence -------------------------------------------


def test_a_kazakh_sentence_with_a_russian_ending_is_kazakh():
    """In an English text, a Kazakh sentence with one word that ends like a
    Russian one (экономия) is Kazakh: five words with letters only Kazakh
    has outweigh it."""
    sentence = "Ол университетте тарих пен экономия пәнін оқыды, кейін министрлікте қызмет етті."
    assert guess_language(sentence, "en") == "kk"


def test_a_russian_sentence_naming_a_kazakh_place_is_russian():
    """In an English text, a Russian sentence with Russian endings is Russian
    even though one word (Қарағанды) has letters Russian lacks."""
    sentence = "Он родился в маленьком городе и потом долго работал инженером в Қарағанды."
    assert guess_language(sentence, "en") == "ru"


def test_on_equal_evidence_the_alphabet_with_all_the_letters_wins_even_all_of_them():
    """In a Russian text, a Latin sentence using every Azerbaijani letter,
    with as many words of English letter patterns (th, sh, ph, ck) as of
    Azerbaijani letters, is Azerbaijani: English lacks ə, ğ, ı..."""
    sentence = "Ğəthx ışch öşph çück abcdefgijklmnopqrstuvyz."
    assert guess_language(sentence, "ru") == "az"


@pytest.mark.parametrize(
    "sentence",
    [
        # two of six words with Azerbaijani letters: the least evidence counted
        "Kitab dekabr ayında Bakida çap olundu.",
        # three of ten: exactly the share that counts
        "Kitab dekabr ayında Bakida çap olundu, sonra yenə Moskvada basildi.",
    ],
)
def test_azerbaijani_at_the_edge_of_the_evidence_is_reported(sentence):
    """In an English text, a sentence is Azerbaijani from two words with
    letters English lacks that are also three tenths of its words."""
    assert guess_language(sentence, "en") == "az"
    assert guess_language(sentence.replace("ayında", "ayinda"), "en") is None


# -- works and their texts ---------------------------------------------------------------


def test_only_folders_with_texts_are_works_and_only_language_files_are_texts(tmp_path):
    """A folder under sources/ with no text is not a work, a file there is
    not either; a text is a Markdown file named by a lower-case language tag
    Babel knows (not qq.md, EN.md or notes.md)."""
    sources = tmp_path / "sources"
    (sources / "empty").mkdir(parents=True)
    (sources / "notes").mkdir()
    (sources / "notes" / "README.txt").write_text("not a text\n")
    (sources / "demo").mkdir()
    for name in ["en.md", "az.md", "qq.md", "EN.md", "notes.md", "en.txt"]:
        (sources / "demo" / name).write_text("")
    (sources / "loose.md").write_text("")
    assert work_names(tmp_path) == ["demo"]
    assert [p.name for p in text_files(sources / "demo")] == ["az.md", "en.md"]


def test_check_ignores_folders_without_texts_and_files_not_named_by_a_language(run, mini):
    """``diglot check`` of a clean project stays clean with an empty folder
    under sources/ and Markdown files in a work that are not named by a
    language tag; the work's texts are still the two it has."""
    (mini / "sources" / "drafts").mkdir()
    for name in ["qq.md", "EN.md", "README.md"]:
        (mini / "sources" / "demo" / name).write_text("# not a text\n")
    result = run("check")
    assert result.exit_code == 0 and result.output == ""
    assert sorted(doc.path.name for doc in load_work(Path(mini), "demo")) == ["az.md", "en.md"]
