"""The points shelf (积分货架) from events alone: stock, vouchers and redemption limits.

Stock of a good is what arrived, less what was redeemed, plus every stocktake's
difference (counted − expected). Because each stocktake stores its own
difference, the sum does not depend on the order events are read in.

What the shelf needs from a volunteer's file is only its redemption lines
(`TakenLine`), so a redemption reads everyone's lines from the store's cache
instead of every volunteer's whole history.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import msgspec

from jifen.accounts import Account
from jifen.errors import JifenError
from jifen.events import (
    RedeemedItem,
    Redemption,
    Restock,
    ShelfEvent,
    Stocktake,
    VolunteerHistory,
    VoucherUse,
)
from jifen.i18n import _
from jifen.periods import Period, month_period
from jifen.rules import Rules
from jifen.text import fold


class TakenLine(msgspec.Struct, frozen=True, array_like=True):
    """One line of one redemption: who took how many of what, and its voucher codes."""

    volunteer: str
    redemption_id: str
    date: dt.date
    item: str
    qty: int
    vouchers: tuple[str, ...] = ()


def taken_lines(history: VolunteerHistory) -> tuple[TakenLine, ...]:
    """Return every redemption line in one volunteer's history."""
    return tuple(
        TakenLine(
            volunteer=history.volunteer.name,
            redemption_id=event.id,
            date=event.date,
            item=line.item,
            qty=line.qty,
            vouchers=line.vouchers,
        )
        for event in history.events
        if isinstance(event, Redemption)
        for line in event.items
    )


def redeemed_quantities(
    lines: Iterable[TakenLine], period: Period | None = None
) -> Counter[str]:
    """Return how many of each good or offer were redeemed, in a period or ever."""
    counts: Counter[str] = Counter()
    for line in lines:
        if period is None or line.date in period:
            counts[line.item] += line.qty
    return counts


def stock_levels(
    shelf_events: Iterable[ShelfEvent], redeemed: Counter[str]
) -> Counter[str]:
    """Return the stock of every good that ever arrived, was counted or redeemed."""
    stock: Counter[str] = Counter()
    for event in shelf_events:
        if isinstance(event, Restock):
            stock[event.item] += event.qty
        elif isinstance(event, Stocktake):
            stock[event.item] += event.difference
    for item, quantity in redeemed.items():
        stock[item] -= quantity
    return stock


@dataclass(frozen=True)
class Voucher:
    """A partner offer redeemed for points, and whether the shop has taken it."""

    code: str
    offer: str
    volunteer: str
    issued: dt.date
    redemption_id: str
    used: dt.date | None = None


def vouchers(
    lines: Iterable[TakenLine], shelf_events: Iterable[ShelfEvent]
) -> list[Voucher]:
    """Return every voucher ever issued, oldest first, with the day it was used."""
    used = {
        event.code: event.date
        for event in shelf_events
        if isinstance(event, VoucherUse)
    }
    issued = [
        Voucher(
            code=code,
            offer=line.item,
            volunteer=line.volunteer,
            issued=line.date,
            redemption_id=line.redemption_id,
            used=used.get(code),
        )
        for line in lines
        for code in line.vouchers
    ]
    return sorted(issued, key=lambda voucher: (voucher.issued, voucher.code))


def select_vouchers(
    rules: Rules,
    issued: Iterable[Voucher],
    partner: str | None = None,
    only_open: bool = False,
) -> list[Voucher]:
    """Return the vouchers of one partner (named by shop or offer), or the open ones."""
    chosen = list(issued)
    if partner is not None:
        wanted = fold(partner).casefold()
        matching = {
            key
            for key, offer in rules.offers.items()
            if wanted
            in {
                fold(name).casefold()
                for name in (offer.partner, offer.key, offer.label, *offer.aliases)
            }
        }
        if not matching:
            raise JifenError(
                _("no partner {partner!r}; the partners are: {names}").format(
                    partner=fold(partner),
                    names=", ".join(
                        sorted({offer.partner for offer in rules.offers.values()})
                    ),
                )
            )
        chosen = [voucher for voucher in chosen if voucher.offer in matching]
    if only_open:
        chosen = [voucher for voucher in chosen if voucher.used is None]
    return chosen


def period_name(once_per: str) -> str:
    """Return the translated word for a redemption limit's period."""
    names = {"month": _("month"), "quarter": _("quarter"), "year": _("year")}
    return names.get(once_per, once_per)


