"""Benchmark diglot against bare WeasyPrint; prints one JSON object of ratios.

Run by hand (not part of the test suite):

    .venv/bin/python bench/run.py                 # everything (an hour on 2 cores)
    .venv/bin/python bench/run.py --skip scaling  # leave a part out

Every figure is a ratio of two measurements taken in the same run on the
same machine, so it can be compared across machines. Each command is a
whole process; its wall time, CPU time (user + system, of it and its
children) and peak memory (largest resident set) are read from the
kernel (os.wait4).

- overhead: for each edition that is not facing, ``diglot build E --force
  -j 1`` divided by bare WeasyPrint (``weasyprint.HTML(...).write_pdf``, a
  whole Python process) on that edition's ``--html`` output, best of 3
  wall times each. Goal <= 1.05. overhead_cpu is the same ratio of CPU
  times: diglot does more work than bare WeasyPrint (texts, templates,
  hyphenation); wall time is the goal and CPU time shows what a loaded
  machine would see.
- resident: for each edition that is not facing, a forced rebuild in a
  process that has built it once (``diglot serve`` rebuilds so: WeasyPrint,
  the fonts, diglot's modules and its caches already loaded; best of 3)
  divided by bare WeasyPrint on its ``--html`` output, a whole process.
  No goal: it measures what a resident build process would save of the
  overhead, which is start-up and not work.
- daemon: for each edition that is not facing, ``diglot build E --force
  -j 1`` as in overhead, a whole process, but with ``diglot daemon
  start`` run first in the project: the command hands the build to the
  resident process (diglot.daemon). Divided by bare WeasyPrint (a whole
  process), best of 3 wall times each. Goal <= 1.05, as overhead's: what
  a user who keeps the daemon running gets. (Wall time only: the build's
  CPU time is the daemon's, not the command's.)
- settled: for each edition, ``diglot build E --force -j 1`` from an
  empty line-breaking cache (cold: ``output/.diglot-cache`` removed) and
  again with the cache its first build wrote (warm: what any rebuild of
  unchanged text gets, ``--force`` included), one run each: the layout
  passes of each (``passes``: [cold, warm]), and their CPU time divided
  by bare WeasyPrint's on the edition's final HTML (``cold_cpu``,
  ``warm_cpu``; ``warm_wall`` the wall-time ratio of the warm build, the
  goal of <= 1.05 on an idle machine).
- facing_cost: each facing edition's build divided by bare WeasyPrint on
  its final HTML: the price of measuring and verifying. Goal <= 2.0.
- facing_scaling: a generated facing edition of 5,000 short segments
  divided by one of 2,000 (CPU time; wall time in facing_scaling_wall).
  Linear is 2.5; goal about 2.5.
- linebreak_cost: each edition's build (CPU time) with the default line
  breaking (total fit for justified text, at most two hyphenated lines in
  a row, no near-empty page: more layout passes) divided by the same build
  with ``linebreak = "first-fit"``, which still keeps the hyphen and page
  rules. No goal; docs/typography.md says what the passes buy.
- parallel_speedup: all editions with --jobs 1 divided by --jobs 2. Goal >= 1.8.
  machine_parallelism is the same ratio for a pure CPU loop in two
  processes: the ceiling this machine allows.
- noop_seconds / noop_rewrote: a second build with nothing changed: its
  wall time and how many files in output/ it rewrote. Goals <= 0.5 s, 0.
- scaling: a generated 400-page booklet divided by a 100-page one
  (normalised to exactly 4x the pages). Goal <= 4.2.
- chunked_speedup: a generated facing edition of about 400 pages
  (2,250 segments) built with ``--chunks -j 2`` from an empty chunk cache,
  divided by bare WeasyPrint on its final HTML (wall times; CPU times in
  chunked_cpu). Goal <= 0.6 on 2 cores. chunked_whole is the same
  edition built in one piece (--no-chunks) divided by bare WeasyPrint.
  chunked_warm (chunked_warm_cpu) is the chunked build again from an
  empty chunk cache (no chunk's PDF kept) but with output/.diglot-cache of
  the first one kept: the line breaking's decisions and what the measuring
  column's parts measured; chunked_passes: the layout passes of the two
  (those that laid out anything).
- edit_ratio: the same edition after one word of one paragraph changed,
  built again with its chunks cached, divided by the chunked full build
  (wall of the whole command). Goal <= 0.25. edit_build_ratio is the
  same for the build alone, as it reports its time (the command first
  runs diglot check on the changed text); edit_vs_bare divides the
  edit's wall time by bare WeasyPrint's.
- big: seconds (wall, CPU) and peak memory (MB) of a 20,000-segment
  booklet and of the 5,000-segment facing edition: what one worker needs.
- load: the machine's load average (1 minute) at the start and the end:
  on a 2-core machine anything above 2 means other work shared the cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DIGLOT = str(BIN / "diglot")
BARE = "import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])"
PARTS = (
    "overhead",
    "resident",
    "daemon",
    "settled",
    "facing",
    "linebreak",
    "chunks",
    "parallel",
    "noop",
    "scaling",
    "big",
)


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float
    output: str = ""  # what the command printed


def measured(cmd: list[str], cwd: Path) -> Run:
    """Run ``cmd`` to its end; its wall time, CPU time and peak memory."""
    # Standard error goes to a file: a pipe read only at the end would stop
    # a build that prints more than a pipe holds (diglot check's warnings).
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        errors.seek(0)
        error = errors.read().decode(errors="replace")[-4000:]
        out.seek(0)
        output = out.read().decode(errors="replace")[-4000:]
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{error}")
    # ru_maxrss is in KiB on Linux; it covers the process and its children.
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


def timed(cmd: list[str], cwd: Path) -> float:
    return measured(cmd, cwd).wall


def best(cmd: list[str], cwd: Path, runs: int = 3) -> Run:
    results = [measured(cmd, cwd) for _ in range(runs)]
    return Run(
        min(r.wall for r in results), min(r.cpu for r in results), max(r.peak_mb for r in results)
    )


def copy_project(dest: Path) -> Path:
    for name in ("sources", "layouts", "styles"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "diglot.toml", dest / "diglot.toml")
    return dest


def bare_run(project: Path, edition: str, runs: int = 3) -> Run:
    """Bare WeasyPrint (a whole process) on ``edition``'s ``--html`` output."""
    subprocess.run(
        [DIGLOT, "build", edition, "--force", "--html"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    html = project / "output" / f"{edition}.html"
    return best([sys.executable, "-c", BARE, str(html), str(project / "bare.pdf")], project, runs)


def against_bare(project: Path, edition: str, runs: int = 3) -> tuple[float, float]:
    """(wall, CPU) of ``diglot build edition`` divided by bare WeasyPrint's."""
    diglot = best([DIGLOT, "build", edition, "--force", "-j", "1"], project, runs)
    bare = bare_run(project, edition, runs)
    return round(diglot.wall / bare.wall, 3), round(diglot.cpu / bare.cpu, 3)


# A forced rebuild in a process that has built the edition once, as
# diglot serve rebuilds (diglot.build.build_many, the same path): prints
# the best wall time of three.
RESIDENT = """
import sys, time
from pathlib import Path
from diglot import project
from diglot.build import build_many
edition = project.load(Path(".")).edition(sys.argv[1])
list(build_many([edition], force=True))
times = []
for _ in range(3):
    started = time.perf_counter()
    list(build_many([edition], force=True))
    times.append(time.perf_counter() - started)
print(min(times))
"""


def resident(project: Path, edition: str, runs: int = 3) -> float:
    """A rebuild of ``edition`` in a warm process divided by bare WeasyPrint."""
    out = subprocess.run(
        [sys.executable, "-c", RESIDENT, edition],
        cwd=project,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return round(float(out.split()[-1]) / bare_run(project, edition, runs).wall, 3)


def with_daemon(project: Path, names: list[str]) -> dict[str, float]:
    """``diglot build`` with the project's daemon running, divided by bare
    WeasyPrint, for each of ``names``."""
    subprocess.run([DIGLOT, "daemon", "start"], cwd=project, check=True, capture_output=True)
    try:  # (the command hands each build to the daemon: against_bare's wall time)
        return {name: against_bare(project, name)[0] for name in names}
    finally:
        subprocess.run([DIGLOT, "daemon", "stop"], cwd=project, check=True, capture_output=True)


def passes_of(run: Run) -> int:
    """The layout passes ``diglot build`` reports for its one edition."""
    found = re.findall(r"(\d+) layout passes", run.output)
    return int(found[-1]) if found else 1


def settled(project: Path, names: list[str]) -> dict[str, dict[str, object]]:
    """For each edition: cold and warm builds against bare WeasyPrint (see
    the module's docstring, ``settled``)."""
    out: dict[str, dict[str, object]] = {}
    build = [DIGLOT, "build", "--force", "-j", "1"]
    for name in names:
        shutil.rmtree(project / "output" / ".diglot-cache", ignore_errors=True)
        cold = measured([*build, name], project)
        warm = measured([*build, name, "--html"], project)
        html = project / "output" / f"{name}.html"
        bare = measured([sys.executable, "-c", BARE, str(html), str(project / "bare.pdf")], project)
        out[name] = {
            "passes": [passes_of(cold), passes_of(warm)],
            "cold_cpu": round(cold.cpu / bare.cpu, 3),
            "warm_cpu": round(warm.cpu / bare.cpu, 3),
            "warm_wall": round(warm.wall / bare.wall, 3),
        }
        progress({"settled": out})
    return out


def linebreak_cost(tmp: Path, names: list[str]) -> dict[str, float]:
    """For each edition, the CPU time of its build with the default line
    breaking (total fit, the ladder and near-empty page checks) divided by
    one with ``linebreak = "first-fit"``, built in turn (best of 2 each)."""
    first_fit = copy_project(tmp / "first-fit")
    config = first_fit / "diglot.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[[edition]]\n", '[[edition]]\nlinebreak = "first-fit"\n'))
    default = tmp / "project"
    out = {}
    for name in names:
        fitted = best([DIGLOT, "build", name, "--force", "-j", "1"], default, runs=2)
        plain = best([DIGLOT, "build", name, "--force", "-j", "1"], first_fit, runs=2)
        out[name] = round(fitted.cpu / plain.cpu, 3)
    return out


def editions(project: Path) -> list[tuple[str, str]]:
    out = subprocess.run(
        [DIGLOT, "editions", "--format", "json"],
        cwd=project,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [(e["name"], e["layout"]) for e in json.loads(out)]


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
        headings = [b.plain for s in originals for b in s.blocks if b.kind == "heading"]
        # At most 160 characters: 20,000 of them stay under the 5 MB a
        # source file may have.
        sentences = [
            textwrap.shorten(b.plain.split(". ")[0].rstrip("."), 160, placeholder="") + "."
            for s in originals
            for b in s.blocks
            if b.kind != "heading"
        ]
        for index in range(wanted):
            if not segments:
                seg = originals[index % len(originals)]
                body.append(f"{{#c{index // len(originals)}-{seg.id}}}")
                for block in seg.blocks:
                    body.append(("## " + block.plain) if block.kind == "heading" else block.plain)
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


def chunked(tmp: Path, segments: int = 2250) -> dict[str, object]:
    """chunked_speedup and edit_ratio (see the module's docstring)."""
    gen, name = generated_project(tmp, layout="facing", segments=segments)
    cache = gen / "output" / ".diglot-chunks"
    build = [DIGLOT, "build", name, "--force"]
    whole = measured([*build, "--no-chunks", "-j", "2", "--html"], gen)
    html = gen / "output" / f"{name}.html"
    bare = measured([sys.executable, "-c", BARE, str(html), str(gen / "bare.pdf")], gen)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(gen / "output" / ".diglot-cache", ignore_errors=True)
    full = measured([*build, "--chunks", "-j", "2"], gen)
    # Again from an empty chunk cache, with the line breaking's decisions kept.
    shutil.rmtree(cache, ignore_errors=True)
    warm = measured([*build, "--chunks", "-j", "2"], gen)
    # One word of one paragraph in the middle: "the" becomes "tho".
    source = gen / "sources" / "gen" / "en.md"
    text = source.read_text(encoding="utf-8")
    at = text.index(" the ", text.index(f"{{#s{segments // 2 + 1}}}"))
    source.write_text(text[:at] + " tho " + text[at + 5 :], encoding="utf-8")
    edit = measured([DIGLOT, "build", name, "--chunks", "-j", "2"], gen)
    return {
        # What two processes get on this machine right now (2.0: two free cores).
        "parallelism_now": round(machine_parallelism(), 3),
        "chunked_pages": pages_of(gen / "output" / f"{name}.pdf"),
        "chunked_speedup": round(full.wall / bare.wall, 3),
        "chunked_cpu": round(full.cpu / bare.cpu, 3),
        "chunked_whole": round(whole.wall / bare.wall, 3),
        "chunked_warm": round(warm.wall / bare.wall, 3),
        "chunked_warm_cpu": round(warm.cpu / bare.cpu, 3),
        "chunked_passes": [passes_of(full), passes_of(warm)],
        "edit_ratio": round(edit.wall / full.wall, 3),
        # The build alone, as it reports itself (the command also runs diglot
        # check on the changed text first).
        "edit_build_ratio": round(build_seconds(edit) / build_seconds(full), 3),
        "edit_vs_bare": round(edit.wall / bare.wall, 3),
        "chunked_seconds": {
            "bare": round(bare.wall, 1),
            "whole": round(whole.wall, 1),
            "chunked": round(full.wall, 1),
            "chunked_warm": round(warm.wall, 1),
            "edit": round(edit.wall, 1),
        },
    }


def build_seconds(run: Run) -> float:
    """The seconds ``diglot build`` reports for its one edition."""
    found = re.findall(r"([\d.]+) s\)", run.output)
    return float(found[-1]) if found else run.wall


def progress(results: dict[str, object]) -> None:
    """The figures so far, on standard error: a part that fails later
    does not lose them."""
    print(json.dumps(results), file=sys.stderr, flush=True)


def pages_of(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def absolute_pythonpath() -> None:
    """Every command runs in a copy of the project: a relative PYTHONPATH
    (``PYTHONPATH=tools``) would import there whatever diglot the virtual
    environment has installed, not this checkout's."""
    value = os.environ.get("PYTHONPATH")
    if value:
        parts = [str(Path(part).resolve()) for part in value.split(os.pathsep) if part]
        os.environ["PYTHONPATH"] = os.pathsep.join(parts)


def main(argv: list[str] | None = None) -> None:
    absolute_pythonpath()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip", action="append", default=[], choices=PARTS)
    args = parser.parse_args(argv)
    parts = [p for p in PARTS if p not in args.skip]
    results: dict[str, object] = {"cores": os.cpu_count(), "load": [os.getloadavg()[0]]}
    with tempfile.TemporaryDirectory(prefix="diglot-bench-") as tmp:
        project = copy_project(Path(tmp) / "project")
        # Once per machine: the static font instances every build prints with.
        subprocess.run([DIGLOT, "build", "genocide-en"], cwd=project, check=True)
        listed = editions(project)
        if "overhead" in parts:
            ratios = {n: against_bare(project, n) for n, layout in listed if layout != "facing"}
            results["overhead"] = {n: wall for n, (wall, _) in ratios.items()}
            results["overhead_cpu"] = {n: cpu for n, (_, cpu) in ratios.items()}
        progress(results)
        if "resident" in parts:
            results["resident"] = {
                n: resident(project, n) for n, layout in listed if layout != "facing"
            }
        progress(results)
        if "daemon" in parts:
            results["daemon"] = with_daemon(project, [n for n, lay in listed if lay != "facing"])
        progress(results)
        if "settled" in parts:
            results["settled"] = settled(project, [n for n, _ in listed])
        progress(results)
        if "facing" in parts:
            costs = {n: against_bare(project, n, 2) for n, layout in listed if layout == "facing"}
            results["facing_cost"] = {n: wall for n, (wall, _) in costs.items()}
            runs = {}
            for segments in (2000, 5000):
                gen, name = generated_project(Path(tmp), layout="facing", segments=segments)
                runs[segments] = measured([DIGLOT, "build", name, "--force"], gen)
                results[f"facing_{segments}_pages"] = pages_of(gen / "output" / f"{name}.pdf")
            results["facing_scaling"] = round(runs[5000].cpu / runs[2000].cpu, 3)
            results["facing_scaling_wall"] = round(runs[5000].wall / runs[2000].wall, 3)
            results["facing_5000"] = {
                "wall": round(runs[5000].wall, 1),
                "cpu": round(runs[5000].cpu, 1),
                "peak_mb": round(runs[5000].peak_mb),
            }
        progress(results)
        if "linebreak" in parts:
            results["linebreak_cost"] = linebreak_cost(Path(tmp), [n for n, _ in listed])
        progress(results)
        if "chunks" in parts:
            results.update(chunked(Path(tmp)))
        progress(results)
        if "parallel" in parts:
            serial = timed([DIGLOT, "build", "--force", "-j", "1"], project)
            parallel = timed([DIGLOT, "build", "--force", "-j", "2"], project)
            results["parallel_speedup"] = round(serial / parallel, 3)
            results["machine_parallelism"] = round(machine_parallelism(), 3)
        progress(results)
        if "noop" in parts:
            subprocess.run([DIGLOT, "build"], cwd=project, check=True, capture_output=True)
            before = snapshot(project / "output")
            results["noop_seconds"] = round(best([DIGLOT, "build"], project).wall, 3)
            after = snapshot(project / "output")
            results["noop_rewrote"] = sum(1 for k, v in after.items() if before.get(k) != v)
        progress(results)
        if "scaling" in parts:
            times = {}
            page_counts = {}
            for pages in (100, 400):
                gen, name = generated_project(Path(tmp), pages)
                times[pages] = best(
                    [DIGLOT, "build", name, "--force"], gen, runs=1 if pages > 100 else 2
                ).wall
                page_counts[pages] = pages_of(gen / "output" / f"{name}.pdf")
            # normalised to exactly four times the pages
            ratio = page_counts[400] / page_counts[100]
            results["scaling"] = round(times[400] / times[100] / ratio * 4, 3)
            results["scaling_pages"] = [page_counts[100], page_counts[400]]
        progress(results)
        if "big" in parts:
            gen, name = generated_project(Path(tmp), layout="booklet", segments=20_000)
            run = measured([DIGLOT, "build", name, "--force"], gen)
            results["booklet_20000"] = {
                "pages": pages_of(gen / "output" / f"{name}.pdf"),
                "wall": round(run.wall, 1),
                "cpu": round(run.cpu, 1),
                "peak_mb": round(run.peak_mb),
            }
    results["load"] = [*results["load"], os.getloadavg()[0]]  # type: ignore[misc]
    print(json.dumps(results))


if __name__ == "__main__":
    main()
