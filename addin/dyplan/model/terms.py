"""The plan's vocabulary: every choice a user makes or reads, with its Chinese and English label.

Each member's value is a stable English key (used in code, files and defined names);
``zh`` and ``en`` are what cells and messages show. ``parse`` accepts any of the three,
because users type the Chinese label in the workbook and the key on the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Self, TypeVar


class Term(StrEnum):
    """A closed list of choices with bilingual labels (attached by ``@labels``)."""

    _labels: dict[str, tuple[str, str]]

    @property
    def zh(self) -> str:
        return type(self)._labels[self.value][0]

    @property
    def en(self) -> str:
        return type(self)._labels[self.value][1]

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


TermClass = TypeVar("TermClass", bound=type[Term])


def labels(table: dict[str, tuple[str, str]]) -> Callable[[TermClass], TermClass]:
    """Attach ``{key: (zh, en)}`` labels to a ``Term`` class."""

    def attach(cls: TermClass) -> TermClass:
        cls._labels = table
        return cls

    return attach


@labels(
    {
        "beauty": ("美妆", "beauty"),
        "apparel": ("服饰", "apparel"),
        "food": ("食品", "food"),
        "home": ("家居", "home"),
        "electronics": ("3C", "electronics"),
        "auto": ("汽车", "auto"),
        "other": ("其他", "other"),
    }
)
class Category(Term):
    BEAUTY = "beauty"
    APPAREL = "apparel"
    FOOD = "food"
    HOME = "home"
    ELECTRONICS = "electronics"
    AUTO = "auto"
    OTHER = "other"


@labels({"launch": ("新店起量", "launch"), "mature": ("成熟经营", "mature")})
class Stage(Term):
    LAUNCH = "launch"
    MATURE = "mature"


@labels(
    {
        "brand": ("品牌建设", "brand building"),
        "sales": ("销售转化", "sales conversion"),
        "growth": ("用户增长", "user growth"),
    }
)
class Strategy(Term):
    BRAND = "brand"
    SALES = "sales"
    GROWTH = "growth"


@labels(
    {
        "P1": ("基础建量期", "base building"),
        "P2": ("精准获客期", "precise acquisition"),
        "P3": ("深度转化期", "deep conversion"),
        "P4": ("成熟期", "maturity"),
    }
)
class Phase(Term):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


@labels({"feed": ("信息流", "feed"), "search": ("搜索", "search"), "live": ("直播推广", "live")})
class Channel(Term):
    FEED = "feed"
    SEARCH = "search"
    LIVE = "live"


@labels(
    {
        "cold_start": ("冷启动", "cold start"),
        "core": ("核心流量获取", "core acquisition"),
        "optimisation": ("效果优化", "optimisation"),
    }
)
class Purpose(Term):
    COLD_START = "cold_start"
    CORE = "core"
    OPTIMISATION = "optimisation"
