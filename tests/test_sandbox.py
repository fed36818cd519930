"""Layouts are untrusted: known Jinja2 escape gadgets, run through the real
``diglot build``, are refused with one ``layout:line: message`` line, and
their payload (run a command, read a file or the environment) never runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from diglot.cli import cli

SECRET = "s3cr3t-d1gl0t-t0ken"
# Each gadget tries to create the file MARK, or to print SECRET (kept in a
# file outside the project and in the environment).
GADGETS = {
    "lipsum-globals-os": '{{ lipsum.__globals__["os"].system("touch MARK") }}',
    "lipsum-builtins-open": '{{ lipsum.__globals__["__builtins__"]["open"]("SECRETFILE").read() }}',
    "cycler-init-globals": '{{ cycler.__init__.__globals__.os.system("touch MARK") }}',
    "joiner-init-globals": '{{ joiner.__init__.__globals__.os.popen("touch MARK").read() }}',
    "namespace-init-globals": '{{ namespace.__init__.__globals__.os.system("touch MARK") }}',
    "helper-globals-import": (
        '{{ stylesheet.__globals__["__builtins__"]["__import__"]("os").system("touch MARK") }}'
    ),
    "mro-subclasses-popen": (
        "{% for c in ''.__class__.__mro__[1].__subclasses__() %}"
        "{% if c.__name__ == 'Popen' %}{{ c(['touch', 'MARK']).wait() }}{% endif %}"
        "{% endfor %}"
    ),
    "format-string": '{{ "{0.__init__.__globals__[os].environ}".format(cycler) }}',
    "format-map": '{{ "{x.__init__.__globals__[os].environ}".format_map({"x": cycler}) }}',
    "attr-filter": (
        '{{ (cycler|attr("__init__")|attr("__globals__"))["os"].system("touch MARK") }}'
    ),
    "map-attribute": (
        '{{ ([cycler]|map(attribute="__init__.__globals__")|first)["os"].system("touch MARK") }}'
    ),
    "template-reference-context": (
        '{{ self._TemplateReference__context.cycler.__init__.__globals__.os.system("touch MARK") }}'
    ),
    "change-given-data": "{{ rows.clear() }}{{ languages.append(1) }}",
    "huge-string": '{{ "x" * 2000000 }}',
    "huge-power": "{{ 2 ** 2000 }}",
}


@pytest.mark.parametrize("name", list(GADGETS))
def test_escape_gadget_is_refused(name: str, mini: Path, tmp_path: Path, monkeypatch):
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET, encoding="utf-8")
    mark = tmp_path / "pwned"
    monkeypatch.setenv("DIGLOT_SECRET", SECRET)
    payload = GADGETS[name].replace("MARK", str(mark)).replace("SECRETFILE", str(secret_file))
    layout = mini / "layouts" / "booklet.html.j2"
    layout.parent.mkdir()
    layout.write_text(
        '{% extends "_base.html.j2" %}\n{% block body %}\n<p>\n'
        + payload
        + "\n</p>\n{% endblock %}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(mini)
    result = CliRunner().invoke(cli, ["build", "--html", "demo-en"])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if "edition(s) failed" not in line]
    assert len(lines) == 1, result.stderr
    # lipsum is not given to layouts at all; everything else is refused by the sandbox.
    why = (
        "undefined in template: 'lipsum' is undefined" if "lipsum" in name else "layout refused: .+"
    )
    assert re.fullmatch(rf"layouts/booklet\.html\.j2:4: {why}", lines[0]), lines[0]
    assert not mark.exists(), "the payload ran"
    assert SECRET not in result.output
    assert not list(mini.glob("output/*.html")) and not list(mini.glob("output/*.pdf"))


@pytest.mark.slow
def test_sandbox_still_renders_the_built_in_layouts(run, mini: Path):
    """Loops, macros, namespace and the stylesheet helper still work."""
    result = run("build", "--html", "demo-az-en", "demo-handout")
    assert result.exit_code == 0, result.output
    html = (mini / "output" / "demo-az-en.html").read_text(encoding="utf-8")
    assert "Kiçik nümunə" in html and "booklet.css" in html
