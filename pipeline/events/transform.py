"""Beam wrapper of the event coder: Articles in, Events out, dead letters on coder errors."""

from __future__ import annotations

import time
from typing import Any

import apache_beam as beam
from apache_beam.pvalue import TaggedOutput

from connectors.deadletter import DEAD_LETTER_TAG, make_dead_letter
from pipeline.events.coder import extract_events

EVENTS_TAG = "events"


def _original_bytes(article: Any) -> bytes:
    """The article as JSON bytes, for the dead letter (never raises)."""
    try:
        import orjson

        data = article.to_dict() if hasattr(article, "to_dict") else article
        return orjson.dumps(data, default=str)
    except Exception:  # noqa: BLE001 - a dead letter must always be buildable
        return repr(article).encode("utf-8", "replace")


class _ExtractEventsFn(beam.DoFn):
    """Codes one article; every Event goes to the main output, failures to the dead letters.

    Metrics are module-level collectors of pipeline.metrics looked up at call time (a
    pickled copy held on the DoFn would export nothing).
    """

    def __init__(self, min_confidence: float = 0.0) -> None:
        super().__init__()
        self._min_confidence = min_confidence

    def process(self, article: Any):
        from pipeline import metrics

        started = time.perf_counter()
        try:
            events = extract_events(article)
        except Exception as err:  # noqa: BLE001 - bad input never stops the stream
            metrics.DEAD_LETTERS.labels(stage="events", reason="coder_error").inc()
            metrics.beam_counter("newsbeam.events", "dead_letters").inc()
            yield TaggedOutput(
                DEAD_LETTER_TAG,
                make_dead_letter(
                    "events",
                    "coder_error",
                    f"{type(err).__name__}: {err}",
                    _original_bytes(article),
                    article,
                ),
            )
            return
        finally:
            metrics.STAGE_LATENCY.labels(stage="events").observe(time.perf_counter() - started)
        counter = metrics.beam_counter("newsbeam.events", "events")
        for event in events:
            if event.confidence < self._min_confidence:
                continue
            metrics.EVENTS.labels(cameo_root=event.action.root, language=event.language).inc()
            counter.inc()
            yield event


class ExtractEvents(beam.PTransform):
    """Articles -> Events (main output, tag "events") + DeadLetters (tag DEAD_LETTER_TAG).

    `result = articles | ExtractEvents()`; `result.events`, `result[DEAD_LETTER_TAG]`.
    """

    def __init__(self, min_confidence: float = 0.0, label: str | None = None) -> None:
        super().__init__(label)
        if not isinstance(min_confidence, (int, float)) or not 0.0 <= float(min_confidence) <= 1.0:
            raise ValueError(f"min_confidence must be within [0, 1], got {min_confidence!r}")
        self._min_confidence = float(min_confidence)

    def expand(self, articles):
        return articles | "CodeEvents" >> beam.ParDo(
            _ExtractEventsFn(self._min_confidence)
        ).with_outputs(DEAD_LETTER_TAG, main=EVENTS_TAG)
