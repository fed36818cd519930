"""diglot serve: the routes (Starlette's TestClient) and live reload in a
real browser (headless Chromium driven by Selenium, in the slow suite)."""

from __future__ import annotations

import io
import socket
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfWriter
from starlette.testclient import TestClient

from diglot.serve import Site, create_app

from .pdfread import text


def blank_pdf(path: Path, pages: int = 2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=420, height=595)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


@pytest.fixture
def served(mini):
    """The mini project with a PDF for demo-en, served without building."""
    data = blank_pdf(mini / "output" / "demo-en.pdf")
    site = Site(mini)
    with TestClient(create_app(site, start=False)) as client:
        yield site, client, data


def test_index_lists_editions_with_languages_layout_completeness_and_state(served):
    _, client, _ = served
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    row = html[html.index('<tr id="edition-demo-az-en">') :].split("</tr>")[0]
    assert "az – en" in row and "booklet, A5" in row and "en 100 %" in row
    assert "waiting" in row and ".pdf" not in row  # not built yet: no PDF link
    built = html[html.index('<tr id="edition-demo-en">') :].split("</tr>")[0]
    assert "built earlier" in built and 'href="/pdf/demo-en.pdf"' in built
    assert 'new EventSource("/events")' in html


def test_pdf_and_previews_are_served(served):
    _, client, data = served
    pdf = client.get("/pdf/demo-en.pdf")
    assert pdf.status_code == 200 and pdf.content == data
    assert pdf.headers["content-type"] == "application/pdf"
    page = client.get("/edition/demo-en").text
    assert page.count('<img src="/preview/demo-en/') == 2
    png = client.get("/preview/demo-en/2.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert client.get("/preview/demo-en/3.png").status_code == 404
    assert client.get("/preview/demo-en/1.png").status_code == 200
    assert client.get("/preview/demo-en/0.png").status_code == 404
    assert client.get("/pdf/demo-az-en.pdf").status_code == 404  # not built
    assert client.get("/edition/nope").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/pdf/../diglot.toml",
        "/pdf/..%2fdiglot.toml.pdf",
        "/pdf/%2e%2e%2f%2e%2e%2fetc%2fpasswd.pdf",
        "/pdf/..%2foutput%2fdemo-en.pdf",
        "/preview/demo-en/..%2f..%2fdiglot.toml",
        "/preview/..%2f..%2fsources/1.png",
        "/output/demo-en.pdf",
        "/sources/demo/en.md",
        "/diglot.toml",
        "/edition/..%2f..%2fdiglot.toml",
        "//etc/passwd",
    ],
)
def test_nothing_outside_output_is_served(served, url):
    _, client, _ = served
    response = client.get(url)
    assert response.status_code == 404, url
    assert "[[edition]]" not in response.text and "root:" not in response.text


def test_a_failed_build_shows_the_error_and_keeps_the_last_pdf(served, mini):
    site, client, data = served
    en = mini / "sources/demo/en.md"
    en.write_text(en.read_text(encoding="utf-8") + "\n{#Bad}\nx\n", encoding="utf-8")
    site.build_now()
    html = client.get("/edition/demo-en").text
    assert "sources/demo/en.md:23: invalid segment id {#Bad}" in html
    assert client.get("/pdf/demo-en.pdf").content == data


def test_events_announce_a_new_build(served):
    site, client, _ = served
    from diglot import serve as serve_mod

    before = site.snapshot()["version"]
    with client.stream("GET", "/events") as stream:
        lines = stream.iter_lines()
        first = next(line for line in lines if line.startswith("data:"))
        assert f'"version": {before}' in first
        threading.Thread(target=site.build_now).start()  # fails fast: no texts change needed
        seen = []
        for line in lines:
            if line.startswith("data:"):
                seen.append(line)
                if '"building": false' in line:
                    break
    assert seen and f'"version": {before}' not in seen[-1]
    assert serve_mod.POLL_SECONDS < 1


@pytest.mark.slow
def test_build_now_builds_and_lists_check_findings(mini):
    en = mini / "sources/demo/en.md"
    en.write_text(
        en.read_text(encoding="utf-8").replace("February 25, 1997", "February 26, 1997"),
        encoding="utf-8",
    )
    site = Site(mini, ("demo-az-en",))
    site.build_now()
    with TestClient(create_app(site, start=False, editor_url="edit://{path}#{line}")) as client:
        html = client.get("/").text
    assert "demo-en" not in html.replace("demo-en.", "")  # only the named edition
    row = html[html.index('<tr id="edition-demo-az-en">') :].split("</tr>")[0]
    assert ">built<" in row
    assert f'<a href="edit://{en.resolve()}#15">sources/demo/en.md:15</a>' in html
    assert "date-mismatch" in html


