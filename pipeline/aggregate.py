"""Cross-source event aggregation: GDELT's NumMentions / NumSources / NumArticles per day.

The same real-world event is reported by many outlets, and syndicated copies of one
story land on many sites. Events are keyed by (actor1 code, actor2 code, CAMEO code,
event date) and counted per day of *publication* (event time = ``published_at``) in
fixed one-day windows:

* ``num_mentions`` — distinct event records (``event_id``), so a redelivered record
  (at-least-once sources) is not counted twice;
* ``num_sources`` — distinct domains (``domain``, else the host of ``url``);
* ``num_articles`` — distinct articles, a near-duplicate copy (``duplicate_of`` set by
  dedup) counting as the article it copies.

The window fires early (processing-time delay) and on time, then once per late event
within the allowed lateness, accumulating: every pane carries the full counts so far,
so a sink keeps the newest pane per (event_key, window_start) — an idempotent upsert.

The counting is a pure :class:`EventMentionsCombineFn` (testable without Beam runners);
the PTransform only keys, timestamps, windows and formats.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import apache_beam as beam
from apache_beam.transforms import trigger as beam_trigger
from apache_beam.transforms import window as beam_window
from apache_beam.utils.timestamp import Duration

from connectors.deadletter import DEAD_LETTER_TAG, make_dead_letter

AGGREGATES_TAG = "aggregates"
STAGE = "aggregate"
KEY_SEPARATOR = "|"
DAY_S = 24 * 3600

EventKey = tuple[str, str, str, str]


# ---------------------------------------------------------------- pure functions


def _nested(event: dict[str, Any], outer: str, inner: str) -> str:
    value = event.get(outer)
    if isinstance(value, dict):
        return str(value.get(inner) or "")
    return str(event.get(f"{outer}.{inner}") or "")


def event_key(event: dict[str, Any]) -> EventKey | None:
    """(actor1 code, actor2 code, CAMEO code, event date); None without a CAMEO code.

    A missing actor or date is the empty string (GDELT leaves those columns blank).
    """
    cameo = _nested(event, "action", "cameo")
    if not cameo:
        return None
    return (
        _nested(event, "actor1", "code"),
        _nested(event, "actor2", "code"),
        cameo,
        str(event.get("event_date") or ""),
    )


def format_event_key(key: EventKey) -> str:
    """The key as one string, e.g. ``RUSGOV|CHNGOV|036|2022-12-30``."""
    return KEY_SEPARATOR.join(key)


def event_domain(event: dict[str, Any]) -> str:
    """Source domain: ``domain`` if given, else the URL's host without ``www.``."""
    domain = event.get("domain")
    if not domain:
        url = event.get("url") or ""
        try:
            domain = urllib.parse.urlsplit(url).hostname or ""
        except ValueError:
            domain = ""
    domain = str(domain).strip().lower().rstrip(".")
    return domain.removeprefix("www.")


def article_identity(event: dict[str, Any]) -> str:
    """The article an event counts for: the original of a near-duplicate copy."""
    return str(
        event.get("duplicate_of") or event.get("article_id") or event.get("url") or ""
    )


def published_seconds(event: dict[str, Any]) -> float | None:
    """``published_at`` (ISO 8601; naive means UTC) as Unix seconds, None if absent/bad."""
    raw = event.get("published_at")
    if not raw:
        return None
    try:
        when = dt.datetime.fromisoformat(str(raw).strip())
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp()


@dataclass(slots=True)
class MentionAccumulator:
    """Distinct event ids, domains and articles seen for one key in one window."""

    mentions: set[str]
    sources: set[str]
    articles: set[str]


class EventMentionsCombineFn(beam.CombineFn):
    """Counts mentions, sources and articles of one event key; sets make it idempotent."""

    def create_accumulator(self) -> MentionAccumulator:
        return MentionAccumulator(set(), set(), set())

    def add_input(self, acc: MentionAccumulator, event: dict[str, Any]) -> MentionAccumulator:
        mention = event.get("event_id") or f"{article_identity(event)}#{len(acc.mentions)}"
        acc.mentions.add(str(mention))
        domain = event_domain(event)
        if domain:
            acc.sources.add(domain)
        article = article_identity(event)
        if article:
            acc.articles.add(article)
        return acc

    def merge_accumulators(self, accs: Iterable[MentionAccumulator]) -> MentionAccumulator:
        merged = self.create_accumulator()
        for acc in accs:
            merged.mentions |= acc.mentions
            merged.sources |= acc.sources
            merged.articles |= acc.articles
        return merged

    def extract_output(self, acc: MentionAccumulator) -> dict[str, int]:
        return {
            "num_mentions": len(acc.mentions),
            "num_sources": len(acc.sources),
            "num_articles": len(acc.articles),
        }


@dataclass(frozen=True, slots=True)
class EventMentionAggregate:
    """Counts of one event key in one publication-day window, as of one pane."""

    event_key: str
    actor1_code: str
    actor2_code: str
    cameo: str
    event_date: str
    window_start: str          # ISO 8601 UTC
    window_end: str
    num_mentions: int
    num_sources: int
    num_articles: int
    pane_index: int            # 0, 1, ...: keep the highest per (event_key, window_start)
    pane_timing: str           # EARLY | ON_TIME | LATE | UNKNOWN
    is_last_pane: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EventMentionAggregate:
        return cls(**{name: d[name] for name in cls.__dataclass_fields__})


