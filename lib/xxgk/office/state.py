"""The collect state file ``params/<year>/.collect.json``: the digest of every params file as collect last wrote
it (a differing digest means a hand edit) and the log of submissions (who submitted what and when)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.errors import UserError
from xxgk.i18n import _
from xxgk.params_write import file_sha256, write_text_atomic

STATE_NAME = ".collect.json"
SCHEMA = "xxgk.collect/1"


@dataclass
class CollectState:
    """Params digests as last written by collect, and every submission event."""

    path: Path
    written: dict[str, str] = field(default_factory=dict)  # agency id → digest of the params file collect wrote
    submissions: list[dict] = field(default_factory=list)

    def merged(self, agency_id: str) -> list[dict]:
        """The submissions of an agency that were merged into its params file, oldest first."""
        return [s for s in self.submissions if s["agency"] == agency_id and s["outcome"] == "merged"]

    def seen(self, agency_id: str, file_digest: str) -> dict | None:
        """The merged submission of an agency with this file digest, if it was collected before."""
        return next((s for s in self.merged(agency_id) if s["digest"] == file_digest), None)

    def hand_edited(self, agency_id: str, params_file: Path) -> bool:
        """Whether an existing params file differs from what collect last wrote (or collect never wrote it); a file
        exactly as ``xxgk demo`` wrote it is no hand edit either."""
        from xxgk.demo import written_by_demo

        if not params_file.is_file():
            return False
        return self.written.get(agency_id) != file_sha256(params_file) and not written_by_demo(params_file)

    def save(self) -> Path:
        """Write the state file atomically."""
        doc = {"schema": SCHEMA, "written": dict(sorted(self.written.items())), "submissions": self.submissions}
        return write_text_atomic(self.path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")


def state_path(params_dir: str | Path, year: int) -> Path:
    """Where the collect state of a year lives."""
    return Path(params_dir) / str(year) / STATE_NAME


def load_state(params_dir: str | Path, year: int) -> CollectState:
    """The collect state of a year (empty when collect never ran)."""
    path = state_path(params_dir, year)
    if not path.is_file():
        return CollectState(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("schema") != SCHEMA:
            raise ValueError(_("schema {schema!r}, expected {schema2!r}").format(schema=doc.get('schema'), schema2=SCHEMA))
        return CollectState(path, dict(doc.get("written", {})), list(doc.get("submissions", [])))
    except (ValueError, AttributeError, TypeError) as exc:
        raise UserError(_("{path}: unusable collect state ({exc}); move it away to start afresh").format(path=path, exc=exc)) from None
