"""The newsbeam job: Kafka pages -> decode -> clean -> events -> fan-out sinks.

On the local runner everything is one fused stage (measured: nothing behind a
GroupByKey/Reshuffle/window fires downstream of an unbounded SDF there), so the graph
has no shuffles: every sink flushes and confirms in finish_bundle, and the Kafka source
commits the bundle's offsets in its bundle finalizer, which runs only after that.
Delivery is at-least-once; sinks are idempotent by key.
"""

from __future__ import annotations

import functools
import logging
import os
import time
import uuid
from dataclasses import dataclass

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions

from connectors.deadletter import DEAD_LETTER_TAG, make_dead_letter
from connectors.sinks.base import ARTICLE, DEAD_LETTER, EVENT

log = logging.getLogger(__name__)

DEFAULT_OUTPUT_DIR = "var/out"


class JobOptions(PipelineOptions):
    """Options of the job itself (`newsbeam run`): sinks, bounded mode, metrics, workers."""

    @classmethod
    def _add_argparse_args(cls, parser) -> None:
        parser.add_argument(
            "--sink", dest="sinks", action="append", default=None,
            help="repeatable: files[:DIR] | postgres[:DSN] | kafka (default files:var/out)")
        parser.add_argument("--bounded", action="store_true", default=False,
                            help="stop at the end offsets captured at start (backfills, tests)")
        parser.add_argument("--metrics_address", default="127.0.0.1",
                            help="Prometheus exporter address (loopback by default)")
        parser.add_argument("--metrics_port", type=int, default=9464,
                            help="Prometheus exporter port (0 disables); worker i uses port+i")
        parser.add_argument("--worker_metrics_port", type=int, default=0,
                            help="portable runners (Flink): each SDK worker process exports "
                                 "its metrics on this port, at --metrics_address (0: off)")
        parser.add_argument("--articles_topic", default="news.articles")
        parser.add_argument("--events_topic", default="news.events")
        parser.add_argument("--deadletter_topic", default="news.deadletter")
        parser.add_argument("--max_page_bytes", type=int, default=20 * 1024 * 1024,
                            help="larger page messages are dead-lettered as too_large")
        parser.add_argument("--workers", type=int, default=1,
                            help="job processes over disjoint partitions (uses several cores)")
        parser.add_argument("--worker_index", type=int, default=None,
                            help="internal: this process's index among --workers")
        parser.add_argument("--summary_file", default=None,
                            help="write a JSON summary (counts, latency quantiles) at exit")


@dataclass(frozen=True)
class SinkChoice:
    kind: str        # "files" | "postgres" | "kafka"
    target: str | None


def parse_sink(value: str) -> SinkChoice:
    """`files:DIR`, `postgres:DSN`, `kafka` -> SinkChoice; raise ValueError on nonsense."""
    kind, _, target = value.partition(":")
    kind = kind.strip().lower()
    if kind not in ("files", "postgres", "kafka"):
        raise ValueError(f"unknown sink {value!r}: use files[:DIR], postgres[:DSN] or kafka")
    return SinkChoice(kind, target or None)


def sink_specs(choices: list[SinkChoice], job: JobOptions, kafka_config) -> list:
    """Picklable sink specs (the sinks themselves are built in the workers)."""
    from connectors.sinks.dofn import SinkSpec, files_sink, postgres_sink

    specs = []
    for choice in choices:
        if choice.kind == "files":
            specs.append(files_sink(choice.target or DEFAULT_OUTPUT_DIR))
        elif choice.kind == "postgres":
            specs.append(postgres_sink(choice.target))
        elif choice.kind == "kafka":
            from connectors.kafka.sink import KafkaSink

            topics = {ARTICLE: job.articles_topic, EVENT: job.events_topic,
                      DEAD_LETTER: job.deadletter_topic}
            specs.append(SinkSpec(functools.partial(KafkaSink, kafka_config, topics=topics)))
    return specs


