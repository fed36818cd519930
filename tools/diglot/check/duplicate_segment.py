"""``duplicate-segment``: the same or nearly the same paragraph twice in one language."""

from __future__ import annotations

from collections.abc import Iterator

from diglot.check.findings import Finding, excerpt
from diglot.check.registry import Context, document_check
from diglot.repeats import find_repeats
from diglot.sources import Document

CODE = "duplicate-segment"


@document_check(CODE)
def duplicates(doc: Document, context: Context) -> Iterator[Finding]:
    """Paragraphs that repeat an earlier one: the same text (error) or, by the
    share of content words they have in common, the same text reworded
    (warning)."""
    paragraphs = [
        (seg, block)
        for seg in doc.segments.values()
        for block in seg.blocks
        if block.kind == "paragraph"
    ]
    for repeat in find_repeats([block.plain for _, block in paragraphs]):
        seg_a, block_a = paragraphs[repeat.earlier]
        seg_b, block_b = paragraphs[repeat.later]
        where = (
            f"segment {seg_a.id!r}, line {block_a.line}"
            if seg_a.id != seg_b.id
            else f"line {block_a.line} of the same segment"
        )
        quote = f"“{excerpt(block_b.plain)}” / “{excerpt(block_a.plain)}”"
        if repeat.ratio is not None:
            kind = (
                "repeats" if repeat.ratio == 1.0 else f"nearly repeats ({repeat.ratio:.0%} alike)"
            )
            message = f"paragraph {kind} the paragraph at {where}: {quote}"
            yield Finding.at(CODE, doc, block_b.line, seg_b.id, message)
        else:
            message = (
                f"paragraph looks like the paragraph at {where} reworded "
                f"({repeat.shared} of {repeat.union} content words in common): {quote}"
            )
            yield Finding.at(CODE, doc, block_b.line, seg_b.id, message, "warning")
