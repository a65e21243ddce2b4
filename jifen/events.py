"""The events a ledger is made of: one JSON object per line in `data/`.

Each volunteer's file starts with their `volunteer` record and continues with
their services and redemptions. Every event carries the schema version, a
unique id, the calendar date it happened (in the community's time zone), the
moment it was recorded and who recorded it. Points are stored as integers,
hours as exact decimals written as JSON strings ("1.5").
"""

import datetime as dt
import functools
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import cast

import msgspec

SCHEMA_VERSION = 1

_ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_id() -> str:
    """Return a fresh random event id: 12 characters, 60 random bits."""
    number = secrets.randbits(60)
    return "".join(_ID_ALPHABET[(number >> shift) & 31] for shift in range(55, -1, -5))


def new_voucher_code() -> str:
    """Return a short voucher code that is easy to read aloud: no 0/O, 1/I/L."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))


class _Event(msgspec.Struct, frozen=True, kw_only=True, tag_field="kind"):
    v: int = SCHEMA_VERSION
    id: str
    date: dt.date
    at: dt.datetime
    by: str
    # Chains the line to the one before it; see `sealed_line`.
    digest: str = ""


class Volunteer(_Event, frozen=True, kw_only=True, tag="volunteer"):
    """A volunteer joins: the first line of their file. `date` is the day they joined."""

    name: str
    team: str | None = None
    phone: str | None = None
    note: str | None = None


class Service(_Event, frozen=True, kw_only=True, tag="service"):
    """A service done for the neighbourhood, with the points it earned."""

    activity: str
    points: int
    hours: Decimal | None = None
    times: int = 1
    level: str | None = None
    witness: str | None = None
    note: str | None = None


class RedeemedItem(msgspec.Struct, frozen=True, omit_defaults=True):
    """One line of a redemption: an item, how many, and the points they cost.

    A partner service issues one voucher per unit; its codes are kept here.
    """

    item: str
    qty: int
    points: int
    vouchers: tuple[str, ...] = ()


class Redemption(_Event, frozen=True, kw_only=True, tag="redemption"):
    """Goods taken from the shelf for points; `points` is the positive total spent."""

    items: tuple[RedeemedItem, ...]
    points: int
    note: str | None = None


class Restock(_Event, frozen=True, kw_only=True, tag="restock"):
    """Goods arrive on the shelf."""

    item: str
    qty: int
    note: str | None = None


class Stocktake(_Event, frozen=True, kw_only=True, tag="stocktake"):
    """A physical count (盘点). `difference` is counted − expected: a loss when below 0."""

    item: str
    counted: int
    expected: int
    difference: int
    note: str | None = None


class VoucherUse(_Event, frozen=True, kw_only=True, tag="voucher_use"):
    """A partner shop took a voucher; each code can be used once."""

    code: str
    note: str | None = None


class Void(_Event, frozen=True, kw_only=True, tag="void"):
    """A reversal (冲正) of an earlier entry in the same file.

    The entry stays where it is, and from now on it counts for nothing.
    """

    target: str
    reason: str


class Seal(_Event, frozen=True, kw_only=True, tag="seal"):
    """Someone vouches for a file edited by hand: everything before this line.

    `covers` is the SHA-256 of every byte before the seal, so a later change
    to those lines is found again.
    """

    reason: str
    covers: str


Event = (
    Volunteer | Service | Redemption | Restock | Stocktake | VoucherUse | Void | Seal
)
ShelfEvent = Restock | Stocktake | VoucherUse
VolunteerEntry = Service | Redemption | Void | Seal
ShelfEntry = Restock | Stocktake | VoucherUse | Void | Seal

encoder = msgspec.json.Encoder()
decoder = msgspec.json.Decoder(Event)


def encode_line(event: Event) -> bytes:
    """Return the event as one JSON line, newline included."""
    return encoder.encode(event) + b"\n"


def chain_digest(previous: str, event: Event) -> str:
    """Return the digest of an event chained to the digest of the line before it.

    The digest covers the event's own content (written with an empty digest)
    and the previous line's digest, so a line changed, removed or moved by
    hand no longer matches. It is evidence of editing, not a secret: a person
    who knows the rule can recompute it, which `jifen check` cannot tell.
    """
    content = encoder.encode(msgspec.structs.replace(event, digest=""))
    return hashlib.sha256(previous.encode("utf-8") + b"\n" + content).hexdigest()[:16]


def sealed_line(event: Event, previous: str) -> bytes:
    """Return the event as one JSON line carrying its chained digest."""
    digest = chain_digest(previous, event)
    return encode_line(msgspec.structs.replace(event, digest=digest))


class _DigestOnly(msgspec.Struct):
    digest: str = ""


_digest_decoder = msgspec.json.Decoder(_DigestOnly)


def digest_of_line(line: bytes) -> str:
    """Return the digest a stored line carries ("" for none or an unreadable line)."""
    try:
        return _digest_decoder.decode(line).digest
    except msgspec.DecodeError:
        return ""


def without_voided(entries: Iterable[Event]) -> list[Event]:
    """Return the entries that still count: neither voided nor a void themselves."""
    listed = list(entries)
    voided = {entry.target for entry in listed if isinstance(entry, Void)}
    return [
        entry
        for entry in listed
        if not isinstance(entry, Void | Seal) and entry.id not in voided
    ]


def live_shelf_events(entries: Iterable[ShelfEntry]) -> list[ShelfEvent]:
    """Return the shelf's restocks, stocktakes and voucher uses that still count."""
    return cast(list[ShelfEvent], without_voided(entries))


@dataclass(frozen=True)
class VolunteerHistory:
    """One volunteer's file as read: their record, then every entry in file order."""

    path: Path
    volunteer: Volunteer
    entries: tuple[VolunteerEntry, ...]

    @functools.cached_property
    def events(self) -> tuple[Service | Redemption, ...]:
        """The services and redemptions that count: voided ones left out."""
        return tuple(cast(list[Service | Redemption], without_voided(self.entries)))
