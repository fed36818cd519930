"""``date-mismatch``: the dates of aligned segments differ as values.

``25 fevral 1997-ci il`` = ``February 25, 1997``: dates are read by
:func:`diglot.facts.extract_dates` with Babel's month names, matched by stem
so that inflected forms (``fevralın``, ``қазанда``, ``мае``) are recognised.
"""

from __future__ import annotations

from collections.abc import Iterator

from diglot.check.findings import Finding, multiset_diff, sides_message
from diglot.check.registry import Pair, pair_check
from diglot.facts import extract_dates

CODE = "date-mismatch"


@pair_check(CODE)
def dates_differ(pair: Pair) -> Iterator[Finding]:
    """The dates of aligned segments, compared as values."""
    lang_l, lang_r = pair.left_doc.language, pair.right_doc.language
    l_dates, _ = extract_dates(pair.left.plain, lang_l)
    r_dates, _ = extract_dates(pair.right.plain, lang_r)
    only_l, only_r = multiset_diff(l_dates, r_dates, key=lambda d: d.value)
    if only_l or only_r:
        yield pair.finding(
            CODE,
            sides_message(
                "dates",
                lang_l,
                lang_r,
                [(str(d.value), d.text) for d in only_l],
                [(str(d.value), d.text) for d in only_r],
            ),
        )
