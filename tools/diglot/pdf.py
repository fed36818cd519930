"""HTML to PDF with WeasyPrint: a fetcher that stays inside the project,
the PDF variants a print shop or an archive asks for, and atomic writes."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import mimetypes
import os
import re
import tempfile
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from diglot import files, fonts, hyphenation, weasy
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
# Largest file (image, stylesheet, font) a layout may load: more is no
# booklet's picture, and would be read into memory whole.
RESOURCE_LIMIT = 64 * 1024 * 1024


def load_weasyprint() -> Any:
    """The weasyprint module, imported with diglot's fonts as the only ones
    fontconfig finds, and its version checked (diglot.weasy): every module
    that renders gets WeasyPrint here."""
    # WeasyPrint takes a moment to import (Pango, fonts): only pay for it
    # when something is rendered, so `diglot editions` and `--help` stay quick.
    # Fontconfig reads FONTCONFIG_FILE each time WeasyPrint loads a font
    # configuration (once per document): only diglot's fonts are found.
    os.environ["FONTCONFIG_FILE"] = str(fonts.fontconfig_file())
    weasy.import_here()
    import weasyprint

    weasy.check_version()
    weasy.hang_trailing_spaces()
    weasy.keep_note_pieces_in_order()
    weasy.discard_margins_at_a_page_top()
    return weasyprint


def make_fetcher(allowed: Sequence[Path]) -> Any:
    """A WeasyPrint URL fetcher serving only files under ``allowed`` folders.

    Everything else (http, https, ftp, files elsewhere, large data: URLs)
    stops the rendering with :class:`FetchRefused` instead of WeasyPrint's
    default of logging a warning and leaving a blank.
    """
    weasyprint = load_weasyprint()
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
            self.served: set[Path] = set()  # every file handed to WeasyPrint
            # Every refusal, also those WeasyPrint swallows (an <image> inside
            # an SVG is drawn while the PDF is written, and a failure there is
            # only logged): the caller raises the first after the fact.
            self.refused: list[Refusal] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            try:
                return self._fetch(url, headers)
            except Refusal as exc:
                self.refused.append(exc)
                raise

        def _fetch(self, url: str, headers: Any = None) -> Any:
            try:
                if urllib.parse.urlsplit(url).scheme.lower() == "data":
                    _check_data_url(url)
                    return super().fetch(url, headers)
                path, data = _project_file(url, roots)
            except _NotServed as exc:
                raise Refusal(url, str(exc)) from None
            self.served.add(path)
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), data, {"Content-Type": kind})

    del weasyprint
    return ProjectFetcher()


class _NotServed(Exception):
    """Why the fetcher does not serve a URL (it becomes WeasyPrint's fatal error)."""


def _check_data_url(url: str) -> None:
    if len(url) > DATA_URL_LIMIT:
        raise _NotServed(
            f"data: URL of {len(url) // 1024} KiB is over the {DATA_URL_LIMIT // 1024} KiB limit"
        )


def _project_file(url: str, roots: Sequence[Path]) -> tuple[Path, bytes]:
    """The file a ``file:`` URL names, and its bytes, if it lies under ``roots``."""
    if urllib.parse.urlsplit(url).scheme.lower() != "file":
        raise _NotServed("only files inside the project may be loaded, not network URLs")
    raw_path = urllib.request.url2pathname(urllib.parse.urlsplit(url).path)
    path = Path(raw_path).resolve()
    if not any(path.is_relative_to(root) for root in roots):
        raise _NotServed("is outside the project; only files inside it may be loaded")
    try:
        return path, files.read_bytes(path, RESOURCE_LIMIT)
    except FileNotFoundError:
        raise _NotServed("file not found") from None
    except files.FileTooLarge as exc:
        raise _NotServed(
            f"is {exc.size // files.MB} MB; files a layout loads are limited to "
            f"{RESOURCE_LIMIT // files.MB} MB"
        ) from None
    except OSError as exc:
        raise _NotServed(f"cannot be read: {exc.strerror or exc}") from None


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
    strict_css: Path | None = None,
    languages: Sequence[str] | None = None,
    served: set[Path] | None = None,
) -> Any:
    """Lay out ``html``; return WeasyPrint's document and its warnings.

    ``served``, if given, receives every file the layout loaded.

    ``languages`` names the hyphenation dictionaries to load (default: all).

    ``locate`` maps a refused URL to the file and line that asked for it.
    Warnings about stylesheets inside ``strict_css`` (the project's own)
    are errors naming the stylesheet and line, not warnings.
    """
    weasyprint = load_weasyprint()
    hyphenation.register(languages)
    fetcher = make_fetcher([*allowed, *fonts.font_dirs()])
    if served is not None:
        fetcher.served = served
    with _captured_warnings() as warnings:
        try:
            document = weasyprint.HTML(
                string=html, base_url=base_url.resolve().as_uri() + "/", url_fetcher=fetcher
            ).render(cache=ImageNames([*allowed, *fonts.font_dirs()]))
        except fetcher.refusal as exc:
            raise _refused(exc, locate) from None
        except OSError as exc:
            # WeasyPrint copies the fonts to the temporary folder as it lays out.
            raise BuildError(
                f"cannot write temporary files while laying out: {exc.strerror or exc}",
                tempfile.gettempdir(),
            ) from None
    if fetcher.refused:  # one WeasyPrint caught and only logged
        raise _refused(fetcher.refused[0], locate)
    if strict_css is not None and warnings:
        _raise_css_errors(fetcher.served, strict_css.resolve())
    return document, warnings


