"""Bad input never breaks anything: the corpus in tests/bad-inputs/.

Each case is a folder with a ``case.toml`` (format: tests/bad-inputs/README.md)
and optionally ``files/``, laid over a fresh copy of the ``mini`` project.
The runner puts a good PDF of the edition in output/ first (built once per
session), breaks the input, runs the real CLI and checks:

- the exit code;
- stderr holds exactly the expected ``path:line: message`` lines (the
  "N of M edition(s) failed" summary aside), with paths relative to the
  project;
- no traceback and no "internal error" anywhere;
- the previous PDF is byte for byte what it was (or, for inputs that must
  just work, the rebuilt PDF is what it should be) and no temporary file
  is left in output/.
"""

from __future__ import annotations

import errno
import os
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from diglot import build as build_mod
from diglot import project as project_mod
from diglot.cli import cli

from .badinputs import CASES, MINI, Case, materialise, snapshot
from .conftest import write_project

DIGLOT = Path(sys.executable).parent / "diglot"
MEMORY_LIMIT = 1024 * 1024 * 1024
SUMMARY = re.compile(r"^\d+ of \d+ edition\(s\) failed$")
# path[:line]: message -- the path has no spaces or colons, the line is a number
PROBLEM = re.compile(r"^(?P<path>[^\s:][^:]*?)(?::(?P<line>\d+))?: \S.*$")


def test_corpus_is_complete():
    assert len(CASES) >= 25
    assert sum(c.runner == "subprocess" for c in CASES) >= 3
    for case in CASES:
        if case.exit:
            assert case.errors, f"{case.name}: a failing case states its error lines"


@pytest.fixture(scope="session")
def good_pdf(tmp_path_factory):
    """The good PDF of an edition of the mini project, built once per session."""
    built: dict[str, bytes] = {}

    def get(name: str) -> bytes:
        if name not in built:
            root = write_project(tmp_path_factory.mktemp("good") / "mini", MINI)
            edition = project_mod.load(root).edition(name)
            built[name] = build_mod.build(edition).path.read_bytes()
        return built[name]

    return get


# -- running it ---------------------------------------------------------------------


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str
    seconds: float


def run_cli(case: Case, project: Path, monkeypatch) -> Ran:
    monkeypatch.chdir(project)
    if case.simulate == "enospc":
        import weasyprint.document

        def full_disk(self, target=None, **options):
            target.write(b"%PDF-1.7\n% the disk filled up here\n")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(weasyprint.document.Document, "write_pdf", full_disk)
    started = time.perf_counter()
    result = CliRunner().invoke(cli, case.args)
    seconds = time.perf_counter() - started
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{case.name}: the CLI raised {result.exception!r}")
    return Ran(result.exit_code, result.stdout, result.stderr, seconds)


def run_subprocess(case: Case, project: Path) -> Ran:
    def limit_file_size() -> None:
        # Python ignores SIGXFSZ, so a write past the limit fails with EFBIG.
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    def limit_memory() -> None:
        # Enough to run diglot; reading a file of gigabytes fails at once.
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    limits = {"fsize": limit_file_size, "memory": limit_memory}

    env = dict(os.environ)
    started = time.perf_counter()
    proc = subprocess.run(
        [str(DIGLOT), *case.args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        preexec_fn=limits.get(case.simulate or ""),
    )
    return Ran(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - started)


def check(case: Case, ran: Ran) -> None:
    everything = ran.stdout + ran.stderr
    assert "Traceback" not in everything, everything
    assert "internal error" not in everything, everything
    assert ran.code == case.exit, f"exit {ran.code}, expected {case.exit}\n{everything}"
    assert ran.seconds < case.timeout, f"took {ran.seconds:.1f} s (limit {case.timeout} s)"
    problems = [line for line in ran.stderr.splitlines() if not SUMMARY.match(line)]
    if case.exit == 0:
        # Inputs that must just work print nothing on stderr but the warnings listed.
        assert "up to date" not in ran.stdout, "the edition was not rebuilt"
    assert len(problems) == len(case.errors), f"expected {len(case.errors)} line(s):\n{ran.stderr}"
    for line, expected in zip(problems, case.errors, strict=True):
        assert re.fullmatch(expected, line), f"\n{line}\ndoes not match\n{expected}"
        form = PROBLEM.match(line)
        assert form, f"not a path:line: message line: {line}"
        if not case.absolute:
            assert not form["path"].startswith("/"), f"absolute path: {line}"


def params():
    for case in CASES:
        marks = [pytest.mark.slow] if case.slow else []
        yield pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", list(params()))
def test_bad_input(case: Case, mini: Path, good_pdf, monkeypatch):
    output = mini / "output"
    edition = case.edition
    previous = None
    if edition is not None and case.pdf != "none":
        previous = good_pdf(edition)
        output.mkdir()
        (output / f"{edition}.pdf").write_bytes(previous)
    materialise(case, mini)
    before = snapshot(output)
    ran = run_cli(case, mini, monkeypatch) if case.runner == "cli" else run_subprocess(case, mini)
    check(case, ran)

    after = snapshot(output)
    if case.pdf in {"unchanged", "none"}:
        assert after == before, f"output/ changed: {sorted(set(after) ^ set(before))}"
    else:
        assert edition is not None and previous is not None
        assert set(after) == {f"{edition}.pdf"}, sorted(after)  # no .part left behind
        rebuilt = after[f"{edition}.pdf"]
        assert rebuilt.startswith(b"%PDF-")
        if case.pdf == "same":
            assert rebuilt == previous, "the rebuilt PDF differs from the good one"
        else:
            assert rebuilt != previous


def test_readme_lists_every_case():
    readme = (Path(__file__).parent / "bad-inputs" / "README.md").read_text(encoding="utf-8")
    missing = [case.name for case in CASES if f"| `{case.name}` |" not in readme]
    assert missing == [], f"add these cases to tests/bad-inputs/README.md: {missing}"
