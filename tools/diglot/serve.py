"""``diglot serve``: a local page for editors that rebuilds as they write.

One background thread watches the project with watchfiles (texts, layouts,
styles, images, diglot.toml: every file outside output/) and another
rebuilds the editions when something changed, through the same
incremental :func:`diglot.build.build_many` as ``diglot build``, so an
edition whose inputs did not change is not built again. A failed build
leaves the last good PDF in place and shows its error on the page. Pages
listen to ``/events`` (Server-Sent Events) and reload when a build ends.

The web side is Starlette, run by uvicorn. It serves the pages it writes
itself, ``/pdf/<edition>.pdf`` and PNG previews of those PDFs, and nothing
else of the project: names in URLs are looked up among the editions, never
joined to paths.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from diglot import project as project_mod
from diglot.errors import DiglotError

POLL_SECONDS = 0.25  # how often an open page's event stream looks for a new build
PREVIEW_DPI = 80


@dataclass
class EditionState:
    """What the page shows about one edition."""

    name: str
    languages: tuple[str, ...] = ()
    layout: str = ""
    paper: str = ""
    translated: dict[str, float] = field(default_factory=dict)
    state: str = "waiting"  # waiting | building | built | up to date | failed
    errors: list[str] = field(default_factory=list)  # "path:line: message" lines
    seconds: float | None = None
    pages: int | None = None


@dataclass(frozen=True)
class Finding:
    location: str  # path:line
    path: str
    line: int
    code: str
    severity: str
    message: str


class Site:
    """The served project: its editions' states, the rebuild worker and the watcher."""

    def __init__(self, root: Path, names: tuple[str, ...] = ()) -> None:
        self.root = root.resolve()
        self.names = names
        self.output_dir = self.root / "output"
        self.editions: dict[str, EditionState] = {}
        self.findings: list[Finding] = []
        self.problems: list[str] = []  # diglot.toml or texts that cannot be read
        self.version = 0  # bumped when a build ends; pages reload on a new one
        self.building = False
        self._lock = threading.Lock()
        self._render_lock = threading.Lock()  # pypdfium2 renders one page at a time
        self._wanted = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._refresh_list()

    # -- the editions ---------------------------------------------------------

    def _refresh_list(self) -> project_mod.Project | None:
        """Read diglot.toml (and the texts) again; None when they have problems."""
        try:
            project = project_mod.load(self.root, self.names)
            selected = project.select(self.names)
        except DiglotError as exc:
            with self._lock:
                self.problems = exc.format(self.root).splitlines()
                for state in self.editions.values():
                    if state.state != "waiting":
                        state.state = "failed"  # not rebuilt: the problems are above
                    state.errors = []
            return None
        from diglot import status

        rows = {r["name"]: r for r in status.editions(project)}
        with self._lock:
            self.problems = []
            self.output_dir = project.output_dir
            fresh: dict[str, EditionState] = {}
            for edition in selected:
                old = self.editions.get(edition.name, EditionState(edition.name))
                old.languages = edition.languages
                old.layout = edition.config.layout
                old.paper = edition.config.paper
                old.translated = rows[edition.name]["translated"]
                if old.state == "waiting" and edition.output.exists():
                    old.state = "built earlier"
                fresh[edition.name] = old
            self.editions = fresh
        return project

    def pdf(self, name: str) -> Path | None:
        """The edition's PDF, if ``name`` is a served edition and it has one."""
        with self._lock:
            if name not in self.editions:
                return None
            path = self.output_dir / f"{name}.pdf"
        return path if path.is_file() else None

    def page_count(self, name: str) -> int:
        pdf = self.pdf(name)
        if pdf is None:
            return 0
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            return len(PdfReader(pdf).pages)
        except (OSError, PdfReadError):
            return 0

    def preview(self, name: str, page: int) -> Path | None:
        """A PNG of one page of the edition's PDF, rendered once per PDF."""
        pdf = self.pdf(name)
        count = self.page_count(name)
        if pdf is None or not 1 <= page <= count:
            return None
        from diglot.preview import thumbnails

        dest = self.output_dir / "preview" / name
        cached = dest / f"{name}-{page:0{len(str(count))}d}.png"  # as thumbnails() names it
        with self._render_lock:
            if cached.is_file() and cached.stat().st_mtime_ns >= pdf.stat().st_mtime_ns:
                return cached
            (written,) = thumbnails(pdf, dest, str(page), PREVIEW_DPI)
            return written

    # -- building -------------------------------------------------------------

    def request_build(self) -> None:
        self._wanted.set()

    def build_now(self) -> None:
        """Rebuild what changed (the worker's job; tests call it directly)."""
        from diglot import build as build_mod
        from diglot import check as check_mod

        with self._lock:
            self.building = True
            self.version += 1
        try:
            project = self._refresh_list()
            if project is None:
                return
            selected = project.select(self.names)
            with self._lock:
                for state in self.editions.values():
                    state.state = "building"
            for outcome in build_mod.build_many(selected, jobs=1):
                with self._lock:
                    state = self.editions[outcome.name]
                    if outcome.error is not None:
                        state.state = "failed"
                        state.errors = outcome.error.splitlines()
                    elif outcome.skipped:
                        state.state = "up to date"
                        state.errors = []
                    else:
                        built = outcome.built
                        assert built is not None
                        state.state = "built"
                        state.errors = [f"warning: {w}" for w in built.warnings]
                        state.seconds = built.seconds
                        state.pages = built.pages
            try:
                found = check_mod.check_editions(project, selected)  # again only if texts changed
            except DiglotError as exc:
                found = []
                with self._lock:
                    self.problems = exc.format(self.root).splitlines()
            with self._lock:
                self.findings = [
                    Finding(
                        f"{f.shown_path(self.root)}:{f.line}",
                        str(f.path.resolve()),
                        f.line,
                        f.code,
                        f.severity,
                        " ".join(f.message.split()),
                    )
                    for f in found
                ]
        finally:
            with self._lock:
                self.building = False
                self.version += 1

    def _worker(self) -> None:
        while not self._stop.is_set():
            if not self._wanted.wait(timeout=0.5):
                continue
            self._wanted.clear()
            try:
                self.build_now()
            except Exception as exc:  # a bug: show it on the page, keep serving
                with self._lock:
                    self.problems = [f"diglot: internal error: {type(exc).__name__}: {exc}"]
                    self.version += 1

    def _watch(self) -> None:
        import watchfiles

        def relevant(_change: watchfiles.Change, path: str) -> bool:
            where = Path(path)
            if where.is_relative_to(self.output_dir):
                return False
            parts = where.relative_to(self.root).parts if where.is_relative_to(self.root) else ()
            return not any(p.startswith(".") or p == "__pycache__" for p in parts) and not (
                where.name.endswith((".part", "~", ".swp"))
            )

        for _changes in watchfiles.watch(
            self.root,
            watch_filter=relevant,
            stop_event=self._stop,
            debounce=300,
            rust_timeout=500,
            yield_on_timeout=False,
        ):
            self.request_build()

    def start(self) -> None:
        """Build once, then rebuild on every change, in background threads."""
        self._stop.clear()
        for target in (self._worker, self._watch):
            thread = threading.Thread(target=target, daemon=True, name=f"diglot-{target.__name__}")
            thread.start()
            self._threads.append(thread)
        self.request_build()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "version": self.version,
                "building": self.building,
                "problems": list(self.problems),
                "editions": [
                    EditionState(**{**vars(e), "errors": list(e.errors)})
                    for e in self.editions.values()
                ],
                "findings": list(self.findings),
            }


