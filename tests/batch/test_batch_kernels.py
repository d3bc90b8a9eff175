"""Kernels forked from a pre-imported server: each a fresh process of its own; many at once without port
collisions; a kernel that dies while starting is retried, then reported; kernels start warm and draw the same
charts concurrently."""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from pathlib import Path

import pytest

from xxgk.batch.forkserver import alive
from xxgk.batch.kernels import ForkServer, fork_kernel_manager, shutdown

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


async def _run(km, code: str) -> str:
    await km.start_kernel(cwd=km._test_cwd)
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=30)
        reply = await kc.execute_interactive(code, timeout=30, output_hook=lambda msg: km._out.append(msg))
        assert reply["content"]["status"] == "ok"
    finally:
        kc.stop_channels()
    return "".join(m["content"].get("text", "") for m in km._out if m["msg_type"] == "stream")


def _km(server, tmp_path, name, env=None):
    d = tmp_path / name
    d.mkdir()
    km = fork_kernel_manager(server, log_path=str(d / "kernel.log"), env=env)
    km._test_cwd, km._out = str(d), []
    return km


def test_fresh_processes_and_parallel_starts(tmp_path):
    code = ("import os, sys\nprint(os.getpid(), os.getcwd(), os.environ.get('XXGK_T'), 'pandas' in sys.modules, "
            "globals().get('LEAK'))\nLEAK = 1")  # fmt: skip
    with ForkServer(preload=["pandas"]) as s1, ForkServer() as s2:
        kms = [_km(s, tmp_path, f"k{i}", {"XXGK_T": str(i)}) for i, s in enumerate([s1, s2, s1, s2])]

        async def all_at_once():
            return await asyncio.gather(*(_run(km, code) for km in kms))

        outs = asyncio.run(all_at_once())
        ports = [p for km in kms for p in km.ports]
        pids = [km.provisioner.pid for km in kms]
        assert len(set(ports)) == len(ports) == 20  # 5 ports each, no collision
        for i, (km, out) in enumerate(zip(kms, outs)):
            pid, cwd, env, pandas, leak = out.split()
            assert int(pid) == km.provisioner.pid and int(pid) not in (os.getpid(), s1.proc.pid, s2.proc.pid)
            assert cwd == km._test_cwd and env == str(i) and leak == "None"
            assert pandas == ("True" if i % 2 == 0 else "False")  # pre-imported only where asked (s1), not by default
            assert km.provisioner.launch_seconds < 10
        for km in kms:
            shutdown(km)
        deadline = time.monotonic() + 10
        while any(alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.05)  # SIGKILLed; the server reaps them
        assert not any(alive(p) for p in pids)
        assert not any(os.path.exists(km.connection_file) for km in kms)


def test_kernel_dying_at_start_is_retried_then_reported(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with ForkServer() as server:
        km = _km(server, tmp_path, "bad")
        km.connection_file = str(blocker / "kernel.json")  # the kernel cannot write it and exits
        with pytest.raises(RuntimeError, match="kernel did not start"):
            asyncio.run(km.start_kernel(cwd=str(tmp_path)))
        assert (tmp_path / "bad" / "kernel.log").read_text().count("Traceback") >= 3  # three attempts
        assert server.alive  # the server survives its children
        good = _km(server, tmp_path, "good")
        assert asyncio.run(_run(good, "print('fine')")).strip() == "fine"
        shutdown(good)


def test_kernels_start_warm_and_draw_charts_concurrently(tmp_path):
    from xxgk.batch.kernels import notebook_imports
    from xxgk.batch.worker import KERNEL_ARGV
    from xxgk.render.charts import bar_chart
    from xxgk.render.fonts import setup_fonts

    state = ("import sys\nfrom xxgk.formats import get_format\nfrom xxgk.render import markdown\n"
             "print(get_ipython().history_manager.enabled, get_format.cache_info().currsize, "
             "markdown._parser.cache_info().currsize, 'matplotlib.pyplot' in sys.modules)\n")  # fmt: skip
    charts = ("import hashlib\nfrom xxgk.render.charts import bar_chart\n"
              "for i in range(6):\n"
              "    svg = bar_chart(['法人或其他组织·法律服务机构', '自然人', f'第{i % 2}项'], [3, 71, i % 2], '并发')\n"
              "    print(hashlib.sha256(svg.encode()).hexdigest())\n")  # fmt: skip
    with ForkServer(preload=notebook_imports(ROOT / "notebooks" / "report.ipynb")) as server:
        kms = [_km(server, tmp_path, f"k{i}") for i in range(2)]
        for km in kms:
            km.provisioner.extra_argv = list(KERNEL_ARGV)

        async def both():
            return await asyncio.gather(*(_run(km, state + charts) for km in kms))

        outs = asyncio.run(both())
        for km in kms:
            shutdown(km)
    setup_fonts()
    expected = [hashlib.sha256(bar_chart(["法人或其他组织·法律服务机构", "自然人", f"第{i % 2}项"], [3, 71, i % 2],
                                         "并发").encode()).hexdigest() for i in range(6)]  # fmt: skip
    for out in outs:
        first, *hashes = out.split("\n")[:7]
        # formats, Markdown parser and pyplot were ready before the kernel started; no SQLite history
        assert first == "False 2 1 True"
        assert hashes == expected  # two kernels reading the font at once still draw exactly the same charts
