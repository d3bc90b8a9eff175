"""MkDocs hook: the rules page is generated from the rule registry (lib/xxgk/checks), so it never drifts."""

from __future__ import annotations

PLACEHOLDER = "<!-- rules -->"


def rules_table() -> str:
    """A Markdown table of every registered rule: ID, severity, title, its basis, where it is defined."""
    import inspect

    from xxgk.checks import base, engine  # noqa: F401  (engine imports every rule module)
    from xxgk.checks.basis import rule_basis

    basis = rule_basis()
    lines = ["| 规则编号 | 严重程度 | 检查内容 | 依据 | 定义位置（lib/xxgk/） |", "|---|---|---|---|---|"]
    for rid, r in sorted(base.RULES.items()):
        module = inspect.getmodule(r.func).__name__.removeprefix("xxgk.").replace(".", "/") + ".py"
        title = r.title.replace("|", "\\|")
        why = f"〔{basis[rid]['kind']}〕{basis[rid]['basis']}".replace("|", "\\|")
        lines.append(f"| `{rid}` | {'错误' if r.severity == base.ERROR else '警告'} | {title} | {why} | `{module}` |")
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files):
    """Replace the placeholder on the rules page with the generated table."""
    return markdown.replace(PLACEHOLDER, rules_table()) if PLACEHOLDER in markdown else markdown
