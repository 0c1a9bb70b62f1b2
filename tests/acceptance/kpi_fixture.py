"""Service-level KPI figures consistent with the published Tables 2.1-2.5 (seeds/003).

The published tables give percentages only. This builds, deterministically, a register of
services with workbook figures for Quarters 20-23 whose sums reproduce every printed cell to
two decimals: each client group's cells (accommodation based and floating support) are
multiples of a fraction that prints as the group's percentage, and a seeded local search picks
the multiples so that the class rows and the totals print right too. Each cell is then split
unevenly between up to three services, so services differ from their group's percentage.

It uses its own arithmetic (Decimal, half up), not the tool's.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from tests.acceptance import kpi_published as P

AB, FS = "accommodation based", "floating support"


def r2(num: int, den: int) -> Decimal:
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@lru_cache(maxsize=None)
def base(printed: str) -> tuple[int, int]:
    """The fraction with the smallest denominator that prints as ``printed``."""
    target = Decimal(printed)
    for den in range(1, 100_000):
        guess = int(target * den / 100)
        for num in (guess - 1, guess, guess + 1):
            if 0 <= num <= den and r2(num, den) == target:
                return num, den
    raise ValueError(printed)


def _distance(num: int, den: int, printed: str) -> float:
    if den == 0:
        return 1e9
    if r2(num, den) == Decimal(printed):
        return 0.0
    return abs(num * 100 / den - float(printed)) + 0.001


def _search(cells: dict, targets: list[tuple[list, str]], rng: random.Random,
            steps: int = 20_000, restarts: int = 40) -> dict:
    """Integer multiples k per cell (each >= 1) so that every target group of cells sums to
    its printed percentage. ``cells`` maps a cell to (a, b, initial k)."""
    for _ in range(restarts):
        k = {c: max(1, round(init * rng.uniform(0.7, 1.3))) for c, (_, _, init) in cells.items()}
        if _descend(k, cells, targets, rng, steps):
            return k
    raise RuntimeError("no solution found")


def _descend(k: dict, cells: dict, targets: list, rng: random.Random, steps: int) -> bool:
    names = list(cells)

    def cost() -> float:
        total = 0.0
        for members, printed in targets:
            num = sum(k[c] * cells[c][0] for c in members)
            den = sum(k[c] * cells[c][1] for c in members)
            total += _distance(num, den, printed)
        return total

    current = cost()
    for step in range(steps):
        if current == 0:
            return True
        cell = rng.choice(names)
        old = k[cell]
        best, best_cost = old, current
        for candidate in {old - 1, old + 1, old - 3, old + 3, old * 9 // 10, old * 11 // 10,
                          rng.randint(1, 2 * old + 2)}:
            if candidate >= 1 and candidate != old:
                k[cell] = candidate
                trial = cost()
                # annealing: now and then accept a slightly worse step to leave a dead end
                if trial < best_cost or (trial < best_cost + 0.02 and rng.random() < 0.05):
                    best, best_cost = candidate, trial
        k[cell] = best
        current = best_cost
    return current == 0


# Rough sizes (service users counted) so that the mix looks like a county programme.
_KPI1_WEIGHT = {"Older people with support needs": (9000, 400),
                "Frail elderly": (600, 150), "People with learning disabilities": (700, 300),
                "People with mental health problems": (400, 400)}


def build(seed: int = 14) -> tuple[list[dict], list[dict]]:
    """(services in the services import format, figures in the kpis import format)."""
    rng = random.Random(seed)
    cells: dict[tuple[int, int, str, str], tuple[int, int]] = {}   # (kpi, q, group, class)
    for index, quarter in enumerate(P.QUARTERS):
        kcells = {}
        for group, row in P.TABLE_2_2.items():
            a, b = base(row[1 + index])
            ab, fs = _KPI1_WEIGHT.get(group, (150, 120))
            for klass, size in ((AB, ab), (FS, fs)):
                kcells[(group, klass)] = (a, b, max(1, size // b))
        targets = [([c for c in kcells if c[1] == AB], P.TABLE_2_1[AB][index]),
                   ([c for c in kcells if c[1] == FS], P.TABLE_2_1[FS][index]),
                   (list(kcells), P.KPI1_TOTAL[index])]
        k = _search(kcells, targets, rng)
        for (group, klass), (a, b, _) in kcells.items():
            cells[(1, quarter, group, klass)] = (a * k[(group, klass)], b * k[(group, klass)])
        kcells = {}
        for group, row in P.TABLE_2_3.items():
            printed = row[1 + index]
            if printed is None:
                cells[(2, quarter, group, AB)] = (0, 0)      # reported: no departures
                continue
            a, b = base(printed)
            kcells[(group, AB)] = (a, b, max(1, 20 // b))
        k = _search(kcells, [(list(kcells), P.KPI2_TOTAL[index])], rng)
        for (group, klass), (a, b, _) in kcells.items():
            cells[(2, quarter, group, klass)] = (a * k[(group, klass)], b * k[(group, klass)])
    # Quarter 20 (Tables 2.4 and 2.5 only): the whole programme's figure on a few services.
    a, b = base(P.TABLE_2_4["Programme"][0])
    cells[(1, 20, "Older people with support needs", AB)] = (a * 20, b * 20)
    a, b = base(P.TABLE_2_5["Programme"][0])
    cells[(2, 20, "Young people at risk", AB)] = (a * 3, b * 3)
    return _services_and_figures(cells, rng)


def _split(num: int, den: int, parts: int, rng: random.Random) -> list[tuple[int, int]]:
    """(num, den) shared unevenly between up to ``parts`` services, each with den >= 1."""
    if den == 0:
        return [(0, 0)]
    parts = max(1, min(parts, den))
    cuts = sorted(rng.sample(range(1, den), parts - 1)) if parts > 1 else []
    dens = [hi - lo for lo, hi in zip([0, *cuts], [*cuts, den])]
    # numerators: as even as possible, but shifted between services where room allows
    nums = [min(d, num * d // den) for d in dens]
    left = num - sum(nums)
    order = list(range(len(dens)))
    while left:
        rng.shuffle(order)
        for i in order:
            if left and nums[i] < dens[i]:
                nums[i] += 1
                left -= 1
    return list(zip(nums, dens))


def _services_and_figures(cells, rng) -> tuple[list[dict], list[dict]]:
    services: dict[str, dict] = {}
    figures = []
    groups = sorted({g for (_, _, g, _) in cells})
    for (kpi, quarter, group, klass), (num, den) in sorted(cells.items()):
        code = f"K{kpi}{'F' if klass == FS else 'A'}{groups.index(group):02d}"
        for n, (part_num, part_den) in enumerate(_split(num, den, 3, rng), start=1):
            ref = f"{code}-{n}"
            services.setdefault(ref, {
                "provider": f"Provider {groups.index(group) % 7 + 1}", "service_ref": ref,
                "service_name": f"{group} {klass} {n}",
                "service_type": "Floating support" if klass == FS else (
                    "Sheltered housing" if group.startswith("Older") else "Supported housing"),
                "client_group": group, "district": "Thanet",
                "term": "long" if kpi == 1 else "short", "household_units": 10,
                "leaseholder_units": 0, "workbook_required": "yes",
                "start_date": "2005-04-01", "end_date": ""})
            fields = ("kpi1_independent", "kpi1_users") if kpi == 1 else (
                "kpi2_planned", "kpi2_departures")
            figures.append({"service_ref": ref, "quarter": quarter,
                            fields[0]: part_num, fields[1]: part_den})
    return list(services.values()), figures


def benchmarks() -> list[dict]:
    """The regional and national figures as printed (kpi-benchmarks import format)."""
    rows = []

    def add(quarter, kpi, scope, breakdown, category, value):
        rows.append({"quarter": quarter, "kpi": kpi, "scope": scope, "breakdown": breakdown,
                     "category": category, "value": value})

    for klass, row in P.TABLE_2_1.items():
        add(23, 1, "regional", "service_class", klass, row[3])
    for group, row in P.TABLE_2_2.items():
        add(23, 1, "regional", "client_group", group, row[4])
    for group, row in P.TABLE_2_3.items():
        add(23, 2, "regional", "client_group", group, row[4])
    for kpi, table in ((1, P.TABLE_2_4), (2, P.TABLE_2_5)):
        for scope in ("regional", "national"):
            for quarter, value in zip(P.COMPARISON_QUARTERS, table[scope.capitalize()]):
                add(quarter, kpi, scope, "overall", "", value)
    return rows


DATA = Path(__file__).parent / "data"
FILES = {"services": "kpi_services.csv", "kpis": "kpi_figures.csv",
         "kpi-benchmarks": "kpi_benchmarks.csv"}


def write_files(folder: Path = DATA) -> dict[str, Path]:
    """Write the three import files (the acceptance test reads the committed copies:
    building takes ~10 s). Run ``python -m tests.acceptance.kpi_fixture`` to rebuild."""
    services, figures = build()
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    figure_fields = ["service_ref", "quarter", "kpi1_independent", "kpi1_users",
                     "kpi2_planned", "kpi2_departures"]
    for kind, rows, fields in (("services", services, list(services[0])),
                               ("kpis", figures, figure_fields),
                               ("kpi-benchmarks", benchmarks(), list(benchmarks()[0]))):
        paths[kind] = folder / FILES[kind]
        with paths[kind].open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return paths


if __name__ == "__main__":
    for kind, path in write_files().items():
        print(kind, path)
