"""Variants of official labels seen in real reports, for fuzzy matching only (the labels come from xxgk.formats).

Keys and variants are compared after ``labels.core`` normalisation (numbering, spaces, quotes and
parentheses folded). A variant maps to the official label it stands for.
"""

#: published variant → official label (either format)
ROW_VARIANTS = {
    "本年新收到政府信息公开申请数量": "一、本年新收政府信息公开申请数量",
    "本年新收政府信息公开申请": "一、本年新收政府信息公开申请数量",
    "上年转结政府信息公开申请数量": "二、上年结转政府信息公开申请数量",
    "上年结转政府信息公开申请": "二、上年结转政府信息公开申请数量",
    "转结下年度继续办理": "四、结转下年度继续办理",
    "结转下年继续办理": "四、结转下年度继续办理",
    "其他法律行政止公开": "2.其他法律行政法规禁止公开",
    "其他法律行政法规禁止公开的": "2.其他法律行政法规禁止公开",
    "危及三安全一稳定": "3.危及“三安全一稳定”",
    "规范性文件": "规范性文件",
    "行政规范性文件": "行政规范性文件",
}

#: labels that a report of one format prints for a row of the other format: (format id, variant) → official
CROSS_FORMAT_ROWS = {
    ("2021", "规范性文件"): "行政规范性文件",
    ("2019", "行政规范性文件"): "规范性文件",
}

#: local extension tables with a known id, by (normalised) title
EXTENSION_IDS = {
    "公开平台建设和信息发布情况": "platform",
    "政府信息公开情况统计表": "stats",
}

#: lines of web-page chrome that end the report text
CHROME_LINES = (
    "打印本页", "关闭窗口", "【打印】", "【关闭】", "分享到", "版权所有", "主办单位", "网站标识码", "ICP备",
    "扫一扫", "返回顶部", "相关链接", "上一篇", "下一篇", "【字体", "字号：", "浏览次数", "访问量",
)  # fmt: skip
