"""xxgk — China's government information-disclosure annual reports (政府信息公开工作年度报告) as data:
formats, params files, the consistency checker, the report notebook and its HTML/PDF builds."""

__version__ = "0.1.0"
