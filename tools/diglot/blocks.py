"""The text of a segment as plain block objects, parsed by markdown-it-py.

A segment's Markdown (the lines between two ``{#id}`` lines) is parsed with
markdown-it-py's CommonMark rules and three mdit-py-plugins: footnotes
(``[^label]`` with ``[^label]: text``), and containers (``::: verse`` ...
``:::``; any other container name is reported and its content printed as
ordinary text). Raw HTML is never interpreted: it stays text.

The result is a tree of frozen dataclasses the layouts print: blocks
(:class:`Heading`, :class:`Paragraph`, :class:`ListBlock`, :class:`Quote`,
:class:`Verse`, :class:`Figure`, :class:`Rule`) holding inline nodes
(:class:`Text`, :class:`Emphasis`, :class:`Strong`, :class:`Code`,
:class:`Link`, :class:`Image`, :class:`LineBreak`, :class:`NoteRef`). Each
class has a ``kind`` that templates test (``block.kind == "verse"``).

What the parser recognises but diglot does not print as such (tables, code
blocks, HTML-looking lines, links to anything but the web) becomes text
and a :class:`Problem` of severity ``warning``, so that no markup
character reaches the page unannounced. Problems of severity ``error``
(a note called but not defined, an image on the network) stop the build.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import lru_cache
from typing import Any, ClassVar, Literal
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

LINK_SCHEMES = ("http", "https", "mailto")
VERSE_NUMBER_EVERY = 5
MAX_INLINE_DEPTH = 16  # emphasis inside emphasis ... deeper than this is text
_NOTE_CALL = re.compile(r"\[\^([^\]\s]*)\]")
_NOTE_DEFINITION = re.compile(r"^\s{0,3}\[\^([^\]\s]+)\]:")
_HTML_START = re.compile(r"^\s{0,3}</?[A-Za-z][A-Za-z0-9-]*(?:\s|/?>|$)|^\s{0,3}<!--")


# -- inline nodes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    kind: ClassVar[str] = "text"
    text: str


@dataclass(frozen=True)
class Code:
    kind: ClassVar[str] = "code"
    text: str


@dataclass(frozen=True)
class LineBreak:
    kind: ClassVar[str] = "break"


@dataclass(frozen=True)
class Emphasis:
    kind: ClassVar[str] = "em"
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    kind: ClassVar[str] = "strong"
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    """A link to the web: its text is printed, the address is clickable and
    printed after it; it is never fetched."""

    kind: ClassVar[str] = "link"
    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Image:
    """A picture from the project (``src`` relative to the source file)."""

    kind: ClassVar[str] = "image"
    src: str
    alt: str
    title: str = ""


class OfBlocks:
    """A note, a quotation or a list item: blocks, read one after the other."""

    separator: ClassVar[str] = "\n\n"
    blocks: tuple[Block, ...]

    @property
    def plain(self) -> str:
        return self.separator.join(b.plain for b in self.blocks)


class OfInlines:
    """A heading or a paragraph: a run of inline content."""

    content: tuple[Inline, ...]

    @property
    def plain(self) -> str:
        return plain(self.content)


class Body:
    """What every block but a heading shares: no heading level (0), so
    code asking a block for its ``level`` needs no type test."""

    level: ClassVar[int] = 0


@dataclass(frozen=True)
class Note(OfBlocks):
    """A note's text, numbered per language in the order of the calls."""

    label: str
    number: int
    blocks: tuple[Block, ...]
    line: int


@dataclass(frozen=True)
class NoteRef:
    """A note's call. The first call of a note carries the note (where a
    footnote is printed); a later call of the same label only its number."""

    kind: ClassVar[str] = "note"
    number: int
    note: Note | None


Inline = Text | Code | LineBreak | Emphasis | Strong | Link | Image | NoteRef


def hard_lines(nodes: Sequence[Inline]) -> list[tuple[Inline, ...]] | None:
    """The lines of a run broken by hard line breaks (``\\`` at a line's
    end), when it has any at its top level: a quoted couplet is set a line
    to a block, so that a line turning over hangs under it as a poem's
    does (layouts/_parts.html.j2). None when it has none."""
    if not any(isinstance(node, LineBreak) for node in nodes):
        return None
    lines: list[tuple[Inline, ...]] = [()]
    for node in nodes:
        if isinstance(node, LineBreak):
            lines.append(())
        else:
            lines[-1] = (*lines[-1], node)
    return lines


