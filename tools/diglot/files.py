"""Reading and writing files a project names, safely.

Every file diglot writes (PDF, HTML, PNG, imposed PDF, manifest, PO file,
imported translation) goes through :func:`atomic_write`: a temporary file
next to the target, locked, synced and renamed over it, so a failed or
killed run leaves the previous file as it was. Given the folder the file
must stay in, it refuses a target that resolves anywhere else (a link in the
project pointing out of it) and never creates a folder outside it.

:func:`read_bytes` reads a regular file up to a limit: a FIFO, a device or a
file linked to ``/dev/zero`` is refused before anything is read from it.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from diglot.errors import BuildError, DiglotError

MB = 1024 * 1024
# A PDF diglot reads back (to impose it or draw thumbnails) is one it wrote.
MAX_PDF_BYTES = 1024 * MB


class NotRegularFile(OSError):
    """The path is a FIFO, a socket or a device, not a file."""


class FileTooLarge(OSError):
    """The file is over the size limit for its kind."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"is {size // MB} MB; the limit is {limit // MB} MB")
        self.size = size
        self.limit = limit


def read_bytes(path: Path, limit: int) -> bytes:
    """The content of the regular file ``path``, at most ``limit`` bytes.

    Raises :class:`NotRegularFile` for anything but a regular file (opening a
    FIFO for reading would wait for a writer, so it is opened non-blocking
    and looked at before any read), :class:`FileTooLarge` for a file over
    ``limit`` (reading stops at ``limit + 1`` bytes, even if the file grows
    while it is read), and other ``OSError`` as they come.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "is a folder", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise FileTooLarge(info.st_size, limit)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, MB))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        if remaining <= 0:
            raise FileTooLarge(limit + 1, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_within(folder: Path, path: Path, limit: int) -> bytes:
    """:func:`read_bytes` of ``path``, only when it resolves inside
    ``folder`` (a cache file in ``output/`` linked elsewhere is not read:
    :class:`BuildError`)."""
    return read_bytes(within(folder, path), limit)


def read_checked(
    path: Path, limit: int, error: type[DiglotError] = BuildError, kind: str = "files"
) -> bytes:
    """:func:`read_bytes`, with every failure raised as ``error`` naming
    ``path`` (``kind`` names what the limit is for in the message)."""
    try:
        return read_bytes(path, limit)
    except FileTooLarge as exc:
        raise error(
            f"is {exc.size // MB} MB; {kind} are limited to {limit // MB} MB", path
        ) from None
    except FileNotFoundError:
        raise error("file not found", path) from None
    except IsADirectoryError:
        raise error("is a folder, expected a file", path) from None
    except NotRegularFile as exc:
        raise error(str(exc), path) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or exc}", path) from None


def digest(path: Path, limit: int | None = None) -> str | None:
    """SHA-256 of the regular file ``path`` (read in pieces: a PDF may be
    large), or None if it is missing, unreadable or not a regular file.
    A file over ``limit`` bytes is not read: its size and time stand for it
    (whatever reads it next refuses it)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        if limit is not None and info.st_size > limit:
            return f"over-limit:{info.st_size}:{info.st_mtime_ns}"
        hashed = hashlib.sha256()
        while chunk := os.read(fd, MB):
            hashed.update(chunk)
        return hashed.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def within(folder: Path, path: Path) -> Path:
    """``path``, after checking that it resolves inside ``folder``.

    Raises :class:`BuildError` naming the first link on the way that leads
    out (or ``path`` itself, when a ``..`` does)."""
    base = folder.resolve()
    target = path.resolve()
    if target.is_relative_to(base):
        return path
    link = next(
        (p for p in (*reversed(path.parents), path) if p.is_symlink()),
        None,
    )
    if link is not None:
        raise BuildError(
            f"is a link to {link.readlink()}, outside the project; diglot writes only "
            "inside the project: remove the link",
            link,
        )
    raise BuildError(
        f"resolves to {target}, outside the project; diglot writes only inside it", path
    )


def make_dirs(folder: Path, inside: Path | None) -> None:
    """Create ``folder`` and its missing parents, none of them outside ``inside``."""
    if inside is not None:
        within(inside, folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = next((p for p in (*reversed(folder.parents), folder) if p.is_file()), folder)
        raise BuildError(
            "is a file, not a folder: move it away so the output can be written", blocker
        ) from None
    except OSError as exc:
        raise BuildError(f"cannot create this folder: {exc.strerror}", folder) from None


def atomic_write(
    dest: Path,
    content: bytes | Callable[[IO[bytes]], object],
    inside: Path | None = None,
    what: str = "the file",
    durable: bool = True,
) -> None:
    """Write ``content`` (bytes, or a function writing to a binary handle) to
    ``dest`` by way of ``.<name>.<random>.part`` next to it, then rename.
    ``durable``: on disk before the rename (fsync); a cache, which a crash
    may lose, need not wait for that (see :func:`write_cache`).

    With ``inside``, ``dest`` must resolve inside that folder. The temporary
    file is locked until the rename, so a run killed mid-write leaves a
    ``.part`` file nobody holds, which :func:`remove_stale_parts` clears.
    An existing ``dest`` keeps its permissions; a new one is 0644.
    """
    make_dirs(dest.parent, inside)
    if inside is not None:
        within(inside, dest)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    except OSError as exc:
        raise BuildError(f"cannot write here: {exc.strerror}", dest.parent) from None
    tmp = Path(tmp_name)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with os.fdopen(fd, "wb") as handle:
            if isinstance(content, bytes):
                handle.write(content)
            else:
                content(handle)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
            try:
                mode = dest.stat().st_mode & 0o777 if dest.is_file() else 0o644
            except OSError:
                mode = 0o644
            os.fchmod(handle.fileno(), mode)  # mkstemp makes 0600
            tmp.replace(dest)
    except DiglotError:
        tmp.unlink(missing_ok=True)
        raise
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BuildError(f"cannot write {what}: {exc.strerror or exc}", dest) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    remove_stale_parts(dest)


def write_cache(dest: Path, data: bytes, inside: Path, what: str) -> None:
    """Write a cache file in the output folder ``inside``, as
    :func:`atomic_write` does, but not synced to disk (every cache file is
    read as untrusted input, so one a crash left short is only a miss), and
    not at all when it already holds ``data`` (a rebuild of unchanged text
    finds its caches as they are)."""
    try:
        if read_within(inside, dest, len(data) + 1) == data:
            return
    except (OSError, DiglotError):
        pass  # not there, or not readable: written below
    atomic_write(dest, data, inside, what, durable=False)


def remove_stale_parts(dest: Path) -> None:
    """Remove ``.part`` files of ``dest`` left by killed runs. A running
    write holds a lock on its own, so its file is left alone."""
    for part in dest.parent.glob(f".{glob.escape(dest.name)}.*.part"):
        try:
            # Non-blocking and not through a link: a pipe or a link named
            # like a temporary file must not stall or redirect the clean-up.
            fd = os.open(part, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            continue  # already gone, or a link
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            part.unlink()
        except OSError:
            continue  # locked by a running write
        finally:
            os.close(fd)


_OUTER_TMPDIR: list[str | None] = []  # TMPDIR as it was before each scratch_folder


def outer_environ() -> dict[str, str]:
    """The environment as the command found it (TMPDIR not its scratch
    folder's), for a process that outlives the command."""
    env = dict(os.environ)
    if _OUTER_TMPDIR:
        env.pop("TMPDIR", None)
        if _OUTER_TMPDIR[0] is not None:
            env["TMPDIR"] = _OUTER_TMPDIR[0]
    return env


@contextlib.contextmanager
def scratch_folder() -> Iterator[Path | None]:
    """One temporary folder for everything a command's libraries put in the
    system's temporary folder, removed when the command ends, failed or not.

    WeasyPrint copies the fonts of ``@font-face`` rules to a new temporary
    folder for every layout (about 7 MB here) and removes it only when its
    font configuration is garbage-collected, which a process that ends (a
    build worker above all, which exits without collecting) never does: a
    day of builds left thousands of them. ``TMPDIR`` is set too, so that
    the worker processes use the same folder. Where no temporary folder can
    be made, nothing changes."""
    try:
        folder = Path(tempfile.mkdtemp(prefix="diglot-"))
    except OSError:
        yield None
        return
    saved_dir, saved_env = tempfile.tempdir, os.environ.get("TMPDIR")
    _OUTER_TMPDIR.append(saved_env)
    tempfile.tempdir = os.environ["TMPDIR"] = str(folder)
    try:
        yield folder
    finally:
        _OUTER_TMPDIR.pop()
        tempfile.tempdir = saved_dir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env
        shutil.rmtree(folder, ignore_errors=True)
