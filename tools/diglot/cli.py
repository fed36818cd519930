"""The ``diglot`` command: Click only. Each command calls the library, prints
its results, and maps :class:`DiglotError` to ``path:line: message`` and an
exit code (1 for a failed build, 2 for a usage error)."""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from diglot import __version__, files
from diglot import project as project_mod
from diglot.errors import BuildError, DiglotError, UsageError, shown_path
from diglot.scaffold import DEFAULT_LANGUAGES, DEFAULT_WORK

# Heavy modules (WeasyPrint, fontTools, Babel's data) are imported inside the
# commands that need them: `diglot --help` and `diglot editions` stay quick.

F = TypeVar("F", bound=Callable[..., Any])


class State:
    def __init__(self) -> None:
        self.project_dir: Path | None = None
        self.debug = False

    def root(self) -> Path:
        if self.project_dir is not None:
            return project_mod.find_root(self.project_dir)
        return project_mod.find_root(Path.cwd())

    def project(self, names: tuple[str, ...] | None = None) -> project_mod.Project:
        """The project; with ``names`` (empty: every edition), every problem of
        diglot.toml and of those editions' texts is reported at once."""
        return project_mod.load(self.root(), names)


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


def format_option(choices: list[str], help: str) -> Callable[[F], F]:
    """--format with its choices, the first the default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help=help,
    )


def dpi_option(help: str) -> Callable[[F], F]:
    """--dpi for PNG pages, 60 by default."""
    return click.option(
        "--dpi", type=click.IntRange(10, 600), default=60, show_default=True, help=help
    )


def sheet_option(what: str) -> Callable[[F], F]:
    """--sheet for imposition (the sheets impose.SHEETS knows, or auto)."""
    return click.option(
        "--sheet",
        type=click.Choice(["auto", "a4", "letter"]),
        default="auto",
        show_default=True,
        help=f"{what} (auto: A5 on A4, half-Letter on Letter).",
    )


def require_built(edition: project_mod.Edition) -> None:
    """Refuse a command that needs the edition's PDF before it is built."""
    if not edition.output.exists():
        project = edition.project
        raise UsageError(
            f"{shown_path(edition.output, project.root)} is not built yet: run diglot build "
            f"{edition.name}",
            project.config_path,
        )


@cli.command()
@format_option(["table", "json"], "Output format.")
@common_options
@reports_errors
def editions(fmt: str) -> None:
    """List the editions with their languages, layout, paper and translation completeness."""
    from diglot import status

    state = click.get_current_context().ensure_object(State)
    project = state.project(())
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


def threshold_options(func: F) -> F:
    """--max-problems and --max-loose, shared by build and proof."""
    func = click.option(
        "--max-loose",
        type=click.FloatRange(0, 100),
        help="Fail (exit 1) when more than this percentage of justified lines is loose.",
    )(func)
    func = click.option(
        "--max-problems",
        type=click.IntRange(0),
        help="Fail (exit 1) when an edition has more proof findings than this "
        "(loose lines not counted; they have --max-loose).",
    )(func)
    return func


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
@sheet_option("Sheet for --impose")
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
    help="Build nothing if diglot check finds errors (warnings are printed).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Build nothing if diglot check finds anything, errors or warnings.",
)
@click.option(
    "--proof",
    "run_proof",
    is_flag=True,
    help="Proof the laid-out pages (as diglot proof) and print what it finds.",
)
@click.option(
    "--chunks/--no-chunks",
    default=None,
    help="Lay out facing editions in chunks on every core, each kept for the next "
    "build (default: for editions with long texts; see docs/speed.md).",
)
@threshold_options
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
    run_proof: bool,
    chunks: bool | None,
    max_problems: int | None,
    max_loose: float | None,
    strict: bool,
) -> None:
    """Build the named editions (default: all) into output/<name>.pdf.

    What diglot check finds in their texts is printed first, as warnings;
    --check refuses to build when there are errors among them, --strict
    when there is anything at all.

    Editions build in parallel, one process each (--jobs, default: the
    number of cores); a long facing edition built on its own is laid out
    in chunks on every core, and only its changed chunks are laid out
    again on the next build (--no-chunks: in one piece). An edition whose
    texts, chronology, layouts, styles, diglot.toml entry, fonts and
    diglot version are unchanged since its last build is skipped; --force
    rebuilds it anyway.
    """
    from diglot import build as build_mod
    from diglot import weasy

    if not dask_address:  # (the workers of a cluster render)
        weasy.import_ahead()
    state = click.get_current_context().ensure_object(State)
    project = state.project(names)
    selected = project.select(names)
    build_mod.source_date_epoch()  # a bad value is one usage error, not one per edition
    _check_before_build(project, selected, run_check, strict)
    workers = 1 if state.debug else (jobs or os.cpu_count() or 1)
    if not dask_address:  # workers have fonts of their own
        _prepare_fonts(workers)
    status = StatusLine() if _interactive() else None
    run_proof = run_proof or max_problems is not None or max_loose is not None
    outcomes = build_mod.build_many(
        selected,
        workers,
        write_html,
        force,
        state.debug,
        status.update if status is not None else None,
        run_proof,
        dask_address,
        chunks=chunks,
    )
    limits = (max_problems, max_loose) if run_proof else None
    failed = _report(outcomes, project, len(selected), status, limits, impose, sheet)
    _finish(status, failed, len(selected))


