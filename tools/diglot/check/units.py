"""Findings of one segment, or one pair of segments, kept between runs.

:mod:`diglot.check.cache` keeps an edition's findings while none of its
inputs changed; when one did (an editor changed a paragraph), the checks
run again through a :class:`Units` holding what the last run found, and
only on what the change can affect:

- a *local* document check (``@document_check(code, local=True)``) finds,
  for each segment, what that segment alone says: its blocks (kind, text,
  line within the segment), its lines as written, and the text's path and
  language, plus what the check's ``reads`` function returns for the text
  (the OCR check: a digest of the known words of the text's language).
  Its findings of a segment whose key is unchanged are reused; the check
  runs on a copy of the text holding only the other segments. Findings it
  makes outside segments (a title's) are made again every time.
- a pair check depends on the two segments of the pair and their texts'
  languages: a pair whose key is unchanged gets its findings back.
- the other checks (work checks, and the document checks that compare a
  text's paragraphs with each other) run again, reading ``Context.store``
  for what they can reuse themselves (the duplicate check: which
  paragraph repeats which).

A finding is kept with its line counted from its segment's ``{#id}`` line,
so a segment that moved (an earlier paragraph gained a line) gets its
findings at its new lines. Keys hold nothing of the surrounding text, so
they must hold everything a check reads: :data:`FORMAT` changes when they
change, and the cache drops every unit when diglot's code does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diglot.check.findings import Finding
from diglot.sources import Document, Segment

if TYPE_CHECKING:
    from diglot.check.registry import Check, Context, Pair

FORMAT = "units-1"


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def segment_key(seg: Segment) -> str:
    """What the checks read of a segment, its lines counted from its ``{#id}`` line."""
    blocks = tuple((b.kind, b.line - seg.line, b.plain) for b in seg.blocks)
    return digest(repr((FORMAT, seg.id, seg.source, seg.end_line - seg.line, blocks)))


class Units:
    """What the last run found per segment and per pair (``previous``, as
    :meth:`saved` gave it, or None), and what this run finds."""

    def __init__(self, previous: Mapping[str, Any] | None = None) -> None:
        units = previous.get("units") if isinstance(previous, Mapping) else None
        state = previous.get("state") if isinstance(previous, Mapping) else None
        self.previous: Mapping[str, Any] = units if isinstance(units, dict) else {}
        self.previous_state: Mapping[str, Any] = state if isinstance(state, dict) else {}
        self.units: dict[str, list[list[Any]]] = {}
        self.state: dict[str, Any] = {}
        self._keys: dict[int, tuple[Segment, str]] = {}
        # what this run checked again: (path, segment id) for segments,
        # (path of the translation, segment id) for pairs
        self.checked_segments: list[tuple[Path, str]] = []
        self.checked_pairs: list[tuple[Path, str]] = []

    def saved(self) -> dict[str, Any]:
        """What the next run needs (only the units this run used)."""
        return {"units": self.units, "state": self.state}

    def state_of(self, name: str) -> Any:
        """What a check kept under ``name`` last time (None: nothing; any JSON
        value: the check validates it)."""
        return self.previous_state.get(name)

    def keep_state(self, name: str, value: Any) -> None:
        self.state[name] = value

    def key(self, seg: Segment) -> str:
        known = self._keys.get(id(seg))
        if known is None or known[0] is not seg:
            known = (seg, segment_key(seg))
            self._keys[id(seg)] = known
        return known[1]

    def local_findings(self, checks: Sequence[Check], context: Context) -> list[Finding]:
        """The findings of the local document checks on every text of ``context``."""
        found: list[Finding] = []
        for doc in context.docs:
            groups: dict[str, list[Check]] = {}
            for check in checks:
                reads = check.reads(doc, context) if check.reads is not None else ""
                groups.setdefault(reads, []).append(check)
            for reads, group in groups.items():
                found += self._local(group, reads, doc, context)
        return found

    def _local(
        self, group: Sequence[Check], reads: str, doc: Document, context: Context
    ) -> list[Finding]:
        head = repr((FORMAT, str(doc.path), doc.language, [c.code for c in group], reads))
        keys = {seg_id: digest(head + self.key(seg)) for seg_id, seg in doc.segments.items()}
        kept: dict[str, list[Finding]] = {}
        for seg_id, seg in doc.segments.items():
            stored = _stored_findings(self.previous.get(keys[seg_id]), doc.path, seg)
            if stored is not None:
                kept[seg_id] = stored
        dirty = {seg_id: seg for seg_id, seg in doc.segments.items() if seg_id not in kept}
        fresh: dict[str, list[Finding]] = {seg_id: [] for seg_id in dirty}
        self.checked_segments += [(doc.path, seg_id) for seg_id in dirty]
        found: list[Finding] = []
        part = replace(doc, segments=dirty)
        for check in group:
            for finding in check.run(part, context):
                if finding.path == doc.path and finding.segment in fresh:
                    fresh[finding.segment].append(finding)
                else:
                    found.append(finding)  # outside segments (a title): made every time
        for seg_id, seg in doc.segments.items():
            segment_findings = kept[seg_id] if seg_id in kept else fresh[seg_id]
            found += segment_findings
            self.units[keys[seg_id]] = [_relative(f, seg.line) for f in segment_findings]
        return found

    def pair_findings(self, checks: Sequence[Check], context: Context) -> list[Finding]:
        """The findings of the pair checks on every pair of ``context``."""
        if not checks:
            return []
        codes = [c.code for c in checks]
        found: list[Finding] = []
        for pair in context.pairs():
            left, right = pair.left_doc, pair.right_doc
            sides = (str(left.path), left.language, str(right.path), right.language)
            key = digest(repr((FORMAT, codes, sides)) + self.key(pair.left) + self.key(pair.right))
            stored = _stored_findings(self.previous.get(key), pair.right_doc.path, pair.right)
            if stored is None:
                stored = _run_pair(checks, pair)
                self.checked_pairs.append((pair.right_doc.path, pair.right.id))
                if any(f.path != pair.right_doc.path or f.segment != pair.right.id for f in stored):
                    found += stored  # not at the translation's segment: not kept
                    continue
            found += stored
            self.units[key] = [_relative(f, pair.right.line) for f in stored]
        return found


def _run_pair(checks: Iterable[Check], pair: Pair) -> list[Finding]:
    return [finding for check in checks for finding in check.run(pair)]


def _relative(finding: Finding, line: int) -> list[Any]:
    return [finding.code, finding.severity, finding.line - line, finding.message, finding.ignored]


def _stored_findings(items: object, path: Path, seg: Segment) -> list[Finding] | None:
    """The findings a unit holds, at the segment's lines now; None if it
    is missing or not well formed."""
    if not isinstance(items, list):
        return None
    found: list[Finding] = []
    for item in items:
        if not isinstance(item, list) or len(item) != 5:
            return None
        code, severity, line, message, ignored = item
        if (
            not isinstance(code, str)
            or severity not in ("error", "warning")
            or type(line) is not int
            or not isinstance(message, str)
            or not (ignored is None or isinstance(ignored, str))
        ):
            return None
        found.append(Finding(code, severity, path, seg.line + line, seg.id, message, ignored))
    return found
