"""Exchange translations with translators as PO files (Babel's ``pofile``).

One PO file holds one work in one target language: each entry's
``msgctxt`` is a segment id, ``msgid`` the original segment's text and
``msgstr`` the translation (empty where there is none yet). A segment's
paragraphs are separated by a blank line; a heading keeps its ``## `` marks,
so that the text round-trips. The work and the two languages are recorded
in the header (``Project-Id-Version: <work> <original language>``,
``Language: <target language>``).

Importing writes the translations back into ``sources/<work>/<lang>.md`` by
replacing only the lines of the segments that changed (front matter, ids,
comments and untranslated segments stay as they are); a translation of a
segment the file lacks is inserted where the original has it. An entry
marked fuzzy, or whose ``msgid`` no longer matches the original, is
reported and skipped unless asked for.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, escape, read_po, unescape, write_po

from diglot.blocks import same_content
from diglot.errors import SourceError, UsageError, shown_path
from diglot.files import MB, atomic_write, read_bytes, read_checked
from diglot.languages import locale
from diglot.sources import Document, Segment, load, parse, read_text
from diglot.works import load_work

# A PO file for a whole book is a few MB; much more is not one.
MAX_PO_BYTES = 64 * MB

HEADER = """\
# diglot translation exchange: work {work!r}, from {original} into {language}.
# msgctxt is the segment id, msgid the {original} text, msgstr the {language} text.
# Keep the Markdown as it is: blank lines between paragraphs, '#' marks of
# headings, [^1] note calls with their '[^1]: ...' text, list and verse lines.
# Entries marked fuzzy are not imported (the original changed since).
# Import with: diglot po import FILE
#"""


def segment_text(segment: Segment) -> str:
    """The segment as one string: its lines as written (Markdown marks,
    notes ``[^1]: ...``, lists and verse lines included), without the blank
    lines around them."""
    return segment.source


