"""Job benchmark: the whole pipeline against the trafilatura-only ceiling, same cores, same run.

    newsbeam bench job [--messages 2000] [--workers 2] [--sinks files,postgres,kafka]

1. Preload a fresh topic with the Zyte pages (../shared/eval/cleaning/zyte), repeated
   under distinct URLs to >= --messages records.
2. Ceiling: bare `trafilatura.extract(html)` over the same pages with --workers processes.
3. The job, bounded, with every sink, as --workers processes over disjoint partitions:
   pages/s, events/s, p50/p99 end-to-end latency (Kafka timestamp -> sink confirm), peak
   memory, and the ratio to the ceiling (target >= 0.8).
4. Latency at half the measured maximum rate with the unbounded job (--half-rate-seconds).
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time
import uuid

REPO = pathlib.Path(__file__).resolve().parents[1]
ZYTE = REPO.parent / "shared" / "eval" / "cleaning" / "zyte"
BOOTSTRAP = "127.0.0.1:9092"


def _extract(html: str) -> int:
    import trafilatura

    from pipeline.clean import lean

    with lean.shipped():  # the reference is trafilatura as shipped, whatever was imported
        text = trafilatura.extract(html, include_comments=False)
    return len(text or "")


def load_pages(limit: int | None = None) -> list[tuple[str, str]]:
    truth = json.loads((ZYTE / "ground-truth.json").read_text())
    pages = []
    for path in sorted((ZYTE / "html").glob("*.html.gz")):
        url = truth.get(path.name.split(".")[0], {}).get("url") or f"https://zyte.example/{path.stem}"
        pages.append((url, gzip.decompress(path.read_bytes()).decode("utf-8", "replace")))
    return pages[:limit] if limit else pages


def preload(topic: str, pages, messages: int, partitions: int) -> int:
    from kafka import KafkaAdminClient, KafkaProducer
    from kafka.admin import NewTopic

    from connectors.pages import encode_page

    admin = KafkaAdminClient(bootstrap_servers=BOOTSTRAP)
    admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
    admin.close()
    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, compression_type="gzip",
                             linger_ms=20, max_request_size=25 * 1024 * 1024)
    n = 0
    while n < messages:
        for url, html in pages:
            sep = "&" if "?" in url else "?"
            copy_url = f"{url}{sep}nbcopy={n}"
            producer.send(topic, key=copy_url.encode(), value=encode_page(copy_url, html))
            n += 1
            if n >= messages:
                break
    producer.flush()
    producer.close()
    return n


def ceiling(pages, messages: int, workers: int) -> float:
    htmls = [html for _, html in pages]
    work = (htmls * (messages // len(htmls) + 1))[:messages]
    t0 = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for _ in pool.imap_unordered(_extract, work, chunksize=8):
            pass
    return messages / (time.perf_counter() - t0)


def _job_cmd(topic: str, group: str, out: pathlib.Path, sinks: list[str], workers: int,
             summary: pathlib.Path, bounded: bool) -> list[str]:
    cmd = [sys.executable, "-m", "pipeline", "run", "--progress-interval=0",
           "--runner=DirectRunner", f"--kafka_bootstrap_servers={BOOTSTRAP}",
           f"--kafka_pages_topic={topic}", f"--kafka_group_id={group}",
           "--kafka_start=earliest", f"--workers={workers}", "--metrics_port=0",
           f"--summary_file={summary}"]
    if bounded:
        cmd.append("--bounded")
    for s in sinks:
        cmd.append(f"--sink=files:{out}" if s == "files" else f"--sink={s}")
    return cmd


def _summaries(base: pathlib.Path, workers: int) -> list[dict]:
    out = []
    for path in [base] + [base.with_name(f"{base.name}.{i}") for i in range(workers)]:
        if path.exists():
            out.append(json.loads(path.read_text()))
    return out


def _combine(summaries: list[dict]) -> dict:
    if not summaries:
        return {}
    keys = ("pages", "articles", "events", "dead_letters", "duplicates", "sink_writes")
    total = {k: sum(s.get(k, 0) for s in summaries) for k in keys}
    for q in ("latency_p50_s", "latency_p99_s"):
        vals = [s[q] for s in summaries if s.get(q) is not None]
        total[q] = max(vals) if vals else None
    total["peak_rss_mb"] = max(s.get("peak_rss_mb", 0) for s in summaries)
    firsts = [s["first_record_ts"] for s in summaries if s.get("first_record_ts")]
    lasts = [s["last_progress_ts"] for s in summaries if s.get("last_progress_ts")]
    if firsts and lasts:
        total["processing_s"] = max(lasts) - min(firsts)
    return total


def run_bounded(topic, sinks, workers, tmp: pathlib.Path) -> dict:
    group = f"bench-{uuid.uuid4().hex[:8]}"
    summary = tmp / f"summary-{group}.json"
    out = tmp / f"out-{group}"
    t0 = time.perf_counter()
    proc = subprocess.run(_job_cmd(topic, group, out, sinks, workers, summary, True),
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"job failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    result = _combine(_summaries(summary, workers))
    result["wall_s"] = wall
    return result


def run_half_rate(rate: float, seconds: float, sinks, workers, pages, tmp) -> dict:
    """Unbounded job; produce at `rate` pages/s for `seconds`; SIGTERM; latency."""
    from kafka import KafkaAdminClient, KafkaProducer
    from kafka.admin import NewTopic

    from connectors.pages import encode_page

    topic = f"bench-live-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=BOOTSTRAP)
    admin.create_topics([NewTopic(topic, num_partitions=4, replication_factor=1)])
    admin.close()
    group = f"bench-{uuid.uuid4().hex[:8]}"
    summary = tmp / f"summary-{group}.json"
    proc = subprocess.Popen(_job_cmd(topic, group, tmp / f"out-{group}", sinks, workers,
                                     summary, False), stderr=subprocess.PIPE, text=True)
    time.sleep(8)  # let the workers start and assign their partitions
    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, compression_type="gzip",
                             max_request_size=25 * 1024 * 1024)
    sent, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        url, html = pages[sent % len(pages)]
        copy_url = f"{url}{'&' if '?' in url else '?'}nblive={sent}"
        producer.send(topic, key=copy_url.encode(), value=encode_page(copy_url, html))
        sent += 1
        time.sleep(max(0.0, t0 + sent / rate - time.perf_counter()))
    producer.flush()
    producer.close()
    time.sleep(10)  # drain
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
    result = _combine(_summaries(summary, workers))
    result["sent"] = sent
    result["rate"] = rate
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--sinks", default="files,postgres,kafka")
    ap.add_argument("--half-rate-seconds", type=float, default=40.0, help="0 skips it")
    ap.add_argument("--json", help="write results here")
    args = ap.parse_args(argv)
    if not ZYTE.is_dir():
        print(f"bench job: {ZYTE} not found (../shared beside the checkout)", file=sys.stderr)
        return 2
    sinks = [s for s in args.sinks.split(",") if s]
    subprocess.run(["bash", str(REPO / "deploy/kafka-local/kafka.sh"), "start"], check=True)
    if "postgres" in sinks:
        subprocess.run(["bash", str(REPO / "deploy/postgres-local/postgres.sh"), "start"],
                       check=True)
        dsn = subprocess.run(["bash", str(REPO / "deploy/postgres-local/postgres.sh"), "dsn"],
                             capture_output=True, text=True, check=True).stdout.strip()
        os.environ.setdefault("NEWSBEAM_PG_DSN", dsn)
    pages = load_pages()
    topic = f"bench-pages-{uuid.uuid4().hex[:8]}"
    n = preload(topic, pages, args.messages, args.partitions)
    print(f"preloaded {n} messages into {topic}", file=sys.stderr)
    results: dict = {"messages": n, "workers": args.workers, "sinks": sinks}
    results["ceiling_pages_s"] = ceiling(pages, n, args.workers)
    print(f"ceiling (bare trafilatura.extract, {args.workers} procs): "
          f"{results['ceiling_pages_s']:.1f} pages/s", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="newsbeam-bench-") as tmp:
        tmp = pathlib.Path(tmp)
        job = run_bounded(topic, sinks, args.workers, tmp)
        job["pages_s"] = n / job["wall_s"]
        job["events_s"] = job.get("events", 0) / job["wall_s"]
        # Steady state: from the first to the last confirmed bundle (a long-running job
        # pays its start-up once; the wall-clock rate above includes it).
        if job.get("processing_s"):
            job["steady_pages_s"] = n / job["processing_s"]
        results["bounded"] = job
        results["ratio_to_ceiling"] = job["pages_s"] / results["ceiling_pages_s"]
        if job.get("steady_pages_s"):
            results["steady_ratio_to_ceiling"] = job["steady_pages_s"] / results["ceiling_pages_s"]
        if args.workers > 1:
            one = run_bounded(topic, sinks, 1, tmp)
            one["pages_s"] = n / one["wall_s"]
            if one.get("processing_s"):
                one["steady_pages_s"] = n / one["processing_s"]
            results["one_worker"] = one
            results["speedup_workers"] = job["pages_s"] / one["pages_s"]
        if args.half_rate_seconds > 0:
            results["half_rate"] = run_half_rate(job["pages_s"] / 2, args.half_rate_seconds,
                                                 sinks, args.workers, pages, tmp)
    print(json.dumps(results, indent=2))
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