def _report(
    outcomes: Iterable[Any],
    project: project_mod.Project,
    total: int,
    status: StatusLine | None,
    limits: tuple[int | None, float | None] | None,
    impose: str | None,
    sheet: str,
) -> int:
    """Say how each edition's build went as it ends (with its proof when
    ``limits`` are given, and its imposition); the number that failed."""
    progress = _is_terminal() and total > 1
    say = status.echo if status is not None else click.echo
    reported: set[str] = set()  # error lines said so far
    failed = 0
    for done, outcome in enumerate(outcomes, start=1):
        prefix = f"[{done}/{total}] " if progress else ""
        if status is not None:
            status.finished(outcome.name)
        if outcome.error is not None:
            failed += 1
            _say_error(outcome.error, prefix, say, reported)
            continue
        edition = project.edition(outcome.name)
        _say_built(outcome, edition.name, shown_path(edition.output, project.root), prefix, say)
        if limits is not None and _proof_failed(outcome, edition, *limits, say):
            failed += 1
        if impose and not _impose_built(outcome.skipped, edition, sheet, project, prefix, say):
            failed += 1
    return failed


def _finish(status: StatusLine | None, failed: int, total: int) -> None:
    if status is not None:
        status.close()
    if failed:
        click.echo(f"{failed} of {total} edition(s) failed", err=True)
        sys.exit(1)


def _check_before_build(
    project: project_mod.Project,
    selected: Sequence[project_mod.Edition],
    run_check: bool,
    strict: bool,
) -> None:
    """Print what diglot check finds in the editions' texts; with --check
    (errors) or --strict (anything), stop there if it finds something."""
    from diglot import check as check_mod

    refuse = run_check or strict
    checked = check_mod.CheckCache(project)  # findings kept while the texts are unchanged
    findings = checked.findings(selected)
    for finding in findings:
        severity = "error" if refuse and finding.severity == "error" else "warning"
        where = f"{finding.shown_path(project.root)}:{finding.line}"
        message = " ".join(finding.message.split())
        click.echo(f"{where}: {severity}: {finding.code}: {message}", err=True)
    if refuse and check_mod.has_errors(findings, strict):
        what = "found problems (--strict)" if strict else "found errors"
        click.echo(f"not built: diglot check {what}", err=True)
        sys.exit(1)
    checked.save()


def _say_error(error: str, prefix: str, say: Callable[..., None], reported: set[str]) -> None:
    """An edition's error, but not the lines another edition's already said
    (a layout every edition uses fails once, not once per edition)."""
    for line in error.splitlines():
        if line not in reported:
            reported.add(line)
            say(f"{prefix}{line}", err=True)


def _say_built(outcome: Any, name: str, rel: str, prefix: str, say: Callable[..., None]) -> None:
    """One line per edition built or skipped, after its warnings."""
    if outcome.skipped:
        say(f"{prefix}{name}: {rel} is up to date")
        return
    built = outcome.built
    assert built is not None
    for warning in built.warnings:
        say(f"{prefix}{name}: warning: {warning}", err=True)
    passes = f", {built.passes} layout passes" if built.passes > 1 else ""
    stats = f"{built.pages} pages{passes}, {built.seconds:.1f} s"
    say(f"{prefix}{name}: {rel} ({stats})")


