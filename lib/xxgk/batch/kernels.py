"""Fresh kernels without start-up cost, worker side: start a fork server (``xxgk.batch.forkserver``) and get
kernels from it.

``fork_kernel_manager(server)`` returns a jupyter_client
``AsyncKernelManager`` whose kernel is forked by the server when Papermill starts it (pass it as ``km=``);
``shutdown(km)`` kills it after the report. Every report still gets a new process; nothing from an earlier
report exists in it.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from xxgk.batch.forkserver import alive, die_with_parent
from xxgk.i18n import _

START_TIMEOUT = 30.0


def notebook_imports(path: str | Path) -> list[str]:
    """Top-level module names a notebook's code cells import (best effort; bad code is skipped)."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    names: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = "".join(cell.get("source", "")) if isinstance(cell.get("source"), list) else cell.get("source", "")
        src = "\n".join(line for line in src.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
                names += [f"?{node.module}.{a.name}" for a in node.names if a.name != "*"]  # maybe a submodule
    return list(dict.fromkeys(names))



class ForkServer:
    """A running fork server process; ``fork(...)`` returns the pid of a new kernel process."""

    def __init__(self, preload=(), python: str | None = None, env: dict | None = None) -> None:
        self.preload = list(preload)
        self._lock = threading.Lock()
        self.failed: list[str] | None = None  # modules the server could not pre-import (known once ready)
        args = [python or sys.executable, "-m", "xxgk.batch.forkserver", *self.preload]
        child_env = {**os.environ, **(env or {})}
        child_env.setdefault("OPENBLAS_NUM_THREADS", "1")
        child_env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, text=True, bufsize=1,
            env=child_env, start_new_session=True,
            preexec_fn=die_with_parent if threading.current_thread() is threading.main_thread() else None,
        )  # fmt: skip

    def wait_ready(self) -> None:
        """Block until the server has pre-imported everything (it starts in the background)."""
        with self._lock:
            self._wait_ready()

    def _wait_ready(self) -> None:
        if self.failed is None:
            hello = self._read()
            if not hello.get("ready"):
                raise RuntimeError(_("kernel fork server did not start: {hello}").format(hello=hello))
            self.failed = hello.get("failed", [])

    def _read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            self._stderr.seek(0)
            tail = self._stderr.read().decode("utf-8", "replace").strip().splitlines()[-5:]
            raise RuntimeError("kernel fork server exited" + (": " + " | ".join(tail) if tail else ""))
        return json.loads(line)

    def _call(self, req: dict) -> dict:
        with self._lock:
            self._wait_ready()
            self.proc.stdin.write(json.dumps(req, ensure_ascii=False) + "\n")
            self.proc.stdin.flush()
            return self._read()

    @property
    def alive(self) -> bool:
        """Whether the server process is running."""
        return self.proc.poll() is None

    def fork(self, connection_file: str, cwd: str, env: dict | None = None, argv=(), log: str | None = None) -> int:
        """Fork a new kernel that writes ``connection_file``; return its pid."""
        reply = self._call({"op": "fork", "connection_file": connection_file, "cwd": cwd, "env": env or {},
                            "argv": list(argv), "log": log})  # fmt: skip
        if "pid" not in reply:
            raise RuntimeError(_("kernel fork failed: {reply}").format(reply=reply))
        return int(reply["pid"])

    def close(self) -> None:
        """Stop the server; kernels it forked are killed with it."""
        if self.proc.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                self.proc.stdin.write('{"op": "exit"}\n')
                self.proc.stdin.flush()
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        with contextlib.suppress(OSError, ValueError):
            self.proc.stdin.close()
            self.proc.stdout.close()
            self._stderr.close()

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _provisioner_class():
    from jupyter_client.provisioning import KernelProvisionerBase

    class ForkProvisioner(KernelProvisionerBase):
        """Kernel lifecycle for a process forked by a ForkServer (not our child: signals by pid)."""

        pid: int | None = None
        server: ForkServer | None = None
        log_path: str | None = None
        env: dict | None = None
        extra_argv: list = []
        launch_seconds: float | None = None

        @property
        def has_process(self) -> bool:
            return self.pid is not None

        async def poll(self):
            return None if self.pid is not None and alive(self.pid) else 0

        async def wait(self):
            while self.pid is not None and alive(self.pid):
                await asyncio.sleep(0.02)
            self.pid = None
            return 0

        async def send_signal(self, signum: int) -> None:
            if self.pid is None:
                return
            try:
                os.killpg(self.pid, signum)
            except OSError:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signum)

        async def kill(self, restart: bool = False) -> None:
            await self.send_signal(signal.SIGKILL)

        async def terminate(self, restart: bool = False) -> None:
            await self.send_signal(signal.SIGTERM)

        async def pre_launch(self, **kwargs):
            kwargs.pop("env", None)
            kwargs.pop("transport_encryption", None)
            return {**kwargs, "cmd": []}

        async def launch_kernel(self, cmd, **kwargs):
            km = self.parent
            cwd = kwargs.get("cwd") or os.getcwd()
            argv = [*(kwargs.get("extra_arguments") or []), *self.extra_argv]
            t0 = time.perf_counter()
            deadline = time.monotonic() + START_TIMEOUT
            for attempt in range(3):  # a child that dies before it is ready is replaced
                with contextlib.suppress(OSError):
                    Path(km.connection_file).unlink(missing_ok=True)
                self.pid = self.server.fork(km.connection_file, str(cwd), self.env, argv, self.log_path)
                info = await _wait_connection_file(km.connection_file, self.pid, deadline)
                if info is not None:
                    break
                self.pid = None
                if attempt == 2 or time.monotonic() > deadline:
                    raise RuntimeError(_("kernel did not start (see the build log)"))
            km.load_connection_info(info)
            km._connection_file_written = True
            self.connection_info = km.get_connection_info()
            self.launch_seconds = time.perf_counter() - t0
            return self.connection_info

        async def cleanup(self, restart: bool = False) -> None:
            self.pid = None

        async def get_provisioner_info(self):
            return {**(await super().get_provisioner_info()), "pid": self.pid}

    return ForkProvisioner


