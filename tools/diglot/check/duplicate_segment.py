"""``duplicate-segment``: the same or nearly the same paragraph twice in one language.

Each paragraph is compared with the ones before it (:func:`diglot.repeats.find_repeats`).
When the last run's comparisons are kept (``Context.store``), only those an
edit can change are made again (:func:`repeats_since`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from diglot.check import units
from diglot.check.findings import Finding, excerpt
from diglot.check.registry import Context, document_check
from diglot.repeats import (
    DUPLICATE_MIN_CHARS,
    Repeat,
    content_words,
    find_repeats,
    normalise,
    repeat_of,
)
from diglot.sources import Document

CODE = "duplicate-segment"


@document_check(CODE)
def duplicates(doc: Document, context: Context) -> Iterator[Finding]:
    """Paragraphs that repeat an earlier one: the same text (error) or, by the
    share of content words they have in common, the same text reworded
    (warning)."""
    paragraphs = [
        (seg, block)
        for seg in doc.segments.values()
        for block in seg.blocks
        if block.kind == "paragraph"
    ]
    texts = [block.plain for _, block in paragraphs]
    if context.store is None:
        repeats = find_repeats(texts)
    else:
        name = f"{CODE}:{doc.path}"
        repeats, state = repeats_since(texts, context.store.state_of(name))
        context.store.keep_state(name, state)
    for repeat in repeats:
        seg_a, block_a = paragraphs[repeat.earlier]
        seg_b, block_b = paragraphs[repeat.later]
        where = (
            f"segment {seg_a.id!r}, line {block_a.line}"
            if seg_a.id != seg_b.id
            else f"line {block_a.line} of the same segment"
        )
        quote = f"“{excerpt(block_b.plain)}” / “{excerpt(block_a.plain)}”"
        if repeat.ratio is not None:
            kind = (
                "repeats" if repeat.ratio == 1.0 else f"nearly repeats ({repeat.ratio:.0%} alike)"
            )
            message = f"paragraph {kind} the paragraph at {where}: {quote}"
            yield Finding.at(CODE, doc, block_b.line, seg_b.id, message)
        else:
            message = (
                f"paragraph looks like the paragraph at {where} reworded "
                f"({repeat.shared} of {repeat.union} content words in common): {quote}"
            )
            yield Finding.at(CODE, doc, block_b.line, seg_b.id, message, "warning")


def repeats_since(texts: Sequence[str], state: Any) -> tuple[list[Repeat], dict[str, Any]]:
    """What :func:`find_repeats` gives for ``texts``, and the state that lets
    the next call reuse it; ``state``: what the last call returned (anything
    else: compare everything).

    The repeat of paragraph j is the first earlier paragraph it matches, and
    whether two paragraphs match depends on their two texts alone. So with
    the texts split into a common prefix, a changed middle and a common
    suffix (by digest, against the last call's), a paragraph of the prefix
    keeps its repeat; one of the middle is compared with every earlier one;
    one of the suffix keeps a repeat in the prefix, or else is compared
    with the middle, and only when its repeat was in the old middle with the
    suffix before it too.
    """
    norms = [normalise(text) for text in texts]
    digests = [units.digest(norm) for norm in norms]
    eligible = [len(norm) >= DUPLICATE_MIN_CHARS for norm in norms]
    words: dict[int, frozenset[str]] = {}

    def words_of(i: int) -> frozenset[str]:
        if i not in words:
            words[i] = content_words(norms[i])
        return words[i]

    def match(i: int, j: int) -> Repeat | None:
        return repeat_of(i, norms[i], words_of(i), j, norms[j], words_of(j))

    def scan(j: int, start: int, stop: int) -> Repeat | None:
        for i in range(start, stop):
            if eligible[i]:
                found = match(i, j)
                if found is not None:
                    return found
        return None

    old_digests, old_found = _state(state)
    new, old = len(digests), len(old_digests)
    prefix = 0
    while prefix < min(new, old) and digests[prefix] == old_digests[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(new, old) - prefix
        and digests[new - 1 - suffix] == old_digests[old - 1 - suffix]
    ):
        suffix += 1
    shift = new - old
    middle_end, old_middle_end = new - suffix, old - suffix
    found: list[Repeat | None] = [None] * new
    for j in range(new):
        if not eligible[j]:
            continue
        if j < prefix:
            was = old_found[j]
            found[j] = None if was is None else Repeat(j, *was)
        elif j < middle_end:
            found[j] = scan(j, 0, j)
        else:
            was = old_found[j - shift]
            if was is not None and was[0] < prefix:
                found[j] = Repeat(j, *was)
                continue
            repeat = scan(j, prefix, middle_end)
            if repeat is None and was is not None:
                if was[0] >= old_middle_end:
                    repeat = Repeat(j, was[0] + shift, *was[1:])
                else:
                    repeat = scan(j, middle_end, j)
            found[j] = repeat
    kept = [None if r is None else [r.earlier, r.ratio, r.shared, r.union] for r in found]
    return [r for r in found if r is not None], {"digests": digests, "found": kept}


def _state(
    state: Any,
) -> tuple[list[str], list[tuple[int, float | None, int, int] | None]]:
    """The digests and repeats of a state, or nothing if it is not well formed."""
    nothing: tuple[list[str], list[tuple[int, float | None, int, int] | None]] = ([], [])
    if not isinstance(state, dict):
        return nothing
    digests, found = state.get("digests"), state.get("found")
    if not isinstance(digests, list) or not isinstance(found, list) or len(digests) != len(found):
        return nothing
    if not all(isinstance(d, str) for d in digests):
        return nothing
    repeats: list[tuple[int, float | None, int, int] | None] = []
    for later, item in enumerate(found):
        if item is None:
            repeats.append(None)
            continue
        if not isinstance(item, list) or len(item) != 4:
            return nothing
        earlier, ratio, shared, union = item
        if type(earlier) is not int or not 0 <= earlier < later:
            return nothing
        if ratio is not None and type(ratio) is not float:
            return nothing
        if type(shared) is not int or type(union) is not int:
            return nothing
        repeats.append((earlier, ratio, shared, union))
    return digests, repeats
