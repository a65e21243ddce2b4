"""Turning results into what a person reads (Rich tables) or a script reads (JSON).

Nothing here knows about files. Every piece of text a person typed (names,
notes) reaches the terminal as a Rich `Text`, so markup such as `[red]` in a
name is shown literally, never interpreted.
"""

import os
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import msgspec
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from jifen.accounts import (
    Account,
    PassbookLine,
    describe_redemption,
    describe_service,
)
from jifen.checks import Report as CheckReport
from jifen.documents import (
    Section,
    board_section,
    board_values,
    empty_message,
    hours_text,
    plain_values,
    sections,
    stars_text,
    title_of,
)
from jifen.events import Redemption, Service, Stocktake, Volunteer, VoucherUse
from jifen.i18n import _, ngettext
from jifen.ledger import (
    Counted,
    Joined,
    Logged,
    Redeemed,
    Restocked,
    UsedVoucher,
    Voided,
)
from jifen.reports import BoardRow, MonthlyReport
from jifen.rules import Rules
from jifen.shelf import ShelfLine, Voucher, period_name
from jifen.store import Repaired
from jifen.text import mask_phone


class _Console(Console):
    """A console that treats a reader stopping early (`| head`) as success."""

    def on_broken_pipe(self) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0)


out = _Console(highlight=False)
err = Console(stderr=True, highlight=False)

_json = msgspec.json.Encoder(decimal_format="number")


def say(*parts: str | Text) -> None:
    """Print one line to stdout, never interpreting markup and never wrapping."""
    out.print(Text.assemble(*parts), soft_wrap=True)


def fail(message: str) -> None:
    """Print an error as one line on stderr."""
    err.print(Text.assemble((_("Error: "), "bold red"), message), soft_wrap=True)


def print_json(value: Any) -> None:
    """Write plain values as indented UTF-8 JSON to stdout."""
    write(json_of(value))


def json_of(value: Any) -> str:
    """Return plain values as indented JSON text, non-ASCII kept as it is."""
    encoded = _json.encode(_tidy_numbers(value))
    return msgspec.json.format(encoded, indent=2).decode("utf-8") + "\n"


def _tidy_numbers(value: Any) -> Any:
    """Write exact hours the shortest way: 14.0 as 14, 2.50 as 2.5."""
    if isinstance(value, Decimal):
        return (
            value.quantize(1)
            if value == value.to_integral_value()
            else value.normalize()
        )
    if isinstance(value, dict):
        return {key: _tidy_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_tidy_numbers(item) for item in value]
    return value


def json_text(monthly: MonthlyReport) -> str:
    """Return the monthly report as JSON text for scripts."""
    return json_of(plain_values(monthly))


def write(text: str) -> None:
    """Write finished text (a file's content) to stdout as it is."""
    sys.stdout.write(text)


def format_points(points: int) -> str:
    """Return points with their sign: +3, −110, 0."""
    return f"+{points}" if points > 0 else f"−{-points}" if points < 0 else "0"


def _table(title: str | None = None) -> Table:
    # Rules under the header only: no side borders, so 80 columns hold a passbook.
    return Table(
        title=title,
        title_justify="left",
        title_style="bold",
        header_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
    )


def _cell(text: str | None) -> Text:
    return Text(text or "")


# Writing commands ------------------------------------------------------------


def joined(result: Joined) -> None:
    """Confirm a new volunteer, and point out a new team that looks like an old one."""
    volunteer = result.volunteer
    if result.already_recorded:
        say(_("Already recorded (id {id}); nothing written.").format(id=volunteer.id))
    details = [volunteer.name]
    if volunteer.team:
        details.append(_(", team {team}").format(team=volunteer.team))
    if volunteer.phone:
        details.append(_(", phone {phone}").format(phone=mask_phone(volunteer.phone)))
    say(
        _("Registered "),
        *details,
        _(" (joined {date}, id {id}).").format(
            date=volunteer.date.isoformat(), id=volunteer.id
        ),
    )
    if result.similar_teams:
        say(
            _("Note: {team} is a new team; did you mean {similar}?").format(
                team=volunteer.team, similar=_(" or ").join(result.similar_teams)
            )
        )


