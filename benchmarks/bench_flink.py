"""Flink benchmark: the same bounded job on the local runner and on Beam's portable FlinkRunner.

    newsbeam bench flink [--messages 600] [--parallelism default,1,2] [--json out.json]

1. Preload a fresh topic (4 partitions) with the Zyte pages (../shared/eval/cleaning/zyte)
   under distinct URLs (helpers from bench_job).
2. Run `newsbeam run --bounded` with the files sink only, each run with its own consumer
   group from the earliest offset: (a) the local runner, one process; (b) FlinkRunner
   ([local] embedded Flink, LOOPBACK SDK workers) for each --parallelism value
   ("default": not set, so runner_args/embedded Flink pick it).
3. Wall time and pages/s including start-up (process launch to exit); start-up, and
   pages/s excluding it, from the job's --summary_file (first record decoded .. last
   confirmed bundle). With LOOPBACK the SDK workers run inside the launching process, so
   its summary has them on local Flink too; without them (EXTERNAL workers) the sink
   directory, watched while the job runs, gives first .. last output instead. Articles
   and events are counted from the sink output (`read_jsonl_dir`).
4. Every run must produce the same sets of article_ids and event_ids as the local run
   (exit status 1 otherwise). Which copy counts as a near-duplicate depends on the
   order pages from 4 partitions arrive in, so `duplicates` may differ between runs.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import threading
import time
import uuid

if __name__ == "__main__":  # runnable as a script too
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from benchmarks.bench_job import BOOTSTRAP, REPO, ZYTE, load_pages, preload

KINDS = ("articles", "events", "dead_letters")
POLL_S = 0.2
JOB_TIMEOUT_S = 900


class _SinkWatcher:
    """Polls a files-sink directory: when output first appears and when it last changed."""

    def __init__(self, out: pathlib.Path) -> None:
        self.out = out
        self.first_output: float | None = None
        self.last_change: float | None = None
        self._seen: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _scan(self) -> None:
        now = time.perf_counter()
        for kind in KINDS:
            d = self.out / kind
            if not d.is_dir():
                continue
            for path in d.glob("*.jsonl"):
                try:
                    mtime = path.stat().st_mtime
                except FileNotFoundError:  # rotated away meanwhile
                    continue
                if self._seen.get(path.name) != mtime:
                    self._seen[path.name] = mtime
                    if self.first_output is None:
                        self.first_output = now
                    self.last_change = now

    def _run(self) -> None:
        while not self._stop.is_set():
            self._scan()
            self._stop.wait(POLL_S)

    def __enter__(self) -> _SinkWatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _job_cmd(runner: str | None, topic: str, group: str, out: pathlib.Path,
             summary: pathlib.Path, parallelism: str | None) -> list[str]:
    cmd = [sys.executable, "-m", "pipeline", "run", "--progress-interval=0"]
    if runner:
        cmd += ["--runner", runner]
    cmd += ["--bounded", f"--kafka_bootstrap_servers={BOOTSTRAP}",
            f"--kafka_pages_topic={topic}", f"--kafka_group_id={group}",
            "--kafka_start=earliest", "--metrics_port=0", f"--summary_file={summary}",
            f"--sink=files:{out}"]
    if parallelism and parallelism != "default":
        cmd.append(f"--parallelism={parallelism}")
    return cmd


def run_job(runner: str | None, topic: str, n: int, tmp: pathlib.Path,
            parallelism: str | None = None) -> dict:
    """One bounded run; wall time, start-up and steady rate from the sink directory."""
    from connectors.files import read_jsonl_dir

    group = f"bench-flink-{uuid.uuid4().hex[:8]}"
    out = tmp / f"out-{group}"
    summary = tmp / f"summary-{group}.json"
    cmd = _job_cmd(runner, topic, group, out, summary, parallelism)
    t0, t0_epoch = time.perf_counter(), time.time()
    with _SinkWatcher(out) as watch:
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO,
                              timeout=JOB_TIMEOUT_S, check=False)
        wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{runner or 'local'} job failed ({proc.returncode}):\n"
                         f"{proc.stderr[-3000:]}")
    articles = read_jsonl_dir(out, "article")
    events = read_jsonl_dir(out, "event")
    result: dict = {
        "runner": runner or "DirectRunner (FnApiRunner), 1 process",
        "parallelism": parallelism or ("default" if runner else 1),
        "wall_s": wall,
        "pages_s": n / wall,
        "articles": len(articles),
        "duplicates": sum(1 for a in articles if a.get("duplicate_of")),
        "dead_letters": len(read_jsonl_dir(out, "dead_letter")),
        "article_ids": sorted(str(a["article_id"]) for a in articles),
        "events": len(events),
        "event_ids": sorted(str(e["event_id"]) for e in events),
    }
    # Start-up and steady rate. Preferred: the job's own summary (unix times of the first
    # record decoded and the last confirmed bundle); with LOOPBACK SDK workers (local
    # Flink) those run in the launching process, so the summary has them on Flink too.
    # Fallback (e.g. EXTERNAL workers on a cluster): the sink directory as watched.
    if watch.first_output is not None and watch.last_change is not None:
        result["sink_first_output_s"] = watch.first_output - t0
        result["sink_last_output_s"] = watch.last_change - t0
        if watch.last_change > watch.first_output:
            result["sink_span_pages_s"] = n / (watch.last_change - watch.first_output)
    summary_data = json.loads(summary.read_text()) if summary.exists() else {}
    first, last = summary_data.get("first_record_ts"), summary_data.get("last_progress_ts")
    result["summary_pages"] = summary_data.get("pages")
    if first and last and last > first:
        result["timing_source"] = "summary (first record decoded .. last confirmed bundle)"
        result["startup_s"] = first - t0_epoch
        result["processing_s"] = last - first
        result["shutdown_s"] = wall - (last - t0_epoch)
    elif "sink_span_pages_s" in result:
        result["timing_source"] = "sink directory (first output file .. last change)"
        result["startup_s"] = result["sink_first_output_s"]
        result["processing_s"] = result["sink_last_output_s"] - result["sink_first_output_s"]
        result["shutdown_s"] = wall - result["sink_last_output_s"]
    if result.get("processing_s"):
        result["steady_pages_s"] = n / result["processing_s"]
    return result


def _fmt(v: object, spec: str = ".1f") -> str:
    return format(v, spec) if isinstance(v, (int, float)) else "-"


def print_table(runs: list[dict], n: int) -> None:
    head = (f"{'run':<34} {'wall s':>7} {'pages/s':>8} {'start-up s':>10} {'proc s':>7} "
            f"{'steady p/s':>10} {'articles':>8} {'events':>6} {'same ids':>8}")
    print(f"\n{n} pages, files sink, bounded; start-up = launch .. first record decoded, "
          f"proc = first record .. last confirmed bundle, steady = pages / proc; "
          f"same ids = article_ids and event_ids equal to the local run's"
          f"\n{head}\n{'-' * len(head)}")
    for r in runs:
        name = "local (1 process)" if r["runner"].startswith("DirectRunner") \
            else f"flink [local] p={r['parallelism']}"
        same = "-" if "same_article_ids" not in r else \
            str(r["same_article_ids"] and r["same_event_ids"])
        print(f"{name:<34} {_fmt(r['wall_s']):>7} {_fmt(r['pages_s']):>8} "
              f"{_fmt(r.get('startup_s')):>10} {_fmt(r.get('processing_s')):>7} "
              f"{_fmt(r.get('steady_pages_s')):>10} {r['articles']:>8} {r['events']:>6} "
              f"{same:>8}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--messages", type=int, default=600)
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--parallelism", default="default,1,2",
                    help="comma-separated Flink parallelism values ('default': not set)")
    ap.add_argument("--skip-local", action="store_true", help="Flink runs only (no id check)")
    ap.add_argument("--json", help="write results here")
    args = ap.parse_args(argv)
    if not ZYTE.is_dir():
        print(f"bench flink: {ZYTE} not found (../shared beside the checkout)", file=sys.stderr)
        return 2
    from pipeline.runners import FLINK_RUNNER, RunnerArtifactMissing, runner_args

    try:
        runner_args(FLINK_RUNNER, streaming=False)  # fetches/assembles the job server jar
    except RunnerArtifactMissing as err:
        print(f"bench flink: {err}", file=sys.stderr)
        return 2
    subprocess.run(["bash", str(REPO / "deploy/kafka-local/kafka.sh"), "start"], check=True)
    topic = f"bench-flink-{uuid.uuid4().hex[:8]}"
    n = preload(topic, load_pages(), args.messages, args.partitions)
    print(f"preloaded {n} messages into {topic} ({args.partitions} partitions)", file=sys.stderr)
    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="newsbeam-bench-flink-") as tmp:
        tmp_dir = pathlib.Path(tmp)
        if not args.skip_local:
            runs.append(run_job(None, topic, n, tmp_dir))
            print(f"local: {runs[-1]['wall_s']:.1f}s", file=sys.stderr)
        for par in [p.strip() for p in args.parallelism.split(",") if p.strip()]:
            runs.append(run_job(FLINK_RUNNER, topic, n, tmp_dir, par))
            print(f"flink p={par}: {runs[-1]['wall_s']:.1f}s", file=sys.stderr)
    if not args.skip_local:
        for r in runs:
            for field in ("article_ids", "event_ids"):
                ref, ids = set(runs[0][field]), set(r[field])
                r[f"same_{field}"] = ids == ref
                if ids != ref:
                    r[f"{field}_missing_vs_local"] = len(ref - ids)
                    r[f"{field}_extra_vs_local"] = len(ids - ref)
    print_table(runs, n)
    results = {"messages": n, "partitions": args.partitions, "topic": topic,
               "runs": [{k: v for k, v in r.items() if k not in ("article_ids", "event_ids")}
                        for r in runs]}
    print(json.dumps(results, indent=2))
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=2))
    same = all(r.get("same_article_ids", True) and r.get("same_event_ids", True) for r in runs)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
