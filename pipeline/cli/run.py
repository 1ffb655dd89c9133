"""`newsbeam run`: the long-running job.

With no arguments it runs the embedded default: starts the local broker, loads the
project's sample pages into the `pages` topic (once), and runs the job with file sinks
under ./var/out, printing progress until Ctrl-C. Any other Beam/job option is passed
through (`newsbeam run --bounded --sink postgres --kafka_bootstrap_servers=…`).
"""

from __future__ import annotations

import argparse
import logging
import os
import pathlib
import signal
import subprocess
import sys
import threading

log = logging.getLogger(__name__)

REPO = pathlib.Path(__file__).resolve().parents[2]


class Command:
    name = "run"
    help = "run the streaming job (no arguments: embedded default on sample pages)"
    accepts_extra_args = True  # Beam / job pipeline options pass through

    def configure_parser(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--runner", default=None,
                            help="DirectRunner (default), FlinkRunner or PrismRunner")
        parser.add_argument("--progress-interval", type=float, default=5.0,
                            help="seconds between progress lines (0: none)")
        parser.add_argument("--no-samples", action="store_true",
                            help="embedded default: do not load the sample pages")
        parser.add_argument("--exit-when-done", action="store_true", help=argparse.SUPPRESS)

    def execute(self, args: argparse.Namespace) -> int:
        argv = list(args.extra_args)
        embedded = not argv and args.runner is None
        if embedded:
            argv = embedded_default_argv(load_samples=not args.no_samples)
        if args.runner:
            from pipeline.runners import runner_args

            argv = runner_args(args.runner, streaming=not _has_flag(argv, "--bounded")) + argv
        else:
            argv = ["--runner=DirectRunner"] + argv
        workers = _flag_value(argv, "--workers")
        if workers and int(workers) > 1 and _flag_value(argv, "--worker_index") is None:
            return run_workers(argv, int(workers), args.progress_interval)
        code = run_in_process(argv, args.progress_interval, embedded=embedded)
        if args.exit_when_done:
            exit_now(code)
        return code


def exit_now(code: int) -> None:
    """End a worker process without interpreter finalization (0.2-0.4 s of tearing down a
    300 MB heap and Beam's modules, paid at the end of every bounded run). Safe once the
    pipeline has returned: sinks flushed and offsets committed bundle by bundle (the job
    survives kill -9 anyway), the summary file is written; only stdio and logs remain."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _has_flag(argv: list[str], flag: str) -> bool:
    return any(a == flag or a.startswith(flag + "=") for a in argv)


def _flag_value(argv: list[str], flag: str) -> str | None:
    for i, a in enumerate(argv):
        if a.startswith(flag + "="):
            return a.split("=", 1)[1]
        if a == flag and i + 1 < len(argv):
            return argv[i + 1]
    return None


def embedded_default_argv(*, load_samples: bool = True, topic: str = "pages",
                          output_dir: str = "var/out") -> list[str]:
    """Start the local broker, load the sample pages once, return the job's arguments."""
    from connectors.kafka.config import DEFAULT_BOOTSTRAP

    script = REPO / "deploy" / "kafka-local" / "kafka.sh"
    print(f"newsbeam: starting the local Kafka broker ({script.relative_to(REPO)} start)",
          file=sys.stderr)
    subprocess.run(["bash", str(script), "start"], check=True)
    if load_samples:
        _load_samples_once(DEFAULT_BOOTSTRAP, topic)
    out = (REPO / output_dir).resolve()
    print(f"newsbeam: output goes to {out}/ (articles/, events/, dead_letters/); "
          f"metrics at http://127.0.0.1:9464/metrics; Ctrl-C stops", file=sys.stderr)
    return [f"--kafka_bootstrap_servers={DEFAULT_BOOTSTRAP}", f"--kafka_pages_topic={topic}",
            f"--sink=files:{out}"]


def _load_samples_once(bootstrap: str, topic: str) -> None:
    """Produce the sample pages unless the topic already holds records."""
    from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.admin import NewTopic
    from kafka.errors import TopicAlreadyExistsError

    from connectors.pages import encode_page
    from pipeline.samples import iter_sample_pages

    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])
    except TopicAlreadyExistsError:
        pass
    finally:
        admin.close()
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        ends = consumer.end_offsets(parts) if parts else {}
    finally:
        consumer.close()
    if any(ends.values()):
        print(f"newsbeam: topic {topic!r} already holds {sum(ends.values())} records; "
              "not loading the samples again", file=sys.stderr)
        return
    producer = KafkaProducer(bootstrap_servers=bootstrap, compression_type="gzip",
                             max_request_size=32 * 1024 * 1024)
    n = 0
    for url, html in iter_sample_pages():
        producer.send(topic, key=url.encode(), value=encode_page(url, html, crawler="samples"))
        n += 1
    producer.flush()
    producer.close()
    print(f"newsbeam: loaded {n} sample pages into {topic!r}", file=sys.stderr)


