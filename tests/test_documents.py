"""Tests for jifen.documents: the monthly report as Markdown, CSV, HTML and JSON.

The golden files under tests/golden/ are what `jifen report --month 2026-11`
writes for the repository's sample community, run on a copy of its rules.toml
and data/. Their figures were checked once by hand against the events in
data/volunteers/*.jsonl and data/shelf.jsonl; after that they are pinned byte
for byte. After a deliberate change to the report, rewrite them with

    jifen --home COPY report --month 2026-11 --format md --output tests/golden/report-2026-11.md

(and the same for csv and json), and check the differences by eye.
"""

import csv
import dataclasses
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPOSITORY, Jifen, setup
from rich.cells import cell_len

from jifen.cli import run
from jifen.documents import (
    CSV_BOM,
    Section,
    hours_text,
    markdown,
    page,
    plain_values,
    sections,
    signed,
    spreadsheet,
    stars_text,
)
from jifen.ledger import Ledger
from jifen.reports import (
    BoardRow,
    Headline,
    ItemMonth,
    MonthlyReport,
    StarReached,
    TeamTotal,
)

GOLDEN = Path(__file__).resolve().parent / "golden"
INJECTIONS = ['=HYPERLINK("x")', "+1", "-2+3", "@SUM(A1)"]


def sample_home(tmp_path: Path) -> Path:
    """A copy of the sample community's rules.toml and data/, without its cache."""
    folder = tmp_path / "sample"
    folder.mkdir()
    shutil.copyfile(REPOSITORY / "rules.toml", folder / "rules.toml")
    shutil.copytree(
        REPOSITORY / "data",
        folder / "data",
        ignore=shutil.ignore_patterns(".cache", ".lock"),
    )
    return folder


def report_with(**parts: object) -> MonthlyReport:
    """A small October report (one volunteer, one service), with `parts` replaced."""
    report = MonthlyReport(
        community="幸福里社区",
        month="2026-10",
        headline=Headline(1, 1, 1, Decimal("1.5"), 3, 0, 3),
        previous_month=Headline(0, 0, 0, Decimal(0), 0, 0, 0),
        board=[BoardRow(1, "王大江", "银发互助队", 3, Decimal("1.5"), 0)],
    )
    return dataclasses.replace(report, **parts)  # type: ignore[arg-type]


def csv_rows(text: str) -> list[list[str]]:
    """The rows of CSV text that starts with a byte-order mark."""
    assert text.startswith(CSV_BOM)
    return list(csv.reader(io.StringIO(text.removeprefix(CSV_BOM), newline="")))


# Golden files of the sample community ----------------------------------------


@pytest.mark.parametrize("extension", ["md", "csv", "json"])
def test_report__the_sample_november_matches_its_golden_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    extension: str,
) -> None:
    """`jifen report --month 2026-11 --output FILE` writes the pinned file, byte for byte."""
    monkeypatch.delenv("JIFEN_HOME", raising=False)
    home = sample_home(tmp_path)
    written = tmp_path / f"report.{extension}"

    status = run(
        [
            "--home",
            str(home),
            "--by",
            "staff",
            "report",
            "--month",
            "2026-11",
            "--format",
            extension,
            "--output",
            str(written),
        ]
    )

    assert status == 0, capsys.readouterr().err
    assert written.read_bytes() == (GOLDEN / f"report-2026-11.{extension}").read_bytes()


def test_report__the_golden_files_agree_with_each_other() -> None:
    """The Markdown and CSV show the JSON's headline and board figures."""
    values = json.loads((GOLDEN / "report-2026-11.json").read_text(encoding="utf-8"))
    text = (GOLDEN / "report-2026-11.md").read_text(encoding="utf-8")
    rows = csv_rows((GOLDEN / "report-2026-11.csv").read_bytes().decode("utf-8"))

    assert "| Points earned | 238 | +51 | — |" in text
    assert ["Points outstanding at month end", "468", "-172", "—"] in rows
    assert values["points_earned"] == 238
    assert values["points_outstanding"] == 468
    assert values["previous_month"]["points_outstanding"] == 640
    for row in values["board"]:
        assert [
            str(row["rank"]),
            row["name"],
            row["team"] or "",
            str(row["points"]),
            hours_text(Decimal(str(row["hours"]))),
            "—",
        ] in rows


