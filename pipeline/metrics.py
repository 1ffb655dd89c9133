"""Prometheus metrics of newsbeam, defined once in an importable module.

Why a module: objects pickled with a DoFn are detached copies that would export 0, so
DoFns must reference these module-level collectors at call time (import inside the
method or use the module global), never hold them as attributes. The HTTP exporter is
started once per process by `start_exporter`. Beam Metrics counters are kept alongside
(see `beam_counter`) so the runner's own metrics show the same numbers.
"""

from __future__ import annotations

import logging
import os
import threading

from prometheus_client import Counter, Gauge, Histogram, Info, start_http_server

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
_E2E_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)

PAGES_READ = Counter("newsbeam_pages_read", "Kafka records read", ["topic", "partition"])
BYTES_READ = Counter("newsbeam_bytes_read", "Bytes of Kafka record values read", ["topic"])
ARTICLES_CLEANED = Counter("newsbeam_articles_cleaned", "Articles produced by cleaning", ["language"])
REJECTIONS = Counter("newsbeam_rejections", "Pages rejected by cleaning", ["reason"])
DUPLICATES = Counter("newsbeam_duplicates", "Articles flagged as duplicates", ["kind"])  # exact|near
EVENTS = Counter("newsbeam_events", "Events extracted", ["cameo_root", "language"])
DEAD_LETTERS = Counter("newsbeam_dead_letters", "Dead letters emitted", ["stage", "reason"])
SINK_WRITES = Counter("newsbeam_sink_writes", "Records confirmed by a sink", ["sink", "kind"])
SINK_RETRIES = Counter("newsbeam_sink_retries", "Transient sink failures retried", ["sink"])
SINK_FAILURES = Counter("newsbeam_sink_failures", "Terminal sink failures", ["sink"])
OFFSET_COMMITS = Counter("newsbeam_offset_commits", "Consumer-group offset commits", ["topic", "result"])
STAGE_LATENCY = Histogram("newsbeam_stage_latency_seconds", "Time spent per element in a stage",
                          ["stage"], buckets=_LATENCY_BUCKETS)
END_TO_END_LATENCY = Histogram("newsbeam_end_to_end_latency_seconds",
                               "Kafka record timestamp to sink confirm", buckets=_E2E_BUCKETS)
CONSUMER_LAG = Gauge("newsbeam_consumer_lag", "Records behind the partition end", ["topic", "partition"])
LAST_PROGRESS = Gauge("newsbeam_last_progress_timestamp_seconds", "Unix time of the last confirmed bundle")
BUILD_INFO = Info("newsbeam_build", "Build information")

#: unix times of the first and the latest confirmed bundle in this process (summaries)
PROGRESS_SPAN: list[float] = []
#: unix time of the first record this process decoded (summaries)
FIRST_RECORD: list[float] = []

_exporter_lock = threading.Lock()
_exporter_started: tuple[str, int] | None = None


def start_exporter(address: str = "127.0.0.1", port: int = 9464) -> tuple[str, int] | None:
    """Start the HTTP exporter once per process (later calls are no-ops). port=0 disables."""
    global _exporter_started
    if not port:
        return None
    with _exporter_lock:
        if _exporter_started is None:
            from pipeline import __version__

            BUILD_INFO.info({"version": __version__, "pid": str(os.getpid())})
            start_http_server(port, addr=address)
            _exporter_started = (address, port)
        return _exporter_started


def start_worker_exporter(address: str, port: int) -> tuple[str, int] | None:
    """The exporter of an SDK worker process (called from DoFn.setup).

    On a portable runner (Flink) the DoFns run in SDK worker processes, e.g. the Beam worker
    pool beside each TaskManager, not in the process that launched the job, so each worker
    process exports its own metrics (--worker_metrics_port). Where the DoFns run in the
    launching process (local runner, LOOPBACK) its exporter is already up and this is a
    no-op. A port another process holds is logged, never fatal: metrics must not stop data.
    """
    if not port:
        return None
    try:
        return start_exporter(address, port)
    except OSError as err:
        logging.getLogger(__name__).warning(
            "worker metrics exporter not started on %s:%d: %s", address, port, err)
        return None


def beam_counter(namespace: str, name: str):
    """A Beam Metrics counter (visible in the runner's metrics results)."""
    from apache_beam.metrics import Metrics

    return Metrics.counter(namespace, name)


def histogram_quantile(histogram: Histogram, q: float) -> float | None:
    """Quantile estimate from an unlabelled histogram's buckets, as PromQL computes it."""
    buckets = []
    for family in histogram.collect():
        for sample in family.samples:
            if sample.name.endswith("_bucket"):
                buckets.append((float(sample.labels["le"]), sample.value))
    buckets.sort()
    if not buckets or buckets[-1][1] == 0:
        return None
    rank = q * buckets[-1][1]
    prev_bound, prev_count = 0.0, 0.0
    for bound, count in buckets:
        if count >= rank:
            if bound == float("inf"):
                return prev_bound
            if count == prev_count:
                return bound
            return prev_bound + (bound - prev_bound) * (rank - prev_count) / (count - prev_count)
        prev_bound, prev_count = bound, count
    return prev_bound


def mark_progress(now: float) -> None:
    """Record a confirmed bundle: the Prometheus gauge and this process's progress span."""
    LAST_PROGRESS.set(now)
    if PROGRESS_SPAN:
        PROGRESS_SPAN[1] = now
    else:
        PROGRESS_SPAN.extend((now, now))
