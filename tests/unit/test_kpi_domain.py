"""KPI arithmetic, parsing and RAG (sp_tui.domain.kpi)."""

from decimal import Decimal

import pytest

from sp_tui.domain.kpi import (
    Figures, Rag, check_figures, kpi_percent, parse_choice, parse_figures, parse_kpi,
    parse_percentage, programme_percent, rag, SERVICE_CLASSES,
)


@pytest.mark.parametrize("num, den, expected", [
    (2, 3, "66.67"), (1, 8, "12.50"), (1, 3, "33.33"), (0, 5, "0.00"), (5, 5, "100.00"),
    # 0.125% -> 0.13 (half up, where round-half-even would give 0.12)
    (1, 800, "0.13"), (71, 156, "45.51"),
])
def test_kpi_percent_two_decimals_half_up(num, den, expected):
    assert kpi_percent(num, den) == Decimal(expected)
    assert str(kpi_percent(num, den)) == expected


def test_no_denominator_is_blank():
    assert kpi_percent(0, 0) is None
    assert kpi_percent(3, None) is None


def test_programme_figure_is_sum_over_sum_not_mean_of_percentages():
    pairs = [(1, 1), (1, 3)]  # 100% and 33.33%: mean 66.67, Σ/Σ 2/4 = 50
    assert programme_percent(pairs) == Decimal("50.00")
    assert programme_percent([(None, None), (3, 4)]) == Decimal("75.00")
    assert programme_percent([(None, None)]) is None


@pytest.mark.parametrize("value, expected", [
    ("98.00", Rag.GREEN), ("98.5", Rag.GREEN), ("97.99", Rag.AMBER), ("96.01", Rag.AMBER),
    ("96.00", Rag.RED), ("50", Rag.RED),
])
def test_rag_against_target_and_tolerance(value, expected):
    assert rag(Decimal(value), Decimal(98), Decimal(2)) is expected


def test_rag_word_and_colour():
    assert str(Rag.AMBER) == "Amber"
    assert "green" in Rag.GREEN.style and "red" in Rag.RED.style
    assert rag(None, Decimal(98)) is None
    assert rag(Decimal(99), None) is None
    assert rag(Decimal("97.5"), Decimal(98), Decimal("0.5")) is Rag.RED


@pytest.mark.parametrize("raw, expected", [
    ("98.67", "98.67"), ("98.67%", "98.67"), (98.67, "98.67"), (100, "100"), ("0", "0"),
    (" 72.4 ", "72.4"),
])
def test_parse_percentage(raw, expected):
    assert parse_percentage(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["101", "-1", "abc", "", None, "98.675", "1e2", True, "NaN"])
def test_parse_percentage_refuses(raw):
    with pytest.raises(ValueError):
        parse_percentage(raw)


def test_parse_kpi_and_choices():
    assert parse_kpi("1") == 1 and parse_kpi(2) == 2 and parse_kpi("KPI 2") == 2
    with pytest.raises(ValueError):
        parse_kpi("3")
    assert parse_choice("Floating_Support", SERVICE_CLASSES, "class") == "floating support"
    with pytest.raises(ValueError, match="one of"):
        parse_choice("sheltered", SERVICE_CLASSES, "class")


def test_parse_figures_blank_is_not_reported_and_bad_numbers_are_errors():
    figures, errors = parse_figures({"kpi1_independent": "12", "kpi1_users": " 13 ",
                                     "kpi2_planned": "", "kpi2_departures": None})
    assert figures == Figures(12, 13, None, None) and not errors
    _, errors = parse_figures({"kpi1_independent": "1.5", "kpi1_users": "-2"})
    assert set(errors) == {"kpi1_independent", "kpi1_users"}


def test_check_figures_rules():
    assert check_figures(Figures(12, 13), "long") == {}
    assert "cannot exceed" in check_figures(Figures(14, 13), "long")["kpi1_independent"]
    assert "short-term" in check_figures(Figures(12, 13), "short", "SP1")["kpi1_independent"]
    assert "long-term" in check_figures(Figures(None, None, 1, 2), "long")["kpi2_planned"]
    assert "needed" in check_figures(Figures(None, 13), "long")["kpi1_independent"]
    assert check_figures(Figures(0, 0), "long") == {}
