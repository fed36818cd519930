"""Running the checks on a project's works, and reading raw texts as documents."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from diglot.align import align
from diglot.blocks import Paragraph
from diglot.check.findings import Finding, sort_findings
from diglot.check.language import words_of
from diglot.check.registry import Context, checks, run
from diglot.check.units import Units
from diglot.errors import DiglotError, SourceError, UsageError
from diglot.project import Edition, Project
from diglot.sources import (
    Document,
    FrontMatter,
    Provenance,
    Segment,
    load,
)
from diglot.works import load_work, text_files, work_names


def check_documents(
    docs: Sequence[Document],
    known_words: Mapping[str, set[str]] | None = None,
    show_ignored: bool = False,
    root: Path | None = None,
    store: Units | None = None,
) -> list[Finding]:
    """Every finding for the texts of one work, sorted.

    ``known_words`` maps a language to words known to be spelt right (for the
    Azerbaijani OCR check: the project's corrected texts); the words of the
    documents that have the language's special letters are added. Findings a
    text silences (front matter ``check: ignore:``) are left out, or with
    ``show_ignored`` kept with their ``ignored`` reason. Raises SourceError for
    an ignore entry naming a code no check has. ``root`` is the project: the
    work's chronology is read only from inside it (default: the texts' folder).
    ``store`` holds what the last run found (:mod:`diglot.check.units`): only
    what changed since is checked again, and it keeps what this run finds.
    """
    context = Context(tuple(docs), align(list(docs)), known_words or {}, root, store)
    findings = silence(run(context), docs)
    return sort_findings(f for f in findings if show_ignored or f.ignored is None)


def silence(findings: Iterable[Finding], docs: Sequence[Document]) -> list[Finding]:
    """The findings, those a text's ``check: ignore:`` entry names marked ignored."""
    known = checks()
    ignores: dict[tuple[Path, str], tuple[frozenset[str], str]] = {}
    for doc in docs:
        for seg_id, entry in doc.meta.check.ignore.items():
            for code in entry.codes:
                if code not in known:
                    raise SourceError(
                        f"check: ignore: unknown code {code!r} for segment {seg_id!r} "
                        f"(codes: {', '.join(known)})",
                        doc.path,
                        doc.key_lines.get(f"check.ignore.{seg_id}", doc.body_line),
                    )
            ignores[(doc.path, seg_id)] = (frozenset(entry.codes), entry.reason)
    out: list[Finding] = []
    for finding in findings:
        codes_reason = ignores.get((finding.path, finding.segment or ""))
        if codes_reason is not None and finding.code in codes_reason[0]:
            finding = finding.silenced(codes_reason[1])
        out.append(finding)
    return out


def check_edition(
    edition: Edition,
    show_ignored: bool = False,
    words: Mapping[str, set[str]] | None = None,
    store: Units | None = None,
) -> list[Finding]:
    """The findings for the languages of one edition; ``words`` as
    :func:`project_words` gives them (default: read now), ``store`` as
    :func:`check_documents` takes it."""
    root = edition.project.root
    docs = [load(edition.source(lang), root) for lang in edition.languages]
    known = project_words(root) if words is None else words
    return check_documents(docs, known, show_ignored, root, store)


def check_work(project: Project, work: str, show_ignored: bool = False) -> list[Finding]:
    docs = load_work(project.root, work)
    return check_documents(docs, project_words(project.root), show_ignored, project.root)


def check_names(
    project: Project, names: Sequence[str] = (), show_ignored: bool = False
) -> list[Finding]:
    """Findings for edition names or work folders (default: every work), sorted.

    Raises UsageError for a name that is neither.
    """
    words = project_words(project.root)
    works = work_names(project.root)
    findings: list[Finding] = []
    for name in names or works:
        edition = next((e for e in project.editions if e.name == name), None)
        if edition is not None:
            findings += check_edition(edition, show_ignored, words)
            continue
        if name in works:
            docs = load_work(project.root, name)
        else:
            known = ", ".join([e.name for e in project.editions] + works)
            raise UsageError(
                f"no edition or work named {name!r} (editions and works: {known})",
                project.config_path,
            )
        findings += check_documents(docs, words, show_ignored, project.root)
    return sort_findings(findings)


def project_words(root: Path) -> dict[str, set[str]]:
    """Words of every corrected text in the project, by language."""
    words: dict[str, set[str]] = {}
    for work in work_names(root):
        for path in text_files(root / "sources" / work):
            try:
                doc = load(path, root)
            except DiglotError:
                continue
            words.setdefault(doc.language, set()).update(words_of(doc))
    return words


def documents_from_raw(path: Path, parts: Sequence[tuple[str, int, int | None]]) -> list[Document]:
    """Documents made from a raw text as received (not in the source format).

    ``parts`` gives each language's lines: ``(language, first, last)``,
    1-based and inclusive (``last`` None: to the end). Paragraphs are split
    on blank lines and become segments ``p1``, ``p2``, ... at their line;
    the first part is the original, the others its translations.
    """
    lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    docs: list[Document] = []
    original = parts[0][0] if parts else None
    for index, (language, first, last) in enumerate(parts):
        end = len(lines) if last is None else min(last, len(lines))
        segments: dict[str, Segment] = {}
        para: list[str] = []
        start = first
        for number in range(first, end + 2):
            text = lines[number - 1] if number <= end else ""
            if text.strip():
                if not para:
                    start = number
                para.append(text.strip())
                continue
            if para:
                seg_id = f"p{len(segments) + 1}"
                block = Paragraph.of_text(" ".join(para), start)
                segments[seg_id] = Segment(seg_id, start, (block,), number - 1)
                para = []
        meta = FrontMatter(
            title=path.name,
            language=language,
            role="original" if index == 0 else "translation",
            original=None if index == 0 else original,
            provenance=Provenance(source=f"raw text {path.name}", licence="unknown"),
        )
        docs.append(Document(path, meta, segments, first))
    return docs
