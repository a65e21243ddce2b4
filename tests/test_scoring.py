"""Tests for jifen.scoring: points from exact hours, times, levels and the daily cap."""

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jifen.rules import Activity, Level
from jifen.scoring import counted_hours, score_service

CLEANUP = Activity(key="cleanup", label="环境卫生整治", per="hour", points=3)
CAPPED_CLEANUP = Activity(
    key="cleanup", label="环境卫生整治", per="hour", points=3, max_hours_per_day=4
)
CLASS = Activity(key="class", label="公益课授课", per="session", points=5)
HARD = Level(key="hard", label="较难", bonus=1)

exact_hours = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(24), places=2)


@pytest.mark.parametrize(
    ("hours", "points"),
    [
        ("0.5", 0),
        ("0.99", 0),
        ("1", 3),
        ("1.5", 3),
        ("2.5", 6),
        ("2.99", 6),
        ("24", 72),
    ],
)
def test_score_service__earns_per_full_hour(hours: str, points: int) -> None:
    """3 points for each full hour, never rounding up: 0.5 h → 0, 2.99 h → 6."""
    earned = score_service(CLEANUP, hours=Decimal(hours))

    assert earned == points


def test_score_service__earns_per_time() -> None:
    """A class earns 5 points a session: two sessions earn 10."""
    earned = score_service(CLASS, times=2)

    assert earned == 10


def test_score_service__ignores_hours_for_a_per_time_activity() -> None:
    """Hours given to a per-session activity do not change its points."""
    earned = score_service(CLASS, hours=Decimal("3.5"))

    assert earned == 5


def test_score_service__adds_the_level_bonus_per_hour() -> None:
    """Duration plus difficulty: (3 + 1) × 2 h = 8 points."""
    earned = score_service(CLEANUP, hours=Decimal(2), level=HARD)

    assert earned == 8


def test_score_service__adds_the_level_bonus_per_time() -> None:
    """(5 + 1) × 2 sessions = 12 points."""
    earned = score_service(CLASS, times=2, level=HARD)

    assert earned == 12


def test_score_service__caps_the_hours_a_day() -> None:
    """With 4 h a day counted, 3 h already logged leaves room for 1 more hour."""
    earned = score_service(CAPPED_CLEANUP, hours=Decimal(3), already_today=Decimal(3))

    assert earned == 3


def test_score_service__earns_nothing_beyond_the_cap() -> None:
    """Once the day's 4 counted hours are used, more hours earn 0 points."""
    earned = score_service(CAPPED_CLEANUP, hours=Decimal(2), already_today=Decimal(4))

    assert earned == 0


def test_score_service__needs_hours_for_a_per_hour_activity() -> None:
    """Scoring a per-hour activity without hours is a programming error."""
    with pytest.raises(ValueError, match="a per-hour activity needs hours"):
        score_service(CLEANUP)


@pytest.mark.parametrize(
    ("hours", "already", "counted"),
    [("3", "0", "3"), ("3", "2.5", "1.5"), ("3", "4", "0"), ("3", "6", "0")],
)
def test_counted_hours__keeps_what_fits_under_the_cap(
    hours: str, already: str, counted: str
) -> None:
    """Counted hours are the hours that fit in the day's room, never below 0."""
    result = counted_hours(CAPPED_CLEANUP, Decimal(hours), Decimal(already))

    assert result == Decimal(counted)


def test_counted_hours__counts_everything_without_a_cap() -> None:
    """An activity without max_hours_per_day counts every hour."""
    result = counted_hours(CLEANUP, Decimal(20), Decimal(20))

    assert result == Decimal(20)


@given(exact_hours)
def test_score_service__is_three_per_full_hour_for_any_hours(hours: Decimal) -> None:
    """For any exact 0 < h ≤ 24, uncapped cleanup scores exactly 3 × floor(h)."""
    earned = score_service(CLEANUP, hours=hours)

    assert earned == 3 * math.floor(hours)


@given(exact_hours, st.decimals(min_value=0, max_value=Decimal(24), places=2))
def test_score_service__is_an_int_from_decimals(
    hours: Decimal, already_today: Decimal
) -> None:
    """Scoring Decimal hours gives an int and counted hours stay Decimal: no floats."""
    earned = score_service(CAPPED_CLEANUP, hours=hours, already_today=already_today)
    counted = counted_hours(CAPPED_CLEANUP, hours, already_today)

    assert type(earned) is int
    assert type(counted) is Decimal
    assert earned == 3 * math.floor(counted)
