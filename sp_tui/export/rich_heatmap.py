"""Table 4.9's district x district block as a heat map: a rich Table whose cells are coloured
by how many leavers moved from the column's district to the row's.

The diagonal (leavers reconnected to their own district) is drawn in greens, the rest in
ambers to reds; darker means more. Zero cells are a dim dot, so the pattern reads at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.color import Color
from rich.style import Style
from rich.table import Table
from rich.text import Text

_OWN = (Color.from_rgb(214, 240, 214), Color.from_rgb(20, 110, 40))
_ELSEWHERE = (Color.from_rgb(255, 236, 200), Color.from_rgb(190, 40, 20))


def short_label(name: str, taken: set[str]) -> str:
    """A column heading of at most 4 characters: 'Ashf', 'T&M', 'TW'."""
    words = name.replace("&", " & ").split()
    candidates = ["".join(w[0] for w in words).upper() if len(words) > 1 else name[:4],
                  name[:4], name[:3] + name[-1]]
    for candidate in candidates:
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    taken.add(name)
    return name


def _blend(low: Color, high: Color, t: float) -> Color:
    a, b = low.get_truecolor(), high.get_truecolor()
    return Color.from_rgb(*(round(x + (y - x) * t) for x, y in zip(a, b)))


def cell_style(count: int, peak: int, own: bool) -> Style:
    """The style of one cell: none for 0, else a colour scaled by ``count / peak``."""
    if count <= 0 or peak <= 0:
        return Style(dim=True)
    low, high = _OWN if own else _ELSEWHERE
    t = count / peak
    background = _blend(low, high, t)
    foreground = Color.from_rgb(255, 255, 255) if t > 0.45 else Color.from_rgb(20, 20, 20)
    return Style(color=foreground, bgcolor=background, bold=own)


def heat_map_table(districts: Sequence[str], matrix: Sequence[Sequence[int]],
                   title: str = "") -> Table:
    """Rows: where leavers settled; columns: where they came from (districts only)."""
    taken: set[str] = set()
    labels = [short_label(d, taken) for d in districts]
    peak = max((n for row in matrix for n in row), default=0)
    table = Table(title=title or None, title_justify="left", title_style="bold",
                  box=None, padding=(0, 0), pad_edge=False, show_edge=False,
                  caption=Text("columns: area of origin · rows: area settled · green: back to"
                               " their own district · darker: more people"),
                  caption_justify="left")
    table.add_column(Text("settled \\ origin"), justify="left", no_wrap=True)
    for label in labels:
        table.add_column(Text(label), justify="center", width=5, no_wrap=True)
    table.add_column(Text("Total"), justify="right", width=6)
    for r, (district, row) in enumerate(zip(districts, matrix)):
        cells = [Text(str(n) if n else "·", style=cell_style(n, peak, r == c))
                 for c, n in enumerate(row)]
        table.add_row(Text(district), *cells, Text(str(sum(row)), style="bold"))
    totals = [sum(row[c] for row in matrix) for c in range(len(districts))]
    table.add_row(Text("Total", style="bold"), *[Text(str(n), style="bold") for n in totals],
                  Text(str(sum(totals)), style="bold"))
    return table