def plain(nodes: Sequence[Inline]) -> str:
    """The text a reader sees (note calls and markup left out)."""
    out = []
    for node in nodes:
        if isinstance(node, Text | Code):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        elif isinstance(node, Emphasis | Strong | Link):
            out.append(plain(node.children))
        elif isinstance(node, Image):
            out.append(node.alt)
    return "".join(out)


def note_refs(nodes: Sequence[Inline]) -> Iterator[NoteRef]:
    for node in nodes:
        if isinstance(node, NoteRef):
            yield node
        elif isinstance(node, Emphasis | Strong | Link):
            yield from note_refs(node.children)


# -- blocks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading(OfInlines):
    kind: ClassVar[str] = "heading"
    level: int
    content: tuple[Inline, ...]
    line: int


@dataclass(frozen=True)
class Paragraph(Body, OfInlines):
    kind: ClassVar[str] = "paragraph"
    content: tuple[Inline, ...]
    line: int

    @classmethod
    def of_text(cls, text: str, line: int) -> Paragraph:
        """A paragraph of plain text (no Markdown read)."""
        return cls((Text(text),), line)


@dataclass(frozen=True)
class ListItem(OfBlocks):
    separator: ClassVar[str] = "\n"  # an item's paragraphs are one line each
    blocks: tuple[Block, ...]
    line: int


@dataclass(frozen=True)
class ListBlock(Body):
    kind: ClassVar[str] = "list"
    ordered: bool
    start: int
    items: tuple[ListItem, ...]
    line: int

    @property
    def plain(self) -> str:
        return "\n".join(item.plain for item in self.items)


@dataclass(frozen=True)
class Quote(Body, OfBlocks):
    kind: ClassVar[str] = "quote"
    blocks: tuple[Block, ...]
    line: int


@dataclass(frozen=True)
class VerseLine:
    """One line of verse; an empty line (no content) separates stanzas."""

    content: tuple[Inline, ...]
    indent: int  # leading spaces as written
    number: int  # the line's number in the poem (0 for a stanza break)
    line: int

    @property
    def shown_number(self) -> bool:
        return self.number > 0 and self.number % VERSE_NUMBER_EVERY == 0


@dataclass(frozen=True)
class Verse(Body):
    kind: ClassVar[str] = "verse"
    lines: tuple[VerseLine, ...]
    line: int

    @property
    def plain(self) -> str:
        return "\n".join(plain(v.content) for v in self.lines)


@dataclass(frozen=True)
class Figure(Body):
    """A paragraph that is only an image."""

    kind: ClassVar[str] = "figure"
    image: Image
    line: int

    @property
    def plain(self) -> str:
        return self.image.alt


@dataclass(frozen=True)
class Rule(Body):
    kind: ClassVar[str] = "rule"
    line: int

    @property
    def plain(self) -> str:
        return ""


@dataclass(frozen=True)
class KeyDate(Body):
    """One of the work's key dates (diglot.chronology) in one language, as
    a facing edition sets it: among the text's rows, the original's on the
    left page and the translation's on the right (diglot.render)."""

    kind: ClassVar[str] = "date"
    iso: str
    date: str  # as the language writes it (Babel)
    event: str  # tied for print (diglot.typography.tie)
    line: int

    @property
    def plain(self) -> str:
        return f"{self.date} {self.event}".replace("\u2060", "")


@dataclass(frozen=True)
class Record(Body):
    """A text's record of changes as a facing edition sets it: among the
    text's rows (diglot.render), the original's on left pages and the
    translation's on right pages, each side running on from the spread
    both start on. Its "lines" are its entries (a page turns between two),
    each as diglot.render made it: ``anchors``, ``place`` and ``text``
    (markup), or a ``note`` (the record is in English); ``labels`` are the
    words that place an entry, in ``lang``, the record's language."""

    kind: ClassVar[str] = "record"
    lang: str
    items: tuple[Any, ...]  # one mapping per entry
    labels: Any  # mapping: "page", "pages", the places
    line: int = 0

    @property
    def plain(self) -> str:
        text = " ".join(str(item.get("note") or item.get("text") or "") for item in self.items)
        return re.sub(r"<[^>]+>", "", text)


