"""The monthly report as a document: sections of rows, and the files made from them.

A report is laid out once, as a list of `Section`s of plain text cells, and
every format draws those same sections: the terminal (in `render`), Markdown
for a notice board or group chat, CSV for Excel on Chinese Windows, and one
self-contained HTML page to print on A4. JSON is the exception: it carries
plain values for scripts, not text laid out for people.
"""

import csv
import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jifen.i18n import _
from jifen.reports import BoardRow, Headline, MonthlyReport

BAR_WIDTH = 12
CSV_BOM = "\ufeff"
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
# A change as the other formats show it: +3, or −2 with a true minus sign.
_SIGNED_NUMBER = re.compile(r"[+−-]?\d+(\.\d+)?")


@dataclass(frozen=True)
class Section:
    """One table of the report: a title, its column names, and rows of text."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()

    def is_numeric(self, column: int) -> bool:
        """Whether a column holds numbers (right-aligned)."""
        return column < len(self.numeric) and self.numeric[column]


def hours_text(hours: Decimal | None) -> str:
    """Return hours without trailing zeros: 1.50 → 1.5, 2.0 → 2; nothing for None."""
    return "" if hours is None else format(hours.normalize(), "f")


def stars_text(stars: int) -> str:
    """Return a star level as stars, or a dash for none yet."""
    return "★" * stars if stars else "—"


def signed(number: int | Decimal) -> str:
    """Return a change with its sign: +3, −2 (a true minus sign), 0."""
    text = hours_text(abs(Decimal(number)))
    return f"+{text}" if number > 0 else f"−{text}" if number < 0 else "0"


def title_of(report: MonthlyReport) -> str:
    """Return the report's title line."""
    return _("Monthly report (月度汇总) — {community}, {month}").format(
        community=report.community, month=report.month
    )


def empty_message(report: MonthlyReport) -> str:
    """Return what an empty month says instead of tables."""
    return _(
        "Nothing was logged or redeemed in {month}. Log a service with "
        "`jifen log NAME ACTIVITY`, or pick another month with --month YYYY-MM."
    ).format(month=report.month)


def sections(report: MonthlyReport) -> list[Section]:
    """Lay the report out as sections, leaving out the ones with nothing to show."""
    laid_out = [_headline_section(report)]
    if report.by_activity:
        laid_out.append(
            Section(
                _("By activity"),
                (_("Activity"), _("Services"), _("Hours"), _("Points")),
                tuple(
                    (
                        total.label,
                        str(total.services),
                        hours_text(total.hours),
                        str(total.points),
                    )
                    for total in report.by_activity
                ),
                (False, True, True, True),
            )
        )
    if report.by_team:
        laid_out.append(
            Section(
                _("By team (志愿队)"),
                (_("Team"), _("Members"), _("Active"), _("Hours"), _("Points")),
                tuple(
                    (
                        total.team or _("(no team)"),
                        str(total.members),
                        str(total.active_members),
                        hours_text(total.hours),
                        str(total.points),
                    )
                    for total in report.by_team
                ),
                (False, True, True, True, True),
            )
        )
    if report.board:
        laid_out.append(board_section(_("Top 10 (积分榜)"), report.board))
    if report.stars_reached:
        laid_out.append(
            Section(
                _("Star levels reached (星级)"),
                (_("Volunteer"), _("Team"), _("Stars"), _("Total hours")),
                tuple(
                    (
                        star.name,
                        star.team or "",
                        stars_text(star.stars),
                        hours_text(star.hours),
                    )
                    for star in report.stars_reached
                ),
                (False, False, False, True),
            )
        )
    if report.shelf:
        laid_out.append(
            Section(
                _("The shelf (积分货架)"),
                (
                    _("Item"),
                    _("Redeemed"),
                    _("Points"),
                    _("Restocked"),
                    _("Stocktake"),
                    _("Stock at month end"),
                    _("Low"),
                ),
                tuple(
                    (
                        item.label,
                        str(item.redeemed),
                        str(item.points),
                        str(item.restocked),
                        signed(item.stocktake_difference),
                        str(item.stock),
                        _("low") if item.low else "",
                    )
                    for item in report.shelf
                ),
                (False, True, True, True, True, True, False),
            )
        )
    if report.vouchers:
        laid_out.append(
            Section(
                _("Partner vouchers (合作商户)"),
                (
                    _("Partner"),
                    _("Issued"),
                    _("Points issued"),
                    _("Used"),
                    _("Points used"),
                ),
                tuple(
                    (
                        partner.partner,
                        str(partner.issued),
                        str(partner.points_issued),
                        str(partner.used),
                        str(partner.points_used),
                    )
                    for partner in report.vouchers
                ),
                (False, True, True, True, True),
            )
        )
    if report.trend:
        laid_out.append(_trend_section(report))
    return laid_out


