"""``bidi-control``: invisible characters that reorder text (Unicode bidi controls).

Embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI,
PDI) change the order in which text is shown without being seen: a text
can print differently from how it reads in an editor. Each paragraph that
has one is reported at each line that holds one. The marks LRM, RLM
and ALM only affect the characters around them and are not reported.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from diglot.check.findings import Finding, excerpt
from diglot.check.registry import Context, document_check
from diglot.errors import DiglotError
from diglot.sources import Document, Segment, read_text

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


def _lines_of(doc: Document, seg: Segment, file_lines: list[str]) -> list[tuple[int, str]]:
    """The file lines of a segment (after its ``{#id}`` line), numbered as in
    the file (``file_lines``); from the segment's source as written if the
    file cannot be read back."""
    if len(file_lines) >= seg.end_line:
        return [(n + 1, file_lines[n]) for n in range(seg.line, seg.end_line)]
    return [(seg.line + 1 + i, text) for i, text in enumerate(seg.source.split("\n"))]


@document_check(CODE, local=True)
def bidi_controls(doc: Document, context: Context) -> Iterator[Finding]:
    """Bidi embedding, override and isolate characters in a text (title included)."""
    for key in ("title", "subtitle"):
        value = getattr(doc.meta, key)
        if value and CONTROLS & set(value):
            line = doc.key_lines.get(key, 1)
            yield Finding.at(CODE, doc, line, None, f"{key} has {_describe(value)}")
    file_lines: list[str] | None = None  # read once, and only for a segment that has one
    for seg in doc.segments.values():
        if CONTROLS.isdisjoint(seg.source):
            continue
        if file_lines is None:
            try:
                file_lines = read_text(doc.path).split("\n")
            except DiglotError:
                file_lines = []
        for number, text in _lines_of(doc, seg, file_lines):
            if CONTROLS & set(text):
                visible = "".join(f"<{_SHORT[c]}>" if c in CONTROLS else c for c in text)
                yield Finding.at(
                    CODE,
                    doc,
                    number,
                    seg.id,
                    f"{_describe(text)} in “{excerpt(visible.strip(), 80)}”",
                )
