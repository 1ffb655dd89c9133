"""kill -9 drill: crash the job at random moments, restart, and lose nothing.

Every input offset must end in a sink (article) or the dead-letter sink; duplicates may
come only from uncommitted bundles and are removed by idempotent keys (files: dedupe by
key on read; PostgreSQL: upserts).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from tests.fixtures.kafka import committed_offsets, produce
from tests.pipeline import jobkit

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow]

KILLS = 5
PAGES_PER_ROUND = 150


def _argv(bootstrap, topic, group, out, *extra):
    return [sys.executable, "-m", "pipeline", "run", "--progress-interval=0",
            "--runner=DirectRunner", f"--kafka_bootstrap_servers={bootstrap}",
            f"--kafka_pages_topic={topic}", f"--kafka_group_id={group}",
            f"--sink=files:{out}", "--sink=postgres", "--metrics_port=0",
            "--kafka_max_records_per_bundle=10", *extra]


def _committed(bootstrap, group, topic) -> int:
    return sum(c or 0 for c in committed_offsets(bootstrap, group, topic, 3))


def test_kill_dash_nine_loses_nothing(kafka_bootstrap, kafka_topic, kafka_group, pg_fresh_dsn,
                                      tmp_path):
    import psycopg

    from connectors.files import iter_jsonl_dir

    pg_dsn = pg_fresh_dsn
    env = dict(os.environ, NEWSBEAM_PG_DSN=pg_dsn)
    topic = kafka_topic(partitions=3)
    metas = produce(kafka_bootstrap, topic, jobkit.poison_messages()[:2])
    out = tmp_path / "out"
    rng = random.Random(7)
    behind = []  # uncommitted records at each kill: > 0 means the kill hit mid-stream
    for round_ in range(KILLS):
        # New pages arrive while the job starts, so the kill lands mid-stream.
        metas += produce(kafka_bootstrap, topic,
                         jobkit.page_messages(PAGES_PER_ROUND, start=round_ * PAGES_PER_ROUND))
        proc = subprocess.Popen(_argv(kafka_bootstrap, topic, kafka_group, out), env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # Wait until this run has committed something (it is mid-stream), then kill it
        # at a random moment a little later.
        before = _committed(kafka_bootstrap, kafka_group, topic)
        deadline = time.time() + 120
        while _committed(kafka_bootstrap, kafka_group, topic) == before:
            assert proc.poll() is None, proc.stderr.read().decode()[-3000:]
            assert time.time() < deadline, "the job made no progress"
            time.sleep(0.2)
        time.sleep(rng.uniform(0.0, 1.5))
        os.kill(proc.pid, signal.SIGKILL)
        behind.append(len(metas) - sum(c or 0 for c in
                                       committed_offsets(kafka_bootstrap, kafka_group, topic, 3)))
        proc.wait()
        proc.stderr.close()
    final = subprocess.run(_argv(kafka_bootstrap, topic, kafka_group, out, "--bounded"),
                           env=env, capture_output=True, text=True, timeout=900)
    assert final.returncode == 0, final.stderr[-4000:]

    produced = {(m.topic, m.partition, m.offset) for m in metas}
    articles, dead = jobkit.accounted_offsets(out)
    lost = produced - (set(articles) | set(dead))
    raw_lines = sum(1 for kind in ("article", "dead_letter")
                    for _ in iter_jsonl_dir(out, kind))
    distinct = len(set(articles) | set(dead))
    with psycopg.connect(pg_dsn) as conn:
        pg_articles = conn.execute("select count(*) from articles").fetchone()[0]
    report = {"runs": KILLS + 1, "offsets_checked": len(produced), "lost": len(lost),
              "duplicate_lines_seen": raw_lines - distinct, "distinct_after_dedupe": distinct,
              "postgres_article_rows": pg_articles,
              "uncommitted_at_kills": behind}
    print("DRILL " + json.dumps(report))
    assert not lost, f"lost offsets: {sorted(lost)[:10]}"
    assert pg_articles == len({a[0]["article_id"] for a in articles.values()})
    ends = committed_offsets(kafka_bootstrap, kafka_group, topic, 3)
    assert sum(e or 0 for e in ends) == len(produced)
