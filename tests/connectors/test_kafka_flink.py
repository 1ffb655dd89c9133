"""Smoke test: the bounded ReadFromKafka pipeline on Beam's portable FlinkRunner.

Embedded Flink ([local]) with LOOPBACK SDK workers, against the real local broker:
every produced record comes out exactly once. Results go to a file from a DoFn (the
LOOPBACK workers run in this process).
"""

from __future__ import annotations

import json
import pathlib
import time

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from pipeline.runners import FLINK_RUNNER, RunnerArtifactMissing, runner_args
from tests.fixtures.kafka import committed_offsets, produce

pytestmark = [pytest.mark.slow, pytest.mark.kafka, pytest.mark.timeout(600)]

N_RECORDS = 300
PARTITIONS = 3


class _AppendCoordinatesFn(beam.DoFn):
    def __init__(self, path: str) -> None:
        self.path = path

    def process(self, record: object):
        line = json.dumps({"partition": record.partition, "offset": record.offset,
                           "value": record.value.decode("utf-8")})
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(line + "\n")


def test_bounded_read_from_kafka_on_flink(kafka_bootstrap: str, kafka_topic, kafka_group: str,
                                          tmp_path: pathlib.Path) -> None:
    from connectors.kafka import ReadFromKafka

    try:
        # A bounded job: runner_args still picks Flink's streaming mode (the only one
        # with bundle finalization, i.e. the offset commit) plus idle source shutdown.
        args = runner_args(FLINK_RUNNER, streaming=False, parallelism=2,
                           checkpointing_interval_ms=2000)
    except RunnerArtifactMissing as err:
        pytest.skip(f"Flink job server cannot be assembled here: {err}")
    topic = kafka_topic(partitions=PARTITIONS)
    values = [f"page-{i:04d}" for i in range(N_RECORDS)]
    produce(kafka_bootstrap, topic,
            [{"key": v.encode(), "value": v.encode(), "partition": i % PARTITIONS}
             for i, v in enumerate(values)])
    out = tmp_path / "records.jsonl"

    started = time.monotonic()
    with beam.Pipeline(options=PipelineOptions(args)) as p:
        _ = (
            p
            | ReadFromKafka(topics=[topic], bootstrap_servers=kafka_bootstrap, bounded=True,
                            start="earliest", group_id=kafka_group, commit_offsets=True)
            | beam.ParDo(_AppendCoordinatesFn(str(out)))
        )
    elapsed = time.monotonic() - started
    print(f"flink [local] LOOPBACK bounded Kafka read of {N_RECORDS} records: {elapsed:.1f}s")

    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == N_RECORDS, "every record exactly once (no loss, no duplicates)"
    assert sorted(r["value"] for r in rows) == sorted(values)
    per_partition = {p: sorted(r["offset"] for r in rows if r["partition"] == p)
                     for p in range(PARTITIONS)}
    assert per_partition == {p: list(range(N_RECORDS // PARTITIONS)) for p in range(PARTITIONS)}
    # Bundle finalization (ReadFromKafka's offset commit) runs on Flink in streaming mode.
    expected = [N_RECORDS // PARTITIONS] * PARTITIONS
    deadline = time.monotonic() + 15
    while (committed := committed_offsets(kafka_bootstrap, kafka_group, topic, PARTITIONS)) \
            != expected and time.monotonic() < deadline:
        time.sleep(0.5)
    print("committed offsets after the Flink run:", committed)
    assert committed == expected