# Small pieces ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (3, "+3"),
        (-2, "−2"),
        (0, "0"),
        (Decimal("1.50"), "+1.5"),
        (Decimal("-16.0"), "−16"),
    ],
)
def test_signed__shows_a_change_with_its_sign(number: int | Decimal, text: str) -> None:
    """A rise has +, a fall a true minus sign, no change is 0; hours lose their zeros."""
    assert signed(number) == text


def test_hours_text_and_stars_text() -> None:
    """Hours without trailing zeros; stars as ★, none as a dash."""
    hours = [hours_text(Decimal(text)) for text in ("2.50", "14.0", "0")]

    assert [*hours, hours_text(None)] == ["2.5", "14", "0", ""]
    assert [stars_text(0), stars_text(2)] == ["—", "★★"]


def test_sections__leave_out_parts_with_nothing_to_show() -> None:
    """A report with only a headline and a board has those two sections."""
    titles = [section.title for section in sections(report_with())]

    assert titles == ["Headline", "Top 10 (积分榜)"]


def test_sections__headline_changes_and_a_year_without_data() -> None:
    """Against last month each figure shows its change; with no year-ago data, a dash."""
    headline = sections(report_with())[0]

    assert headline.columns == ("Figure", "2026-10", "vs last month", "vs a year ago")
    assert headline.rows[3] == ("Service hours", "1.5", "+1.5", "—")
    assert headline.rows[6] == ("Points outstanding at month end", "3", "+3", "—")


# CSV -------------------------------------------------------------------------


def test_spreadsheet__neutralises_formulas_in_names_and_teams() -> None:
    """Names and teams starting with = + - @ get a leading '; numbers stay numbers."""
    board = [
        BoardRow(rank, name, team, 10 - rank, Decimal(1), 0)
        for rank, (name, team) in enumerate(
            zip(INJECTIONS, reversed(INJECTIONS), strict=True), start=1
        )
    ]
    report = report_with(
        headline=Headline(1, 0, 1, Decimal(1), 3, 0, 2),
        previous_month=Headline(2, 0, 2, Decimal(2), 6, 0, 3),
        board=board,
        by_team=[TeamTotal("=1+1", 1, 1, Decimal(1), 3)],
        shelf=[ItemMonth("rice", "大米", 0, 0, 0, -1, 4, True)],
    )

    rows = csv_rows(spreadsheet(report))

    header = rows.index(["Rank", "Volunteer", "Team", "Points", "Hours", "Stars"])
    assert rows[header + 1 : header + 5] == [
        ["1", '\'=HYPERLINK("x")', "'@SUM(A1)", "9", "1", "—"],
        ["2", "'+1", "'-2+3", "8", "1", "—"],
        ["3", "'-2+3", "'+1", "7", "1", "—"],
        ["4", "'@SUM(A1)", '\'=HYPERLINK("x")', "6", "1", "—"],
    ]
    assert ["'=1+1", "1", "1", "1", "3"] in rows
    assert ["Active volunteers", "1", "-1", "—"] in rows
    assert ["Points outstanding at month end", "2", "-1", "—"] in rows
    assert ["大米", "0", "0", "0", "-1", "4", "low"] in rows


