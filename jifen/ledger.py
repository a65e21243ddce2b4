"""A ledger home at work: what each command does, from typed text to stored event.

This is where the layers meet. It cleans what a person typed, asks the rules
and the domain what it means, and has the store write it, holding the lock
over every check-then-write. It prints nothing: the CLI renders what it returns.
"""

import datetime as dt
import getpass
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from msgspec.structs import replace

from jifen.accounts import Account, account_of, hours_logged_on
from jifen.errors import JifenError
from jifen.events import (
    Event,
    RedeemedItem,
    Redemption,
    Service,
    Volunteer,
    VolunteerHistory,
    new_id,
)
from jifen.i18n import _
from jifen.rules import Activity, Item, load_rules
from jifen.scoring import counted_hours, score_service
from jifen.store import RULES_FILE, Store, find_home
from jifen.text import (
    clean_name,
    clean_note,
    clean_phone,
    fold,
    parse_count,
    parse_date,
    parse_hours,
    suggest,
)

Clock = Callable[[], dt.datetime]

_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True)
class Logged:
    """A service just logged (or found already logged), with the balance after it."""

    service: Service
    activity: Activity
    account: Account
    already_recorded: bool = False
    capped_at: Decimal | None = None


@dataclass(frozen=True)
class Redeemed:
    """A redemption just recorded (or found already recorded), with what is left."""

    redemption: Redemption
    account: Account
    already_recorded: bool = False


