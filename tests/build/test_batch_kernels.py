"""Kernels forked from a pre-imported server: each a fresh process of its own; many at once without port
collisions; a kernel that dies while starting is retried, then reported."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from xxgk.build.forkserver import alive
from xxgk.build.kernels import ForkServer, fork_kernel_manager, shutdown

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
            assert cwd == km._test_cwd and env == str(i) and pandas == "True" and leak == "None"
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
