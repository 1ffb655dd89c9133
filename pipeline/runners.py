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

LOCAL_FLINK_MASTER = "[local]"
DEFAULT_CHECKPOINTING_INTERVAL_MS = 10_000


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
        raise RunnerArtifactMissing(
            f"{what}: `bash {script.relative_to(REPO_ROOT)}` failed "
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
    environment_type: str = "LOOPBACK",
) -> list[str]:
    """Beam pipeline arguments that run a pipeline on ``runner`` on this machine.

    FlinkRunner: an embedded Flink (``[local]``) unless ``flink_master`` or
    $NEWSBEAM_FLINK_MASTER names a cluster (host:port of its REST endpoint; then the
    SDK workers must be reachable from the task managers, so LOOPBACK only fits a
    cluster on this host). Checkpointing (which is what makes Kafka offsets and
    stateful results exactly-once on Flink) is switched on for streaming jobs.
    PrismRunner: Beam's Go portable runner, built locally. Any other runner name is
    passed through unchanged.
    """
    args = [f"--runner={runner}"]
    if runner == FLINK_RUNNER:
        master = flink_master or os.environ.get(FLINK_MASTER_ENV) or LOCAL_FLINK_MASTER
        args += [
            f"--flink_master={master}",
            f"--flink_job_server_jar={flink_job_server_jar()}",
            f"--environment_type={environment_type}",
        ]
        if streaming:
            args.append(f"--checkpointing_interval={checkpointing_interval_ms}")
        if parallelism is not None:
            args.append(f"--parallelism={parallelism}")
    elif runner == PRISM_RUNNER:
        args += [
            f"--prism_location={prism_binary()}",
            f"--environment_type={environment_type}",
        ]
    if streaming:
        args.append("--streaming")
    return args
