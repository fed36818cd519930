"""``missing-translation`` and ``extra-segment``: a segment id one side of
a translation has and the other lacks.

The two are one check seen from each side: which text holds the segment,
which text's ``gaps`` may excuse its absence, and what the message says."""

from __future__ import annotations

from collections.abc import Iterator

from diglot.check.findings import Finding, excerpt
from diglot.check.registry import Context, work_check
from diglot.sources import Document, Segment


def _unpaired(context: Context, code: str, in_original: bool) -> Iterator[Finding]:
    """The segments that only the original (``in_original``) or only a
    translation has, unless the text lacking them declares them under ``gaps``."""
    original = context.original
    for doc, seg_id, orig, trans in context.rows():
        present, absent = (orig, trans) if in_original else (trans, orig)
        holder, lacking = (original, doc) if in_original else (doc, original)
        if present is None or absent is not None or seg_id in lacking.meta.gaps:
            continue
        message = _message(seg_id, holder, lacking, present, in_original)
        yield Finding.at(code, holder, present.line, seg_id, message)


def _message(
    seg_id: str, holder: Document, lacking: Document, segment: Segment, in_original: bool
) -> str:
    shown = f"{holder.language} “{excerpt(segment.plain)}”"
    if in_original:
        return (
            f"segment {seg_id!r} has no {lacking.language} translation in {lacking.path.name} "
            f"(declare it under 'gaps' if that is intended): {shown}"
        )
    return f"segment {seg_id!r} is not in the original {lacking.path.name}: {shown}"


@work_check("missing-translation")
def missing_translations(context: Context) -> Iterator[Finding]:
    """A segment id of the original that a translation lacks, unless the
    translation declares it under ``gaps``."""
    return _unpaired(context, "missing-translation", in_original=True)


@work_check("extra-segment")
def extra_segments(context: Context) -> Iterator[Finding]:
    """A segment id of a translation that the original lacks, unless the
    original declares it under ``gaps``."""
    return _unpaired(context, "extra-segment", in_original=False)
