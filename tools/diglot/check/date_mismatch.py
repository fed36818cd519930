"""``date-mismatch``: the dates of aligned segments differ as values.

``25 fevral 1997-ci il`` = ``February 25, 1997``: dates are read by
:func:`diglot.facts.extract_dates` with Babel's month names, matched by stem
so that inflected forms (``fevralın``, ``қазанда``, ``мае``) are recognised,
and compared by :func:`diglot.facts.compare` (a year standing alone may be
a quantity the other side writes as a number).
"""

from __future__ import annotations

from collections.abc import Iterator

from diglot.check.findings import Finding
from diglot.check.registry import Pair, pair_check

CODE = "date-mismatch"


@pair_check(CODE)
def dates_differ(pair: Pair) -> Iterator[Finding]:
    """The dates of aligned segments, compared as values."""
    return pair.values_differ(CODE, "dates")
