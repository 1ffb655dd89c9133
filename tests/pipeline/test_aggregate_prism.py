"""AggregateEventMentions on Beam's Prism runner: windows, triggers and counts for real."""

from __future__ import annotations

import json
import pathlib
import time

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_stream import TestStream as EventStream
from apache_beam.transforms import window

from connectors.deadletter import DEAD_LETTER_TAG
from pipeline.aggregate import AGGREGATES_TAG, AggregateEventMentions, published_seconds
from pipeline.runners import PRISM_RUNNER, RunnerArtifactMissing, runner_args

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def prism_batch_args() -> list[str]:
    try:
        return runner_args(PRISM_RUNNER, streaming=False)
    except RunnerArtifactMissing as err:
        pytest.skip(f"Prism binary cannot be built here: {err}")


@pytest.fixture(scope="module")
def prism_streaming_args() -> list[str]:
    try:
        return runner_args(PRISM_RUNNER, streaming=True)
    except RunnerArtifactMissing as err:
        pytest.skip(f"Prism binary cannot be built here: {err}")


class _AppendJsonFn(beam.DoFn):
    """Writes each element as a JSON line (LOOPBACK workers share this process's disk)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def process(self, element: object):
        record = element.to_dict() if hasattr(element, "to_dict") else element
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, sort_keys=True, default=str) + "\n")


def _read(path: pathlib.Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _last_panes(rows: list[dict]) -> dict[tuple[str, str], dict]:
    """Newest pane per (event_key, window_start), as an upserting sink would keep."""
    last: dict[tuple[str, str], dict] = {}
    for row in rows:
        slot = (row["event_key"], row["window_start"])
        if slot not in last or row["pane_index"] > last[slot]["pane_index"]:
            last[slot] = row
    return last


def ev(event_id: str, article_id: str, url: str, published_at: str, *,
       duplicate_of: str | None = None, actor1: str = "RUSGOV", actor2: str = "CHNGOV",
       cameo: str = "036", event_date: str = "2022-12-30") -> dict:
    return {
        "event_id": event_id, "article_id": article_id, "url": url,
        "published_at": published_at, "event_date": event_date, "duplicate_of": duplicate_of,
        "actor1": {"code": actor1}, "actor2": {"code": actor2}, "action": {"cameo": cameo},
    }


# Putin-Xi video call (30 Dec 2022) reported by several outlets over two days.
EVENTS = [
    # day 1 (2022-12-30): 5 mentions, 3 domains, 3 articles (a4 copies a1)
    ev("e1", "a1", "https://www.bbc.com/hindi/articles/1", "2022-12-30T09:00:00Z"),
    ev("e2", "a1", "https://www.bbc.com/hindi/articles/1", "2022-12-30T09:00:00Z"),
    ev("e3", "a2", "https://www.amarujala.com/world/2", "2022-12-30T11:30:00+05:30"),
    ev("e4", "a3", "https://ndtv.in/world/3", "2022-12-30T20:15:00Z"),
    ev("e5", "a4", "https://amarujala.com/copy/1", "2022-12-30T21:00:00Z", duplicate_of="a1"),
    # day 2 (2022-12-31): same event, 2 mentions, 1 domain, 1 article
    ev("e6", "a5", "https://www.ndtv.in/world/5", "2022-12-31T01:00:00Z"),
    ev("e7", "a5", "https://www.ndtv.in/world/5", "2022-12-31T01:00:00Z"),
    # another event key on day 1
    ev("e8", "a6", "https://www.bbc.com/hindi/articles/6", "2022-12-30T12:00:00Z",
       actor1="INDGOV", actor2="", cameo="042", event_date="2022-12-29"),
    # not keyable -> dead letter
    {"event_id": "bad", "article_id": "a7", "url": "https://x.in/7", "action": {}},
]
KEY = "RUSGOV|CHNGOV|036|2022-12-30"
EXPECTED = {
    (KEY, "2022-12-30T00:00:00Z"): (5, 3, 3),
    (KEY, "2022-12-31T00:00:00Z"): (2, 1, 1),
    ("INDGOV||042|2022-12-29", "2022-12-30T00:00:00Z"): (1, 1, 1),
}


def test_bounded_counts_per_day_on_prism(prism_batch_args: list[str],
                                         tmp_path: pathlib.Path) -> None:
    out = tmp_path / "aggregates.jsonl"
    dead = tmp_path / "dead.jsonl"
    started = time.monotonic()
    with beam.Pipeline(options=PipelineOptions(prism_batch_args)) as p:
        result = p | beam.Create(EVENTS) | AggregateEventMentions()
        _ = result[AGGREGATES_TAG] | "WriteAggregates" >> beam.ParDo(_AppendJsonFn(str(out)))
        _ = result[DEAD_LETTER_TAG] | "WriteDead" >> beam.ParDo(_AppendJsonFn(str(dead)))
    print(f"prism bounded aggregation: {time.monotonic() - started:.1f}s")
    last = _last_panes(_read(out))
    got = {slot: (r["num_mentions"], r["num_sources"], r["num_articles"])
           for slot, r in last.items()}
    assert got == EXPECTED
    assert all(r["window_end"] > r["window_start"] for r in last.values())
    dead_rows = _read(dead)
    assert [d["reason"] for d in dead_rows] == ["no_cameo_code"]


def _at(event: dict) -> window.TimestampedValue:
    return window.TimestampedValue(event, published_seconds(event))


def test_streaming_early_on_time_and_late_panes_on_prism(prism_streaming_args: list[str],
                                                         tmp_path: pathlib.Path) -> None:
    """Early pane after a processing-time delay, on-time pane at the watermark, then a
    late event within the allowed lateness re-fires with accumulated counts."""
    out = tmp_path / "panes.jsonl"
    day1 = published_seconds({"published_at": "2022-12-30T00:00:00Z"})
    stream = (
        EventStream()
        .advance_watermark_to(day1)
        .add_elements([_at(EVENTS[0]), _at(EVENTS[2])])
        .advance_processing_time(120)
        .add_elements([_at(EVENTS[3])])
        .advance_watermark_to(day1 + 86400 + 3600)  # day 1 closes: on-time pane
        .add_elements([_at(EVENTS[4])])              # late: a copy of a1 on a known domain
        .advance_watermark_to_infinity()
    )
    started = time.monotonic()
    with beam.Pipeline(options=PipelineOptions(prism_streaming_args)) as p:
        result = p | stream | AggregateEventMentions(early_firing_delay_s=60)
        _ = result[AGGREGATES_TAG] | beam.ParDo(_AppendJsonFn(str(out)))
    print(f"prism streaming panes: {time.monotonic() - started:.1f}s")
    rows = sorted((r for r in _read(out) if r["event_key"] == KEY), key=lambda r: r["pane_index"])
    panes = [(r["pane_timing"], (r["num_mentions"], r["num_sources"], r["num_articles"]))
             for r in rows]
    print(panes)
    # Early pane after the processing-time delay (2 events so far), on-time pane when the
    # watermark passes the day, then a late pane that accumulates: the syndicated copy is
    # a new mention on a known domain, of a known article.
    assert panes == [("EARLY", (2, 2, 2)), ("ON_TIME", (3, 3, 3)), ("LATE", (4, 3, 3))]
    assert rows[-1]["pane_index"] == 2
