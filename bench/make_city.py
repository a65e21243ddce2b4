"""Write a synthetic city-sized ledger home for benchmarks.

    python bench/make_city.py /tmp/city --events 1000000 --volunteers 30000

The files are written in bulk in jifen's own format (the same event structs
and encoder the store uses), because logging a million services one command
at a time would take hours. Points follow the default rules. Deterministic
for a given seed.
"""

import argparse
import datetime as dt
import random
import shutil
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import msgspec

from jifen.events import (
    Event,
    RedeemedItem,
    Redemption,
    Restock,
    Service,
    Volunteer,
    chain_digest,
    encode_line,
)
from jifen.rules import DEFAULT_RULES_PATH, load_rules
from jifen.scoring import score_service
from jifen.store import DATA_DIR, RULES_FILE, SHELF_FILE, VOLUNTEERS_DIR, file_stem

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "大江红英永和秀兰建国桂芳志强海燕玉梅德明淑珍国庆丽华文军"
HOURS = [Decimal(text) for text in ("1", "1.5", "2", "2.5", "3")]
ZONE = ZoneInfo("Asia/Shanghai")


def chained(events: list[Event]) -> bytes:
    """Return events as the store writes them: one line each, digests chained."""
    lines = []
    previous = ""
    for event in events:
        digest = chain_digest(previous, event)
        lines.append(encode_line(msgspec.structs.replace(event, digest=digest)))
        previous = digest
    return b"".join(lines)


def make_city(home: Path, events: int, volunteers: int, seed: int) -> None:
    """Write rules.toml and data/ for a city of `volunteers` and `events`."""
    rng = random.Random(seed)
    if home.exists():
        shutil.rmtree(home)
    (home / DATA_DIR / VOLUNTEERS_DIR).mkdir(parents=True)
    shutil.copyfile(DEFAULT_RULES_PATH, home / RULES_FILE)
    rules = load_rules(home / RULES_FILE)
    activities = list(rules.activities.values())
    goods = list(rules.items.values())
    start = dt.date(2024, 1, 1)

    names = [
        f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{number}"
        for number in range(volunteers)
    ]
    lines: dict[str, list[Event]] = {}
    balances = dict.fromkeys(names, 0)
    for number, name in enumerate(names):
        record = Volunteer(
            id=f"v{number}",
            date=start,
            at=dt.datetime(2024, 1, 1, 9, tzinfo=ZONE),
            by="bench",
            name=name,
            team=f"t{number % 8}",
        )
        lines[name] = [record]

    days = sorted(rng.randrange(730) for _ in range(events))
    redeemed = 0
    for number, day in enumerate(days):
        date = start + dt.timedelta(days=day)
        moment = dt.datetime.combine(date, dt.time(18), tzinfo=ZONE)
        name = rng.choice(names)
        if balances[name] >= 60 and rng.random() < 0.08:
            good = rng.choice(goods)
            if good.points <= balances[name]:
                balances[name] -= good.points
                redeemed += 1
                event: Service | Redemption = Redemption(
                    id=f"e{number}",
                    date=date,
                    at=moment,
                    by="bench",
                    items=(RedeemedItem(good.key, 1, good.points),),
                    points=good.points,
                )
                lines[name].append(event)
                continue
        activity = rng.choice(activities)
        hours = rng.choice(HOURS) if activity.per_hour else None
        points = score_service(activity, hours=hours)
        balances[name] += points
        event = Service(
            id=f"e{number}",
            date=date,
            at=moment,
            by="bench",
            activity=activity.key,
            points=points,
            hours=hours,
        )
        lines[name].append(event)

    for name, encoded in lines.items():
        path = home / DATA_DIR / VOLUNTEERS_DIR / f"{file_stem(name)}.jsonl"
        path.write_bytes(chained(encoded))
    restocks: list[Event] = [
        Restock(
            id=f"stock-{good.key}",
            date=start,
            at=dt.datetime(2024, 1, 1, 8, tzinfo=ZONE),
            by="bench",
            item=good.key,
            qty=events,
        )
        for good in goods
    ]
    (home / DATA_DIR / SHELF_FILE).write_bytes(chained(restocks))
    print(f"{home}: {events} events, {volunteers} volunteers, {redeemed} redemptions")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("home", type=Path)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--volunteers", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    make_city(arguments.home, arguments.events, arguments.volunteers, arguments.seed)


if __name__ == "__main__":
    main()
