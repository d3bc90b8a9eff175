"""The basis of each rule (official text, statute, implied total, heuristic), kept as data beside the registry."""

from __future__ import annotations

import functools
from importlib import resources

import yaml

KINDS = ("官方", "法规", "隐含", "经验", "本工具")


@functools.lru_cache(maxsize=1)
def rule_basis() -> dict[str, dict[str, str]]:
    """Rule ID → {kind, basis} from ``checks/data/basis.yaml`` (package data, read once)."""
    text = resources.files("xxgk.checks").joinpath("data/basis.yaml").read_text(encoding="utf-8")
    return {str(k): {"kind": str(v["kind"]), "basis": str(v["basis"])} for k, v in yaml.safe_load(text).items()}
