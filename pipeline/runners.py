"""Pipeline arguments for the runners newsbeam runs on, and the artifacts they need.

Beam's Python SDK would download the Flink job server jar and the Prism binary from the
internet on first use; neither source is reachable from this project's machines. The
project's own scripts build them from package registries instead
(``deploy/flink/fetch-job-server.sh``, ``deploy/prism/build-prism.sh``; ``make test``
runs both through ``deploy/services.sh``), and :func:`runner_args` points Beam at them.
"""

from __future__ import annotations

import os
import pathlib
import subprocess

REPO_ROOT = pathlib.Path(__file__).resolve().parents[1]
FLINK_SCRIPT = REPO_ROOT / "deploy" / "flink" / "fetch-job-server.sh"
PRISM_SCRIPT = REPO_ROOT / "deploy" / "prism" / "build-prism.sh"

FLINK_RUNNER = "FlinkRunner"
PRISM_RUNNER = "PrismRunner"

# Overrides: a real Flink cluster, or artifacts kept somewhere else.
FLINK_MASTER_ENV = "NEWSBEAM_FLINK_MASTER"
FLINK_JAR_ENV = "NEWSBEAM_FLINK_JOB_SERVER_JAR"
PRISM_BINARY_ENV = "NEWSBEAM_PRISM_BINARY"
# Where SDK workers run: LOOPBACK (in this process; default) or, on a cluster,
# EXTERNAL with the address of a worker pool beside each task manager.
ENVIRONMENT_TYPE_ENV = "NEWSBEAM_BEAM_ENVIRONMENT_TYPE"
ENVIRONMENT_CONFIG_ENV = "NEWSBEAM_BEAM_ENVIRONMENT_CONFIG"

LOCAL_FLINK_MASTER = "[local]"
DEFAULT_CHECKPOINTING_INTERVAL_MS = 10_000
BOUNDED_IDLE_SHUTDOWN_MS = 1_000
STREAMING_EXECUTION_RETRIES = 3
EXECUTION_RETRY_DELAY_MS = 10_000


class RunnerArtifactMissing(RuntimeError):
    """A runner's jar or binary is not there and could not be built."""


def _artifact_from_script(script: pathlib.Path, env_var: str, what: str) -> pathlib.Path:
    """Path printed by an idempotent fetch/build script (instant once cached)."""
    override = os.environ.get(env_var)
    if override:
        path = pathlib.Path(override)
        if not path.exists():
            raise RunnerArtifactMissing(f"{env_var}={override} does not exist")
        return path
    if not script.is_file():
        raise RunnerArtifactMissing(
            f"{what}: {script} is not there (not a source checkout?); set {env_var}"
        )
    proc = subprocess.run(
        ["bash", str(script)], capture_output=True, text=True, check=False, timeout=1800
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        shown = script.relative_to(REPO_ROOT) if script.is_relative_to(REPO_ROOT) else script
        raise RunnerArtifactMissing(
            f"{what}: `bash {shown}` failed "
            f"(exit {proc.returncode}); run it by hand to see why, or set {env_var}.\n{tail}"
        )
    path = pathlib.Path(lines[-1])
    if not path.exists():
        raise RunnerArtifactMissing(f"{what}: {script.name} printed {path}, which is missing")
    return path


def flink_job_server_jar() -> pathlib.Path:
    """The Flink job server jar (assembled by deploy/flink/fetch-job-server.sh)."""
    return _artifact_from_script(FLINK_SCRIPT, FLINK_JAR_ENV, "Flink job server jar")


def prism_binary() -> pathlib.Path:
    """The Prism runner binary (built by deploy/prism/build-prism.sh)."""
    return _artifact_from_script(PRISM_SCRIPT, PRISM_BINARY_ENV, "Prism binary")


def runner_args(
    runner: str,
    *,
    streaming: bool,
    flink_master: str | None = None,
    checkpointing_interval_ms: int = DEFAULT_CHECKPOINTING_INTERVAL_MS,
    parallelism: int | None = None,
    environment_type: str | None = None,
    environment_config: str | None = None,
    shutdown_sources_after_idle_ms: int | None = None,
    execution_retries: int | None = None,
) -> list[str]:
    """Beam pipeline arguments that run a pipeline on ``runner`` on this machine.

    FlinkRunner: an embedded Flink (``[local]``) unless ``flink_master`` or
    $NEWSBEAM_FLINK_MASTER names a cluster (host:port of its REST endpoint). SDK workers
    must be reachable from the task managers: LOOPBACK (default) fits only a cluster on
    this host; otherwise EXTERNAL with a worker pool beside each task manager
    (``environment_type``/``environment_config`` or $NEWSBEAM_BEAM_ENVIRONMENT_TYPE and
    $NEWSBEAM_BEAM_ENVIRONMENT_CONFIG; see deploy/k8s/flink-deployment.yaml).

    Flink always runs in *streaming* mode with checkpointing (what makes Kafka offsets
    and stateful results exactly-once on Flink): the portable Flink runner refuses
    bundle finalization -- ReadFromKafka's offset-commit hook -- in batch mode (Beam
    #19526). ``streaming=False`` (a bounded job: tests, replays) adds
    ``--shutdown_sources_after_idle_ms`` so the job ends once its sources are done;
    with checkpointing on, Flink otherwise keeps finished sources alive forever.
    Checkpointing also makes Flink restart a failed job forever by default; here a
    streaming job restarts from its last checkpoint ``execution_retries`` times
    (default 3, 10 s apart) and a bounded one fails at once (default 0).

    PrismRunner: Beam's Go portable runner, built locally. Any other runner name is
    passed through unchanged.
    """
    args = [f"--runner={runner}"]
    environment_type = environment_type or os.environ.get(ENVIRONMENT_TYPE_ENV) or "LOOPBACK"
    environment_config = environment_config or os.environ.get(ENVIRONMENT_CONFIG_ENV)
    environment = [f"--environment_type={environment_type}"]
    if environment_config:
        environment.append(f"--environment_config={environment_config}")
    if runner == FLINK_RUNNER:
        master = flink_master or os.environ.get(FLINK_MASTER_ENV) or LOCAL_FLINK_MASTER
        if shutdown_sources_after_idle_ms is None and not streaming:
            shutdown_sources_after_idle_ms = BOUNDED_IDLE_SHUTDOWN_MS
        args += [
            f"--flink_master={master}",
            f"--flink_job_server_jar={flink_job_server_jar()}",
            *environment,
            "--streaming",
            f"--checkpointing_interval={checkpointing_interval_ms}",
        ]
        if shutdown_sources_after_idle_ms is not None:
            args.append(f"--shutdown_sources_after_idle_ms={shutdown_sources_after_idle_ms}")
        if execution_retries is None:
            execution_retries = STREAMING_EXECUTION_RETRIES if streaming else 0
        args += [
            f"--number_of_execution_retries={execution_retries}",
            f"--execution_retry_delay={EXECUTION_RETRY_DELAY_MS}",
        ]
        if parallelism is not None:
            args.append(f"--parallelism={parallelism}")
        return args
    if runner == PRISM_RUNNER:
        args += [
            f"--prism_location={prism_binary()}",
            *environment,
            # Not Beam's process-wide Prism singleton: a DirectRunner that tried (and
            # failed) to download Prism earlier in the process leaves a broken one there.
            "--experiments=disable_prism_server_singleton",
        ]
    if streaming:
        args.append("--streaming")
    return args
