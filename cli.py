"""Charter Desk on the command line: scheduled weekly loads, undo, checks (spec section 7).

Exit status: 0 done, 2 file refused / unknown batch / password or argument refused, 1 any other
error, 130 interrupted (nothing changed). Messages are plain words on stderr; a Python traceback is
never shown (set CHARTERDESK_DEBUG=1 to see one).
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

EXIT_OK, EXIT_ERROR, EXIT_REFUSED, EXIT_INTERRUPTED = 0, 1, 2, 130
PROJECT_ROOT = Path(__file__).resolve().parent


def _user() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name in some schedulers' environments
        return "cli"


def _open(charter=None, *, report: bool = False):
    """The database with its per-contact facts current for the charter (recomputed when it changed;
    the saved charter unless one already read is given). A report (kpis, batches, undo) where there is
    no database file yet reads an empty one in memory, as spec section 7 has it (kpis and batches exit
    0, undo says 'unknown batch'), creates no file, and says on stderr that there is none: a mistyped
    DASHBOARD_DB must not pass for a quiet week."""
    from charter.engine import facts_are_current, refresh
    from charter.model import load_charter
    from store import db

    charter = charter or load_charter()
    if report and not db.database_path().exists():
        print(f"note: {db.no_database_message(db.database_path())}", file=sys.stderr)
        con = db.connect_empty()
    else:
        con = db.connect()
    with db.write_transaction(con) as cursor:
        if not facts_are_current(cursor, charter):
            refresh(cursor, charter)
    return con, charter


def command_load(args) -> int:
    from store import db
    from store.ingest import load_path

    made_for_this_load = not db.database_path().exists()
    con, charter = _open()
    try:
        result = load_path(con, args.table, args.path, _user(), charter, preset_name=args.preset,
                           date_format=args.date_format)
    except BaseException:
        # refused, failed or interrupted: the first load into a new DASHBOARD_DB leaves no empty database
        # behind, which a later `kpis` would read as "no data" instead of "no such database"
        con.close()
        if made_for_this_load:
            db.remove_database_files(db.database_path())
        raise
    if result.already_loaded:
        print(f"already loaded: this file is batch {result.batch_id}; nothing changed")
        return EXIT_OK
    repeated = f", {result.rows_repeated} {result.repeated_words}" if result.rows_repeated else ""
    print(f"batch {result.batch_id}: {result.rows_loaded} rows loaded "
          f"({result.rows_new} new, {result.rows_updated} updated, {result.rows_unchanged} unchanged{repeated}), "
          f"{result.rows_rejected} rows rejected; preset {result.preset}; encoding {result.encoding}")
    for note in result.notes:
        print(f"note: {note}")
    _print_rejected(result.rejected, result.rows_rejected)
    return EXIT_OK


def _print_rejected(rejected, count: int, listed: int = 50) -> None:
    for row in rejected.head(listed).itertuples():
        print(f"rejected row {row.row}: {row.reason}", file=sys.stderr)
    if count > listed:
        print(f"... and {count - listed:,} more rejected rows (see the Data page)", file=sys.stderr)


def command_batches(args) -> int:
    from queries.kpis import records
    from store.batches import list_batches

    con, _ = _open(report=True)
    frame = list_batches(con)
    if args.json:
        print(json.dumps(records(frame), indent=2))
    elif frame.empty:
        print("no batches yet")
    else:
        print(frame[["batch_id", "table_name", "file_name", "loaded_at", "loaded_by", "rows_loaded",
                     "rows_rejected", "status"]].to_string(index=False))
    return EXIT_OK


def command_undo(args) -> int:
    from store.batches import UnknownBatch, undo_batch

    con, charter = _open(report=True)
    try:
        print(undo_batch(con, args.batch_id, _user(), charter))
    except UnknownBatch as error:
        print(str(error), file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_OK


def command_kpis(args) -> int:
    from charter.model import load_charter
    from queries import Filters
    from queries.kpis import kpi_report

    if args.date_from and args.date_to and args.date_from > args.date_to:
        print(f"refused: --from {args.date_from} is after --to {args.date_to}", file=sys.stderr)
        return EXIT_REFUSED
    charter, at = load_charter(), args.as_of
    if at is not None and at.tzinfo is None:   # spec section 2: a time without an offset is charter-local
        zone = charter.schedule.timezone   # checked before _open, which may recompute the facts
        at = at.replace(tzinfo=ZoneInfo(zone))
        try:
            at.astimezone(timezone.utc)
        except OverflowError:   # 0001-01-01 00:00 in Tokyo is before the first representable instant
            print(f"refused: --as-of {args.as_of.isoformat()} in {zone} is out of range", file=sys.stderr)
            return EXIT_REFUSED
    con, charter = _open(charter, report=True)
    chosen = _filter_values(con, args)
    if chosen is None:
        return EXIT_REFUSED
    report = kpi_report(con, charter, Filters(date_from=args.date_from, date_to=args.date_to, **chosen), at=at)
    print(json.dumps(report, indent=2 if not args.json else None))
    return EXIT_OK


def _filter_values(con, args) -> dict[str, tuple[str, ...]] | None:
    """The --channel, --team, --partner and --product values as the data spells them, found as the
    sidebar finds a link's (queries.spelled_as_offered): whatever their case. Each option may be
    repeated or hold a comma list; a value the data has as written, commas and all, is taken whole.
    None, having said why, when one is not in the data: leaving it out would print the figures of
    everything under a filter the analyst believes applied."""
    from queries import FILTER_FIELDS, run_rows, spelled_as_offered

    if not any(getattr(args, name) for name in FILTER_FIELDS):
        return {}   # no option given: nothing to look up (kpis --json is timed, issue #7's (c) and (e))
    offered: dict[str, list[str]] = {}
    for row in run_rows(con, "filter_options"):
        offered.setdefault(row["dimension"], []).append(row["value"])
    chosen = {}
    for name, field in FILTER_FIELDS.items():
        data_has = offered.get(name, [])
        wanted = []
        for given in getattr(args, name) or []:
            whole, _ = spelled_as_offered([given.strip()], data_has)
            wanted += whole or [part.strip() for part in given.split(",") if part.strip()]
        found, unknown = spelled_as_offered(wanted, data_has)
        if unknown:
            has = f"its {name} values are {', '.join(sorted(data_has))}" if data_has else f"it has no {name} values yet"
            print(f"refused: --{name} {', '.join(repr(value) for value in unknown)} is not in the data ({has})",
                  file=sys.stderr)
            return None
        chosen[field] = tuple(found)
    return chosen


def command_demo(args) -> int:
    from demo.load import build_demo_database
    from store.db import database_path

    if args.if_missing and database_path().exists():
        print(f"Using the existing database {database_path()} (delete it or run `python cli.py demo` to rebuild).")
        return EXIT_OK
    print(build_demo_database(progress=lambda message: print(message, flush=True)))
    return EXIT_OK


def command_backup(args) -> int:
    from store import db
    from store.backup import backup

    con = db.connect(create=False)   # not _open(): a mistake in the charter must not stop the nightly backup
    print(f"backup written to {backup(con, args.folder)}")
    return EXIT_OK


def command_restore(args) -> int:
    from charter.model import CharterError
    from store.backup import restore

    print(f"database {restore(args.folder)} restored from {args.folder}")
    # The restore itself is done from here on: whatever stops the recomputation, say so, not "error".
    try:
        _open()  # recompute the charter clocks if the charter changed since the backup
    except CharterError as error:
        print(f"note: the figures are recomputed once the charter can be used: {error}", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted after the restore: the database is the backup's; its figures are recomputed "
              "on the next command or page visit", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK


MIN_PASSWORD_LENGTH = 10


def _is_utf8_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _new_password() -> str | None:
    """Typed twice at a terminal; for scripts, the first line of standard input (a second line,
    when given, must repeat it). None (after a plain message) when it is refused."""
    if sys.stdin.isatty():
        try:
            first = getpass.getpass("New manager password: ")
            again = getpass.getpass("Type it again: ")
        except (EOFError, KeyboardInterrupt):
            print("\nrefused: cancelled; nothing was changed", file=sys.stderr)
            return None
    else:
        lines = sys.stdin.read().splitlines() or [""]
        first, again = lines[0], (lines[1] if len(lines) > 1 and lines[1] else lines[0])
    if not first.strip():
        print("refused: the password is empty; nothing was changed", file=sys.stderr)
    elif not _is_utf8_text(first):   # bytes that are not UTF-8 arrive as lone surrogates
        print("refused: the password is not UTF-8 text; nothing was changed", file=sys.stderr)
    elif len(first) < MIN_PASSWORD_LENGTH:
        print(f"refused: the password is shorter than {MIN_PASSWORD_LENGTH} characters; nothing was changed",
              file=sys.stderr)
    elif first != again:
        print("refused: the two passwords differ; nothing was changed", file=sys.stderr)
    else:
        return first
    return None


def command_set_manager_password(args) -> int:
    from components.auth import ENV_HASH, SecretsFileError, hash_password, write_password_hash

    password = _new_password()
    if password is None:
        return EXIT_REFUSED
    try:
        path = write_password_hash(hash_password(password), args.secrets)
    except SecretsFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    print(f"manager password set: its salted hash is in {path} (a running dashboard picks it up by itself; "
          "earlier manager sign-ins end)")
    if os.environ.get(ENV_HASH):
        print(f"note: {ENV_HASH} is set in this environment; where the dashboard has it too, it wins over the file")
    return EXIT_OK


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-31") from None


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo:   # 9999-12-31T23:59-01:00 is past the last representable instant
            moment.astimezone(timezone.utc)   # (a local time is checked in its zone, by command_kpis)
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date and time like 2026-03-31T17:00") from None
    return moment


def parser() -> argparse.ArgumentParser:
    from queries import FILTER_FIELDS

    top = argparse.ArgumentParser(prog="python cli.py", description=__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="command", required=True)

    load = commands.add_parser("load", help="load one CSV export as an upload batch")
    load.add_argument("table", choices=["contacts", "customers", "prices"])
    load.add_argument("path")
    load.add_argument("--preset", help="canonical, zendesk, freshdesk, zammad, osticket or a saved preset")
    load.add_argument("--date-format", choices=["dayfirst", "monthfirst"],
                      help="how to read dates such as 02/03/2026")
    load.set_defaults(run=command_load)

    batches = commands.add_parser("batches", help="list upload batches")
    batches.add_argument("--json", action="store_true")
    batches.set_defaults(run=command_batches)

    undo = commands.add_parser("undo", help="undo one upload batch")
    undo.add_argument("batch_id", type=int)
    undo.set_defaults(run=command_undo)

    kpis = commands.add_parser(
        "kpis", help="print every KPI as JSON (spec section 6)",
        # said where the analyst picks the dates: the Pricing page counts the bills dated in its period,
        # so the same dates there give other pricing figures (docs/definitions.md, reading 9)
        description="--from and --to keep the contacts opened on those days (charter time, both included): the "
                    "standards, responsiveness, complaints and data quality. --channel, --team, --partner and "
                    "--product are the sidebar's filters, with its meaning: contacts of those channels, teams or "
                    "partners ('In-house' for none), from customers holding those products; values match whatever "
                    "their case, an option may be repeated or hold a comma list, and a value not in the data is "
                    "refused. Prices and customers are not contacts: pricing_by_tenure and churn_monthly cover every "
                    "period, where the Pricing page counts the bills dated in its period (pick the months you want "
                    "from churn_monthly), and of the filters only --product applies to them, as on the Pricing page. "
                    "The output's 'filters' key says which applied.")
    kpis.add_argument("--json", action="store_true", help="compact JSON (the default output is indented JSON)")
    kpis.add_argument("--from", dest="date_from", type=_day, help="first day of contacts opened (YYYY-MM-DD)")
    kpis.add_argument("--to", dest="date_to", type=_day, help="last day of contacts opened (YYYY-MM-DD)")
    for name, plural in FILTER_FIELDS.items():
        kpis.add_argument(f"--{name}", action="append", metavar=name.upper(),
                          help=f"only these {plural}, as the sidebar's {name.capitalize()} filter (repeatable, or a comma list)")
    kpis.add_argument("--as-of", type=_instant, help="judge open clocks at this instant instead of the latest "
                      "timestamp in the data (ISO 8601; without an offset it is the charter's local time)")
    kpis.set_defaults(run=command_kpis)

    demo = commands.add_parser("demo", help="(re)create the database with the bundled demo data")
    demo.add_argument("--if-missing", action="store_true", help="only when there is no database yet")
    demo.set_defaults(run=command_demo)
    backup = commands.add_parser("backup", help="export the whole database to a folder (Parquet)")
    backup.add_argument("folder")
    backup.set_defaults(run=command_backup)

    restore = commands.add_parser("restore", help="replace the database with a backup folder")
    restore.add_argument("folder")
    restore.set_defaults(run=command_restore)

    password = commands.add_parser(
        "set-manager-password", help="set the manager password (asked twice; a script may pipe it on stdin)",
        description="Store a salted hash of a new manager password in the Streamlit secrets file, keeping "
                    "every other secret. At a terminal the password is asked twice and not shown; otherwise "
                    "the first line of standard input is the password (an optional second line must repeat it). "
                    f"At least {MIN_PASSWORD_LENGTH} characters.")
    password.add_argument("--secrets", type=Path, default=PROJECT_ROOT / ".streamlit" / "secrets.toml",
                          help="the secrets file to write (default: .streamlit/secrets.toml in the project)")
    password.set_defaults(run=command_set_manager_password)
    return top


def _quiet_closed_pipes() -> None:
    """Point stdout and stderr at /dev/null so that the flush at exit does not fail on the closed pipe
    (Python would print 'Exception ignored ... BrokenPipeError' and exit 120)."""
    null = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(null, stream.fileno())
        except (OSError, ValueError):  # not a real file (a test's captured stream)
            pass


def main(argv: list[str] | None = None) -> int:
    from charter.model import CharterError
    from store.csvfile import UploadRefused
    from store.backup import BackupFailed
    from store.db import DatabaseBusy, DatabaseUnusable, SettingError

    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:   # each change is one transaction, and demo/restore swap files only when done
        print("interrupted; nothing was changed", file=sys.stderr)
        return EXIT_INTERRUPTED
    except UploadRefused as error:
        try:
            print(f"refused: {error}", file=sys.stderr)
            bad_rows = getattr(error, "rejected", None)   # too many bad rows: every one, to fix the file from
            if bad_rows is not None:
                _print_rejected(bad_rows, len(bad_rows), listed=len(bad_rows))
        except BrokenPipeError:  # `2>&1 | head`: the refusal is still the answer
            _quiet_closed_pipes()
        return EXIT_REFUSED
    except BrokenPipeError:  # output piped into `head` and friends
        _quiet_closed_pipes()
        return EXIT_OK
    except (BackupFailed, CharterError, DatabaseBusy, DatabaseUnusable, SettingError, FileExistsError,
            FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as error:  # the last line of defence: plain words, no traceback
        if os.environ.get("CHARTERDESK_DEBUG"):
            raise
        if "interrupted" in str(error).lower():   # Ctrl-C inside a DuckDB query: its transaction rolled back
            print("interrupted; nothing was changed", file=sys.stderr)
            return EXIT_INTERRUPTED
        if "No space left on device" in str(error):   # a load rolls back; demo and restore keep the live file
            print("error: the disk is full; nothing was changed. Free some space and run it again.", file=sys.stderr)
            return EXIT_ERROR
        if isinstance(error, OSError) and error.strerror:   # a backup folder that is a file, or not writable
            print(f"error: {error.strerror}: {error.filename}", file=sys.stderr)
            return EXIT_ERROR
        print(f"error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    import signal

    try:
        status = main()
    except KeyboardInterrupt:   # Ctrl-C while Python was still importing: nothing had started
        print("interrupted; nothing was changed", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    # The work is done and reported: a Ctrl-C now must not print a traceback from Python's shutdown.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(status)
