"""``missing-note``: aligned segments with different numbers of footnote references.

A reference is ``[^label]`` in a segment's text (not a definition
``[^label]: ...`` at the start of a line); the labels may differ between
languages, their number may not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from diglot.check.findings import Finding
from diglot.check.registry import Pair, pair_check
from diglot.sources import Segment

CODE = "missing-note"
# A label is up to 100 characters without brackets, spaces or "^" (one pass, no nesting).
_REFERENCE = re.compile(r"\[\^[^\]\[\s^]{1,100}\](?!:)")


def references(segment: Segment) -> list[str]:
    """The footnote references of a segment as written, in order (a
    definition ``[^1]: ...`` is not a reference)."""
    return [m.group(0) for m in _REFERENCE.finditer(segment.source)]


@pair_check(CODE)
def notes_differ(pair: Pair) -> Iterator[Finding]:
    """A translation segment with more or fewer footnote references than the original's."""
    left, right = references(pair.left), references(pair.right)
    if len(left) != len(right):
        lang_l, lang_r = pair.left_doc.language, pair.right_doc.language
        shown_l = ", ".join(left) or "none"
        shown_r = ", ".join(right) or "none"
        yield pair.finding(
            CODE,
            f"footnote references differ: {lang_l} has {len(left)} ({shown_l}), "
            f"{lang_r} has {len(right)} ({shown_r})",
        )
