"""What a careless user (or a hostile project) can do to a build, and what
diglot answers: one edition's failure stays that edition's, outputs are
rebuilt when anything they depend on changes and are the same bytes
wherever the project lives, and broken files get one-line errors."""

from __future__ import annotations

import json
import os
import re
import signal
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfWriter

from diglot import build as build_mod
from diglot import files
from diglot import project as project_mod
from diglot.cli import cli
from diglot.preview import parse_pages

from .badinputs import MINI
from .conftest import write_project

ATTACHMENT = (
    '{% extends "_base.html.j2" %}\n'
    '{% block styles %}<link rel="stylesheet" href="{{ stylesheet(\'booklet.css\') }}">\n'
    '<link rel="attachment" href="file:///etc/passwd">{% endblock %}\n'
)


def invoke(project: Path, monkeypatch, *args: str):
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result


def manifest(project: Path) -> dict:
    return json.loads((project / "output" / ".diglot-manifest.json").read_text())


# -- item 5: one broken edition in a parallel batch ---------------------------------


@pytest.mark.slow
def test_refused_attachment_in_a_parallel_batch_fails_only_its_editions(mini, monkeypatch):
    (mini / "layouts").mkdir()
    (mini / "layouts" / "booklet.html.j2").write_text(ATTACHMENT, encoding="utf-8")
    result = invoke(mini, monkeypatch, "build", "-j", "2")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "2 of 3 edition(s) failed"
    # Both editions use the layout: its error is printed once.
    assert lines[:-1] == [
        "layouts/booklet.html.j2:3: refused to load file:///etc/passwd: is outside the "
        "project; only files inside it may be loaded"
    ]
    assert "demo-handout: output/demo-handout.pdf" in result.stdout
    assert set(manifest(mini)) == {"demo-handout"}


@pytest.mark.slow
def test_a_killed_worker_is_its_editions_error(mini, monkeypatch):
    real_build = build_mod.build

    def build_or_die(edition, *args, **kwargs):
        if edition.name == "demo-az-en":
            os.kill(os.getpid(), signal.SIGKILL)
        return real_build(edition, *args, **kwargs)

    monkeypatch.setattr(build_mod, "build", build_or_die)  # inherited by forked workers
    project = project_mod.load(mini)
    outcomes = {o.name: o for o in build_mod.build_many(list(project.editions), jobs=2)}
    assert outcomes["demo-az-en"].error == (
        "diglot.toml:1: edition 'demo-az-en': its build process was killed by signal 9 "
        "before it finished; the other editions are not affected (if memory ran out, "
        "build with fewer --jobs)"
    )
    assert outcomes["demo-en"].built is not None and outcomes["demo-handout"].built is not None
    assert set(manifest(mini)) == {"demo-en", "demo-handout"}


# -- item 6: everything the output depends on ---------------------------------------