def logged(result: Logged) -> None:
    """Confirm a logged service: the points earned and the new balance."""
    service = result.service
    if result.already_recorded:
        say(_("Already recorded (id {id}); nothing written.").format(id=service.id))
    hours = (
        _(", {hours} h").format(hours=hours_text(service.hours))
        if service.hours
        else ""
    )
    witness = (
        _(", witness {witness}").format(witness=service.witness)
        if service.witness
        else ""
    )
    say(
        result.account.name,
        ngettext(
            " earned {points} point for {label} on {date}{hours}{witness}.",
            " earned {points} points for {label} on {date}{hours}{witness}.",
            service.points,
        ).format(
            points=service.points,
            label=result.activity.label,
            date=service.date.isoformat(),
            hours=hours,
            witness=witness,
        ),
    )
    if result.capped:
        say(
            _(
                "Only {cap} full hours of {label} a day count for points; the hours "
                "beyond that still count toward star levels."
            ).format(cap=result.activity.max_hours_per_day, label=result.activity.label)
        )
    say(
        ngettext(
            "Balance: {balance} point. Service hours: {total} h. Id: {id}",
            "Balance: {balance} points. Service hours: {total} h. Id: {id}",
            result.account.balance,
        ).format(
            balance=result.account.balance,
            total=hours_text(result.account.hours),
            id=service.id,
        )
    )


def redeemed(rules: Rules, result: Redeemed) -> None:
    """Confirm a redemption: what was taken, the points spent and the balance left."""
    redemption: Redemption = result.redemption
    if result.already_recorded:
        say(_("Already recorded (id {id}); nothing written.").format(id=redemption.id))
    taken = ", ".join(
        f"{rules.label_of_item(line.item)} ×{line.qty} ({line.points})"
        for line in redemption.items
    )
    say(
        result.account.name,
        ngettext(
            " redeemed {taken} on {date}: {points} point spent.",
            " redeemed {taken} on {date}: {points} points spent.",
            redemption.points,
        ).format(
            taken=taken, date=redemption.date.isoformat(), points=redemption.points
        ),
    )
    for line in redemption.items:
        offer = rules.offers.get(line.item)
        for code in line.vouchers:
            say(
                _(
                    "Voucher {code}: {label} at {partner}. Show this code at the shop."
                ).format(
                    code=code,
                    label=offer.label if offer else line.item,
                    partner=offer.partner if offer else "",
                )
            )
    say(
        ngettext(
            "Balance left: {balance} point. Id: {id}",
            "Balance left: {balance} points. Id: {id}",
            result.account.balance,
        ).format(balance=result.account.balance, id=redemption.id)
    )


def voided(rules: Rules, result: Voided) -> None:
    """Confirm a correction: what it reversed, and why."""
    void = result.void
    if result.already_recorded:
        say(_("Already recorded (id {id}); nothing written.").format(id=void.id))
    entry = result.found.entry
    whose = (
        result.found.history.volunteer.name if result.found.history else _("the shelf")
    )
    if isinstance(entry, Service):
        what = describe_service(rules, entry)
    elif isinstance(entry, Redemption):
        what = describe_redemption(rules, entry)
    elif isinstance(entry, VoucherUse):
        what = _("voucher {code} used").format(code=entry.code)
    elif isinstance(entry, Stocktake):
        what = _("stocktake of {label}").format(label=rules.label_of_item(entry.item))
    else:
        what = _("restock of {label}").format(label=rules.label_of_item(entry.item))
    say(
        _("Voided {target} ({what}, {whose}, {date}) on {today}: ").format(
            target=void.target,
            what=what,
            whose=whose,
            date=entry.date.isoformat(),
            today=void.date.isoformat(),
        ),
        void.reason,
        _(". Id: {id}").format(id=void.id),
    )


def check_report(report: CheckReport, as_json: bool) -> None:
    """Print every problem, one per line like a compiler, then a count."""
    if as_json:
        print_json(
            [
                {
                    "file": str(problem.path),
                    "line": problem.line,
                    "message": problem.message,
                }
                for problem in report.problems
            ]
        )
        return
    for problem in report.problems:
        say(str(problem))
    if report.problems:
        say(
            ngettext(
                "{count} problem found in ",
                "{count} problems found in ",
                len(report.problems),
            ).format(count=len(report.problems))
            + ngettext("{files} file.", "{files} files.", report.files).format(
                files=report.files
            )
        )
    else:
        say(
            _("No problems: ")
            + ngettext("{files} file, ", "{files} files, ", report.files).format(
                files=report.files
            )
            + ngettext(
                "{entries} entry checked.", "{entries} entries checked.", report.entries
            ).format(entries=report.entries)
        )


