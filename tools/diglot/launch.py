"""The ``diglot`` command's entry point.

``diglot build`` is handed to the project's background build process when
one runs (``diglot daemon start``; :mod:`diglot.daemon`), which has diglot
and WeasyPrint loaded already; every other command, and a build with no
such process, runs here through :func:`diglot.cli.main`. This module
imports only the standard library, so that handing over costs no start-up.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path


def build_project(argv: Sequence[str], cwd: Path) -> Path | None:
    """The project of ``diglot <argv>`` run in ``cwd`` when it is a build
    the daemon may run: not with --debug (its tracebacks are the caller's),
    --help or --version; None for any other command. The daemon asks the
    same of every request it is sent (only its own project's builds)."""
    project: str | None = None
    command: str | None = None
    args = iter(argv)
    for arg in args:
        if arg == "--project":
            project = next(args, None)
            if project is None:
                return None
        elif arg.startswith("--project="):
            project = arg.partition("=")[2]
        elif arg in ("--debug", "--help", "-h", "--version"):
            return None
        elif command is None and not arg.startswith("-"):
            command = arg
    if command != "build":
        return None
    from diglot.where import nearest_root

    return nearest_root(cwd / project if project else cwd)


def _build_root(argv: Sequence[str]) -> Path | None:
    """The project whose daemon may run ``diglot <argv>`` from here (never
    with DIGLOT_NO_DAEMON set)."""
    if os.environ.get("DIGLOT_NO_DAEMON"):
        return None
    return build_project(argv, Path.cwd())


def main() -> None:
    argv = sys.argv[1:]
    try:
        root = _build_root(argv)
    except OSError:
        root = None
    if root is not None:
        from diglot import daemon

        code = daemon.hand_over(argv, root)
        if code is not None:
            raise SystemExit(code)
    from diglot.cli import main as run_here

    run_here()


if __name__ == "__main__":
    main()
