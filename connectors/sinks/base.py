"""The sink contract shared by every destination (Kafka, JSONL files, PostgreSQL).

Delivery is at-least-once: a bundle's Kafka offsets are committed only after every sink
has confirmed the bundle's writes, so a crash replays the last bundle. Every write is
therefore idempotent (keyed by article_id / event_id / dead_letter_id).

Life cycle inside a DoFn:
    setup()            -> sink.open()
    process(element)   -> sink.add(kind, key, record)       # buffer, cheap
    finish_bundle()    -> sink.flush(); sink.confirm()       # write, then wait for acks
    teardown()         -> sink.close()

`flush` and `confirm` raise TransientSinkError for failures worth retrying (DB down,
broker unavailable) and TerminalSinkError for failures that retrying cannot fix (bad
credentials, schema mismatch). `flush_with_retry` retries transient errors with
exponential backoff while holding the bundle (so offsets are never committed past
unwritten records) and re-raises terminal ones so the job fails loudly.
"""

from __future__ import annotations

import logging
import random
import time
from abc import ABC, abstractmethod
from collections.abc import Callable

log = logging.getLogger(__name__)

# Kinds of record a sink receives; each sink maps them to a table, topic or file family.
ARTICLE = "article"
EVENT = "event"
DEAD_LETTER = "dead_letter"
KINDS = (ARTICLE, EVENT, DEAD_LETTER)


class SinkError(Exception):
    """Base of sink failures; the type decides retry vs fail, never the message."""


class TransientSinkError(SinkError):
    """Worth retrying: the destination is temporarily unavailable."""


class TerminalSinkError(SinkError):
    """Retrying cannot help: configuration or data error. Fails the job loudly."""


class Sink(ABC):
    """A destination for articles, events and dead letters.

    Subclasses implement `open`, `add`, `flush`, `confirm`, `close`. `add` must be cheap
    (buffer only); all I/O happens in `flush` (send) and `confirm` (wait for acks).
    Writes must be idempotent: the same (kind, key) written twice leaves one copy.
    """

    #: short name used in metrics labels and logs, e.g. "kafka", "files", "postgres"
    name: str = "sink"

    def open(self) -> None:  # noqa: B027 - optional hook
        """Acquire clients/connections (called from DoFn.setup)."""

    @abstractmethod
    def add(self, kind: str, key: str, record: dict) -> None:
        """Buffer one record; `kind` is one of KINDS, `key` its idempotency key."""

    @abstractmethod
    def flush(self) -> int:
        """Send every buffered record; return how many were sent."""

    def confirm(self) -> None:  # noqa: B027 - optional hook
        """Block until everything flushed is durably acknowledged (or raise)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release clients/connections (called from DoFn.teardown)."""

    def pending(self) -> int:
        """Number of buffered, not yet flushed records (for metrics and tests)."""
        return 0


def flush_with_retry(
    sink: Sink,
    *,
    max_attempts: int = 0,
    initial_backoff_s: float = 0.5,
    max_backoff_s: float = 30.0,
    on_retry: Callable[[Sink, int, Exception], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Flush and confirm, retrying transient errors with capped exponential backoff.

    max_attempts=0 retries forever (the job holds the bundle until the destination is
    back, which is what an operator wants instead of data loss); terminal errors raise.
    """
    attempt = 0
    backoff = initial_backoff_s
    while True:
        attempt += 1
        try:
            sent = sink.flush()
            sink.confirm()
            return sent
        except TerminalSinkError:
            raise
        except TransientSinkError as exc:
            if max_attempts and attempt >= max_attempts:
                raise
            if on_retry is not None:
                on_retry(sink, attempt, exc)
            log.warning("sink %s: transient failure (attempt %d), retrying in %.1fs: %s",
                        sink.name, attempt, backoff, exc)
            sleep(backoff * (0.5 + random.random() / 2))
            backoff = min(backoff * 2, max_backoff_s)
