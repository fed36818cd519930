"""The fonts diglot prints with: the faces declared, the characters they
can show, the files the PDF gets its glyphs from, and the fontconfig file
that keeps the system's other fonts out."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from diglot import cache, fonts
from tests import pdfread


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "diglot"


def test_every_family_has_the_weights_and_styles_the_styles_use():
    declared = {(f.css_family, f.style, f.weight) for f in fonts.faces()}
    assert declared == {
        (family, style, weight)
        for family in ("Noto Serif", "Noto Sans")
        for style in ("normal", "italic")
        for weight in (400, 600, 700)
    } | {  # and running text's at the other widths of glyph expansion
        (f"Noto Serif hz{percent}pct", style, weight)
        for percent in ("-0.6", "+0.6", "+1.2")
        for style in ("normal", "italic")
        for weight in (400, 700)
    }
    # Noto Serif's own faces are its text width's
    assert {f.wdth for f in fonts.faces() if f.css_family == "Noto Serif"} == {fonts.TEXT_WDTH}
    assert {f.wdth for f in fonts.faces() if f.family == "Noto Sans"} == {None}
    assert fonts.hz_ready()  # conftest made the instances
    css = fonts.font_face_css()
    # the twelve faces, the twelve of the other widths, and the arrows'
    # face for the four arrows alone
    assert css.count("@font-face") == len(fonts.faces()) + 1 == 25
    assert '.hz91 { font-family: "Noto Serif hz-0.6pct", "Noto Serif", serif; }' in css
    assert '.hz92 { font-family: "Noto Serif", serif; }' in css  # the text's width is the face
    # every face is of the normal width to fontconfig, whatever its OS/2
    # table says (an instance at 92 says semi-condensed)
    assert css.count("font-stretch: normal;") == len(fonts.faces())
    assert f'font-family: "{fonts.ARROW_FONT}"' in css and "unicode-range: U+2190-2193" in css
    assert 'font-family: "Noto Sans"; ' in css
    assert "font-style: italic; font-weight: 600; font-stretch: normal; }" in css


def test_a_widths_family_says_how_much_wider_its_letters_are_than_the_texts():
    """The family of each width of glyph expansion, and so the font's name
    in the PDF, gives its letters' width in thousandths of the text face's,
    as read from the instances over the sources' letters (two typographers
    took "wdth91" for letters 9 % narrower)."""
    from fontTools.ttLib import TTFont

    assert fonts.hz_ready()
    repo = Path(__file__).resolve().parent.parent
    letters = [
        c
        for path in sorted((repo / "sources").glob("*/*.md"))
        for c in path.read_text(encoding="utf-8")
        if c.isalpha()
    ]

    def advance(wdth: int) -> int:
        face = next(
            f
            for f in fonts.faces()
            if (f.family, f.wdth, f.style, f.weight) == ("Noto Serif", wdth, "normal", 400)
        )
        with TTFont(face.printed()) as font:
            cmap, metrics = font.getBestCmap(), font["hmtx"]
            return sum(metrics[cmap[ord(c)]][0] for c in letters if ord(c) in cmap)

    base = advance(fonts.HZ_BASE)
    assert len(letters) > 10000 and set(fonts.HZ_PERMILLE) == set(fonts.HZ_WIDTHS) - {fonts.HZ_BASE}
    for wdth, permille in fonts.HZ_PERMILLE.items():
        assert (advance(wdth) / base - 1) * 1000 == pytest.approx(permille, abs=0.5), wdth
        assert fonts.width_family(wdth) == f"Noto Serif hz{permille / 10:+.1f}pct"
        assert fonts.family_width(fonts.width_family(wdth)) == ("Noto Serif", wdth)
    assert fonts.family_width("Noto Serif") == ("Noto Serif", None)
    assert fonts.family_width("Noto Serif hz+0.7pct") == ("Noto Serif hz+0.7pct", None)


def test_each_static_instance_has_its_own_safe_file_name():
    names = [face.static_name() for face in fonts.faces()]
    assert len(set(names)) == len(names)
    for name in names:
        folder, file = name.split("/")
        assert folder == "fonts" and file.endswith(".ttf")
        assert not set("[],/ ") & set(file)


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Heydər Əliyev, Гейдар Алиев, Хайдар Әлиев — «1993» €", set()),
        ("soft\u00adhyphen, zero\u200bwidth, joiner\u200d, marks\u200e\u200f\n\t\r", set()),
        ("हिन्दी", {"ह", "ि", "न", "्", "द", "ी"}),  # Noto Serif has no Devanagari
        ("emoji 😀", {"😀"}),
    ],
)
def test_characters_the_fonts_cannot_show(text, missing):
    assert fonts.uncovered(text) == missing


def test_a_character_is_described_by_its_code_point_and_name():
    assert fonts.describe("ə") == "'ə' (U+0259 LATIN SMALL LETTER SCHWA)"
    assert fonts.describe("\U000e0001") == "'\\U000e0001' (U+E0001 LANGUAGE TAG)"
    assert fonts.describe("\ue000") == "'\\ue000' (U+E000 unnamed character)"


def test_no_glyph_expansion_until_its_widths_are_made(own_cache):
    """The variable file would print at its default width, not the one a
    line was measured at: without the instances of every width no line is
    set at another (no faces, no classes, nothing for total fit)."""
    assert not fonts.hz_ready()
    css = fonts.font_face_css()
    assert "Noto Serif hz" not in css and ".hz" not in css
    assert css.count("@font-face") == 13


def test_printed_from_the_variable_file_until_the_instance_exists(own_cache):
    face = fonts.faces()[0]
    assert face.variable and face.printed() == face.path
    assert face in fonts.missing_static()
    target = cache.entry(face.static_name())
    target.parent.mkdir(parents=True)
    target.write_bytes(b"stand-in")
    assert face.printed() == target and face not in fonts.missing_static()
    static = fonts.Face(face.family, face.path, face.style, face.weight, variable=False)
    assert static.printed() == face.path  # a static file is printed as installed
    assert cache.entry("fonts") in fonts.font_dirs()


def test_nothing_to_make_when_every_instance_exists(own_cache, monkeypatch):
    for face in fonts.faces():
        target = cache.entry(face.static_name())
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"stand-in")
    monkeypatch.setattr(fonts, "_make_static", lambda face: pytest.fail("made again"))
    told: list[str] = []
    assert fonts.prepare_static(jobs=2, report=told.append) == 0 and told == []


def test_fontconfig_knows_only_diglots_fonts():
    config = ET.parse(fonts.fontconfig_file()).getroot()
    assert config.tag == "fontconfig"
    static = cache.entry("fonts")
    assert [d.text for d in config.findall("dir")] == [
        str(d) for d in fonts.font_dirs() if d != static
    ]
    # The variable files are not offered: "Noto Serif" is the text width's
    # instances the @font-face rules load, "Noto Sans" its static instances
    rejected = {g.text for g in config.findall("selectfont/rejectfont/glob")}
    assert rejected == {str(f.path) for f in fonts.faces() if f.variable}
    assert config.find("cachedir") is not None


def test_fontconfig_file_is_kept_in_the_cache_with_its_cache_folder(tmp_path, monkeypatch):
    """One file per configuration, in the machine's cache, written whole;
    its cache folder made before fontconfig looks for it (two builds
    starting at once each made it, and the loser printed "Fontconfig
    error: No writable cache directories"); a cache that cannot be
    written gets a private folder instead of a failed build."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = fonts.fontconfig_file.__wrapped__()
    assert first.parent.parent == cache.directory()
    cachedir = ET.parse(first).getroot().findtext("cachedir")
    assert cachedir == str(first.parent / "cache")
    assert Path(cachedir).is_dir()
    written = first.stat().st_mtime_ns
    assert fonts.fontconfig_file.__wrapped__() == first  # the same file, not rewritten
    assert first.stat().st_mtime_ns == written
    assert {p.name for p in first.parent.iterdir()} == {"cache", "fonts.conf"}
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    private = fonts.fontconfig_file.__wrapped__()
    assert private.parent.name.startswith("diglot-fontconfig-")
    assert (private.parent / "cache").is_dir()


def test_text_in_noto_serif_is_printed_at_the_text_width(tmp_path):
    """What fontconfig would pick for "Noto Serif" without the rules above:
    the variable file at its default width, or the widest instance (whose
    OS/2 table says normal where the text width's says semi-condensed).
    Printed from the text width's instances, upright, italic and bold, a
    line is as wide as total fit measures it."""
    from diglot import linebreak, pdf, weasy

    weasyprint = pdf.load_weasyprint()
    text = "Heydər Əliyev Naxçıvanda doğulub"
    faces = [(False, False), (True, False), (False, True)]
    paragraphs = "".join(
        f'<p style="font-style: {"italic" if i else "normal"}; font-weight: {700 if b else 400}">'
        f"{text}</p>"
        for i, b in faces
    )
    html = (
        f"<style>{fonts.font_face_css()} p {{ font: 20px 'Noto Serif'; margin: 0; "
        f"white-space: nowrap; font-kerning: none }}</style>{paragraphs}"
    )
    document = weasyprint.HTML(string=html).render()
    document.write_pdf(tmp_path / "out.pdf")
    names = {row["name"].split("+")[-1] for row in pdfread.fonts(tmp_path / "out.pdf")}
    assert names == {"Noto-Serif", "Noto-Serif-Italic", "Noto-Serif-Bold"}
    page = weasy.page_box(document.pages[0])
    printed = [box.width for box in weasy.descendants(page) if weasy.is_text(box)]
    for (italic, bold), width in zip(faces, printed, strict=True):
        widths, _ = linebreak._glyph_widths("Noto Serif", italic, bold)
        assert width == pytest.approx(sum(widths[ord(c)] for c in text) * 20, rel=5e-4)
        wide, _ = linebreak._glyph_widths("Noto Serif", italic, bold, max(fonts.HZ_WIDTHS))
        assert width < sum(wide[ord(c)] for c in text) * 20 * 0.99


def test_writing_a_pdf_instances_no_variable_font(run, mini, monkeypatch):
    """Every face of a booklet is printed from its static instance: offered
    a variable Noto Sans beside the rules' instances, fontconfig chose it
    for the headings and WeasyPrint instanced it on every write (0.3 s of
    an 8-page booklet)."""
    from fontTools.varLib import instancer

    instanced: list[dict[str, float]] = []
    original = instancer.instantiateVariableFont

    def spy(font, axes, *args, **kwargs):
        instanced.append(dict(axes))
        return original(font, axes, *args, **kwargs)

    monkeypatch.setattr(instancer, "instantiateVariableFont", spy)
    built = run("build", "demo-az-en", "-j", "1")
    assert built.exit_code == 0, built.output
    assert instanced == []
    names = {row["name"].split("+")[-1] for row in pdfread.fonts(mini / "output/demo-az-en.pdf")}
    assert any(n.startswith("Noto-Sans") for n in names) and "Noto-Serif" in names


def test_static_instances_are_pinned_at_the_default_width(own_cache):
    fonts._default_axes.cache_clear()  # read from the font file, not a stored copy
    try:
        for face in fonts.faces():
            wdth = float(face.wdth or 100)  # the default, but for Noto Serif's widths
            assert face.axes() == {"wdth": wdth, "wght": float(face.weight)}
    finally:
        fonts._default_axes.cache_clear()


def test_an_unwritable_cache_makes_no_instance(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(fonts, "_make_static", lambda face: pytest.fail("instanced"))
    assert fonts.prepare_static(jobs=1) == 0


def test_arrows_are_printed_from_the_upright_regular_face_of_their_family():
    """The record of changes prints "->" as an arrow from ARROW_FAMILY's
    upright regular file (the package has thin to bold, upright and
    italic), so the fonts show the arrows."""
    path = fonts.arrow_file()
    assert path is not None and path.name == "IBMPlexSerif-Regular.ttf"
    assert fonts.arrow_coverage() == frozenset(range(0x2190, 0x2194))
    assert fonts.uncovered("a \u2192 b") == set()