async def _wait_connection_file(path: str, pid: int, deadline: float) -> dict | None:
    """The connection info once the kernel has written it (with its ports); None if the kernel died."""
    while time.monotonic() < deadline:
        try:
            info = json.loads(Path(path).read_text(encoding="utf-8"))
            if info.get("shell_port") and info.get("key") is not None:
                return info
        except (OSError, ValueError):
            pass
        if not alive(pid):
            return None
        await asyncio.sleep(0.003)
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)
    return None


_PROVISIONER = None


def fork_kernel_manager(server: ForkServer, *, log_path: str | None = None, env: dict | None = None,
                        extra_argv=(), runtime_dir=None):
    """A not-yet-started AsyncKernelManager whose kernel will be forked by ``server``."""
    global _PROVISIONER
    from jupyter_client.manager import AsyncKernelManager

    if _PROVISIONER is None:
        _PROVISIONER = _provisioner_class()
    runtime = Path(runtime_dir or tempfile.gettempdir())
    km = AsyncKernelManager(kernel_name="python3", cache_ports=False)
    km.connection_file = str(runtime / f"xxgk-kernel-{uuid.uuid4().hex}.json")
    prov = _PROVISIONER(kernel_id=str(uuid.uuid4()), kernel_spec=km.kernel_spec, parent=km)
    prov.server, prov.log_path, prov.env, prov.extra_argv = server, log_path, env, list(extra_argv)
    km.provisioner = prov
    return km


def shutdown(km) -> None:
    """Kill a kernel started by ``fork_kernel_manager`` at once and remove its files (safe to call twice).

    A report kernel holds nothing worth a polite shutdown, so it gets SIGKILL (its process group) without
    the 0.1 s polling of ``KernelManager.shutdown_kernel``; the fork server reaps it.
    """
    prov = getattr(km, "provisioner", None)
    pid = getattr(prov, "pid", None)
    if pid is not None:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        prov.pid = None
    with contextlib.suppress(Exception):
        km._close_control_socket()
    with contextlib.suppress(Exception):
        km.cleanup_connection_file()
