"""No input makes a regular expression run away (catastrophic backtracking).

Each public entry point that reads untrusted text (diglot.toml, dates,
a chronology, a PO file, the texts on the ``diglot editions`` and ``diglot
build`` path) is fed about 100 KB of adversarial lines: long runs of
spaces, ``*``, ``#``, ``{``, ``[``, ``-`` and digits, each followed by a
character that makes the match fail at the end. A linear pattern reads that
in well under a second; a nested or adjacent quantifier over the same
characters would take hours. Each run happens in a subprocess with a
generous limit, so a regression fails the test instead of hanging the suite
(and a slow shared machine does not make it flaky).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .badinputs import MINI
from .conftest import write_project

N = 100_000
LIMIT = 60  # seconds: hundreds of times what linear work needs
DIGLOT = Path(sys.executable).parent / "diglot"

RUNS = {
    "spaces": " " * N + "x",
    "asterisks": "*" * N + "x",
    "hashes": "#" * N + "x",
    "braces": "{" * N + "x",
    "brackets": "[" * N + "x",
    "dashes": "-" * N + "x",
    "digits": "1" * N + "x",
    "digit-dashes": "1-" * (N // 2) + "x",
    "quoted": "'" * N,
    "words": "a " * (N // 2) + "!",
}


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [sys.executable, "-"],
        input=textwrap.dedent(code),
        capture_output=True,
        text=True,
        timeout=LIMIT,
        env=env,
    )


def run_diglot(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DIGLOT), *args], cwd=project, capture_output=True, text=True, timeout=LIMIT
    )


@pytest.mark.parametrize("kind", list(RUNS))
def test_dates(kind):
    ran = run_python(
        f"""
        from diglot.dates import parse_iso
        for value in ({RUNS[kind]!r}, {RUNS[kind]!r}[:-1], "1997-" + {RUNS[kind]!r}):
            try:
                parse_iso(value)
            except ValueError:
                pass
        """
    )
    assert ran.returncode == 0, ran.stderr


@pytest.mark.parametrize("kind", list(RUNS))
def test_diglot_toml(kind, tmp_path):
    run = RUNS[kind]
    valid = write_project(tmp_path / "valid", MINI)
    config = valid / "diglot.toml"
    config.write_text(
        f"# {run}\n" + config.read_text().replace('paper = "A5"', f'paper = "A5" # {run}', 1)
    )
    broken = write_project(tmp_path / "broken", MINI)
    (broken / "diglot.toml").write_text(f"date = {run}\n[[{run}\nname {run}\n")
    for project in (valid, broken):
        ran = run_diglot(project, "editions")
        assert "Traceback" not in ran.stderr, ran.stderr


@pytest.mark.parametrize("kind", list(RUNS))
def test_chronology(kind, tmp_path):
    run = RUNS[kind]
    project = write_project(tmp_path / "p", MINI)
    dates = project / "sources/demo/dates.yaml"
    dates.write_text(
        f'- date: "{run[:-1]}"\n  event:\n    az: "{run}"\n    en: x\n'
        f"- date: 1997-02-25\n  event:\n    az: a\n    en: >\n      {run}\n"
    )
    ran = run_python(
        f"""
        from pathlib import Path
        from diglot import chronology
        from diglot.errors import DiglotError
        try:
            chronology.load(Path({str(dates)!r}), ["az", "en"])
        except DiglotError:
            pass
        """
    )
    assert ran.returncode == 0, ran.stderr


@pytest.mark.parametrize("kind", list(RUNS))
def test_po_import(kind, tmp_path):
    project = write_project(tmp_path / "p", MINI)
    po = tmp_path / "demo-en.po"
    exported = run_diglot(project, "po", "export", "demo", "en", "-o", str(po))
    assert exported.returncode == 0, exported.stderr
    run = RUNS[kind]
    lines = [run, "\n", " " * 1000 + "\n", run, "\n\n"] * 2
    text = po.read_text(encoding="utf-8")
    at = text.index('msgctxt "p2"')
    msgstr_at = text.index("msgstr", at)
    end = text.index("\n\n", msgstr_at)
    body = "".join(lines).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    po.write_text(text[:msgstr_at] + f'msgstr "{body}"' + text[end:], encoding="utf-8")
    ran = run_diglot(project, "po", "import", str(po))
    assert "Traceback" not in ran.stderr and "internal error" not in ran.stderr, ran.stderr


# What is added to a text for `diglot editions`: each run (but the hashes)
# as a paragraph, after a word and in emphasis; and a heading padded with
# spaces: the hand-written
# heading pattern was cubic on '# a' + spaces + 'x' (26 s for 3,000 spaces),
# markdown-it-py reads 100,000 in linear time.
TEXTS = {kind: f"{run}\n\nx {run}\n\n*{run}*\n" for kind, run in RUNS.items() if kind != "hashes"}
TEXTS["heading"] = "# a" + " " * N + "x\n"


@pytest.mark.parametrize("kind", list(TEXTS))
def test_editions_reads_adversarial_texts(kind, tmp_path):
    project = write_project(tmp_path / "p", MINI)
    en = project / "sources/demo/en.md"
    en.write_text(en.read_text() + f"\n{{#p3}}\n{TEXTS[kind]}")
    ran = run_diglot(project, "editions")
    assert "Traceback" not in ran.stderr and "internal error" not in ran.stderr, ran.stderr


@pytest.mark.parametrize("kind", list(RUNS))
def test_build_scans_adversarial_texts(kind, tmp_path):
    """The build's own scans of the texts before layout (long words, bidi
    controls). Laying out a 100,000-character word is WeasyPrint's work and
    takes minutes: not a regular expression, and not tested here."""
    project = write_project(tmp_path / "p", MINI)
    en = project / "sources/demo/en.md"
    run = RUNS[kind]
    en.write_text(en.read_text() + f"\n{{#p3}}\n{run}\n\nx {run}\n")
    ran = run_python(
        f"""
        from pathlib import Path
        from diglot import build, project
        edition = project.load(Path({str(project)!r})).edition("demo-en")
        build.refuse_bidi_controls(edition)
        print(len(build.long_words(edition)))
        """
    )
    assert ran.returncode == 0, ran.stderr
    breakable = {"spaces", "words", "dashes", "digit-dashes"}  # a line may break there
    assert int(ran.stdout) == (0 if kind in breakable else 2)


@pytest.mark.parametrize("kind", [*RUNS, "letters"])
def test_the_rules_applied_to_a_paragraph(kind):
    """A paragraph's text through the rules set at print time: ties
    (typography.tie), the last word kept whole (number_paragraphs; its
    pattern anchored at the end was quadratic in one long word followed by
    another, 10 s for 20 KB), the breaks before a year (year_breaks)."""
    run = RUNS.get(kind, "a" * N + " b")
    ran = run_python(
        f"""
        from diglot import linebreak, typography
        text = {run!r}
        for lang in ("en", "az", "kk"):
            tied = typography.tie(text, lang)
            typography.last_words(typography.number_paragraphs("<p>" + tied + "</p>"))
            typography.year_breaks(linebreak.tokens(tied[:20000]), lang)
        """
    )
    assert ran.returncode == 0, ran.stderr


@pytest.mark.parametrize("tag", ["p", "h2"])
def test_a_layout_of_unclosed_paragraphs_or_headings_is_read_in_linear_time(tag):
    """A layout is untrusted too: 100,000 paragraphs or headings never
    closed (each search for one's end ran to the end of the document: 7.5
    s for 20,000, hours for this many) are numbered and read in a moment."""
    done = run_python(
        f"""
        from diglot import headings, settlecache, typography
        html = "<{tag}>x" * {N}
        numbered = typography.number_paragraphs(html)
        headings.apply(numbered, {{0: (0,)}})
        settlecache._paragraphs(numbered)
        print("read")
        """
    )
    assert done.returncode == 0 and done.stdout.strip() == "read", done.stderr
