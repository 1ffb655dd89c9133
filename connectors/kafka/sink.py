"""KafkaSink: the sink contract (connectors/sinks/base.py) on a Kafka producer.

Each kind goes to its own topic (defaults news.articles, news.events, news.deadletter),
value = orjson of the record dict, key = the record's idempotency key, so a compacted
topic keeps one copy per key and consumers can de-duplicate replays.
"""

from __future__ import annotations

import importlib.util

from connectors.kafka.config import KafkaConfig, as_config
from connectors.kafka.clients import (
    DEFAULT_MAX_REQUEST_SIZE,
    check_compression,
    close_producer,
    make_producer,
)
from connectors.sinks.base import (
    ARTICLE,
    DEAD_LETTER,
    EVENT,
    KINDS,
    Sink,
    TerminalSinkError,
    TransientSinkError,
)


DEFAULT_TOPICS = {ARTICLE: "news.articles", EVENT: "news.events",
                  DEAD_LETTER: "news.deadletter"}
#: lz4 when its package is installed: ~40 % less producer CPU than kafka-python's gzip
#: (level 9, run in the producer's I/O thread under the GIL), still ~2.5x smaller batches
DEFAULT_COMPRESSION = "lz4" if importlib.util.find_spec("lz4") is not None else "gzip"


def classify_kafka_error(exc: BaseException) -> type[TransientSinkError | TerminalSinkError]:
    """Retriable broker/network errors and timeouts are transient; the rest terminal."""
    from kafka import errors as kerr

    transient = (kerr.KafkaTimeoutError, kerr.KafkaConnectionError, TimeoutError,
                 ConnectionError)
    no_brokers = getattr(kerr, "NoBrokersAvailable", None)  # gone in kafka-python 3
    if no_brokers is not None:
        transient += (no_brokers,)
    if isinstance(exc, transient):
        return TransientSinkError
    if isinstance(exc, (kerr.AuthorizationError, kerr.SaslAuthenticationFailedError,
                        kerr.MessageSizeTooLargeError, kerr.KafkaConfigurationError)):
        return TerminalSinkError
    if getattr(exc, "retriable", False):
        return TransientSinkError
    return TerminalSinkError


class KafkaSink(Sink):
    """Buffer (kind, key, record) in `add`, send in `flush`, wait for acks in `confirm`."""

    name = "kafka"

    def __init__(self, bootstrap_servers: str | KafkaConfig | None = None, *,
                 topics: dict[str, str] | None = None, compression: str | None = DEFAULT_COMPRESSION,
                 linger_ms: int = 20, max_request_size: int = DEFAULT_MAX_REQUEST_SIZE,
                 confirm_timeout_s: float = 60.0, producer_config: dict | None = None):
        self._config = as_config(bootstrap_servers)
        self._topics = dict(DEFAULT_TOPICS)
        for kind, topic in (topics or {}).items():
            if kind not in KINDS:
                raise ValueError(f"unknown kind {kind!r}; kinds are {KINDS}")
            if not topic:
                raise ValueError(f"empty topic for kind {kind!r}")
            self._topics[kind] = topic
        if not confirm_timeout_s > 0:
            raise ValueError("confirm_timeout_s must be > 0")
        self._producer_kwargs = {"compression": check_compression(compression),
                                     "linger_ms": linger_ms, "max_request_size": max_request_size,
                                     "extra": dict(producer_config or {})}
        self._confirm_timeout_s = confirm_timeout_s
        self._producer = None
        self._buffer: list[tuple[str, str, dict]] = []
        self._in_flight: list[tuple[str, object]] = []

    @property
    def topics(self) -> dict[str, str]:
        return dict(self._topics)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_producer"] = None
        state["_buffer"] = []
        state["_in_flight"] = []
        return state

    def open(self) -> None:
        if self._producer is None:
            try:
                self._producer = make_producer(self._config, **self._producer_kwargs)
            except Exception as exc:
                raise classify_kafka_error(exc)(f"kafka producer: {exc}") from exc

    def add(self, kind: str, key: str, record: dict) -> None:
        if kind not in self._topics:
            raise ValueError(f"unknown kind {kind!r}; kinds are {KINDS}")
        self._buffer.append((kind, key, record))

    def pending(self) -> int:
        return len(self._buffer)

    def flush(self) -> int:
        """Hand every buffered record to the producer; the buffer is kept until confirm."""
        import orjson

        self.open()
        sent = 0
        for kind, key, record in self._buffer[len(self._in_flight):]:
            try:
                future = self._producer.send(
                    self._topics[kind],
                    key=key.encode("utf-8") if key is not None else None,
                    value=orjson.dumps(record))
            except Exception as exc:
                raise classify_kafka_error(exc)(f"kafka send to {self._topics[kind]}: "
                                                f"{exc}") from exc
            self._in_flight.append((kind, future))
            sent += 1
        return sent

    def confirm(self) -> None:
        """Wait for every in-flight record; on failure the whole buffer is resent next time.

        Confirmed writes are counted by WriteToSinks (newsbeam_sink_writes_total), not here.
        """
        if not self._in_flight:
            return
        try:
            self._producer.flush(timeout=self._confirm_timeout_s)
        except Exception as exc:
            self._in_flight = []  # resend everything still buffered on retry
            raise classify_kafka_error(exc)(f"kafka flush: {exc}") from exc
        failures = [(k, f) for k, f in self._in_flight if not f.is_done or f.failed()]
        if failures:
            _, future = failures[0]
            exc = future.exception if future.is_done else TimeoutError("not acknowledged")
            self._in_flight = []
            error = classify_kafka_error(exc)
            raise error(f"{len(failures)} of {len(self._buffer)} kafka writes failed; "
                        f"first: {exc}") from exc
        self._in_flight = []
        self._buffer = []

    def close(self) -> None:
        if self._producer is not None:
            close_producer(self._producer)
            self._producer = None
