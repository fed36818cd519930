"""The one reader of project files: exactly ``limit`` bytes are read, one
more is too large, also for a file that grows while it is read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from diglot import files


@pytest.mark.parametrize("size", [0, 1, 99, 100])
def test_a_file_up_to_the_limit_is_read_whole(tmp_path: Path, size: int) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * size)
    assert files.read_bytes(path, 100) == b"x" * size


def test_one_byte_over_the_limit_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 101)
    with pytest.raises(files.FileTooLarge) as err:
        files.read_bytes(path, 100)
    assert (err.value.size, err.value.limit) == (101, 100)


def test_a_file_growing_past_the_limit_while_read_is_too_large(tmp_path: Path) -> None:
    """A FIFO is refused, so a growing file is simulated with a file whose
    size fstat reports small: /proc files report 0 and hold more."""
    status = Path(f"/proc/{os.getpid()}/status")
    assert os.stat(status).st_size == 0
    whole = status.read_bytes()
    assert files.read_bytes(status, len(whole) + 200)[:5] == whole[:5]
    with pytest.raises(files.FileTooLarge) as err:
        files.read_bytes(status, 10)
    assert (err.value.size, err.value.limit) == (11, 10)


def test_large_files_are_read_in_chunks_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "f"
    data = os.urandom(files.MB) * 2 + b"tail"
    path.write_bytes(data)
    assert files.read_bytes(path, len(data)) == data
    with pytest.raises(files.FileTooLarge):
        files.read_bytes(path, len(data) - 1)
