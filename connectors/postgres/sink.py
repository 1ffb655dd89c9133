"""PostgresSink: articles, event mentions, GDELT-like events and dead letters in PostgreSQL.

Tables (see migrations/001_initial.sql for the full GDELT mapping):
  articles        one row per article_id
  event_mentions  one row per extracted Event (GDELT Mentions), keyed by event_id
  events          one row per event_key = actor1|actor2|CAMEO|date (GDELT Events) with
                  num_mentions, num_sources (distinct domains) and num_articles (distinct
                  coalesce(duplicate_of, article_id): near-duplicate copies count once)
  dead_letters    one row per dead_letter_id

flush() writes the buffered records in one transaction: COPY into temp staging tables,
then INSERT ... ON CONFLICT DO UPDATE (idempotent upserts), then recomputes the `events`
aggregates of every affected event key from event_mentions joined with articles (never
increments blindly, so replays keep counts exact). Writers touching the same event keys
are serialized by transaction-scoped advisory locks taken in one global order, so
concurrent workers never compute counts from each other's stale snapshots (and cannot
deadlock on them). confirm() commits. The buffer is kept
until the commit succeeds, so a retried flush rewrites the same records.

Errors: connection-level failures (psycopg.OperationalError, InterfaceError, server
shutdown, serialization/deadlock) -> TransientSinkError and a reconnect on the next
attempt; bad credentials / missing database, integrity, data and programming errors ->
TerminalSinkError.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import psycopg

from connectors.postgres import rows
from connectors.postgres.config import connect_kwargs, mask_dsn, resolve_dsn
from connectors.postgres.migrate import MigrationError, migrate
from connectors.sinks.base import (
    ARTICLE,
    DEAD_LETTER,
    EVENT,
    KINDS,
    Sink,
    SinkError,
    TerminalSinkError,
    TransientSinkError,
)

log = logging.getLogger(__name__)

# Connection failures that retrying cannot fix (libpq gives no SQLSTATE for these).
_TERMINAL_CONNECT_MESSAGES = (
    "password authentication failed",
    "no pg_hba.conf entry",
    "does not exist",          # role or database
    "permission denied",
    "invalid dsn",
    "invalid connection option",
    "invalid sslmode",
)
# SQLSTATE classes that are terminal even though psycopg raises OperationalError.
_TERMINAL_SQLSTATE_PREFIXES = ("28", "3D", "42")


def classify_error(exc: BaseException) -> SinkError:
    """Map a psycopg exception to Transient/TerminalSinkError (the type decides retries)."""
    if isinstance(exc, SinkError):
        return exc
    sqlstate = getattr(exc, "sqlstate", None) or ""
    message = str(exc)
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError | OSError):
        if sqlstate.startswith(_TERMINAL_SQLSTATE_PREFIXES) or (
            not sqlstate and any(m in message for m in _TERMINAL_CONNECT_MESSAGES)
        ):
            return TerminalSinkError(f"postgres: {type(exc).__name__}: {message}")
        return TransientSinkError(f"postgres: {type(exc).__name__}: {message}")
    return TerminalSinkError(f"postgres: {type(exc).__name__}: {message}")


_RECOMPUTE_EVENTS = """
WITH m AS (
    SELECT m.event_key, m.event_id, m.event_date, m.confidence, m.language,
           m.published_at, m.domain, m.article_id, a.domain AS article_domain,
           a.duplicate_of, m.actor1_code, m.actor1_name, m.actor1_country,
           m.actor2_code, m.actor2_name, m.actor2_country, m.cameo, m.cameo_base,
           m.cameo_root, m.quad_class, m.goldstein, m.plover
    FROM event_mentions m
    LEFT JOIN articles a ON a.article_id = m.article_id
    WHERE m.event_key = ANY(%(keys)s)
), best AS (  -- the most confident mention (ties: lowest event_id) describes the event
    SELECT DISTINCT ON (event_key) *
    FROM m
    ORDER BY event_key, confidence DESC NULLS LAST, event_id
), agg AS (
    SELECT
        event_key,
        min(event_date) AS event_date,
        count(*) AS num_mentions,
        count(DISTINCT coalesce(article_domain, domain)) AS num_sources,
        count(DISTINCT coalesce(duplicate_of, article_id, event_id)) AS num_articles,
        avg(confidence) AS avg_confidence,
        coalesce(array_agg(DISTINCT language) FILTER (WHERE language IS NOT NULL), '{}')
            AS languages,
        min(published_at) AS first_published_at,
        max(published_at) AS last_published_at
    FROM m
    GROUP BY event_key
)
INSERT INTO events AS e (
    event_key, event_date, actor1_code, actor1_name, actor1_country,
    actor2_code, actor2_name, actor2_country, cameo, cameo_base, cameo_root,
    quad_class, goldstein, plover, num_mentions, num_sources, num_articles,
    avg_confidence, languages, first_published_at, last_published_at)
