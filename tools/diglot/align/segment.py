"""Give a plain Markdown original its segment ids (``diglot segment``).

Each paragraph gets ``{#<prefix>N}`` (``p1``, ``p2``, ...), each heading an
id made from its words (``## Early life`` -> ``{#early-life}``), so that a
new work can start from an existing text. The text's lines are kept as they
are; a front matter at the top is kept too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from anyascii import anyascii

from diglot.blocks import atx_heading
from diglot.errors import SourceError, UsageError
from diglot.files import atomic_write
from diglot.sources import ID_LINE, VALID_ID, read_text

SLUG_MAX_CHARS = 40


@dataclass(frozen=True)
class Segmented:
    text: str
    paragraphs: int
    headings: int


def slug(text: str) -> str:
    """An id from a heading's words: ASCII (anyascii), lower case, '-' between words."""
    words = re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")
    words = words[:SLUG_MAX_CHARS].rstrip("-")
    if words and not words[0].isalpha():
        words = "h-" + words
    return words


def body_start(lines: list[str]) -> int:
    """The index of the first line after a front matter block (``---`` to
    ``---`` or ``...``), 0 when the text has none or it is not closed."""
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            return end + 1
    return 0


def segment_text(text: str, path: Path, prefix: str = "p") -> Segmented:
    """The text with an id line before each paragraph and heading."""
    if not VALID_ID.match(f"{prefix}1"):
        raise UsageError(
            f"prefix {prefix!r} does not make valid ids: use lowercase letters, digits "
            "and '-', starting with a letter"
        )
    lines = text.replace("\r\n", "\n").split("\n")
    start = body_start(lines)
    out = lines[:start]
    used: set[str] = set()
    paragraphs = headings = 0
    in_block = False
    for index in range(start, len(lines)):
        line = lines[index]
        stripped = line.strip()
        if ID_LINE.match(stripped):
            raise SourceError("has segment ids already", path, index + 1)
        if not stripped:
            in_block = False
            out.append(line)
            continue
        heading = atx_heading(stripped)
        if heading and not in_block:
            headings += 1
            base = slug(heading[1]) or f"h{headings}"
            seg_id, n = base, 1
            while seg_id in used:
                n += 1
                seg_id = f"{base}-{n}"
            used.add(seg_id)
            out += [*_opening(out, seg_id), line]
            continue  # a heading is a block of its own
        if not in_block:
            paragraphs += 1
            seg_id = f"{prefix}{paragraphs}"
            while seg_id in used:
                seg_id += "-p"
            used.add(seg_id)
            out += _opening(out, seg_id)
            in_block = True
        out.append(line)
    if not paragraphs and not headings:
        raise SourceError("has no paragraphs to segment", path, 1)
    return Segmented("\n".join(out), paragraphs, headings)


def _opening(out: list[str], seg_id: str) -> list[str]:
    """The id line, after a blank line if the previous line is text."""
    blank = [""] if out and out[-1].strip() and out[-1].strip() != "---" else []
    return [*blank, f"{{#{seg_id}}}"]


def segment_file(path: Path, prefix: str = "p") -> Segmented:
    """Add the ids to the file itself (written atomically)."""
    result = segment_text(read_text(path), path, prefix)
    atomic_write(path, result.text.encode("utf-8"))
    return result
