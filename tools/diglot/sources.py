"""Read one source text: YAML front matter, then segments opened by ``{#id}`` lines.

The format is documented in ``docs/source-format.md``. Parsing is strict and
every problem is reported with the file and line, because the people who
write these files are editors, not programmers.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from diglot.blocks import Block, Heading, Note, Numbering, read_blocks
from diglot.errors import DiglotError, DiglotErrors, SourceError
from diglot.files import read_checked
from diglot.languages import is_language_tag, locale

ID_LINE = re.compile(r"^\{#(?P<id>[^{}]*)\}$")
VALID_ID = re.compile(r"^[a-z][a-z0-9-]*$")
MAX_SOURCE_BYTES = 5 * 1024 * 1024
MAX_YAML_DEPTH = 50
# libyaml's parser when PyYAML was built with it (the wheels are): the same
# safe constructor, ten times faster than the pure-Python one (a build read
# its front matter, key dates and labels in 0.04 s, now 0.014 s). Its
# composer recurses in C, so the nesting is always checked first by
# yaml_too_deep, with PyYAML's own scanner: a loop, and it reads the
# tokens one by one (libyaml's scans a whole flow collection ahead and
# fails at its own limit of 1000 levels, naming no line).
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` with :data:`YAML_LOADER`: plain data only, no
    Python object tags (both loaders use PyYAML's SafeConstructor). A
    document that does not parse is read again by PyYAML's own parser, whose
    messages say what it found ("expected ',' or ']', but got ':'")."""
    try:
        return yaml.load(text, Loader=YAML_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        return yaml.safe_load(text)


def compose_yaml(text: str) -> yaml.Node | None:
    """``yaml.compose`` with :data:`YAML_LOADER` (nodes keep their lines),
    errors told as :func:`load_yaml` tells them."""
    try:
        return yaml.compose(text, Loader=YAML_LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)


_YAML_OPEN = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_YAML_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


# The place a line of the record of changes names before its colon ("p3: ",
# "p3–p4: ", "p3, p25: ", "all: ", "title: "): diglot.render prints it as
# page numbers, in every language the line is given in.
CHANGE_PLACE = re.compile(r"^\s*([\w.-]+(?:\s*[,–]\s*[\w.-]+)*)\s*:\s+(.*)$", re.S)

ENGLISH = "en"  # the language of a line of the record written as one text


def _change(value: Any) -> dict[str, str]:
    """A line of the record of changes: one text, in English (as the
    editors have kept it), or the same line in several languages, each
    text under its language tag, so that an edition prints each text's
    record in that text's language (readers of the Kazakh and Azerbaijani
    editions found it in English)."""
    if isinstance(value, str):
        value = {ENGLISH: value}
    if not isinstance(value, dict) or not value:
        raise ValueError(
            "a line of the record is a text, or language tags each with the line in that language"
        )
    places = set()
    for tag, text in value.items():
        if not isinstance(tag, str) or not isinstance(text, str) or not text.strip():
            raise ValueError(f"the line in {tag!r} must be a text that is not empty")
        locale(tag)  # ValueError: "unknown language tag ... (Babel has no locale for it)"
        place = CHANGE_PLACE.match(text)
        places.add(place[1].replace(" ", "") if place else "")
    if len(places) > 1:
        raise ValueError(
            "the line names different places in its languages ("
            + ", ".join(repr(p) for p in sorted(places))
            + "): give the same place before the colon in each"
        )
    return dict(value)


Change = Annotated[dict[str, str], BeforeValidator(_change)]


class Provenance(BaseModel):
    """Where a text came from and who made it what it is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=1)
    raw: str | None = None
    author: str | None = None
    corrected_by: str | None = None
    translated_by: str | None = None
    translated_on: dt.date | None = None
    licence: str = Field(min_length=1)
    changes: tuple[Change, ...] = ()


class Ignore(BaseModel):
    """Findings of ``diglot check`` silenced for one segment, and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    codes: tuple[str, ...] = Field(min_length=1)
    reason: str = Field(min_length=1, pattern=r"\S")


class CheckOptions(BaseModel):
    """The ``check:`` entry of the front matter (see docs/check.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ignore: dict[str, Ignore] = Field(default_factory=dict)


MAX_RUNNING_TITLE = 60  # characters: what a running head holds on A5


class FrontMatter(BaseModel):
    """The validated YAML header of a source text."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    subtitle: str | None = None
    # the running head's title, where the title is too long for one
    running_title: str | None = Field(default=None, min_length=1, max_length=MAX_RUNNING_TITLE)
    language: str = Field(min_length=1)
    role: Literal["original", "translation"]
    original: str | None = None
    provenance: Provenance
    gaps: dict[str, str] = Field(default_factory=dict)
    check: CheckOptions = Field(default_factory=CheckOptions)

    @field_validator("language", "original")
    @classmethod
    def _babel_knows(cls, value: str | None) -> str | None:
        if value is not None:
            locale(value)  # ValueError: "unknown language tag ... (Babel has no locale for it)"
        return value


@dataclass(frozen=True)
class Segment:
    """The text under one ``{#id}`` line: its blocks, its notes (numbered
    per document) and the lines as written (``source``, for PO files)."""

    id: str
    line: int
    blocks: tuple[Block, ...]
    end_line: int
    notes: tuple[Note, ...] = ()
    source: str = ""

    @property
    def is_heading(self) -> bool:
        return len(self.blocks) == 1 and isinstance(self.blocks[0], Heading)

    @property
    def plain(self) -> str:
        return "\n\n".join(b.plain for b in self.blocks)


@dataclass(frozen=True)
class SourceWarning:
    """Something printed differently from what the text seems to ask for."""

    path: Path
    line: int
    message: str

    def format(self, root: Path | None = None) -> str:
        return SourceError(self.message, self.path, self.line).format(root)


@dataclass(frozen=True)
class Document:
    path: Path
    meta: FrontMatter
    segments: dict[str, Segment]
    body_line: int
    key_lines: dict[str, int] = field(default_factory=dict)
    warnings: tuple[SourceWarning, ...] = ()

    @property
    def language(self) -> str:
        return self.meta.language

    @property
    def record_language(self) -> str:
        """The language the text's record of changes is printed in: its own
        when every line of the record is given in it, else English."""
        changes = self.meta.provenance.changes
        if changes and all(self.language in line for line in changes):
            return self.language
        return ENGLISH

    @property
    def notes(self) -> tuple[Note, ...]:
        """Every note of the text, in order."""
        return tuple(note for seg in self.segments.values() for note in seg.notes)


# -- reading --------------------------------------------------------------------


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text with a BOM dropped and CRLF/CR line ends made LF."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            path,
            line,
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SourceError("contains a NUL character; is this a text file?", path, line)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, root: Path | None = None) -> str:
    """The file's text; with ``root``, refuse a file that resolves outside it
    (a link to ``/etc/...`` or to another project is not a source)."""
    if root is not None and not path.resolve().is_relative_to(root.resolve()):
        raise SourceError(
            f"resolves to {path.resolve()}, outside the project; "
            "sources must be files inside the project folder",
            path,
        )
    if path.is_dir():
        raise SourceError("is a folder, expected a text file", path)
    data = read_checked(path, MAX_SOURCE_BYTES, SourceError, "source texts")
    return decode(data, path)


