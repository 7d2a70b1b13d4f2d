"""The number format of every kind of cell, as Excel format codes (one table for every writer)."""

from __future__ import annotations

from dyplan.book import contract as c

NUMBER_FORMATS: dict[c.Fmt, str] = {
    c.Fmt.TEXT: "@",
    c.Fmt.CHOICE: "@",
    c.Fmt.MONEY: '"¥"#,##0.00',
    c.Fmt.DATE: "yyyy-mm-dd",
    c.Fmt.INT: "0",
    c.Fmt.SHARE: "0.00%",
    c.Fmt.NUMBER: "#,##0.00",
    c.Fmt.GENERAL: "General",
}
#: BY_UNIT columns pick the format of their row's unit.
UNIT_FORMATS: dict[str, c.Fmt] = {"%": c.Fmt.SHARE, "元": c.Fmt.MONEY, "倍": c.Fmt.NUMBER}
COUNT_FORMAT = "#,##0"


def number_format(fmt: c.Fmt, unit: str | None = None) -> str:
    if fmt is c.Fmt.BY_UNIT:
        if unit in UNIT_FORMATS:
            return NUMBER_FORMATS[UNIT_FORMATS[unit]]
        return COUNT_FORMAT if unit else NUMBER_FORMATS[c.Fmt.GENERAL]
    return NUMBER_FORMATS[fmt]
