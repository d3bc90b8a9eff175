"""Batch build speed: the naive CLI loop vs ``xxgk build --jobs 2`` vs the one-process floor; the up-to-date
check for 1,000 reports; peak memory per worker.

    .venv/bin/python benchmarks/batch.py [--reports 40] [--keep DIR] [--skip-naive]

(a) naive: per report ``papermill`` CLI → ``jupyter nbconvert --to html --no-input`` → ``chromium --headless
    --print-to-pdf`` (the full Debian ``chromium``, as the issue words it), two reports at a time (``xargs -P2``).
(b) ``xxgk build --jobs 2 --no-site`` (fresh kernel process per report), cold start included; (b0) the same
    with ordinary kernel start-up (``XXGK_FORK_KERNELS=0``), the "before" of the fork server.
(c) floor: execute, export and print every report in one warm process with one reused kernel (no isolation).
Peak memory is the PSS (shared pages split between processes) of each worker's whole process tree: the worker,
its kernel fork server and kernel, and its headless browser, sampled every 0.5 s.
The last line is ``RESULT naive_over_xxgk=… xxgk_over_floor=… uptodate_1000_s=… worker_peak_mb=…``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "report.ipynb"
CHROMIUM_ARGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update " \
                "--disable-sync --no-first-run --no-pdf-header-footer"  # fmt: skip


def demo(params: Path, n: int) -> list[tuple[int, str]]:
    """N demo reports: N/2 agencies × 2022–2023."""
    from xxgk.demo import write_demo
    from xxgk.params import discover

    write_demo(params, max(1, n // 2), [2022, 2023], seed=1)
    return [(y, a) for y, a, _ in discover(params)][:n]


def naive(params: Path, out: Path, reports) -> float:
    """(a) the CLI loop, two at a time."""
    from xxgk.render.pdf import find_chromium

    browser = shutil.which("chromium") or find_chromium()  # the loop uses the full chromium CLI
    out.mkdir(parents=True)
    script = out / "one.sh"
    script.write_text(f"""#!/bin/sh
set -e
y=$1; a=$2; d={out}/$y/$a; mkdir -p $d
{VENV_BIN}/papermill --no-progress-bar -p agency $a -p year $y -p params_dir {params} {NOTEBOOK} $d/report.ipynb 2>/dev/null
{VENV_BIN}/jupyter nbconvert --to html --no-input $d/report.ipynb --output report 2>/dev/null
{browser} {CHROMIUM_ARGS} --print-to-pdf=$d/report.pdf file://$d/report.html 2>/dev/null
""")
    script.chmod(0o755)
    lines = "".join(f"{y} {a}\n" for y, a in reports)
    t0 = time.perf_counter()
    subprocess.run(["xargs", "-P2", "-n2", str(script)], input=lines, text=True, check=True,
                   env={**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}"})  # fmt: skip
    wall = time.perf_counter() - t0
    missing = [f"{y}/{a}" for y, a in reports if not (out / str(y) / a / "report.pdf").is_file()]
    assert not missing, f"naive loop did not produce {missing[:3]}"
    return wall


class MemorySampler(threading.Thread):
    """Samples each worker's process tree (worker, fork server, kernels, browser) while a build runs."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.stop, self.peak_tree, self.peak_worker, self.peak_python = pid, threading.Event(), {}, {}, {}

    def run(self) -> None:
        import psutil

        try:
            main = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.stop.is_set():
            try:
                for w in main.children():
                    if "spawn_main" not in " ".join(w.cmdline()):
                        continue
                    tree = [w, *w.children(recursive=True)]
                    sizes = [(p.name(), _pss(p) / 2**20) for p in tree]
                    pss = sum(v for _, v in sizes)
                    py = sum(v for name, v in sizes if name.startswith("python"))
                    self.peak_tree[w.pid] = max(self.peak_tree.get(w.pid, 0), pss)
                    self.peak_python[w.pid] = max(self.peak_python.get(w.pid, 0), py)
                    self.peak_worker[w.pid] = max(self.peak_worker.get(w.pid, 0), w.memory_info().rss / 2**20)
            except psutil.Error:
                pass
            self.stop.wait(0.5)


def _pss(p) -> int:
    import psutil

    try:
        return p.memory_full_info().pss
    except (psutil.Error, AttributeError):
        return 0


def xxgk_build(params: Path, out: Path, env_extra: dict | None = None) -> tuple[float, MemorySampler, dict]:
    """(b) ``xxgk build --jobs 2 --no-site``; returns wall time, the memory sampler and the manifest."""
    cmd = [str(VENV_BIN / "xxgk"), "build", "--params", str(params), "--out", str(out), "--jobs", "2", "--quiet",
           "--no-site"]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **(env_extra or {})})  # fmt: skip
    sampler = MemorySampler(proc.pid)
    sampler.start()
    output, _ = proc.communicate()
    wall = time.perf_counter() - t0
    sampler.stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"xxgk build failed:\n{output}")
    return wall, sampler, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def floor(params: Path, out: Path, reports) -> float:
    """(c) one warm process, one reused kernel, one browser, sequential."""
    from jupyter_client.manager import KernelManager

    from xxgk.batch import runner
    from xxgk.render.pdf import ChromiumPrinter

    km = KernelManager(kernel_name="python3")
    km.start_kernel(extra_arguments=["--IPKernelApp.log_level=ERROR"])
    with ChromiumPrinter() as printer:
        runner.html_exporter()
        y, a = reports[0]
        runner.build_one(a, y, params_dir=params, out_dir=out / "warmup", printer=printer, kernel_manager=km)
        t0 = time.perf_counter()
        for y, a in reports:
            runner.build_one(a, y, params_dir=params, out_dir=out, printer=printer, kernel_manager=km)
        wall = time.perf_counter() - t0
    km.shutdown_kernel(now=True)
    return wall


