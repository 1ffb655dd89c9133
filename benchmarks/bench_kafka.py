"""Kafka edge throughput: produce N ~20 KB messages, bounded-read them with ReadFromKafka.

Runs against the local broker (deploy/kafka-local/kafka.sh start) on Beam's in-process
FnApiRunner (one worker: one core for the Python side). Prints one JSON line with the
numbers; also reads the same topic with a bare kafka-python consumer as a baseline.

    .venv/bin/python -m benchmarks.bench_kafka --messages 5000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import uuid


def _payloads(n: int, size: int, distinct: int = 64) -> list[bytes]:
    """Page-like (compressible, non-trivial) payloads of `size` bytes."""
    rng = random.Random(42)
    words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
             for _ in range(2000)]
    out = []
    for _ in range(distinct):
        chunks, total = [], 0
        while total < size:
            w = rng.choice(words)
            chunks.append(w)
            total += len(w) + 1
        out.append(b" ".join(chunks)[:size])
    return [out[i % distinct] for i in range(n)]


def produce(bootstrap: str, topic: str, payloads: list[bytes]) -> float:
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=20,
                             batch_size=512 * 1024)
    started = time.perf_counter()
    futures = [producer.send(topic, key=str(i).encode(), value=v)
               for i, v in enumerate(payloads)]
    producer.flush(timeout=300)
    for f in futures:
        f.get(timeout=60)
    elapsed = time.perf_counter() - started
    producer.close()
    return elapsed


def read_with_beam(bootstrap: str, topic: str, expected: int) -> tuple[float, int, int]:
    import apache_beam as beam
    from apache_beam.metrics.metric import MetricsFilter
    from apache_beam.runners.portability.fn_api_runner import FnApiRunner

    from connectors.kafka.read import ReadFromKafka

    class _Count(beam.DoFn):
        def __init__(self):
            self.records = beam.metrics.Metrics.counter("bench", "records")
            self.bytes = beam.metrics.Metrics.counter("bench", "bytes")

        def process(self, record):
            self.records.inc()
            self.bytes.inc(len(record.value))

    started = time.perf_counter()
    p = beam.Pipeline(runner=FnApiRunner())
    _ = (p | ReadFromKafka(topic, bootstrap_servers=bootstrap, group_id=None,
                           start="earliest", commit_offsets=False)
           | beam.ParDo(_Count()))
    result = p.run()
    result.wait_until_finish()
    elapsed = time.perf_counter() - started
    counters = {c.key.metric.name: c.committed
                for c in result.metrics().query(MetricsFilter().with_namespace("bench"))[
                    "counters"]}
    records, size = counters.get("records", 0), counters.get("bytes", 0)
    if records != expected and expected >= 0:
        raise RuntimeError(f"read {records} records, expected {expected}")
    return elapsed, records, size


def read_raw(bootstrap: str, topic: str, expected: int) -> float:
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                             enable_auto_commit=False, consumer_timeout_ms=30_000)
    started = time.perf_counter()
    for n, _ in enumerate(consumer, 1):
        if n >= expected:
            break
    elapsed = time.perf_counter() - started
    consumer.close()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_kafka", description=__doc__)
    parser.add_argument("--bootstrap",
                        default=os.environ.get("NEWSBEAM_KAFKA_BOOTSTRAP", "127.0.0.1:9092"))
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--size", type=int, default=20 * 1024, help="bytes per message")
    parser.add_argument("--partitions", type=int, default=3)
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the bare kafka-python consumer baseline")
    args = parser.parse_args(argv)

    from kafka import KafkaAdminClient
    from kafka.admin import NewTopic

    topic = f"bench.kafka.{uuid.uuid4().hex[:8]}"
    empty = topic + ".empty"
    admin = KafkaAdminClient(bootstrap_servers=args.bootstrap)
    admin.create_topics([NewTopic(topic, args.partitions, 1),
                         NewTopic(empty, args.partitions, 1)])
    try:
        # Fixed cost of a pipeline (runner start, discovery) measured on an empty topic.
        startup_s, _, _ = read_with_beam(args.bootstrap, empty, 0)
        payloads = _payloads(args.messages, args.size)
        total_mb = sum(len(p) for p in payloads) / 1e6
        produce_s = produce(args.bootstrap, topic, payloads)
        read_s, records, size = read_with_beam(args.bootstrap, topic, args.messages)
        raw_s = None if args.no_baseline else read_raw(args.bootstrap, topic, args.messages)
    finally:
        admin.delete_topics([topic, empty])
        admin.close()
    report = {
        "messages": args.messages,
        "message_bytes": args.size,
        "partitions": args.partitions,
        "produce_msgs_per_s": round(args.messages / produce_s),
        "produce_mb_per_s": round(total_mb / produce_s, 1),
        "read_beam_seconds": round(read_s, 2),
        "read_beam_msgs_per_s": round(records / read_s),
        "read_beam_mb_per_s": round(size / 1e6 / read_s, 1),
        "read_beam_empty_topic_seconds": round(startup_s, 2),
        "read_beam_steady_msgs_per_s": round(records / max(read_s - startup_s, 1e-3)),
        "read_beam_steady_mb_per_s": round(size / 1e6 / max(read_s - startup_s, 1e-3), 1),
    }
    if raw_s is not None:
        report["read_raw_kafka_python_msgs_per_s"] = round(args.messages / raw_s)
        report["read_raw_kafka_python_mb_per_s"] = round(total_mb / raw_s, 1)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
