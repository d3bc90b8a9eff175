"""The narrative of demo reports: paragraph pools rotated from year to year, stating the tables' own figures."""

from __future__ import annotations

import random

from xxgk.model import Report

GOVERNMENT_LEVELS = ("乡镇人民政府", "街道办事处", "县级政府", "地市级政府", "省级政府")
FOCUS = (
    "财政预决算", "重大建设项目", "公共资源配置", "社会公益事业", "行政执法公示", "“放管服”改革", "惠企政策",
    "民生实事项目", "乡村振兴", "安全生产", "生态环境保护", "营商环境优化", "就业创业", "养老服务",
)  # fmt: skip


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (normal approximation above 30)."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, lam**0.5)))
    k, p, limit = 0, 1.0, pow(2.718281828459045, -lam)
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


_OPEN = (
    "{y}年，{me}坚持以公开为常态、不公开为例外，围绕{f1}、{f2}等重点领域，通过门户网站、政务新媒体等渠道及时发布政府信息，"
    "同步做好政策文件解读，全年主动公开政府信息{pub}条。",
    "{me}将主动公开作为{y}年政务公开的首要任务，动态调整主动公开基本目录，重点加强{f1}信息和{f2}信息的发布，"
    "累计发布各类信息{pub}条，确保群众看得到、看得懂。",
    "{y}年，{me}细化主动公开工作清单，按照“谁制作、谁公开”原则压实科室责任，在{f1}、{f2}方面推出专题栏目，"
    "主动公开信息{pub}条，图文解读和政策问答同步上线。",
    "围绕年度中心工作，{me}持续深化{f1}领域信息公开，扩大{f2}相关信息的公开范围，{y}年共发布信息{pub}条，"
    "并对涉及群众切身利益的政策开展多形式解读。",
    "{y}年，{me}聚焦{f1}和{f2}，坚持“应公开、尽公开”，对拟公开信息逐条审核后发布，全年主动公开政府信息{pub}条，"
    "发布时效较上年进一步提高。",
)
_REQUEST = (
    "{y}年，{me}新收政府信息公开申请{new}件，上年结转{cin}件，已办结{done}件，结转下年度继续办理{fwd}件。"
    "所有申请均在法定期限内答复，答复文书格式规范、告知事项完整。",
    "依申请公开方面，{me}严格执行登记、承办、审核、答复、归档流程，{y}年共新收申请{new}件，上年结转{cin}件，"
    "办结{done}件，另有{fwd}件结转下年度继续办理。",
    "{me}完善依申请公开工作机制，法制审核全程参与答复把关。{y}年新收政府信息公开申请{new}件，上年结转{cin}件，"
    "全年办结{done}件，结转下年度继续办理{fwd}件。",
    "{y}年，{me}进一步畅通线上、线下申请渠道，及时更新政府信息公开指南。全年新收申请{new}件，上年结转{cin}件，"
    "办结{done}件，结转下年度{fwd}件，未发生超期答复情况。",
)
_MANAGE = (
    "严格落实公开前保密审查和合法性审查，对拟公开文件逐件明确公开属性，{y}年未发生泄密或不当公开事件。",
    "组织开展规范性文件清理，对已废止、失效文件在网站上作出明确标注，保证公开文件的准确性和时效性。",
    "建立政府信息公开台账，定期核对已公开信息，及时更新失效内容，全年信息管理工作平稳有序。",
    "修订本机关政府信息公开审查办法，明确“先审查、后公开”和“一事一审”要求，审查记录留存备查。",
    "梳理{y}年度政策文件和业务数据，分类纳入政府信息管理目录，实现信息来源可溯、去向可查。",
)
_PLATFORM = (
    "持续加强政府信息公开平台建设，优化门户网站政府信息公开专栏，做好栏目内容保障，网站全年安全平稳运行。",
    "推进政府信息公开平台集约化建设，统一栏目设置和内容标准，政务新媒体与门户网站协同发布。",
    "完善政府信息公开专栏检索和导航功能，提升移动端浏览体验，方便公众查阅获取信息。",
    "对政府信息公开平台开展常态化巡查，对错链、断链和空白栏目及时整改，平台可用性进一步提升。",
)
_OVERSIGHT = (
    "将政务公开工作纳入年度绩效考核，主要负责同志专题研究部署，分管负责同志具体抓落实，{y}年未发生责任追究情况。",
    "组织政务公开业务培训，邀请专家讲解《条例》要点和依申请公开答复规范，工作人员业务水平有所提升。",
    "建立政务公开工作自查制度，每季度开展一次检查，对发现的问题建立清单、限期整改，监督保障机制不断健全。",
    "认真接受社会评议和上级检查，对反馈意见逐条研究、逐项落实，政务公开工作质量持续提高。",
)
_GOVERNMENT = (
    "工作考核、社会评议和责任追究结果情况：{y}年将政务公开纳入对下级单位的年度考核，开展社会评议，未发生责任追究情况。",
    "工作考核、社会评议和责任追究结果情况：组织开展年度政务公开考核和第三方社会评议，结果通报各单位，全年无责任追究事项。",
)
_PROBLEMS = (
    "政策解读的形式还比较单一，图解、视频等群众喜闻乐见的解读方式运用不多",
    "部分科室对主动公开的认识不够到位，信息报送的及时性有待提高",
    "依申请公开答复的说理性还需加强，个别答复告知内容不够具体",
    "政府信息公开平台部分栏目更新频率不高，内容不够丰富",
    "政务公开队伍人员变动较多，专业化水平与工作要求还有差距",
    "重点领域信息公开的深度不够，公众关注的数据类信息发布偏少",
    "政务新媒体与门户网站的信息联动不够紧密，互动回应还不充分",
)
_MEASURES = (
    "丰富解读形式，对重要政策同步推出图解、问答和短视频解读",
    "建立信息报送提醒和通报机制，将信息公开时效纳入科室考核",
    "加强依申请公开答复审核，定期开展案例研讨，提高答复规范性",
    "开展平台栏目梳理，明确各栏目责任科室和更新时限",
    "举办政务公开专题培训，组织业务骨干参加上级业务交流",
    "围绕群众关切扩大数据开放范围，按季度发布重点领域统计信息",
    "推动政务新媒体与门户网站协同发布，及时回应网民留言和咨询",
)


