"""`newsbeam produce` and `newsbeam read` against the real local broker."""

from __future__ import annotations

import gzip
import pathlib

import orjson
import pytest

from connectors.kafka.records import KafkaRecord
from connectors.pages import PageEnvelope, decode_page, encode_page
from pipeline.cli import main
from pipeline.cli.produce import page_url
from tests.fixtures.kafka import committed_offsets

pytestmark = pytest.mark.kafka

CANONICAL = """<html><head><title>t</title>
<meta property="og:url" content="https://example.com/og">
<link href="https://example.com/news/1?a=1&amp;b=2" rel="canonical"></head>
<body><p>पुतिन</p></body></html>"""
OG_ONLY = """<html><head><meta content='https://example.com/og-only' property='og:url'/></head>
<body>x</body></html>"""
BARE = "<html><body>no url here</body></html>"


def test_page_url_prefers_canonical_then_og_then_file(tmp_path):
    path = tmp_path / "a.html"
    assert page_url(CANONICAL, path) == "https://example.com/news/1?a=1&b=2"
    assert page_url(OG_ONLY, path) == "https://example.com/og-only"
    assert page_url(BARE, path) == path.resolve().as_uri()


def _lines(text: str) -> list[dict]:
    return [orjson.loads(line) for line in text.splitlines() if line.strip()]


def test_produce_then_read(kafka_bootstrap, kafka_topic, kafka_group, tmp_path, capfd):
    topic = kafka_topic(partitions=2)
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    (pages / "a.html").write_text(CANONICAL, encoding="utf-8")
    (pages / "sub" / "b.html.gz").write_bytes(gzip.compress(BARE.encode()))
    (pages / "ignored.txt").write_text("not a page")
    jsonl = tmp_path / "more.jsonl"
    jsonl.write_bytes(encode_page("https://example.com/j1", "<p>j1</p>") + b"\n\n"
                      + orjson.dumps({"url": "https://example.com/j2", "html": "<p>j2</p>",
                                      "language": "hi"}) + b"\n")
    assert main(["produce", "--bootstrap", kafka_bootstrap, "--topic", topic, "--gzip",
                 str(pages), str(jsonl)]) == 0
    capfd.readouterr()

    assert main(["read", "--bootstrap", kafka_bootstrap, "--topic", topic, "--until-end",
                 "--from", "earliest"]) == 0
    out, err = capfd.readouterr()
    rows = _lines(out)
    assert "read: 4 records" in err
    by_key = {row["key"]: row for row in rows}
    bare_url = (pages / "sub" / "b.html.gz").resolve().as_uri()
    assert set(by_key) == {"https://example.com/news/1?a=1&b=2", bare_url,
                           "https://example.com/j1", "https://example.com/j2"}
    for row in rows:
        assert {"topic", "partition", "offset", "key", "timestamp", "value"} <= set(row)
        assert row["topic"] == topic
        # --gzip packed every page; each decodes back to its HTML.
        assert "html_gzip_b64" in row["value"] and "html" not in row["value"]
        record = KafkaRecord(topic, row["partition"], row["offset"], row["key"].encode(),
                             orjson.dumps(row["value"]), row["timestamp"])
        page = decode_page(record)
        assert isinstance(page, PageEnvelope)
        assert page.url == row["key"]
    page = decode_page(KafkaRecord(topic, 0, 0, None, orjson.dumps(by_key[bare_url]["value"]),
                                   0))
    assert page.html == BARE and page.crawler == "newsbeam-produce" and page.fetched_at
    assert by_key["https://example.com/j2"]["value"]["language"] == "hi"

    # --group commits what it printed; a second read of the group prints nothing new.
    assert main(["read", "--bootstrap", kafka_bootstrap, "--topic", topic, "--until-end",
                 "--group", kafka_group, "--max", "3"]) == 0
    assert len(_lines(capfd.readouterr().out)) == 3
    assert main(["read", "--bootstrap", kafka_bootstrap, "--topic", topic, "--until-end",
                 "--group", kafka_group]) == 0
    assert len(_lines(capfd.readouterr().out)) == 1
    assert sum(o or 0 for o in committed_offsets(kafka_bootstrap, kafka_group, topic, 2)) == 4


def test_read_prints_text_and_binary_values(kafka_bootstrap, kafka_topic, capfd):
    from tests.fixtures.kafka import produce

    topic = kafka_topic(partitions=1)
    produce(kafka_bootstrap, topic, [(b"k1", b"plain text"), (None, b"\xff\x00")])
    assert main(["read", "--bootstrap", kafka_bootstrap, "--topic", topic,
                 "--until-end"]) == 0
    rows = _lines(capfd.readouterr().out)
    assert rows[0]["value"] == "plain text" and rows[0]["key"] == "k1"
    assert rows[1]["key"] is None and rows[1]["value_b64"] == "/wA="


def test_produce_reports_missing_paths(kafka_bootstrap, tmp_path, capfd):
    missing = pathlib.Path(tmp_path / "nope")
    assert main(["produce", "--bootstrap", kafka_bootstrap, "--topic", "unused",
                 str(missing)]) == 2
    assert "no such file" in capfd.readouterr().err
