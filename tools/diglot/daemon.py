"""Background builds: a resident process that has diglot and WeasyPrint
loaded, to which ``diglot build`` hands its work.

A build started from nothing spends about a third of a small booklet's
time starting up: importing diglot, WeasyPrint and their libraries
(bench/README.md). ``diglot daemon start`` starts one process per project
that imports all of that once and then waits on a Unix socket in a
folder of the user's own (:func:`runtime_folder`). ``diglot build`` (through
:func:`diglot.launch.main`, which imports nothing heavy) finds the socket,
passes its standard input, output and error over it with its arguments,
folder and environment, and the process forks a child that runs the
command exactly as ``diglot build`` would run it here, writing straight to
the caller's terminal. The caller exits with the child's exit code; Ctrl-C
in the caller ends the child's build. Each build is a fresh fork of the
warm process, so nothing of one build is left in the next.

No library does this for a Python command (dmypy, the closest, is mypy's
own); the standard library has what it needs (``socket.send_fds``).

Safety (docs/security.md). The socket is made with the user's
permissions only (0600), in a folder only the user may read (0700),
outside the project (a project could carry a link where a socket in it
would be), and both ends check that the other runs as the same user
(``SO_PEERCRED``). The daemon imports nothing from the project's folder
and runs nothing but builds of its project. The caller uses
the socket only when it is a socket, not a link, and only after the
process has greeted it with diglot's greeting and the digest of its own
code. When diglot's code (any file of the package) or
the installed packages changed since the process started, the process
stops and the caller builds itself. It ends by itself after
:data:`IDLE_SECONDS` without a build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import stat
import struct
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PROTOCOL = 1
# Linux's: a Unix socket, the peer's user from the kernel, fork. Elsewhere
# builds run in the terminal, and `diglot daemon start` says why.
SUPPORTED = all(hasattr(socket, name) for name in ("AF_UNIX", "SO_PEERCRED", "send_fds")) and (
    hasattr(os, "fork")
)
IDLE_SECONDS = 30 * 60
START_SECONDS = 60.0  # how long `diglot daemon start` waits for its greeting
# Unix socket addresses are at most 107 bytes on Linux; where the runtime
# folder is deeper than that, builds run without the daemon.
SOCKET_PATH_MAX = 107


def runtime_folder() -> Path:
    """The user's own folder for daemons' sockets and logs: in
    ``$XDG_RUNTIME_DIR`` (made by the system for this user alone), else in
    the user's cache folder (``$XDG_CACHE_HOME``, ``~/.cache``); a relative
    value is ignored, as the XDG specification says. Never in the project,
    which could hold a link where the socket would be, nor in the shared
    temporary folder, where another user could make the folder first."""
    for name in ("XDG_RUNTIME_DIR", "XDG_CACHE_HOME"):
        value = os.environ.get(name, "")
        if value and Path(value).is_absolute():
            return Path(value) / f"diglot-{os.getuid()}"
    return Path.home() / ".cache" / f"diglot-{os.getuid()}"


def socket_path(root: Path) -> Path:
    """The socket of the daemon for the project at ``root``."""
    name = hashlib.sha256(os.fsencode(root.resolve())).hexdigest()[:32]
    return runtime_folder() / f"{name}.sock"


def make_runtime_folder() -> Path:
    """The runtime folder, made (0700) if it is not there; an error if it
    is not this user's alone."""
    folder = runtime_folder()
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700)
    if not _private_folder(folder):
        raise OSError(f"{folder} is not a folder of this user's alone")
    return folder


def _private_folder(folder: Path) -> bool:
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and stat.S_IMODE(info.st_mode) & 0o077 == 0
    )


