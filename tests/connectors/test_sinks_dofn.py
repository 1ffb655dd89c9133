"""WriteToSinks in real Beam pipelines writing to real files and the real PostgreSQL."""

from __future__ import annotations

import pathlib

import apache_beam as beam
import psycopg
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from prometheus_client import REGISTRY

from connectors.files import JsonlFileSink, read_jsonl_dir
from connectors.sinks.base import (
    ARTICLE,
    DEAD_LETTER,
    EVENT,
    Sink,
    TerminalSinkError,
    TransientSinkError,
)
from connectors.sinks.dofn import SinkSpec, WriteToSinks, files_sink, postgres_sink
from tests.connectors.test_postgres_sink import dead_letter, events_row, three_mentions

pytestmark = pytest.mark.postgres


def metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def run(elements: list, transform: beam.PTransform) -> None:
    options = PipelineOptions(["--runner=DirectRunner"])
    with beam.Pipeline(options=options) as p:
        _ = p | beam.Create(elements, reshuffle=False) | transform


class FlakySink(Sink):
    """Fails the first `failures` flushes transiently, then writes to a JsonlFileSink."""

    name = "flaky"

    def __init__(self, directory: str, failures: int) -> None:
        self.inner = JsonlFileSink(directory)
        self.failures = failures

    def open(self) -> None:
        self.inner.open()

    def add(self, kind: str, key: str, record: dict) -> None:
        self.inner.add(kind, key, record)

    def flush(self) -> int:
        if self.failures:
            self.failures -= 1
            raise TransientSinkError("flaky: not yet")
        return self.inner.flush()

    def confirm(self) -> None:
        self.inner.confirm()

    def close(self) -> None:
        self.inner.close()


class BrokenSink(FlakySink):
    name = "broken"

    def flush(self) -> int:
        raise TerminalSinkError("broken: schema mismatch")


def test_pipeline_writes_everything_to_files_and_postgres(tmp_path: pathlib.Path,
                                                          pg_fresh_dsn: str) -> None:
    items = three_mentions() + [(DEAD_LETTER, dead_letter(n)["dead_letter_id"], dead_letter(n))
                                for n in range(2)]
    elements = items + [("bogus", None, 42)]  # malformed: becomes a dead letter, no crash
    files_before = metric("newsbeam_sink_writes_total", sink="files", kind=EVENT)
    pg_before = metric("newsbeam_sink_writes_total", sink="postgres", kind=ARTICLE)
    e2e_before = metric("newsbeam_end_to_end_latency_seconds_count")
    run(elements, WriteToSinks([files_sink(str(tmp_path)), postgres_sink(pg_fresh_dsn)]))
    run(items, WriteToSinks([files_sink(str(tmp_path)), postgres_sink(pg_fresh_dsn)]))  # replay

    assert sorted(r["article_id"] for r in read_jsonl_dir(tmp_path, ARTICLE)) == ["A", "B", "C"]
    assert len(read_jsonl_dir(tmp_path, EVENT)) == 3
    dead = read_jsonl_dir(tmp_path, DEAD_LETTER)
    assert len(dead) == 3
    bogus = [d for d in dead if d["stage"] == "sink"]
    assert bogus and bogus[0]["reason"] == "bad_element"
    assert events_row(pg_fresh_dsn) == [("RUS|CHN|042|2022-12-30", 3, 2, 2)]
    with psycopg.connect(pg_fresh_dsn) as conn:
        counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "event_mentions", "dead_letters")]
    assert counts == [3, 3, 3]
    assert metric("newsbeam_sink_writes_total", sink="files", kind=EVENT) - files_before == 6
    assert metric("newsbeam_sink_writes_total", sink="postgres", kind=ARTICLE) - pg_before == 6
    # articles (3) and dead letters (2) carry record_timestamp_ms: observed at confirm, twice
    assert metric("newsbeam_end_to_end_latency_seconds_count") - e2e_before == 10
    assert metric("newsbeam_last_progress_timestamp_seconds") > 0


def test_kinds_are_routed_per_sink(tmp_path: pathlib.Path) -> None:
    events_only = SinkSpec(lambda: JsonlFileSink(str(tmp_path / "ev")), kinds=(EVENT,))
    everything = files_sink(str(tmp_path / "all"))
    run(three_mentions(), WriteToSinks([events_only, everything]))
    assert read_jsonl_dir(tmp_path / "ev", ARTICLE) == []
    assert len(read_jsonl_dir(tmp_path / "ev", EVENT)) == 3
    assert len(read_jsonl_dir(tmp_path / "all", ARTICLE)) == 3


def test_transient_failures_are_retried_and_counted(tmp_path: pathlib.Path) -> None:
    before = metric("newsbeam_sink_retries_total", sink="flaky")
    run(three_mentions(), WriteToSinks(SinkSpec(lambda: FlakySink(str(tmp_path), 2)),
                                       initial_backoff_s=0.01, max_backoff_s=0.02))
    assert metric("newsbeam_sink_retries_total", sink="flaky") - before == 2
    assert len(read_jsonl_dir(tmp_path, EVENT)) == 3


