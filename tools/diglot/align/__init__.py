"""Pair the segments of texts in several languages.

By segment id (this module: :func:`align`), and, for a translation that
arrives as plain paragraphs, by length and anchors (:mod:`diglot.align.paragraphs`,
``diglot align``); :mod:`diglot.align.segment` gives a plain original its
ids (``diglot segment``).
"""

from __future__ import annotations

from dataclasses import dataclass

from diglot.sources import Document, Segment


@dataclass(frozen=True)
class Row:
    """One segment id with its text in each language (None where missing)."""

    id: str
    cells: tuple[Segment | None, ...]

    @property
    def is_heading(self) -> bool:
        return any(c is not None and c.is_heading for c in self.cells)

    @property
    def level(self) -> int:
        for cell in self.cells:
            if cell is not None and cell.is_heading:
                return cell.blocks[0].level
        return 0


@dataclass(frozen=True)
class Alignment:
    documents: tuple[Document, ...]
    rows: tuple[Row, ...]

    def missing(self, index: int) -> list[str]:
        """Ids that document ``index`` lacks (declared gaps included)."""
        return [row.id for row in self.rows if row.cells[index] is None]

    def undeclared_missing(self, index: int) -> list[str]:
        gaps = self.documents[index].meta.gaps
        return [seg for seg in self.missing(index) if seg not in gaps]

    def completeness(self, index: int) -> float:
        """Share of the reference text's segments present in document ``index``."""
        reference = self.reference_index
        total = sum(1 for row in self.rows if row.cells[reference] is not None)
        if total == 0:
            return 0.0
        present = sum(
            1
            for row in self.rows
            if row.cells[reference] is not None and row.cells[index] is not None
        )
        return present / total

    @property
    def reference_index(self) -> int:
        """The original among the documents, or the first one."""
        for i, doc in enumerate(self.documents):
            if doc.meta.role == "original":
                return i
        return 0


def align(documents: list[Document] | tuple[Document, ...]) -> Alignment:
    """Rows in the order of the original text; ids found only in a translation
    follow the segment they come after in that translation."""
    docs = tuple(documents)
    if not docs:
        return Alignment(docs, ())
    ref = next((i for i, d in enumerate(docs) if d.meta.role == "original"), 0)
    order: list[str] = list(docs[ref].segments)
    for i, doc in enumerate(docs):
        if i == ref:
            continue
        previous: str | None = None
        for seg_id in doc.segments:
            if seg_id not in order:
                position = order.index(previous) + 1 if previous is not None else 0
                order.insert(position, seg_id)
            previous = seg_id
    rows = tuple(Row(seg_id, tuple(d.segments.get(seg_id) for d in docs)) for seg_id in order)
    return Alignment(docs, rows)
