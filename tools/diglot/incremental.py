"""Rebuild an edition only when something it depends on changed.

``output/.diglot-manifest.json`` records, per edition, a digest of its
inputs (texts, chronology, layouts, styles, its diglot.toml entry, fonts,
hyphenation patterns, diglot's own code and version, and SOURCE_DATE_EPOCH,
which sets the dates written into the PDF) and the digest of the PDF that
was written. An edition is up to date when both still match.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from diglot import __version__, files, fonts, render
from diglot.project import Edition

MANIFEST = ".diglot-manifest.json"
# A manifest holds two digests per edition: a few KB. Anything much larger
# (or a link to /dev/zero) is not one and is ignored like a corrupt one.
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
PACKAGE = Path(__file__).resolve().parent


def _files(edition: Edition) -> list[Path]:
    root = edition.project.root
    files = [edition.source(lang) for lang in edition.languages]
    files.append(edition.work_dir / "dates.yaml")
    # Pictures the texts show (sources/<work>/images/...): the work folder's
    # files but the texts (other languages' texts are not this edition's
    # inputs) and the texts as received in raw/.
    if edition.work_dir.is_dir():
        raw = edition.work_dir / "raw"
        files.extend(
            p
            for p in sorted(edition.work_dir.rglob("*"))
            if p.is_file() and p.suffix != ".md" and not p.is_relative_to(raw) and p not in files
        )
    for folder in ("layouts", "styles"):
        for directory in render.search_path(root, folder):
            files.extend(p for p in sorted(directory.iterdir()) if p.is_file())
    files.extend(edition.extra_css)
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
        digest.update((file_digest(path) or "<missing>").encode())
    for face in fonts.faces():
        # Font files are large and change only with their package: their
        # path, size and time stand for their content.
        stat = face.path.stat()
        digest.update(f"{face.path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def file_digest(path: Path) -> str | None:
    return files.digest(path)


class Manifest:
    def __init__(self, output_dir: Path):
        self.output_dir = output_dir
        self.path = output_dir / MANIFEST
        self.entries: dict[str, dict[str, str]] = {}
        try:
            data = json.loads(files.read_bytes(self.path, MAX_MANIFEST_BYTES))
        except (OSError, ValueError, RecursionError):
            return  # only a cache: a missing or broken one means "rebuild"
        if isinstance(data, dict):
            self.entries = {
                name: entry
                for name, entry in data.items()
                if isinstance(entry, dict) and all(isinstance(v, str) for v in entry.values())
            }

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
        files.atomic_write(self.path, text.encode("utf-8"), self.output_dir, "the manifest")
