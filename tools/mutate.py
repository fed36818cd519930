"""Mutation testing of the diglot package on the fast test suite.

    make mutate                          # every module
    make mutate MODULES="impose dates"   # some modules
    python tools/mutate.py impose dates  # the same without make
    python tools/mutate.py --report      # the figures of the last run so far
    python tools/mutate.py --work build/mutate-facts facts   # a run of its own

The program is changed one small thing at a time, and the fast tests
(``-m "not slow"``) must notice each change. The kinds of change are the
ones the project sets its target on:

- a comparison's boundary or sense: ``<`` ↔ ``<=``, ``>`` ↔ ``>=``,
  ``==`` ↔ ``!=``, ``in`` ↔ ``not in``, ``is`` ↔ ``is not``;
- a boolean operator: ``and`` ↔ ``or``;
- a ``not`` dropped;
- an integer constant ``n`` made ``n + 1``;
- a returned boolean flipped (``return True`` ↔ ``return False``).

Why our own tool rather than mutmut (which this project used first): mutmut
makes every kind of mutant (strings, arguments...) and re-runs every test
that reaches the mutated *function*; modules whose functions every test
reaches (project, sources, render, check) took an hour each on two cores.
Here, in the way of mutmut 3's "trampolines" but per expression:

1. Every mutation of a module is compiled into it at once, each behind a
   switch, ``(mutated if __mutant__(k) else original)``, so the modules are
   compiled and the tests collected once, in one process.
2. One run of the fast tests with no mutant active records which tests
   evaluate each switch (forked build workers report theirs through a
   file) and how long each test takes; diglot's caches are emptied before
   each test, so that every test that would compute a cached value counts
   as reaching the code that computes it.
3. For each mutant, only the tests that reached it run, fastest first, in
   that same process, and the first failure kills it (``pytest -x``).
   A test taking ten times its normal time (and two seconds more) counts
   as a failure (a mutant that loops). After a kill, the killing test runs
   again with no mutant: if it fails then too, the process's state was
   spoiled by the mutant, and the mutant is tried again in a fresh
   process. Caches (``functools.cache``) are emptied before and after
   each mutant.

It runs in a copy of the working tree at ``build/mutate/`` (so the tree can
be edited meanwhile), one test process at a time, and keeps its results
there: an interrupted run continues where it stopped, for as long as the
copied sources are the same. Prints, per module, the mutants killed and
survived and the share killed, then the survivors with their line.

What it cannot see: tests that run the ``diglot`` command in a child
*process* (not a fork) use an unmutated package; a mutant evaluated only
when a module is imported (module constants, default arguments) is listed
as "at import" and not counted, since no test can switch it on.
docs/mutation.md keeps the last figure and why each survivor is harmless.
"""

from __future__ import annotations

import argparse
import ast
import copy
import functools
import hashlib
import importlib.abc
import importlib.machinery
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any, ClassVar

REPO = Path(__file__).resolve().parent.parent
# Where a run keeps its copy and results; ``--work`` picks another folder, so
# that runs over different modules can go side by side.
WORK = REPO / "build" / "mutate"
SPACING = 100_000  # mutant keys: module index * SPACING + number in module
# Seconds of tests (as timed with no mutant) a mutant may take: a mutant still
# alive after that counts as surviving, with the tests not run said in the
# summary. Most kills come from the first few tests; a mutant that every
# test reaches would otherwise cost the whole suite.
BUDGET = 10.0

COMPARE_SWAP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
SYMBOL = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}


# -- making the mutants -------------------------------------------------------------


