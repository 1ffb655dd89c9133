"""ReadFromKafka against the real local broker (deploy/kafka-local/kafka.sh).

Pipelines run on Beam's in-process FnApiRunner, which is what DirectRunner uses here
after its Prism attempt fails (one test runs through DirectRunner to check that).
"""

from __future__ import annotations

import pickle
import time

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to

from connectors.kafka.read import ReadFromKafka
from connectors.kafka.records import KafkaRecord
from tests.fixtures.kafka import commit, committed_offsets, local_pipeline, produce

pytestmark = pytest.mark.kafka


def _coords(record: KafkaRecord) -> tuple:
    return record.partition, record.offset, record.key, record.value


def _produce_numbered(bootstrap: str, topic: str, n: int, start: int = 0, **extra) -> list:
    return produce(bootstrap, topic, [
        dict(key=f"k{i}".encode(), value=f"v{i}".encode(), **extra) for i in range(start, start + n)
    ])


def _expected(metadata: list, first: int = 0) -> list:
    return [(m.partition, m.offset, f"k{first + i}".encode(), f"v{first + i}".encode())
            for i, m in enumerate(metadata)]


def test_bounded_read_three_partitions_exactly_once(kafka_bootstrap, kafka_topic):
    topic = kafka_topic(partitions=3)
    metadata = _produce_numbered(kafka_bootstrap, topic, 600)
    assert {m.partition for m in metadata} == {0, 1, 2}
    with local_pipeline() as p:
        records = p | ReadFromKafka(topic, bootstrap_servers=kafka_bootstrap, group_id=None,
                                    start="earliest", commit_offsets=False,
                                    max_records_per_bundle=37)  # many checkpoints
        assert_that(records | beam.Map(_coords), equal_to(_expected(metadata)))
    # Prometheus collectors (the in-process runner shares them): counts and lag.
    from pipeline.metrics import BYTES_READ, CONSUMER_LAG, PAGES_READ

    assert sum(PAGES_READ.labels(topic, str(p))._value.get() for p in range(3)) == 600
    assert BYTES_READ.labels(topic)._value.get() == sum(len(f"v{i}") for i in range(600))
    assert [CONSUMER_LAG.labels(topic, str(p))._value.get() for p in range(3)] == [0, 0, 0]


@pytest.mark.parametrize("index", [0, 1])
def test_partition_share_reads_only_its_partitions(kafka_bootstrap, kafka_topic, index):
    """What `--workers 2` gives worker `index`: the partitions p with p % 2 == index."""
    topic = kafka_topic(partitions=4)
    metadata = _produce_numbered(kafka_bootstrap, topic, 80)
    mine = [m for m in metadata if m.partition % 2 == index]
    assert mine and len(mine) < len(metadata)
    expected = [(m.partition, m.offset, f"k{i}".encode(), f"v{i}".encode())
                for i, m in enumerate(metadata) if m.partition % 2 == index]
    with local_pipeline() as p:
        records = p | ReadFromKafka(topic, bootstrap_servers=kafka_bootstrap, group_id=None,
                                    start="earliest", commit_offsets=False,
                                    partition_share=(index, 2))
        assert_that(records | beam.Map(_coords), equal_to(expected))


def test_direct_runner_falls_back_and_reads(kafka_bootstrap, kafka_topic):
    topic = kafka_topic(partitions=2)
    metadata = _produce_numbered(kafka_bootstrap, topic, 20)
    with local_pipeline("DirectRunner") as p:
        records = p | ReadFromKafka(topic, bootstrap_servers=kafka_bootstrap, group_id=None,
                                    start="earliest", commit_offsets=False)
        assert_that(records | beam.Map(_coords), equal_to(_expected(metadata)))


def test_records_carry_timestamps_headers_and_event_time(kafka_bootstrap, kafka_topic):
    topic = kafka_topic(partitions=1)
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap)
    producer.send(topic, key=b"k", value=b"v", headers=[("crawler", b"c1")],
                  timestamp_ms=1_672_400_000_000).get(timeout=30)
    producer.close()
    with local_pipeline() as p:
        records = p | ReadFromKafka(topic, bootstrap_servers=kafka_bootstrap, group_id=None,
                                    start="earliest", commit_offsets=False)
        out = records | beam.Map(
            lambda r, ts=beam.DoFn.TimestampParam: (r.timestamp_ms, r.headers, ts.micros))
        assert_that(out, equal_to([(1_672_400_000_000, (("crawler", b"c1"),),
                                    1_672_400_000_000_000)]))


