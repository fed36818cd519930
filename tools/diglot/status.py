"""What ``diglot editions`` reports: each edition and how complete its translations are."""

from __future__ import annotations

from typing import Any

from diglot import sources
from diglot.align import align
from diglot.errors import shown_path
from diglot.project import Project


def editions(project: Project) -> list[dict[str, Any]]:
    rows = []
    for edition in project.editions:
        documents = [sources.load(edition.source(lang), project.root) for lang in edition.languages]
        alignment = align(documents)
        reference = alignment.reference_index
        translated = {
            doc.language: round(alignment.completeness(i), 4)
            for i, doc in enumerate(documents)
            if i != reference
        }
        rows.append(
            {
                "name": edition.name,
                "work": edition.config.work,
                "languages": list(edition.languages),
                "layout": edition.config.layout,
                "paper": edition.config.paper,
                "pdf": edition.config.pdf,
                "date": edition.config.date.isoformat(),
                "output": shown_path(edition.output, project.root),
                "segments": len(alignment.rows),
                "translated": translated,
            }
        )
    return rows
