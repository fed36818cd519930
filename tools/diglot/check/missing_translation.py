"""``missing-translation``: a segment of the original that a translation lacks."""

from __future__ import annotations

from collections.abc import Iterator

from diglot.check.findings import Finding, excerpt
from diglot.check.registry import Context, work_check

CODE = "missing-translation"


@work_check(CODE)
def missing_translations(context: Context) -> Iterator[Finding]:
    """A segment id of the original that a translation lacks, unless the
    translation declares it under ``gaps``."""
    original = context.original
    for doc, seg_id, orig, trans in context.rows():
        if orig is not None and trans is None and seg_id not in doc.meta.gaps:
            yield Finding.at(
                CODE,
                original,
                orig.line,
                seg_id,
                f"segment {seg_id!r} has no {doc.language} translation in "
                f"{doc.path.name} (declare it under 'gaps' if that is "
                f"intended): {original.language} “{excerpt(orig.plain)}”",
            )
