"""The title a set gives its reports and templates (``report_title``), in a language."""

from __future__ import annotations

from inspector.core.indicators.model import IndicatorSet, localized
from inspector.i18n import tl


def report_title(indicators: IndicatorSet, lang: str) -> str:
    """``report_title`` (in English its ``en`` one where given, as every text of a set),
    else the catalogs' general wording ("网络安全工作责任制督查检查")."""
    title = localized(indicators, "report_title", lang)
    return str(title) if title else tl(lang, "format.report_title")
