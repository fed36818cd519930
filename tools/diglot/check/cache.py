"""The findings of each edition, kept until something they depend on changes.

``diglot build`` runs the checks on every edition it is given; when nothing
changed since the last run, it reads their findings back from
``output/.diglot-check.json`` instead. An edition's entry is keyed by a
digest of everything the checks read: the texts and chronology of every
work (the Azerbaijani OCR check learns words from all corrected texts), the
edition's name and languages, diglot's code and version, and the versions
of the libraries that supply locale data.

When that key changed (an editor changed a paragraph), the edition is
checked again with what its entry kept per segment and per pair of
segments (:mod:`diglot.check.units`): only the segments and pairs whose
own key changed are checked again, the checks that read the whole work
(chronology, missing segments, repeated paragraphs) run again, and the
duplicate check compares only what the edit can change. Those units are
dropped when diglot's code, its version or a library's changes (``code``).
Like the build manifest (:mod:`diglot.incremental`) it is only a cache: a
missing, foreign or broken file or entry means "check again".
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
from diglot.check.units import Units
from diglot.chronology import FILE_NAME
from diglot.errors import BuildError
from diglot.project import Edition, Project
from diglot.works import text_files, work_names

CACHE = ".diglot-check.json"
FORMAT = "2"
# Findings of a few editions with their units: a few MB (2.5 MB for a
# 2,250-segment edition with 5,600 findings). Anything much larger is not ours.
MAX_CACHE_BYTES = 64 * 1024 * 1024
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
        self.last_units: Units | None = None  # of the last edition checked again

    def findings(self, editions: Sequence[Edition]) -> list[Finding]:
        """The findings of ``editions`` (silenced ones left out), sorted: read
        from the cache where their inputs are unchanged, checked otherwise."""
        code = _code_digest()
        common = _project_digest(self.project, code)
        words: dict[str, set[str]] | None = None
        findings: list[Finding] = []
        for edition in editions:
            key = _edition_digest(edition, common)
            entry = self.entries.get(edition.name)
            found = _findings(entry, key)
            if found is None:
                if words is None:
                    words = project_words(self.project.root)
                kept = entry if isinstance(entry, dict) and entry.get("code") == code else None
                store = Units(kept)
                found = check_edition(edition, words=words, store=store)
                self.entries[edition.name] = {
                    "key": key,
                    "code": code,
                    "findings": [_stored(f) for f in found],
                    **store.saved(),
                }
                self.changed = True
                self.last_units = store
            findings += found
        return sort_findings(findings)

    def save(self) -> None:
        """Write the cache if anything was checked again (a failure to write is ignored:
        the build reports an output folder it cannot write to itself)."""
        if not self.changed:
            return
        text = json.dumps(self.entries, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
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


def _code_digest() -> str:
    """diglot's version and code, and the versions of the libraries the checks use."""
    digest = hashlib.sha256(f"{FORMAT}:{__version__}".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(f"{path}\0{files.digest(path) or '<missing>'}\0".encode())
    return digest.hexdigest()


def _project_digest(project: Project, code: str) -> str:
    """``code`` and the texts and chronology of every work."""
    digest = hashlib.sha256(code.encode())
    sources = project.root / "sources"
    for work in work_names(project.root):
        for path in [*text_files(sources / work), sources / work / FILE_NAME]:
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
