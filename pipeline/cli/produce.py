"""`newsbeam produce`: put pages on the pages topic as page envelopes.

Accepts `.html`/`.htm` files (optionally `.gz`), directories of them (recursive) and
`.jsonl` files of envelopes (one JSON object per line, sent as given unless --gzip asks
to pack `html`). A bare HTML file's URL is its <link rel=canonical> or og:url, else its
file:// path; messages are keyed by URL.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys
import time
from collections.abc import Iterator

HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
_TAG = re.compile(r"<(link|meta)\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")


def page_url(html: str, path: pathlib.Path) -> str:
    """The page's canonical URL (link rel=canonical, then og:url), else its file:// URL."""
    canonical = og_url = None
    for match in _TAG.finditer(html[:500_000]):
        attrs = {k.lower(): v.strip("\"'").strip() for k, v in _ATTR.findall(match.group(0))}
        if match.group(1).lower() == "link" and "canonical" in attrs.get("rel", "").lower():
            canonical = canonical or attrs.get("href")
        elif attrs.get("property", attrs.get("name", "")).lower() == "og:url":
            og_url = og_url or attrs.get("content")
    url = canonical or og_url
    if url and re.match(r"^https?://", url, re.IGNORECASE):
        import html as html_module

        return html_module.unescape(url)
    return path.resolve().as_uri()


def _read_text(path: pathlib.Path) -> str:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        import gzip

        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def _rfc3339(ts: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iter_files(paths: list[str]) -> Iterator[pathlib.Path]:
    for raw in paths:
        path = pathlib.Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and (child.name.endswith(HTML_SUFFIXES)
                                        or child.suffix == ".jsonl"):
                    yield child
        elif path.is_file():
            yield path
        else:
            raise FileNotFoundError(f"no such file or directory: {raw}")


class Command:
    name = "produce"
    help = "send .html/.html.gz files, directories of them or .jsonl envelopes to Kafka"

    def configure_parser(self, parser: argparse.ArgumentParser) -> None:
        from pipeline.cli.kafka_args import add_kafka_args

        parser.add_argument("paths", nargs="+", metavar="PATH")
        add_kafka_args(parser)
        parser.add_argument("--topic", default="pages")
        parser.add_argument("--gzip", action="store_true",
                            help="send the HTML as html_gzip_b64 (for large pages)")
        parser.add_argument("--compression", default=None, choices=("gzip", "none"),
                            help="Kafka producer compression (default none)")
        parser.add_argument("--partitions", type=int, default=None,
                            help="create the topic with this many partitions if missing")
        parser.add_argument("--crawler", default="newsbeam-produce",
                            help="crawler name written into the envelopes")
        parser.add_argument("--language", default=None, help="language hint for HTML files")

    def execute(self, args: argparse.Namespace) -> int:
        from connectors.kafka.clients import check_tls, check_compression, make_producer
        from pipeline.cli.kafka_args import kafka_config

        try:
            config = kafka_config(args)
            check_tls(config)
        except ValueError as exc:
            print(f"produce: {exc}", file=sys.stderr)
            return 2
        if args.partitions:
            ensure_topic(config, args.topic, args.partitions)
        producer = make_producer(config, compression=check_compression(args.compression))
        started = time.monotonic()
        sent = size = 0
        futures = []
        try:
            for url, value in envelopes(args.paths, gzip=args.gzip, crawler=args.crawler,
                                        language=args.language):
                futures.append(producer.send(args.topic, key=url.encode("utf-8"), value=value))
                sent += 1
                size += len(value)
                if sent % 500 == 0:
                    _check(futures)
                    futures = []
                    print(f"produce: {sent} pages, {size / 1e6:.1f} MB", file=sys.stderr)
            producer.flush(timeout=120)
            _check(futures)
        except (FileNotFoundError, ValueError) as exc:
            print(f"produce: {exc}", file=sys.stderr)
            return 2
        finally:
            producer.close(timeout=30)
        elapsed = time.monotonic() - started
        print(f"produce: sent {sent} pages ({size / 1e6:.2f} MB) to {args.topic} "
              f"in {elapsed:.2f}s", file=sys.stderr)
        return 0


def _check(futures: list) -> None:
    for future in futures:
        future.get(timeout=120)  # raises the delivery error, if any


def envelopes(paths: list[str], *, gzip: bool = False, crawler: str | None = None,
              language: str | None = None) -> Iterator[tuple[str, bytes]]:
    """(url, envelope bytes) for every page in `paths` (files, directories, .jsonl)."""
    import orjson

    from connectors.pages import encode_page

    for path in iter_files(paths):
        if path.suffix == ".jsonl":
            with path.open("rb") as fh:
                for lineno, raw in enumerate(fh, 1):
                    raw = raw.strip()
                    if not raw:
                        continue
                    try:
                        obj = orjson.loads(raw)
                    except orjson.JSONDecodeError as exc:
                        raise ValueError(f"{path}:{lineno}: not JSON: {exc}") from exc
                    if not isinstance(obj, dict) or not isinstance(obj.get("url"), str):
                        raise ValueError(  # noqa: TRY004 - reported as bad input, rc 2
                            f"{path}:{lineno}: not a page envelope (no url)")
                    if gzip and isinstance(obj.get("html"), str):
                        import base64
                        import gzip as gzip_module

                        html = obj.pop("html")
                        packed = gzip_module.compress(html.encode("utf-8"), mtime=0)
                        obj["html_gzip_b64"] = base64.b64encode(packed).decode("ascii")
                        raw = orjson.dumps(obj)
                    yield obj["url"], raw
        elif path.name.endswith(HTML_SUFFIXES):
            html = _read_text(path)
            url = page_url(html, path)
            yield url, encode_page(url, html, gzip=gzip,
                                   fetched_at=_rfc3339(path.stat().st_mtime),
                                   crawler=crawler, language=language)
        else:
            raise ValueError(f"{path}: not .html, .html.gz or .jsonl")


def ensure_topic(config, topic: str, partitions: int) -> None:
    """Create `topic` with `partitions` partitions unless it exists."""
    from kafka import KafkaAdminClient
    from kafka.admin import NewTopic
    from kafka.errors import TopicAlreadyExistsError

    admin = KafkaAdminClient(**config.client_kwargs())
    try:
        if topic not in admin.list_topics():
            try:
                admin.create_topics([NewTopic(topic, partitions, 1)], timeout_ms=30000)
            except TopicAlreadyExistsError:
                pass
    finally:
        admin.close()
