"""AggregateEventMentions output records match schemas/event_mention_aggregate.schema.json.

Real outputs, no mocks: the pure CombineFn's counts formatted by the module's own
formatter with real Beam window/pane objects, and a tiny bounded pipeline (beam.Create)
on the in-process FnApiRunner, where bounded windows and GroupByKey do fire.
"""

from __future__ import annotations

import json
import pathlib

import apache_beam as beam
import orjson
import pytest
from apache_beam.runners.portability.fn_api_runner import FnApiRunner
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms import window as beam_window
from apache_beam.utils.timestamp import Timestamp
from apache_beam.utils.windowed_value import PaneInfo, PaneInfoTiming
from jsonschema import Draft202012Validator

from connectors.deadletter import DEAD_LETTER_TAG
from pipeline.aggregate import (
    AGGREGATES_TAG,
    DAY_S,
    AggregateEventMentions,
    EventMentionAggregate,
    EventMentionsCombineFn,
    _FormatAggregateFn,
    event_key,
    published_seconds,
)

REPO = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "schemas" / "event_mention_aggregate.schema.json").read_text())
VALIDATOR = Draft202012Validator(SCHEMA)


def make_event(event_id: str, article_id: str, url: str, *, duplicate_of: str | None = None,
               actor1: str | None = "RUSGOV", actor2: str | None = "CHNGOV",
               cameo: str = "036", event_date: str | None = "2022-12-30",
               published_at: str = "2022-12-30T10:00:00Z") -> dict:
    return {
        "event_id": event_id, "article_id": article_id, "url": url,
        "published_at": published_at, "event_date": event_date,
        "actor1": {"code": actor1} if actor1 else None,
        "actor2": {"code": actor2} if actor2 else None,
        "action": {"cameo": cameo}, "duplicate_of": duplicate_of,
    }


EVENTS = [
    make_event("e1", "a1", "https://www.bbc.com/hindi/1"),
    make_event("e2", "a1", "https://www.bbc.com/hindi/1"),
    make_event("e3", "a2", "https://amarujala.com/x", duplicate_of="a1"),
    make_event("e4", "a3", "https://www.ndtv.com/y"),
    make_event("e1", "a1", "https://www.bbc.com/hindi/1"),  # redelivered: not a new mention
    # Same key, next publication day: another window.
    make_event("e5", "a4", "https://www.ndtv.com/z", published_at="2022-12-31T01:00:00+00:00"),
    # Blank actor 2 and no event date (GDELT leaves such columns empty).
    make_event("e6", "a5", "https://jagran.com/w", actor2=None, cameo="0312", event_date=None),
]


def _errors(record: dict) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(record)]


def _assert_valid(record: dict) -> None:
    wire = orjson.loads(orjson.dumps(record))  # what a sink actually writes
    assert _errors(wire) == [], wire
    assert wire["event_key"] == "|".join(
        (wire["actor1_code"], wire["actor2_code"], wire["cameo"], wire["event_date"]))
    assert wire["num_sources"] <= wire["num_mentions"]
    assert wire["num_articles"] <= wire["num_mentions"]
    assert wire["window_start"] < wire["window_end"]
    assert EventMentionAggregate.from_dict(wire).to_dict() == wire


def _formatted(events: list[dict], pane: PaneInfo) -> list[dict]:
    """Combine per (key, day window) with the pure CombineFn, format like the transform."""
    fn = EventMentionsCombineFn()
    groups: dict[tuple, list[dict]] = {}
    for event in events:
        start = int(published_seconds(event) // DAY_S) * DAY_S
        groups.setdefault((event_key(event), start), []).append(event)
    out = []
    for (key, start), members in groups.items():
        acc = fn.create_accumulator()
        for event in members:
            acc = fn.add_input(acc, event)
        win = beam_window.IntervalWindow(Timestamp(start), Timestamp(start + DAY_S))
        out += list(_FormatAggregateFn().process((key, fn.extract_output(acc)),
                                                 win=win, pane=pane))
    return out


@pytest.mark.parametrize("pane", [
    PaneInfo(True, False, PaneInfoTiming.EARLY, 0, -1),
    PaneInfo(False, False, PaneInfoTiming.ON_TIME, 1, 0),
    PaneInfo(False, True, PaneInfoTiming.LATE, 2, 1),
], ids=["early", "on_time", "late_last"])
def test_formatted_combine_outputs_match_schema(pane: PaneInfo) -> None:
    records = _formatted(EVENTS, pane)
    assert len(records) == 3
    for record in records:
        _assert_valid(record)
        assert record["pane_index"] == pane.index
        assert record["is_last_pane"] is pane.is_last
    first = next(r for r in records if r["window_start"] == "2022-12-30T00:00:00Z"
                 and r["cameo"] == "036")
    assert (first["num_mentions"], first["num_sources"], first["num_articles"]) == (4, 3, 2)
    blank = next(r for r in records if r["cameo"] == "0312")
    assert blank["event_key"] == "RUSGOV||0312|"


def test_bounded_pipeline_outputs_match_schema() -> None:
    """The whole transform on a bounded input: windows close, ON_TIME final panes."""
    with_bad = [*EVENTS, {"event_id": "x", "action": {}}]  # no CAMEO code -> dead letter

    def check(records: list[dict]) -> None:
        assert len(records) == 3, records
        for record in records:
            _assert_valid(record)
            assert record["pane_timing"] == "ON_TIME"
        counts = sorted((r["window_start"], r["cameo"], r["num_mentions"], r["num_sources"],
                         r["num_articles"]) for r in records)
        assert counts == [("2022-12-30T00:00:00Z", "0312", 1, 1, 1),
                          ("2022-12-30T00:00:00Z", "036", 4, 3, 2),
                          ("2022-12-31T00:00:00Z", "036", 1, 1, 1)]

    with beam.Pipeline(runner=FnApiRunner()) as p:
        out = (p | beam.Create(with_bad)
               | AggregateEventMentions(early_firing_delay_s=None))
        assert_that(out[AGGREGATES_TAG], check, label="AggregatesMatchSchema")
        assert_that(out[DEAD_LETTER_TAG] | beam.Map(lambda d: d.reason),
                    equal_to(["no_cameo_code"]), label="OneDeadLetter")


@pytest.mark.parametrize("change", [
    {"pane_timing": "SOON"},
    {"num_mentions": 0},
    {"window_start": "2022-12-30 00:00:00"},
    {"cameo": "36x"},
    {"extra": 1},
], ids=["timing", "zero_mentions", "naive_time", "cameo", "extra_field"])
def test_schema_rejects_malformed_records(change: dict) -> None:
    record = _formatted(EVENTS[:1], PaneInfo(True, True, PaneInfoTiming.ON_TIME, 0, 0))[0]
    assert _errors(record) == []
    assert _errors({**record, **change})
