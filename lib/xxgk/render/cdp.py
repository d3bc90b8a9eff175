"""A small Chrome DevTools Protocol client over ``--remote-debugging-pipe`` (POSIX): no driver process, no ports.

The browser reads NUL-terminated JSON commands on its fd 3 and writes replies and events on its fd 4.
``PipeBrowser`` starts the browser with those two pipes (``os.posix_spawn``, so it is safe from threads),
sends commands and waits for replies or events synchronously. One caller at a time (it holds a lock).
When the owning process dies, the pipe closes and the browser exits by itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import time

PIPE_FLAG = "--remote-debugging-pipe"


class CDPError(RuntimeError):
    """The browser answered a command with an error, closed the pipe or did not answer in time."""


def pipe_supported() -> bool:
    """Whether this platform can hand the browser its two pipe ends (POSIX with ``os.posix_spawn``)."""
    return hasattr(os, "posix_spawn") and hasattr(os, "POSIX_SPAWN_DUP2")


class PipeBrowser:
    """A headless browser process driven over the DevTools pipe."""

    def __init__(self, executable: str, args=(), env: dict | None = None) -> None:
        import threading

        self.executable = executable
        self._lock = threading.RLock()
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict] = []
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        for fd in (self._to_browser, self._from_browser):
            os.set_inheritable(fd, False)
        devnull = os.open(os.devnull, os.O_RDWR)
        actions = [
            (os.POSIX_SPAWN_DUP2, devnull, 0),
            (os.POSIX_SPAWN_DUP2, devnull, 1),
            (os.POSIX_SPAWN_DUP2, devnull, 2),
            (os.POSIX_SPAWN_DUP2, to_browser_r, 3),
            (os.POSIX_SPAWN_DUP2, from_browser_w, 4),
        ]
        argv = [executable, "--headless", PIPE_FLAG, *args, "about:blank"]
        try:
            self.pid = os.posix_spawn(executable, argv, env if env is not None else dict(os.environ),
                                      file_actions=actions, setsid=True)  # fmt: skip
        finally:
            for fd in (to_browser_r, from_browser_w, devnull):
                os.close(fd)
        self._closed = False

    # ---------------------------------------------------------------- protocol

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30.0) -> dict:
        """Send one command and return its result (raises CDPError on an error reply or time-out)."""
        with self._lock:
            self._next_id += 1
            msg = {"id": self._next_id, "method": method, "params": params or {}}
            if session:
                msg["sessionId"] = session
            self._send(msg)
            reply = self._receive(lambda m: m.get("id") == msg["id"], time.monotonic() + timeout, method)
        if "error" in reply:
            err = reply["error"]
            raise CDPError(f"{method}: {err.get('message', err)}")
        return reply.get("result", {})

    def wait_event(self, method: str, session: str | None = None, timeout: float = 30.0, match=None) -> dict:
        """Wait for an event (already received or coming) and return its params."""

        def wanted(m: dict) -> bool:
            return m.get("method") == method and m.get("sessionId") == session and (match is None or match(m["params"]))

        with self._lock:
            for i, m in enumerate(self._events):
                if wanted(m):
                    return self._events.pop(i)["params"]
            return self._receive(wanted, time.monotonic() + timeout, method, keep_events=True)["params"]

    def drop_events(self, session: str | None = None) -> None:
        """Forget buffered events (of one session, or all)."""
        with self._lock:
            self._events = [m for m in self._events if session is not None and m.get("sessionId") != session]

    def _send(self, msg: dict) -> None:
        data = json.dumps(msg, ensure_ascii=False).encode("utf-8") + b"\0"
        try:
            while data:
                data = data[os.write(self._to_browser, data) :]
        except OSError as exc:
            raise CDPError(f"the browser closed its pipe ({exc.strerror})") from None

    def _receive(self, wanted, deadline: float, what: str, keep_events: bool = False) -> dict:
        """Read messages until one satisfies ``wanted``; other events are buffered (replies to nobody dropped)."""
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                msg = json.loads(raw)
                if wanted(msg):
                    return msg
                if "method" in msg and len(self._events) < 1000:
                    self._events.append(msg)
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError(f"{what}: no answer from the browser in time")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                self._closed = True
                raise CDPError(f"{what}: the browser exited")
            self._buffer += chunk

    # ---------------------------------------------------------------- lifecycle

    @property
    def alive(self) -> bool:
        """Whether the browser process is still running and its pipe open."""
        if self._closed:
            return False
        try:
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return False
        return pid == 0

    def close(self, timeout: float = 3.0) -> None:
        """Ask the browser to exit, then make sure it did (kill its process group); idempotent."""
        if not self._closed:
            with contextlib.suppress(CDPError, OSError, ValueError):
                self._lock.acquire(timeout=timeout)
                try:
                    self._next_id += 1
                    self._send({"id": self._next_id, "method": "Browser.close", "params": {}})
                finally:
                    self._lock.release()
            self._closed = True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                pid, _ = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                break
            if pid:
                break
            time.sleep(0.02)
        else:
            with contextlib.suppress(OSError):
                os.killpg(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):
            os.killpg(self.pid, signal.SIGKILL)  # helpers (renderer, GPU, utility) of a browser that is gone
        for fd in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._to_browser = self._from_browser = -1
