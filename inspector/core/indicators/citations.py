"""Compact citations: "网安法第23条、第36条（二）、关基条例第15条（五）".

A law's ``short`` name is used where given; otherwise one is derived: the law's key where it is
Chinese and shorter than the title, else the title without its book title marks and
"中华人民共和国" (《中华人民共和国数据安全法》 → 数据安全法). Chinese
article numbers become Arabic (第二十三条 → 第23条); clauses such as "8.1.10.13" stay as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from inspector.core.indicators.model import Basis, IndicatorSet, Law, localized

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_ARTICLE = re.compile(r"第([零〇一二两三四五六七八九十百千]+)条")
_PREFIX = "中华人民共和国"
_CJK = re.compile(r"[\u3400-\u9fff]")


def chinese_number(text: str) -> int | None:
    """二十三 → 23, 十五 → 15, 一百零二 → 102; None when it is not a Chinese number."""
    total, digit = 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


def arabic_articles(text: str) -> str:
    """第二十三条（二） → 第23条（二）; anything else unchanged."""

    def convert(match: re.Match[str]) -> str:
        number = chinese_number(match.group(1))
        return f"第{number}条" if number is not None else match.group(0)

    return _ARTICLE.sub(convert, text)


def short_name(law: Law, lang: str = "zh") -> str:
    """The law's short name: its own ``short``, else one derived from its title."""
    if lang == "en":
        if law.en is not None and law.en.short:
            return law.en.short
        if law.en is not None and law.en.title:
            return law.en.title
    if law.short:
        return law.short
    title = law.title.strip().strip("《》").strip()
    if title.startswith(_PREFIX) and len(title) > len(_PREFIX):
        title = title[len(_PREFIX) :]
    if _CJK.search(law.key) and len(law.key) < len(title):
        return law.key
    return title


def short_citations(indicators: IndicatorSet, basis: Iterable[Basis], lang: str = "zh") -> str:
    """Citations in a few characters: each law's short name once, before its articles in
    the order cited ("网安法第23条、第36条（二）、关基条例第15条（五）")."""
    cited: dict[str, list[str]] = {}
    for entry in basis:
        article = str(localized(entry, "article", lang))
        cited.setdefault(entry.law, []).append(
            article if lang == "en" else arabic_articles(article)
        )
    parts: list[str] = []
    for key, articles in cited.items():
        law = indicators.law(key)
        name = short_name(law, lang) if law is not None else key
        for i, article in enumerate(articles):
            if i:
                parts.append(article)
            elif lang == "en" or not article.startswith("第"):
                parts.append(f"{name} {article}")
            else:
                parts.append(f"{name}{article}")
    return ("; " if lang == "en" else "、").join(parts)