Block = Heading | Paragraph | ListBlock | Quote | Verse | Figure | Rule | KeyDate | Record


def inlines_of(block: Block) -> Iterator[tuple[Inline, ...]]:
    """Every run of inline content in a block, in reading order."""
    if isinstance(block, Heading | Paragraph):
        yield block.content
    elif isinstance(block, ListBlock):
        for item in block.items:
            for child in item.blocks:
                yield from inlines_of(child)
    elif isinstance(block, Quote):
        for child in block.blocks:
            yield from inlines_of(child)
    elif isinstance(block, Verse):
        for verse_line in block.lines:
            yield verse_line.content


# -- parsing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    severity: Literal["error", "warning"]
    message: str
    line: int


def _accept_any(params: str, *args: Any) -> bool:
    return True


class _Markdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        """Every link is read as one; :class:`_Reader` decides what it prints
        (web links clickable, anything else as text with a warning) instead
        of leaving "[a](b)" in the text."""
        return True


def markdown() -> MarkdownIt:
    """The parser: CommonMark without raw HTML, with notes, verse and tables
    (tables only to report them; they are printed as lines of text)."""
    md = _Markdown("commonmark", {"html": False, "maxNesting": 20})
    md.use(footnote_plugin)
    md.use(container_plugin, name="verse")
    md.use(container_plugin, name="other", validate=_accept_any)
    md.enable("table")
    return md


_MD = markdown()


@dataclass
class Numbering:
    """Per-document counters that run across segments."""

    notes: int = 0
    verse: int = 0  # lines of the poem being read; a heading or prose ends it


