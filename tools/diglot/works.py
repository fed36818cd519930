"""The texts of a work: the files ``sources/<work>/<language tag>.md``.

What ``check`` and ``po`` mean by "a work" and "its texts", so that they
always agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from diglot.errors import UsageError
from diglot.languages import is_language_tag
from diglot.sources import Document, load


def work_names(root: Path) -> list[str]:
    """Folders under ``sources/`` that hold at least one text."""
    base = root / "sources"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if p.is_dir() and any(text_files(p)))


def load_work(root: Path, work: str) -> list[Document]:
    """The texts of ``sources/<work>/``, the original first."""
    folder = root / "sources" / work
    files = list(text_files(folder)) if folder.is_dir() else []
    if not files:
        raise UsageError(f"no work named {work!r}: no texts in sources/{work}/", root)
    docs = [load(p, root) for p in files]
    return sorted(docs, key=lambda d: (d.meta.role != "original", d.language))


def text_files(folder: Path) -> Iterator[Path]:
    """The texts in ``folder``: Markdown files named by a language tag Babel knows."""
    for path in sorted(folder.glob("*.md")):
        if re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", path.stem) and is_language_tag(
            path.stem
        ):
            yield path


def original_of(root: Path, work: str) -> Document:
    """The text of ``sources/<work>/`` whose front matter says ``role: original``."""
    docs = load_work(root, work)
    if docs[0].meta.role != "original":
        raise UsageError(f"no text in sources/{work}/ has role: original", root)
    return docs[0]