class _DecodePageFn(beam.DoFn):
    """KafkaRecord -> PageEnvelope, or a dead letter (stage "decode")."""

    def __init__(self, max_page_bytes: int):
        self._max_page_bytes = max_page_bytes

    def process(self, record):
        from connectors.pages import PageEnvelope, decode_page
        from pipeline import metrics

        if not metrics.FIRST_RECORD:
            metrics.FIRST_RECORD.append(time.time())
        try:
            result = decode_page(record, max_bytes=self._max_page_bytes)
        except Exception as exc:  # decode_page should never raise; never stop the stream
            result = make_dead_letter("decode", "decoder_error", repr(exc), record.value or b"",
                                      record)
        if isinstance(result, PageEnvelope):
            yield result
        else:
            metrics.DEAD_LETTERS.labels(result.stage, result.reason).inc()
            yield beam.pvalue.TaggedOutput(DEAD_LETTER_TAG, result)


def _article_row(article):
    return ARTICLE, article.article_id, article.to_dict()


def _event_row(event):
    return EVENT, event.event_id, event.to_dict()


def _dead_letter_row(dead_letter):
    return DEAD_LETTER, dead_letter.dead_letter_id, dead_letter.to_dict()


def build(p: beam.Pipeline, options: PipelineOptions, *, partitions: list[int] | None = None,
          sinks: list | None = None):
    """Add the job's steps to pipeline `p`; returns the row PCollections sent to sinks."""
    from connectors.kafka import ReadFromKafka
    from connectors.kafka.config import KafkaOptions, config_from_options
    from connectors.sinks.dofn import WriteToSinks
    from pipeline.clean.transform import clean_pages_from_options
    from pipeline.events import ExtractEvents

    job = options.view_as(JobOptions)
    kafka = options.view_as(KafkaOptions)
    kafka_config = config_from_options(kafka)
    if sinks is None:
        choices = [parse_sink(s) for s in (job.sinks or ["files"])]
        sinks = sink_specs(choices, job, kafka_config)

    records = p | "ReadPages" >> ReadFromKafka(
        kafka_config,
        topics=[kafka.kafka_pages_topic],
        group_id=kafka.kafka_group_id,
        start=kafka.kafka_start,
        start_fallback=kafka.kafka_start_fallback,
        start_timestamp_ms=kafka.kafka_start_timestamp_ms,
        stop_timestamp_ms=kafka.kafka_stop_timestamp_ms,
        bounded=job.bounded,
        partitions=partitions,
        # --workers N: worker i reads the partitions p with p % N == i (found by the
        # source's own discovery, no extra client at start)
        partition_share=((job.worker_index, job.workers)
                         if job.worker_index is not None and job.workers > 1 else None),
        max_records_per_bundle=kafka.kafka_max_records_per_bundle,
        max_bundle_seconds=kafka.kafka_max_bundle_seconds,
    )
    decoded = records | "DecodePages" >> beam.ParDo(
        _DecodePageFn(job.max_page_bytes)).with_outputs(DEAD_LETTER_TAG, main="pages")
    worker_exporter = ((job.metrics_address, job.worker_metrics_port)
                       if job.worker_metrics_port else None)
    cleaned = decoded.pages | "Clean" >> clean_pages_from_options(
        options, worker_exporter=worker_exporter)
    events = cleaned.articles | "ExtractEvents" >> ExtractEvents()

    # No Flatten: on the local runner a Flatten is not fused, so its consumer would only
    # run when the unbounded read ends while offsets are already committed. Each branch
    # gets its own WriteToSinks; they share the sinks of this process (shared_key).
    key = f"job-{uuid.uuid4().hex}"
    branches = {
        "Articles": cleaned.articles | "ArticleRows" >> beam.Map(_article_row),
        "Events": events.events | "EventRows" >> beam.Map(_event_row),
        "DecodeDeadLetters": decoded[DEAD_LETTER_TAG] | "DecodeDLRows" >> beam.Map(_dead_letter_row),
        "CleanDeadLetters": cleaned[DEAD_LETTER_TAG] | "CleanDLRows" >> beam.Map(_dead_letter_row),
        "EventDeadLetters": events[DEAD_LETTER_TAG] | "EventDLRows" >> beam.Map(_dead_letter_row),
    }
    for name, rows in branches.items():
        rows | f"Write{name}" >> WriteToSinks(sinks, shared_key=key)
    return branches


