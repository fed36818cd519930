"""diglot build --dask: editions built on a dask.distributed cluster come
back as the same bytes and the same manifest as a local build."""

from __future__ import annotations

import json
import os
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
