"""``diglot daemon``: builds handed to a resident process give what a build
run here gives (the same bytes, the same errors and exit codes), only to
this user and this project, and never from a stale diglot."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import diglot as diglot_package
from diglot import daemon
from diglot.launch import _build_root

from .conftest import copy_project

PACKAGE_PARENT = Path(diglot_package.__file__).resolve().parent.parent


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A runtime folder of the test's own, so that no daemon of the user's
    (or of another test) is found; short, as a socket's path must be."""
    folder = Path(tempfile.mkdtemp(prefix="dg", dir="/tmp"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    monkeypatch.delenv("DIGLOT_NO_DAEMON", raising=False)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def command(
    project: Path,
    *args: str,
    package: Path = PACKAGE_PARENT,
    timeout: float = 300,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """``diglot --project PROJECT ARGS`` through the command's real entry
    point (the launcher), as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "diglot.launch", "--project", str(project), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(package), **env},
        check=False,
    )


@pytest.fixture
def started(runtime: Path) -> Iterator[list[Path]]:
    """Projects whose daemons the test starts, stopped at its end."""
    projects: list[Path] = []
    yield projects
    for project in projects:
        command(project, "daemon", "stop")


def start(project: Path, started: list[Path], **env: str) -> None:
    started.append(project)
    done = command(project, "daemon", "start", **env)
    assert done.returncode == 0, done.stderr
    assert "background builds on" in done.stdout


def builds_served(project: Path) -> int | None:
    answer = daemon.ask(project.resolve(), {"status": True})
    return None if answer is None else int(answer["builds"])


def pdf_bytes(project: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((project / "output").glob("*.pdf"))}


def test_the_launcher_hands_over_only_a_build(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only ``build`` goes to the daemon, found from --project (before or
    after the command) or the folder; never with --debug, --help or
    DIGLOT_NO_DAEMON."""
    monkeypatch.delenv("DIGLOT_NO_DAEMON", raising=False)
    monkeypatch.chdir(mini / "sources")
    root = mini.resolve()
    assert _build_root(["build"]) == root
    assert _build_root(["build", "--force", "demo-az-en"]) == root
    monkeypatch.chdir(mini.parent)
    assert _build_root(["build"]) is None  # no project here
    assert _build_root(["--project", str(mini), "build"]) == root
    assert _build_root(["build", f"--project={mini}"]) == root
    assert _build_root(["editions"]) is None
    assert _build_root(["check", "build"]) is None
    assert _build_root(["--project", str(mini), "build", "--debug"]) is None
    assert _build_root(["--project", str(mini), "build", "--help"]) is None
    monkeypatch.setenv("DIGLOT_NO_DAEMON", "1")
    assert _build_root(["--project", str(mini), "build"]) is None


@pytest.mark.slow
def test_a_build_in_the_daemon_writes_what_a_build_here_writes(
    mini: Path, runtime: Path, started: list[Path]
) -> None:
    here = command(mini, "build", DIGLOT_NO_DAEMON="1")
    assert here.returncode == 0, here.stderr
    built_here = pdf_bytes(mini)
    assert len(built_here) == 3
    start(mini, started)
    assert builds_served(mini) == 0

    there = command(mini, "build", "--force")
    assert there.returncode == 0, there.stderr
    assert builds_served(mini) == 1
    assert pdf_bytes(mini) == built_here
    # what it says, but for the seconds taken (in the order builds end)
    assert sorted(line.split(" (")[0] for line in there.stdout.splitlines()) == sorted(
        line.split(" (")[0] for line in here.stdout.splitlines()
    )
    # the socket is this user's alone, in this user's folder alone
    path = daemon.socket_path(mini)
    assert path.parent.parent == runtime
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.stat(path.parent).st_mode & 0o777 == 0o700

    stopped = command(mini, "daemon", "stop")
    assert "stopped" in stopped.stdout
    assert not path.exists()
    status = command(mini, "daemon", "status")
    assert status.returncode == 1 and "no background build process" in status.stdout


@pytest.mark.slow
def test_a_bad_text_fails_in_the_daemon_as_it_fails_here(
    mini: Path, runtime: Path, started: list[Path]
) -> None:
    az = mini / "sources/demo/az.md"
    az.write_text(az.read_text(encoding="utf-8") + "\n{#p1}\nTəkrar.\n", encoding="utf-8")
    here = command(mini, "build", DIGLOT_NO_DAEMON="1")
    start(mini, started)
    there = command(mini, "build")
    assert builds_served(mini) == 1
    assert here.returncode == there.returncode == 1
    assert there.stderr == here.stderr
    assert there.stderr.startswith("sources/demo/az.md:")
    assert "duplicate segment id 'p1'" in there.stderr and "Traceback" not in there.stderr
    unknown = command(mini, "build", "nosuch")
    assert unknown.returncode == 2 and "no edition named 'nosuch'" in unknown.stderr
    assert not list((mini / "output").glob("*.pdf"))


@pytest.mark.slow
def test_a_daemon_serves_its_own_project_only(
    mini: Path, tmp_path: Path, runtime: Path, started: list[Path]
) -> None:
    other = tmp_path / "other"
    shutil.copytree(mini, other)
    start(mini, started)
    done = command(other, "build", "demo-en")
    assert done.returncode == 0, done.stderr
    assert (other / "output/demo-en.pdf").is_file()
    assert builds_served(mini) == 0


@pytest.mark.slow
def test_a_changed_diglot_stops_the_daemon_and_builds_here(
    mini: Path, tmp_path: Path, runtime: Path, started: list[Path]
) -> None:
    """Code changed since the daemon started (an update, an edit of
    diglot's files) is never run stale: the daemon stops, the build runs
    here."""
    package = tmp_path / "package"
    shutil.copytree(
        PACKAGE_PARENT / "diglot",
        package / "diglot",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    start(mini, started, PYTHONPATH=str(package))
    (package / "diglot" / "where.py").touch()
    os.utime(package / "diglot" / "where.py", (1, 1))
    done = command(mini, "build", "demo-en", package=package)
    assert done.returncode == 0, done.stderr
    assert "ran other code (diglot or its packages changed" in done.stderr
    assert (mini / "output/demo-en.pdf").is_file()
    assert builds_served(mini) is None


class Listener:
    """A socket of this user's that is not diglot's daemon, counting who
    connects to it."""

    def __init__(self, path: Path) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(str(path))
        self.sock.listen(4)
        self.sock.settimeout(0.1)
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.sock.close()


@pytest.mark.slow
def test_a_build_never_talks_to_a_link_or_a_shared_folder(
    mini: Path, tmp_path: Path, runtime: Path, started: list[Path]
) -> None:
    """The socket's place holding a link to another socket (say, another
    user's, or a program's of this user's) is not used, nor is a socket in
    a folder others may read: the build runs here and nothing is sent."""
    elsewhere = tmp_path / "elsewhere.sock"
    listener = Listener(elsewhere)
    try:
        path = daemon.socket_path(mini)
        path.parent.mkdir(mode=0o700)
        path.symlink_to(elsewhere)
        done = command(mini, "build", "demo-en")
        assert done.returncode == 0, done.stderr
        assert (mini / "output/demo-en.pdf").is_file()
        assert listener.connections == 0
        path.unlink()
    finally:
        listener.close()

    start(mini, started)
    path.parent.chmod(0o755)
    try:
        done = command(mini, "build", "--force", "demo-en")
        assert done.returncode == 0, done.stderr
        assert builds_served(mini) is None  # (not even asked)
    finally:
        path.parent.chmod(0o700)
    assert builds_served(mini) == 0


@pytest.mark.slow
def test_ctrl_c_in_the_caller_ends_its_build_in_the_daemon(
    tmp_path: Path, runtime: Path, started: list[Path]
) -> None:
    """Interrupted, the caller exits 130 at once; its build in the daemon
    ends, leaving no PDF half-written, and the daemon serves the next."""
    project = copy_project(tmp_path / "project")
    start(project, started)
    caller = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "diglot.launch",
            "--project",
            str(project),
            "build",
            "--no-chunks",
            "biography-kk-en-facing",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(PACKAGE_PARENT)},
        # Ctrl-C as a terminal delivers it: a suite started in the
        # background by a shell ignores SIGINT, and its children with it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answer = daemon.ask(project.resolve(), {"status": True})
        if answer is not None and answer["building"] == 1:
            break
        time.sleep(0.1)
    time.sleep(1.0)
    caller.send_signal(signal.SIGINT)
    assert caller.wait(timeout=10) == 130
    deadline = time.monotonic() + 10
    answer = None
    while time.monotonic() < deadline:
        answer = daemon.ask(project.resolve(), {"status": True})
        if answer is not None and answer["building"] == 0:
            break
        time.sleep(0.1)
    assert answer is not None and answer["building"] == 0
    output = project / "output"
    assert not (output / "biography-kk-en-facing.pdf").exists()
    assert not list(output.rglob("*.part"))
    done = command(project, "build", "sail-ru-en-handout")
    assert done.returncode == 0, done.stderr
    assert builds_served(project) == 2


def test_without_unix_sockets_that_name_their_user_builds_run_here(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system cannot say who is at the other end of a socket
    (not Linux), nothing is handed over and no daemon starts."""
    from click.testing import CliRunner

    from diglot.cli import cli

    monkeypatch.setattr(daemon, "SUPPORTED", False)
    assert daemon.connect(mini.resolve()) is None
    assert daemon.hand_over(["build"], mini.resolve()) is None
    result = CliRunner().invoke(cli, ["--project", str(mini), "daemon", "start"])
    assert result.exit_code == 2
    assert "background builds need Linux" in result.output


@pytest.mark.slow
def test_a_project_cannot_put_its_own_modules_into_the_daemon(
    mini: Path, tmp_path: Path, runtime: Path, started: list[Path]
) -> None:
    """A project's files are never imported in place of the standard
    library's or an installed package's: not when the daemon starts (Python
    puts the folder it starts in first on its import path), not in a build
    that imports a module later, in the project's folder."""
    marker = tmp_path / "ran"
    planted = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"
    for name in ("json.py", "platformdirs.py", "fontTools.py", "pyphen.py"):
        (mini / name).write_text(planted, encoding="utf-8")
    (mini / "diglot").mkdir()
    (mini / "diglot" / "__init__.py").write_text(planted, encoding="utf-8")
    start(mini, started)
    done = command(mini, "build", "demo-en")
    assert done.returncode == 0, done.stderr
    assert builds_served(mini) == 1 and (mini / "output/demo-en.pdf").is_file()
    assert not marker.exists()


@pytest.mark.slow
def test_one_daemon_a_project_even_when_the_first_is_slow_to_answer(
    mini: Path, runtime: Path, started: list[Path]
) -> None:
    """A daemon that does not answer (stopped, busy) is still the project's
    daemon: a second one refuses to start, and the first one's socket is
    left as it is."""
    start(mini, started)
    answer = daemon.ask(mini.resolve(), {"status": True})
    assert answer is not None
    first = int(answer["pid"])
    os.kill(first, signal.SIGSTOP)
    try:
        second = subprocess.run(
            [sys.executable, "-P", "-m", "diglot.daemon", str(mini.resolve())],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(PACKAGE_PARENT)},
            check=False,
        )
    finally:
        os.kill(first, signal.SIGCONT)
    assert second.returncode == 1 and "a daemon already runs" in second.stderr
    answer = daemon.ask(mini.resolve(), {"status": True})
    assert answer is not None and int(answer["pid"]) == first


@pytest.mark.slow
def test_the_daemon_runs_only_its_own_projects_builds(
    mini: Path, tmp_path: Path, runtime: Path, started: list[Path]
) -> None:
    """Sent anything but a build of its project (another command, another
    project, a folder given relative), the daemon hangs up and runs
    nothing."""
    other = tmp_path / "other"
    shutil.copytree(mini, other)
    start(mini, started)
    root = mini.resolve()
    for argv, cwd in (
        (["editions"], str(root)),
        (["--project", str(other), "build"], str(root)),
        (["build"], str(other)),
        (["build"], "mini"),
        (["build", "--debug"], str(root)),
    ):
        found = daemon.connect(root)
        assert found is not None
        sock, _hello = found
        with sock:
            socket.send_fds(sock, [b"F"], [0, 1, 2])
            sock.sendall((json.dumps({"build": argv, "cwd": cwd, "env": {}}) + "\n").encode())
            assert sock.recv(100) == b"", argv
    assert builds_served(mini) == 0
    assert not list((other / "output").glob("*.pdf"))