def run(argv: list[str] | None = None, *, partitions: list[int] | None = None) -> None:
    """Build and run the job in this process until it ends (bounded) or is stopped."""
    from pipeline import metrics

    options = PipelineOptions(argv)
    job = options.view_as(JobOptions)
    port = job.metrics_port + (job.worker_index or 0) if job.metrics_port else 0
    metrics.start_exporter(job.metrics_address, port)
    if _runs_here(options):  # a TLS listener whose certificate fails: say so now, not in 30 s
        from connectors.kafka.clients import check_tls
        from connectors.kafka.config import KafkaOptions, config_from_options

        check_tls(config_from_options(options.view_as(KafkaOptions)))
    started = time.time()
    try:
        with _pipeline(options) as p:
            build(p, options, partitions=partitions)
    finally:
        if job.summary_file:
            suffix = f".{job.worker_index}" if job.worker_index is not None else ""
            write_summary(job.summary_file + suffix, time.time() - started)
    log.info("job finished after %.1fs (pid %d)", time.time() - started, os.getpid())


def _runs_here(options: PipelineOptions) -> bool:
    """True on the local runner (this process reads Kafka itself)."""
    from apache_beam.options.pipeline_options import StandardOptions

    return options.view_as(StandardOptions).runner in (None, "DirectRunner", "direct")


def _pipeline(options: PipelineOptions) -> beam.Pipeline:
    """The pipeline on the requested runner; DirectRunner means Beam's FnApiRunner.

    Beam 2.77's DirectRunner first tries Prism, downloading it from GitHub (unreachable
    on our machines: ~1 s lost per start) and caching a process-wide Prism job server
    that later pipelines in the process reuse; it then falls back to the FnApiRunner.
    The job goes to the FnApiRunner directly, so its semantics never depend on whether
    a Prism binary happens to be cached. Use --runner=PrismRunner to run on Prism.
    """
    if _runs_here(options):
        from apache_beam.runners.portability.fn_api_runner import FnApiRunner

        _shorten_state_sampling()

        return beam.Pipeline(runner=FnApiRunner(), options=options)
    return beam.Pipeline(options=options)


_STATE_SAMPLING_MS = 10


def _shorten_state_sampling() -> None:
    """Every bundle of the in-process runner ends by joining Beam's state-sampler thread,
    which sleeps up to its sampling period (200 ms) between wake-ups: with our ~1 s
    bundles that left a core idle ~4 % of the time (measured with py-spy --idle:
    `StateSampler.stop_if_still_running`). A 10 ms period bounds that wait; the sampler
    is C code without the GIL, so waking more often costs no measurable CPU. Beam has
    no option for it, so the default argument is changed (a no-op if Beam renames it)."""
    from apache_beam.runners.worker import statesampler

    init = getattr(statesampler.StateSampler, "__init__", None)
    defaults = getattr(init, "__defaults__", None)
    if defaults == (statesampler.DEFAULT_SAMPLING_PERIOD_MS,):
        init.__defaults__ = (_STATE_SAMPLING_MS,)


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM belongs to the address space,
    so it starts afresh at exec; getrusage's ru_maxrss does not: a job started from a
    big process (a benchmark holding its pages) would report that parent's size."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_summary(path: str, elapsed_s: float) -> None:
    """Counts and end-to-end latency quantiles of this process (benchmarks, drills)."""
    import orjson

    from pipeline import metrics, progress

    summary = dict(progress.snapshot())
    summary["elapsed_s"] = elapsed_s
    summary["latency_p50_s"] = metrics.histogram_quantile(metrics.END_TO_END_LATENCY, 0.5)
    summary["latency_p99_s"] = metrics.histogram_quantile(metrics.END_TO_END_LATENCY, 0.99)
    summary["peak_rss_mb"] = peak_rss_mb()
    summary["pid"] = os.getpid()
    if metrics.PROGRESS_SPAN:
        summary["first_progress_ts"], summary["last_progress_ts"] = metrics.PROGRESS_SPAN
    if metrics.FIRST_RECORD:
        summary["first_record_ts"] = metrics.FIRST_RECORD[0]
    with open(path, "wb") as f:
        f.write(orjson.dumps(summary))
