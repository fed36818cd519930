"""The per-machine cache: compiled hyphenation patterns, glyph coverage and
static font instances, made once and read back identical."""

from __future__ import annotations

import fcntl
from pathlib import Path

import pyphen
import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from diglot import cache, fonts, hyphenation, pdf
from diglot.errors import FetchRefused


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "diglot"


WORDS = ["Azərbaycan", "müstəqilliyi", "İlham", "Республикасы", "қауіпсіздік", "Азербайджан"]


@pytest.mark.parametrize("lang", hyphenation.LANGUAGES)
def test_compiled_patterns_hyphenate_like_a_fresh_parse(own_cache, lang):
    path = hyphenation.dictionary_path(lang)
    parsed = pyphen.HyphDict(path)
    first = hyphenation.compiled(path)  # parses and stores
    assert list(own_cache.glob(f"hyph_{lang}-*.marshal"))
    second = hyphenation.compiled(path)  # reads the stored patterns
    assert second.patterns == parsed.patterns and second.maxlen == parsed.maxlen
    for word in WORDS:
        assert second.positions(word) == first.positions(word) == parsed.positions(word)


def test_unreadable_entry_is_parsed_again(own_cache):
    path = hyphenation.dictionary_path("az")
    hyphenation.compiled(path)
    (stored,) = own_cache.glob("hyph_az-*.marshal")
    stored.write_bytes(b"\x00garbage")
    assert hyphenation.compiled(path).patterns == pyphen.HyphDict(path).patterns


