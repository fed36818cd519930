"""Rebuild an edition only when something it depends on changed.

``output/.diglot-manifest.json`` records, per edition, a digest of its
inputs (texts, chronology, the work's pictures, every file under layouts/
and styles/, extra stylesheets, its diglot.toml entry and the project-level
settings, fonts, hyphenation patterns, diglot's own code and version,
SOURCE_DATE_EPOCH, which sets the dates written into the PDF), the digest
of every file the layout loaded during the last build (an image, a
stylesheet imported from anywhere in the project), and the digest of the
PDF that was written. An edition is up to date when all of them still match.
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
# Inputs larger than this (a source is refused over 5 MB) are not read to
# digest them: their size and time stand for their content.
MAX_INPUT_BYTES = 256 * 1024 * 1024
PACKAGE = Path(__file__).resolve().parent


def _tree(directory: Path, limit: int = 10_000) -> list[Path]:
    """The files under ``directory``, subfolders included (a layout may
    include ``parts/x.html.j2``, a stylesheet import ``parts/x.css``), links
    to folders not followed, at most ``limit`` of them."""
    found: list[Path] = []
    for folder, dirs, names in os.walk(directory):
        dirs.sort()
        found.extend(Path(folder) / n for n in sorted(names))
        if len(found) >= limit:
            break
    return [p for p in found[:limit] if p.is_file()]


def input_files(edition: Edition) -> list[Path]:
    """Every file ``edition``'s PDF is made from: its texts and dates, the
    work's pictures, the layouts and styles, the hyphenation patterns and
    diglot's own code."""
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
            for p in _tree(edition.work_dir)
            if p.suffix != ".md" and not p.is_relative_to(raw) and p not in files
        )
    for folder in ("layouts", "styles"):
        for directory in render.search_path(root, folder):
            files.extend(_tree(directory))
    files.extend(edition.extra_css)
    files.extend(sorted((PACKAGE / "hyphenation").glob("*.dic")))
    files.extend(sorted(PACKAGE.rglob("*.py")))  # diglot's own code, subpackages too
    return files


def inputs_digest(edition: Edition) -> str:
    digest = hashlib.sha256()
    config: dict[str, Any] = edition.config.model_dump(mode="json")
    digest.update(json.dumps(config, sort_keys=True).encode())
    # Every project-level setting (author, output, and any added later).
    digest.update(json.dumps(edition.project.settings, sort_keys=True).encode())
    digest.update(__version__.encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for path in input_files(edition):
        digest.update(str(path).encode())
        digest.update((files.digest(path, MAX_INPUT_BYTES) or "<missing>").encode())
    for face in fonts.faces():
        # Font files are large and change only with their package: their
        # path, size and time stand for their content. The file printed
        # changes when its static instance is made (same text, new bytes).
        stat = face.path.stat()
        digest.update(f"{face.path}:{stat.st_size}:{stat.st_mtime_ns}:{face.printed()}".encode())
    return digest.hexdigest()


def file_digest(path: Path) -> str | None:
    return files.digest(path)


def _valid(entry: object) -> bool:
    """An entry as :meth:`Manifest.record` writes it (anything else: rebuild)."""
    if not isinstance(entry, dict):
        return False
    if not all(isinstance(entry.get(key), str) for key in ("inputs", "pdf")):
        return False
    served = entry.get("served", {})
    return isinstance(served, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in served.items()
    )


class Manifest:
    def __init__(self, output_dir: Path):
        self.output_dir = output_dir
        self.path = output_dir / MANIFEST
        self.entries: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(files.read_bytes(self.path, MAX_MANIFEST_BYTES))
        except (OSError, ValueError, RecursionError):
            return  # only a cache: a missing or broken one means "rebuild"
        if isinstance(data, dict):
            self.entries = {name: entry for name, entry in data.items() if _valid(entry)}

    def is_fresh(self, edition: Edition, inputs: str, html: bool = False) -> bool:
        entry = self.entries.get(edition.name)
        if not entry or entry.get("inputs") != inputs:
            return False
        if entry.get("pdf") != file_digest(edition.output):
            return False
        served = entry.get("served", {})
        if any(files.digest(Path(p), MAX_INPUT_BYTES) != d for p, d in served.items()):
            return False
        return not html or edition.output.with_suffix(".html").exists()

    def record(self, edition: Edition, inputs: str, served: Iterable[Path] = ()) -> None:
        """Remember the edition's inputs, its PDF and every file the layout
        loaded (a stylesheet imported from a subfolder, an image), fonts aside."""
        digest = file_digest(edition.output)
        if digest is None:
            return
        fonts_dirs = fonts.font_dirs()
        loaded = {
            str(path): files.digest(path, MAX_INPUT_BYTES) or "<missing>"
            for path in served
            if not any(path.is_relative_to(d) for d in fonts_dirs)
        }
        self.entries[edition.name] = {"inputs": inputs, "pdf": digest, "served": loaded}

    def forget(self, names: Iterable[str]) -> None:
        for name in names:
            self.entries.pop(name, None)

    def save(self) -> None:
        text = json.dumps(self.entries, indent=1, sort_keys=True)
        files.atomic_write(self.path, text.encode("utf-8"), self.output_dir, "the manifest")
