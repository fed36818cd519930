"""Hostile sources: nothing is fetched from the network or from outside the
project, and HTML in a source text is printed, never interpreted.

The URL cases themselves (https, http, file:///etc/passwd, ../../, large
data: URLs, links out of the project) are in the bad-input corpus
(tests/bad-inputs/5x-hostile-*), run through the CLI by test_bad_inputs.py;
here they run again with every way of opening a connection recorded.
"""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from diglot.cli import cli

from .badinputs import CASES, materialise
from .pdfread import text

HOSTILE = [c for c in CASES if "hostile" in c.name]


@pytest.fixture
def connections(monkeypatch):
    """Every attempt to resolve a name or open a connection, refused and recorded."""
    attempts: list[tuple[str, tuple]] = []

    def recorder(what):
        def refuse(*args, **kwargs):
            attempts.append((what, args))
            raise OSError(f"test: no network ({what})")

        return refuse

    monkeypatch.setattr(socket, "create_connection", recorder("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", recorder("getaddrinfo"))
    monkeypatch.setattr(socket.socket, "connect", recorder("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", recorder("connect_ex"))
    return attempts


def test_corpus_has_the_hostile_cases():
    names = " ".join(c.name for c in HOSTILE)
    for kind in ("https", "http", "etc-passwd", "dotdot", "data-url", "font-face", "symlink"):
        assert kind in names, kind


@pytest.mark.parametrize("case", HOSTILE, ids=lambda c: c.name)
def test_hostile_layout_or_style_is_refused_without_network(case, mini, monkeypatch, connections):
    materialise(case, mini)
    monkeypatch.chdir(mini)
    result = CliRunner().invoke(cli, case.args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "refused to load" in result.stderr or "outside the project" in result.stderr
    assert connections == []
    assert not (mini / "output" / "demo-en.pdf").exists()


@pytest.mark.slow
def test_html_in_a_source_is_printed_as_text(mini, monkeypatch, connections):
    en = mini / "sources/demo/en.md"
    en.write_text(
        en.read_text(encoding="utf-8")
        + "\n{#p3}\nBefore <script>alert(1)</script> and "
        + '<img src=http://example.org/pixel.png> and <a href="https://example.org/">a link</a>.\n'
        + "\n<style>body { display: none }</style>\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(mini)
    result = CliRunner().invoke(cli, ["build", "demo-en", "--html"])
    assert result.exit_code == 0, result.output
    assert connections == []
    # (without the word joiners that keep a line's words together)
    html = (mini / "output/demo-en.html").read_text(encoding="utf-8").replace("\u2060", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert "<img" not in html
    assert '<a href="https://example.org/' not in html
    # Printed as text; spaces dropped, as a long token may break at the margin.
    content = text(mini / "output/demo-en.pdf")
    squeezed = "".join(content.split())
    for markup in (
        "<script>alert(1)</script>",
        "<img src=http://example.org/pixel.png>",
        '<a href="https://example.org/">a link</a>',
        "<style>body { display: none }</style>",
    ):
        assert "".join(markup.split()) in squeezed, markup
    # the hidden-body style stayed text: the rest of the booklet is there
    assert "Second paragraph" in content
