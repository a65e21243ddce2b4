"""Shared fixtures: a fresh ledger home and a way to run the real CLI in-process."""

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from jifen.cli import run
from jifen.rules import DEFAULT_RULES_PATH

REPOSITORY = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Result:
    """What one run of `jifen` did: its exit status and what it printed."""

    status: int
    out: str
    err: str


Jifen = Callable[..., Result]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A new ledger home holding the default rules and an empty data/ folder."""
    folder = tmp_path / "home"
    (folder / "data").mkdir(parents=True)
    shutil.copyfile(DEFAULT_RULES_PATH, folder / "rules.toml")
    return folder


@pytest.fixture
def jifen(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Jifen:
    """Run `jifen ARGS...` against the home fixture and capture its output.

    The terminal is 200 columns wide so table rows stay on one line, and the
    recorder is always `staff` so outputs are the same on every machine.
    """
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("JIFEN_HOME", raising=False)
    monkeypatch.chdir(home)

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        status = run(["--by", "staff", *args])
        captured = capsys.readouterr()
        return Result(status, captured.out, captured.err)

    return invoke


def today_in_shanghai() -> dt.date:
    """Today's date where the default rules' community is."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
