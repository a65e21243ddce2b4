"""The `jifen` command: option wiring only. Each command loads, calls, renders."""

import enum
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from jifen import __version__, documents, render
from jifen.accounts import account_of, passbook
from jifen.errors import JifenError
from jifen.i18n import _
from jifen.ledger import Ledger
from jifen.periods import choose_period, last_full_month
from jifen.rules import default_rules_text
from jifen.shelf import select_vouchers
from jifen.store import create_home
from jifen.text import clean_name, parse_month

app = typer.Typer(
    name="jifen",
    context_settings={"help_option_names": ["-h", "--help"]},
    help=_("积分 — a ledger for community volunteer points."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Format(enum.StrEnum):
    """Output formats of the read commands."""

    table = "table"
    json = "json"


class _Options:
    home: Path | None = None
    by: str | None = None


_options = _Options()

FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help=_("table for people, json for scripts."),
    ),
]
DateOption = Annotated[
    str | None,
    typer.Option(metavar="YYYY-MM-DD", help=_("The day it happened (default: today).")),
]
NoteOption = Annotated[
    str | None, typer.Option(metavar="TEXT", help=_("A free-text note."))
]
ReasonOption = Annotated[
    str,
    typer.Option(metavar="TEXT", help=_("Why, in a few words (required; it is kept).")),
]
IdOption = Annotated[
    str | None,
    typer.Option(
        "--id", metavar="ID", help=_("Your own id for this entry; retrying it is safe.")
    ),
]


def _ledger() -> Ledger:
    return Ledger.open(_options.home, by=_options.by)


def _show_version(value: bool) -> None:
    if value:
        render.say(f"jifen {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    home: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help=_(
                "The ledger home (a folder with rules.toml). Default: JIFEN_HOME, "
                "else the nearest folder upward with rules.toml."
            ),
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            metavar="NAME", help=_("Who is recording (default: your login name).")
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_show_version,
            help=_("Show jifen's version and stop."),
        ),
    ] = False,
) -> None:
    """积分 — a ledger for community volunteer points."""
    _options.home = home
    _options.by = by


@app.command()
def init(
    folder: Annotated[
        Path, typer.Argument(metavar="[DIR]", help=_("Where to make the home."))
    ] = Path(),
    community: Annotated[
        str | None,
        typer.Option(
            "--name", metavar="NAME", help=_("The community's name, e.g. 阳光苑社区.")
        ),
    ] = None,
) -> None:
    """Make a new ledger home: rules.toml and an empty data/."""
    text = default_rules_text(
        clean_name(community, _("community name")) if community else None
    )
    rules = create_home(folder, text)
    render.say(
        _(
            "Made a jifen home in {folder}. Edit {rules} to suit your community, "
            "then register volunteers with `jifen join NAME`."
        ).format(folder=folder.resolve(), rules=rules)
    )


@app.command()
def join(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help=_("The volunteer's name."))
    ],
    team: Annotated[
        str | None,
        typer.Option(metavar="TEAM", help=_("Their volunteer team (志愿队).")),
    ] = None,
    phone: Annotated[
        str | None,
        typer.Option(
            metavar="PHONE", help=_("Their phone number; always shown masked.")
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            metavar="YYYY-MM-DD", help=_("The day they joined (default: today).")
        ),
    ] = None,
    note: NoteOption = None,
    event_id: IdOption = None,
) -> None:
    """Register a volunteer."""
    result = _ledger().join(
        name, team=team, phone=phone, date=date, note=note, event_id=event_id
    )
    render.joined(result)