def repaired(mended: Sequence[Repaired]) -> None:
    """Say which files were mended, and how."""
    if not mended:
        say(_("Nothing to repair: every file ends with a complete line."))
        return
    for each in mended:
        if each.side is None:
            say(
                _(
                    "{path}: the last entry was whole; added its missing line break."
                ).format(path=each.path)
            )
        else:
            say(
                _(
                    "{path}: set aside an incomplete last line ({size} bytes) in {side}."
                ).format(path=each.path, size=each.moved, side=each.side.name)
            )
    say(_("Every complete entry was kept. Check the ledger with `jifen check`."))


def restocked(result: Restocked) -> None:
    """Confirm goods arriving: how many, and the stock now."""
    if result.already_recorded:
        say(
            _("Already recorded (id {id}); nothing written.").format(
                id=result.restock.id
            )
        )
    say(
        _(
            "Restocked {label} ({item}) +{qty} on {date}. In stock: {stock}. Id: {id}"
        ).format(
            label=result.item.label,
            item=result.item.key,
            qty=result.restock.qty,
            date=result.restock.date.isoformat(),
            stock=result.stock,
            id=result.restock.id,
        )
    )


def counted(rules: Rules, result: Counted) -> None:
    """Confirm a stocktake: expected, counted, and the loss or surplus kept."""
    stocktake = result.stocktake
    if result.already_recorded:
        say(_("Already recorded (id {id}); nothing written.").format(id=stocktake.id))
    label = rules.label_of_item(stocktake.item)
    if stocktake.difference < 0:
        outcome = _("{count} missing, recorded as a loss").format(
            count=-stocktake.difference
        )
    elif stocktake.difference > 0:
        outcome = _("{count} more than expected, recorded as a surplus").format(
            count=stocktake.difference
        )
    else:
        outcome = _("the books match the shelf")
    say(
        _(
            "Stocktake of {label} ({item}) on {date}: expected {expected}, "
            "counted {counted}: {outcome}. Id: {id}"
        ).format(
            label=label,
            item=stocktake.item,
            date=stocktake.date.isoformat(),
            expected=stocktake.expected,
            counted=stocktake.counted,
            outcome=outcome,
            id=stocktake.id,
        )
    )


def voucher_used(rules: Rules, result: UsedVoucher) -> None:
    """Confirm a voucher taken at its partner shop."""
    voucher = result.voucher
    if result.already_recorded:
        say(_("Already recorded; nothing written."))
    offer = rules.offers.get(voucher.offer)
    say(
        _("Voucher {code} used on {date}: {label} at {partner}, for ").format(
            code=voucher.code,
            date=voucher.used.isoformat() if voucher.used else "",
            label=rules.label_of_item(voucher.offer),
            partner=offer.partner if offer else "",
        ),
        voucher.volunteer,
        ".",
    )


