"""WriteToKafka and KafkaSink against the real local broker."""

from __future__ import annotations

import os
import random

import apache_beam as beam
import orjson
import pytest
from apache_beam.testing.util import assert_that, equal_to

from connectors.kafka.read import ReadFromKafka
from connectors.kafka.sink import KafkaSink
from connectors.kafka.write import WriteToKafka
from connectors.sinks.base import TerminalSinkError, TransientSinkError
from tests.fixtures.kafka import local_pipeline

pytestmark = pytest.mark.kafka


def _read_back(bootstrap: str, topic: str, n: int, timeout_s: float = 30) -> list:
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                             enable_auto_commit=False, consumer_timeout_ms=int(timeout_s * 1000))
    try:
        out = []
        for msg in consumer:
            out.append(msg)
            if len(out) >= n:
                break
        return out
    finally:
        consumer.close()


@pytest.mark.parametrize("compression", ["gzip", None])
def test_write_then_read_round_trip_with_a_large_message(kafka_bootstrap, kafka_topic,
                                                          compression):
    topic = kafka_topic(partitions=3)
    rng = random.Random(7)
    big = "".join(rng.choice("abcdefghij <>/\u0939\u093f") for _ in range(1_200_000))
    items = [(f"key-{i}", f"value-{i}") for i in range(200)] + [
        ("big", big), (None, b"\x00\x01binary"), ("dict", {"a": 1})]
    with local_pipeline() as p:
        _ = p | beam.Create(items) | WriteToKafka(topic, bootstrap_servers=kafka_bootstrap,
                                                 compression=compression)
    expected = [(k.encode() if isinstance(k, str) else k,
                 v.encode() if isinstance(v, str) else
                 (orjson.dumps(v) if isinstance(v, dict) else v)) for k, v in items]
    assert len(expected[200][1]) > 1_000_000
    with local_pipeline() as p:
        records = p | ReadFromKafka(topic, bootstrap_servers=kafka_bootstrap, group_id=None,
                                    start="earliest", commit_offsets=False)
        assert_that(records | beam.Map(lambda r: (r.key, r.value)), equal_to(expected))


def test_write_to_kafka_fails_the_bundle_instead_of_dropping(kafka_bootstrap, kafka_topic):
    topic = kafka_topic(partitions=1)
    with pytest.raises(Exception, match="MessageSizeTooLarge|too large|larger"), \
            local_pipeline() as p:
        _ = p | beam.Create([("k", "x" * 5000)]) | WriteToKafka(
            topic, bootstrap_servers=kafka_bootstrap, max_request_size=2048)


def test_write_to_kafka_validates_arguments():
    with pytest.raises(ValueError, match="topic"):
        WriteToKafka("")
    with pytest.raises(ValueError, match="compression"):
        WriteToKafka("t", compression="brotli")
    with pytest.raises(ValueError, match="zstd|package"):
        try:
            import zstandard  # noqa: F401
        except ImportError:
            WriteToKafka("t", compression="zstd")
        else:
            raise ValueError("zstd is installed here; nothing to check")


def test_kafka_sink_writes_each_kind_to_its_topic(kafka_bootstrap, kafka_topic):
    topics = {"article": kafka_topic(1, "articles"), "event": kafka_topic(1, "events"),
              "dead_letter": kafka_topic(1, "deadletters")}
    sink = KafkaSink(kafka_bootstrap, topics=topics)
    sink.open()
    try:
        sink.add("article", "a1", {"article_id": "a1", "title": "हिंदी"})
        sink.add("event", "e1", {"event_id": "e1", "cameo": "036"})
        sink.add("dead_letter", "d1", {"dead_letter_id": "d1"})
        assert sink.pending() == 3
        assert sink.flush() == 3
        sink.confirm()
        assert sink.pending() == 0
    finally:
        sink.close()
    [article] = _read_back(kafka_bootstrap, topics["article"], 1)
    assert article.key == b"a1"
    assert orjson.loads(article.value) == {"article_id": "a1", "title": "हिंदी"}
    [event] = _read_back(kafka_bootstrap, topics["event"], 1)
    assert event.key == b"e1"
    [dead] = _read_back(kafka_bootstrap, topics["dead_letter"], 1)
    assert orjson.loads(dead.value) == {"dead_letter_id": "d1"}


def test_kafka_sink_record_too_large_is_terminal(kafka_bootstrap, kafka_topic):
    sink = KafkaSink(kafka_bootstrap, topics={"article": kafka_topic(1)}, max_request_size=2048)
    sink.open()
    try:
        sink.add("article", "a", {"text": "x" * 10_000})
        with pytest.raises(TerminalSinkError):
            sink.flush()
            sink.confirm()
    finally:
        sink.close()


def test_kafka_sink_unreachable_broker_is_transient():
    from connectors.kafka.config import KafkaConfig

    sink = KafkaSink(KafkaConfig("127.0.0.1:1", extra={"bootstrap_timeout_ms": 1000}))
    sink.add("article", "a", {"x": 1})
    with pytest.raises(TransientSinkError):
        sink.flush()
    assert sink.pending() == 1  # nothing is dropped: a retry sends it again


def test_kafka_config_masks_the_password(monkeypatch):
    from connectors.kafka.config import PASSWORD_ENV, KafkaConfig

    monkeypatch.setenv(PASSWORD_ENV, "s3cret-pw")
    config = KafkaConfig("broker:9093", security_protocol="SASL_SSL",
                         sasl_mechanism="SCRAM-SHA-512", sasl_username="newsbeam")
    assert "s3cret-pw" not in repr(config) and "s3cret-pw" not in str(config)
    assert "masked" in repr(config)
    assert config.client_kwargs()["sasl_plain_password"] == "s3cret-pw"
    import pickle

    assert b"s3cret-pw" not in pickle.dumps(config)
    with pytest.raises(ValueError, match="passwords"):
        KafkaConfig(extra={"sasl_plain_password": "x"})
    with pytest.raises(ValueError, match="sasl_mechanism"):
        KafkaConfig(security_protocol="SASL_PLAINTEXT")


def test_kafka_options_build_a_config(tmp_path):
    from apache_beam.options.pipeline_options import PipelineOptions

    from connectors.kafka.config import KafkaConfig

    secret = tmp_path / "pw"
    secret.write_text("from-file\n")
    os.chmod(secret, 0o600)
    options = PipelineOptions([
        "--kafka_bootstrap_servers=h1:9092,h2:9092", "--kafka_security_protocol=SASL_PLAINTEXT",
        "--kafka_sasl_mechanism=PLAIN", "--kafka_sasl_username=u",
        f"--kafka_sasl_password_file={secret}"])
    config = KafkaConfig.from_options(options)
    kwargs = config.client_kwargs()
    assert kwargs["bootstrap_servers"] == ["h1:9092", "h2:9092"]
    assert kwargs["sasl_plain_password"] == "from-file"
    assert "from-file" not in repr(config)
    read = ReadFromKafka.from_options(options)
    assert read._topics == ("pages",)
