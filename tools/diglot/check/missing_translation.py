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
    alignment = context.alignment
    ref = alignment.reference_index
    original = context.original
    for index, doc in enumerate(context.docs):
        if index == ref:
            continue
        for row in alignment.rows:
            orig, trans = row.cells[ref], row.cells[index]
            if orig is not None and trans is None and row.id not in doc.meta.gaps:
                yield Finding.at(
                    CODE,
                    original,
                    orig.line,
                    row.id,
                    f"segment {row.id!r} has no {doc.language} translation in "
                    f"{doc.path.name} (declare it under 'gaps' if that is "
                    f"intended): {original.language} “{excerpt(orig.plain)}”",
                )
