import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from tillit.web.exports import Table, export_response, neutralise, to_csv, to_xlsx


def _table() -> Table:
    return Table(
        ["Navn", "Når", "Timer", "Antall"],
        [
            ["=HYPERLINK(\"x\")", dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC), 1.5, 7],
            ["Ærlig Åse", dt.date(2026, 2, 28), Decimal("2.25"), None],
            ["@SUM(A1)", None, 0.0, 0],
        ],
        title="Test",
    )


@pytest.mark.parametrize("text", ["=1+1", "+47", "-2", "@A1", "\tx", "\rx"])
def test_formula_starts_are_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text


def test_csv_is_for_norwegian_excel() -> None:
    body = to_csv(_table())
    assert body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Navn;Når;Timer;Antall"
    # Europe/Oslo: 01:30 UTC on the night summer time starts is 03:30 local.
    assert lines[1] == '"\'=HYPERLINK(""x"")";2026-03-29 03:30;1,5;7'
    assert lines[2] == "Ærlig Åse;2026-02-28;2,25;"
    assert lines[3] == "'@SUM(A1);;0;0"


def test_xlsx_keeps_numbers_and_neutralises_text() -> None:
    book = load_workbook(io.BytesIO(to_xlsx(_table())))
    sheet = book["Test"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Navn", "Når", "Timer", "Antall")
    assert rows[1][0] == "'=HYPERLINK(\"x\")"
    assert rows[1][1] == dt.datetime(2026, 3, 29, 3, 30)
    assert rows[1][2] == 1.5 and rows[1][3] == 7
    oslo = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC).astimezone(ZoneInfo("Europe/Oslo"))
    assert oslo.hour == 3


def test_response_names_the_file() -> None:
    response = export_response(_table(), "brukere per bydel", "xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="brukere-per-bydel.xlsx"'
    with pytest.raises(ValueError):
        export_response(_table(), "x", "pdf")  # type: ignore[arg-type]


def test_sheet_titles_excel_refuses_are_cleaned() -> None:
    table = Table(["A"], [[1]], title="Bydel: Alna/Grorud [2026]?")
    book = load_workbook(io.BytesIO(to_xlsx(table)))
    assert book.sheetnames == ["Bydel  Alna Grorud  2026"]
