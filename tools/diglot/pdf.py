"""HTML to PDF with WeasyPrint: a fetcher that stays inside the project,
the PDF variants a print shop or an archive asks for, and atomic writes."""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import logging
import mimetypes
import os
import re
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from diglot import fonts, hyphenation
from diglot.errors import BuildError, DiglotError, DiglotErrors, FetchRefused, TemplateError

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


class _Warnings(list[str]):
    """WeasyPrint's warning messages; ``sheets`` holds, for each, the URL of
    the stylesheet being read when it was logged (None if none was)."""

    def __init__(self) -> None:
        super().__init__()
        self.sheets: list[str | None] = []


def _stylesheet_url() -> str | None:
    """The stylesheet WeasyPrint is reading while it logs a warning.

    Its CSS warnings give a line and column but no file name; the innermost
    ``preprocess_stylesheet`` frame has the sheet's URL as ``base_url``
    (WeasyPrint 70). Should a new version rename them, CSS problems are
    only reported as warnings again.
    """
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "preprocess_stylesheet":
            url = frame.f_locals.get("base_url")
            return url if isinstance(url, str) else None
        frame = frame.f_back  # type: ignore[assignment]
    return None


@contextlib.contextmanager
def _captured_warnings() -> Iterator[_Warnings]:
    """Collect WeasyPrint's warnings (bad CSS, missing glyphs) for the caller."""
    messages = _Warnings()

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                messages.append(record.getMessage())
                messages.sheets.append(_stylesheet_url())

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
    strict_css: Path | None = None,
    languages: Sequence[str] | None = None,
) -> Any:
    """Lay out ``html``; return WeasyPrint's document and its warnings.

    ``languages`` names the hyphenation dictionaries to load (default: all).

    ``locate`` maps a refused URL to the file and line that asked for it.
    Warnings about stylesheets inside ``strict_css`` (the project's own)
    are errors naming the stylesheet and line, not warnings.
    """
    weasyprint = _weasyprint()
    hyphenation.register(languages)
    fetcher = make_fetcher([*allowed, *fonts.font_dirs()])
    with _captured_warnings() as warnings:
        try:
            document = weasyprint.HTML(
                string=html, base_url=base_url.resolve().as_uri() + "/", url_fetcher=fetcher
            ).render()
        except fetcher.refusal as exc:
            path, line = locate(exc.url) if locate else (None, None)
            shown = exc.url if len(exc.url) <= 120 else exc.url[:100] + "…"  # data: URLs
            raise FetchRefused(f"refused to load {shown}: {exc.reason}", path, line) from None
        except OSError as exc:
            # WeasyPrint copies the fonts to the temporary folder as it lays out.
            raise BuildError(
                f"cannot write temporary files while laying out: {exc.strerror or exc}",
                tempfile.gettempdir(),
            ) from None
    if strict_css is not None:
        _raise_css_errors(warnings, strict_css.resolve())
    return document, warnings


def _raise_css_errors(warnings: _Warnings, folder: Path) -> None:
    errors: dict[tuple[str, int | None, str], DiglotError] = {}
    for message, url in zip(warnings, warnings.sheets, strict=True):
        if url is None or urllib.parse.urlsplit(url).scheme != "file":
            continue
        path = Path(urllib.request.url2pathname(urllib.parse.urlsplit(url).path))
        if not path.is_relative_to(folder) or not path.is_file():
            continue  # not the project's, or a <style> in the document itself
        at = re.search(r"\bat (\d+):\d+", message)
        line = int(at[1]) if at else _line_with(path, message)
        errors.setdefault(
            (str(path), line, message), TemplateError(f"invalid CSS: {message}", path, line)
        )
    if errors:
        raise DiglotErrors(errors.values())


def _line_with(path: Path, message: str) -> int | None:
    """The line of ``path`` holding the text a message quotes ('...')."""
    quoted = re.search(r"'(.+?)'", message)
    if quoted is None or not quoted[1].strip():
        return None
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return next((n for n, text in enumerate(lines, 1) if quoted[1].strip() in text), None)


