"""WriteToSinks: fan `(kind, key, record)` tuples out to every configured sink.

Sinks hold live clients, so they are never pickled: the transform carries picklable
`SinkSpec`s (a zero-argument factory plus the kinds it accepts) and the DoFn builds and
opens the sinks in setup(). Each element is `add`ed to every sink accepting its kind;
finish_bundle() flushes and confirms every sink with `flush_with_retry` (transient
failures are retried while the bundle is held, terminal ones fail the job). Because the
flush happens inside the bundle, a source's bundle finalizer (the Kafka offset commit)
only runs after every sink confirmed: at-least-once end to end.
"""

from __future__ import annotations

import collections
import functools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import apache_beam as beam

from connectors.sinks.base import (
    DEAD_LETTER,
    KINDS,
    Sink,
    TerminalSinkError,
    flush_with_retry,
)

log = logging.getLogger(__name__)

#: record fields holding the Kafka record timestamp (ms) used for end-to-end latency
TIMESTAMP_FIELDS = ("record_timestamp_ms", "timestamp_ms")


@dataclass(frozen=True)
class SinkSpec:
    """How to build one sink in a worker: `factory()` returns a Sink (or a list of them)."""

    factory: Callable[[], Sink | Sequence[Sink]]
    kinds: tuple[str, ...] = KINDS

    def __post_init__(self) -> None:
        if isinstance(self.factory, Sink) or not callable(self.factory):
            raise TypeError("SinkSpec.factory must be a zero-argument callable returning a "
                            "Sink (sinks hold clients and are built in DoFn.setup)")
        kinds = tuple(self.kinds)
        unknown = set(kinds) - set(KINDS)
        if not kinds or unknown:
            raise ValueError(f"SinkSpec.kinds must be a non-empty subset of {KINDS}")
        object.__setattr__(self, "kinds", kinds)


def files_sink(directory: str, kinds: Iterable[str] = KINDS, **kwargs: Any) -> SinkSpec:
    """Spec of a JsonlFileSink(directory, **kwargs)."""
    from connectors.files import JsonlFileSink

    return SinkSpec(functools.partial(JsonlFileSink, directory, **kwargs), tuple(kinds))


def postgres_sink(dsn: str | None = None, kinds: Iterable[str] = KINDS,
                  **kwargs: Any) -> SinkSpec:
    """Spec of a PostgresSink(dsn, **kwargs) (the DSN must not contain a password)."""
    from connectors.postgres import PostgresSink, resolve_dsn

    resolve_dsn(dsn)  # refuse inline passwords at construction time, not in a worker
    return SinkSpec(functools.partial(PostgresSink, dsn, **kwargs), tuple(kinds))


def _as_specs(sinks: Any) -> list[SinkSpec]:
    items = [sinks] if isinstance(sinks, SinkSpec) or callable(sinks) else list(sinks or ())
    specs = []
    for item in items:
        if isinstance(item, Sink):
            raise TypeError(f"pass a SinkSpec or factory, not a Sink instance ({item!r}): "
                            "sinks hold clients and must be built in DoFn.setup")
        specs.append(item if isinstance(item, SinkSpec) else SinkSpec(item))
    if not specs:
        raise ValueError("WriteToSinks needs at least one sink")
    return specs


def _record_timestamp_s(record: dict) -> float | None:
    for field in TIMESTAMP_FIELDS:
        value = record.get(field)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return value / 1000.0
    return None


class _SharedSinks:
    """Sinks shared by every WriteToSinks of one job in a process (see `shared_key`)."""

    def __init__(self, sinks: list[tuple[Sink, tuple[str, ...]]]) -> None:
        self.sinks = sinks
        self.refs = 0
        self.lock = threading.RLock()


_SHARED: dict[str, _SharedSinks] = {}
_SHARED_LOCK = threading.Lock()


def _open_sinks(specs: list[SinkSpec]) -> list[tuple[Sink, tuple[str, ...]]]:
    from pipeline import metrics

    sinks = []
    for spec in specs:
        built = spec.factory()
        for sink in ([built] if isinstance(built, Sink) else list(built)):
            try:
                sink.open()
            except TerminalSinkError:
                metrics.SINK_FAILURES.labels(sink=sink.name).inc()
                raise
            sinks.append((sink, spec.kinds))
    return sinks


