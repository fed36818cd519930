"""Build editions on a dask.distributed cluster (``diglot build --dask``).

For a catalogue of many works and languages, more cores than one machine
has. The project's files (diglot.toml, sources, and its own layouts and
styles; never output/) are sent to the cluster once; each edition is one
task that writes those files into a temporary folder on a worker, builds
the edition there exactly as ``diglot build`` would, and returns the PDF's
bytes. They are written here, atomically, and recorded in the manifest as
a local build would be: the PDF's bytes do not depend on where it was
built (see :func:`diglot.pdf.pdf_identifier`), so the output is the same.

Workers need diglot installed (``pip install diglot[dask]``) and build
with their own fonts; nothing else is shared. Dask is an optional
dependency, imported only here.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diglot import files, render
from diglot.errors import BuildError, DiglotError, UsageError
from diglot.project import Edition

SENT_FOLDERS = ("sources", "layouts", "styles")
MAX_PROJECT_BYTES = 200 * 2**20


@dataclass(frozen=True)
class Remote:
    """What a worker sends back for one edition."""

    name: str
    pdf: bytes | None = None
    html: bytes | None = None
    pages: int = 0
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()
    passes: int = 1
    # Files the layout loaded: (index in render.resource_dirs, relative path),
    # so they name the same files here (the project's, or diglot's own).
    served: tuple[tuple[int, str], ...] = ()
    error: str | None = None  # "path:line: message", paths relative to the project


def project_files(root: Path) -> dict[str, bytes]:
    """The files a build reads, by path relative to the project."""
    files = {"diglot.toml": (root / "diglot.toml").read_bytes()}
    total = 0
    for folder in SENT_FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if not path.is_file() or any(part.startswith(".") for part in path.parts):
                continue
            if not path.resolve().is_relative_to(root.resolve()):
                continue  # a link out of the project is not sent (nor read by builds)
            data = path.read_bytes()
            total += len(data)
            if total > MAX_PROJECT_BYTES:
                raise UsageError(
                    f"the project is over {MAX_PROJECT_BYTES // 2**20} MB: too large to send "
                    "to a cluster",
                    path,
                )
            files[path.relative_to(root).as_posix()] = data
    return files


def build_on_worker(
    files: dict[str, bytes], name: str, write_html: bool, epoch: str | None
) -> Remote:
    """The task: build edition ``name`` of the project made of ``files``."""
    from diglot import build as build_mod
    from diglot import project as project_mod

    folder = Path(tempfile.mkdtemp(prefix="diglot-task-"))
    old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        for rel, data in files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = epoch
        project = project_mod.load(folder)
        try:
            built = build_mod.build(project.edition(name), write_html)
        except DiglotError as exc:
            return Remote(name, error=exc.format(folder))
        return Remote(
            name,
            pdf=built.path.read_bytes(),
            html=built.html.read_bytes() if built.html else None,
            pages=built.pages,
            seconds=built.seconds,
            warnings=built.warnings,
            passes=built.passes,
            served=portable_paths(built.served, render.resource_dirs(folder)),
        )
    finally:
        if old_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old_epoch
        shutil.rmtree(folder, ignore_errors=True)


def portable_paths(paths: Sequence[Path], folders: Sequence[Path]) -> tuple[tuple[int, str], ...]:
    """``paths`` as (index of the folder they are in, path inside it)."""
    found = []
    for path in paths:
        real = path.resolve()
        for index, folder in enumerate(folders):
            if real.is_relative_to(folder):
                found.append((index, real.relative_to(folder).as_posix()))
                break
    return tuple(found)


def local_paths(served: Sequence[tuple[int, str]], root: Path) -> tuple[Path, ...]:
    """The files :func:`portable_paths` named, in this machine's folders."""
    folders = render.resource_dirs(root)
    return tuple(folders[i] / rel for i, rel in served if 0 <= i < len(folders))


def run(editions: Sequence[Edition], address: str, write_html: bool) -> Iterator[Remote]:
    """Build ``editions`` on the scheduler at ``address``; write each PDF
    (and HTML) into output/ as it comes back, and yield what happened."""
    try:
        # Untyped: imported as a plain module object.
        distributed: Any = importlib.import_module("distributed")
    except ImportError:
        raise UsageError("--dask needs dask.distributed: pip install 'diglot[dask]'") from None
    if not editions:
        return
    root = editions[0].project.root
    files = project_files(root)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        client = distributed.Client(address, timeout="10s")
    except OSError as exc:
        raise UsageError(f"cannot reach the dask scheduler at {address}: {exc}") from None
    with client:
        shared = client.scatter(files, broadcast=False, hash=False)
        futures = [
            client.submit(build_on_worker, shared, e.name, write_html, epoch, pure=False)
            for e in editions
        ]
        by_name = {e.name: e for e in editions}
        for future in distributed.as_completed(futures):
            try:
                remote: Remote = future.result()
            except Exception as exc:  # the worker died or could not run the task
                name = editions[futures.index(future)].name
                yield Remote(name, error=f"{name}: the cluster failed: {type(exc).__name__}: {exc}")
                continue
            if remote.pdf is not None:
                write_back(by_name[remote.name], remote)
            yield remote


def write_back(edition: Edition, remote: Remote) -> None:
    data, html = remote.pdf, remote.html
    if data is None or not data.startswith(b"%PDF-"):
        raise BuildError("the cluster sent back something that is not a PDF", edition.output)
    out = edition.project.output_dir
    files.atomic_write(edition.output, data, out, "the PDF")
    if html is not None:
        files.atomic_write(edition.output.with_suffix(".html"), html, out)
