"""The findings of each edition, kept until something they depend on changes.

``diglot build`` runs the checks on every edition it is given; when nothing
changed since the last run, it reads their findings back from
``output/.diglot-check.json`` instead. An edition's entry is keyed by a
digest of everything the checks read: the texts and chronology of every
work (the Azerbaijani OCR check learns words from all corrected texts), the
edition's name and languages, diglot's code and version, and the versions
of the libraries that supply locale data. Like the build manifest
(:mod:`diglot.incremental`) it is only a cache: a missing, foreign or
broken file means "check again".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from diglot import __version__, files
from diglot.check.findings import Finding, sort_findings
from diglot.check.report import check_edition, project_words
from diglot.chronology import FILE_NAME
from diglot.errors import BuildError
from diglot.project import Edition, Project
from diglot.works import text_files, work_names

CACHE = ".diglot-check.json"
FORMAT = "1"
# Findings of a few editions: KB. Anything much larger is not ours.
MAX_CACHE_BYTES = 16 * 1024 * 1024
PACKAGE = Path(__file__).resolve().parent.parent
LIBRARIES = ("babel", "num2words", "anyascii", "markdown-it-py", "mdit-py-plugins")


class CheckCache:
    """The cached findings of a project's editions: :meth:`findings` checks
    what changed, :meth:`save` keeps the result for the next run."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.path = project.output_dir / CACHE
        self.entries = _read(self.path)
        self.changed = False

    def findings(self, editions: Sequence[Edition]) -> list[Finding]:
        """The findings of ``editions`` (silenced ones left out), sorted: read
        from the cache where their inputs are unchanged, checked otherwise."""
        common = _project_digest(self.project)
        words: dict[str, set[str]] | None = None
        findings: list[Finding] = []
        for edition in editions:
            key = _edition_digest(edition, common)
            found = _findings(self.entries.get(edition.name), key)
            if found is None:
                if words is None:
                    words = project_words(self.project.root)
                found = check_edition(edition, words=words)
                self.entries[edition.name] = {"key": key, "findings": [_stored(f) for f in found]}
                self.changed = True
            findings += found
        return sort_findings(findings)

    def save(self) -> None:
        """Write the cache if anything was checked again (a failure to write is ignored:
        the build reports an output folder it cannot write to itself)."""
        if not self.changed:
            return
        text = json.dumps(self.entries, ensure_ascii=False, indent=1, sort_keys=True)
        with contextlib.suppress(BuildError):
            files.write_cache(
                self.path, text.encode("utf-8"), self.project.output_dir, "the check cache"
            )
        self.changed = False


def check_editions(project: Project, editions: Sequence[Edition]) -> list[Finding]:
    """:meth:`CheckCache.findings`, saved at once."""
    cache = CheckCache(project)
    findings = cache.findings(editions)
    cache.save()
    return findings


def _project_digest(project: Project) -> str:
    digest = hashlib.sha256(f"{FORMAT}:{__version__}".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    paths = sorted(PACKAGE.rglob("*.py"))
    sources = project.root / "sources"
    for work in work_names(project.root):
        paths += [*text_files(sources / work), sources / work / FILE_NAME]
    for path in paths:
        digest.update(f"{path}\0{files.digest(path) or '<missing>'}\0".encode())
    return digest.hexdigest()


def _edition_digest(edition: Edition, common: str) -> str:
    digest = hashlib.sha256(f"{common}\0{edition.name}\0{edition.config.work}".encode())
    for lang in edition.languages:
        path = edition.source(lang)
        digest.update(f"\0{lang}\0{path}\0{files.digest(path) or '<missing>'}".encode())
    return digest.hexdigest()


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(files.read_bytes(path, MAX_CACHE_BYTES))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _stored(finding: Finding) -> dict[str, Any]:
    return {**finding.as_dict(), "path": str(finding.path)}


def _findings(entry: object, key: str) -> list[Finding] | None:
    """The findings an entry holds for ``key``; None if it is for other
    inputs or not well formed."""
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    items = entry.get("findings")
    if not isinstance(items, list):
        return None
    found: list[Finding] = []
    for item in items:
        try:
            finding = Finding(
                code=_text(item["code"]),
                severity="warning" if item["severity"] == "warning" else "error",
                path=Path(_text(item["path"])),
                line=int(item["line"]),
                segment=None if item["segment"] is None else _text(item["segment"]),
                message=_text(item["message"]),
            )
        except (KeyError, TypeError, ValueError):
            return None
        found.append(finding)
    return found


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value
