"""The number format of every kind of cell, as Excel format codes (one table for every writer)."""

from __future__ import annotations

from typing import Any

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


def row_units(table: c.Table, rows: list[list[Any]]) -> list[str | None]:
    """The unit each row's BY_UNIT cells show: from the table's unit column, or declared per row."""
    if any(column.key == "unit" for column in table.columns):
        return [row[table.column("unit")] for row in rows]
    declared = c.ROW_UNITS.get(table.name, ())
    return [declared[i] if i < len(declared) else None for i in range(len(rows))]