def current_user() -> str:
    """Return the name of the person at the keyboard, as the OS knows it."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class Ledger:
    """One home's rules and store, and the commands that act on them."""

    def __init__(
        self, home: Path, *, by: str | None = None, clock: Clock | None = None
    ):
        self.home = home
        self.rules = load_rules(home / RULES_FILE)
        self.store = Store(home)
        self.by = clean_name(by, _("--by name")) if by is not None else current_user()
        self._clock = clock

    @classmethod
    def open(
        cls,
        home: Path | None = None,
        *,
        by: str | None = None,
        clock: Clock | None = None,
    ) -> "Ledger":
        """Find the home the way git finds a repository, and open it."""
        found = find_home(home, os.environ, Path.cwd())
        return cls(found, by=by, clock=clock)

    def now(self) -> dt.datetime:
        """Return this moment in the community's time zone, to the second."""
        zone = ZoneInfo(self.rules.timezone)
        moment = self._clock() if self._clock else dt.datetime.now(zone)
        return moment.astimezone(zone).replace(microsecond=0)

    def today(self) -> dt.date:
        """Return today's date in the community's time zone."""
        return self.now().date()

    # Reading -----------------------------------------------------------------

    def histories(self) -> list[VolunteerHistory]:
        """Read every volunteer's events, each file once."""
        return self.store.read_all()

    def history(self, name: str) -> VolunteerHistory:
        """Read one volunteer's events, refusing a name that is not registered."""
        person = clean_name(name)
        path, record = self.store.path_for(person)
        if record is None:
            raise JifenError(self._unknown_volunteer(person))
        return self.store.read(path)

    def accounts(self) -> list[Account]:
        """Return every volunteer's account."""
        return [account_of(history) for history in self.histories()]

    def _unknown_volunteer(self, name: str) -> str:
        close = suggest(name, self.store.volunteer_names())
        if close:
            return _("no volunteer {name!r}; did you mean {close}?").format(
                name=name, close=_(" or ").join(repr(other) for other in close)
            )
        return _(
            "no volunteer {name!r}; type `jifen balance` to see everyone, "
            "or `jifen join {name}` to register them"
        ).format(name=name)

    # Writing -----------------------------------------------------------------

    def join(
        self,
        name: str,
        *,
        team: str | None = None,
        phone: str | None = None,
        date: str | None = None,
        note: str | None = None,
        event_id: str | None = None,
    ) -> Volunteer:
        """Register a volunteer: their file is created holding their record."""
        person = clean_name(name)
        record = Volunteer(
            id=self._checked_id(event_id),
            date=self._date(date),
            at=self.now(),
            by=self.by,
            name=person,
            team=clean_name(team, _("team name")) if team is not None else None,
            phone=clean_phone(phone) if phone is not None else None,
            note=clean_note(note),
        )
        with self.store.locked():
            path, existing = self.store.path_for(person)
            if existing is not None:
                if event_id is not None and _same(existing, record):
                    return existing
                raise JifenError(
                    _(
                        "{name!r} is already registered (joined {date}); to register "
                        "another person of that name, add something that tells them "
                        "apart, e.g. `jifen join {name}-2号楼`"
                    ).format(name=person, date=existing.date.isoformat())
                )
            self.store.create(path, record)
        return record

    def log(
        self,
        name: str,
        activity: str,
        *,
        hours: str | None = None,
        times: str | None = None,
        level: str | None = None,
        date: str | None = None,
        witness: str | None = None,
        note: str | None = None,
        event_id: str | None = None,
    ) -> Logged:
        """Score one service under the rules and append it to the volunteer's file."""
        kind = self.rules.find_activity(activity)
        exact_hours = parse_hours(hours) if hours is not None else None
        count = parse_count(times) if times is not None else 1
        if kind.per_hour and exact_hours is None:
            raise JifenError(
                _(
                    "{key} ({label}) is scored per full hour; add the hours, e.g. --hours 1.5"
                ).format(key=kind.key, label=kind.label)
            )
        if kind.per_hour and count != 1:
            raise JifenError(
                _(
                    "{key} ({label}) is scored per full hour; give the total --hours, not --times"
                ).format(key=kind.key, label=kind.label)
            )
        difficulty = self.rules.find_level(level) if level is not None else None
        service_date = self._date(date)
        witness_name = clean_name(witness, _("witness name")) if witness else None
        note_text = clean_note(note)
        checked_id = self._checked_id(event_id)

        with self.store.locked():
            history = self.history(name)
            already_today = hours_logged_on(
                _events_before(history.events, checked_id), kind.key, service_date
            )
            points = score_service(
                kind,
                hours=exact_hours,
                times=count,
                level=difficulty,
                already_today=already_today,
            )
            service = Service(
                id=checked_id,
                date=service_date,
                at=self.now(),
                by=self.by,
                activity=kind.key,
                points=points,
                hours=exact_hours,
                times=count,
                level=difficulty.key if difficulty else None,
                witness=witness_name,
                note=note_text,
            )
            earlier = self._earlier(history, event_id, service)
            if earlier is not None:
                assert isinstance(earlier, Service)
                return Logged(earlier, kind, account_of(history), already_recorded=True)
            self.store.append(history.path, service)
        after = VolunteerHistory(
            history.path, history.volunteer, (*history.events, service)
        )
        capped = (
            exact_hours is not None
            and counted_hours(kind, exact_hours, already_today) < exact_hours
        )
        return Logged(
            service,
            kind,
            account_of(after),
            capped_at=Decimal(kind.max_hours_per_day or 0) if capped else None,
        )

    def redeem(
        self,
        name: str,
        wanted: Sequence[str],
        *,
        date: str | None = None,
        note: str | None = None,
        event_id: str | None = None,
    ) -> Redeemed:
        """Trade points for goods, all or nothing: refuse when the points are short."""
        lines = self._redeemed_items(wanted)
        total = sum(line.points for line in lines)
        redemption_date = self._date(date)
        note_text = clean_note(note)
        checked_id = self._checked_id(event_id)

        with self.store.locked():
            history = self.history(name)
            account = account_of(history)
            redemption = Redemption(
                id=checked_id,
                date=redemption_date,
                at=self.now(),
                by=self.by,
                items=lines,
                points=total,
                note=note_text,
            )
            earlier = self._earlier(history, event_id, redemption)
            if earlier is not None:
                assert isinstance(earlier, Redemption)
                return Redeemed(earlier, account, already_recorded=True)
            if total > account.balance:
                raise JifenError(
                    _(
                        "{name} needs {total}, has {balance}: {short} short; nothing was redeemed"
                    ).format(
                        name=account.name,
                        total=total,
                        balance=account.balance,
                        short=total - account.balance,
                    )
                )
            self.store.append(history.path, redemption)
        after = VolunteerHistory(
            history.path, history.volunteer, (*history.events, redemption)
        )
        return Redeemed(redemption, account_of(after))

    # Helpers -----------------------------------------------------------------

    def _redeemed_items(self, wanted: Sequence[str]) -> tuple[RedeemedItem, ...]:
        if not wanted:
            raise JifenError(
                _("name at least one item, e.g. `jifen redeem 王大江 oil rice`")
            )
        quantities: dict[str, int] = {}
        items: dict[str, Item] = {}
        for text in wanted:
            folded = fold(text)
            item_text, _colon, quantity_text = folded.partition(":")
            item = self.rules.find_item(item_text)
            quantity = (
                parse_count(quantity_text, _("quantity"), example=f"{item_text}:2")
                if _colon
                else 1
            )
            items[item.key] = item
            quantities[item.key] = quantities.get(item.key, 0) + quantity
        return tuple(
            RedeemedItem(item=key, qty=quantity, points=items[key].points * quantity)
            for key, quantity in quantities.items()
        )

    def _date(self, text: str | None) -> dt.date:
        today = self.today()
        return parse_date(text, today) if text is not None else today

    def _checked_id(self, event_id: str | None) -> str:
        if event_id is None:
            return new_id()
        folded = fold(event_id)
        if not _ID_PATTERN.fullmatch(folded):
            raise JifenError(
                _(
                    "--id {id!r} is not a usable id; use up to 64 letters, digits, '-', '_' or '.'"
                ).format(id=event_id)
            )
        return folded

    def _earlier(
        self, history: VolunteerHistory, event_id: str | None, event: Event
    ) -> Event | None:
        """Return the event already stored under a retried --id, if it is the same."""
        if event_id is None:
            return None
        for earlier in history.events:
            if earlier.id == event.id:
                if _same(earlier, event):
                    return earlier
                raise JifenError(
                    _(
                        "--id {id} was already used on {date} for a different entry; "
                        "use a new id"
                    ).format(id=event.id, date=earlier.date.isoformat())
                )
        return None


def _events_before(
    events: tuple[Service | Redemption, ...], event_id: str
) -> tuple[Service | Redemption, ...]:
    """Return the events recorded before the one with `event_id`, or all of them.

    A retried --id is scored against the day as it stood the first time, not
    against its own earlier copy, so the daily cap gives the same points again.
    """
    for position, event in enumerate(events):
        if event.id == event_id:
            return events[:position]
    return events


def _same(earlier: Event, event: Event) -> bool:
    """Whether two events say the same thing, apart from when and by whom."""
    return replace(earlier, at=event.at, by=event.by) == event
