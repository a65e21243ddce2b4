"""Corrections (冲正): finding an entry by its id and deciding whether it may be voided.

A mistake is never erased. A `Void` entry is appended to the same file, and
from then on the entry it names counts for nothing: balance, stock and
vouchers are as if it had not happened, while the passbook shows both lines.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from jifen.accounts import account_of
from jifen.errors import JifenError
from jifen.events import (
    Redemption,
    Restock,
    Seal,
    Service,
    ShelfEntry,
    Stocktake,
    Void,
    VolunteerHistory,
    VoucherUse,
    live_shelf_events,
)
from jifen.i18n import _
from jifen.rules import Rules
from jifen.shelf import redeemed_quantities, stock_levels, taken_lines

Correctable = Service | Redemption | Restock | Stocktake | VoucherUse


@dataclass(frozen=True)
class FoundEntry:
    """An entry found by its id, and the volunteer whose file holds it (None: the shelf)."""

    entry: Correctable
    history: VolunteerHistory | None
    voided_by: Void | None = None


def find_entry(
    histories: Sequence[VolunteerHistory],
    shelf_entries: Sequence[ShelfEntry],
    wanted: str,
    retried_id: str | None = None,
) -> FoundEntry:
    """Return the entry with id `wanted`, refusing what cannot be voided.

    An entry already voided by the correction `retried_id` is returned with
    that correction, so a retried command can answer "already recorded".
    """
    places: list[
        tuple[VolunteerHistory | None, Sequence[Service | Redemption | ShelfEntry]]
    ]
    places = [(history, history.entries) for history in histories]
    places.append((None, shelf_entries))
    for history, entries in places:
        if history is not None and history.volunteer.id == wanted:
            raise JifenError(
                _(
                    "{id} is the registration of {name}; a registration cannot be "
                    "voided, only the entries after it"
                ).format(id=wanted, name=history.volunteer.name)
            )
        for entry in entries:
            if entry.id != wanted:
                continue
            if isinstance(entry, Void):
                raise JifenError(
                    _(
                        "{id} is itself a correction (of {target}); it cannot be voided"
                    ).format(id=wanted, target=entry.target)
                )
            if isinstance(entry, Seal):
                raise JifenError(
                    _("{id} is a seal of a hand edit; it cannot be voided").format(
                        id=wanted
                    )
                )
            earlier = next(
                (
                    other
                    for other in entries
                    if isinstance(other, Void) and other.target == wanted
                ),
                None,
            )
            if earlier is not None and earlier.id == retried_id:
                return FoundEntry(entry, history, voided_by=earlier)
            if earlier is not None:
                raise JifenError(
                    _("{id} was already voided on {date} (id {void}): {reason}").format(
                        id=wanted,
                        date=earlier.date.isoformat(),
                        void=earlier.id,
                        reason=earlier.reason,
                    )
                )
            return FoundEntry(entry, history)
    raise JifenError(
        _(
            "no entry with id {id!r}; the id is shown when an entry is made and in "
            "the passbook (`jifen passbook NAME`)"
        ).format(id=wanted)
    )


def check_void(
    rules: Rules,
    found: FoundEntry,
    histories: Sequence[VolunteerHistory],
    shelf_entries: Sequence[ShelfEntry],
    date: dt.date,
) -> None:
    """Refuse a correction that would leave a balance or stock below zero."""
    entry = found.entry
    if date < entry.date:
        raise JifenError(
            _(
                "{id} is dated {entry_date}; its correction cannot be dated before "
                "that; check --date"
            ).format(id=entry.id, entry_date=entry.date.isoformat())
        )
    shelf_events = live_shelf_events(shelf_entries)
    if isinstance(entry, Service):
        assert found.history is not None
        left = account_of(found.history).balance - entry.points
        if left < 0:
            raise JifenError(
                _(
                    "voiding {id} would leave {name} at {left} points, because the "
                    "points were already spent; void the redemption first"
                ).format(id=entry.id, name=found.history.volunteer.name, left=left)
            )
    elif isinstance(entry, Redemption):
        codes = {code for line in entry.items for code in line.vouchers}
        for event in shelf_events:
            if isinstance(event, VoucherUse) and event.code in codes:
                raise JifenError(
                    _(
                        "voucher {code} of {id} was used at the shop on {date}; "
                        "void that use first (id {use})"
                    ).format(
                        code=event.code,
                        id=entry.id,
                        date=event.date.isoformat(),
                        use=event.id,
                    )
                )
    elif isinstance(entry, Restock | Stocktake):
        taken = [line for history in histories for line in taken_lines(history)]
        stock = stock_levels(shelf_events, redeemed_quantities(taken))[entry.item]
        change = entry.qty if isinstance(entry, Restock) else entry.difference
        if stock - change < 0:
            raise JifenError(
                _(
                    "voiding {id} would leave {label} at {left} in stock, because "
                    "some were already handed out; count the shelf with "
                    "`jifen stocktake` instead"
                ).format(
                    id=entry.id,
                    label=rules.label_of_item(entry.item),
                    left=stock - change,
                )
            )
