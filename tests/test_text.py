"""Tests for jifen.text: cleaning names, notes, hours, counts, dates and phones."""

import datetime as dt
import functools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jifen.errors import JifenError
from jifen.text import (
    clean_name,
    clean_note,
    clean_phone,
    fold,
    mask_phone,
    parse_count,
    parse_date,
    parse_hours,
    parse_month,
    suggest,
)

TODAY = dt.date(2026, 11, 15)
NAME_FIX = 'leave out / \\ < > : " | ? * and control characters'


def error_of(function: object, *args: object) -> str:
    """Call `function(*args)` and return the message of the JifenError it raises."""
    assert callable(function)
    with pytest.raises(JifenError) as caught:
        function(*args)
    return caught.value.message


# fold ------------------------------------------------------------------------


def test_fold__trims_ascii_and_full_width_spaces() -> None:
    """Leading and trailing spaces, the full-width U+3000 among them, are dropped."""
    typed = "\u3000王大江 "

    folded = fold(typed)

    assert folded == "王大江"


def test_fold__collapses_inner_runs_of_spaces() -> None:
    """Several spaces inside a name become one."""
    typed = "Li  \u3000 Ming"

    folded = fold(typed)

    assert folded == "Li Ming"


def test_fold__composes_decomposed_accents() -> None:
    """An 'e' followed by a combining acute accent becomes the one character 'é'."""
    decomposed = "Jose\u0301"

    folded = fold(decomposed)

    assert folded == "Jos\u00e9"


def test_fold__turns_full_width_latin_and_digits_into_ascii() -> None:
    """Full-width ＡＢＣ and ２０２６ are the ASCII ABC and 2026."""
    typed = "ＡＢＣ２０２６"

    folded = fold(typed)

    assert folded == "ABC2026"


# clean_name ------------------------------------------------------------------


def test_clean_name__returns_the_canonical_form() -> None:
    """A name typed with full-width spaces around it comes back trimmed."""
    typed = "　王大江 "

    name = clean_name(typed)

    assert name == "王大江"


@pytest.mark.parametrize("typed", ["", "   ", "\u3000", " \u3000 "])
def test_clean_name__refuses_an_empty_name(typed: str) -> None:
    """A name of nothing or only spaces is refused with an example of a name."""
    message = error_of(clean_name, typed)

    assert message == "the name is empty; type a name such as 王大江"


def test_clean_name__names_what_is_empty() -> None:
    """The message says which name was empty, e.g. the team name."""
    message = error_of(clean_name, " ", "team name")

    assert message == "the team name is empty; type a name such as 王大江"


def test_clean_name__refuses_a_name_over_40_characters() -> None:
    """Forty-one characters is too long; forty is fine."""
    assert clean_name("王" * 40) == "王" * 40

    message = error_of(clean_name, "王" * 41)

    assert message == "the name is longer than 40 characters; type a shorter one"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("a/b", "the name 'a/b' contains '/'; " + NAME_FIX),
        ("a\\b", "the name 'a\\b' contains '\\'; " + NAME_FIX),
        ("王:大江", "the name '王:大江' contains ':'; " + NAME_FIX),
        (
            'a<b>"c"',
            "the name 'a<b>\"c\"' contains '\"' '<' '>'; " + NAME_FIX,
        ),
        ("a|b?*", "the name 'a|b?*' contains '*' '?' '|'; " + NAME_FIX),
    ],
)
def test_clean_name__refuses_path_and_reserved_characters(
    typed: str, expected: str
) -> None:
    """Characters a file name cannot hold are named, each once, shown as typed."""
    message = error_of(clean_name, typed)

    assert message == expected


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("a\x01b", "'a\\x01b' contains '\\x01'"),
        ("a\x1bb", "'a\\x1bb' contains '\\x1b'"),
        ("a\x7fb", "'a\\x7fb' contains '\\x7f'"),
        ("a\u200bb", "'a\\u200bb' contains '\\u200b'"),
    ],
)
def test_clean_name__refuses_control_and_invisible_characters(
    typed: str, shown: str
) -> None:
    """Control and zero-width characters are refused and shown escaped, so visible."""
    message = error_of(clean_name, typed)

    assert message == f"the name {shown}; " + NAME_FIX


@pytest.mark.parametrize("typed", ["..", "a..b", ".hidden"])
def test_clean_name__refuses_dot_dot_and_a_leading_dot(typed: str) -> None:
    """'..' anywhere and a leading '.' are refused, so no name escapes data/."""
    message = error_of(clean_name, typed)

    assert message == f"the name '{typed}' may not start with '.' or contain '..'"