def _pick(pool, key: int):
    return pool[key % len(pool)]


def narrative(report: Report, st, t3: dict, t4: dict) -> None:
    """Write 一、总体情况, 五 and 六 of a demo report from its tables' figures (``st``: the agency's demo state)."""
    y, me = report.year, "本机关"
    k = y + st.offset  # rotates every paragraph from one year to the next (X-SIMILAR)
    rng = st.rng
    f1, f2 = FOCUS[k % len(FOCUS)], FOCUS[(k * 3 + 5) % len(FOCUS)]
    pub = max(5, poisson(rng, 40 + st.size * 60))
    request = _pick(_REQUEST, k).format(y=y, me=me, new=t3["new"], cin=t3["carried_in"], done=t3["handled"], fwd=t3["forward"])
    if t3["handled"]:
        request += (f"办理结果中，予以公开{t3['granted']}件，部分公开{t3['partly']}件，不予公开{t3['withheld']}件，"
                    f"无法提供{t3['unavailable']}件，不予处理{t3['rejected']}件。")  # fmt: skip
    lit = t4["direct_suit"] + t4["suit_after_review"]
    review = (f"全年因政府信息公开被申请行政复议{t4['review']}件、提起行政诉讼{lit}件。" if t4["review"] or lit
              else "全年未发生因政府信息公开被申请行政复议或提起行政诉讼的情况。")  # fmt: skip
    oversight = _pick(_OVERSIGHT, k).format(y=y)
    if report.agency.level in GOVERNMENT_LEVELS:
        oversight += _pick(_GOVERNMENT, k).format(y=y)
    report.sections["s1"] = "\n\n".join((
        "（一）主动公开方面。" + _pick(_OPEN, k).format(y=y, me=me, f1=f1, f2=f2, pub=pub),
        "（二）依申请公开方面。" + request + review,
        "（三）政府信息管理方面。" + _pick(_MANAGE, k + 1).format(y=y),
        "（四）政府信息公开平台建设方面。" + _pick(_PLATFORM, k + 2),
        "（五）监督保障方面。" + oversight,
    ))  # fmt: skip
    problems = [_pick(_PROBLEMS, k), _pick(_PROBLEMS, k + 3)]
    measures = [_pick(_MEASURES, k), _pick(_MEASURES, k + 3), _pick(_MEASURES, k + 5)]
    report.sections["s5"] = "\n\n".join((
        f"{y}年，{me}政府信息公开工作取得一定成效，但仍存在一些问题：一是{problems[0]}；二是{problems[1]}。",
        f"针对上述问题，{y + 1}年将重点做好以下改进：（一）{measures[0]}；（二）{measures[1]}；（三）{measures[2]}。"
        f"同时对{y}年整改措施落实情况开展跟踪检查，确保改进措施见到实效。",
    ))  # fmt: skip
    if report.format_id == "2021":
        fee = rng.choice((0, 0, 0, 0, 100, 250, 400)) if st.size > 3 else 0
        report.sections["s6"] = (f"{y}年，{me}未收取信息处理费。" if not fee
                                 else f"{y}年，{me}依据《政府信息公开信息处理费管理办法》收取信息处理费{fee}元。")  # fmt: skip
        if rng.random() < 0.3:
            report.sections["s6"] += "无其他需要报告的事项。"
    else:
        report.sections["s6"] = rng.choice(("无其他需要报告的事项。", f"{y}年度无其他需要报告的事项。"))
    for sid in ("s2", "s3", "s4"):
        report.sections.setdefault(sid, "")