def quarter_period(date: dt.date) -> Period:
    """Return the calendar quarter holding `date`."""
    first_month = (date.month - 1) // 3 * 3 + 1
    start = month_period(date.year, first_month)
    end = month_period(date.year, first_month + 2)
    return Period(f"{date.year}-Q{(date.month + 2) // 3}", start.start, end.end)


def limit_period(once_per: str, date: dt.date) -> Period:
    """Return the month, quarter or year holding `date`."""
    if once_per == "month":
        return month_period(date.year, date.month)
    if once_per == "quarter":
        return quarter_period(date)
    return Period(str(date.year), dt.date(date.year, 1, 1), dt.date(date.year, 12, 31))


def check_limits(
    rules: Rules, account: Account, history: VolunteerHistory, date: dt.date
) -> None:
    """Refuse a redemption the community's limits forbid: too few points, or too soon."""
    if account.balance < rules.shelf.min_balance:
        raise JifenError(
            _(
                "{name} has {balance} points; this community redeems from "
                "{minimum} points up; nothing was redeemed"
            ).format(
                name=account.name,
                balance=account.balance,
                minimum=rules.shelf.min_balance,
            )
        )
    if rules.shelf.once_per is None:
        return
    period = limit_period(rules.shelf.once_per, date)
    earlier = [
        event.date
        for event in history.events
        if isinstance(event, Redemption) and event.date in period
    ]
    if earlier:
        assert period.end is not None
        raise JifenError(
            _(
                "{name} already redeemed on {date}; one redemption per {per} is "
                "allowed; next redemption allowed from {next}"
            ).format(
                name=account.name,
                date=max(earlier).isoformat(),
                per=period_name(rules.shelf.once_per),
                next=(period.end + dt.timedelta(days=1)).isoformat(),
            )
        )


def check_available(
    rules: Rules,
    wanted: Iterable[RedeemedItem],
    stock: Counter[str],
    redeemed_this_month: Counter[str],
) -> None:
    """Refuse goods that are not on the shelf and offers past their monthly quota."""
    for line in wanted:
        if line.item in rules.items:
            left = stock[line.item]
            if line.qty > left:
                raise JifenError(
                    _(
                        "{item} ({label}): {left} left, {asked} asked; nothing was redeemed"
                    ).format(
                        item=line.item,
                        label=rules.items[line.item].label,
                        left=max(left, 0),
                        asked=line.qty,
                    )
                )
            continue
        offer = rules.offers[line.item]
        if offer.monthly_quota is None:
            continue
        left = offer.monthly_quota - redeemed_this_month[offer.key]
        if line.qty > left:
            raise JifenError(
                _(
                    "{item} ({label}): {left} of this month's {quota} left, "
                    "{asked} asked; nothing was redeemed"
                ).format(
                    item=offer.key,
                    label=offer.label,
                    left=max(left, 0),
                    quota=offer.monthly_quota,
                    asked=line.qty,
                )
            )


@dataclass(frozen=True)
class ShelfLine:
    """One good or offer as the shelf view shows it."""

    item: str
    label: str
    points: int
    partner: str | None
    stock: int | None
    redeemed_this_month: int
    low: bool


def shelf_view(
    rules: Rules,
    taken: Sequence[TakenLine],
    shelf_events: Sequence[ShelfEvent],
    month: Period,
) -> list[ShelfLine]:
    """Return every good with its stock and every offer with its quota left."""
    ever = redeemed_quantities(taken)
    this_month = redeemed_quantities(taken, month)
    stock = stock_levels(shelf_events, ever)
    lines = [
        ShelfLine(
            item=item.key,
            label=item.label,
            points=item.points,
            partner=None,
            stock=stock[item.key],
            redeemed_this_month=this_month[item.key],
            low=stock[item.key] <= rules.low_stock_of(item),
        )
        for item in rules.items.values()
    ]
    for offer in rules.offers.values():
        left = (
            None
            if offer.monthly_quota is None
            else offer.monthly_quota - this_month[offer.key]
        )
        lines.append(
            ShelfLine(
                item=offer.key,
                label=offer.label,
                points=offer.points,
                partner=offer.partner,
                stock=left,
                redeemed_this_month=this_month[offer.key],
                low=left is not None and left <= 0,
            )
        )
    return lines
