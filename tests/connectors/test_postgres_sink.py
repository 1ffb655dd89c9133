"""PostgresSink against the real local PostgreSQL: migrations, idempotent upserts, GDELT
counts, transient/terminal error handling."""

from __future__ import annotations

import datetime
import pathlib
import threading
import time
import uuid

import psycopg
import pytest

from connectors.postgres import PostgresSink, mask_dsn, migrate, resolve_dsn
from connectors.postgres import rows as pgrows
from connectors.postgres.config import connect_kwargs
from connectors.postgres.migrate import MigrationError
from connectors.sinks.base import (
    ARTICLE,
    DEAD_LETTER,
    EVENT,
    TerminalSinkError,
    TransientSinkError,
    flush_with_retry,
)

pytestmark = pytest.mark.postgres


# -- record builders (shaped like Article/Event/DeadLetter.to_dict()) ---------------------

def article(article_id: str, url: str, duplicate_of: str | None = None, **extra) -> dict:
    domain = url.split("/")[2].removeprefix("www.")
    return {
        "article_id": article_id, "url": url, "canonical_url": url, "domain": domain,
        "title": f"title {article_id}", "text": "पुतिन ने शी से कहा", "authors": ["A"],
        "published_at": "2022-12-30T10:00:00+00:00", "language": "hi", "site_name": domain,
        "description": None, "categories": [], "tags": [], "word_count": 120,
        "content_hash": f"h{article_id}", "simhash": 1234567890123,
        "duplicate_of": duplicate_of, "duplicate_kind": "near" if duplicate_of else None,
        "fetched_at": "2022-12-30T10:05:00+00:00", "extractor": "trafilatura",
        "record_timestamp_ms": int(time.time() * 1000) - 1500, **extra,
    }


def event(event_id: str, article_id: str, url: str, *, cameo: str = "042",
          a1: str = "RUS", a2: str = "CHN", date: str = "2022-12-30",
          confidence: float = 0.8) -> dict:
    return {
        "event_id": event_id, "article_id": article_id, "url": url, "language": "hi",
        "published_at": "2022-12-30T10:00:00+00:00",
        "actor1": {"text": "पुतिन", "name": "Vladimir Putin", "code": a1, "country": a1,
                   "role": "GOV"},
        "actor2": {"text": "शी", "name": "Xi Jinping", "code": a2, "country": a2,
                   "role": "GOV"},
        "action": {"trigger": "कहा", "cameo": cameo, "root": cameo[:2], "base": cameo[:3],
                   "quad_class": 1, "goldstein": 1.9, "plover": "CONSULT"},
        "modality": "asserted", "event_date": date, "date_precision": "day",
        "location": None,
        "evidence": {"sentence_index": 0, "sentence": "पुतिन ने शी से कहा", "start": 0, "end": 5},
        "confidence": confidence, "coder": {"name": "rules", "version": "1"},
    }


def dead_letter(n: int) -> dict:
    return {"dead_letter_id": f"clean:pages/0/{n}", "stage": "clean", "reason": "not_html",
            "detail": "no body", "original_b64": "eA==", "original_size": 1,
            "topic": "pages", "partition": 0, "offset": n, "key": None,
            "record_timestamp_ms": 1672394400000, "dead_lettered_at": 1672394401.5}


def three_mentions() -> list[tuple[str, str, dict]]:
    """One event mentioned by 3 articles: B is a near-duplicate of A; 2 domains."""
    urls = {"A": "https://www.a-news.in/1", "B": "https://b-news.com/x", "C": "https://a-news.in/2"}
    out = [
        (ARTICLE, "A", article("A", urls["A"])),
        (ARTICLE, "B", article("B", urls["B"], duplicate_of="A")),
        (ARTICLE, "C", article("C", urls["C"])),
    ]
    out += [(EVENT, f"ev-{a}", event(f"ev-{a}", a, urls[a])) for a in "ABC"]
    return out


def write(sink: PostgresSink, items) -> int:
    for kind, key, record in items:
        sink.add(kind, key, record)
    return flush_with_retry(sink, max_attempts=1)