def _iso(ts: Any) -> str:
    """UTC ISO time; Beam's min/max timestamps (global window, untimestamped input) clamp
    to the datetime range instead of failing the job."""
    try:
        return ts.to_utc_datetime(has_tz=True).isoformat().replace("+00:00", "Z")
    except (OverflowError, ValueError):
        return "0001-01-01T00:00:00Z" if ts.micros < 0 else "9999-12-31T23:59:59Z"


_PANE_TIMING = {0: "EARLY", 1: "ON_TIME", 2: "LATE", 3: "UNKNOWN"}


# ---------------------------------------------------------------- Beam wiring


class _KeyEventFn(beam.DoFn):
    """Key an event and stamp it with its publication time; unkeyable -> dead letter."""

    def process(self, element: Any):
        event = element.to_dict() if hasattr(element, "to_dict") else element
        if not isinstance(event, dict):
            yield beam.pvalue.TaggedOutput(
                DEAD_LETTER_TAG,
                make_dead_letter(STAGE, "not_an_event", f"got {type(element).__name__}",
                                 repr(element).encode("utf-8", "replace")),
            )
            return
        key = event_key(event)
        if key is None:
            import orjson

            yield beam.pvalue.TaggedOutput(
                DEAD_LETTER_TAG,
                make_dead_letter(STAGE, "no_cameo_code", "event has no action.cameo",
                                 orjson.dumps(event, default=str)),
            )
            return
        published = published_seconds(event)
        if published is not None:
            yield beam_window.TimestampedValue((key, event), published)
        else:
            yield key, event  # keeps the upstream (e.g. Kafka record) timestamp


class _FormatAggregateFn(beam.DoFn):
    def process(self, keyed: tuple[EventKey, dict[str, int]],
                win=beam.DoFn.WindowParam, pane=beam.DoFn.PaneInfoParam):
        key, counts = keyed
        yield EventMentionAggregate(
            event_key=format_event_key(key),
            actor1_code=key[0],
            actor2_code=key[1],
            cameo=key[2],
            event_date=key[3],
            window_start=_iso(win.start),
            window_end=_iso(win.end),
            num_mentions=counts["num_mentions"],
            num_sources=counts["num_sources"],
            num_articles=counts["num_articles"],
            pane_index=int(pane.index),
            pane_timing=_PANE_TIMING.get(int(pane.timing), "UNKNOWN"),
            is_last_pane=bool(pane.is_last),
        ).to_dict()


class AggregateEventMentions(beam.PTransform):
    """Event dicts (or Event records) -> per-day GDELT-style counts per event key.

    Returns ``{"aggregates": PCollection[dict], "dead_letter": PCollection[DeadLetter]}``;
    events without a CAMEO code go to the dead-letter output.
    """

    def __init__(
        self,
        *,
        window_size_s: int = DAY_S,
        allowed_lateness_s: int = 2 * DAY_S,
        early_firing_delay_s: int | None = 60,
        label: str | None = None,
    ) -> None:
        super().__init__(label)
        if window_size_s <= 0:
            raise ValueError("window_size_s must be > 0")
        if allowed_lateness_s < 0:
            raise ValueError("allowed_lateness_s must be >= 0")
        if early_firing_delay_s is not None and early_firing_delay_s <= 0:
            raise ValueError("early_firing_delay_s must be > 0 or None (no early panes)")
        self.window_size_s = window_size_s
        self.allowed_lateness_s = allowed_lateness_s
        self.early_firing_delay_s = early_firing_delay_s

    def _trigger(self) -> beam_trigger.TriggerFn:
        early = (
            beam_trigger.AfterProcessingTime(int(self.early_firing_delay_s))
            if self.early_firing_delay_s is not None
            else None
        )
        late = beam_trigger.AfterCount(1) if self.allowed_lateness_s else None
        return beam_trigger.AfterWatermark(early=early, late=late)

    def expand(self, events: beam.PCollection) -> dict[str, beam.PCollection]:
        keyed = events | "KeyByEvent" >> beam.ParDo(_KeyEventFn()).with_outputs(
            DEAD_LETTER_TAG, main=AGGREGATES_TAG
        )
        aggregates = (
            keyed[AGGREGATES_TAG]
            | "WindowByPublishedDay" >> beam.WindowInto(
                beam_window.FixedWindows(self.window_size_s),
                trigger=self._trigger(),
                accumulation_mode=beam_trigger.AccumulationMode.ACCUMULATING,
                allowed_lateness=Duration(seconds=self.allowed_lateness_s),
            )
            | "CountMentions" >> beam.CombinePerKey(EventMentionsCombineFn())
            | "FormatAggregate" >> beam.ParDo(_FormatAggregateFn())
        )
        return {AGGREGATES_TAG: aggregates, DEAD_LETTER_TAG: keyed[DEAD_LETTER_TAG]}