def test_replay_window_between_two_timestamps(kafka_bootstrap, kafka_topic):
    """start='timestamp' + stop_timestamp_ms: exactly the records of [start, stop) per
    partition, the window an operator replays after fixing a bug."""
    topic = kafka_topic(partitions=2)
    base = 1_700_000_000_000
    messages = [dict(key=f"k{i}".encode(), value=f"v{i}".encode(), partition=i % 2,
                     timestamp_ms=base + 1000 * i) for i in range(20)]
    produce(kafka_bootstrap, topic, messages)
    start, stop = base + 5_000, base + 12_000  # records 5..11
    with local_pipeline() as p:
        records = p | ReadFromKafka(topic, bootstrap_servers=kafka_bootstrap, group_id=None,
                                    start="timestamp", start_timestamp_ms=start,
                                    stop_timestamp_ms=stop, commit_offsets=False)
        assert_that(records | beam.Map(lambda r: r.value),
                    equal_to([f"v{i}".encode() for i in range(5, 12)]))
    with local_pipeline() as p:  # a window with nothing in it ends at once
        records = p | ReadFromKafka(topic, bootstrap_servers=kafka_bootstrap, group_id=None,
                                    start="timestamp", start_timestamp_ms=base + 50_000,
                                    stop_timestamp_ms=base + 60_000, commit_offsets=False)
        assert_that(records, equal_to([]))


@pytest.mark.parametrize("start", ["earliest", "latest", "timestamp", "committed"])
def test_start_positions(kafka_bootstrap, kafka_topic, kafka_group, start):
    topic = kafka_topic(partitions=2)
    t_old, t_new = 1_700_000_000_000, 1_700_000_100_000
    old = _produce_numbered(kafka_bootstrap, topic, 10, timestamp_ms=t_old)
    new = _produce_numbered(kafka_bootstrap, topic, 10, start=10, timestamp_ms=t_new)
    kwargs: dict = {}
    if start == "timestamp":
        kwargs["start_timestamp_ms"] = t_new
        expected = _expected(new, first=10)
    elif start == "committed":
        # A previous run committed the end of the old records.
        ends: dict[int, int] = {}
        for m in old:
            ends[m.partition] = max(ends.get(m.partition, 0), m.offset + 1)
        commit(kafka_bootstrap, kafka_group, topic, ends)
        expected = _expected(new, first=10)
    elif start == "earliest":
        expected = _expected(old) + _expected(new, first=10)
    else:  # latest: bounded read starting at the end reads nothing
        expected = []
    with local_pipeline() as p:
        records = p | ReadFromKafka(topic, bootstrap_servers=kafka_bootstrap,
                                    group_id=kafka_group, start=start, commit_offsets=False,
                                    **kwargs)
        assert_that(records | beam.Map(_coords), equal_to(expected))


def test_committed_without_commits_uses_fallback(kafka_bootstrap, kafka_topic, kafka_group):
    topic = kafka_topic(partitions=1)
    metadata = _produce_numbered(kafka_bootstrap, topic, 5)
    for fallback, expected in (("latest", []), ("earliest", _expected(metadata))):
        with local_pipeline() as p:
            records = p | ReadFromKafka(topic, bootstrap_servers=kafka_bootstrap,
                                        group_id=kafka_group, start="committed",
                                        start_fallback=fallback, commit_offsets=False)
            assert_that(records | beam.Map(_coords), equal_to(expected))


def test_restarted_read_resumes_from_committed_offsets(kafka_bootstrap, kafka_topic,
                                                       kafka_group):
    topic = kafka_topic(partitions=3)
    first = _produce_numbered(kafka_bootstrap, topic, 90)

    def read_all() -> None:
        with local_pipeline() as p:
            records = p | ReadFromKafka(topic, bootstrap_servers=kafka_bootstrap,
                                        group_id=kafka_group, max_records_per_bundle=10)
            assert_that(records | beam.Map(_coords), equal_to(expected))

    expected = _expected(first)
    read_all()
    ends = {p: 1 + max(m.offset for m in first if m.partition == p) for p in range(3)}
    assert committed_offsets(kafka_bootstrap, kafka_group, topic, 3) == [ends[0], ends[1],
                                                                         ends[2]]
    second = _produce_numbered(kafka_bootstrap, topic, 30, start=90)
    expected = _expected(second, first=90)
    read_all()  # only the new records: the group resumed where the first run committed
    expected = []
    read_all()  # and nothing at all the third time


