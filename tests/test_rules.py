"""Tests for jifen.rules: reading rules.toml, its one-line errors, and look-ups."""

from decimal import Decimal
from pathlib import Path

import pytest

from jifen.errors import JifenError
from jifen.rules import (
    DEFAULT_RULES_PATH,
    Activity,
    Item,
    Level,
    Offer,
    Rules,
    ShelfSettings,
    load_rules,
)

REPAIR = """\
[activities.repair]
label = "维修家电"
per = "job"
points = 3
aliases = ["维修"]
"""


def write_rules(folder: Path, text: str) -> Path:
    """Write `text` as folder/rules.toml and return its path."""
    path = folder / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def rules_error(folder: Path, text: str) -> str:
    """Return the message loading `text` as rules.toml fails with."""
    path = write_rules(folder, text)
    with pytest.raises(JifenError) as caught:
        load_rules(path)
    return caught.value.message


# Loading ---------------------------------------------------------------------


def test_load_rules__reads_a_small_file(tmp_path: Path) -> None:
    """Community, activities, items, levels and stars come back typed."""
    path = write_rules(
        tmp_path,
        '[community]\nname = "幸福里社区"\n\n[stars]\nhours = [10, 20]\n\n'
        + REPAIR
        + '\n[levels.hard]\nlabel = "较难"\nbonus = 1\n'
        + '\n[items.rice]\nlabel = "大米"\npoints = 50\naliases = ["米"]\n',
    )

    rules = load_rules(path)

    assert rules == Rules(
        community="幸福里社区",
        timezone="Asia/Shanghai",
        activities={
            "repair": Activity("repair", "维修家电", "job", 3, aliases=("维修",))
        },
        levels={"hard": Level("hard", "较难", 1)},
        items={"rice": Item("rice", "大米", 50, aliases=("米",))},
        stars=(10, 20),
        path=path,
    )


def test_load_rules__fills_defaults(tmp_path: Path) -> None:
    """Without [community] or [stars], the defaults apply; a label defaults to the key."""
    path = write_rules(tmp_path, '[activities.repair]\nper = "job"\npoints = 3\n')

    rules = load_rules(path)

    assert (rules.community, rules.timezone, rules.stars) == (
        "our community",
        "Asia/Shanghai",
        (100, 300, 600, 1000, 1500),
    )
    assert rules.activities["repair"].label == "repair"
    assert (rules.levels, rules.items) == ({}, {})


def test_load_rules__reads_the_default_rules() -> None:
    """The rules `jifen init` writes: cleanup 3 per full hour, 13 goods, 4 offers."""
    rules = load_rules(DEFAULT_RULES_PATH)

    assert rules.community == "幸福里社区"
    assert rules.activities["cleanup"] == Activity(
        key="cleanup",
        label="环境卫生整治",
        per="hour",
        points=3,
        aliases=("卫生整治", "打扫卫生", "清洁"),
        max_hours_per_day=4,
    )
    assert [(item.key, item.points) for item in rules.items.values()] == [
        ("rice", 50),
        ("oil", 60),
        ("flour", 40),
        ("tissue", 10),
        ("detergent", 15),
        ("soap", 8),
        ("towel", 12),
        ("toothpaste", 10),
        ("dish-soap", 12),
        ("salt", 5),
        ("soy-sauce", 10),
        ("eggs", 20),
        ("noodles", 8),
    ]
    assert rules.items["eggs"].low_stock == 3
    assert [
        (offer.key, offer.partner, offer.points, offer.monthly_quota)
        for offer in rules.offers.values()
    ] == [
        ("haircut", "老街理发店", 20, 20),
        ("care-visit", "康乐居家养老服务站", 40, 8),
        ("market-coupon", "邻里惠超市", 25, None),
        ("hardware-discount", "老王五金店", 15, None),
    ]
    assert rules.shelf == ShelfSettings(low_stock=5, min_balance=0, once_per=None)


