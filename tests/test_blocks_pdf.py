"""Every block kind in every layout: build real PDFs and read them back."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from diglot import project as project_mod
from diglot import render, sources
from diglot.build import build
from diglot.errors import SourceError

from .conftest import write_project
from .pdfread import page_text

FRONT = """\
---
title: {title}
language: {lang}
role: {role}
{original}provenance:
  source: Test fixture
  licence: CC0-1.0
---
"""

# Unique words mark where each note is called and what its text is, so
# that a page can be found from pdftotext's output.
BODY = """
{{#h}}
## {heading}

{{#p1}}
{lang}callalpha[^a] text, then a [web link](https://example.org/{lang}) and
more {lang}callbeta[^b] words.

[^a]: {lang}notealpha body.
[^b]: {lang}notebeta body.

{{#lists}}
- {w} bulletone
- {w} bullettwo
  1. {w} nestedone
  2. {w} nestedtwo

3. {w} orderedthree
4. {w} orderedfour

{{#quote}}
> {w} quotedline that is quoted\\
> and broken here.

{{#verse}}
::: verse
{w} verseone
{w} versetwo
    {w} versethree indented
{w} versefour
{w} versefive

{w} versesix {lang}callgamma[^c]
:::

[^c]: {lang}notegamma body.

{{#img}}
![{w} picture of a gradient](images/pic.png)

{{#end}}
---

{w} closing paragraph.
"""

LANGS = {
    "ru": {"title": "Проба", "heading": "Заголовок", "w": "Слово", "role": "original"},
    "en": {"title": "Sample", "heading": "Heading", "w": "Word", "role": "translation"},
}

EDITIONS = {
    "booklet": ("booklet", "A5", ""),
    "facing": ("facing", "A5", ""),
    "handout": ("handout", "A4", ""),
    "handout-2col": ("handout", "Letter", "columns = 2\n"),
    "endnotes": ("booklet", "A5", 'notes = "endnotes"\n'),
    "accessible": ("handout", "A4", 'pdf = "accessible"\n'),
}

MARKUP = ("[^", "- ", "> ", ":::", "![", "](", "**")


def _files() -> dict[str, str]:
    files = {}
    for lang, words in LANGS.items():
        original = "original: ru\n" if lang == "en" else ""
        files[f"sources/demo/{lang}.md"] = FRONT.format(
            lang=lang, original=original, **words
        ) + BODY.format(lang=lang, **words)
    toml = ""
    for name, (layout, paper, extra) in EDITIONS.items():
        toml += (
            f'[[edition]]\nname = "{name}"\nwork = "demo"\nlanguages = ["ru", "en"]\n'
            f'layout = "{layout}"\npaper = "{paper}"\ndate = 2026-11-23\n{extra}\n'
        )
    files["diglot.toml"] = toml
    return files


def _image(path: Path) -> None:
    """A 120×60 picture shading from navy to white (Pillow comes with
    WeasyPrint; ImageMagick is not on every machine)."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (120, 60))
    for y in range(60):
        t = y / 59
        colour = (round(255 * t), round(255 * t), round(128 + 127 * t))
        image.paste(colour, (0, y, 120, y + 1))
    image.save(path)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("blocks"), _files())
    _image(root / "sources/demo/images/pic.png")
    project = project_mod.load(root)
    return {e.name: build(e) for e in project.editions}


def pages(path: Path) -> list[str]:
    count = len(PdfReader(path).pages)
    return [page_text(path, n) for n in range(1, count + 1)]


def page_of(texts: list[str], word: str) -> list[int]:
    return [i + 1 for i, t in enumerate(texts) if word in t]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(EDITIONS))
def test_no_markup_characters_are_printed(built, name):
    raw = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(built[name].path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for mark in MARKUP:
        assert mark not in raw, f"{mark!r} printed in {name}"
    assert not re.search(r"(?m)^\s*[-*>]\s", raw)
    for w in ("Слово", "Word"):
        for word in ("bulletone", "nestedtwo", "orderedfour", "quotedline", "versesix"):
            assert f"{w} {word}" in re.sub(r"\s+", " ", raw)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["booklet", "facing", "handout", "handout-2col"])
def test_each_footnote_is_on_the_page_of_its_call(built, name):
    texts = pages(built[name].path)
    for lang in ("ru", "en"):
        for x in ("alpha", "beta", "gamma"):
            calls, notes = page_of(texts, f"{lang}call{x}"), page_of(texts, f"{lang}note{x}")
            assert len(notes) == 1 and calls == notes, (lang, x, calls, notes)


@pytest.mark.slow
def test_facing_notes_stay_with_their_language_and_are_numbered_per_language(built):
    texts = pages(built["facing"].path)
    (ru,) = page_of(texts, "runotealpha")
    (en,) = page_of(texts, "ennotealpha")
    assert ru % 2 == 0 and en == ru + 1  # original on the left page, translation on the right
    for page, lang in ((ru, "ru"), (en, "en")):
        assert re.search(rf"1\. {lang}notealpha body\. 2\. {lang}notebeta", texts[page - 1])
        assert re.search(rf"{lang}callalpha1 .*{lang}callbeta2", texts[page - 1])


@pytest.mark.slow
@pytest.mark.parametrize("name", ["booklet", "facing", "handout"])
def test_verse_keeps_its_lines_and_numbers_every_fifth(built, name):
    layout = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(built[name].path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = layout.split("\n")
    for w in ("Слово", "Word"):
        found = [
            next(i for i, line in enumerate(lines) if f"{w} verse{n}" in line)
            for n in ("one", "two", "three", "four", "five", "six")
        ]
        assert found == sorted(set(found)), "each verse line on its own line"
        # the number before its line; a side-by-side booklet's last column
        # has its numbers in the outer margin, after the line
        after = name == "booklet" and w == "Word"
        five = rf"{w} versefive\s+5(\s|$)" if after else rf"(^|\s)5\s+{w} versefive"
        assert re.search(five, lines[found[4]]), lines[found[4]]
        assert not re.search(rf"\d\s+{w} versefour|{w} versefour\s+\d", lines[found[3]])
        indent = lines[found[2]].index(f"{w} versethree") - lines[found[1]].index(f"{w} versetwo")
        assert indent > 0, "the indented line stays indented"


@pytest.mark.slow
@pytest.mark.parametrize("name", list(EDITIONS))
def test_image_is_embedded_and_link_is_an_annotation(built, name):
    reader = PdfReader(built[name].path)
    images = [img for page in reader.pages for img in page.images]
    assert images  # the picture (one file, shown in each language)
    uris = set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.add(str(action["/URI"]))
    assert {"https://example.org/ru", "https://example.org/en"} <= uris


@pytest.mark.slow
def test_endnotes_come_after_the_text_and_calls_link_to_them(built):
    path = built["endnotes"].path
    texts = pages(path)
    (ru_note,) = page_of(texts, "runotealpha")
    assert ru_note > max(page_of(texts, "Слово closing paragraph"))
    assert page_of(texts, "ennotealpha") and "Примечания" in texts[ru_note - 1]
    names = PdfReader(path).named_destinations
    assert {"endnote-ru-1", "endnote-en-3"} <= set(names)


@pytest.mark.slow
def test_picture_description_is_its_alternative_text_in_a_tagged_pdf(built):
    reader = PdfReader(built["accessible"].path)
    alts = []
    todo = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while todo:
        node = todo.pop().get_object()
        if not isinstance(node, dict):
            continue
        if node.get("/S") == "/Figure":
            alts.append(str(node.get("/Alt")))
        kids = node.get("/K", [])
        todo += kids if isinstance(kids, list) else [kids]
    # side by side, the same picture in both texts is printed once, described
    # in both languages
    assert alts == ["Слово picture of a gradient / Word picture of a gradient"]


def test_images_must_be_files_inside_the_project(tmp_path):
    front = FRONT.format(lang="en", original="", role="original", title="T")
    source = tmp_path / "proj/sources/w/en.md"
    source.parent.mkdir(parents=True)
    (tmp_path / "outside.png").write_bytes(b"x")
    for src, line, message in (
        ("../../../outside.png", 10, "outside the project"),
        ("images/none.png", 10, "file not found"),
    ):
        source.write_text(front + f"{{#p}}\n![alt]({src})\n", encoding="utf-8")
        doc = sources.load(source)
        with pytest.raises(SourceError, match=message) as err:
            render.image_files(tmp_path / "proj", doc)
        assert err.value.line == line and err.value.path == source


def test_a_changed_picture_makes_its_editions_stale(mini):
    from diglot import incremental

    edition = project_mod.load(mini).edition("demo-az-en")
    picture = mini / "sources/demo/images/map.png"
    picture.parent.mkdir()
    picture.write_bytes(b"one")
    before = incremental.inputs_digest(edition)
    picture.write_bytes(b"two")
    assert incremental.inputs_digest(edition) != before


@pytest.mark.slow
def test_unsupported_markdown_is_a_build_warning_with_its_line(mini):
    from click.testing import CliRunner

    from diglot.cli import cli

    en = mini / "sources/demo/en.md"
    en.write_text(en.read_text() + "\n| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    line = en.read_text().split("\n").index("| a | b |") + 1
    result = CliRunner().invoke(cli, ["--project", str(mini), "build", "demo-en"])
    assert result.exit_code == 0
    assert f"demo-en: warning: sources/demo/en.md:{line}: tables are not supported" in (
        result.output
    )


@pytest.mark.slow
def test_long_verse_and_list_continue_across_facing_spreads(tmp_path):
    verse = "\n".join(f"{{w}} line{n} of the long poem" for n in range(1, 41))
    items = "\n".join(f"- {{w}} item{n}" for n in range(1, 31))
    body = (
        "{{#h}}\n## {heading}\n\n{{#v}}\n::: verse\n" + verse + "\n:::\n\n{{#l}}\n" + items + "\n"
    )
    files = {
        f"sources/demo/{lang}.md": FRONT.format(
            lang=lang, original="original: ru\n" if lang == "en" else "", **words
        )
        + body.format(**words)
        for lang, words in LANGS.items()
    }
    files["diglot.toml"] = (
        '[[edition]]\nname = "long"\nwork = "demo"\nlanguages = ["ru", "en"]\n'
        'layout = "facing"\npaper = "A6"\ndate = 2026-11-23\n'
    )
    root = write_project(tmp_path / "long", files)
    result = build(project_mod.load(root).edition("long"))  # verifies every segment level
    texts = pages(result.path)
    for w in ("Слово", "Word"):
        where = [page_of(texts, f"{w} line{n} ") for n in range(1, 41)]
        assert all(len(p) == 1 for p in where)
        pages_used = [p[0] for p in where]
        assert pages_used == sorted(pages_used) and pages_used[-1] > pages_used[0]
        items = [page_of(texts, f"{w} item{n}")[0] for n in (1, 30)]
        assert items[1] > items[0]
    joined = " ".join(texts)
    for number in (5, 10, 35, 40):
        assert re.search(rf"\b{number} (Слово|Word) line{number} ", joined)


@pytest.mark.slow
def test_facing_verse_lines_stand_level_when_one_language_wraps(tmp_path):
    long = " ".join(["very long words"] * 12)
    files = {}
    for lang, words in LANGS.items():
        second = f"{lang}versetwo {long}" if lang == "en" else f"{lang}versetwo"
        body = (
            f"{{#v}}\n::: verse\n{lang}verseone\n{second}\n{lang}versethree\n\n"
            f"{lang}versefour\n:::\n"
        )
        original = "original: ru\n" if lang == "en" else ""
        files[f"sources/demo/{lang}.md"] = (
            FRONT.format(lang=lang, original=original, **words) + body
        )
    files["diglot.toml"] = (
        '[[edition]]\nname = "v"\nwork = "demo"\nlanguages = ["ru", "en"]\n'
        'layout = "facing"\npaper = "A6"\ndate = 2026-11-23\n'
    )
    root = write_project(tmp_path / "v", files)
    pdf = build(project_mod.load(root).edition("v")).path
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    tops = {
        m[2]: float(m[1]) for m in re.finditer(r'yMin="([\d.]+)"[^>]*>((?:ru|en)verse\w+)<', out)
    }
    for word in ("one", "two", "three", "four"):
        assert abs(tops[f"ruverse{word}"] - tops[f"enverse{word}"]) < 0.5, word
    assert tops["enversethree"] - tops["enversetwo"] > 2 * (tops["enversetwo"] - tops["enverseone"])


def test_a_quoted_lines_turnover_hangs_under_it(tmp_path):
    """A quoted line of verse too long for its column turns over and its
    turnover starts right of the quoted lines' starts (set flush under them,
    a reader read the Sail's couplet as three lines); the next line starts
    with the first. (The Sail's couplet no longer turns over: styles/
    booklet.css sets quoted verse in by less side by side.)"""
    import weasyprint

    from diglot import fonts

    from .pdfread import words

    css = (Path(__file__).parent.parent / "styles" / "blocks.css").read_text(encoding="utf-8")
    html = (
        f"<html><head><style>{fonts.font_face_css()}</style><style>{css}</style>"
        "<style>@page { size: 70mm 50mm; margin: 5mm } body { font: 10pt 'Noto Serif' }</style>"
        "</head><body><blockquote><div class='quote-lines'>"
        "<p class='verse-line'>Firstword and a line of quoted verse too long to stand whole</p>"
        "<p class='verse-line'>Nextline</p></div></blockquote></body></html>"
    )
    pdf = tmp_path / "quote.pdf"
    weasyprint.HTML(string=html).write_pdf(pdf)
    found = words(pdf, 1)
    first = next(w for w in found if w[4] == "Firstword")
    below = [w for w in found if w[1] > first[1] + 5 and w[4] != "Nextline"]
    turned = min(below, key=lambda w: w[0])
    following = next(w for w in found if w[4] == "Nextline")
    assert turned[0] > first[0] + 5, (first, turned)
    assert abs(following[0] - first[0]) < 0.5, (first, following)
