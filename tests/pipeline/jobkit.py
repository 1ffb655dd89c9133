"""Helpers for the job tests: realistic pages, poison messages, and output accounting."""

from __future__ import annotations

import gzip
import os
import pathlib
import random
import signal
import subprocess
import sys

from connectors.pages import encode_page

_LEADERS = [
    ("Russian President Vladimir Putin", "Chinese President Xi Jinping"),
    ("Indian Prime Minister Narendra Modi", "Japanese Prime Minister Fumio Kishida"),
    ("French President Emmanuel Macron", "German Chancellor Olaf Scholz"),
    ("U.S. Secretary of State Antony Blinken", "Turkish Foreign Minister Hakan Fidan"),
]
_ACTIONS = [
    "held a video call with", "met", "criticised", "signed a trade agreement with",
    "urged", "praised", "accused",
]


def news_page(i: int, *, domain: str = "news.example.org") -> tuple[str, str]:
    """A realistic English news page; i makes URL and text unique."""
    rng = random.Random(i)
    a, b = rng.choice(_LEADERS)
    act = rng.choice(_ACTIONS)
    url = f"https://{domain}/world/2024/03/{i:05d}-talks"
    paras = [
        f"{a} {act} {b} on Tuesday, officials said, in the {i}th round of talks this year.",
        "The two sides discussed trade, energy and security in the region, according to a "
        "statement released after the meeting by the foreign ministry.",
        f"Analysts said the meeting, number {i}, showed both governments wanted to keep "
        "channels open despite deep disagreements over sanctions and military exercises.",
        "Protesters gathered outside the venue, and police detained several of them, local "
        "media reported. The ministry did not comment on the arrests.",
        f"Officials said a follow-up meeting was planned for next month. Reference {i * 7919}.",
    ]
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Leaders hold talks ({i}) | Example News</title>
<link rel="canonical" href="{url}">
<meta property="og:title" content="Leaders hold talks ({i})">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2024-03-{(i % 27) + 1:02d}T10:00:00Z">
</head><body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<article><h1>Leaders hold talks ({i})</h1><p class="byline">By Jane Reporter</p>
<time datetime="2024-03-{(i % 27) + 1:02d}">March {(i % 27) + 1}, 2024</time>
{body}</article><footer>© Example News</footer></body></html>"""
    return url, html


def page_messages(n: int, start: int = 0) -> list[tuple[bytes, bytes]]:
    out = []
    for i in range(start, start + n):
        url, html = news_page(i)
        out.append((url.encode(), encode_page(url, html, crawler="test")))
    return out


def poison_messages() -> list[tuple[bytes | None, bytes]]:
    """Inputs that must never stop the stream: each must end as a dead letter."""
    nested = "<div>" * 20000 + "deep" + "</div>" * 20000
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{k} "' + f"&lol{k - 1};" * 10 + '">'
                        for k in range(1, 10)).replace("&lol0;", "&lol;")
              + ']><html><body><p>&lol9;</p></body></html>')
    big = "<html><body>" + "<p>" + ("x" * 1000 + " ") * 50_000 + "</p></body></html>"  # ~50 MB
    return [
        (b"garbage", b"this is not json at all"),
        (b"binary", bytes(range(256)) * 4),
        (b"nested", encode_page("https://poison.example/nested", nested)),
        (b"laughs", encode_page("https://poison.example/laughs", laughs)),
        (b"big", encode_page("https://poison.example/big", big, gzip=True)),
        (b"empty", b""),
        (b"nohtml", b'{"url": "https://poison.example/x"}'),
    ]


def gz(path: pathlib.Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8")


def accounted_offsets(out_dir: pathlib.Path) -> tuple[dict, dict]:
    """(offset -> article_ids, offset -> dead letters) read back from a files sink."""
    from connectors.files import read_jsonl_dir

    articles: dict[tuple, list] = {}
    for a in read_jsonl_dir(out_dir, "article"):
        articles.setdefault((a.get("topic"), a.get("partition"), a.get("offset")), []).append(a)
    dead: dict[tuple, list] = {}
    for d in read_jsonl_dir(out_dir, "dead_letter"):
        dead.setdefault((d["topic"], d["partition"], d["offset"]), []).append(d)
    return articles, dead


def stop_job(proc: subprocess.Popen, timeout: float = 120) -> str:
    """SIGTERM a running `newsbeam run` (stop reading, flush, commit) and return its output."""
    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=timeout)
    return output


def run_job_to_kafka(listener_args: list[str], bootstrap: str, kafka_topic, group: str,
                     tmp_path: pathlib.Path, n: int = 5):
    """Run `newsbeam run --bounded` over n pages, reading and writing Kafka through the
    listener `listener_args` names (SASL, TLS) and files under tmp_path/out. Returns the
    finished process and (pages topic, articles topic, files dir)."""
    from tests.fixtures.kafka import produce

    pages = kafka_topic()
    articles, events, dead = kafka_topic(), kafka_topic(), kafka_topic()
    produce(bootstrap, pages, page_messages(n))
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--progress-interval=0",
         "--runner=DirectRunner", *listener_args, f"--kafka_pages_topic={pages}",
         f"--kafka_group_id={group}", "--kafka_start=earliest", "--bounded",
         "--sink=kafka", f"--sink=files:{out}", f"--articles_topic={articles}",
         f"--events_topic={events}", f"--deadletter_topic={dead}", "--metrics_port=0"],
        capture_output=True, text=True, timeout=600, env=os.environ.copy())
    return result, (pages, articles, out)


def assert_job_wrote_and_committed(bootstrap: str, group: str, topics, n: int = 5) -> None:
    """n articles in the files sink and on the articles topic, n offsets committed."""
    from kafka import KafkaConsumer, TopicPartition

    from connectors.files import read_jsonl_dir
    from tests.fixtures.kafka import committed_offsets

    pages, articles, out = topics
    assert len(read_jsonl_dir(out, "article")) == n
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:  # the Kafka sink wrote through the secured listener too
        tp = TopicPartition(articles, 0)
        assert consumer.end_offsets([tp])[tp] >= n
    finally:
        consumer.close()
    assert committed_offsets(bootstrap, group, pages, 1) == [n]