# -- in a real browser --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(mini):
    import uvicorn

    port = free_port()
    site = Site(mini, ("demo-en",))
    config = uvicorn.Config(create_app(site), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert instance.started
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


def wait_for(condition, timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if condition():
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout} s")


@pytest.mark.slow
def test_the_page_updates_itself_when_a_source_changes(server, browser, mini):
    from selenium.webdriver.common.by import By

    pdf = mini / "output" / "demo-en.pdf"
    browser.get(f"{server}/edition/demo-en")
    wait_for(lambda: pdf.exists(), 120)  # the first build
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#pages img"), 30)
    assert browser.find_element(By.ID, "state").text == "built"
    shown = browser.find_element(By.TAG_NAME, "body").get_attribute("data-version")
    first_image = browser.find_element(By.CSS_SELECTOR, "#pages img").get_attribute("src")

    en = mini / "sources/demo/en.md"
    en.write_text(
        en.read_text(encoding="utf-8").replace("A small sample", "A changed sample"),
        encoding="utf-8",
    )
    edited = time.monotonic()

    def reloaded() -> bool:
        try:
            body = browser.find_element(By.TAG_NAME, "body")
            return body.get_attribute("data-version") != shown and bool(
                browser.find_elements(By.CSS_SELECTOR, "#pages img")
            )
        except Exception:  # the page is being replaced
            return False

    wait_for(reloaded, 15)
    assert time.monotonic() - edited < 15
    assert browser.find_element(By.ID, "state").text == "built"
    assert browser.find_element(By.CSS_SELECTOR, "#pages img").get_attribute("src") != first_image
    assert "A changed sample" in text(pdf)


def test_serve_command_listens_on_localhost_by_default(run, mini, monkeypatch):
    from diglot import serve as serve_mod

    calls = []
    monkeypatch.setattr(serve_mod, "serve", lambda *args: calls.append(args))
    result = run("serve", "demo-en")
    assert result.exit_code == 0, result.output
    ((root, names, host, port, editor_url),) = calls
    assert root == mini.resolve()
    assert (names, host, port, editor_url) == (("demo-en",), "127.0.0.1", 8000, None)
    assert "http://127.0.0.1:8000/" in result.output and "warning" not in result.output
    wide = run("serve", "--host", "0.0.0.0", "--port", "9000")
    assert "warning: listening on 0.0.0.0" in wide.output
    unknown = run("serve", "demo-fr")
    assert unknown.exit_code == 2 and "no edition named 'demo-fr'" in unknown.output


# -- in this process: the parts a page shows without building ---------------------------


def test_an_edition_without_a_pdf_shows_no_pages(served):
    """An edition not built yet has no page previews (no PDF, no pages)."""
    site, client, _ = served
    assert site.page_count("demo-az-en") == 0
    html = client.get("/edition/demo-az-en").text
    assert "<img" not in html and "waiting" in html
    assert site.preview("demo-az-en", 1) is None


def test_an_unreadable_pdf_has_no_pages(served, mini):
    """A PDF that is not one (cut short by a crash) shows no pages rather
    than breaking the page."""
    site, client, _ = served
    (mini / "output" / "demo-en.pdf").write_bytes(b"%PDF-1.7\nnot really")
    assert site.page_count("demo-en") == 0
    page = client.get("/edition/demo-en")
    assert page.status_code == 200 and "<img" not in page.text
    assert client.get("/preview/demo-en/1.png").status_code == 404


def test_a_preview_as_new_as_its_pdf_is_not_rendered_again(served, mini):
    """Previews are rendered once per PDF: a PNG at least as new as the PDF
    is served as it is; one older than the PDF is rendered again."""
    import os

    site, client, _ = served
    first = client.get("/preview/demo-en/1.png").content
    png = site.preview("demo-en", 1)
    assert png is not None and png.read_bytes() == first
    pdf = mini / "output" / "demo-en.pdf"
    png.write_bytes(b"kept")
    stamp = pdf.stat().st_mtime_ns
    os.utime(png, ns=(stamp, stamp))  # as new as the PDF, not newer
    assert client.get("/preview/demo-en/1.png").content == b"kept"
    os.utime(png, ns=(stamp - 10**9, stamp - 10**9))  # older: the PDF changed since
    again = client.get("/preview/demo-en/1.png").content
    assert again == first and again.startswith(b"\x89PNG")


def test_findings_link_to_the_editor_when_asked(served, mini):
    """With an editor URL, each check finding opens its file at its line."""
    from diglot.serve import Finding

    site, _, _ = served
    en = str((mini / "sources/demo/en.md").resolve())
    site.findings = [
        Finding("sources/demo/en.md:15", en, 15, "date-mismatch", "warning", "dates differ")
    ]
    with TestClient(create_app(site, start=False, editor_url="edit://{path}#{line}")) as client:
        html = client.get("/").text
    assert f'<a href="edit://{en}#15">sources/demo/en.md:15</a>' in html
    assert "date-mismatch" in html and "dates differ" in html
    with TestClient(create_app(site, start=False)) as client:
        plain = client.get("/").text
    assert "edit://" not in plain and "<code>sources/demo/en.md:15</code>" in plain


def broken(mini: Path) -> None:
    en = mini / "sources/demo/en.md"
    en.write_text(en.read_text(encoding="utf-8") + "\n{#Bad}\nx\n", encoding="utf-8")


def test_the_worker_builds_when_started_and_stops(mini, monkeypatch):
    """start() builds once in the background (here a build that stops at
    once on a bad text), and the page shows the outcome; stop() ends the
    threads."""
    import watchfiles

    monkeypatch.setattr(watchfiles, "watch", lambda *args, **kwargs: iter(()))
    site = Site(mini, ("demo-en",))
    broken(mini)
    before = site.snapshot()["version"]
    site.start()
    try:
        deadline = time.monotonic() + 20
        while site.snapshot()["version"] < before + 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        snap = site.snapshot()
    finally:
        site.stop()
    assert snap["version"] == before + 2 and not snap["building"]
    assert any("invalid segment id {#Bad}" in line for line in snap["problems"])
    assert site._threads == []


def test_an_internal_error_in_a_build_is_shown_and_serving_goes_on(mini, monkeypatch):
    """A bug while building is shown on the page as one line, and the page
    is told to reload; the worker keeps waiting for changes."""
    import watchfiles

    from diglot import build as build_mod

    def bug(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(watchfiles, "watch", lambda *args, **kwargs: iter(()))
    monkeypatch.setattr(build_mod, "build_many", bug)
    site = Site(mini, ("demo-en",))
    site.start()
    try:
        deadline = time.monotonic() + 20
        while not site.snapshot()["problems"] and time.monotonic() < deadline:
            time.sleep(0.05)
        first = site.snapshot()
        site.request_build()  # still served: another change is built again
        while site.snapshot()["version"] < first["version"] + 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        second = site.snapshot()
    finally:
        site.stop()
    assert first["problems"] == ["diglot: internal error: RuntimeError: boom"]
    assert not first["building"]
    assert second["version"] >= first["version"] + 3
    with TestClient(create_app(site, start=False)) as client:
        assert "diglot: internal error: RuntimeError: boom" in client.get("/").text


def test_changes_in_output_and_editor_files_do_not_rebuild(mini, monkeypatch):
    """The watcher rebuilds on a change to the project's files, not on what
    builds write (output/), hidden folders, caches or editors' temporary
    files."""
    import watchfiles

    seen = {}

    def watch(root, **options):
        seen.update(options, root=root)
        yield {(watchfiles.Change.modified, str(mini / "sources/demo/en.md"))}

    monkeypatch.setattr(watchfiles, "watch", watch)
    site = Site(mini)
    site._watch()
    assert seen["root"] == mini.resolve() and site._wanted.is_set()  # one change: one build
    relevant = seen["watch_filter"]
    changed = watchfiles.Change.modified
    root = mini.resolve()
    for path, rebuild in {
        "sources/demo/en.md": True,
        "diglot.toml": True,
        "styles/booklet.css": True,
        "output/demo-en.pdf": False,
        "output/preview/demo-en/demo-en-1.png": False,
        ".git/index": False,
        "sources/.cache/x": False,
        "tools/__pycache__/x.pyc": False,
        "sources/demo/.en.md.1234.part": False,
        "sources/demo/en.md~": False,
        "sources/demo/.en.md.swp": False,
        "sources/demo/en.md.swp": False,
    }.items():
        assert relevant(changed, str(root / path)) is rebuild, path
