"""Long facing editions laid out in chunks, on every core, and cached.

WeasyPrint lays out one document on one core. A facing edition is a run of
spreads, and every spread starts on a new left page (``break-before:
left``): the layout itself forces a page break there, so a run of spreads
laid out on its own gives the same pages as in the whole document. This
module cuts such an edition into chunks of :data:`SPREADS` spreads (and
the measuring column into parts of :data:`MEASURE_ROWS` segments), lays
them out in forked processes, ``jobs`` at a time, and joins the chunks'
PDFs with pypdf:

- **Folios** continue: a chunk starts its page counter at the page number
  it will have (``@page :first { counter-reset: page N }``).
- **Page selectors**: a chunk that does not start the text begins with two
  empty sides (``lead`` pages, dropped when joining), so the layout's
  ``:first`` and ``:nth(1 of text)`` rules fall on them, not on the first
  real page; they also carry the running heads current at that point.
- **Cross-references** to another chunk (the contents, the record of
  changes) get their page numbers written in (``data-diglot-page``), and a
  target for each link (on a dropped page), so WeasyPrint keeps the link;
  the joined PDF's name tree points each name at its real page.
  The front matter (cover, colophon, contents) is laid out first with the
  previous build's numbers, to learn where the text starts, and again at
  the end if the numbers changed.
- **Outline, metadata**: the outline is rebuilt from every chunk's
  bookmarks with WeasyPrint's nesting rule; the document information,
  language, XMP metadata and output intents are the front chunk's (laid
  out with the edition's PDF identifier), the file identifier the one an
  unchunked build writes. Booklets are padded to a multiple of four pages
  on the joined document.

- **Line breaking**: :func:`diglot.typography.settle`, the loop of layout
  passes of total fit, the ladder limit and near-empty pages, runs over
  the chunks as over the whole edition. Each pass lays out the chunks (or
  measuring parts) and each sends back what settle reads of its pages
  (:func:`read_part`: the numbered paragraphs and the lines, with the
  edition's page numbers); settle decides on them as on one document
  (:func:`gather_readouts`). A paragraph is never in two chunks and a
  piece keeps its packed line count (``data-lines``), so its breaks are
  those of the whole layout; a word a ladder locks is locked for the
  whole edition, and the chunks holding it are laid out again; a footnote
  too tall stops the build only in the last pass.

Each chunk is kept in ``output/.diglot-chunks/<edition>/`` under a digest
of its HTML, the stylesheets, layouts, pictures, fonts and diglot's code it
depends on, and the words protected from hyphenation that its HTML holds
(:func:`protected_in`); a rebuild goes through the same passes and lays out
only the chunks whose digest changed (one paragraph edited: its chunk and
its measuring part, in each pass that changes them). Only the last build's
entries, of every pass, are kept.

Booklets and handouts are not chunked: their text is one flow (a table of
rows) with no page break the layout forces, so where one chunk ends would
move the next one's page breaks. Editions with ``pdf = "accessible"`` (one
structure tree for the whole document) and ``--proof`` also take the
single-process path.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import html as html_mod
import itertools
import json
import os
import pickle
import re
import select
import shutil
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from diglot import (
    __version__,
    facing,
    files,
    fonts,
    hyphenation,
    incremental,
    pdf,
    proof,
    record,
    render,
    typography,
    weasy,
)
from diglot import rows as rows_mod
from diglot.errors import BuildError, DiglotError, SourceError
from diglot.project import Edition

FOLDER = ".diglot-chunks"
# What the measuring column's parts measured: small, and kept with the line
# breaking's decisions (diglot.settlecache), whose folder a rebuild keeps.
MEASURE_FOLDER = Path(".diglot-cache") / "measure"
SPREADS = 12  # spreads (24 pages) per chunk
MEASURE_ROWS = 250  # segments per part of the measuring column
# Editions whose texts are at least this large are chunked unless told not
# to (about 90 facing pages: 420 KB made 240); smaller ones are laid out in one process.
AUTO_BYTES = 150_000
MAX_META_BYTES = 64 * files.MB
LEAD = 2  # empty pages before a chunk that does not start the text

Progress = Callable[[str], None]


def wanted(edition: Edition, setting: bool | None, run_proof: bool = False) -> bool:
    """Whether ``edition`` is built in chunks: ``setting`` is the user's
    choice (None: automatic, by the size of the texts)."""
    cfg = edition.config
    if setting is False or run_proof or cfg.layout != "facing":
        return False
    if cfg.pdf == "accessible":
        return False
    if setting:
        return True
    size = 0
    for lang in edition.languages:
        with contextlib.suppress(OSError):
            size += edition.source(lang).stat().st_size
    return size >= AUTO_BYTES


# -- splitting the HTML -----------------------------------------------------------------

_BODY_OPEN = re.compile(r"<body\b[^>]*>")
_BODY_CLOSE = re.compile(r"</body\s*>")
_MAIN_OPEN = re.compile(r'<main class="body facing"[^>]*>')
_MAIN_CLOSE = re.compile(r"</main\s*>")
_SIDE = re.compile(r'<div class="side (verso|recto)"[^>]*>')
_MEASURE = re.compile(r'<section class="side measure"')
_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'\shref="#([^"]+)"')
_PAGE_REF = re.compile(r'<a class="page-ref" href="#([^"]+)"')


@dataclass(frozen=True)
class Piece:
    """One chunk's HTML and which of its pages are the edition's."""

    kind: str  # "front", "text" (spreads) or "end"
    index: int
    html_parts: tuple[str, ...]  # the HTML, cut where the numbers go in
    lead: int  # pages before the edition's (dropped)
    trail: int  # pages after them (dropped)
    refs: tuple[str, ...]  # page references to other chunks' anchors, in order

    def html(self, start: int, numbers: dict[str, int], guess: str) -> str:
        """The chunk's HTML with page ``start`` as its first real page."""
        out = [self.html_parts[0]]
        for ref, part in zip(self.refs, self.html_parts[1:], strict=True):
            number = numbers.get(ref)
            out.append(f' data-diglot-page="{number if number is not None else guess}"')
            out.append(part)
        style = (
            "<style>a.page-ref[data-diglot-page]::after { content: attr(data-diglot-page) }"
            f"\n@page :first {{ counter-reset: page {start - self.lead} }}"
            + ("\nhtml { break-before: left }" if self.kind != "front" else "")
            + "</style>\n</head>"
        )
        return "".join(out).replace("</head>", style, 1)