def pdf_identifier(html: str) -> bytes:
    """A stable file identifier: the same HTML gives the same PDF bytes,
    wherever the project and the fonts are (``file:`` URLs count by file
    name only), so a build on another machine writes the same bytes."""
    portable = re.sub(r"file://[^\s\"'()]*/", "file:///", html)
    return hashlib.sha256(portable.encode("utf-8")).hexdigest()[:32].encode("ascii")


def write(
    document: Any,
    dest: Path,
    kind: str = "screen",
    identifier: bytes | None = None,
    epoch: int | None = None,
) -> None:
    """Write the PDF to a temporary file next to ``dest`` and rename it.

    A failure at any point (disk full, killed process) leaves whatever
    ``dest`` held before untouched. With ``epoch`` the output is
    reproducible: fontTools stamps the fonts it instantiates with
    SOURCE_DATE_EPOCH instead of the current time.
    """
    options = dict(VARIANTS[kind])
    if options.get("pdf_tags"):
        _tag_languages()
    if identifier is not None:
        options["pdf_identifier"] = identifier
    with _reproducible(epoch, identifier):
        atomic_write(dest, lambda handle: document.write_pdf(handle, **options))


@contextlib.contextmanager
def _reproducible(epoch: int | None, identifier: bytes | None) -> Iterator[None]:
    """Make the two random parts of WeasyPrint's output depend on the input.

    fontTools stamps instantiated variable fonts with the current time unless
    SOURCE_DATE_EPOCH is set, and WeasyPrint gives PDF/X-4 files a random
    XMP DocumentID (uuid4). Same inputs must give the same bytes, so both
    are pinned for the duration of one write.
    """
    from weasyprint.pdf import metadata

    old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    old_uuid4 = metadata.uuid4
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    if identifier is not None:
        stable = uuid.UUID(bytes=hashlib.sha256(identifier).digest()[:16], version=4)
        metadata.uuid4 = lambda: stable
    try:
        yield
    finally:
        metadata.uuid4 = old_uuid4
        if old_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old_epoch


def atomic_write(dest: Path, writer: Any) -> None:
    """Write ``dest.<random>.part`` next to ``dest``, then rename it over ``dest``.

    The temporary file is locked until the rename, so a build killed mid-write
    leaves a ``.part`` file nobody holds: the next successful write of the
    same ``dest`` removes it.
    """
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    except (FileExistsError, NotADirectoryError):
        raise BuildError(
            "is a file, not a folder: move it away so the output can be written", dest.parent
        ) from None
    except OSError as exc:
        raise BuildError(f"cannot write here: {exc.strerror}", dest.parent) from None
    tmp = Path(tmp_name)
    pause = os.environ.get("DIGLOT_TEST_PAUSE_IN_WRITE")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with os.fdopen(fd, "wb") as handle:
            writer(_PauseAfterFirstWrite(handle, Path(pause)) if pause else handle)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), 0o644)  # mkstemp makes 0600; a PDF is for sharing
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
    remove_stale_parts(dest)


def remove_stale_parts(dest: Path) -> None:
    """Remove ``.part`` files of ``dest`` left by killed builds. A running
    build holds a lock on its own, so its file is left alone."""
    for part in dest.parent.glob(f".{glob.escape(dest.name)}.*.part"):
        try:
            with part.open("rb") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                part.unlink()
        except OSError:
            continue  # locked by a running build, or already gone


class _PauseAfterFirstWrite:
    """Test hook for tests/test_interrupted.py, active only when the
    environment variable DIGLOT_TEST_PAUSE_IN_WRITE names a file: after the
    first write to the temporary file it flushes it, creates that file
    (holding the process id) and sleeps, so the test can kill the
    process mid-write."""

    def __init__(self, handle: Any, marker: Path) -> None:
        self._handle = handle
        self._marker = marker
        self._paused = False

    def write(self, data: bytes) -> int:
        written: int = self._handle.write(data)
        if not self._paused:
            self._paused = True
            self._handle.flush()
            self._marker.write_text(str(os.getpid()), encoding="utf-8")
            time.sleep(300)
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)
