"""JsonlFileSink on the real filesystem: atomic parts, rotation, crash leftovers, dedupe."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import threading
import time

import orjson
import pytest

from connectors.files import JsonlFileSink, iter_jsonl_dir, read_jsonl_dir
from connectors.sinks.base import (
    ARTICLE,
    DEAD_LETTER,
    EVENT,
    TerminalSinkError,
    TransientSinkError,
    flush_with_retry,
)

REPO = pathlib.Path(__file__).resolve().parents[2]


def art(n: int, **extra) -> dict:
    return {"article_id": f"a{n}", "url": f"https://x.in/{n}", "title": f"t{n}",
            "text": "पुतिन ने कहा " * 10, **extra}


def visible(d: pathlib.Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


def test_flush_writes_temp_and_confirm_publishes_a_part(tmp_path: pathlib.Path) -> None:
    sink = JsonlFileSink(tmp_path)
    sink.open()
    sink.add(ARTICLE, "a1", art(1))
    sink.add(EVENT, "e1", {"event_id": "e1", "article_id": "a1"})
    sink.add(DEAD_LETTER, "d1", {"dead_letter_id": "d1", "stage": "clean"})
    assert sink.pending() == 3
    assert sink.flush() == 3
    names = visible(tmp_path / "articles")
    assert len(names) == 1 and names[0].startswith(".part-") and names[0].endswith(".jsonl.tmp")
    assert read_jsonl_dir(tmp_path, ARTICLE) == []  # nothing visible before confirm
    sink.confirm()
    assert sink.pending() == 0
    (part,) = visible(tmp_path / "articles")
    assert part.startswith("part-") and part.endswith(f"-{os.getpid()}-000000.jsonl")
    assert read_jsonl_dir(tmp_path, ARTICLE) == [art(1)]
    assert read_jsonl_dir(tmp_path, EVENT) == [{"event_id": "e1", "article_id": "a1"}]
    assert read_jsonl_dir(tmp_path, DEAD_LETTER) == [{"dead_letter_id": "d1", "stage": "clean"}]
    sink.close()
    (rotated,) = visible(tmp_path / "articles")
    assert rotated.startswith("articles-")
    assert read_jsonl_dir(tmp_path, ARTICLE) == [art(1)]


def test_replays_are_deduplicated_by_key_and_lines_carry_their_key(tmp_path) -> None:
    sink = JsonlFileSink(tmp_path)
    sink.open()
    for bundle in range(3):  # the same bundle delivered three times
        for n in range(5):
            sink.add(ARTICLE, f"a{n}", art(n, attempt=bundle))
        flush_with_retry(sink)
    sink.add(EVENT, "k1", {"no_id_field": True})  # key not inside the record
    flush_with_retry(sink)
    assert len(list(iter_jsonl_dir(tmp_path, ARTICLE))) == 15
    got = read_jsonl_dir(tmp_path, ARTICLE)
    assert [r["article_id"] for r in got] == [f"a{n}" for n in range(5)]
    assert {r["attempt"] for r in got} == {2}  # last line wins
    assert list(iter_jsonl_dir(tmp_path, EVENT)) == [("k1", {"no_id_field": True})]
    sink.close()
    assert len(read_jsonl_dir(tmp_path, ARTICLE)) == 5


def test_rotation_by_size_merges_parts(tmp_path: pathlib.Path) -> None:
    sink = JsonlFileSink(tmp_path, max_bytes=4000, max_seconds=3600)
    sink.open()
    for n in range(40):
        sink.add(ARTICLE, f"a{n}", art(n))
        flush_with_retry(sink)
    names = visible(tmp_path / "articles")
    rotated = [n for n in names if n.startswith("articles-")]
    assert len(rotated) >= 2
    for name in rotated:
        assert (tmp_path / "articles" / name).stat().st_size >= 4000
    assert len([n for n in names if n.startswith("part-")]) < 40 - len(rotated)
    sink.close()
    assert all(n.startswith("articles-") for n in visible(tmp_path / "articles"))
    lines = list(iter_jsonl_dir(tmp_path, ARTICLE))
    assert [k for k, _ in lines] == [f"a{n}" for n in range(40)]  # order kept, no dups


def test_rotation_by_time(tmp_path: pathlib.Path) -> None:
    sink = JsonlFileSink(tmp_path, max_bytes=1 << 30, max_seconds=0.2)
    sink.open()
    sink.add(ARTICLE, "a0", art(0))
    flush_with_retry(sink)
    sink.add(ARTICLE, "a1", art(1))
    flush_with_retry(sink)
    assert all(n.startswith("part-") for n in visible(tmp_path / "articles"))
    time.sleep(0.25)
    sink.add(ARTICLE, "a2", art(2))
    flush_with_retry(sink)
    (rotated,) = visible(tmp_path / "articles")
    assert rotated.startswith("articles-")
    assert [r["article_id"] for r in read_jsonl_dir(tmp_path, ARTICLE)] == ["a0", "a1", "a2"]
    sink.close()


def test_concurrent_reader_never_sees_a_torn_line(tmp_path: pathlib.Path) -> None:
    sink = JsonlFileSink(tmp_path, max_bytes=200_000, max_seconds=3600)
    sink.open()
    stop = threading.Event()
    seen: list[int] = []
    errors: list[Exception] = []

    def reader() -> None:
        while not stop.is_set():
            try:
                seen.append(len(read_jsonl_dir(tmp_path, ARTICLE)))
            except Exception as exc:  # noqa: BLE001 - a torn line would fail orjson.loads
                errors.append(exc)

    t = threading.Thread(target=reader)
    t.start()
    big = "x" * 20_000  # lines larger than a pipe/page write
    for n in range(60):
        for m in range(3):
            sink.add(ARTICLE, f"a{n}-{m}", art(n, body=big))
        flush_with_retry(sink)
    stop.set()
    t.join()
    sink.close()
    assert not errors
    assert len(seen) > 1
    assert len(read_jsonl_dir(tmp_path, ARTICLE)) == 180


_CRASHING_WRITER = """
import os, sys
from connectors.files import JsonlFileSink
sink = JsonlFileSink(sys.argv[1])
sink.open()
sink.add("article", "done", {"article_id": "done"})
sink.flush(); sink.confirm()          # a confirmed part
sink.add("article", "lost", {"article_id": "lost"})
sink.flush()                           # written but never confirmed
os._exit(9)                            # crash: no close, no rename
"""


def test_crash_leaves_only_a_tmp_file_that_open_cleans(tmp_path: pathlib.Path) -> None:
    result = subprocess.run([sys.executable, "-c", _CRASHING_WRITER, str(tmp_path)],
                            check=False, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 9, result.stderr
    names = visible(tmp_path / "articles")
    assert len([n for n in names if n.endswith(".tmp")]) == 1
    assert [r["article_id"] for r in read_jsonl_dir(tmp_path, ARTICLE)] == ["done"]
    sink = JsonlFileSink(tmp_path)
    sink.open()  # removes the dead writer's tmp, adopts its part
    assert not [n for n in visible(tmp_path / "articles") if n.endswith(".tmp")]
    sink.add(ARTICLE, "next", {"article_id": "next"})
    flush_with_retry(sink)  # adopted orphans are overdue: rotated with this writer's part
    sink.close()
    (rotated,) = visible(tmp_path / "articles")
    assert rotated.startswith("articles-")
    assert [r["article_id"] for r in read_jsonl_dir(tmp_path, ARTICLE)] == ["done", "next"]


def test_live_writers_tmp_files_are_left_alone(tmp_path: pathlib.Path) -> None:
    d = tmp_path / "articles"
    d.mkdir()
    mine = d / f".part-20260101T000000.000000Z-{os.getppid()}-000001.jsonl.tmp"
    mine.write_bytes(b'{"article_id": "x"')
    JsonlFileSink(tmp_path).open()
    assert mine.exists()


def test_custom_prefixes_and_validation(tmp_path: pathlib.Path) -> None:
    sink = JsonlFileSink(tmp_path, prefixes={EVENT: "mentions"})
    sink.open()
    sink.add(EVENT, "e1", {"event_id": "e1"})
    flush_with_retry(sink)
    sink.close()
    assert read_jsonl_dir(tmp_path, EVENT, prefix="mentions") == [{"event_id": "e1"}]
    with pytest.raises(ValueError):
        JsonlFileSink(tmp_path, prefixes={"nope": "x"})
    with pytest.raises(ValueError):
        sink.add("nope", "k", {})


def test_write_errors_are_mapped(tmp_path: pathlib.Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    sink = JsonlFileSink(blocker / "out")
    with pytest.raises(TerminalSinkError):
        sink.open()  # ENOTDIR: retrying cannot help
    full = JsonlFileSink("/dev/full/x")
    with pytest.raises((TerminalSinkError, TransientSinkError)):
        full.open()


def test_lines_are_plain_records(tmp_path: pathlib.Path) -> None:
    sink = JsonlFileSink(tmp_path)
    sink.open()
    sink.add(ARTICLE, "a1", art(1))
    flush_with_retry(sink)
    (part,) = (tmp_path / "articles").glob("part-*.jsonl")
    lines = part.read_bytes().splitlines()
    assert [orjson.loads(line) for line in lines] == [art(1)]
    assert part.read_bytes().endswith(b"\n")
