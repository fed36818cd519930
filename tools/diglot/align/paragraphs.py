"""Align a translation that arrives as plain paragraphs with the segments of
its original (``diglot align``).

The translation is read as paragraphs separated by blank lines (Markdown
headings ``# ...`` are headings; a front matter is skipped). A dynamic
programme in the manner of Gale & Church finds the cheapest sequence of
groups, in order, between the original's segments and the paragraphs:

- 1:1, one segment and one paragraph;
- 1:2, one segment translated by two paragraphs (both go under its id);
- 2:1, two segments translated by one paragraph, which is cut at the
  sentence boundary that fits best (never inside a sentence);
- 1:0, a segment with no translation (a gap);
- 0:1, a paragraph that matches no segment (a translator's note, an added
  conclusion): it is kept under ``{#unaligned-N}``.

Costs come from :mod:`diglot.align.scoring`. Paragraphs that repeat an
earlier one (:mod:`diglot.repeats`) are reported as duplicates.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diglot.align.scoring import SPLIT, Score, Scorer, Side, estimate, prior_cost
from diglot.align.segment import body_start
from diglot.blocks import atx_heading, plain_text
from diglot.errors import SourceError, UsageError
from diglot.facts import sentences
from diglot.files import atomic_write
from diglot.languages import is_language_tag
from diglot.repeats import find_repeats
from diglot.sources import (
    ID_LINE,
    Document,
    FrontMatter,
    Provenance,
    Segment,
    parse,
    read_text,
    serialise,
)
from diglot.works import original_of

TITLE_MAX_CHARS = 200
BAND_MIN = 40  # cells on each side of the diagonal the programme looks at, at least
BAND_DIVISOR = 8  # and (segments + paragraphs) / BAND_DIVISOR for long texts
MAX_PARAGRAPHS = 5000  # the programme is quadratic: a larger text is an error, not a long wait


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the translation as written: its number (1-based), the
    line it starts on, its text (lines joined) and its heading level (0: none)."""

    number: int
    line: int
    text: str
    level: int = 0

    @property
    def plain(self) -> str:
        return plain_text(self.text)

    @property
    def title_like(self) -> bool:
        """A heading, or one short line without a sentence's final mark."""
        text = self.plain.strip()
        return self.level > 0 or (len(text) <= TITLE_MAX_CHARS and text[-1:] not in ".!?:;,…")


@dataclass(frozen=True)
class Group:
    """Original segments aligned with translation paragraphs.

    ``parts`` holds, for a paragraph cut between two segments (2:1), the two
    pieces of its text; otherwise it is empty.
    """

    segments: tuple[str, ...]
    paragraphs: tuple[int, ...]
    score: Score
    parts: tuple[str, ...] = ()

    @property
    def confidence(self) -> float:
        return self.score.confidence if self.segments and self.paragraphs else 0.0


@dataclass(frozen=True)
class Duplicate:
    """Paragraph ``paragraph`` is an earlier copy of paragraph ``kept`` (the
    same text, or ``reworded``); ``kept`` is the one aligned."""

    paragraph: int
    kept: int
    reworded: bool


@dataclass
class Result:
    """The alignment of a translation's paragraphs with an original."""

    original: Document
    language: str
    paragraphs: list[Paragraph]
    groups: list[Group]
    duplicates: list[Duplicate] = field(default_factory=list)

    @property
    def gaps(self) -> list[str]:
        """Segments of the original no paragraph translates."""
        return [seg for g in self.groups if not g.paragraphs for seg in g.segments]

    @property
    def title_paragraph(self) -> int | None:
        """The first paragraph, when it matches no segment and looks like a
        title: it becomes the translation's title."""
        first = self.paragraphs[0] if self.paragraphs else None
        if first is not None and first.title_like and not self.segments_of(first.number):
            return first.number
        return None

    @property
    def unaligned(self) -> list[int]:
        return [p for g in self.groups if not g.segments for p in g.paragraphs]

    def segments_of(self, paragraph: int) -> list[str]:
        for group in self.groups:
            if paragraph in group.paragraphs:
                return list(group.segments)
        return []

    def group_of(self, paragraph: int) -> Group | None:
        return next((g for g in self.groups if paragraph in g.paragraphs), None)

    def as_json(self) -> list[dict[str, Any]]:
        """One object per paragraph in order, then one per gap."""
        repeats = {d.paragraph: d for d in self.duplicates}
        out: list[dict[str, Any]] = []
        for para in self.paragraphs:
            group = self.group_of(para.number)
            item: dict[str, Any] = {
                "paragraph": para.number,
                "line": para.line,
                "segments": list(group.segments) if group else [],
                "score": group.confidence if group else 0.0,
            }
            if para.number in repeats:
                item["duplicate_of"] = repeats[para.number].kept
            out.append(item)
        out += [{"gap": seg} for seg in self.gaps]
        return out


