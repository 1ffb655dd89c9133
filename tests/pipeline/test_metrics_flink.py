"""--worker_metrics_port on Flink: the DoFns run in an SDK worker pool outside the process
that submits the job (as beside each TaskManager on a cluster), and that worker process
exports the job's newsbeam_* metrics from the clean step's setup()."""

from __future__ import annotations

import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from prometheus_client.parser import text_string_to_metric_families

from connectors.pages import PageEnvelope
from pipeline.clean.transform import CleanPages
from pipeline.runners import FLINK_RUNNER, RunnerArtifactMissing, runner_args

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

REPO = pathlib.Path(__file__).resolve().parents[2]
# A worker pool that runs SDK workers as threads of one long-lived process (Beam's
# worker_pool_main would fork one per job, gone when the job ends).
POOL = """
import sys, time
from apache_beam.runners.worker.worker_pool_main import BeamFnExternalWorkerPoolServicer
_, server = BeamFnExternalWorkerPoolServicer.start(use_process=False, port=int(sys.argv[1]))
print("ready", flush=True)
while True:
    time.sleep(3600)
"""
HTML = ("<html><body><article>" + "<p>Ministers of the two countries met on Tuesday to agree "
        "a trade pact covering steel, grain and energy for the next ten years.</p>" * 6
        + "</article></body></html>")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_sdk_worker_process_exports_metrics_on_flink(tmp_path) -> None:
    pool_port, metrics_port = _free_port(), _free_port()
    try:
        args = runner_args(FLINK_RUNNER, streaming=False, parallelism=1,
                           environment_type="EXTERNAL",
                           environment_config=f"localhost:{pool_port}")
    except RunnerArtifactMissing as err:
        pytest.skip(f"Flink job server cannot be assembled here: {err}")
    pool = subprocess.Popen([sys.executable, "-c", POOL, str(pool_port)], cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert pool.stdout.readline().strip() == "ready"
        pages = [PageEnvelope(url=f"https://example.com/{i}", html=HTML.replace("ten", str(i)))
                 for i in range(3)]
        with beam.Pipeline(options=PipelineOptions(args)) as p:
            _ = (p | beam.Create(pages)
                 | CleanPages(worker_exporter=("127.0.0.1", metrics_port)))
        deadline = time.monotonic() + 30
        while True:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics",
                                              timeout=5).read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline, "no exporter in the SDK worker process"
                time.sleep(0.5)
    finally:
        pool.kill()
        pool.wait(timeout=30)
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in text_string_to_metric_families(body) for s in family.samples}
    assert samples[("newsbeam_articles_cleaned_total", (("language", "en"),))] == 3
    build = [dict(labels) for name, labels in samples if name == "newsbeam_build_info"]
    assert build and build[0]["pid"] == str(pool.pid)  # the worker's process, not this one
