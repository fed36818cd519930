"""One exception family for everything a user can get wrong.

Library code raises these with the file and line at fault; only ``cli.py``
turns them into ``path:line: message`` output and exit codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any


def shown_path(path: Path, root: Path | None = None) -> str:
    """``path`` as the project names it: relative to ``root`` where it is
    inside it (a link to a file elsewhere is still shown where the editor
    sees it), otherwise as given."""
    if root is None:
        return str(path)
    if path.is_relative_to(root):  # as given: no need to ask the file system
        return path.relative_to(root).as_posix()
    inner, base = path.resolve(), root.resolve()
    if inner.is_relative_to(base):
        return inner.relative_to(base).as_posix()
    return str(path)


class DiglotError(Exception):
    """A problem a user can fix, located in a file (and line) where possible."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def location(self, root: Path | None = None) -> str:
        if self.path is None:
            return "diglot"
        shown = shown_path(self.path, root)
        return f"{shown}:{self.line}" if self.line else shown

    def format(self, root: Path | None = None) -> str:
        # One line, whatever the message: a message with newlines would break
        # the "path:line: message" contract that editors' tools parse.
        text = " ".join(self.message.split())
        return f"{self.location(root)}: {text}"

    def __str__(self) -> str:
        return self.format()

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep file and line when an error comes back from another process.
        return (type(self), (self.message, self.path, self.line))


class UsageError(DiglotError):
    """The command was asked for something that does not exist (exit code 2)."""


class ConfigError(DiglotError):
    """diglot.toml is missing or wrong."""


class SourceError(DiglotError):
    """A source text, its front matter or a chronology file is wrong."""


class TemplateError(DiglotError):
    """A layout template or stylesheet is wrong."""


class FetchRefused(DiglotError):
    """A layout, stylesheet or text asked for a resource it may not load."""


class BuildError(DiglotError):
    """Rendering or writing an edition failed."""


class DiglotErrors(DiglotError):
    """Several problems found at once (configuration, front matter)."""

    def __init__(self, errors: Iterable[DiglotError]):
        self.errors = sorted(errors, key=lambda e: (str(e.path or ""), e.line or 0, e.message))
        first = self.errors[0] if self.errors else DiglotError("unknown error")
        super().__init__(first.message, first.path, first.line)

    def format(self, root: Path | None = None) -> str:
        return "\n".join(e.format(root) for e in self.errors)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors,))
