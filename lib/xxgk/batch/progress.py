"""Batch progress: one live aggregate display (done / running / failed, current reports, ETA) on a terminal,
plain one-line-per-report output with ``--quiet`` or when stdout is not a terminal (CI logs)."""

from __future__ import annotations

import sys
import time

from xxgk.i18n import N_, _, ljust, named

STAGE_NAMES = {"start": N_("starting"), "execute": N_("executing"), "pdf": N_("printing PDF")}
#: the kinds of failure a worker reports
KIND_NAMES = {"params": N_("params"), "build": N_("build"), "internal": N_("internal"), "output": N_("output"),
              "timeout": N_("timeout"), "error": N_("error")}  # fmt: skip
#: the checker states of a built report
STATE_NAMES = {"error": N_("error"), "incomplete": N_("incomplete"), "warning": N_("warning"), "clean": N_("clean")}


def describe_failure(key: str, error: dict | None) -> str:
    """One line about a failed report: key, where it failed, the error."""
    e = error or {}
    where = ""
    if e.get("cell_index") is not None:
        count = e.get("execution_count")
        where = (_("cell {index} (In [{count}]): ") if count else _("cell {index}: ")).format(
            index=e["cell_index"], count=count)
    what = f"{e['ename']}: {e.get('evalue') or ''}".strip() if e.get("ename") else e.get("message") or _("failed")
    kind = e.get("kind", "error")
    return f"{key} [{named(KIND_NAMES, kind)}] {where}{what}"


class PlainProgress:
    """One line per finished report; for --quiet and non-terminals."""

    def __init__(self, total: int, stream=None) -> None:
        self.total, self.stream = total, stream or sys.stdout
        self.done = self.failed = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def start(self, key: str) -> None:
        """A report was handed to a worker."""

    def stage(self, key: str, stage: str) -> None:
        """A report entered a stage."""

    def finish(self, key: str, entry: dict) -> None:
        """A report finished (ok or failed)."""
        self.done += 1
        width = len(str(self.total))
        head = f"[{self.done:>{width}}/{self.total}]"
        if entry.get("status") == "ok":
            c = entry.get("checks") or {}
            if c:
                checks = _("errors {errors}, warnings {warnings}").format(
                    errors=c.get("errors", "?"), warnings=c.get("warnings", "?"))
            else:
                checks = _("checks n/a")
            if entry.get("state"):
                state = entry["state"]
                checks = f"{named(STATE_NAMES, state)}: {checks}"
                if c.get("not_assessable"):
                    checks += _(", not assessable {n}").format(n=c["not_assessable"])
            seconds = f"{entry.get('stages', {}).get('total', 0):.1f}"
            line = f"{head} {ljust(_('ok'), 6)}  {key}  " + _("{seconds}s").format(seconds=seconds) + f"  ({checks})"
        else:
            self.failed += 1
            line = f"{head} {ljust(_('FAILED'), 6)}  {describe_failure(key, entry.get('error'))}"
        if self.stream is not None:
            try:
                print(line, file=self.stream, flush=True)
            except BrokenPipeError:  # output piped into `head` and closed: keep building quietly
                self.stream = None


class LiveProgress(PlainProgress):
    """A rich live display: a bar with done/total and ETA, counters, and the reports being built now."""

    def __init__(self, total: int, stream=None) -> None:
        super().__init__(total, stream)
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console(file=self.stream)
        self.bar = Progress(
            TextColumn("[bold]" + _("building")), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=self.console,
        )  # fmt: skip
        self.task = self.bar.add_task("reports", total=total, counts="")
        self.running: dict[str, tuple[str, float]] = {}
        self.live = None

    def _render(self):
        from rich.console import Group
        from rich.text import Text

        now = time.monotonic()
        lines = [Text(f"  {key:<32} {ljust(named(STAGE_NAMES, stage), 14)} "
                      f"{now - t0:5.1f}s", style="dim")
                 for key, (stage, t0) in sorted(self.running.items(), key=lambda kv: kv[1][1])[:8]]  # fmt: skip
        if len(self.running) > 8:
            lines.append(Text("  " + _("… and {n} more").format(n=len(self.running) - 8), style="dim"))
        return Group(self.bar, *lines)

    def _update(self) -> None:
        ok = self.done - self.failed
        ok_text, failed_text = _("ok {n}").format(n=ok), _("failed {n}").format(n=self.failed)
        counts = (f"[green]{ok_text}[/] · [red]{failed_text}[/] · "
                  + _("running {n}").format(n=len(self.running)))
        self.bar.update(self.task, completed=self.done, counts=counts)
        if self.live is not None:
            self.live.update(self._render())

    def __enter__(self):
        from rich.live import Live

        self.live = Live(self._render(), console=self.console, refresh_per_second=4, transient=False,
                         get_renderable=self._render)  # fmt: skip
        self.live.__enter__()
        self._update()
        return self

    def __exit__(self, *exc) -> None:
        self.running.clear()
        self._update()
        if self.live is not None:
            self.live.__exit__(*exc)
            self.live = None

    def start(self, key: str) -> None:
        """A report was handed to a worker."""
        self.running[key] = ("start", time.monotonic())
        self._update()

    def stage(self, key: str, stage: str) -> None:
        """A report entered a stage."""
        t0 = self.running.get(key, (None, time.monotonic()))[1]
        self.running[key] = (stage, t0)
        self._update()

    def finish(self, key: str, entry: dict) -> None:
        """A report finished (ok or failed); failures are printed above the display."""
        self.running.pop(key, None)
        self.done += 1
        if entry.get("status") != "ok":
            self.failed += 1
            from rich.text import Text

            self.console.print(Text.assemble((_("FAILED") + " ", "bold red"), describe_failure(key, entry.get("error"))))
        self._update()


def make_progress(total: int, quiet: bool = False, stream=None):
    """A live display on a terminal; plain lines with --quiet or when output is not a terminal."""
    stream = stream or sys.stdout
    if quiet or not getattr(stream, "isatty", lambda: False)():
        return PlainProgress(total, stream)
    return LiveProgress(total, stream)
