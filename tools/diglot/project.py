"""Read ``diglot.toml`` into typed objects and report every problem at once."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from diglot import sources
from diglot.dates import parse_iso
from diglot.errors import ConfigError, DiglotError, DiglotErrors
from diglot.languages import is_language_tag, locale
from diglot.where import CONFIG_NAME, nearest_root

FULL_DATE = "a publication date needs year, month and day (2026-11-23)"
PdfKind = Literal["screen", "print", "archive", "accessible"]


NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


def _author(value: str | dict[str, str] | None) -> str | dict[str, str] | None:
    """An author: a name, or a table of names by language (``{ kk =
    "diglot редакторлары", en = "diglot editors" }``): a bilingual cover
    names the editors in each of its languages."""
    if isinstance(value, dict):
        if not value:
            raise ValueError('give at least one name: { en = "..." }')
        unknown = [lang for lang in value if not is_language_tag(lang)]
        if unknown:
            raise ValueError("; ".join(_unknown_language(lang) for lang in unknown))
        if not all(name.strip() for name in value.values()):
            raise ValueError("a name is empty")
    return value


def _author_shape(value: Any) -> Any:
    ok = isinstance(value, str) or value is None
    if isinstance(value, dict):
        ok = all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    if not ok:
        raise ValueError('give a name, or a name per language: { en = "...", kk = "..." }')
    return value


Author = Annotated[
    str | dict[str, str] | None, BeforeValidator(_author_shape), AfterValidator(_author)
]


def author_for(author: str | dict[str, str] | None, languages: Sequence[str]) -> str | None:
    """The name an edition in ``languages`` prints for ``author``: with a
    table, the names of the edition's languages in its order (a language
    the table lacks is left out; none at all: the table's first name),
    joined by " · " as the cover joins its labels."""
    if not isinstance(author, dict):
        return author
    names = [author.get(lang) or author.get(lang.split("-")[0]) for lang in languages]
    found = list(dict.fromkeys(n for n in names if n))
    return " · ".join(found) if found else next(iter(author.values()))


class EditionConfig(BaseModel):
    """One ``[[edition]]`` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(pattern=NAME)]
    work: Annotated[str, Field(pattern=NAME)]
    languages: tuple[str, ...] = Field(min_length=1, max_length=3)
    layout: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")] = "booklet"
    paper: Literal["A5", "A4", "A6", "Letter", "half-letter"] = "A5"
    date: dt.date
    title: str | None = None
    author: Author = None
    pdf: PdfKind = "screen"
    columns: Literal[1, 2] = 1
    chronology: bool = True
    contents: bool = True
    align: Literal["auto", "justify", "ragged"] = "auto"  # auto: ragged in narrow columns
    # Facing pages: both languages at the page's measure, the shorter
    # language's page keeping its white at the foot ("same"), or the shorter
    # language's pages set narrower, margins and all, so that both pages of
    # a spread hold as much and end level ("fit"; diglot.facing.narrowing).
    measure: Literal["same", "fit"] = "same"
    # total-fit: paragraphs broken as a whole and hyphen ladders limited to 2
    # lines (extra layout passes: a build takes longer); first-fit: WeasyPrint's own.
    linebreak: Literal["first-fit", "total-fit"] = "total-fit"
    extra_css: tuple[str, ...] = ()  # the edition's own stylesheets, after the project's
    # Notes at the foot of the page where they are called, or all together
    # after the text (per language).
    notes: Literal["footnotes", "endnotes"] = "footnotes"

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        # A bare year (``date = 2026``) is an int, which pydantic would read
        # as seconds since 1970: read it as the partial date it is instead;
        # a float (``date = 86400.0``) would be read so too, and is no date.
        if isinstance(value, float):
            raise ValueError(f"{value!r}: {FULL_DATE}")
        if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
            parsed = parse_iso(value)
            if parsed.precision != "day":
                raise ValueError(f"{str(value)!r}: {FULL_DATE}")
            return parsed.as_date()
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [lang for lang in value if not is_language_tag(lang)]
        if unknown:
            raise ValueError("; ".join(_unknown_language(lang) for lang in unknown))
        if len(set(value)) != len(value):
            raise ValueError(f"{value!r}: a language is listed twice")
        return value


