"""What an insight page is made of: sections, each a table (the same one the
page shows, the screen reader reads and the export writes) with an optional
SVG chart and plain-language text. Hidden counts are None in the table and
"<5" on the page and in the exports."""

from __future__ import annotations

from dataclasses import dataclass, field

from tillit.core.disclosure import HIDDEN
from tillit.web.exports import Cell, Table

NOTE = ("Antall personer under 5 er skjult («<5»), og flere celler er skjult der det "
        "trengs for at de skjulte ikke skal kunne regnes ut fra summene.")


@dataclass
class Section:
    slug: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    chart: str = ""  # SVG markup
    text: list[str] = field(default_factory=list)  # plain-language paragraphs
    counts: tuple[int, ...] = ()  # the columns that hold counts of persons
    count_rows: tuple[int, ...] = ()  # or the rows, in a figures × groups table

    def shown_rows(self) -> list[list[str]]:
        return [[display(v) for v in row] for row in self.rows]

    def export_table(self) -> Table:
        rows = [[HIDDEN if v is None else v for v in row] for row in self.rows]
        # Excel refuses : \ / ? * [ ] in a sheet's name
        title = "".join(" " if c in ':\\/?*[]' else c for c in self.title)[:31].strip()
        return Table(self.headers, rows, title=title, notes=[NOTE])


def display(value: Cell) -> str:
    if value is None:
        return HIDDEN
    if isinstance(value, float):
        text = f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"
        return text.replace(".", ",")
    return str(value)


def find(sections: list[Section], slug: str) -> Section | None:
    return next((s for s in sections if s.slug == slug), None)
