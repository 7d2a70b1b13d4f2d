"""The plan's vocabulary: every choice a user makes or reads, with its Chinese and English label.

Each member's value is a stable English key (used in code, files and defined names);
``zh`` and ``en`` are what cells and messages show. ``parse`` accepts any of the three,
because users type the Chinese label in the workbook and the key on the command line.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Term(StrEnum):
    """A closed list of choices, each declared with its labels: ``MET = "met", "达标", "met"``."""

    zh: str
    en: str

    def __new__(cls, key: str, zh: str, en: str) -> Self:
        member = str.__new__(cls, key)
        member._value_ = key
        member.zh, member.en = zh, en
        return member

    @classmethod
    def parse(cls, text: object) -> Self:
        """Return the member whose key, Chinese or English label equals ``text``.

        Raises ``ValueError`` when nothing matches.
        """
        wanted = str(text).strip().lower()
        for member in cls:
            if wanted in (member.value.lower(), member.zh.lower(), member.en.lower()):
                return member
        raise ValueError(text)

    @classmethod
    def choices_zh(cls) -> str:
        return "、".join(m.zh for m in cls)


class Category(Term):
    BEAUTY = "beauty", "美妆", "beauty"
    APPAREL = "apparel", "服饰", "apparel"
    FOOD = "food", "食品", "food"
    HOME = "home", "家居", "home"
    ELECTRONICS = "electronics", "3C", "electronics"
    AUTO = "auto", "汽车", "auto"
    OTHER = "other", "其他", "other"


class Stage(Term):
    LAUNCH = "launch", "新店起量", "launch"
    MATURE = "mature", "成熟经营", "mature"


class Strategy(Term):
    BRAND = "brand", "品牌建设", "brand building"
    SALES = "sales", "销售转化", "sales conversion"
    GROWTH = "growth", "用户增长", "user growth"


class Phase(Term):
    P1 = "P1", "基础建量期", "base building"
    P2 = "P2", "精准获客期", "precise acquisition"
    P3 = "P3", "深度转化期", "deep conversion"
    P4 = "P4", "成熟期", "maturity"


class Channel(Term):
    FEED = "feed", "信息流", "feed"
    SEARCH = "search", "搜索", "search"
    LIVE = "live", "直播推广", "live"


class Purpose(Term):
    COLD_START = "cold_start", "冷启动", "cold start"
    CORE = "core", "核心流量获取", "core acquisition"
    OPTIMISATION = "optimisation", "效果优化", "optimisation"
