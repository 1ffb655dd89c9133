"""`newsbeam clean PATH…`: clean HTML files or JSONL page envelopes, one JSON line each.

Inputs: `.html` / `.htm` / `.html.gz` files, directories (searched recursively for those,
and for `.jsonl` / `.jsonl.gz`), and JSONL files of page envelopes (connectors/pages.py
format: url, html or html_gzip_b64, fetched_at, language). Output, in input order: an
Article JSON object (has "article_id") or a Rejection (has "reason"), each carrying its
input as `source_file` (`path` for HTML files, `path:LINE` for JSONL lines). A bare HTML
file's URL is `file://<absolute path>` unless the page declares a canonical URL.
Duplicates are flagged across the whole run, in input order.
"""

from __future__ import annotations

import argparse
import sys

_HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
_JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")


class Command:
    name = "clean"
    help = "clean HTML files / JSONL page envelopes into article JSON lines"

    def configure_parser(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH",
                            help="HTML file, .html.gz, JSONL of page envelopes, or directory")
        parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
        parser.add_argument("--progress", action="store_true", help="report progress on stderr")
        parser.add_argument("-j", "--jobs", type=int, default=1,
                            help="worker processes (default 1)")
        parser.add_argument("--favor", choices=("balanced", "precision", "recall"),
                            default="balanced", help="trafilatura focus")
        parser.add_argument("--min-words", type=int, default=None,
                            help="reject articles with fewer words")
        parser.add_argument("--max-page-bytes", type=int, default=None,
                            help="reject larger pages")
        parser.add_argument("--timeout-s", type=float, default=None,
                            help="per-page time budget (0 disables)")
        parser.add_argument("--extensive-dates", action="store_true",
                            help="scan the page text for a date when the markup has none")
        parser.add_argument("--author-fallback", action="store_true",
                            help="search the page body for a byline when metadata has none")
        parser.add_argument("--no-dedup", action="store_true", help="do not flag duplicates")

    def execute(self, args: argparse.Namespace) -> int:
        import logging

        from pipeline.clean import CleanOptions

        if args.jobs < 1:
            print("newsbeam clean: --jobs must be >= 1", file=sys.stderr)
            return 2
        if not args.verbose:
            for name in ("trafilatura", "htmldate", "courlan"):
                logging.getLogger(name).setLevel(logging.CRITICAL)
        overrides = {k: v for k, v in (("min_words", args.min_words),
                                       ("max_page_bytes", args.max_page_bytes),
                                       ("timeout_s", args.timeout_s)) if v is not None}
        try:
            options = CleanOptions(favor=args.favor, extensive_date_search=args.extensive_dates,
                                   author_fallback=args.author_fallback, **overrides)
        except ValueError as err:
            print(f"newsbeam clean: {err}", file=sys.stderr)
            return 2
        import pathlib

        missing = [p for p in args.paths if not pathlib.Path(p).exists()]
        if missing:
            print(f"newsbeam clean: no such file or directory: {', '.join(missing)}",
                  file=sys.stderr)
            return 2
        items = iter_inputs(args.paths)  # lazy: a huge JSONL is streamed, not loaded
        out = open(args.output, "wb") if args.output else sys.stdout.buffer  # noqa: SIM115
        try:
            return run_clean(items, options, out, jobs=args.jobs, progress=args.progress,
                             dedup=not args.no_dedup)
        finally:
            if args.output:
                out.close()
            else:
                out.flush()


def iter_inputs(paths: list[str]):
    """Yield (source_file, (kind, payload)) in input order; `_load` turns one into a page."""
    import pathlib

    for raw in paths:
        path = pathlib.Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.name.lower().endswith(_HTML_SUFFIXES + _JSONL_SUFFIXES))
        elif path.is_file():
            files = [path]
        else:
            raise FileNotFoundError(f"no such file or directory: {raw}")
        for file in files:
            if file.name.lower().endswith(_JSONL_SUFFIXES):
                yield from _jsonl_items(file)
            else:
                yield str(file), ("html", str(file))


def _jsonl_items(path):
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                yield f"{path}:{number}", ("envelope", line)


def _load(source_file: str, spec):
    """(kind, payload) -> PageEnvelope, or a Rejection when the input cannot be read."""
    import dataclasses
    import gzip
    import pathlib

    from connectors.deadletter import DeadLetter
    from connectors.pages import PageEnvelope, decode_page_bytes
    from pipeline.clean import Rejection

    kind, payload = spec
    if kind == "envelope":
        page = decode_page_bytes(payload.strip())
        if isinstance(page, DeadLetter):
            return Rejection(reason="parser_error", detail=f"bad envelope: {page.reason}: "
                             f"{page.detail}", original_size=len(payload), source_file=source_file)
        return dataclasses.replace(page, source_file=source_file)
    path = pathlib.Path(payload)
    try:
        data = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            data = gzip.decompress(data)
    except (OSError, EOFError) as err:
        return Rejection(reason="parser_error", detail=f"cannot read file: {err}",
                         source_file=source_file)
    from trafilatura.utils import decode_file

    html = decode_file(data)  # charset from <meta>/BOM, else UTF-8 with fallbacks
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    return PageEnvelope(url=path.resolve().as_uri(), html=html, source_file=source_file)


def _clean_one(item):
    """Worker entry point: (source_file, spec, options) -> dict of an Article or Rejection."""
    from pipeline.clean import Rejection, clean

    source_file, spec, options = item
    page = _load(source_file, spec)
    if isinstance(page, Rejection):
        return page
    return clean(page, options)


def _pooled(pool, work, batch: int):
    """Results of _clean_one over `work` in input order, submitting one batch at a time
    (Executor.map alone would read the whole input up front)."""
    import itertools

    while chunk := list(itertools.islice(work, batch)):
        yield from pool.map(_clean_one, chunk, chunksize=8)


def run_clean(items, options, out, *, jobs: int = 1, progress: bool = False,
              dedup: bool = True) -> int:
    """Clean `items` (from iter_inputs) and write JSON lines to binary stream `out`."""
    import time

    import orjson

    from pipeline.clean import Article
    from pipeline.dedup import DuplicateIndex, flag_duplicate

    index = DuplicateIndex() if dedup else None
    work = ((source, spec, options) for source, spec in items)
    total = len(items) if hasattr(items, "__len__") else None
    started = time.monotonic()
    articles = rejections = 0
    pool = None
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=jobs)
        results = _pooled(pool, work, batch=64 * jobs)
    else:
        results = map(_clean_one, work)
    try:
        for done, result in enumerate(results, 1):
            if isinstance(result, Article):
                result = flag_duplicate(index, result)
                articles += 1
            else:
                rejections += 1
            out.write(orjson.dumps(result.to_dict()) + b"\n")
            if progress and done % 100 == 0:
                _report(done, total, articles, rejections, started)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if progress:
        _report(articles + rejections, total, articles, rejections, started)
    return 0


def _report(done: int, total: int | None, articles: int, rejections: int, started: float) -> None:
    import time

    rate = done / max(time.monotonic() - started, 1e-9)
    print(f"clean: {done}{'/' + str(total) if total else ''} pages, {articles} articles, "
          f"{rejections} rejected, {rate:.1f} pages/s", file=sys.stderr)