@dataclass(frozen=True)
class Split:
    front: Piece
    texts: tuple[Piece, ...]
    end: Piece
    spreads: tuple[int, ...]  # spreads in each text chunk


def split_final(html: str, spreads_per_chunk: int) -> Split | None:
    """The chunks of a facing edition's laid-out HTML, or None when the
    HTML is not the facing layout's (a project's own template)."""
    body = _BODY_OPEN.search(html)
    main = _MAIN_OPEN.search(html)
    if body is None or main is None:
        return None
    close = _MAIN_CLOSE.search(html, main.end())
    end_body = _BODY_CLOSE.search(html, close.end()) if close else None
    if close is None or end_body is None:
        return None
    inner = html[main.end() : close.start()]
    starts = [m.start() for m in _SIDE.finditer(inner) if m[1] == "verso"]
    if not starts or inner[: starts[0]].strip():
        return None
    spreads = [inner[a:b] for a, b in zip(starts, [*starts[1:], len(inner)], strict=True)]
    tags = []
    for spread in spreads:
        found = {m[1]: m[0] for m in _SIDE.finditer(spread)}
        if set(found) != {"verso", "recto"}:
            return None
        tags.append((found["verso"], found["recto"]))
    doc_open = html[: body.end()]
    doc_close = html[end_body.start() :]

    def side_pair(index: int, targets: str) -> str:
        verso, recto = tags[index]
        return f"{verso}{targets}</div>\n{recto}</div>\n"

    front_content = html[body.end() : main.start()]
    ids, targets = _targets(front_content)
    # The front ends with the first verso, empty and dropped: it brings the
    # blank page that puts the text on a left page, as in the whole document.
    front_html = f"{doc_open}{front_content}{main[0]}{tags[0][0]}{targets}</div>\n</main>\n"
    front = _piece("front", 0, front_html + doc_close, ids, 0, 1)
    texts = []
    sizes = []
    for number, first in enumerate(range(0, len(spreads), spreads_per_chunk), start=1):
        last = min(first + spreads_per_chunk, len(spreads))
        content = "".join(spreads[first:last])
        ids, targets = _targets(content)
        if first:
            text = f"{doc_open}{main[0]}\n{side_pair(first - 1, targets)}{content}"
        else:
            # The text's first chunk: its lead before <main>, so that its
            # first pages are the first of the "text" pages, as in the whole.
            text = f"{doc_open}{side_pair(0, targets)}{main[0]}\n{content}"
        texts.append(_piece("text", number, text + "</main>\n" + doc_close, ids, LEAD, 0))
        sizes.append(last - first)
    end_content = html[close.end() : end_body.start()]
    ids, targets = _targets(end_content)
    end_html = f"{doc_open}{main[0]}\n{side_pair(len(spreads) - 1, targets)}</main>\n"
    end = _piece("end", len(texts) + 1, end_html + end_content + doc_close, ids, LEAD, 0)
    return Split(front, tuple(texts), end, tuple(sizes))


def _targets(content: str) -> tuple[set[str], str]:
    """The ids in ``content``, and an empty element for each id it links
    to but does not have (WeasyPrint drops a link whose target is missing)."""
    ids = set(_ID.findall(content))
    missing = sorted({h for h in _HREF.findall(content) if h not in ids})
    return ids, "".join(f'<div id="{name}"></div>' for name in missing)


def _piece(kind: str, index: int, text: str, ids: set[str], lead: int, trail: int) -> Piece:
    """A chunk, cut before the end of each page reference to another chunk."""
    parts: list[str] = []
    refs: list[str] = []
    at = 0
    for match in _PAGE_REF.finditer(text):
        if match[1] in ids:
            continue
        parts.append(text[at : match.end()])
        refs.append(match[1])
        at = match.end()
    parts.append(text[at:])
    return Piece(kind, index, tuple(parts), lead, trail, tuple(refs))


def split_measure(html: str, rows: int) -> list[str] | None:
    """The measuring column's HTML in parts of ``rows`` sections each."""
    body = _BODY_OPEN.search(html)
    if body is None:
        return None
    end_body = _BODY_CLOSE.search(html, body.end())
    starts = [m.start() for m in _MEASURE.finditer(html, body.end())]
    if end_body is None or not starts:
        return None
    bounds = [*starts, end_body.start()]
    sections = [html[a:b] for a, b in itertools.pairwise(bounds)]
    head, tail = html[: body.end()] + "\n", html[end_body.start() :]
    return [head + "".join(sections[i : i + rows]) + tail for i in range(0, len(sections), rows)]


# -- laying out in forked processes ---------------------------------------------------


def in_parallel(
    jobs: Sequence[Callable[[], Any]],
    workers: int,
    done: Callable[[int, Any], None] | None = None,
) -> list[Any]:
    """Run the jobs in ``workers`` forked processes (with one worker, one
    after the other in this process); their results in order, and
    ``done(index, result)`` hears of each as it comes. A job's DiglotError
    is raised here.

    Each process takes one job after another, as the pipe from here tells
    it, and sends back its result, pickled: a process per job would start
    with cold caches and fault in its memory afresh every time (measured:
    a third more CPU time). Forked with os.fork, not multiprocessing: an
    edition's build may itself run in one of build_many's daemonic worker
    processes, which multiprocessing does not let have children."""
    results: list[Any] = [None] * len(jobs)
    if workers <= 1 or len(jobs) <= 1:  # here, no process to start
        for index, job in enumerate(jobs):
            results[index] = job()
            if done is not None:
                done(index, results[index])
        return results
    weasy.imported()  # no import half done in the forked children
    # The children's garbage collector would walk (and so copy) every
    # object they inherit: frozen, it leaves them alone.
    gc.freeze()
    pool: dict[int, tuple[int, int]] = {}  # result pipe -> (order pipe, pid)
    busy: dict[int, int] = {}  # result pipe -> job index
    waiting = list(range(len(jobs)))
    try:
        for _ in range(min(workers, len(jobs))):
            orders_read, orders_write = os.pipe()
            results_read, results_write = os.pipe()
            pid = os.fork()
            if pid == 0:  # a worker: never returns
                os.close(orders_write)
                os.close(results_read)
                for theirs, (orders, _) in pool.items():  # the other workers' pipes
                    os.close(theirs)
                    os.close(orders)  # (held here, a worker would never see its end)
                _worker(jobs, orders_read, results_write)
            os.close(orders_read)
            os.close(results_write)
            pool[results_read] = (orders_write, pid)
        while waiting or busy:
            for fd, (orders, _) in pool.items():
                if fd not in busy and waiting:
                    busy[fd] = waiting.pop(0)
                    os.write(orders, busy[fd].to_bytes(4, "big"))
            ready, _, _ = select.select(list(busy), [], [])
            for fd in ready:
                index = busy.pop(fd)
                data = _read_message(fd)
                if data is None:
                    raise BuildError(
                        "a process laying out part of the edition ended without a result "
                        "(if memory ran out, build with fewer --jobs)"
                    )
                ok, value = pickle.loads(data)  # noqa: S301 - our own child's answer
                if not ok:
                    raise value
                results[index] = value
                if done is not None:
                    done(index, value)
    finally:
        gc.unfreeze()
        for fd, (orders, pid) in pool.items():
            os.close(orders)  # end of orders: the worker leaves
            if fd in busy:  # still at work after an error here: stop it
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
            os.close(fd)
    return results