def normalise_text(text: str) -> str:
    """A translator's text as it will stand in the source: line ends made
    LF, blank lines around the text dropped. Line
    breaks stay: in a list or a verse block they are part of the text."""
    lines = [
        line if line.strip() else ""
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _work_texts(root: Path, work: str) -> tuple[Document, Path]:
    """The work's original text and its folder."""
    folder = root / "sources" / work
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", work) or not folder.is_dir():
        raise UsageError(f"no work named {work!r}: no folder sources/{work}/", root)
    docs = load_work(root, work)
    originals = [d for d in docs if d.meta.role == "original"]
    if not originals:
        raise SourceError(f"work {work!r} has no text with 'role: original'", folder)
    return originals[0], folder


# -- export -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    catalog: Catalog
    segments: int
    translated: int
    fuzzy: int


def export_catalog(
    root: Path, work: str, language: str, previous: Catalog | None = None
) -> Exported:
    """A catalog of the work's segments with their ``language`` translations.

    With ``previous`` (the PO file exported before), an entry whose original
    changed since is marked fuzzy with the old text as ``#| msgid``, and a
    translation the previous file has but the text lacks (not imported yet)
    is kept.
    """
    original, folder = _work_texts(root, work)
    if language == original.language:
        raise UsageError(f"{language!r} is the original language of work {work!r}", root)
    try:
        locale(language)  # Babel's Catalog takes any tag; a PO file for none helps nobody
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    target = folder / f"{language}.md"
    translation = load(target, root) if target.exists() else None
    catalog = Catalog(
        locale=language.replace("-", "_"),
        project=work,
        version=original.language,
        header_comment=HEADER.format(work=work, original=original.language, language=language),
        charset="utf-8",
        fuzzy=False,
    )
    old = {m.context: m for m in previous if m.id and m.context} if previous else {}
    source = shown_path(original.path, root)
    translated = fuzzy = 0
    for seg_id, segment in original.segments.items():
        msgid = segment_text(segment)
        msgstr = ""
        if translation is not None and seg_id in translation.segments:
            msgstr = segment_text(translation.segments[seg_id])
        message = _message(seg_id, msgid, msgstr, old.get(seg_id), (source, segment.line))
        translated += bool(message.string)
        fuzzy += message.fuzzy
        catalog[msgid] = message
    return Exported(catalog, len(original.segments), translated, fuzzy)


def _message(
    seg_id: str, msgid: str, msgstr: str, before: Message | None, location: tuple[str, int]
) -> Message:
    """A segment's entry; with its entry in the previous export (``before``),
    kept fuzzy while the translation was not revised after its original changed."""
    flags: set[str] = set()
    previous_id: list[str] = []
    if before is not None:
        before_string = before.string if isinstance(before.string, str) else ""
        if not msgstr and before_string:
            msgstr = before_string  # translated in the PO file, not imported yet
        if isinstance(before.id, str) and before.id != msgid and msgstr:
            flags.add("fuzzy")
            previous_id = [before.id]
        elif before.fuzzy and msgstr and msgstr == before_string:
            flags.add("fuzzy")  # still not revised
            previous_id = _previous_id(before)
    return Message(
        msgid,
        msgstr,
        locations=[location],
        flags=flags,
        context=seg_id,
        previous_id=previous_id,
    )


def catalog_bytes(catalog: Catalog) -> bytes:
    """The catalog as a PO file, a fuzzy entry with its previous ``#| msgid``.

    Babel wraps comments at 76 columns, also inside the quotes of ``#| msgid``,
    so those lines are written here.
    """
    buffer = io.BytesIO()
    write_po(buffer, catalog, sort_output=False, include_previous=False, width=76)
    lines = buffer.getvalue().decode("utf-8").split("\n")
    for message in _messages(catalog):
        if not (message.fuzzy and message.previous_id and message.context):
            continue
        marker = f"msgctxt {escape(str(message.context))}"
        if marker in lines:
            at = lines.index(marker)
            lines[at:at] = [
                f"#| {marker}",
                f"#| msgid {escape(str(message.previous_id[0]))}",
            ]
    return "\n".join(lines).encode("utf-8")


def _previous_id(message: Message) -> list[str]:
    """The ``#| msgid`` Babel read as a translator comment ("| msgid ...")."""
    for comment in message.user_comments:
        if comment.startswith("| msgid "):
            return [unescape(comment.removeprefix("| msgid ").strip())]
    return []


def read_catalog(path: Path) -> Catalog:
    data = read_checked(path, MAX_PO_BYTES, SourceError, "PO files")
    try:
        return read_po(io.BytesIO(data), abort_invalid=True, charset="utf-8")
    except PoFileError as exc:
        # Babel counts lines from 0 and appends " on <that number>" to the message.
        message = str(exc).removesuffix(f" on {exc.lineno}")
        raise SourceError(f"not a valid PO file: {message}", path, exc.lineno + 1) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise SourceError(f"not a valid PO file: {exc}", path) from None


def export_po(root: Path, work: str, language: str, output: Path | None = None) -> Exported:
    """Export; with ``output``, merge with the file there and write it."""
    previous = read_catalog(output) if output is not None and output.exists() else None
    exported = export_catalog(root, work, language, previous)
    if output is not None:
        atomic_write(output, catalog_bytes(exported.catalog), what="the PO file")
    return exported


# -- import -----------------------------------------------------------------------------


@dataclass
class Imported:
    path: Path
    work: str
    language: str
    updated: list[str] = field(default_factory=list)
    inserted: list[str] = field(default_factory=list)
    unchanged: int = 0
    untranslated: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (segment id, why)

    @property
    def changed(self) -> bool:
        return bool(self.updated or self.inserted)


def import_po(root: Path, po_path: Path, include_fuzzy: bool = False) -> Imported:
    """Write the PO file's translations into ``sources/<work>/<lang>.md``."""
    catalog = read_catalog(po_path)
    work, language, original, target = _import_target(root, po_path, catalog)
    text = read_text(target)
    translation = parse(text, target)
    result = Imported(target, work, language)
    replacements = _replacements(catalog, original, translation, include_fuzzy, po_path, result)
    if replacements:
        new_text = _apply(text, translation, original, replacements, result)
        parse(new_text, target)  # never write a file diglot could not read back
        atomic_write(target, new_text.encode("utf-8"), root, "the translation")
    return result


def _import_target(root: Path, po_path: Path, catalog: Catalog) -> tuple[str, str, Document, Path]:
    """The work, the language, the original and the text a PO file's header
    names, refused unless they exist and fit together."""
    work = (catalog.project or "").strip()
    language = str(catalog.locale_identifier or "").replace("_", "-")
    if not work or work == "PROJECT" or not language or catalog.version in (None, "", "VERSION"):
        raise SourceError(
            "the header does not name the work and language "
            "(Project-Id-Version: <work> <original>, Language: <lang>); "
            "was it exported by 'diglot po export'?",
            po_path,
        )
    original, folder = _work_texts(root, work)
    if catalog.version and catalog.version != original.language:
        raise SourceError(
            f"exported from {catalog.version!r} but the original of {work!r} is "
            f"{original.language!r}",
            po_path,
            _header_line(po_path, "Project-Id-Version"),
        )
    if not re.fullmatch(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*", language):
        raise SourceError(
            f"Language {language!r} is not a language tag",
            po_path,
            _header_line(po_path, "Language"),
        )
    if language.lower() == original.language.lower():
        raise SourceError(
            f"Language {language!r} is the original language of {work!r}: a PO file "
            "brings translations and may not overwrite the original",
            po_path,
            _header_line(po_path, "Language"),
        )
    target = folder / f"{language}.md"
    if not target.exists():
        raise SourceError(
            f"no {language} text to import into: create sources/{work}/{language}.md "
            "with its front matter first",
            po_path,
        )
    return work, language, original, target


def _replacements(
    catalog: Catalog,
    original: Document,
    translation: Document,
    include_fuzzy: bool,
    po_path: Path,
    result: Imported,
) -> dict[str, list[str]]:
    """The new lines of each segment whose translation the PO file changes;
    what it skips or leaves is counted in ``result``."""
    replacements: dict[str, list[str]] = {}
    for message in _messages(catalog):
        seg_id = str(message.context or "")
        msgstr = message.string if isinstance(message.string, str) else ""
        if seg_id not in original.segments:
            result.skipped.append((seg_id, f"segment {seg_id!r} is not in the original"))
            continue
        if not msgstr.strip():
            result.untranslated += 1
            continue
        _refuse_markup(msgstr, seg_id, po_path, message.lineno)
        current = segment_text(original.segments[seg_id])
        if not include_fuzzy:
            if message.fuzzy:
                result.skipped.append((seg_id, "fuzzy (the original changed since export)"))
                continue
            if message.id != current:
                result.skipped.append(
                    (seg_id, "the original changed since export (msgid differs); re-export")
                )
                continue
        new = normalise_text(msgstr)
        existing = translation.segments.get(seg_id)
        if existing is not None and same_content(segment_text(existing), new):
            result.unchanged += 1
            continue
        replacements[seg_id] = new.split("\n")
    return replacements


# Characters that end a line for some reader of the source (Python's
# str.splitlines, markdown-it, editors) other than "\n", and NUL: a
# translation holding one could open a segment or front matter that the
# check below, which splits on "\n", does not see.
_LINE_BREAKS = re.compile(r"[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00]")
# A line that would change the structure of the source: a segment marker.
# A "---" line is not one: the front matter is closed before the first
# segment, so inside a segment it is a thematic break (or a heading's
# underline), as in the original it translates.
_STRUCTURE = re.compile(r"[ \t]*\{#.*")


def _refuse_markup(msgstr: str, seg_id: str, po_path: Path, line: int | None) -> None:
    """Refuse a translation that would not stay inside its own segment."""
    odd = _LINE_BREAKS.search(msgstr)
    if odd is not None:
        raise SourceError(
            f"entry {seg_id!r}: the translation contains the control character "
            f"U+{ord(odd[0]):04X}; only ordinary line breaks are allowed",
            po_path,
            line,
        )
    for text_line in msgstr.split("\n"):
        if _STRUCTURE.fullmatch(text_line):
            raise SourceError(
                f"entry {seg_id!r}: a translation may not contain the line "
                f"{text_line.strip()!r} (it would start a segment)",
                po_path,
                line,
            )


def _header_line(path: Path, field_name: str) -> int | None:
    """The line of the PO header field ``field_name`` (for error messages)."""
    try:
        lines = read_bytes(path, MAX_PO_BYTES).decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    needle = f'"{field_name}:'
    return next((n for n, text in enumerate(lines, 1) if text.lstrip().startswith(needle)), None)


def _messages(catalog: Catalog) -> Iterable[Message]:
    for message in catalog:
        if message.id and isinstance(message.id, str):
            yield message


def _apply(
    text: str,
    translation: Document,
    original: Document,
    replacements: dict[str, list[str]],
    result: Imported,
) -> str:
    """Text surgery: replace the text lines of changed segments and insert the
    segments the translation lacks after the segment that precedes them in the
    original."""
    lines = text.split("\n")
    order = list(original.segments)
    edits: list[tuple[int, int, list[str]]] = []  # 0-based [start, end) -> new lines
    inserts: dict[int, list[tuple[str, list[str]]]] = {}
    for seg_id in sorted(replacements, key=order.index):
        new_lines = replacements[seg_id]
        segment = translation.segments.get(seg_id)
        if segment is not None:
            first, last = _content_range(lines, segment)
            edits.append((first, last, new_lines))
            result.updated.append(seg_id)
            continue
        anchor = _anchor(order, seg_id, translation)
        if anchor is None:
            at = min(s.line for s in translation.segments.values()) - 1
            block = [f"{{#{seg_id}}}", *new_lines, ""]
        else:
            _, at = _content_range(lines, translation.segments[anchor])
            block = ["", f"{{#{seg_id}}}", *new_lines]
        inserts.setdefault(at, []).append((seg_id, block))
        result.inserted.append(seg_id)
    for at, blocks in inserts.items():
        edits.append((at, at, [line for _, block in blocks for line in block]))
    for start, end, new in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[start:end] = new
    return "\n".join(lines)


def _content_range(lines: list[str], segment: Segment) -> tuple[int, int]:
    """0-based [start, end) of the segment's text lines (its id line and the
    blank lines around the text excluded)."""
    start = segment.line  # the line after {#id}, 0-based
    end = min(segment.end_line, len(lines))
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return start, end


def _anchor(order: list[str], seg_id: str, translation: Document) -> str | None:
    """The last segment before ``seg_id`` (in the original's order) that the
    translation has."""
    for previous in reversed(order[: order.index(seg_id)]):
        if previous in translation.segments:
            return previous
    return None