class _WriteToSinksFn(beam.DoFn):
    """Buffers each bundle into every sink, flushes+confirms them at the bundle's end.

    With a `shared_key`, every _WriteToSinksFn of that key in the process uses the same
    sinks (one connection/producer/writer per process instead of one per branch): the
    job writes its several branches without a Flatten, because on the local runner a
    Flatten is not fused and its consumer would only run when the unbounded read ends.
    Any finish_bundle flushes everything added so far, so at-least-once still holds.
    """

    def __init__(self, specs: list[SinkSpec], max_attempts: int, initial_backoff_s: float,
                 max_backoff_s: float, shared_key: str | None = None) -> None:
        self._specs = specs
        self._max_attempts = max_attempts
        self._initial_backoff_s = initial_backoff_s
        self._max_backoff_s = max_backoff_s
        self._shared_key = shared_key
        self._sinks: list[tuple[Sink, tuple[str, ...]]] = []
        self._lock: threading.RLock = threading.RLock()

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_sinks"] = []
        state.pop("_lock", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.RLock()

    def setup(self) -> None:
        if self._shared_key is None:
            self._sinks = _open_sinks(self._specs)
            return
        with _SHARED_LOCK:
            shared = _SHARED.get(self._shared_key)
            if shared is None:
                shared = _SHARED[self._shared_key] = _SharedSinks(_open_sinks(self._specs))
            shared.refs += 1
        self._sinks, self._lock = shared.sinks, shared.lock

    def start_bundle(self) -> None:
        self._counts: collections.Counter[str] = collections.Counter()
        self._timestamps: list[float] = []
        self._busy_s = 0.0

    def process(self, element: Any) -> Iterable[None]:
        started = time.perf_counter()
        kind, key, record = self._unpack(element)
        with self._lock:
            for sink, kinds in self._sinks:
                if kind in kinds:
                    sink.add(kind, key, record)
        self._counts[kind] += 1
        ts = _record_timestamp_s(record)
        if ts is not None:
            self._timestamps.append(ts)
        self._busy_s += time.perf_counter() - started
        return ()

    def finish_bundle(self) -> None:
        from pipeline import metrics

        total = sum(self._counts.values())
        if not total:
            return
        started = time.perf_counter()

        def on_retry(sink: Sink, attempt: int, exc: Exception) -> None:
            metrics.SINK_RETRIES.labels(sink=sink.name).inc()
            metrics.beam_counter("newsbeam.sinks", f"{sink.name}_retries").inc()

        for sink, kinds in self._sinks:
            if not any(self._counts[k] for k in kinds):
                continue
            try:
                with self._lock:
                    flush_with_retry(sink, max_attempts=self._max_attempts,
                                     initial_backoff_s=self._initial_backoff_s,
                                     max_backoff_s=self._max_backoff_s, on_retry=on_retry)
            except Exception:
                metrics.SINK_FAILURES.labels(sink=sink.name).inc()
                metrics.beam_counter("newsbeam.sinks", f"{sink.name}_failures").inc()
                raise
            for kind in kinds:
                if self._counts[kind]:
                    metrics.SINK_WRITES.labels(sink=sink.name, kind=kind).inc(self._counts[kind])
                    metrics.beam_counter("newsbeam.sinks",
                                         f"{sink.name}_{kind}_writes").inc(self._counts[kind])
        now = time.time()
        for ts in self._timestamps:
            metrics.END_TO_END_LATENCY.observe(max(0.0, now - ts))
        per_element = (self._busy_s + time.perf_counter() - started) / total
        stage = metrics.STAGE_LATENCY.labels(stage="sink")
        for _ in range(total):
            stage.observe(per_element)
        metrics.mark_progress(now)

    def teardown(self) -> None:
        if self._shared_key is not None:
            with _SHARED_LOCK:
                shared = _SHARED.get(self._shared_key)
                if shared is not None:
                    shared.refs -= 1
                    if shared.refs > 0:
                        self._sinks = []
                        return
                    del _SHARED[self._shared_key]
        for sink, _ in self._sinks:
            try:
                sink.close()
            except Exception as exc:  # noqa: BLE001 - teardown must release every sink
                log.warning("closing sink %s failed: %s", sink.name, exc)
        self._sinks = []

    @staticmethod
    def _unpack(element: Any) -> tuple[str, str, dict]:
        """(kind, key, record); a malformed element becomes a dead letter, never an error."""
        try:
            kind, key, record = element
            if hasattr(record, "to_dict"):
                record = record.to_dict()
            if kind in KINDS and isinstance(record, dict) and key is not None:
                return kind, str(key), record
            problem = f"kind={kind!r} key={key!r} record type={type(record).__name__}"
        except (TypeError, ValueError) as exc:
            problem = f"not a (kind, key, record) tuple: {exc}"
        from connectors.deadletter import make_dead_letter
        from pipeline import metrics

        metrics.DEAD_LETTERS.labels(stage="sink", reason="bad_element").inc()
        dead = make_dead_letter("sink", "bad_element", problem,
                                repr(element)[:100_000].encode("utf-8", "replace"))
        return DEAD_LETTER, dead.dead_letter_id, dead.to_dict()


class WriteToSinks(beam.PTransform):
    """Write `(kind, key, record_dict)` tuples to every sink; returns an empty PCollection.

    sinks: a SinkSpec, a zero-argument factory returning a Sink or a list of Sinks, or a
    list of those. max_attempts=0 retries transient failures forever (holding the bundle).
    """

    def __init__(self, sinks: Any, *, max_attempts: int = 0, initial_backoff_s: float = 0.5,
                 max_backoff_s: float = 30.0, shared_key: str | None = None,
                 label: str | None = None) -> None:
        super().__init__(label)
        self._shared_key = shared_key
        self._specs = _as_specs(sinks)
        if max_attempts < 0 or initial_backoff_s <= 0 or max_backoff_s < initial_backoff_s:
            raise ValueError("need max_attempts >= 0 and 0 < initial_backoff_s <= max_backoff_s")
        self._max_attempts = max_attempts
        self._initial_backoff_s = initial_backoff_s
        self._max_backoff_s = max_backoff_s

    def expand(self, pcoll: beam.PCollection) -> beam.PCollection:
        return pcoll | "WriteEachBundle" >> beam.ParDo(_WriteToSinksFn(
            self._specs, self._max_attempts, self._initial_backoff_s, self._max_backoff_s,
            self._shared_key))
