"""The only code that touches `data/`: finding the home, locking, reading, appending.

Layout of a home:

    rules.toml
    data/
        .lock                 held by every write
        shelf.jsonl           restocks, stocktakes and vouchers used at partners
        volunteers/
            王大江.jsonl       one file per volunteer, the volunteer record first
        .cache/               derived summaries; safe to delete at any time

A file's name is made from the volunteer's name; the real name lives inside
the record. Two names that the file system would store under one file name
(a case-insensitive disk, say) get `~2`, `~3` ... after the name.
"""

import contextlib
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import filelock
import msgspec

from jifen import __version__
from jifen.errors import JifenError
from jifen.events import (
    Event,
    Redemption,
    Seal,
    Service,
    ShelfEntry,
    ShelfEvent,
    Void,
    Volunteer,
    VolunteerEntry,
    VolunteerHistory,
    decoder,
    digest_of_line,
    live_shelf_events,
    sealed_line,
)
from jifen.i18n import _

T = TypeVar("T")

RULES_FILE = "rules.toml"
DATA_DIR = "data"
VOLUNTEERS_DIR = "volunteers"
SHELF_FILE = "shelf.jsonl"
LOCK_FILE = ".lock"
LOCK_HOLDER_FILE = ".lock-holder"
CACHE_DIR = ".cache"
SUFFIX = ".jsonl"
LOCK_TIMEOUT_SECONDS = 10.0

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{port}{number}" for port in ("com", "lpt") for number in range(1, 10)
}


def find_home(explicit: Path | None, environ: Mapping[str, str], cwd: Path) -> Path:
    """Return the ledger home: --home, else JIFEN_HOME, else the nearest upward."""
    if explicit is not None:
        return _checked_home(explicit, "--home")
    if environ.get("JIFEN_HOME"):
        return _checked_home(Path(environ["JIFEN_HOME"]), "JIFEN_HOME")
    for folder in (cwd, *cwd.parents):
        if (folder / RULES_FILE).is_file():
            return folder
    raise JifenError(
        _(
            "no jifen home here: no rules.toml in {cwd} or any folder above it; "
            "type `jifen init` to make one, or pass --home DIR"
        ).format(cwd=cwd)
    )


def create_home(folder: Path, rules_text: str) -> Path:
    """Make `folder` a new home: write rules.toml and an empty data/ folder."""
    rules = folder / RULES_FILE
    if rules.exists():
        raise JifenError(
            _("{rules} already exists; this folder is already a jifen home").format(
                rules=rules
            )
        )
    outer = next(
        (
            parent
            for parent in folder.resolve().parents
            if (parent / RULES_FILE).is_file()
        ),
        None,
    )
    if outer is not None:
        raise JifenError(
            _(
                "{folder} is inside the jifen home {outer}; a home inside another "
                "would hide its data; choose a folder outside it"
            ).format(folder=folder, outer=outer)
        )
    try:
        (folder / DATA_DIR).mkdir(parents=True, exist_ok=True)
        with rules.open("x", encoding="utf-8") as file:
            file.write(rules_text)
    except OSError as error:
        raise JifenError(
            _("cannot make a home in {folder} ({reason})").format(
                folder=folder, reason=error.strerror
            )
        ) from None
    return rules


def _checked_home(folder: Path, source: str) -> Path:
    if folder.is_file() or (
        folder.name == DATA_DIR and (folder.parent / RULES_FILE).is_file()
    ):
        raise JifenError(
            _(
                "{source} {folder} is not a home; give the folder that holds "
                "rules.toml and data/, e.g. {source} {home}"
            ).format(source=source, folder=folder, home=folder.parent)
        )
    if not (folder / RULES_FILE).is_file():
        raise JifenError(
            _(
                "{source} {folder} has no rules.toml; type `jifen init {folder}` first"
            ).format(source=source, folder=folder)
        )
    return folder