def test_load_rules__accepts_a_utf8_bom(tmp_path: Path) -> None:
    """A byte-order mark, as Windows Notepad writes, is not an error."""
    path = tmp_path / "rules.toml"
    path.write_bytes(b"\xef\xbb\xbf" + REPAIR.encode("utf-8"))

    rules = load_rules(path)

    assert list(rules.activities) == ["repair"]


def test_load_rules__folds_labels_and_aliases(tmp_path: Path) -> None:
    """Full-width spaces around a label or an alias are trimmed."""
    path = write_rules(
        tmp_path,
        '[activities.repair]\nlabel = "　维修家电 "\nper = "job"\npoints = 3\n'
        'aliases = [" 维修　"]\n',
    )

    rules = load_rules(path)

    assert rules.activities["repair"].label == "维修家电"
    assert rules.activities["repair"].aliases == ("维修",)


def test_load_rules__names_a_missing_file(tmp_path: Path) -> None:
    """No rules.toml: the message suggests `jifen init`."""
    path = tmp_path / "rules.toml"

    with pytest.raises(JifenError) as caught:
        load_rules(path)

    assert caught.value.message == (
        f"{path}: no rules file; type `jifen init` to make a new home"
    )


def test_load_rules__refuses_a_file_not_in_utf8(tmp_path: Path) -> None:
    """A file saved as GBK is refused with the encoding to use."""
    path = tmp_path / "rules.toml"
    path.write_bytes(REPAIR.encode("gbk"))

    with pytest.raises(JifenError) as caught:
        load_rules(path)

    assert caught.value.message == (
        f"{path}: the file is not UTF-8; save it again with UTF-8 encoding"
    )


# One-line errors -------------------------------------------------------------


def test_load_rules__reports_a_toml_syntax_error_with_its_line(tmp_path: Path) -> None:
    """A header without its closing bracket names line 1 and says to quote text."""
    message = rules_error(tmp_path, '[community\nname = "x"\n')

    assert message == (
        f"{tmp_path / 'rules.toml'}:1: Expected ']' at the end of a table declaration "
        "(at line 1, column 11); put text in double quotes, "
        'e.g. label = "大米", and keep keys plain ASCII such as rice'
    )


def test_load_rules__reports_unquoted_chinese_text(tmp_path: Path) -> None:
    """label = 维修家电 without quotes names its line."""
    message = rules_error(
        tmp_path, '[activities.repair]\nlabel = 维修家电\nper = "job"\npoints = 3\n'
    )

    assert message == (
        f"{tmp_path / 'rules.toml'}:2: Invalid value (at line 2, column 9); "
        'put text in double quotes, e.g. label = "大米", and keep keys plain ASCII '
        "such as rice"
    )


def test_load_rules__reports_an_unquoted_chinese_key(tmp_path: Path) -> None:
    """A line `大米 = 50` inside [items.rice] is a syntax error on that line."""
    message = rules_error(
        tmp_path, REPAIR + '\n[items.rice]\nlabel = "大米"\n大米 = 50\n'
    )

    assert message == (
        f"{tmp_path / 'rules.toml'}:9: Invalid statement (at line 9, column 1); "
        'put text in double quotes, e.g. label = "大米", and keep keys plain ASCII '
        "such as rice"
    )


def test_load_rules__reports_a_chinese_table_header(tmp_path: Path) -> None:
    """[items.大米] is a syntax error naming the header's line."""
    message = rules_error(tmp_path, REPAIR + '\n[items.大米]\nlabel = "大米"\n')

    assert message == (
        f"{tmp_path / 'rules.toml'}:7: Invalid initial character for a key part "
        "(at line 7, column 8); put text in double quotes, "
        'e.g. label = "大米", and keep keys plain ASCII such as rice'
    )