@dataclass
class _Reader:
    lines: list[str]  # the segment's lines
    first_line: int  # file line of lines[0]
    numbering: Numbering
    env: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    bodies: dict[int, list[Token]] = field(default_factory=dict)  # note id -> tokens
    called: dict[int, Note] = field(default_factory=dict)  # note id -> numbered note
    in_note: bool = False

    def line_of(self, token: Token | None, fallback: int = 0) -> int:
        if token is not None and token.map:
            return self.first_line + token.map[0]
        return self.first_line + fallback

    def warn(self, message: str, line: int) -> None:
        self.problems.append(Problem("warning", message, line))

    def error(self, message: str, line: int) -> None:
        self.problems.append(Problem("error", message, line))

    def find_line(self, needle: str, start: int) -> int:
        """The file line at or after ``start`` that contains ``needle``."""
        for index in range(max(start - self.first_line, 0), len(self.lines)):
            if needle in self.lines[index]:
                return self.first_line + index
        return start

    # -- blocks --

    def read(self) -> tuple[tuple[Block, ...], tuple[Note, ...]]:
        tokens = _MD.parse("\n".join(self.lines), self.env)
        body, notes_part = _split_notes(tokens)
        self._collect_notes(notes_part)
        blocks = self.blocks(body)
        self._check_definitions()
        return blocks, tuple(self.notes)

    def _collect_notes(self, tokens: list[Token]) -> None:
        current: int | None = None
        for token in tokens:
            if token.type == "footnote_open":
                current = int(token.meta["id"])
                self.bodies[current] = []
            elif token.type == "footnote_close":
                current = None
            elif current is not None and token.type != "footnote_anchor":
                if token.type == "inline" and token.children:
                    token.children = [c for c in token.children if c.type != "footnote_anchor"]
                self.bodies[current].append(token)

    def _check_definitions(self) -> None:
        refs = self.env.get("footnotes", {}).get("refs", {})
        for key, value in refs.items():
            if value == -1:
                label = key[1:]
                line = self.find_line(f"[^{label}]:", self.first_line)
                self.error(f"note [^{label}] is defined but never called in this segment", line)

    def blocks(self, tokens: list[Token]) -> tuple[Block, ...]:
        out: list[Block] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            end = _closing(tokens, index)
            inner = tokens[index + 1 : end]
            block = self.block(token, inner)
            if block is not None:
                out.extend(block)
            index = end + 1
        return tuple(out)

    def block(self, token: Token, inner: list[Token]) -> list[Block] | None:
        line = self.line_of(token)
        kind = token.type
        if kind != "container_verse_open" and not self.in_note:
            self.numbering.verse = 0  # prose, a heading or a list ends a poem
        if kind == "heading_open":
            return [Heading(int(token.tag[1:]), self.inline(inner[0], line), line)]
        if kind == "paragraph_open":
            return [self.paragraph(inner[0], line)]
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrs.get("start", 1))
            items = []
            for item_open, item_inner in _children(inner):
                items.append(ListItem(self.blocks(item_inner), self.line_of(item_open)))
            return [ListBlock(kind == "ordered_list_open", start, tuple(items), line)]
        if kind == "blockquote_open":
            return [Quote(self.blocks(inner), line)]
        if kind == "container_verse_open":
            return [self.verse(token)]
        if kind == "container_other_open":
            name = token.info.strip().split(" ", 1)[0] or "(no name)"
            self.warn(
                f"unknown block '::: {name}' (diglot knows '::: verse'); "
                "its text is printed as ordinary paragraphs",
                line,
            )
            return list(self.blocks(inner))
        if kind == "hr":
            return [Rule(line)]
        if kind in ("fence", "code_block"):
            self.warn("code blocks are not supported; printed as ordinary lines of text", line)
            return [self._lines_paragraph(token.content.rstrip("\n").split("\n"), line)]
        if kind == "table_open":
            self.warn("tables are not supported; each row is printed as a line of text", line)
            rows = [
                " · ".join(plain(self.inline(cell, line)) for cell in _cells(row))
                for row in _rows(inner)
            ]
            return [self._lines_paragraph(rows, line)]
        if kind in ("footnote_block_open", "footnote_block_close"):
            return None
        self.warn(f"unsupported Markdown ({kind}); left out", line)
        return None

    def _lines_paragraph(self, lines: list[str], line: int) -> Paragraph:
        content: list[Inline] = []
        for i, text in enumerate(lines):
            if i:
                content.append(LineBreak())
            content.append(Text(text))
        return Paragraph(tuple(content), line)

    def paragraph(self, token: Token, line: int) -> Block:
        if _HTML_START.match(token.content):
            self.warn("raw HTML is not interpreted; it is printed as text", line)
        content = self.inline(token, line)
        if len(content) == 1 and isinstance(content[0], Image):
            return Figure(content[0], line)
        return Paragraph(content, line)

    def verse(self, token: Token) -> Verse:
        """The container's lines as written: Markdown's block rules would
        read an indented line as code, so each line is read as inline text."""
        assert token.map is not None
        start, end = token.map
        body = self.lines[start + 1 : end]
        if body and body[-1].strip().startswith(":::"):
            body = body[:-1]
        while body and not body[-1].strip():
            body.pop()
        lines: list[VerseLine] = []
        for offset, text in enumerate(body, start=start + 1):
            line = self.first_line + offset
            if not text.strip():
                if lines and lines[-1].number:
                    lines.append(VerseLine((), 0, 0, line))
                continue
            if _NOTE_DEFINITION.match(text):
                self.error("a note's text goes after the verse block, not inside it", line)
            expanded = text.expandtabs(4)
            indent = len(expanded) - len(expanded.lstrip(" "))
            self.numbering.verse += 1
            children = _MD.parseInline(expanded.strip(), self.env)[0].children or []
            content = self.inline_nodes(children, line)
            lines.append(VerseLine(content, indent, self.numbering.verse, line))
        return Verse(tuple(lines), self.first_line + start)

    # -- inline --

    def inline(self, token: Token, line: int) -> tuple[Inline, ...]:
        return self.inline_nodes(token.children or [], line)

    def inline_nodes(self, tokens: list[Token], line: int) -> tuple[Inline, ...]:
        # (opening token type, its link address or mark, content so far)
        stack: list[tuple[str, str, list[Inline]]] = [("", "", [])]
        for token in tokens:
            kind = token.type
            top = stack[-1][2]
            if kind in ("text", "text_special", "html_inline"):
                self._text(token.content, line, top)
            elif kind == "softbreak":
                top.append(Text(" "))
            elif kind == "hardbreak":
                top.append(LineBreak())
            elif kind == "code_inline":
                top.append(Code(token.content))
            elif kind in ("em_open", "strong_open"):
                # Deeper marks (thousands of "*") stay text: the tree is printed
                # and split recursively.
                deep = len(stack) > MAX_INLINE_DEPTH
                stack.append(("text" if deep else kind, token.markup, []))
            elif kind == "link_open":
                stack.append((kind, str(token.attrs.get("href", "")), []))
            elif kind in ("em_close", "strong_close", "link_close") and len(stack) > 1:
                opened, value, children = stack.pop()
                stack[-1][2].extend(self._close(opened, value, tuple(children), line))
            elif kind == "image":
                top.append(self._image(token, line))
            elif kind == "footnote_ref":
                top.append(self._note_ref(token, line))
            else:
                self.warn(f"unsupported Markdown ({kind}); printed as text", line)
                self._text(token.content, line, top)
        while len(stack) > 1:  # not closed: keep the text
            _, _, children = stack.pop()
            stack[-1][2].extend(children)
        return _merge_text(stack[0][2])

    def _text(self, text: str, line: int, out: list[Inline]) -> None:
        if not self.in_note:
            for match in _NOTE_CALL.finditer(text):
                label = match.group(1)
                self.error(
                    f"note [^{label}] has no text: add a line '[^{label}]: ...' to this segment",
                    self.find_line(match.group(0), line),
                )
        out.append(Text(text))

    def _close(
        self, opened: str, value: str, children: tuple[Inline, ...], line: int
    ) -> list[Inline]:
        """The node a closing token ends; ``value`` is a link's address or,
        for marks kept as text, the mark as written."""
        if opened == "text":
            return [Text(value), *children, Text(value)]
        href = value
        if opened == "em_open":
            return [Emphasis(children)]
        if opened == "strong_open":
            return [Strong(children)]
        scheme = urlsplit(href).scheme.lower() if href else ""
        if scheme in LINK_SCHEMES:
            return [Link(href, children)]
        self.warn(
            f"link to {href!r} printed as text only: links may lead to web addresses "
            f"({', '.join(s + ':' for s in LINK_SCHEMES)})",
            line,
        )
        return list(children)

    def _image(self, token: Token, line: int) -> Image:
        src = str(token.attrs.get("src", ""))
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or src.startswith("/") or not src:
            self.error(
                f"image {src!r}: images must be files inside the project, "
                "given relative to this text (images/map.png)",
                line,
            )
        alt = token.content
        if not alt.strip():
            self.warn(f"image {src!r} has no description: write it between ![ and ]", line)
        return Image(src, alt, str(token.attrs.get("title", "") or ""))

    def _note_ref(self, token: Token, line: int) -> Inline:
        ident = int(token.meta["id"])
        if self.in_note:
            self.error("a note cannot call another note", line)
            return Text("")
        known = self.called.get(ident)
        if known is not None:
            return NoteRef(known.number, None)
        self.numbering.notes += 1
        number = self.numbering.notes
        label = str(token.meta.get("label") or "")
        self.in_note = True
        try:
            if label:
                body = self.blocks(self.bodies.get(ident, []))
                note_line = self.find_line(f"[^{label}]:", self.first_line)
            else:  # an inline note ^[text]
                entry = self.env["footnotes"]["list"][ident]
                body = (Paragraph(self.inline_nodes(entry.get("tokens", []), line), line),)
                note_line = line
        finally:
            self.in_note = False
        note = Note(label, number, body, note_line)
        self.called[ident] = note
        self.notes.append(note)
        return NoteRef(number, note)


