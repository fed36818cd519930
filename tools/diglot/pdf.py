"""HTML to PDF with WeasyPrint: a fetcher that stays inside the project,
the PDF variants a print shop or an archive asks for, and atomic writes."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import mimetypes
import os
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diglot import fonts, hyphenation
from diglot.errors import BuildError, DiglotError, FetchRefused

# What each edition ``pdf = ...`` kind asks WeasyPrint for.
VARIANTS: dict[str, dict[str, Any]] = {
    "screen": {},
    # PDF/X-4 admits an RGB output intent; the sRGB profile WeasyPrint ships
    # is the one we have (a CMYK intent needs the print shop's profile).
    "print": {"pdf_variant": "pdf/x-4", "output_intent": "srgb"},
    "archive": {"pdf_variant": "pdf/a-3b"},
    "accessible": {"pdf_variant": "pdf/ua-1", "pdf_tags": True},
}
DATA_URL_LIMIT = 256 * 1024


def _weasyprint() -> Any:
    # WeasyPrint takes a moment to import (Pango, fonts): only pay for it
    # when something is rendered, so `diglot editions` and `--help` stay quick.
    import weasyprint

    return weasyprint


_LANGUAGE_TAGS_INSTALLED = False


def _tag_languages() -> None:
    """Write each element's ``lang`` into its PDF structure element.

    PDF/UA wants every change of natural language marked in the structure
    tree (/Lang on the structure element). WeasyPrint 70 writes /Lang only
    on the document catalogue, which would make a bilingual booklet read
    aloud entirely in its first language. WeasyPrint has no hook for this,
    so we wrap its tag-tree builder: each structure element it yields gets
    the /Lang of the HTML element it was built from. The test suite reads
    the tags back, so a WeasyPrint change that breaks this is caught.
    """
    global _LANGUAGE_TAGS_INSTALLED
    if _LANGUAGE_TAGS_INSTALLED:
        return
    import pydyf
    from weasyprint.pdf import tags

    original = tags._build_box_tree

    def build_box_tree(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        element = getattr(box, "element", None)
        lang = element.get("lang") if element is not None and hasattr(element, "get") else None
        for struct in original(box, *args, **kwargs):
            if lang and "Lang" not in struct:
                struct["Lang"] = pydyf.String(lang)
            yield struct

    tags._build_box_tree = build_box_tree
    _LANGUAGE_TAGS_INSTALLED = True


def make_fetcher(allowed: Sequence[Path]) -> Any:
    """A WeasyPrint URL fetcher serving only files under ``allowed`` folders.

    Everything else (http, https, ftp, files elsewhere, large data: URLs)
    stops the rendering with :class:`FetchRefused` instead of WeasyPrint's
    default of logging a warning and leaving a blank.
    """
    weasyprint = _weasyprint()
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    roots = [p.resolve() for p in allowed]

    class Refusal(FatalURLFetchingError):  # type: ignore[misc]
        def __init__(self, url: str, reason: str) -> None:
            super().__init__(reason)
            self.url = url
            self.reason = reason

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        refusal = Refusal

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = urllib.parse.urlsplit(url).scheme.lower()
            if scheme == "data":
                if len(url) > DATA_URL_LIMIT:
                    raise Refusal(
                        url,
                        f"data: URL of {len(url) // 1024} KiB is over the "
                        f"{DATA_URL_LIMIT // 1024} KiB limit",
                    )
                return super().fetch(url, headers)
            if scheme != "file":
                raise Refusal(url, "only files inside the project may be loaded, not network URLs")
            raw_path = urllib.request.url2pathname(urllib.parse.urlsplit(url).path)
            path = Path(raw_path).resolve()
            if not any(path.is_relative_to(root) for root in roots):
                raise Refusal(url, "is outside the project; only files inside it may be loaded")
            if not path.is_file():
                raise Refusal(url, "file not found")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})

    del weasyprint
    return ProjectFetcher()


@dataclass(frozen=True)
class RenderResult:
    pages: int
    anchors: dict[str, int]  # element id -> 0-based page index


@contextlib.contextmanager
def _captured_warnings() -> Iterator[list[str]]:
    """Collect WeasyPrint's warnings (bad CSS, missing glyphs) for the caller."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                messages.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = Collect()
    old_propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate


def render(
    html: str,
    base_url: Path,
    allowed: Sequence[Path],
    locate: Callable[[str], tuple[Path, int | None]] | None = None,
) -> Any:
    """Lay out ``html``; return WeasyPrint's document and its warnings.

    ``locate`` maps a refused URL to the file and line that asked for it.
    """
    weasyprint = _weasyprint()
    hyphenation.register()
    fetcher = make_fetcher([*allowed, *fonts.font_dirs()])
    with _captured_warnings() as warnings:
        try:
            document = weasyprint.HTML(
                string=html, base_url=base_url.resolve().as_uri() + "/", url_fetcher=fetcher
            ).render()
        except fetcher.refusal as exc:
            path, line = locate(exc.url) if locate else (None, None)
            raise FetchRefused(f"refused to load {exc.url}: {exc.reason}", path, line) from None
    return document, warnings


def anchors(document: Any) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            found.setdefault(name, index)
    return found


def pdf_identifier(html: str) -> bytes:
    """A stable file identifier: the same HTML gives the same PDF bytes."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")


def write(document: Any, dest: Path, kind: str = "screen", identifier: bytes | None = None) -> None:
    """Write the PDF to a temporary file next to ``dest`` and rename it.

    A failure at any point (disk full, killed process) leaves whatever
    ``dest`` held before untouched.
    """
    options = dict(VARIANTS[kind])
    if options.get("pdf_tags"):
        _tag_languages()
    if identifier is not None:
        options["pdf_identifier"] = identifier
    atomic_write(dest, lambda handle: document.write_pdf(handle, **options))


def atomic_write(dest: Path, writer: Any) -> None:
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    except OSError as exc:
        raise BuildError(f"cannot write here: {exc.strerror}", dest.parent) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            writer(handle)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(0o644)  # mkstemp makes 0600; a PDF is for sharing
        tmp.replace(dest)
    except DiglotError:
        tmp.unlink(missing_ok=True)
        raise
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BuildError(f"cannot write the PDF: {exc.strerror}", dest) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