@app.command()
def log(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help=_("The volunteer's name."))
    ],
    activity: Annotated[
        str,
        typer.Argument(
            metavar="ACTIVITY", help=_("The activity: key, Chinese label or alias.")
        ),
    ],
    hours: Annotated[
        str | None,
        typer.Option(
            metavar="HOURS",
            help=_("Hours served, e.g. 1.5; needed for per-hour activities."),
        ),
    ] = None,
    times: Annotated[
        str | None,
        typer.Option(metavar="N", help=_("Sessions, cases or jobs (default 1).")),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option(
            metavar="LEVEL", help=_("Difficulty level, e.g. hard; adds a bonus.")
        ),
    ] = None,
    date: DateOption = None,
    witness: Annotated[
        str | None,
        typer.Option(
            metavar="NAME", help=_("Who witnessed it (见证人), e.g. the grid worker.")
        ),
    ] = None,
    note: NoteOption = None,
    event_id: IdOption = None,
) -> None:
    """Log a service: prints the points earned and the new balance."""
    result = _ledger().log(
        name,
        activity,
        hours=hours,
        times=times,
        level=level,
        date=date,
        witness=witness,
        note=note,
        event_id=event_id,
    )
    render.logged(result)


@app.command()
def redeem(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help=_("The volunteer's name."))
    ],
    items: Annotated[
        list[str],
        typer.Argument(
            metavar="ITEM[:QTY]...", help=_("Items to take, e.g. oil rice:2 卫生纸.")
        ),
    ],
    date: DateOption = None,
    note: NoteOption = None,
    event_id: IdOption = None,
) -> None:
    """Trade points for goods or a partner voucher.

    All or nothing: when points, stock or the community's limits fall short,
    it says why and writes nothing.
    """
    ledger = _ledger()
    result = ledger.redeem(name, items, date=date, note=note, event_id=event_id)
    render.redeemed(ledger.rules, result)


@app.command()
def balance(
    name: Annotated[
        str | None,
        typer.Argument(metavar="[NAME]", help=_("One volunteer (default: everyone).")),
    ] = None,
    output: FormatOption = Format.table,
) -> None:
    """Points earned, redeemed and left, service hours and star level."""
    ledger = _ledger()
    if name is None:
        accounts = ledger.accounts()
    else:
        accounts = [account_of(ledger.history(name))]
    render.balances(ledger.rules, accounts, output is Format.json)


@app.command(name="passbook")
def show_passbook(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help=_("The volunteer's name."))
    ],
    output: FormatOption = Format.table,
) -> None:
    """The passbook (积分存折): every entry with its running balance."""
    ledger = _ledger()
    history = ledger.history(name)
    render.passbook(
        ledger.rules,
        history.volunteer,
        account_of(history),
        passbook(ledger.rules, history),
        output is Format.json,
    )


class Ranking(enum.StrEnum):
    """What the board ranks by."""

    points = "points"
    hours = "hours"


@app.command(name="board")
def show_board(
    month: Annotated[
        str | None,
        typer.Option(metavar="YYYY-MM", help=_("The month (default: this month).")),
    ] = None,
    year: Annotated[
        str | None, typer.Option(metavar="YYYY", help=_("A whole year."))
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help=_("All time instead of one month."))
    ] = False,
    team: Annotated[
        str | None, typer.Option(metavar="TEAM", help=_("Only this team (志愿队)."))
    ] = None,
    top: Annotated[
        int | None,
        typer.Option(min=1, metavar="N", help=_("Show only the first N places.")),
    ] = None,
    ranking: Annotated[
        Ranking,
        typer.Option(
            "--by",
            metavar="points|hours",
            help=_("Rank by points earned or hours served."),
        ),
    ] = Ranking.points,
    output: FormatOption = Format.table,
) -> None:
    """The leaderboard (积分榜) by points earned.

    Spending points never lowers a rank; ties share a rank (1, 1, 3).
    """
    ledger = _ledger()
    period = choose_period(
        ledger.today(), month=month, year=year, everything=everything
    )
    rows = ledger.board(period, team=team, top=top, order=ranking.value)
    render.board(ledger.rules, rows, period.label, output is Format.json)


class ReportFormat(enum.StrEnum):
    """Output formats of the monthly report."""

    table = "table"
    md = "md"
    csv = "csv"
    json = "json"
    html = "html"


