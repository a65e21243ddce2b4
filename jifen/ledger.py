"""A ledger home at work: what each command does, from typed text to stored event.

This is where the layers meet. It cleans what a person typed, asks the rules
and the domain what it means, and has the store write it, holding the lock
over every check-then-write. It prints nothing: the CLI renders what it returns.
"""

import dataclasses
import datetime as dt
import getpass
import hashlib
import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import msgspec
from msgspec.structs import replace

from jifen.accounts import (
    Account,
    account_from_months,
    account_of,
    check_dated_after_joining,
    check_new_service,
    hours_logged_on,
)
from jifen.checks import Report as CheckReport
from jifen.checks import check_ledger
from jifen.corrections import FoundEntry, check_void, find_entry
from jifen.errors import JifenError
from jifen.events import (
    Event,
    RedeemedItem,
    Redemption,
    Restock,
    Seal,
    Service,
    ShelfEntry,
    Stocktake,
    Void,
    Volunteer,
    VolunteerHistory,
    VoucherUse,
    live_shelf_events,
    new_id,
    new_voucher_code,
)
from jifen.i18n import _
from jifen.months import VolunteerMonths, summarise_months
from jifen.periods import Period, month_period
from jifen.reports import BoardOrder, BoardRow, MonthlyReport, board, monthly_report
from jifen.rules import Activity, Item, Offer, load_rules
from jifen.scoring import counted_on_the_day, full_hours, score_service
from jifen.shelf import (
    ShelfLine,
    TakenLine,
    Voucher,
    check_available,
    check_limits,
    redeemed_quantities,
    shelf_view,
    stock_levels,
    taken_lines,
    vouchers,
)
from jifen.store import RULES_FILE, Repaired, Store, find_home
from jifen.text import (
    check_not_a_respelling,
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
MAX_STOCK = 9_999

_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True)
class Joined:
    """A volunteer just registered, and existing teams that look like theirs."""

    volunteer: Volunteer
    similar_teams: tuple[str, ...] = ()
    already_recorded: bool = False


@dataclass(frozen=True)
class Logged:
    """A service just logged (or found already logged), with the balance after it."""

    service: Service
    activity: Activity
    account: Account
    already_recorded: bool = False
    capped: bool = False


@dataclass(frozen=True)
class Restocked:
    """Goods just arrived (or a retried restock found), with the stock after it."""

    restock: Restock
    item: Item
    stock: int
    already_recorded: bool = False


@dataclass(frozen=True)
class Counted:
    """A stocktake just recorded (or a retried one found)."""

    stocktake: Stocktake
    already_recorded: bool = False


@dataclass(frozen=True)
class UsedVoucher:
    """A voucher just marked used (or a retried use found)."""

    voucher: Voucher
    already_recorded: bool = False


