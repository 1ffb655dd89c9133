"""deploy/kafka-local/kafka.sh: idempotent start, status, loud failure."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest

from tests.fixtures.kafka import KAFKA_SH

pytestmark = pytest.mark.kafka


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(KAFKA_SH), *args], capture_output=True, text=True,
                          timeout=300, check=False, env={**os.environ, **(env or {})})


def test_status_and_idempotent_start(kafka_bootstrap):
    port = kafka_bootstrap.rsplit(":", 1)[1]
    status = _run("status")
    assert status.returncode == 0, status.stderr
    assert f"bootstrap=127.0.0.1:{port}" in status.stdout
    started = time.monotonic()
    again = _run("start")
    assert again.returncode == 0, again.stderr
    assert "already running" in again.stderr
    assert time.monotonic() - started < 30


def test_start_fails_loudly_when_the_broker_cannot_start(kafka_bootstrap, tmp_path):
    with socket.socket() as s:  # a free port for a second, doomed broker
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    state = tmp_path / "kafka"
    libs = KAFKA_SH.parents[2] / "var" / "kafka" / "libs"
    if libs.is_dir():  # reuse the cached jars: no network
        shutil.copytree(libs, state / "libs", symlinks=True)
    result = _run("start", env={"KAFKA_PORT": str(port), "NEWSBEAM_KAFKA_DIR": str(state),
                                "KAFKA_HEAP_OPTS": "-Xmx1m"})
    assert result.returncode != 0
    assert "heap" in (result.stdout + result.stderr).lower()
    assert _run("status", env={"KAFKA_PORT": str(port),
                               "NEWSBEAM_KAFKA_DIR": str(state)}).returncode == 3
