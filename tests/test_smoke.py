"""A first end-to-end pass: join, log, redeem, balance on a fresh home."""

from conftest import Jifen


def test_log_then_balance__prints_points_and_balance(jifen: Jifen) -> None:
    """A logged repair earns 3 points and shows in the balance."""
    jifen("join", "王大江", "--date", "2026-10-01")

    result = jifen("log", "王大江", "repair", "--date", "2026-10-31", "--id", "r1")

    assert result.status == 0, result.err
    assert result.out.splitlines() == [
        "王大江 earned 3 points for 维修家电 on 2026-10-31.",
        "Balance: 3 points. Service hours: 0 h. Id: r1",
    ]
