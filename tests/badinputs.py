"""The bad-input corpus (tests/bad-inputs/): reading its cases and laying
them over a copy of the ``mini`` project. Used by test_bad_inputs.py and
test_hostile.py; the format is described in tests/bad-inputs/README.md."""

from __future__ import annotations

import os
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .conftest import AZ, DATES, EN, TOML

CORPUS = Path(__file__).resolve().parent / "bad-inputs"
MINI = {
    "diglot.toml": TOML,
    "sources/demo/az.md": AZ,
    "sources/demo/en.md": EN,
    "sources/demo/dates.yaml": DATES,
}


@dataclass
class Case:
    name: str
    folder: Path
    about: str
    args: list[str]
    exit: int
    errors: list[str]
    pdf: str  # unchanged | same | rebuilt | none
    runner: str  # cli | subprocess
    simulate: str | None
    timeout: float
    absolute: bool
    slow: bool
    steps: list[dict[str, Any]] = field(default_factory=list)

    @property
    def edition(self) -> str | None:
        names = [a for a in self.args[1:] if not a.startswith("-")]
        return names[0] if self.args[:1] == ["build"] and len(names) == 1 else None


def load_case(folder: Path) -> Case:
    data = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
    known = {
        "about", "args", "exit", "errors", "pdf", "runner", "simulate",
        "timeout", "absolute", "slow", "step",
    }  # fmt: skip
    unknown = set(data) - known
    assert not unknown, f"{folder.name}/case.toml: unknown keys {sorted(unknown)}"
    case = Case(
        name=folder.name,
        folder=folder,
        about=data["about"],
        args=data.get("args", ["build", "demo-en"]),
        exit=data.get("exit", 1),
        errors=data.get("errors", []),
        pdf=data.get("pdf", "unchanged" if data.get("exit", 1) else "same"),
        runner=data.get("runner", "cli"),
        simulate=data.get("simulate"),
        timeout=data.get("timeout", 30),
        absolute=data.get("absolute", False),
        slow=data.get("slow", False),
        steps=data.get("step", []),
    )
    assert case.pdf in {"unchanged", "same", "rebuilt", "none"}, case.name
    assert case.runner in {"cli", "subprocess"}, case.name
    assert case.simulate in {None, "enospc", "fsize", "memory"}, case.name
    assert case.simulate not in {"fsize", "memory"} or case.runner == "subprocess", case.name
    assert (case.simulate != "enospc") or case.runner == "cli", case.name
    return case


CASES = [load_case(p) for p in sorted(CORPUS.iterdir()) if (p / "case.toml").is_file()]


# -- building the project for a case ----------------------------------------------


def _target(project: Path, relative: str) -> Path:
    path = Path(os.path.normpath(project / relative))
    # Steps may write next to the project ("../outside/..."), never further out.
    assert path.is_relative_to(project.parent), relative
    return path


def apply_step(project: Path, step: dict[str, Any]) -> None:
    op = step["op"]
    path = _target(project, step["path"])
    if op != "symlink":
        path.parent.mkdir(parents=True, exist_ok=True)
    if op == "write":
        path.write_text(step["text"], encoding="utf-8")
    elif op == "replace":
        text = path.read_text(encoding="utf-8")
        assert step["old"] in text, f"{step['old']!r} not in {step['path']}"
        path.write_text(text.replace(step["old"], step["new"], 1), encoding="utf-8")
    elif op == "insert":
        text = path.read_text(encoding="utf-8")
        at = text.index(step["before"])
        path.write_text(
            text[:at] + step["text"] * step.get("repeat", 1) + text[at:], encoding="utf-8"
        )
    elif op == "append":
        with path.open("a", encoding="utf-8") as handle:
            handle.write(step["text"] * step.get("repeat", 1))
    elif op == "bytes":
        # Put raw bytes (hex) in front of the first occurrence of `before`.
        data = path.read_bytes()
        at = data.index(step["before"].encode("utf-8"))
        path.write_bytes(data[:at] + bytes.fromhex(step["hex"]) + data[at:])
    elif op == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    elif op == "crlf":
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    elif op == "pad":
        # Grow a valid file to `size` bytes with ordinary paragraphs.
        size = step["size"]
        with path.open("ab") as handle:
            line = b"{#pad}\n" + b"Filler text. " * 7 + b"\n\n"
            while handle.tell() < size:
                handle.write(line)
    elif op == "sparse":
        # Make the file `size` bytes long without writing them (a hole):
        # only a program that reads it would notice.
        with path.open("r+b") as handle:
            handle.truncate(step["size"])
    elif op == "fifo":
        path.unlink(missing_ok=True)
        os.mkfifo(path)
    elif op == "remove":
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    elif op == "mkdir":
        path.mkdir(parents=True, exist_ok=True)
    elif op == "copy":
        shutil.copyfile(_target(project, step["from"]), path)
    elif op == "symlink":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(step["target"])
    else:
        raise AssertionError(f"unknown op {op!r}")


def snapshot(path: Path) -> dict[str, bytes]:
    if path.is_file():
        return {"": path.read_bytes()}
    if not path.is_dir():
        return {}
    return {
        str(p.relative_to(path)): p.read_bytes()
        for p in sorted(path.rglob("*"))
        # diglot's caches (build manifest, check findings, the line breaks a
        # layout settled on) may change; the PDFs may not
        if p.is_file()
        and not p.name.startswith((".diglot-manifest", ".diglot-check"))
        and ".diglot-cache" not in p.relative_to(path).parts
    }


def materialise(case: Case, project: Path) -> None:
    """Lay the case's files/ over ``project``, then apply its steps in order."""
    if (case.folder / "files").is_dir():
        shutil.copytree(case.folder / "files", project, dirs_exist_ok=True)
    for step in case.steps:
        apply_step(project, step)