def test_report_csv__neutralises_names_typed_at_the_cli(jifen: Jifen) -> None:
    """End to end: a name and a team typed as formulas reach the CSV neutralised."""
    setup(
        jifen,
        "join =HYPERLINK(x) --team @SUM(A1) --date 2026-10-01",
        "join +1 --team =1+1 --date 2026-10-01",
        "log =HYPERLINK(x) repair --times 2 --date 2026-10-02",
        "log +1 repair --date 2026-10-02",
    )

    result = jifen("report", "--month", "2026-10", "--format", "csv")

    rows = csv_rows(result.out)
    header = rows.index(["Rank", "Volunteer", "Team", "Points", "Hours", "Stars"])
    assert rows[header + 1 : header + 3] == [
        ["1", "'=HYPERLINK(x)", "'@SUM(A1)", "6", "0", "—"],
        ["2", "'+1", "'=1+1", "3", "0", "—"],
    ]
    assert ["'@SUM(A1)", "1", "1", "0", "6"] in rows


def test_spreadsheet__keeps_plain_numbers_even_in_text_columns() -> None:
    """A name that is just a number, such as -1 or 7, is not a formula."""
    report = report_with(board=[BoardRow(1, "-1", "7", 3, Decimal(1), 0)])

    rows = csv_rows(spreadsheet(report))

    assert ["1", "-1", "7", "3", "1", "—"] in rows


def test_spreadsheet__starts_with_a_bom_and_ends_lines_with_crlf() -> None:
    """Excel on Chinese Windows reads UTF-8 only with the BOM; lines end in CR LF."""
    text = spreadsheet(report_with())

    assert text.startswith(
        '\ufeff"Monthly report (月度汇总) — 幸福里社区, 2026-10"\r\n'
    )
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")


# Markdown --------------------------------------------------------------------


def test_markdown__escapes_pipes_and_stars_in_names() -> None:
    """| and * in a name or team are escaped, so the table keeps its columns."""
    report = report_with(
        board=[BoardRow(1, "王|大*江", "*银发*|队", 3, Decimal("1.5"), 0)]
    )

    text = markdown(report)

    assert "| 1 | 王\\|大\\*江 | \\*银发\\*\\|队 | 3 | 1.5 | — |" in text.splitlines()


def test_markdown__every_row_has_as_many_cells_as_its_header() -> None:
    """Counting unescaped pipes, every table row of the sample month lines up."""
    text = (GOLDEN / "report-2026-11.md").read_text(encoding="utf-8")

    tables: list[list[str]] = []
    previous = ""
    for line in text.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(line)
        previous = line

    assert len(tables) == 7
    for table in tables:
        widths = {line.replace("\\|", "").count("|") for line in table}
        assert len(widths) == 1, table


# HTML ------------------------------------------------------------------------


def test_page__is_self_contained_and_printable_on_a4() -> None:
    """No network: no http(s) address, no linked stylesheet or script; A4 and CJK fonts."""
    text = page(report_with())

    assert text.startswith('<!DOCTYPE html>\n<html lang="zh-CN">\n')
    for forbidden in ("http://", "https://", "<link", "<script", "@import", "url("):
        assert forbidden not in text
    assert "@page { size: A4; margin: 15mm; }" in text
    assert '"Microsoft YaHei"' in text and '"Noto Sans CJK SC"' in text
    assert '<meta charset="utf-8">' in text


def test_page__escapes_markup_in_names() -> None:
    """A name holding <script> is shown as text, never run."""
    report = report_with(
        board=[BoardRow(1, "<script>alert(1)</script>", "A&B", 3, Decimal(1), 0)]
    )

    text = page(report)

    assert "<script" not in text
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td>A&amp;B</td>" in text


def test_page__numbers_are_right_aligned() -> None:
    """Number columns carry the class that right-aligns them."""
    text = page(report_with())

    assert '<tr><th class="number">Rank</th><th>Volunteer</th>' in text
    assert '<td class="number">3</td>' in text


# JSON ------------------------------------------------------------------------