def uptodate_1000(work: Path) -> tuple[float, float]:
    """Seconds to find 1,000 built reports up to date: in-process check, and the whole CLI run."""
    from xxgk.batch.manifest import OK, Manifest
    from xxgk.batch.plan import plan_batch, select_reports
    from xxgk.demo import write_demo
    from xxgk.params import discover

    params, out = work / "params1000", work / "out1000"
    write_demo(params, 200, range(2020, 2025), seed=3)
    found = discover(params)
    assert len(found) == 1000
    m = Manifest(out)
    plan = plan_batch(found, params_dir=params, out_dir=out, notebook=NOTEBOOK, formats=("html", "pdf"), timeout=600,
                      manifest=m, found=found)  # fmt: skip
    for job in plan.todo:
        d = job.report_dir
        d.mkdir(parents=True, exist_ok=True)
        outputs = {}
        for kind, name in (("notebook", "report.ipynb"), ("html", "report.html"), ("pdf", "report.pdf"),
                           ("document", "report.json"), ("log", "build.log")):  # fmt: skip
            (d / name).write_bytes(b"x")
            outputs[kind] = f"{job.year}/{job.agency}/{name}"
        m.record(job.key, {"agency": job.agency, "year": job.year, "status": OK, "inputs": job.inputs,
                           "checks": {"errors": 0, "warnings": 0, "not_assessable": 0}, "outputs": outputs,
                           "stages": {"execute": 1.0, "html": 0.1, "pdf": 1.0, "total": 2.1}}, save=False)  # fmt: skip
    m.save()
    t0 = time.perf_counter()
    found = discover(params)
    selected = select_reports(found)
    fresh = plan_batch(selected, params_dir=params, out_dir=out, notebook=NOTEBOOK, formats=("html", "pdf"),
                       timeout=600, manifest=Manifest(out), found=found)  # fmt: skip
    check = time.perf_counter() - t0
    assert not fresh.todo and len(fresh.fresh) == 1000, (len(fresh.todo), len(fresh.fresh))
    t0 = time.perf_counter()
    r = subprocess.run([str(VENV_BIN / "xxgk"), "build", "--params", str(params), "--out", str(out), "--quiet", "--no-site"],
                       capture_output=True, text=True)  # fmt: skip
    cli = time.perf_counter() - t0
    assert r.returncode == 0 and "1000 up to date" in r.stdout, r.stdout + r.stderr
    return check, cli


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=40)
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary directory)")
    ap.add_argument("--skip-naive", action="store_true", help="skip (a), the slowest part")
    ap.add_argument("--skip-before", action="store_true", help="skip (b0), xxgk build without the fork server")
    args = ap.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="xxgk-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    params = work / "params"
    reports = demo(params, args.reports)
    n = len(reports)
    print(f"{n} demo reports (HTML + PDF), 2 workers, {os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.2f}")

    a = None if args.skip_naive else naive(params, work / "naive", reports)
    if a:
        print(f"(a) naive CLI loop, xargs -P2:       {a:7.1f} s  {a / n:5.2f} s/report")
    b0 = None
    if not args.skip_before:
        b0, _, _ = xxgk_build(params, work / "xxgk-plain", {"XXGK_FORK_KERNELS": "0"})
        print(f"(b0) xxgk build, ordinary kernels:   {b0:7.1f} s  {b0 / n:5.2f} s/report   (before: no fork server)")
    b, sampler, manifest = xxgk_build(params, work / "xxgk")
    print(f"(b) xxgk build --jobs 2:             {b:7.1f} s  {b / n:5.2f} s/report")
    stages: dict[str, list[float]] = {}
    for e in manifest["reports"].values():
        for k, v in e["stages"].items():
            stages.setdefault(k, []).append(v)
    print("    median seconds per stage: " + ", ".join(f"{k} {sorted(v)[len(v) // 2]:.2f}" for k, v in stages.items()))
    c = floor(params, work / "floor", reports)
    print(f"(c) floor, 1 process, reused kernel: {c:7.1f} s  {c / n:5.2f} s/report")
    check, cli = uptodate_1000(work)
    print(f"1,000 up-to-date reports: check {check:.2f} s (whole `xxgk build --no-site` run {cli:.2f} s)")
    tree = max(sampler.peak_tree.values(), default=0.0)
    own = max(sampler.peak_worker.values(), default=0.0)
    python = max(sampler.peak_python.values(), default=0.0)
    print(f"peak memory per worker: {tree:.0f} MB PSS for the worker's whole process tree; {python:.0f} MB of it "
          f"Python (worker, fork server, kernel), the rest the headless browser; "
          f"worker process alone {own:.0f} MB RSS")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if b0:
        print(f"fork server speed-up (b0/b): {b0 / b:.2f}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    ratio_a = f"{a / b:.2f}" if a else "n/a"
    print(f"RESULT naive_over_xxgk={ratio_a} xxgk_over_floor={b / c:.2f} uptodate_1000_s={check:.2f} worker_peak_mb={tree:.0f}")


if __name__ == "__main__":
    main()
