"""Replaying a volunteer's events into their account and their passbook (积分存折)."""

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from jifen.errors import JifenError
from jifen.events import (
    Redemption,
    Seal,
    Service,
    Void,
    VolunteerEntry,
    VolunteerHistory,
)
from jifen.i18n import _
from jifen.months import VolunteerMonths
from jifen.rules import Rules


@dataclass(frozen=True)
class Account:
    """Where a volunteer stands: points earned and spent, and hours served."""

    name: str
    team: str | None
    joined: dt.date
    earned: int
    redeemed: int
    hours: Decimal
    services: int

    @property
    def balance(self) -> int:
        """Points available to spend."""
        return self.earned - self.redeemed


def account_of(file: VolunteerHistory) -> Account:
    """Replay one volunteer's events into their account."""
    earned = redeemed = services = 0
    hours = Decimal(0)
    for event in file.events:
        if isinstance(event, Service):
            earned += event.points
            services += 1
            if event.hours is not None:
                hours += event.hours
        else:
            redeemed += event.points
    volunteer = file.volunteer
    return Account(
        name=volunteer.name,
        team=volunteer.team,
        joined=volunteer.date,
        earned=earned,
        redeemed=redeemed,
        hours=hours,
        services=services,
    )


def account_from_months(volunteer: VolunteerMonths) -> Account:
    """Return a volunteer's account from their monthly totals (what the cache keeps)."""
    total = volunteer.up_to(None)
    return Account(
        name=volunteer.name,
        team=volunteer.team,
        joined=volunteer.joined,
        earned=total.points,
        redeemed=total.spent,
        hours=total.hours,
        services=total.services,
    )


def hours_logged_on(
    events: Iterable[Service | Redemption], activity: str, date: dt.date
) -> list[Decimal]:
    """Return the hours of each service of one activity on one day, in order."""
    return [
        event.hours
        for event in events
        if isinstance(event, Service)
        and event.activity == activity
        and event.date == date
        and event.hours is not None
    ]


HOURS_IN_A_DAY = Decimal(24)


def check_dated_after_joining(history: VolunteerHistory, date: dt.date) -> None:
    """Refuse an entry dated before the volunteer joined."""
    joined = history.volunteer.date
    if date < joined:
        raise JifenError(
            _(
                "{name} joined on {joined}; an entry dated {date} is before that; "
                "check --date"
            ).format(
                name=history.volunteer.name,
                joined=joined.isoformat(),
                date=date.isoformat(),
            )
        )


def check_new_service(history: VolunteerHistory, service: Service) -> None:
    """Refuse a service that cannot be right for this volunteer on this day."""
    check_dated_after_joining(history, service.date)
    name = history.volunteer.name
    if service.witness is not None and service.witness == name:
        raise JifenError(
            _(
                "{name} cannot witness their own service; give the grid worker's "
                "name with --witness"
            ).format(name=name)
        )
    if service.hours is None:
        return
    logged = sum(
        (
            event.hours
            for event in history.events
            if isinstance(event, Service) and event.date == service.date and event.hours
        ),
        Decimal(0),
    )
    if logged + service.hours > HOURS_IN_A_DAY:
        raise JifenError(
            _(
                "{name} already has {logged} h logged on {date}; {hours} h more would "
                "pass 24 h in one day; check --hours and --date"
            ).format(
                name=name,
                logged=format(logged.normalize(), "f"),
                date=service.date.isoformat(),
                hours=format(service.hours.normalize(), "f"),
            )
        )


@dataclass(frozen=True)
class PassbookLine:
    """One line of a passbook: a service (+points) or a redemption (−points)."""

    id: str
    date: dt.date
    kind: str
    what: str
    hours: Decimal | None
    points: int
    balance: int
    witness: str | None
    note: str | None = None


def describe_service(rules: Rules, service: Service) -> str:
    """Return how a service reads in a passbook: label, times and level."""
    text = rules.label_of_activity(service.activity)
    if service.times > 1:
        text += f" ×{service.times}"
    if service.level is not None and service.level in rules.levels:
        text += f" ({rules.levels[service.level].label})"
    elif service.level is not None:
        text += f" ({service.level})"
    return text


def describe_redemption(rules: Rules, redemption: Redemption) -> str:
    """Return how a redemption reads in a passbook: each item with its quantity."""
    return ", ".join(
        f"{rules.label_of_item(line.item)} ×{line.qty}"
        + (f" ({' '.join(line.vouchers)})" if line.vouchers else "")
        for line in redemption.items
    )


def passbook(rules: Rules, file: VolunteerHistory) -> list[PassbookLine]:
    """Return a volunteer's passbook: every entry by date, with the running balance.

    Entries of one day stay in the order they were recorded. A voided entry
    keeps its line, and its correction (冲正) takes the points back on its own.
    """
    lines: list[PassbookLine] = []
    by_id = {entry.id: entry for entry in file.entries}
    balance = 0
    for entry in sorted(file.entries, key=lambda entry: entry.date):
        if isinstance(entry, Seal):
            continue
        line = _passbook_line(rules, entry, by_id)
        balance += line.points
        lines.append(dataclasses.replace(line, balance=balance))
    return lines


def _passbook_line(
    rules: Rules, entry: Service | Redemption | Void, by_id: dict[str, VolunteerEntry]
) -> PassbookLine:
    if isinstance(entry, Service):
        return PassbookLine(
            id=entry.id,
            date=entry.date,
            kind="service",
            what=describe_service(rules, entry),
            hours=entry.hours,
            points=entry.points,
            balance=0,
            witness=entry.witness,
            note=entry.note,
        )
    if isinstance(entry, Redemption):
        return PassbookLine(
            id=entry.id,
            date=entry.date,
            kind="redemption",
            what=describe_redemption(rules, entry),
            hours=None,
            points=-entry.points,
            balance=0,
            witness=None,
            note=entry.note,
        )
    target = by_id.get(entry.target)
    reversed_line = (
        _passbook_line(rules, target, by_id)
        if isinstance(target, Service | Redemption)
        else None
    )
    return PassbookLine(
        id=entry.id,
        date=entry.date,
        kind="void",
        what=_("冲正 {id}").format(id=entry.target),
        hours=None,
        points=-reversed_line.points if reversed_line else 0,
        balance=0,
        witness=None,
        note=entry.reason,
    )
