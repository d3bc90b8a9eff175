"""``<out>/index.html``: every report built under the output directory (and every params file found) with links
to its files, its state (error, incomplete, warning, clean — ``xxgk.checks.status``; or failed, pending) as a
coloured badge, a stale mark, its findings one click away, counts and filters per state, by year, level and
staleness, and a search by name. One self-contained page (inline CSS and
JavaScript, no network), usable from ``file://``; every text is HTML-escaped."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from xxgk.checks.status import STATE_CLEAN, STATE_ERROR, STATE_INCOMPLETE, STATE_LABELS, STATE_WARNING, STATES

#: the row status: the report's state (xxgk.checks.status), or why there is none
STATUS_LABELS = {**STATE_LABELS, "failed": "构建失败", "pending": "未构建"}
LINKS = (("html", "HTML"), ("pdf", "PDF"), ("docx", "DOCX"), ("analysis_html", "分析资料"), ("failed_notebook", "失败笔记本"),
         ("log", "日志"))  # fmt: skip
STALE_LABELS = {"params-missing": "参数文件已删除", "build-failed": "重新构建失败"}

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1.5em;color:#222;background:#fff}
h1{font-size:1.5em;margin:0 0 .3em}p.meta{color:#555;margin:.2em 0 1em}
.filters{display:flex;flex-wrap:wrap;gap:.8em;align-items:center;margin:.8em 0;padding:.6em;background:#f4f1ec;border-radius:4px}
.filters label{font-size:.9em}.filters select,.filters input{font:inherit;padding:.15em .3em}
table{border-collapse:collapse;width:100%;font-size:.92em}th,td{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left}
th{background:#8c1c13;color:#fff;position:sticky;top:0}tr:hover td{background:#faf7f2}td.num{text-align:right}
.badge{display:inline-block;min-width:5.5em;padding:.1em .5em;border-radius:1em;font-size:.85em;color:#fff;text-align:center}
.b-clean{background:#2e7d32}.b-warning{background:#c88b2a}.b-error{background:#c62828}.b-incomplete{background:#6a4c93}
.b-failed{background:#5d0d0d}.b-pending{background:#8a8a8a}.stale{display:inline-block;margin-left:.4em;padding:0 .4em;
border:1px solid #a33;border-radius:3px;color:#a33;font-size:.8em}.counts{margin:.6em 0}.counts button{font:inherit;
font-size:.9em;margin:0 .4em .3em 0;padding:.15em .6em;border:1px solid #bbb;border-radius:1em;background:#fff;cursor:pointer}
.counts button.on{border-color:#333;font-weight:bold}details{font-size:.85em;margin-top:.2em}details ul{margin:.2em 0;
padding-left:1.2em}details li{margin:.1em 0}.rule{font-family:monospace;font-weight:bold;margin-right:.3em}
p.note{margin:.1em 0;font-size:.85em;color:#a33}a{color:#2b5d8a}.links a{margin-right:.6em}.overviews a{margin-right:.8em}
#count{font-weight:bold}
"""

JS = """
(function(){
  var q=function(id){return document.getElementById(id);};
  function apply(){
    var y=q('f-year').value,l=q('f-level').value,s=q('f-status').value,st=q('f-stale').value,
        t=q('f-search').value.trim().toLowerCase(),n=0;
    var rows=document.querySelectorAll('#reports tbody tr');
    for(var i=0;i<rows.length;i++){
      var r=rows[i],d=r.dataset;
      var ok=(!y||d.year===y)&&(!l||d.level===l)&&(!s||d.status===s)&&(!st||d.stale===st)&&(!t||d.search.indexOf(t)>=0);
      r.hidden=!ok;if(ok){n++;}
    }
    q('count').textContent=n;
    var bs=document.querySelectorAll('.counts button');
    for(var j=0;j<bs.length;j++){bs[j].classList.toggle('on',bs[j].dataset.status===s);}
  }
  ['f-year','f-level','f-status','f-stale'].forEach(function(id){q(id).addEventListener('change',apply);});
  var bs=document.querySelectorAll('.counts button');
  for(var j=0;j<bs.length;j++){bs[j].addEventListener('click',function(){
    var f=q('f-status');f.value=(f.value===this.dataset.status)?'':this.dataset.status;apply();});}
  q('f-search').addEventListener('input',apply);
  apply();
})();
"""


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def legacy_state(checks: dict) -> str:
    """The state of an entry written before states were recorded: never ``clean`` unless nothing was missing."""
    if checks.get("errors"):
        return STATE_ERROR
    if checks.get("not_assessable") or checks.get("gaps", 1):
        return STATE_INCOMPLETE
    return STATE_WARNING if checks.get("warnings") else STATE_CLEAN


