"""``extra-segment``: a segment of a translation that the original lacks."""

from __future__ import annotations

from collections.abc import Iterator

from diglot.check.findings import Finding, excerpt
from diglot.check.registry import Context, work_check

CODE = "extra-segment"


@work_check(CODE)
def extra_segments(context: Context) -> Iterator[Finding]:
    """A segment id of a translation that the original lacks, unless the
    original declares it under ``gaps``."""
    alignment = context.alignment
    ref = alignment.reference_index
    original = context.original
    for index, doc in enumerate(context.docs):
        if index == ref:
            continue
        for row in alignment.rows:
            orig, trans = row.cells[ref], row.cells[index]
            if trans is not None and orig is None and row.id not in original.meta.gaps:
                yield Finding.at(
                    CODE,
                    doc,
                    trans.line,
                    row.id,
                    f"segment {row.id!r} is not in the original "
                    f"{original.path.name}: {doc.language} “{excerpt(trans.plain)}”",
                )
