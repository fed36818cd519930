"""diglot's per-machine cache: data diglot derives from its own installed
files (static font instances, compiled hyphenation patterns and built-in
layouts, glyph coverage), made once and reused by every build of every project.

It lives in the user cache folder platformdirs gives (``~/.cache/diglot``
on Linux; ``XDG_CACHE_HOME`` moves it). Each entry's name carries a digest
of the files it was made from, so a new font or pattern file gets new
entries and stale ones are never read. Entries are written to a temporary
file and renamed, so a killed build never leaves half an entry. Nothing
from a project is ever written here: a build writes only what it derives
from diglot's own files (the first build on a machine makes it; a
project's unchanged copy of a built-in layout is the built-in's source and
shares its entry), and reads it after.

When the folder cannot be written, :func:`store` returns None and callers
use the slower path (parse the patterns, let WeasyPrint instance the
variable fonts) instead of failing.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any


def directory() -> Path:
    """The cache folder (not created)."""
    # Asked for every entry a build looks up (a hundred times): found once
    # for each value of the variables it depends on.
    return _directory(os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME"))


@cache
def _directory(_xdg_cache_home: str | None, _home: str | None) -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("diglot", appauthor=False)).resolve()


@cache
def file_digest(path: Path) -> str:
    """A short content digest of one of diglot's own input files (fonts,
    patterns), computed once per process."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def entry(name: str) -> Path:
    """The path an entry has (or would have) in the cache."""
    return directory() / name


def lookup(name: str) -> Path | None:
    path = entry(name)
    return path if path.is_file() else None


@contextlib.contextmanager
def locked(name: str) -> Iterator[bool]:
    """Hold an exclusive lock named ``name`` while the body runs, so two
    builds do not make the same entries at once. Yields False when the
    cache folder cannot be written (nothing is locked then)."""
    try:
        folder = directory()
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / f".{name}.lock").open("a")
    except OSError:
        yield False
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield True


def store(name: str, write: Callable[[Path], None]) -> Path | None:
    """Make entry ``name`` with ``write(temporary_path)`` unless it exists;
    return its path, or None if the cache folder cannot be written."""
    dest = entry(name)
    if dest.is_file():
        return dest
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    except OSError:
        return None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        tmp.chmod(0o644)
        tmp.replace(dest)
    except OSError:
        return None
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def _marshal_name(name: str) -> str:
    # marshal's format belongs to the Python version that wrote it.
    return f"{name}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"


def load_data(name: str) -> Any:
    """Plain data (numbers, strings, tuples, dicts, sets) stored by
    :func:`store_data`, or None. marshal, unlike pickle, cannot run code
    when it reads."""
    found = lookup(_marshal_name(name))
    if found is None:
        return None
    try:
        # Only diglot writes this folder; and marshal builds values, it
        # never calls anything (callers check the type they get).
        return marshal.loads(found.read_bytes())  # noqa: S302
    except (OSError, ValueError, EOFError, TypeError):
        return None


def store_data(name: str, value: Any) -> None:
    data = marshal.dumps(value)

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    store(_marshal_name(name), write)
