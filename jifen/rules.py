"""Loading `rules.toml` into typed, validated, immutable rules.

The rules say how each service is scored and what the shelf offers. Every
problem in the file is reported as `FILE:LINE: message` with the fix, and a
broken file never gets as far as scoring anything.
"""

import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Protocol, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomli_w

from jifen.errors import JifenError
from jifen.i18n import _
from jifen.text import fold, suggest

Per = Literal["hour", "session", "case", "job"]
PER_VALUES: tuple[Per, ...] = ("hour", "session", "case", "job")
DEFAULT_STARS = (100, 300, 600, 1000, 1500)
DEFAULT_RULES_PATH = Path(__file__).parent / "default_rules.toml"

_KEY_PATTERN = re.compile(r"[a-z][a-z0-9_-]*")


@dataclass(frozen=True)
class Activity:
    """A kind of service and how it is scored."""

    key: str
    label: str
    per: Per
    points: int
    aliases: tuple[str, ...] = ()
    max_hours_per_day: int | None = None

    @property
    def per_hour(self) -> bool:
        """Whether points are earned for each full hour rather than each session."""
        return self.per == "hour"


@dataclass(frozen=True)
class Level:
    """A difficulty level: its bonus is added to the points of each counted unit."""

    key: str
    label: str
    bonus: int
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """A good on the shelf, priced in points, counted in stock."""

    key: str
    label: str
    points: int
    aliases: tuple[str, ...] = ()
    low_stock: int | None = None


@dataclass(frozen=True)
class Offer:
    """A partner shop's service or discount, priced in points, paid by voucher."""

    key: str
    label: str
    points: int
    partner: str
    aliases: tuple[str, ...] = ()
    monthly_quota: int | None = None


OncePer = Literal["month", "quarter", "year"]
ONCE_PER_VALUES: tuple[OncePer, ...] = ("month", "quarter", "year")


@dataclass(frozen=True)
class ShelfSettings:
    """Limits a community may set on redeeming."""

    low_stock: int = 5
    min_balance: int = 0
    once_per: OncePer | None = None


@dataclass(frozen=True)
class Rules:
    """Everything `rules.toml` says, validated."""

    community: str
    timezone: str
    activities: Mapping[str, Activity]
    levels: Mapping[str, Level]
    items: Mapping[str, Item]
    offers: Mapping[str, Offer] = field(default_factory=dict)
    shelf: ShelfSettings = ShelfSettings()
    stars: tuple[int, ...] = DEFAULT_STARS
    path: Path | None = None

    def today(self) -> dt.date:
        """Return today's date in the community's time zone."""
        return dt.datetime.now(ZoneInfo(self.timezone)).date()

    def find_activity(self, text: str) -> Activity:
        """Return the activity a person means by its key, label or alias."""
        key = _look_up(text, self.activities, _("activity"), "jifen rules")
        return self.activities[key]

    def find_level(self, text: str) -> Level:
        """Return the difficulty level a person means by its key, label or alias."""
        key = _look_up(text, self.levels, _("level"), "jifen rules")
        return self.levels[key]

    def find_item(self, text: str) -> Item:
        """Return the good a person means by its key, label or alias.

        A partner offer is refused by name: it has no stock to restock or count.
        """
        reward = self.find_reward(text)
        if isinstance(reward, Offer):
            raise JifenError(
                _(
                    "{key} ({label}) is a service of {partner}, paid by voucher; "
                    "it has no stock to restock or count"
                ).format(key=reward.key, label=reward.label, partner=reward.partner)
            )
        return reward

    def find_reward(self, text: str) -> Item | Offer:
        """Return the good or partner offer a person means."""
        rewards: dict[str, Item | Offer] = {**self.items, **self.offers}
        return rewards[_look_up(text, rewards, _("item"), "jifen shelf")]

    def low_stock_of(self, item: Item) -> int:
        """Return the stock at or below which an item is marked low."""
        return self.shelf.low_stock if item.low_stock is None else item.low_stock

    def stars_for(self, hours: Decimal) -> int:
        """Return the star level reached with `hours` of cumulative service."""
        return sum(1 for threshold in self.stars if hours >= threshold)

    def label_of_activity(self, key: str) -> str:
        """Return the label of an activity, or its key if the rules dropped it."""
        activity = self.activities.get(key)
        return activity.label if activity else key

    def label_of_item(self, key: str) -> str:
        """Return the label of a good or offer, or its key if the rules dropped it."""
        reward = self.items.get(key) or self.offers.get(key)
        return reward.label if reward else key


