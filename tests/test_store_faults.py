"""Disk faults while writing: the message says the outcome is unknown, and the ledger stays valid."""

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from jifen import store
from jifen.errors import JifenError
from jifen.ledger import Ledger
from jifen.rules import DEFAULT_RULES_PATH


def fresh_ledger(tmp_path: Path) -> Ledger:
    """A home with 王大江 registered on 1 November and one repair logged."""
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    (home / "rules.toml").write_bytes(DEFAULT_RULES_PATH.read_bytes())
    ledger = Ledger(home, by="staff")
    ledger.join("王大江", date="2026-11-01", event_id="v1")
    ledger.log("王大江", "repair", date="2026-11-02", event_id="s1")
    return ledger


def failing_on_call(number: int, fault: Callable[..., int]) -> Callable[..., int]:
    """A stand-in that behaves like `fault` on its `number`-th call, and is real before."""
    calls = {"count": 0}
    real = {"write": os.write, "fsync": os.fsync}

    def call(*args: object) -> int:
        calls["count"] += 1
        if calls["count"] == number:
            return fault(*args)
        name = "write" if len(args) == 2 else "fsync"
        result = real[name](*args)  # type: ignore[operator]
        return 0 if result is None else int(result)

    return call


def disk_full(*args: object) -> int:
    """os.write on a full disk."""
    raise OSError(errno.ENOSPC, "No space left on device")


def short_write_then_full() -> Callable[..., int]:
    """os.write that writes 10 bytes, then finds the disk full on the next call."""
    real_write = os.write
    calls = {"count": 0}

    def write(descriptor: int, data: bytes) -> int:
        calls["count"] += 1
        if calls["count"] == 1:
            return real_write(descriptor, bytes(data)[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    return write


def fsync_fails(*args: object) -> int:
    """os.fsync failing, as it does when the disk reports an error."""
    raise OSError(errno.EIO, "Input/output error")


@pytest.mark.parametrize(
    ("target", "fault"),
    [
        ("write", lambda: failing_on_call(1, disk_full)),
        ("write", short_write_then_full),
        ("fsync", lambda: failing_on_call(1, fsync_fails)),
    ],
    ids=["disk-full", "short-write", "fsync-error"],
)
def test_append__a_disk_fault_says_the_outcome_is_unknown(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    fault: Callable[[], Callable[..., int]],
) -> None:
    """The error says the entry may or may not be saved and how to retry; the file is as before."""
    ledger = fresh_ledger(tmp_path)
    path = ledger.store.volunteers / "王大江.jsonl"
    before = path.read_bytes()
    monkeypatch.setattr(store.os, target, fault())

    with pytest.raises(JifenError) as caught:
        ledger.log("王大江", "class", date="2026-11-03", event_id="s2")
    monkeypatch.undo()

    reason = "Input/output error" if target == "fsync" else "No space left on device"
    assert caught.value.message == (
        f"{path}: writing failed ({reason}); the entry may or may not be saved; "
        "run `jifen check`, then repeat the command with --id s2, which never "
        "records it twice"
    )
    assert path.read_bytes() == before
    assert ledger.check().problems == []


@pytest.mark.parametrize("failing_call", [1, 2, 3])
def test_append__only_the_entry_hit_by_the_fault_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_call: int
) -> None:
    """With the Nth flush failing, the entries before it are kept and the ledger checks clean."""
    ledger = fresh_ledger(tmp_path)
    monkeypatch.setattr(store.os, "fsync", failing_on_call(failing_call, fsync_fails))

    outcomes = []
    for number in range(2, 5):
        try:
            ledger.log("王大江", "class", date="2026-11-03", event_id=f"s{number}")
            outcomes.append("ok")
        except JifenError:
            outcomes.append("failed")
    monkeypatch.undo()

    kept = [entry.id for entry in ledger.history("王大江").entries]
    assert outcomes == ["ok"] * (failing_call - 1) + ["failed"] + ["ok"] * (
        3 - failing_call
    )
    assert kept == ["s1"] + [f"s{n}" for n in range(2, 5) if n != failing_call + 1]
    assert ledger.check().problems == []


def test_append__a_retry_after_a_fault_records_the_entry_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a failed flush, repeating the command with its --id leaves one entry."""
    ledger = fresh_ledger(tmp_path)
    monkeypatch.setattr(store.os, "fsync", failing_on_call(1, fsync_fails))
    with pytest.raises(JifenError):
        ledger.log("王大江", "class", date="2026-11-03", event_id="s2")
    monkeypatch.undo()

    ledger.log("王大江", "class", date="2026-11-03", event_id="s2")
    retried = ledger.log("王大江", "class", date="2026-11-03", event_id="s2")

    ids = [entry.id for entry in ledger.history("王大江").entries]
    assert ids == ["s1", "s2"]
    assert retried.already_recorded
    assert ledger.check().problems == []


def test_create__a_disk_fault_on_join_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed first write of a new volunteer removes the file it had begun."""
    ledger = fresh_ledger(tmp_path)
    monkeypatch.setattr(store.os, "write", failing_on_call(1, disk_full))

    with pytest.raises(JifenError) as caught:
        ledger.join("李芳", date="2026-11-01", event_id="v2")
    monkeypatch.undo()

    path = ledger.store.volunteers / "李芳.jsonl"
    assert caught.value.message == (
        f"{path}: writing failed (No space left on device); the entry may or may "
        "not be saved; run `jifen check`, then repeat the command with --id v2, "
        "which never records it twice"
    )
    assert not path.exists()
    assert ledger.check().problems == []