def board_section(title: str, rows: Sequence[BoardRow]) -> Section:
    """Return leaderboard rows as a section."""
    return Section(
        title,
        (_("Rank"), _("Volunteer"), _("Team"), _("Points"), _("Hours"), _("Stars")),
        tuple(
            (
                str(row.rank),
                row.name,
                row.team or "",
                str(row.points),
                hours_text(row.hours),
                stars_text(row.stars),
            )
            for row in rows
        ),
        (True, False, False, True, True, False),
    )


def _headline_section(report: MonthlyReport) -> Section:
    figures: list[tuple[str, str]] = [
        (_("Active volunteers"), "active_volunteers"),
        (_("New volunteers"), "new_volunteers"),
        (_("Services"), "services"),
        (_("Service hours"), "hours"),
        (_("Points earned"), "points_earned"),
        (_("Points redeemed"), "points_redeemed"),
        (_("Points outstanding at month end"), "points_outstanding"),
    ]

    def value(headline: Headline, name: str) -> Any:
        return getattr(headline, name)

    def shown(number: Any) -> str:
        return hours_text(number) if isinstance(number, Decimal) else str(number)

    def change(earlier: Headline | None, name: str) -> str:
        if earlier is None:
            return "—"
        return signed(value(report.headline, name) - value(earlier, name))

    return Section(
        _("Headline"),
        (_("Figure"), report.month, _("vs last month"), _("vs a year ago")),
        tuple(
            (
                label,
                shown(value(report.headline, name)),
                change(report.previous_month, name),
                change(report.year_ago, name),
            )
            for label, name in figures
        ),
        (False, True, True, True),
    )


def _trend_section(report: MonthlyReport) -> Section:
    most_active = max((month.active_volunteers for month in report.trend), default=0)
    most_points = max((month.points_earned for month in report.trend), default=0)
    return Section(
        _("The last 12 months"),
        (_("Month"), _("Active volunteers"), "", _("Points earned"), ""),
        tuple(
            (
                month.month,
                str(month.active_volunteers),
                bar(month.active_volunteers, most_active),
                str(month.points_earned),
                bar(month.points_earned, most_points),
            )
            for month in report.trend
        ),
        (False, True, False, True, False),
    )


def bar(value: int, most: int) -> str:
    """Return a bar of up to BAR_WIDTH blocks, as long as `value` is against `most`."""
    return "█" * round(BAR_WIDTH * value / most) if most else ""


# Formats -------------------------------------------------------------------


def markdown(report: MonthlyReport) -> str:
    """Return the report as Markdown, for a notice board post or a group chat."""
    lines = [f"# {_escape_markdown(title_of(report))}", ""]
    if report.empty:
        return "\n".join([*lines, empty_message(report), ""])
    for section in sections(report):
        lines += [f"## {_escape_markdown(section.title)}", ""]
        lines.append("| " + " | ".join(map(_escape_markdown, section.columns)) + " |")
        lines.append(
            "|"
            + "|".join(
                " ---: " if section.is_numeric(column) else " --- "
                for column in range(len(section.columns))
            )
            + "|"
        )
        for row in section.rows:
            lines.append("| " + " | ".join(map(_escape_markdown, row)) + " |")
        lines.append("")
    return "\n".join(lines)


def _escape_markdown(text: str) -> str:
    return re.sub(r"([\\|*_`\[\]<>#])", r"\\\1", text)


