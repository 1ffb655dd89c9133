"""pipeline.runners: the arguments it builds, and trivial pipelines on Flink and Prism."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import time

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.util import assert_that, equal_to

from pipeline import runners
from pipeline.runners import FLINK_RUNNER, PRISM_RUNNER, RunnerArtifactMissing, runner_args

REPO = pathlib.Path(__file__).resolve().parents[2]


def _args_or_skip(runner: str, **kwargs: object) -> list[str]:
    try:
        return runner_args(runner, **kwargs)
    except RunnerArtifactMissing as err:
        pytest.skip(f"{runner} artifact cannot be built here: {err}")


def _flag(args: list[str], name: str) -> str | None:
    for arg in args:
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
    return None


def test_other_runners_pass_through() -> None:
    assert runner_args("DirectRunner", streaming=False) == ["--runner=DirectRunner"]
    assert runner_args("DirectRunner", streaming=True) == ["--runner=DirectRunner", "--streaming"]


def test_overrides_must_exist(monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path) -> None:
    monkeypatch.delenv(runners.ENVIRONMENT_TYPE_ENV, raising=False)
    monkeypatch.delenv(runners.ENVIRONMENT_CONFIG_ENV, raising=False)
    monkeypatch.setenv(runners.PRISM_BINARY_ENV, str(tmp_path / "missing-prism"))
    with pytest.raises(RunnerArtifactMissing, match=runners.PRISM_BINARY_ENV):
        runner_args(PRISM_RUNNER, streaming=False)
    fake = tmp_path / "prism"
    fake.write_text("")
    monkeypatch.setenv(runners.PRISM_BINARY_ENV, str(fake))
    assert runner_args(PRISM_RUNNER, streaming=False) == [
        "--runner=PrismRunner", f"--prism_location={fake}", "--environment_type=LOOPBACK",
        "--experiments=disable_prism_server_singleton"]
    monkeypatch.setenv(runners.ENVIRONMENT_TYPE_ENV, "EXTERNAL")
    monkeypatch.setenv(runners.ENVIRONMENT_CONFIG_ENV, "localhost:50000")
    assert runner_args(PRISM_RUNNER, streaming=True)[2:] == [
        "--environment_type=EXTERNAL", "--environment_config=localhost:50000",
        "--experiments=disable_prism_server_singleton", "--streaming"]


def test_missing_script_names_the_override(monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: pathlib.Path) -> None:
    monkeypatch.delenv(runners.FLINK_JAR_ENV, raising=False)
    monkeypatch.setattr(runners, "FLINK_SCRIPT", tmp_path / "nope.sh")
    with pytest.raises(RunnerArtifactMissing, match=runners.FLINK_JAR_ENV):
        runner_args(FLINK_RUNNER, streaming=False)


def test_failing_script_names_itself(monkeypatch: pytest.MonkeyPatch,
                                     tmp_path: pathlib.Path) -> None:
    monkeypatch.delenv(runners.PRISM_BINARY_ENV, raising=False)
    script = tmp_path / "build-prism.sh"
    script.write_text("echo 'go: no network' >&2; exit 3\n")
    monkeypatch.setattr(runners, "PRISM_SCRIPT", script)
    with pytest.raises(RunnerArtifactMissing, match=r"build-prism.sh.*exit 3.*\n.*no network"):
        runner_args(PRISM_RUNNER, streaming=False)


@pytest.mark.slow
def test_flink_args(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(runners.FLINK_MASTER_ENV, raising=False)
    args = _args_or_skip(FLINK_RUNNER, streaming=True, checkpointing_interval_ms=5000,
                         parallelism=1)
    assert args[0] == "--runner=FlinkRunner"
    assert _flag(args, "flink_master") == "[local]"
    assert pathlib.Path(_flag(args, "flink_job_server_jar")).is_file()
    assert _flag(args, "environment_type") == "LOOPBACK"
    assert _flag(args, "checkpointing_interval") == "5000"
    assert _flag(args, "parallelism") == "1"
    assert _flag(args, "shutdown_sources_after_idle_ms") is None
    assert args.count("--streaming") == 1
    assert _flag(args, "number_of_execution_retries") == "3"
    # Bounded jobs still use Flink's streaming mode (bundle finalization), and end.
    bounded = runner_args(FLINK_RUNNER, streaming=False, flink_master="jm.example:8081")
    assert _flag(bounded, "flink_master") == "jm.example:8081"
    assert "--streaming" in bounded
    assert _flag(bounded, "shutdown_sources_after_idle_ms") == "1000"
    assert _flag(bounded, "number_of_execution_retries") == "0"
    monkeypatch.setenv(runners.FLINK_MASTER_ENV, "localhost:8081")
    assert _flag(runner_args(FLINK_RUNNER, streaming=False), "flink_master") == "localhost:8081"


class _AppendLineFn(beam.DoFn):
    def __init__(self, path: str) -> None:
        self.path = path

    def process(self, element: object):
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(element) + "\n")


def _run_trivial(args: list[str], out: pathlib.Path) -> float:
    started = time.monotonic()
    with beam.Pipeline(options=PipelineOptions(args)) as p:
        squares = p | beam.Create(range(20)) | beam.Map(lambda x: x * x)
        assert_that(squares, equal_to([x * x for x in range(20)]))
        _ = squares | beam.ParDo(_AppendLineFn(str(out)))
    return time.monotonic() - started


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_trivial_pipeline_on_flink(tmp_path: pathlib.Path) -> None:
    args = _args_or_skip(FLINK_RUNNER, streaming=False, parallelism=1)
    out = tmp_path / "squares.jsonl"
    elapsed = _run_trivial(args, out)
    print(f"flink [local] LOOPBACK trivial pipeline: {elapsed:.1f}s")
    assert sorted(json.loads(line) for line in out.read_text().splitlines()) == \
        [x * x for x in range(20)]


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_assert_that_failure_fails_the_flink_job(tmp_path: pathlib.Path) -> None:
    """A mismatch in assert_that fails run() on the portable Flink runner.

    Known flake, kept visible rather than hidden: run inside pytest right after another
    Flink pipeline, about 1 run in 3 here ended DONE without the matcher having run, and
    3-4 s sooner than a run that fails properly; not the idle-source shutdown (the same
    with 5 s instead of 1 s); a plain Python process running the same pipelines never did
    (16 of 16 raised). The cause is not found yet. The pipeline therefore runs in its own
    process, with one more attempt allowed; a second silent pass fails. Tests on Flink
    also check outputs written by DoFns, not assert_that alone.
    """
    args = _args_or_skip(FLINK_RUNNER, streaming=False, parallelism=1)
    script = (
        "import sys\n"
        "import apache_beam as beam\n"
        "from apache_beam.options.pipeline_options import PipelineOptions\n"
        "from apache_beam.testing.util import assert_that, equal_to\n"
        "try:\n"
        "    with beam.Pipeline(options=PipelineOptions(sys.argv[1:])) as p:\n"
        "        assert_that(p | beam.Create([1, 2]), equal_to([1, 2, 3]))\n"
        "except Exception as err:\n"
        "    print('RAISED', 'Failed assert' in str(err))\n"
        "else:\n"
        "    print('NOT RAISED')\n"
    )
    for attempt in (1, 2):
        proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                              text=True, timeout=300, cwd=REPO)
        outcome = proc.stdout.strip().splitlines()[-1:] or [proc.stderr[-2000:]]
        if outcome == ["RAISED True"]:
            return
        assert outcome == ["NOT RAISED"], outcome
        print(f"flink: attempt {attempt} ended without running assert_that's matcher")
    pytest.fail("assert_that never ran its matcher on Flink in two attempts")


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_trivial_pipeline_on_prism(tmp_path: pathlib.Path) -> None:
    args = _args_or_skip(PRISM_RUNNER, streaming=False)
    out = tmp_path / "squares.jsonl"
    elapsed = _run_trivial(args, out)
    print(f"prism LOOPBACK trivial pipeline: {elapsed:.1f}s")
    assert sorted(json.loads(line) for line in out.read_text().splitlines()) == \
        [x * x for x in range(20)]