@app.command(name="report")
def show_report(
    month: Annotated[
        str | None,
        typer.Option(
            metavar="YYYY-MM", help=_("The month (default: the last full month).")
        ),
    ] = None,
    output_format: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=_("table for the screen; md, csv, html or json for a file."),
        ),
    ] = ReportFormat.table,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=_("Write the report to this file instead."),
        ),
    ] = None,
) -> None:
    """The monthly summary (月度汇总), on screen or as a file."""
    ledger = _ledger()
    year, number = parse_month(month) if month else last_full_month(ledger.today())
    monthly = ledger.report(year, number)
    if output_format is ReportFormat.table:
        if output is not None:
            raise JifenError(
                _(
                    "to write a file, choose its format too, e.g. --format html --output {file}"
                ).format(file=output)
            )
        render.report(monthly)
        return
    text = {
        ReportFormat.md: documents.markdown,
        ReportFormat.csv: documents.spreadsheet,
        ReportFormat.html: documents.page,
        ReportFormat.json: render.json_text,
    }[output_format](monthly)
    if output is None:
        render.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        raise JifenError(
            _(
                "cannot write {file} ({reason}); check the folder exists and is writable"
            ).format(file=output, reason=error.strerror)
        ) from None
    render.say(
        _("Wrote the report for {month} to {file}.").format(
            month=monthly.month, file=output
        )
    )


@app.command()
def void(
    target: Annotated[
        str, typer.Argument(metavar="ID", help=_("The id of the entry to reverse."))
    ],
    reason: ReasonOption,
    date: DateOption = None,
    event_id: IdOption = None,
) -> None:
    """Reverse a mistaken entry (冲正); both lines stay in the passbook."""
    ledger = _ledger()
    result = ledger.void(target, reason=reason, date=date, event_id=event_id)
    render.voided(ledger.rules, result)


@app.command()
def check(output: FormatOption = Format.table) -> None:
    """Check every file: print each problem as FILE:LINE: message."""
    report = _ledger().check()
    render.check_report(report, output is Format.json)
    if report.problems:
        raise typer.Exit(1)


@app.command()
def repair() -> None:
    """Set aside a last line cut short by a crash, keeping every whole entry."""
    render.repaired(_ledger().repair())


@app.command()
def reseal(
    reason: ReasonOption,
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="[NAME]", help=_("The volunteer whose file was edited by hand.")
        ),
    ] = None,
    shelf: Annotated[
        bool, typer.Option("--shelf", help=_("Seal the shelf's file instead."))
    ] = False,
) -> None:
    """Vouch for a file edited by hand, so `jifen check` trusts it again."""
    path, seal = _ledger().reseal(name, shelf=shelf, reason=reason)
    render.say(
        _("Sealed {path} as it is now, by {by}: ").format(path=path, by=seal.by),
        seal.reason,
        _(". Id: {id}").format(id=seal.id),
    )


# A typed "-5" is a wrong quantity, not an unknown option: let it reach the check.
_NUMBERS_MAY_BE_NEGATIVE = {"ignore_unknown_options": True}


@app.command(context_settings=_NUMBERS_MAY_BE_NEGATIVE)
def restock(
    item: Annotated[
        str, typer.Argument(metavar="ITEM", help=_("The good: key, label or alias."))
    ],
    quantity: Annotated[
        str, typer.Argument(metavar="QTY", help=_("How many arrived."))
    ],
    date: DateOption = None,
    note: NoteOption = None,
    event_id: IdOption = None,
) -> None:
    """Goods arrive on the shelf (补货)."""
    result = _ledger().restock(item, quantity, date=date, note=note, event_id=event_id)
    render.restocked(result)


@app.command(context_settings=_NUMBERS_MAY_BE_NEGATIVE)
def stocktake(
    item: Annotated[
        str, typer.Argument(metavar="ITEM", help=_("The good: key, label or alias."))
    ],
    count: Annotated[
        str,
        typer.Argument(metavar="COUNT", help=_("How many are really on the shelf.")),
    ],
    date: DateOption = None,
    note: NoteOption = None,
    event_id: IdOption = None,
) -> None:
    """Record a physical count of a good (盘点).

    The difference from the books is kept as a loss or surplus entry.
    """
    ledger = _ledger()
    result = ledger.stocktake(item, count, date=date, note=note, event_id=event_id)
    render.counted(ledger.rules, result)


