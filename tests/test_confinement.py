"""No command writes outside the project, and every file is written by one
atomic writer (diglot.files): links, ``..`` and missing folders included."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfWriter

from diglot import files
from diglot.cli import cli
from diglot.errors import BuildError


def invoke(project: Path, monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def small_pdf(path: Path, pages: int = 4) -> None:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=419.53, height=595.28)  # A5
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        writer.write(handle)


def test_output_dotdot_creates_nothing_outside(mini, monkeypatch):
    config = mini / "diglot.toml"
    config.write_text('output = "../outside"\n' + config.read_text(), encoding="utf-8")
    result = invoke(mini, monkeypatch, "build", "demo-en")
    assert result.exit_code == 1
    assert result.stderr.startswith("diglot.toml:1: output '../outside' is not a folder")
    assert not (mini.parent / "outside").exists()


@pytest.mark.parametrize("target", ["../outside", "../missing/deeper", "/"])
def test_output_link_out_of_the_project_is_refused(mini, monkeypatch, target):
    outside = mini.parent / "outside"
    outside.mkdir()
    (mini / "output").symlink_to(target)
    for command in (["build", "demo-en"], ["build", "--html", "demo-en"], ["impose"]):
        result = invoke(mini, monkeypatch, *command)
        assert result.exit_code == 1, command
        assert result.stderr.splitlines()[0].startswith(
            f"output: the output folder is a link to {target}, outside the project"
        )
    assert list(outside.iterdir()) == []
    assert not (mini.parent / "missing").exists()


def test_preview_into_a_linked_folder_writes_nothing_there(mini, monkeypatch):
    outside = mini.parent / "outside"
    outside.mkdir()
    small_pdf(mini / "output" / "demo-en.pdf")
    (mini / "output" / "preview").symlink_to(outside)
    result = invoke(mini, monkeypatch, "preview", "demo-en")
    assert result.exit_code == 1
    assert result.stderr == (
        f"output/preview: is a link to {outside}, outside the project; diglot writes "
        "only inside the project: remove the link\n"
    )
    assert list(outside.iterdir()) == []


def test_impose_over_a_link_out_of_the_project_is_refused(mini, monkeypatch):
    victim = mini.parent / "victim.pdf"
    victim.write_bytes(b"precious")
    small_pdf(mini / "output" / "demo-en.pdf")
    (mini / "output" / "demo-en-saddle.pdf").symlink_to(victim)
    result = invoke(mini, monkeypatch, "impose", "demo-en")
    assert result.exit_code == 1
    assert result.stderr.startswith("output/demo-en-saddle.pdf: is a link to ")
    assert victim.read_bytes() == b"precious"


def test_po_import_into_a_translation_linked_outside(mini, monkeypatch, tmp_path):
    outside = tmp_path / "elsewhere.md"
    en = mini / "sources/demo/en.md"
    outside.write_bytes(en.read_bytes())
    en.unlink()
    en.symlink_to(outside)
    po = tmp_path / "demo-en.po"
    # Exported from a copy where en.md is a plain file, then changed.
    en.unlink()
    en.write_bytes(outside.read_bytes())
    assert invoke(mini, monkeypatch, "po", "export", "demo", "en", "-o", str(po)).exit_code == 0
    po.write_text(
        po.read_text(encoding="utf-8").replace("Second paragraph:", "Paragraph two:"),
        encoding="utf-8",
    )
    en.unlink()
    en.symlink_to(outside)
    before = outside.read_bytes()
    result = invoke(mini, monkeypatch, "po", "import", str(po))
    assert result.exit_code == 1
    assert result.stderr.startswith("sources/demo/en.md: ")
    assert "outside the project" in result.stderr
    assert outside.read_bytes() == before


# -- the writer itself --------------------------------------------------------------


def test_writer_refuses_a_target_outside_and_creates_no_folder(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    with pytest.raises(BuildError, match="outside the project"):
        files.atomic_write(project / ".." / "new" / "x.pdf", b"data", project)
    assert not (tmp_path / "new").exists()
    (project / "link").symlink_to(tmp_path / "gone")
    with pytest.raises(BuildError) as caught:
        files.atomic_write(project / "link" / "deep" / "x.pdf", b"data", project)
    assert caught.value.path == project / "link"
    assert not (tmp_path / "gone").exists()


def test_writer_keeps_mode_and_leaves_no_part(tmp_path):
    dest = tmp_path / "out" / "x.po"
    files.atomic_write(dest, b"one", tmp_path)
    assert dest.read_bytes() == b"one" and (dest.stat().st_mode & 0o777) == 0o644
    dest.chmod(0o600)
    files.atomic_write(dest, lambda handle: handle.write(b"two"), tmp_path)
    assert dest.read_bytes() == b"two" and (dest.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in dest.parent.iterdir()) == ["x.po"]


def test_writer_in_a_read_only_folder_is_one_error(tmp_path, monkeypatch):
    """Root ignores folder permissions, so the refusal is simulated."""

    def refuse(*args, **kwargs):
        raise PermissionError(13, os.strerror(13))

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    with pytest.raises(BuildError, match="cannot write here: Permission denied") as caught:
        files.atomic_write(tmp_path / "x.pdf", b"data", tmp_path)
    assert caught.value.path == tmp_path