def file_stem(name: str) -> str:
    """Return a safe file name stem for a volunteer name already cleaned by text."""
    stem = name.replace(" ", "_")
    if stem.casefold().split(".")[0] in _WINDOWS_RESERVED:
        stem = "_" + stem
    return stem


@dataclass(frozen=True)
class Repaired:
    """One file mended: its incomplete line set aside (`side`), or its line break added."""

    path: Path
    side: Path | None
    moved: int


class Store:
    """Reads and appends the event files of one home."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.data = home / DATA_DIR
        self.volunteers = self.data / VOLUNTEERS_DIR
        self.shelf = self.data / SHELF_FILE
        self._holding_lock = False

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the home's write lock; every check-then-write runs inside it."""
        self.data.mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(self.data / LOCK_FILE, timeout=LOCK_TIMEOUT_SECONDS)
        holder = self.data / LOCK_HOLDER_FILE
        try:
            with lock:
                self._holding_lock = True
                with contextlib.suppress(OSError):
                    holder.write_text(_who_holds(), encoding="utf-8")
                try:
                    yield
                finally:
                    self._holding_lock = False
        except filelock.Timeout:
            try:
                who = holder.read_text(encoding="utf-8").strip()
            except OSError:
                who = _("unknown")
            raise JifenError(
                _(
                    "another jifen command has been writing for {seconds:.0f} s "
                    "({who}); nothing was written; try again in a moment"
                ).format(seconds=LOCK_TIMEOUT_SECONDS, who=who)
            ) from None

    def volunteer_paths(self) -> list[Path]:
        """Return every volunteer file, sorted by name."""
        return [self.volunteers / name for name in self._volunteer_file_names()]

    def _volunteer_file_names(self) -> list[str]:
        # Plain strings, not Path objects: at a city's 30 000 files, sorting and
        # joining paths was most of the cost of a cached summary.
        try:
            names = os.listdir(self.volunteers)
        except FileNotFoundError:
            return []
        return sorted(name for name in names if name.endswith(SUFFIX))

    def volunteer_names(self) -> list[str]:
        """Return every registered volunteer's name, read from each file's first line."""
        return [record.name for record in self.volunteer_records()]

    def volunteer_records(self) -> list[Volunteer]:
        """Return every volunteer's record, read from each file's first line."""
        return [self.read_record(path) for path in self.volunteer_paths()]

    def path_for(self, name: str) -> tuple[Path, Volunteer | None]:
        """Return the file holding `name`, or the free path it would be created at."""
        stem = file_stem(name)
        for number in range(1, 1000):
            path = self.volunteers / (
                stem + ("" if number == 1 else f"~{number}") + SUFFIX
            )
            if not path.exists():
                return path, None
            record = self.read_record(path)
            if record.name == name:
                return path, record
        raise JifenError(
            _("too many volunteers share the file name {stem}").format(stem=stem)
        )

    def read_record(self, path: Path) -> Volunteer:
        """Return the volunteer record on the first line of a file."""
        with path.open("rb") as file:
            first = file.readline()
        if not first.endswith(b"\n") and not self._holding_lock:
            # A file `join` has only just made: wait for it, as _read_settled does.
            with self.locked(), path.open("rb") as file:
                first = file.readline()
        return _decode_record(path, first)

    def read(self, path: Path) -> VolunteerHistory:
        """Read one volunteer's file whole, stopping at the first damaged line."""
        try:
            data = self._read_settled(path)
        except OSError as error:
            raise JifenError(
                _("{path}: cannot read it ({reason})").format(
                    path=path, reason=error.strerror
                )
            ) from None
        events = _decode_lines(path, data)
        if not events:
            raise JifenError(
                _(
                    "{path}: the file is empty (its first line should be the volunteer's "
                    "record); nothing was changed; restore the file from a backup"
                ).format(path=path)
            )
        volunteer, *rest = events
        if not isinstance(volunteer, Volunteer):
            raise JifenError(
                _("{path}:1: the first line is not a volunteer record").format(
                    path=path
                )
            )
        entries: list[VolunteerEntry] = []
        for number, event in enumerate(rest, start=2):
            if not isinstance(event, Service | Redemption | Void | Seal):
                raise JifenError(
                    _(
                        "{path}:{line}: a {kind} entry does not belong in a "
                        "volunteer's file; move it back where it came from"
                    ).format(path=path, line=number, kind=type(event).__name__.lower())
                )
            entries.append(event)
        return VolunteerHistory(path, volunteer, tuple(entries))

    def _read_settled(self, path: Path) -> bytes:
        """Read a whole file; a file another command is still writing is waited out.

        Readers do not take the lock, so one may catch a line half written, or a
        volunteer's file just made and still empty. Only if the file is still
        empty or its last line incomplete under the lock is it real damage.
        """
        data = path.read_bytes()
        if not data.endswith(b"\n") and not self._holding_lock:
            with self.locked():
                data = path.read_bytes()
        return data

    def read_shelf(self) -> list[ShelfEvent]:
        """Read the shelf's restocks, stocktakes and vouchers used that still count."""
        return live_shelf_events(self.read_shelf_entries())

    def read_shelf_entries(self) -> list[ShelfEntry]:
        """Read every entry of the shelf's file, voids and voided ones included."""
        try:
            data = self._read_settled(self.shelf)
        except FileNotFoundError:
            return []
        shelf_events: list[ShelfEntry] = []
        for number, event in enumerate(_decode_lines(self.shelf, data), start=1):
            if isinstance(event, Volunteer | Service | Redemption):
                raise JifenError(
                    _(
                        "{path}:{line}: a {kind} entry does not belong in the shelf's "
                        "file; move it back where it came from"
                    ).format(
                        path=self.shelf, line=number, kind=type(event).__name__.lower()
                    )
                )
            shelf_events.append(event)
        return shelf_events

    def read_all(self) -> list[VolunteerHistory]:
        """Read every volunteer's file once."""
        histories = [self.read(path) for path in self.volunteer_paths()]
        _refuse_copies(
            {h.path.name: h.volunteer.name for h in histories}, self.volunteers
        )
        return histories

    def read_sealable(self, path: Path) -> bytes:
        """Return a file's bytes for sealing, refusing one with an incomplete last line."""
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise JifenError(
                _("{path} does not exist yet; there is nothing to seal").format(
                    path=path
                )
            ) from None
        if data and not data.endswith(b"\n"):
            raise JifenError(_torn_line_message(path, data))
        return data

    def raw_files(
        self,
    ) -> tuple[Iterator[tuple[Path, bytes]], tuple[Path, bytes] | None]:
        """Return every volunteer file's bytes, read one at a time, and the shelf's."""
        volunteers = ((path, path.read_bytes()) for path in self.volunteer_paths())
        shelf = (self.shelf, self.shelf.read_bytes()) if self.shelf.exists() else None
        return volunteers, shelf

    def repair_torn_tails(self, moment: str) -> list[Repaired]:
        """Mend every file whose last line has no line break, keeping every entry.

        A last line that is a whole entry only lacks its line break, which is
        added. Anything else is the start of an interrupted write: it is moved
        into a side file next to its file (the whole file, when nothing before
        it was complete). Damage in the middle of a file is never touched.
        """
        repaired = []
        with self.locked():
            paths = self.volunteer_paths() + (
                [self.shelf] if self.shelf.exists() else []
            )
            for path in paths:
                data = path.read_bytes()
                if not data or data.endswith(b"\n"):
                    continue
                keep = data.rfind(b"\n") + 1
                if _is_whole_entry(data[keep:]):
                    with path.open("ab") as file:
                        _write_whole(file.fileno(), b"\n")
                    repaired.append(Repaired(path, None, 0))
                    continue
                side = _free_side_path(path, moment)
                if keep == 0:
                    os.replace(path, side)
                else:
                    with side.open("xb") as file:
                        _write_whole(file.fileno(), data[keep:])
                    with path.open("r+b") as file:
                        file.truncate(keep)
                        os.fsync(file.fileno())
                _fsync_directory(path.parent)
                repaired.append(Repaired(path, side, len(data) - keep))
        return repaired

    def fingerprint(self) -> str:
        """Return a digest of every data file's size, time and inode: it changes with them."""
        parts = []
        for file_name in self._volunteer_file_names():
            status = os.stat(os.path.join(self.volunteers, file_name))
            parts.append(
                f"{file_name}:{status.st_size}:{status.st_mtime_ns}:{status.st_ino}"
            )
        with contextlib.suppress(FileNotFoundError):
            status = self.shelf.stat()
            parts.append(f"shelf:{status.st_size}:{status.st_mtime_ns}:{status.st_ino}")
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()

    def remembered(
        self, cache: str, key: str, kind: type[T], compute: Callable[[], T]
    ) -> T:
        """Return a value kept in the cache under `key`, or compute and keep it.

        Used for whole results (a month's report): `key` must change whenever
        anything the value depends on changes.
        """
        cache_path = self.data / CACHE_DIR / f"{cache}.msgpack"
        kept = _load_cache(cache_path, tuple[str, kind])  # type: ignore[valid-type]
        if kept and kept[0] == key:
            return kept[1]  # type: ignore[no-any-return]
        value = compute()
        _save_cache(cache_path, (key, value))
        return value

    def summaries(
        self,
        cache: str,
        summarise: Callable[[VolunteerHistory], T],
        kind: type[T],
        *,
        skip_damaged: bool = False,
    ) -> list[T]:
        """Return `summarise` of every volunteer's file, reading only changed files."""
        found = self.summaries_of({cache: (summarise, kind)}, skip_damaged=skip_damaged)
        return found[cache]

    def summaries_of(
        self,
        wanted: Mapping[str, tuple[Callable[[VolunteerHistory], Any], type]],
        *,
        skip_damaged: bool = False,
    ) -> dict[str, list[Any]]:
        """Return several summaries of every volunteer's file, each file read once.

        Each summary is kept in `data/.cache/CACHE.msgpack` with the size,
        modification time and inode of the file it came from, and the
        volunteer's name; a file whose three still match is not read again.
        The caches are derived: deleting them only costs one full read.
        """
        paths = {cache: self.data / CACHE_DIR / f"{cache}.msgpack" for cache in wanted}
        cached = {
            cache: _load_cache(paths[cache], dict[str, tuple[int, int, int, str, kind]])  # type: ignore[valid-type]
            for cache, (_summarise, kind) in wanted.items()
        }
        fresh: dict[str, dict[str, Any]] = {cache: {} for cache in wanted}
        changed: set[str] = set()
        for file_name in self._volunteer_file_names():
            status = os.stat(os.path.join(self.volunteers, file_name))
            stamp = (status.st_size, status.st_mtime_ns, status.st_ino)
            history: VolunteerHistory | None = None
            for cache, (summarise, _kind) in wanted.items():
                known = cached[cache].get(file_name)
                if known is not None and tuple(known[:3]) == stamp:
                    fresh[cache][file_name] = known
                    continue
                if history is None:
                    try:
                        history = self.read(self.volunteers / file_name)
                    except JifenError:
                        if skip_damaged:
                            break
                        raise
                summary = summarise(history)
                fresh[cache][file_name] = (*stamp, history.volunteer.name, summary)
                changed.add(cache)
        for cache, entries in fresh.items():
            _refuse_copies(
                {file: entry[3] for file, entry in entries.items()}, self.volunteers
            )
            if cache in changed or len(entries) != len(cached[cache]):
                _save_cache(paths[cache], entries)
        return {
            cache: [entry[4] for entry in entries.values()]
            for cache, entries in fresh.items()
        }

    def create(self, path: Path, record: Volunteer) -> None:
        """Write a new volunteer file holding only their record."""
        self.volunteers.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("xb") as file:
                try:
                    _write_guarded(
                        file.fileno(), sealed_line(record, ""), path, record.id
                    )
                except JifenError:
                    path.unlink()
                    raise
        except FileExistsError:
            raise JifenError(
                _("{path} already exists; nothing was written").format(path=path)
            ) from None
        _fsync_directory(self.volunteers)

    def append(self, path: Path, event: Event) -> None:
        """Append one event as one whole line chained to the last, flushed to disk."""
        with path.open("a+b") as file:
            line = sealed_line(event, digest_of_line(_last_line(file)))
            _write_guarded(file.fileno(), line, path, event.id)

    def append_shelf(self, event: ShelfEntry) -> None:
        """Append one event to the shelf's file, making the file if it is new."""
        self.data.mkdir(parents=True, exist_ok=True)
        new = not self.shelf.exists()
        if not new:
            self.check_tail(self.shelf)
        self.append(self.shelf, event)
        if new:
            _fsync_directory(self.data)

    def check_tail(self, path: Path) -> None:
        """Refuse to write after a last line that has no line break (a torn write)."""
        with path.open("rb") as file:
            file.seek(0, os.SEEK_END)
            if file.tell() == 0:
                return
            file.seek(-1, os.SEEK_END)
            if file.read(1) != b"\n":
                raise JifenError(_torn_line_message(path, path.read_bytes()))


