"""Keep the published corpus honest: alignment, clean text, chronology."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from babel.dates import get_month_names

from diglot import chronology, sources
from diglot.dates import babel_locale

from .conftest import REPO

WORKS = sorted(p for p in (REPO / "sources").iterdir() if p.is_dir())
TEXTS = sorted(p for w in WORKS for p in w.glob("*.md") if p.name != "NOTES.md")
KAZAKH_ONLY = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def docs(work: Path) -> dict[str, sources.Document]:
    return {p.stem: sources.load(p) for p in sorted(work.glob("*.md")) if p.name != "NOTES.md"}


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?…])\s+", text) if len(s.split()) >= 4]


@pytest.mark.parametrize("work", WORKS, ids=lambda p: p.name)
def test_every_segment_is_in_every_language_or_declared(work):
    texts = docs(work)
    original = next(d for d in texts.values() if d.meta.role == "original")
    for lang, doc in texts.items():
        if doc is original:
            continue
        assert doc.meta.original == original.language
        missing = set(original.segments) - set(doc.segments) - set(doc.meta.gaps)
        extra = set(doc.segments) - set(original.segments) - set(original.meta.gaps)
        assert not missing, f"{lang} lacks {sorted(missing)}"
        assert not extra, f"{lang} has {sorted(extra)} that {original.language} lacks"
        assert list(doc.segments) == [s for s in original.segments if s in doc.segments]


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_raw_file_recorded_and_untouched(path):
    doc = sources.load(path)
    raw = doc.meta.provenance.raw
    if doc.meta.role == "original":
        assert raw and (path.parent / raw).is_file()
    seed = REPO.parent / "shared" / "seeds" / Path(raw or "").name
    if raw and seed.is_file():
        assert (path.parent / raw).read_bytes() == seed.read_bytes()


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_paragraph_repeated(path):
    seen: dict[str, str] = {}
    for segment in sources.load(path).segments.values():
        for block in segment.blocks:
            key = " ".join(block.plain.lower().split())
            if len(key) > 40:
                assert key not in seen, f"{segment.id} repeats {seen[key]}"
                seen[key] = segment.id


def az_texts() -> list[Path]:
    return [p for p in TEXTS if p.stem == "az"]


@pytest.mark.parametrize("path", az_texts(), ids=lambda p: p.parent.name)
def test_azerbaijani_has_no_ocr_debris(path):
    doc = sources.load(path)
    text = "\n".join(s.plain for s in doc.segments.values())
    assert not re.search(r"[©¢£®]", text)
    # a digit inside a word ("Respublikas1", "6ndor"); "1993-cü" is fine
    assert not re.findall(r"\b(?=\w*\d)(?=\w*[^\W\d])\w+\b", text)
    for broken in (
        "Heydor",
        "Oliyev",
        "ondor",
        "soyqirim",
        "Azarbaycan",
        "Azorbaycan",
        "xaqli",
        "Respublikasi ",
        "ii",
        "hakimiyyato",
    ):
        assert broken not in text, broken
    # every word uses the Azerbaijani Latin alphabet (plus abbreviations in caps)
    letters = set("abcçdeəfgğhxıijkqlmnoöprsştuüvyzABCÇDEƏFGĞHXIİJKQLMNOÖPRSŞTUÜVYZ")
    odd = {w for w in re.findall(r"[^\W\d_]+", text) if not set(w) <= letters}
    assert not odd, sorted(odd)[:10]


@pytest.mark.parametrize("path", [p for p in TEXTS if p.stem == "kk"], ids=lambda p: p.parent.name)
def test_kazakh_has_no_russian_or_english_sentence(path):
    doc = sources.load(path)
    for segment in doc.segments.values():
        for sentence in sentences(segment.plain):
            latin = sum(1 for c in sentence if "LATIN" in unicodedata.name(c, ""))
            cyrillic = sum(1 for c in sentence if "CYRILLIC" in unicodedata.name(c, ""))
            assert latin <= cyrillic * 0.2, f"{segment.id}: Latin sentence: {sentence[:80]}"
            if len(sentence.split()) >= 8:
                assert KAZAKH_ONLY & set(sentence), f"{segment.id}: Russian? {sentence[:80]}"
        assert "Легитимация" not in segment.plain
        assert "Ауғанстанды басып алу" not in segment.plain


def month_stems(lang: str) -> dict[int, set[str]]:
    locale = babel_locale(lang)
    stems: dict[int, set[str]] = {}
    for context in ("format", "stand-alone"):
        for number, name in get_month_names("wide", context, locale).items():
            stems.setdefault(number, set()).add(name.lower()[:3])
    return stems


@pytest.mark.parametrize(
    "work", [w for w in WORKS if (w / "dates.yaml").exists()], ids=lambda p: p.name
)
def test_every_chronology_date_is_in_the_texts(work):
    texts = docs(work)
    entries = chronology.load(work / "dates.yaml", list(texts)).entries
    assert len(entries) >= 12
    for entry in entries:
        assert entry.segment, f"{entry.date} names no segment"
        for lang, doc in texts.items():
            text = doc.segments[entry.segment].plain.lower()
            numbers = set(re.findall(r"\d+", text))
            assert str(entry.date.year) in numbers or str(entry.date.year) in text, (lang, entry)
            if entry.date.month:
                assert any(stem in text for stem in month_stems(lang)[entry.date.month]), (
                    lang,
                    entry,
                )
            if entry.date.day:
                assert str(entry.date.day) in numbers, (lang, entry)