def test_terminal_failure_fails_the_job_loudly(tmp_path: pathlib.Path) -> None:
    before = metric("newsbeam_sink_failures_total", sink="broken")
    with pytest.raises(Exception, match="schema mismatch"):
        run(three_mentions(), WriteToSinks(lambda: BrokenSink(str(tmp_path), 0)))
    assert metric("newsbeam_sink_failures_total", sink="broken") - before >= 1


def test_arguments_are_validated(tmp_path: pathlib.Path) -> None:
    with pytest.raises(TypeError):
        WriteToSinks([JsonlFileSink(tmp_path)])  # a live sink instance: not picklable-safe
    with pytest.raises(ValueError):
        WriteToSinks([])
    with pytest.raises(ValueError):
        SinkSpec(lambda: JsonlFileSink(tmp_path), kinds=("nope",))
    with pytest.raises(ValueError, match="password"):
        postgres_sink("postgresql://u:pw@127.0.0.1/db")
    with pytest.raises(ValueError):
        WriteToSinks(files_sink(str(tmp_path)), initial_backoff_s=0)


def test_real_records_round_trip_through_both_sinks(tmp_path: pathlib.Path,
                                                    pg_fresh_dsn: str) -> None:
    """Article/Event/DeadLetter.to_dict() in, the same dicts back from files and JSONB."""
    clean = pytest.importorskip("pipeline.clean.records")
    rec = pytest.importorskip("pipeline.events.record")
    from connectors.deadletter import make_dead_letter

    art = clean.Article(
        article_id="a" * 32, url="https://www.bhaskar.com/x?utm=1",
        canonical_url="https://www.bhaskar.com/x", domain="bhaskar.com", title="पुतिन",
        text="पुतिन ने शी जिनपिंग से कहा", language="hi", word_count=6,
        content_hash="c" * 32, simhash="0123456789abcdef", authors=["एजेंसी"],
        published_at="2022-12-30", fetched_at="2022-12-30T12:00:00+00:00",
        topic="pages", partition=0, offset=7, timestamp_ms=1672401600000)
    ev = rec.Event(
        event_id="e" * 32, article_id=art.article_id, url=art.url, language="hi",
        published_at="2022-12-30",
        actor1=rec.EventActor(text="पुतिन", name="Vladimir Putin", code="RUSGOV", country="RUS"),
        actor2=rec.EventActor(text="शी", name="Xi Jinping", code="CHNGOV", country="CHN"),
        action=rec.EventAction(trigger="कहा", cameo="036", root="03", base="036",
                               quad_class=1, goldstein=4.0, plover="CONSULT"),
        modality="intended", event_date="2022-12-30", date_precision="day",
        location=rec.EventLocation(name="Moscow", country="RUS", kind="city"),
        evidence=rec.EventEvidence(sentence_index=0, sentence=art.text, start=0, end=26,
                                   trigger_start=22, trigger_end=25),
        confidence=0.9, coder={"name": "rules", "version": "1"})
    dead = make_dead_letter("clean", "not_html", "binary", b"\x00\x01")
    items = [("article", art.article_id, art), ("event", ev.event_id, ev),
             ("dead_letter", dead.dead_letter_id, dead)]  # dataclasses: to_dict() applied
    run(items, WriteToSinks([files_sink(str(tmp_path)), postgres_sink(pg_fresh_dsn)]))
    assert read_jsonl_dir(tmp_path, ARTICLE) == [art.to_dict()]
    assert rec.Event.from_dict(read_jsonl_dir(tmp_path, EVENT)[0]) == ev
    assert read_jsonl_dir(tmp_path, DEAD_LETTER) == [dead.to_dict()]
    with psycopg.connect(pg_fresh_dsn) as conn:
        assert conn.execute("SELECT record FROM articles").fetchone()[0] == art.to_dict()
        row = conn.execute("SELECT record, event_key, trigger_start, location_name "
                           "FROM event_mentions").fetchone()
        assert rec.Event.from_dict(row[0]) == ev
        assert row[1:] == ("RUSGOV|CHNGOV|036|2022-12-30", 22, "Moscow")
        assert conn.execute("SELECT record FROM dead_letters").fetchone()[0] == dead.to_dict()


def test_a_factory_may_build_several_sinks(tmp_path: pathlib.Path) -> None:
    def both() -> list[Sink]:
        return [JsonlFileSink(str(tmp_path / "one")), JsonlFileSink(str(tmp_path / "two"))]

    run(three_mentions(), WriteToSinks(both))
    for name in ("one", "two"):
        assert len(read_jsonl_dir(tmp_path / name, EVENT)) == 3
