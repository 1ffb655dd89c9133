"""Unbounded ReadFromKafka: a streaming job in a subprocess, fed and observed live.

The job appends every record it reads to a file; the test produces, waits for the lines,
checks offsets get committed by bundle finalization while streaming, kills the job (the
only way to stop an unbounded pipeline on the local runner) and restarts it to check it
resumes from the committed offsets.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import time

import pytest

from tests.fixtures.kafka import committed_offsets, produce

pytestmark = pytest.mark.kafka

REPO = pathlib.Path(__file__).resolve().parents[2]

JOB = r"""
import sys
import apache_beam as beam
from apache_beam.runners.portability.fn_api_runner import FnApiRunner
from connectors.kafka.read import ReadFromKafka

bootstrap, topic, group, out_path = sys.argv[1:5]

class AppendToFile(beam.DoFn):
    def setup(self):
        self._fh = open(out_path, "a", encoding="utf-8")
    def process(self, r):
        self._fh.write(f"{r.partition} {r.offset} {r.value.decode()}\n")
        self._fh.flush()
    def teardown(self):
        self._fh.close()

with beam.Pipeline(runner=FnApiRunner()) as p:
    (p | ReadFromKafka(topic, bootstrap_servers=bootstrap, group_id=group, bounded=False,
                       start="committed", start_fallback="earliest",
                       max_records_per_bundle=20, poll_timeout_s=0.2)
       | beam.ParDo(AppendToFile()))
"""


def _start_job(bootstrap: str, topic: str, group: str, out: pathlib.Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-c", JOB, bootstrap, topic, group, str(out)],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=open(out.with_suffix(".log"), "w"))


def _lines(path: pathlib.Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def _wait_for(predicate, what: str, job: subprocess.Popen, log: pathlib.Path,
              timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if job.poll() is not None:
            pytest.fail(f"job exited ({job.returncode}) while waiting for {what}:\n"
                        f"{log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


def _stop(job: subprocess.Popen) -> None:
    job.kill()
    job.wait(timeout=30)


def test_unbounded_read_streams_commits_and_resumes(kafka_bootstrap, kafka_topic,
                                                    kafka_group, tmp_path):
    topic = kafka_topic(partitions=2)
    out1, out2 = tmp_path / "run1.txt", tmp_path / "run2.txt"
    produce(kafka_bootstrap, topic, [f"a{i}".encode() for i in range(30)])
    job = _start_job(kafka_bootstrap, topic, kafka_group, out1)
    try:
        log1 = out1.with_suffix(".log")
        _wait_for(lambda: len(_lines(out1)) >= 30, "the first 30 records", job, log1)
        # Records produced while the job runs stream through.
        meta = produce(kafka_bootstrap, topic, [f"b{i}".encode() for i in range(30)])
        _wait_for(lambda: len(_lines(out1)) >= 60, "30 live records", job, log1)
        values = sorted(line.split()[2] for line in _lines(out1))
        assert values == sorted([f"a{i}" for i in range(30)] + [f"b{i}" for i in range(30)])
        # Bundle finalization commits while streaming, up to the partition ends.
        ends = [1 + max(m.offset for m in meta if m.partition == p) for p in range(2)]
        _wait_for(lambda: committed_offsets(kafka_bootstrap, kafka_group, topic, 2) == ends,
                  f"committed offsets {ends}", job, log1)
    finally:
        _stop(job)
    # A restarted job resumes from the committed offsets: only new records.
    produce(kafka_bootstrap, topic, [f"c{i}".encode() for i in range(10)])
    job = _start_job(kafka_bootstrap, topic, kafka_group, out2)
    try:
        _wait_for(lambda: len(_lines(out2)) >= 10, "10 records after restart", job,
                  out2.with_suffix(".log"))
        time.sleep(1.0)  # anything re-read would show up by now
        assert sorted(line.split()[2] for line in _lines(out2)) == sorted(
            f"c{i}" for i in range(10))
    finally:
        _stop(job)


def test_request_stop_ends_an_unbounded_read_and_commits(kafka_bootstrap, kafka_topic,
                                                         kafka_group, tmp_path):
    """In-process: request_stop() lets the streaming pipeline finish; offsets are committed."""
    import threading

    import apache_beam as beam

    from connectors.kafka import request_stop
    from connectors.kafka.read import ReadFromKafka, clear_stop
    from tests.fixtures.kafka import local_pipeline

    topic = kafka_topic(partitions=2)
    out = tmp_path / "out.txt"
    meta = produce(kafka_bootstrap, topic, [f"s{i}".encode() for i in range(25)])
    errors: list[BaseException] = []

    class _Append(beam.DoFn):
        def process(self, r):
            with open(out, "a", encoding="utf-8") as fh:
                fh.write(f"{r.value.decode()}\n")

    def run() -> None:
        try:
            with local_pipeline() as p:
                (p | ReadFromKafka(topic, bootstrap_servers=kafka_bootstrap,
                                   group_id=kafka_group, bounded=False, poll_timeout_s=0.2)
                   | beam.ParDo(_Append()))
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while len(_lines(out)) < 25:
            assert thread.is_alive() and time.monotonic() < deadline, errors
            time.sleep(0.1)
        request_stop()
        thread.join(timeout=60)
        assert not thread.is_alive(), "the pipeline did not stop"
    finally:
        request_stop()
        thread.join(timeout=30)
        clear_stop()
    assert errors == []
    assert sorted(_lines(out)) == sorted(f"s{i}" for i in range(25))
    ends = [1 + max(m.offset for m in meta if m.partition == p) for p in range(2)]
    assert committed_offsets(kafka_bootstrap, kafka_group, topic, 2) == ends