def _proof_failed(
    outcome: Any,
    edition: project_mod.Edition,
    max_problems: int | None,
    max_loose: float | None,
    say: Callable[..., None],
) -> bool:
    """Print the proof of an edition built (or up to date); True if over a limit."""
    from diglot import build as build_mod

    built = outcome.built
    report = built.report if built and built.report else build_mod.proof_edition(edition)
    shown = str(shown_path(edition.output, edition.project.root))
    return bool(_print_proof(edition.name, shown, report, max_problems, max_loose, say))


def _impose_built(
    skipped: bool,
    edition: project_mod.Edition,
    sheet: str,
    project: project_mod.Project,
    prefix: str,
    say: Callable[..., None],
) -> bool:
    """Impose an edition just built (or its sheets if out of date); False if that failed."""
    from diglot.impose import up_to_date

    saddle = edition.output.with_name(f"{edition.output.stem}-saddle.pdf")
    if skipped and up_to_date(edition.output, saddle, sheet):
        return True
    try:
        sides, path = _impose(edition.output, sheet, project.output_dir)
    except DiglotError as exc:
        say(exc.format(project.root), err=True)
        return False
    shown = shown_path(path, project.root)
    say(f"{prefix}{edition.name}: {shown} ({sides // 2} sheets, imposed)")
    return True


def _print_proof(
    name: str,
    pdf: str,
    report: Any,
    max_problems: int | None,
    max_loose: float | None,
    say: Callable[..., None] = click.echo,
) -> bool:
    """Print a proof report; True when it is over a threshold."""
    from diglot import proof as proof_mod

    for line in proof_mod.format_text(report, pdf):
        say(line)
    over = proof_mod.failed(report, max_problems, max_loose)
    verdict = " — over the limit" if over else ""
    say(f"{name}: proof: {report.summary()}{verdict}", err=over)
    return over


def _prepare_fonts(workers: int) -> None:
    """Make the static font instances builds print with, once per machine."""
    from diglot import fonts

    fonts.prepare_static(workers, report=lambda message: click.echo(f"diglot: {message}", err=True))


class StatusLine:
    """On a terminal, one line telling what each edition that has taken
    more than a second is doing ("layout pass 2, 24 pages"), redrawn twice a
    second; other output clears it first. Never used when output is not a
    terminal, so CI logs stay quiet."""

    def __init__(self, after: float = 1.0) -> None:
        self.after = after
        self.lock = threading.Lock()
        self.running: dict[str, tuple[float, str]] = {}
        self.shown = False
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._tick, daemon=True)
        self.thread.start()

    def update(self, name: str, message: str) -> None:
        with self.lock:
            start = self.running.get(name, (time.monotonic(), ""))[0]
            self.running[name] = (start, message)

    def finished(self, name: str) -> None:
        with self.lock:
            self.running.pop(name, None)

    def echo(self, message: str, err: bool = False) -> None:
        with self.lock:
            self._clear()
            click.echo(message, err=err)

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=2)
        with self.lock:
            self._clear()

    def _tick(self) -> None:
        while not self.stopping.wait(0.5):
            with self.lock:
                now = time.monotonic()
                parts = [
                    f"{name}: {message} ({now - start:.0f} s)"
                    for name, (start, message) in self.running.items()
                    if now - start >= self.after
                ]
                if parts:
                    line = " · ".join(parts)[: shutil.get_terminal_size().columns - 1]
                    click.echo(f"\r\x1b[K{line}", nl=False, err=True, color=True)
                    self.shown = True

    def _clear(self) -> None:
        if self.shown:
            click.echo("\r\x1b[K", nl=False, err=True, color=True)
            self.shown = False


def _is_terminal() -> bool:
    return sys.stdout.isatty()


def _interactive() -> bool:
    """Both outputs on a terminal: someone is watching, not a CI log."""
    return sys.stdout.isatty() and sys.stderr.isatty()


def _impose(pdf: Path, sheet: str, inside: Path) -> tuple[int, Path]:
    from diglot.impose import impose_saddle

    dest = pdf.with_name(f"{pdf.stem}-saddle.pdf")
    return impose_saddle(pdf, dest, sheet, inside), dest


@cli.command()
@click.argument("names", nargs=-1)
@sheet_option("Sheet size")
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
        require_built(edition)
        sides, path = _impose(edition.output, sheet, project.output_dir)
        click.echo(f"{edition.name}: {shown_path(path, project.root)} ({sides // 2} sheets)")