# -- reading ----------------------------------------------------------------------------


def read_paragraphs(path: Path) -> list[Paragraph]:
    """The paragraphs of a plain text or Markdown file without segment ids.

    A YAML front matter at the top is skipped. Raises SourceError for a file
    that already has segment ids (it is aligned already: use ``diglot check``).
    """
    text = read_text(path)
    return split_paragraphs(text, path)


def split_paragraphs(text: str, path: Path) -> list[Paragraph]:
    """The paragraphs of ``text`` (read from ``path``, named in errors)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = body_start(lines)
    out: list[Paragraph] = []
    buffer: list[str] = []
    first = 0

    def flush() -> None:
        if buffer:
            out.append(Paragraph(len(out) + 1, first, " ".join(buffer)))
            buffer.clear()

    for index in range(start, len(lines)):
        number = index + 1
        stripped = lines[index].strip()
        if ID_LINE.match(stripped):
            raise SourceError(
                "already has segment ids: it is aligned (diglot check compares it)",
                path,
                number,
            )
        if not stripped:
            flush()
            continue
        heading = atx_heading(stripped)
        if heading and not buffer:
            out.append(Paragraph(len(out) + 1, number, heading[1], heading[0]))
            continue
        if not buffer:
            first = number
        buffer.append(stripped)
    flush()
    if not out:
        raise SourceError("has no paragraphs to align", path, 1)
    if len(out) > MAX_PARAGRAPHS:
        raise SourceError(
            f"has {len(out)} paragraphs; diglot align takes at most {MAX_PARAGRAPHS}", path, 1
        )
    return out


# -- aligning ---------------------------------------------------------------------------


def align_paragraphs(original: Document, paragraphs: Sequence[Paragraph], language: str) -> Result:
    """The cheapest in-order alignment of ``paragraphs`` (in ``language``) with
    the segments of ``original``."""
    duplicates = _duplicates(paragraphs)
    dropped = {d.paragraph for d in duplicates}
    kept = [p for p in paragraphs if p.number not in dropped]
    segments = list(original.segments.values())
    o_sides = [Side(s.plain, original.language, s.is_heading) for s in segments]
    t_sides = [Side(p.plain, language, _heading(p)) for p in kept]
    # Two passes: the first with a broad length model, the second with the
    # ratio and variance of the lengths of the first pass's 1:1 groups.
    groups = _programme(Scorer(o_sides, t_sides), segments, o_sides, kept, t_sides, language)
    lengths = {p.number: len(p.plain) for p in kept}
    pairs = [
        (len(original.segments[g.segments[0]].plain), lengths[g.paragraphs[0]])
        for g in groups
        if len(g.segments) == 1
        and len(g.paragraphs) == 1
        and not original.segments[g.segments[0]].is_heading
    ]
    fitted = estimate(pairs)
    if fitted is not None:
        scorer = Scorer(o_sides, t_sides, *fitted)
        groups = _programme(scorer, segments, o_sides, kept, t_sides, language)
    # The earlier copies of repeated paragraphs go back in their places, unaligned.
    merged: list[Group] = []
    pending = sorted(dropped)
    for group in groups:
        while pending and group.paragraphs and pending[0] < group.paragraphs[0]:
            merged.append(Group((), (pending.pop(0),), Score(0.0, 0.0)))
        merged.append(group)
    merged += [Group((), (number,), Score(0.0, 0.0)) for number in pending]
    return Result(original, language, list(paragraphs), merged, duplicates)


def _duplicates(paragraphs: Sequence[Paragraph]) -> list[Duplicate]:
    """Paragraphs that another, later paragraph repeats (the same text or
    reworded), each with the last copy of its kind, which is aligned: a
    translator who gives a paragraph twice has most likely revised it."""
    repeats = find_repeats([p.plain for p in paragraphs])
    parent = list(range(len(paragraphs)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for repeat in repeats:
        parent[root(repeat.later)] = root(repeat.earlier)
    members: dict[int, list[int]] = {}
    for i in range(len(paragraphs)):
        members.setdefault(root(i), []).append(i)
    reworded = {r.later for r in repeats if r.reworded} | {r.earlier for r in repeats if r.reworded}
    out: list[Duplicate] = []
    for group in members.values():
        keep = max(group)
        for i in group:
            if i != keep:
                out.append(Duplicate(paragraphs[i].number, paragraphs[keep].number, i in reworded))
    return sorted(out, key=lambda d: d.paragraph)


def _programme(
    scorer: Scorer,
    segments: Sequence[Segment],
    o_sides: Sequence[Side],
    paragraphs: Sequence[Paragraph],
    t_sides: Sequence[Side],
    language: str,
) -> list[Group]:
    """The cheapest in-order sequence of groups (dynamic programme)."""
    n, m = len(segments), len(paragraphs)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, Score, tuple[str, ...]] | None]] = [
        [None] * (m + 1) for _ in range(n + 1)
    ]
    cost[0][0] = 0.0
    # Only cells near the diagonal: the programme would otherwise take time in
    # n × m; a text whose order strays further than the band is not aligned.
    band = max(BAND_MIN, (n + m) // BAND_DIVISOR)
    for i in range(n + 1):
        centre = i * m // n if n else 0
        for j in range(max(0, centre - band), min(m, centre + band) + 1):
            if i == 0 and j == 0:
                continue
            best = inf
            choice: tuple[int, int, Score, tuple[str, ...]] | None = None
            for di, dj in ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2)):
                if di > i or dj > j or cost[i - di][j - dj] == inf:
                    continue
                os_ = o_sides[i - di : i]
                ts_ = t_sides[j - dj : j]
                parts: tuple[str, ...] = ()
                if (di, dj) == (2, 1):
                    split = _best_split(scorer, os_, paragraphs[j - 1], language)
                    if split is None:
                        continue
                    score, parts = split
                else:
                    score = scorer.score(os_, ts_, (di, dj))
                total = cost[i - di][j - dj] + score.cost
                if total < best:
                    best, choice = total, (di, dj, score, parts)
            cost[i][j], back[i][j] = best, choice
    groups: list[Group] = []
    i, j = n, m
    while i > 0 or j > 0:
        step = back[i][j]
        assert step is not None  # every cell but (0, 0) is reachable by 1:0 or 0:1
        di, dj, score, parts = step
        seg_ids = tuple(s.id for s in segments[i - di : i])
        para_nos = tuple(p.number for p in paragraphs[j - dj : j])
        groups.append(Group(seg_ids, para_nos, score, parts))
        i, j = i - di, j - dj
    groups.reverse()
    return groups


def _heading(paragraph: Paragraph) -> bool | None:
    """True for a Markdown heading, None (maybe) for a title-like line."""
    if paragraph.level:
        return True
    return None if paragraph.title_like else False


def _best_split(
    scorer: Scorer, originals: Sequence[Side], paragraph: Paragraph, language: str
) -> tuple[Score, tuple[str, ...]] | None:
    """The cut of a paragraph between two segments at the sentence boundary
    that costs least, or None for a paragraph of one sentence."""
    pieces = sentences(paragraph.text)
    if len(pieces) < 2 or any(s.heading for s in originals):
        return None
    best: tuple[Score, tuple[str, ...]] | None = None
    for k in range(1, len(pieces)):
        head, tail = " ".join(pieces[:k]), " ".join(pieces[k:])
        first = scorer.score(originals[:1], [Side(plain_text(head), language, False)], (1, 1))
        second = scorer.score(originals[1:], [Side(plain_text(tail), language, False)], (1, 1))
        total = first.cost + second.cost - 2 * prior_cost((1, 1)) + prior_cost((2, 1)) + SPLIT
        score = Score(
            total,
            min(first.length_probability, second.length_probability),
            first.matched + second.matched,
            first.unmatched + second.unmatched,
            first.names + second.names,
        )
        if best is None or score.cost < best[0].cost:
            best = (score, (head, tail))
    return best


# -- writing ----------------------------------------------------------------------------


def translation_document(result: Result, path: Path, source: Path, title: str | None) -> Document:
    """The aligned translation as a source document: front matter noting the
    automatic alignment, then each group under its id; paragraphs that match
    nothing under ``unaligned-N``. The document is parsed back, so what is
    written is what ``diglot check`` will read."""
    return parse(translation_text(result, source, title), path)


def translation_text(result: Result, source: Path, title: str | None) -> str:
    original = result.original
    paragraphs = {p.number: p for p in result.paragraphs}
    skip: set[int] = set()
    if title is None and result.title_paragraph is not None:
        title, skip = paragraphs[result.title_paragraph].plain.strip(), {result.title_paragraph}
    taken = set(original.segments)
    body: list[str] = []
    unaligned = 0
    headings = {s.id: s.blocks[0].level for s in original.segments.values() if s.is_heading}
    for group in result.groups:
        numbers = [n for n in group.paragraphs if n not in skip]
        if not numbers:
            continue
        if not group.segments:
            for number in numbers:
                unaligned += 1
                seg_id = f"unaligned-{unaligned}"
                while seg_id in taken:
                    unaligned += 1
                    seg_id = f"unaligned-{unaligned}"
                taken.add(seg_id)
                body += [f"{{#{seg_id}}}", _written(paragraphs[number], None), ""]
            continue
        if group.parts:
            for seg_id, part in zip(group.segments, group.parts, strict=True):
                body += [f"{{#{seg_id}}}", part, ""]
            continue
        body.append(f"{{#{group.segments[0]}}}")
        level = headings.get(group.segments[0])
        for number in numbers:
            body += [_written(paragraphs[number], level), ""]
    changes = [
        {
            "en": f"segment ids added automatically by diglot align from {source.name} on "
            f"{dt.date.today().isoformat()}: review the lowest scores, unaligned-N and gaps"
        }
    ]
    meta = FrontMatter(
        title=title or f"{original.meta.title} ({result.language})",
        language=result.language,
        role="translation",
        original=original.language,
        provenance=Provenance(source=source.name, licence="unknown", changes=tuple(changes)),
    )
    head = serialise(Document(source, meta, {}, 1)).rstrip("\n")
    return head + "\n" + "\n".join(body).rstrip("\n") + "\n"


def _written(paragraph: Paragraph, level: int | None) -> str:
    """A paragraph as it goes in the source: headings with their marks."""
    if level:
        return f"{'#' * level} {paragraph.text}"
    if paragraph.level:
        return f"{'#' * paragraph.level} {paragraph.text}"
    return paragraph.text


def write_translation(
    result: Result, output: Path, source: Path, force: bool = False, title: str | None = None
) -> Document:
    """Write the aligned translation to ``output`` (atomically); refuse to
    replace an existing file unless ``force``."""
    if output.exists() and not force:
        raise UsageError("exists already; use --force to replace it", output)
    doc = translation_document(result, output, source, title)
    text = serialise(doc)
    atomic_write(output, text.encode("utf-8"))
    return doc


# -- reporting --------------------------------------------------------------------------


def report_lines(result: Result, width: int = 36) -> list[str]:
    """Each group side by side (first words of each) with its score, lowest
    first; then unaligned paragraphs, duplicates and gaps."""
    paragraphs = {p.number: p for p in result.paragraphs}
    segments = result.original.segments
    rows = [g for g in result.groups if g.segments and g.paragraphs]
    rows.sort(key=lambda g: (g.confidence, g.paragraphs[0]))
    lines = []
    for group in rows:
        left = " ".join(segments[s].plain for s in group.segments)
        right = " ".join(paragraphs[n].plain for n in group.paragraphs)
        ids = "+".join(group.segments)
        nums = "+".join(f"¶{n}" for n in group.paragraphs)
        lines.append(
            f"{group.confidence:.2f}  {ids:<12} {nums:<8} {_cut(left, width):<{width}} | "
            f"{_cut(right, width)}"
        )
    copies = {d.paragraph for d in result.duplicates}
    for number in result.unaligned:
        if number in copies:
            continue
        para = paragraphs[number]
        what = "title" if number == result.title_paragraph else "unaligned"
        lines.append(f"{what}: ¶{number} (line {para.line}) {_cut(para.plain, 2 * width)}")
    for dup in result.duplicates:
        how = "a reworded copy" if dup.reworded else "a copy"
        lines.append(
            f"duplicate: ¶{dup.paragraph} (line {paragraphs[dup.paragraph].line}) is {how} of "
            f"¶{dup.kept} (line {paragraphs[dup.kept].line}), which is aligned"
        )
    if result.gaps:
        lines.append("gaps (no translation): " + ", ".join(result.gaps))
    return lines


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def report_json(result: Result) -> str:
    return json.dumps(result.as_json(), ensure_ascii=False, indent=2)


# -- the command --------------------------------------------------------------------------


def align_file(
    root: Path,
    work: str,
    language: str,
    file: Path,
    output: Path | None = None,
    force: bool = False,
) -> tuple[Result, Path]:
    """Align FILE (a translation into ``language``) with the original of
    ``work`` and write it as ``sources/<work>/<language>.md`` (or ``output``)."""
    original = original_of(root, work)
    if not is_language_tag(language):
        raise UsageError(f"unknown language tag {language!r} (Babel has no locale for it)")
    if language == original.language:
        raise UsageError(f"{language!r} is the language of the original {original.path.name}")
    target = output if output is not None else root / "sources" / work / f"{language}.md"
    if target.is_dir():
        raise UsageError("is a folder; give the name of the file to write", target)
    if target.exists() and not force:
        raise UsageError("exists already; use --force to replace it", target)
    result = align_paragraphs(original, read_paragraphs(file), language)
    write_translation(result, target, file, force)
    return result, target
