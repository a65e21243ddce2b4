"""Races between real processes: one lock keeps two staff from taking the same thing.

Each scenario starts 20 `jifen` processes on one home. Every process imports
jifen and warms up on a command that writes nothing, says it is ready and
waits; when all are ready they are released at once, so their redemptions
really do meet at the lock. The home is a busy one, 20 volunteers with 500
services each, so that reading the ledger before the check takes a while:
with the lock taken away, most of the 20 processes win. Each scenario runs a
few rounds, each on a fresh home.
"""

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from jifen.events import Service, encode_line
from jifen.ledger import Ledger
from jifen.rules import DEFAULT_RULES_PATH

MOMENT = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
PROCESSES = 20
ROUNDS = 3
TIMEOUT_SECONDS = 60

SERVICES_EACH = 500

# Import and warm up first (on `jifen --home HOME shelf`, which writes nothing),
# say so, then wait for the starting signal on stdin and run the command.
LAUNCHER = """\
import contextlib, io, sys
from jifen.cli import run
with contextlib.redirect_stdout(io.StringIO()):
    run([*sys.argv[1:3], "shelf", "--format", "json"])
print("ready", flush=True)
sys.stdin.readline()
sys.exit(run(sys.argv[1:]))
"""


@dataclass(frozen=True)
class Finished:
    """What one process did: its exit status and what it printed."""

    status: int
    out: str
    err: str


def child_environment() -> dict[str, str]:
    """The environment for a child: UTF-8 output, wide lines, no JIFEN_HOME."""
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    environment.pop("JIFEN_HOME", None)
    return environment


def run_together(home: Path, commands: list[list[str]]) -> list[Finished]:
    """Run `jifen --home HOME --by staff COMMAND` for each command, all at once."""
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                LAUNCHER,
                "--home",
                str(home),
                "--by",
                "staff",
                *command,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_environment(),
            cwd=home.parent,
        )
        for command in commands
    ]
    try:
        for process in processes:
            assert process.stdout is not None
            assert process.stdout.readline() == b"ready\n"
        for process in processes:
            assert process.stdin is not None
            process.stdin.write(b"go\n")
            process.stdin.flush()
        finished = []
        for process in processes:
            out, err = process.communicate(timeout=TIMEOUT_SECONDS)
            finished.append(
                Finished(process.returncode, out.decode("utf-8"), err.decode("utf-8"))
            )
        return finished
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def jifen_json(home: Path, *command: str) -> object:
    """Run one `jifen --home HOME COMMAND --format json` process and parse its output."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "jifen",
            "--home",
            str(home),
            *command,
            "--format",
            "json",
        ],
        capture_output=True,
        env=child_environment(),
        timeout=TIMEOUT_SECONDS,
        check=True,
    )
    return json.loads(result.stdout.decode("utf-8"))


def new_home(folder: Path) -> Ledger:
    """A fresh home with the default rules, opened for writing by `staff`."""
    folder.mkdir(parents=True)
    shutil.copyfile(DEFAULT_RULES_PATH, folder / "rules.toml")
    return Ledger(folder, by="staff", clock=lambda: MOMENT)


def join_busy(ledger: Ledger, name: str) -> None:
    """Register `name` with SERVICES_EACH one-point services in their file."""
    ledger.join(name, date="2026-10-01")
    path, _ = ledger.store.path_for(name)
    services = (
        Service(
            id=f"{name}-{number}",
            date=dt.date(2026, 10, 2),
            at=MOMENT,
            by="staff",
            activity="class",
            points=1,
        )
        for number in range(SERVICES_EACH)
    )
    with path.open("ab") as file:
        file.write(b"".join(map(encode_line, services)))


def redemptions_written(home: Path) -> int:
    """How many redemption lines all the volunteers' files hold."""
    return sum(
        path.read_text(encoding="utf-8").count('"kind":"redemption"')
        for path in (home / "data" / "volunteers").glob("*.jsonl")
    )


def test_last_bag_of_rice__only_one_of_twenty_gets_it(tmp_path: Path) -> None:
    """20 volunteers ask for the last bag at once: one gets it, 19 are told 0 left."""
    for round_number in range(ROUNDS):
        home = tmp_path / f"round-{round_number}"
        ledger = new_home(home)
        names = [f"志愿者{number:02d}" for number in range(PROCESSES)]
        for name in names:
            join_busy(ledger, name)
        ledger.restock("rice", "1", date="2026-11-01")

        finished = run_together(
            home, [["redeem", name, "rice", "--date", "2026-11-03"] for name in names]
        )

        winners = [result for result in finished if result.status == 0]
        losers = [result for result in finished if result.status != 0]
        assert len(winners) == 1, finished
        assert " redeemed 大米 ×1 (50) on 2026-11-03: 50 points spent." in (
            winners[0].out
        )
        assert {(result.status, result.out, result.err) for result in losers} == {
            (1, "", "Error: rice (大米): 0 left, 1 asked; nothing was redeemed\n")
        }
        shelf = jifen_json(home, "shelf")
        assert isinstance(shelf, list)
        assert [line["stock"] for line in shelf if line["item"] == "rice"] == [0]
        balances = jifen_json(home, "balance")
        assert isinstance(balances, list)
        assert sorted(account["balance"] for account in balances) == [450] + [500] * 19
        assert redemptions_written(home) == 1


def test_one_balance__only_one_of_twenty_spends_it(tmp_path: Path) -> None:
    """20 staff each spend 60 of 赵大爷's 100 points at once: one does, 40 are left."""
    for round_number in range(ROUNDS):
        home = tmp_path / f"round-{round_number}"
        ledger = new_home(home)
        for number in range(PROCESSES - 1):
            join_busy(ledger, f"志愿者{number:02d}")
        ledger.join("赵大爷", date="2026-10-01")
        ledger.log("赵大爷", "class", times="20", date="2026-10-02")
        ledger.restock("oil", str(PROCESSES), date="2026-11-01")

        finished = run_together(
            home, [["redeem", "赵大爷", "oil", "--date", "2026-11-03"]] * PROCESSES
        )

        winners = [result for result in finished if result.status == 0]
        losers = [result for result in finished if result.status != 0]
        assert len(winners) == 1, finished
        assert winners[0].out.splitlines()[-1].startswith("Balance left: 40 points.")
        assert {(result.status, result.out, result.err) for result in losers} == {
            (1, "", "Error: 赵大爷 needs 60, has 40: 20 short; nothing was redeemed\n")
        }
        [account] = jifen_json(home, "balance", "赵大爷")  # type: ignore[misc]
        assert (account["redeemed"], account["balance"]) == (60, 40)
        shelf = jifen_json(home, "shelf")
        assert isinstance(shelf, list)
        assert [line["stock"] for line in shelf if line["item"] == "oil"] == [19]
        assert redemptions_written(home) == 1