def run_in_process(argv: list[str], progress_interval: float, *, embedded: bool = False) -> int:
    """Run the job here; SIGINT/SIGTERM stop reading, flush, commit, exit 0."""
    from connectors.kafka import request_stop
    from pipeline import job, progress

    stopping = threading.Event()

    def _stop(signum, _frame):
        if stopping.is_set():  # second signal: give up on a clean stop
            raise KeyboardInterrupt
        stopping.set()
        print(f"\nnewsbeam: {signal.Signals(signum).name} received: stop reading, flush, "
              "commit, exit", file=sys.stderr)
        request_stop()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    index = _flag_value(argv, "--worker_index")
    reporter = None
    if progress_interval > 0:
        prefix = f"[worker {index}] " if index is not None else ""
        reporter = progress.ProgressReporter(progress_interval, prefix=prefix)
        reporter.start()
    try:
        while True:
            watch = _partition_watch(argv)
            try:
                job.run(argv)
            finally:
                if watch is not None:
                    watch.stop()
            if watch is None or not watch.changed.is_set() or stopping.is_set():
                break
            print(f"newsbeam: {watch.topic!r} now has {watch.count} partitions: bundles "
                  "flushed and committed, restarting the pipeline to read them", file=sys.stderr)
            # resume where the committed offsets are, whatever --kafka_start said at launch
            argv = [*argv, "--kafka_start=committed"]
    finally:
        if reporter is not None:
            reporter.stop()
            s = progress.snapshot()
            print(reporter.line(s, 0.0).replace("    0.0 pages/s | ", "done | "),
                  file=sys.stderr)
    return 0


class PartitionWatch(threading.Thread):
    """Unbounded local runs read the partitions discovered at start. This thread checks the
    pages topic's partition count every `interval_s`; when it changes it asks the readers
    to stop (bundles flush, offsets commit) and sets `changed`, so the caller restarts the
    pipeline and discovery reads the new partitions (from the group's committed offsets,
    else --kafka_start_fallback). With --workers N each process restarts and takes its
    share p % N == i of the new set."""

    def __init__(self, config, topic: str, interval_s: float) -> None:
        super().__init__(daemon=True, name="newsbeam-partition-watch")
        self.config, self.topic, self.interval_s = config, topic, interval_s
        self.count: int | None = None
        self.changed = threading.Event()
        self._done = threading.Event()

    def _partition_count(self) -> int:
        from connectors.kafka.clients import make_consumer

        consumer = make_consumer(self.config, None)
        try:
            return len(consumer.partitions_for_topic(self.topic) or ())
        finally:
            consumer.close()

    def run(self) -> None:
        from connectors.kafka import request_stop

        wait = 0.0
        while not self._done.wait(wait):
            wait = self.interval_s
            try:
                count = self._partition_count()
            except Exception as exc:  # noqa: BLE001 - a failed check must not stop the job
                log.warning("partition check of %s failed: %s", self.topic, exc)
                continue
            if self.count is None or not count:
                self.count = count or self.count
                continue
            if count != self.count:
                log.warning("topic %s: %d -> %d partitions", self.topic, self.count, count)
                self.count = count
                self.changed.set()
                request_stop()
                return

    def stop(self) -> None:
        self._done.set()


def _partition_watch(argv: list[str]) -> PartitionWatch | None:
    """A started PartitionWatch for unbounded DirectRunner jobs (None otherwise)."""
    from apache_beam.options.pipeline_options import PipelineOptions

    from connectors.kafka.config import KafkaConfig
    from connectors.kafka.options import KafkaOptions

    if _has_flag(argv, "--bounded") or (_flag_value(argv, "--runner") or "DirectRunner") not in (
            "DirectRunner", "direct"):
        return None
    options = PipelineOptions(argv)
    interval = options.view_as(KafkaOptions).kafka_partition_check_s
    if not interval or interval <= 0:
        return None
    watch = PartitionWatch(KafkaConfig.from_options(options),
                           options.view_as(KafkaOptions).kafka_pages_topic, interval)
    watch.start()
    return watch


def run_workers(argv: list[str], workers: int, progress_interval: float) -> int:
    """Several job processes over disjoint partitions: both cores without SDF residual loss."""
    procs = []
    for i in range(workers):
        cmd = [sys.executable, "-m", "pipeline", "run", "--exit-when-done",
               f"--progress-interval={progress_interval}", *argv, f"--worker_index={i}"]
        procs.append(subprocess.Popen(cmd, env=os.environ.copy()))

    def _forward(signum, _frame):
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signum)

    signal.signal(signal.SIGINT, _forward)
    signal.signal(signal.SIGTERM, _forward)
    codes = [proc.wait() for proc in procs]
    return max(codes, key=abs) if any(codes) else 0