def _worker(jobs: Sequence[Callable[[], Any]], orders: int, answers: int) -> None:
    """A forked worker: run the jobs it is told, answer each, leave at the
    end of its orders (or when the parent is gone)."""
    code = 0
    try:
        while True:
            order = _read_exactly(orders, 4)
            if order is None:
                break
            try:
                payload = pickle.dumps((True, jobs[int.from_bytes(order, "big")]()))
            except DiglotError as exc:
                payload = pickle.dumps((False, exc))
            except Exception as exc:  # a bug in diglot or WeasyPrint: one line for the user
                text = f"internal error while laying out: {type(exc).__name__}: {exc}"
                payload = pickle.dumps((False, BuildError(text)))
            message = len(payload).to_bytes(8, "big") + payload
            while message:
                message = message[os.write(answers, message) :]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _read_exactly(fd: int, size: int) -> bytes | None:
    """``size`` bytes from a pipe, or None at its end."""
    parts = []
    while size:
        block = os.read(fd, min(size, 1 << 20))
        if not block:
            return None
        parts.append(block)
        size -= len(block)
    return b"".join(parts)


def _read_message(fd: int) -> bytes | None:
    head = _read_exactly(fd, 8)
    return None if head is None else _read_exactly(fd, int.from_bytes(head, "big"))


# -- one build ----------------------------------------------------------------------


@dataclass
class Chunk:
    """A laid-out chunk: its PDF in the cache and what the join needs."""

    piece: Piece
    key: str
    pdf: Path
    pages: int  # in its PDF, lead and trail included
    anchors: list[dict[str, list[float]]]  # per kept page: name -> x, y, width, height
    bookmarks: list[list[Any]]  # [page in its PDF, level, label, state]
    warnings: list[str]
    served: list[str]
    start: int
    numbers: list[int | None]  # the page numbers its cross-references print
    readout: dict[str, Any]  # what typography.settle reads of its pages (read_part)
    problem: list[Any] | None  # a footnote that does not fit: message, file, line

    def refuse(self, root: Path) -> None:
        """Raise the chunk's footnote problem, if it has one."""
        if self.problem is not None:
            message, path, line = self.problem
            raise SourceError(message, root / path if path is not None else None, line)

    @property
    def kept(self) -> range:
        return range(self.piece.lead, self.pages - self.piece.trail)


@dataclass(frozen=True)
class _Page:
    """What facing.out_of_step reads of a page: its anchors."""

    anchors: dict[str, tuple[float, ...]]


@dataclass
class Joined:
    """An edition laid out in chunks; :func:`write` joins them into its PDF."""

    chunks: list[Chunk]
    pad: int  # blank pages added at the end (booklets: a multiple of four)
    pages: list[_Page] = field(default_factory=list)
    session: Session | None = None
    readout: typography.Readout | None = None  # what typography.settle reads of the pages


@dataclass(frozen=True)
class Measured:
    """The measuring column's metrics, gathered from its parts."""

    metrics: facing.Metrics
    readout: typography.Readout


