"""WriteToKafka: a keyed, batched Kafka producer that never drops a record.

Elements are `(key, value)` pairs (key: bytes | str | None; value: bytes | str | dict,
dicts are orjson-encoded) or bare values. `finish_bundle` flushes the producer and checks
every delivery future, raising on any failure so the runner retries the whole bundle
(at-least-once: a retried bundle may write some records twice).
"""

from __future__ import annotations

import apache_beam as beam

from connectors.kafka.clients import (
    DEFAULT_MAX_REQUEST_SIZE,
    check_compression,
    close_producer,
    make_producer,
    to_bytes,
)
from connectors.kafka.config import KafkaConfig, as_config


class _WriteToKafkaFn(beam.DoFn):
    def __init__(self, config: KafkaConfig, topic: str, producer_kwargs: dict,
                 flush_timeout_s: float):
        self._config = config
        self._topic = topic
        self._producer_kwargs = producer_kwargs
        self._flush_timeout_s = flush_timeout_s
        self._producer = None
        self._futures: list = []

    def setup(self) -> None:
        self._producer = make_producer(self._config, **self._producer_kwargs)
        self._written = beam.metrics.Metrics.counter("newsbeam.kafka", "records_written")

    def start_bundle(self) -> None:
        self._futures = []

    def process(self, element) -> None:
        if isinstance(element, tuple) and len(element) == 2:
            key, value = element
        else:
            key, value = None, element
        self._futures.append(
            self._producer.send(self._topic, key=to_bytes(key), value=to_bytes(value)))

    def finish_bundle(self) -> None:
        futures, self._futures = self._futures, []
        if not futures:
            return
        self._producer.flush(timeout=self._flush_timeout_s)
        failed = [f for f in futures if not f.is_done or f.failed()]
        if failed:
            first = failed[0]
            cause = first.exception if first.is_done else "not acknowledged before timeout"
            raise RuntimeError(f"{len(failed)} of {len(futures)} Kafka writes to "
                               f"{self._topic} failed; first: {cause}")
        self._written.inc(len(futures))

    def teardown(self) -> None:
        if self._producer is not None:
            close_producer(self._producer)
            self._producer = None


class WriteToKafka(beam.PTransform):
    """Write `(key, value)` pairs (or bare values) to one Kafka topic, at least once."""

    def __init__(self, topic: str, *, bootstrap_servers: str | KafkaConfig | None = None,
                 compression: str | None = "gzip", linger_ms: int = 20,
                 batch_size: int = 256 * 1024,
                 max_request_size: int = DEFAULT_MAX_REQUEST_SIZE,
                 flush_timeout_s: float = 120.0, producer_config: dict | None = None):
        super().__init__()
        if not isinstance(topic, str) or not topic:
            raise ValueError("topic must be a non-empty string")
        if linger_ms < 0 or batch_size < 1 or max_request_size < 1024:
            raise ValueError("linger_ms >= 0, batch_size >= 1, max_request_size >= 1024")
        if not flush_timeout_s > 0:
            raise ValueError("flush_timeout_s must be > 0")
        self._config = as_config(bootstrap_servers)
        self._topic = topic
        self._flush_timeout_s = flush_timeout_s
        self._producer_kwargs = {
            "compression": check_compression(compression), "linger_ms": linger_ms,
            "batch_size": batch_size, "max_request_size": max_request_size,
            "extra": dict(producer_config or {}),
        }

    def expand(self, pcoll):
        return pcoll | "Produce" >> beam.ParDo(
            _WriteToKafkaFn(self._config, self._topic, self._producer_kwargs,
                            self._flush_timeout_s))