class _FailOn(beam.DoFn):
    def __init__(self, partition: int, offset: int):
        self._partition, self._offset = partition, offset

    def process(self, record):
        if record.partition == self._partition and record.offset >= self._offset:
            raise RuntimeError(f"downstream failure at {record.coordinates}")
        yield record


def test_offsets_not_committed_when_downstream_fails(kafka_bootstrap, kafka_topic,
                                                     kafka_group):
    topic = kafka_topic(partitions=1)
    _produce_numbered(kafka_bootstrap, topic, 100)
    fail_at = 45
    with pytest.raises(Exception, match="downstream failure"), local_pipeline() as p:
        (p | ReadFromKafka(topic, bootstrap_servers=kafka_bootstrap, group_id=kafka_group,
                           max_records_per_bundle=10)
           | beam.ParDo(_FailOn(0, fail_at)))
    [committed] = committed_offsets(kafka_bootstrap, kafka_group, topic, 1)
    # Earlier bundles may have committed, but never past the bundle that failed.
    assert committed is None or committed <= fail_at
    # Every bundle fails: nothing is committed at all.
    group2 = kafka_group + "-all"
    with pytest.raises(Exception, match="downstream failure"), local_pipeline() as p:
        (p | ReadFromKafka(topic, bootstrap_servers=kafka_bootstrap, group_id=group2)
           | beam.ParDo(_FailOn(0, 0)))
    assert committed_offsets(kafka_bootstrap, group2, topic, 1) == [None]
    # The next (healthy) run re-reads from the last committed offset: nothing is lost.
    with local_pipeline() as p:
        records = p | ReadFromKafka(topic, bootstrap_servers=kafka_bootstrap,
                                    group_id=kafka_group)
        assert_that(records | beam.Map(lambda r: r.offset),
                    equal_to(list(range(committed or 0, 100))))


def test_malformed_pages_become_dead_letters(kafka_bootstrap, kafka_topic):
    from connectors.deadletter import DeadLetter
    from connectors.pages import PageEnvelope, decode_page, encode_page

    topic = kafka_topic(partitions=1)
    messages = [
        (b"good", encode_page("https://example.com/a", "<html>a</html>")),
        (b"gz", encode_page("https://example.com/b", "<html>b</html>", gzip=True)),
        (b"empty", b""),
        (b"utf8", b"\xff\xfe{}"),
        (b"json", b"{not json"),
        (b"array", b"[1, 2]"),
        (b"nourl", b'{"html": "<p>x</p>"}'),
        (b"type", b'{"url": "https://e.com", "html": 5}'),
        (b"b64", b'{"url": "https://e.com", "html_gzip_b64": "!!!"}'),
        (b"big", b'{"url": "https://e.com", "html": "' + b"x" * 3000 + b'"}'),
    ]
    produce(kafka_bootstrap, topic, messages)

    def outcome(record):
        result = decode_page(record, max_bytes=2048)
        if isinstance(result, PageEnvelope):
            return record.key.decode(), "ok", result.url, result.offset
        assert isinstance(result, DeadLetter)
        return record.key.decode(), result.reason, result.topic, result.offset

    with local_pipeline() as p:
        out = (p | ReadFromKafka(topic, bootstrap_servers=kafka_bootstrap, group_id=None,
                                 start="earliest", commit_offsets=False)
                 | beam.Map(outcome))
        assert_that(out, equal_to([
            ("good", "ok", "https://example.com/a", 0),
            ("gz", "ok", "https://example.com/b", 1),
            ("empty", "empty", topic, 2),
            ("utf8", "invalid_utf8", topic, 3),
            ("json", "not_json", topic, 4),
            ("array", "not_object", topic, 5),
            ("nourl", "missing_field", topic, 6),
            ("type", "wrong_type", topic, 7),
            ("b64", "bad_encoding", topic, 8),
            ("big", "too_large", topic, 9),
        ]))


