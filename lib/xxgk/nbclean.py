"""Keep template notebooks clean: no outputs saved from JupyterLab, and a digest that ignores outputs.

A template is a notebook whose metadata says ``"xxgk": {"template": true}`` (``notebooks/report.ipynb`` does)
and that was not executed by Papermill (an executed copy in ``build/`` keeps its outputs). The marker travels
with a copied template, so a second template is protected too; other notebooks are saved as they are.

``xxgk.nbclean`` is a Jupyter server extension: ``scripts/setup.sh`` enables it for the project's venv
(``.venv/etc/jupyter/jupyter_server_config.d/xxgk.json``, a copy of ``etc/jupyter/...`` in the repository), and
it registers ``pre_save_hook`` with the server's contents manager, so every save of a template through the
Jupyter contents API (JupyterLab, Notebook) stores it without outputs or execution counts.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

TEMPLATE_KEY = "xxgk"
#: cell metadata that records UI state or timings, not what the cell does
VOLATILE_CELL_META = frozenset({"execution", "collapsed", "scrolled", "jupyter", "trusted", "ExecuteTime", "papermill"})
#: notebook metadata that decides what a build produces (the kernel, the page title, the template marker)
DIGEST_NB_META = ("kernelspec", "title", TEMPLATE_KEY)


def is_template(nb: dict) -> bool:
    """True for a notebook marked as an xxgk template that Papermill has not executed."""
    meta = nb.get("metadata") or {}
    marker = meta.get(TEMPLATE_KEY)
    return isinstance(marker, dict) and marker.get("template") is True and "papermill" not in meta


def clear_outputs(nb: dict) -> dict:
    """The notebook with every code cell's outputs and execution count cleared (in place; returned)."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def strip_outputs(model: dict) -> dict:
    """A Jupyter contents model with the outputs of a template notebook cleared (in place; returned)."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict) and is_template(model["content"]):
        clear_outputs(model["content"])
    return model


def pre_save_hook(model: dict, **kwargs) -> None:
    """The contents manager's pre-save hook: strip a template's outputs before it is written."""
    strip_outputs(model)


def notebook_digest(path: str | Path) -> str:
    """SHA-256 (16 hex) of what a notebook does: its cells' types, sources and lasting metadata, and its kernel and
    title; outputs, execution counts, cell ids and UI state do not count. '-' when there is no file; a file
    that is not notebook JSON is hashed as bytes."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        return "-"
    try:
        nb = json.loads(raw)
        meta = nb.get("metadata") or {}
        cells = [{"type": c.get("cell_type"), "source": _text(c.get("source", "")),
                  "metadata": {k: v for k, v in (c.get("metadata") or {}).items() if k not in VOLATILE_CELL_META}}
                 for c in nb["cells"]]  # fmt: skip
        key = {"cells": cells, "metadata": {k: meta[k] for k in DIGEST_NB_META if k in meta}}
        data = json.dumps(key, sort_keys=True, ensure_ascii=False).encode("utf-8")
    except (ValueError, KeyError, TypeError, AttributeError):
        data = raw
    return hashlib.sha256(data).hexdigest()[:16]


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def _jupyter_server_extension_points():
    """Jupyter server extension entry point."""
    return [{"module": "xxgk.nbclean"}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Register the pre-save hook with the server's contents manager."""
    serverapp.contents_manager.register_pre_save_hook(pre_save_hook)
    serverapp.log.info("xxgk: template notebooks are saved without outputs")