def snapshot(dsn: str) -> dict[str, list]:
    """Table contents without the bookkeeping timestamps."""
    out = {}
    with psycopg.connect(dsn) as conn:
        for table, key in (("articles", "article_id"), ("event_mentions", "event_id"),
                           ("events", "event_key"), ("dead_letters", "dead_letter_id")):
            cols = [r[0] for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND column_name NOT IN ('first_seen_at', 'updated_at') ORDER BY ordinal_position",
                (table,))]
            out[table] = conn.execute(
                f"SELECT {', '.join(cols)} FROM {table} ORDER BY {key}").fetchall()
    return out


def events_row(dsn: str) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT event_key, num_mentions, num_sources, num_articles "
                            "FROM events ORDER BY event_key").fetchall()


@pytest.fixture
def sink(pg_fresh_dsn: str):
    s = PostgresSink(pg_fresh_dsn, application_name=f"nbtest-{uuid.uuid4().hex[:8]}")
    s.open()
    yield s
    s.close()


# -- migrations ---------------------------------------------------------------------------

def test_migrations_are_idempotent(pg_fresh_dsn: str) -> None:
    with psycopg.connect(pg_fresh_dsn) as conn:
        assert migrate(conn) == [1]
        assert migrate(conn) == []
        tables = {r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")}
        versions = conn.execute("SELECT version FROM schema_migrations").fetchall()
    assert {"articles", "events", "event_mentions", "dead_letters",
            "schema_migrations"} <= tables
    assert versions == [(1,)]


def test_concurrent_migrations_do_not_race(pg_fresh_dsn: str) -> None:
    results, errors = [], []

    def run() -> None:
        try:
            with psycopg.connect(pg_fresh_dsn) as conn:
                results.append(migrate(conn))
        except Exception as exc:  # noqa: BLE001 - surfaced by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [[], [], [], [1]]


def test_edited_migration_is_refused(pg_fresh_dsn: str, tmp_path: pathlib.Path) -> None:
    (tmp_path / "001_t.sql").write_text("CREATE TABLE t (x int);")
    with psycopg.connect(pg_fresh_dsn) as conn:
        assert migrate(conn, tmp_path) == [1]
        (tmp_path / "001_t.sql").write_text("CREATE TABLE t (x bigint);")
        with pytest.raises(MigrationError):
            migrate(conn, tmp_path)
        (tmp_path / "001_t.sql").write_text("CREATE TABLE t (x int);")
        (tmp_path / "002_u.sql").write_text("CREATE TABLE u (y int);")
        assert migrate(conn, tmp_path) == [2]


# -- idempotent upserts and GDELT counts --------------------------------------------------

def test_same_batch_twice_leaves_the_same_rows(sink: PostgresSink, pg_fresh_dsn: str) -> None:
    batch = three_mentions() + [(DEAD_LETTER, dead_letter(n)["dead_letter_id"], dead_letter(n))
                                for n in range(3)]
    assert write(sink, batch) == len(batch)
    first = snapshot(pg_fresh_dsn)
    assert write(sink, batch) == len(batch)
    assert snapshot(pg_fresh_dsn) == first
    # and through a brand-new sink (a restarted worker replaying the bundle)
    other = PostgresSink(pg_fresh_dsn)
    other.open()
    write(other, batch)
    other.close()
    assert snapshot(pg_fresh_dsn) == first
    assert [len(first[t]) for t in ("articles", "event_mentions", "events", "dead_letters")] \
        == [3, 3, 1, 3]


def test_upsert_updates_changed_records(sink: PostgresSink, pg_fresh_dsn: str) -> None:
    write(sink, [(ARTICLE, "A", article("A", "https://a.in/1"))])
    write(sink, [(ARTICLE, "A", article("A", "https://a.in/1", title="new title"))])
    with psycopg.connect(pg_fresh_dsn) as conn:
        assert conn.execute("SELECT title, record->>'title' FROM articles").fetchall() == [
            ("new title", "new title")]


def test_gdelt_counts_and_replay(sink: PostgresSink, pg_fresh_dsn: str) -> None:
    write(sink, three_mentions())
    assert events_row(pg_fresh_dsn) == [("RUS|CHN|042|2022-12-30", 3, 2, 2)]
    write(sink, three_mentions())  # replay keeps exact counts
    assert events_row(pg_fresh_dsn) == [("RUS|CHN|042|2022-12-30", 3, 2, 2)]
    with psycopg.connect(pg_fresh_dsn) as conn:
        row = conn.execute("SELECT cameo, cameo_root, quad_class, goldstein, event_date::text, "
                           "languages FROM events").fetchone()
    assert row == ("042", "04", 1, pytest.approx(1.9), "2022-12-30", ["hi"])


def test_counts_follow_articles_arriving_after_their_events(sink: PostgresSink,
                                                            pg_fresh_dsn: str) -> None:
    items = three_mentions()
    write(sink, [i for i in items if i[0] == EVENT])
    # without articles: 3 distinct article ids, domains from the mention URLs
    assert events_row(pg_fresh_dsn) == [("RUS|CHN|042|2022-12-30", 3, 2, 3)]
    write(sink, [i for i in items if i[0] == ARTICLE])
    assert events_row(pg_fresh_dsn) == [("RUS|CHN|042|2022-12-30", 3, 2, 2)]


def test_replayed_mention_with_new_key_moves_between_events(sink: PostgresSink,
                                                            pg_fresh_dsn: str) -> None:
    write(sink, [(EVENT, "e1", event("e1", "A", "https://a.in/1", cameo="042"))])
    write(sink, [(EVENT, "e1", event("e1", "A", "https://a.in/1", cameo="043"))])
    assert events_row(pg_fresh_dsn) == [("RUS|CHN|043|2022-12-30", 1, 1, 1)]


def test_odd_values_never_fail_the_write(sink: PostgresSink, pg_fresh_dsn: str) -> None:
    odd = article("X", "https://x.in/1", published_at="yesterday", fetched_at=1672394400123,
                  simhash=2**70, word_count="many", title="nul\x00byte", extra={"nan": float("nan")})
    minimal = {"event_id": "m1"}  # every optional field missing
    write(sink, [(ARTICLE, "X", odd), (EVENT, "m1", minimal)])
    with psycopg.connect(pg_fresh_dsn) as conn:
        a = conn.execute("SELECT published_at, fetched_at, simhash, word_count, title "
                         "FROM articles").fetchone()
        e = conn.execute("SELECT event_key, num_mentions, num_articles FROM events").fetchone()
    assert a[0] is None and a[1].year == 2022 and a[2] == str(2**70) and a[3] is None
    assert a[4] == "nulbyte"
    assert e == ("|||", 1, 1)


def test_concurrent_writers_keep_exact_counts(pg_fresh_dsn: str) -> None:
    """Workers writing mentions of the same events at once never lose a mention's count."""
    workers, rounds = 4, 10
    errors: list[Exception] = []

    def work(w: int) -> None:
        s = PostgresSink(pg_fresh_dsn)
        try:
            s.open()
            for r in range(rounds):
                for cameo in ("042", "043"):
                    aid = f"w{w}-r{r}-{cameo}"
                    url = f"https://site{w}.in/{aid}"
                    s.add(ARTICLE, aid, article(aid, url))
                    s.add(EVENT, f"ev-{aid}", event(f"ev-{aid}", aid, url, cameo=cameo))
                flush_with_retry(s, initial_backoff_s=0.01)
        except Exception as exc:  # noqa: BLE001 - surfaced by the assert below
            errors.append(exc)
        finally:
            s.close()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    n = workers * rounds
    assert events_row(pg_fresh_dsn) == [("RUS|CHN|042|2022-12-30", n, workers, n),
                                        ("RUS|CHN|043|2022-12-30", n, workers, n)]


# -- errors -------------------------------------------------------------------------------

def test_killed_connection_is_retried_without_data_loss(sink: PostgresSink, pg_fresh_dsn: str,
                                                        pg_dsn: str) -> None:
    write(sink, three_mentions()[:3])
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        killed = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            (sink._application_name,)).fetchall()
    assert killed == [(True,)]
    retries = []
    for kind, key, record in three_mentions()[3:]:
        sink.add(kind, key, record)
    sent = flush_with_retry(sink, initial_backoff_s=0.01, sleep=lambda s: None,
                            on_retry=lambda s, n, e: retries.append(e))
    assert sent == 3
    assert len(retries) == 1 and isinstance(retries[0], TransientSinkError)
    assert events_row(pg_fresh_dsn) == [("RUS|CHN|042|2022-12-30", 3, 2, 2)]
    assert sink.pending() == 0