@cli.command()
@click.argument("name")
@click.option("--pages", help="Pages to render, e.g. 1-4,7 (default: all).")
@dpi_option("Resolution of the PNG files.")
@common_options
@reports_errors
def preview(name: str, pages: str | None, dpi: int) -> None:
    """Write PNG thumbnails of a built edition's pages to output/preview/."""
    from diglot.preview import thumbnails

    state = click.get_current_context().ensure_object(State)
    project = state.project()
    edition = project.edition(name)
    require_built(edition)
    for path in thumbnails(
        edition.output, project.output_dir / "preview", pages, dpi, project.output_dir
    ):
        click.echo(shown_path(path, project.root))


@cli.command()
@click.argument("names", nargs=-1)
@format_option(
    ["text", "json"], "text: one 'path:line: code: message' a line; json: a list of objects."
)
@click.option("--strict", is_flag=True, help="Count warnings as errors (exit 1).")
@click.option(
    "--show-ignored",
    is_flag=True,
    help="Also list the findings texts silence (front matter 'check: ignore:'), with the reason.",
)
@common_options
@reports_errors
def check(names: tuple[str, ...], fmt: str, strict: bool, show_ignored: bool) -> None:
    """Check translations: missing segments, dates and numbers that differ,
    duplicates, sentences in another language, OCR debris, lengths, footnote
    references, bidi control characters, unclosed emphasis.

    NAMES are edition names or work folders under sources/ (default: every
    work). Exit code 0 without errors, 1 with errors (--strict: or warnings);
    findings a text silences (front matter 'check: ignore:') do not count.
    """
    from diglot import check as check_mod

    state = click.get_current_context().ensure_object(State)
    project = state.project()
    findings = check_mod.check_names(project, names, show_ignored)
    if fmt == "json":
        data = [f.as_dict(project.root) for f in findings]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(finding.format(project.root))
    if check_mod.has_errors(findings, strict):
        sys.exit(1)


@cli.command("proof")
@click.argument("names", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one 'path-of-pdf:page: code: message' a line and a summary; json: one object "
    "per edition.",
)
@click.option(
    "--png",
    "png",
    is_flag=True,
    help="Also write output/proof/<name>-proof-<page>.png for pages with findings, the "
    "problems outlined (the edition must be built).",
)
@dpi_option("Resolution of the --png previews.")
@threshold_options
@common_options
@reports_errors
def proof_command(
    names: tuple[str, ...],
    fmt: str,
    png: bool,
    dpi: int,
    max_problems: int | None,
    max_loose: float | None,
) -> None:
    """Proof the pages of editions as a typographer would: loose lines,
    hyphen ladders, near-empty pages, stranded headings, overfull lines,
    widows and orphans, words broken across a page turn, bad English breaks.

    Each edition is laid out as diglot build lays it out (nothing is
    written); page numbers are those of output/<name>.pdf. Exit code 1 when
    a threshold is given and an edition is over it.
    """
    from diglot import build as build_mod
    from diglot import proof as proof_mod

    state = click.get_current_context().ensure_object(State)
    project = state.project()
    over = 0
    data = []
    for edition in project.select(names):
        report = build_mod.proof_edition(edition)
        rel = shown_path(edition.output, project.root)
        if fmt == "json":
            data.append({"edition": edition.name, "pdf": rel, **report.as_dict()})
            over += proof_mod.failed(report, max_problems, max_loose)
        else:
            over += _print_proof(edition.name, rel, report, max_problems, max_loose)
        if png:
            require_built(edition)
            dest = project.output_dir / "proof"
            for path in proof_mod.write_previews(edition.output, report, dest, dpi):
                click.echo(shown_path(path, project.root), err=fmt == "json")
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    if over:
        sys.exit(1)


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--editor-url",
    help="Link check findings to your editor, e.g. 'vscode://file/{path}:{line}'.",
)
@common_options
@reports_errors
def serve(names: tuple[str, ...], host: str, port: int, editor_url: str | None) -> None:
    """Show the editions (default: all) on a local web page that rebuilds them
    and reloads itself whenever a text, layout, style or diglot.toml changes.

    Open http://127.0.0.1:8000 in a browser; stop with Ctrl-C. A failed build
    shows its error on the page and keeps the last good PDF.
    """
    from diglot import serve as serve_mod

    state = click.get_current_context().ensure_object(State)
    root = state.root()
    if names:
        state.project().select(names)  # an unknown name is a usage error now, not on the page
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"warning: listening on {host}: anyone who can reach this machine can read the "
            "editions",
            err=True,
        )
    click.echo(f"serving {root} at http://{host}:{port}/ (Ctrl-C stops)")
    serve_mod.serve(root, names, host, port, editor_url)