def _refused(exc: Any, locate: Callable[[str], tuple[Path, int | None]] | None) -> FetchRefused:
    """The one-line error for a resource the fetcher refused."""
    path, line = locate(exc.url) if locate else (None, None)
    shown = exc.url if len(exc.url) <= 120 else exc.url[:100] + "…"  # data: URLs
    return FetchRefused(f"refused to load {shown}: {exc.reason}", path, line)


def _raise_css_errors(served: set[Path], folder: Path) -> None:
    """Errors for what WeasyPrint warned about in the project's own stylesheets.

    WeasyPrint's CSS warnings give a line and column but no file name, so
    each project stylesheet the layout loaded is read again on its own with
    WeasyPrint's public ``CSS`` class (its @imports left out: they are read
    in their own turn), and what it warns about then is that file's."""
    errors: dict[tuple[str, int | None, str], DiglotError] = {}
    for path in sorted(served):
        if path.suffix.lower() != ".css" or not path.is_relative_to(folder):
            continue
        for message in _stylesheet_warnings(path):
            at = re.search(r"\bat (\d+):\d+", message)
            line = int(at[1]) if at else _line_with(path, message)
            errors.setdefault(
                (str(path), line, message), TemplateError(f"invalid CSS: {message}", path, line)
            )
    if errors:
        raise DiglotErrors(errors.values())


