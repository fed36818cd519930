"""Run ``diglot`` with every PDF write paused half-way, for tests/test_interrupted.py.

    python tests/pause_in_write.py MARKER build demo-en

The writer itself is diglot's own (:func:`diglot.files.atomic_write`),
unchanged: only what it is given to write is wrapped, so that after the
first bytes of a PDF reach the writer's handle they are flushed, MARKER is
created (holding the writing process's id) and the process sleeps, to be
killed there by the test. A writer that wrote to the PDF itself instead of a
locked temporary file would be caught by the test, mid-write.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from diglot import files
from diglot.cli import main


class PauseAfterFirstWrite:
    def __init__(self, handle: IO[bytes], marker: Path) -> None:
        self._handle = handle
        self._marker = marker
        self._paused = False

    def write(self, data: bytes) -> int:
        written = self._handle.write(data)
        if not self._paused:
            self._paused = True
            self._handle.flush()
            # written whole, then renamed: the test waits for the marker to
            # exist and reads it at once (it once read an empty file)
            ready = self._marker.with_name(self._marker.name + ".tmp")
            ready.write_text(str(os.getpid()), encoding="utf-8")
            os.replace(ready, self._marker)
            time.sleep(300)
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def install(marker: Path) -> None:
    real = files.atomic_write

    def paused(
        dest: Path, content: bytes | Callable[[IO[bytes]], object], *args: Any, **kwargs: Any
    ) -> None:
        if dest.suffix != ".pdf":  # the check cache and manifest are written first
            return real(dest, content, *args, **kwargs)

        def write(handle: IO[bytes]) -> None:
            target: Any = PauseAfterFirstWrite(handle, marker)
            if isinstance(content, bytes):
                target.write(content)
            else:
                content(target)

        return real(dest, write, *args, **kwargs)

    files.atomic_write = paused  # type: ignore[assignment]


if __name__ == "__main__":
    install(Path(sys.argv[1]))
    sys.argv = ["diglot", *sys.argv[2:]]
    main()
