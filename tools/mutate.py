"""Mutation testing of the diglot package on the fast test suite, with mutmut.

    make mutate                          # every module
    make mutate MODULES="impose dates"   # some modules
    python tools/mutate.py impose dates  # the same without make

mutmut changes the code one small thing at a time (a comparison, a boolean
operator, a ``not``, a number, a returned value, a string...) and runs the
tests that reach the changed function; a mutant no test notices "survived".
It finds a package only under ``./``, ``src/`` or ``source/``, while diglot's
lives in ``tools/``, so the run happens in a copy of the working tree at
``build/mutate/`` with the package moved to ``src/diglot``; the settings are
``[tool.mutmut]`` in pyproject.toml, with paths as they are in that copy.

Prints, per module, the mutants killed and survived and the share killed,
and lists the survivors (``mutmut show NAME`` in build/mutate/ shows one).
docs/mutation.md keeps the last figure and why each survivor is harmless.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "build" / "mutate"
PACKAGE = REPO / "tools" / "diglot"
KILLED = {"killed", "timeout", "segfault", "caught by type check"}


def copy_tree() -> None:
    """The tracked and new (not ignored) files of the working tree, package in src/."""
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        target = WORK / name
        if name.startswith("tools/diglot/"):
            target = WORK / "src" / name.removeprefix("tools/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():  # the package's layouts/ and styles/ (relative links)
            target.symlink_to(source.readlink())
        elif source.is_file():  # not deleted in the working tree
            shutil.copy2(source, target)


def select(modules: list[str]) -> None:
    """Write the modules to mutate into the copy's ``only_mutate`` setting."""
    known = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
    unknown = [m for m in modules if m not in known]
    if unknown:
        sys.exit(f"mutate: no module {', '.join(unknown)} (modules: {', '.join(known)})")
    chosen = modules or known
    patterns = ", ".join(f'"src/diglot/{m}.py"' for m in chosen)
    config = WORK / "pyproject.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("[tool.mutmut]\n", f"[tool.mutmut]\nonly_mutate = [{patterns}]\n", 1)
    config.write_text(text, encoding="utf-8")


def mutmut(*args: str, capture: bool = False) -> str:
    # Tests that run the installed ``diglot`` command in a child process get
    # the copy's unmutated package: they pass, but cannot see mutants.
    env = {**os.environ, "PYTHONPATH": str(WORK / "src")}
    done = subprocess.run(
        [str(Path(sys.executable).with_name("mutmut")), *args],
        cwd=WORK,
        env=env,
        check=not capture,
        capture_output=capture,
        text=True,
    )
    return done.stdout


def report() -> tuple[Counter[str], Counter[str], list[str]]:
    killed: Counter[str] = Counter()
    survived: Counter[str] = Counter()
    survivors = []
    for line in mutmut("results", "--all", "true", capture=True).splitlines():
        match = re.match(r"\s*diglot\.(\w+)\.(\S+): (.+)$", line)
        if not match:
            continue
        module, status = match[1], match[3].strip()
        if status in KILLED:
            killed[module] += 1
        elif status in ("survived", "no tests"):
            survived[module] += 1
            survivors.append(f"diglot.{module}.{match[2]}: {status}")
    return killed, survived, survivors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="module names (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="mutants tested at once")
    args = parser.parse_args()
    copy_tree()
    select(args.modules)
    mutmut("run", "--max-children", str(args.jobs))
    killed, survived, survivors = report()
    lines = ["module          killed  survived  killed %"]
    for module in sorted(killed.keys() | survived.keys()):
        k, s = killed[module], survived[module]
        lines.append(f"{module:<15} {k:>6}  {s:>8}  {100 * k / (k + s):>7.1f}")
    k, s = sum(killed.values()), sum(survived.values())
    if k + s:
        lines.append(f"{'all':<15} {k:>6}  {s:>8}  {100 * k / (k + s):>7.1f}")
    summary = "\n".join([*lines, "", "survivors:", *survivors])
    (WORK / "summary.txt").write_text(summary + "\n", encoding="utf-8")
    print(summary)


if __name__ == "__main__":
    main()
