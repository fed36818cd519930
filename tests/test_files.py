"""The one reader of project files: exactly ``limit`` bytes are read, one
more is too large, also for a file that grows while it is read."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from diglot import files
from diglot.errors import BuildError


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


# -- what each kind of unreadable file is called -----------------------------------------


def test_every_failure_to_read_names_the_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    big = tmp_path / "big"
    big.write_bytes(b"x" * (3 * files.MB))
    cases = {
        tmp_path / "missing": "file not found",
        tmp_path: "is a folder, expected a file",
        fifo: "is a named pipe (FIFO), not a regular file",
        Path("/dev/null"): "is a device, not a regular file",
        big: "is 3 MB; texts are limited to 2 MB",
    }
    for path, message in cases.items():
        with pytest.raises(BuildError) as err:
            files.read_checked(path, 2 * files.MB, kind="texts")
        assert (err.value.path, err.value.message) == (path, message)
    assert files.read_checked(big, 3 * files.MB) == b"x" * (3 * files.MB)


def _read_as_nobody(path: Path) -> str:
    """What read_checked says of ``path`` in a child process that has given
    up root for the user nobody (root reads any file; CI runs as root)."""
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        os.close(reader)
        try:
            os.setgid(65534)
            os.setuid(65534)
            files.read_checked(path, 100)
            said = "read"
        except BuildError as exc:
            said = exc.message
        except BaseException as exc:
            said = f"{type(exc).__name__}: {exc}"
        os.write(writer, said.encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        said = pipe.read().decode()
    os.waitpid(child, 0)
    return said


def test_an_unreadable_file_is_one_error(tmp_path: Path) -> None:
    folder = Path(tempfile.mkdtemp(dir="/tmp")) if os.geteuid() == 0 else tmp_path
    try:
        folder.chmod(0o755)  # nobody may look inside, not read the file
        locked = folder / "locked"
        locked.write_bytes(b"secret")
        locked.chmod(0)
        if os.geteuid() == 0:
            assert files.read_checked(locked, 100) == b"secret"  # root reads it
            assert _read_as_nobody(locked) == "cannot read: Permission denied"
        else:
            with pytest.raises(BuildError, match="cannot read: Permission denied"):
                files.read_checked(locked, 100)
    finally:
        if folder != tmp_path:
            shutil.rmtree(folder)


def test_a_digest_stands_for_the_content_up_to_the_limit(tmp_path: Path) -> None:
    one, same, other = tmp_path / "one", tmp_path / "same", tmp_path / "other"
    one.write_bytes(b"a" * 100)
    same.write_bytes(b"a" * 100)
    other.write_bytes(b"a" * 99 + b"b")
    assert files.digest(one) == files.digest(same) == files.digest(one, 100)
    assert files.digest(one) != files.digest(other)
    over = files.digest(one, 99)
    assert over is not None and over.startswith("over-limit:100:")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for nothing in (tmp_path / "missing", tmp_path, fifo):
        assert files.digest(nothing) is None


def test_a_file_in_the_way_of_a_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / "output").write_text("not a folder")
    with pytest.raises(BuildError) as err:
        files.make_dirs(tmp_path / "output" / "deep", tmp_path)
    assert err.value.path == tmp_path / "output"
    assert "is a file, not a folder" in err.value.message
    files.make_dirs(tmp_path / "new" / "deep", tmp_path)
    assert (tmp_path / "new" / "deep").is_dir()


def test_a_failed_write_keeps_the_previous_file(tmp_path: Path) -> None:
    dest = tmp_path / "x.pdf"
    files.atomic_write(dest, b"previous", tmp_path)
    assert dest.stat().st_mode & 0o777 == 0o644

    def failing(handle: object) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(BuildError) as err:
        files.atomic_write(dest, failing, tmp_path, "the PDF")
    assert err.value.message == "cannot write the PDF: No space left on device"
    assert dest.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]


def test_stale_parts_go_but_a_running_writes_stays(tmp_path: Path) -> None:
    dest = tmp_path / "x.pdf"
    stale, running = tmp_path / ".x.pdf.abc.part", tmp_path / ".x.pdf.def.part"
    other = tmp_path / ".y.pdf.abc.part"
    for part in (stale, running, other):
        part.write_bytes(b"half")
    with running.open("rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        files.remove_stale_parts(dest)
    assert not stale.exists() and running.exists() and other.exists()


def test_a_cache_is_written_only_when_it_changes_and_not_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    out = tmp_path / "output"
    cache = out / "cache" / "a.json"
    files.write_cache(cache, b"[1]", out, "the cache")
    assert cache.read_bytes() == b"[1]" and synced == []
    first = cache.stat().st_ino
    files.write_cache(cache, b"[1]", out, "the cache")  # the same: left as it is
    assert cache.stat().st_ino == first
    files.write_cache(cache, b"[1, 2]", out, "the cache")
    assert cache.read_bytes() == b"[1, 2]" and cache.stat().st_ino != first
    files.write_cache(cache, b"[1]", out, "the cache")  # a prefix of what is there
    assert cache.read_bytes() == b"[1]" and synced == []
    files.atomic_write(out / "book.pdf", b"%PDF", out)  # what is published is synced
    assert len(synced) == 1


def test_a_cache_linked_out_of_the_output_is_neither_read_nor_written(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(b"[1]")
    (out / "a.json").symlink_to(elsewhere)
    with pytest.raises(BuildError):
        files.write_cache(out / "a.json", b"[1]", out, "the cache")
    assert elsewhere.read_bytes() == b"[1]"


def test_a_folder_read_as_a_file_is_the_systems_own_error(tmp_path: Path) -> None:
    """A folder is refused as the system refuses reading one (EISDIR), so
    callers catching the OS's errors see the same."""
    import errno

    with pytest.raises(IsADirectoryError) as err:
        files.read_bytes(tmp_path, 100)
    assert err.value.errno == errno.EISDIR


def test_a_link_loop_is_one_error_with_the_systems_words(tmp_path: Path) -> None:
    import errno

    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    with pytest.raises(BuildError) as err:
        files.read_checked(loop, 100)
    assert (err.value.path, err.value.message) == (
        loop,
        f"cannot read: {os.strerror(errno.ELOOP)}",
    )


def test_an_existing_file_keeps_its_permissions_when_written_again(tmp_path: Path) -> None:
    dest = tmp_path / "x.pdf"
    dest.write_bytes(b"old")
    dest.chmod(0o600)
    files.atomic_write(dest, b"new", tmp_path)
    assert dest.read_bytes() == b"new" and dest.stat().st_mode & 0o777 == 0o600
