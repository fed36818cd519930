"""Benchmark diglot against bare WeasyPrint; prints one JSON object of ratios.

Run by hand (not part of the test suite):  .venv/bin/python bench/run.py

Every figure is a ratio of two timings taken in the same run on the same
machine, so it can be compared across machines:

- overhead: ``diglot build E`` (a side-by-side edition, whole command)
  divided by bare WeasyPrint rendering that edition's ``--html`` output
  (``weasyprint.HTML(...).write_pdf``, also a whole Python process), best
  of 3 each. Goal <= 1.10.
- facing_cost: the facing edition's build divided by bare WeasyPrint on its
  final HTML: the price of measuring and verifying. Goal <= 2.0.
- parallel_speedup: all editions with --jobs 1 divided by --jobs 2. Goal >= 1.8.
  machine_parallelism is the same ratio for a pure CPU loop in two
  processes: the ceiling this machine allows.
- noop_seconds / noop_rewrote: a second build with nothing changed: its
  wall time and how many files in output/ it rewrote. Goals <= 0.5 s, 0.
- scaling: a generated 400-page edition divided by a 100-page one. Goal <= 4.2.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DIGLOT = str(BIN / "diglot")
BARE = "import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])"


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def best(cmd: list[str], cwd: Path, runs: int = 3) -> float:
    return min(timed(cmd, cwd) for _ in range(runs))


def copy_project(dest: Path) -> Path:
    for name in ("sources", "layouts", "styles"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "diglot.toml", dest / "diglot.toml")
    return dest


def overhead(project: Path, edition: str) -> float:
    diglot = best([DIGLOT, "build", edition, "--force", "-j", "1"], project)
    subprocess.run(
        [DIGLOT, "build", edition, "--force", "--html"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    html = project / "output" / f"{edition}.html"
    bare = best([sys.executable, "-c", BARE, str(html), str(project / "bare.pdf")], project)
    return diglot / bare


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_parallelism(workers: int = 2, n: int = 20_000_000) -> float:
    """Speedup of a pure CPU loop in ``workers`` processes: what the machine
    itself allows, the ceiling for parallel_speedup."""
    import concurrent.futures

    started = time.perf_counter()
    for _ in range(workers):
        _burn(n)
    serial = time.perf_counter() - started
    started = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(workers) as pool:
        list(pool.map(_burn, [n] * workers))
    return serial / (time.perf_counter() - started)


def snapshot(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()}


def generated_project(
    root: Path, pages: int = 0, layout: str = "booklet", segments: int = 0
) -> tuple[Path, str]:
    """A one-work az-en project made from the corrected article with fresh
    segment ids: the article repeated to about ``pages`` A5 booklet pages,
    or ``segments`` short segments (the first sentence of each paragraph
    in turn, a heading every 25), the shape of a glossary or a phrase
    book, where facing layout has the most segments to keep in step."""
    from diglot import sources

    project = root / f"gen-{layout}-{pages or segments}"
    (project / "sources" / "gen").mkdir(parents=True)
    per_copy = 4  # A5 pages one copy of the article fills, side by side
    for lang in ("az", "en"):
        doc = sources.load(REPO / "sources" / "genocide" / f"{lang}.md")
        wanted = segments or max(1, pages // per_copy) * len(doc.segments)
        head = (REPO / "sources" / "genocide" / f"{lang}.md").read_text(encoding="utf-8")
        front = head.split("\n---\n", 1)[0] + "\n---\n"
        body = []
        originals = list(doc.segments.values())
        headings = [b.text for s in originals for b in s.blocks if b.kind == "heading"]
        sentences = [
            b.text.split(". ")[0].rstrip(".") + "."
            for s in originals
            for b in s.blocks
            if b.kind != "heading"
        ]
        for index in range(wanted):
            if not segments:
                seg = originals[index % len(originals)]
                body.append(f"{{#c{index // len(originals)}-{seg.id}}}")
                for block in seg.blocks:
                    body.append(("## " + block.text) if block.kind == "heading" else block.text)
                    body.append("")
            elif index % 25 == 0:
                body += [f"{{#s{index}}}", f"## {headings[index // 25 % len(headings)]}", ""]
            else:
                body += [f"{{#s{index}}}", sentences[index % len(sentences)], ""]
        (project / "sources" / "gen" / f"{lang}.md").write_text(
            front + "\n" + "\n".join(body), encoding="utf-8"
        )
    (project / "diglot.toml").write_text(
        '[[edition]]\nname = "gen"\nwork = "gen"\nlanguages = ["az", "en"]\n'
        f'layout = "{layout}"\npaper = "A5"\ndate = 2026-11-23\ncontents = false\n',
        encoding="utf-8",
    )
    return project, "gen"


def main() -> None:
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="diglot-bench-") as tmp:
        project = copy_project(Path(tmp) / "project")
        results["overhead"] = round(overhead(project, "genocide-az-en"), 3)

        facing = best([DIGLOT, "build", "genocide-az-en-facing", "--force", "-j", "1"], project)
        subprocess.run(
            [DIGLOT, "build", "genocide-az-en-facing", "--force", "--html"],
            cwd=project,
            check=True,
            capture_output=True,
        )
        html = project / "output" / "genocide-az-en-facing.html"
        bare = best([sys.executable, "-c", BARE, str(html), str(project / "bare.pdf")], project)
        results["facing_cost"] = round(facing / bare, 3)

        serial = timed([DIGLOT, "build", "--force", "-j", "1"], project)
        parallel = timed([DIGLOT, "build", "--force", "-j", "2"], project)
        results["parallel_speedup"] = round(serial / parallel, 3)
        results["machine_parallelism"] = round(machine_parallelism(), 3)

        subprocess.run([DIGLOT, "build"], cwd=project, check=True, capture_output=True)
        before = snapshot(project / "output")
        results["noop_seconds"] = round(best([DIGLOT, "build"], project), 3)
        after = snapshot(project / "output")
        results["noop_rewrote"] = sum(1 for k, v in after.items() if before.get(k) != v)

        times = {}
        page_counts = {}
        for pages in (100, 400):
            gen, name = generated_project(Path(tmp), pages)
            times[pages] = best(
                [DIGLOT, "build", name, "--force"], gen, runs=1 if pages > 100 else 2
            )
            from pypdf import PdfReader

            page_counts[pages] = len(PdfReader(gen / "output" / f"{name}.pdf").pages)
        # normalised to exactly four times the pages
        ratio = page_counts[400] / page_counts[100]
        results["scaling"] = round(times[400] / times[100] / ratio * 4, 3)
        results["scaling_pages"] = [page_counts[100], page_counts[400]]
        results["cores"] = os.cpu_count()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
