"""``unclosed-emphasis``: an ``*`` or ``**`` that opens or closes no emphasis.

The inline parser leaves unbalanced asterisks as text, so they would be
printed; an asterisk with spaces on both sides (``2 * 3``) is not a mark,
and neither is a line of asterisks (``* * *``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from diglot.check.findings import Finding, excerpt
from diglot.check.registry import Context, document_check
from diglot.sources import Document

CODE = "unclosed-emphasis"
# A run of asterisks touching a non-space on one side at least.
_MARK = re.compile(r"(?<=\S)\*+|\*+(?=\S)")


@document_check(CODE, local=True)
def unclosed(doc: Document, context: Context) -> Iterator[Finding]:
    """Asterisks left in a paragraph's text after its emphasis is read."""
    for seg in doc.segments.values():
        for block in seg.blocks:
            plain = block.plain
            if "*" not in plain or not plain.replace("*", "").strip():
                continue
            match = _MARK.search(plain)
            if match is None:
                continue
            start = max(0, match.start() - 30)
            mark = match.group(0)
            shown = repr(mark) if len(mark) <= 3 else f"a run of {len(mark)} '*'"
            yield Finding.at(
                CODE,
                doc,
                block.line,
                seg.id,
                f"{shown} opens or closes no emphasis: "
                f"“{excerpt(plain[start : match.end() + 30], 70)}”",
            )
