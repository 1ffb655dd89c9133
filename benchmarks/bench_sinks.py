"""Sink throughput: event upserts into PostgreSQL (fresh inserts and replays) and JSONL files.

    .venv/bin/python benchmarks/bench_sinks.py [--dsn DSN] [--events 20000] [--batch 500]

Uses a throwaway database on the server of --dsn (default: the local test server,
started by deploy/postgres-local/postgres.sh), dropped afterwards. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
import tempfile
import time
import uuid

REPO = pathlib.Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def make_event(n: int, mentions_per_event: int) -> dict:
    group = n // mentions_per_event
    article = f"art-{n}"
    return {
        "event_id": f"ev-{n}", "article_id": article, "url": f"https://site{n % 17}.in/{article}",
        "language": "hi", "published_at": "2022-12-30T10:00:00+00:00",
        "actor1": {"text": "पुतिन", "name": "Vladimir Putin", "code": f"A{group % 997}",
                   "country": "RUS", "role": "GOV"},
        "actor2": {"text": "शी", "name": "Xi Jinping", "code": f"B{group // 997}",
                   "country": "CHN", "role": "GOV"},
        "action": {"trigger": "कहा", "cameo": "042", "root": "04", "base": "042",
                   "quad_class": 1, "goldstein": 1.9, "plover": "CONSULT"},
        "modality": "asserted", "event_date": "2022-12-30", "date_precision": "day",
        "location": None,
        "evidence": {"sentence_index": n % 20, "sentence": "पुतिन ने शी से सैन्य सहयोग की बात कही",
                     "start": 0, "end": 5},
        "confidence": 0.5 + (n % 50) / 100, "coder": {"name": "rules", "version": "1"},
    }


def write_all(sink, records: list[dict], batch: int) -> float:
    from connectors.sinks.base import EVENT, flush_with_retry

    started = time.perf_counter()
    for i in range(0, len(records), batch):
        for r in records[i:i + batch]:
            sink.add(EVENT, r["event_id"], r)
        flush_with_retry(sink)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", default=os.environ.get("NEWSBEAM_PG_DSN",
                                                        "postgresql://newsbeam@127.0.0.1:55432/newsbeam"))
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500, help="records per flush (bundle)")
    parser.add_argument("--mentions-per-event", type=int, default=3)
    args = parser.parse_args(argv)

    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    from connectors.files import JsonlFileSink
    from connectors.postgres import PostgresSink

    records = [make_event(n, args.mentions_per_event) for n in range(args.events)]
    db = f"nbbench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(args.dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db}" TEMPLATE template0')
    params = conninfo_to_dict(args.dsn)
    params["dbname"] = db
    result: dict[str, object] = {"events": args.events, "batch": args.batch,
                                 "mentions_per_event": args.mentions_per_event}
    try:
        sink = PostgresSink(make_conninfo(**params))
        sink.open()
        insert_s = write_all(sink, records, args.batch)
        replay_s = write_all(sink, records, args.batch)
        sink.close()
        with psycopg.connect(make_conninfo(**params)) as conn:
            n_events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
            n_mentions = conn.execute("SELECT count(*) FROM event_mentions").fetchone()[0]
        result.update({
            "pg_insert_rows_per_s": round(args.events / insert_s),
            "pg_replay_rows_per_s": round(args.events / replay_s),
            "pg_event_rows": n_events, "pg_mention_rows": n_mentions,
        })
    finally:
        with psycopg.connect(args.dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    with tempfile.TemporaryDirectory() as tmp:
        files = JsonlFileSink(tmp)
        files.open()
        files_s = write_all(files, records, args.batch)
        files.close()
    result["files_rows_per_s"] = round(args.events / files_s)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