SELECT
    agg.event_key, agg.event_date, b.actor1_code, b.actor1_name, b.actor1_country,
    b.actor2_code, b.actor2_name, b.actor2_country, b.cameo, b.cameo_base, b.cameo_root,
    b.quad_class, b.goldstein, b.plover, agg.num_mentions, agg.num_sources,
    agg.num_articles, agg.avg_confidence, agg.languages, agg.first_published_at,
    agg.last_published_at
FROM agg JOIN best b ON b.event_key = agg.event_key
ON CONFLICT (event_key) DO UPDATE SET
    event_date = EXCLUDED.event_date,
    actor1_code = EXCLUDED.actor1_code, actor1_name = EXCLUDED.actor1_name,
    actor1_country = EXCLUDED.actor1_country,
    actor2_code = EXCLUDED.actor2_code, actor2_name = EXCLUDED.actor2_name,
    actor2_country = EXCLUDED.actor2_country,
    cameo = EXCLUDED.cameo, cameo_base = EXCLUDED.cameo_base, cameo_root = EXCLUDED.cameo_root,
    quad_class = EXCLUDED.quad_class, goldstein = EXCLUDED.goldstein, plover = EXCLUDED.plover,
    num_mentions = EXCLUDED.num_mentions, num_sources = EXCLUDED.num_sources,
    num_articles = EXCLUDED.num_articles, avg_confidence = EXCLUDED.avg_confidence,
    languages = EXCLUDED.languages, first_published_at = EXCLUDED.first_published_at,
    last_published_at = EXCLUDED.last_published_at, updated_at = now()
"""

_DELETE_ORPHAN_EVENTS = """
DELETE FROM events e WHERE e.event_key = ANY(%(keys)s)
  AND NOT EXISTS (SELECT 1 FROM event_mentions m WHERE m.event_key = e.event_key)
