"""Disclosure control: no shown count below 5, and no hidden count that can
be worked out from the shown cells and margins (checked by linear algebra,
independently of the bridge rule the module uses)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tillit.core import disclosure


def determined_cells(grid: list[list[int]], mask: list[list[bool]]) -> list[tuple[int, int]]:
    """Hidden cells whose value follows from the shown ones: e_k lies in the
    row space of the line equations restricted to the unknowns."""
    n_rows, n_cols = len(grid), len(grid[0])
    unknowns = [(r, c) for r in range(n_rows) for c in range(n_cols) if mask[r][c]]
    if not unknowns:
        return []
    index = {cell: k for k, cell in enumerate(unknowns)}
    equations = []
    for r in range(n_rows):  # each data row: cells minus its total = 0
        equations.append({(r, c): (-1 if c == n_cols - 1 else 1) for c in range(n_cols)})
    for c in range(n_cols):
        equations.append({(r, c): (-1 if r == n_rows - 1 else 1) for r in range(n_rows)})
    a = np.array([[eq.get(cell, 0) for cell in unknowns] for eq in equations], dtype=float)
    rank = np.linalg.matrix_rank(a)
    found = []
    for cell, k in index.items():
        unit = np.zeros(len(unknowns))
        unit[k] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.append(cell)
    return found


def as_grid(cells: list[list[int]]) -> list[list[int]]:
    rows = [r + [sum(r)] for r in cells]
    cols = [sum(r[c] for r in cells) for c in range(len(cells[0]))]
    return rows + [cols + [sum(cols)]]


tables = st.integers(1, 5).flatmap(
    lambda n_cols: st.lists(
        st.lists(st.integers(0, 30), min_size=n_cols, max_size=n_cols), min_size=1, max_size=6
    )
)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_small_count_shown_and_no_hidden_count_recoverable(cells):
    result = disclosure.suppress_table(cells)
    shown = [v for row in result.cells for v in row] + result.row_totals + result.col_totals
    shown.append(result.total)
    assert all(v is None or v >= 5 for v in shown)
    grid = as_grid(cells)
    mask = [[v is None for v in row] + [rt is None]
            for row, rt in zip(result.cells, result.row_totals, strict=True)]
    mask.append([v is None for v in result.col_totals] + [result.total is None])
    assert determined_cells(grid, mask) == []
    # shown values are the true ones
    for r, row in enumerate(result.cells):
        for c, v in enumerate(row):
            assert v is None or v == cells[r][c]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=16))
def test_list_hides_none_or_at_least_two(counts):
    entries, total = disclosure.suppress_list(counts)
    hidden = [v is None for v in entries] + [total is None]
    assert sum(hidden) != 1
    assert all(v is None or v >= 5 for v in [*entries, total])
    assert all(v is None or v == counts[i] for i, v in enumerate(entries))


def test_one_small_cell_in_a_row_takes_a_partner():
    result = disclosure.suppress_table([[3, 10, 12], [8, 9, 20]])
    assert result.cells[0][0] is None
    hidden_in_row = sum(v is None for v in result.cells[0]) + (result.row_totals[0] is None)
    assert hidden_in_row >= 2
    hidden_in_col = sum(r[0] is None for r in result.cells) + (result.col_totals[0] is None)
    assert hidden_in_col >= 2


def test_large_table_shows_everything():
    result = disclosure.suppress_table([[10, 20], [30, 40]])
    assert result.cells == [[10, 20], [30, 40]]
    assert result.total == 100


def test_derived_figures_follow_their_count():
    assert disclosure.derived(7.5, 4) is None
    assert disclosure.derived(7.5, 5) == 7.5
    assert disclosure.derived(7.5, 12, hidden=True) is None
    assert disclosure.label(3) == "<5"
    assert disclosure.label(0) == "<5"
    assert disclosure.label(5) == "5"
