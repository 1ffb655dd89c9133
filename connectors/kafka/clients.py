"""kafka-python clients and offset resolution, free of Beam imports (the CLI uses them).

ReadFromKafka, WriteToKafka, KafkaSink and `newsbeam produce|read` all build their
clients here, so they share one meaning of start positions and one producer setup.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Sequence
from typing import Any, NamedTuple

from connectors.kafka.config import KafkaConfig

# Stop of an unbounded partition restriction: far beyond any real offset, with room for
# the tracker's split arithmetic.
UNBOUNDED_STOP = sys.maxsize // 4
# Last seen end offset per (topic, partition) in this process (sizes backlogs cheaply).
HIGHWATER: dict[tuple[str, int], int] = {}


class TlsVerifyError(Exception):
    """A TLS listener presented a certificate the configured CA does not verify."""


def check_tls(config: KafkaConfig, timeout_s: float = 10.0) -> None:
    """Fail fast, with the reason, when a broker's TLS certificate does not verify.

    kafka-python retries a failed handshake until its bootstrap timeout (30 s) and then
    reports only "Unable to bootstrap". One handshake per bootstrap server (same checks
    as kafka-python: the CA file, else the system's; the hostname) names the cause.
    Unreachable servers are left to the Kafka client to report."""
    if not config.security_protocol.endswith("SSL"):
        return
    import socket
    import ssl

    context = ssl.create_default_context(cafile=config.ssl_cafile)
    if config.ssl_certfile:
        context.load_cert_chain(config.ssl_certfile, config.ssl_keyfile)
    for server in config.bootstrap_servers.split(","):
        host, _, port = server.strip().rpartition(":")
        host = host.strip("[]")
        try:
            with socket.create_connection((host, int(port)), timeout=timeout_s) as sock, \
                    context.wrap_socket(sock, server_hostname=host):
                pass
        except ssl.SSLCertVerificationError as err:
            raise TlsVerifyError(
                f"{server.strip()}: certificate not trusted ({err.verify_message}); "
                f"CA file: {config.ssl_cafile or 'the system default'}") from None
        except (OSError, ValueError):
            continue


class PartitionSlice(NamedTuple):
    """One topic-partition and the offsets discovery resolved for it."""

    topic: str
    partition: int
    start: int  # first offset to read
    stop: int   # exclusive end; UNBOUNDED_STOP when reading forever


def make_consumer(config: KafkaConfig, group_id: str | None, extra: dict | None = None):
    from kafka import KafkaConsumer

    kwargs = dict(
        config.client_kwargs(),
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",  # only used when a seek lands outside retention
        max_poll_records=500,
    )
    kwargs.update(extra or {})
    return KafkaConsumer(**kwargs)


def resolve_partitions(
    config: KafkaConfig,
    topics: Sequence[str],
    *,
    group_id: str | None,
    start: str,
    fallback: str,
    start_timestamp_ms: int | None,
    bounded: bool,
    partitions: Sequence[int] | None = None,
    partition_share: tuple[int, int] | None = None,
    stop_timestamp_ms: int | None = None,
    timeout_s: float = 30.0,
    consumer_config: dict | None = None,
) -> list[PartitionSlice]:
    """List the partitions of `topics` and resolve their start (and, if bounded, stop).
    `partitions` keeps only those numbers; `partition_share=(i, n)` only p % n == i.
    Bounded with `stop_timestamp_ms`: each partition stops before its first record at or
    after that time (a replay window), else at its end offset."""
    from kafka import TopicPartition

    consumer = make_consumer(config, group_id, consumer_config)
    try:
        tps: list = []
        for topic in topics:
            deadline = time.monotonic() + timeout_s
            found = consumer.partitions_for_topic(topic)
            while not found and time.monotonic() < deadline:
                time.sleep(0.2)
                found = consumer.partitions_for_topic(topic)
            if not found:
                raise ValueError(f"Kafka topic {topic!r} does not exist on "
                                 f"{config.bootstrap_servers}")
            for p in sorted(found):
                if (partitions is None or p in partitions) and (
                        partition_share is None or p % partition_share[1] == partition_share[0]):
                    tps.append(TopicPartition(topic, p))
        timeout_ms = int(timeout_s * 1000)
        beginning = consumer.beginning_offsets(tps, timeout_ms=timeout_ms)
        end = consumer.end_offsets(tps, timeout_ms=timeout_ms)
        starts: dict = {}
        if start == "earliest":
            starts = dict(beginning)
        elif start == "latest":
            starts = dict(end)
        elif start == "timestamp":
            found_times = consumer.offsets_for_times(
                {tp: start_timestamp_ms for tp in tps}, timeout_ms=timeout_ms)
            starts = {tp: (found_times[tp].offset if found_times.get(tp) else end[tp])
                      for tp in tps}
        else:  # committed
            for tp in tps:
                committed = consumer.committed(tp, timeout_ms=timeout_ms)
                if committed is None:
                    committed = beginning[tp] if fallback == "earliest" else end[tp]
                starts[tp] = min(max(committed, beginning[tp]), end[tp])
        stops = dict(end)
        if bounded and stop_timestamp_ms is not None and tps:
            found_stops = consumer.offsets_for_times(
                {tp: stop_timestamp_ms for tp in tps}, timeout_ms=timeout_ms)
            stops = {tp: min(end[tp], found_stops[tp].offset) if found_stops.get(tp) else end[tp]
                     for tp in tps}
        slices = []
        for tp in tps:
            stop = max(starts[tp], stops[tp]) if bounded else UNBOUNDED_STOP
            slices.append(PartitionSlice(tp.topic, tp.partition, starts[tp], stop))
            HIGHWATER[(tp.topic, tp.partition)] = end[tp]
        return slices
    finally:
        consumer.close()


def close_producer(producer) -> None:
    """Close a producer (up to 10 s for in-flight sends); never raises: called on teardown."""
    try:
        producer.close(timeout=10)
    except Exception:  # noqa: BLE001
        logging.getLogger(__name__).debug("closing producer failed", exc_info=True)


# kafka-python codec name -> module it needs (gzip is in the standard library).
_CODEC_MODULES = {"gzip": None, "lz4": "lz4.frame", "zstd": "zstandard", "snappy": "snappy"}
DEFAULT_MAX_REQUEST_SIZE = 25 * 1024 * 1024  # matches the local broker's message.max.bytes


def check_compression(compression: str | None) -> str | None:
    """Validate a compression codec name; only codecs whose package is installed pass."""
    if compression in (None, "", "none"):
        return None
    if compression not in _CODEC_MODULES:
        raise ValueError(f"compression must be none or one of {sorted(_CODEC_MODULES)}")
    module = _CODEC_MODULES[compression]
    if module is not None:
        import importlib

        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise ValueError(f"compression {compression!r} needs the Python package "
                             f"providing {module!r} (not installed); use gzip") from exc
    return compression


def to_bytes(value: Any) -> bytes | None:
    """bytes as is, str as UTF-8, dict/list as orjson, None stays None."""
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, (dict, list)):
        import orjson

        return orjson.dumps(value)
    raise TypeError(f"cannot send {type(value).__name__} to Kafka; use bytes, str or dict")


def make_producer(config: KafkaConfig, *, compression: str | None = None,
                  linger_ms: int = 20, batch_size: int = 256 * 1024,
                  max_request_size: int = DEFAULT_MAX_REQUEST_SIZE,
                  extra: dict | None = None):
    """An idempotent, acks=all KafkaProducer."""
    from kafka import KafkaProducer

    kwargs = dict(
        config.client_kwargs(),
        acks="all",
        enable_idempotence=True,
        compression_type=compression,
        linger_ms=linger_ms,
        batch_size=batch_size,
        max_request_size=max_request_size,
    )
    kwargs.update(extra or {})
    return KafkaProducer(**kwargs)