@cli.group()
def daemon() -> None:
    """Keep diglot loaded in the background, so that builds start at once.

    While it runs, diglot build in this project hands its work to it: a
    small booklet builds in about half the time, the same PDF. It serves
    only this project and only you, ends by itself after 30 minutes
    without a build, and stops when diglot is updated.
    """


@daemon.command("start")
@common_options
@reports_errors
def daemon_start() -> None:
    """Start the background build process for this project."""
    import subprocess

    from diglot import daemon as daemon_mod

    state = click.get_current_context().ensure_object(State)
    root = state.root()
    if not daemon_mod.SUPPORTED:
        raise UsageError("background builds need Linux (Unix sockets that name their user)")
    running = daemon_mod.ask(root, {"status": True})
    if running is not None:
        click.echo(f"diglot: the background build process runs already (pid {running['pid']})")
        return
    path = daemon_mod.socket_path(root)
    try:
        daemon_mod.make_runtime_folder()
    except OSError as error:
        raise BuildError(f"cannot start the background build process: {error}") from None
    if len(os.fsencode(path)) > daemon_mod.SOCKET_PATH_MAX:
        raise BuildError(
            f"cannot start the background build process: {path.parent} is too deep a "
            "folder for a socket (set XDG_RUNTIME_DIR to a shorter one)"
        )
    log_path = path.with_suffix(".log")
    # -P and the root folder as its folder: Python would otherwise put the
    # folder it starts in first on its import path, and a project's
    # json.py would be imported in place of the standard library's
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-P", "-m", "diglot.daemon", str(root)],
            cwd="/",
            env=_daemon_environ(daemon_mod.python_path()),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    deadline = time.monotonic() + daemon_mod.START_SECONDS
    while time.monotonic() < deadline:
        answer = daemon_mod.ask(root, {"status": True})
        if answer is not None:
            click.echo(
                f"diglot: background builds on (pid {answer['pid']}); diglot build hands "
                "its work to it until diglot daemon stop"
            )
            return
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise BuildError(f"the background build process did not start (see {log_path})")


def _daemon_environ(python_path: str) -> dict[str, str]:
    """The environment the daemon starts with: the command's, its PYTHONPATH
    absolute (the daemon runs from /)."""
    env = files.outer_environ()
    env.pop("PYTHONPATH", None)
    return {**env, "PYTHONPATH": python_path} if python_path else env