def _split_notes(tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    for index, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            return tokens[:index], tokens[index:]
    return tokens, []


def _closing(tokens: list[Token], index: int) -> int:
    """Index of the token closing ``tokens[index]`` (itself if it does not open)."""
    if tokens[index].nesting != 1:
        return index
    depth = 0
    for position in range(index, len(tokens)):
        depth += tokens[position].nesting
        if depth == 0:
            return position
    return len(tokens) - 1


def _children(tokens: list[Token]) -> Iterator[tuple[Token, list[Token]]]:
    index = 0
    while index < len(tokens):
        end = _closing(tokens, index)
        yield tokens[index], tokens[index + 1 : end]
        index = end + 1


def _rows(tokens: list[Token]) -> Iterator[list[Token]]:
    for token, inner in _children(tokens):
        if token.type in ("thead_open", "tbody_open"):
            for _, row in _children(inner):
                yield row


def _cells(row: list[Token]) -> Iterator[Token]:
    for _, inner in _children(row):
        if inner:
            yield inner[0]


def _merge_text(nodes: list[Inline]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    return tuple(out)


def read_blocks(
    lines: list[str], first_line: int, numbering: Numbering
) -> tuple[tuple[Block, ...], tuple[Note, ...], list[Problem]]:
    """Blocks and notes of one segment's lines (``lines[0]`` is file line
    ``first_line``), with what is wrong or unsupported in them."""
    reader = _Reader(lines, first_line, numbering)
    blocks, notes = reader.read()
    return blocks, notes, reader.problems


def same_content(first: str, second: str) -> bool:
    """Whether two segment texts say the same in the same form, however
    their lines are wrapped (a paragraph rewrapped is the same text; a
    verse line joined to the next is not)."""
    shapes = []
    for text in (first, second):
        blocks, notes, _ = read_blocks(text.split("\n"), 1, Numbering())
        shapes.append(_shape((blocks, notes)))
    return shapes[0] == shapes[1]


def _shape(value: object) -> object:
    """A comparable form of blocks: type names and fields, lines left out."""
    if is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            tuple(_shape(getattr(value, f.name)) for f in fields(value) if f.name != "line"),
        )
    if isinstance(value, tuple):
        return tuple(_shape(v) for v in value)
    return value


# -- splitting inline content (facing pages continue a paragraph) -----------------------


def split_inlines(
    nodes: tuple[Inline, ...], chars: int
) -> tuple[tuple[Inline, ...], tuple[Inline, ...]]:
    """The content up to ``chars`` non-space characters, and the rest. A word
    cut by hyphenation at the split keeps an explicit hyphen on the first
    part; marks (emphasis, links) continue on both sides."""
    head, tail, _ = _split(nodes, chars)
    while tail and isinstance(tail[0], NoteRef):
        head, tail = (*head, tail[0]), tail[1:]  # a call stays with the word it follows
    if tail and isinstance(tail[0], Text):
        stripped = tail[0].text.lstrip()
        tail = ((Text(stripped),) if stripped else ()) + tail[1:]
    return head, tail


def _split(
    nodes: tuple[Inline, ...], chars: int
) -> tuple[tuple[Inline, ...], tuple[Inline, ...], int]:
    """Split ``nodes`` after ``chars`` non-space characters; the third value
    is the number of characters still to place (0 once the split is made)."""
    head: list[Inline] = []
    for index, node in enumerate(nodes):
        if chars <= 0:
            return tuple(head), nodes[index:], 0
        if isinstance(node, Text | Code):
            count = 0
            for pos, char in enumerate(node.text):
                if not char.isspace():
                    count += 1
                    if count == chars:
                        first, rest = node.text[: pos + 1], node.text[pos + 1 :]
                        if rest and not rest[0].isspace() and first[-1:].isalnum():
                            first += "\u2010"  # the hyphen the measured line ended with
                        head.append(replace(node, text=first))
                        tail: tuple[Inline, ...] = (
                            (replace(node, text=rest),) if rest.strip() else ()
                        )
                        return tuple(head), tail + nodes[index + 1 :], 0
            chars -= count
            head.append(node)
        elif isinstance(node, Emphasis | Strong | Link):
            inner_head, inner_tail, chars = _split(node.children, chars)
            if inner_head:
                head.append(replace(node, children=inner_head))
            if chars <= 0:
                after = (replace(node, children=inner_tail),) if inner_tail else ()
                return tuple(head), after + nodes[index + 1 :], 0
        else:
            head.append(node)
    return tuple(head), (), chars


@lru_cache(maxsize=4096)
def plain_text(markdown: str) -> str:
    """The words of a piece of Markdown with its marks removed (``*a* b`` →
    ``a b``), as the layouts would print them."""
    blocks, _notes, _problems = read_blocks(markdown.split("\n"), 1, Numbering())
    return " ".join(block.plain for block in blocks)


def atx_heading(line: str) -> tuple[int, str] | None:
    """Level and text of a one-line heading (``## Title ##``) as CommonMark
    reads it, or None. Written as string operations, not a regular
    expression: it runs on every line of an unaligned text, which may be
    hostile, in linear time."""
    stripped = line.strip()
    marks = len(stripped) - len(stripped.lstrip("#"))
    if not 1 <= marks <= 6 or (len(stripped) > marks and stripped[marks] not in " \t"):
        return None
    text = stripped[marks:].strip()
    body = text.rstrip("#")
    if body != text and (not body or body[-1] in " \t"):
        text = body.strip()  # a closing sequence of #
    return (marks, text) if text else None
