"""The one-line ``path:line: message`` every user-facing error becomes."""

from __future__ import annotations

from pathlib import Path

from diglot.errors import ConfigError, DiglotError, DiglotErrors, SourceError, shown_path


def test_location_and_format(tmp_path):
    root = tmp_path / "p"
    inside = root / "sources" / "w" / "az.md"
    assert DiglotError("bad", inside, 7).format(root) == "sources/w/az.md:7: bad"
    assert DiglotError("bad", inside).format(root) == "sources/w/az.md: bad"
    assert DiglotError("bad", inside, 0).location(root) == "sources/w/az.md"
    assert DiglotError("bad").format(root) == "diglot: bad"
    assert DiglotError("bad", inside, 3).format() == f"{inside}:3: bad"
    # one line, whatever the message holds
    assert DiglotError("two\nlines\t and  tabs", inside, 1).format(root) == (
        "sources/w/az.md:1: two lines and tabs"
    )
    assert str(DiglotError("bad", "x.md", 2)) == "x.md:2: bad"


def test_shown_path(tmp_path):
    root = tmp_path / "p"
    (root / "sources").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("x")
    link = root / "sources" / "linked.md"
    link.symlink_to(elsewhere)
    # a link is shown where the editor sees it, not where it points
    assert shown_path(link, root) == "sources/linked.md"
    assert shown_path(elsewhere, root) == str(elsewhere)
    assert shown_path(elsewhere) == str(elsewhere)
    # the same folder named another way (through a link to the project)
    alias = tmp_path / "alias"
    alias.symlink_to(root)
    assert shown_path(alias / "sources" / "a.md", root) == "sources/a.md"
    assert shown_path(Path("sources/a.md"), root) == "sources/a.md"


def test_several_errors_sorted_by_file_line_and_message():
    errors = DiglotErrors(
        [
            SourceError("zeta", "b.md", 2),
            ConfigError("beta", "a.md", 10),
            SourceError("alpha", "b.md", 2),
            ConfigError("gamma", "a.md", 9),
            DiglotError("no place"),
            SourceError("no line", "a.md"),
        ]
    )
    assert errors.format().splitlines() == [
        "diglot: no place",
        "a.md: no line",
        "a.md:9: gamma",
        "a.md:10: beta",
        "b.md:2: alpha",
        "b.md:2: zeta",
    ]
    # the first one is the error's own message and place
    assert (errors.message, errors.path, errors.line) == ("no place", None, None)
    first = DiglotErrors([SourceError("late", "b.md", 5), SourceError("early", "b.md", 1)])
    assert (first.message, first.path, first.line) == ("early", Path("b.md"), 1)
    # no line sorts before line 1; a path from the root sorts after none
    same = DiglotErrors([SourceError("aa", "a.md", 1), SourceError("zz", "a.md")])
    assert same.format().splitlines() == ["a.md: zz", "a.md:1: aa"]
    rooted = DiglotErrors([SourceError("x", "/abs/a.md", 1), DiglotError("y")])
    assert rooted.format().splitlines() == ["diglot: y", "/abs/a.md:1: x"]
    assert DiglotErrors([]).format() == ""
    assert DiglotErrors([]).message == "unknown error"


def test_an_error_survives_pickling_with_its_message():
    """Worker processes send exceptions back pickled: the message must stay."""
    import pickle

    again = pickle.loads(pickle.dumps(SourceError("bad text", "a.md", 3)))
    assert isinstance(again, SourceError) and again.message == "bad text"
    assert again.args == ("bad text",)
