"""The mutation-testing tool (tools/mutate.py) makes the mutants it says it
makes, each behind its own switch, and none where the code is not run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "mutate.py"


@pytest.fixture(scope="module")
def mutate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("diglot_mutate_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def compiled(mutate: ModuleType, source: str) -> tuple[list[dict[str, Any]], Any]:
    code, found = mutate.mutate_source(source, "<test>", 0)
    return found, code


def run(code: Any, active: int, name: str, *args: Any) -> Any:
    namespace: dict[str, Any] = {"__mutant__": lambda key: key == active}
    exec(code, namespace)  # the test's own snippet
    return namespace[name](*args)


SOURCE = """
from __future__ import annotations

def f(a: int, b: list[int] = []) -> bool:
    if a < 2 and not a in b:
        return True
    return a == 7 or a is None
"""


def test_each_kind_is_made_once_where_it_is(mutate: ModuleType) -> None:
    found, _ = compiled(mutate, SOURCE)
    assert sorted(m["what"] for m in found) == sorted(
        [
            "< → <=",
            "2 → 3",
            "in → not in",
            "not dropped",
            "and → or",
            "return True → return False",
            "== → !=",
            "7 → 8",
            "is → is not",
            "or → and",
        ]
    )
    assert all(m["line"] in (5, 6, 7) for m in found)  # nothing in the annotations
    assert len({m["key"] for m in found}) == len(found)


def test_each_switch_changes_only_its_own_mutant(mutate: ModuleType) -> None:
    found, code = compiled(mutate, SOURCE)
    inputs = [(-1,), (1,), (2,), (3,), (7,), (1, [1])]
    original = [run(code, 0, "f", *args) for args in inputs]
    assert original == [True, True, False, False, True, False]
    for mutant in found:
        mutated = [run(code, mutant["key"], "f", *args) for args in inputs]
        assert mutated != original, mutant["what"]  # every one of these is visible here


def test_only_true_integers_are_changed(mutate: ModuleType) -> None:
    found, _ = compiled(mutate, "x = True\ny = 1.5\nz = 'a'\nw = 3\n")
    assert [m["what"] for m in found] == ["3 → 4"]