def status_of(entry: dict | None) -> str:
    """The index status of a manifest entry: its state (error, incomplete, warning, clean), failed or pending."""
    if not entry or entry.get("status") not in ("ok", "failed", "running"):
        return "pending"
    if entry["status"] == "failed":
        return "failed"
    if entry.get("checks") is None:  # interrupted before it was ever built
        return "pending"
    return entry.get("state") or legacy_state(entry["checks"])


def shown_entry(e: dict) -> dict:
    """What the row shows the findings of: the entry, or for a failed rebuild the publication it kept."""
    return e.get("published") or e if e.get("status") == "failed" else e


def index_rows(out_dir: str | Path, manifest, found, names: dict | None = None) -> list[dict]:
    """One row per report of the site (``site_reports``: everything built under the output directory and every
    params file found): agency, year, names, status, stale mark, findings and output links."""
    from xxgk.site.data import site_reports

    out_dir = Path(out_dir)
    rows = []
    for year, agency, _path in site_reports(manifest.reports, found):
        e = manifest.reports.get(f"{year}/{agency}") or {}
        name, level = e.get("name"), e.get("level")
        if (not name or not level) and names:
            name, level = names.get((year, agency), (name, level))
        outputs = e.get("outputs") or {}
        links = [(label, outputs[k]) for k, label in LINKS if k in outputs and (out_dir / outputs[k]).is_file()]
        shown = shown_entry(e)
        checks = shown.get("checks") or {}
        state = shown.get("state") or (legacy_state(checks) if shown.get("checks") is not None else None)
        rows.append({"year": year, "agency": agency, "name": name or agency, "level": level or "未知",
                     "format": e.get("format", ""), "status": status_of(e), "state": state, "checks": checks,
                     "findings": shown.get("findings") or [], "gaps": shown.get("gaps") or [],
                     "stale": e.get("stale"), "published": (e.get("published") or {}).get("finished"), "links": links,
                     "error": (e.get("error") or {}).get("message") if e.get("status") == "failed" else None})  # fmt: skip
    return rows


def _badge(row: dict) -> str:
    st = row["status"]
    title = f' title="{_e(row["error"])}"' if row.get("error") else ""
    out = f'<span class="badge b-{_e(st)}"{title}>{_e(STATUS_LABELS.get(st, st))}</span>'
    if st == "failed" and row.get("state"):  # the kept publication's own state
        out += f' <span class="badge b-{_e(row["state"])}">{_e("已发布版本：" + STATE_LABELS[row["state"]])}</span>'
    stale = row.get("stale")
    if stale:
        out += f'<span class="stale">过期：{_e(STALE_LABELS.get(stale.get("reason"), stale.get("reason")))}</span>'
    return out


_KIND = {"not_assessable": "无法核对", "explained": "已说明"}


