"""Turn aligned texts and a chronology into one HTML document per edition.

Templates are Jinja2, rendered in its immutable sandbox (layouts are
untrusted input: they may read the data they are given, never Python's
insides), with ``StrictUndefined`` (a misspelt variable is an error, not an
empty string) and autoescaping (a ``<script>`` in a source is printed, never
run). The loader looks in the project's ``layouts/`` first,
then in diglot's built-in layouts, so a project can override one template
by giving a file the same name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote

import jinja2
import jinja2.bccache
import yaml
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from diglot import __version__, cache, files, fonts, languages, typography
from diglot import rows as rows_mod
from diglot.align import Alignment
from diglot.blocks import (
    Block,
    Code,
    Emphasis,
    Figure,
    Heading,
    Image,
    Inline,
    KeyDate,
    LineBreak,
    Link,
    ListBlock,
    Note,
    NoteRef,
    Quote,
    Record,
    Strong,
    Text,
    hard_lines,
    inlines_of,
    plain,
)
from diglot.chronology import Chronology
from diglot.dates import PartialDate, format_partial, language_name, parse_iso
from diglot.errors import SourceError, TemplateError
from diglot.sources import (
    CHANGE_PLACE,
    ENGLISH,
    MAX_YAML_DEPTH,
    Document,
    Segment,
    load_yaml,
    yaml_problem,
    yaml_too_deep,
)

BUILTIN = Path(__file__).resolve().parent
RESOURCE_LIMIT = 64 * files.MB  # a layout, stylesheet or SVG read to find a line
PAGE_SIZES = {
    "A4": "A4",
    "A5": "A5",
    "A6": "A6",
    "Letter": "letter",
    "half-letter": "5.5in 8.5in",
}


@dataclass(frozen=True)
class Page:
    """What a layout needs to know about the edition being rendered."""

    name: str
    layout: str
    paper: str
    date: dt.date
    kind: str
    columns: int
    chronology: bool
    contents: bool
    notes: str = "footnotes"  # or "endnotes"
    title: str | None = None
    align: str = "justify"  # or "ragged": how running text is set
    author: str | None = None
    # (language, the author's name in it): the cover's "edited by" lines
    editors: tuple[tuple[str, str], ...] = ()
    epoch: int | None = None  # SOURCE_DATE_EPOCH, if the builder set one
    extra_css: tuple[Path, ...] = ()  # the project's stylesheets, after the built-in ones

    def timestamp(self) -> dt.datetime:
        """Creation time written into the PDF: SOURCE_DATE_EPOCH when set
        (reproducible-builds.org), else the publication date at midnight UTC."""
        if self.epoch is not None:
            return dt.datetime.fromtimestamp(self.epoch, dt.UTC)
        return dt.datetime(self.date.year, self.date.month, self.date.day, tzinfo=dt.UTC)


def search_path(root: Path, folder: str) -> list[Path]:
    """Project folder first, then diglot's own."""
    paths = [root / folder, BUILTIN / folder]
    return [p for p in paths if p.is_dir()]


def resource_dirs(root: Path) -> list[Path]:
    """Folders a rendered edition may load files from: the project and the
    built-in layouts and styles (resolved, as they may be links). Not the
    project's own folders resolved: a project's styles/ linked to /etc
    must not open /etc."""
    return [
        root.resolve(),
        *((BUILTIN / d).resolve() for d in ("layouts", "styles") if (BUILTIN / d).is_dir()),
    ]


