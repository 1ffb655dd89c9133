"""JSONL file sink: one directory per kind, parts written atomically, rotated by compaction.

Layout under `directory`:
    articles/part-<utc>-<pid>-<seq>.jsonl       one part per confirmed bundle (small)
    articles/articles-<utc>-<pid>-<seq>.jsonl   rotated file: this writer's parts merged
    articles/.part-....jsonl.tmp                 in-flight (never read; cleaned at open)
(likewise events/ and dead_letters/).

Why one part per flush: a part is written to a temp file in the same directory, fsynced
(flush), then renamed into place and the directory fsynced (confirm). A rename is
atomic, so a reader never sees a torn line, and a crash leaves at most a `.tmp` file,
which the next open deletes (only when its writer pid is gone). Appending to a shared
open file could not give that guarantee.

Rotation: small parts would pile up, so once this writer's parts of a kind reach
`max_bytes` or the oldest is `max_seconds` old (checked at confirm), and at close, they
are concatenated into one rotated file (temp + fsync + rename), then the parts are
deleted. A crash between the rename and the deletes leaves lines in both: harmless,
see below. Parts left by a dead writer are adopted and compacted by the next open.

Idempotency: delivery is at-least-once, so a replayed bundle writes its lines again in a
new part. Every line carries its key (the record's article_id / event_id /
dead_letter_id, or an added "_key" when the record lacks it), and readers dedupe by key
(last line wins): `read_jsonl_dir(directory, kind)` does this.
"""

from __future__ import annotations

import datetime as dt
import errno
import itertools
import logging
import os
import pathlib
import re
import shutil
import time
from collections.abc import Iterator, Mapping

import orjson

from connectors.sinks.base import (
    ARTICLE,
    DEAD_LETTER,
    EVENT,
    KINDS,
    Sink,
    TerminalSinkError,
    TransientSinkError,
)

log = logging.getLogger(__name__)

#: record field holding the idempotency key of each kind
KEY_FIELDS = {ARTICLE: "article_id", EVENT: "event_id", DEAD_LETTER: "dead_letter_id"}
#: default sub-directory / rotated-file prefix of each kind
DEFAULT_PREFIXES = {ARTICLE: "articles", EVENT: "events", DEAD_LETTER: "dead_letters"}
EXTRA_KEY_FIELD = "_key"

_PART = re.compile(r"^part-(?P<ts>\d{8}T\d{6}\.\d{6}Z)-(?P<pid>\d+)-(?P<seq>\d+)\.jsonl$")
_TMP = re.compile(r"^\.(?:part|rotate)-\d{8}T\d{6}\.\d{6}Z-(?P<pid>\d+)-\d+\.jsonl\.tmp$")

# OSErrors that retrying cannot fix.
_TERMINAL_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EISDIR,
                    errno.ENAMETOOLONG, errno.EINVAL}


