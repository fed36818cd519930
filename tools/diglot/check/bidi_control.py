"""``bidi-control``: invisible characters that reorder text (Unicode bidi controls).

Embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI,
PDI) change the order in which text is shown without being seen: a text
can print differently from how it reads in an editor. Each paragraph that
has one is reported at the line of its first. The marks LRM, RLM
and ALM only affect the characters around them and are not reported.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from diglot.check.findings import Finding, excerpt
from diglot.check.registry import Context, document_check
from diglot.errors import DiglotError
from diglot.sources import Block, Document, read_text

CODE = "bidi-control"
CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SHORT = {
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
}


def _describe(text: str) -> str:
    found = sorted({c for c in text if c in CONTROLS}, key=text.index)
    return ", ".join(f"U+{ord(c):04X} {_SHORT[c]} ({unicodedata.name(c).lower()})" for c in found)


def _line_of(doc: Document, block: Block, offset: int) -> int:
    """The file line of character ``offset`` of a paragraph's text: the
    paragraph's lines are joined with spaces, so the file is read back and
    the lines counted, if it still holds that paragraph; else its first line."""
    try:
        lines = read_text(doc.path).split("\n")
    except DiglotError:
        return block.line
    parts: list[str] = []
    for line in lines[block.line - 1 :]:
        if not line.strip():
            break
        parts.append(line.strip())
    if " ".join(parts) != block.text:
        return block.line
    seen = 0
    for index, part in enumerate(parts):
        seen += len(part) + 1
        if offset < seen:
            return block.line + index
    return block.line


@document_check(CODE)
def bidi_controls(doc: Document, context: Context) -> Iterator[Finding]:
    """Bidi embedding, override and isolate characters in a text (title included)."""
    for key in ("title", "subtitle"):
        value = getattr(doc.meta, key)
        if value and CONTROLS & set(value):
            line = doc.key_lines.get(key, 1)
            yield Finding.at(CODE, doc, line, None, f"{key} has {_describe(value)}")
    for seg in doc.segments.values():
        for block in seg.blocks:
            if CONTROLS & set(block.text):
                visible = "".join(f"<{_SHORT[c]}>" if c in CONTROLS else c for c in block.text)
                first = next(i for i, c in enumerate(block.text) if c in CONTROLS)
                yield Finding.at(
                    CODE,
                    doc,
                    _line_of(doc, block, first),
                    seg.id,
                    f"{_describe(block.text)} in “{excerpt(visible, 80)}”",
                )
