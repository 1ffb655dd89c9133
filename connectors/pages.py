"""The page envelope: what a crawler puts on the pages topic (schemas/page.schema.json).

`decode_page(record)` validates a Kafka message at the edge and returns a PageEnvelope
or a DeadLetter; it never raises on bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class PageEnvelope:
    url: str
    html: str                         # decoded HTML text (the envelope may carry it gzip+base64)
    fetched_at: str | None = None     # RFC 3339 time of the fetch
    http_status: int | None = None
    headers: dict = field(default_factory=dict)
    crawler: str | None = None
    language_hint: str | None = None  # only a hint; cleaning detects the language itself
    # Kafka coordinates of the message this page came from (None outside Kafka).
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    key: bytes | None = None
    timestamp_ms: int | None = None
    source_file: str | None = None    # set by `newsbeam clean PATH…`