def test_plain_values__has_the_fields_scripts_need() -> None:
    """The headline at the top level, comparisons, and every section as a list."""
    values = plain_values(
        report_with(
            stars_reached=[StarReached("王大江", None, 1, Decimal("100.5"))],
        )
    )

    assert list(values) == [
        "community",
        "month",
        "active_volunteers",
        "new_volunteers",
        "services",
        "hours",
        "points_earned",
        "points_redeemed",
        "points_outstanding",
        "previous_month",
        "year_ago",
        "by_activity",
        "by_team",
        "board",
        "shelf",
        "vouchers",
        "stars_reached",
        "last_12_months",
    ]
    assert values["year_ago"] is None
    assert values["stars_reached"] == [
        {"name": "王大江", "team": None, "stars": 1, "hours": Decimal("100.5")}
    ]


# The empty month, in every format --------------------------------------------

EMPTY_MESSAGE = (
    "Nothing was logged or redeemed in 2026-09. Log a service with "
    "`jifen log NAME ACTIVITY`, or pick another month with --month YYYY-MM."
)
TITLE = "Monthly report (月度汇总) — 幸福里社区, 2026-09"


@pytest.fixture(params=["an idle month", "a new home"])
def empty_month(request: pytest.FixtureRequest, jifen: Jifen) -> Jifen:
    """A home where September 2026 has nothing in it: idle, or with nobody yet."""
    if request.param == "an idle month":
        setup(
            jifen,
            "join 王大江 --date 2026-08-01",
            "log 王大江 repair --date 2026-08-31",
            "log 王大江 repair --date 2026-10-01",
        )
    return jifen


def test_empty_month__table_says_so_and_how_to_go_on(empty_month: Jifen) -> None:
    """Two lines: the title, then what to do; no table without rows."""
    result = empty_month("report", "--month", "2026-09")

    assert (result.status, result.err) == (0, "")
    assert result.out.splitlines() == [TITLE, EMPTY_MESSAGE]


def test_empty_month__markdown(empty_month: Jifen) -> None:
    """The title as a heading, then the message."""
    result = empty_month("report", "--month", "2026-09", "--format", "md")

    assert result.out == f"# {TITLE}\n\n{EMPTY_MESSAGE}\n"


def test_empty_month__csv(empty_month: Jifen) -> None:
    """The BOM, the title, a blank row and the message."""
    result = empty_month("report", "--month", "2026-09", "--format", "csv")

    assert result.out == f'{CSV_BOM}"{TITLE}"\r\n\r\n"{EMPTY_MESSAGE}"\r\n'


def test_empty_month__html(empty_month: Jifen) -> None:
    """A whole page holding the title and the message, and no tables."""
    result = empty_month("report", "--month", "2026-09", "--format", "html")

    assert f"<h1>{TITLE}</h1>\n<p>{EMPTY_MESSAGE}</p>\n</body>\n</html>\n" in result.out
    assert "<table>" not in result.out


def test_empty_month__json_has_zeros_and_empty_lists(empty_month: Jifen) -> None:
    """Scripts get the same shape as any month: zero figures and empty lists."""
    result = empty_month("report", "--month", "2026-09", "--format", "json")

    values = json.loads(result.out)
    figures = {
        key: values[key]
        for key in (
            "active_volunteers",
            "new_volunteers",
            "services",
            "hours",
            "points_earned",
            "points_redeemed",
        )
    }
    assert values["month"] == "2026-09"
    assert figures == dict.fromkeys(figures, 0)
    assert [values[key] for key in ("by_activity", "board", "vouchers")] == [[], [], []]
    assert all(item["redeemed"] == 0 for item in values["shelf"])


# CJK width on the terminal ---------------------------------------------------


def _edges(line: str, cells: tuple[str, ...]) -> list[tuple[int, int] | None]:
    """The display columns where each cell starts and ends in a printed line."""
    edges: list[tuple[int, int] | None] = []
    position = 0
    for text in cells:
        if not text:
            edges.append(None)
            continue
        found = line.find(text, position)
        assert found >= 0, (text, line)
        position = found + len(text)
        edges.append((cell_len(line[:found]), cell_len(line[:position])))
    return edges


