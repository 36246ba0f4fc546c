"""Statistical disclosure control for counts of persons.

Every count of persons that tillit shows or exports is either at least
`MIN_COUNT` (5; Statistics Norway suppresses below 3, this is stricter) or
hidden ("<5"). A table that shows totals needs more than that: when a row
has one hidden cell and its total is shown, the hidden cell is the total
minus the others. So `suppress_table` adds *complementary* suppression until
no hidden cell can be worked out from the shown cells and margins.

The check is exact for a two-way table with row totals, column totals and a
grand total. Treat the table with its margins as an (R+1)×(C+1) grid whose
every line (row or column) sums, with the margin's sign flipped, to zero.
The hidden cells are unknowns; a hidden cell is determined by the shown
ones exactly when it is a *bridge* in the bipartite graph whose vertices are
the grid's lines and whose edges are the hidden cells (a cell on no cycle).
So the rule: keep hiding the smallest shown cell on the line of a bridge
until no bridge is left (a fully hidden grid with at least two lines each
way has none). A one-way list with a total is the special case of one
equation: zero or at least two hidden entries.

Figures derived from persons (a median, an average, a share) are shown only
beside a shown count: `derived` returns None otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

MIN_COUNT = 5
HIDDEN = "<5"


def is_small(count: int | None, min_count: int = MIN_COUNT) -> bool:
    return count is None or count < min_count


def shown(count: int | None, min_count: int = MIN_COUNT) -> int | None:
    """One count on its own: itself when at least `min_count`, else None."""
    return None if is_small(count, min_count) else count


def label(count: int | None, min_count: int = MIN_COUNT) -> str:
    """The text for a count: the number, or "<5"."""
    value = shown(count, min_count)
    return HIDDEN if value is None else str(value)


def derived(value: T, count: int | None, *, hidden: bool = False,
               min_count: int = MIN_COUNT) -> T | None:
    """A figure computed from `count` persons: None when the count is small
    or hidden."""
    if hidden or is_small(count, min_count):
        return None
    return value


@dataclass(frozen=True)
class SuppressedTable:
    """`cells[r][c]`, `row_totals[r]`, `col_totals[c]` and `total`, with None
    where hidden."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    col_totals: list[int | None]
    total: int | None

    def hidden_mask(self) -> list[list[bool]]:
        return [[v is None for v in row] for row in self.cells]


def _bridges(edges: list[tuple[int, int]], n_vertices: int) -> set[int]:
    """Indices of the edges that lie on no cycle (Tarjan, iterative)."""
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(n_vertices)]
    for i, (a, b) in enumerate(edges):
        adjacency[a].append((b, i))
        adjacency[b].append((a, i))
    order = [-1] * n_vertices
    low = [0] * n_vertices
    found: set[int] = set()
    counter = 0
    for root in range(n_vertices):
        if order[root] != -1 or not adjacency[root]:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack: list[tuple[int, int, int]] = [(root, -1, 0)]  # vertex, edge in, next neighbour
        while stack:
            vertex, via, nxt = stack[-1]
            if nxt < len(adjacency[vertex]):
                stack[-1] = (vertex, via, nxt + 1)
                other, edge = adjacency[vertex][nxt]
                if edge == via:
                    continue
                if order[other] == -1:
                    order[other] = low[other] = counter
                    counter += 1
                    stack.append((other, edge, 0))
                else:
                    low[vertex] = min(low[vertex], order[other])
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[vertex])
                    if low[vertex] > order[parent]:
                        found.add(via)
    return found


def suppress_grid(grid: Sequence[Sequence[int]], hidden: Sequence[Sequence[bool]],
                  ) -> list[list[bool]]:
    """Complementary suppression on a grid of lines that each sum to zero
    (signed). `hidden` is the primary suppression; returns the final mask."""
    mask = [list(row) for row in hidden]
    n_rows = len(grid)
    n_cols = len(grid[0]) if n_rows else 0
    while True:
        edges = [(r, n_rows + c) for r in range(n_rows) for c in range(n_cols) if mask[r][c]]
        bridges = _bridges(edges, n_rows + n_cols)
        if not bridges:
            return mask
        r, c = edges[min(bridges)]
        c -= n_rows
        # Hide the smallest shown cell on the bridge's row or column (data
        # cells before margins, which sit last), so the bridge joins a cycle.
        options = [(abs(grid[r][j]), j == n_cols - 1, r, j) for j in range(n_cols)
                   if not mask[r][j]]
        options += [(abs(grid[i][c]), i == n_rows - 1, i, c) for i in range(n_rows)
                    if not mask[i][c]]
        if not options:  # a full line that is still a bridge: hide everything
            return [[True] * n_cols for _ in range(n_rows)]
        _, _, i, j = min(options, key=lambda o: (o[1], o[0], o[2], o[3]))
        mask[i][j] = True


