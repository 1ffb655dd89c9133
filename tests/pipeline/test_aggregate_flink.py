"""AggregateEventMentions on the portable FlinkRunner (embedded Flink, LOOPBACK)."""

from __future__ import annotations

import pathlib
import time

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from connectors.deadletter import DEAD_LETTER_TAG
from pipeline.aggregate import AGGREGATES_TAG, AggregateEventMentions
from pipeline.runners import FLINK_RUNNER, RunnerArtifactMissing, runner_args
from tests.pipeline.test_aggregate_prism import EVENTS, EXPECTED, _AppendJsonFn, _last_panes, _read

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def test_bounded_counts_per_day_on_flink(tmp_path: pathlib.Path) -> None:
    try:
        args = runner_args(FLINK_RUNNER, streaming=False, parallelism=2)
    except RunnerArtifactMissing as err:
        pytest.skip(f"Flink job server cannot be assembled here: {err}")
    out = tmp_path / "aggregates.jsonl"
    dead = tmp_path / "dead.jsonl"
    started = time.monotonic()
    with beam.Pipeline(options=PipelineOptions(args)) as p:
        result = p | beam.Create(EVENTS) | AggregateEventMentions()
        _ = result[AGGREGATES_TAG] | "WriteAggregates" >> beam.ParDo(_AppendJsonFn(str(out)))
        _ = result[DEAD_LETTER_TAG] | "WriteDead" >> beam.ParDo(_AppendJsonFn(str(dead)))
    print(f"flink bounded aggregation: {time.monotonic() - started:.1f}s")
    last = _last_panes(_read(out))
    got = {slot: (r["num_mentions"], r["num_sources"], r["num_articles"])
           for slot, r in last.items()}
    assert got == EXPECTED
    assert [d["reason"] for d in _read(dead)] == ["no_cameo_code"]
