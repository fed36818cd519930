"""``chronology-date``: a chronology date its segment's text does not give.

The date of an entry of ``sources/<work>/dates.yaml`` that names a segment
should be among the dates of that segment in each language, compared as
values (:mod:`diglot.facts`): ``1993-06-15`` is found in "15 June 1993" and
"15 июня 1993 года", ``1939`` in "in 1939", and a date written without its
year ("on 21 January", the year told earlier in the paragraph) agrees with
``1990-01-21``. An entry without a segment, or naming one a text lacks
(``chronology-segment``, ``missing-translation``), is not compared. A
text silences the comparison for its language by listing ``chronology-date``
in the segment's ``check: ignore:`` entry (the finding names the
chronology's line, so that is where it is silenced from).
"""

from __future__ import annotations

from collections.abc import Iterator

from diglot.check.findings import Finding
from diglot.check.registry import Context, work_check
from diglot.facts import DateValue, values

CODE = "chronology-date"


@work_check(CODE)
def dates_disagree(context: Context) -> Iterator[Finding]:
    """A chronology date is not among the dates of the segment it names."""
    for entry in context.chronology_entries():
        assert entry.segment is not None
        date = DateValue(entry.date.year, entry.date.month, entry.date.day)
        # by the reason a text gives for silencing this code on the segment (None: not silenced)
        lacking: dict[str | None, list[str]] = {}
        for doc in context.docs:
            segment = doc.segments.get(entry.segment)
            if segment is None:
                continue
            found = [d.value for d in values(segment.plain, doc.language).dates]
            if not any(date.agrees(value) for value in found):
                shown = ", ".join(str(v) for v in found) or "none"
                ignore = doc.meta.check.ignore.get(entry.segment)
                reason = ignore.reason if ignore is not None and CODE in ignore.codes else None
                lacking.setdefault(reason, []).append(f"{doc.language} (dates found: {shown})")
        for reason, languages in lacking.items():
            finding = context.chronology_finding(
                CODE,
                entry,
                f"{entry.date} is not a date of segment {entry.segment!r} in "
                + "; ".join(languages),
            )
            yield finding if reason is None else finding.silenced(reason)