def spreadsheet(report: MonthlyReport) -> str:
    """Return the report as CSV that opens correctly in Excel on Chinese Windows.

    It starts with a UTF-8 byte-order mark, and any text cell starting with
    = + - @ (or a tab or carriage return) gets a leading ' so a spreadsheet
    never runs it as a formula. Plain numbers are left as numbers, and a
    change in a number column is written as one too (+3 as 3, −2 as -2).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_safe_cell(title_of(report))])
    if report.empty:
        writer.writerows([[], [_safe_cell(empty_message(report))]])
    for section in [] if report.empty else sections(report):
        writer.writerow([])
        writer.writerow([_safe_cell(section.title)])
        writer.writerow([_safe_cell(column) for column in section.columns])
        writer.writerows(
            [
                _safe_cell(cell, section.is_numeric(column))
                for column, cell in enumerate(row)
            ]
            for row in section.rows
        )
    return CSV_BOM + buffer.getvalue()


def _safe_cell(text: str, numeric: bool = False) -> str:
    if numeric and _SIGNED_NUMBER.fullmatch(text):
        return text.replace("−", "-").removeprefix("+")
    if _NUMBER.fullmatch(text):
        return text
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


_PAGE_STYLE = """
@page { size: A4; margin: 15mm; }
body { font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
  "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif;
  font-size: 11pt; color: #111; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 17pt; border-bottom: 2px solid #b22; padding-bottom: 4pt; }
h2 { font-size: 13pt; margin: 14pt 0 4pt; }
table { border-collapse: collapse; width: 100%; page-break-inside: avoid; }
th, td { border-bottom: 1px solid #ccc; padding: 2pt 6pt; text-align: left; }
th { background: #f4f4f4; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
""".strip()


def page(report: MonthlyReport) -> str:
    """Return the report as one self-contained HTML page, ready to print on A4."""
    title = html.escape(title_of(report))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        '<head><meta charset="utf-8">',
        f"<title>{title}</title>",
        f"<style>\n{_PAGE_STYLE}\n</style></head>",
        "<body>",
        f"<h1>{title}</h1>",
    ]
    if report.empty:
        parts.append(f"<p>{html.escape(empty_message(report))}</p>")
    for section in [] if report.empty else sections(report):
        parts.append(f"<h2>{html.escape(section.title)}</h2>")
        parts.append("<table>")
        parts.append(
            "<tr>"
            + "".join(
                _html_cell(section, column, text, "th")
                for column, text in enumerate(section.columns)
            )
            + "</tr>"
        )
        for row in section.rows:
            parts.append(
                "<tr>"
                + "".join(
                    _html_cell(section, column, text, "td")
                    for column, text in enumerate(row)
                )
                + "</tr>"
            )
        parts.append("</table>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _html_cell(section: Section, column: int, text: str, tag: str) -> str:
    kind = ' class="number"' if section.is_numeric(column) else ""
    return f"<{tag}{kind}>{html.escape(text)}</{tag}>"


def plain_values(report: MonthlyReport) -> dict[str, Any]:
    """Return the report as plain values for scripts (the JSON format)."""

    def figures(headline: Headline | None) -> dict[str, Any] | None:
        if headline is None:
            return None
        return {
            "active_volunteers": headline.active_volunteers,
            "new_volunteers": headline.new_volunteers,
            "services": headline.services,
            "hours": headline.hours,
            "points_earned": headline.points_earned,
            "points_redeemed": headline.points_redeemed,
            "points_outstanding": headline.points_outstanding,
        }

    return {
        "community": report.community,
        "month": report.month,
        **(figures(report.headline) or {}),
        "previous_month": figures(report.previous_month),
        "year_ago": figures(report.year_ago),
        "by_activity": [
            {
                "activity": total.activity,
                "label": total.label,
                "services": total.services,
                "hours": total.hours,
                "points": total.points,
            }
            for total in report.by_activity
        ],
        "by_team": [
            {
                "team": total.team,
                "members": total.members,
                "active_members": total.active_members,
                "hours": total.hours,
                "points": total.points,
            }
            for total in report.by_team
        ],
        "board": board_values(report.board),
        "shelf": [
            {
                "item": item.item,
                "label": item.label,
                "redeemed": item.redeemed,
                "points": item.points,
                "restocked": item.restocked,
                "stocktake_difference": item.stocktake_difference,
                "stock": item.stock,
                "low": item.low,
            }
            for item in report.shelf
        ],
        "vouchers": [
            {
                "partner": partner.partner,
                "issued": partner.issued,
                "points_issued": partner.points_issued,
                "used": partner.used,
                "points_used": partner.points_used,
            }
            for partner in report.vouchers
        ],
        "stars_reached": [
            {
                "name": star.name,
                "team": star.team,
                "stars": star.stars,
                "hours": star.hours,
            }
            for star in report.stars_reached
        ],
        "last_12_months": [
            {
                "month": month.month,
                "active_volunteers": month.active_volunteers,
                "points_earned": month.points_earned,
            }
            for month in report.trend
        ],
    }


def board_values(rows: Sequence[BoardRow]) -> list[dict[str, Any]]:
    """Return board rows as plain values."""
    return [
        {
            "rank": row.rank,
            "name": row.name,
            "team": row.team,
            "points": row.points,
            "hours": row.hours,
            "stars": row.stars,
        }
        for row in rows
    ]