@pytest.mark.slow
def test_server_down_holds_the_bundle_until_it_is_back(pg_private_server) -> None:
    server = pg_private_server
    sink = PostgresSink(server.dsn, connect_timeout_s=2)
    sink.open()
    write(sink, three_mentions()[:3])
    server.stop()
    for kind, key, record in three_mentions()[3:]:
        sink.add(kind, key, record)
    retries: list[Exception] = []
    done: list[int] = []
    worker = threading.Thread(target=lambda: done.append(flush_with_retry(
        sink, initial_backoff_s=0.05, max_backoff_s=0.2,
        on_retry=lambda s, n, e: retries.append(e))))
    worker.start()
    deadline = time.time() + 30
    while len(retries) < 2 and time.time() < deadline:
        time.sleep(0.05)
    assert len(retries) >= 2 and not done
    assert all(isinstance(e, TransientSinkError) for e in retries)
    server.start()
    worker.join(60)
    assert done == [3]
    sink.close()
    assert events_row(server.dsn) == [("RUS|CHN|042|2022-12-30", 3, 2, 2)]


@pytest.mark.slow
def test_open_while_server_down_defers_to_flush(pg_private_server) -> None:
    server = pg_private_server
    server.stop()
    sink = PostgresSink(server.dsn, connect_timeout_s=2)
    sink.open()  # logs, does not raise: the retry loop owns availability
    server.start()
    assert write(sink, three_mentions()) == 6
    sink.close()
    assert events_row(server.dsn) == [("RUS|CHN|042|2022-12-30", 3, 2, 2)]


