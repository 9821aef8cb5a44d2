"""Timings of full and incremental builds, printed as a Markdown table.

For each size (1,000 and 10,000 papers by default) a deterministic site is
generated under ``.bench/`` (:mod:`benchmarks.corpus`), then:

* full build: a fresh engine into an empty output folder;
* the in-process rebuild path of ``scholarpages serve``, after that build:
  no change, one paper's title changed, one profile changed, one template
  changed (a site override of ``paper.html``);
* ``scholarpages build`` run a second time (a new process, warm cache folder):
  no change, and one paper's title changed.

Each figure is the median wall time of several runs, also given as a share of
the full build. Old output folders are renamed aside and deleted only after
all measurements: creating files just after deleting a large folder is much
slower on some file systems, which would distort the figures.

Usage: ``python -m benchmarks.run [--sizes 1000 10000] [--runs 5]``
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.corpus import generate
from generator.build import run
from generator.incremental.engine import Engine, Settings
from generator.serve import Preview, ServeOptions

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / ".bench"
SCHOLARPAGES = Path(sys.executable).parent / "scholarpages"


class Bench:
    """One generated site and the folders its measurements use."""

    def __init__(self, papers: int, runs: int) -> None:
        self.papers = papers
        self.runs = runs
        self.root = BENCH / f"corpus-{papers}"
        self.content = generate(self.root, papers)
        self.trash = BENCH / "trash" / f"{papers}-{time.time_ns()}"
        self.trash.mkdir(parents=True)
        self.bib = self.content / "papers" / "papers.bib"
        self.original_bib = self.bib.read_bytes()
        self.edits = 0

    def fresh_output(self, name: str) -> Path:
        """An output folder that does not exist yet (an old one is moved aside)."""
        out = self.root / name
        if out.exists():
            out.rename(self.trash / f"{name}-{time.time_ns()}")
        return out

    def edit_title(self) -> None:
        self.edits += 1
        text = self.original_bib.decode("utf-8")
        middle = text.index("  title         = {", len(text) // 2)
        at = middle + len("  title         = {")
        self.bib.write_text(f"{text[:at]}Edit {self.edits} {text[at:]}", encoding="utf-8")

    def edit_author(self) -> None:
        self.edits += 1
        path = sorted((self.content / "authors").glob("*.yaml"))[0]
        text = re.sub(r"\nrole: .*", "", path.read_text("utf-8"))
        path.write_text(f"{text}role: Edit {self.edits}\n", encoding="utf-8")

    def edit_template(self) -> None:
        self.edits += 1
        path = self.root / "templates" / "paper.html"
        path.parent.mkdir(exist_ok=True)
        theme = (ROOT / "themes" / "default" / "templates" / "paper.html").read_text("utf-8")
        path.write_text(
            theme.replace("{% block content %}", f"{{% block content %}}<!-- edit {self.edits} -->")
        )

    def restore(self) -> None:
        self.bib.write_bytes(self.original_bib)
        generate(self.root, self.papers)
        shutil.rmtree(self.root / "templates", ignore_errors=True)

    def cleanup(self) -> None:
        shutil.rmtree(self.trash.parent, ignore_errors=True)


def median_time(action: Callable[[], object], prepare: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        prepare()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli_build(bench: Bench, output: Path) -> None:
    subprocess.run(
        [str(SCHOLARPAGES), "build", "-q", "--content", str(bench.content), "--output", str(output)],
        check=False,
        cwd=bench.root,
        stdout=subprocess.DEVNULL,
    )


def measure(bench: Bench) -> dict[str, float]:
    out: dict[str, float] = {}
    runs = bench.runs
    engines: list[Engine] = []

    def full() -> None:
        engine = Engine(Settings(bench.content, bench.fresh_output("output-full")))
        run(engine)
        engines.append(engine)

    out["full build"] = median_time(full, lambda: None, max(1, runs // 2))
    # The server's rebuild path, its engine warm from the last full build.
    preview = Preview(ServeOptions(bench.content, engines[-1].settings.output_dir))
    preview.engine = engines[-1]
    preview.rebuild(first=True)

    def rebuild() -> None:
        assert preview.rebuild().written

    nothing: Callable[[], None] = lambda: None  # noqa: E731
    out["no change (serve)"] = median_time(rebuild, nothing, runs)
    out["one entry edited (serve)"] = median_time(rebuild, bench.edit_title, runs)

    def edit_and_reload() -> None:
        bench.edit_title()
        preview.rebuild()

    # What the server writes just after the reload: list downloads, sitemap, search index.
    out["its deferred files (serve, after the reload)"] = median_time(preview.finish, edit_and_reload, runs)
    out["one profile edited (serve)"] = median_time(rebuild, bench.edit_author, runs)
    out["one template edited (serve)"] = median_time(rebuild, bench.edit_template, max(1, runs // 2))
    preview.engine.flush()
    bench.restore()
    cli_out = bench.fresh_output("output-cli")
    cli_build(bench, cli_out)
    out["no change (CLI build)"] = median_time(lambda: cli_build(bench, cli_out), nothing, runs)
    out["one entry edited (CLI build)"] = median_time(
        lambda: cli_build(bench, cli_out), bench.edit_title, runs
    )
    bench.restore()
    return out


def table(results: dict[int, dict[str, float]]) -> str:
    sizes = sorted(results)
    head = "| build | " + " | ".join(f"{n:,} papers" for n in sizes) + " |"
    rule = "|---|" + "---:|" * len(sizes)
    rows = [head, rule]
    for name in results[sizes[0]]:
        cells = []
        for n in sizes:
            value, full = results[n][name], results[n]["full build"]
            cells.append(
                _seconds(value) if name == "full build" else f"{_seconds(value)} ({value / full:.2%})"
            )
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (full builds: half)")
    args = parser.parse_args()
    results: dict[int, dict[str, float]] = {}
    benches = []
    try:
        for n in args.sizes:
            bench = Bench(n, args.runs)
            benches.append(bench)
            print(f"measuring {n:,} papers ...", file=sys.stderr, flush=True)
            results[n] = measure(bench)
    finally:
        for bench in benches:
            bench.restore()
            bench.cleanup()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(table(results))
    print(f"\nMedian wall time (share of the full build); {os.cpu_count()} CPUs, load average {load:.2f}.")


if __name__ == "__main__":
    main()
