"""Start from diglot's own files: a new project (``diglot new``), a
translation skeleton (``diglot add-language``) and a copy of a built-in
layout or stylesheet (``diglot layouts copy``).

The sample project lives in ``scaffold/project/`` as package data; its
``diglot.toml`` and ``README.md`` are :class:`string.Template` texts.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from string import Template
from typing import Any

import yaml

from diglot import sources
from diglot.dates import language_name
from diglot.errors import UsageError
from diglot.files import atomic_write
from diglot.languages import base_language, is_language_tag
from diglot.project import NAME, suggest
from diglot.where import CONFIG_NAME

TEMPLATE = Path(__file__).resolve().parent / "project"
BUILTIN = Path(__file__).resolve().parent.parent
DEFAULT_LANGUAGES = ("az", "en")
DEFAULT_WORK = "sample"


def new_project(
    dest: Path,
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    work: str = DEFAULT_WORK,
    today: dt.date | None = None,
) -> list[Path]:
    """Write a working project into ``dest`` (absent or empty): diglot.toml
    with a booklet, a facing and a handout edition, a sample work in two
    languages, a README and a .gitignore. Returns the files written.

    The files are written to a temporary folder next to ``dest`` and moved
    into place at the end: a failure leaves no half-made project.
    """
    first, second = _pair(languages)
    if not re.match(NAME, work):
        raise UsageError(f"--work {work!r}: use letters, digits, '.', '_' and '-'")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise UsageError("already exists and is not empty; choose a new folder", dest)
    values = {
        "work": work,
        "first": first,
        "second": second,
        "date": (today or dt.date.today()).isoformat(),
        "author": "The editors",
        "title": _sample_meta(first)["title"],
    }
    files: dict[str, str] = {
        CONFIG_NAME: Template(_read("diglot.toml")).substitute(values),
        "README.md": Template(_read("README.md")).substitute(values),
        ".gitignore": _read("gitignore"),
        "styles/house.css": _read("styles/house.css"),
        f"sources/{work}/images/river.svg": _read("images/river.svg"),
        f"sources/{work}/{first}.md": _sample_text(first, None),
        f"sources/{work}/{second}.md": _sample_text(second, first),
        f"sources/{work}/dates.yaml": _sample_dates((first, second)),
    }
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    try:
        for name, text in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if dest.exists():
            dest.rmdir()  # empty, checked above
        staging.rename(dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [dest / name for name in files]


def _pair(languages: Sequence[str]) -> tuple[str, str]:
    if len(languages) != 2 or languages[0] == languages[1]:
        raise UsageError(
            f"--languages {','.join(languages)!r}: give two different languages, "
            "the original first (e.g. az,en)"
        )
    for lang in languages:
        if not is_language_tag(lang):
            raise UsageError(f"--languages: unknown language tag {lang!r} (Babel has no locale)")
    return languages[0], languages[1]


def _read(name: str) -> str:
    return (TEMPLATE / name).read_text(encoding="utf-8")


def _sample_file(language: str) -> Path | None:
    for tag in (language, base_language(language)):
        path = TEMPLATE / "samples" / f"{tag}.md"
        if path.is_file():
            return path
    return None


def _split(text: str) -> tuple[dict[str, Any], str]:
    """Front matter (as data) and body of a source text."""
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def _sample_meta(language: str) -> dict[str, Any]:
    return _split((_sample_file(language) or TEMPLATE / "samples" / "en.md").read_text("utf-8"))[0]


def _sample_text(language: str, original: str | None) -> str:
    """The sample in ``language`` (the English one, to be translated, when
    diglot has none in that language), as the original or a translation."""
    path = _sample_file(language)
    meta, body = _split((path or TEMPLATE / "samples" / "en.md").read_text("utf-8"))
    note = ""
    if path is None:
        name = language_name(language, "en")
        note = f"# The English sample, to be replaced by the {name} text.\n"
    meta["language"] = language
    if original is not None:
        meta["role"] = "translation"
        meta["original"] = original
        meta["provenance"] = {
            "source": meta["provenance"]["source"],
            "translated_by": "diglot",
            "licence": meta["provenance"]["licence"],
        }
    return _with_front_matter(meta, body, note)


def _with_front_matter(meta: dict[str, Any], body: str, comment: str = "") -> str:
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=88)
    return f"---\n{comment}{front}---\n{body}"


def _sample_dates(languages: Sequence[str]) -> str:
    entries = yaml.safe_load(_read("samples/events.yaml"))
    for entry in entries:
        events = entry["event"]
        # a regional tag (ru-RU) takes its language's wording, as its sample text does
        entry["event"] = {
            lang: events.get(lang) or events.get(base_language(lang)) or events["en"]
            for lang in languages
        }
    return yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=88)


# -- a translation skeleton -------------------------------------------------------


def add_language(root: Path, work: str, language: str) -> tuple[Path, int]:
    """Write ``sources/<work>/<language>.md``: every segment id of the
    original, each with the original text in place to be translated over.
    Returns the file and the number of segments."""
    folder = root / "sources" / work
    works = sorted(p.name for p in (root / "sources").glob("*") if p.is_dir())
    if not re.match(NAME, work) or not folder.is_dir():
        hint = suggest(work, works)
        raise UsageError(
            f"no work named {work!r} ({hint or 'works: ' + (', '.join(works) or 'none')})",
            root / "sources",
        )
    if not is_language_tag(language):
        raise UsageError(f"unknown language tag {language!r} (Babel has no locale for it)", root)
    dest = folder / f"{language}.md"
    if dest.exists():
        raise UsageError("already exists; translate it there, or remove it to start again", dest)
    texts = [p for p in sorted(folder.glob("*.md")) if is_language_tag(p.stem)]
    originals = [d for d in (sources.load(p, root) for p in texts) if d.meta.role == "original"]
    if not originals:
        raise UsageError(f"sources/{work}/ has no text with 'role: original'", folder)
    original = originals[0]
    body = _segments_as_written(sources.read_text(original.path, root))
    meta: dict[str, Any] = {
        "title": original.meta.title,
        "language": language,
        "role": "translation",
        "original": original.language,
        "provenance": {
            "source": f"Translation of sources/{work}/{original.path.name}",
            "translated_by": None,
            "licence": original.meta.provenance.licence,
        },
    }
    name = language_name(language, "en")
    comment = (
        f"# A {name} translation of {original.path.name}: each segment below still holds\n"
        "# the original text; write the translation in its place (and the title above).\n"
    )
    text = _with_front_matter(meta, body, comment)
    atomic_write(dest, text.encode("utf-8"))
    return dest, sum(1 for line in body.splitlines() if sources.ID_LINE.match(line.strip()))


def _segments_as_written(text: str) -> str:
    """The body of a source text from its first ``{#id}`` line, as written
    (footnotes, lists, verse and all)."""
    lines = text.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    body = lines[end + 1 :]
    first = next((i for i, line in enumerate(body) if sources.ID_LINE.match(line.strip())), 0)
    return "\n" + "\n".join(body[first:]).rstrip("\n") + "\n"


# -- copies of built-in layouts and styles ------------------------------------------


def builtin_files() -> list[str]:
    """``layouts/…`` and ``styles/…`` files a project can copy and change."""
    return sorted(
        f"{folder}/{p.name}"
        for folder in ("layouts", "styles")
        for p in (BUILTIN / folder).iterdir()
        if p.is_file() and not p.name.startswith(".")
    )


def copy_builtin(root: Path, name: str, force: bool = False) -> list[Path]:
    """Copy a built-in layout (``booklet``: its template and stylesheet), a
    template or stylesheet by file name, or ``labels.yaml`` into the
    project, where it replaces the built-in one. Returns the files written."""
    known = builtin_files()
    wanted = [
        f
        for f in known
        if f.split("/", 1)[1] in (name, f"{name}.html.j2", f"{name}.css") or f == name
    ]
    if not wanted:
        names = sorted(
            {f.split("/", 1)[1].removesuffix(".html.j2").removesuffix(".css") for f in known}
        )
        hint = suggest(name, names)
        raise UsageError(
            f"no built-in layout or stylesheet named {name!r} "
            f"({hint or 'there are: ' + ', '.join(names)})"
        )
    written = []
    for rel in wanted:
        dest = root / rel
        if dest.exists() and not force:
            raise UsageError("already exists in the project (--force replaces it)", dest)
        atomic_write(dest, (BUILTIN / rel).read_bytes(), root)
        written.append(dest)
    return written