def test_bad_credentials_are_terminal(pg_dsn: str) -> None:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(pg_dsn)
    params["user"] = "no_such_role"
    with pytest.raises(TerminalSinkError):
        PostgresSink(make_conninfo(**params)).open()
    params["user"], params["dbname"] = conninfo_to_dict(pg_dsn)["user"], "no_such_db"
    with pytest.raises(TerminalSinkError):
        PostgresSink(make_conninfo(**params)).open()


def test_schema_mismatch_is_terminal_and_not_retried(sink: PostgresSink,
                                                     pg_fresh_dsn: str) -> None:
    with psycopg.connect(pg_fresh_dsn, autocommit=True) as conn:
        conn.execute("ALTER TABLE articles DROP COLUMN title")
    sink.add(ARTICLE, "A", article("A", "https://a.in/1"))
    retries = []
    with pytest.raises(TerminalSinkError, match="title"):
        flush_with_retry(sink, on_retry=lambda s, n, e: retries.append(e), sleep=lambda s: None)
    assert retries == []


def test_conflicting_existing_table_is_terminal_at_open(pg_fresh_dsn: str) -> None:
    with psycopg.connect(pg_fresh_dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE articles (article_id int PRIMARY KEY)")
    with pytest.raises(TerminalSinkError):
        PostgresSink(pg_fresh_dsn).open()


# -- configuration ------------------------------------------------------------------------

def test_passwords_never_come_from_options_and_are_masked(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ValueError, match="password"):
        resolve_dsn("postgresql://u:secret@127.0.0.1:1/db")
    assert resolve_dsn(None, {"NEWSBEAM_PG_DSN": "host=h dbname=d"}) == "host=h dbname=d"
    assert resolve_dsn(None, {}) == ""
    masked = mask_dsn("postgresql://u:secret@127.0.0.1:1/db")
    assert "secret" not in masked and "***" in masked
    secret = tmp_path / "pw"
    secret.write_text("s3cret\n")
    assert connect_kwargs({"NEWSBEAM_PG_PASSWORD_FILE": str(secret)}) == {"password": "s3cret"}
    assert "s3cret" not in repr(PostgresSink("host=127.0.0.1 dbname=x"))


def test_event_key_and_row_helpers() -> None:
    e = event("e", "A", "https://www.a.in/1")
    assert pgrows.event_key(e) == "RUS|CHN|042|2022-12-30"
    e["actor2"] = None
    e["event_date"] = "2022-12"
    assert pgrows.event_key(e) == "RUS||042|2022-12"
    assert pgrows.date("2022-12") == datetime.date(2022, 12, 1)
    assert pgrows.domain_of("https://WWW.Example.com:8080/x") == "example.com"
    assert pgrows.timestamp("2022-12-30T10:00:00Z").isoformat() == "2022-12-30T10:00:00+00:00"
    assert pgrows.timestamp(1672394400).year == 2022
    assert pgrows.timestamp(1672394400000).year == 2022