class Session:
    """Lays out one edition's chunks: the cache folder, the processes, and
    what is told to ``progress``."""

    def __init__(self, edition: Edition, tell: Progress, jobs: int, documents: Any) -> None:
        from diglot import build

        self.edition = edition
        self.root = edition.project.root
        self.tell = tell
        self.jobs = jobs
        self.documents = documents
        self.folder = edition.project.output_dir / FOLDER / edition.name
        self.measures = edition.project.output_dir / MEASURE_FOLDER / edition.name
        # Read and pruned only inside output/ (a link there leads nowhere else).
        files.within(edition.project.output_dir, self.folder)
        files.within(edition.project.output_dir, self.measures)
        self.kind = edition.config.pdf
        self.epoch = int(build.page_for(edition).timestamp().timestamp())
        self.resources = resources_digest(edition)
        self.folders = [*render.resource_dirs(self.root), *fonts.font_dirs()]
        self.used: set[str] = set()  # cache entries this build read or wrote
        self.measures_used: set[str] = set()  # ... of the measuring parts
        self.warnings: list[str] = []
        self.served: set[Path] = set()
        self.renders = 0  # chunks and parts laid out (not from the cache)
        # What this build read of a part's HTML (by its digest: its words,
        # its identifier) and of the kept entries: each pass asks again for
        # the parts an edit left alone.
        self._html_seen: dict[bytes, tuple[frozenset[str], bytes]] = {}
        self._entries: dict[Path, dict[str, Any]] = {}
        self.identifier = b""

    # -- cache --

    def key(self, html: str, *extra: str) -> str:
        digest = hashlib.sha256()
        for part in (__version__, self.resources, self.kind, str(self.epoch)):
            digest.update(part.encode() + b"\0")
        seen = hashlib.sha256(html.encode()).digest()
        if seen not in self._html_seen:
            # The HTML with its file: URLs counted from the project's and
            # diglot's folders: a project moved elsewhere keeps its chunks.
            self._html_seen[seen] = (_words_of(html), pdf.pdf_identifier(html, self.folders))
        words, identifier = self._html_seen[seen]
        digest.update("\n".join(sorted(words & hyphenation.protected())).encode() + b"\0")
        for part in extra:
            digest.update(part.encode() + b"\0")
        digest.update(identifier)
        return digest.hexdigest()[:40]

    def cached(self, key: str, folder: Path | None = None) -> dict[str, Any] | None:
        """The entry kept under ``key`` in ``folder`` (the chunks' unless
        told), as written, or None."""
        folder = self.folder if folder is None else folder
        path = folder / f"{key}.json"
        if any(p.is_symlink() for p in (path, path.with_suffix(".pdf"))):
            return None  # not written by diglot
        data = self._entries.get(path)  # read earlier in this build
        if data is None:
            try:
                data = json.loads(files.read_within(folder, path, MAX_META_BYTES))
            except (OSError, ValueError, RecursionError, DiglotError):
                return None
            if not isinstance(data, dict) or data.get("key") != key:
                return None
            self._entries[path] = data
        if "pages" in data and not (folder / f"{key}.pdf").is_file():
            return None
        return data

    def store(self, key: str, data: dict[str, Any], folder: Path | None = None) -> None:
        text = json.dumps({**data, "key": key}, sort_keys=True).encode("utf-8")
        path = (self.folder if folder is None else folder) / f"{key}.json"
        self.written(key, path.parent)
        files.write_cache(
            path,
            text,
            self.edition.project.output_dir,
            "the chunk cache",
        )

    def written(self, key: str, folder: Path) -> None:
        """Forget what was read of an entry written again (here or by a
        worker process)."""
        self._entries.pop(folder / f"{key}.json", None)

    # -- laying out --

    def render(self, html: str, served: set[Path]) -> Any:
        root = self.root
        document, found = pdf.render(
            html,
            root,
            render.resource_dirs(root),
            lambda url: render.locate(root, url, self.edition.config.layout),
            strict_css=root,
            languages=self.edition.languages,
            served=served,
        )
        return document, list(found)

    def measure(self, html: str) -> Measured:
        """Measure the column in parts, in parallel, reusing kept parts.

        A part's entry (its metrics and readout, no PDF) is kept in
        :data:`MEASURE_FOLDER`, beside the line breaking's decisions: a
        rebuild that recalls those lays the column out with the same HTML,
        so with both kept it lays out no measuring part at all, even when
        the chunks' PDFs are gone."""
        parts = split_measure(html, MEASURE_ROWS)
        if parts is None:
            raise BuildError("facing layout: the measuring column has no sections to measure")
        keys = [self.key(part, "measure") for part in parts]
        found: dict[int, dict[str, Any]] = {}
        todo = []
        for index, key in enumerate(keys):
            hit = self.cached(key, self.measures)
            if hit is not None and _metrics_ok(hit) and _readout_ok(hit.get("readout")):
                found[index] = hit
                self.tell(f"measuring part {index + 1} of {len(parts)}: from the cache")
            else:
                todo.append(index)

        def job(index: int) -> Callable[[], dict[str, Any]]:
            def run() -> dict[str, Any]:
                served: set[Path] = set()
                document, warnings = self.render(parts[index], served)
                metrics = facing.measure(document)
                data = {
                    "metrics": metrics,
                    "readout": read_part(document.pages),
                    "warnings": warnings,
                    "served": self.portable(served),
                }
                self.store(keys[index], data, self.measures)
                return data

            return run

        def measured(number: int, data: dict[str, Any]) -> None:
            found[todo[number]] = data
            self.written(keys[todo[number]], self.measures)
            self.renders += 1
            self.tell(f"measuring part {todo[number] + 1} of {len(parts)}: laid out")

        in_parallel([job(i) for i in todo], self.jobs, measured)
        metrics: facing.Metrics = {}
        readouts = []
        before = 0  # pages of the parts before (the measuring column's pages are not the book's)
        for index, key in enumerate(keys):
            data = found[index]
            self.measures_used.add(f"{key}.json")
            self._gather(data)
            for name, (heights, chars, notes) in data["metrics"].items():
                metrics[name] = (list(heights), list(chars), [list(n) for n in notes])
            readouts.append((data["readout"], before))
            before += max((row[0] for row in data["readout"]["lines"]), default=0)
        return Measured(metrics, gather_readouts(readouts))

    def portable(self, served: set[Path]) -> list[str]:
        """The files a layout loaded, those of the project by their place in it."""
        root = self.root.resolve()
        return sorted(
            f"project:{p.relative_to(root)}" if p.is_relative_to(root) else str(p) for p in served
        )

    def _gather(self, data: dict[str, Any]) -> None:
        self.warnings.extend(w for w in data.get("warnings", []) if w not in self.warnings)
        root = self.root.resolve()
        for name in data.get("served", []):
            inside = name.removeprefix("project:")
            self.served.add(root / inside if inside != name else Path(name))

    def chunks(self, pieces: list[tuple[Piece, int, dict[str, int]]], total: int) -> list[Chunk]:
        """Lay out ``(piece, first page, page numbers)`` chunks, in parallel,
        reusing cached ones."""
        out: dict[int, Chunk] = {}
        todo: list[tuple[int, Piece, int, str, str]] = []
        for index, (piece, start, numbers) in enumerate(pieces):
            html = piece.html(start, numbers, "0")
            # The front chunk carries the edition's XMP metadata, which names
            # the file identifier; the others' identifiers are not kept.
            xmp = piece.kind == "front" and self.kind != "screen"
            extra = self.identifier.decode() if xmp else ""
            key = self.key(html, "chunk", extra)
            hit = self.cached(key)
            good = hit is not None and _chunk_ok(hit) and _readout_ok(hit.get("readout"))
            kept = hit["pages"] - piece.lead - piece.trail if hit and good else -1
            if hit is not None and kept >= 0 and len(hit["anchors"]) == kept:
                out[index] = self._chunk(piece, key, start, hit, numbers)
                self.tell(f"chunk {_label(piece, total)}: from the cache")
            else:
                todo.append((index, piece, start, key, html))

        def job(piece: Piece, start: int, key: str, html: str) -> Callable[[], dict[str, Any]]:
            return lambda: self._lay_out_chunk(piece, start, key, html)

        def laid_out(number: int, data: dict[str, Any]) -> None:
            index, piece, start, key, _ = todo[number]
            self.written(key, self.folder)
            out[index] = self._chunk(piece, key, start, data, pieces[index][2])
            self.renders += 1
            self.tell(f"chunk {_label(piece, total)}: laid out")

        in_parallel([job(p, s, k, h) for _, p, s, k, h in todo], self.jobs, laid_out)
        return [out[i] for i in range(len(pieces))]

    def _chunk(
        self, piece: Piece, key: str, start: int, data: dict[str, Any], numbers: dict[str, int]
    ) -> Chunk:
        self._gather(data)
        self.used.update((f"{key}.json", f"{key}.pdf"))
        return Chunk(
            piece,
            key,
            self.folder / f"{key}.pdf",
            data["pages"],
            data["anchors"],
            data["bookmarks"],
            data["warnings"],
            data["served"],
            start,
            [numbers.get(r) for r in piece.refs],
            data["readout"],
            data["problem"],
        )

    def _lay_out_chunk(self, piece: Piece, start: int, key: str, html: str) -> dict[str, Any]:
        """In a child process: lay out one chunk, check its footnotes, write
        its PDF into the cache; what the join needs of it."""
        from diglot import build

        served: set[Path] = set()
        document, warnings = self.render(html, served)
        pages = document.pages
        # Footnotes are checked with the pages numbered as in the edition;
        # a problem is raised only if this chunk is in the edition's last
        # layout pass (as the whole edition is checked once laid out).
        blank = SimpleNamespace(_page_box=SimpleNamespace(children=(), height=0))
        before = [blank] * (start - piece.lead - 1)
        problem = None
        try:
            build.check_footnotes(SimpleNamespace(pages=[*before, *pages]), self.documents)
        except SourceError as exc:
            where = exc.path
            if where is not None and where.is_relative_to(self.root):
                where = where.relative_to(self.root)
            problem = [exc.message, str(where) if where is not None else None, exc.line]
        # as the whole edition's layout does (build._finish)
        rows_mod.clear_heads_over_headings(document)
        kept = pages[piece.lead : len(pages) - piece.trail]
        anchors = [
            {name: [float(v) for v in value] for name, value in page.anchors.items()}
            for page in kept
        ]
        bookmarks = [
            [number, level, label, state]
            for number, page in enumerate(pages)
            for level, label, _, state in page.bookmarks
        ]
        xmp = piece.kind == "front" and self.kind != "screen"
        identifier = self.identifier if xmp else pdf.pdf_identifier(html, self.folders)
        pdf.write(
            document,
            self.folder / f"{key}.pdf",
            self.kind,
            identifier,
            self.epoch,
            self.edition.project.output_dir,
            lambda url: render.locate(self.root, url, self.edition.config.layout),
        )
        data = {
            "pages": len(pages),
            "anchors": anchors,
            "bookmarks": bookmarks,
            "warnings": warnings,
            "served": self.portable(served),
            "readout": read_part(kept),
            "problem": problem,
        }
        self.store(key, data)
        return data

    def lay_out(self, html: str) -> Joined | None:
        """Lay out a facing edition's pages in chunks; None when its HTML
        cannot be cut (a project's own facing template)."""
        split = split_final(html, SPREADS)
        if split is None:
            return None
        total = len(split.texts)
        numbers = self.previous_numbers()
        front = self.chunks([(split.front, 1, numbers)], total)[0]
        starts, page = [], len(front.kept) + 1
        for size in split.spreads:  # two pages a spread
            starts.append(page)
            page += 2 * size
        pieces = [*zip(split.texts, starts, strict=True), (split.end, page)]
        laid = [front, *self.chunks([(p, s, numbers) for p, s in pieces], total)]
        return self._joined(self._placed(laid, total, defer=True))

    def _placed(self, laid: list[Chunk], total: int, defer: bool) -> list[Chunk]:
        """The chunks laid out again where their first page moved (one
        longer than its spreads, or a front that grew, moves those after
        it) or the page numbers their cross-references print changed.
        With ``defer``, a chunk moved by whole spreads is left as it is: it
        breaks its lines and pages as it would at its place, only its
        folios differ, and this layout is most often one that
        typography.settle lays out again (a chunk comes out longer than
        its spreads when its paragraphs are not yet broken as planned);
        :meth:`finish` lays it out at its place once the layout is the
        last. (A cold build of a 2,000-segment edition laid out 13 of its
        16 chunks twice in its first pass.)"""
        for _ in range(8):
            starts = self._starts(laid)
            moved = [i for i, s in enumerate(starts) if laid[i].start != s]
            found = _numbers(laid)
            stale = [
                i
                for i, chunk in enumerate(laid)
                if chunk.numbers != [found.get(r) for r in chunk.piece.refs]
            ]
            if defer:
                moved = [i for i in moved if (starts[i] - laid[i].start) % 2]
            redo = sorted({*moved, *stale})
            if not redo:
                break
            again = self.chunks([(laid[i].piece, starts[i], found) for i in redo], total)
            for i, chunk in zip(redo, again, strict=True):
                laid[i] = chunk
        else:
            raise BuildError("facing layout: the page numbers of the contents did not settle")
        return laid

    def finish(self, joined: Joined) -> Joined:
        """``joined`` with every chunk laid out at its place (see :meth:`_placed`)."""
        starts = self._starts(joined.chunks)
        if all(chunk.start == s for chunk, s in zip(joined.chunks, starts, strict=True)):
            return joined
        return self._joined(self._placed(list(joined.chunks), len(joined.chunks) - 2, defer=False))

    def _joined(self, laid: list[Chunk]) -> Joined:
        self.save_numbers(_numbers(laid))
        joined = Joined(laid, 0)
        starts = self._starts(laid)
        joined.readout = gather_readouts(
            [(c.readout, s - 1) for c, s in zip(laid, starts, strict=True)]
        )
        joined.pages = [
            _Page({k: tuple(v) for k, v in anchors.items()})
            for chunk in laid
            for anchors in chunk.anchors
        ]
        if self.edition.config.layout in typography.BOOKLETS:
            joined.pad = -len(joined.pages) % 4
            joined.pages += [_Page({}) for _ in range(joined.pad)]
        return joined

    def _starts(self, laid: list[Chunk]) -> list[int]:
        """Each chunk's first page, from the pages of those before it."""
        starts = []
        page = 1
        for chunk in laid:
            starts.append(page)
            page += len(chunk.kept)
        return starts

    def previous_numbers(self) -> dict[str, int]:
        """The page of every anchor in the last build (the contents' numbers
        then): the front is first laid out with them."""
        try:
            path = self.folder / "numbers.json"
            data = json.loads(files.read_within(self.folder, path, MAX_META_BYTES))
        except (OSError, ValueError, RecursionError, DiglotError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, int)}

    def save_numbers(self, numbers: dict[str, int]) -> None:
        text = json.dumps(numbers, sort_keys=True).encode("utf-8")
        files.write_cache(
            self.folder / "numbers.json", text, self.edition.project.output_dir, "the chunk cache"
        )

    def prune(self) -> None:
        """Forget what this build did not use. All it laid out or read is
        kept, of every layout pass: a rebuild goes through the same passes,
        and lays a chunk out at the same first guess of where it starts (in
        the line breaking's first pass, pieces laid out with WeasyPrint's
        breaks overflow their pages, and the chunks after them move)."""
        keep = {*self.used, "numbers.json"}
        with contextlib.suppress(OSError):
            for path in self.folder.iterdir():
                if path.name not in keep:
                    if path.is_dir() and not path.is_symlink():
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        path.unlink(missing_ok=True)
        if self.measures_used:  # the measuring parts this build used, of every pass
            with contextlib.suppress(OSError):
                for path in self.measures.iterdir():
                    if _ENTRY.fullmatch(path.name) and path.name not in self.measures_used:
                        path.unlink(missing_ok=True)


