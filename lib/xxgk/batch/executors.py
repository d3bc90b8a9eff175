"""Executors run the per-report task (``xxgk.batch.worker.run_job``) somewhere; a registry maps names to them.

* ``local``: N worker processes of our own. Each keeps a kernel fork server and a browser warm, reports
  stages as they start, and is killed and replaced when a report overruns its time limit by a grace period.
* ``dask``: the same task on a Dask distributed cluster (``--scheduler ADDRESS``, or a LocalCluster with one
  thread per worker). Outputs go to the absolute output path, which must be shared with the workers.

An executor calls ``on_event(kind, key, payload)`` from the calling thread with kind ``start``, ``stage`` or
``done`` (payload: the manifest entry), and stops handing out work once ``stop()`` returns True.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing as mp
import os
import signal
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import wait

from xxgk.batch.worker import Job, failed_entry, run_job, salvage_partial, skip_unused_imports, warm_up
from xxgk.errors import UserError
from xxgk.i18n import _

#: seconds a report may overrun its limit (the kernel is killed at the limit) before its worker is killed
GRACE = 20.0
EXECUTORS: dict[str, type] = {}


def register(name: str):
    """Register an executor class under a name (``--executor NAME``)."""

    def deco(cls):
        EXECUTORS[name] = cls
        cls.name = name
        return cls

    return deco


def get_executor(name: str, workers: int, scheduler: str | None = None):
    """An executor instance by name; UserError for unknown names."""
    try:
        cls = EXECUTORS[name]
    except KeyError:
        raise UserError(_("unknown executor {name!r}; choose from {executors}").format(name=name, executors=', '.join(EXECUTORS))) from None
    return cls(workers=workers, scheduler=scheduler)


# ------------------------------------------------------------------ local worker processes


def _worker_main(conn, notebook: str, formats: tuple) -> None:
    """A local worker: warm up, then build the reports it is sent until told to stop."""
    from xxgk.batch.forkserver import die_with_parent

    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the coordinator decides what Ctrl-C stops
    skip_unused_imports()
    try:
        try:
            warm_up(notebook, formats)
        except Exception as exc:  # noqa: BLE001 - e.g. no browser: the whole batch cannot run
            conn.send(("fatal", None, str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"))
            return
        conn.send(("ready", None, None))
        while True:
            try:
                msg = conn.recv()
            except EOFError:
                break
            if msg[0] != "job":
                break
            job = Job(**{**msg[1], "formats": tuple(msg[1]["formats"])})
            entry = run_job(job, emit=lambda stage, key=job.key: conn.send(("stage", key, stage)))
            conn.send(("done", job.key, entry))
    finally:
        from xxgk.batch import worker

        if worker._state is not None:
            worker._state.close()


class _Slot:
    def __init__(self, ctx, notebook: str, formats: tuple) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, notebook, formats), daemon=False)
        self.proc.start()
        child.close()
        self.job: Job | None = None
        self.since = 0.0

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


@register("local")
class LocalExecutor:
    """Worker processes on this machine, one report at a time each."""

    def __init__(self, workers: int, scheduler: str | None = None) -> None:
        if scheduler:
            raise UserError(_("--scheduler needs --executor dask"))
        self.workers = max(1, int(workers))

    def run(self, jobs: list[Job], on_event: Callable, stop: Callable[[], bool] = lambda: False) -> None:
        """Build every job; events arrive through ``on_event``."""
        if not jobs:
            return
        ctx = mp.get_context("spawn")
        queue = deque(jobs)
        notebook, formats = jobs[0].notebook, tuple(jobs[0].formats)
        slots = [_Slot(ctx, notebook, formats) for _ in range(min(self.workers, len(jobs)))]
        try:
            while (queue and not stop()) or any(s.job for s in slots):
                for s in slots:
                    if s.job is None and queue and not stop():
                        s.job, s.since = queue.popleft(), time.monotonic()
                        s.conn.send(("job", s.job.to_dict()))
                        on_event("start", s.job.key, None)
                busy = [s for s in slots if s.job]
                if not busy:
                    break
                ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=0.25)
                for s in list(slots):
                    if s.job is None:
                        continue
                    if s.conn in ready:
                        try:
                            kind, key, payload = s.conn.recv()
                        except (EOFError, OSError):
                            kind = None
                        if kind == "done":
                            s.job = None
                            on_event("done", key, payload)
                        elif kind == "stage":
                            on_event("stage", key, payload)
                        elif kind == "ready":  # warmed up: the time limit starts now
                            s.since = time.monotonic()
                        elif kind == "fatal":
                            raise UserError(_("a build worker could not start: {payload}").format(payload=payload))
                        if kind is not None:
                            continue
                    overdue = time.monotonic() - s.since > s.job.timeout + GRACE
                    if overdue or not s.proc.is_alive():
                        job = s.job
                        s.kill()
                        salvage_partial(job)
                        if overdue:
                            entry = failed_entry(
                                job, "timeout", f"time limit of {job.timeout:g} s exceeded (worker killed)"
                            )
                        else:
                            entry = failed_entry(
                                job, "worker-died", f"worker process died (exit code {s.proc.exitcode})"
                            )
                        slots[slots.index(s)] = _Slot(ctx, notebook, formats) if queue else s
                        s.job = None
                        on_event("done", job.key, entry)
        finally:
            for s in slots:
                if s.job is not None:  # interrupted: reports in flight are abandoned (not recorded)
                    s.kill()
                    salvage_partial(s.job)
                elif s.proc.is_alive():
                    try:
                        s.conn.send(("stop", None))
                    except OSError:
                        pass
            deadline = time.monotonic() + 10
            for s in slots:
                s.proc.join(max(0.1, deadline - time.monotonic()))
                if s.proc.is_alive():
                    s.kill()


# ------------------------------------------------------------------ Dask


def dask_task(job: dict) -> dict:
    """The Dask task: build one report on whichever worker runs it."""
    return run_job(job)


@register("dask")
class DaskExecutor:
    """A Dask distributed cluster: ``scheduler`` address, or a LocalCluster of ``workers`` × 1 thread."""

    def __init__(self, workers: int, scheduler: str | None = None) -> None:
        self.workers = max(1, int(workers))
        self.scheduler = scheduler

    def _client(self):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UserError(
                _("--executor dask needs the 'distributed' package (pip install 'dask[distributed]')")
            ) from None
        if self.scheduler:
            try:
                return Client(self.scheduler, timeout="20s"), None
            except OSError as exc:
                raise UserError(_("cannot reach the Dask scheduler at {scheduler}: {exc}").format(scheduler=self.scheduler, exc=exc)) from None
        cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)  # fmt: skip
        return Client(cluster), cluster

    def run(self, jobs: list[Job], on_event: Callable, stop: Callable[[], bool] = lambda: False) -> None:
        """Submit every job to the cluster; events arrive as results come back."""
        if not jobs:
            return
        from distributed import as_completed

        client, cluster = self._client()
        try:
            client.run(warm_up, jobs[0].notebook, tuple(jobs[0].formats))
            futures = {}
            for job in jobs:
                fut = client.submit(dask_task, job.to_dict(), key=f"xxgk-{job.key}-{os.urandom(4).hex()}", pure=False)
                futures[fut] = job
            # Dask does not say when a task starts: show the first ones per worker thread as running,
            # then one more each time a report comes back (tasks run roughly in submission order)
            order = iter(jobs)
            slots = sum(client.nthreads().values()) or self.workers
            for job in itertools.islice(order, slots):
                on_event("start", job.key, None)
            pending = as_completed(list(futures), with_results=False)
            for fut in pending:
                nxt = next(order, None)
                if nxt is not None:
                    on_event("start", nxt.key, None)
                job = futures[fut]
                try:
                    entry = fut.result()
                except Exception as exc:  # noqa: BLE001 - a lost worker or a task the cluster gave up on
                    entry = failed_entry(job, "worker-died", f"Dask task failed: {type(exc).__name__}: {exc}")
                on_event("done", job.key, entry)
                if stop():
                    for f in futures:
                        f.cancel()
                    break
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