@dataclass(frozen=True)
class Voided:
    """A reversal just written (or a retried one found), and what it reversed."""

    void: Void
    found: FoundEntry
    already_recorded: bool = False


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

    def taken(self) -> list[TakenLine]:
        """Return every redemption line of everyone (what the shelf needs)."""
        per_volunteer = self.store.summaries(
            "taken", taken_lines, tuple[TakenLine, ...]
        )
        return [line for lines in per_volunteer for line in lines]

    def volunteer_months(self) -> list[VolunteerMonths]:
        """Return every volunteer's monthly totals (what boards need)."""
        return self.store.summaries("months", summarise_months, VolunteerMonths)

    def accounts(self) -> list[Account]:
        """Return every volunteer's account."""
        return [account_from_months(months) for months in self.volunteer_months()]

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
    ) -> Joined:
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
            self._refuse_id_used_elsewhere(event_id and record.id, path)
            if existing is not None:
                if event_id is not None and _same(existing, record):
                    return Joined(existing, already_recorded=True)
                raise JifenError(
                    _(
                        "{name!r} is already registered (joined {date}); to register "
                        "another person of that name, add something that tells them "
                        "apart, e.g. `jifen join {name}-2号楼`"
                    ).format(name=person, date=existing.date.isoformat())
                )
            records = self.store.volunteer_records()
            check_not_a_respelling(person, [other.name for other in records])
            self.store.create(path, record)
        teams = {other.team for other in records if other.team}
        close = (
            suggest(record.team, teams)
            if record.team is not None and record.team not in teams
            else []
        )
        return Joined(record, similar_teams=tuple(close))

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
            self._refuse_id_used_elsewhere(event_id and checked_id, history.path)
            counted_today = counted_on_the_day(
                kind,
                hours_logged_on(
                    _events_before(history.events, checked_id), kind.key, service_date
                ),
            )
            points = score_service(
                kind,
                hours=exact_hours,
                times=count,
                level=difficulty,
                counted_today=counted_today,
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
            check_new_service(history, service)
            self.store.append(history.path, service)
        after = VolunteerHistory(
            history.path, history.volunteer, (*history.entries, service)
        )
        capped = exact_hours is not None and full_hours(
            kind, exact_hours, counted_today
        ) < math.floor(exact_hours)
        return Logged(service, kind, account_of(after), capped=capped)

    def redeem(
        self,
        name: str,
        wanted: Sequence[str],
        *,
        date: str | None = None,
        note: str | None = None,
        event_id: str | None = None,
    ) -> Redeemed:
        """Trade points for goods and partner offers, all or nothing.

        Stock, the community's limits and the balance are checked, and the
        redemption written, under one lock: two staff can never hand out the
        last bag of rice twice.
        """
        lines = self._redeemed_items(wanted)
        total = sum(line.points for line in lines)
        redemption_date = self._date(date)
        note_text = clean_note(note)
        checked_id = self._checked_id(event_id)

        with self.store.locked():
            history = self.history(name)
            self._refuse_id_used_elsewhere(event_id and checked_id, history.path)
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
            check_dated_after_joining(history, redemption_date)

            taken = self.taken()
            month = month_period(redemption_date.year, redemption_date.month)
            check_available(
                self.rules,
                lines,
                stock_levels(self.store.read_shelf(), redeemed_quantities(taken)),
                redeemed_quantities(taken, month),
            )
            check_limits(self.rules, account, history, redemption_date)
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
            redemption = replace(redemption, items=self._with_vouchers(lines, taken))
            self.store.append(history.path, redemption)
        after = VolunteerHistory(
            history.path, history.volunteer, (*history.entries, redemption)
        )
        return Redeemed(redemption, account_of(after))

    def restock(
        self,
        item: str,
        quantity: str,
        *,
        date: str | None = None,
        note: str | None = None,
        event_id: str | None = None,
    ) -> Restocked:
        """Record goods arriving on the shelf."""
        good = self.rules.find_item(item)
        count = parse_count(
            quantity, _("quantity"), f"jifen restock {good.key} 20", maximum=MAX_STOCK
        )
        restock = Restock(
            id=self._checked_id(event_id),
            date=self._date(date),
            at=self.now(),
            by=self.by,
            item=good.key,
            qty=count,
            note=clean_note(note),
        )
        with self.store.locked():
            self._refuse_id_used_elsewhere(event_id and restock.id, self.store.shelf)
            entries = self.store.read_shelf_entries()
            shelf_events = live_shelf_events(entries)
            earlier = self._earlier_on_shelf(entries, event_id, restock)
            if earlier is None:
                self.store.append_shelf(restock)
                shelf_events.append(restock)
            stock = stock_levels(shelf_events, redeemed_quantities(self.taken()))
        if earlier is not None:
            assert isinstance(earlier, Restock)
            return Restocked(earlier, good, stock[good.key], already_recorded=True)
        return Restocked(restock, good, stock[good.key])

    def stocktake(
        self,
        item: str,
        counted: str,
        *,
        date: str | None = None,
        note: str | None = None,
        event_id: str | None = None,
    ) -> Counted:
        """Record a physical count (盘点); the difference is kept as a loss or surplus."""
        good = self.rules.find_item(item)
        count = parse_count(
            counted,
            _("count"),
            f"jifen stocktake {good.key} 12",
            minimum=0,
            maximum=MAX_STOCK,
        )
        count_date = self._date(date)
        checked_id = self._checked_id(event_id)
        with self.store.locked():
            self._refuse_id_used_elsewhere(event_id and checked_id, self.store.shelf)
            entries = self.store.read_shelf_entries()
            shelf_events = live_shelf_events(entries)
            # What the books say was on the shelf on the day of the count, so a
            # count entered a few days late does not book later redemptions as loss.
            as_of = Period(count_date.isoformat(), None, count_date)
            taken = self.taken()
            expected = stock_levels(
                [event for event in shelf_events if event.date <= count_date],
                redeemed_quantities(taken, as_of),
            )[good.key]
            now = stock_levels(shelf_events, redeemed_quantities(taken))[good.key]
            stocktake = Stocktake(
                id=checked_id,
                date=count_date,
                at=self.now(),
                by=self.by,
                item=good.key,
                counted=count,
                expected=expected,
                difference=count - expected,
                note=clean_note(note),
            )
            earlier = self._earlier_on_shelf(entries, event_id, stocktake)
            if earlier is not None:
                assert isinstance(earlier, Stocktake)
                return Counted(earlier, already_recorded=True)
            if now + stocktake.difference < 0:
                raise JifenError(
                    _(
                        "a count of {count} on {date} would leave {left} {label} in the "
                        "books now, because some were handed out after that day; "
                        "check --date, or count again today"
                    ).format(
                        count=count,
                        date=count_date.isoformat(),
                        left=now + stocktake.difference,
                        label=good.label,
                    )
                )
            self.store.append_shelf(stocktake)
        return Counted(stocktake)

    def use_voucher(
        self,
        code: str,
        *,
        date: str | None = None,
        note: str | None = None,
        event_id: str | None = None,
    ) -> UsedVoucher:
        """Mark a voucher used at its partner shop; each code is used once."""
        wanted = fold(code).upper()
        use_date = self._date(date)
        checked_id = self._checked_id(event_id)
        with self.store.locked():
            self._refuse_id_used_elsewhere(event_id and checked_id, self.store.shelf)
            entries = self.store.read_shelf_entries()
            shelf_events = live_shelf_events(entries)
            issued = {
                voucher.code: voucher
                for voucher in vouchers(self.taken(), shelf_events)
            }
            voucher = issued.get(wanted)
            if voucher is None:
                raise JifenError(
                    _(
                        "no voucher {code!r}; check the code on the slip, or type "
                        "`jifen voucher list --open` to see the open ones"
                    ).format(code=wanted)
                )
            use = VoucherUse(
                id=checked_id,
                date=use_date,
                at=self.now(),
                by=self.by,
                code=wanted,
                note=clean_note(note),
            )
            if self._earlier_on_shelf(entries, event_id, use) is not None:
                return UsedVoucher(voucher, already_recorded=True)
            if voucher.used is not None:
                raise JifenError(
                    _(
                        "voucher {code} ({label}, {name}) was already used on {date}; "
                        "it cannot be used twice"
                    ).format(
                        code=wanted,
                        label=self.rules.label_of_item(voucher.offer),
                        name=voucher.volunteer,
                        date=voucher.used.isoformat(),
                    )
                )
            if use_date < voucher.issued:
                raise JifenError(
                    _(
                        "voucher {code} was issued on {issued}; it cannot be used "
                        "before that; check --date"
                    ).format(code=wanted, issued=voucher.issued.isoformat())
                )
            self.store.append_shelf(use)
        return UsedVoucher(dataclasses.replace(voucher, used=use_date))

    def void(
        self,
        target_id: str,
        *,
        reason: str,
        date: str | None = None,
        event_id: str | None = None,
    ) -> Voided:
        """Reverse an earlier entry (冲正) with a new entry; history is not changed.

        The reversal is written in the same file as the entry, after checking
        that no balance or stock would fall below zero without it.
        """
        wanted = fold(target_id)
        why = clean_note(reason)
        if why is None:
            raise JifenError(
                _("give the reason for the correction, e.g. --reason 录错了时长")
            )
        void_date = self._date(date)
        checked_id = self._checked_id(event_id)
        with self.store.locked():
            histories = self.store.read_all()
            shelf_entries = self.store.read_shelf_entries()
            found = find_entry(
                histories, shelf_entries, wanted, event_id and checked_id
            )
            if found.voided_by is not None:
                earlier_void = found.voided_by
                if (earlier_void.reason, earlier_void.date) != (why, void_date):
                    raise JifenError(
                        _(
                            "--id {id} was already used on {date} for a different "
                            "correction; use a new id"
                        ).format(id=checked_id, date=earlier_void.date.isoformat())
                    )
                return Voided(earlier_void, found, already_recorded=True)
            self._refuse_id_used_elsewhere(
                event_id and checked_id,
                found.history.path if found.history else self.store.shelf,
            )
            void = Void(
                id=checked_id,
                date=void_date,
                at=self.now(),
                by=self.by,
                target=wanted,
                reason=why,
            )
            # An --id already used in that file for something else is refused here.
            _earlier_among(
                found.history.entries if found.history else shelf_entries,
                event_id,
                void,
            )
            check_void(self.rules, found, histories, shelf_entries, void_date)
            if found.history is not None:
                self.store.append(found.history.path, void)
            else:
                self.store.append_shelf(void)
        return Voided(void, found)

    def reseal(
        self, name: str | None, *, shelf: bool = False, reason: str
    ) -> tuple[Path, Seal]:
        """Vouch for a file edited by hand: later checks trust it up to here.

        The file is a volunteer's, by `name`, or the shelf's. The seal records
        who did it and why, and the digest of everything before it.
        """
        if (name is None) == (not shelf):
            raise JifenError(
                _("name the volunteer whose file was edited, or give --shelf, not both")
            )
        why = clean_note(reason)
        if why is None:
            raise JifenError(
                _("give the reason for the hand edit, e.g. --reason 补录纸质记录")
            )
        with self.store.locked():
            path = self.store.shelf if name is None else self.history(name).path
            data = self.store.read_sealable(path)
            seal = Seal(
                id=new_id(),
                date=self.today(),
                at=self.now(),
                by=self.by,
                reason=why,
                covers=hashlib.sha256(data).hexdigest(),
            )
            self.store.append(path, seal)
        return path, seal

    def check(self) -> CheckReport:
        """Read every file and return every problem found, with file and line."""
        volunteers, shelf = self.store.raw_files()
        return check_ledger(self.rules, volunteers, shelf)

    def repair(self) -> list[Repaired]:
        """Mend last lines left without a line break by an interrupted write."""
        return self.store.repair_torn_tails(self.now().strftime("%Y%m%d%H%M%S"))

    def board(
        self,
        period: Period,
        *,
        team: str | None = None,
        top: int | None = None,
        order: BoardOrder = "points",
    ) -> list[BoardRow]:
        """Rank volunteers for a period, optionally within one team."""
        team_name = clean_name(team, _("team name")) if team is not None else None

        def compute() -> list[BoardRow]:
            volunteers = self.volunteer_months()
            if team_name is not None:
                teams = sorted({v.team for v in volunteers if v.team})
                if team_name not in teams:
                    raise JifenError(
                        _("no team {team!r}; the teams are: {teams}").format(
                            team=team_name, teams=", ".join(teams) or _("none yet")
                        )
                    )
            return board(
                self.rules, volunteers, period, team=team_name, top=top, order=order
            )

        key = self._state_key(period, team_name, top, order)
        return self.store.remembered("board", key, list[BoardRow], compute)

    def report(self, year: int, month: int) -> MonthlyReport:
        """Add up one calendar month: people, services, teams, the shelf, the trend."""
        key = self._state_key(year, month)

        def compute() -> MonthlyReport:
            found = self.store.summaries_of(
                {
                    "months": (summarise_months, VolunteerMonths),
                    "taken": (taken_lines, tuple[TakenLine, ...]),
                }
            )
            return monthly_report(
                self.rules,
                found["months"],
                [line for lines in found["taken"] for line in lines],
                self.store.read_shelf(),
                year,
                month,
            )

        # A repeated report of an unchanged ledger is read back whole.
        return self.store.remembered("report", key, MonthlyReport, compute)

    def vouchers(self) -> list[Voucher]:
        """Return every voucher ever issued, with the day it was used."""
        return vouchers(self.taken(), self.store.read_shelf())

    def shelf(self, month: Period) -> list[ShelfLine]:
        """Return every good with its stock and every offer with its quota left."""
        return shelf_view(self.rules, self.taken(), self.store.read_shelf(), month)

    # Helpers -----------------------------------------------------------------

    def _redeemed_items(self, wanted: Sequence[str]) -> tuple[RedeemedItem, ...]:
        if not wanted:
            raise JifenError(
                _("name at least one item, e.g. `jifen redeem 王大江 oil rice`")
            )
        quantities: dict[str, int] = {}
        rewards: dict[str, Item | Offer] = {}
        for text in wanted:
            folded = fold(text)
            item_text, colon, quantity_text = folded.partition(":")
            reward = self.rules.find_reward(item_text)
            quantity = (
                parse_count(quantity_text, _("quantity"), example=f"{item_text}:2")
                if colon
                else 1
            )
            rewards[reward.key] = reward
            quantities[reward.key] = quantities.get(reward.key, 0) + quantity
        return tuple(
            RedeemedItem(item=key, qty=quantity, points=rewards[key].points * quantity)
            for key, quantity in quantities.items()
        )

    def _with_vouchers(
        self, lines: tuple[RedeemedItem, ...], already: Sequence[TakenLine]
    ) -> tuple[RedeemedItem, ...]:
        """Give every unit of a partner offer its own voucher code, unused so far."""
        taken = {code for line in already for code in line.vouchers}
        with_codes = []
        for line in lines:
            if line.item not in self.rules.offers:
                with_codes.append(line)
                continue
            codes: list[str] = []
            while len(codes) < line.qty:
                code = new_voucher_code()
                if code not in taken:
                    taken.add(code)
                    codes.append(code)
            with_codes.append(replace(line, vouchers=tuple(codes)))
        return tuple(with_codes)

    def _date(self, text: str | None) -> dt.date:
        today = self.today()
        return parse_date(text, today) if text is not None else today

    def _refuse_id_used_elsewhere(self, event_id: str | None, own: Path) -> None:
        """Refuse a caller's --id already used in another file than `own`.

        Within `own` a reused id is a retry, and is answered there. Ids jifen
        makes itself are random and need no look-up.
        """
        if not event_id:
            return
        elsewhere = [
            path for path, ids in self._ids_by_file() if path != own and event_id in ids
        ]
        if elsewhere:
            raise JifenError(
                _(
                    "--id {id} was already used for another entry, in {file}; "
                    "use a new id"
                ).format(id=event_id, file=elsewhere[0])
            )

    def _ids_by_file(self) -> list[tuple[Path, frozenset[str]]]:
        # A damaged file cannot be searched; `jifen check` reports it, and it
        # should not stop work on every other volunteer.
        ids = self.store.summaries("ids", _ids_of, _FileIds, skip_damaged=True)
        files = [
            (self.store.volunteers / each.file, frozenset(each.ids)) for each in ids
        ]
        shelf_ids = frozenset(entry.id for entry in self.store.read_shelf_entries())
        return [*files, (self.store.shelf, shelf_ids)]

    def _state_key(self, *question: object) -> str:
        """Return a key that changes with the question, the rules or any data file.

        A whole result kept under it (a board, a report) can be read back for
        as long as nothing it was computed from has changed.
        """
        rules = hashlib.sha256((self.home / RULES_FILE).read_bytes()).hexdigest()
        return f"{question!r} {rules} {self.store.fingerprint()}"

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
        return _earlier_among(history.entries, event_id, event)

    def _earlier_on_shelf(
        self, shelf_events: Sequence[ShelfEntry], event_id: str | None, event: Event
    ) -> Event | None:
        """Return the shelf event already stored under a retried --id."""
        return _earlier_among(shelf_events, event_id, event)


def _earlier_among(
    events: Sequence[Event], event_id: str | None, event: Event
) -> Event | None:
    """Return the event already stored under a retried --id, if it is the same."""
    if event_id is None:
        return None
    for earlier in events:
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


class _FileIds(msgspec.Struct, frozen=True, array_like=True):
    file: str
    ids: tuple[str, ...]


def _ids_of(history: VolunteerHistory) -> _FileIds:
    """Every id in one volunteer's file, their registration's included."""
    ids = (history.volunteer.id, *(entry.id for entry in history.entries))
    return _FileIds(history.path.name, ids)


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
    """Whether two events say the same thing, apart from when and by whom.

    Voucher codes and a stocktake's expected stock are worked out when the
    event is written, so a retry is compared without them.
    """
    if isinstance(earlier, Redemption):
        earlier = replace(
            earlier, items=tuple(replace(line, vouchers=()) for line in earlier.items)
        )
    if isinstance(earlier, Stocktake) and isinstance(event, Stocktake):
        # What the books expected moves with every redemption since; the count does not.
        earlier = replace(earlier, expected=event.expected, difference=event.difference)
    return replace(earlier, at=event.at, by=event.by, digest=event.digest) == event