# -- the web side ---------------------------------------------------------------

PAGES = jinja2.Environment(
    loader=jinja2.DictLoader(
        {
            "base": """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{% endblock %} · diglot</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 70rem;
       padding: 0 1rem; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #ddd;
         vertical-align: top; }
.state-failed { color: #a00; font-weight: 600; } .state-building { color: #a60; }
.errors { background: #fff1f0; border: 1px solid #e99; padding: .6rem .8rem;
          white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 13px; }
.banner { position: fixed; top: 0; right: 0; background: #fd6; padding: .3rem .8rem; }
.pages { display: flex; flex-wrap: wrap; gap: 1rem; }
.pages img { box-shadow: 0 1px 4px #0004; background: white; max-width: 100%; }
code { font-size: 13px; }
</style></head>
<body data-version="{{ version }}">
<div id="banner" class="banner" {% if not building %}hidden{% endif %}>rebuilding…</div>
{% if problems %}<div class="errors" id="problems">{{ problems | join("\\n") }}</div>{% endif %}
{% block body %}{% endblock %}
<script>
(function () {
  var shown = document.body.dataset.version;
  var source = new EventSource("/events");
  source.onmessage = function (event) {
    var data = JSON.parse(event.data);
    document.getElementById("banner").hidden = !data.building;
    if (!data.building && String(data.version) !== shown) { location.reload(); }
  };
})();
</script>
</body></html>""",
            "index": """{% extends "base" %}
{% block title %}Editions{% endblock %}
{% block body %}
<h1>Editions</h1>
<table id="editions">
<tr><th>edition</th><th>languages</th><th>layout</th><th>translated</th><th>build</th>
<th>PDF</th></tr>
{% for e in editions %}
<tr id="edition-{{ e.name }}">
<td><a href="/edition/{{ e.name }}">{{ e.name }}</a></td>
<td>{{ e.languages | join(" – ") }}</td>
<td>{{ e.layout }}, {{ e.paper }}</td>
<td>{% for lang, share in e.translated.items() %}{{ lang }} {{ "%.0f" | format(share * 100) }} %
{% else %}–{% endfor %}</td>
<td class="state-{{ e.state.split()[0] }}">{{ e.state }}{% if e.errors %}
<div class="errors">{{ e.errors | join("\\n") }}</div>{% endif %}</td>
<td>{% if e.has_pdf %}<a href="/pdf/{{ e.name }}.pdf">{{ e.name }}.pdf</a>{% endif %}</td>
</tr>
{% endfor %}
</table>
<h2>diglot check</h2>
{% if findings %}
<table id="findings">
{% for f in findings %}
<tr><td><code>{% if editor -%}
<a href="{{ editor(f) }}">{{ f.location }}</a>{% else %}{{ f.location }}{% endif %}</code></td>
<td>{{ f.severity }}</td><td>{{ f.code }}</td><td>{{ f.message }}</td></tr>
{% endfor %}
</table>
{% else %}<p id="findings">Nothing found.</p>{% endif %}
{% endblock %}""",
            "edition": """{% extends "base" %}
{% block title %}{{ e.name }}{% endblock %}
{% block body %}
<p><a href="/">← editions</a></p>
<h1>{{ e.name }}</h1>
<p>{{ e.languages | join(" – ") }} · {{ e.layout }}, {{ e.paper }} ·
<span id="state" class="state-{{ e.state.split()[0] }}">{{ e.state }}</span>
{% if e.has_pdf %}· <a href="/pdf/{{ e.name }}.pdf">PDF</a>{% endif %}</p>
{% if e.errors %}<div class="errors" id="errors">{{ e.errors | join("\\n") }}</div>{% endif %}
<div class="pages" id="pages">
{% for page in range(1, pages + 1) %}
<img src="/preview/{{ e.name }}/{{ page }}.png?v={{ stamp }}" alt="page {{ page }}"
     width="{{ width }}">
{% endfor %}
</div>
{% endblock %}""",
        }
    ),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def create_app(site: Site, start: bool = True, editor_url: str | None = None) -> Starlette:
    """The Starlette application serving ``site``; ``start`` runs the worker
    and the watcher for the application's lifetime.

    ``editor_url`` (e.g. ``vscode://file/{path}:{line}``) turns each check
    finding into a link that opens the file at the line.
    """
    pages = _Pages(site, editor_url)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if start:
            site.start()
        try:
            yield
        finally:
            if start:
                site.stop()

    return Starlette(
        routes=[
            Route("/", pages.index),
            Route("/edition/{name}", pages.edition),
            Route("/pdf/{name}.pdf", pages.pdf),
            Route("/preview/{name}/{page:int}.png", pages.preview),
            Route("/events", pages.events),
        ],
        lifespan=lifespan,
    )


class _Pages:
    """What each address of the site answers."""

    def __init__(self, site: Site, editor_url: str | None) -> None:
        self.site = site
        self.editor_url = editor_url

    def editor(self, finding: Finding) -> str:
        assert self.editor_url is not None
        return self.editor_url.format(path=finding.path, line=finding.line)

    def render(self, name: str, **values: Any) -> HTMLResponse:
        snap = self.site.snapshot()
        html = PAGES.get_template(name).render(
            version=snap["version"],
            building=snap["building"],
            problems=snap["problems"],
            editor=self.editor if self.editor_url else None,
            **values,
        )
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    def with_pdf(self, state: EditionState) -> dict[str, Any]:
        return {**vars(state), "has_pdf": self.site.pdf(state.name) is not None}

    async def index(self, _request: Request) -> Response:
        snap = self.site.snapshot()
        editions = [self.with_pdf(e) for e in snap["editions"]]
        return self.render("index", editions=editions, findings=snap["findings"])

    async def edition(self, request: Request) -> Response:
        name = request.path_params["name"]
        snap = self.site.snapshot()
        state = next((e for e in snap["editions"] if e.name == name), None)
        if state is None:
            return PlainTextResponse(f"no edition named {name!r}", status_code=404)
        pdf = self.site.pdf(name)
        stamp = pdf.stat().st_mtime_ns if pdf else 0
        pages = self.site.page_count(name)
        return self.render("edition", e=self.with_pdf(state), pages=pages, stamp=stamp, width=420)

    async def pdf(self, request: Request) -> Response:
        path = self.site.pdf(request.path_params["name"])
        if path is None:
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(path, media_type="application/pdf", headers=_no_store())

    async def preview(self, request: Request) -> Response:
        path = await asyncio.to_thread(
            self.site.preview, request.path_params["name"], request.path_params["page"]
        )
        if path is None:
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(path, media_type="image/png", headers=_no_store())

    async def events(self, request: Request) -> Response:
        from sse_starlette.sse import EventSourceResponse

        site = self.site

        async def stream() -> AsyncIterator[dict[str, str]]:
            last: tuple[int, bool] | None = None
            while not await request.is_disconnected():
                snap = site.snapshot()
                now = (snap["version"], snap["building"])
                if now != last:
                    last = now
                    yield {"data": json.dumps({"version": now[0], "building": now[1]})}
                await asyncio.sleep(POLL_SECONDS)

        return EventSourceResponse(stream(), ping=15)


def _no_store() -> dict[str, str]:
    return {"Cache-Control": "no-store"}


def serve(
    root: Path,
    names: tuple[str, ...] = (),
    host: str = "127.0.0.1",
    port: int = 8000,
    editor_url: str | None = None,
) -> None:
    """Run the page until interrupted (Ctrl-C)."""
    import uvicorn

    site = Site(root, names)
    uvicorn.run(
        create_app(site, start=True, editor_url=editor_url),
        host=host,
        port=port,
        log_level="warning",
    )


__all__ = ["Site", "create_app", "serve"]
