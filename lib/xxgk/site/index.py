"""``<out>/index.html``: every agency × year with links to its HTML/PDF, the checker status as a coloured badge,
filters by year, agency level and status, and a search by name. One self-contained page (inline CSS and
JavaScript, no network), usable from ``file://``; every text is HTML-escaped."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

STATUS_LABELS = {"clean": "无问题", "warnings": "有警告", "errors": "有错误", "failed": "构建失败", "pending": "未构建"}
LINKS = (("html", "HTML"), ("pdf", "PDF"), ("docx", "DOCX"), ("analysis_html", "分析资料"), ("failed_notebook", "失败笔记本"),
         ("log", "日志"))  # fmt: skip

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1.5em;color:#222;background:#fff}
h1{font-size:1.5em;margin:0 0 .3em}p.meta{color:#555;margin:.2em 0 1em}
.filters{display:flex;flex-wrap:wrap;gap:.8em;align-items:center;margin:.8em 0;padding:.6em;background:#f4f1ec;border-radius:4px}
.filters label{font-size:.9em}.filters select,.filters input{font:inherit;padding:.15em .3em}
table{border-collapse:collapse;width:100%;font-size:.92em}th,td{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left}
th{background:#8c1c13;color:#fff;position:sticky;top:0}tr:hover td{background:#faf7f2}td.num{text-align:right}
.badge{display:inline-block;min-width:5.5em;padding:.1em .5em;border-radius:1em;font-size:.85em;color:#fff;text-align:center}
.b-clean{background:#2e7d32}.b-warnings{background:#c88b2a}.b-errors{background:#c62828}.b-failed{background:#5d0d0d}
.b-pending{background:#8a8a8a}a{color:#2b5d8a}.links a{margin-right:.6em}.overviews a{margin-right:.8em}
#count{font-weight:bold}
"""

JS = """
(function(){
  var q=function(id){return document.getElementById(id);};
  function apply(){
    var y=q('f-year').value,l=q('f-level').value,s=q('f-status').value,t=q('f-search').value.trim().toLowerCase(),n=0;
    var rows=document.querySelectorAll('#reports tbody tr');
    for(var i=0;i<rows.length;i++){
      var r=rows[i],d=r.dataset;
      var ok=(!y||d.year===y)&&(!l||d.level===l)&&(!s||d.status===s)&&(!t||d.search.indexOf(t)>=0);
      r.hidden=!ok;if(ok){n++;}
    }
    q('count').textContent=n;
  }
  ['f-year','f-level','f-status'].forEach(function(id){q(id).addEventListener('change',apply);});
  q('f-search').addEventListener('input',apply);
  apply();
})();
"""


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def status_of(entry: dict | None) -> str:
    """The index status of a manifest entry: clean, warnings, errors, failed or pending."""
    if not entry or entry.get("status") not in ("ok", "failed"):
        return "pending"
    if entry["status"] == "failed":
        return "failed"
    checks = entry.get("checks") or {}
    if checks.get("errors"):
        return "errors"
    return "warnings" if checks.get("warnings") else "clean"


def index_rows(out_dir: str | Path, manifest, found, names: dict | None = None) -> list[dict]:
    """One row per params file found: agency, year, names, status, check counts and output links."""
    out_dir = Path(out_dir)
    rows = []
    for year, agency, _path in found:
        e = manifest.reports.get(f"{year}/{agency}") or {}
        name, level = e.get("name"), e.get("level")
        if (not name or not level) and names:
            name, level = names.get((year, agency), (name, level))
        outputs = e.get("outputs") or {}
        links = [(label, outputs[k]) for k, label in LINKS if k in outputs and (out_dir / outputs[k]).is_file()]
        checks = e.get("checks") or {}
        rows.append({"year": year, "agency": agency, "name": name or agency, "level": level or "未知",
                     "format": e.get("format", ""), "status": status_of(e), "errors": checks.get("errors"),
                     "warnings": checks.get("warnings"), "links": links,
                     "error": (e.get("error") or {}).get("message") if e.get("status") == "failed" else None})  # fmt: skip
    return rows


def _badge(row: dict) -> str:
    st = row["status"]
    if st in ("clean", "warnings", "errors"):
        text = f"错误 {row['errors'] or 0} · 警告 {row['warnings'] or 0}"
    else:
        text = STATUS_LABELS[st]
    title = f' title="{_e(row["error"])}"' if row.get("error") else ""
    return f'<span class="badge b-{st}"{title}>{_e(text)}</span>'


def _options(values, all_label: str, labels=None) -> str:
    opts = [f'<option value="">{_e(all_label)}</option>']
    opts += [f'<option value="{_e(v)}">{_e((labels or {}).get(v, v))}</option>' for v in values]
    return "".join(opts)


def render_index(rows: list[dict], overviews: dict[int, str] | None = None, title: str = "政府信息公开工作年度报告") -> str:
    """The index page HTML."""
    years = sorted({r["year"] for r in rows}, reverse=True)
    levels = sorted({r["level"] for r in rows})
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUS_LABELS}
    summary = "，".join(f"{STATUS_LABELS[s]} {n}" for s, n in counts.items() if n)
    body = []
    for r in sorted(rows, key=lambda r: (-r["year"], r["agency"])):
        search = f"{r['name']} {r['agency']}".lower()
        links = "".join(f'<a href="{_e(href)}">{_e(label)}</a>' for label, href in r["links"]) or "—"
        body.append(
            f'<tr data-year="{_e(r["year"])}" data-level="{_e(r["level"])}" data-status="{_e(r["status"])}" '
            f'data-search="{_e(search)}"><td>{_e(r["year"])}</td><td class="name">{_e(r["name"])}</td>'
            f'<td>{_e(r["agency"])}</td><td>{_e(r["level"])}</td><td>{_e(r["format"])}</td>'
            f'<td>{_badge(r)}</td><td class="links">{links}</td></tr>'
        )
    ov = ""
    if overviews:
        ov = '<p class="overviews">年度总览：' + "".join(
            f'<a href="{_e(href)}">{_e(y)}年</a>' for y, href in sorted(overviews.items(), reverse=True)) + "</p>"  # fmt: skip
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="xxgk">
<title>{_e(title)} — 索引</title>
<style>{CSS}</style>
</head>
<body>
<h1>{_e(title)}</h1>
<p class="meta">共 {len(rows)} 份报告（{_e(summary)}）。生成时间：{_e(_now())}</p>
{ov}
<div class="filters">
<label>年度 <select id="f-year">{_options(years, "全部年度")}</select></label>
<label>机关层级 <select id="f-level">{_options(levels, "全部层级")}</select></label>
<label>状态 <select id="f-status">{_options(list(STATUS_LABELS), "全部状态", STATUS_LABELS)}</select></label>
<label>搜索 <input id="f-search" type="search" placeholder="机关名称或编号"></label>
<span>显示 <span id="count">{len(rows)}</span> 份</span>
</div>
<table id="reports">
<thead><tr><th>年度</th><th>机关</th><th>编号</th><th>层级</th><th>格式</th><th>检查结果</th><th>文件</th></tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
<script>{JS}</script>
</body>
</html>
"""
