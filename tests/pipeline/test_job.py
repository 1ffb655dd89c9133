"""The assembled job against the real broker: every input offset ends in a sink."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.fixtures.kafka import committed_offsets, produce
from tests.pipeline import jobkit

pytestmark = pytest.mark.kafka


def _job_argv(bootstrap, topic, group, out_dir, *extra):
    return [
        "--runner=DirectRunner", f"--kafka_bootstrap_servers={bootstrap}",
        f"--kafka_pages_topic={topic}", f"--kafka_group_id={group}",
        f"--sink=files:{out_dir}", "--metrics_port=0", *extra,
    ]


def test_bounded_job_accounts_for_every_offset(kafka_bootstrap, kafka_topic, kafka_group,
                                               tmp_path):
    from pipeline import job

    topic = kafka_topic(partitions=3)
    pages = jobkit.page_messages(30)
    poison = jobkit.poison_messages()
    metas = produce(kafka_bootstrap, topic, pages + poison, compression="gzip")
    out = tmp_path / "out"
    job.run(_job_argv(kafka_bootstrap, topic, kafka_group, out, "--bounded"))

    articles, dead = jobkit.accounted_offsets(out)
    produced = {(m.topic, m.partition, m.offset) for m in metas}
    assert produced == set(articles) | set(dead), "an input offset reached no sink"
    assert not set(articles) & set(dead), "an offset is both an article and a dead letter"
    assert len(articles) >= 28, "realistic pages must clean into articles"
    reasons = {d["reason"] for ds in dead.values() for d in ds}
    assert {"not_json", "invalid_utf8", "empty", "missing_field"} <= reasons
    assert "too_large" in reasons  # the 50 MB page (sent gzip+base64) is refused, not fatal

    from connectors.files import read_jsonl_dir

    events = read_jsonl_dir(out, "event")
    assert events, "the job must code events from the pages"
    assert {e["article_id"] for e in events} <= {a[0]["article_id"] for a in articles.values()}

    ends = committed_offsets(kafka_bootstrap, kafka_group, topic, 3)
    per_partition = {}
    for m in metas:
        per_partition[m.partition] = max(per_partition.get(m.partition, -1), m.offset + 1)
    assert ends == [per_partition.get(p) for p in range(3)], "offsets committed after sinks"


def _wait_committed(proc, bootstrap, group, topic, partitions, total, timeout_s) -> bool:
    """Until the group has committed `total` offsets over the topic's first `partitions`
    (False on timeout); the job process must stay alive meanwhile."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        committed = committed_offsets(bootstrap, group, topic, partitions)
        if sum(c or 0 for c in committed) >= total:
            return True
        assert proc.poll() is None, proc.stdout.read()
        time.sleep(0.5)
    return False


def test_sigterm_stops_cleanly_and_commits(kafka_bootstrap, kafka_topic, kafka_group,
                                           tmp_path):
    topic = kafka_topic(partitions=2)
    metas = produce(kafka_bootstrap, topic, jobkit.page_messages(20))
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", "--progress-interval=1",
         *_job_argv(kafka_bootstrap, topic, kafka_group, out)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_committed(proc, kafka_bootstrap, kafka_group, topic, 2, len(metas), 240)
        output = jobkit.stop_job(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, output
    articles, dead = jobkit.accounted_offsets(out)
    assert {(m.topic, m.partition, m.offset) for m in metas} == set(articles) | set(dead)


@pytest.mark.slow
def test_two_workers_split_partitions_and_counts_add_up(kafka_bootstrap, kafka_topic,
                                                        kafka_group, tmp_path):
    topic = kafka_topic(partitions=4)
    metas = produce(kafka_bootstrap, topic, jobkit.page_messages(60))
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--progress-interval=0",
         *_job_argv(kafka_bootstrap, topic, kafka_group, out, "--bounded", "--workers=2")],
        capture_output=True, text=True, timeout=600, env=os.environ.copy())
    assert result.returncode == 0, result.stderr[-4000:]
    articles, dead = jobkit.accounted_offsets(out)
    assert {(m.topic, m.partition, m.offset) for m in metas} == set(articles) | set(dead)


def test_local_runner_bounds_the_state_sampler_wait():
    """Each bundle ends by joining Beam's state-sampler thread; the job's local runner
    shortens its sleep so that join does not idle a core (see job._shorten_state_sampling)."""
    from apache_beam.options.pipeline_options import PipelineOptions
    from apache_beam.runners.worker import statesampler

    from pipeline import job

    job._pipeline(PipelineOptions(["--runner=DirectRunner"]))
    sampler = statesampler.StateSampler("test", None)
    assert sampler.sampling_period_ms == job._STATE_SAMPLING_MS <= 20


def test_peak_rss_is_the_jobs_own_not_its_launchers():
    """A job launched by a big process (the benchmark holds its pages) reports its own
    peak memory: ru_maxrss would carry the launcher's size over fork + exec."""
    ballast = bytearray(400 * 1024 * 1024)  # the launcher: 400 MiB resident
    ballast[::4096] = b"x" * len(ballast[::4096])
    code = "from pipeline.job import peak_rss_mb; print(peak_rss_mb())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=os.environ.copy()).stdout
    del ballast
    assert 5 < float(out.split()[-1]) < 300


@pytest.mark.slow
def test_unbounded_job_picks_up_new_partitions(kafka_bootstrap, kafka_topic, kafka_group,
                                               kafka_admin, tmp_path):
    """Partitions added while the job runs are read without an operator restart: the job
    notices the new count, flushes and commits, and restarts its pipeline from the
    committed offsets (nothing read twice into the sinks, nothing lost)."""
    from kafka.admin import NewPartitions

    topic = kafka_topic(partitions=1)
    first = produce(kafka_bootstrap, topic, jobkit.page_messages(6))
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", "--progress-interval=0",
         *_job_argv(kafka_bootstrap, topic, kafka_group, out, "--kafka_start=earliest",
                    "--kafka_partition_check_s=1")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def wait_committed(partitions, total):
        assert _wait_committed(proc, kafka_bootstrap, kafka_group, topic, partitions, total,
                               180), f"not committed: {total} records over {partitions} partitions"

    try:
        wait_committed(1, len(first))
        kafka_admin.create_partitions({topic: NewPartitions(total_count=2)})
        time.sleep(1)
        second = produce(kafka_bootstrap, topic, [
            {"key": k, "value": v, "partition": 1} for k, v in jobkit.page_messages(5, start=6)])
        assert {m.partition for m in second} == {1}
        wait_committed(2, len(first) + len(second))
        output = jobkit.stop_job(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, output
    assert "restarting the pipeline" in output
    articles, dead = jobkit.accounted_offsets(out)
    assert {(m.topic, m.partition, m.offset) for m in first + second} == set(articles) | set(dead)
    # the restart resumed from the committed offsets: partition 0 was not read again
    from connectors.files import iter_jsonl_dir

    lines = [r for _, r in iter_jsonl_dir(out, "article") if r.get("partition") == 0]
    assert len(lines) == len(first), "partition 0 re-read after the restart"