def test_clean_name__keeps_rich_markup_as_plain_text() -> None:
    """Square brackets are ordinary characters in a name."""
    typed = "[bold]李"

    name = clean_name(typed)

    assert name == "[bold]李"


# clean_note ------------------------------------------------------------------


def test_clean_note__trims_and_joins_spaces() -> None:
    """A note is trimmed and its runs of spaces, full-width ones too, become one."""
    typed = "　帮忙  搬东西 "

    note = clean_note(typed)

    assert note == "帮忙 搬东西"


def test_clean_note__keeps_full_width_punctuation() -> None:
    """Unlike a name, a note keeps its ，。 and full-width letters as typed."""
    typed = "帮忙搬东西，很辛苦。ＡＢＣ：１２"

    note = clean_note(typed)

    assert note == "帮忙搬东西，很辛苦。ＡＢＣ：１２"


def test_clean_note__composes_accents_and_joins_line_breaks() -> None:
    """A decomposed accent is composed (NFC) and a line break becomes one space."""
    typed = "Jose\u0301\n修收音机"

    note = clean_note(typed)

    assert note == "Jos\u00e9 修收音机"


@pytest.mark.parametrize("typed", [None, "", "  ", "\u3000"])
def test_clean_note__empty_is_none(typed: str | None) -> None:
    """No note, or a note of only spaces, is stored as no note."""
    note = clean_note(typed)

    assert note is None


def test_clean_note__refuses_control_characters() -> None:
    """An escape character in a note is refused."""
    message = error_of(clean_note, "bell\x07")

    assert message == "the note contains control characters; type plain text"


# parse_hours -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "hours"),
    [
        ("1", Decimal("1")),
        ("1.5", Decimal("1.5")),
        ("0.25", Decimal("0.25")),
        (".5", Decimal("0.5")),
        ("24", Decimal("24")),
        ("３", Decimal("3")),
        ("１.５", Decimal("1.5")),
        (" 2 ", Decimal("2")),
    ],
)
def test_parse_hours__accepts_exact_decimals(typed: str, hours: Decimal) -> None:
    """Hours are read exactly, full-width digits included."""
    parsed = parse_hours(typed)

    assert parsed == hours
    assert type(parsed) is Decimal


@pytest.mark.parametrize(
    "typed", ["abc", "nan", "inf", "-1", "-0.5", "1.234", "1e1", "1,5", "", "1.", "½"]
)
def test_parse_hours__refuses_what_is_not_hours(typed: str) -> None:
    """Words, signs, NaN, infinity, exponents and three decimals are refused."""
    message = error_of(parse_hours, typed)

    assert message == (
        f"hours {typed!r} is not a number of hours (at most 2 decimals); "
        "type e.g. --hours 1.5"
    )


@pytest.mark.parametrize("typed", ["0", "0.0", "0.00", ".0"])
def test_parse_hours__refuses_zero(typed: str) -> None:
    """Zero hours is not a service."""
    message = error_of(parse_hours, typed)

    assert message == "hours must be more than 0; type e.g. --hours 1.5"


def test_parse_hours__refuses_more_than_a_day() -> None:
    """24.01 hours cannot be one day's service."""
    message = error_of(parse_hours, "24.01")

    assert message == (
        "hours 24.01 is more than a day; log each day's service separately"
    )


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(24), places=2))
def test_parse_hours__round_trips_str_of_a_decimal(hours: Decimal) -> None:
    """Any hours 0 < h ≤ 24 with two decimals reads back exactly from str(h)."""
    text = str(hours)

    parsed = parse_hours(text)

    assert parsed == hours
    assert type(parsed) is Decimal


# parse_count -----------------------------------------------------------------


@pytest.mark.parametrize(("typed", "count"), [("1", 1), ("２", 2), ("100", 100)])
def test_parse_count__accepts_whole_numbers_from_1_to_100(
    typed: str, count: int
) -> None:
    """Counts are whole numbers, full-width digits included."""
    parsed = parse_count(typed)

    assert parsed == count


@pytest.mark.parametrize("typed", ["0", "-1", "1.5", "two", "", "٣"])
def test_parse_count__refuses_what_is_not_a_count(typed: str) -> None:
    """Zero, signs, fractions, words and non-ASCII digits such as ٣ are refused."""
    message = error_of(parse_count, typed)

    assert message == (
        f"--times {typed!r} is not a whole number from 1 up; type e.g. --times 2"
    )