def test_load_rules__refuses_a_quoted_chinese_key(tmp_path: Path) -> None:
    """[items."大米"] parses, but the key must be ASCII; Chinese goes in the label."""
    message = rules_error(tmp_path, REPAIR + '\n[items."大米"]\npoints = 50\n')

    assert message == (
        f"{tmp_path / 'rules.toml'}:7: the key '大米' must be plain lowercase ASCII "
        "such as 'rice'; put Chinese in label = \"...\" or aliases"
    )


def test_load_rules__refuses_negative_item_points(tmp_path: Path) -> None:
    """An item must cost at least 1 point."""
    message = rules_error(
        tmp_path, REPAIR + '\n[items.rice]\nlabel = "大米"\npoints = -50\n'
    )

    assert message == (
        f"{tmp_path / 'rules.toml'}:9: points = -50 must be a whole number of at least 1"
    )


def test_load_rules__refuses_negative_activity_points(tmp_path: Path) -> None:
    """An activity's points may be 0 but not below."""
    message = rules_error(tmp_path, '[activities.repair]\nper = "job"\npoints = -3\n')

    assert message == (
        f"{tmp_path / 'rules.toml'}:3: points = -3 must be a whole number of at least 0"
    )


def test_load_rules__refuses_fractional_points(tmp_path: Path) -> None:
    """Points are whole numbers: 3.5 is refused."""
    message = rules_error(tmp_path, '[activities.repair]\nper = "job"\npoints = 3.5\n')

    assert message == (
        f"{tmp_path / 'rules.toml'}:3: points = 3.5 must be a whole number of at least 0"
    )


def test_load_rules__refuses_missing_points(tmp_path: Path) -> None:
    """An activity without points names its table's header line."""
    message = rules_error(tmp_path, '[activities.repair]\nper = "job"\n')

    assert message == (
        f"{tmp_path / 'rules.toml'}:1: [activities.repair] needs points = a whole number"
    )


def test_load_rules__refuses_an_unknown_field(tmp_path: Path) -> None:
    """A field the table does not have is named, with the fields it does have."""
    message = rules_error(
        tmp_path, REPAIR + '\n[items.rice]\nlabel = "大米"\npoints = 50\nprice = 3\n'
    )

    assert message == (
        f"{tmp_path / 'rules.toml'}:10: unknown field 'price' in [items.rice]; "
        "allowed here: label, points, aliases, low_stock"
    )


def test_load_rules__suggests_the_field_meant(tmp_path: Path) -> None:
    """A misspelt field gets a did-you-mean."""
    message = rules_error(
        tmp_path, '[activities.repair]\nper = "job"\npoints = 3\npionts = 3\n'
    )

    assert message == (
        f"{tmp_path / 'rules.toml'}:4: unknown field 'pionts' in [activities.repair]; "
        "did you mean 'points'?"
    )


def test_load_rules__names_the_line_of_an_unknown_top_level_field(
    tmp_path: Path,
) -> None:
    """A misspelt top-level key is found on its line, as a key or a table header."""
    assigned = rules_error(tmp_path, "communty = 3\n" + REPAIR)
    table = rules_error(tmp_path, REPAIR + '\n[item.rice]\nlabel = "大米"\n')

    assert assigned == (
        f"{tmp_path / 'rules.toml'}:1: unknown field 'communty' in the top level; "
        "did you mean 'community'?"
    )
    assert table == (
        f"{tmp_path / 'rules.toml'}:7: unknown field 'item' in the top level; "
        "did you mean 'items'?"
    )


def test_load_rules__suggests_the_per_meant(tmp_path: Path) -> None:
    """per = "hours" is refused with per = 'hour' suggested, on the per line."""
    message = rules_error(
        tmp_path,
        '[activities.cleanup]\nlabel = "环境卫生整治"\nper = "hours"\npoints = 3\n',
    )

    assert message == (
        f"{tmp_path / 'rules.toml'}:3: per = 'hours' is not known; "
        "did you mean per = 'hour'?"
    )