class Mutator(ast.NodeTransformer):
    """Put every mutant of one module behind its switch; ``found`` describes them."""

    def __init__(self, base: int) -> None:
        self.base = base
        self.found: list[dict[str, Any]] = []

    def _switch(self, node: ast.expr, mutated: ast.expr, what: str) -> ast.expr:
        key = self.base + len(self.found) + 1
        self.found.append({"key": key, "line": node.lineno, "col": node.col_offset, "what": what})
        test = ast.Call(ast.Name("__mutant__", ast.Load()), [ast.Constant(key)], [])
        return ast.copy_location(ast.IfExp(test, mutated, node), node)

    # Annotations are never evaluated (``from __future__ import annotations``).
    def visit_arg(self, node: ast.arg) -> ast.arg:
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node.returns = None if node.returns is None else node.returns  # left as is
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        node.args = self.visit(node.args)
        node.body = [self.visit(s) for s in node.body]
        return node

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_match_case(self, node: ast.match_case) -> ast.AST:
        # Patterns are not expressions; the guard and the body are.
        if node.guard is not None:
            node.guard = self.visit(node.guard)
        node.body = [self.visit(s) for s in node.body]
        return node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        for value in node.values:  # not the format specs
            if isinstance(value, ast.FormattedValue):
                value.value = self.visit(value.value)
        return node

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        result: ast.expr = node
        for i, op in enumerate(node.ops):
            other = COMPARE_SWAP.get(type(op))
            if other is None:
                continue
            mutated = copy.deepcopy(node)
            mutated.ops[i] = other()
            what = f"{SYMBOL[type(op)]} → {SYMBOL[other]}"
            result = self._switch(result, mutated, what)
        return result

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        self.generic_visit(node)
        other: ast.boolop = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        mutated = ast.BoolOp(other, copy.deepcopy(node.values))
        what = "and → or" if isinstance(node.op, ast.And) else "or → and"
        return self._switch(node, mutated, what)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if not isinstance(node.op, ast.Not):
            return node
        return self._switch(node, copy.deepcopy(node.operand), "not dropped")

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = node.value
        if type(value) is not int:
            return node
        return self._switch(node, ast.Constant(value + 1), f"{value} → {value + 1}")

    def visit_Return(self, node: ast.Return) -> ast.AST:
        if isinstance(node.value, ast.Constant) and type(node.value.value) is bool:
            flag = node.value.value
            node.value = self._switch(
                node.value,
                ast.Constant(not flag),
                f"return {flag} → return {not flag}",
            )
            return node
        self.generic_visit(node)
        return node


def mutate_source(source: bytes | str, path: str, base: int) -> tuple[Any, list[dict[str, Any]]]:
    """The module compiled with every mutant behind its switch, and the mutants."""
    tree = ast.parse(source, path)
    mutator = Mutator(base)
    tree = mutator.visit(tree)
    ast.fix_missing_locations(tree)
    return compile(tree, path, "exec", dont_inherit=True), mutator.found


# -- the switches, in the test process ----------------------------------------------


class State:
    active = 0  # the mutant switched on (0: none)
    record = False  # note which switches are evaluated (the run with no mutant)
    child = False  # in a forked build worker
    hits: ClassVar[set[int]] = set()  # switches evaluated in this process since the last reset
    child_seen: ClassVar[set[int]] = set()
    child_fd = -1


def switch(key: int) -> bool:
    if State.record:
        if not State.child:
            State.hits.add(key)
        elif key not in State.child_seen:  # a forked build worker: tell the parent once
            State.child_seen.add(key)
            if State.child_fd >= 0:
                os.write(State.child_fd, b"%d\n" % key)
    return key == State.active


def _forked() -> None:
    State.child = True


class MutatingFinder(importlib.abc.MetaPathFinder):
    """Import the chosen diglot modules with their mutants compiled in."""

    def __init__(self, modules: dict[str, int]) -> None:
        self.modules = modules  # dotted name -> key base
        self.mutants: dict[int, dict[str, Any]] = {}

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name not in self.modules:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.origin is None:
            return None
        spec.loader = MutatingLoader(name, spec.origin, self)
        return spec


class MutatingLoader(importlib.machinery.SourceFileLoader):
    def __init__(self, name: str, path: str, finder: MutatingFinder) -> None:
        super().__init__(name, path)
        self.finder = finder

    def get_code(self, fullname: str) -> Any:  # never the cached bytecode
        source = self.get_data(self.path)
        code, found = mutate_source(source, self.path, self.finder.modules[fullname])
        for mutant in found:
            self.finder.mutants[mutant["key"]] = {"module": fullname, **mutant}
        return code

    def exec_module(self, module: ModuleType) -> None:
        module.__dict__["__mutant__"] = switch
        super().exec_module(module)


def module_names(root: Path) -> list[str]:
    package = root / "tools" / "diglot"
    names = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def clear_caches() -> None:
    for name, module in list(sys.modules.items()):
        if not name.startswith("diglot"):
            continue
        for value in list(vars(module).values()):
            for thing in (value, *vars(value).values()) if isinstance(value, type) else (value,):
                clear = getattr(thing, "cache_clear", None)
                if callable(clear) and isinstance(thing, functools._lru_cache_wrapper):
                    clear()


