"""WeasyPrint in a second process, warmed up while the edition is prepared.

Importing WeasyPrint takes most of a second, and so do diglot's own
imports, the texts and the templates. ``diglot build`` therefore starts a
:class:`Renderer` first thing: a forked process that imports WeasyPrint (and
loads fonts and hyphenation patterns) on the second core while the first
one loads the project and renders the HTML. The HTML then goes to that
process, which lays it out and writes the PDF, so a one-edition build takes
about as long as bare WeasyPrint on the same HTML.

Errors raised there (a refused URL, invalid CSS, a full disk) come back as
the same :class:`~diglot.errors.DiglotError` with its file and line.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from diglot.errors import BuildError


@dataclass(frozen=True)
class Job:
    """Everything the rendering process needs to write one PDF."""

    html: str
    root: Path
    layout: str
    languages: tuple[str, ...]
    dest: Path
    kind: str
    identifier: bytes
    epoch: int


@dataclass(frozen=True)
class Written:
    pages: int
    warnings: tuple[str, ...]


def lay_out(html: str, root: Path, layout: str, languages: Sequence[str]) -> tuple[Any, list[str]]:
    """WeasyPrint's document for an edition's HTML, and its warnings: files
    only from the project, the built-in layouts and the fonts; the project's
    CSS errors are errors."""
    from diglot import pdf, render

    document, warnings = pdf.render(
        html,
        root,
        render.resource_dirs(root),
        lambda url: render.locate(root, url, layout),
        strict_css=root,
        languages=languages,
    )
    return document, list(warnings)


def write_pdf(job: Job) -> Written:
    """Lay out ``job.html`` and write the PDF (in whichever process runs it)."""
    from diglot import pdf

    document, warnings = lay_out(job.html, job.root, job.layout, job.languages)
    pdf.write(document, job.dest, job.kind, job.identifier, job.epoch)
    return Written(len(document.pages), tuple(dict.fromkeys(warnings)))


def _warm_up() -> None:
    import weasyprint  # noqa: F401

    from diglot import fonts, hyphenation

    fonts.faces()
    hyphenation.register()


class Renderer:
    """One warm WeasyPrint process; use it as a context manager. A build
    with nothing to write stops it at once, without waiting for it."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, os.getpid()), daemon=True)
        self._process.start()
        child.close()

    def write_pdf(self, job: Job) -> Written:
        self._conn.send(job)
        try:
            ok, value = self._conn.recv()
        except EOFError:
            raise BuildError("the WeasyPrint process stopped unexpectedly", job.dest) from None
        if not ok:
            raise value
        assert isinstance(value, Written)
        return value

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        # Between jobs (or before the first) the process holds nothing.
        self._conn.close()
        self._process.terminate()
        self._process.join()


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when the build that started it is
    killed (Linux's PR_SET_PDEATHSIG; elsewhere the process ends at its next
    job, when it finds the pipe closed). Without it a build killed with
    SIGKILL would leave this one running, holding the terminal's pipes."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _serve(conn: Connection, parent: int) -> None:
    _die_with_parent(parent)
    _warm_up()
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            reply: tuple[bool, object] = (True, write_pdf(job))
        except Exception as exc:
            reply = (False, exc)
        try:
            conn.send(reply)
        except Exception:  # an exception that cannot be pickled
            failure = reply[1]
            text = f"internal error: {type(failure).__name__}: {failure}"
            conn.send((False, BuildError(text, job.dest)))
