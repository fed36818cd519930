"""``number-mismatch``: the numbers of aligned segments differ as values.

Times, percentages, ordinals and numbers with locale separators, read by
:func:`diglot.facts.extract_numbers` outside the dates, and compared by
:func:`diglot.facts.compare`: a number in digits matches the same number in
words on the other side ("20 лётчиков" = "Twenty pilots"), and a small
number (up to :data:`diglot.facts.SMALL_NUMBER`) that only one side has is
not reported when the other side has nothing unmatched either.
"""

from __future__ import annotations

from collections.abc import Iterator

from diglot.check.findings import Finding
from diglot.check.registry import Pair, pair_check

CODE = "number-mismatch"


@pair_check(CODE)
def numbers_differ(pair: Pair) -> Iterator[Finding]:
    """The numbers of aligned segments (besides dates), compared as values."""
    return pair.values_differ(CODE, "numbers")
