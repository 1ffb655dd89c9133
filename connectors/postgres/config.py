"""Where PostgreSQL is and how to log in, without ever leaking the password.

The DSN comes from (first wins): the `dsn` argument (pipeline option), `NEWSBEAM_PG_DSN`,
or libpq's own PG* variables (PGHOST, PGPORT, PGUSER, PGDATABASE, ...), which libpq reads
itself when the DSN is empty. The password only ever comes from the environment or a
file: PGPASSWORD / PGPASSFILE (read by libpq), or `NEWSBEAM_PG_PASSWORD_FILE` (read here).
A password inside a DSN given as an option is refused, since options end up in process
lists and logs. Use `mask_dsn` for anything printed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

DSN_ENV = "NEWSBEAM_PG_DSN"
PASSWORD_FILE_ENV = "NEWSBEAM_PG_PASSWORD_FILE"
#: DSN of the local test server started by deploy/postgres-local/postgres.sh
LOCAL_DSN = "postgresql://newsbeam@127.0.0.1:55432/newsbeam"


def resolve_dsn(dsn: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The DSN to connect with ("" lets libpq use PG* variables). Refuses inline passwords
    in an explicit option DSN."""
    env = os.environ if env is None else env
    if dsn:
        if "password" in conninfo_to_dict(dsn):
            raise ValueError(
                "a password inside the PostgreSQL DSN option is refused; use PGPASSWORD, "
                f"PGPASSFILE or {PASSWORD_FILE_ENV}"
            )
        return dsn
    return env.get(DSN_ENV, "")


def connect_kwargs(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Extra psycopg.connect kwargs: the password from NEWSBEAM_PG_PASSWORD_FILE if set."""
    env = os.environ if env is None else env
    path = env.get(PASSWORD_FILE_ENV)
    if not path:
        return {}
    with open(path, encoding="utf-8") as f:
        return {"password": f.read().strip()}


def mask_dsn(dsn: str) -> str:
    """The DSN with any password replaced by ***, safe for logs and repr."""
    if not dsn:
        return "<libpq environment>"
    try:
        params = conninfo_to_dict(dsn)
    except psycopg.Error:  # unparsable: show nothing that could be a secret
        return "<unparsable dsn>"
    if "password" in params:
        params["password"] = "***"
    return make_conninfo(**params)
