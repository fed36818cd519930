"""Translation QA: find what a careful reader would flag in a work's texts.

``check_documents`` looks at the texts of one work (the original and its
translations, aligned by segment id) and returns :class:`Finding` objects;
it prints nothing and knows nothing about Click. Each finding kind is one
module of this package, registered with a decorator of
:mod:`diglot.check.registry`; :mod:`diglot.check.report` runs them. The codes:

- ``missing-translation`` / ``extra-segment``: a segment id in one language
  only, unless the text declares it under ``gaps``.
- ``date-mismatch``: the dates of aligned segments, compared as values
  (:mod:`diglot.facts`).
- ``number-mismatch``: the other numbers (times, percentages, ordinals,
  numbers with locale separators), compared as values.
- ``duplicate-segment``: the same or nearly the same paragraph twice in one
  language.
- ``foreign-language``: a sentence that is not in the file's language, by
  script and by letter evidence.
- ``ocr-artifact``: characters and letter-digit mixes that cannot occur in
  the language, and (Azerbaijani) words that are known words with their
  special letters lost.
- ``chronology-segment`` / ``chronology-date``: an entry of the work's
  ``dates.yaml`` names a segment the original lacks, or a date that segment
  does not give in each language (compared as values).
- ``length-ratio`` (warning): a translation far shorter or longer than its
  original.
"""

from __future__ import annotations

from diglot.check.cache import CheckCache, check_editions
from diglot.check.findings import Finding, Severity, has_errors, sort_findings
from diglot.check.language import alphabet, guess_language, language_script, script_of
from diglot.check.registry import checks
from diglot.check.report import (
    check_documents,
    check_edition,
    check_names,
    check_work,
    documents_from_raw,
    project_words,
)
from diglot.facts import (
    DateValue,
    FoundDate,
    FoundNumber,
    extract_dates,
    extract_numbers,
    month_of,
    sentences,
)
from diglot.works import load_work, work_names

CODES = tuple(checks())
WARNINGS = frozenset(code for code, c in checks().items() if c.severity == "warning")

__all__ = [
    "CODES",
    "WARNINGS",
    "CheckCache",
    "DateValue",
    "Finding",
    "FoundDate",
    "FoundNumber",
    "Severity",
    "alphabet",
    "check_documents",
    "check_edition",
    "check_editions",
    "check_names",
    "check_work",
    "documents_from_raw",
    "extract_dates",
    "extract_numbers",
    "guess_language",
    "has_errors",
    "language_script",
    "load_work",
    "month_of",
    "project_words",
    "script_of",
    "sentences",
    "sort_findings",
    "work_names",
]
