"""One export helper for every table the app lets people download.

A table is a list of Norwegian column headers and rows of plain values. It is
written as CSV for Excel (semicolons, a byte-order mark, UTF-8) or as an
Excel workbook (openpyxl), with the same rules for both:

- datetimes are written in Europe/Oslo (the municipality's time zone, never
  the browser's), dates as YYYY-MM-DD;
- decimals use a comma in CSV (Norwegian Excel), numbers stay numbers in
  Excel;
- text that a spreadsheet would read as a formula (starting with = + - @,
  a tab or a carriage return) is neutralised with a leading apostrophe.

    from tillit.web.exports import Table, export_response
    table = Table(["Bydel", "Brukere"], [["Alna", 12]])
    return export_response(table, "brukere-per-bydel", "xlsx")
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from django.http import HttpResponse

OSLO = ZoneInfo("Europe/Oslo")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Format = Literal["csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx")
Cell = str | int | float | Decimal | dt.date | dt.datetime | bool | None


@dataclass
class Table:
    headers: Sequence[str]
    rows: Iterable[Sequence[Cell]]
    title: str = "Tabell"
    notes: list[str] = field(default_factory=list)


def neutralise(value: str) -> str:
    """No spreadsheet formula from a cell (OWASP: CSV injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _local(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(OSLO)


def csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, dt.datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return format(value, "f").rstrip("0").rstrip(".").replace(".", ",") if value else "0"
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def xlsx_cell(value: Cell) -> object:
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, dt.datetime):
        return _local(value).replace(tzinfo=None)
    if isinstance(value, int | float | Decimal | dt.date):
        return value
    return neutralise(str(value))


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in table.headers])
    for row in table.rows:
        writer.writerow([csv_cell(v) for v in row])
    for note in table.notes:
        writer.writerow([neutralise(note)])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    title = "".join(" " if c in '[]:*?/\\' else c for c in table.title).strip("' ")
    sheet.title = title[:31] or "Tabell"
    sheet.append([neutralise(str(h)) for h in table.headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([xlsx_cell(v) for v in row])
    for note in table.notes:
        sheet.append([neutralise(note)])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_response(table: Table, filename: str, fmt: Format) -> HttpResponse:
    """A download of `table` as `filename.csv` or `filename.xlsx`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    body = to_csv(table) if fmt == "csv" else to_xlsx(table)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    safe_name = "".join(c if c.isalnum() or c in "-_." else "-" for c in filename)
    response["Content-Disposition"] = f'attachment; filename="{safe_name}.{fmt}"'
    return response
