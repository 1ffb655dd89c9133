"""ReadFromKafka: a splittable-DoFn Kafka source on kafka-python.

Shape (modelled on apache_beam/transforms/periodicsequence.py):

    Impulse -> _DiscoverPartitionsFn -> _ReadPartitionFn (splittable)

Discovery runs on a worker at start: it lists the partitions of each topic and resolves
where each one starts (committed group offset, earliest, latest or a timestamp) and, in
bounded mode, where it ends (the end offsets captured at that moment). Each partition is
one element whose restriction is an OffsetRange; the reader claims record offsets with
an OffsetRestrictionTracker and self-checkpoints (defer_remainder) after N records or T
seconds so bundles stay small.

At-least-once: offsets are committed to the consumer group only in a bundle-finalization
callback, i.e. after the runner has durably processed the bundle's outputs. A crash or a
failing downstream step re-reads from the last committed offset. A failed commit is
counted (OFFSET_COMMITS{result="error"}) and retried at the next finalization, never
raised (an exception there would fail the job).

Partitions added to a topic after the job started are not picked up (restart the job).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Sequence

import apache_beam as beam
from apache_beam.io.restriction_trackers import OffsetRange, OffsetRestrictionTracker
from apache_beam.io.watermark_estimators import ManualWatermarkEstimator
from apache_beam.transforms.core import RestrictionProvider
from apache_beam.transforms.window import TimestampedValue
from apache_beam.utils.timestamp import Duration, Timestamp

from connectors.kafka.clients import HIGHWATER as _HIGHWATER
from connectors.kafka.clients import UNBOUNDED_STOP, PartitionSlice, resolve_partitions
from connectors.kafka.clients import make_consumer as _consumer
from connectors.kafka.config import KafkaConfig, as_config
from connectors.kafka.records import KafkaRecord

log = logging.getLogger(__name__)

START_POSITIONS = ("committed", "earliest", "latest", "timestamp")
FALLBACKS = ("earliest", "latest")

# Per-process estimate of the mean record size, for restriction_size (no network calls).
_MEAN_RECORD_BYTES = [1024.0]
# Graceful stop (SIGTERM/SIGINT in `newsbeam run`): readers in this process stop claiming,
# finish their partitions, and the bundle's offsets are committed by finalization as usual.
_STOP = threading.Event()


def request_stop() -> None:
    """Ask every reader in this process to finish after its current batch (thread-safe).

    Records polled but not yet emitted are not claimed, so the next run re-reads them.
    Only affects readers running in this process (the local runner's in-process worker).
    """
    _STOP.set()


def stop_requested() -> bool:
    return _STOP.is_set()


def clear_stop() -> None:
    """Forget a previous stop request (a new pipeline in the same process)."""
    _STOP.clear()


class _DiscoverPartitionsFn(beam.DoFn):
    """Impulse -> one PartitionSlice per topic-partition to read."""

    def __init__(self, config: KafkaConfig, topics: tuple[str, ...], resolve_kwargs: dict):
        self._config = config
        self._topics = topics
        self._resolve_kwargs = resolve_kwargs

    def process(self, _impulse) -> Iterable[PartitionSlice]:
        slices = resolve_partitions(self._config, self._topics, **self._resolve_kwargs)
        if not slices:
            share = self._resolve_kwargs.get("partition_share")
            log.warning("kafka read: no partition of %s to read here%s", ",".join(self._topics),
                        f" (worker {share[0]} of {share[1]}: more workers than partitions)"
                        if share else "")
        for s in slices:
            log.info("kafka read %s/%d: offsets [%d, %s)", s.topic, s.partition, s.start,
                     "inf" if s.stop >= UNBOUNDED_STOP else s.stop)
            if s.start < s.stop:
                yield s


class _KafkaOffsetTracker(OffsetRestrictionTracker):
    """OffsetRestrictionTracker that only checkpoints (never halves) an unbounded range."""

    def try_split(self, fraction_of_remainder):
        if fraction_of_remainder > 0 and self.current_restriction().stop >= UNBOUNDED_STOP:
            return None
        return super().try_split(fraction_of_remainder)

    def is_bounded(self) -> bool:
        return self.current_restriction().stop < UNBOUNDED_STOP


class _OffsetRangeProvider(RestrictionProvider):
    """Restriction = OffsetRange of a partition; size = backlog bytes (estimated)."""

    def initial_restriction(self, element: PartitionSlice) -> OffsetRange:
        return OffsetRange(element.start, element.stop)

    def create_tracker(self, restriction: OffsetRange) -> _KafkaOffsetTracker:
        return _KafkaOffsetTracker(restriction)

    def restriction_size(self, element: PartitionSlice, restriction: OffsetRange) -> float:
        stop = restriction.stop
        if stop >= UNBOUNDED_STOP:
            stop = _HIGHWATER.get((element.topic, element.partition), restriction.start)
        return max(0, stop - restriction.start) * _MEAN_RECORD_BYTES[0]

    def truncate(self, element: PartitionSlice, restriction: OffsetRange):
        """On drain: finish a bounded range, drop the unbounded remainder."""
        if restriction.stop >= UNBOUNDED_STOP:
            return None
        return restriction


class _ReadPartitionFn(beam.DoFn):
    """Reads one partition's OffsetRange; commits offsets when the bundle is finalized."""

    def __init__(self, config: KafkaConfig, *, group_id: str | None, commit_offsets: bool,
                 max_records_per_bundle: int, max_bundle_seconds: float,
                 poll_timeout_s: float, watermark_max_delay_s: float,
                 consumer_config: dict | None):
        self._config = config
        self._group_id = group_id
        self._commit = commit_offsets and group_id is not None
        self._max_records = max_records_per_bundle
        self._max_seconds = max_bundle_seconds
        self._poll_timeout_ms = int(poll_timeout_s * 1000)
        self._watermark_delay = Duration.of(watermark_max_delay_s)
        self._consumer_config = consumer_config or {}
        self._consumers: dict = {}
        self._pending_commits: dict = {}
        self._committed: dict = {}

    def setup(self) -> None:
        self._consumers = {}
        self._pending_commits = {}
        self._committed = {}
        self._records_counter = beam.metrics.Metrics.counter("newsbeam.kafka", "records_read")
        self._bytes_counter = beam.metrics.Metrics.counter("newsbeam.kafka", "bytes_read")
        self._commit_errors = beam.metrics.Metrics.counter("newsbeam.kafka", "commit_errors")

    def _consumer_for(self, tp):
        consumer = self._consumers.get(tp)
        if consumer is None:
            consumer = _consumer(self._config, self._group_id, self._consumer_config)
            consumer.assign([tp])
            self._consumers[tp] = consumer
        return consumer

    def _process(self, element: PartitionSlice, bundle_finalizer, tracker, watermark_estimator):
        from kafka import TopicPartition

        from pipeline.metrics import CONSUMER_LAG

        tp = TopicPartition(element.topic, element.partition)
        labels = (element.topic, str(element.partition))
        restriction = tracker.current_restriction()
        consumer = self._consumer_for(tp)
        if consumer.position(tp) != restriction.start:
            consumer.seek(tp, restriction.start)
        unbounded = restriction.stop >= UNBOUNDED_STOP
        deadline = time.monotonic() + self._max_seconds
        emitted = 0
        next_offset = None
        try:
            while True:
                stop = tracker.current_restriction().stop
                if _STOP.is_set():
                    tracker.try_claim(stop)  # finish this restriction; nothing is lost
                    return
                if not unbounded and consumer.position(tp) >= stop:
                    tracker.try_claim(stop)  # the end (gaps such as txn markers included)
                    return
                budget = self._max_records - emitted
                polled = consumer.poll(timeout_ms=self._poll_timeout_ms, max_records=budget)
                batch = polled.get(tp, [])
                highwater = consumer.highwater(tp)
                if highwater is not None:
                    _HIGHWATER[(tp.topic, tp.partition)] = highwater
                if not batch:
                    position = consumer.position(tp)
                    if highwater is not None:
                        CONSUMER_LAG.labels(*labels).set(max(0, highwater - position))
                    if not unbounded and position >= restriction.stop:
                        # Reached the end (a gap such as a transaction marker may sit there).
                        tracker.try_claim(restriction.stop)
                        return
                    if unbounded and (highwater is None or position >= highwater):
                        # Idle and caught up: nothing older can arrive; advance the watermark.
                        self._advance_watermark(watermark_estimator,
                                                Timestamp.now() - self._watermark_delay)
                    if unbounded or time.monotonic() >= deadline:
                        tracker.defer_remainder(Duration.of(0.5) if unbounded else None)
                        return
                    continue
                size = 0
                claimed = 0
                max_ts = None
                for msg in batch:
                    if not tracker.try_claim(msg.offset):
                        self._count(labels, claimed, size)
                        return
                    claimed += 1
                    next_offset = msg.offset + 1
                    value = msg.value
                    size += len(value) if value is not None else 0
                    ts = Timestamp.of(msg.timestamp / 1000.0)
                    max_ts = ts if max_ts is None or ts > max_ts else max_ts
                    yield TimestampedValue(
                        KafkaRecord(
                            topic=msg.topic,
                            partition=msg.partition,
                            offset=msg.offset,
                            key=msg.key,
                            value=value,
                            timestamp_ms=msg.timestamp,
                            headers=tuple((k, v) for k, v in (msg.headers or ())),
                        ),
                        ts,
                    )
                emitted += claimed
                self._count(labels, claimed, size)
                if highwater is not None:
                    CONSUMER_LAG.labels(*labels).set(max(0, highwater - next_offset))
                if max_ts is not None:
                    self._advance_watermark(watermark_estimator, max_ts - self._watermark_delay)
                if emitted >= self._max_records or time.monotonic() >= deadline:
                    tracker.defer_remainder()
                    return
        finally:
            if next_offset is not None and self._commit:
                bundle_finalizer.register(
                    _CommitCallback(self, tp, next_offset))

    def _count(self, labels: tuple[str, str], records: int, size: int) -> None:
        """Count emitted records (Prometheus + Beam metrics) and update the size estimate."""
        from pipeline.metrics import BYTES_READ, PAGES_READ

        if not records:
            return
        PAGES_READ.labels(*labels).inc(records)
        BYTES_READ.labels(labels[0]).inc(size)
        self._records_counter.inc(records)
        self._bytes_counter.inc(size)
        _MEAN_RECORD_BYTES[0] = 0.9 * _MEAN_RECORD_BYTES[0] + 0.1 * (size / records)

    @staticmethod
    def _advance_watermark(estimator, ts: Timestamp) -> None:
        current = estimator.current_watermark()
        if current is None or ts > current:
            estimator.set_watermark(ts)

    def commit_pending(self, tp=None, offset: int | None = None) -> None:
        """Commit every pending offset; count failures and keep them for the next try."""
        from kafka.structs import OffsetAndMetadata

        from pipeline.metrics import OFFSET_COMMITS

        if tp is not None and offset is not None and offset > self._pending_commits.get(tp, -1):
            self._pending_commits[tp] = offset
        for ptp, poff in list(self._pending_commits.items()):
            if poff <= self._committed.get(ptp, -1):
                self._pending_commits.pop(ptp, None)
                continue
            consumer = self._consumers.get(ptp)
            try:
                if consumer is None:
                    consumer = self._consumer_for(ptp)
                consumer.commit({ptp: OffsetAndMetadata(poff, "", -1)}, timeout_ms=10_000)
            except Exception as exc:  # noqa: BLE001 - must never raise from finalization
                OFFSET_COMMITS.labels(ptp.topic, "error").inc()
                self._commit_errors.inc()
                log.warning("kafka offset commit %s/%d@%d failed (will retry): %s",
                            ptp.topic, ptp.partition, poff, exc)
                continue
            OFFSET_COMMITS.labels(ptp.topic, "ok").inc()
            self._committed[ptp] = poff
            if self._pending_commits.get(ptp) == poff:
                self._pending_commits.pop(ptp, None)

    def teardown(self) -> None:
        try:
            if self._pending_commits:
                self.commit_pending()
        finally:
            for consumer in self._consumers.values():
                try:
                    consumer.close(autocommit=False)
                except Exception:
                    log.debug("closing consumer failed", exc_info=True)
            self._consumers = {}


class _CommitCallback:
    """Bundle-finalization callback: commit `offset` (next to read) for `tp`."""

    __slots__ = ("_fn", "_offset", "_tp")

    def __init__(self, fn: _ReadPartitionFn, tp, offset: int):
        self._fn, self._tp, self._offset = fn, tp, offset

    def __call__(self) -> None:
        try:
            self._fn.commit_pending(self._tp, self._offset)
        except Exception:
            log.exception("unexpected error while committing Kafka offsets")


_RESTRICTION_PARAM = beam.DoFn.RestrictionParam(_OffsetRangeProvider())
_WATERMARK_PARAM = beam.DoFn.WatermarkEstimatorParam(ManualWatermarkEstimator.default_provider())


class _ReadBoundedPartitionFn(_ReadPartitionFn):
    """Bounded reader: stops at the end offsets captured at discovery."""

    def process(
        self,
        element: PartitionSlice,
        bundle_finalizer=beam.DoFn.BundleFinalizerParam,
        tracker=_RESTRICTION_PARAM,
        watermark_estimator=_WATERMARK_PARAM,
    ):
        yield from self._process(element, bundle_finalizer, tracker, watermark_estimator)


class _ReadUnboundedPartitionFn(_ReadPartitionFn):
    """Unbounded reader: polls forever, checkpointing every N records / T seconds / idle poll."""

    @beam.DoFn.unbounded_per_element()
    def process(
        self,
        element: PartitionSlice,
        bundle_finalizer=beam.DoFn.BundleFinalizerParam,
        tracker=_RESTRICTION_PARAM,
        watermark_estimator=_WATERMARK_PARAM,
    ):
        yield from self._process(element, bundle_finalizer, tracker, watermark_estimator)


class ReadFromKafka(beam.PTransform):
    """Read Kafka records (KafkaRecord, timestamped with the record time) from topics.

    Call as ReadFromKafka(topics, bootstrap_servers=...) or ReadFromKafka(config, topics=...).
    start: "committed" (group offsets, else `start_fallback`), "earliest", "latest" or
    "timestamp" (first record at/after `start_timestamp_ms`). `partitions` restricts the read
    to those partition numbers, `partition_share=(i, n)` to those with p % n == i (worker i
    of n). bounded=True reads up to the end offsets seen at start (or, with
    `stop_timestamp_ms`, up to the first record at/after that time) and finishes;
    bounded=False reads forever. Offsets are committed to `group_id` after each bundle is
    finalized (commit_offsets=True).
    """

    def __init__(
        self,
        source: str | Sequence[str] | KafkaConfig | None = None,
        *,
        topics: str | Sequence[str] | None = None,
        bootstrap_servers: str | KafkaConfig | None = None,
        group_id: str | None = "newsbeam",
        start: str = "committed",
        start_fallback: str = "earliest",
        start_timestamp_ms: int | None = None,
        stop_timestamp_ms: int | None = None,
        bounded: bool = True,
        commit_offsets: bool = True,
        partitions: Sequence[int] | None = None,
        partition_share: tuple[int, int] | None = None,
        max_records_per_bundle: int = 1000,
        max_bundle_seconds: float = 1.0,
        poll_timeout_s: float = 0.5,
        watermark_max_delay_s: float = 2.0,
        discovery_timeout_s: float = 30.0,
        consumer_config: dict | None = None,
    ):
        super().__init__()
        if isinstance(source, KafkaConfig):  # ReadFromKafka(config, topics=[...]) form
            if bootstrap_servers is not None:
                raise ValueError("pass the KafkaConfig either first or as bootstrap_servers")
            bootstrap_servers = source
        elif source is not None:  # ReadFromKafka(topics, ...) form
            if topics is not None:
                raise ValueError("topics given twice")
            topics = source
        if isinstance(topics, str):
            topics = [topics]
        topics = tuple(topics or ())
        if not topics or not all(isinstance(t, str) and t for t in topics):
            raise ValueError(f"topics must be non-empty strings: {topics!r}")
        if start not in START_POSITIONS:
            raise ValueError(f"start must be one of {START_POSITIONS}, not {start!r}")
        if start_fallback not in FALLBACKS:
            raise ValueError(f"start_fallback must be one of {FALLBACKS}, "
                             f"not {start_fallback!r}")
        if (start == "timestamp") != (start_timestamp_ms is not None):
            raise ValueError("start_timestamp_ms is required with (and only with) "
                             "start='timestamp'")
        if start_timestamp_ms is not None and start_timestamp_ms < 0:
            raise ValueError("start_timestamp_ms must be >= 0")
        if stop_timestamp_ms is not None:
            if not bounded:
                raise ValueError("stop_timestamp_ms needs bounded=True (a replay window)")
            if stop_timestamp_ms < 0 or (start_timestamp_ms is not None
                                         and stop_timestamp_ms <= start_timestamp_ms):
                raise ValueError("stop_timestamp_ms must be >= 0 and after start_timestamp_ms")
        if (start == "committed" or commit_offsets) and not group_id:
            raise ValueError("start='committed' and commit_offsets=True need a group_id")
        if max_records_per_bundle < 1:
            raise ValueError("max_records_per_bundle must be >= 1")
        for name, value in (("max_bundle_seconds", max_bundle_seconds),
                            ("poll_timeout_s", poll_timeout_s),
                            ("discovery_timeout_s", discovery_timeout_s)):
            if not value > 0:
                raise ValueError(f"{name} must be > 0")
        if watermark_max_delay_s < 0:
            raise ValueError("watermark_max_delay_s must be >= 0")
        if partitions is not None and (
            not partitions or not all(isinstance(p, int) and p >= 0 for p in partitions)
        ):
            raise ValueError("partitions must be a non-empty list of ints >= 0")
        if partition_share is not None and not (
            len(partition_share) == 2 and all(isinstance(x, int) for x in partition_share)
            and 0 <= partition_share[0] < partition_share[1]
        ):
            raise ValueError("partition_share must be (index, count) with 0 <= index < count")
        self._config = as_config(bootstrap_servers)
        self._topics = topics
        self._bounded = bounded
        self._resolve_kwargs = {
            "group_id": group_id, "start": start, "fallback": start_fallback,
            "start_timestamp_ms": start_timestamp_ms, "bounded": bounded,
            "stop_timestamp_ms": stop_timestamp_ms,
            "partitions": tuple(partitions) if partitions is not None else None,
            "partition_share": tuple(partition_share) if partition_share is not None else None,
            "timeout_s": discovery_timeout_s, "consumer_config": consumer_config,
        }
        self._read_kwargs = {
            "group_id": group_id, "commit_offsets": commit_offsets,
            "max_records_per_bundle": max_records_per_bundle,
            "max_bundle_seconds": max_bundle_seconds, "poll_timeout_s": poll_timeout_s,
            "watermark_max_delay_s": watermark_max_delay_s, "consumer_config": consumer_config,
        }

    @classmethod
    def from_options(cls, options, topics: str | Sequence[str] | None = None,
                     **overrides) -> ReadFromKafka:
        """Build from KafkaOptions (`--kafka_*`); keyword overrides win."""
        from connectors.kafka.options import KafkaOptions

        o = options.view_as(KafkaOptions)
        kwargs = {
            "bootstrap_servers": KafkaConfig.from_options(options),
            "group_id": o.kafka_group_id,
            "start": o.kafka_start,
            "start_fallback": o.kafka_start_fallback,
            "start_timestamp_ms": o.kafka_start_timestamp_ms,
        }
        kwargs.update(overrides)
        return cls(topics or o.kafka_pages_topic, **kwargs)

    def expand(self, pbegin):
        clear_stop()  # a stop requested for an earlier pipeline must not end this one
        reader_cls = _ReadBoundedPartitionFn if self._bounded else _ReadUnboundedPartitionFn
        reader = reader_cls(self._config, **self._read_kwargs)
        return (
            pbegin
            | "Impulse" >> beam.Impulse()
            | "DiscoverPartitions" >> beam.ParDo(
                _DiscoverPartitionsFn(self._config, self._topics, self._resolve_kwargs))
            | "ReadPartitions" >> beam.ParDo(reader).with_output_types(KafkaRecord)
        )
