"""The url_fetcher: only files inside the project and the font packages."""

from __future__ import annotations

import socket

import pytest

from diglot import fonts, pdf
from diglot.errors import FetchRefused


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def html_with(tag: str) -> str:
    return f"<html><head>{tag}</head><body><p>text</p></body></html>"


def test_serves_project_files(tmp_path):
    (tmp_path / "style.css").write_text("p { color: red }")
    document, warnings = pdf.render(
        html_with('<link rel="stylesheet" href="style.css">'), tmp_path, [tmp_path]
    )
    assert len(document.pages) == 1 and warnings == []


def test_serves_font_packages(tmp_path):
    css = f"<style>{fonts.font_face_css()} p {{ font-family: 'Noto Serif' }}</style>"
    _, warnings = pdf.render(html_with(css), tmp_path, [tmp_path])
    assert warnings == []


@pytest.mark.parametrize(
    ("tag", "reason"),
    [
        ('<link rel="stylesheet" href="https://example.org/x.css">', "not network URLs"),
        ('<link rel="stylesheet" href="http://127.0.0.1:9/x.css">', "not network URLs"),
        ('<style>@import url("ftp://example.org/a.css");</style>', "not network URLs"),
        ('<link rel="stylesheet" href="file:///etc/passwd">', "outside the project"),
        ('<link rel="stylesheet" href="../../outside.css">', "outside the project"),
        ("<style>p { background: url('/etc/hostname') }</style>", "outside the project"),
        ('<link rel="stylesheet" href="missing.css">', "file not found"),
    ],
)
def test_refuses_everything_else(tmp_path, no_network, tag, reason):
    project = tmp_path / "a" / "b"
    project.mkdir(parents=True)
    (tmp_path / "outside.css").write_text("p{}")
    with pytest.raises(FetchRefused, match=reason):
        pdf.render(html_with(tag), project, [project])
    assert no_network == []


def test_refuses_large_data_urls(tmp_path):
    big = "data:text/css," + "a" * (pdf.DATA_URL_LIMIT + 1)
    with pytest.raises(FetchRefused, match="over the"):
        pdf.render(html_with(f'<link rel="stylesheet" href="{big}">'), tmp_path, [tmp_path])


def test_refusal_is_located(tmp_path):
    def locate(url):
        return tmp_path / "styles" / "x.css", 7

    with pytest.raises(FetchRefused) as err:
        pdf.render(
            html_with('<link rel="stylesheet" href="https://e.org/x.css">'),
            tmp_path,
            [tmp_path],
            locate,
        )
    assert err.value.format().startswith(
        f"{tmp_path}/styles/x.css:7: refused to load https://e.org/x.css"
    )


@pytest.mark.parametrize(("length", "whole"), [(120, True), (121, False)])
def test_a_refused_address_is_shown_whole_up_to_120_characters(tmp_path, length, whole):
    url = "https://example.org/" + "a" * (length - len("https://example.org/"))
    assert len(url) == length
    html = f'<html><body><img src="{url}"></body></html>'
    with pytest.raises(FetchRefused) as err:
        pdf.render(html, tmp_path, [tmp_path])
    shown = url if whole else url[:100] + "…"
    assert err.value.message.startswith(f"refused to load {shown}: ")


@pytest.mark.parametrize(("extra", "served"), [(0, True), (1, False)])
def test_data_urls_are_served_up_to_their_limit(tmp_path, extra, served):
    head = "data:text/css,"
    url = head + "a" * (pdf.DATA_URL_LIMIT - len(head) + extra)
    html = f'<html><head><link rel="stylesheet" href="{url}"></head><body>x</body></html>'
    if served:
        pdf.render(html, tmp_path, [tmp_path])
    else:
        with pytest.raises(FetchRefused, match="KiB limit"):
            pdf.render(html, tmp_path, [tmp_path])


def test_pdf_identifier_names_files_by_their_innermost_folder(tmp_path):
    """The same project gives the same PDF identifier wherever it and the
    fonts are, the fonts inside the project or not: a file counts by its
    place in the innermost folder that holds it."""

    def identifier(project, font_dir, font="x.ttf"):
        css, face = (project / "styles/a.css").as_uri(), (font_dir / font).as_uri()
        return pdf.pdf_identifier(f'<link href="{css}"><img src="{face}">', [project, font_dir])

    inside = identifier(tmp_path / "a/p", tmp_path / "a/p/fonts")
    assert inside == identifier(tmp_path / "b/p", tmp_path / "c/fonts")
    assert inside != identifier(tmp_path / "b/p", tmp_path / "c/fonts", "y.ttf")
    assert len(inside) == 32 and int(inside, 16) >= 0


def test_a_picture_is_named_in_the_pdf_by_its_place_in_the_project(tmp_path):
    """WeasyPrint names a raster image in the PDF by a digest of its URL:
    an absolute file: URL, so a project with a picture, built in another
    folder (another checkout, a dask worker's), gave other bytes. Named
    by its place in the project, the same page is the same PDF anywhere;
    another picture is another name."""
    import re

    from PIL import Image
    from pypdf import PdfReader

    def names(project, picture="a.png"):
        (project / "img").mkdir(parents=True)
        Image.new("RGB", (4, 3), (200, 30, 30)).save(project / "img" / picture)
        html = f'<p>x</p><img src="img/{picture}" style="width: 10mm">'
        document, _ = pdf.render(html, project, [project])
        out = project / "out.pdf"
        pdf.write(document, out, identifier=b"0" * 32)
        data = out.read_bytes()
        drawn = PdfReader(out).pages[0].get_contents().get_data()
        return re.findall(rb"/(i[0-9a-f]{32}\w*) Do", drawn), data

    here, first = names(tmp_path / "a" / "project")
    there, second = names(tmp_path / "elsewhere" / "deeper" / "project")
    assert len(here) == 1 and here == there and first == second
    other, _ = names(tmp_path / "b" / "project", "b.png")
    assert other != here