def test_parse_count__uses_the_example_given() -> None:
    """A redemption's quantity is explained with an item:quantity example."""
    message = error_of(parse_count, "0", "quantity", "rice:2")

    assert message == "quantity '0' is not a whole number from 1 up; type e.g. rice:2"


def test_parse_count__may_start_from_0_and_go_higher() -> None:
    """A stocktake counts from 0 and up to its own maximum; the message says so."""
    zero = parse_count("0", "count", minimum=0)
    big = parse_count("500", "count", maximum=100_000)

    message = error_of(
        functools.partial(parse_count, minimum=0),
        "-1",
        "count",
        "jifen stocktake rice 12",
    )

    assert (zero, big) == (0, 500)
    assert message == (
        "count '-1' is not a whole number from 0 up; type e.g. jifen stocktake rice 12"
    )


def test_parse_count__refuses_more_than_100() -> None:
    """101 is more than a plausible count."""
    message = error_of(parse_count, "101")

    assert message == "--times 101 is more than 100; check the number"


# parse_date ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("2026-10-01", dt.date(2026, 10, 1)),
        ("２０２６-１０-０１", dt.date(2026, 10, 1)),
        (" 2026-11-15 ", TODAY),
    ],
)
def test_parse_date__accepts_iso_dates_up_to_today(typed: str, date: dt.date) -> None:
    """YYYY-MM-DD, in full-width digits too, up to and including today."""
    parsed = parse_date(typed, TODAY)

    assert parsed == date


@pytest.mark.parametrize(
    "typed", ["2026-13-01", "2026-02-30", "yesterday", "2026/10/01", "20261001", ""]
)
def test_parse_date__refuses_what_is_not_a_date(typed: str) -> None:
    """Impossible days, words and other separators are refused with the format."""
    message = error_of(parse_date, typed, TODAY)

    assert message == (
        f"--date {typed!r} is not a date; type it as YYYY-MM-DD, e.g. 2026-11-15"
    )


def test_parse_date__refuses_a_future_date() -> None:
    """Tomorrow has not happened yet."""
    message = error_of(parse_date, "2026-11-16", TODAY)

    assert message == (
        "--date 2026-11-16 is in the future (today is 2026-11-15); check the date"
    )


# parse_month -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "month"), [("2026-11", (2026, 11)), ("２０２６-０１", (2026, 1))]
)
def test_parse_month__reads_year_and_month(typed: str, month: tuple[int, int]) -> None:
    """YYYY-MM gives (year, month)."""
    parsed = parse_month(typed)

    assert parsed == month


@pytest.mark.parametrize("typed", ["2026-13", "2026-00", "0000-01", "2026/11", "11"])
def test_parse_month__refuses_what_is_not_a_month(typed: str) -> None:
    """Month 13, month 0, year 0 and other shapes are refused."""
    message = error_of(parse_month, typed)

    assert message == (
        f"--month {typed!r} is not a month; type it as YYYY-MM, e.g. 2026-11"
    )


# clean_phone and mask_phone --------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "phone"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "+8613812345678"),
        ("１３８１２３４５６７８", "13812345678"),
    ],
)
def test_clean_phone__keeps_digits_and_a_leading_plus(typed: str, phone: str) -> None:
    """Spaces and dashes are dropped; full-width digits become ASCII."""
    cleaned = clean_phone(typed)

    assert cleaned == phone


@pytest.mark.parametrize("typed", ["call me", "12345", "138abc45678"])
def test_clean_phone__refuses_what_is_not_a_phone(typed: str) -> None:
    """Words and too-short numbers are refused with an example."""
    message = error_of(clean_phone, typed)

    assert message == (
        f"--phone {typed!r} is not a phone number; type digits, e.g. 13812345678"
    )


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+8613812345678", "+86****5678"),
        ("12345678", "123****5678"),
        ("1234567", "*******"),
    ],
)
def test_mask_phone__hides_the_middle(phone: str, masked: str) -> None:
    """Only the first three and last four digits show; short numbers show nothing."""
    shown = mask_phone(phone)

    assert shown == masked


# suggest ---------------------------------------------------------------------


def test_suggest__returns_the_closest_first() -> None:
    """A typo finds the word it was meant to be."""
    choices = ["cleanup", "class", "repair"]

    close = suggest("cleanup2", choices)

    assert close == ["cleanup"]


def test_suggest__returns_nothing_for_a_stranger() -> None:
    """A word like none of the choices gets no suggestion."""
    choices = ["cleanup", "class", "repair"]

    close = suggest("xyz", choices)

    assert close == []