def test_load_rules__lists_the_per_values(tmp_path: Path) -> None:
    """A per like nothing known lists every value it may take."""
    message = rules_error(tmp_path, '[activities.x]\nper = "zzz"\npoints = 3\n')

    assert message == (
        f"{tmp_path / 'rules.toml'}:2: per = 'zzz' is not known; "
        "use one of: hour, session, case, job"
    )


def test_load_rules__refuses_an_alias_shared_by_two_items(tmp_path: Path) -> None:
    """Two items answering to '米' is refused on the second one's aliases line."""
    message = rules_error(
        tmp_path,
        REPAIR
        + '\n[items.rice]\nlabel = "大米"\npoints = 50\naliases = ["米"]\n'
        + '\n[items.oil]\nlabel = "食用油"\npoints = 60\naliases = ["米"]\n',
    )

    assert message == (
        f"{tmp_path / 'rules.toml'}:15: '米' already names 'rice'; "
        "give each a distinct alias"
    )


def test_load_rules__refuses_a_label_that_is_another_activitys_alias(
    tmp_path: Path,
) -> None:
    """A spelling may name one activity only, whether label, key or alias."""
    message = rules_error(
        tmp_path,
        REPAIR + '\n[activities.fix]\nlabel = "维修"\nper = "job"\npoints = 2\n',
    )

    assert message == (
        f"{tmp_path / 'rules.toml'}:7: '维修' already names 'repair'; "
        "give each a distinct alias"
    )


def test_load_rules__refuses_an_unknown_time_zone(tmp_path: Path) -> None:
    """A time zone that does not exist is refused with one that does."""
    message = rules_error(tmp_path, '[community]\ntimezone = "Beijing"\n' + REPAIR)

    assert message == (
        f"{tmp_path / 'rules.toml'}:2: unknown time zone 'Beijing'; "
        'use e.g. timezone = "Asia/Shanghai"'
    )


@pytest.mark.parametrize("hours", ["[300, 100]", "[]", "[0, 10]", "[10, 10]", '"100"'])
def test_load_rules__refuses_stars_that_do_not_rise(tmp_path: Path, hours: str) -> None:
    """Star thresholds must be a non-empty, strictly rising list of whole hours."""
    message = rules_error(tmp_path, f"[stars]\nhours = {hours}\n" + REPAIR)

    assert message == (
        f"{tmp_path / 'rules.toml'}:2: hours must be rising whole numbers, "
        "e.g. hours = [100, 300, 600]"
    )


def test_load_rules__refuses_rules_without_activities(tmp_path: Path) -> None:
    """A file with nothing to score says how to add an activity."""
    message = rules_error(tmp_path, '[community]\nname = "x"\n')

    assert message == (
        f"{tmp_path / 'rules.toml'}: no activities; add one, e.g. "
        "[activities.cleanup] with per and points"
    )


def test_load_rules__refuses_a_label_that_is_not_text(tmp_path: Path) -> None:
    """label = 3 is refused: text goes in double quotes."""
    message = rules_error(
        tmp_path, '[activities.repair]\nlabel = 3\nper = "job"\npoints = 3\n'
    )

    assert message == (
        f"{tmp_path / 'rules.toml'}:2: label must be text in double quotes, "
        'e.g. label = "..."'
    )


def test_load_rules__refuses_aliases_that_are_not_a_list(tmp_path: Path) -> None:
    """aliases = "米" is refused: aliases are a list."""
    message = rules_error(
        tmp_path, REPAIR + '\n[items.rice]\npoints = 50\naliases = "米"\n'
    )

    assert message == (
        f"{tmp_path / 'rules.toml'}:9: aliases must be a list of text, "
        'e.g. aliases = ["米", "dami"]'
    )


# The shelf: [shelf], [items.KEY] and [offers.KEY] ----------------------------

