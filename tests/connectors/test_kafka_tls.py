"""TLS end to end against the local broker's SSL listener (certificate from a local CA):
the CLI and the job verify the broker against --ssl-cafile, and a broker whose certificate
the CA file does not vouch for is refused at once, with the reason."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import orjson
import pytest

from pipeline.cli import main
from tests.pipeline import jobkit

pytestmark = pytest.mark.kafka

PAGE = """<html><head><title>Putin tells Xi he wants closer military ties</title>
<link rel="canonical" href="https://example.com/tls/1"></head><body><article>
<p>Russian President Vladimir Putin told Chinese President Xi Jinping on Friday that he
wanted to deepen military cooperation between the two countries, during a video call.</p>
</article></body></html>"""


def _other_ca(tmp_path) -> str:
    """A CA that signed nothing of the broker's."""
    ca = tmp_path / "other-ca.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=not the broker's CA", "-keyout", str(tmp_path / "other.key"),
                    "-out", str(ca)], check=True, capture_output=True)
    return str(ca)


def test_cli_produces_and_reads_over_tls(kafka_tls, kafka_topic, tmp_path, capfd):
    topic = kafka_topic()
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    assert main(["produce", *kafka_tls.cli_args(), "--topic", topic, str(page)]) == 0
    assert main(["read", *kafka_tls.cli_args(), "--topic", topic, "--until-end"]) == 0
    out, _ = capfd.readouterr()
    rows = [orjson.loads(line) for line in out.splitlines() if line.strip()]
    assert [r["key"] for r in rows] == ["https://example.com/tls/1"]
    assert rows[0]["value"]["html"] == PAGE


@pytest.mark.parametrize("command", ["produce", "read"])
def test_cli_refuses_an_untrusted_certificate_at_once(kafka_tls, kafka_topic, tmp_path, capfd,
                                                      command):
    topic = kafka_topic()
    args = kafka_tls.cli_args()
    args[args.index("--ssl-cafile") + 1] = _other_ca(tmp_path)
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    extra = [str(page)] if command == "produce" else ["--until-end"]
    started = time.monotonic()
    assert main([command, *args, "--topic", topic, *extra]) == 1
    assert time.monotonic() - started < 10  # not kafka-python's 30 s bootstrap timeout
    _, err = capfd.readouterr()
    assert "certificate not trusted (unable to get local issuer certificate)" in err


def test_plaintext_protocols_skip_the_tls_check(kafka_bootstrap):
    from connectors.kafka.clients import check_tls
    from connectors.kafka.config import KafkaConfig

    check_tls(KafkaConfig(bootstrap_servers=kafka_bootstrap))  # no handshake attempted


@pytest.mark.slow
def test_job_reads_and_writes_kafka_over_tls(kafka_tls, kafka_bootstrap, kafka_topic,
                                             kafka_group, tmp_path):
    """`newsbeam run --kafka_security_protocol=SSL`: pages in, articles out through the
    Kafka sink, offsets committed, all over TLS."""
    result, topics = jobkit.run_job_to_kafka(kafka_tls.job_args(), kafka_bootstrap,
                                             kafka_topic, kafka_group, tmp_path)
    assert result.returncode == 0, result.stderr[-4000:]
    jobkit.assert_job_wrote_and_committed(kafka_bootstrap, kafka_group, topics)


def test_job_refuses_an_untrusted_certificate_at_once(kafka_tls, kafka_topic, kafka_group,
                                                       tmp_path):
    args = [a if not a.startswith("--kafka_ssl_cafile=") else
            f"--kafka_ssl_cafile={_other_ca(tmp_path)}" for a in kafka_tls.job_args()]
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--progress-interval=0",
         "--runner=DirectRunner", *args, f"--kafka_pages_topic={kafka_topic()}",
         f"--kafka_group_id={kafka_group}", "--bounded", f"--sink=files:{tmp_path / 'out'}",
         "--metrics_port=0"],
        capture_output=True, text=True, timeout=120, env=os.environ.copy())
    assert result.returncode == 1
    assert time.monotonic() - started < 20
    assert "certificate not trusted" in result.stderr