def _assert_aligned(lines: list[str], section: Section) -> None:
    """Left columns start, and number columns end, at the same display column."""
    header, rule, *rows = lines
    assert set(rule.strip()) == {"─"}
    printed = [
        _edges(header, section.columns),
        *(_edges(line, row) for line, row in zip(rows, section.rows, strict=True)),
    ]
    for column in range(len(section.columns)):
        side = 1 if section.is_numeric(column) else 0
        places = {
            found[side] for edges in printed if (found := edges[column]) is not None
        }
        assert len(places) == 1, (section.title, section.columns[column], lines)


def test_assert_aligned__catches_columns_padded_by_characters() -> None:
    """The check itself fails on a table padded by len() instead of display width."""
    section = Section(
        "board",
        ("Volunteer", "Points"),
        (("李", "3"), ("欧阳晓燕", "15")),
        (False, True),
    )
    by_characters = [
        f" {name:<12}{points:>6}"
        for name, points in [("Volunteer", "Points"), ("─" * 18, ""), *section.rows]
    ]
    by_characters[1] = by_characters[1].rstrip()

    with pytest.raises(AssertionError):
        _assert_aligned(by_characters, section)


def test_report_table__chinese_columns_line_up_at_80_columns(
    jifen: Jifen, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Names and teams of one to seven Chinese characters line up in every section."""
    setup(
        jifen,
        "join 李 --team 银发互助队 --date 2026-09-01",
        "join 王大江 --team 青年志愿服务队 --date 2026-09-01",
        "join 欧阳晓燕 --date 2026-10-01",
        "join Anna --team 维修队 --date 2026-10-01",
        "join 司马相如明 --team 维修队 --date 2026-10-02",
        "log 李 cleanup --hours 2.5 --date 2026-10-02",
        "log 王大江 repair --times 3 --date 2026-10-03",
        "log 欧阳晓燕 class --date 2026-10-04",
        "log Anna mediation --date 2026-10-05",
        "log 司马相如明 medicine --date 2026-10-06",
        "log 王大江 delivery --times 2 --date 2026-09-20",
        "restock tissue 4 --date 2026-10-01",
        "redeem 王大江 tissue --date 2026-10-20",
    )
    monkeypatch.setenv("COLUMNS", "80")
    report = Ledger(home).report(2026, 10)

    result = jifen("report", "--month", "2026-10")

    lines = result.out.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    laid_out = sections(report)
    assert [section.title for section in laid_out] == [
        "Headline",
        "By activity",
        "By team (志愿队)",
        "Top 10 (积分榜)",
        "The shelf (积分货架)",
        "The last 12 months",
    ]
    for section in laid_out:
        start = [line.rstrip() for line in lines].index(section.title) + 1
        _assert_aligned(lines[start : start + 2 + len(section.rows)], section)


def test_board_table__chinese_names_line_up_at_80_columns(
    jifen: Jifen, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The board's columns line up whatever the width of each name and team."""
    setup(
        jifen,
        "join 李 --team 银发互助队 --date 2026-09-01",
        "join 欧阳晓燕 --date 2026-09-01",
        "join 司马相如明 --team 青年志愿服务队 --date 2026-09-01",
        "log 李 class --times 3 --date 2026-10-02",
        "log 欧阳晓燕 cleanup --hours 1.5 --date 2026-10-02",
        "log 司马相如明 repair --date 2026-10-02",
    )
    monkeypatch.setenv("COLUMNS", "80")

    result = jifen("board", "--month", "2026-10")

    lines = result.out.splitlines()
    assert lines[0].rstrip() == "Leaderboard (积分榜) — 幸福里社区, 2026-10"
    section = Section(
        "board",
        ("Rank", "Volunteer", "Team", "Points", "Hours", "Stars"),
        (
            ("1", "李", "银发互助队", "15", "0", "—"),
            ("2", "欧阳晓燕", "", "3", "1.5", "—"),
            ("2", "司马相如明", "青年志愿服务队", "3", "0", "—"),
        ),
        (True, False, False, True, True, False),
    )
    _assert_aligned(lines[1:], section)
