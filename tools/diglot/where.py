"""Where a project is: the nearest folder holding diglot.toml.

Standard library only: the ``diglot`` launcher (:mod:`diglot.launch`) looks
for the project before anything heavy is imported."""

from __future__ import annotations

from pathlib import Path

CONFIG_NAME = "diglot.toml"


def nearest_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds diglot.toml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None
