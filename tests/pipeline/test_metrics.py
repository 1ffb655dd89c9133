"""pipeline.metrics: the exporter starts once per process, and DoFns pickled by Beam count
into the module-level collectors that the exporter serves (the "importable module" design).

Each check runs in a fresh child process: the exporter is process-global, and starting it
inside the pytest process would take the port choice away from later tests.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

from prometheus_client.parser import text_string_to_metric_families

from tests.fixtures.prometheus import REPO, exported_metric_names

EXPORTER_SCRIPT = """
import json, sys, urllib.request
from pipeline import metrics
port, other = int(sys.argv[1]), int(sys.argv[2])
first = metrics.start_exporter("127.0.0.1", port)
second = metrics.start_exporter("127.0.0.1", other)   # ignored: already started
disabled = metrics.start_exporter("127.0.0.1", 0)
metrics.REJECTIONS.labels(reason="too_short").inc(3)
metrics.STAGE_LATENCY.labels(stage="clean").observe(0.02)
body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
try:
    urllib.request.urlopen(f"http://127.0.0.1:{other}/metrics", timeout=2)
    other_listening = True
except OSError:
    other_listening = False
print(json.dumps({"first": first, "second": second, "disabled": disabled,
                  "other_listening": other_listening, "body": body}))
"""

# The DoFn is defined in __main__, so Beam's pickler serialises it by value, together
# with the __main__ globals it uses: the worker runs a detached copy. `local_counts` shows
# the copy (it stays 0 in this process); the counters of the importable pipeline.metrics
# module are pickled by reference, so the exporter of this process sees every increment.
BEAM_SCRIPT = """
import json, sys, urllib.request
import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions
from pipeline import metrics

local_counts = {"processed": 0}

class CountPagesFn(beam.DoFn):
    def process(self, element):
        local_counts["processed"] += 1
        metrics.PAGES_READ.labels(topic="beam-test", partition=str(element % 2)).inc()
        metrics.BYTES_READ.labels(topic="beam-test").inc(len(str(element)))
        yield element

port = int(sys.argv[1])
metrics.start_exporter("127.0.0.1", port)
with beam.Pipeline(runner="DirectRunner", options=PipelineOptions([])) as p:
    _ = p | beam.Create(list(range(11))) | beam.ParDo(CountPagesFn())
body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
print(json.dumps({"body": body, "local_counts": local_counts}))
"""

# An SDK worker process of a portable runner: nobody called start_exporter there; the
# clean DoFn's setup starts it on --worker_metrics_port. `taken` holds the port first.
WORKER_SCRIPT = """
import json, socket, sys, urllib.request
import apache_beam as beam
from apache_beam.runners.portability.fn_api_runner import FnApiRunner
from connectors.pages import PageEnvelope
from pipeline import metrics
from pipeline.clean.transform import CleanPages

port, taken = int(sys.argv[1]), sys.argv[2] == "taken"
holder = None
if taken:
    holder = socket.socket()
    holder.bind(("127.0.0.1", port))
    holder.listen()
html = "<html><body><article>" + "<p>Ministers of the two countries met on Tuesday to agree " \
    "a trade pact covering steel, grain and energy for the next ten years.</p>" * 6 + \
    "</article></body></html>"
with beam.Pipeline(runner=FnApiRunner()) as p:
    _ = (p | beam.Create([PageEnvelope(url="https://example.com/a", html=html)])
         | CleanPages(worker_exporter=("127.0.0.1", port)))
body = "" if taken else urllib.request.urlopen(
    f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
print(json.dumps({"body": body, "started": metrics._exporter_started}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_child(script: str, *args: int, timeout: float = 300) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _samples(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def test_start_exporter_is_idempotent_and_serves_metrics() -> None:
    port, other = _free_port(), _free_port()
    result = _run_child(EXPORTER_SCRIPT, port, other)
    assert result["first"] == ["127.0.0.1", port]
    assert result["second"] == ["127.0.0.1", port]
    assert result["disabled"] is None
    assert not result["other_listening"]
    samples = _samples(result["body"])
    assert samples[("newsbeam_rejections_total", (("reason", "too_short"),))] == 3
    assert samples[("newsbeam_stage_latency_seconds_count", (("stage", "clean"),))] == 1
    build = [labels for name, labels in samples if name == "newsbeam_build_info"]
    assert len(build) == 1 and ("version", "0.1.0") in build[0]
    assert {name for name, _ in samples} & exported_metric_names() >= {
        "newsbeam_rejections_total",
        "newsbeam_stage_latency_seconds_bucket",
        "newsbeam_build_info",
    }


def test_dofn_pickled_by_beam_counts_into_the_exporter() -> None:
    port = _free_port()
    result = _run_child(BEAM_SCRIPT, port)
    assert result["local_counts"] == {"processed": 0}, "the DoFn did not run on a pickled copy"
    samples = _samples(result["body"])
    pages = {
        dict(labels)["partition"]: value
        for (name, labels), value in samples.items()
        if name == "newsbeam_pages_read_total" and dict(labels).get("topic") == "beam-test"
    }
    assert pages == {"0": 6, "1": 5}
    assert samples[("newsbeam_bytes_read_total", (("topic", "beam-test"),))] == 12  # 0..9 + "10"


def test_worker_process_exports_from_the_clean_dofn_setup() -> None:
    port = _free_port()
    result = _run_child(WORKER_SCRIPT, port, "free")
    assert result["started"] == ["127.0.0.1", port]
    samples = _samples(result["body"])
    assert samples[("newsbeam_articles_cleaned_total", (("language", "en"),))] == 1


def test_worker_exporter_on_a_taken_port_warns_and_the_job_goes_on() -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", WORKER_SCRIPT, str(port), "taken"], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1])["started"] is None
    assert f"worker metrics exporter not started on 127.0.0.1:{port}" in proc.stderr


def test_clean_pages_checks_the_worker_exporter_argument() -> None:
    import pytest

    from pipeline.clean.transform import CleanPages

    with pytest.raises(ValueError, match="address, port"):
        CleanPages(worker_exporter=("127.0.0.1", 70000))


def test_exporter_port_zero_means_disabled() -> None:
    from pipeline import metrics

    assert metrics.start_exporter("127.0.0.1", 0) is None