def _stylesheet_warnings(path: Path) -> list[str]:
    """What WeasyPrint warns about in one stylesheet read alone."""
    weasyprint = load_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class NoImports(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            return URLFetcherResponse(url, b"", {"Content-Type": "text/css"})

    try:
        text = files.read_bytes(path, RESOURCE_LIMIT).decode("utf-8", errors="replace")
    except (OSError, files.FileTooLarge):
        return []  # it was read for the layout a moment ago; nothing more to say
    with _captured_warnings() as warnings:
        weasyprint.CSS(string=text, base_url=path.as_uri(), url_fetcher=NoImports())
    return warnings


def _line_with(path: Path, message: str) -> int | None:
    """The line of ``path`` holding the text a message quotes ('...')."""
    quoted = re.search(r"'([^'\n]+)'", message)  # linear: no lazy scan past a quote
    if quoted is None or not quoted[1].strip():
        return None
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return next((n for n, text in enumerate(lines, 1) if quoted[1].strip() in text), None)


def pdf_identifier(html: str, folders: Sequence[Path] = ()) -> bytes:
    """A stable file identifier: the same HTML gives the same PDF bytes.

    The HTML names stylesheets and fonts by absolute ``file://`` URIs; under
    each of ``folders`` (the project, diglot's own files, the fonts) they
    count by their place in that folder only, so the same project gives the
    same bytes wherever it is checked out."""
    return hashlib.sha256(placed(html, folders).encode("utf-8")).hexdigest()[:32].encode("ascii")


def placed(text: str, folders: Sequence[Path]) -> str:
    """``text`` with every ``file://`` URI of a folder of ``folders`` (the
    innermost first) written as that folder's place in the list."""
    named = [(folder.resolve().as_uri() + "/", f"folder{i}:") for i, folder in enumerate(folders)]
    for uri, name in sorted(named, key=lambda pair: -len(pair[0])):
        text = text.replace(uri, name)
    return text


class ImageNames(dict[str, Any]):
    """WeasyPrint's image cache (its documented ``cache`` option), which
    names each raster image of the PDF (its XObject) by an MD5 digest of
    its URL: an absolute ``file://`` URL, so the same project built in
    another folder (another checkout, a dask worker's temporary folder)
    gave other bytes. An image stored here is named by its URL's place
    under ``folders`` (:func:`placed`) instead, before anything is drawn."""

    def __init__(self, folders: Sequence[Path]) -> None:
        super().__init__()
        self._folders = list(folders)

    def __setitem__(self, key: str, value: Any) -> None:
        if isinstance(getattr(value, "id", None), str) and key.startswith("file:"):
            where = placed(key, self._folders).encode("utf-8")
            value.id = hashlib.md5(where, usedforsecurity=False).hexdigest()
        super().__setitem__(key, value)


def write(
    document: Any,
    dest: Path,
    kind: str = "screen",
    identifier: bytes | None = None,
    epoch: int | None = None,
    inside: Path | None = None,
    locate: Callable[[str], tuple[Path, int | None]] | None = None,
) -> None:
    """Write the PDF to a temporary file next to ``dest`` and rename it
    (:func:`diglot.files.atomic_write`; with ``inside``, only there).

    A failure at any point (disk full, killed process, a refused
    attachment) leaves whatever ``dest`` held before untouched. With ``epoch`` the output is
    reproducible: fontTools stamps the fonts it instantiates with
    SOURCE_DATE_EPOCH instead of the current time.
    """
    options = dict(VARIANTS[kind])
    finishers = []
    if identifier is not None:
        options["pdf_identifier"] = identifier
        finishers.append(_stable_document_id(identifier))
    if kind == "print":
        finishers.append(_neutrals_in_gray)
    if finishers:
        options["finisher"] = lambda document, pdf: [f(document, pdf) for f in finishers]
    tagged = weasy.languages_tagged() if options.get("pdf_tags") else contextlib.nullcontext()
    from weasyprint.urls import FatalURLFetchingError

    # Attachments (<link rel="attachment">) are fetched only now, while the
    # PDF is written: a refusal here is reported like one while laying out.
    with _source_date_epoch(epoch), tagged:
        refused = getattr(document.url_fetcher, "refused", [])
        refused.clear()

        def write_pdf(handle: IO[bytes]) -> None:
            document.write_pdf(handle, **options)
            if refused:  # swallowed by WeasyPrint: the PDF lacks it, keep the old one
                raise _refused(refused[0], locate)

        try:
            files.atomic_write(dest, write_pdf, inside, "the PDF")
        except FatalURLFetchingError as exc:
            if not hasattr(exc, "url"):
                raise BuildError(f"cannot write the PDF: {exc}", dest) from None
            raise _refused(exc, locate) from None


def _stable_document_id(identifier: bytes) -> Callable[[Any, Any], None]:
    """A WeasyPrint finisher giving the XMP DocumentID of a PDF/X-4 file,
    random in WeasyPrint (uuid4), a value that depends on ``identifier``:
    same inputs, same bytes."""
    stable = uuid.UUID(bytes=hashlib.sha256(identifier).digest()[:16], version=4)
    document_id = re.compile(rb"xmp\.did:[0-9a-fA-F-]{36}")

    def finish(document: Any, pdf: Any) -> None:
        reference = pdf.catalog.get("Metadata")
        for obj in pdf.objects:
            if reference is not None and getattr(obj, "reference", None) == reference:
                obj.stream = [
                    document_id.sub(b"xmp.did:" + str(stable).encode(), part)
                    if isinstance(part, bytes)
                    else part
                    for part in obj.stream
                ]

    return finish


# An RGB colour whose three channels are equal, as WeasyPrint writes it
# (pydyf: "r g b rg", stroking "RG"): black text, grey rules and folios.
_NEUTRAL_RGB = re.compile(rb"(-?[0-9.]+) \1 \1 (rg|RG)")


def _neutrals_in_gray(_document: Any, pdf: Any) -> None:
    """A print PDF's neutral colours in DeviceGray: the print shop's RIP
    separates RGB black into all four inks (rich black, out of register on
    9 pt type) and greys into four tints; DeviceGray goes to the black
    plate only, as prepress tools' "RGB neutrals to grey" does. Only the
    colour operators WeasyPrint wrote are rewritten (whole content-stream
    items), so no text or picture is touched; colours that are not
    neutral stay RGB (PDF/X-4 admits them with the output intent)."""
    for obj in pdf.objects:
        stream = getattr(obj, "stream", None)
        if not isinstance(stream, list):
            continue
        for index, item in enumerate(stream):
            if isinstance(item, bytes) and item[-2:] in (b"rg", b"RG"):
                match = _NEUTRAL_RGB.fullmatch(item)
                if match is not None:
                    stream[index] = match[1] + (b" g" if match[2] == b"rg" else b" G")


@contextlib.contextmanager
def _source_date_epoch(epoch: int | None) -> Iterator[None]:
    """fontTools stamps the fonts it saves (a variable face instantiated, a
    colour font cleaned) with the current time unless SOURCE_DATE_EPOCH is
    set, its documented switch: set for the duration of one write."""
    old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if old_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old_epoch
