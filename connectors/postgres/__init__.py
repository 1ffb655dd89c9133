"""PostgreSQL sink: idempotent upserts of articles, GDELT-like events/mentions, dead letters."""

from connectors.postgres.config import mask_dsn, resolve_dsn
from connectors.postgres.migrate import migrate
from connectors.postgres.sink import PostgresSink, classify_error

__all__ = ["PostgresSink", "classify_error", "mask_dsn", "migrate", "resolve_dsn"]
