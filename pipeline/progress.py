"""Progress lines for operators: read this process's Prometheus collectors periodically."""

from __future__ import annotations

import sys
import threading
import time

from prometheus_client import REGISTRY


def _total(metric_name: str) -> float:
    """Sum of every sample of a counter/gauge family in this process's registry."""
    total = 0.0
    for family in REGISTRY.collect():
        if family.name == metric_name:
            for sample in family.samples:
                if sample.name in (metric_name, metric_name + "_total"):
                    total += sample.value
    return total


def snapshot() -> dict[str, float]:
    return {
        "pages": _total("newsbeam_pages_read"),
        "articles": _total("newsbeam_articles_cleaned"),
        "events": _total("newsbeam_events"),
        "dead_letters": _total("newsbeam_dead_letters"),
        "duplicates": _total("newsbeam_duplicates"),
        "lag": _total("newsbeam_consumer_lag"),
        "sink_writes": _total("newsbeam_sink_writes"),
    }


class ProgressReporter(threading.Thread):
    """Prints `pages/s, articles, events, dead letters, lag` every `interval` seconds."""

    def __init__(self, interval: float = 5.0, prefix: str = "", stream=sys.stderr):
        super().__init__(name="newsbeam-progress", daemon=True)
        self.interval = interval
        self.prefix = prefix
        self.stream = stream
        self._stop_event = threading.Event()

    def run(self) -> None:
        last, last_t = snapshot(), time.monotonic()
        while not self._stop_event.wait(self.interval):
            now, now_t = snapshot(), time.monotonic()
            rate = (now["pages"] - last["pages"]) / max(now_t - last_t, 1e-9)
            print(self.line(now, rate), file=self.stream, flush=True)
            last, last_t = now, now_t

    def line(self, s: dict[str, float], rate: float) -> str:
        return (f"{self.prefix}{rate:7.1f} pages/s | pages {int(s['pages'])} | articles "
                f"{int(s['articles'])} | events {int(s['events'])} | dead letters "
                f"{int(s['dead_letters'])} | duplicates {int(s['duplicates'])} | lag "
                f"{int(s['lag'])}")

    def stop(self) -> None:
        self._stop_event.set()