def _utc_stamp(now: float | None = None) -> str:
    t = dt.datetime.fromtimestamp(time.time() if now is None else now, tz=dt.UTC)
    return t.strftime("%Y%m%dT%H%M%S.%fZ")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(path: pathlib.Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sink_error(exc: OSError, what: str) -> Exception:
    cls = TerminalSinkError if exc.errno in _TERMINAL_ERRNOS else TransientSinkError
    return cls(f"files: {what}: {exc}")


def encode_line(kind: str, key: str, record: Mapping) -> bytes:
    """One JSONL line carrying its key (adds "_key" when the record's id field differs)."""
    if record.get(KEY_FIELDS.get(kind, EXTRA_KEY_FIELD)) != key:
        record = {**record, EXTRA_KEY_FIELD: key}
    return orjson.dumps(record, default=str,
                        option=orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS)


class JsonlFileSink(Sink):
    """At-least-once JSONL files per kind; atomic parts, compaction-based rotation."""

    name = "files"

    def __init__(
        self,
        directory: str | os.PathLike[str],
        *,
        prefixes: Mapping[str, str] | None = None,
        max_bytes: int = 64 * 1024 * 1024,
        max_seconds: float = 300.0,
        fsync: bool = True,
    ) -> None:
        if max_bytes <= 0 or max_seconds <= 0:
            raise ValueError("max_bytes and max_seconds must be positive")
        self.directory = pathlib.Path(directory)
        self.prefixes = {**DEFAULT_PREFIXES, **(prefixes or {})}
        unknown = set(self.prefixes) - set(KINDS)
        if unknown:
            raise ValueError(f"prefixes for unknown kinds: {sorted(unknown)}")
        self.max_bytes = max_bytes
        self.max_seconds = max_seconds
        self.fsync = fsync
        self._seq = itertools.count()
        self._buffer: dict[str, dict[str, bytes]] = {kind: {} for kind in KINDS}
        self._in_flight: list[tuple[str, pathlib.Path, pathlib.Path, int]] = []
        # parts of this writer not yet rotated: kind -> [(path, size, created_at)]
        self._parts: dict[str, list[tuple[pathlib.Path, int, float]]] = {k: [] for k in KINDS}

    def __repr__(self) -> str:
        return f"JsonlFileSink({str(self.directory)!r})"

    def kind_dir(self, kind: str) -> pathlib.Path:
        return self.directory / self.prefixes[kind]

    def _name(self, stem: str, suffix: str = ".jsonl") -> str:
        return f"{stem}-{_utc_stamp()}-{os.getpid()}-{next(self._seq):06d}{suffix}"

    # -- sink contract ----------------------------------------------------------------

    def open(self) -> None:
        """Create the directories, delete dead writers' temp files, adopt their parts."""
        try:
            for kind in KINDS:
                d = self.kind_dir(kind)
                d.mkdir(parents=True, exist_ok=True)
                for path in d.iterdir():
                    m = _TMP.match(path.name)
                    if m and not _pid_alive(int(m.group("pid"))):
                        log.info("files: removing leftover %s", path)
                        path.unlink(missing_ok=True)
                        continue
                    m = _PART.match(path.name)
                    if m and not _pid_alive(int(m.group("pid"))):
                        self._parts[kind].append((path, path.stat().st_size, 0.0))
        except OSError as exc:
            raise _sink_error(exc, f"open {self.directory}") from exc

    def add(self, kind: str, key: str, record: dict) -> None:
        if kind not in self._buffer:
            raise ValueError(f"unknown record kind {kind!r}; expected one of {KINDS}")
        self._buffer[kind][key] = encode_line(kind, key, record)

    def pending(self) -> int:
        return sum(len(b) for b in self._buffer.values())

    def flush(self) -> int:
        """Write each kind's buffered lines to a fsynced temp file (renamed by confirm)."""
        self._discard_in_flight()  # a retried flush rewrites from the buffer
        count = 0
        try:
            for kind in KINDS:
                lines = self._buffer[kind]
                if not lines:
                    continue
                d = self.kind_dir(kind)
                d.mkdir(parents=True, exist_ok=True)
                final = d / self._name("part")
                tmp = d / f".{final.name}.tmp"
                data = b"".join(lines.values())
                self._write_file(tmp, [data])
                self._in_flight.append((kind, tmp, final, len(data)))
                count += len(lines)
        except OSError as exc:
            self._discard_in_flight()
            raise _sink_error(exc, "write part") from exc
        return count

    def confirm(self) -> None:
        """Rename the flushed temp files into place (atomic), then rotate if due."""
        if not self._in_flight:
            return
        now = time.time()
        try:
            dirs = set()
            for kind, tmp, final, size in self._in_flight:
                os.replace(tmp, final)
                self._parts[kind].append((final, size, now))
                dirs.add(final.parent)
            if self.fsync:
                for d in dirs:
                    _fsync_dir(d)
        except OSError as exc:
            raise _sink_error(exc, "rename part") from exc
        touched = {kind for kind, *_ in self._in_flight}
        self._in_flight = []
        for kind in touched:
            self._buffer[kind].clear()
        for kind in KINDS:
            if self._rotation_due(kind, now):
                self._rotate(kind)

    def close(self) -> None:
        """Rotate whatever parts this writer still has; drop unconfirmed temp files."""
        self._discard_in_flight()
        for kind in KINDS:
            if self._parts[kind]:
                self._rotate(kind)

    # -- internals --------------------------------------------------------------------

    def _write_file(self, path: pathlib.Path, chunks: list[bytes] | None = None,
                    sources: list[pathlib.Path] | None = None) -> None:
        with open(path, "wb") as f:
            f.writelines(chunks or ())
            for src in sources or ():
                with open(src, "rb") as s:
                    shutil.copyfileobj(s, f, 1 << 20)
            f.flush()
            if self.fsync:
                os.fsync(f.fileno())

    def _discard_in_flight(self) -> None:
        for _, tmp, _, _ in self._in_flight:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
        self._in_flight = []

    def _rotation_due(self, kind: str, now: float) -> bool:
        parts = self._parts[kind]
        if not parts:
            return False
        total = sum(size for _, size, _ in parts)
        return total >= self.max_bytes or now - min(t for *_, t in parts) >= self.max_seconds

    def _rotate(self, kind: str) -> None:
        """Merge this writer's parts of `kind` into one rotated file; never raises (the data
        is already durable in the parts, so a failed rotation is retried later)."""
        parts = [p for p in self._parts[kind] if p[0].exists()]  # another writer may
        self._parts[kind] = parts                                  # have rotated orphans
        if not parts:
            return
        d = self.kind_dir(kind)
        # named after its oldest part, so readers ordering by timestamp keep line order
        stamps = [m.group("ts") for p, _, _ in parts if (m := _PART.match(p.name))]
        stamp = min(stamps) if stamps else _utc_stamp()
        rest = f"{stamp}-{os.getpid()}-{next(self._seq):06d}.jsonl"
        final = d / f"{self.prefixes[kind]}-{rest}"
        tmp = d / f".rotate-{rest}.tmp"
        try:
            if len(parts) == 1:
                os.replace(parts[0][0], final)  # nothing to merge: rename is enough
            else:
                self._write_file(tmp, sources=[p for p, _, _ in parts])
                os.replace(tmp, final)
            if self.fsync:
                _fsync_dir(d)
            for path, _, _ in parts:
                path.unlink(missing_ok=True)  # a crash before this leaves duplicates only
        except OSError as exc:
            log.warning("files: rotating %s failed (parts kept): %s", d, exc)
            tmp.unlink(missing_ok=True)
            return
        self._parts[kind] = []


_STAMP = re.compile(r"-(\d{8}T\d{6}\.\d{6}Z)-(\d+)-(\d+)\.jsonl$")


def _file_order(path: pathlib.Path) -> tuple:
    """Files in write order: by the UTC timestamp, pid and sequence embedded in the name."""
    m = _STAMP.search(path.name)
    return (m.group(1), int(m.group(2)), int(m.group(3))) if m else ("", 0, 0)


def iter_jsonl_dir(directory: str | os.PathLike[str], kind: str,
                   prefix: str | None = None) -> Iterator[tuple[str, dict]]:
    """(key, record) of every line of a kind, oldest file first, duplicates included.
    Temp files are never read; files deleted by a concurrent rotation are skipped."""
    d = pathlib.Path(directory) / (prefix or DEFAULT_PREFIXES[kind])
    if not d.is_dir():
        return
    key_field = KEY_FIELDS.get(kind, EXTRA_KEY_FIELD)
    files = sorted((p for p in d.glob("*.jsonl") if not p.name.startswith(".")),
                   key=_file_order)
    for path in files:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        for line in data.splitlines():
            if not line.strip():
                continue
            record = orjson.loads(line)
            key = record.pop(EXTRA_KEY_FIELD, None) or record.get(key_field)
            yield str(key), record


def read_jsonl_dir(directory: str | os.PathLike[str], kind: str,
                   prefix: str | None = None) -> list[dict]:
    """Every record of a kind, deduplicated by key (last line wins, first-seen order)."""
    latest: dict[str, dict] = {}
    for key, record in iter_jsonl_dir(directory, kind, prefix):
        latest[key] = record
    return list(latest.values())


__all__ = ["KEY_FIELDS", "JsonlFileSink", "encode_line", "iter_jsonl_dir", "read_jsonl_dir"]
