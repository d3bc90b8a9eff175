"""Resource bombs against the ingest readers: wall time, peak memory and the message, per bomb.

    .venv/bin/python benchmarks/bombs.py [--lib DIR] [--only NAME] [--timeout 180] [--keep DIR]

Each bomb is written at the size the hardening issue reported (a 1.5 GB docx, 6,000 200×200 spans, a 300 MB
JSON, …) and read by a fresh ``xxgk ingest FILE --json`` (``xxgk check`` for the JSON) under
``/usr/bin/time -v``; ``--lib`` picks the package (``/work/main/lib`` for the "before" figures).
The JSON line goes through ``xxgk check``, whose interchange reader is ``xxgk.limits.read_json``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "lib"))

MB = 1 << 20


def make(d: Path) -> dict[str, list[str]]:
    """Write every bomb into ``d``; return name → the xxgk arguments that read it."""
    from tests.ingest import bombs

    doc = bombs.real_docx(d / "real.docx")
    xl = bombs.real_xlsx(d / "real.xlsx")
    out = {}
    bombs.rezip(doc, d / "docx-1.5GB.docx", pad=("word/document.xml", 1500 * MB))
    out["docx 1.5 GB inflated"] = ["ingest", str(d / "docx-1.5GB.docx"), "--json"]
    bombs.laughs_docx(doc, d / "laughs.docx")
    out["docx billion laughs"] = ["ingest", str(d / "laughs.docx"), "--json"]
    bombs.rezip(xl, d / "sheet.xlsx", pad=("xl/worksheets/sheet1.xml", 1500 * MB))
    out["xlsx 1.5 GB sheet"] = ["ingest", str(d / "sheet.xlsx"), "-o", str(d / "params"), "--force"]
    (d / "spans.html").write_bytes(bombs.span_bomb_html(60, 100, 200))
    out["html 6,000 200×200 spans"] = ["ingest", str(d / "spans.html"), "--json"]
    (d / "data-uri.html").write_bytes(bombs.data_uri_html(37 * MB))
    out["html 37 MB data: URI"] = ["ingest", str(d / "data-uri.html"), "--json"]
    with (d / "big.json").open("w") as f:
        f.write('{"schema": "xxgk.report/1", "pad": [')
        f.write("0, " * (100 * MB))
        f.write("0]}")
    out["json 300 MB"] = ["check", str(d / "big.json")]
    return out


def run(lib: str, args: list[str], timeout: float) -> tuple[str, str, str, str]:
    """Wall seconds, peak RSS, exit status and the last stderr line of one run."""
    env = dict(os.environ, PYTHONPATH=lib)
    cmd = [sys.executable, "-m", "xxgk.cli", *args]
    try:
        p = subprocess.run(["/usr/bin/time", "-v", *cmd], env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f">{timeout:g}", "?", "killed", "timed out"
    err = p.stderr
    wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", err).group(1)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1)) // 1024
    lines = [x for x in err.splitlines() if x.strip() and not x.startswith("\t")]
    keys = ("cells read", "xxgk", "limit", "Error")
    last = next((x for k in keys for x in lines if k in x), lines[-1] if lines else "")
    return wall, f"{rss} MB", str(p.returncode), last[:160]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lib", default=str(ROOT / "lib"))
    ap.add_argument("--only", default="")
    ap.add_argument("--timeout", type=float, default=180)
    ap.add_argument("--keep")
    a = ap.parse_args()
    d = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="xxgk-bombs-"))
    d.mkdir(parents=True, exist_ok=True)
    try:
        for name, args in make(d).items():
            if a.only and a.only not in name:
                continue
            size = Path(args[1]).stat().st_size
            wall, rss, rc, last = run(a.lib, args, a.timeout)
            print(f"{name:28} file {size / MB:7.1f} MB  wall {wall:>9}  peak {rss:>8}  exit {rc:>6}  {last}",
                  flush=True)  # fmt: skip
    finally:
        if not a.keep:
            shutil.rmtree(d, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