_ENTRY = re.compile(r"[0-9a-f]{40}\.json")


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _numbers_ok(value: Any, kind: type | tuple[type, ...] = (int, float)) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, kind) and not isinstance(v, bool) for v in value
    )


def _metrics_ok(data: dict[str, Any]) -> bool:
    """A measuring part's cache entry as diglot writes it (a damaged or
    foreign one is laid out again, never trusted)."""
    metrics = data.get("metrics")
    return (
        isinstance(metrics, dict)
        and _strings(data.get("warnings"))
        and _strings(data.get("served"))
        and all(
            isinstance(v, list)
            and len(v) == 3
            and _numbers_ok(v[0])
            and _numbers_ok(v[1], int)
            and all(_strings(n) for n in v[2])
            and len(v[0]) == len(v[1]) == len(v[2])
            for v in metrics.values()
        )
    )


def _chunk_ok(data: dict[str, Any]) -> bool:
    """A chunk's cache entry as diglot writes it."""
    pages = data.get("pages")
    anchors, bookmarks = data.get("anchors"), data.get("bookmarks")
    return (
        isinstance(pages, int)
        and isinstance(anchors, list)
        and all(
            isinstance(a, dict) and all(_numbers_ok(v) and len(v) == 4 for v in a.values())
            for a in anchors
        )
        and isinstance(bookmarks, list)
        and all(
            isinstance(b, list)
            and len(b) == 4
            and _numbers_ok(b[:2], int)
            and 0 <= b[0] < pages
            and _strings(b[2:])
            for b in bookmarks
        )
        and _strings(data.get("warnings"))
        and _strings(data.get("served"))
        and _problem_ok(data.get("problem", False))
    )


