"""A real Prometheus scrapes the running job; PromQL sees the rate we feed it."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.fixtures.kafka import produce
from tests.pipeline import jobkit

pytestmark = [pytest.mark.kafka, pytest.mark.prometheus, pytest.mark.slow]

RATE = 8.0      # pages per second fed to the job
SECONDS = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_prometheus_sees_the_jobs_page_rate(kafka_bootstrap, kafka_topic, kafka_group,
                                           tmp_path, prometheus_server, prometheus_scrape):
    topic = kafka_topic(partitions=2)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", "--progress-interval=0",
         "--runner=DirectRunner", f"--kafka_bootstrap_servers={kafka_bootstrap}",
         f"--kafka_pages_topic={topic}", f"--kafka_group_id={kafka_group}",
         f"--sink=files:{tmp_path / 'out'}", f"--metrics_port={port}",
         "--kafka_max_records_per_bundle=5"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        target = None
        deadline = time.time() + 60
        while target is None:
            assert proc.poll() is None, proc.stderr.read()[-3000:]
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    target = prometheus_scrape(f"127.0.0.1:{port}")
            except OSError:
                assert time.time() < deadline, "the job's exporter never came up"
                time.sleep(0.5)
        sel = target.selector
        sent, start = 0, time.monotonic()
        while time.monotonic() - start < SECONDS:
            due = int((time.monotonic() - start) * RATE) + 1
            if due > sent:
                produce(kafka_bootstrap, topic, jobkit.page_messages(due - sent, start=sent))
                sent = due
            time.sleep(0.05)
        rate = prometheus_server.query_value(f"sum(rate(newsbeam_pages_read_total{sel}[20s]))")
        cleaned = prometheus_server.query_value(
            f"sum(rate(newsbeam_articles_cleaned_total{sel}[20s]))")
        writes = prometheus_server.query_value(f"sum(newsbeam_sink_writes_total{sel})")
        print(f"PROMQL pages/s={rate:.2f} articles/s={cleaned:.2f} sink writes={writes} "
              f"(fed {RATE}/s)")
        assert rate == pytest.approx(RATE, rel=0.3)
        assert cleaned == pytest.approx(RATE, rel=0.35)
        assert writes and writes > 0
        _dashboard_shows_the_job(prometheus_server)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert proc.returncode == 0


# panels this run must fill (no rejections, dead letters or sink failures are fed)
FED_PANELS = {
    "Pages read /s", "Articles cleaned /s by language", "Events /s by CAMEO root",
    "Consumer lag per partition", "Stage latency p50 / p99",
    "End-to-end latency p50 / p99 (Kafka timestamp to sink confirm)",
    "Sink writes /s by sink, kind", "Build info",
}


def _dashboard_shows_the_job(prometheus_server) -> None:
    """Grafana is not installed here: evaluate every query of deploy/grafana's dashboard on
    the real Prometheus scraping the job instead (a bad query raises), and check that the
    panels this run feeds have data."""
    from tests.deploy.test_prometheus_dashboard import DASHBOARD, _exprs, _substitute

    empty = set()
    exprs = _exprs(json.loads(DASHBOARD.read_text()))
    for title, expr in exprs:
        if not prometheus_server.query(_substitute(expr)):
            empty.add(title)
    print(f"DASHBOARD {len(exprs)} queries evaluated; panels without data: {sorted(empty)}")
    assert not FED_PANELS & empty
