"""Site files written together: every file goes to a temporary name first, and only when all are complete are
they renamed into place; on any error (a full disk, a read-only folder) the temporaries are removed and every
old file is kept."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_all_atomic(root: str | Path, files: dict[str, str | bytes]) -> list[Path]:
    """Write ``files`` (path relative to ``root`` → text) all or nothing; return their paths in order."""
    root = Path(root)
    staged: list[tuple[str, Path]] = []
    try:
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            os.chmod(tmp, 0o644)
            with os.fdopen(fd, "wb") as fh:
                fh.write(text.encode("utf-8") if isinstance(text, str) else text)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
    return [path for _, path in staged]
