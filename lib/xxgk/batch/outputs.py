"""The output directory's safety: the last good publication kept through a failed rebuild, temporary files
left by a killed run, and errors of a directory that cannot be written (full, read-only)."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from pathlib import Path

from xxgk.errors import UserError
from xxgk.i18n import _

LAST_GOOD = ".last-good"  # hard links to the outputs on disk before a rebuild; put back if the rebuild fails
#: errors of the output directory itself (full, read-only, not ours): no report can be written there
OUTPUT_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, getattr(errno, "EDQUOT", errno.ENOSPC)}
#: temporary names xxgk writes under (Papermill's notebook, write_text_atomic, the partial failed notebook)
TEMP_GLOBS = (".*.tmp.ipynb", ".*.tmp", ".*.partial")


class OutputError(UserError):
    """The output directory cannot be written (read-only, full, not ours); existing outputs are unchanged."""


def keep_last_good(out: Path, names) -> None:
    """Before a rebuild: hard-link the outputs now on disk into ``.last-good/`` (outputs are replaced by rename,
    so the links keep the old files). A backup left by a killed run is the last good state: it is put back first."""
    restore_last_good(out, names)
    keep = out / LAST_GOOD
    keep.mkdir()
    for name in names:
        if (out / name).is_file():
            try:
                os.link(out / name, keep / name)
            except OSError:  # a file system without hard links
                shutil.copy2(out / name, keep / name)


def restore_last_good(out: Path, names) -> bool:
    """After a failed or killed rebuild: put the outputs of ``.last-good/`` back and remove what the failed run
    wrote beside them, so the last good publication stays exactly as it was. False when there is no backup."""
    keep = out / LAST_GOOD
    if not keep.is_dir():
        return False
    for name in names:
        if (keep / name).is_file():
            os.replace(keep / name, out / name)
        else:
            (out / name).unlink(missing_ok=True)
    shutil.rmtree(keep, ignore_errors=True)
    return True


def drop_last_good(out: Path) -> None:
    """After a successful rebuild: the backup is no longer needed."""
    shutil.rmtree(out / LAST_GOOD, ignore_errors=True)


def output_error(exc: OSError, folder: Path | None = None) -> str:
    """A one-line description of an output directory that cannot be written (the file, else the folder)."""
    where = f" {exc.filename}" if exc.filename else f" in {folder}" if folder else ""
    return f"cannot write{where}: {exc.strerror or exc}"


def report_dirs(out_dir: Path):
    """Every ``<out>/<year>/<agency>`` folder."""
    for ydir in sorted(out_dir.iterdir()) if out_dir.is_dir() else ():
        if ydir.is_dir() and ydir.name.isdigit():
            yield from (d for d in sorted(ydir.iterdir()) if d.is_dir())


def clean_stale(out_dir: str | Path, names) -> list[str]:
    """At the start of a run (under the build lock, so nothing is writing): remove temporary files left by a
    killed run and put back the last good outputs of a rebuild that was killed; return what was done."""
    out_dir = Path(out_dir)
    done = []
    dirs = [out_dir, out_dir / "data"]
    for d in report_dirs(out_dir):
        dirs.append(d)
        if (d / LAST_GOOD).is_dir():
            with contextlib.suppress(OSError):
                restore_last_good(d, names)
                done.append(_("restored the last good outputs of {folder}").format(folder=d.relative_to(out_dir).as_posix()))
    dirs += [y for y in out_dir.iterdir() if y.is_dir() and y.name.isdigit()] if out_dir.is_dir() else []
    removed = 0
    for d in dirs:
        for pattern in TEMP_GLOBS:
            for tmp in d.glob(pattern):
                if tmp.is_file():
                    with contextlib.suppress(OSError):
                        tmp.unlink()
                        removed += 1
    if removed:
        done.append(_("removed {removed} temporary file(s) left by an interrupted run").format(removed=removed))
    return done


def check_writable(out_dir: Path) -> None:
    """OutputError unless the output directory can be created and written (tried with a small temporary file)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / f".xxgk-write-test.{os.getpid()}.tmp"
        with open(probe, "wb") as fh:
            fh.write(b"x" * 4096)
            fh.flush()
            os.fsync(fh.fileno())
        probe.unlink()
    except OSError as exc:
        with contextlib.suppress(OSError, UnboundLocalError):
            probe.unlink(missing_ok=True)
        raise OutputError(_("{output_error}; nothing was built and every existing output is unchanged").format(output_error=output_error(exc))) from None