def voucher_list(rules: Rules, issued: Sequence[Voucher], as_json: bool) -> None:
    """Show vouchers: code, volunteer, offer, partner, issued and used dates."""
    rows = [
        {
            "code": voucher.code,
            "volunteer": voucher.volunteer,
            "offer": voucher.offer,
            "label": rules.label_of_item(voucher.offer),
            "partner": rules.offers[voucher.offer].partner
            if voucher.offer in rules.offers
            else None,
            "points": rules.offers[voucher.offer].points
            if voucher.offer in rules.offers
            else None,
            "issued": voucher.issued,
            "used": voucher.used,
        }
        for voucher in issued
    ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        say(_("No vouchers match."))
        return
    table = _table(_("Vouchers"))
    for header in (
        _("Code"),
        _("Volunteer"),
        _("Offer"),
        _("Partner"),
        _("Issued"),
        _("Used"),
    ):
        table.add_column(header, no_wrap=header in (_("Code"), _("Issued"), _("Used")))
    for row in rows:
        table.add_row(
            str(row["code"]),
            _cell(str(row["volunteer"])),
            _cell(str(row["label"])),
            _cell(str(row["partner"] or "")),
            str(row["issued"]),
            str(row["used"] or _("open")),
        )
    out.print(table)


def shelf(rules: Rules, lines: Sequence[ShelfLine], month: str, as_json: bool) -> None:
    """Show the shelf: each good's price and stock, each offer's quota left."""
    if as_json:
        print_json(
            [
                {
                    "item": line.item,
                    "label": line.label,
                    "points": line.points,
                    "stock": line.stock,
                    "partner": line.partner,
                    "redeemed_this_month": line.redeemed_this_month,
                    "low": line.low,
                }
                for line in lines
            ]
        )
        return
    table = _table(
        _("Shelf (积分货架) — {community}: stock now, taken in {month}").format(
            community=rules.community, month=month
        )
    )
    table.add_column(_("Item"), overflow="fold")
    table.add_column(_("Key"), style="dim", overflow="fold")
    table.add_column(_("Points"), justify="right")
    table.add_column(_("In stock"), justify="right", no_wrap=True)
    table.add_column(_("Taken"), justify="right")
    table.add_column(_("Partner"), overflow="fold")
    for line in lines:
        if line.partner is None:
            stock = str(line.stock) + (_(" low") if line.low else "")
        elif line.stock is None:
            stock = "—"
        else:
            stock = _("{left} left").format(left=line.stock)
        table.add_row(
            _cell(line.label),
            line.item,
            str(line.points),
            Text(stock, style="bold red" if line.low else ""),
            str(line.redeemed_this_month),
            _cell(line.partner),
        )
    out.print(table)


# Reading commands ------------------------------------------------------------


def balances(rules: Rules, accounts: Sequence[Account], as_json: bool) -> None:
    """Show each volunteer's points earned, redeemed and left, hours and stars."""
    rows = [
        {
            "name": account.name,
            "team": account.team,
            "earned": account.earned,
            "redeemed": account.redeemed,
            "balance": account.balance,
            "hours": account.hours,
            "stars": rules.stars_for(account.hours),
        }
        for account in accounts
    ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        say(_("No volunteers yet. Register one with `jifen join NAME`."))
        return
    table = _table(_("Balances — {community}").format(community=rules.community))
    for header in (_("Volunteer"), _("Team")):
        table.add_column(header)
    for header in (_("Earned"), _("Redeemed"), _("Balance"), _("Hours")):
        table.add_column(header, justify="right")
    table.add_column(_("Stars"))
    for account in accounts:
        table.add_row(
            _cell(account.name),
            _cell(account.team),
            str(account.earned),
            str(account.redeemed),
            str(account.balance),
            hours_text(account.hours),
            stars_text(rules.stars_for(account.hours)),
        )
    out.print(table)


def passbook(
    rules: Rules,
    volunteer: Volunteer,
    account: Account,
    lines: Sequence[PassbookLine],
    as_json: bool,
) -> None:
    """Show a volunteer's passbook: every line with its running balance."""
    if as_json:
        print_json(
            [
                {
                    "id": line.id,
                    "date": line.date,
                    "kind": line.kind,
                    "what": line.what,
                    "hours": line.hours,
                    "points": line.points,
                    "balance": line.balance,
                    "witness": line.witness,
                    "note": line.note,
                }
                for line in lines
            ]
        )
        return
    heading = [_("Passbook of "), volunteer.name]
    if volunteer.team:
        heading.append(_(", team {team}").format(team=volunteer.team))
    if volunteer.phone:
        heading.append(_(", phone {phone}").format(phone=mask_phone(volunteer.phone)))
    heading.append(_(", joined {date}").format(date=volunteer.date.isoformat()))
    say(*heading)
    if not lines:
        say(_("No entries yet. Log a service with `jifen log NAME ACTIVITY`."))
        return
    table = _table()
    table.add_column(_("Date"), no_wrap=True)
    table.add_column(_("What"), overflow="fold")
    for header in (_("Hours"), _("Points"), _("Balance")):
        table.add_column(header, justify="right")
    table.add_column(_("Witness"))
    table.add_column(_("Id"), style="dim", no_wrap=True, min_width=12)
    for line in lines:
        table.add_row(
            line.date.isoformat(),
            Text.assemble(line.what, ("\n" + line.note, "dim") if line.note else ""),
            hours_text(line.hours),
            format_points(line.points),
            str(line.balance),
            _cell(line.witness),
            line.id,
        )
    out.print(table)
    say(
        _(
            "Balance: {balance} points; earned {earned}, redeemed {redeemed}; {hours} h, {stars}"
        ).format(
            balance=account.balance,
            earned=account.earned,
            redeemed=account.redeemed,
            hours=hours_text(account.hours),
            stars=stars_text(rules.stars_for(account.hours)),
        )
    )


def section_table(section: Section) -> Table:
    """Return one section of a document as a terminal table."""
    table = _table(section.title)
    for column, name in enumerate(section.columns):
        table.add_column(
            name, justify="right" if section.is_numeric(column) else "left"
        )
    for row in section.rows:
        table.add_row(*(_cell(text) for text in row))
    return table


def board(rules: Rules, rows: Sequence[BoardRow], period: str, as_json: bool) -> None:
    """Show the leaderboard for a period."""
    if as_json:
        print_json(board_values(rows))
        return
    if not rows:
        say(_("No services logged in {period} yet.").format(period=period))
        return
    title = _("Leaderboard (积分榜) — {community}, {period}").format(
        community=rules.community, period=period
    )
    out.print(section_table(board_section(title, rows)))


def report(monthly: MonthlyReport) -> None:
    """Show the monthly summary on the terminal, section after section."""
    say(Text(title_of(monthly), style="bold"))
    if monthly.empty:
        say(empty_message(monthly))
        return
    for section in sections(monthly):
        out.print()
        out.print(section_table(section))


def rules_overview(rules: Rules, as_json: bool) -> None:
    """Show the activities and how each is scored, the levels, and the catalog."""
    if as_json:
        print_json(
            {
                "community": rules.community,
                "timezone": rules.timezone,
                "activities": [
                    {
                        "key": activity.key,
                        "label": activity.label,
                        "per": activity.per,
                        "points": activity.points,
                        "aliases": list(activity.aliases),
                        "max_hours_per_day": activity.max_hours_per_day,
                    }
                    for activity in rules.activities.values()
                ],
                "levels": [
                    {"key": level.key, "label": level.label, "bonus": level.bonus}
                    for level in rules.levels.values()
                ],
                "items": [
                    {"key": item.key, "label": item.label, "points": item.points}
                    for item in rules.items.values()
                ],
                "offers": [
                    {
                        "key": offer.key,
                        "label": offer.label,
                        "partner": offer.partner,
                        "points": offer.points,
                        "monthly_quota": offer.monthly_quota,
                    }
                    for offer in rules.offers.values()
                ],
                "shelf": {
                    "low_stock": rules.shelf.low_stock,
                    "min_balance": rules.shelf.min_balance,
                    "once_per": rules.shelf.once_per,
                },
                "stars": list(rules.stars),
            }
        )
        return
    activities = _table(_("Activities — {community}").format(community=rules.community))
    activities.add_column(_("Key"))
    activities.add_column(_("Label"))
    activities.add_column(_("Scoring"))
    activities.add_column(_("Also called"))
    for activity in rules.activities.values():
        scoring = (
            _("{points} per full hour").format(points=activity.points)
            if activity.per_hour
            else _("{points} per {per}").format(
                points=activity.points, per=activity.per
            )
        )
        if activity.max_hours_per_day is not None:
            scoring += _(", at most {cap} h a day").format(
                cap=activity.max_hours_per_day
            )
        activities.add_row(
            activity.key,
            _cell(activity.label),
            scoring,
            _cell(" ".join(activity.aliases)),
        )
    out.print(activities)
    out.print()
    if rules.levels:
        levels = _table(_("Difficulty levels (--level)"))
        levels.add_column(_("Key"))
        levels.add_column(_("Label"))
        levels.add_column(_("Bonus per hour or time"), justify="right")
        for level in rules.levels.values():
            levels.add_row(level.key, _cell(level.label), f"+{level.bonus}")
        out.print(levels)
        out.print()
    items = _table(_("Shelf (积分货架)"))
    items.add_column(_("Key"))
    items.add_column(_("Label"))
    items.add_column(_("Points"), justify="right")
    items.add_column(_("Also called"))
    for item in rules.items.values():
        items.add_row(
            item.key, _cell(item.label), str(item.points), _cell(" ".join(item.aliases))
        )
    out.print(items)
    if rules.offers:
        offers = _table(_("Partner offers (合作商户), paid by voucher"))
        offers.add_column(_("Key"))
        offers.add_column(_("Label"))
        offers.add_column(_("Partner"))
        offers.add_column(_("Points"), justify="right")
        offers.add_column(_("A month"), justify="right")
        for offer in rules.offers.values():
            offers.add_row(
                offer.key,
                _cell(offer.label),
                _cell(offer.partner),
                str(offer.points),
                "—" if offer.monthly_quota is None else str(offer.monthly_quota),
            )
        out.print()
        out.print(offers)
    out.print()
    limits = [_("low stock at {count} or fewer").format(count=rules.shelf.low_stock)]
    if rules.shelf.min_balance:
        limits.append(
            _("redeeming from {points} points up").format(
                points=rules.shelf.min_balance
            )
        )
    if rules.shelf.once_per:
        limits.append(
            _("one redemption per {period}").format(
                period=period_name(rules.shelf.once_per)
            )
        )
    say(_("Shelf limits: {limits}.").format(limits="; ".join(limits)))
    say(
        _("Star levels by service hours: {levels}").format(
            levels=", ".join(
                f"{'★' * number} {hours} h"
                for number, hours in enumerate(rules.stars, 1)
            )
        )
    )