def suppress_table(cells: Sequence[Sequence[int]], min_count: int = MIN_COUNT,
                   small: Sequence[Sequence[bool]] | None = None,
                   hidden_rows: frozenset[int] = frozenset(),
                   hide_total: bool = False) -> SuppressedTable:
    """A two-way table of counts of persons with its margins, every count
    below `min_count` hidden and enough others hidden that none of them can
    be worked out. Rows and columns must partition the persons (each person
    in one cell), so the margins are the sums."""
    rows = [list(r) for r in cells]
    if not rows or not rows[0]:
        return SuppressedTable([[] for _ in rows], [shown(0, min_count)] * len(rows), [],
                               shown(0, min_count))
    n_cols = len(rows[0])
    if any(len(r) != n_cols for r in rows):
        raise ValueError("every row needs the same number of cells")
    if any(v < 0 for r in rows for v in r):
        raise ValueError("counts cannot be negative")
    row_totals = [sum(r) for r in rows]
    col_totals = [sum(r[c] for r in rows) for c in range(n_cols)]
    total = sum(row_totals)
    grid = [r + [rt] for r, rt in zip(rows, row_totals, strict=True)]
    grid.append(col_totals + [total])
    primary = [[is_small(v, min_count) for v in line] for line in grid]
    if small is not None:  # cells small by another measure (e.g. distinct persons)
        for r, line in enumerate(small):
            for c, flag in enumerate(line):
                primary[r][c] = primary[r][c] or bool(flag)
    for r in hidden_rows:  # row totals hidden elsewhere (a list shown beside the table)
        primary[r][n_cols] = True
    primary[-1][n_cols] = primary[-1][n_cols] or hide_total
    mask = suppress_grid(grid, primary)
    out = [[None if mask[r][c] else grid[r][c] for c in range(n_cols + 1)]
           for r in range(len(grid))]
    return SuppressedTable(
        cells=[line[:n_cols] for line in out[:-1]],
        row_totals=[line[n_cols] for line in out[:-1]],
        col_totals=out[-1][:n_cols],
        total=out[-1][n_cols],
    )


def suppress_list(counts: Sequence[int], min_count: int = MIN_COUNT,
                  small: Sequence[bool] | None = None,
                  hide_total: bool = False) -> tuple[list[int | None], int | None]:
    """A one-way list of counts with its total: (entries, total), hidden as
    None. `small` marks entries to hide whatever their count (a count of
    cases whose distinct persons are fewer than 5). With one equation, zero or at least two entries (the total
    counting as one) must be hidden."""
    values = list(counts)
    total = sum(values)
    mask = [is_small(v, min_count) for v in values] + [is_small(total, min_count) or hide_total]
    if small is not None:  # entries small by another measure (e.g. distinct persons)
        mask = [m or bool(f) for m, f in zip(mask, [*small, False], strict=True)]
    everything = values + [total]
    if sum(mask) == 1:
        options = [(i == len(values), everything[i], i) for i in range(len(everything))
                   if not mask[i]]
        if options:
            mask[min(options)[2]] = True
    return ([None if m else v for v, m in zip(values, mask, strict=False)],
            None if mask[-1] else total)


def suppress_list_with_tables(
    counts: Sequence[int], tables: Sequence[Sequence[Sequence[int]]],
    min_count: int = MIN_COUNT,
) -> tuple[list[int | None], int | None, list[SuppressedTable]]:
    """A list of counts shown beside two-way tables whose rows it totals
    (each table a partition of the same persons per row). The list and the
    tables hide the same row totals and grand total, repeated until neither
    hides more: so no table's hidden cell follows from the list's totals."""
    hidden: set[int] = set()
    hide_total = False
    while True:
        small = [i in hidden for i in range(len(counts))]
        entries, total = suppress_list(counts, min_count, small=small, hide_total=hide_total)
        now = {i for i, v in enumerate(entries) if v is None}
        results = [suppress_table(t, min_count, hidden_rows=frozenset(now),
                                  hide_total=total is None) for t in tables]
        more = now | {i for t in results for i, v in enumerate(t.row_totals) if v is None}
        total_hidden = total is None or any(t.total is None for t in results)
        if more == now and total_hidden == (total is None):
            return entries, total, results
        hidden, hide_total = more, total_hidden
