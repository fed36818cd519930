"""``number-mismatch``: the numbers of aligned segments differ as values.

Times, percentages, ordinals and numbers with locale separators, read by
:func:`diglot.facts.extract_numbers` outside the dates. A small number
(up to :data:`diglot.facts.SMALL_NUMBER`) that only one side writes in
digits is not reported when the other side has nothing unmatched either: it
is most likely spelled out there.
"""

from __future__ import annotations

from collections.abc import Iterator

from diglot.check.findings import Finding, multiset_diff, sides_message
from diglot.check.registry import Pair, pair_check
from diglot.facts import extract_dates, extract_numbers

CODE = "number-mismatch"


@pair_check(CODE)
def numbers_differ(pair: Pair) -> Iterator[Finding]:
    """The numbers of aligned segments (besides dates), compared as values."""
    lt, rt = pair.left.plain, pair.right.plain
    lang_l, lang_r = pair.left_doc.language, pair.right_doc.language
    l_nums = extract_numbers(lt, lang_l, extract_dates(lt, lang_l)[1])
    r_nums = extract_numbers(rt, lang_r, extract_dates(rt, lang_r)[1])
    only_l, only_r = multiset_diff(l_nums, r_nums, key=lambda n: n.value)
    if not only_r:
        only_l = [n for n in only_l if not n.small]
    if not only_l:
        only_r = [n for n in only_r if not n.small]
    if only_l or only_r:
        yield pair.finding(
            CODE,
            sides_message(
                "numbers",
                lang_l,
                lang_r,
                [(n.shown, n.text) for n in only_l],
                [(n.shown, n.text) for n in only_r],
            ),
        )