def _problem_ok(value: Any) -> bool:
    return value is None or (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and (value[1] is None or isinstance(value[1], str))
        and (value[2] is None or (isinstance(value[2], int) and not isinstance(value[2], bool)))
    )


# -- what typography.settle reads of a part -----------------------------------------

# proof.Line's fields, in order, and the JSON types a kept entry must have for them.
_LINE_TYPES: tuple[tuple[type, ...], ...] = (
    (int,),  # page
    (int, float),  # x
    (int, float),  # y
    (int, float),  # width
    (int, float),  # height
    (str,),  # text
    (int,),  # block
    (str,),  # lang
    (bool,),  # heading
    (bool,),  # front
    (bool,),  # justified
    (int, float, type(None)),  # space_em
    (int, float),  # overflow
    (bool,),  # last
    (str,),  # area
    (int, float),  # track_em
    (int,),  # mark
    (int, float),  # size
    (str,),  # family
    (int,),  # weight
)
_FLOATS = {"x", "y", "width", "height", "space_em", "overflow", "track_em", "size"}
_PARAGRAPH_TYPES: dict[str, tuple[type, ...]] = {
    "width": (int, float),
    "size": (int, float),
    "lang": (str,),
    "family": (str,),
    "justify": (bool,),
    "ragged": (bool,),
    "justify_last": (bool,),
    "indent": (int, float),
    "lines": (int,),
    "height": (int, float),
    "overflow": (bool,),
    "elements": (list,),
}


def read_part(pages: Sequence[Any]) -> dict[str, Any]:
    """What typography.settle reads of a part's ``pages`` (its own, lead and
    trail left out), as JSON: the numbered paragraphs and the lines, pages
    counted from 1, elements numbered in the part (their identities are
    addresses in this process)."""
    boxes, lines = typography.readout(SimpleNamespace(pages=list(pages)))
    local: dict[int, int] = {}

    def number(identity: int) -> int:
        return local.setdefault(identity, len(local))

    paragraphs = {
        str(index): {
            **{k: v for k, v in info.items() if k != "elements"},
            "elements": sorted(number(e) for e in info["elements"]),
        }
        for index, info in boxes.items()
    }
    rows = []
    for line in lines:
        row = [getattr(line, f.name) for f in fields(proof.Line)]
        row[6] = number(line.block)
        rows.append(row)
    return {"paragraphs": paragraphs, "lines": rows}