class Settings(BaseModel):
    """The keys of diglot.toml outside the ``[[edition]]`` tables."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    output: str = "output"
    author: Author = None  # who publishes the editions (PDF Author), or a name per language
    extra_css: tuple[str, ...] = ()  # stylesheets every edition adds after the built-in ones


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
        """Its author (the PDF's Author, the cover's "edited by") in its
        own languages: see :func:`author_for`."""
        return author_for(self.config.author or self.project.author, self.languages)

    def author_in(self, language: str) -> str | None:
        """Its author as the cover prints it beside ``language``'s words."""
        return author_for(self.config.author or self.project.author, [language])

    @property
    def work_dir(self) -> Path:
        return self.project.root / "sources" / self.config.work

    @property
    def output(self) -> Path:
        return self.project.output_dir / f"{self.name}.pdf"

    @property
    def extra_css(self) -> tuple[Path, ...]:
        """The project's extra stylesheets, then the edition's, in order."""
        names = (*self.project.extra_css, *self.config.extra_css)
        return tuple(self.project.root / name for name in dict.fromkeys(names))


@dataclass(frozen=True)
class Project:
    """A project as diglot.toml describes it: its folder, its output folder
    (inside it) and its editions."""

    root: Path  # the folder holding diglot.toml
    config_path: Path
    output_dir: Path
    editions: tuple[Edition, ...]
    author: str | dict[str, str] | None = None
    extra_css: tuple[str, ...] = ()
    # Every project-level setting of diglot.toml (all but the editions):
    # what an edition's output depends on besides its own entry.
    settings: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def edition(self, name: str) -> Edition:
        for edition in self.editions:
            if edition.name == name:
                return edition
        from diglot.errors import UsageError

        names = [e.name for e in self.editions]
        hint = suggest(name, names)
        known = f"{hint + ' ' if hint else ''}editions: {', '.join(names)}"
        raise UsageError(
            f"no edition named {name!r} ({known})",
            self.config_path,
        )

    def select(self, names: tuple[str, ...] | list[str]) -> list[Edition]:
        return [self.edition(n) for n in names] if names else list(self.editions)


def suggest(value: str, known: Iterable[str]) -> str:
    """ "did you mean 'x'?" for the closest known name, or "" when none is close."""
    hint = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f"did you mean {hint[0]!r}?" if hint else ""


def _unknown_language(tag: str) -> str:
    # A language written by name ("German", "deutsch") or a near miss ("azz").
    by_name = {
        name.casefold(): code
        for tag_locale in ("en", tag[:2] if is_language_tag(tag[:2]) else "en")
        for code, name in locale(tag_locale).languages.items()
        if is_language_tag(code)
    }
    hint = (
        f"did you mean {by_name[tag.casefold()]!r}?"
        if tag.casefold() in by_name
        else suggest(tag.casefold(), _labelled_languages())
    )
    return f"unknown language tag {tag!r} (Babel has no locale for it{'; ' + hint if hint else ''})"