class TestTooLong(BaseException):
    """A test over its time: the mutant loops (a BaseException, so no
    ``except Exception`` in diglot swallows it)."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise TestTooLong


class Worker:
    """The pytest plugin that replaces the test loop: map, or run mutants."""

    def __init__(self, mode: str, work: Path, finder: MutatingFinder) -> None:
        self.mode = mode
        self.work = work
        self.finder = finder

    def pytest_runtestloop(self, session: Any) -> bool:
        from _pytest.runner import runtestprotocol

        items = {item.nodeid: item for item in session.items}
        setup_state = session._setupstate

        heartbeat = self.work / "heartbeat"

        def run(item: Any, limit: float | None = None) -> str:
            """Run one test: "passed", "failed" or "too long"."""
            heartbeat.touch()
            setup_state.teardown_exact(item)
            if limit:
                signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                reports = runtestprotocol(item, log=False, nextitem=item.parent)
            except TestTooLong:
                return "too long"
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            long = any("TestTooLong" in str(r.longrepr) for r in reports if r.failed)
            if long:
                return "too long"
            ok = bool(reports) and all(r.passed or r.skipped for r in reports)
            return "passed" if ok else "failed"

        signal.signal(signal.SIGALRM, _alarm)
        child_file = self.work / "child-hits"
        child_file.write_bytes(b"")
        State.child_fd = os.open(child_file, os.O_WRONLY | os.O_APPEND)
        if self.mode == "map":
            self.map(items, run, child_file)
        else:
            self.mutants(items, run)
        setup_state.teardown_exact(None)
        return True

    def map(self, items: dict[str, Any], run: Any, child_file: Path) -> None:
        at_import = set(State.hits)  # evaluated while modules were imported
        table: dict[str, Any] = {"tests": {}, "failed": []}
        for nodeid, item in items.items():
            # Each test as a mutant will run it: with diglot's caches empty
            # (clear_caches), so that a test records the code behind a cache
            # an earlier test filled (Babel's month names, a language's
            # words): otherwise only the first test to fill it counts as
            # reaching that code, and its mutants are tried with that test
            # alone.
            clear_caches()
            State.hits = set()
            os.truncate(child_file, 0)
            start = time.perf_counter()
            ok = run(item) == "passed"
            took = time.perf_counter() - start
            children = {int(k) for k in child_file.read_text().split()}
            if not ok:
                table["failed"].append(nodeid)
                continue
            table["tests"][nodeid] = {"time": took, "hits": sorted(State.hits | children)}
        table["at_import"] = sorted(at_import)
        table["mutants"] = [self.finder.mutants[k] for k in sorted(self.finder.mutants)]
        (self.work / "map.json").write_text(json.dumps(table), encoding="utf-8")

    def mutants(self, items: dict[str, Any], run: Any) -> None:
        todo = json.loads((self.work / "todo.json").read_text(encoding="utf-8"))
        with (self.work / "results.jsonl").open("a", encoding="utf-8") as out:
            for key, tests in todo:
                out.write(json.dumps({"start": key}) + "\n")
                out.flush()
                State.active = key
                # and before: what the last mutant's killing test ran again
                # without it (below) left cached would hide this one
                clear_caches()
                status, by, limit, spent = "survived", None, 0.0, 0.0
                for nodeid, took in tests:
                    if spent > float(os.environ.get("MUTATE_BUDGET", BUDGET)):
                        status = "survived budget"
                        break
                    spent += took
                    limit = 10 * took + 2
                    outcome = run(items[nodeid], limit)
                    if outcome != "passed":
                        status, by = ("killed" if outcome == "failed" else "timeout"), nodeid
                        break
                State.active = 0
                clear_caches()
                # The killing test must pass again with no mutant, or the
                # process's state is spoiled: a fresh one tries again.
                if by is not None and run(items[by], limit) != "passed":
                    out.write(json.dumps({"spoiled": key}) + "\n")
                    out.flush()
                    os._exit(3)  # a fresh process tries it again
                out.write(json.dumps({"key": key, "status": status, "by": by}) + "\n")
                out.flush()


def worker(mode: str, root: Path, modules: Sequence[str]) -> None:
    names = module_names(root)
    finder = MutatingFinder({m: (names.index(m) + 1) * SPACING for m in modules})
    sys.meta_path.insert(0, finder)
    sys.dont_write_bytecode = True
    State.record = mode == "map"
    os.register_at_fork(after_in_child=_forked)
    os.chdir(root)
    for name in modules:  # now, so that what runs at import is not put on a test
        importlib.import_module(name)
    import pytest

    plugin = Worker(mode, Path(os.environ["MUTATE_STATE"]), finder)
    pytest.main(
        [
            *os.environ.get("MUTATE_TESTS", "tests").split(),
            "-m",
            "not slow",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
        ],
        plugins=[plugin],
    )


# -- the run, in the parent process -------------------------------------------------


def copy_tree(modules: Sequence[str]) -> str:
    """Copy the tracked and new files of the working tree to WORK; return a
    digest of the copy's package and tests (results are kept while it holds)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.decode()
    digest = hashlib.sha256(" ".join(modules).encode())
    tree = WORK / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    for name in sorted(filter(None, listed.split("\0"))):
        source, target = REPO / name, tree / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(source.readlink())
        elif source.is_file():
            shutil.copy2(source, target)
            if name.startswith(("tools/diglot/", "tests/")):
                digest.update(name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def spawn(mode: str, modules: Sequence[str]) -> subprocess.Popen[bytes]:
    tree = WORK / "tree"
    env = {
        **os.environ,
        "PYTHONPATH": str(tree / "tools"),
        "PYTHONHASHSEED": "0",
        "MUTATE_STATE": str(WORK),
    }
    command = [sys.executable, str(tree / "tools" / "mutate.py"), "--worker", mode, *modules]
    # A session of its own: a mutant that makes a forked build worker clean up
    # as its parent does kills its process group, which is then not ours.
    return subprocess.Popen(
        command, cwd=tree, env=env, stdout=subprocess.DEVNULL, start_new_session=True
    )


def _order(module: str) -> Any:
    """Tests of the module's own test files first (most likely to kill),
    then the fastest."""
    own = {f"tests/test_{part}.py" for part in module.split(".")[1:]}

    def key(test: tuple[str, float]) -> tuple[bool, float]:
        return test[0].split("::")[0] not in own, test[1]

    return key


def load_results() -> dict[int, dict[str, Any]]:
    path = WORK / "results.jsonl"
    done = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if "status" in entry:
                done[entry["key"]] = entry
    return done


def run_mutants(modules: Sequence[str], table: dict[str, Any]) -> None:
    tests = table["tests"]
    by_mutant: dict[int, list[tuple[str, float]]] = {}
    for nodeid, info in tests.items():
        for key in info["hits"]:
            by_mutant.setdefault(key, []).append((nodeid, info["time"]))
    results = WORK / "results.jsonl"
    heartbeat = WORK / "heartbeat"
    tries: Counter[int] = Counter()
    while True:
        done = load_results()
        todo = [
            (m["key"], sorted(by_mutant[m["key"]], key=_order(m["module"])))
            for m in table["mutants"]
            if m["key"] not in done and m["key"] in by_mutant
        ]
        if not todo:
            return
        # In a fixed random order, so that a run cut short has measured a fair
        # sample of every module rather than all of the first ones.
        random.Random(0).shuffle(todo)  # noqa: S311 (an order, not a secret)
        (WORK / "todo.json").write_text(json.dumps(todo), encoding="utf-8")
        results.touch()
        heartbeat.touch()
        process = spawn("run", modules)
        seen = results.stat().st_size
        while process.poll() is None:
            time.sleep(2)
            if results.stat().st_size != seen:
                seen = results.stat().st_size
                report(table, quiet=True)
            elif time.time() - heartbeat.stat().st_mtime > 600:  # stuck out of the alarm's reach
                process.kill()
                process.wait()
        lines = results.read_text(encoding="utf-8").splitlines()
        starts = [json.loads(x)["start"] for x in lines if x.startswith('{"start"')]
        current = starts[-1] if starts else None
        if current is not None and current not in load_results():
            tries[current] += 1
            if tries[current] >= 2:
                # Stuck, or spoiling the process, twice: the tests do not pass with it.
                with results.open("a", encoding="utf-8") as out:
                    out.write(json.dumps({"key": current, "status": "stuck", "by": None}) + "\n")


def report(table: dict[str, Any], quiet: bool = False) -> str:
    done = load_results()
    reached = {k for info in table["tests"].values() for k in info["hits"]}
    at_import = set(table["at_import"])
    rows: dict[str, Counter[str]] = {}
    survivors = []
    for mutant in table["mutants"]:
        key, module = mutant["key"], mutant["module"]
        counts = rows.setdefault(module, Counter())
        if key in at_import and key not in done:
            counts["at import"] += 1
        elif key not in reached:
            counts["no test"] += 1
            survivors.append(f"{module}:{mutant['line']}: {mutant['what']} (no test reaches it)")
        elif key not in done:
            counts["not run"] += 1
        elif done[key]["status"].startswith("survived"):
            counts["survived"] += 1
            budget = " (not all its tests run)" if done[key]["status"] != "survived" else ""
            survivors.append(f"{module}:{mutant['line']}: {mutant['what']}{budget}")
        else:
            counts["killed"] += 1
    lines = [
        f"{'module':<33} {'killed':>6} {'survived':>8} {'no test':>7} {'killed %':>8}"
        f" {'reached':>7} {'not run':>7} {'at import':>9}"
    ]
    total: Counter[str] = Counter()
    for module, counts in sorted(rows.items()):
        total.update(counts)
        lines.append(_row(module, counts))
    lines.append(_row("all", total))
    failed = table.get("failed", [])
    text = "\n".join(
        [
            *lines,
            "",
            f"tests failing with no mutant (not used): {len(failed)}",
            *failed,
            "",
            "survivors:",
            *survivors,
        ]
    )
    (WORK / "summary.txt").write_text(text + "\n", encoding="utf-8")
    if not quiet:
        print(text)
    return text


def _row(name: str, c: Counter[str]) -> str:
    """killed % counts a mutant no fast test reaches as surviving; "reached"
    is the share killed of those a fast test reaches."""
    run = c["killed"] + c["survived"] + c["no test"]
    share = f"{100 * c['killed'] / run:.1f}" if run else "-"
    tested = c["killed"] + c["survived"]
    reached = f"{100 * c['killed'] / tested:.1f}" if tested else "-"
    return (
        f"{name:<33} {c['killed']:>6} {c['survived']:>8} {c['no test']:>7} {share:>8}"
        f" {reached:>7} {c['not run']:>7} {c['at import']:>9}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="module names, e.g. impose check.names")
    parser.add_argument("--report", action="store_true", help="print the last run's figures")
    parser.add_argument("--tests", default="tests", help="test files or folders (default: tests)")
    parser.add_argument(
        "--budget", type=float, default=BUDGET, help=f"seconds of tests per mutant ({BUDGET:g})"
    )
    parser.add_argument(
        "--work", type=Path, help="folder for the run's copy and results (default: build/mutate)"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.work:
        global WORK
        WORK = args.work.resolve()
    if args.worker:
        worker(args.worker, Path.cwd(), args.modules)
        return
    if args.report:
        report(json.loads((WORK / "map.json").read_text(encoding="utf-8")))
        return
    known = module_names(REPO)
    chosen = [m if m.startswith("diglot") else f"diglot.{m}" for m in args.modules] or known
    unknown = [m for m in chosen if m not in known]
    if unknown:
        sys.exit(f"mutate: no module {', '.join(unknown)} (modules: {', '.join(known)})")
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ["MUTATE_TESTS"] = args.tests
    os.environ["MUTATE_BUDGET"] = str(args.budget)
    digest = copy_tree([*chosen, args.tests])
    stamp = WORK / "digest"
    if not stamp.exists() or stamp.read_text() != digest or not (WORK / "map.json").exists():
        for stale in ("map.json", "results.jsonl"):
            (WORK / stale).unlink(missing_ok=True)
        print(f"mutate: recording which tests reach which mutant ({len(chosen)} modules)...")
        spawn("map", chosen).wait()
        if not (WORK / "map.json").exists():
            sys.exit("mutate: the test run with no mutant failed")
        stamp.write_text(digest)
    table = json.loads((WORK / "map.json").read_text(encoding="utf-8"))
    print(f"mutate: {len(table['mutants'])} mutants, {len(table['tests'])} tests")
    run_mutants(chosen, table)
    report(table)


if __name__ == "__main__":
    main()
