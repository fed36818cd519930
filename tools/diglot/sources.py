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
from pathlib import Path
from typing import Any, Literal

import yaml
from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from diglot.errors import DiglotError, DiglotErrors, SourceError
from diglot.files import read_checked

ID_LINE = re.compile(r"^\{#(?P<id>[^}]*)\}\s*$")
VALID_ID = re.compile(r"^[a-z][a-z0-9-]*$")
HEADING = re.compile(r"^(?P<marks>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
MAX_SOURCE_BYTES = 5 * 1024 * 1024
MAX_YAML_DEPTH = 50
_YAML_OPEN = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_YAML_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


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
    changes: tuple[str, ...] = ()


class FrontMatter(BaseModel):
    """The validated YAML header of a source text."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    subtitle: str | None = None
    language: str = Field(min_length=1)
    role: Literal["original", "translation"]
    original: str | None = None
    provenance: Provenance
    gaps: dict[str, str] = Field(default_factory=dict)

    @field_validator("language", "original")
    @classmethod
    def _babel_knows(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            Locale.parse(value.replace("-", "_"))
        except (UnknownLocaleError, ValueError) as exc:
            raise ValueError(
                f"unknown language tag {value!r} (Babel has no locale for it)"
            ) from exc
        return value


@dataclass(frozen=True)
class Block:
    """A heading or a paragraph inside a segment."""

    kind: Literal["heading", "paragraph"]
    text: str
    line: int
    level: int = 0

    @property
    def plain(self) -> str:
        return "".join(text for _, text in parse_inline(self.text))


@dataclass(frozen=True)
class Segment:
    id: str
    line: int
    blocks: tuple[Block, ...]
    end_line: int

    @property
    def is_heading(self) -> bool:
        return len(self.blocks) == 1 and self.blocks[0].kind == "heading"

    @property
    def plain(self) -> str:
        return "\n\n".join(b.plain for b in self.blocks)


@dataclass(frozen=True)
class Document:
    path: Path
    meta: FrontMatter
    segments: dict[str, Segment]
    body_line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    @property
    def language(self) -> str:
        return self.meta.language


# -- inline marks ---------------------------------------------------------------

# A mark's text starts and ends with a character other than a space or "*",
# and strong text holds no "**": a run of asterisks is text, not thousands of
# empty emphases (which make WeasyPrint's line breaking quadratic), and an
# unclosed "**" costs a look to the next "**", not to the end of the text.
INLINE = re.compile(
    r"\*\*(?=[^\s*])(?P<strong>(?:[^*]|\*(?!\*))+?)(?<=[^\s*])\*\*"
    r"|\*(?=\S)(?P<em>[^*]+?)(?<=\S)\*"
)


def parse_inline(text: str) -> list[tuple[str, str]]:
    """Split text into (style, text) runs; style is "", "em" or "strong".

    Unbalanced asterisks stay as they are: an editor sees them in the PDF
    rather than losing text.
    """
    runs: list[tuple[str, str]] = []
    pos = 0
    for match in INLINE.finditer(text):
        if match.start() > pos:
            runs.append(("", text[pos : match.start()]))
        style = "strong" if match.group("strong") is not None else "em"
        runs.append((style, match.group(style)))
        pos = match.end()
    if pos < len(text):
        runs.append(("", text[pos:]))
    return runs


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
    """Read and validate one source file (inside ``root``, if given)."""
    return parse(read_text(path, root), path)


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
    segments = _segments(lines, end + 1, path)
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
    return Document(path, meta, segments, end + 2, key_lines)


def is_language_tag(stem: str) -> bool:
    """Whether Babel has a locale for the tag (``az``, ``en-GB``, ``kk_KZ``)."""
    try:
        Locale.parse(stem.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


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
    """
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, _YAML_OPEN):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    return int(token.start_mark.line)
            elif isinstance(token, _YAML_CLOSE):
                depth -= 1
    except yaml.YAMLError:
        return None  # reported with its line by the parser
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
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text) if node is not None else None
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
            _validation_errors(exc, path, key_lines, first_line - 1, FrontMatter)
        ) from None


def _key_lines(
    node: yaml.Node | None, first_line: int, prefix: str = "", outer: frozenset[int] = frozenset()
) -> Iterator[tuple[str, int]]:
    if not isinstance(node, yaml.MappingNode) or id(node) in outer:
        return  # not a mapping, or an alias of a mapping it is inside of
    for key, value in node.value:
        name = f"{prefix}{key.value}"
        yield name, first_line + key.start_mark.line
        if isinstance(value, yaml.MappingNode):
            yield from _key_lines(value, first_line, name + ".", outer | {id(node)})


def _validation_errors(
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


def _segments(lines: list[str], start: int, path: Path) -> dict[str, Segment]:
    segments: dict[str, Segment] = {}
    errors: list[DiglotError] = []
    current_id: str | None = None
    current_line = 0
    blocks: list[Block] = []
    para: list[str] = []
    para_line = 0

    def flush_para() -> None:
        nonlocal para
        if para:
            blocks.append(Block("paragraph", " ".join(s.strip() for s in para), para_line))
            para = []

    def close(end_line: int) -> None:
        flush_para()
        if current_id is None:
            return
        if not blocks:
            errors.append(SourceError(f"segment {current_id!r} is empty", path, current_line))
        elif current_id in segments:
            first = segments[current_id].line
            errors.append(
                SourceError(
                    f"duplicate segment id {current_id!r} (first used on line {first})",
                    path,
                    current_line,
                )
            )
        else:
            segments[current_id] = Segment(current_id, current_line, tuple(blocks), end_line)

    for index in range(start, len(lines)):
        number = index + 1
        raw = lines[index]
        stripped = raw.strip()
        match = ID_LINE.match(stripped)
        if match:
            close(number - 1)
            seg_id = match.group("id").strip()
            if not VALID_ID.match(seg_id):
                errors.append(
                    SourceError(
                        f"invalid segment id {{#{seg_id}}}: use lowercase letters, digits "
                        "and '-', starting with a letter",
                        path,
                        number,
                    )
                )
            current_id, current_line, blocks = seg_id, number, []
            continue
        if not stripped:
            flush_para()
            continue
        if current_id is None:
            errors.append(
                SourceError(
                    "text before the first segment id: add a line {#id} above it", path, number
                )
            )
            current_id, current_line, blocks = "", number, []
            continue
        heading = HEADING.match(stripped)
        if heading and not para:
            flush_para()
            blocks.append(
                Block("heading", heading.group("text"), number, len(heading.group("marks")))
            )
            continue
        if not para:
            para_line = number
        para.append(raw)
    close(len(lines))
    segments.pop("", None)
    if errors:
        raise DiglotErrors(errors)
    return segments


# -- writing --------------------------------------------------------------------


def dump_front_matter(meta: FrontMatter) -> str:
    data = meta.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data.setdefault("provenance", {})
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=88)


def serialise(doc: Document) -> str:
    """The document in the source format (front matter, then segments)."""
    out = ["---", dump_front_matter(doc.meta).rstrip("\n"), "---", ""]
    for segment in doc.segments.values():
        out.append(f"{{#{segment.id}}}")
        for i, block in enumerate(segment.blocks):
            if i:
                out.append("")
            out.append(
                f"{'#' * block.level} {block.text}" if block.kind == "heading" else block.text
            )
        out.append("")
    return "\n".join(out)