def load(path: Path, root: Path | None = None) -> Document:
    """Read and validate one source file (inside ``root``, if given). A
    command reads a text several times (configuration, status, check,
    build): the file is read each time, but the same text is parsed once."""
    return _parse_once(read_text(path, root), path)


@lru_cache(maxsize=32)
def _parse_once(text: str, path: Path) -> Document:
    return parse(text, path)


def parse(text: str, path: Path) -> Document:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise SourceError(
            "missing front matter: the file must start with a line '---', "
            "then YAML (title, language, role, provenance), then '---'",
            path,
            1,
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise SourceError(
            "front matter is not closed: add a line '---' after it", path, 1
        ) from None
    meta, key_lines = _front_matter("\n".join(lines[1:end]), path, first_line=2)
    segments, warnings = _segments(lines, end + 1, path)
    if not segments:
        raise SourceError(
            "no segments: open each paragraph or heading with a line {#id}", path, end + 2
        )
    stem = path.stem
    if stem != meta.language and path.suffix == ".md" and is_language_tag(stem):
        raise SourceError(
            f"language is {meta.language!r} but the file is named {path.name!r}",
            path,
            key_lines.get("language", 1),
        )
    for gap in meta.gaps:
        if gap in segments:
            raise SourceError(
                f"segment {gap!r} is declared as a gap but is present (line {segments[gap].line})",
                path,
                key_lines.get(f"gaps.{gap}", key_lines.get("gaps", 1)),
            )
    for seg_id in meta.check.ignore:
        if seg_id not in segments:
            raise SourceError(
                f"check: ignore: names segment {seg_id!r}, which this text does not have",
                path,
                key_lines.get(f"check.ignore.{seg_id}", key_lines.get("check", 1)),
            )
    warnings += _record_warnings(meta, path, key_lines)
    return Document(path, meta, segments, end + 2, key_lines, tuple(warnings))


def _record_warnings(
    meta: FrontMatter, path: Path, key_lines: dict[str, int]
) -> list[SourceWarning]:
    """The record of changes is printed in the text's language only when
    every line is given in it: a line missing from a translation of the
    record is told, and a line given in neither the text's language nor
    English (which would print nothing) is an error."""
    changes = meta.provenance.changes
    given = [meta.language in line for line in changes]
    if any(given) and all(given):
        return []
    where = "provenance.changes"
    for number, line in enumerate(changes):
        if ENGLISH not in line:
            problem = (
                f"the line is given in neither {meta.language!r} nor English ({ENGLISH!r}):"
                " the record is printed in one of them"
                if meta.language != ENGLISH
                else f"the line has no English text ({ENGLISH!r}): the record is printed in English"
            )
            raise SourceError(
                f"{where}.{number}: {problem}",
                path,
                key_lines.get(f"{where}.{number}", key_lines.get(where, 1)),
            )
    return [
        SourceWarning(
            path,
            key_lines.get(f"{where}.{number}", key_lines.get(where, 1)),
            f"this line of the record of changes has no {meta.language!r} text:"
            " the record is printed in English until every line has one",
        )
        for number, has in enumerate(given)
        if any(given) and not has
    ]


def yaml_problem(exc: yaml.YAMLError, first_line: int = 1) -> tuple[str, int | None]:
    """What is wrong in a YAML text, in one line, and the line to fix.

    PyYAML marks where it noticed the problem and, often, where the thing
    it was reading started. For an unclosed quote or bracket the first is
    the end of the file, so the line named is where the unclosed thing starts.
    """
    mark = getattr(exc, "problem_mark", None)
    start = getattr(exc, "context_mark", None)
    context = getattr(exc, "context", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        mark = start
    line = first_line + mark.line if mark is not None else None
    if context and start is not None and mark is not None and start.line != mark.line:
        problem += f" ({context} that starts on line {first_line + start.line})"
        if "end of stream" in problem or "<stream end>" in problem:
            line = first_line + start.line
    return problem, line


def yaml_too_deep(text: str) -> int | None:
    """The 0-based line where YAML nesting first goes over MAX_YAML_DEPTH.

    PyYAML builds nested collections recursively, so ten thousand ``[``
    end in a RecursionError; its scanner is a loop and safe to run first.
    libyaml's scanner (:data:`YAML_LOADER`) gives the same tokens ten times
    faster; where it stops (it refuses a thousand open ``[`` outright, and
    any text that is not YAML) PyYAML's scanner answers.
    """
    for loader in dict.fromkeys((YAML_LOADER, yaml.SafeLoader)):
        depth = 0
        try:
            for token in yaml.scan(text, Loader=loader):
                if isinstance(token, _YAML_OPEN):
                    depth += 1
                    if depth > MAX_YAML_DEPTH:
                        return int(token.start_mark.line)
                elif isinstance(token, _YAML_CLOSE):
                    depth -= 1
        except yaml.YAMLError:
            continue  # not YAML: reported with its line by the parser
        return None
    return None


def _front_matter(text: str, path: Path, first_line: int) -> tuple[FrontMatter, dict[str, int]]:
    deep = yaml_too_deep(text)
    if deep is not None:
        raise SourceError(
            f"front matter is nested more than {MAX_YAML_DEPTH} levels deep",
            path,
            first_line + deep,
        )
    try:
        node = compose_yaml(text)
        data = load_yaml(text) if node is not None else None
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc, first_line)
        raise SourceError(
            f"front matter is not valid YAML: {problem}", path, line or first_line
        ) from None
    except RecursionError:
        raise SourceError("front matter is nested too deeply", path, first_line) from None
    if not isinstance(data, dict):
        raise SourceError(
            "front matter must be a YAML mapping (key: value lines)", path, first_line - 1
        )
    key_lines = dict(_key_lines(node, first_line))
    try:
        return FrontMatter.model_validate(data), key_lines
    except ValidationError as exc:
        raise DiglotErrors(
            validation_errors(exc, path, key_lines, first_line - 1, FrontMatter)
        ) from None


def _key_lines(node: yaml.Node | None, first_line: int) -> Iterator[tuple[str, int]]:
    """Each key's line, by its dotted path ("provenance.changes"), and each
    item's of a list under a key ("provenance.changes.3", numbered from 0
    as pydantic numbers them). Each node is walked once: an alias
    (``*name``) names a node already walked, and a document of aliases of
    aliases would otherwise be walked an exponential number of times (40
    lines of them had held a build for ever)."""
    seen: set[int] = set()
    todo: list[tuple[yaml.Node, str]] = [(node, "")] if node is not None else []
    while todo:
        at, prefix = todo.pop()
        if id(at) in seen:
            continue
        seen.add(id(at))
        if isinstance(at, yaml.MappingNode):
            pairs = [(str(key.value), key, value) for key, value in at.value]
        elif isinstance(at, yaml.SequenceNode) and prefix:
            pairs = [(str(i), item, item) for i, item in enumerate(at.value)]
        else:
            continue
        for name, marked, value in pairs:
            yield f"{prefix}{name}", first_line + marked.start_mark.line
            if isinstance(value, (yaml.MappingNode, yaml.SequenceNode)):
                todo.append((value, f"{prefix}{name}."))


def validation_errors(
    exc: ValidationError,
    path: Path,
    key_lines: dict[str, int],
    default_line: int,
    model: type[BaseModel],
) -> list[DiglotError]:
    """Turn pydantic's errors into located, human messages (all at once)."""
    errors: list[DiglotError] = []
    raw = exc.errors()
    for err in raw:
        loc = [str(p) for p in err["loc"]]
        if err["type"] == "too_short" and any(
            len(other["loc"]) > len(loc) and [str(p) for p in other["loc"][: len(loc)]] == loc
            for other in raw
        ):
            continue  # "no valid items" is a consequence of the items' own errors
        dotted = ".".join(loc)
        line = default_line
        for i in range(len(loc), 0, -1):
            if ".".join(loc[:i]) in key_lines:
                line = key_lines[".".join(loc[:i])]
                break
        kind = err["type"]
        if kind == "missing":
            message = f"missing required key {dotted!r}"
        elif kind == "extra_forbidden":
            known = _known_keys(model, loc[:-1])
            hint = difflib.get_close_matches(loc[-1], known, n=1)
            message = f"unknown key {dotted!r}"
            message += (
                f" (did you mean {hint[0]!r}?)" if hint else f" (known keys: {', '.join(known)})"
            )
        else:
            message = f"{dotted}: {err['msg'].removeprefix('Value error, ')}"
        errors.append(SourceError(message, path, line))
    return errors


def _known_keys(model: type[BaseModel], loc: list[str]) -> list[str]:
    current: Any = model
    for part in loc:
        if part.isdigit():
            continue
        field_info = getattr(current, "model_fields", {}).get(part)
        if field_info is None:
            return []
        current = field_info.annotation
        # Look through tuple[Model, ...] and Model | None to the model.
        for arg in getattr(current, "__args__", ()):
            if hasattr(arg, "model_fields"):
                current = arg
                break
    return sorted(getattr(current, "model_fields", {}))


def _segments(
    lines: list[str], start: int, path: Path
) -> tuple[dict[str, Segment], list[SourceWarning]]:
    """Split the body at its ``{#id}`` lines and read each segment's Markdown.

    Segments are found line by line before Markdown is read (a rule of this
    format, not of Markdown): a segment's notes, lists and verse end where
    the segment ends, and ``diglot po import`` can replace a segment's lines
    without reading Markdown.
    """
    segments: dict[str, Segment] = {}
    errors: list[DiglotError] = []
    warnings: list[SourceWarning] = []
    numbering = Numbering()
    openings = _openings(lines, start, path, errors)
    first = openings[0][0] if openings else len(lines)
    loose = next((i for i in range(start, first) if lines[i].strip()), None)
    if loose is not None:
        errors.append(
            SourceError(
                "text before the first segment id: add a line {#id} above it", path, loose + 1
            )
        )
    for number, (index, seg_id) in enumerate(openings):
        end = openings[number + 1][0] if number + 1 < len(openings) else len(lines)
        body = lines[index + 1 : end]
        if not any(line.strip() for line in body):
            errors.append(SourceError(f"segment {seg_id!r} is empty", path, index + 1))
            continue
        blocks, notes, problems = read_blocks(body, index + 2, numbering)
        for problem in problems:
            if problem.severity == "error":
                errors.append(SourceError(problem.message, path, problem.line))
            else:
                warnings.append(SourceWarning(path, problem.line, problem.message))
        if seg_id in segments:
            errors.append(
                SourceError(
                    f"duplicate segment id {seg_id!r} (first used on line {segments[seg_id].line})",
                    path,
                    index + 1,
                )
            )
            continue
        if not blocks:
            errors.append(SourceError(f"segment {seg_id!r} has no text", path, index + 1))
            continue
        # The lines as written, blank lines (spaces only, too) emptied and
        # dropped around the text: the form PO files carry.
        source = "\n".join(line if line.strip() else "" for line in body).strip("\n")
        segments[seg_id] = Segment(seg_id, index + 1, blocks, end, notes, source)
    if errors:
        raise DiglotErrors(errors)
    return segments, warnings


def _openings(
    lines: list[str], start: int, path: Path, errors: list[DiglotError]
) -> list[tuple[int, str]]:
    """The ``{#id}`` lines: (0-based line index, id); malformed markers and
    invalid ids are added to ``errors``."""
    openings: list[tuple[int, str]] = []
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        if not stripped.startswith("{#"):
            continue
        match = ID_LINE.match(stripped)
        if match is None:
            errors.append(
                SourceError(
                    f"malformed segment marker {stripped[:40]!r}: a segment opens with a "
                    "line holding only {#id}",
                    path,
                    index + 1,
                )
            )
            continue
        seg_id = match.group("id").strip()
        if not VALID_ID.match(seg_id):
            errors.append(
                SourceError(
                    f"invalid segment id {{#{seg_id}}}: use lowercase letters, digits "
                    "and '-', starting with a letter",
                    path,
                    index + 1,
                )
            )
        openings.append((index, seg_id))
    return openings


# -- writing --------------------------------------------------------------------


def dump_front_matter(meta: FrontMatter) -> str:
    data = meta.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data.setdefault("provenance", {})
    if "changes" in data["provenance"]:  # a line in English only is written as one text
        data["provenance"]["changes"] = [
            line[ENGLISH] if list(line) == [ENGLISH] else line
            for line in data["provenance"]["changes"]
        ]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=88)


def serialise(doc: Document) -> str:
    """The document in the source format (front matter, then segments)."""
    out = ["---", dump_front_matter(doc.meta).rstrip("\n"), "---", ""]
    for segment in doc.segments.values():
        out += [f"{{#{segment.id}}}", segment.source, ""]
    return "\n".join(out)