# Bump the number whenever a cached summary changes shape or meaning.
_CACHE_STAMP = f"jifen {__version__} cache 3"


def _refuse_copies(names_by_file: Mapping[str, str], folder: Path) -> None:
    """Refuse two files holding one volunteer, such as a backup copy left beside it."""
    first_file: dict[str, str] = {}
    for file_name, name in names_by_file.items():
        if name in first_file:
            raise JifenError(
                _(
                    "{folder}/{copy} holds {name} again (a copy of {file}?); move the "
                    "copy out of {folder}, so nothing is counted twice"
                ).format(
                    folder=folder, copy=file_name, name=name, file=first_file[name]
                )
            )
        first_file[name] = file_name


def _load_cache(path: Path, shape: Any) -> Any:
    """Return a cache's content, or nothing when it is missing, old or unreadable."""
    try:
        stamp, entries = msgspec.msgpack.decode(
            path.read_bytes(), type=tuple[str, shape]
        )
    except (OSError, msgspec.DecodeError):
        return {}
    return entries if stamp == _CACHE_STAMP else {}


def _save_cache(path: Path, entries: Any) -> None:
    """Replace a cache file whole; a cache that cannot be written is just skipped."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        temporary.write_bytes(msgspec.msgpack.encode((_CACHE_STAMP, entries)))
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _last_line(file: BinaryIO) -> bytes:
    """Return the last complete line of an open file, reading only its end."""
    end = file.seek(0, os.SEEK_END)
    chunk = 4096
    while True:
        start = max(0, end - chunk)
        file.seek(start)
        tail = file.read(end - start)
        body = tail[:-1] if tail.endswith(b"\n") else tail
        cut = body.rfind(b"\n")
        if cut >= 0 or start == 0:
            return body[cut + 1 :]
        chunk *= 4


def _is_whole_entry(line: bytes) -> bool:
    try:
        decoder.decode(line)
    except msgspec.DecodeError:
        return False
    return True


def _free_side_path(path: Path, moment: str) -> Path:
    """Return a side file name beside `path` that is not taken yet."""
    side = path.with_name(f"{path.name}.torn-{moment}")
    number = 2
    while side.exists():
        side = path.with_name(f"{path.name}.torn-{moment}-{number}")
        number += 1
    return side


def _who_holds() -> str:
    """Describe this command for anyone kept waiting by its lock."""
    words = sys.argv[1:]
    # Leave out the options before the command (--home DIR, --by NAME).
    while words and words[0].startswith("-"):
        words = words[1:] if "=" in words[0] else words[2:]
    command = " ".join(["jifen", *words[:2]])
    moment = time.strftime("%H:%M:%S")
    return f"{command}, pid {os.getpid()}, since {moment}"


def _write_guarded(descriptor: int, line: bytes, path: Path, event_id: str) -> None:
    """Write one line whole; on a disk error undo what it can and say what to do.

    After a failed write or flush nobody can be sure whether the line reached
    the disk, so the message says how to find out and how to retry safely.
    """
    start = os.fstat(descriptor).st_size
    try:
        _write_whole(descriptor, line)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.ftruncate(descriptor, start)
        raise JifenError(
            _(
                "{path}: writing failed ({reason}); the entry may or may not be "
                "saved; run `jifen check`, then repeat the command with --id "
                "{id}, which never records it twice"
            ).format(path=path, reason=error.strerror or error, id=event_id)
        ) from None


def _write_whole(descriptor: int, line: bytes) -> None:
    view = memoryview(line)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]
    os.fsync(descriptor)


def _fsync_directory(folder: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _decode_record(path: Path, line: bytes) -> Volunteer:
    if line.startswith(b"\xef\xbb\xbf"):
        raise JifenError(_bom_message(path))
    try:
        record = decoder.decode(line)
    except msgspec.DecodeError as error:
        raise JifenError(
            _(
                "{path}:1: damaged line ({reason}); nothing was changed; restore that line from a backup"
            ).format(path=path, reason=error)
        ) from None
    if not isinstance(record, Volunteer):
        raise JifenError(
            _("{path}:1: the first line is not a volunteer record").format(path=path)
        )
    return record


def _bom_message(path: Path) -> str:
    return _(
        "{path}:1: the file starts with a byte-order mark, added when it was "
        "saved as 'UTF-8 with BOM' (Windows Notepad does this); nothing was "
        "changed; save it again choosing the encoding 'UTF-8'"
    ).format(path=path)


def _torn_line_message(path: Path, data: bytes) -> str:
    """Explain a last line without its line break, and how to repair it."""
    number = data.count(b"\n") + 1
    try:
        decoder.decode(data[data.rfind(b"\n") + 1 :])
    except msgspec.DecodeError:
        return _(
            "{path}:{line}: the last line is incomplete (an interrupted write?); "
            "nothing was changed; run `jifen repair` to set it aside, then record "
            "that entry again"
        ).format(path=path, line=number)
    return _(
        "{path}:{line}: the last line has no line break at its end (edited by hand?); "
        "nothing was changed; run `jifen repair` to add it"
    ).format(path=path, line=number)


def _decode_lines(path: Path, data: bytes) -> list[Event]:
    """Decode a whole file, naming the file and line of the first damage."""
    if data and not data.endswith(b"\n"):
        raise JifenError(_torn_line_message(path, data))
    clean = b"\r" not in data and not data.startswith(b"\n") and b"\n\n" not in data
    if clean:
        with contextlib.suppress(msgspec.DecodeError):
            return decoder.decode_lines(data)
    if data.startswith(b"\xef\xbb\xbf"):
        raise JifenError(_bom_message(path))
    events: list[Event] = []
    for number, line in enumerate(data.split(b"\n")[:-1], start=1):
        if not line.strip():
            raise JifenError(
                _(
                    "{path}:{line}: a blank line; nothing was changed; "
                    "delete that empty line in a text editor and save"
                ).format(path=path, line=number)
            )
        if line.endswith(b"\r"):
            raise JifenError(
                _(
                    "{path}:{line}: a Windows line ending (CR LF), left by a Windows "
                    "editor; nothing was changed; in Notepad++ choose Edit > EOL "
                    "Conversion > Unix (LF) and save"
                ).format(path=path, line=number)
            )
        try:
            events.append(decoder.decode(line))
        except msgspec.DecodeError as error:
            raise JifenError(
                _(
                    "{path}:{line}: damaged line ({reason}); nothing was changed; restore that line from a backup"
                ).format(path=path, line=number, reason=error)
            ) from None
    return events
