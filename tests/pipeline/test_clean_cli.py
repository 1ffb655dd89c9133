"""`newsbeam clean PATH…` on a temporary directory: order, source_file, rejections."""

from __future__ import annotations

import gzip

import orjson

from connectors.pages import encode_page
from pipeline.cli import main

from .test_clean import ARTICLE_HTML


def _inputs(tmp_path):
    (tmp_path / "a.html").write_text(ARTICLE_HTML, encoding="utf-8")
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(ARTICLE_HTML.replace(
        "Ministers agree", "Ministers sign").encode("utf-8")))
    lines = [encode_page("https://example.net/story", ARTICLE_HTML, gzip=True,
                         fetched_at="2024-03-08T00:00:00Z", language="en"),
             encode_page("https://example.net/empty", "no markup here"),
             b"this is not json"]
    (tmp_path / "c.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    (tmp_path / "ignored.txt").write_text("not an input")


def test_cli_cleans_directory_in_order(tmp_path, capsysbinary):
    _inputs(tmp_path)
    assert main(["clean", str(tmp_path)]) == 0
    rows = [orjson.loads(line) for line in capsysbinary.readouterr().out.splitlines()]
    assert [r["source_file"] for r in rows] == [
        str(tmp_path / "a.html"), str(tmp_path / "b.html.gz"), f"{tmp_path / 'c.jsonl'}:1",
        f"{tmp_path / 'c.jsonl'}:2", f"{tmp_path / 'c.jsonl'}:3"]
    a, b, c, empty, garbage = rows
    assert a["title"] == "Ministers agree on trade pact"
    assert a["canonical_url"] == "https://www.example.com/world/trade-pact"
    assert a["url"].startswith("file://")
    assert b["title"] == "Ministers sign on trade pact"
    # same canonical URL: the same article re-fetched with a new headline, not a duplicate
    assert b["article_id"] == a["article_id"] and b["duplicate_of"] is None
    assert c["url"] == "https://example.net/story" and c["fetched_at"] == "2024-03-08T00:00:00Z"
    assert c["duplicate_kind"] in ("exact", "near") and c["duplicate_of"] == a["article_id"]
    assert empty["reason"] == "not_html"
    assert garbage["reason"] == "parser_error" and "not_json" in garbage["detail"]


def test_cli_output_file_and_jobs(tmp_path):
    _inputs(tmp_path)
    out = tmp_path / "out" / "articles.jsonl"
    out.parent.mkdir()
    assert main(["clean", str(tmp_path / "a.html"), str(tmp_path / "c.jsonl"), "-o", str(out),
                 "--jobs", "2", "--no-dedup", "--min-words", "5"]) == 0
    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert len(rows) == 4
    assert rows[0]["source_file"].endswith("a.html")
    assert all(r.get("duplicate_of") is None for r in rows)


def test_cli_missing_path(tmp_path, capsys):
    assert main(["clean", str(tmp_path / "nope.html")]) == 2
    assert "no such file" in capsys.readouterr().err
