"""Cleaning what a person typed: names, dates, hours, counts and phone numbers.

Everything typed is first folded with Unicode NFKC, so full-width digits
(２０２５-０５-０１), the full-width space and decomposed characters all
become one canonical spelling before anything else looks at them. Free-text
notes are the exception: they keep their full-width punctuation (，。).
"""

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

from jifen.errors import JifenError
from jifen.i18n import _

MAX_NAME_LENGTH = 40
MAX_HOURS = Decimal(24)
MAX_TIMES = 100

# ASCII digits only: NFKC has already turned full-width ３ into 3, and other
# scripts' digits (٣) are refused rather than read as numbers.
_HOURS_PATTERN = re.compile(r"[0-9]{1,3}(\.[0-9]{1,2})?|\.[0-9]{1,2}", re.ASCII)
_DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH_PATTERN = re.compile(r"([0-9]{4})-([0-9]{2})")
_PHONE_PATTERN = re.compile(r"\+?[0-9][0-9 -]{5,16}[0-9]")
_FORBIDDEN_IN_NAMES = set('/\\<>:"|?*')


def fold(text: str) -> str:
    """Return `text` in its canonical form: NFKC, trimmed, inner spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def clean_name(text: str, what: str = "name") -> str:
    """Return a person's or team's name in canonical form, or refuse it."""
    name = fold(text)
    if not name:
        raise JifenError(
            _("the {what} is empty; type a name such as 王大江").format(what=what)
        )
    if len(name) > MAX_NAME_LENGTH:
        raise JifenError(
            _(
                "the {what} is longer than {limit} characters; type a shorter one"
            ).format(what=what, limit=MAX_NAME_LENGTH)
        )
    bad = sorted(
        {
            character
            for character in name
            if character in _FORBIDDEN_IN_NAMES
            or unicodedata.category(character) in ("Cc", "Cf", "Cs", "Co", "Cn")
        }
    )
    if bad:
        shown = " ".join(_quoted(character) for character in bad)
        raise JifenError(
            _(
                'the {what} {name} contains {shown}; leave out / \\ < > : " | ? * and control characters'
            ).format(what=what, name=_quoted(name), shown=shown)
        )
    if ".." in name or name.startswith("."):
        raise JifenError(
            _("the {what} {name!r} may not start with '.' or contain '..'").format(
                what=what, name=name
            )
        )
    return name


def _quoted(text: str) -> str:
    """Return text in quotes as typed; escape it only if it holds invisible characters."""
    return f"'{text}'" if text.isprintable() else repr(text)


def check_not_a_respelling(name: str, registered: Iterable[str]) -> None:
    """Refuse a new name that differs from a registered one only by spaces or case."""
    bare = "".join(name.split()).casefold()
    for other in registered:
        if other != name and "".join(other.split()).casefold() == bare:
            raise JifenError(
                _(
                    "{name} looks like {other}, who is already registered; for the "
                    "same person type {other}; for someone else, add something that "
                    "tells them apart, e.g. {name}-2号楼"
                ).format(name=name, other=other)
            )


def clean_note(text: str | None) -> str | None:
    """Return a free-text note trimmed, or None when it is empty.

    Unlike names, notes keep their full-width punctuation (，。): only the
    composed form (NFC) is taken and runs of spaces and line breaks are joined.
    """
    if text is None:
        return None
    note = " ".join(unicodedata.normalize("NFC", text).split())
    if any(unicodedata.category(character) == "Cc" for character in note):
        raise JifenError(_("the note contains control characters; type plain text"))
    return note or None


def parse_hours(text: str) -> Decimal:
    """Return hours as an exact decimal, refusing anything but 0 < hours ≤ 24."""
    folded = fold(text)
    if not _HOURS_PATTERN.fullmatch(folded):
        raise JifenError(
            _(
                "hours {text!r} is not a number of hours (at most 2 decimals); type e.g. --hours 1.5"
            ).format(text=text)
        )
    hours = Decimal(folded)
    if hours <= 0:
        raise JifenError(_("hours must be more than 0; type e.g. --hours 1.5"))
    if hours > MAX_HOURS:
        raise JifenError(
            _(
                "hours {hours} is more than a day; log each day's service separately"
            ).format(hours=hours)
        )
    return hours


def parse_count(
    text: str,
    what: str = "--times",
    example: str | None = None,
    *,
    minimum: int = 1,
    maximum: int = MAX_TIMES,
) -> int:
    """Return a whole count such as `--times 2` or `rice:3`, within the limits."""
    folded = fold(text)
    if not folded.isascii() or not folded.isdigit() or int(folded) < minimum:
        raise JifenError(
            _(
                "{what} {text!r} is not a whole number from {minimum} up; type e.g. {example}"
            ).format(
                what=what, text=text, minimum=minimum, example=example or f"{what} 2"
            )
        )
    count = int(folded)
    if count > maximum:
        raise JifenError(
            _("{what} {count} is more than {limit}; check the number").format(
                what=what, count=count, limit=maximum
            )
        )
    return count


def parse_date(text: str, today: dt.date, what: str = "--date") -> dt.date:
    """Return a calendar date typed as YYYY-MM-DD, refusing dates after `today`."""
    folded = fold(text)
    try:
        if not _DATE_PATTERN.fullmatch(folded):
            raise ValueError(folded)
        date = dt.date.fromisoformat(folded)
    except ValueError:
        raise JifenError(
            _(
                "{what} {text!r} is not a date; type it as YYYY-MM-DD, e.g. {today}"
            ).format(what=what, text=text, today=today.isoformat())
        ) from None
    if date > today:
        raise JifenError(
            _(
                "{what} {date} is in the future (today is {today}); check the date"
            ).format(what=what, date=date.isoformat(), today=today.isoformat())
        )
    return date


def parse_month(text: str) -> tuple[int, int]:
    """Return (year, month) for a month typed as YYYY-MM."""
    folded = fold(text)
    match = _MONTH_PATTERN.fullmatch(folded)
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
        raise JifenError(
            _(
                "--month {text!r} is not a month; type it as YYYY-MM, e.g. 2026-11"
            ).format(text=text)
        )
    return int(match[1]), int(match[2])


def clean_phone(text: str) -> str:
    """Return a phone number as digits (and a leading +), refusing anything else."""
    folded = fold(text)
    if not _PHONE_PATTERN.fullmatch(folded):
        raise JifenError(
            _(
                "--phone {text!r} is not a phone number; type digits, e.g. 13812345678"
            ).format(text=text)
        )
    return folded.replace(" ", "").replace("-", "")


def mask_phone(phone: str) -> str:
    """Return a phone number with its middle hidden: 13812345678 → 138****5678."""
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "****" + phone[-4:]


def suggest(word: str, choices: Iterable[str]) -> list[str]:
    """Return up to three of `choices` that look like `word`, closest first."""
    return difflib.get_close_matches(word, list(choices), n=3, cutoff=0.5)
