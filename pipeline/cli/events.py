"""`newsbeam events`: code CAMEO events from text lines or HTML pages, one JSON line each.

* `newsbeam events --jsonl IN [-o OUT]`: IN has lines {"id", "text", "published"[, "url",
  "title", "language"]}; OUT gets {"id", "events": [Event, ...]} per line, in order
  (scorable by ../shared/eval/events/score.py).
* `newsbeam events PAGE.html[.gz]...`: cleans each page (pipeline.clean.clean) and writes
  {"source_file", "article_id", "events": [...]} or {"source_file", "rejection": ...}.
"""

from __future__ import annotations

import argparse
import sys


class Command:
    name = "events"
    help = "extract CAMEO-coded events from JSONL texts or HTML pages"

    def configure_parser(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "pages", nargs="*", metavar="PAGE", help="HTML file(s) (.html, .html.gz)"
        )
        parser.add_argument(
            "--jsonl", metavar="IN", help='JSONL of {"id","text","published"} lines'
        )
        parser.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout")
        parser.add_argument("--lang", help="language of all inputs (default: detect per text)")

    def execute(self, args: argparse.Namespace) -> int:
        import orjson

        if not args.jsonl and not args.pages:
            print("newsbeam events: give --jsonl IN or PAGE files", file=sys.stderr)
            return 2
        out = open(args.output, "wb") if args.output else sys.stdout.buffer  # noqa: SIM115
        try:
            if args.jsonl:
                rc = _code_jsonl(args.jsonl, out, args.lang, orjson)
            else:
                rc = 0
            if args.pages:
                rc = max(rc, _code_pages(args.pages, out, args.lang, orjson))
            return rc
        finally:
            if args.output:
                out.close()
            else:
                out.flush()


def _code_jsonl(path: str, out, lang: str | None, orjson) -> int:
    from pipeline.events.coder import extract_events_from_text

    rc = 0
    with open(path, "rb") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                item = orjson.loads(line)
            except orjson.JSONDecodeError as err:
                print(f"newsbeam events: {path}:{n}: not JSON ({err})", file=sys.stderr)
                rc = 1
                continue
            events = extract_events_from_text(
                item.get("text") or "",
                item.get("published"),
                lang=lang or item.get("language"),
                article_id=item.get("id"),
                url=item.get("url"),
            )
            out.write(orjson.dumps({"id": item.get("id"), "events": [e.to_dict() for e in events]}))
            out.write(b"\n")
    return rc


def _code_pages(paths: list[str], out, lang: str | None, orjson) -> int:
    import gzip
    import pathlib

    from connectors.pages import PageEnvelope
    from pipeline.clean import clean
    from pipeline.events.coder import extract_events

    rc = 0
    for p in paths:
        path = pathlib.Path(p)
        try:
            raw = gzip.open(path, "rb").read() if path.name.endswith(".gz") else path.read_bytes()
        except OSError as err:
            print(f"newsbeam events: {p}: {err}", file=sys.stderr)
            rc = 1
            continue
        page = PageEnvelope(
            url=path.resolve().as_uri(),
            html=raw.decode("utf-8", "replace"),
            language_hint=lang,
            source_file=str(p),
        )
        article = clean(page)
        if not hasattr(article, "article_id"):
            rej = article.to_dict() if hasattr(article, "to_dict") else {"reason": str(article)}
            out.write(orjson.dumps({"source_file": str(p), "rejection": rej}) + b"\n")
            continue
        events = extract_events(article)
        out.write(
            orjson.dumps(
                {
                    "source_file": str(p),
                    "article_id": article.article_id,
                    "events": [e.to_dict() for e in events],
                }
            )
            + b"\n"
        )
    return rc