def _details(row: dict) -> str:
    """The findings of a report one click away: rule and short message; blank cells and empty sections; the
    failure and the stale reason in words."""
    notes = []
    if row.get("error"):
        notes.append(f'<p class="note">构建失败：{_e(row["error"])}</p>')
    stale = row.get("stale")
    if stale and stale.get("reason") == "build-failed":
        when = f"（{row['published']}）" if row.get("published") else ""
        notes.append(f'<p class="note">显示的是上次成功构建{_e(when)}的版本。</p>')
    elif stale:
        notes.append(f'<p class="note">{_e(stale.get("message"))}；文件保留至运行 xxgk build --prune。</p>')
    items = [f'<li><span class="rule">{_e(f["rule"])}</span>{_e(_KIND.get(f.get("status")) or ("错误" if f.get("severity") == "error" else "警告"))}：'
             f'{_e(f.get("message"))}</li>' for f in row.get("findings") or []]  # fmt: skip
    n_gaps = (row.get("checks") or {}).get("gaps", len(row.get("gaps") or []))
    if row.get("gaps"):
        more = f" 等共 {n_gaps} 处" if n_gaps > len(row["gaps"]) else f"（{n_gaps} 处）"
        items.append(f'<li><span class="rule">缺项</span>空白单元格或空章节：{_e("、".join(row["gaps"]))}{_e(more)}</li>')
    c = row.get("checks") or {}
    listed = ""
    if items:
        listed = (f"<details><summary>检查结果：错误 {_e(c.get('errors', 0))} · 警告 {_e(c.get('warnings', 0))} · "
                  f"无法核对 {_e(c.get('not_assessable', 0))} · 缺项 {_e(n_gaps)}</summary><ul>{''.join(items)}</ul></details>")  # fmt: skip
    return "".join(notes) + listed


def _options(values, all_label: str, labels=None) -> str:
    opts = [f'<option value="">{_e(all_label)}</option>']
    opts += [f'<option value="{_e(v)}">{_e((labels or {}).get(v, v))}</option>' for v in values]
    return "".join(opts)


def render_index(rows: list[dict], overviews: dict[int, str] | None = None, title: str = "政府信息公开工作年度报告",
                 boards: dict[int, str] | None = None) -> str:
    """The index page HTML."""
    years = sorted({r["year"] for r in rows}, reverse=True)
    levels = sorted({r["level"] for r in rows})
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUS_LABELS}
    summary = "，".join(f"{STATUS_LABELS[s]} {n}" for s, n in counts.items() if n)
    n_stale = sum(1 for r in rows if r.get("stale"))
    if n_stale:
        summary += f"；其中过期 {n_stale}"
    buttons = "".join(f'<button type="button" data-status="{_e(s)}">'
                      f'<span class="badge b-{_e(s)}">{_e(STATUS_LABELS[s])}</span> {n}</button>'
                      for s, n in counts.items() if n or s in STATES)  # fmt: skip
    body = []
    for r in sorted(rows, key=lambda r: (-r["year"], r["agency"])):
        search = f"{r['name']} {r['agency']}".lower()
        links = "".join(f'<a href="{_e(href)}">{_e(label)}</a>' for label, href in r["links"]) or "—"
        body.append(
            f'<tr data-year="{_e(r["year"])}" data-level="{_e(r["level"])}" data-status="{_e(r["status"])}" '
            f'data-stale="{"1" if r.get("stale") else "0"}" '
            f'data-search="{_e(search)}"><td>{_e(r["year"])}</td><td class="name">{_e(r["name"])}</td>'
            f'<td>{_e(r["agency"])}</td><td>{_e(r["level"])}</td><td>{_e(r["format"])}</td>'
            f'<td>{_badge(r)}{_details(r)}</td><td class="links">{links}</td></tr>'
        )
    ov = ""
    if overviews:
        ov = '<p class="overviews">年度总览：' + "".join(
            f'<a href="{_e(href)}">{_e(y)}年</a>' for y, href in sorted(overviews.items(), reverse=True)) + "</p>"  # fmt: skip
    if boards:  # the office's status boards (xxgk status --year Y)
        ov += '<p class="overviews">报送情况：' + "".join(
            f'<a href="{_e(href)}">{_e(y)}年</a>' for y, href in sorted(boards.items(), reverse=True)) + "</p>"  # fmt: skip
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
<div class="counts">{buttons}</div>
<div class="filters">
<label>年度 <select id="f-year">{_options(years, "全部年度")}</select></label>
<label>机关层级 <select id="f-level">{_options(levels, "全部层级")}</select></label>
<label>状态 <select id="f-status">{_options(list(STATUS_LABELS), "全部状态", STATUS_LABELS)}</select></label>
<label>时效 <select id="f-stale">{_options(["0", "1"], "全部", {"0": "最新", "1": "过期"})}</select></label>
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
