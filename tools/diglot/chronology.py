"""Read a work's chronology (``sources/<work>/dates.yaml``): ISO dates with
an event text per language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from diglot.dates import PartialDate, parse_iso
from diglot.errors import DiglotError, DiglotErrors, SourceError
from diglot.sources import MAX_YAML_DEPTH, compose_yaml, read_text, yaml_problem, yaml_too_deep

FILE_NAME = "dates.yaml"


@dataclass(frozen=True)
class Entry:
    date: PartialDate
    events: dict[str, str]
    segment: str | None
    line: int


@dataclass(frozen=True)
class Chronology:
    path: Path
    entries: tuple[Entry, ...]


def load(
    path: Path, languages: tuple[str, ...] | list[str] = (), root: Path | None = None
) -> Chronology:
    """Entries sorted by date; every entry must have an event in each of ``languages``.

    With ``root``, a file that resolves outside that folder is refused."""
    node = _yaml_node(path, read_text(path, root))
    if node is None:
        return Chronology(path, ())
    if not isinstance(node, yaml.SequenceNode):
        raise SourceError("expected a list of entries (lines starting with '- date:')", path, 1)
    errors: list[DiglotError] = []
    entries: list[Entry] = []
    for item in node.value:
        entry = _entry(path, item, languages, errors)
        if entry is not None:
            entries.append(entry)
    if errors:
        raise DiglotErrors(errors)
    entries.sort(key=lambda e: (e.date.as_date(), e.line))
    return Chronology(path, tuple(entries))


def _yaml_node(path: Path, text: str) -> yaml.Node | None:
    """The YAML document as nodes (which keep their lines), refused if nested too deep."""
    deep = yaml_too_deep(text)
    if deep is not None:
        raise SourceError(f"nested more than {MAX_YAML_DEPTH} levels deep", path, deep + 1)
    try:
        node: yaml.Node | None = compose_yaml(text)
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc)
        raise SourceError(f"not valid YAML: {problem}", path, line) from None
    return node


def _entry(
    path: Path, item: yaml.Node, languages: Sequence[str], errors: list[DiglotError]
) -> Entry | None:
    """One entry of the list, or None with its problems added to ``errors``."""
    line = item.start_mark.line + 1
    if not isinstance(item, yaml.MappingNode):
        errors.append(SourceError("an entry must have 'date' and 'event'", path, line))
        return None
    odd = next((k for k, _ in item.value if not isinstance(k, yaml.ScalarNode)), None)
    if odd is not None:
        errors.append(SourceError("keys must be plain words", path, odd.start_mark.line + 1))
        return None
    fields = {k.value: v for k, v in item.value}
    lines = {k.value: k.start_mark.line + 1 for k, _ in item.value}
    unknown = set(fields) - {"date", "event", "segment"}
    for key in sorted(unknown):
        errors.append(
            SourceError(f"unknown key {key!r} (keys: date, event, segment)", path, lines[key])
        )
    date_node = fields.get("date")
    event_node = fields.get("event")
    if date_node is None or event_node is None:
        errors.append(SourceError("an entry needs both 'date' and 'event'", path, line))
        return None
    try:
        date = parse_iso(date_node.value if isinstance(date_node, yaml.ScalarNode) else None)
    except ValueError as exc:
        errors.append(SourceError(f"date: {exc}", path, date_node.start_mark.line + 1))
        return None
    if not isinstance(event_node, yaml.MappingNode):
        errors.append(
            SourceError("event must map languages to texts (en: ...)", path, lines["event"])
        )
        return None
    events = {
        k.value: str(v.value).strip() for k, v in event_node.value if isinstance(v, yaml.ScalarNode)
    }
    for lang in languages:
        if not events.get(lang):
            errors.append(
                SourceError(f"no {lang} text for the event of {date}", path, lines["event"])
            )
    segment_node = fields.get("segment")
    segment = str(segment_node.value) if isinstance(segment_node, yaml.ScalarNode) else None
    return Entry(date, events, segment, line)
