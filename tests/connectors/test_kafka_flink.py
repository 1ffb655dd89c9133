"""Smoke test: the bounded ReadFromKafka pipeline on Beam's portable FlinkRunner.

Embedded Flink ([local]) with LOOPBACK SDK workers, against the real local broker:
every produced record comes out exactly once. Results go to a file from a DoFn (the
LOOPBACK workers run in this process).
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import time

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from pipeline.runners import FLINK_RUNNER, RunnerArtifactMissing, runner_args
from tests.fixtures.kafka import committed_offsets, produce

pytestmark = [pytest.mark.slow, pytest.mark.kafka, pytest.mark.timeout(600)]

REPO = pathlib.Path(__file__).resolve().parents[2]
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


def _run_job(runner: str | None, topic: str, group: str, out: pathlib.Path,
             bootstrap: str) -> float:
    """`newsbeam run --bounded` over `topic` with file sinks; returns seconds."""
    argv = [sys.executable, "-m", "pipeline", "run"]
    if runner:
        argv += ["--runner", runner]
    argv += ["--bounded", f"--kafka_bootstrap_servers={bootstrap}",
             f"--kafka_pages_topic={topic}", f"--kafka_group_id={group}",
             f"--sink=files:{out}", "--metrics_port=0", "--progress-interval", "0"]
    started = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=480, check=False,
                          cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return time.monotonic() - started


def _ids(out: pathlib.Path, kind: str, field: str) -> set[str]:
    return {json.loads(line)[field] for path in (out / kind).glob("*.jsonl")
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def test_whole_job_on_flink_matches_local_runner(kafka_bootstrap: str, kafka_topic,
                                                 tmp_path: pathlib.Path) -> None:
    """The newsbeam job itself (`newsbeam run --runner FlinkRunner --bounded`) writes the
    same articles and events as on the local runner, from the embedded sample pages."""
    from pipeline.samples import sample_pages_dir

    try:
        runner_args(FLINK_RUNNER, streaming=False)
    except RunnerArtifactMissing as err:
        pytest.skip(f"Flink job server cannot be assembled here: {err}")
    # One partition: the same record order on both runners (duplicate detection is
    # order-dependent: the first copy seen is the original).
    topic = kafka_topic(partitions=1)
    pages = sorted(sample_pages_dir().glob("*.html"))
    subprocess.run([sys.executable, "-m", "pipeline", "produce", "--bootstrap", kafka_bootstrap,
                    "--topic", topic, *map(str, pages)], check=True, capture_output=True,
                   timeout=120, cwd=REPO)
    local_s = _run_job(None, topic, f"{topic}-local", tmp_path / "local", kafka_bootstrap)
    flink_s = _run_job(FLINK_RUNNER, topic, f"{topic}-flink", tmp_path / "flink",
                       kafka_bootstrap)
    print(f"whole job, {len(pages)} sample pages: local {local_s:.1f}s, flink {flink_s:.1f}s")
    local_articles = _ids(tmp_path / "local", "articles", "article_id")
    assert local_articles, "the local runner produced no articles"
    assert _ids(tmp_path / "flink", "articles", "article_id") == local_articles
    assert _ids(tmp_path / "flink", "events", "event_id") == \
        _ids(tmp_path / "local", "events", "event_id")
