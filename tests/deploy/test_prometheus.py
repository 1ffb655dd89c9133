"""A real local Prometheus scrapes a real newsbeam exporter (pipeline.metrics.start_exporter)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest
import yaml

from pipeline import __version__
from tests.fixtures.prometheus import REPO, PrometheusServer, ScrapeTarget

pytestmark = pytest.mark.prometheus

PAGES_PER_SECOND = 20.0
# Child process: the exporter plus a steady counter, PAGES_PER_SECOND on one partition.
# It stops by itself after max_seconds so it can never outlive a crashed test for long.
EXPORTER_SCRIPT = """
import sys, time
from pipeline import metrics
port, rate, max_seconds = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
metrics.start_exporter("127.0.0.1", port)
pages = metrics.PAGES_READ.labels(topic="pages", partition="0")
lag = metrics.CONSUMER_LAG.labels(topic="pages", partition="0")
print("ready", flush=True)
start = time.monotonic()
done = 0
while (elapsed := time.monotonic() - start) < max_seconds:
    due = int(elapsed * rate)
    if due > done:
        pages.inc(due - done)
        done = due
    lag.set(1000 - done % 1000)
    metrics.LAST_PROGRESS.set(time.time())
    time.sleep(0.005)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def steady_exporter() -> Iterator[str]:
    """A newsbeam exporter in a subprocess counting pages at PAGES_PER_SECOND; its address."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", EXPORTER_SCRIPT, str(port), str(PAGES_PER_SECOND), "120"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if line.strip() != "ready":
            proc.kill()
            _, err = proc.communicate(timeout=10)
            pytest.fail(f"exporter did not start: {line!r} {err}")
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def test_prometheus_measures_the_exporters_page_rate(
    prometheus_server: PrometheusServer,
    prometheus_scrape: Callable[..., ScrapeTarget],
    steady_exporter: str,
) -> None:
    started = time.monotonic()
    target = prometheus_scrape(steady_exporter)
    print(f"target discovered and up after {time.monotonic() - started:.1f}s")
    sel = target.selector
    # Let 1 s scrapes fill the whole 10 s rate window (plus slack for scrape jitter).
    time.sleep(12)
    measured = prometheus_server.wait_for(
        f"sum(rate(newsbeam_pages_read_total{sel}[10s]))", lambda v: v is not None
    )
    print(f"rate(newsbeam_pages_read_total[10s]) = {measured:.2f}/s, "
          f"expected {PAGES_PER_SECOND}/s")
    assert measured == pytest.approx(PAGES_PER_SECOND, rel=0.25)

    labels = prometheus_server.query(f"newsbeam_build_info{sel}")
    assert [r["metric"]["version"] for r in labels] == [__version__]
    lag = prometheus_server.query_value(f"newsbeam_consumer_lag{sel}")
    assert lag is not None and 0 < lag <= 1000
    since_progress = prometheus_server.query_value(
        f"time() - newsbeam_last_progress_timestamp_seconds{sel}"
    )
    assert since_progress is not None and since_progress < 10


def test_prometheus_loaded_the_alert_rules(prometheus_server: PrometheusServer) -> None:
    groups = yaml.safe_load((REPO / "deploy" / "prometheus" / "alerts.yml").read_text())["groups"]
    expected = {rule["alert"] for group in groups for rule in group["rules"] if "alert" in rule}
    loaded = {rule["name"] for rule in prometheus_server.rules() if rule["type"] == "alerting"}
    assert expected <= loaded
    unhealthy = [r["name"] for r in prometheus_server.rules() if r.get("health") == "err"]
    assert not unhealthy


def test_lifecycle_reload_keeps_the_server_ready(prometheus_server: PrometheusServer) -> None:
    prometheus_server.reload()
    assert prometheus_server.query_value("vector(1)") == 1.0