@daemon.command("stop")
@common_options
@reports_errors
def daemon_stop() -> None:
    """Stop this project's background build process."""
    from diglot import daemon as daemon_mod

    root = click.get_current_context().ensure_object(State).root()
    answer = daemon_mod.ask(root, {"stop": True})
    if answer is None:
        click.echo("diglot: no background build process runs for this project")
        return
    pid = int(answer["stopped"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and daemon_mod.socket_path(root).exists():
        time.sleep(0.05)
    click.echo(f"diglot: background build process stopped (pid {pid})")


@daemon.command("status")
@common_options
@reports_errors
def daemon_status() -> None:
    """Say whether a background build process runs for this project.

    Exit code 0 when one runs, 1 when none does."""
    from diglot import daemon as daemon_mod

    root = click.get_current_context().ensure_object(State).root()
    answer = daemon_mod.ask(root, {"status": True})
    if answer is None:
        click.echo("diglot: no background build process runs for this project")
        sys.exit(1)
    minutes = (time.time() - float(answer["since"])) / 60
    click.echo(
        f"diglot: background build process pid {answer['pid']}, up {minutes:.0f} min; "
        f"builds run: {answer['builds']}, running now: {answer['building']}"
    )


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--languages",
    default=",".join(DEFAULT_LANGUAGES),
    show_default=True,
    help="The two languages, original first, as Babel tags separated by a comma.",
)
@click.option("--work", default=DEFAULT_WORK, show_default=True, help="The sample work's folder.")
@common_options
@reports_errors
def new(directory: Path, languages: str, work: str) -> None:
    """Start a project in DIRECTORY: diglot.toml with a booklet, a facing and
    a handout edition, a sample text in two languages showing every
    construct, a README and a .gitignore. `diglot build` works in it at once.
    """
    from diglot import scaffold

    codes = [code.strip() for code in languages.split(",") if code.strip()]
    files = scaffold.new_project(directory, codes, work)
    for path in files:
        shown = shown_path(path, Path.cwd().resolve()) if path.is_absolute() else path
        click.echo(f"created {shown}")
    click.echo(f"next: cd {directory} && diglot build   (or: diglot serve)")


@cli.command("add-language")
@click.argument("work")
@click.argument("language")
@common_options
@reports_errors
def add_language(work: str, language: str) -> None:
    """Start a LANGUAGE translation of WORK: sources/WORK/LANGUAGE.md with every
    segment id of the original and its text in place, to be translated over."""
    from diglot import scaffold

    state = click.get_current_context().ensure_object(State)
    root = state.root()
    path, count = scaffold.add_language(root, work, language)
    click.echo(f"{shown_path(path, root)}: {count} segment(s) to translate")


@cli.group()
@common_options
def layouts() -> None:
    """diglot's built-in layouts and stylesheets, to copy into a project."""


@layouts.command("list")
@common_options
@reports_errors
def layouts_list() -> None:
    """List the built-in layouts, stylesheets and labels."""
    from diglot import scaffold

    for name in scaffold.builtin_files():
        click.echo(name)


@layouts.command("copy")
@click.argument("name")
@click.option("--force", is_flag=True, help="Replace the project's own copy.")
@common_options
@reports_errors
def layouts_copy(name: str, force: bool) -> None:
    """Copy a built-in layout (e.g. booklet: template and stylesheet), a
    template, a stylesheet or labels.yaml into the project, where it
    replaces the built-in one. To add a few rules or words instead, use
    extra_css in diglot.toml or a short layouts/labels.yaml."""
    from diglot import scaffold

    state = click.get_current_context().ensure_object(State)
    root = state.root()
    for path in scaffold.copy_builtin(root, name, force):
        click.echo(f"copied {shown_path(path, root)}")


@cli.command("align")
@click.argument("work")
@click.argument("language")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of sources/WORK/LANGUAGE.md.",
)
@format_option(
    ["text", "json"],
    "text: the groups side by side, lowest scores first; json: one object a paragraph.",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@common_options
@reports_errors
def align_command(
    work: str, language: str, file: Path, output: Path | None, fmt: str, force: bool
) -> None:
    """Align FILE, a translation into LANGUAGE as plain paragraphs, with the
    segments of WORK's original, and write it with segment ids.

    Paragraphs are matched by length and by anchors: dates and numbers as
    values, names, headings. A paragraph that matches nothing is kept under
    {#unaligned-N}; repeated paragraphs and segments without a translation
    are reported.
    """
    from diglot.align import paragraphs as align_mod

    state = click.get_current_context().ensure_object(State)
    root = state.root()
    result, target = align_mod.align_file(root, work, language, file, output, force)
    if fmt == "json":
        click.echo(align_mod.report_json(result))
    else:
        for line in align_mod.report_lines(result):
            click.echo(line)
    click.echo(
        f"{shown_path(target, root)}: {len(result.paragraphs)} paragraph(s), "
        f"{len(result.unaligned)} unaligned, {len(result.duplicates)} duplicate(s), "
        f"{len(result.gaps)} gap(s)",
        err=True,
    )


@cli.command("segment")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--prefix", default="p", show_default=True, help="Paragraph ids: PREFIX1, PREFIX2, ..."
)
@common_options
@reports_errors
def segment_command(file: Path, prefix: str) -> None:
    """Add a {#id} line before each paragraph and heading of FILE, a plain
    Markdown original (headings get ids made from their words)."""
    from diglot.align.segment import segment_file

    done = segment_file(file, prefix)
    click.echo(f"{file}: {done.paragraphs} paragraph(s), {done.headings} heading(s)")


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
        f"{shown_path(result.path, root)}: {len(result.updated)} updated, "
        f"{len(result.inserted)} inserted, {result.unchanged} unchanged, "
        f"{result.untranslated} untranslated, {len(result.skipped)} skipped"
    )


def main() -> None:
    with files.scratch_folder():
        cli(prog_name="diglot")


if __name__ == "__main__":
    main()