def test_read_from_kafka_validates_arguments():
    with pytest.raises(ValueError, match="start must be"):
        ReadFromKafka("t", start="beginning")
    with pytest.raises(ValueError, match="start_timestamp_ms"):
        ReadFromKafka("t", start="timestamp")
    with pytest.raises(ValueError, match="start_timestamp_ms"):
        ReadFromKafka("t", start="earliest", start_timestamp_ms=5)
    with pytest.raises(ValueError, match="group_id"):
        ReadFromKafka("t", group_id=None)
    with pytest.raises(ValueError, match="topics"):
        ReadFromKafka([])
    with pytest.raises(ValueError, match="bootstrap_servers"):
        ReadFromKafka("t", bootstrap_servers="nohostport")
    with pytest.raises(ValueError, match="max_records_per_bundle"):
        ReadFromKafka("t", max_records_per_bundle=0)
    with pytest.raises(ValueError, match="twice"):
        ReadFromKafka("t", topics=["u"])
    with pytest.raises(ValueError, match="bounded"):
        ReadFromKafka("t", stop_timestamp_ms=5, bounded=False)
    with pytest.raises(ValueError, match="after start_timestamp_ms"):
        ReadFromKafka("t", start="timestamp", start_timestamp_ms=10, stop_timestamp_ms=10)
    for share in ((2, 2), (-1, 2), (0, 0), (1,)):
        with pytest.raises(ValueError, match="partition_share"):
            ReadFromKafka("t", partition_share=share)


def test_read_from_kafka_pickles_cleanly():
    """The Flink/portable path pickles the transform and its DoFns: no live clients."""
    from apache_beam.internal import pickler

    from connectors.kafka.config import KafkaConfig
    from connectors.kafka.read import _ReadUnboundedPartitionFn

    transform = ReadFromKafka(KafkaConfig("127.0.0.1:9092"), topics=["pages"], bounded=False)
    assert pickle.loads(pickle.dumps(transform))._topics == ("pages",)
    fn = _ReadUnboundedPartitionFn(KafkaConfig(), group_id="g", commit_offsets=True,
                                   max_records_per_bundle=10, max_bundle_seconds=1,
                                   poll_timeout_s=0.1, watermark_max_delay_s=0,
                                   consumer_config=None)
    assert isinstance(pickler.loads(pickler.dumps(fn)), _ReadUnboundedPartitionFn)


def test_commit_failure_is_counted_and_retried_not_raised(kafka_bootstrap, kafka_topic,
                                                          kafka_group):
    """A finalization commit against an unreachable broker must not raise; it is retried."""
    from kafka import TopicPartition

    from connectors.kafka.config import KafkaConfig
    from connectors.kafka.read import _CommitCallback, _ReadBoundedPartitionFn
    from pipeline.metrics import OFFSET_COMMITS

    topic = kafka_topic(partitions=1)
    tp = TopicPartition(topic, 0)
    dead = _ReadBoundedPartitionFn(
        KafkaConfig("127.0.0.1:1", extra={"bootstrap_timeout_ms": 1000,
                                          "request_timeout_ms": 1000}),
        group_id=kafka_group, commit_offsets=True, max_records_per_bundle=10,
        max_bundle_seconds=1, poll_timeout_s=0.1, watermark_max_delay_s=0,
        consumer_config=None)
    dead.setup()
    errors_before = OFFSET_COMMITS.labels(topic, "error")._value.get()
    _CommitCallback(dead, tp, 7)()  # must not raise
    assert OFFSET_COMMITS.labels(topic, "error")._value.get() == errors_before + 1
    assert dead._pending_commits == {tp: 7}
    dead.teardown()
    # The same pending offset is committed by the next finalization once the broker answers.
    live = _ReadBoundedPartitionFn(
        KafkaConfig(kafka_bootstrap), group_id=kafka_group, commit_offsets=True,
        max_records_per_bundle=10, max_bundle_seconds=1, poll_timeout_s=0.1,
        watermark_max_delay_s=0, consumer_config=None)
    live.setup()
    live._pending_commits = {tp: 7}
    _CommitCallback(live, tp, 5)()  # an older offset arriving later never moves back
    live.teardown()
    deadline = time.monotonic() + 10
    while committed_offsets(kafka_bootstrap, kafka_group, topic, 1) != [7]:
        assert time.monotonic() < deadline, "pending commit was not retried"
        time.sleep(0.2)


def test_kafka_record_round_trips_through_orjson_and_its_schema():
    import json
    import pathlib

    import orjson
    from jsonschema import Draft202012Validator

    schema = json.loads((pathlib.Path(__file__).resolve().parents[2] / "schemas"
                         / "kafka_record.schema.json").read_text())
    for record in (KafkaRecord("pages", 2, 17, b"k\xff", b"\x00v", 1_672_400_000_000,
                               (("crawler", b"c1"), ("x", None))),
                   KafkaRecord("pages", 0, 0, None, None, 0)):
        d = orjson.loads(orjson.dumps(record.to_dict()))
        Draft202012Validator(schema).validate(d)
        assert KafkaRecord.from_dict(d) == record
