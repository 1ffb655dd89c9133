"""SASL/PLAIN end to end against the local broker's SASL_PLAINTEXT listener: the CLI and
the job authenticate with the password from a file, and never print it."""

from __future__ import annotations

import pathlib

import orjson
import pytest

from pipeline.cli import main
from tests.pipeline import jobkit

pytestmark = pytest.mark.kafka

PAGE = """<html><head><title>Putin tells Xi he wants closer military ties</title>
<link rel="canonical" href="https://example.com/sasl/1"></head><body><article>
<p>Russian President Vladimir Putin told Chinese President Xi Jinping on Friday that he
wanted to deepen military cooperation between the two countries, during a video call.</p>
<p>Xi said China was ready to work with Russia as the two leaders reviewed a year of
trade and energy deals, officials in Moscow and Beijing said afterwards.</p>
</article></body></html>"""


def test_cli_produces_and_reads_over_sasl(kafka_sasl, kafka_topic, tmp_path, capfd):
    topic = kafka_topic()
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    assert main(["produce", *kafka_sasl.cli_args(), "--topic", topic, str(page)]) == 0
    assert main(["read", *kafka_sasl.cli_args(), "--topic", topic, "--until-end"]) == 0
    out, err = capfd.readouterr()
    rows = [orjson.loads(line) for line in out.splitlines() if line.strip()]
    assert [r["key"] for r in rows] == ["https://example.com/sasl/1"]
    assert rows[0]["value"]["html"] == PAGE
    secret = pathlib.Path(kafka_sasl.password_file).read_text().strip()
    assert secret not in out + err


def test_cli_refuses_a_wrong_password_without_printing_it(kafka_sasl, kafka_topic, tmp_path,
                                                          capfd):
    topic = kafka_topic()
    wrong = tmp_path / "wrong-password"
    wrong.write_text("not-the-password-7f3a\n")
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    args = kafka_sasl.cli_args()
    args[args.index("--sasl-password-file") + 1] = str(wrong)
    assert main(["produce", *args, "--topic", topic, str(page)]) == 1
    out, err = capfd.readouterr()
    assert "Kafka error" in err
    assert "not-the-password-7f3a" not in out + err


@pytest.mark.slow
def test_job_reads_and_writes_kafka_over_sasl(kafka_sasl, kafka_bootstrap, kafka_topic,
                                              kafka_group, tmp_path):
    """`newsbeam run` with --kafka_security_protocol=SASL_PLAINTEXT: pages in, articles and
    events out through the Kafka sink, offsets committed, all authenticated."""
    result, topics = jobkit.run_job_to_kafka(kafka_sasl.job_args(), kafka_bootstrap,
                                             kafka_topic, kafka_group, tmp_path)
    assert result.returncode == 0, result.stderr[-4000:]
    secret = pathlib.Path(kafka_sasl.password_file).read_text().strip()
    assert secret not in result.stdout + result.stderr
    jobkit.assert_job_wrote_and_committed(kafka_bootstrap, kafka_group, topics)
