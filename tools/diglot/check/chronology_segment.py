"""``chronology-segment``: a chronology entry names a segment the work does not have.

An entry of ``sources/<work>/dates.yaml`` may name the segment that tells
its event (``segment: p3``); the layouts link the date to it. A name the
original text does not have (a typo, a segment renumbered or removed) is a
finding at the entry's line.
"""

from __future__ import annotations

from collections.abc import Iterator

from diglot.check.findings import Finding
from diglot.check.registry import Context, work_check

CODE = "chronology-segment"


@work_check(CODE)
def missing_segments(context: Context) -> Iterator[Finding]:
    """A chronology entry names a segment the original text does not have."""
    original = context.original
    for entry in context.chronology_entries():
        if entry.segment not in original.segments:
            yield context.chronology_finding(
                CODE,
                entry,
                f"the entry of {entry.date} names segment {entry.segment!r}, "
                f"which {original.path.name} does not have",
            )
