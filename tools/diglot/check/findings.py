"""A finding: one problem in one text, at a file and line, and how it is shown."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from diglot.errors import shown_path
from diglot.sources import Document

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem, located in a file and line (the segment or paragraph).

    ``ignored`` holds the reason a text's front matter gives for silencing it
    (``check: ignore:``); silenced findings are shown only on request.
    """

    code: str
    severity: Severity
    path: Path
    line: int
    segment: str | None
    message: str
    ignored: str | None = None

    @classmethod
    def at(
        cls,
        code: str,
        doc: Document,
        line: int,
        segment: str | None,
        message: str,
        severity: Severity = "error",
    ) -> Finding:
        return cls(code, severity, doc.path, line, segment, message)

    def silenced(self, reason: str) -> Finding:
        return replace(self, ignored=reason)

    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (str(self.path), self.line, self.code, self.segment or "", self.message)

    def shown_path(self, root: Path | None = None) -> str:
        return shown_path(self.path, root)

    def format(self, root: Path | None = None) -> str:
        """``path:line: code: message`` on one line (plus the reason it is ignored)."""
        text = " ".join(self.message.split())
        line = f"{self.shown_path(root)}:{self.line}: {self.code}: {text}"
        if self.ignored is not None:
            line += f" [ignored: {' '.join(self.ignored.split())}]"
        return line

    def as_dict(self, root: Path | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "path": self.shown_path(root),
            "line": self.line,
            "segment": self.segment,
            "message": self.message,
        }
        if self.ignored is not None:
            data["ignored"] = self.ignored
        return data


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Sorted by path, line, code; exact duplicates dropped."""
    return sorted(set(findings), key=Finding.sort_key)


def has_errors(findings: Iterable[Finding], strict: bool = False) -> bool:
    """Any error (with ``strict``: any finding) that is not silenced."""
    return any((f.severity == "error" or strict) and f.ignored is None for f in findings)


def excerpt(text: str, limit: int = 60) -> str:
    """The text on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def sides_message(
    what: str,
    lang_l: str,
    lang_r: str,
    only_l: list[tuple[str, str]],
    only_r: list[tuple[str, str]],
) -> str:
    """ "dates differ: az has X (“…”) which en lacks; en has Y (“…”) which az lacks"."""
    parts = [f"{lang_l} has {value} (“{text}”) which {lang_r} lacks" for value, text in only_l]
    parts += [f"{lang_r} has {value} (“{text}”) which {lang_l} lacks" for value, text in only_r]
    return f"{what} differ: " + "; ".join(parts)