def _labelled_languages() -> list[str]:
    """Languages diglot has labels for: the likely meaning of a near miss
    (suggesting among all of CLDR's locales turns 'xq' into 'xdq')."""
    from diglot import render  # render's templates are not needed to read a diglot.toml

    return sorted({lang for words in render.builtin_labels().values() for lang in words})


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds diglot.toml."""
    found = nearest_root(start)
    if found is not None:
        return found
    raise ConfigError(
        f"no {CONFIG_NAME} here or in any parent folder; run diglot inside a project "
        "or pass --project DIR (or start one with: diglot new DIR)",
        start,
    )


def load(root: Path, texts_of: Sequence[str] | None = None) -> Project:
    """Read and validate ``root/diglot.toml``; raise all problems together.

    With ``texts_of`` (edition names; empty for every edition), the texts
    of those editions are read too and their problems reported in the same
    run, each file once.
    """
    path = root / CONFIG_NAME
    if not path.is_file():
        raise ConfigError(f"no {CONFIG_NAME} in this folder", root)
    text, data = _read_toml(path)
    key_lines = _key_lines(text)
    errors: list[DiglotError] = []

    def problem(message: str, key: str) -> None:
        errors.append(ConfigError(message, path, key_lines.get(key, 1)))

    top = {k: v for k, v in data.items() if k != "edition"}
    settings = Settings()
    try:
        settings = Settings.model_validate(top)
    except ValidationError as exc:
        for key, message in _messages(exc, Settings):
            problem(message, key)

    tables = _edition_tables(data.get("edition"), problem)
    try:
        output_dir = _output_dir(root, settings.output, path, key_lines.get("output"))
    except ConfigError as exc:
        errors.append(exc)
        output_dir = root.resolve() / "output"
    project = Project(
        root.resolve(),
        path,
        output_dir,
        (),
        settings.author,
        settings.extra_css,
        settings.model_dump(mode="json"),
    )
    object.__setattr__(project, "editions", _editions(project, tables, key_lines, problem))
    errors += _check_references(project, key_lines, tables)
    if texts_of is not None:
        wanted = [t for t in tables if not texts_of or _table_name(t[1]) in texts_of]
        errors += source_problems(project.root, _named_texts(project.root, wanted))
    if errors:
        raise DiglotErrors(errors)
    return project


def _edition_tables(raw: object, problem: Callable[[str, str], None]) -> list[tuple[str, object]]:
    """The ``[[edition]]`` tables with their key prefix (``edition.0``, ...)."""
    if raw is None:
        problem(
            "no editions: add an [[edition]] table with name, work, languages and date",
            "edition",
        )
    elif isinstance(raw, dict):
        problem(
            "[edition] declares a single table; write [[edition]] (two brackets) "
            "above each edition, so that there can be several",
            "edition",
        )
        return [("edition", raw)]
    elif isinstance(raw, list):
        return [(f"edition.{i}", table) for i, table in enumerate(raw)]
    else:
        problem(f"edition = {raw!r}: editions are [[edition]] tables", "edition")
    return []


def _editions(
    project: Project,
    tables: list[tuple[str, object]],
    key_lines: dict[str, int],
    problem: Callable[[str, str], None],
) -> tuple[Edition, ...]:
    """The editions whose tables are valid; each problem of the others is told."""
    editions = []
    for index, (prefix, table) in enumerate(tables):
        label = _edition_label(table, index)
        try:
            config = EditionConfig.model_validate(table)
        except ValidationError as exc:
            for key, message in _messages(exc, EditionConfig):
                # a key the table lacks (missing) is pointed at by its table's line
                where = f"{prefix}.{key}" if key else prefix
                problem(f"{label}: {message}", where if where in key_lines else prefix)
            continue
        # an inline array of tables (edition = [{...}]) is located at its key
        editions.append(
            Edition(config, key_lines.get(prefix, key_lines.get("edition", 1)), project)
        )
    return tuple(editions)


def _output_dir(root: Path, value: str, config_path: Path, line: int | None) -> Path:
    """The output folder, which must lie inside the project (and not be it):
    ``output = "../elsewhere"`` or a committed ``output`` link to another
    folder would let a project write wherever it likes."""
    base = root.resolve()
    folder = base / value
    target = folder.resolve()
    if target.is_relative_to(base) and target != base:
        return target
    link = next((p for p in (*reversed(folder.parents), folder) if p.is_symlink()), None)
    if link is not None and link.is_relative_to(base):
        raise ConfigError(
            f"the output folder is a link to {link.readlink()}, outside the project; "
            "diglot writes only inside the project: remove the link",
            link,
        )
    raise ConfigError(
        f"output {value!r} is not a folder inside the project; "
        'use a path inside it such as "output"',
        config_path,
        line,
    )


def source_problems(root: Path, paths: Iterable[Path]) -> list[DiglotError]:
    """Every problem in the texts at ``paths``, each file read once; a
    missing file is left to whoever names it."""
    errors: list[DiglotError] = []
    for path in dict.fromkeys(paths):
        if not path.exists():
            continue
        try:
            sources.load(path, root)
        except DiglotErrors as exc:
            errors += exc.errors
        except DiglotError as exc:
            errors.append(exc)
    return errors


def _named_texts(root: Path, tables: list[tuple[str, object]]) -> list[Path]:
    """The source files the edition tables name (as far as they can be read)."""
    paths = []
    for _prefix, table in tables:
        if not isinstance(table, dict):
            continue
        work, languages = table.get("work"), table.get("languages")
        if isinstance(work, str) and re.match(NAME, work) and isinstance(languages, list):
            paths += [
                root / "sources" / work / f"{lang}.md"
                for lang in languages
                if isinstance(lang, str) and is_language_tag(lang)
            ]
    return paths


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise ConfigError(f"not valid UTF-8 at byte {exc.start}", path, line) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        message = re.sub(r" ?\(at line \d+, column \d+\)", "", str(exc))
        number = int(match[1]) if match else None
        raise ConfigError(
            _date_problem(text, number) or f"not valid TOML: {message}", path, number
        ) from None
    except RecursionError:
        raise ConfigError("nested too deeply", path, _deep_line(text)) from None


def _table_name(table: object) -> str | None:
    name = table.get("name") if isinstance(table, dict) else None
    return name if isinstance(name, str) and name else None


def _edition_label(table: object, index: int) -> str:
    name = _table_name(table)
    if name:
        return f"edition {name!r}"
    return f"edition {index + 1} (it has no name)"


def _messages(exc: ValidationError, model: type[BaseModel]) -> list[tuple[str, str]]:
    """(key, message) for each of pydantic's errors, in the words of diglot.toml:
    the key as written, the bad value echoed, a close key name suggested."""
    out: list[tuple[str, str]] = []
    raw = exc.errors()
    for err in raw:
        loc = [str(p) for p in err["loc"]]
        if err["type"] == "too_short" and any(len(o["loc"]) > len(loc) for o in raw):
            continue  # "no valid items" is a consequence of the items' own errors
        key = loc[0] if loc else ""
        shown = key + "".join(f"[{p}]" for p in loc[1:])
        kind = err["type"]
        msg = str(err["msg"]).removeprefix("Value error, ")
        if kind == "missing":
            message = f"missing required key {shown!r}"
        elif kind == "extra_forbidden":
            known = sorted(model.model_fields)
            hint = suggest(key, known)
            message = f"unknown key {shown!r} ({hint or 'known keys: ' + ', '.join(known)})"
        elif kind == "value_error":
            message = f"{shown}: {msg}"
        else:
            message = f"{shown} = {err['input']!r}: {msg[:1].lower()}{msg[1:]}"
        out.append((key, message))
    return out


def _check_references(
    project: Project, key_lines: dict[str, int], tables: list[tuple[str, object]]
) -> list[DiglotError]:
    """Names in diglot.toml that point at nothing: works, texts, layouts,
    stylesheets, a name used twice. Checked on the tables as written, so an
    edition with a wrong paper size still has its misspelt layout reported."""
    errors: list[DiglotError] = []
    seen: dict[str, int] = {}
    layouts_dirs = [project.root / "layouts", Path(__file__).parent / "layouts"]
    layouts = sorted(
        {p.name.removesuffix(".html.j2") for d in layouts_dirs for p in d.glob("[!_]*.html.j2")}
    )
    works = sorted(p.name for p in (project.root / "sources").glob("*") if p.is_dir())

    def problem(message: str, line: int) -> None:
        errors.append(ConfigError(message, project.config_path, line))

    for css in project.extra_css:
        problem_text = _css_problem(project.root, css)
        if problem_text:
            problem(problem_text, key_lines.get("extra_css", 1))
    for index, (prefix, table) in enumerate(tables):
        if not isinstance(table, dict):
            continue
        label = _edition_label(table, index)

        def line(key: str, prefix: str = prefix) -> int:
            return key_lines.get(
                f"{prefix}.{key}", key_lines.get(prefix, key_lines.get("edition", 1))
            )

        name = table.get("name")
        if isinstance(name, str):
            if name in seen:
                problem(
                    f"edition name {name!r} is used twice (first on line {seen[name]}); "
                    "names are output file names and must be unique",
                    line("name"),
                )
            seen.setdefault(name, line("name"))
        languages = table.get("languages")
        languages = (
            [x for x in languages if isinstance(x, str)] if isinstance(languages, list) else []
        )
        found = [
            *_text_problems(project.root, table.get("work"), languages, works),
            *_layout_problems(
                table.get("layout", "booklet"), languages, layouts, table.get("measure")
            ),
        ]
        extra = table.get("extra_css", [])
        for css in extra if isinstance(extra, list) else []:
            problem_text = _css_problem(project.root, css) if isinstance(css, str) else None
            if problem_text:
                found.append((problem_text, "extra_css"))
        for message, key in found:
            problem(f"{label}: {message}", line(key))
    return errors


def _text_problems(
    root: Path, work: object, languages: list[str], works: list[str]
) -> Iterator[tuple[str, str]]:
    """A work with no folder, a language with no text; with the key to blame."""
    work_dir = root / "sources" / work if isinstance(work, str) else None
    if isinstance(work, str) and re.match(NAME, work) and work_dir and not work_dir.is_dir():
        hint = suggest(work, works)
        yield (
            f"work {work!r} not found: no folder sources/{work}/" + (f" ({hint})" if hint else ""),
            "work",
        )
    elif work_dir is not None and work_dir.is_dir():
        have = sorted(p.stem for p in work_dir.glob("*.md") if is_language_tag(p.stem))
        for lang in languages:
            if is_language_tag(lang) and not (work_dir / f"{lang}.md").exists():
                yield (
                    (
                        f"no {lang} text for work {work!r}: "
                        f"sources/{work}/{lang}.md is missing (texts: {', '.join(have)}; "
                        f"start one with: diglot add-language {work} {lang})"
                    ),
                    "languages",
                )


def _layout_problems(
    layout: object, languages: list[str], layouts: list[str], measure: object = None
) -> Iterator[tuple[str, str]]:
    """A layout that does not exist, facing pages for other than two
    languages, or a facing page's measure asked of another layout."""
    if layout == "facing" and len(languages) != 2:
        yield "the facing layout needs exactly two languages (left and right pages)", "languages"
    if measure == "fit" and layout != "facing":
        yield "measure = 'fit' is for the facing layout (left and right pages)", "measure"
    if isinstance(layout, str) and (layout.startswith("_") or layout not in layouts):
        hint = suggest(layout, layouts)
        yield f"unknown layout {layout!r} ({hint or 'layouts: ' + ', '.join(layouts)})", "layout"


def _css_problem(root: Path, name: str) -> str | None:
    """Why an ``extra_css`` entry cannot be used, or None."""
    path = root / name
    if not name.endswith(".css"):
        return f"extra_css {name!r}: a stylesheet's name ends in .css"
    if Path(name).is_absolute() or not path.resolve().is_relative_to(root.resolve()):
        return f"extra_css {name!r}: stylesheets must be files inside the project"
    if not path.is_file():
        found = sorted(p.relative_to(root).as_posix() for p in root.glob("styles/*.css"))
        hint = suggest(name, found)
        return f"extra_css {name!r}: no such file" + (f" ({hint})" if hint else "")
    return None


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
        parsed = parse_iso(found[1])
    except ValueError as exc:
        return f"invalid date: {exc}"
    if parsed.precision != "day":  # 2026-11 is not TOML, and not a whole date
        return f"invalid date: {found[1]!r}: {FULL_DATE}"
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
        key = re.match(r'^"?([A-Za-z0-9_-]+)"?\s*=', stripped)
        if key:
            lines[f"{table}.{key[1]}" if table else key[1]] = number
    return lines
