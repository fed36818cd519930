"""A build killed mid-write (SIGKILL while the PDF is being written) leaves
the previous PDF as it was; the next successful build removes the
temporary file the killed one left behind.

The real command runs in a subprocess through tests/pause_in_write.py: the
PDF goes through diglot's own writer, but after the first bytes reach the
writer's handle the process flushes, creates the marker file and sleeps, and
is killed there. Nothing of this is in diglot itself.

Checked by breaking the writer: writing straight to the PDF fails the
"PDF untouched mid-write" assertion; dropping the lock on the temporary
file lets the clean-up remove a running write's file, which fails too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from diglot import files
from diglot import project as project_mod
from diglot.build import build
from diglot.cli import cli

PAUSED_DIGLOT = [sys.executable, str(Path(__file__).with_name("pause_in_write.py"))]


def parts(output: Path) -> list[Path]:
    return sorted(output.glob(".demo-en.pdf.*.part"))


def start_paused_build(project: Path, marker: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(files.__file__).parent.parent)}
    proc = subprocess.Popen(
        [*PAUSED_DIGLOT, str(marker), "build", "demo-en"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        if proc.poll() is not None:
            _, err = proc.communicate()
            raise AssertionError(f"the build ended before pausing ({proc.returncode}):\n{err}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("the build never reached the PDF write")
        time.sleep(0.05)
    return proc


def parent_of(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))


@pytest.mark.slow
def test_sigkill_during_write_keeps_previous_pdf(mini, tmp_path, monkeypatch):
    output = mini / "output"
    edition = project_mod.load(mini).edition("demo-en")
    previous = build(edition).path.read_bytes()
    # A change, so the killed build would have written a different PDF.
    en = mini / "sources/demo/en.md"
    en.write_text(en.read_text(encoding="utf-8").replace("grape", "pomegranate"), "utf-8")

    marker = tmp_path / "paused"
    proc = start_paused_build(mini, marker)
    try:
        # The PDF is written by the build or by its WeasyPrint process.
        writer = int(marker.read_text())
        assert writer == proc.pid or parent_of(writer) == proc.pid
        # Mid-write: the PDF is untouched, the temporary file is partly written ...
        assert (output / "demo-en.pdf").read_bytes() == previous
        [part] = parts(output)
        assert part.read_bytes().startswith(b"%PDF-")
        # ... and locked, so a concurrent build's clean-up leaves it alone.
        files.remove_stale_parts(output / "demo-en.pdf")
        assert part.exists()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # Killed: the previous PDF byte for byte, the temporary file left behind.
    assert (output / "demo-en.pdf").read_bytes() == previous
    assert parts(output) == [part]

    # The next successful build writes the new PDF and removes the stale file.
    monkeypatch.chdir(mini)
    result = CliRunner().invoke(cli, ["build", "demo-en"])
    assert result.exit_code == 0, result.output
    rebuilt = (output / "demo-en.pdf").read_bytes()
    assert rebuilt.startswith(b"%PDF-") and rebuilt != previous
    assert parts(output) == []


def test_interrupted_write_leaves_no_temporary_file(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    previous = b"%PDF-1.7\n% the previous edition\n"
    (output / "demo-en.pdf").write_bytes(previous)

    def interrupted(handle):
        handle.write(b"%PDF-1.7\n% half\n")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        files.atomic_write(output / "demo-en.pdf", interrupted)
    assert (output / "demo-en.pdf").read_bytes() == previous
    assert parts(output) == []
