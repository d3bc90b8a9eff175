"""The site around the built reports: ``<out>/index.html``, per-year overviews and open data (CSV, JSON).

Sits beside ``xxgk.batch``: it reads the manifest and the params files; render and checks never import it.
"""

from __future__ import annotations


def publish(out_dir, params_dir, manifest, found) -> list[str]:
    """Bring open data, overviews and the index page up to date; return one message per step."""
    from xxgk.site.publish import publish as _publish

    return _publish(out_dir, params_dir, manifest, found)


__all__ = ["publish"]
