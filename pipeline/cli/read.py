"""`newsbeam read`: print Kafka records as JSON lines (a debugging tool, no Beam).

Each line: {"topic", "partition", "offset", "key", "timestamp", "value"}; the value is
the decoded JSON when the message is JSON, else its UTF-8 text, else `value_b64`.
Start positions mean what they mean for ReadFromKafka (same resolver); with --group the
offsets of printed records are committed to that group.
"""

from __future__ import annotations

import argparse
import sys
import time


def record_line(msg) -> bytes:
    """One JSON line for a kafka-python ConsumerRecord."""
    import base64

    import orjson

    out: dict = {
        "topic": msg.topic,
        "partition": msg.partition,
        "offset": msg.offset,
        "key": msg.key.decode("utf-8", "replace") if msg.key is not None else None,
        "timestamp": msg.timestamp,
    }
    value = msg.value
    if value is None:
        out["value"] = None
    else:
        try:
            out["value"] = orjson.loads(value)
        except orjson.JSONDecodeError:
            try:
                out["value"] = value.decode("utf-8")
            except UnicodeDecodeError:
                out["value_b64"] = base64.b64encode(value).decode("ascii")
    return orjson.dumps(out) + b"\n"


class Command:
    name = "read"
    help = "print records of a Kafka topic as JSON lines"

    def configure_parser(self, parser: argparse.ArgumentParser) -> None:
        from pipeline.cli.kafka_args import add_kafka_args

        add_kafka_args(parser)
        parser.add_argument("--topic", default="pages")
        parser.add_argument("--from", dest="start", default=None,
                            choices=("earliest", "latest", "committed"),
                            help="start position (default: committed with --group, "
                                 "else earliest)")
        parser.add_argument("--until-end", action="store_true",
                            help="stop at the end offsets seen at start")
        parser.add_argument("--group", default=None,
                            help="consumer group: resume from and commit its offsets")
        parser.add_argument("--max", type=int, default=None, help="stop after N records")
        parser.add_argument("--idle-timeout", type=float, default=None,
                            help="stop after this many seconds without records")

    def execute(self, args: argparse.Namespace) -> int:
        from kafka import TopicPartition
        from kafka.structs import OffsetAndMetadata

        from connectors.kafka.clients import check_tls, make_consumer, resolve_partitions
        from pipeline.cli.kafka_args import kafka_config

        start = args.start or ("committed" if args.group else "earliest")
        if start == "committed" and not args.group:
            print("read: --from committed needs --group", file=sys.stderr)
            return 2
        try:
            config = kafka_config(args)
            check_tls(config)
            slices = resolve_partitions(config, [args.topic], group_id=args.group,
                                        start=start, fallback="earliest",
                                        start_timestamp_ms=None, bounded=args.until_end)
        except ValueError as exc:
            print(f"read: {exc}", file=sys.stderr)
            return 2
        remaining = {TopicPartition(s.topic, s.partition): s.stop for s in slices
                     if s.start < s.stop}
        consumer = make_consumer(config, args.group)
        out = sys.stdout.buffer
        printed = 0
        last_record = time.monotonic()
        try:
            consumer.assign(list(remaining))
            for s in slices:
                tp = TopicPartition(s.topic, s.partition)
                if tp in remaining:
                    consumer.seek(tp, s.start)
            while remaining:
                polled = consumer.poll(timeout_ms=500)
                commits = {}
                for tp, batch in polled.items():
                    for msg in batch:
                        if msg.offset >= remaining.get(tp, -1):
                            break
                        out.write(record_line(msg))
                        printed += 1
                        commits[tp] = OffsetAndMetadata(msg.offset + 1, "", -1)
                        if args.max is not None and printed >= args.max:
                            remaining.clear()
                            break
                if commits:
                    out.flush()
                    last_record = time.monotonic()
                    if args.group:
                        consumer.commit(commits)
                for tp in list(remaining):
                    if consumer.position(tp) >= remaining[tp]:
                        del remaining[tp]
                if (args.idle_timeout is not None
                        and time.monotonic() - last_record > args.idle_timeout):
                    break
        finally:
            out.flush()
            consumer.close(autocommit=False)
        print(f"read: {printed} records", file=sys.stderr)
        return 0
