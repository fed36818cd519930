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
    original = context.original
    for doc, seg_id, orig, trans in context.rows():
        if trans is not None and orig is None and seg_id not in original.meta.gaps:
            yield Finding.at(
                CODE,
                doc,
                trans.line,
                seg_id,
                f"segment {seg_id!r} is not in the original "
                f"{original.path.name}: {doc.language} “{excerpt(trans.plain)}”",
            )