RICE = '\n[items.rice]\nlabel = "大米"\npoints = 50\naliases = ["米"]\n'
HAIRCUT = '\n[offers.haircut]\nlabel = "理发"\npartner = "老街理发店"\npoints = 20\n'


def test_load_rules__reads_the_shelf_its_goods_and_its_offers(tmp_path: Path) -> None:
    """[shelf] limits, a good's own low_stock and an offer's partner and quota."""
    path = write_rules(
        tmp_path,
        REPAIR
        + '\n[shelf]\nlow_stock = 2\nmin_balance = 30\nonce_per = "quarter"\n'
        + RICE
        + "low_stock = 4\n"
        + HAIRCUT
        + 'aliases = ["剪头发"]\nmonthly_quota = 20\n',
    )

    rules = load_rules(path)

    assert rules.shelf == ShelfSettings(low_stock=2, min_balance=30, once_per="quarter")
    assert rules.items == {"rice": Item("rice", "大米", 50, ("米",), low_stock=4)}
    assert rules.offers == {
        "haircut": Offer(
            "haircut", "理发", 20, "老街理发店", ("剪头发",), monthly_quota=20
        )
    }
    assert rules.low_stock_of(rules.items["rice"]) == 4


def test_load_rules__a_shelf_without_limits_takes_the_defaults(tmp_path: Path) -> None:
    """No [shelf]: low stock at 5, no minimum balance, no once-per limit."""
    rules = load_rules(write_rules(tmp_path, REPAIR + RICE))

    assert rules.shelf == ShelfSettings(low_stock=5, min_balance=0, once_per=None)
    assert rules.low_stock_of(rules.items["rice"]) == 5
    assert rules.offers == {}


@pytest.mark.parametrize(
    ("text", "line_and_message"),
    [
        (
            REPAIR + "\n[shelf]\nmin_points = 10\n",
            "8: unknown field 'min_points' in [shelf]; "
            "allowed here: low_stock, min_balance, once_per",
        ),
        (
            REPAIR + '\n[shelf]\nonce_per = "quartr"\n',
            "8: once_per = 'quartr' is not known; did you mean once_per = 'quarter'?",
        ),
        (
            REPAIR + "\n[shelf]\nmin_balance = -5\n",
            "8: min_balance = -5 must be a whole number of at least 0",
        ),
        (
            REPAIR + RICE + "low_stock = -1\n",
            "11: low_stock = -1 must be a whole number of at least 0",
        ),
        (
            REPAIR + HAIRCUT.replace("points = 20", "points = -20"),
            "10: points = -20 must be a whole number of at least 1",
        ),
        (
            REPAIR + HAIRCUT + "monthly_quota = 0\n",
            "11: monthly_quota = 0 must be a whole number of at least 1",
        ),
        (
            REPAIR + HAIRCUT + "quota = 3\n",
            "11: unknown field 'quota' in [offers.haircut]; "
            "did you mean 'monthly_quota'?",
        ),
        (
            REPAIR + '\n[offers.haircut]\nlabel = "理发"\npoints = 20\n',
            "7: [offers.haircut] needs partner = ...",
        ),
        (
            REPAIR + RICE + HAIRCUT + 'aliases = ["米"]\n',
            "16: '米' already names 'rice'; give each a distinct alias",
        ),
        (
            REPAIR + RICE + HAIRCUT.replace("haircut", "rice"),
            "12: 'rice' is both a good and an offer; give the offer another key",
        ),
    ],
    ids=[
        "unknown-shelf-field",
        "misspelt-once-per",
        "negative-min-balance",
        "negative-low-stock",
        "negative-offer-price",
        "zero-quota",
        "unknown-offer-field",
        "offer-without-partner",
        "alias-of-a-good-and-an-offer",
        "key-of-a-good-and-an-offer",
    ],
)
def test_load_rules__refuses_a_broken_shelf(
    tmp_path: Path, text: str, line_and_message: str
) -> None:
    """Each mistake in [shelf], [items] or [offers] names its line and the fix."""
    message = rules_error(tmp_path, text)

    assert message == f"{tmp_path / 'rules.toml'}:{line_and_message}"