@app.command(name="shelf")
def show_shelf(
    month: Annotated[
        str | None,
        typer.Option(
            metavar="YYYY-MM",
            help=_("Count what was taken in this month (default: this month)."),
        ),
    ] = None,
    output: FormatOption = Format.table,
) -> None:
    """The shelf (积分货架): prices, stock, what was taken."""
    ledger = _ledger()
    period = choose_period(ledger.today(), month=month)
    render.shelf(
        ledger.rules, ledger.shelf(period), period.label, output is Format.json
    )


voucher_app = typer.Typer(
    help=_("Vouchers for partner shops: use one, or list them."),
    no_args_is_help=True,
)
app.add_typer(voucher_app, name="voucher")


@voucher_app.command(name="use")
def use_voucher(
    code: Annotated[
        str, typer.Argument(metavar="CODE", help=_("The code on the volunteer's slip."))
    ],
    date: DateOption = None,
    note: NoteOption = None,
    event_id: IdOption = None,
) -> None:
    """Mark a voucher used at the partner shop; a second use is refused."""
    ledger = _ledger()
    voucher = ledger.use_voucher(code, date=date, note=note, event_id=event_id)
    render.voucher_used(ledger.rules, voucher)


@voucher_app.command(name="list")
def list_vouchers(
    partner: Annotated[
        str | None,
        typer.Option(metavar="PARTNER", help=_("Only this partner shop's vouchers.")),
    ] = None,
    only_open: Annotated[
        bool, typer.Option("--open", help=_("Only vouchers not used yet."))
    ] = False,
    output: FormatOption = Format.table,
) -> None:
    """Vouchers issued for partner offers, and whether each was used."""
    ledger = _ledger()
    shown = select_vouchers(ledger.rules, ledger.vouchers(), partner, only_open)
    render.voucher_list(ledger.rules, shown, output is Format.json)


@app.command(name="rules")
def show_rules(output: FormatOption = Format.table) -> None:
    """How each activity is scored, and the catalog."""
    render.rules_overview(_ledger().rules, output is Format.json)


def run(argv: list[str] | None = None) -> int:
    """Run the jifen command line and return its exit status."""
    command = typer.main.get_command(app)
    args = sys.argv[1:] if argv is None else argv
    try:
        # A bare `jifen` shows the help on stdout, not a usage error.
        status = command.main(
            args=args or ["--help"], prog_name="jifen", standalone_mode=False
        )
    except JifenError as error:
        render.fail(error.message)
        return 1
    except typer.TyperException as error:
        # A bare command group (`jifen voucher`) shows its help, as bare `jifen` does.
        # Typer keeps that exception's class private, so it is known by its name.
        if type(error).__name__ == "NoArgsIsHelpError":
            render.say(error.format_message())
            return 0
        render.fail(
            _("{problem} (type `jifen --help` or `jifen COMMAND --help`)").format(
                problem=error.format_message()
            )
        )
        return 1
    except (typer.Abort, KeyboardInterrupt):
        render.fail(_("stopped; nothing more was written"))
        return 1
    except BrokenPipeError:
        # The reader stopped early (`jifen report | head`): that is not a failure.
        _quiet_stdout()
        return 0
    except OSError as error:
        render.fail(
            _(
                "cannot use {file}: {reason}; check the disk and the folder's "
                "permissions, then run the command again"
            ).format(file=error.filename or _("a file"), reason=error.strerror or error)
        )
        return 1
    except Exception as error:
        if os.environ.get("JIFEN_DEBUG"):
            raise
        render.fail(
            _(
                "jifen stopped on an internal error ({kind}: {error}); please report "
                "it with the command you typed (JIFEN_DEBUG=1 shows the details)"
            ).format(kind=type(error).__name__, error=error)
        )
        return 1
    return status if isinstance(status, int) else 0


def _quiet_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main() -> None:
    """The console script's entry point."""
    status = run()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
    sys.exit(status)
