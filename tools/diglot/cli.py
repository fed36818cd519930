"""The ``diglot`` command: Click only. Each command calls the library, prints
its results, and maps :class:`DiglotError` to ``path:line: message`` and an
exit code (1 for a failed build, 2 for a usage error)."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from diglot import __version__
from diglot.errors import DiglotError, UsageError

if TYPE_CHECKING:
    from diglot import project as project_mod
    from diglot.renderer import Renderer

# Modules are imported inside the commands that need them: `diglot --help`
# stays quick, and `diglot build` can start WeasyPrint in a second process
# before it pays for its own imports (see diglot.renderer).

F = TypeVar("F", bound=Callable[..., Any])


class State:
    def __init__(self) -> None:
        self.project_dir: Path | None = None
        self.debug = False

    def root(self) -> Path:
        from diglot import project as project_mod

        if self.project_dir is not None:
            return project_mod.find_root(self.project_dir)
        return project_mod.find_root(Path.cwd())

    def project(self) -> project_mod.Project:
        from diglot import project as project_mod

        return project_mod.load(self.root())


def _set_project(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.ensure_object(State).project_dir = value


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(State).debug = True


def common_options(func: F) -> F:
    """--project, --debug and --version, accepted before or after the command name."""
    func = click.version_option(__version__, prog_name="diglot")(func)
    func = click.option(
        "--project",
        type=click.Path(file_okay=False, path_type=Path),
        expose_value=False,
        callback=_set_project,
        is_eager=True,
        help="Project folder (default: the nearest one with diglot.toml).",
    )(func)
    func = click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        callback=_set_debug,
        is_eager=True,
        help="Show Python tracebacks for errors.",
    )(func)
    return func


def reports_errors(func: F) -> F:
    """Print DiglotErrors as `path:line: message` lines and exit 1 (2 for usage)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        state = click.get_current_context().ensure_object(State)
        try:
            return func(*args, **kwargs)
        except DiglotError as exc:
            if state.debug:
                raise
            root = _root_or_none(state)
            click.echo(exc.format(root), err=True)
            sys.exit(2 if isinstance(exc, UsageError) else 1)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug, not a mistake in the input: no traceback unless asked
            if state.debug:
                raise
            detail = " ".join(f"{type(exc).__name__}: {exc}".split())
            click.echo(
                f"diglot: internal error: {detail} "
                "(rerun with --debug for the traceback, and please report it)",
                err=True,
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _root_or_none(state: State) -> Path | None:
    try:
        return state.root()
    except DiglotError:
        return None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@common_options
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Publish bilingual booklets and handouts from texts and their translations.

    diglot reads the editions declared in diglot.toml, merges each work's
    texts (sources/<work>/<lang>.md) into a layout, and writes PDFs to output/.
    """
    ctx.ensure_object(State)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@common_options
@reports_errors
def editions(fmt: str) -> None:
    """List the editions with their languages, layout, paper and translation completeness."""
    from diglot import status

    state = click.get_current_context().ensure_object(State)
    project = state.project()
    rows = status.editions(project)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    headers = ["name", "languages", "layout", "paper", "output", "translated"]
    table = [
        [
            r["name"],
            "-".join(r["languages"]),
            r["layout"],
            r["paper"],
            r["output"],
            ", ".join(f"{lang} {share:.0%}" for lang, share in r["translated"].items()) or "-",
        ]
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *table, strict=False)]
    for line in [headers, *table]:
        click.echo("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)).rstrip())


@cli.command()
@click.argument("names", nargs=-1)
@click.option(
    "--html",
    "write_html",
    is_flag=True,
    help="Also write output/<name>.html (the HTML given to WeasyPrint).",
)
@click.option(
    "--impose",
    type=click.Choice(["saddle"]),
    help="Also write output/<name>-saddle.pdf: pages two-up in saddle-stitch order.",
)
@click.option(
    "--sheet",
    type=click.Choice(["auto", "a4", "letter"]),
    default="auto",
    show_default=True,
    help="Sheet for --impose (auto: A5 on A4, half-Letter on Letter).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    help="Editions to build at once, one process each (default: number of cores).",
)
@click.option("--force", is_flag=True, help="Rebuild even editions that are up to date.")
@click.option(
    "--dask",
    "dask_address",
    metavar="tcp://HOST:PORT",
    help="Build on this dask.distributed scheduler's workers (pip install 'diglot[dask]').",
)
@click.option(
    "--check",
    "run_check",
    is_flag=True,
    help="Run diglot check first and build nothing if it finds errors.",
)
@common_options
@reports_errors
def build(
    names: tuple[str, ...],
    write_html: bool,
    impose: str | None,
    sheet: str,
    jobs: int | None,
    force: bool,
    dask_address: str | None,
    run_check: bool,
) -> None:
    """Build the named editions (default: all) into output/<name>.pdf.

    Editions build in parallel, one process each (--jobs, default: the
    number of cores). An edition whose texts, chronology, layouts, styles,
    diglot.toml entry, fonts and diglot version are unchanged since its last
    build is skipped; --force rebuilds it anyway.
    """
    state = click.get_current_context().ensure_object(State)
    # Editions built one after another get a warm WeasyPrint process; a
    # batch in parallel forks its workers after importing WeasyPrint, and
    # --debug keeps everything in one process for full tracebacks.
    one_at_a_time = len(names) == 1 or (jobs or os.cpu_count() or 1) == 1
    with contextlib.ExitStack() as stack:
        if one_at_a_time and not state.debug and not dask_address:
            from diglot.renderer import Renderer

            renderer = stack.enter_context(Renderer())
        else:
            renderer = None
        _build(
            state, names, write_html, impose, sheet, jobs, force, run_check, renderer, dask_address
        )


def _build(
    state: State,
    names: tuple[str, ...],
    write_html: bool,
    impose: str | None,
    sheet: str,
    jobs: int | None,
    force: bool,
    run_check: bool,
    renderer: Renderer | None,
    dask_address: str | None = None,
) -> None:
    from diglot import build as build_mod

    project = state.project()
    selected = project.select(names)
    if run_check:
        from diglot import check as check_mod

        refused = []
        for edition in selected:
            findings = check_mod.check_edition(edition)
            for finding in findings:
                click.echo(finding.format(project.root), err=True)
            if any(f.severity == "error" for f in findings):
                refused.append(edition.name)
        if refused:
            click.echo(f"not built, check found errors: {', '.join(refused)}", err=True)
            sys.exit(1)
    workers = 1 if state.debug else (jobs or os.cpu_count() or 1)
    if not dask_address:  # workers have fonts of their own
        _prepare_fonts(workers)
    progress = _is_terminal() and len(selected) > 1
    failed = 0
    for done, outcome in enumerate(
        build_mod.build_many(
            selected,
            workers,
            write_html,
            force,
            raise_errors=state.debug,
            renderer=renderer,
            dask=dask_address,
        ),
        start=1,
    ):
        prefix = f"[{done}/{len(selected)}] " if progress else ""
        edition = project.edition(outcome.name)
        if outcome.error is not None:
            failed += 1
            for line in outcome.error.splitlines():
                click.echo(f"{prefix}{line}", err=True)
            continue
        rel = _rel(edition.output, project.root)
        if outcome.skipped:
            click.echo(f"{prefix}{edition.name}: {rel} is up to date")
        else:
            built = outcome.built
            assert built is not None
            for warning in built.warnings:
                click.echo(f"{prefix}{edition.name}: warning: {warning}", err=True)
            passes = f", {built.passes} layout passes" if built.passes > 1 else ""
            stats = f"{built.pages} pages{passes}, {built.seconds:.1f} s"
            click.echo(f"{prefix}{edition.name}: {rel} ({stats})")
        if impose:
            saddle = edition.output.with_name(f"{edition.output.stem}-saddle.pdf")
            if (
                outcome.skipped
                and saddle.exists()
                and (saddle.stat().st_mtime >= edition.output.stat().st_mtime)
            ):
                continue
            try:
                sides, path = _impose(edition.output, sheet)
            except DiglotError as exc:
                failed += 1
                click.echo(exc.format(project.root), err=True)
                continue
            click.echo(
                f"{prefix}{edition.name}: {_rel(path, project.root)} ({sides // 2} sheets, imposed)"
            )
    if failed:
        click.echo(f"{failed} of {len(selected)} edition(s) failed", err=True)
        sys.exit(1)


def _prepare_fonts(workers: int) -> None:
    """Make the static font instances builds print with, once per machine."""
    from diglot import fonts

    fonts.prepare_static(workers, report=lambda message: click.echo(f"diglot: {message}", err=True))


def _is_terminal() -> bool:
    return sys.stdout.isatty()


def _rel(path: Path, root: Path) -> Path:
    return path.relative_to(root) if path.is_relative_to(root) else path


def _impose(pdf: Path, sheet: str) -> tuple[int, Path]:
    from diglot.impose import impose_saddle

    dest = pdf.with_name(f"{pdf.stem}-saddle.pdf")
    return impose_saddle(pdf, dest, sheet), dest


@cli.command()
@click.argument("names", nargs=-1)
@click.option(
    "--sheet",
    type=click.Choice(["auto", "a4", "letter"]),
    default="auto",
    show_default=True,
    help="Sheet size (auto: A5 on A4, half-Letter on Letter).",
)
@common_options
@reports_errors
def impose(names: tuple[str, ...], sheet: str) -> None:
    """Impose built editions for saddle stitching: output/<name>-saddle.pdf.

    Pages are placed two-up on landscape sheets in fold order and padded
    with blank pages to a multiple of four. Print double-sided, flipping on
    the short edge, stack, fold and staple.
    """
    state = click.get_current_context().ensure_object(State)
    project = state.project()
    for edition in project.select(names):
        if not edition.output.exists():
            raise UsageError(
                f"{_rel(edition.output, project.root)} is not built yet: run diglot build "
                f"{edition.name}",
                project.config_path,
            )
        sides, path = _impose(edition.output, sheet)
        click.echo(f"{edition.name}: {_rel(path, project.root)} ({sides // 2} sheets)")


@cli.command()
@click.argument("name")
@click.option("--pages", help="Pages to render, e.g. 1-4,7 (default: all).")
@click.option(
    "--dpi",
    type=click.IntRange(10, 600),
    default=60,
    show_default=True,
    help="Resolution of the PNG files.",
)
@common_options
@reports_errors
def preview(name: str, pages: str | None, dpi: int) -> None:
    """Write PNG thumbnails of a built edition's pages to output/preview/."""
    from diglot.preview import thumbnails

    state = click.get_current_context().ensure_object(State)
    project = state.project()
    edition = project.edition(name)
    if not edition.output.exists():
        raise UsageError(
            f"{_rel(edition.output, project.root)} is not built yet: run diglot build {name}",
            project.config_path,
        )
    for path in thumbnails(edition.output, project.output_dir / "preview", pages, dpi):
        click.echo(str(_rel(path, project.root)))


@cli.command()
@click.argument("names", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one 'path:line: code: message' a line; json: a list of objects.",
)
@click.option("--strict", is_flag=True, help="Count warnings as errors (exit 1).")
@common_options
@reports_errors
def check(names: tuple[str, ...], fmt: str, strict: bool) -> None:
    """Check translations: missing segments, dates and numbers that differ,
    duplicates, sentences in another language, OCR debris, lengths.

    NAMES are edition names or work folders under sources/ (default: every
    work). Exit code 0 without errors, 1 with errors (--strict: or warnings).
    """
    from diglot import check as check_mod

    state = click.get_current_context().ensure_object(State)
    project = state.project()
    findings = check_mod.check_names(project, names)
    if fmt == "json":
        data = [f.as_dict(project.root) for f in findings]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(finding.format(project.root))
    if check_mod.has_errors(findings, strict):
        sys.exit(1)


@cli.group()
@common_options
def po() -> None:
    """Exchange translations with translators as PO files.

    One PO file holds one work in one language: msgctxt is the segment id,
    msgid the original text, msgstr the translation.
    """


@po.command("export")
@click.argument("work")
@click.argument("language")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE (default: standard output). An existing FILE is "
    "updated: entries whose original changed since are marked fuzzy.",
)
@common_options
@reports_errors
def po_export(work: str, language: str, output: Path | None) -> None:
    """Export WORK's segments with their LANGUAGE translations as a PO file."""
    from diglot import po as po_mod

    state = click.get_current_context().ensure_object(State)
    root = state.root()
    exported = po_mod.export_po(root, work, language, output)
    if output is None:
        click.echo(po_mod.catalog_bytes(exported.catalog).decode("utf-8"), nl=False)
        return
    click.echo(
        f"{output}: {exported.segments} segment(s), {exported.translated} translated, "
        f"{exported.fuzzy} fuzzy"
    )


@po.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--include-fuzzy",
    is_flag=True,
    help="Also apply fuzzy entries and entries whose original changed since export.",
)
@common_options
@reports_errors
def po_import(file: Path, include_fuzzy: bool) -> None:
    """Write the translations of a PO FILE into sources/<work>/<lang>.md.

    Only the lines of changed segments are rewritten; front matter, ids and
    untranslated segments stay as they are.
    """
    from diglot import po as po_mod

    state = click.get_current_context().ensure_object(State)
    root = state.root()
    result = po_mod.import_po(root, file, include_fuzzy)
    for seg_id, why in result.skipped:
        click.echo(f"{file}: {seg_id}: not applied: {why}", err=True)
    click.echo(
        f"{po_mod.shown(result.path, root)}: {len(result.updated)} updated, "
        f"{len(result.inserted)} inserted, {result.unchanged} unchanged, "
        f"{result.untranslated} untranslated, {len(result.skipped)} skipped"
    )


def main() -> None:
    cli(prog_name="diglot")


if __name__ == "__main__":
    main()