def test_unwritable_cache_still_works(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = hyphenation.dictionary_path("kk")
    assert hyphenation.compiled(path).patterns == pyphen.HyphDict(path).patterns
    assert fonts.prepare_static() == 0


def test_coverage_is_the_same_read_back(own_cache, monkeypatch):
    fonts.coverage.cache_clear()
    made = fonts.coverage()
    assert list(own_cache.glob("coverage-*.marshal"))
    fonts.coverage.cache_clear()
    monkeypatch.setattr(TTFont, "getBestCmap", lambda self: pytest.fail("cmap read again"))
    try:
        assert fonts.coverage() == made and ord("ə") in made
    finally:
        fonts.coverage.cache_clear()


@pytest.fixture(scope="module")
def small_variable_font(tmp_path_factory):
    """Noto Serif's variable file cut down to a few letters: instancing it
    takes a moment, the whole file ten seconds."""
    face = next(f for f in fonts.faces() if f.family == "Noto Serif" and f.style == "normal")
    options = subset.Options()
    font = TTFont(face.path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="Həgw")
    subsetter.subset(font)
    path = tmp_path_factory.mktemp("font") / "Small[wdth,wght].ttf"
    font.save(path)
    font.close()
    return path


def test_static_instance_is_static_and_reproducible(small_variable_font, tmp_path):
    bold, again, regular = tmp_path / "bold.ttf", tmp_path / "again.ttf", tmp_path / "regular.ttf"
    fonts.instantiate(small_variable_font, {"wght": 700.0, "wdth": 100.0}, bold)
    fonts.instantiate(small_variable_font, {"wght": 700.0, "wdth": 100.0}, again)
    fonts.instantiate(small_variable_font, {"wght": 400.0, "wdth": 100.0}, regular)
    assert bold.read_bytes() == again.read_bytes()
    with TTFont(bold) as b, TTFont(regular) as r, TTFont(small_variable_font) as v:
        assert "fvar" not in b and "gvar" not in b
        assert b["head"].modified == v["head"].modified
        glyph = b.getBestCmap()[ord("g")]
        b_width = b["hmtx"][glyph][0]
        r_width = r["hmtx"][glyph][0]
        assert b_width > r_width  # a bold g is wider than a regular one


def test_font_rules_point_at_static_instances_once_made(own_cache, monkeypatch, tmp_path):
    face = fonts.faces()[0]
    assert face.variable and f'url("{face.path.as_uri()}")' in fonts.font_face_css()
    # Stand-in instance: copying the variable file is enough to be served.
    target = cache.entry(face.static_name())
    target.parent.mkdir(parents=True)
    target.write_bytes(face.path.read_bytes())
    assert face not in fonts.missing_static()
    assert f'url("{target.as_uri()}")' in fonts.font_face_css()
    assert face.path.as_uri() not in fonts.font_face_css().split("\n")[0]
    # The fetcher serves the static instances, and nothing else of the cache.
    css = f"<style>{fonts.font_face_css()} p {{ font-family: 'Noto Serif' }}</style>"
    page = f"<html><head>{css}</head><body><p>text</p></body></html>"
    project = tmp_path / "project"
    project.mkdir()
    document, warnings = pdf.render(page, project, [project])
    assert warnings == [] and len(document.pages) == 1
    (own_cache / "other.css").write_text("p { color: red }")
    sneaky = f'<html><head><link rel="stylesheet" href="{(own_cache / "other.css").as_uri()}">'
    with pytest.raises(FetchRefused, match="outside the project"):
        pdf.render(sneaky + "</head><body><p>x</p></body></html>", project, [project])


def test_prepare_static_makes_each_face_once(own_cache, small_variable_font, monkeypatch):
    faces = (
        fonts.Face("Small", small_variable_font, "normal", 400, variable=True),
        fonts.Face("Small", small_variable_font, "normal", 700, variable=True),
    )
    monkeypatch.setattr(fonts, "faces", lambda: faces)
    messages: list[str] = []
    assert fonts.prepare_static(jobs=2, report=messages.append) == 2
    assert len(messages) == 1 and "2 font faces" in messages[0]
    made = sorted((own_cache / "fonts").glob("Small-*.ttf"))
    assert [p.name.rsplit("-", 1)[-1] for p in made] == ["wght400.ttf", "wght700.ttf"]
    assert all(face.printed() in made for face in faces)
    assert fonts.prepare_static(jobs=2, report=messages.append) == 0  # nothing left to make
    assert len(messages) == 1


def test_store_makes_an_entry_once_and_keeps_it(own_cache):
    calls: list[Path] = []

    def write(tmp: Path) -> None:
        calls.append(tmp)
        tmp.write_text("made")

    made = cache.store("entry", write)
    assert made == own_cache / "entry" and made.read_text() == "made"
    assert cache.lookup("entry") == made
    # Readable by the other users of the machine, never executable.
    assert made.stat().st_mode & 0o777 == 0o644
    assert cache.store("entry", lambda tmp: pytest.fail("made again")) == made
    assert len(calls) == 1 and not calls[0].exists()  # the temporary file was renamed
    assert [p.name for p in own_cache.iterdir()] == ["entry"]


def test_a_failed_write_leaves_no_entry_and_no_temporary_file(own_cache):
    def fail(tmp: Path) -> None:
        tmp.write_text("half")
        raise OSError("disk full")

    assert cache.store("entry", fail) is None
    assert cache.lookup("entry") is None
    assert list(own_cache.iterdir()) == []


def test_unwritable_cache_stores_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert cache.store("entry", lambda tmp: pytest.fail("written")) is None
    cache.store_data("data", {"a": 1})
    assert cache.load_data("data") is None
    with cache.locked("name") as held:
        assert held is False


def test_data_is_read_back_as_stored(own_cache):
    assert cache.load_data("data") is None
    value = {"words": ("a", "b"), "count": 3, "set": frozenset({1, 2})}
    cache.store_data("data", value)
    assert cache.load_data("data") == value
    (stored,) = own_cache.glob("data-*.marshal")
    stored.write_bytes(b"\xff")  # not marshal's
    assert cache.load_data("data") is None


def test_lock_is_exclusive_while_held(own_cache):
    with cache.locked("fonts") as held:
        assert held is True
        lock = own_cache / ".fonts.lock"
        with lock.open("a") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with lock.open("a") as other:  # released after the body
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_file_digest_follows_the_content(tmp_path):
    first, same, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    big = b"x" * (3 << 20)  # read in several blocks
    first.write_bytes(big)
    same.write_bytes(big)
    other.write_bytes(big[:-1] + b"y")
    assert cache.file_digest(first) == cache.file_digest(same)
    assert cache.file_digest(first) != cache.file_digest(other)


def test_stored_data_is_for_this_python_only(own_cache):
    """marshal's format belongs to the Python version that wrote it: an
    entry carries that version (major and minor) in its name, so another
    Python makes its own instead of reading this one's."""
    import sys

    cache.store_data("data", [1, 2])
    version = f"py{sys.version_info.major}{sys.version_info.minor}"
    assert [p.name for p in own_cache.glob("data-*")] == [f"data-{version}.marshal"]


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """The names of the layouts Jinja compiles (not read back from a cache)."""
    from diglot import render

    names: list[str] = []
    compile_ = render.LayoutSandbox.compile

    def counted(self, source, name=None, filename=None, *args, **kwargs):
        names.append(name)
        return compile_(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(render.LayoutSandbox, "compile", counted)
    return names


def test_builtin_layouts_are_compiled_once_per_machine(own_cache, mini, compiled):
    import jinja2

    from diglot import render

    def load() -> jinja2.Template:
        render._environment.cache_clear()
        return render.environment(mini).get_template("booklet.html.j2")

    first = load()
    assert compiled == ["booklet.html.j2"]
    stored = sorted(own_cache.glob("jinja-*/*.bc"))
    assert len(stored) == 1
    again = load()  # read back, not compiled
    assert compiled == ["booklet.html.j2"]
    assert again.root_render_func.__code__.co_code == first.root_render_func.__code__.co_code
    stored[0].write_bytes(b"garbage")  # a damaged entry is compiled again
    third = load()
    assert compiled == ["booklet.html.j2"] * 2
    assert third.root_render_func.__code__.co_code == first.root_render_func.__code__.co_code
    load()  # and stored anew
    assert compiled == ["booklet.html.j2"] * 2


def test_a_changed_builtin_layout_gets_an_entry_of_its_own(own_cache, mini, compiled, monkeypatch):
    """A newer diglot's layout has the name of the old one: its entry is
    new, where the old entry would be refused and the layout compiled again
    on every build."""
    import shutil

    from diglot import render

    builtin = mini / "installed"
    shutil.copytree(render.BUILTIN / "layouts", builtin / "layouts")
    monkeypatch.setattr(render, "BUILTIN", builtin)

    def load() -> str:
        render._environment.cache_clear()
        return render.environment(mini).get_template("booklet.html.j2").render(x=1)

    booklet = builtin / "layouts" / "booklet.html.j2"
    booklet.write_text("<p>{{ x }}</p>", encoding="utf-8")
    assert load() == "<p>1</p>"
    booklet.write_text("<p>{{ x + 1 }}</p>", encoding="utf-8")
    assert load() == "<p>2</p>"
    assert load() == "<p>2</p>"
    assert compiled == ["booklet.html.j2"] * 2
    assert len(list(own_cache.glob("jinja-*/*.bc"))) == 2


def test_a_projects_own_layout_is_never_written_to_the_machine(own_cache, mini):
    from diglot import render

    (mini / "layouts").mkdir()
    (mini / "layouts" / "booklet.html.j2").write_text("<p>{{ 6 * 7 }}</p>", encoding="utf-8")
    render._environment.cache_clear()
    assert render.environment(mini).get_template("booklet.html.j2").render() == "<p>42</p>"
    assert not list(own_cache.glob("jinja-*/*"))


def test_a_projects_unchanged_copy_of_a_layout_shares_its_compiled_code(own_cache, mini, compiled):
    """A project's layouts/ as ``diglot layouts`` writes them compile once per
    machine like diglot's own; a copy changed by one character is the
    project's own layout again: compiled every time, never stored."""
    from diglot import render

    own = render.BUILTIN / "layouts" / "booklet.html.j2"
    copy = mini / "layouts" / "booklet.html.j2"
    copy.parent.mkdir()
    copy.write_bytes(own.read_bytes().replace(b"\n", b"\r\n"))  # the same source to Jinja

    def load() -> str:
        render._environment.cache_clear()
        return render.environment(mini).get_template("booklet.html.j2").filename

    assert load() == str(copy)
    assert load() == str(copy)
    assert compiled == ["booklet.html.j2"]  # the second read the stored code
    stored = sorted(own_cache.glob("jinja-*/*.bc"))
    assert len(stored) == 1
    copy.write_text(own.read_text(encoding="utf-8") + "{# edited #}", encoding="utf-8")
    load()
    load()
    assert compiled == ["booklet.html.j2"] * 3
    assert sorted(own_cache.glob("jinja-*/*.bc")) == stored