def test_find_reward__finds_goods_and_offers() -> None:
    """'米' is the good rice; '剪头发' is the haircut offered by 老街理发店."""
    rules = load_rules(DEFAULT_RULES_PATH)

    good = rules.find_reward("米")
    offer = rules.find_reward("剪头发")

    assert good == rules.items["rice"]
    assert offer == rules.offers["haircut"]


def test_find_item__does_not_find_an_offer() -> None:
    """Only goods are restocked or counted: an offer is not an item to find_item."""
    rules = load_rules(DEFAULT_RULES_PATH)

    with pytest.raises(JifenError) as caught:
        rules.find_item("haircut")

    assert (
        caught.value.message
        == "haircut (理发) is a service of 老街理发店, paid by voucher; it has no stock to restock or count"
    )


# Look-ups --------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["cleanup", "CLEANUP", "环境卫生整治", "打扫卫生", " 清洁　", "ｃｌｅａｎｕｐ"],
)
def test_find_activity__by_key_label_or_alias(typed: str) -> None:
    """The key, the Chinese label and every alias find the activity, in any case."""
    rules = load_rules(DEFAULT_RULES_PATH)

    activity = rules.find_activity(typed)

    assert activity.key == "cleanup"


def test_find_activity__suggests_the_closest() -> None:
    """A typo is answered with the activity meant and its Chinese label."""
    rules = load_rules(DEFAULT_RULES_PATH)

    with pytest.raises(JifenError) as caught:
        rules.find_activity("cleanup2")

    assert caught.value.message == (
        "no activity 'cleanup2'; did you mean 'cleanup' (环境卫生整治)?"
    )


def test_find_activity__points_to_jifen_rules_when_nothing_is_close() -> None:
    """A word like no activity is answered with how to list them all."""
    rules = load_rules(DEFAULT_RULES_PATH)

    with pytest.raises(JifenError) as caught:
        rules.find_activity("zzz")

    assert (
        caught.value.message == "no activity 'zzz'; type `jifen rules` to see them all"
    )


def test_find_item__by_alias_and_suggestion() -> None:
    """'米' finds rice; 'rice2' suggests rice (大米)."""
    rules = load_rules(DEFAULT_RULES_PATH)

    found = rules.find_item("米")
    with pytest.raises(JifenError) as caught:
        rules.find_item("rice2")

    assert found.key == "rice"
    assert caught.value.message == "no item 'rice2'; did you mean 'rice' (大米)?"


def test_find_level__by_alias() -> None:
    """'难' is the alias of the hard level."""
    rules = load_rules(DEFAULT_RULES_PATH)

    level = rules.find_level("难")

    assert level == Level("hard", "较难", 1, aliases=("难",))


@pytest.mark.parametrize(
    ("hours", "stars"),
    [("0", 0), ("99.99", 0), ("100", 1), ("299", 1), ("300", 2), ("1500", 5)],
)
def test_stars_for__counts_the_thresholds_reached(hours: str, stars: int) -> None:
    """1★ at 100 h, 2★ at 300 h ... 5★ at 1500 h, each reached exactly at its mark."""
    rules = load_rules(DEFAULT_RULES_PATH)

    level = rules.stars_for(Decimal(hours))

    assert level == stars


def test_label_of__falls_back_to_the_key_of_a_dropped_entry() -> None:
    """An activity, good or offer no longer in the rules is shown by its stored key."""
    rules = load_rules(DEFAULT_RULES_PATH)

    labels = (
        rules.label_of_activity("cleanup"),
        rules.label_of_activity("gone"),
        rules.label_of_item("rice"),
        rules.label_of_item("haircut"),
        rules.label_of_item("gone"),
    )

    assert labels == ("环境卫生整治", "gone", "大米", "理发", "gone")
