"""`newsbeam events`: JSONL texts in, one {"id", "events"} line out per input, in order."""

from __future__ import annotations

import json

import pytest

from pipeline.cli import main


def test_events_jsonl(tmp_path):
    inp = tmp_path / "in.jsonl"
    rows = [
        {
            "id": "x1",
            "text": "Japan imposed new sanctions on North Korea on Friday.",
            "published": "2022-12-31",
        },
        {"id": "x2", "text": "The weather was fine.", "published": "2022-12-31"},
        {"id": "x3", "text": "भारत ने पाकिस्तान को कड़ी चेतावनी दी।", "published": "2022-12-31"},
    ]
    inp.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"
    assert main(["events", "--jsonl", str(inp), "-o", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [d["id"] for d in lines] == ["x1", "x2", "x3"]
    assert lines[0]["events"][0]["action"]["cameo"].startswith("16")
    assert lines[0]["events"][0]["event_date"] == "2022-12-30"
    assert lines[1]["events"] == []
    assert lines[2]["events"][0]["language"] == "hi"


def test_events_html_page(shared_dir, tmp_path):
    page = shared_dir / "samples" / "putin-xi-hi.html"
    if not page.is_file():
        pytest.skip("sample page missing")
    out = tmp_path / "out.jsonl"
    assert main(["events", str(page), "-o", str(out)]) == 0
    line = json.loads(out.read_text(encoding="utf-8"))
    assert line["article_id"] and line["events"]
    assert any(
        e["action"]["cameo"] == "0312" and e["actor1"]["code"] == "RUSGOV" for e in line["events"]
    )


def test_events_needs_input(capsys):
    assert main(["events"]) == 2
