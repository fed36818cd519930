"""The checks ``diglot check`` runs, one module of this package per finding kind.

A check module registers a function with one of three decorators, by the
scope it looks at:

- ``@document_check(code)``: ``f(doc, context)`` for each text on its own;
  with ``local=True`` the findings of each segment depend on that segment
  alone (its blocks, its lines as written, the text's path and language,
  and what ``reads(doc, context)`` returns, a digest of anything else the
  check reads), are located at it (``Finding.segment``), and the check
  gives the same findings for a copy of the text holding fewer segments:
  :mod:`diglot.check.units` then checks only the segments that changed;
- ``@pair_check(code)``: ``f(pair)`` for each segment present in both the
  original and a translation (:class:`Pair`);
- ``@work_check(code)``: ``f(context)`` once for the texts of one work.

Each returns an iterable of findings. :func:`checks` imports every module of
the package, so a new check is one new file that uses a decorator.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from diglot.align import Alignment
from diglot.check.findings import Finding, Severity, sides_message
from diglot.chronology import FILE_NAME, Chronology, Entry
from diglot.chronology import load as load_chronology
from diglot.facts import Difference, compare, values
from diglot.sources import Document, Segment

if TYPE_CHECKING:
    from diglot.check.units import Units

Scope = Literal["document", "pair", "work"]
# Modules of the package that hold no check.
_INFRASTRUCTURE = frozenset(
    {"findings", "registry", "report", "language", "ignore", "cache", "units"}
)


@dataclass(frozen=True)
class Context:
    """The texts of one work, their alignment by id and the known words by language."""

    docs: Sequence[Document]
    alignment: Alignment
    known_words: Mapping[str, set[str]]
    root: Path | None = None  # the project: files outside it are not read
    # what the last run found (None: check everything, keep nothing)
    store: Units | None = None
    # values a check derives once per run from all the texts (its own names)
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def original(self) -> Document:
        return self.docs[self.alignment.reference_index]

    @cached_property
    def chronology(self) -> Chronology | None:
        """The work's ``dates.yaml``, when the texts are the files of one work
        folder that has one (raises SourceError for a broken file)."""
        folders = {doc.path.parent for doc in self.docs}
        if len(folders) != 1 or len({doc.path for doc in self.docs}) != len(self.docs):
            return None  # not the texts of one work (e.g. one raw file split by language)
        path = folders.pop() / FILE_NAME
        if not path.is_file():
            return None
        return load_chronology(path, root=self.root or path.parent)

    def chronology_entries(self) -> Iterator[Entry]:
        """The entries of the work's chronology that name a segment."""
        if self.chronology is not None:
            yield from (e for e in self.chronology.entries if e.segment is not None)

    def chronology_finding(self, code: str, entry: Entry, message: str) -> Finding:
        """A finding located at a chronology entry's line."""
        assert self.chronology is not None
        return Finding(code, "error", self.chronology.path, entry.line, entry.segment, message)

    def rows(self) -> Iterable[tuple[Document, str, Segment | None, Segment | None]]:
        """Each translation with each segment id of the work: the translation,
        the id, the original's segment and the translation's (None: absent)."""
        ref = self.alignment.reference_index
        for index, doc in enumerate(self.docs):
            if index == ref:
                continue
            for row in self.alignment.rows:
                yield doc, row.id, row.cells[ref], row.cells[index]

    def pairs(self) -> Iterable[Pair]:
        """Each segment of the original with its translation in each other text."""
        for doc, _, orig, trans in self.rows():
            if orig is not None and trans is not None:
                yield Pair(self.original, orig, doc, trans)


@dataclass(frozen=True)
class Pair:
    """A segment of the original (left) and the same segment in a translation (right)."""

    left_doc: Document
    left: Segment
    right_doc: Document
    right: Segment

    def difference(self) -> Difference:
        """The dates and numbers on which the two segments disagree."""
        left = values(self.left.plain, self.left_doc.language)
        right = values(self.right.plain, self.right_doc.language)
        return compare(left, right)

    def finding(self, code: str, message: str, severity: Severity = "error") -> Finding:
        """A finding located at the translation's segment."""
        return Finding.at(code, self.right_doc, self.right.line, self.right.id, message, severity)

    def values_differ(self, code: str, kind: Literal["dates", "numbers"]) -> Iterator[Finding]:
        """One finding if either segment has dates (or numbers) the other lacks:
        "dates differ: az has X (“…”) which en lacks; ..."."""
        only_l, only_r = getattr(self.difference(), kind)
        if only_l or only_r:
            yield self.finding(
                code,
                sides_message(
                    kind,
                    self.left_doc.language,
                    self.right_doc.language,
                    [(v.shown, v.text) for v in only_l],
                    [(v.shown, v.text) for v in only_r],
                ),
            )


@dataclass(frozen=True)
class Check:
    code: str
    scope: Scope
    severity: Severity
    run: Callable[..., Iterable[Finding]]
    summary: str
    local: bool = False  # a document check whose findings are per segment (see above)
    reads: Callable[[Document, Context], str] | None = None


Reads = Callable[[Document, Context], str]


_REGISTERED: dict[str, Check] = {}


def _register(
    code: str, scope: Scope, severity: Severity, local: bool = False, reads: Reads | None = None
) -> Callable[[Callable[..., Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    def decorate(func: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        if code in _REGISTERED and _REGISTERED[code].run is not func:
            raise ValueError(f"check code {code!r} is registered twice")
        summary = " ".join((func.__doc__ or "").strip().split("\n\n")[0].split())
        _REGISTERED[code] = Check(code, scope, severity, func, summary, local, reads)
        return func

    return decorate


def document_check(
    code: str, severity: Severity = "error", local: bool = False, reads: Reads | None = None
) -> Callable[[Callable[[Document, Context], Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    return _register(code, "document", severity, local, reads)


def pair_check(
    code: str, severity: Severity = "error"
) -> Callable[[Callable[[Pair], Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    return _register(code, "pair", severity)


def work_check(
    code: str, severity: Severity = "error"
) -> Callable[[Callable[[Context], Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    return _register(code, "work", severity)


@cache
def checks() -> dict[str, Check]:
    """Every registered check by code, after importing each module of the package."""
    package = importlib.import_module("diglot.check")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name not in _INFRASTRUCTURE:
            importlib.import_module(f"diglot.check.{info.name}")
    return dict(sorted(_REGISTERED.items()))


def run(context: Context) -> list[Finding]:
    """The findings of every check on the texts of ``context`` (unsorted);
    with ``context.store``, those of the local document checks and the pair
    checks on unchanged segments are the ones it kept."""
    store = context.store
    findings: list[Finding] = []
    for check in checks().values():
        if check.scope == "document":
            if store is None or not check.local:
                for doc in context.docs:
                    findings += check.run(doc, context)
        elif check.scope == "pair":
            if store is None:
                for pair in context.pairs():
                    findings += check.run(pair)
        else:
            findings += check.run(context)
    if store is not None:
        registered = checks().values()
        findings += store.local_findings(
            [c for c in registered if c.scope == "document" and c.local], context
        )
        findings += store.pair_findings([c for c in registered if c.scope == "pair"], context)
    return findings