"""

_EVENT_LOCK_NAMESPACE = 0x4E42  # "NB": first half of the two-int advisory lock key
_LOCK_EVENT_KEYS = """
SELECT pg_advisory_xact_lock(%(ns)s, h)
FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest(%(keys)s::text[]) AS k ORDER BY h) AS s
"""

_TABLES: dict[str, tuple[str, str, tuple[str, ...], Callable[[str, dict], tuple]]] = {
    ARTICLE: ("articles", "article_id", rows.ARTICLE_COLUMNS, rows.article_row),
    EVENT: ("event_mentions", "event_id", rows.MENTION_COLUMNS, rows.mention_row),
    DEAD_LETTER: ("dead_letters", "dead_letter_id", rows.DEAD_LETTER_COLUMNS,
                  rows.dead_letter_row),
}


class PostgresSink(Sink):
    """Idempotent, batched PostgreSQL sink (construct in DoFn.setup; holds a connection)."""

    name = "postgres"

    def __init__(
        self,
        dsn: str | None = None,
        *,
        connect_timeout_s: int = 10,
        statement_timeout_ms: int = 60_000,
        application_name: str = "newsbeam",
        auto_migrate: bool = True,
    ) -> None:
        self._dsn = resolve_dsn(dsn)
        self._connect_timeout_s = connect_timeout_s
        self._statement_timeout_ms = statement_timeout_ms
        self._application_name = application_name
        self._auto_migrate = auto_migrate
        self._conn: psycopg.Connection | None = None
        self._migrated = False
        self._staged: set[str] = set()
        self._buffer: dict[str, dict[str, dict]] = {kind: {} for kind in KINDS}
        self._flushed = False

    def __repr__(self) -> str:
        return f"PostgresSink(dsn={mask_dsn(self._dsn)!r})"

    # -- connection -------------------------------------------------------------------

    def _connect(self) -> psycopg.Connection:
        if self._conn is not None and not self._conn.closed and not self._conn.broken:
            return self._conn
        self._drop_connection()
        try:
            extra = connect_kwargs()
        except OSError as exc:
            raise TerminalSinkError(f"postgres: cannot read the password file: {exc}") from exc
        try:
            conn = psycopg.connect(
                self._dsn,
                connect_timeout=self._connect_timeout_s,
                application_name=self._application_name,
                options=f"-c statement_timeout={int(self._statement_timeout_ms)}",
                **extra,
            )
        except Exception as exc:
            raise classify_error(exc) from exc
        try:
            if self._auto_migrate and not self._migrated:
                applied = migrate(conn)
                if applied:
                    log.info("postgres %s: applied migrations %s", mask_dsn(self._dsn), applied)
                self._migrated = True
        except MigrationError as exc:
            conn.close()
            raise TerminalSinkError(f"postgres: {exc}") from exc
        except Exception as exc:
            conn.close()
            raise classify_error(exc) from exc
        self._conn = conn
        self._staged = set()
        return conn

    def _drop_connection(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except psycopg.Error as exc:  # already broken; nothing left to release
                log.debug("postgres: closing a broken connection: %s", exc)
        self._conn = None

    def open(self) -> None:
        """Connect and migrate. A transient failure here is logged and retried at flush."""
        try:
            self._connect()
        except TransientSinkError as exc:
            log.warning("postgres %s unavailable at open, will retry on flush: %s",
                        mask_dsn(self._dsn), exc)

    def close(self) -> None:
        self._drop_connection()

    # -- sink contract ----------------------------------------------------------------

    def add(self, kind: str, key: str, record: dict) -> None:
        if kind not in self._buffer:
            raise ValueError(f"unknown record kind {kind!r}; expected one of {KINDS}")
        self._buffer[kind][key] = record  # last write of a key in a bundle wins

    def pending(self) -> int:
        return sum(len(b) for b in self._buffer.values())

    def flush(self) -> int:
        count = self.pending()
        if not count:
            return 0
        conn = self._connect()
        try:
            with conn.cursor() as cur:
                self._write(cur)
        except Exception as exc:
            self._after_failure()
            raise classify_error(exc) from exc
        self._flushed = True
        return count

    def confirm(self) -> None:
        if not self._flushed:
            return
        try:
            assert self._conn is not None
            self._conn.commit()
        except Exception as exc:
            self._after_failure()
            raise classify_error(exc) from exc
        self._flushed = False
        for b in self._buffer.values():
            b.clear()

    # -- internals --------------------------------------------------------------------

    def _after_failure(self) -> None:
        """Roll back; drop the connection when it is unusable so the retry reconnects."""
        self._flushed = False
        self._staged = set()  # temp tables created in the rolled-back transaction are gone
        conn = self._conn
        if conn is None:
            return
        try:
            if conn.broken or conn.closed:
                raise psycopg.InterfaceError("connection lost")
            conn.rollback()
        except psycopg.Error:
            self._drop_connection()

    def _write(self, cur: psycopg.Cursor) -> None:
        built = {kind: [to_row(key, record) for key, record in self._buffer[kind].items()]
                 for kind, (_, _, _, to_row) in _TABLES.items() if self._buffer[kind]}
        # event keys whose aggregates this batch changes: the mentions' new keys, the keys
        # they had before (a replay may move a mention), and the keys of mentions of the
        # batch's articles (an article arriving late changes domain/duplicate counts)
        affected = {row[1] for row in built.get(EVENT, ())}
        if self._buffer[EVENT]:
            cur.execute("SELECT DISTINCT event_key FROM event_mentions WHERE event_id = ANY(%s)",
                        (list(self._buffer[EVENT]),))
            affected.update(k for (k,) in cur.fetchall())
        if self._buffer[ARTICLE]:
            cur.execute("SELECT DISTINCT event_key FROM event_mentions WHERE article_id = ANY(%s)",
                        (list(self._buffer[ARTICLE]),))
            affected.update(k for (k,) in cur.fetchall())
        keys = sorted(affected)
        if keys:
            # serialize writers of the same event keys (in one global order: no deadlock), so
            # each recompute below starts after the other's commit and sees its mentions
            cur.execute(_LOCK_EVENT_KEYS, {"ns": _EVENT_LOCK_NAMESPACE, "keys": keys})
        for kind, kind_rows in built.items():
            table, key_column, columns, _ = _TABLES[kind]
            self._upsert(cur, table, key_column, columns, kind_rows)
        if keys:
            cur.execute(_RECOMPUTE_EVENTS, {"keys": keys})
            cur.execute(_DELETE_ORPHAN_EVENTS, {"keys": keys})

    def _upsert(self, cur: psycopg.Cursor, table: str, key_column: str,
                columns: Sequence[str], built: list[tuple]) -> None:
        stage = f"_stage_{table}"
        if stage not in self._staged:
            cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {stage} "
                        f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
            self._staged.add(stage)
        cols = ", ".join(columns)
        with cur.copy(f"COPY {stage} ({cols}) FROM STDIN") as copy:
            for row in built:
                copy.write_row(row)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != key_column)
        cur.execute(
            f"INSERT INTO {table} AS t ({cols}) SELECT {cols} FROM {stage} "
            f"ON CONFLICT ({key_column}) DO UPDATE SET {updates}, updated_at = now() "
            f"WHERE t.record IS DISTINCT FROM EXCLUDED.record"
        )
