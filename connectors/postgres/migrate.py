"""Versioned schema migrations: `migrations/NNN_name.sql`, applied once, in order.

All pending migrations run in one transaction under a transaction-scoped advisory lock,
so concurrent workers opening the sink at the same time never race: the second waits,
then sees the versions already recorded in `schema_migrations` and applies nothing.
An applied migration whose file changed afterwards is an error (add a new file instead).
"""

from __future__ import annotations

import hashlib
import logging
import pathlib
import re
from dataclasses import dataclass

import psycopg

log = logging.getLogger(__name__)

MIGRATIONS_DIR = pathlib.Path(__file__).with_name("migrations")
#: pg_advisory_xact_lock key: "newsbeam" folded into a signed 64-bit integer
ADVISORY_LOCK_KEY = int.from_bytes(hashlib.sha1(b"newsbeam-migrations").digest()[:8], "big",
                                   signed=True)
_NAME = re.compile(r"^(\d{3,})_([A-Za-z0-9_]+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


class MigrationError(Exception):
    """An applied migration was edited, or the migration files are inconsistent."""


def load_migrations(directory: pathlib.Path = MIGRATIONS_DIR) -> list[Migration]:
    """Every NNN_name.sql in `directory`, sorted by version (duplicate versions refused)."""
    migrations: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        m = _NAME.match(path.name)
        if not m:
            raise MigrationError(f"migration file name not NNN_name.sql: {path.name}")
        version = int(m.group(1))
        if version in migrations:
            raise MigrationError(f"two migrations with version {version}")
        migrations[version] = Migration(version, m.group(2), path.read_text(encoding="utf-8"))
    return [migrations[v] for v in sorted(migrations)]


def migrate(conn: psycopg.Connection, directory: pathlib.Path = MIGRATIONS_DIR) -> list[int]:
    """Apply pending migrations; return the versions applied now (empty when up to date)."""
    migrations = load_migrations(directory)
    applied_now: list[int] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_LOCK_KEY,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = dict(conn.execute("SELECT version, checksum FROM schema_migrations").fetchall())
        for mig in migrations:
            if mig.version in done:
                if done[mig.version] != mig.checksum:
                    raise MigrationError(
                        f"migration {mig.version}_{mig.name} changed after it was applied"
                    )
                continue
            log.info("applying migration %03d_%s", mig.version, mig.name)
            conn.execute(mig.sql.encode("utf-8"))  # several statements, no parameters
            conn.execute(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (%s, %s, %s)",
                (mig.version, mig.name, mig.checksum),
            )
            applied_now.append(mig.version)
    return applied_now
