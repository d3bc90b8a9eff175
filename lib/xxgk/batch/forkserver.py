"""The kernel fork server: a process that pre-imports what report kernels need, then forks one fresh kernel
per request (``python -m xxgk.batch.forkserver [MODULE ...]``; protocol: one JSON line in, one out).

Each child becomes a brand-new ipykernel: its own process group, working directory, environment, log file
and connection file; it binds random ports itself and writes them to the connection file, so kernels never
race for ports. Children die with the server (PR_SET_PDEATHSIG) and the server dies with its worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import signal
import sys

#: modules every kernel needs; imported by the server before it forks
BASE_PRELOAD = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger", "IPython",
    "IPython.core.interactiveshell", "comm", "psutil", "jupyter_client.localinterfaces", "numpy",
    "matplotlib", "matplotlib.figure", "matplotlib.font_manager", "matplotlib.backends.backend_agg",
    "matplotlib_inline.backend_inline", "matplotlib.pyplot",
    # what every kernel imports while it initialises (debugger, history, completer, event loop)
    "pdb", "IPython.core.debugger", "sqlite3", "IPython.core.completerlib", "IPython.core.oinspect",
    "IPython.extensions.storemagic", "tornado.platform.asyncio", "faulthandler",
    # what the report notebook's helpers import lazily ("?": skipped quietly when absent)
    "?xxgk.checks", "?xxgk.render.appendix", "?xxgk.render.charts", "?matplotlib.backends.backend_svg",
    "?matplotlib.ticker", "?markdown_it",
)  # fmt: skip
_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask Linux to send ``sig`` to this process when its parent exits (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)


def _child(req: dict, proto_in, proto_out) -> None:
    """In the forked child: become a fresh kernel and never return."""
    code = 1
    try:
        os.setsid()  # own process group: interrupts and kills reach the kernel and what it spawns
        die_with_parent()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        with contextlib.suppress(Exception):
            proto_in.close()
            proto_out.close()
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        log = os.open(req.get("log") or os.devnull, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.chdir(req.get("cwd") or os.getcwd())
        os.environ.update(req.get("env") or {})
        gc.unfreeze()
        from ipykernel.kernelapp import IPKernelApp

        # the fork server is the parent to watch (this also keeps ipykernel's console notice out of the log)
        argv = ["-f", req["connection_file"], f"--IPKernelApp.parent_handle={os.getppid()}", *req.get("argv", [])]
        sys.argv = ["ipykernel_launcher", *argv]
        app = IPKernelApp.instance()
        app.initialize(argv)
        mod = sys.modules.get("matplotlib_inline.backend_inline")
        if mod is not None:  # imported before an IPython shell existed: hook figures up as on a normal import
            with contextlib.suppress(Exception):
                mod._enable_matplotlib_integration()
        app.start()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # noqa: BLE001 - report anything and exit
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _warm_up() -> None:
    """Pay first-use costs here once instead of in every kernel: the report helpers' ``warm_up`` (formats,
    Markdown, checker, charts with their CJK font), else one small chart. rcParams are restored; open font
    files are closed before any fork (a forked kernel must never share a file offset with another; reloading
    the font in a kernel costs a few milliseconds)."""
    try:
        import matplotlib
        from matplotlib import font_manager
    except ImportError:
        return
    with contextlib.suppress(Exception), matplotlib.rc_context():
        try:
            from xxgk.render.notebook import warm_up  # the project's helpers and chart path
        except ImportError:
            warm_up = None
        if warm_up is not None:
            warm_up()
        else:
            from matplotlib.backends.backend_svg import FigureCanvasSVG
            from matplotlib.figure import Figure

            fig = Figure(figsize=(2, 2))
            FigureCanvasSVG(fig)
            fig.add_subplot().bar([0, 1], [1, 2])
            fig.savefig(__import__("io").StringIO(), format="svg")
    font_manager._get_font.cache_clear()
    gc.collect()


def serve(preload: list[str]) -> None:
    """Fork-server main loop: pre-import, then one JSON request per line on stdin, one reply per line."""
    proto_out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray prints must not corrupt the protocol
    proto_in = sys.stdin
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    failed = []
    for name in [*BASE_PRELOAD, *preload]:
        optional = name.startswith("?")
        try:
            __import__(name.lstrip("?"))
        except ModuleNotFoundError as exc:
            if not optional or exc.name != name.lstrip("?"):
                failed.append(f"{name}: {exc}")
        except BaseException as exc:  # noqa: BLE001 - a missing module only loses the head start
            failed.append(f"{name.lstrip('?')}: {exc.__class__.__name__}: {exc}")
    with contextlib.suppress(Exception):  # the interface list every kernel looks up at start
        sys.modules["jupyter_client.localinterfaces"].localhost()
    if os.environ.get("XXGK_FORK_WARMUP", "1") != "0":
        _warm_up()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    gc.collect()
    gc.freeze()  # keep pre-imported objects out of the collector: fewer pages copied in children
    children: set[int] = set()
    proto_out.write(json.dumps({"ready": True, "pid": os.getpid(), "failed": failed}) + "\n")
    try:
        for line in proto_in:
            try:
                req = json.loads(line)
            except ValueError:
                continue
            op = req.get("op")
            if op == "fork":
                children = {p for p in children if alive(p)}
                pid = os.fork()
                if pid == 0:
                    _child(req, proto_in, proto_out)
                children.add(pid)
                proto_out.write(json.dumps({"pid": pid}) + "\n")
            elif op == "ping":
                proto_out.write(json.dumps({"ok": True, "children": len(children)}) + "\n")
            elif op == "exit":
                break
    finally:
        for pid in children:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)


def alive(pid: int) -> bool:
    """Whether a process exists (children of the server are reaped at once, so no zombies linger)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


if __name__ == "__main__":
    serve(sys.argv[1:])