@pytest.mark.slow
def test_top_level_author_and_nested_stylesheets_rebuild(mini, monkeypatch):
    styles = mini / "styles"
    (styles / "parts").mkdir(parents=True)
    (styles / "parts" / "colour.css").write_text("p { color: #000; }\n", encoding="utf-8")
    builtin = Path(build_mod.__file__).parent / "styles" / "booklet.css"
    (styles / "booklet.css").write_text(
        '@import "parts/colour.css";\n' + builtin.read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert invoke(mini, monkeypatch, "build", "demo-en").exit_code == 0
    again = invoke(mini, monkeypatch, "build", "demo-en")
    assert "is up to date" in again.stdout

    (styles / "parts" / "colour.css").write_text("p { color: #a00; }\n", encoding="utf-8")
    assert "is up to date" not in invoke(mini, monkeypatch, "build", "demo-en").stdout

    config = mini / "diglot.toml"
    config.write_text('author = "A Publisher"\n' + config.read_text(), encoding="utf-8")
    rebuilt = invoke(mini, monkeypatch, "build", "demo-en")
    assert "is up to date" not in rebuilt.stdout
    from pypdf import PdfReader

    assert PdfReader(mini / "output" / "demo-en.pdf").metadata["/Author"] == "A Publisher"


def test_a_file_the_layout_loaded_is_part_of_the_manifest(mini):
    """The manifest records served files and checks them (fast, no PDF)."""
    from diglot import incremental

    project = project_mod.load(mini)
    edition = project.edition("demo-en")
    pdf = edition.output
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.7\n")
    image = mini / "pictures" / "map.png"
    image.parent.mkdir()
    image.write_bytes(b"one")
    book = incremental.Manifest(project.output_dir)
    book.record(edition, "inputs", [image])
    assert book.is_fresh(edition, "inputs")
    image.write_bytes(b"two")
    assert not book.is_fresh(edition, "inputs")


# -- item 7: the same bytes wherever the project is ---------------------------------


@pytest.mark.slow
def test_same_project_in_two_folders_gives_identical_pdfs(tmp_path):
    built = []
    for folder in (tmp_path / "a", tmp_path / "somewhere" / "much" / "deeper"):
        root = write_project(folder, MINI)
        built.append(build_mod.build(project_mod.load(root).edition("demo-en")).path.read_bytes())
    assert built[0] == built[1]


# -- item 8: broken PDFs, huge epochs, early dates ----------------------------------


def _good_pdf(path: Path) -> bytes:
    writer = PdfWriter()
    for _ in range(4):
        writer.add_blank_page(width=419.53, height=595.28)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        writer.write(handle)
    return path.read_bytes()


@pytest.mark.parametrize("damage", ["empty", "garbage", "truncated"])
@pytest.mark.parametrize("command", ["preview", "impose"])
def test_broken_pdf_is_one_line(mini, monkeypatch, damage, command):
    pdf = mini / "output" / "demo-en.pdf"
    data = _good_pdf(pdf)
    pdf.write_bytes(
        {"empty": b"", "garbage": b"not a pdf at all\n" * 50, "truncated": data[: len(data) // 2]}[
            damage
        ]
    )
    result = invoke(mini, monkeypatch, command, "demo-en")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("output/demo-en.pdf: is not a PDF diglot can read (")
    assert line.endswith("); build it again with diglot build")
    assert sorted(p.name for p in (mini / "output").iterdir()) == ["demo-en.pdf"]


def test_huge_source_date_epoch_is_a_usage_error(mini, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300800")
    result = invoke(mini, monkeypatch, "build", "demo-en")
    assert result.exit_code == 2
    assert result.stderr == (
        "diglot: SOURCE_DATE_EPOCH must be whole seconds since 1970 up to the end of "
        "9999 (253402300799), not '253402300800'\n"
    )


@pytest.mark.slow
def test_early_publication_date_is_written_as_is(mini, monkeypatch):
    config = mini / "diglot.toml"
    config.write_text(config.read_text().replace("2026-11-23", "1900-02-28"), encoding="utf-8")
    assert invoke(mini, monkeypatch, "build", "demo-en").exit_code == 0
    from pypdf import PdfReader

    created = PdfReader(mini / "output" / "demo-en.pdf").metadata["/CreationDate"]
    assert created.startswith("D:19000228")


# -- item 9: things that never end --------------------------------------------------


def test_page_range_far_past_the_end_is_clamped_at_once():
    """Counting up to 9,999,999,999 would take minutes; clamped, it takes no time.
    Run in a thread so that a regression fails instead of hanging the suite."""
    found: list[list[int]] = []
    worker = threading.Thread(target=lambda: found.append(parse_pages("1-9999999999", 3)))
    worker.daemon = True
    worker.start()
    worker.join(timeout=20)
    assert found == [[1, 2, 3]]


def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(files.NotRegularFile, match="named pipe"):
        files.read_bytes(fifo, 100)
    assert files.digest(fifo) is None


# -- item 15: temporary files of killed runs ----------------------------------------


@pytest.mark.slow
def test_up_to_date_run_removes_stale_part_files(mini, monkeypatch):
    assert invoke(mini, monkeypatch, "build", "demo-en").exit_code == 0
    stale = mini / "output" / ".demo-en.pdf.abc123.part"
    stale.write_bytes(b"%PDF-1.7 half")
    result = invoke(mini, monkeypatch, "build", "demo-en")
    assert "is up to date" in result.stdout
    assert not stale.exists()


def test_stale_part_cleanup_leaves_pipes_and_links_alone(tmp_path):
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    (tmp_path / ".x.pdf.a.part").symlink_to(victim)
    os.mkfifo(tmp_path / ".x.pdf.b.part")
    files.remove_stale_parts(tmp_path / "x.pdf")
    assert victim.read_bytes() == b"keep"


# -- item 10: only the fonts diglot ships --------------------------------------------


@pytest.mark.slow
def test_a_system_font_asked_for_by_name_is_never_embedded(mini, monkeypatch):
    import subprocess

    styles = mini / "styles"
    styles.mkdir()
    builtin = Path(build_mod.__file__).parent / "styles" / "booklet.css"
    (styles / "booklet.css").write_text(
        builtin.read_text(encoding="utf-8")
        + '\nbody, h1, h2, p { font-family: "DejaVu Sans", "Liberation Mono", monospace; }\n',
        encoding="utf-8",
    )
    assert invoke(mini, monkeypatch, "build", "demo-en").exit_code == 0
    listing = subprocess.run(
        ["pdffonts", str(mini / "output" / "demo-en.pdf")], capture_output=True, text=True
    ).stdout.splitlines()[2:]
    names = {line.split()[0].split("+")[-1] for line in listing}
    assert names and all(name.startswith("Noto") for name in names), names


# -- item 12: a word longer than a line ----------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("tens", [40, 300])  # broken by the stylesheet; also by the build
def test_unbreakable_word_is_warned_about_and_printed_whole(mini, monkeypatch, tens):
    from pypdf import PdfReader

    word = "Qz" + "0123456789" * tens  # no hyphenation point, no space
    en = mini / "sources" / "demo" / "en.md"
    en.write_text(en.read_text().replace("It continues", word + " It continues"), "utf-8")
    result = invoke(mini, monkeypatch, "build", "demo-en")
    assert result.exit_code == 0
    line = next(n for n, text in enumerate(en.read_text().splitlines(), 1) if word in text)
    build_warnings = [w for w in result.stderr.splitlines() if w.startswith("demo-en:")]
    assert build_warnings == [
        f"demo-en: warning: sources/demo/en.md:{line}: a word of {len(word)} characters "
        "without a "
        "break (Qz012345678901234567…) is too long for a line; it is broken at the margin: "
        "add spaces or soft hyphens where it may break"
    ]
    # Every word poppler finds lies on its page (text past the edge is still
    # in the PDF, so extracting text alone would not notice it is lost).
    import subprocess

    pdf = mini / "output" / "demo-en.pdf"
    width = float(PdfReader(pdf).pages[0].mediabox.width)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    words = re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', boxes)
    assert words
    assert max(float(x) for x, _ in words) <= width, "text runs off the page"
    printed = "".join(w for _, w in words).replace("\u2010", "").replace("\u200b", "")
    assert printed.count("0123456789") >= tens - 10, "part of the word was lost"


def test_runaway_words_get_break_opportunities_outside_style():
    from diglot.build import BREAK_EVERY, RUNAWAY, break_runaway_words

    css = "<style>a { background: url(data:," + "x" * 2000 + ") }</style>"
    word = "7" * (RUNAWAY * 4)
    html = f"<html>{css}<p title='{word}'>short {'8' * RUNAWAY} {word} &amp;&amp;</p></html>"
    out = break_runaway_words(html)
    assert out.count(css) == 1  # stylesheets untouched
    assert "8" * RUNAWAY in out  # not over the limit: untouched
    pieces = out.split("short ")[1].split(" ")[1].split("\u200b")
    assert "".join(pieces) == word and max(map(len, pieces)) == BREAK_EVERY
    assert f"title='{word}'" in out  # attributes untouched


def test_a_markdown_link_is_not_one_long_word(mini):
    """``[text](address)`` prints as the text and the address: neither is a
    61-character word, though the source has no space between them."""
    en = mini / "sources" / "demo" / "en.md"
    link = "[«The Sail» (Lermontov)](https://en.wikisource.org/wiki/The_Sail_(Lermontov))"
    en.write_text(en.read_text().replace("It continues", link + " It continues"), "utf-8")
    edition = project_mod.load(mini).edition("demo-en")
    assert build_mod.long_words(edition) == []
    en.write_text(en.read_text().replace(link, "x" * 61), "utf-8")
    assert len(build_mod.long_words(edition)) == 1
