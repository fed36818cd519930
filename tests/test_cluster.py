"""diglot build --dask: editions built on a dask.distributed cluster come
back as the same bytes and the same manifest as a local build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from diglot import cluster
from diglot.cli import cli


def test_sends_the_project_but_not_its_output(mini, tmp_path):
    (mini / "output").mkdir()
    (mini / "output" / "old.pdf").write_bytes(b"%PDF-")
    (mini / "sources" / ".hidden").write_text("x")
    outside = tmp_path / "outside.css"
    outside.write_text("p {}")
    (mini / "styles").mkdir()
    (mini / "styles" / "linked.css").symlink_to(outside)
    files = cluster.project_files(mini)
    assert set(files) == {
        "diglot.toml",
        "sources/demo/az.md",
        "sources/demo/en.md",
        "sources/demo/dates.yaml",
    }
    assert files["sources/demo/en.md"] == (mini / "sources/demo/en.md").read_bytes()


def test_worker_errors_name_the_project_file(mini):
    en = mini / "sources/demo/en.md"
    en.write_text(en.read_text(encoding="utf-8") + "\n{#extra}\nNot in the original.\n")
    remote = cluster.build_on_worker(cluster.project_files(mini), "demo-az-en", False, None)
    assert remote.pdf is None
    assert remote.error is not None and remote.error.startswith("sources/demo/en.md:")


@pytest.mark.slow
def test_cluster_build_matches_local_build(mini, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.chdir(mini)
    names = ["demo-az-en", "demo-en"]
    # The local build runs in a fresh process, as the cluster's workers do:
    # state other tests leave in this process (font lookups, caches) must
    # not decide what is compared.
    local = subprocess.run(
        [str(Path(sys.executable).parent / "diglot"), "build", *names, "-j", "1"],
        cwd=mini,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
        timeout=600,
    )
    assert local.returncode == 0, local.stderr
    output = mini / "output"
    expected = {n: (output / f"{n}.pdf").read_bytes() for n in names}
    manifest = json.loads((output / ".diglot-manifest.json").read_text())
    for name in names:
        (output / f"{name}.pdf").unlink()
    (output / ".diglot-manifest.json").unlink()

    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as local_cluster:
        result = CliRunner().invoke(
            cli, ["build", *names, "--dask", local_cluster.scheduler_address]
        )
    assert result.exit_code == 0, result.output
    assert "demo-az-en: output/demo-az-en.pdf" in result.output
    for name in names:
        assert (output / f"{name}.pdf").read_bytes() == expected[name], name
    assert json.loads((output / ".diglot-manifest.json").read_text()) == manifest
    # Up to date now, as after a local build.
    again = CliRunner().invoke(cli, ["build", *names])
    assert again.output.count("is up to date") == 2


@pytest.mark.slow
def test_unreachable_scheduler_is_a_usage_error(run):
    result = run("build", "demo-en", "--dask", "tcp://127.0.0.1:9")
    assert result.exit_code == 2
    assert "cannot reach the dask scheduler at tcp://127.0.0.1:9" in result.output


def test_a_project_over_the_limit_is_not_sent(mini, monkeypatch):
    """Up to the limit the project is sent; one byte more is a usage error
    naming the file that went over it and the limit in MB."""
    monkeypatch.setattr(cluster, "MAX_PROJECT_BYTES", 2**20)
    texts = sum(p.stat().st_size for p in (mini / "sources").rglob("*") if p.is_file())
    big = mini / "sources" / "demo" / "images" / "big.png"
    big.parent.mkdir()
    big.write_bytes(b"x" * (2**20 - texts))  # the texts and it: exactly the limit
    assert len(cluster.project_files(mini)["sources/demo/images/big.png"]) == 2**20 - texts
    big.write_bytes(b"x" * (2**20 - texts + 1))
    with pytest.raises(cluster.UsageError) as raised:
        cluster.project_files(mini)
    assert raised.value.message == "the project is over 1 MB: too large to send to a cluster"
    assert raised.value.path == big


def test_files_a_worker_loaded_name_the_same_files_here(mini, tmp_path):
    """A worker's loaded files (the project's, diglot's own styles) come
    back as paths in this machine's folders; a folder this machine does not
    have is left out."""
    from diglot import render

    worker = tmp_path / "task"
    shutil.copytree(mini, worker)
    builtin = render.resource_dirs(worker)[1]
    style = next(p for p in sorted(builtin.rglob("*")) if p.is_file())
    outside = tmp_path / "elsewhere.css"
    outside.write_text("p {}")
    served = cluster.portable_paths(
        [worker / "sources/demo/en.md", style, outside], render.resource_dirs(worker)
    )
    assert served == (
        (0, "sources/demo/en.md"),
        (1, style.relative_to(builtin).as_posix()),
    )
    assert cluster.local_paths(served, mini) == (mini.resolve() / "sources/demo/en.md", style)
    # a worker with more folders than this machine: those are left out
    extra = len(render.resource_dirs(mini))
    assert cluster.local_paths(((extra, "x.css"), (9, "x.css"), (-1, "y.css")), mini) == ()


def test_only_a_pdf_is_written_back(mini):
    from diglot import project

    edition = project.load(mini).edition("demo-en")
    with pytest.raises(cluster.BuildError, match="not a PDF"):
        cluster.write_back(edition, cluster.Remote("demo-en", pdf=b"<html>"))
    with pytest.raises(cluster.BuildError, match="not a PDF"):
        cluster.write_back(edition, cluster.Remote("demo-en"))
    assert not edition.output.exists()
    cluster.write_back(edition, cluster.Remote("demo-en", pdf=b"%PDF-1.7 a"))
    assert edition.output.read_bytes() == b"%PDF-1.7 a"
    assert not edition.output.with_suffix(".html").exists()
    cluster.write_back(edition, cluster.Remote("demo-en", pdf=b"%PDF-1.7 b", html=b"<p>"))
    assert edition.output.read_bytes() == b"%PDF-1.7 b"
    assert edition.output.with_suffix(".html").read_bytes() == b"<p>"


class FakeFuture:
    def __init__(self, value):
        self.value = value

    def result(self):
        if isinstance(self.value, Exception):
            raise self.value
        return self.value


def fake_distributed(scheduler: dict) -> object:
    """A stand-in for dask.distributed: tasks run here, at once, in order."""
    from types import SimpleNamespace

    class Client:
        def __init__(self, address, timeout):
            if address != "tcp://scheduler:8786":
                raise OSError("connection refused")
            scheduler["connected"] = address

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            scheduler["closed"] = True

        def scatter(self, data, broadcast, hash):
            return dict(data)

        def submit(self, function, *args, pure):
            try:
                return FakeFuture(function(*args))
            except Exception as exc:
                return FakeFuture(exc)

    return SimpleNamespace(Client=Client, as_completed=lambda futures: iter(list(futures)))


def test_editions_built_on_the_cluster_are_written_and_recorded(mini, monkeypatch):
    """What the workers send back is written into output/ (a PDF and its
    HTML), an edition that failed there or whose worker died is reported,
    and the files a worker loaded are recorded for the next build."""
    from diglot import build, project

    scheduler: dict = {}
    monkeypatch.setitem(sys.modules, "distributed", fake_distributed(scheduler))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    received = {}

    def worker(files, name, write_html, epoch):
        received[name] = (files, write_html, epoch)
        if name == "demo-az-en":
            return cluster.Remote(name, error="sources/demo/en.md:3: bad")
        if name == "demo-handout":
            raise RuntimeError("worker died")
        return cluster.Remote(
            name, pdf=b"%PDF-1.7 remote", html=b"<html>", pages=4, served=((0, "diglot.toml"),)
        )

    monkeypatch.setattr(cluster, "build_on_worker", worker)
    editions = project.load(mini).select(())
    outcomes = {
        o.name: o for o in build.build_many(editions, write_html=True, dask="tcp://scheduler:8786")
    }
    assert scheduler == {"connected": "tcp://scheduler:8786", "closed": True}
    assert outcomes["demo-az-en"].error == "sources/demo/en.md:3: bad"
    assert outcomes["demo-handout"].error == (
        "demo-handout: the cluster failed: RuntimeError: worker died"
    )
    built = outcomes["demo-en"].built
    assert built is not None and built.pages == 4
    assert built.served == (mini.resolve() / "diglot.toml",)
    output = mini / "output"
    assert (output / "demo-en.pdf").read_bytes() == b"%PDF-1.7 remote"
    assert (output / "demo-en.html").read_bytes() == b"<html>"
    assert not (output / "demo-az-en.pdf").exists()
    # every worker had the project's files and this machine's SOURCE_DATE_EPOCH
    files, write_html, epoch = received["demo-en"]
    assert files == cluster.project_files(mini) and write_html and epoch == "1700000000"
    manifest = json.loads((output / ".diglot-manifest.json").read_text())
    assert set(manifest) == {"demo-en"}
    assert list(manifest["demo-en"]["served"]) == [str(mini.resolve() / "diglot.toml")]


def test_a_cluster_that_cannot_be_used_is_a_usage_error(mini, monkeypatch):
    from diglot import project

    editions = project.load(mini).select(("demo-en",))
    monkeypatch.setitem(sys.modules, "distributed", None)  # not installed
    with pytest.raises(cluster.UsageError, match=r"pip install 'diglot\[dask\]'"):
        list(cluster.run(editions, "tcp://scheduler:8786", False))
    monkeypatch.setitem(sys.modules, "distributed", fake_distributed({}))
    assert list(cluster.run([], "tcp://nowhere:1", False)) == []  # nothing to send
    with pytest.raises(cluster.UsageError) as raised:
        list(cluster.run(editions, "tcp://nowhere:1", False))
    assert raised.value.message == (
        "cannot reach the dask scheduler at tcp://nowhere:1: connection refused"
    )
