"""``length-ratio`` (warning): a translated segment far shorter or longer than its original."""

from __future__ import annotations

from collections.abc import Iterator

from diglot.check.findings import Finding, excerpt
from diglot.check.registry import Pair, pair_check

CODE = "length-ratio"
LENGTH_MIN_CHARS = 80
LENGTH_RATIO = (0.4, 2.5)


@pair_check(CODE, severity="warning")
def length_differs(pair: Pair) -> Iterator[Finding]:
    """A translation far shorter or longer than its original (segments over
    LENGTH_MIN_CHARS characters, outside LENGTH_RATIO)."""
    lt, rt = pair.left.plain, pair.right.plain
    n_l, n_r = len(lt), len(rt)
    if max(n_l, n_r) <= LENGTH_MIN_CHARS or not n_l:
        return
    ratio = n_r / n_l
    low, high = LENGTH_RATIO
    if not low <= ratio <= high:
        lang_l, lang_r = pair.left_doc.language, pair.right_doc.language
        yield pair.finding(
            CODE,
            f"{lang_r} is {ratio:.2f} times as long as {lang_l} ({n_r} vs {n_l} "
            f"characters): {lang_l} “{excerpt(lt)}”; {lang_r} “{excerpt(rt)}”",
            "warning",
        )
