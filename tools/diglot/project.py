"""Read ``diglot.toml`` into typed objects and report every problem at once."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from diglot.dates import parse_iso
from diglot.errors import ConfigError, DiglotError, DiglotErrors
from diglot.sources import FrontMatter, _validation_errors

CONFIG_NAME = "diglot.toml"
PdfKind = Literal["screen", "print", "archive", "accessible"]


class EditionConfig(BaseModel):
    """One ``[[edition]]`` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    work: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    languages: tuple[str, ...] = Field(min_length=1, max_length=3)
    layout: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")] = "booklet"
    paper: Literal["A5", "A4", "A6", "Letter", "half-letter"] = "A5"
    date: dt.date
    title: str | None = None
    author: str | None = None
    pdf: PdfKind = "screen"
    columns: Literal[1, 2] = 1
    chronology: bool = True
    contents: bool = True
    align: Literal["auto", "justify", "ragged"] = "auto"  # auto: ragged in narrow columns

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        if isinstance(value, str):
            parsed = parse_iso(value)
            if parsed.precision != "day":
                raise ValueError(f"{value!r}: a publication date needs year, month and day")
            return parsed.as_date()
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for lang in value:
            FrontMatter._babel_knows(lang)
        if len(set(value)) != len(value):
            raise ValueError("a language is listed twice")
        return value


class ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    output: str = "output"
    author: str | None = None  # who publishes the editions (PDF Author)
    edition: tuple[EditionConfig, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Edition:
    config: EditionConfig
    line: int
    project: Project

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def languages(self) -> tuple[str, ...]:
        return self.config.languages

    def source(self, language: str) -> Path:
        return self.project.root / "sources" / self.config.work / f"{language}.md"

    @property
    def author(self) -> str | None:
        return self.config.author or self.project.author

    @property
    def work_dir(self) -> Path:
        return self.project.root / "sources" / self.config.work

    @property
    def output(self) -> Path:
        return self.project.output_dir / f"{self.name}.pdf"


@dataclass(frozen=True)
class Project:
    root: Path
    config_path: Path
    output_dir: Path
    editions: tuple[Edition, ...]
    author: str | None = None

    def edition(self, name: str) -> Edition:
        for edition in self.editions:
            if edition.name == name:
                return edition
        from diglot.errors import UsageError

        known = ", ".join(e.name for e in self.editions)
        raise UsageError(f"no edition named {name!r} (editions: {known})", self.config_path)

    def select(self, names: tuple[str, ...] | list[str]) -> list[Edition]:
        return [self.edition(n) for n in names] if names else list(self.editions)


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds diglot.toml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ConfigError(
        f"no {CONFIG_NAME} here or in any parent folder; run diglot inside a project "
        "or pass --project DIR",
        start,
    )


def load(root: Path) -> Project:
    """Read and validate ``root/diglot.toml``; raise all problems together."""
    path = root / CONFIG_NAME
    if not path.is_file():
        raise ConfigError(f"no {CONFIG_NAME} in this folder", root)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise ConfigError(f"not valid UTF-8 at byte {exc.start}", path, line) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        number = int(match[1]) if match else None
        raise ConfigError(
            _date_problem(text, number) or f"not valid TOML: {message}", path, number
        ) from None
    except RecursionError:
        raise ConfigError("nested too deeply", path, _deep_line(text)) from None
    key_lines = _key_lines(text)
    try:
        config = ConfigFile.model_validate(data)
    except ValidationError as exc:
        raise DiglotErrors(_validation_errors(exc, path, key_lines, 1, ConfigFile)) from None

    project = Project(root.resolve(), path, (root / config.output).resolve(), (), config.author)
    editions = tuple(
        Edition(cfg, key_lines.get(f"edition.{i}", 1), project)
        for i, cfg in enumerate(config.edition)
    )
    object.__setattr__(project, "editions", editions)
    _check_references(project, key_lines)
    return project


def _check_references(project: Project, key_lines: dict[str, int]) -> None:
    errors: list[DiglotError] = []
    seen: dict[str, int] = {}
    layouts_dirs = [project.root / "layouts", Path(__file__).parent / "layouts"]
    for index, edition in enumerate(project.editions):

        def line(key: str, index: int = index) -> int:
            return key_lines.get(f"edition.{index}.{key}", key_lines.get(f"edition.{index}", 1))

        if edition.name in seen:
            errors.append(
                ConfigError(
                    f"edition name {edition.name!r} is used twice "
                    f"(first on line {seen[edition.name]}); "
                    "names are output file names and must be unique",
                    project.config_path,
                    line("name"),
                )
            )
        seen.setdefault(edition.name, line("name"))
        if not edition.work_dir.is_dir():
            errors.append(
                ConfigError(
                    f"work {edition.config.work!r} not found: "
                    f"no folder sources/{edition.config.work}/",
                    project.config_path,
                    line("work"),
                )
            )
        else:
            for lang in edition.languages:
                if not edition.source(lang).exists():
                    errors.append(
                        ConfigError(
                            f"no {lang} text for work {edition.config.work!r}: "
                            f"sources/{edition.config.work}/{lang}.md is missing",
                            project.config_path,
                            line("languages"),
                        )
                    )
        if edition.config.layout == "facing" and len(edition.languages) != 2:
            errors.append(
                ConfigError(
                    "the facing layout needs exactly two languages (left and right pages)",
                    project.config_path,
                    line("languages"),
                )
            )
        template = f"{edition.config.layout}.html.j2"
        if edition.config.layout.startswith("_") or not any(
            (d / template).is_file() for d in layouts_dirs
        ):
            known = sorted(
                {
                    p.name.removesuffix(".html.j2")
                    for d in layouts_dirs
                    for p in d.glob("[!_]*.html.j2")
                }
            )
            errors.append(
                ConfigError(
                    f"unknown layout {edition.config.layout!r} (layouts: {', '.join(known)})",
                    project.config_path,
                    line("layout"),
                )
            )
    if errors:
        raise DiglotErrors(errors)


def _date_problem(text: str, number: int | None) -> str | None:
    """Why a date on line ``number`` is wrong: tomllib only says "Invalid
    date or datetime" (or "Expected newline" for a month 13)."""
    lines = text.splitlines()
    if number is None or not 0 < number <= len(lines):
        return None
    found = re.match(r"^\s*[A-Za-z0-9_-]+\s*=\s*(\d+-\d+(?:-\d+)?)(?![\d:T])", lines[number - 1])
    if found is None:
        return None
    try:
        parse_iso(found[1])
    except ValueError as exc:
        return f"invalid date: {exc}"
    return None


def _deep_line(text: str, limit: int = 50) -> int | None:
    """The first line where ``[``/``{`` nesting goes over ``limit`` (roughly:
    brackets inside strings count too; enough to point at the place)."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            depth += 1 if char in "[{" else -1 if char in "]}" else 0
            if depth > limit:
                return number
    return None


def _key_lines(text: str) -> dict[str, int]:
    """Line numbers of ``[[edition]]`` tables and their keys.

    tomllib gives no positions, and no maintained TOML parser for Python
    reports them either, so we find them in the text: enough to point an
    editor at the right line.
    """
    lines: dict[str, int] = {}
    table: str | None = None
    counts: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        header = re.match(r"^\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]", stripped)
        if header:
            name = header[1]
            index = counts.get(name, 0)
            counts[name] = index + 1
            table = f"{name}.{index}"
            lines[table] = number
            lines.setdefault(name, number)
            continue
        if re.match(r"^\[", stripped):
            table = stripped.strip("[] ")
            lines[table] = number
            continue
        key = re.match(r"^([A-Za-z0-9_-]+)\s*=", stripped)
        if key:
            lines[f"{table}.{key[1]}" if table else key[1]] = number
    return lines
