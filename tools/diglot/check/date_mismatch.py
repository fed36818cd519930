"""``date-mismatch``: the dates of aligned segments differ as values.

``25 fevral 1997-ci il`` = ``February 25, 1997``: dates are read by
:func:`diglot.facts.extract_dates` with Babel's month names, matched by stem
so that inflected forms (``fevralın``, ``қазанда``, ``мае``) are recognised,
and compared by :func:`diglot.facts.compare` (a year standing alone may be
a quantity the other side writes as a number).
"""

from __future__ import annotations

from collections.abc import Iterator

from diglot.check.findings import Finding, sides_message
from diglot.check.registry import Pair, pair_check

CODE = "date-mismatch"


@pair_check(CODE)
def dates_differ(pair: Pair) -> Iterator[Finding]:
    """The dates of aligned segments, compared as values."""
    only_l, only_r = pair.difference().dates
    if only_l or only_r:
        yield pair.finding(
            CODE,
            sides_message(
                "dates",
                pair.left_doc.language,
                pair.right_doc.language,
                [(str(d.value), d.text) for d in only_l],
                [(str(d.value), d.text) for d in only_r],
            ),
        )
