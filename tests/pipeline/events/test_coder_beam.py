"""ExtractEvents on Beam's local runner: events out, coder errors to dead letters, metrics."""

from __future__ import annotations

import apache_beam as beam
import pytest
from apache_beam.testing import test_pipeline
from apache_beam.testing.util import assert_that, equal_to

from connectors.deadletter import DEAD_LETTER_TAG
from pipeline import metrics
from pipeline.events import ExtractEvents

ARTICLES = [
    {
        "article_id": "a1",
        "url": "https://example.org/a1",
        "language": "en",
        "published_at": "2022-12-31",
        "text": "Japan imposed new sanctions on North Korea on Friday.",
    },
    {
        "article_id": "a2",
        "url": "https://example.org/a2",
        "language": "hi",
        "published_at": "2022-12-31",
        "text": "भारत ने पाकिस्तान को कड़ी चेतावनी दी।",
    },
    {
        "article_id": "a3",
        "url": "https://example.org/a3",
        "language": "en",
        "published_at": None,
        "text": "Norway beat Denmark 31-28 in the handball league.",
    },
]
BROKEN = {"article_id": "bad", "url": "https://example.org/bad", "language": "en", "text": 12345}


def _count(counter, **labels) -> float:
    return counter.labels(**labels)._value.get()


def test_extract_events_transform():
    before_16 = _count(metrics.EVENTS, cameo_root="16", language="en")
    before_dead = _count(metrics.DEAD_LETTERS, stage="events", reason="coder_error")
    with test_pipeline.TestPipeline() as p:
        result = p | beam.Create(ARTICLES + [BROKEN]) | ExtractEvents()
        keys = result.events | "Keys" >> beam.Map(
            lambda e: (
                e.article_id,
                e.actor1.code[:3],
                e.actor2.code[:3] if e.actor2 else "",
                e.action.root,
            )
        )
        assert_that(
            keys, equal_to([("a1", "JPN", "PRK", "16"), ("a2", "IND", "PAK", "13")]), label="events"
        )
        dead = result[DEAD_LETTER_TAG] | "Dead" >> beam.Map(
            lambda d: (d.stage, d.reason, b"bad" in d.original)
        )
        assert_that(dead, equal_to([("events", "coder_error", True)]), label="dead")
    assert _count(metrics.EVENTS, cameo_root="16", language="en") == before_16 + 1
    assert _count(metrics.DEAD_LETTERS, stage="events", reason="coder_error") == before_dead + 1


def test_extract_events_validates_arguments():
    with pytest.raises(ValueError):
        ExtractEvents(min_confidence=2)