def locate(root: Path, url: str, layout: str) -> tuple[Path, int | None]:
    """The file and line that mention ``url`` (or the file name it ends in),
    so a refused resource can be reported where an editor can fix it."""
    tail = url.rstrip("/").rsplit("/", 1)[-1] or url
    candidates = [
        *(p for d in search_path(root, "layouts") for p in sorted(d.glob("*.j2"))),
        *(p for d in search_path(root, "styles") for p in sorted(d.glob("*.css"))),
        *sorted((root / "sources").glob("*/*.md")),
        # An SVG's own <image href> is fetched on its behalf.
        *sorted(p for p in root.glob("**/*.svg") if not p.is_relative_to(root / "output")),
    ]
    for needle in (url, tail):
        for path in candidates:
            try:
                lines = files.read_bytes(path, RESOURCE_LIMIT).decode("utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            for number, line in enumerate(lines, start=1):
                if needle in line:
                    return path, number
    return root / "layouts" / f"{layout}.html.j2", None


def inside_project(root: Path, path: Path) -> Path:
    """``path``, unless it is a link leading out of the project (and out of
    diglot's own layouts): a layout linked to /etc/passwd would print it."""
    target = path.resolve()
    builtin = [(BUILTIN / folder).resolve() for folder in ("layouts", "styles")]
    if not any(target.is_relative_to(p) for p in (root.resolve(), *builtin)):
        raise TemplateError(
            f"resolves to {target}, outside the project; "
            "layouts and styles must be files inside it",
            path,
        )
    return path


class BuiltinTemplateCache(jinja2.BytecodeCache):
    """Compiled code of diglot's own layouts, kept in the per-machine cache
    (:mod:`diglot.cache`): compiling the booklet's three templates took
    about 0.08 s of every build, a sixteenth of bare WeasyPrint's time on a
    12-page booklet. Jinja checks each entry against its template's source
    and the Python and Jinja versions that wrote it. A project's own
    layouts are compiled every time: nothing from a project is written to
    the machine's cache. A project's unchanged copy of one of diglot's
    layouts (as ``diglot layouts`` writes it) is the same source, which
    compiles to the same code: it shares that layout's entry."""

    def __init__(self) -> None:
        # The sandbox's settings shape the code: its module's digest is in
        # every entry's name, so a changed setting never reads an old entry.
        self.prefix = f"jinja-{cache.file_digest(Path(__file__).resolve())}"

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        own = (BUILTIN / "layouts").resolve()
        if filename is not None and Path(filename).resolve().is_relative_to(own):
            return super().get_bucket(environment, name, filename, source)
        twin = (own / name).resolve()
        if twin.is_relative_to(own) and _same_text(twin, source):
            return super().get_bucket(environment, name, str(twin), source)
        return jinja2.bccache.Bucket(environment, "", self.get_source_checksum(source))

    def _name(self, bucket: jinja2.bccache.Bucket) -> str:
        # Jinja's key names the template, not its text: the source's
        # checksum in the name gives a changed layout (a newer diglot) its
        # own entry, where the old one would be read, refused and compiled
        # again on every build (the cache never overwrites an entry).
        return f"{self.prefix}/{bucket.key}-{bucket.checksum}.bc"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        found = cache.lookup(self._name(bucket)) if bucket.key else None
        if found is not None:
            with contextlib.suppress(OSError):
                bucket.bytecode_from_string(found.read_bytes())
                if bucket.code is None:  # damaged: made again and stored anew
                    found.unlink()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key:
            data = bucket.bytecode_to_string()

            def write(tmp: Path) -> None:
                tmp.write_bytes(data)

            cache.store(self._name(bucket), write)


def _same_text(path: Path, text: str) -> bool:
    """Whether the file at ``path``, read as Jinja's loader reads a
    template, is ``text``."""
    try:
        return path.is_file() and path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


class ProjectLoader(jinja2.FileSystemLoader):
    """The project's layouts/, then diglot's; links out of the project refused."""

    def __init__(self, root: Path) -> None:
        super().__init__([str(p) for p in search_path(root, "layouts")])
        self.root = root

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        inside_project(self.root, Path(filename))
        return source, filename, uptodate


# What a layout may call besides the context's plain data: Jinja's own
# data helpers (not ``lipsum``, which layouts never need) and ``stylesheet``.
LAYOUT_GLOBALS = ("range", "dict", "namespace", "cycler", "joiner")
# Largest string or list a layout may make with ``*`` and largest power with
# ``**``: a layout must not be able to exhaust memory with ``"x" * 10**12``.
MAX_PRODUCT = 1_000_000
MAX_EXPONENT = 1_000


class LayoutSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's sandbox: no underscore attributes, no unsafe ``str.format``,
    no changing the data a layout is given, and no huge products."""

    intercepted_binops = frozenset({"*", "**"})

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        # Refuse at once, not when the value is next used: the error then
        # names what the layout asked for, wherever the chain went on.
        what = obj.__name__ if isinstance(obj, type) else f"a {type(obj).__name__} object"
        raise SecurityError(f"access to attribute {attribute!r} of {what} is not allowed")

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"power {right} is over the limit of {MAX_EXPONENT}")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if (
                    isinstance(seq, (str, list, tuple))
                    and isinstance(count, int)
                    and len(seq) * count > MAX_PRODUCT
                ):
                    raise SecurityError(
                        f"repeating a value {count} times makes more than {MAX_PRODUCT} items"
                    )
        return super().call_binop(context, operator, left, right)


def environment(root: Path) -> jinja2.Environment:
    """The sandboxed environment layouts are rendered in: layouts are
    untrusted input (shared house styles, a translator's pull request).
    One per project and set of layout and style folders in a process, so
    that a template is compiled once (Jinja compiles it again when its file
    changes: ``diglot serve``; a ``layouts/`` folder made meanwhile makes
    another environment)."""
    return _environment(
        root, tuple(search_path(root, "layouts")), tuple(search_path(root, "styles"))
    )


@lru_cache(maxsize=8)
def _environment(
    root: Path, _layouts: tuple[Path, ...], _styles: tuple[Path, ...]
) -> jinja2.Environment:
    env = LayoutSandbox(
        loader=ProjectLoader(root),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=BuiltinTemplateCache(),
    )
    env.globals = {name: env.globals[name] for name in LAYOUT_GLOBALS}
    styles = search_path(root, "styles")

    def stylesheet(name: str) -> str:
        for folder in styles:
            if (folder / name).is_file():
                return inside_project(root, folder / name).resolve().as_uri()
        raise TemplateError(f"stylesheet {name!r} not found in styles/", root / "styles")

    env.globals["stylesheet"] = stylesheet
    # A title printed as text keeps the text's ties ("о геноциде и /
    # трагедиях" ended a line of the colophon with "и").
    # A title's given names stay with the names after them ("Heydər / Əliyevin").
    env.filters["poems_kept"] = rows_mod.poems_kept
    env.filters["hard_lines"] = hard_lines
    env.filters["poem_fit"] = rows_mod.poem_fit
    env.filters["poem_heads"] = rows_mod.poem_heads
    # Nor is its last word alone on a line ("…Heydər Əliyevin / rolu" over
    # genocide-az's text, a typographer's reading), as a key date's is not.
    env.filters["tie"] = _title_tied
    env.filters["running_head"] = running_head
    return env


def running_head(text: Any) -> str:
    """A heading's words as a running head: those before a colon where it
    has one ("Қосымша: басқа дереккөздерден алынған екі үзінді" heads its
    pages "Қосымша", "Appendix: two passages from other sources"
    "Appendix"), as a book's short running head is; a typographer found the
    whole heading cut off by an ellipsis in its column's half of the page."""
    words = str(text)
    head, colon, rest = words.partition(": ")
    return head.strip() if colon and head.strip() and rest.strip() else words


def _title_tied(text: Any, lang: Any) -> str:
    """A title as the layouts print it: its dates and names tied, its last
    word not alone on a line (the ``tie`` filter)."""
    return typography.keep_names(
        typography.keep_last_words(typography.tie(str(text), str(lang), whole_dates=True))
    )


def labels(root: Path) -> dict[str, dict[str, str]]:
    """The built-in labels with the project's ``layouts/labels.yaml`` laid
    over them key by key and language by language: a project names only
    the words it changes or adds."""
    merged: dict[str, dict[str, str]] = {}
    for folder in reversed(search_path(root, "layouts")):
        path = folder / "labels.yaml"
        if path.is_file():
            for key, words in read_labels(inside_project(root, path)).items():
                merged[key] = {**merged.get(key, {}), **words}
    return merged


def builtin_labels() -> dict[str, dict[str, str]]:
    return read_labels(BUILTIN / "layouts" / "labels.yaml")


def missing_labels(root: Path, language: str) -> list[str]:
    """The label keys with no wording in ``language`` (nor its base language)."""
    base = languages.base_language(language)
    return [k for k, words in labels(root).items() if language not in words and base not in words]


def read_labels(path: Path) -> dict[str, dict[str, str]]:
    """One labels file, read again when it changes (a long-running
    ``diglot serve`` sees an edited file)."""
    try:
        stat = path.stat()
    except OSError:
        raise TemplateError("cannot read the labels file", path) from None
    return _parsed_labels(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _parsed_labels(path: Path, _mtime_ns: int, _size: int) -> dict[str, dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8")
        deep = yaml_too_deep(text)
        if deep is not None:
            raise TemplateError(f"nested more than {MAX_YAML_DEPTH} levels deep", path, deep + 1)
        data = load_yaml(text) or {}
    except UnicodeDecodeError:
        raise TemplateError("not valid UTF-8; save the file as UTF-8", path) from None
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc)
        raise TemplateError(f"not valid YAML: {problem}", path, line) from None
    except RecursionError:
        raise TemplateError("nested too deeply", path) from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise TemplateError(
            "expected labels as 'key:' lines with 'language: text' under each", path
        )
    for key, words in data.items():
        for lang, text in words.items():
            # a wording is a text (or a number): a list or mapping in its
            # place is refused before it is printed, which for a mapping of
            # YAML aliases of aliases would never end
            if not isinstance(text, str | int | float) or isinstance(text, bool):
                raise TemplateError(
                    f"the label {str(key)[:60]!r} in {str(lang)[:20]!r} must be a text", path
                )
    return {str(k): {str(lk): str(lv) for lk, lv in v.items()} for k, v in data.items()}


AFTER_NUMBER = "\u2060\u200a\u2060"  # word joiner, hair space, word joiner


class InlineHtml:
    """Prints inline content of one language's text as HTML.

    Templates call it (``lang.inline(block.content)``); block structure is
    printed by the macros in ``layouts/_parts.html.j2``. A note is printed
    where it is called, as an element the stylesheet floats to the foot of
    the page (``float: footnote``); with endnotes, the call links to the
    note after the text. Numbers are the text's own (per language), given
    in ``data-n`` and printed by CSS, so that they are not counted as text
    when facing pages split a paragraph.
    """

    def __init__(self, lang: str, notes: str, images: dict[str, str], ragged: bool = False) -> None:
        self.lang = lang
        self.ragged = ragged  # a date keeps its year (see diglot.typography.tie)
        self.endnotes = notes == "endnotes"
        self.images = images  # src as written -> file URI

    def __call__(self, nodes: tuple[Inline, ...]) -> Markup:
        out = []
        for before, node in zip((None, *nodes), nodes, strict=False):
            if (
                isinstance(node, NoteRef)
                and isinstance(before, Text)
                and before.text[-1:].isdigit()
            ):
                # a call after a number stands apart from it by a hair space
                # that no line breaks at: "1832¹" read as 18321
                out.append(escape(AFTER_NUMBER))
            out.append(self.node(node, in_note=False))
        return Markup("").join(out)

    def node(self, node: Inline, in_note: bool) -> Markup:
        if isinstance(node, Text):
            # no-break spaces and hyphens in dates and numbers, curly apostrophes
            return escape(typography.tie(node.text, self.lang, whole_dates=self.ragged))
        if isinstance(node, Code):
            return Markup("<code>{}</code>").format(node.text)
        if isinstance(node, LineBreak):
            return Markup("<br>")
        if isinstance(node, Emphasis | Strong):
            inner = Markup("").join(self.node(n, in_note) for n in node.children)
            return Markup("<{0}>{1}</{0}>").format(node.kind, inner)
        if isinstance(node, Link):
            inner = Markup("").join(self.node(n, in_note) for n in node.children)
            shown = unquote(node.href.removeprefix("mailto:"))  # as a reader types it
            text = plain(node.children).strip()
            # printed without its scheme and a closing slash, as a book
            # prints an address (a typographer read "(https:// /
            # ru.wikisource.org/wiki/ / …" as three lines of noise)
            printed = re.sub(r"^https?://", "", shown).removesuffix("/")
            cls = "web" if text in (shown, printed) else "web with-url"
            return Markup('<a class="{}" href="{}" data-url="{}">{}</a>').format(
                cls, node.href, printed, inner
            )
        if isinstance(node, Image):
            return Markup('<img class="inline-image" src="{}" alt="{}">').format(
                self.images.get(node.src, ""), node.alt
            )
        return self.call(node, in_note)

    def call(self, ref: NoteRef, in_note: bool) -> Markup:
        if self.endnotes:
            return Markup('<a class="note-call" href="#endnote-{0}-{1}" data-n="{1}"></a>').format(
                self.lang, ref.number
            )
        if ref.note is None or in_note:
            return Markup('<sup class="note-call" data-n="{}"></sup>').format(ref.number)
        return Markup(
            '<span class="footnote" id="note-{}-{}" data-n="{}" data-lang="{}">{}</span>'
        ).format(self.lang, ref.number, ref.number, self.lang.upper(), self.note(ref.note))

    def note(self, note: Note) -> Markup:
        """A note's text as inline content (its paragraphs on new lines)."""
        parts = []
        for block in note.blocks:
            for content in inlines_of(block):
                parts.append(Markup("").join(self.node(n, in_note=True) for n in content))
        return Markup("<br>").join(parts)


def image_files(root: Path, doc: Document) -> dict[str, str]:
    """Each image the text shows, as a file URI, checked to be a file inside
    the project (a link out of it, or a missing file, is an error at its line)."""
    found: dict[str, str] = {}
    for segment in doc.segments.values():
        blocks = _all_blocks(segment)
        images = [n for b in blocks for c in inlines_of(b) for n in _images(c)]
        images += [b.image for b in _all_blocks(segment) if isinstance(b, Figure)]
        for image in images:
            if image.src in found:
                continue
            path = (doc.path.parent / image.src).resolve()
            line = _line_of(doc, segment, image.src)
            if not path.is_relative_to(root.resolve()):
                raise SourceError(
                    f"image {image.src!r} is outside the project; images must be files in it",
                    doc.path,
                    line,
                )
            if not path.is_file():
                raise SourceError(f"image {image.src!r}: file not found", doc.path, line)
            found[image.src] = path.as_uri()
    return found


def _all_blocks(segment: Segment) -> list[Block]:
    """The segment's blocks and notes' blocks, with the blocks inside lists and quotes."""
    todo: list[Block] = [*segment.blocks, *(b for n in segment.notes for b in n.blocks)]
    out: list[Block] = []
    while todo:
        block = todo.pop(0)
        out.append(block)
        if isinstance(block, Quote):
            todo += block.blocks
        elif isinstance(block, ListBlock):
            todo += [b for item in block.items for b in item.blocks]
    return out


def _images(nodes: tuple[Inline, ...]) -> list[Image]:
    out: list[Image] = []
    for node in nodes:
        if isinstance(node, Image):
            out.append(node)
        elif isinstance(node, Emphasis | Strong | Link):
            out += _images(node.children)
    return out


def _line_of(doc: Document, segment: Segment, needle: str) -> int:
    for offset, text in enumerate(segment.source.split("\n")):
        if needle in text:
            return segment.line + 1 + offset
    return segment.line


def _cell(
    segment: Segment | None, lang: str, inline: InlineHtml, opens: bool = False
) -> rows_mod.Cell | None:
    if segment is None:
        return None
    return rows_mod.Cell(
        lang=lang,
        id=f"{lang}-{segment.id}",
        segment=segment.id,
        heading=segment.is_heading,
        blocks=segment.blocks,
        notes=segment.notes,
        inline=inline,
        opens=opens,
    )


PROVENANCE = ("source", "author", "corrected_by", "translated_by", "translated_on", "licence")
NOT_KNOWN = frozenset({"unknown", "none", "null", "n/a", "-"})


def _facts(doc: Document, label: Callable[[str, str], str]) -> list[dict[str, str]]:
    """The colophon's lines for one text: labels in its language, values as
    texts (a date formatted by Babel; values that say nothing are left out)."""
    out = []
    values = doc.meta.provenance.model_dump(mode="json")
    for key in PROVENANCE:
        value = values.get(key)
        lang = doc.language  # each text's provenance is written in its language
        if value is None or str(value).strip().lower() in NOT_KNOWN:
            continue
        if key == "translated_on":
            value, lang = format_partial(parse_iso(str(value)), doc.language), doc.language
        out.append({"label": label(key, doc.language), "value": str(value), "lang": lang})
    return out


# A project's file names, as editors write them in the record of changes
# ("see kk.md", "given in NOTES.md"); a reader has no such files.
_FILE_NAME = re.compile(r"\b([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*|NOTES)\.md\b")


def _reader_words(change: str) -> str:
    """``change`` (a line of the record in English) with the project's file
    names put as a reader knows them: "kk.md" is the Kazakh text,
    "NOTES.md" the editors' notes."""

    def name(match: re.Match[str]) -> str:
        if match[1] == "NOTES":
            return "the editors’ notes"
        try:
            language = languages.locale(match[1]).get_display_name("en")
        except ValueError:
            return match[0]
        return f"the {language} text" if language else match[0]

    return _FILE_NAME.sub(name, change)


# Places a line of the record may name instead of segment ids ("all: ...",
# "title: ..."), and the label printed for each in the edition's language.
PLACES = {"all": "throughout", "title": "in_title"}


# A title in a line of the record, in italics as in the texts ("the
# newspaper *Pravda*"): a reader found Pravda italic in the English text
# and roman in the record.
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")


def _record_words(text: str, language: str) -> Markup:
    """``text`` (in ``language``) escaped, its dates and numbers tied as in
    ragged texts (:func:`diglot.typography.tie`: "December 18, 1997" is
    one unit: the record is set ragged), a ``*title*`` in italics."""
    tied = typography.tie(text, language, whole_dates=True)
    out: list[Markup] = []
    at = 0
    for match in _EMPHASIS.finditer(tied):
        out += [escape(tied[at : match.start()]), Markup("<em>{}</em>").format(match[1])]
        at = match.end()
    out.append(escape(tied[at:]))
    return Markup("").join(out)


def _arrows(text: str, language: str) -> Markup:
    """``text`` as :func:`_record_words` prints it, the editors' "->"
    printed as a real arrow in the font that has one
    (diglot.fonts.ARROW_FAMILY); kept as "->" when that font is not
    installed."""
    if fonts.arrow_file() is None:
        return _record_words(text, language)
    return Markup('<span class="arrow">\u2192</span>').join(
        _record_words(p, language) for p in text.split("->")
    )


# A segment id inside a line of the record ("p25 says once that ...",
# "(p28, p41)"): a word of letters and digits, not part of a longer word.
_SEGMENT_ID = re.compile(r"(?<![\w-])([a-z]+\d+)(?![\w-])")


def _record_text(text: str, doc: Document, page: str, language: str) -> Markup:
    """A line of the record as printed: each id of one of ``doc``'s segments
    in it ("p25") is cited by its page ("p. 19", ``page`` being the word for
    page in the record's language), as the line's opening ids are; the
    arrows as :func:`_arrows` prints them, its last word kept with the one
    before (:func:`diglot.typography.keep_last_words`). A word that is no
    segment's id ("mp3") is kept as it is. ``language``: the record's."""
    out: list[Markup] = []
    at = 0
    for match in _SEGMENT_ID.finditer(text):
        if match[1] not in doc.segments:
            continue
        out.append(_arrows(text[at : match.start()], language))
        ref = Markup('{}&#160;<a class="page-ref" href="#{}-{}"></a>')
        out.append(ref.format(page, doc.language, match[1]))
        at = match.end()
    # (set ragged, as the key dates: its last word not alone on a line)
    out.append(_arrows(typography.keep_last_words(text[at:]), language))
    return Markup("").join(out)


def _named(pattern: str, name: str) -> str:
    """A language's name in a label's wording ("{name} dili": CLDR names the
    Azerbaijani language "azərbaycan", which, capitalised, is the country).
    A plain replacement: a label is project input, never a format string."""
    return pattern.replace("{name}", name) if "{name}" in pattern else name


def _listed(pattern: str, count: int) -> tuple[str, str]:
    """A count and a page in a label's wording ("{n}, see p. {page}"),
    as the words before the page number and after it; a no-break space
    keeps the page's abbreviation with its number. Plain replacements: a
    label is project input, never a format string."""
    before, _, after = pattern.replace(" {page}", "\u00a0{page}").partition("{page}")
    return before.replace("{n}", str(count)), after.replace("{n}", str(count))


def _changes(doc: Document, page: str, language: str) -> list[dict[str, Any]]:
    """The record of changes, each line with the anchors of the segments it
    names ("p2, p3: ..." prints the pages of p2 and p3, not the invisible ids;
    diglot.record then writes them as ranges) or the label of the place it
    names ("all: ..." is printed "whole text"), in the record's language
    ``language`` (:attr:`Document.record_language`): ``page`` is its word
    for page, for the ids inside the lines."""
    out: list[tuple[int, dict[str, Any]]] = []
    order = {seg: number for number, seg in enumerate(doc.segments)}
    where = -1  # a line naming no place stays after the line before it
    lines = [line[language] for line in doc.meta.provenance.changes]
    for change in map(_reader_words, lines) if language == ENGLISH else lines:
        match = CHANGE_PLACE.match(change)
        ids = _segment_ids(match[1], order) if match else None
        if match and ids:
            anchors = [f"{doc.language}-{i}" for i in ids]
            text = _record_text(match[2], doc, page, language)
            where = order[ids[0]]
            out.append((where, {"anchors": anchors, "place": "", "text": text}))
        elif match and match[1].lower() in PLACES:
            place = PLACES[match[1].lower()]
            text = _record_text(match[2], doc, page, language)
            where = -2 if place == "throughout" else -1  # the whole text first, then its title
            out.append((where, {"anchors": [], "place": place, "text": text}))
        else:
            text = _record_text(change, doc, page, language)
            out.append((where, {"anchors": [], "place": "", "text": text}))
    # in the order of the text, as a reader turns the pages (a stable sort
    # keeps the editor's order within a segment)
    return [line for _, line in sorted(out, key=lambda pair: pair[0])]


def _segment_ids(place: str, order: dict[str, int]) -> list[str] | None:
    """The segments a line of the record names ("p3, p5", "p17–p20": every
    segment from p17 to p20), or None when it names one the text lacks."""
    ids: list[str] = []
    for part in re.split(r"\s*,\s*", place):
        first, _, last = (p.strip() for p in part.partition("–"))
        if first not in order or (last and (last not in order or order[last] < order[first])):
            return None
        if last:
            ids += [seg for seg, n in order.items() if order[first] <= n <= order[last]]
        else:
            ids.append(first)
    return ids


def _sections(rows: list[rows_mod.Row]) -> list[list[rows_mod.Row]]:
    """Rows grouped into sections, each opened by a heading of level 1 or 2."""
    out: list[list[rows_mod.Row]] = []
    for row in rows:
        if not out or (row.heading and row.level <= 2):
            out.append([])
        out[-1].append(row)
    return out


def context(
    root: Path,
    page: Page,
    alignment: Alignment,
    chronology: Chronology | None,
    plan: rows_mod.Plan | None = None,
    lines: rows_mod.Lines | None = None,
) -> dict[str, Any]:
    """What a layout is given: the edition, its languages, the aligned rows
    (and as ``groups`` the rows side by side, grouped by ``plan``, their
    paragraphs set in ``lines``: diglot.rows), the key dates, and the
    fonts and stylesheets to print with."""
    docs: Sequence[Document] = alignment.documents
    inlines = [
        InlineHtml(d.language, page.notes, image_files(root, d), page.align == "ragged")
        for d in docs
    ]
    languages = _languages(root, page, docs, inlines)
    rows = _rows(alignment, inlines)
    toc = [r for r in rows if r.heading and r.level <= 2]
    titled = _titled(rows, docs, inlines)
    if toc and titled is not rows:
        # a lead before the first heading is the contents' first entry, under
        # the text's title (a reader of biography-kk missed where the text
        # starts); a text without headings still has no contents
        toc = [titled[0], *toc]
    if page.layout == "facing":
        rows = titled
    dates = _key_dates(page, chronology, [d.language for d in docs])
    date_column = _date_column(dates)
    return {
        "edition": page,
        "title": page.title or " · ".join(d.meta.title for d in docs),
        "authors": _authors(page, docs),
        "primary": languages[0],
        "languages": languages,
        "rows": rows,
        "groups": rows_mod.groups(rows, plan, lines),
        "columns": None,  # side-by-side columns' shares of the width (diglot.rows)
        "narrow": None,  # facing pages: the shorter language's measure (diglot.facing.narrowing)
        "toc": toc,
        "sections": _sections(rows),
        "chronology": dates,
        # the same key dates as rows of the text, for a layout that packs
        # them as it packs the text (facing pages: original left)
        "date_rows": _date_rows(dates, languages),
        # and the records of changes, each text's on its own side
        "record_rows": _record_rows(languages),
        # a text in one language hangs its key dates' events beside a
        # column as wide as its widest date
        "date_column": date_column if len(languages) == 1 else None,
        # ...and facing pages, the widest date of both languages (a reader
        # found "2003 ж. 12 желтоқсан" all but touching its event)
        "dates_width": date_column[0] if date_column else None,
        "page_size": PAGE_SIZES[page.paper],
        # a booklet's text width in ems of its text (styles/booklet.css's
        # margins, 9.5 pt): a poem side by side is fitted to it (diglot.rows)
        "text_em": _booklet_text_em(page.paper) if page.layout == "booklet" else None,
        # Inside <style> the HTML parser does not decode entities, so the
        # rules (built from installed font paths, no user text) go in raw.
        "fonts_css": Markup(fonts.font_face_css()),  # noqa: S704
        "version": __version__,
        "created": page.timestamp().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "label": languages[0]["label"],
        "extra_css": [inside_project(root, p).resolve().as_uri() for p in page.extra_css],
    }


def _booklet_text_em(paper: str) -> float:
    """The width of a booklet's text block on ``paper``, in ems of 9.5 pt."""
    from diglot.facing import content_width_mm  # the booklet's margins, as facing pages'

    return content_width_mm(paper) * 72 / 25.4 / 9.5


def _languages(
    root: Path, page: Page, docs: Sequence[Document], inlines: Sequence[InlineHtml]
) -> list[dict[str, Any]]:
    """For each text: its language, front matter, labels and back matter."""
    published = PartialDate(page.date.year, page.date.month, page.date.day)
    table = labels(root)

    def label(key: str, lang: str) -> str:
        # A language without the word falls back to English; the build warns
        # about it (see missing_labels), so the fallback is never silent.
        entry = table.get(key, {})
        base = languages.base_language(lang)
        return entry.get(lang) or entry.get(base) or entry.get("en") or key

    return [
        {
            "code": d.language,
            "inline": inlines[i],
            "notes": d.notes if page.notes == "endnotes" else (),
            "name": _named(label("language_name", d.language), language_name(d.language)),
            # its name in the language of its record of changes, which
            # heads its lines: "Хейдар Әлиев — қазақ тілі"
            "record_name": _named(
                label("language_name", record),
                language_name(d.language, record, capital=False),
            ),
            "record_language": record,
            # the edition says so, in the text's language, when its record
            # is in English (the text is not)
            "record_in_english": record == "en" and languages.base_language(d.language) != "en",
            "editors": dict(page.editors).get(d.language, ""),
            "title": d.meta.title,
            "subtitle": d.meta.subtitle,
            "running_title": d.meta.running_title or d.meta.title,
            "date": format_partial(published, d.language),
            "role": d.meta.role,
            "provenance": d.meta.provenance.model_dump(mode="json"),
            "facts": _facts(d, label),
            "changes": _changes(d, label("page", record), record),
            "label": {k: label(k, d.language) for k in table},
            # the words that place the record's lines are in the lines' language
            "record_label": {
                **{k: label(k, record) for k in ("page", "pages", "changes", *PLACES.values())},
                # a facing record's "continued on p. 32": the words before
                # and after the page number
                "continued": _listed(label("continued", record), 0),
            },
            # the colophon's "22, see p. 7": the words before and
            # after the page number (a link the layout prints)
            "changes_listed": _listed(
                label("changes_listed", d.language), len(d.meta.provenance.changes or [])
            ),
        }
        for i, (d, record) in enumerate((d, d.record_language) for d in docs)
    ]


def _rows(alignment: Alignment, inlines: Sequence[InlineHtml]) -> list[rows_mod.Row]:
    """The aligned rows, a cell per language (None where a text lacks the
    segment), each anchored at its first present cell."""
    codes = [d.language for d in alignment.documents]
    out = []
    # per language: whether its last segment so far was a heading
    after_heading = [True] * len(codes)  # the text's first paragraph opens it, flush too
    for row in alignment.rows:
        cells = tuple(
            _cell(seg, codes[i], inlines[i], after_heading[i]) for i, seg in enumerate(row.cells)
        )
        for i, seg in enumerate(row.cells):
            if seg is not None:
                after_heading[i] = seg.is_heading
        anchor = next(c.id for c in cells if c is not None)
        out.append(rows_mod.Row(row.id, row.is_heading, row.level, cells, anchor))
    return out


TITLE_SEGMENT = "_title"  # no segment of a text can have it (sources.VALID_ID)


def _titled(
    rows: list[rows_mod.Row], docs: Sequence[Document], inlines: Sequence[InlineHtml]
) -> list[rows_mod.Row]:
    """``rows`` opened by a heading of each text's title when the text opens
    without one (a biography's lead): facing pages pack it as a segment of
    the text, level on both pages, as a side-by-side booklet prints its
    opening title over the columns (layouts/booklet.html.j2, the header
    with the same id). It is the contents' first entry when the text has
    headings (:func:`context`)."""
    if not rows or rows[0].heading:
        return rows
    cells = tuple(
        rows_mod.Cell(
            lang=doc.language,
            id=f"{doc.language}-{TITLE_SEGMENT}",
            segment=TITLE_SEGMENT,
            heading=True,
            blocks=(Heading(2, (Text(doc.meta.title),), 0),),
            notes=(),
            inline=inline,
        )
        for doc, inline in zip(docs, inlines, strict=True)
    )
    title = rows_mod.Row(TITLE_SEGMENT, True, 2, cells, cells[0].id)
    first = rows[0]
    opened = tuple(replace(c, opens=True) if c is not None else None for c in first.cells)
    return [title, replace(first, cells=opened), *rows[1:]]


def _key_dates(
    page: Page, chronology: Chronology | None, codes: Sequence[str]
) -> list[dict[str, Any]]:
    """The work's key dates in every language, if the edition prints them."""
    if chronology is None or not page.chronology:
        return []
    return [
        {
            "iso": entry.date.iso(),
            "id": f"date-{entry.date.iso()}-{entry.line}",
            "segment": entry.segment,
            "cells": [
                {
                    "lang": code,
                    "date": format_partial(entry.date, code),
                    # the key dates are set ragged, with no last line of one short word
                    "event": typography.keep_last_words(
                        typography.keep_initialisms(
                            typography.tie(entry.events.get(code, ""), code, whole_dates=True)
                        )
                    ),
                }
                for code in codes
            ],
        }
        for entry in chronology.entries
    ]


# between the widest date and its event (at 0.9 a reader found "18 dekabr
# 1997" 6 pt from its event, the narrower dates 30 pt)
DATE_GAP_EM = 1.4
# an event's turned lines stand this much further in than its first: none,
# flush with it, a table's column beside the dates' (at an em further in a
# reader read them as misaligned; an earlier one had found flush lines hard
# to tell apart when the dates' column was narrower and ran into the
# events. White between the entries, which both would take, puts the text
# after them off the one-language booklets' grid of lines unless it is a
# whole line, which made genocide-en 12 pages instead of 8.)
DATE_TURN_EM = 0.0


def _date_column(dates: list[dict[str, Any]]) -> tuple[float, float] | None:
    """The width (em of the text) of a column that holds every key date in
    the bold sans the dates are set in (styles/base.css ``.date``),
    :data:`DATE_GAP_EM` clear of the events beside it, measured from the
    face's advance widths (kerning left out: a little more room, never
    less); and where an event's turned lines start (:data:`DATE_TURN_EM`
    further in)."""
    from diglot import linebreak

    if not dates:
        return None
    widest = max(
        linebreak.advance_em(cell["date"], "Noto Sans", bold=True)
        for entry in dates
        for cell in entry["cells"]
    )
    width = round(widest + DATE_GAP_EM, 2)
    return width, round(width + DATE_TURN_EM, 2)


# The key dates' rows: a dot keeps them apart from any segment id
# (diglot.sources.VALID_ID)
DATES_ID = "dates.head"


def _date_rows(dates: list[dict[str, Any]], languages: list[dict[str, Any]]) -> list[rows_mod.Row]:
    """The key dates as rows: their heading, then a row per date, each
    language's cell one :class:`~diglot.blocks.KeyDate`."""
    if not dates:
        return []

    def row(ident: str, blocks: list[Any], heading: bool) -> rows_mod.Row:
        cells = tuple(
            rows_mod.Cell(
                lang=lang["code"],
                id=f"{lang['code']}-{ident}",
                segment=ident,
                heading=heading,
                blocks=(block,),
                notes=(),
                inline=lang["inline"],
            )
            for lang, block in zip(languages, blocks, strict=True)
        )
        return rows_mod.Row(ident, heading, 2 if heading else 0, cells, cells[0].id, aligned=True)

    titles = [Heading(2, (Text(lang["label"]["chronology"]),), 0) for lang in languages]
    out = [row(DATES_ID, titles, True)]
    for entry in dates:
        blocks = [KeyDate(entry["iso"], cell["date"], cell["event"], 0) for cell in entry["cells"]]
        out.append(row(f"dates.{len(out)}", blocks, False))
    return out


# The records' row (a dot keeps it apart from any segment id, as DATES_ID)
RECORD_ID = "records.changes"


def _record_rows(languages: list[dict[str, Any]]) -> list[rows_mod.Row]:
    """Each text's record of changes as a row, for a layout that packs it
    as it packs the text (facing pages): in each language, a heading and
    that text's record (:class:`~diglot.blocks.Record`: its title and
    language, then its entries), the original's on the left and the
    translation's on the right. ``free``: the two are no translation of
    each other, and where one ends, the other runs on over both pages
    (diglot.facing). Empty when no text has a record."""
    if not any(lang["changes"] for lang in languages):
        return []
    cells: list[rows_mod.Cell | None] = []
    for lang in languages:
        if not lang["changes"]:
            cells.append(None)
            continue
        title = f"{_title_tied(lang['title'], lang['code'])} \u2014 {lang['record_name']}"
        items: list[dict[str, Any]] = [{"title": title}]
        if lang["record_in_english"]:
            items.append({"note": lang["label"]["changes_in_english"]})
        head = Heading(2, (Text(lang["label"]["changes"]),), 0)
        record = Record(lang["record_language"], (*items, *lang["changes"]), lang["record_label"])
        cells.append(
            rows_mod.Cell(
                lang=lang["code"],
                id=f"{lang['code']}-{RECORD_ID}",
                segment=RECORD_ID,
                heading=True,
                blocks=(head, record),
                notes=(),
                inline=lang["inline"],
            )
        )
    first = next(c for c in cells if c is not None)
    return [rows_mod.Row(RECORD_ID, True, 2, tuple(cells), first.id, free=True)]


def _authors(page: Page, docs: Sequence[Document]) -> list[str]:
    """The edition's author if diglot.toml names one, else the texts' authors."""
    if page.author:
        return [page.author]
    return sorted({a for d in docs for a in [d.meta.provenance.author] if a})


def render_html(
    root: Path,
    page: Page,
    alignment: Alignment,
    chronology: Chronology | None,
    extra: dict[str, Any] | None = None,
    plan: rows_mod.Plan | None = None,
    lines: rows_mod.Lines | None = None,
) -> str:
    """The edition's HTML; ``extra`` adds to the layout's context, ``plan``
    groups the side-by-side rows and ``lines`` sets their paragraphs'
    lines (diglot.rows)."""
    values = {**context(root, page, alignment, chronology, plan, lines), **(extra or {})}
    return render_template(root, f"{page.layout}.html.j2", values)


def render_template(root: Path, name: str, values: dict[str, Any]) -> str:
    env = environment(root)
    try:
        template = env.get_template(name)
        return template.render(values)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax error: {exc.message}", exc.filename or name, exc.lineno
        ) from None
    except jinja2.TemplateNotFound as exc:
        # An {% include %} or {% extends %} names the line; a missing layout does not.
        path, line = _template_position(exc.__traceback__, name)
        raise TemplateError(
            f"template {exc.name!r} not found in layouts/", path if line else root / "layouts", line
        ) from None
    except SecurityError as exc:
        path, line = _template_position(exc.__traceback__, name)
        raise TemplateError(f"layout refused: {exc}", path, line) from None
    except jinja2.UndefinedError as exc:
        path, line = _template_position(exc.__traceback__, name)
        raise TemplateError(f"undefined in template: {exc.message}", path, line) from None
    except TemplateError as exc:
        # Raised by a helper such as stylesheet(): add the line that called it
        # (unless it already names the file to fix).
        if exc.line is not None or (exc.path is not None and exc.path.is_file()):
            raise
        path, line = _template_position(exc.__traceback__, name)
        raise TemplateError(exc.message, path, line) from None
    except (
        TypeError,
        ValueError,
        AttributeError,
        LookupError,
        ArithmeticError,
        RecursionError,
        jinja2.TemplateError,
    ) as exc:
        path, line = _template_position(exc.__traceback__, name)
        reason = "calls itself without end" if isinstance(exc, RecursionError) else exc
        raise TemplateError(f"template failed: {reason}", path, line) from None


def _template_position(tb: TracebackType | None, fallback: str) -> tuple[str, int | None]:
    """The innermost template frame of a traceback (Jinja maps them to .j2 lines)."""
    found: tuple[str, int | None] = (fallback, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
