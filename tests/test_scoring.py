"""Tests for jifen.scoring: points from exact hours, times, levels and the daily cap."""

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jifen.rules import Activity, Level
from jifen.scoring import counted_on_the_day, full_hours, score_service

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
    """With 4 full hours a day counted, 3 already counted leave room for 1 more."""
    earned = score_service(CAPPED_CLEANUP, hours=Decimal(3), counted_today=3)

    assert earned == 3


def test_score_service__earns_nothing_beyond_the_cap() -> None:
    """Once the day's 4 counted hours are used, more hours earn 0 points."""
    earned = score_service(CAPPED_CLEANUP, hours=Decimal(2), counted_today=4)

    assert earned == 0


def test_score_service__counts_full_hours_across_the_day() -> None:
    """3.5 h then 1 h of cleanup on one day: 3 full hours counted, so 9 + 3 = 12."""
    first = score_service(CAPPED_CLEANUP, hours=Decimal("3.5"))
    counted = counted_on_the_day(CAPPED_CLEANUP, [Decimal("3.5")])
    second = score_service(CAPPED_CLEANUP, hours=Decimal(1), counted_today=counted)

    assert (first, counted, second) == (9, 3, 3)
    assert first + second == 12


def test_score_service__needs_hours_for_a_per_hour_activity() -> None:
    """Scoring a per-hour activity without hours is a programming error."""
    with pytest.raises(ValueError, match="a per-hour activity needs hours"):
        score_service(CLEANUP)


@pytest.mark.parametrize(
    ("hours", "counted_today", "counted"),
    [("3", 0, 3), ("3.5", 0, 3), ("3", 2, 2), ("0.5", 0, 0), ("3", 4, 0), ("3", 6, 0)],
)
def test_full_hours__keeps_the_full_hours_that_fit_under_the_cap(
    hours: str, counted_today: int, counted: int
) -> None:
    """Only whole hours count, at most the day's room left, never below 0."""
    result = full_hours(CAPPED_CLEANUP, Decimal(hours), counted_today)

    assert result == counted


def test_full_hours__counts_every_full_hour_without_a_cap() -> None:
    """An activity without max_hours_per_day counts every full hour."""
    result = full_hours(CLEANUP, Decimal("20.5"), 20)

    assert result == 20


@pytest.mark.parametrize(
    ("logged", "counted"),
    [
        ([], 0),
        (["3.5"], 3),
        (["3.5", "1"], 4),
        (["0.5", "0.5", "0.5"], 0),
        (["2.5", "2.5", "2.5"], 4),
        (["6"], 4),
    ],
)
def test_counted_on_the_day__replays_the_days_services(
    logged: list[str], counted: int
) -> None:
    """Each service adds its own full hours, until the day's cap of 4 is reached."""
    result = counted_on_the_day(CAPPED_CLEANUP, [Decimal(hours) for hours in logged])

    assert result == counted


@given(exact_hours)
def test_score_service__is_three_per_full_hour_for_any_hours(hours: Decimal) -> None:
    """For any exact 0 < h ≤ 24, uncapped cleanup scores exactly 3 × floor(h)."""
    earned = score_service(CLEANUP, hours=hours)

    assert earned == 3 * math.floor(hours)


@given(exact_hours, st.integers(min_value=0, max_value=6))
def test_score_service__is_an_int_from_decimals(
    hours: Decimal, counted_today: int
) -> None:
    """Scoring Decimal hours gives an int: 3 points per counted full hour, no floats."""
    earned = score_service(CAPPED_CLEANUP, hours=hours, counted_today=counted_today)
    counted = full_hours(CAPPED_CLEANUP, hours, counted_today)

    assert type(earned) is int
    assert type(counted) is int
    assert earned == 3 * counted
    assert 0 <= counted <= min(math.floor(hours), max(0, 4 - counted_today))


@given(st.lists(exact_hours, max_size=8))
def test_counted_on_the_day__never_passes_the_cap(hours_logged: list[Decimal]) -> None:
    """However a day's hours are split, at most 4 full hours count, each one whole."""
    counted = counted_on_the_day(CAPPED_CLEANUP, hours_logged)

    assert counted == min(4, sum(math.floor(hours) for hours in hours_logged))
