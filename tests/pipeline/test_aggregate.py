"""Pure tests of the event-aggregation functions and CombineFn (no runner)."""

from __future__ import annotations

import pickle

import pytest

from pipeline.aggregate import (
    AggregateEventMentions,
    EventMentionAggregate,
    EventMentionsCombineFn,
    article_identity,
    event_domain,
    event_key,
    format_event_key,
    published_seconds,
)


def make_event(event_id: str, article_id: str, url: str, *, duplicate_of: str | None = None,
               actor1: str = "RUSGOV", actor2: str = "CHNGOV", cameo: str = "036",
               event_date: str = "2022-12-30",
               published_at: str = "2022-12-30T10:00:00Z") -> dict:
    event = {
        "event_id": event_id, "article_id": article_id, "url": url,
        "published_at": published_at, "event_date": event_date,
        "actor1": {"code": actor1}, "actor2": {"code": actor2}, "action": {"cameo": cameo},
    }
    if duplicate_of:
        event["duplicate_of"] = duplicate_of
    return event


def test_event_key_and_blanks() -> None:
    event = make_event("e1", "a1", "https://x.in/1")
    assert event_key(event) == ("RUSGOV", "CHNGOV", "036", "2022-12-30")
    assert format_event_key(event_key(event)) == "RUSGOV|CHNGOV|036|2022-12-30"
    event["actor2"] = None
    event["event_date"] = None
    assert event_key(event) == ("RUSGOV", "", "036", "")
    assert event_key({"action": {}}) is None
    assert event_key({"action.cameo": "01", "actor1.code": "IND"}) == ("IND", "", "01", "")


def test_domain_article_and_time() -> None:
    assert event_domain({"url": "https://WWW.BBC.co.uk/hindi/x"}) == "bbc.co.uk"
    assert event_domain({"url": "https://m.bbc.co.uk/x", "domain": "BBC.co.uk"}) == "bbc.co.uk"
    assert event_domain({"url": "not a url"}) == ""
    assert event_domain({"url": "http://[bad"}) == ""
    assert article_identity({"article_id": "a2", "duplicate_of": "a1"}) == "a1"
    assert article_identity({"article_id": "a2"}) == "a2"
    assert published_seconds({"published_at": "1970-01-01T00:01:00Z"}) == 60.0
    assert published_seconds({"published_at": "1970-01-01T01:00:00+01:00"}) == 0.0
    assert published_seconds({"published_at": "1970-01-01T00:00:10"}) == 10.0
    assert published_seconds({"published_at": "yesterday"}) is None
    assert published_seconds({}) is None


def _combine(fn: EventMentionsCombineFn, events: list[dict]) -> object:
    acc = fn.create_accumulator()
    for event in events:
        acc = fn.add_input(acc, event)
    return acc


def test_combine_counts_mentions_sources_articles() -> None:
    fn = EventMentionsCombineFn()
    events = [
        make_event("e1", "a1", "https://www.bbc.com/hindi/1"),
        make_event("e2", "a1", "https://www.bbc.com/hindi/1"),  # 2nd mention, same article
        make_event("e3", "a2", "https://amarujala.com/x", duplicate_of="a1"),  # syndicated copy
        make_event("e4", "a3", "https://www.ndtv.com/y"),
    ]
    out = fn.extract_output(_combine(fn, events))
    assert out == {"num_mentions": 4, "num_sources": 3, "num_articles": 2}


def test_combine_merge_is_split_invariant_and_idempotent() -> None:
    fn = EventMentionsCombineFn()
    events = [make_event(f"e{i}", f"a{i % 3}", f"https://s{i % 2}.example/{i}") for i in range(7)]
    whole = fn.extract_output(_combine(fn, events))
    parts = [_combine(fn, events[:2]), _combine(fn, events[2:5]), _combine(fn, events[5:])]
    assert fn.extract_output(fn.merge_accumulators(parts)) == whole
    # A redelivered event (same event_id) is not a new mention.
    again = fn.add_input(_combine(fn, events), events[0])
    assert fn.extract_output(again) == whole
    assert whole == {"num_mentions": 7, "num_sources": 2, "num_articles": 3}
    # Accumulators cross process boundaries pickled.
    assert fn.extract_output(pickle.loads(pickle.dumps(parts[1]))) == \
        fn.extract_output(parts[1])


def test_aggregate_record_round_trip() -> None:
    record = EventMentionAggregate(
        event_key="A|B|01|", actor1_code="A", actor2_code="B", cameo="01", event_date="",
        window_start="2022-12-30T00:00:00Z", window_end="2022-12-31T00:00:00Z",
        num_mentions=3, num_sources=2, num_articles=1, pane_index=0, pane_timing="ON_TIME",
        is_last_pane=False)
    assert EventMentionAggregate.from_dict(record.to_dict()) == record


def test_transform_validates_arguments() -> None:
    with pytest.raises(ValueError):
        AggregateEventMentions(window_size_s=0)
    with pytest.raises(ValueError):
        AggregateEventMentions(allowed_lateness_s=-1)
    with pytest.raises(ValueError):
        AggregateEventMentions(early_firing_delay_s=0)