class _Named(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...


def _spellings(entry: _Named) -> list[str]:
    return [entry.key, entry.label, *entry.aliases]


def _look_up(text: str, table: Mapping[str, _Named], what: str, hint: str) -> str:
    wanted = fold(text).casefold()
    for key, entry in table.items():
        if wanted in (fold(spelling).casefold() for spelling in _spellings(entry)):
            return key
    spellings = {
        spelling: key for key, entry in table.items() for spelling in _spellings(entry)
    }
    close = suggest(fold(text), spellings)
    if close:
        best = spellings[close[0]]
        return _raise(
            _("no {what} {text!r}; did you mean {key!r} ({label})?").format(
                what=what, text=fold(text), key=best, label=table[best].label
            )
        )
    return _raise(
        _("no {what} {text!r}; type `{hint}` to see them all").format(
            what=what, text=fold(text), hint=hint
        )
    )


def _raise(message: str) -> str:
    raise JifenError(message)


# Loading --------------------------------------------------------------------


def default_rules_text(community: str | None = None) -> str:
    """Return the default rules.toml, with the community's name put in if given."""
    text = DEFAULT_RULES_PATH.read_text(encoding="utf-8")
    if community is None:
        return text
    default_name = tomllib.loads(text)["community"]["name"]
    line = tomli_w.dumps({"name": default_name}).strip()
    return text.replace(line, tomli_w.dumps({"name": community}).strip(), 1)


def load_rules(path: Path) -> Rules:
    """Read and validate a rules file, raising one JifenError for the first problem."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise JifenError(
            _("{path}: no rules file; type `jifen init` to make a new home").format(
                path=path
            )
        ) from None
    except OSError as error:
        raise JifenError(
            _("{path}: cannot read it ({reason})").format(
                path=path, reason=error.strerror
            )
        ) from None
    return parse_rules(raw, path)


def parse_rules(raw: bytes, path: Path) -> Rules:
    """Validate the bytes of a rules file (a UTF-8 BOM is accepted)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise JifenError(
            _(
                "{path}: the file is not UTF-8; save it again with UTF-8 encoding"
            ).format(path=path)
        ) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _line_of_syntax_error(str(error))
        raise JifenError(
            _(
                "{where}: {reason}; put text in double quotes, e.g. "
                'label = "大米", and keep keys plain ASCII such as rice'
            ).format(where=_where(path, line), reason=str(error))
        ) from None
    return _Reader(text, path).read(document)


def _line_of_syntax_error(message: str) -> int | None:
    match = re.search(r"at line (\d+)", message)
    return int(match[1]) if match else None


def _where(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line else str(path)


class _Reader:
    """Turns a parsed TOML document into Rules, naming the line of each problem."""

    TOP_LEVEL = (
        "community",
        "stars",
        "levels",
        "activities",
        "shelf",
        "items",
        "offers",
    )

    def __init__(self, text: str, path: Path) -> None:
        self.lines = text.splitlines()
        self.path = path

    def fail(self, table: str, field_name: str | None, message: str) -> JifenError:
        line = self.line_of(table, field_name)
        return JifenError(f"{_where(self.path, line)}: {message}")

    def line_of(self, table: str, field_name: str | None) -> int | None:
        """Find the line of `field_name` inside `[table]`, or of the header itself."""
        header = re.compile(
            r"\s*\[\s*"
            + r"\s*\.\s*".join(map(_key_pattern, table.split(".")))
            + r"\s*\]"
        )
        start = next(
            (number for number, line in enumerate(self.lines) if header.match(line)),
            None,
        )
        if start is None:
            return None
        if field_name is None:
            return start + 1
        assignment = re.compile(r"\s*" + _key_pattern(field_name) + r"\s*=")
        for number in range(start + 1, len(self.lines)):
            line = self.lines[number]
            if line.lstrip().startswith("["):
                break
            if assignment.match(line):
                return number + 1
        return start + 1

    def line_of_top_level(self, name: str) -> int | None:
        """Find where `name` opens at the top level: `name = ...` or `[name...]`."""
        key = _key_pattern(name)
        header = re.compile(r"\s*\[+\s*" + key + r"\s*[.\]]")
        assignment = re.compile(r"\s*" + key + r"\s*=")
        inside_a_table = False
        for number, line in enumerate(self.lines, start=1):
            if header.match(line):
                return number
            inside_a_table = inside_a_table or line.lstrip().startswith("[")
            if not inside_a_table and assignment.match(line):
                return number
        return None

    def read(self, document: dict[str, Any]) -> Rules:
        self.check_fields("", document, self.TOP_LEVEL)
        community = self.table(document, "community")
        self.check_fields("community", community, ("name", "timezone"))
        name = self.text(community, "community", "name", default=_("our community"))
        timezone = self.text(
            community, "community", "timezone", default="Asia/Shanghai"
        )
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail(
                "community",
                "timezone",
                _(
                    'unknown time zone {zone!r}; use e.g. timezone = "Asia/Shanghai"'
                ).format(zone=timezone),
            ) from None

        stars_table = self.table(document, "stars")
        self.check_fields("stars", stars_table, ("hours",))
        stars = self.stars(stars_table)

        levels = {
            key: Level(
                key=key,
                label=self.text(entry, f"levels.{key}", "label", default=key),
                bonus=self.whole(entry, f"levels.{key}", "bonus"),
                aliases=self.aliases(entry, f"levels.{key}"),
            )
            for key, entry in self.entries(
                document, "levels", ("label", "bonus", "aliases")
            )
        }
        activities = {
            key: self.activity(key, entry)
            for key, entry in self.entries(
                document,
                "activities",
                ("label", "per", "points", "aliases", "max_hours_per_day"),
            )
        }
        if not activities:
            raise self.fail(
                "activities",
                None,
                _(
                    "no activities; add one, e.g. [activities.cleanup] with per and points"
                ),
            )
        items = {
            key: Item(
                key=key,
                label=self.text(entry, f"items.{key}", "label", default=key),
                points=self.whole(entry, f"items.{key}", "points", minimum=1),
                aliases=self.aliases(entry, f"items.{key}"),
                low_stock=self.optional_whole(entry, f"items.{key}", "low_stock"),
            )
            for key, entry in self.entries(
                document, "items", ("label", "points", "aliases", "low_stock")
            )
        }
        offers = {
            key: Offer(
                key=key,
                label=self.text(entry, f"offers.{key}", "label", default=key),
                points=self.whole(entry, f"offers.{key}", "points", minimum=1),
                partner=self.text(entry, f"offers.{key}", "partner", default=None),
                aliases=self.aliases(entry, f"offers.{key}"),
                monthly_quota=self.optional_whole(
                    entry, f"offers.{key}", "monthly_quota", minimum=1
                ),
            )
            for key, entry in self.entries(
                document,
                "offers",
                ("label", "points", "partner", "aliases", "monthly_quota"),
            )
        }
        for key in items.keys() & offers.keys():
            raise self.fail(
                f"offers.{key}",
                None,
                _(
                    "{key!r} is both a good and an offer; give the offer another key"
                ).format(key=key),
            )
        rewards: list[_Named] = [*items.values(), *offers.values()]
        self.check_unique_spellings("activities", activities.values())
        self.check_unique_spellings("levels", levels.values())
        self.check_unique_spellings("items", rewards)
        return Rules(
            community=name,
            timezone=timezone,
            activities=activities,
            levels=levels,
            items=items,
            offers=offers,
            shelf=self.shelf_settings(self.table(document, "shelf")),
            stars=stars,
            path=self.path,
        )

    def shelf_settings(self, table: dict[str, Any]) -> ShelfSettings:
        self.check_fields("shelf", table, ("low_stock", "min_balance", "once_per"))
        once_per = table.get("once_per")
        if once_per is not None and once_per not in ONCE_PER_VALUES:
            close = suggest(str(once_per), ONCE_PER_VALUES)
            hint = (
                _("did you mean once_per = {value!r}?").format(value=close[0])
                if close
                else _("use one of: {values}").format(values=", ".join(ONCE_PER_VALUES))
            )
            raise self.fail(
                "shelf",
                "once_per",
                _("once_per = {value!r} is not known; {hint}").format(
                    value=once_per, hint=hint
                ),
            )
        defaults = ShelfSettings()
        low_stock = self.optional_whole(table, "shelf", "low_stock")
        min_balance = self.optional_whole(table, "shelf", "min_balance")
        return ShelfSettings(
            low_stock=defaults.low_stock if low_stock is None else low_stock,
            min_balance=defaults.min_balance if min_balance is None else min_balance,
            once_per=cast(OncePer | None, once_per),
        )

    def optional_whole(
        self, entry: dict[str, Any], table: str, name: str, minimum: int = 0
    ) -> int | None:
        return None if name not in entry else self.whole(entry, table, name, minimum)

    def activity(self, key: str, entry: dict[str, Any]) -> Activity:
        table = f"activities.{key}"
        per = self.text(entry, table, "per", default=None)
        if per not in PER_VALUES:
            close = suggest(str(per), PER_VALUES)
            hint = (
                _("did you mean per = {per!r}?").format(per=close[0])
                if close
                else _("use one of: {values}").format(values=", ".join(PER_VALUES))
            )
            raise self.fail(
                table,
                "per",
                _("per = {per!r} is not known; {hint}").format(per=per, hint=hint),
            )
        return Activity(
            key=key,
            label=self.text(entry, table, "label", default=key),
            per=cast(Per, per),
            points=self.whole(entry, table, "points"),
            aliases=self.aliases(entry, table),
            max_hours_per_day=self.optional_whole(
                entry, table, "max_hours_per_day", minimum=1
            ),
        )

    def stars(self, table: dict[str, Any]) -> tuple[int, ...]:
        hours = table.get("hours", list(DEFAULT_STARS))
        if (
            not isinstance(hours, list)
            or not hours
            or not all(isinstance(value, int) and value > 0 for value in hours)
            or hours != sorted(set(hours))
        ):
            raise self.fail(
                "stars",
                "hours",
                _("hours must be rising whole numbers, e.g. hours = [100, 300, 600]"),
            )
        return tuple(hours)

    def table(self, document: dict[str, Any], name: str) -> dict[str, Any]:
        value = document.get(name, {})
        if not isinstance(value, dict):
            raise self.fail(
                name,
                None,
                _("{name} must be a table, written [{name}]").format(name=name),
            )
        return value

    def entries(
        self, document: dict[str, Any], section: str, allowed: tuple[str, ...]
    ) -> Iterable[tuple[str, dict[str, Any]]]:
        for key, entry in self.table(document, section).items():
            table = f"{section}.{key}"
            if not _KEY_PATTERN.fullmatch(key):
                raise self.fail(
                    table,
                    None,
                    _(
                        "the key {key!r} must be plain lowercase ASCII such as 'rice'; "
                        'put Chinese in label = "..." or aliases'
                    ).format(key=key),
                )
            if not isinstance(entry, dict):
                raise self.fail(
                    section,
                    key,
                    _("{table} must be a table, written [{table}]").format(table=table),
                )
            self.check_fields(table, entry, allowed)
            yield key, entry

    def check_fields(
        self, table: str, entry: dict[str, Any], allowed: tuple[str, ...]
    ) -> None:
        for name in entry:
            if name not in allowed:
                close = suggest(name, allowed)
                hint = (
                    _("did you mean {name!r}?").format(name=close[0])
                    if close
                    else _("allowed here: {names}").format(names=", ".join(allowed))
                )
                where = f"[{table}]" if table else _("the top level")
                message = _("unknown field {name!r} in {where}; {hint}").format(
                    name=name, where=where, hint=hint
                )
                if not table:
                    line = self.line_of_top_level(name)
                    raise JifenError(f"{_where(self.path, line)}: {message}")
                raise self.fail(table, name, message)

    def text(
        self, entry: dict[str, Any], table: str, name: str, default: str | None
    ) -> Any:
        value = entry.get(name, default)
        if value is None:
            raise self.fail(
                table,
                None,
                _("[{table}] needs {name} = ...").format(table=table, name=name),
            )
        if not isinstance(value, str) or not fold(value):
            raise self.fail(
                table,
                name,
                _('{name} must be text in double quotes, e.g. {name} = "..."').format(
                    name=name
                ),
            )
        return fold(value)

    def whole(
        self, entry: dict[str, Any], table: str, name: str, minimum: int = 0
    ) -> int:
        if name not in entry:
            raise self.fail(
                table,
                None,
                _("[{table}] needs {name} = a whole number").format(
                    table=table, name=name
                ),
            )
        value = entry[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.fail(
                table,
                name,
                _(
                    "{name} = {value!r} must be a whole number of at least {minimum}"
                ).format(name=name, value=value, minimum=minimum),
            )
        return value

    def aliases(self, entry: dict[str, Any], table: str) -> tuple[str, ...]:
        value = entry.get("aliases", [])
        if not isinstance(value, list) or not all(
            isinstance(alias, str) and fold(alias) for alias in value
        ):
            raise self.fail(
                table,
                "aliases",
                _('aliases must be a list of text, e.g. aliases = ["米", "dami"]'),
            )
        return tuple(fold(alias) for alias in value)

    def check_unique_spellings(self, section: str, entries: Iterable[_Named]) -> None:
        owner: dict[str, str] = {}
        for entry in entries:
            for spelling in dict.fromkeys(s.casefold() for s in _spellings(entry)):
                if spelling in owner and owner[spelling] != entry.key:
                    table = "offers" if isinstance(entry, Offer) else section
                    raise self.fail(
                        f"{table}.{entry.key}",
                        "aliases",
                        _(
                            "{spelling!r} already names {other!r}; give each a distinct alias"
                        ).format(spelling=spelling, other=owner[spelling]),
                    )
                owner[spelling] = entry.key


def _key_pattern(key: str) -> str:
    escaped = re.escape(key)
    return rf"(?:{escaped}|\"{escaped}\"|'{escaped}')"