def code_key() -> str:
    """A digest of the code a build runs: the Python, diglot's files (their
    sizes and times) and the installed packages' folder (changed by every
    install). Cheap: it reads no file."""
    import sysconfig

    package = Path(__file__).resolve().parent
    # (PYTHONPATH too: another is other code; a file edited in place in a
    # folder of it, outside diglot, is not seen)
    parts = [
        os.path.realpath(sys.executable),
        sys.version,
        str(package),
        python_path(),
    ]
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(names):
            path = Path(folder, name)
            info = path.stat()
            parts.append(f"{path.relative_to(package)} {info.st_mtime_ns} {info.st_size}")
    for key in ("purelib", "platlib"):
        with contextlib.suppress(OSError):
            parts.append(f"{key} {Path(sysconfig.get_paths()[key]).stat().st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def python_path() -> str:
    """PYTHONPATH with its folders made absolute (against this folder): the
    daemon imports from where its caller would, wherever the build runs."""
    value = os.environ.get("PYTHONPATH", "")
    return os.pathsep.join(str(Path(entry).resolve()) for entry in value.split(os.pathsep) if entry)


def peer_uid(sock: socket.socket) -> int:
    """The user the process at the other end of ``sock`` runs as."""
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return int(struct.unpack("3i", creds)[1])


def _usable_socket(path: Path) -> bool:
    """Whether ``path`` is this user's socket in this user's own folder."""
    if len(os.fsencode(path)) > SOCKET_PATH_MAX or not _private_folder(path.parent):
        return False
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISSOCK(info.st_mode) and info.st_uid == os.getuid()


def _read_line(sock: socket.socket, limit: int = 1 << 24) -> dict[str, Any]:
    """One JSON object, sent as one line."""
    data = bytearray()
    while not data.endswith(b"\n"):
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the other end closed the connection")
        data += chunk
        if len(data) > limit:
            raise ConnectionError("message too long")
    value = json.loads(data)
    if not isinstance(value, dict):
        raise ConnectionError("not a message")
    return value


def _send_line(sock: socket.socket, value: dict[str, Any]) -> None:
    sock.sendall(json.dumps(value).encode() + b"\n")


def connect(root: Path) -> tuple[socket.socket, dict[str, Any]] | None:
    """A connection to the project's daemon and its greeting, or None when
    there is none this caller may use."""
    if not SUPPORTED:
        return None
    path = socket_path(root)
    if not _usable_socket(path):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(10)
        sock.connect(str(path))
        if peer_uid(sock) != os.getuid():
            raise ConnectionError("not this user's process")
        hello = _read_line(sock, 4096)
        if hello.get("diglot") != "daemon" or hello.get("protocol") != PROTOCOL:
            raise ConnectionError("not diglot's daemon")
        sock.settimeout(None)
        return sock, hello
    except (OSError, ValueError):
        sock.close()
        return None


def hand_over(argv: Sequence[str], root: Path) -> int | None:
    """Run ``diglot <argv>`` in the project's daemon; its exit code, or None
    when there is no daemon to run it (the caller runs it itself)."""
    found = connect(root)
    if found is None:
        return None
    sock, hello = found
    sent = False
    with sock:
        try:
            if hello.get("key") != code_key():
                # diglot changed since the daemon started: it stops, and
                # this build runs here
                _send_line(sock, {"stop": "stale"})
                sys.stderr.write(
                    "diglot: the background build process ran other code (diglot or its packages "
                    "changed since it started); it has stopped, and this build runs here\n"
                )
                return None
            socket.send_fds(sock, [b"F"], [0, 1, 2])
            request = {
                "build": list(argv),
                "cwd": str(Path.cwd()),
                "env": dict(os.environ),
                "encoding": getattr(sys.stdout, "encoding", None) or "utf-8",
            }
            _send_line(sock, request)
            sent = True
            reply = _read_line(sock)
        except KeyboardInterrupt:
            return 130  # the connection closes, and the daemon ends the build
        except (OSError, ValueError):
            if not sent:
                return None
            sys.stderr.write("diglot: the background build process ended during the build\n")
            return 1
    code = reply.get("exit")
    return code if isinstance(code, int) else 1


def ask(root: Path, request: dict[str, Any]) -> dict[str, Any] | None:
    """Send the daemon ``request`` (status, stop) and read its reply."""
    found = connect(root)
    if found is None:
        return None
    sock, _hello = found
    with sock:
        try:
            _send_line(sock, request)
            return _read_line(sock)
        except (OSError, ValueError):
            return None


# ---- the daemon's side -------------------------------------------------------


def warm_up() -> None:
    """Import what builds use, so that each forked build starts with it:
    every module of diglot (but the optional extras' ones that are not
    installed) and WeasyPrint. Nothing of a project is read here, so no
    build sees another's state. No thread is left running (a fork
    copies only the thread that forks)."""
    import importlib
    import pkgutil

    import diglot
    from diglot import weasy

    weasy.import_ahead()
    weasy.imported()
    for module in pkgutil.walk_packages(diglot.__path__, "diglot."):
        if module.name in ("diglot.serve", "diglot.cluster", "diglot.launch"):
            continue  # the web page's and Dask's extras are not a build's
        try:
            importlib.import_module(module.name)
        except ImportError:
            continue


class Daemon:
    """The resident process: accepts callers on the socket and forks a
    build for each."""

    def __init__(self, root: Path, idle: float = IDLE_SECONDS) -> None:
        self.root = root.resolve()
        self.path = socket_path(self.root)
        self.idle = idle
        self.key = code_key()
        self.started = time.time()
        self.builds = 0
        self.children: dict[int, socket.socket] = {}  # build's pid: its caller
        self.ending: dict[int, float] = {}  # pid: when it was asked to stop
        self.last = time.monotonic()
        self.running = True
        self.listener: socket.socket | None = None
        self.lock = -1  # the file descriptor of the lock it holds
        self.inode = 0  # its socket's (another daemon's, once replaced, is left)

    def listen(self) -> None:
        """Bind the socket (0600), replacing one no daemon listens on. A lock
        held for the daemon's life makes it the project's only one (asking
        the socket instead, a daemon slow to answer was taken for none, and
        a second one listened beside it)."""
        import fcntl

        make_runtime_folder()
        lock = os.open(self.path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(lock)
            raise OSError(f"a daemon already runs for {self.root}") from None
        self.lock = lock
        self.path.unlink(missing_ok=True)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        mask = os.umask(0o177)
        try:
            listener.bind(str(self.path))
        finally:
            os.umask(mask)
        self.inode = self.path.stat().st_ino
        listener.listen(16)
        self.listener = listener

    def run(self) -> None:
        import selectors
        import signal

        listener = self.listener
        assert listener is not None, "listen() first"

        signal.signal(signal.SIGTERM, lambda *_: setattr(self, "running", False))
        signal.signal(signal.SIGINT, lambda *_: setattr(self, "running", False))
        selector = selectors.DefaultSelector()
        selector.register(listener, selectors.EVENT_READ)
        try:
            while self.running:
                # builds are looked after often, an idle daemon wakes once a second
                wait = 0.05 if self.children else 1.0
                for found, _ in selector.select(timeout=wait):
                    sock = found.fileobj
                    assert isinstance(sock, socket.socket)
                    if sock is listener:
                        self.accept(selector)
                    else:  # a caller closed its end mid-build (Ctrl-C)
                        selector.unregister(sock)
                        self.stop_build(sock)
                self.reap(selector)
                if not self.children and time.monotonic() - self.last > self.idle:
                    break
        finally:
            for pid in list(self.children):
                _signal_group(pid, signal.SIGTERM)
            selector.close()
            listener.close()
            with contextlib.suppress(OSError):
                if self.path.lstat().st_ino == self.inode:
                    self.path.unlink()

    def accept(self, selector: Any) -> None:
        import selectors

        assert self.listener is not None
        sock, _ = self.listener.accept()
        self.last = time.monotonic()
        try:
            sock.settimeout(10)
            if peer_uid(sock) != os.getuid():
                raise ConnectionError("another user")
            _send_line(
                sock,
                {"diglot": "daemon", "protocol": PROTOCOL, "key": self.key, "pid": os.getpid()},
            )
            request = self.serve(sock)
        except (OSError, ValueError):
            sock.close()
            return
        if request is None:
            sock.close()
        else:
            selector.register(sock, selectors.EVENT_READ)

    def serve(self, sock: socket.socket) -> dict[str, Any] | None:
        """Answer one request; for a build, fork it and return the request
        (the caller waits on the connection)."""
        first = sock.recv(1, socket.MSG_PEEK)
        if first == b"F":
            _data, fds, _flags, _addr = socket.recv_fds(sock, 1, 3)
            try:
                request = _read_line(sock)
                if len(fds) != 3 or not self._own_build(request):
                    raise ConnectionError("only a build of this project, with its caller's files")
                self.fork(sock, request, fds)
            finally:
                for fd in fds:
                    os.close(fd)
            return request
        request = _read_line(sock)
        if "stop" in request:
            self.running = False
            _send_line(sock, {"stopped": os.getpid()})
        elif "status" in request:
            _send_line(
                sock,
                {
                    "pid": os.getpid(),
                    "root": str(self.root),
                    "since": self.started,
                    "builds": self.builds,
                    "building": len(self.children),
                },
            )
        return None

    def _own_build(self, request: dict[str, Any]) -> bool:
        """Whether ``request`` is ``diglot build`` of this daemon's project
        (as diglot.launch hands it over), and nothing else."""
        from diglot.launch import build_project

        argv, cwd = request.get("build"), request.get("cwd")
        if not isinstance(argv, list) or not isinstance(cwd, str) or not Path(cwd).is_absolute():
            return False
        try:
            return build_project([str(arg) for arg in argv], Path(cwd)) == self.root
        except OSError:
            return False

    def fork(self, sock: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
        pid = os.fork()
        if pid == 0:  # the build: never returns
            for other in (self.listener, sock, *self.children.values()):
                if other is not None:
                    other.close()
            os.close(self.lock)
            _run_build(request, fds)
        self.builds += 1
        self.children[pid] = sock

    def stop_build(self, sock: socket.socket) -> None:
        import signal

        for pid, caller in self.children.items():
            if caller is sock and pid not in self.ending:
                _signal_group(pid, signal.SIGINT)
                self.ending[pid] = time.monotonic()

    def reap(self, selector: Any) -> None:
        import signal

        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                break
            sock = self.children.pop(pid, None)
            self.ending.pop(pid, None)
            self.last = time.monotonic()
            if sock is None:
                continue
            with contextlib.suppress(KeyError, ValueError):
                selector.unregister(sock)
            with contextlib.suppress(OSError):
                code = os.waitstatus_to_exitcode(status)
                _send_line(sock, {"exit": code if code >= 0 else 128 - code})
            sock.close()
        for pid, since in list(self.ending.items()):
            if time.monotonic() - since > 5:  # Ctrl-C was not enough
                _signal_group(pid, signal.SIGKILL)


def _signal_group(pid: int, number: int) -> None:
    with contextlib.suppress(OSError):
        os.killpg(pid, number)


def _run_build(request: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: become the caller (its files, folder,
    environment and arguments), run the command, exit with its code."""
    import io
    import signal

    code: int = 1
    try:
        os.setpgid(0, 0)  # the build and its workers, ended together
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for number, fd in enumerate(fds):
            os.dup2(fd, number)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        encoding = str(request.get("encoding") or "utf-8")
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding=encoding)
        sys.stdout = io.TextIOWrapper(
            io.FileIO(1, "w", closefd=False),
            encoding=encoding,
            errors="backslashreplace",
            line_buffering=True,
        )
        sys.stderr = io.TextIOWrapper(
            io.FileIO(2, "w", closefd=False),
            encoding=encoding,
            errors="backslashreplace",
            line_buffering=True,
        )
        os.chdir(str(request["cwd"]))
        env = request.get("env")
        if isinstance(env, dict):
            os.environ.clear()
            os.environ.update({str(k): str(v) for k, v in env.items()})
        import tempfile

        tempfile.tempdir = None  # found again from the caller's TMPDIR
        sys.argv = ["diglot", *(str(arg) for arg in request["build"])]
        from diglot.cli import main

        try:
            main()
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
            if isinstance(exit.code, str):
                sys.stderr.write(exit.code + "\n")
        except KeyboardInterrupt:
            code = 130
    except BaseException as error:  # a child must never return into the daemon's loop
        with contextlib.suppress(Exception):
            detail = " ".join(f"{type(error).__name__}: {error}".split())
            os.write(2, f"diglot: the background build failed to start: {detail}\n".encode())
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError):
                stream.flush()
        os._exit(code)


def serve_project(root: Path) -> int:
    """``python -m diglot.daemon ROOT``: warm up, listen, serve."""
    daemon = Daemon(root)
    try:
        daemon.listen()
    except OSError as error:
        sys.stderr.write(f"diglot daemon: {error}\n")
        return 1
    warm_up()
    daemon.run()
    return 0


if __name__ == "__main__":
    # nothing imported from the folder it was started in, nor from the
    # project's, where each build runs (`diglot daemon start` runs it with
    # -P from /: this holds when it is started otherwise)
    sys.path[:] = [entry for entry in sys.path if entry and Path(entry).resolve() != Path.cwd()]
    sys.exit(serve_project(Path(sys.argv[1])))
