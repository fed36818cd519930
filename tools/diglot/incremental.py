"""Rebuild an edition only when something it depends on changed.

``output/.diglot-manifest.json`` records, per edition, a digest of its
inputs (texts, chronology, layouts, styles, its diglot.toml entry, fonts,
hyphenation patterns, diglot's own code and version) and the digest of the
PDF that was written. An edition is up to date when both still match.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from diglot import __version__, fonts, render
from diglot.pdf import atomic_write
from diglot.project import Edition

MANIFEST = ".diglot-manifest.json"
PACKAGE = Path(__file__).resolve().parent


def _files(edition: Edition) -> list[Path]:
    root = edition.project.root
    files = [edition.source(lang) for lang in edition.languages]
    files.append(edition.work_dir / "dates.yaml")
    for folder in ("layouts", "styles"):
        for directory in render.search_path(root, folder):
            files.extend(p for p in sorted(directory.iterdir()) if p.is_file())
    files.extend(sorted((PACKAGE / "hyphenation").glob("*.dic")))
    files.extend(sorted(PACKAGE.glob("*.py")))
    return files


def inputs_digest(edition: Edition) -> str:
    digest = hashlib.sha256()
    config: dict[str, Any] = edition.config.model_dump(mode="json")
    digest.update(json.dumps(config, sort_keys=True).encode())
    digest.update(__version__.encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for path in _files(edition):
        digest.update(str(path).encode())
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"<missing>")
    for face in fonts.faces():
        # Font files are large and change only with their package: their
        # path, size and time stand for their content. The file printed
        # changes when its static instance is made (same text, new bytes).
        stat = face.path.stat()
        digest.update(f"{face.path}:{stat.st_size}:{stat.st_mtime_ns}:{face.printed()}".encode())
    return digest.hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class Manifest:
    def __init__(self, output_dir: Path):
        self.path = output_dir / MANIFEST
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.entries: dict[str, dict[str, str]] = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            self.entries = {}

    def is_fresh(self, edition: Edition, inputs: str, html: bool = False) -> bool:
        entry = self.entries.get(edition.name)
        if not entry or entry.get("inputs") != inputs:
            return False
        if entry.get("pdf") != file_digest(edition.output):
            return False
        return not html or edition.output.with_suffix(".html").exists()

    def record(self, edition: Edition, inputs: str) -> None:
        digest = file_digest(edition.output)
        if digest is not None:
            self.entries[edition.name] = {"inputs": inputs, "pdf": digest}

    def forget(self, names: Iterable[str]) -> None:
        for name in names:
            self.entries.pop(name, None)

    def save(self) -> None:
        text = json.dumps(self.entries, indent=1, sort_keys=True)
        atomic_write(self.path, lambda handle: handle.write(text.encode("utf-8")))