def _typed(value: Any, kinds: tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return bool in kinds
    return isinstance(value, kinds)


def _readout_ok(data: Any) -> bool:
    """A kept part's readout as :func:`read_part` writes it."""
    if not isinstance(data, dict) or set(data) != {"paragraphs", "lines"}:
        return False
    paragraphs, lines = data["paragraphs"], data["lines"]
    return (
        isinstance(paragraphs, dict)
        and all(
            isinstance(k, str)
            and k.isdigit()
            and isinstance(v, dict)
            and set(v) == set(_PARAGRAPH_TYPES)
            and all(_typed(v[name], kinds) for name, kinds in _PARAGRAPH_TYPES.items())
            and _numbers_ok(v["elements"], int)
            for k, v in paragraphs.items()
        )
        and isinstance(lines, list)
        and all(
            isinstance(row, list)
            and len(row) == len(_LINE_TYPES)
            and all(_typed(v, kinds) for v, kinds in zip(row, _LINE_TYPES, strict=True))
            for row in lines
        )
    )


def gather_readouts(parts: Sequence[tuple[dict[str, Any], int]]) -> typography.Readout:
    """One document's readout from its parts' (:func:`read_part`), each with
    the number of the page before its first: as if read from the whole."""
    boxes: dict[int, dict[str, Any]] = {}
    lines: list[proof.Line] = []
    names = [f.name for f in fields(proof.Line)]
    offset = 0  # elements of the parts before
    for data, before in parts:
        top = -1
        for key, info in data["paragraphs"].items():
            elements = {offset + e for e in info["elements"]}
            top = max([top, *info["elements"]])
            boxes[int(key)] = {**info, "elements": elements}
        for row in data["lines"]:
            values = dict(zip(names, row, strict=True))
            for name in _FLOATS:
                if values[name] is not None:
                    values[name] = float(values[name])
            top = max(top, values["block"])
            values["page"] += before
            values["block"] += offset
            lines.append(proof.Line(**values))
        offset += top + 1
    return boxes, lines


def _label(piece: Piece, total: int) -> str:
    if piece.kind == "text":
        return f"{piece.index} of {total}"
    return piece.kind


def _numbers(chunks: list[Chunk]) -> dict[str, int]:
    """Each anchor's page number in the joined edition."""
    found: dict[str, int] = {}
    page = 0
    for chunk in chunks:
        for anchors in chunk.anchors:
            page += 1
            for name in anchors:
                found.setdefault(name, page)
    return found


_WORD = re.compile(r"[^\W\d_]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")


def protected_in(html: str) -> list[str]:
    """The words protected from hyphenation now (names, compounds, words a
    ladder locked) that a part's layout can ask about: those written in its
    HTML, text or attributes (the running heads' ``attr()``), read with and
    without the invisible characters that may sit inside a word. The
    protected words are whole words of letters, and WeasyPrint asks about a
    word as written, so others cannot change the part's layout (words the
    stylesheets' own ``content`` strings add are not seen: those are short
    labels, never hyphenated, and the stylesheets are in the digest); an
    edit that protects or frees a word re-lays out only the parts that have
    it."""
    protected = hyphenation.protected()
    if not protected:
        return []
    return sorted(_words_of(html) & protected)


def _words_of(html: str) -> frozenset[str]:
    """The words :func:`protected_in` looks for in ``html``: those of its
    text and attributes, with and without the invisible characters."""
    text = html_mod.unescape(html)
    return frozenset(_WORD.findall(text)) | frozenset(_WORD.findall(_INVISIBLE.sub("", text)))


def resources_digest(edition: Edition) -> str:
    """A digest of what an edition's chunks depend on besides their HTML:
    stylesheets, layouts, the work's pictures, fonts, hyphenation patterns
    and diglot's own code (the texts are in the HTML)."""
    texts = {edition.source(lang) for lang in edition.languages}
    root = edition.project.root
    digest = hashlib.sha256()
    for path in incremental.input_files(edition):
        if path in texts:
            continue
        name = path
        for folder in (root, incremental.PACKAGE):
            if path.is_relative_to(folder):  # where the project is does not matter
                name = path.relative_to(folder)
                break
        digest.update(str(name).encode())
        digest.update((files.digest(path, incremental.MAX_INPUT_BYTES) or "<missing>").encode())
    for face in fonts.faces():
        stat = face.path.stat()
        digest.update(f"{face.path}:{stat.st_size}:{stat.st_mtime_ns}:{face.printed()}".encode())
    return digest.hexdigest()


# -- the edition ----------------------------------------------------------------------


def lay_out_edition(edition: Edition, progress: Progress | None = None, jobs: int = 1) -> Any:
    """As :func:`diglot.build.lay_out_edition`, for a facing edition laid
    out in chunks: a :class:`diglot.build.Laid` whose document is a
    :class:`Joined` (or WeasyPrint's document, when the HTML cannot be cut)."""
    from diglot import build

    root = edition.project.root
    build.refuse_bidi_controls(edition)
    warnings = build.label_warnings(edition) + build.long_words(edition)
    tell = progress or (lambda _message: None)
    passes = 0
    laying = 0  # ... of which laid out a part or chunk (the others all came from the caches)
    tell("reading texts")
    alignment, chronology = build.load_texts(edition)
    for doc in alignment.documents:
        warnings.extend(w.format(root) for w in doc.warnings)
    session = Session(edition, tell, jobs, alignment.documents)
    fit = edition.config.linebreak == "total-fit"  # else WeasyPrint's first-fit breaks
    unsettled = build.warn_unsettled(warnings)  # told as the whole edition's build tells it

    def once(html: str) -> Any:
        """One layout pass of typography.settle, in parts."""
        nonlocal passes, laying
        passes += 1
        before = session.renders
        try:
            return _once(html)
        finally:
            laying += session.renders > before

    def _once(html: str) -> Any:
        text = build.break_runaway_words(html)
        if 'class="side measure"' in text:
            tell(f"layout pass {passes}: measuring in parts")
            return session.measure(text)
        # Facing pages carry the file identifier made from the whole HTML.
        session.identifier = pdf.pdf_identifier(
            html, [*render.resource_dirs(root), *fonts.font_dirs()]
        )
        tell(f"layout pass {passes}: in chunks")
        joined = session.lay_out(text)
        if joined is not None:
            return joined
        document, found = session.render(text, session.served)
        session.renders += 1
        session.warnings.extend(w for w in found if w not in session.warnings)
        return document

    def lay_out(html: str) -> tuple[str, Any]:
        # The same typography rules as the whole edition's layout
        # (build.lay_out_edition): settle reads the parts' paragraphs and
        # lines as one document's, so every pass decides as it would there.
        build.check_glyphs(edition, html)
        return typography.settle(html, once, fit, unsettled)

    with typography.session(edition.languages), build.settle_cache(edition):
        # the front matter at the back and the record of changes citing each
        # page once, as the whole layout does
        html, document, _made = build.facing_pages(edition, alignment, chronology, lay_out)
        html, document = record.cite_pages(html, document, once)
        if isinstance(document, Joined):
            document = session.finish(document)
            for chunk in document.chunks:
                chunk.refuse(root)
        else:
            build.check_footnotes(document, alignment.documents)
            document = typography.pad_to_four(
                document,
                render.PAGE_SIZES[edition.config.paper],
                edition.config.pdf == "print",
            )
    warnings.extend(w for w in session.warnings if w not in warnings)
    laid = build.Laid(
        html,
        document,
        max(laying, 1),  # the passes that laid out anything
        tuple(warnings),
        tuple(sorted(session.served)),
    )
    if isinstance(document, Joined):
        document.session = session
    return laid


def write(joined: Joined, dest: Path, identifier: bytes, inside: Path) -> None:
    """Join the chunks' PDFs into ``dest`` (atomically), then forget the
    kept chunks this build did not use."""
    from pypdf.errors import PyPdfError

    try:
        _join(joined, dest, identifier, inside)
    except (PyPdfError, ValueError, KeyError, IndexError, AttributeError) as exc:
        folder = joined.chunks[0].pdf.parent
        raise BuildError(
            f"cannot join the kept chunks ({type(exc).__name__}: {exc}); "
            "remove this folder and build again",
            folder,
        ) from None
    if joined.session is not None:
        joined.session.prune()


def _join(joined: Joined, dest: Path, identifier: bytes, inside: Path) -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DictionaryObject,
        Fit,
        NameObject,
        TextStringObject,
    )

    writer = PdfWriter()
    readers = [PdfReader(chunk.pdf) for chunk in joined.chunks]
    front = readers[0]
    writer.pdf_header = front.pdf_header
    placed: list[dict[int, int]] = []  # per chunk: its page's object number -> joined index
    for chunk, reader in zip(joined.chunks, readers, strict=True):
        mapping = {}
        for number in chunk.kept:
            page = reader.pages[number]
            ref = page.indirect_reference
            assert ref is not None
            mapping[ref.idnum] = len(writer.pages)
            writer.add_page(page)
        placed.append(mapping)
    if joined.pad:
        blank = _blank_page(joined)
        for _ in range(joined.pad):
            writer.add_page(PdfReader(blank).pages[0])
    pages = writer.pages

    # Named destinations: each name where it really is (a chunk's own
    # targets for links to other chunks are on its dropped pages).
    names: dict[str, ArrayObject] = {}
    for reader, mapping in zip(readers, placed, strict=True):
        names_dict = reader.root_object.get("/Names")
        tree = names_dict.get_object().get("/Dests") if names_dict is not None else None
        flat = tree.get_object().get("/Names", []) if tree is not None else []
        for index in range(0, len(flat) - 1, 2):
            name = str(flat[index])
            target = flat[index + 1].get_object()
            page_ref = target[0]
            at = mapping.get(getattr(page_ref, "idnum", -1))
            if at is None or name in names:
                continue
            names[name] = ArrayObject(
                [pages[at].indirect_reference, *(value for value in target[1:])]
            )
    catalog = writer.root_object
    front_root = front.root_object
    for key in front_root:
        if key in ("/Type", "/Pages", "/Outlines", "/Names"):
            continue
        catalog[NameObject(key)] = front_root.raw_get(key).clone(writer)
    name_tree = DictionaryObject()
    if names:
        flat_names = ArrayObject()
        for name in sorted(names):
            flat_names.append(TextStringObject(name))
            flat_names.append(names[name])
        name_tree[NameObject("/Dests")] = DictionaryObject({NameObject("/Names"): flat_names})
    front_names = front_root.get("/Names")
    if front_names is not None and "/EmbeddedFiles" in front_names.get_object():
        embedded = front_names.get_object().raw_get("/EmbeddedFiles")
        name_tree[NameObject("/EmbeddedFiles")] = embedded.clone(writer)
    if name_tree:
        # A direct dictionary: the catalog may hold its name dictionary
        # inline (ISO 32000-1, 7.7.2), which needs no private pypdf call.
        catalog[NameObject("/Names")] = name_tree

    # The outline: every chunk's bookmarks, nested as WeasyPrint nests them.
    marks = []
    for chunk, reader, mapping in zip(joined.chunks, readers, placed, strict=True):
        targets = list(_flat_outline(reader, reader.outline))
        if len(targets) != len(chunk.bookmarks):
            raise BuildError(
                f"the outline of chunk {chunk.piece.index} does not match its headings"
            )
        for (number, level, label, state), (left, top) in zip(
            chunk.bookmarks, targets, strict=True
        ):
            page_ref = reader.pages[number].indirect_reference
            at = mapping.get(page_ref.idnum if page_ref is not None else -1)
            if at is not None:
                marks.append((int(level), str(label), str(state), at, left, top))
    parents: list[Any] = []  # the last outline item at each depth
    skipped: list[int] = []
    previous = 0
    for level, label, state, at, left, top in marks:
        depth = _depth(level, previous, skipped)
        previous = level
        del parents[depth - 1 :]
        item = writer.add_outline_item(
            title=label,
            page_number=at,
            parent=parents[-1] if parents else None,
            fit=Fit.xyz(left, top, 0),
            is_open=state != "closed",
        )
        parents.append(item)

    writer.add_metadata({k: v for k, v in (front.metadata or {}).items()})
    # The identifiers an unchunked build writes: the edition's, and one
    # that changes with the content (pypdf would draw random ones).
    content = hashlib.md5(bytes([joined.pad]))  # noqa: S324 - an identifier, as WeasyPrint's
    for chunk in joined.chunks:
        content.update(chunk.pdf.read_bytes())
    second = ByteStringObject(content.hexdigest().encode())
    # pypdf has no public way to set the trailer's /ID (5.x to 7.x, the
    # range pyproject allows); a rerun's bytes depend on it
    writer._ID = ArrayObject([ByteStringObject(identifier), second])

    def write_pdf(handle: Any) -> None:
        writer.write(handle)

    files.atomic_write(dest, write_pdf, inside, "the PDF")


def _depth(level: int, previous: int, skipped: list[int]) -> int:
    """The outline depth of a heading of ``level`` after one of ``previous``
    (WeasyPrint's rule: a level skipped does not make a depth; ``skipped``
    is updated)."""
    if level > previous:
        skipped.append(level - previous - 1)
    else:
        temp = level
        while temp < previous:
            temp += 1 + skipped.pop()
        if temp > previous:
            skipped.append(temp - previous - 1)
    return level - sum(skipped)


def _flat_outline(reader: Any, items: Any) -> Any:
    """(left, top) of each outline item, in document order."""
    for item in items:
        if isinstance(item, list):
            yield from _flat_outline(reader, item)
        else:
            yield (item.left, item.top)


def _blank_page(joined: Joined) -> Any:
    import io

    assert joined.session is not None
    edition = joined.session.edition
    blank = typography.blank_page(
        render.PAGE_SIZES[edition.config.paper], edition.config.pdf == "print"
    )
    return io.BytesIO(blank.write_pdf())
